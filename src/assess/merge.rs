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

/// What one row gives a round.
fn round_entry(e: &Entry, conflict: bool) -> RoundEntry {
    RoundEntry {
        score: if conflict { None } else { e.score },
        commentary: e.commentary.clone(),
        reason: e.reason.clone(),
        officer: e.officer.clone(),
        source: e.source.clone(),
        cell: cell_of(e, e.score_col.as_ref()).1,
        conflict,
    }
}

/// `file › sheet › cell` of a row's score.
fn place(e: &Entry) -> String {
    let (_, cell) = cell_of(e, e.score_col.as_ref());
    format!("{} › {} › {cell}", e.source.file, e.source.sheet)
}

/// Joins "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One characteristic given more than once in one round (rows in order of
/// file, sheet and row). Different scores are a conflict: every row that
/// gives a score is told, naming the others, and no score is used. The same
/// score (or one score and blanks) is used, and every row is told to keep
/// the characteristic in one return. Returns the row the round's text comes
/// from and what the round gives.
fn same_code_twice<'a>(
    group: &[&'a Entry],
    fw: &Framework,
    problems: &mut Problems,
) -> (&'a Entry, RoundEntry) {
    let first = group[0];
    let c = first.characteristic;
    let code = &fw.characteristics[c].code;
    let round = &fw.rounds[first.round].name;
    let label = |l: Option<usize>| l.map(|l| fw.scale[l].label.clone()).unwrap_or_default();
    let mut scores: Vec<usize> = Vec::new();
    for l in group.iter().filter_map(|e| e.score) {
        if !scores.contains(&l) {
            scores.push(l);
        }
    }
    let others = |e: &Entry, among: &[&Entry], with_score: bool| -> Vec<String> {
        among
            .iter()
            .filter(|o| !std::ptr::eq(**o, e))
            .map(|o| match with_score {
                true => format!("{} in {}", label(o.score), place(o)),
                false => place(o),
            })
            .collect()
    };
    let duplicate = |e: &Entry, among: &[&Entry], tail: &str| {
        let times = match among.len() {
            2 => "twice".to_string(),
            n => format!("{n} times"),
        };
        let (loc, _) = cell_of(e, e.score_col.as_ref());
        Problem::new(
            Kind::DuplicateCode,
            loc,
            format!(
                "{code} appears {times} in the {round} round (also {}){tail}.",
                and_list(&others(e, among, false))
            ),
        )
        .found(label(e.score))
        .hint("Keep the characteristic in one return only.")
        .about(Subject::Characteristic(c))
    };
    let conflict = scores.len() > 1;
    let chosen = match conflict {
        true => first,
        false => group
            .iter()
            .copied()
            .find(|e| e.score.is_some())
            .unwrap_or(first),
    };
    let scored: Vec<&Entry> = group
        .iter()
        .copied()
        .filter(|e| e.score.is_some())
        .collect();
    // A row that gives nothing (a template's row left blank) is no second
    // opinion: only rows that say something are told about each other.
    let says = |e: &Entry| {
        e.score.is_some()
            || e.score_unreadable
            || [&e.commentary, &e.reason, &e.gaps, &e.narrative, &e.evidence]
                .iter()
                .any(|t| !t.is_empty())
    };
    let speaking: Vec<&Entry> = group.iter().copied().filter(|e| says(e)).collect();
    let told: &[&Entry] = if speaking.len() > 1 { &speaking } else { &[] };
    for e in told.iter().copied() {
        let p = if conflict && e.score.is_some() {
            let (both, none, comma) = match scored.len() {
                2 => ("both", "neither score was used", ""),
                _ => ("all", "none of these scores was used", ","),
            };
            let (loc, _) = cell_of(e, e.score_col.as_ref());
            Problem::new(
                Kind::DuplicateCodeConflict,
                loc,
                format!(
                    "{code} is scored {} here{comma} but {} ({both} {round} round); {none}.",
                    label(e.score),
                    and_list(&others(e, &scored, true))
                ),
            )
            .column(&heading(e.score_col.as_ref(), "Score"))
            .found(label(e.score))
            .hint("Agree one score, keep it in one return and delete the other rows.")
            .about(Subject::Characteristic(c))
        } else if conflict {
            duplicate(
                e,
                told,
                "; this row has no score, and the scores given differ",
            )
        } else if std::ptr::eq(e, chosen) {
            match (e.score, scored.len()) {
                (None, _) => duplicate(e, told, "; none of them has a score"),
                (Some(_), 1) => duplicate(e, told, "; this score was used"),
                (Some(_), _) => duplicate(e, told, " with the same score; this one was used"),
            }
        } else if e.score.is_some() {
            duplicate(e, told, " with the same score; the first was used")
        } else if chosen.score.is_some() {
            duplicate(e, told, "; this row has no score, so the other's was used")
        } else {
            duplicate(e, told, "; none of them has a score")
        };
        problems.push(p);
    }
    // Text from another row is kept when the row used has none.
    let mut entry = round_entry(chosen, conflict);
    for e in group {
        if entry.commentary.is_empty() {
            entry.commentary = e.commentary.clone();
        }
        if entry.reason.is_empty() {
            entry.reason = e.reason.clone();
        }
    }
    (chosen, entry)
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

    // Each round's rows for each characteristic. Last month's values stand
    // only where no return gives one.
    let rounds = fw.rounds.len();
    let mut groups: Vec<Vec<Vec<&Entry>>> = vec![vec![Vec::new(); rounds]; n];
    for e in &entries {
        groups[e.characteristic][e.round].push(e);
    }
    let mut firsts: Vec<Vec<Option<&Entry>>> = vec![vec![None; rounds]; n];
    for (c, by_round) in groups.iter_mut().enumerate() {
        for (r, group) in by_round.iter_mut().enumerate() {
            if group.iter().any(|e| !e.baseline) {
                group.retain(|e| !e.baseline);
            } else {
                group.truncate(1);
            }
            let (chosen, entry) = match group.len() {
                0 => continue,
                1 => (group[0], round_entry(group[0], false)),
                _ => same_code_twice(group, fw, problems),
            };
            firsts[c][r] = Some(chosen);
            out.characteristics[c].rounds[r] = Some(entry);
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
                    // The template asks for the gap beside a score that
                    // needs an action: without it there is nothing to plan.
                    if fw.scale[level].needs_action && m.gaps.is_empty() && !e.baseline {
                        let col = e.gaps_col.as_ref().or(e.score_col.as_ref());
                        let (loc, _) = cell_of(e, col);
                        let mut p = Problem::new(
                            Kind::MissingGap,
                            loc,
                            format!(
                                "{code} is scored {} but no gap is given, so its action has nothing to address.",
                                fw.scale[level].label
                            ),
                        )
                        .column(&heading(e.gaps_col.as_ref(), "Gaps / areas to address"))
                        .hint(format!(
                            "Write what is missing (the gap the action should close) in \"Gaps / areas to address\": every {} score needs an action.",
                            fw.scale[level].label
                        ))
                        .about(Subject::Characteristic(c));
                        p.found = None;
                        problems.push(p);
                    }
                    if let Some(prev) = &m.result
                        && prev.level != level
                    {
                        // Only the Reason column: commentary never stands in.
                        let reason = entry.reason.clone();
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
                            .hint("Say why the score was changed in the Reason column (the commentary does not count as the reason); committees ask.")
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
                None if entry.conflict || round.blank_keeps_previous => {}
                // No row of the round gives a score: each return that has
                // the characteristic without one is told.
                None => {
                    for g in groups[c][r]
                        .iter()
                        .filter(|g| !g.score_unreadable && g.score_col.is_some() && !g.baseline)
                    {
                        let (loc, _) = cell_of(g, g.score_col.as_ref());
                        problems.push(
                            Problem::new(
                                Kind::MissingScore,
                                loc,
                                format!("{code} has no score in this {} return.", round.name),
                            )
                            .column(&heading(g.score_col.as_ref(), "Score"))
                            .hint(format!("Choose a score: {}.", fw.scale_list()))
                            .about(Subject::Characteristic(c)),
                        );
                    }
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
