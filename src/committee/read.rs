//! Reads back a committee workbook this tool wrote: last month's (the
//! baseline for this month's action progress, and what "since last month"
//! compares with) or last year's (for the direction of travel). Columns are
//! found by their headings, so a clerk's added column or a sorted table does
//! not matter.

use std::path::Path;

use calamine::Data;
use chrono::NaiveDate;

use crate::dates::{self, DateValue};
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::read::{Grid, cells, open_book};

/// One characteristic as the workbook shows it.
#[derive(Debug, Clone, Default)]
pub struct PrevCharacteristic {
    /// The code as written (the workbook's own framework's spelling).
    pub code: String,
    pub row: u32,
    pub narrative: String,
    pub evidence: String,
    pub gaps: String,
    /// Per round name: (score label, commentary and reason).
    pub rounds: Vec<(String, String, String)>,
    pub final_score: String,
    pub set_at: String,
    pub set_by: String,
}

/// One action as the workbook shows it.
#[derive(Debug, Clone, Default)]
pub struct PrevAction {
    pub id: String,
    pub row: u32,
    pub code: String,
    pub gap: String,
    pub action: String,
    pub owner: String,
    pub service_area: String,
    pub target: Option<DateValue>,
    pub status: String,
    pub overdue: bool,
    pub progress: String,
    pub updated: Option<NaiveDate>,
    pub perf_ref: String,
    /// Earlier updates: (date, status, note), as listed (newest first).
    pub history: Vec<(Option<NaiveDate>, String, String)>,
}

/// A committee workbook read back.
#[derive(Debug, Clone, Default)]
pub struct Committee {
    pub file: String,
    pub authority: Option<String>,
    pub as_at: Option<NaiveDate>,
    pub framework_version: Option<String>,
    pub characteristics: Vec<PrevCharacteristic>,
    pub actions: Vec<PrevAction>,
}

impl Committee {
    /// Final score level per characteristic of `fw`, matched by code.
    pub fn level_of(&self, fw: &Framework, code: &str) -> Option<usize> {
        let c = self
            .characteristics
            .iter()
            .find(|c| fw.find_code(&c.code) == fw.find_code(code))?;
        fw.find_score(&c.final_score)
    }
}

/// Reads a committee workbook. A file that is not one is a fatal error:
/// the user named it as last month's or last year's workbook.
pub fn read(path: &Path, what: &str) -> Result<Committee, Error> {
    let display = path.display().to_string();
    let not_ours = |why: &str| {
        Error::Usage(format!(
            "'{display}' cannot be used as {what}: {why}. Give a committee workbook written by bestvalue build."
        ))
    };
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let book = open_book(bytes, &ext).map_err(|_| not_ours("it could not be opened"))?;
    let sheet = |name: &str| book.sheets.iter().find(|g| g.name == name);
    let cover = sheet("Cover").ok_or_else(|| not_ours("it has no Cover sheet"))?;
    let chars =
        sheet("Characteristics").ok_or_else(|| not_ours("it has no Characteristics sheet"))?;
    let mut c = Committee {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(display.clone()),
        ..Committee::default()
    };
    read_cover(cover, &mut c);
    if !cover_says_ours(cover) {
        return Err(not_ours(
            "its Cover does not say it was produced by bestvalue",
        ));
    }
    read_characteristics(chars, &mut c);
    if let Some(plan) = sheet("Action plan") {
        read_actions(plan, &mut c);
    }
    Ok(c)
}

fn text(g: &Grid, r: u32, c: Option<u16>) -> String {
    c.and_then(|c| g.get(r, c))
        .map(cells::text)
        .unwrap_or_default()
}

fn cover_says_ours(g: &Grid) -> bool {
    g.rows.values().any(|row| {
        row.windows(2).any(|w| {
            matches!(&w[0].1, Data::String(s) if fold(s) == "producedby")
                && fold(&cells::text(&w[1].1)).starts_with("bestvalue")
        })
    })
}

fn read_cover(g: &Grid, c: &mut Committee) {
    c.authority = g.get(0, 0).map(cells::text).filter(|s| !s.is_empty());
    for row in g.rows.values() {
        let Some((_, Data::String(label))) = row.first() else {
            continue;
        };
        let value = row.get(1).map(|(_, v)| cells::text(v)).unwrap_or_default();
        match fold(label).as_str() {
            "asat" => c.as_at = dates::parse_text(&value).ok().flatten().map(|d| d.date),
            "framework" => {
                c.framework_version = value
                    .rsplit_once("(version ")
                    .map(|(_, v)| v.trim_end_matches(')').trim().to_string())
            }
            _ => {}
        }
    }
}

