//! Merges the rounds: for each characteristic, applies each round's score in
//! framework order, keeps the full trail of changes with who made them and
//! why, and reports conflicts, unexplained changes and characteristics left
//! unscored. The result does not depend on the order files were given in:
//! entries are sorted by round, then file, sheet and row.

use crate::framework::Framework;
use crate::problems::{ALL_RETURNS, Kind, Location, Problem, Problems, Subject};
use crate::records::{Entry, Source};

/// One round's contribution to one characteristic.
#[derive(Debug, Clone)]
pub struct RoundEntry {
    pub score: Option<usize>,
    pub commentary: String,
    pub reason: String,
    pub officer: Option<String>,
    pub source: Source,
    /// The score cell, A1.
    pub cell: String,
    /// Two returns gave different scores; neither was used.
    pub conflict: bool,
}

/// A score as it stands, with where it came from.
#[derive(Debug, Clone)]
pub struct Scored {
    pub level: usize,
    pub round: usize,
    pub officer: Option<String>,
    pub source: Source,
    pub cell: String,
}

#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub narrative: String,
    pub evidence: String,
    pub gaps: String,
    /// Indexed by round.
    pub rounds: Vec<Option<RoundEntry>>,
    pub result: Option<Scored>,
}

/// A score that changed between rounds.
#[derive(Debug, Clone)]
pub struct Change {
    pub characteristic: usize,
    pub from: usize,
    pub from_round: usize,
    pub to: usize,
    pub round: usize,
    pub officer: Option<String>,
    pub reason: String,
    pub source: Source,
    pub cell: String,
}

#[derive(Debug, Clone, Default)]
pub struct Assessment {
    /// Indexed like `Framework::characteristics`.
    pub characteristics: Vec<Merged>,
    pub trail: Vec<Change>,
}

impl Assessment {
    pub fn level(&self, characteristic: usize) -> Option<usize> {
        self.characteristics[characteristic]
            .result
            .as_ref()
            .map(|s| s.level)
    }
}

fn cell_of(e: &Entry, col: Option<&(u16, String)>) -> (Location, String) {
    let col = col.map(|c| c.0).unwrap_or(0);
    let loc = Location::cell(&e.source.file, &e.source.sheet, e.source.row, col);
    let a1 = rust_xlsxwriter::utility::row_col_to_cell(e.source.row, col);
    (loc, a1)
}

fn heading(col: Option<&(u16, String)>, default: &str) -> String {
    col.map(|c| c.1.clone())
        .unwrap_or_else(|| default.to_string())
}

