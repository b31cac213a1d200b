//! `bestvalue template`: the workbooks officers fill in.

use bestvalue::Error;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

use super::{Done, parse_date, say};
use crate::cli::TemplateArgs;

pub fn run(a: TemplateArgs) -> Result<Done, Error> {
    let kind = if a.actions {
        TemplateKind::Actions {
            service_areas: a.service_area,
        }
    } else if a.all_rounds {
        TemplateKind::AllRounds
    } else {
        TemplateKind::Assessment {
            round: a.round.unwrap_or_default(),
            themes: a.theme,
            all_in_one: a.all_in_one,
        }
    };
    let date = |flag: &str, v: Option<String>| v.map(|t| parse_date(flag, &t)).transpose();
    let cfg = TemplateConfig {
        kind,
        framework: a.framework,
        officer: a.for_name,
        authority: a.authority,
        issued: date("--issued", a.issued)?,
        return_by: date("--return-by", a.return_by)?,
        send_to: a.send_to,
        from: a.from,
        out: a.out,
        force: a.force,
    };
    let written = write_templates(&cfg)?;
    if !a.quiet {
        for n in &written.notes {
            say(&format!("{n}\n"));
        }
    }
    for f in &written.files {
        say(&format!("Wrote {}.\n", f.display()));
    }
    Ok(Done::Clean)
}
