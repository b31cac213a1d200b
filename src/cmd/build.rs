//! `bestvalue build`: read, check and merge the returns, then write the
//! committee workbook (and the actions CSV when asked).

use bestvalue::progress::Progress;
use bestvalue::report::console;
use bestvalue::{BuildConfig, Error};

use super::{Done, parse_date, say};
use crate::cli::BuildArgs;

pub fn run(a: BuildArgs) -> Result<Done, Error> {
    let cfg = BuildConfig {
        inputs: a.inputs,
        output: a.out,
        framework: a.framework,
        as_at: a.as_at.map(|t| parse_date("--as-at", &t)).transpose()?,
        authority: a.authority,
        strict: a.strict,
        force: a.force,
        previous: a.previous,
        actions_csv: a.actions_csv,
        previous_year: a.previous_year,
        mappings: a.mappings,
        publish: a.publish,
        meeting: bestvalue::Meeting {
            committee: a.committee,
            date: a.meeting.map(|t| parse_date("--meeting", &t)).transpose()?,
            appendix: a.appendix,
            contact: a.contact,
        },
    };
    let progress = Progress::on_terminal("Reading", a.quiet);
    let outcome = bestvalue::build_with(&cfg, &progress)?;
    if !a.quiet {
        say(&console::render(&outcome));
    }
    match &outcome.written {
        Some(p) => {
            say(&format!("Wrote {}.\n", p.display()));
            if let Some(c) = &outcome.published {
                say(&format!("Wrote the clerk's copy, {}.\n", c.display()));
            }
        }
        None => say(&format!(
            "{}. The workbook was not written (--strict): fix the errors and run again.\n",
            console::tally(&outcome)
        )),
    }
    Ok(Done::from_errors(outcome.problems.has_errors()))
}