/// Heading → column of a table whose headings are in row 0.
fn columns(g: &Grid) -> Vec<(String, u16)> {
    g.rows
        .get(&0)
        .map(|row| row.iter().map(|(c, v)| (cells::text(v), *c)).collect())
        .unwrap_or_default()
}

fn col(cols: &[(String, u16)], heading: &str) -> Option<u16> {
    cols.iter()
        .find(|(h, _)| fold(h) == fold(heading))
        .map(|(_, c)| *c)
}

fn read_characteristics(g: &Grid, c: &mut Committee) {
    let cols = columns(g);
    let code = col(&cols, "Code");
    // "<Round> round score" columns, in order, with their commentary.
    let rounds: Vec<(String, u16, Option<u16>)> = cols
        .iter()
        .filter_map(|(h, i)| {
            let name = h.strip_suffix(" round score")?;
            let comment = col(&cols, &format!("{name} round commentary and reason"));
            Some((name.to_string(), *i, comment))
        })
        .collect();
    for (&r, _) in g.rows.range(1..) {
        let code_text = text(g, r, code);
        if code_text.is_empty() {
            continue;
        }
        c.characteristics.push(PrevCharacteristic {
            code: code_text,
            row: r,
            narrative: text(g, r, col(&cols, "Position statement")),
            evidence: text(g, r, col(&cols, "Evidence")),
            gaps: text(g, r, col(&cols, "Gaps / areas to address")),
            rounds: rounds
                .iter()
                .map(|(name, sc, cc)| (name.clone(), text(g, r, Some(*sc)), text(g, r, *cc)))
                .collect(),
            final_score: text(g, r, col(&cols, "Final score")),
            set_at: text(g, r, col(&cols, "Score set at")),
            set_by: text(g, r, col(&cols, "Set by")),
        });
    }
}

fn date_at(g: &Grid, r: u32, c: Option<u16>) -> Option<DateValue> {
    let d = c.and_then(|c| g.get(r, c))?;
    dates::parse(d).ok().flatten()
}

fn read_actions(g: &Grid, c: &mut Committee) {
    let cols = columns(g);
    let id = col(&cols, "Action ID");
    for (&r, _) in g.rows.range(1..) {
        let id_text = text(g, r, id);
        // "—" marks a characteristic without an action, not an action.
        if id_text.is_empty() || id_text == "—" {
            continue;
        }
        c.actions.push(PrevAction {
            id: id_text,
            row: r,
            code: text(g, r, col(&cols, "Code")),
            gap: text(g, r, col(&cols, "Gap")),
            action: text(g, r, col(&cols, "Action")),
            owner: text(g, r, col(&cols, "Responsible officer")),
            service_area: text(g, r, col(&cols, "Service area")),
            target: date_at(g, r, col(&cols, "Target date")),
            status: text(g, r, col(&cols, "Status")),
            overdue: !text(g, r, col(&cols, "Overdue")).is_empty(),
            progress: text(g, r, col(&cols, "Latest progress")),
            updated: date_at(g, r, col(&cols, "Date of update")).map(|d| d.date),
            perf_ref: text(g, r, col(&cols, "Performance system ref")),
            history: parse_history(&text(g, r, col(&cols, "Earlier updates"))),
        });
    }
}

/// Separates the parts of one line of the "Earlier updates" column.
pub const HISTORY_SEP: &str = " · ";

/// Reads the "Earlier updates" column: one line per update,
/// `dd/mm/yyyy · Status · note`.
pub fn parse_history(text: &str) -> Vec<(Option<NaiveDate>, String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, HISTORY_SEP);
            let date = parts
                .next()
                .and_then(|d| dates::parse_text(d).ok().flatten())
                .map(|d| d.date);
            let status = parts.next().unwrap_or("").trim().to_string();
            let note = parts.next().unwrap_or("").trim().to_string();
            (date, status, note)
        })
        .collect()
}

/// Writes one line of the "Earlier updates" column.
pub fn history_line(date: Option<NaiveDate>, status: &str, note: &str) -> String {
    let d = date.map(dates::uk).unwrap_or_else(|| "no date".into());
    format!("{d}{HISTORY_SEP}{status}{HISTORY_SEP}{note}")
}

