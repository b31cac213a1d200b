//! `bestvalue compare`: many authorities' self-assessments in one sector
//! workbook.

use bestvalue::Error;
use bestvalue::progress::Progress;
use bestvalue::{CompareConfig, compare_with};

use super::{Done, say};
use crate::cli::CompareArgs;

pub fn run(a: CompareArgs) -> Result<Done, Error> {
    let mut frameworks = a.framework.into_iter();
    let cfg = CompareConfig {
        inputs: a.inputs,
        output: a.out,
        framework: frameworks.next(),
        other_frameworks: frameworks.collect(),
        mappings: a.mapping,
        anonymise: a.anonymise,
        force: a.force,
    };
    let progress = Progress::on_terminal("Reading", a.quiet);
    let outcome = compare_with(&cfg, &progress)?;
    let s = &outcome.sector;
    if !a.quiet {
        for n in &s.not_compared {
            say(&format!("  not compared: {} ({})\n", n.source, n.reason));
        }
    }
    let what = format!(
        "Compared {} ({}) against {} (version {})",
        match s.authorities.len() {
            1 => "1 authority".to_string(),
            n => format!("{n} authorities"),
        },
        bestvalue::report::console::plural(s.files, "file") + " read",
        s.fw.name,
        s.fw.version
    );
    match &outcome.written {
        Some(p) => say(&format!("{what}. Wrote {}.\n", p.display())),
        None => say(&format!(
            "{what}. Nothing to compare, so no workbook was written.\n"
        )),
    }
    Ok(Done::from_errors(
        !s.not_compared.is_empty() || outcome.written.is_none(),
    ))
}