pub fn merge(mut entries: Vec<Entry>, fw: &Framework, problems: &mut Problems) -> Assessment {
    entries.sort_by(|a, b| (a.round, &a.source).cmp(&(b.round, &b.source)));
    let n = fw.characteristics.len();
    let mut out = Assessment {
        characteristics: vec![
            Merged {
                rounds: vec![None; fw.rounds.len()],
                ..Merged::default()
            };
            n
        ],
        trail: Vec::new(),
    };

    // One entry per round and characteristic; duplicates are checked.
    let mut firsts: Vec<Vec<Option<&Entry>>> = vec![vec![None; fw.rounds.len()]; n];
    for e in &entries {
        let slot = &mut firsts[e.characteristic][e.round];
        let m = &mut out.characteristics[e.characteristic];
        // Last month's values stand only where no return gives one.
        let taken_by_baseline = slot.is_some_and(|f| f.baseline);
        if slot.is_some() && e.baseline {
            continue;
        }
        if taken_by_baseline {
            *slot = None;
        }
        let Some(first) = *slot else {
            *slot = Some(e);
            let (_, cell) = cell_of(e, e.score_col.as_ref());
            m.rounds[e.round] = Some(RoundEntry {
                score: e.score,
                commentary: e.commentary.clone(),
                reason: e.reason.clone(),
                officer: e.officer.clone(),
                source: e.source.clone(),
                cell,
                conflict: false,
            });
            continue;
        };
        let code = &fw.characteristics[e.characteristic].code;
        let round = &fw.rounds[e.round].name;
        let (loc, _) = cell_of(e, e.score_col.as_ref());
        let (_, first_cell) = cell_of(first, first.score_col.as_ref());
        let where_first = format!(
            "{} › {} › {}",
            first.source.file, first.source.sheet, first_cell
        );
        let taken = m.rounds[e.round].as_ref().and_then(|r| r.score);
        match (taken, e.score) {
            (Some(a), Some(b)) if a != b => {
                problems.push(
                    Problem::new(
                        Kind::DuplicateCodeConflict,
                        loc,
                        format!(
                            "{code} is scored {} here but {} in {where_first} (both {round} round); neither score was used.",
                            fw.scale[b].label, fw.scale[a].label
                        ),
                    )
                    .column(&heading(e.score_col.as_ref(), "Score"))
                    .found(fw.scale[b].label.clone())
                    .hint("Agree one score, keep it in one return and delete the other row.")
                    .about(Subject::Characteristic(e.characteristic)),
                );
                if let Some(r) = m.rounds[e.round].as_mut() {
                    r.conflict = true;
                    r.score = None;
                }
            }
            _ if m.rounds[e.round].as_ref().is_some_and(|r| r.conflict) => {}
            (None, Some(b)) => {
                // The first had no score; this one does. Use it, but say so.
                problems.push(
                    Problem::new(
                        Kind::DuplicateCode,
                        loc,
                        format!("{code} appears twice in the {round} round (also {where_first}); this score was used."),
                    )
                    .found(fw.scale[b].label.clone())
                    .hint("Keep the characteristic in one return only.")
                    .about(Subject::Characteristic(e.characteristic)),
                );
                if let Some(r) = m.rounds[e.round].as_mut() {
                    r.score = Some(b);
                    r.source = e.source.clone();
                    r.officer = e.officer.clone();
                    r.cell = cell_of(e, e.score_col.as_ref()).1;
                }
            }
            _ => problems.push(
                Problem::new(
                    Kind::DuplicateCode,
                    loc,
                    format!("{code} appears twice in the {round} round (also {where_first}) with the same score; the first was used."),
                )
                .found(e.score.map(|l| fw.scale[l].label.clone()).unwrap_or_default())
                .hint("Keep the characteristic in one return only.")
                    .about(Subject::Characteristic(e.characteristic)),
            ),
        }
        // Text from a duplicate row is kept when the first row had none.
        if let Some(r) = m.rounds[e.round].as_mut() {
            if r.commentary.is_empty() {
                r.commentary = e.commentary.clone();
            }
            if r.reason.is_empty() {
                r.reason = e.reason.clone();
            }
        }
    }

    // Apply the rounds in order.
    for (c, m) in out.characteristics.iter_mut().enumerate() {
        let code = &fw.characteristics[c].code;
        for (r, round) in fw.rounds.iter().enumerate() {
            let Some(e) = firsts[c][r] else { continue };
            let entry = m.rounds[r].clone();
            if !e.narrative.is_empty() {
                m.narrative = e.narrative.clone();
            }
            if !e.evidence.is_empty() {
                m.evidence = e.evidence.clone();
            }
            if !e.gaps.is_empty() {
                m.gaps = e.gaps.clone();
            }
            if !round.scored {
                continue;
            }
            let Some(entry) = entry else { continue };
            match entry.score {
                Some(level) => {
                    if let Some(prev) = &m.result
                        && prev.level != level
                    {
                        let reason = if entry.reason.is_empty() {
                            entry.commentary.clone()
                        } else {
                            entry.reason.clone()
                        };
                        if round.change_needs_reason && reason.is_empty() {
                            let (loc, _) =
                                cell_of(e, e.reason_col.as_ref().or(e.score_col.as_ref()));
                            let mut p = Problem::new(
                                Kind::MissingReasonForChange,
                                loc,
                                format!(
                                    "{code} was changed from {} ({}) to {} at {} without a reason.",
                                    fw.scale[prev.level].label,
                                    fw.rounds[prev.round].name,
                                    fw.scale[level].label,
                                    round.name
                                ),
                            )
                            .column(&heading(e.reason_col.as_ref(), "Reason"))
                            .hint("Say why the score was changed in the reason column; committees ask.")
                            .about(Subject::Characteristic(c));
                            p.found = None;
                            problems.push(p);
                        }
                        out.trail.push(Change {
                            characteristic: c,
                            from: prev.level,
                            from_round: prev.round,
                            to: level,
                            round: r,
                            officer: entry.officer.clone(),
                            reason,
                            source: entry.source.clone(),
                            cell: entry.cell.clone(),
                        });
                    }
                    m.result = Some(Scored {
                        level,
                        round: r,
                        officer: entry.officer.clone(),
                        source: entry.source.clone(),
                        cell: entry.cell.clone(),
                    });
                }
                None if entry.conflict || e.score_unreadable || round.blank_keeps_previous => {}
                None if e.score_col.is_none() || e.baseline => {}
                None => {
                    let (loc, _) = cell_of(e, e.score_col.as_ref());
                    problems.push(
                        Problem::new(
                            Kind::MissingScore,
                            loc,
                            format!("{code} has no score in this {} return.", round.name),
                        )
                        .column(&heading(e.score_col.as_ref(), "Score"))
                        .hint(format!("Choose a score: {}.", fw.scale_list()))
                        .about(Subject::Characteristic(c)),
                    );
                }
            }
        }
        if m.result.is_none() {
            problems.push(
                Problem::new(
                    Kind::NotAssessed,
                    Location::file(ALL_RETURNS),
                    format!("{code} has no score from any round, so it is shown as Not assessed."),
                )
                .found(code.clone())
                .hint(format!(
                    "Check that the {} return for {} includes {code} with a score.",
                    fw.rounds
                        .iter()
                        .find(|r| r.scored)
                        .map(|r| r.name.as_str())
                        .unwrap_or("first"),
                    fw.themes[fw.characteristics[c].theme].name
                ))
                .about(Subject::Characteristic(c)),
            );
        }
    }
    out.trail.sort_by_key(|c| (c.round, c.characteristic));
    out
}
