//! What is known so far, for pre-filling templates (`--from`): the earlier
//! rounds' returns, read and merged exactly as `build` reads them, and the
//! last committee workbook this tool wrote (its Characteristics and Action
//! plan sheets). Returns override the committee workbook where both speak.

use std::path::PathBuf;

use calamine::Data;
use chrono::NaiveDate;

use crate::dates::{self, DateValue};
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::input::{Grid, InputFile, cells, discover, open_book};
use crate::problems::{Kind, Problems, Severity};
use crate::records::ReturnKind;
use crate::returns::columns::{self, Field, TableKind};

/// One round's contribution to one characteristic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownRound {
    pub score: Option<usize>,
    pub commentary: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownChar {
    pub narrative: String,
    pub evidence: String,
    pub gaps: String,
    /// Indexed by round.
    pub rounds: Vec<Option<KnownRound>>,
}

impl KnownChar {
    /// The score as it stood once `round` was done: the latest score given
    /// in that round or any earlier one (a blank later score keeps it).
    pub fn score_after(&self, fw: &Framework, round: usize) -> Option<usize> {
        (0..=round.min(self.rounds.len().saturating_sub(1)))
            .rev()
            .filter(|r| fw.rounds[*r].scored)
            .find_map(|r| self.rounds[r].as_ref().and_then(|e| e.score))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct KnownAction {
    pub id: String,
    pub characteristic: Option<usize>,
    pub gap: String,
    pub action: String,
    pub owner: String,
    pub service_area: String,
    pub target: Option<DateValue>,
    pub status: Option<usize>,
    pub progress: String,
    pub updated: Option<NaiveDate>,
    pub perf_ref: String,
}

impl KnownAction {
    /// Open: not yet at a closed status (an action without a status is open).
    pub fn is_open(&self, fw: &Framework) -> bool {
        !self.status.is_some_and(|s| fw.statuses[s].closed)
    }
}

/// Everything read from `--from`.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Indexed like `Framework::characteristics`.
    pub chars: Vec<KnownChar>,
    /// Sorted by action ID.
    pub actions: Vec<KnownAction>,
    /// Files read, as named in messages.
    pub files: Vec<String>,
    /// Files found but not read, with why.
    pub skipped: Vec<String>,
    /// Errors found while reading the returns (shown as a count: `build`
    /// gives the detail).
    pub errors: usize,
}

impl Known {
    pub fn empty(fw: &Framework) -> Known {
        Known {
            chars: vec![
                KnownChar {
                    rounds: vec![None; fw.rounds.len()],
                    ..KnownChar::default()
                };
                fw.characteristics.len()
            ],
            ..Known::default()
        }
    }