/// Last month's characteristics as entries: each round's score and
/// commentary, the narrative, evidence and gaps. The merge uses them only
/// where no return gives the same characteristic in the same round.
pub fn baseline_entries(
    prev: &Committee,
    fw: &Framework,
    problems: &mut crate::problems::Problems,
) -> Vec<crate::records::Entry> {
    use crate::problems::{Kind, Location, Problem};
    use crate::records::{Entry, Source};
    let mut out = Vec::new();
    for c in &prev.characteristics {
        let Some(ch) = fw.find_code(&c.code) else {
            problems.push(
                Problem::new(
                    Kind::UnknownCode,
                    Location::cell(&prev.file, "Characteristics", c.row, 1),
                    format!("{} in last month's workbook is not a code in the framework ({}); it was not carried forward.", c.code, fw.name),
                )
                .column("Code")
                .found(c.code.clone())
                .hint("Use last month's workbook made with the same framework, or give --framework."),
            );
            continue;
        };
        let entry = |round: usize, row: u32| Entry {
            characteristic: ch,
            round,
            source: Source {
                file: prev.file.clone(),
                sheet: "Characteristics".into(),
                row,
            },
            officer: None,
            score: None,
            score_col: None,
            reason_col: None,
            gaps_col: None,
            score_unreadable: false,
            narrative: String::new(),
            evidence: String::new(),
            commentary: String::new(),
            gaps: String::new(),
            reason: String::new(),
            baseline: true,
        };
        // Narrative and evidence belong to the first round (the draft).
        let mut first = entry(0, c.row);
        first.narrative = c.narrative.clone();
        first.evidence = c.evidence.clone();
        out.push(first);
        let mut last: Option<Entry> = None;
        for (name, score, comment) in &c.rounds {
            let Some(r) = fw.find_round(name) else {
                continue;
            };
            if score.is_empty() && comment.is_empty() {
                continue;
            }
            let mut e = entry(r, c.row);
            e.score = fw.find_score(score);
            (e.commentary, e.reason) = split_reason(comment);
            if fold(&c.set_at) == fold(name) && !c.set_by.is_empty() {
                e.officer = Some(c.set_by.clone());
            }
            if let Some(l) = last.replace(e) {
                out.push(l);
            }
        }
        if let Some(mut l) = last {
            l.gaps = c.gaps.clone();
            out.push(l);
        }
    }
    out
}

/// The Characteristics sheet joins a round's commentary and reason as
/// "commentary\nReason: why"; this takes them apart again.
pub fn split_reason(note: &str) -> (String, String) {
    const MARK: &str = "Reason: ";
    if let Some(r) = note.strip_prefix(MARK) {
        return (String::new(), r.trim().to_string());
    }
    match note.rsplit_once(&format!("\n{MARK}")) {
        Some((c, r)) => (c.trim().to_string(), r.trim().to_string()),
        None => (note.trim().to_string(), String::new()),
    }
}

/// Last month's actions as updates: the latest, and each earlier one from
/// the "Earlier updates" column, so the history carries on month to month.
pub fn baseline_updates(prev: &Committee, fw: &Framework) -> Vec<crate::records::ActionUpdate> {
    use crate::records::{ActionUpdate, Source};
    let mut out = Vec::new();
    for a in &prev.actions {
        let base = ActionUpdate {
            id: a.id.clone(),
            id_col: 0,
            characteristic: fw.find_code(&a.code),
            source: Source {
                file: prev.file.clone(),
                sheet: "Action plan".into(),
                row: a.row,
            },
            gap: String::new(),
            action: String::new(),
            owner: String::new(),
            service_area: String::new(),
            target: None,
            status: None,
            progress: String::new(),
            updated: None,
            perf_ref: String::new(),
            baseline: true,
            updated_col: None,
            untouched: false,
            shown_before: None,
            date_doubtful: false,
        };
        for (date, status, note) in &a.history {
            out.push(ActionUpdate {
                status: fw.find_status(status),
                progress: note.clone(),
                updated: *date,
                ..base.clone()
            });
        }
        out.push(ActionUpdate {
            gap: a.gap.clone(),
            action: a.action.clone(),
            owner: a.owner.clone(),
            service_area: a.service_area.clone(),
            target: a.target.clone(),
            status: fw.find_status(&a.status),
            progress: a.progress.clone(),
            updated: a.updated,
            perf_ref: a.perf_ref.clone(),
            ..base
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_is_taken_back_out_of_the_commentary() {
        assert_eq!(
            split_reason("Good.\nReason: moderated"),
            ("Good.".into(), "moderated".into())
        );
        assert_eq!(split_reason("Reason: only"), (String::new(), "only".into()));
        assert_eq!(split_reason("Plain"), ("Plain".into(), String::new()));
    }

    #[test]
    fn history_round_trips() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 30);
        let line = history_line(d, "On track", "Draft plan agreed · with CLT");
        assert_eq!(
            parse_history(&line),
            vec![(
                d,
                "On track".to_string(),
                "Draft plan agreed · with CLT".to_string()
            )]
        );
    }
}
