//! `bestvalue check`: read and check the returns exactly as `build` does,
//! print every problem, and write feedback workbooks and the chase list when
//! asked.

use std::path::PathBuf;

use bestvalue::report::{console, json};
use bestvalue::write::{chase, feedback};
use bestvalue::{BuildConfig, Error};

use super::{Done, parse_date, say, tell};
use crate::cli::{CheckArgs, Format};

pub fn run(a: CheckArgs) -> Result<Done, Error> {
    let cfg = BuildConfig {
        inputs: a.inputs.clone(),
        output: PathBuf::new(),
        framework: a.framework,
        as_at: a.as_at.map(|t| parse_date("--as-at", &t)).transpose()?,
        previous: a.previous,
        ..BuildConfig::default()
    };
    let outcome = bestvalue::check(&cfg)?;
    match a.format {
        Format::Json => say(&format!("{}\n", json::render(&outcome))),
        Format::Text => {
            say(&console::all_problems(&outcome));
            say(&format!("{}.\n", console::tally(&outcome)));
        }
    }
    // Messages about files written go to stderr so JSON stays clean.
    let mut feedback_missing = false;
    if let Some(dir) = &a.feedback {
        let written = feedback::write_all(&outcome, dir, &a.inputs)?;
        for note in &written.notes {
            tell(&format!("{note}\n"));
        }
        for (file, why) in &written.not_written {
            tell(&format!("No feedback workbook for {file}: {why}.\n"));
        }
        tell(&format!(
            "Wrote {} to {}.\n",
            console::plural(written.files.len(), "feedback workbook"),
            dir.display()
        ));
        feedback_missing = !written.not_written.is_empty();
    }
    if let Some(path) = &a.chase {
        let list = chase::list(&outcome);
        chase::write(path, &list)?;
        tell(&chase::text(&list));
        tell(&format!("Wrote the chase list to {}.\n", path.display()));
    }
    // A feedback workbook not written is an error of the run (exit 1), after
    // everything else has been written.
    Ok(Done::from_errors(
        outcome.problems.has_errors() || feedback_missing,
    ))
}
