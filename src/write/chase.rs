//! The chase list: who owes the office what. Returns missing for a round and
//! theme, returns with errors to correct, files that could not be read, and
//! service areas whose action updates are out of date.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::assess::Outcome;
use crate::error::Error;
use crate::records::ReturnKind;
use crate::write::xlsx::{self, properties, style};

#[derive(Debug, Clone, PartialEq)]
pub struct Chase {
    /// Who to contact, as the return names them ("" when unknown).
    pub officer: String,
    /// What they owe, in a few words.
    pub owes: String,
    /// Round and theme, or service area.
    pub about: String,
    pub file: String,
    pub errors: usize,
    pub warnings: usize,
    /// The first problem, to quote when chasing.
    pub detail: String,
}

/// Action updates older than this, at the "as at" date, are chased.
const STALE_DAYS: i64 = 31;

pub fn list(o: &Outcome) -> Vec<Chase> {
    let mut out = missing_returns(o);
    out.extend(returns_with_errors(o));
    out.extend(stale_updates(o));
    out
}

/// Rounds under way: each theme needs a return in each such round.
fn missing_returns(o: &Outcome) -> Vec<Chase> {
    let fw = &o.framework;
    let mut out = Vec::new();
    let mut rounds: Vec<usize> = o
        .returns
        .iter()
        .filter(|r| r.kind == ReturnKind::Assessment)
        .filter_map(|r| r.round)
        .collect();
    rounds.sort();
    rounds.dedup();
    for &round in &rounds {
        let returns: Vec<_> = o
            .returns
            .iter()
            .filter(|r| r.round == Some(round))
            .collect();
        let all = returns.iter().any(|r| r.themes.is_empty());
        if all {
            continue;
        }
        for (t, theme) in fw.themes.iter().enumerate() {
            if !returns.iter().any(|r| r.themes.contains(&t)) {
                out.push(Chase {
                    officer: String::new(),
                    owes: "Return not received".into(),
                    about: format!("{} round: {}", fw.rounds[round].name, theme.name),
                    file: String::new(),
                    errors: 0,
                    warnings: 0,
                    detail: format!("No {} return covers {}.", fw.rounds[round].name, theme.name),
                });
            }
        }
    }

    out
}

/// Returns with errors, and files that could not be read.
fn returns_with_errors(o: &Outcome) -> Vec<Chase> {
    let fw = &o.framework;
    let mut out = Vec::new();
    for r in &o.returns {
        let mine: Vec<_> = o
            .problems
            .iter()
            .filter(|p| p.location.file == r.file)
            .collect();
        let errors = mine.iter().filter(|p| p.is_error()).count();
        if errors == 0 {
            continue;
        }
        let about = match (&r.kind, r.round) {
            (ReturnKind::Actions, _) => format!(
                "Action plan: {}",
                r.service_area.clone().unwrap_or_default()
            ),
            (_, Some(x)) if r.themes.is_empty() => {
                format!("{} round: all themes", fw.rounds[x].name)
            }
            (_, Some(x)) => format!(
                "{} round: {}",
                fw.rounds[x].name,
                r.themes
                    .iter()
                    .map(|t| fw.themes[*t].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => String::new(),
        };
        let first = mine
            .iter()
            .find(|p| p.is_error())
            .map(|p| p.to_string())
            .unwrap_or_default();
        out.push(Chase {
            officer: r.officer.clone().unwrap_or_default(),
            owes: if r.kind == ReturnKind::Unreadable {
                "A readable copy of the return".into()
            } else {
                "Corrections to the return".into()
            },
            about,
            file: r.file.clone(),
            errors,
            warnings: mine.len() - errors,
            detail: first,
        });
    }

    out
}

/// Service areas whose open actions have not been updated lately.
fn stale_updates(o: &Outcome) -> Vec<Chase> {
    let fw = &o.framework;
    let mut out = Vec::new();
    if let Some(as_at) = o.as_at {
        let mut areas: Vec<(&str, chrono::NaiveDate, &str)> = Vec::new();
        for a in &o.plan.actions {
            if a.status.is_some_and(|s| fw.statuses[s].closed) {
                continue;
            }
            let Some(updated) = a.updated else { continue };
            if (as_at - updated).num_days() > STALE_DAYS {
                areas.push((&a.service_area, updated, &a.id));
            }
        }
        areas.sort();
        for (area, updated, id) in areas {
            out.push(Chase {
                officer: o
                    .plan
                    .actions
                    .iter()
                    .find(|a| a.id == id)
                    .map(|a| a.owner.clone())
                    .unwrap_or_default(),
                owes: "An action update".into(),
                about: format!("Action plan: {area}"),
                file: String::new(),
                errors: 0,
                warnings: 0,
                detail: format!("{id} was last updated on {}.", crate::dates::uk(updated)),
            });
        }
    }
    out
}

/// The chase list as console text.
pub fn text(list: &[Chase]) -> String {
    if list.is_empty() {
        return "Nobody to chase: every return expected has arrived without errors.\n".into();
    }
    let mut s = format!("Who to chase ({}):\n", list.len());
    for c in list {
        let who = if c.officer.is_empty() {
            "(not known)"
        } else {
            c.officer.as_str()
        };
        s.push_str(&format!("  {who}: {} — {}", c.owes, c.about));
        if !c.file.is_empty() {
            s.push_str(&format!(
                " ({}, {})",
                c.file,
                crate::report::console::plural(c.errors, "error")
            ));
        }
        s.push('\n');
    }
    s
}

/// Writes the chase list as a workbook.
pub fn write(path: &Path, list: &[Chase]) -> Result<(), Error> {
    let bytes = render(list).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}

fn render(list: &[Chase]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &properties::dated(None)?
            .set_title("Chase list")
            .set_comment(format!(
                "{} {}",
                crate::write::guard::CHASE_MARK,
                env!("CARGO_PKG_VERSION")
            )),
    );
    let ws = wb.add_worksheet().set_name("Chase list")?;
    let head = style::banner(Format::new()).set_text_wrap();
    let wrap = style::wrap(Format::new());
    let cols = [
        ("Officer", 22.0),
        ("Owes", 24.0),
        ("Round and theme, or service area", 34.0),
        ("File", 34.0),
        ("Errors", 8.0),
        ("Warnings", 9.0),
        ("First problem", 70.0),
    ];
    xlsx::headings(ws, 0, &cols, &head, None)?;
    for (i, c) in list.iter().enumerate() {
        let r = 1 + i as u32;
        xlsx::text(ws, r, 0, &c.officer, &wrap)?;
        ws.write_string_with_format(r, 1, &c.owes, &wrap)?;
        xlsx::text(ws, r, 2, &c.about, &wrap)?;
        xlsx::text(ws, r, 3, &c.file, &wrap)?;
        ws.write_number(r, 4, c.errors as f64)?;
        ws.write_number(r, 5, c.warnings as f64)?;
        xlsx::text(ws, r, 6, &c.detail, &wrap)?;
        xlsx::fit_height(
            ws,
            r,
            &[(&c.detail, 70.0), (&c.file, 34.0), (&c.about, 34.0)],
        )?;
    }
    if list.is_empty() {
        ws.write_string(
            1,
            0,
            "Nobody to chase: every return expected has arrived without errors.",
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, list.len().max(1) as u32, 6)?;
    xlsx::fit_width(ws, true);
    ws.set_repeat_rows(0, 0)?;
    wb.save_to_buffer()
}