    /// Reads every workbook under `paths`: returns and committee workbooks.
    pub fn read(paths: &[PathBuf], fw: &Framework) -> Result<Known, Error> {
        let mut known = Known::empty(fw);
        if paths.is_empty() {
            return Ok(known);
        }
        let found = discover(paths, None)?;
        known.skipped = found
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.display, s.reason))
            .collect();
        let mut entries = Vec::new();
        let mut updates = Vec::new();
        let mut problems = Problems::default();
        let mut committees: Vec<&InputFile> = Vec::new();
        for f in &found.files {
            let r = crate::returns::read_file(f, fw);
            match r.info.kind {
                ReturnKind::Committee => committees.push(f),
                ReturnKind::Unreadable => {
                    known.skipped.push(format!(
                        "{}: {}",
                        f.display,
                        r.problems
                            .iter()
                            .next()
                            .map(|p| p.message.clone())
                            .unwrap_or_else(|| "not a return".into())
                    ));
                    continue;
                }
                _ => {
                    entries.extend(r.entries);
                    updates.extend(r.actions);
                    problems.extend(r.problems);
                }
            }
            known.files.push(f.display.clone());
        }
        // The committee workbooks first, the returns over them.
        for f in committees {
            if let Some(k) = read_committee(f, fw) {
                known.overlay(k);
            }
        }
        let assessment = crate::merge::merge(entries, fw, &mut problems);
        let plan = crate::plan::build(updates, &assessment, fw, None, None, &mut problems);
        let mut from_returns = Known::empty(fw);
        for (c, m) in assessment.characteristics.iter().enumerate() {
            let k = &mut from_returns.chars[c];
            k.narrative = m.narrative.clone();
            k.evidence = m.evidence.clone();
            k.gaps = m.gaps.clone();
            for (r, e) in m.rounds.iter().enumerate() {
                k.rounds[r] = e.as_ref().map(|e| KnownRound {
                    score: e.score,
                    commentary: e.commentary.clone(),
                    reason: e.reason.clone(),
                });
            }
        }
        from_returns.actions = plan
            .actions
            .into_iter()
            .map(|a| KnownAction {
                id: a.id,
                characteristic: a.characteristic,
                gap: a.gap,
                action: a.action,
                owner: a.owner,
                service_area: a.service_area,
                target: a.target,
                status: a.status,
                progress: a.progress,
                updated: a.updated,
                perf_ref: a.perf_ref,
            })
            .collect();
        known.overlay(from_returns);
        // Characteristics nobody has scored yet are expected while the rounds
        // are under way; they are not errors in what was read.
        known.errors = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .filter(|p| !matches!(p.kind, Kind::NotAssessed | Kind::NoActionForGap))
            .count();
        Ok(known)
    }

    /// Lays `other` over this: what it says wins, blanks never erase.
    pub fn overlay(&mut self, other: Known) {
        for (mine, theirs) in self.chars.iter_mut().zip(other.chars) {
            for (a, b) in [
                (&mut mine.narrative, theirs.narrative),
                (&mut mine.evidence, theirs.evidence),
                (&mut mine.gaps, theirs.gaps),
            ] {
                if !b.is_empty() {
                    *a = b;
                }
            }
            for (a, b) in mine.rounds.iter_mut().zip(theirs.rounds) {
                if b.is_some() {
                    *a = b;
                }
            }
        }
        for a in other.actions {
            match self.actions.iter_mut().find(|x| x.id == a.id) {
                Some(x) if x.updated <= a.updated || a.updated.is_none() => *x = a,
                Some(_) => {}
                None => self.actions.push(a),
            }
        }
        self.actions.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// Reads a committee workbook's Characteristics and Action plan sheets.
fn read_committee(f: &InputFile, fw: &Framework) -> Option<Known> {
    let bytes = std::fs::read(&f.path).ok()?;
    let ext = f
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let book = open_book(bytes, &ext).ok()?;
    let mut known = Known::empty(fw);
    for g in &book.sheets {
        if fold(&g.name) == "characteristics" {
            read_characteristics(g, fw, &mut known);
        } else if let Some(h) = columns::find_header(g, fw, None)
            && h.kind == TableKind::Actions
        {
            read_actions(g, &h, fw, &mut known);
        }
    }
    Some(known)
}

/// The committee's Characteristics sheet: Code, Position statement,
/// Evidence, each scored round's score and commentary ("<Round> round
/// score", "<Round> round commentary and reason", or separate "<Round>
/// score | commentary | reason" columns), and Gaps / areas to address.
fn read_characteristics(g: &Grid, fw: &Framework, known: &mut Known) {
    let Some((&head, heads)) = g
        .rows
        .iter()
        .take(10)
        .find(|(_, cs)| cs.iter().any(|(_, v)| fold(&cells::text(v)) == "code"))
    else {
        return;
    };
    let heads: Vec<(u16, String)> = heads
        .iter()
        .map(|(c, v)| (*c, fold(&cells::text(v))))
        .collect();
    let col = |want: &str| heads.iter().find(|(_, h)| h == want).map(|(c, _)| *c);
    let code = col("code");
    let narrative = col("positionstatement");
    let evidence = col("evidence");
    let gaps = col("gapsareastoaddress");
    let rounds: Vec<RoundCols> = fw
        .rounds
        .iter()
        .enumerate()
        .filter(|(_, r)| r.scored)
        .map(|(i, r)| {
            let n = fold(&r.name);
            let mut cols = RoundCols {
                round: i,
                ..RoundCols::default()
            };
            for (c, h) in &heads {
                let Some(rest) = h.strip_prefix(n.as_str()) else {
                    continue;
                };
                let rest = rest.strip_prefix("round").unwrap_or(rest);
                if rest == "score" {
                    cols.score = cols.score.or(Some(*c));
                } else if rest.starts_with("commentary") {
                    cols.commentary = cols.commentary.or(Some(*c));
                } else if rest == "reason" {
                    cols.reason = cols.reason.or(Some(*c));
                }
            }
            cols
        })
        .collect();
    let text = |row: u32, c: Option<u16>| -> String {
        c.and_then(|c| g.get(row, c))
            .map(cells::text)
            .unwrap_or_default()
    };
    for (&row, _) in g.rows.range(head + 1..) {
        let Some(ch) = fw.find_code(&text(row, code)) else {
            continue;
        };
        let k = &mut known.chars[ch];
        k.narrative = text(row, narrative);
        k.evidence = text(row, evidence);
        k.gaps = text(row, gaps);
        for rc in &rounds {
            let score = fw.find_score(&text(row, rc.score));
            let (mut commentary, mut reason) = split_reason(&text(row, rc.commentary));
            if rc.reason.is_some() {
                reason = text(row, rc.reason);
            }
            commentary = commentary.trim().to_string();
            if score.is_some() || !commentary.is_empty() || !reason.is_empty() {
                k.rounds[rc.round] = Some(KnownRound {
                    score,
                    commentary,
                    reason,
                });
            }
        }
    }
}

/// A round's columns on the committee's Characteristics sheet.
#[derive(Default)]
struct RoundCols {
    round: usize,
    score: Option<u16>,
    commentary: Option<u16>,
    reason: Option<u16>,
}

/// "Commentary\nReason: why" → ("Commentary", "why").
fn split_reason(note: &str) -> (String, String) {
    const MARK: &str = "Reason: ";
    if let Some(r) = note.strip_prefix(MARK) {
        return (String::new(), r.trim().to_string());
    }
    match note.rsplit_once(&format!("\n{MARK}")) {
        Some((c, r)) => (c.trim().to_string(), r.trim().to_string()),
        None => (note.to_string(), String::new()),
    }
}

/// The committee's Action plan sheet (the rows marking characteristics
/// with no action yet are left out).
fn read_actions(g: &Grid, h: &columns::Header, fw: &Framework, known: &mut Known) {
    let get = |row: u32, f: Field| -> Option<&Data> { h.col(f).and_then(|c| g.get(row, c)) };
    let text = |row: u32, f: Field| get(row, f).map(cells::text).unwrap_or_default();
    let date = |row: u32, f: Field| get(row, f).and_then(|d| dates::parse(d).ok().flatten());
    for (&row, _) in g.rows.range(h.row + 1..) {
        let id = text(row, Field::ActionId);
        if !id.chars().any(char::is_alphanumeric) {
            continue;
        }
        let status_text = text(row, Field::Status);
        let status = fw.find_status(&status_text);
        if status.is_none() && !status_text.is_empty() {
            // "No action": a characteristic waiting for one.
            continue;
        }
        known.actions.push(KnownAction {
            id: id
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase(),
            characteristic: fw.find_code(&text(row, Field::Code)),
            gap: text(row, Field::Gaps),
            action: text(row, Field::Action),
            owner: text(row, Field::Owner),
            service_area: text(row, Field::ServiceArea),
            target: date(row, Field::TargetDate),
            status,
            progress: text(row, Field::Progress),
            updated: date(row, Field::UpdateDate).map(|d| d.date),
            perf_ref: text(row, Field::PerfRef),
        });
    }
    known.actions.sort_by(|a, b| a.id.cmp(&b.id));
}
