//! `bestvalue check`: read and check the returns exactly as `build` does,
//! print every problem, and write feedback workbooks and the chase list when
//! asked.

use std::path::PathBuf;

use bestvalue::report::{console, json};
use bestvalue::write::guard::{Guard, Output};
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
    let guard = Guard::for_build(&cfg)
        .output(a.chase.as_deref(), Output::Chase)
        .output(a.feedback.as_deref(), Output::FeedbackFolder);
    guard.check()?;
    // Nothing to check is the data's problem, not the command's: exit 1.
    let where_ = || {
        a.inputs
            .iter()
            .map(|p| format!("'{}'", p.display()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outcome = match bestvalue::check(&cfg) {
        Err(Error::NoInputs { .. }) => {
            let mut text = String::new();
            if let Ok(found) = bestvalue::read::discover(&a.inputs, None) {
                for sk in &found.skipped {
                    text.push_str(&format!("  not read: {} ({})\n", sk.display, sk.reason));
                }
            }
            text.push_str(&format!(
                "No returns found in {}. Give folders or files of .xlsx, .xlsm, .xls or .ods returns.\n",
                where_()
            ));
            // JSON stays clean on stdout: the message goes to stderr.
            match a.format {
                Format::Json => tell(&text),
                Format::Text => say(&text),
            }
            return Ok(Done::Problems);
        }
        other => other?,
    };
    let none = outcome.returns.is_empty();
    match a.format {
        Format::Json => say(&format!("{}\n", json::render(&outcome))),
        Format::Text if none => {
            say(&console::check_report(&outcome));
            say(&format!("No returns found in {}.\n", where_()));
        }
        Format::Text => {
            say(&console::check_report(&outcome));
            say(&format!("{}.\n", console::tally(&outcome)));
        }
    }
    // Messages about files written go to stderr so JSON stays clean.
    let mut feedback_missing = false;
    if let Some(dir) = &a.feedback {
        let written = feedback::write_all(&outcome, dir, &guard)?;
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
        chase::write(path, &outcome, &list)?;
        guard.mark_written(path);
        tell(&chase::text(&list));
        tell(&format!("Wrote the chase list to {}.\n", path.display()));
    }
    // A feedback workbook not written is an error of the run (exit 1), after
    // everything else has been written.
    Ok(Done::from_errors(
        none || outcome.problems.has_errors() || feedback_missing,
    ))
}
