//! `bestvalue check`: read and check the returns exactly as `build` does,
//! print every problem, and write feedback workbooks and the chase list when
//! asked.

use std::path::PathBuf;

use bestvalue::report::{console, json};
use bestvalue::write::guard::Output;
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
        force: a.force,
        ..BuildConfig::default()
    };
    // The chase list and feedback folder are checked before anything is
    // read: never an input, never each other, never a file open or not
    // ours (unless --force).
    let guard = cfg
        .guard()
        .output(a.chase.as_deref(), Output::Chase)
        .output(a.feedback.as_deref(), Output::FeedbackFolder);
    guard.check()?;
    let outcome = bestvalue::assess(&cfg, None)?;
    match a.format {
        Format::Json => say(&format!("{}\n", json::render(&outcome))),
        Format::Text => {
            say(&console::all_problems(&outcome));
            say(&format!("{}.\n", console::tally(&outcome)));
        }
    }
    // Messages about files written go to stderr so JSON stays clean.
    if let Some(dir) = &a.feedback {
        let written = feedback::write_all(&outcome, dir, &guard)?;
        tell(&format!(
            "Wrote {} to {}.\n",
            console::plural(written.len(), "feedback workbook"),
            dir.display()
        ));
    }
    if let Some(path) = &a.chase {
        let list = chase::list(&outcome);
        chase::write(path, &list)?;
        guard.mark_written(path);
        tell(&chase::text(&list));
        tell(&format!("Wrote the chase list to {}.\n", path.display()));
    }
    Ok(Done::from_errors(outcome.problems.has_errors()))
}
