//! What is owed, and by whom: returns missing for a round and theme,
//! returns with errors to correct, files that could not be read, and
//! service areas whose action updates are out of date. For a missing return
//! the officer is worked out where the run or last month's workbook shows
//! it, and the list says how it knows.

use crate::assess::Outcome;
use crate::framework::fold;
use crate::records::ReturnKind;

use super::Chase;

/// Action updates older than this, at the "as at" date, are chased.
const STALE_DAYS: i64 = 31;

/// Rounds under way: each theme needs a return in each such round.
pub(super) fn missing_returns(o: &Outcome) -> Vec<Chase> {
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
        if returns.iter().any(|r| r.themes.is_empty()) {
            continue;
        }
        for (t, theme) in fw.themes.iter().enumerate() {
            if returns.iter().any(|r| r.themes.contains(&t)) {
                continue;
            }
            let name = &fw.rounds[round].name;
            let mut detail = format!("No {name} return covers {}.", theme.name);
            let officer = match owed_by(o, round, t) {
                Some((who, how)) => {
                    detail.push(' ');
                    detail.push_str(&how);
                    who
                }
                None => String::new(),
            };
            out.push(Chase {
                officer,
                owes: "Return not received".into(),
                about: format!("{name} round: {}", theme.name),
                file: String::new(),
                errors: 0,
                warnings: 0,
                detail,
            });
        }
    }
    out
}

/// Who owes the `round` return for theme `t`, and how that is known:
/// last month's committee workbook names who set that round's scores for
/// the theme; failing that, one officer sent every other return of the
/// round, covering two themes or more (a round one officer does for all
/// themes, such as a draft; one return is too little to tell).
fn owed_by(o: &Outcome, round: usize, t: usize) -> Option<(String, String)> {
    let fw = &o.framework;
    let name = &fw.rounds[round].name;
    if let Some(prev) = &o.previous {
        let mut names: Vec<&str> = prev
            .characteristics
            .iter()
            .filter(|c| fold(&c.set_at) == fold(name) && !c.set_by.trim().is_empty())
            .filter(|c| {
                fw.find_code(&c.code)
                    .is_some_and(|i| fw.characteristics[i].theme == t)
            })
            .map(|c| c.set_by.trim())
            .collect();
        names.sort_unstable();
        if let Some(who) = most_common(&names) {
            return Some((
                who.to_string(),
                format!(
                    "{who} gave the {name} scores for {} in {}.",
                    fw.themes[t].name, prev.file
                ),
            ));
        }
    }
    let others: Vec<_> = o
        .returns
        .iter()
        .filter(|r| r.kind == ReturnKind::Assessment && r.round == Some(round))
        .collect();
    let mut themes: Vec<usize> = others.iter().flat_map(|r| r.themes.clone()).collect();
    themes.sort_unstable();
    themes.dedup();
    let mut officers: Vec<&str> = others
        .iter()
        .map(|r| r.officer.as_deref().unwrap_or("").trim())
        .collect();
    officers.sort_unstable();
    officers.dedup_by(|a, b| fold(a) == fold(b));
    match officers.as_slice() {
        [one] if !one.is_empty() && themes.len() >= 2 => Some((
            one.to_string(),
            format!("{one} sent every other {name} return."),
        )),
        _ => None,
    }
}

/// The name that appears most often in a sorted list (the first of equals).
fn most_common<'a>(sorted: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for run in sorted.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(_, n)| run.len() > n) {
            best = Some((run[0], run.len()));
        }
    }
    best.map(|(s, _)| s)
}

/// Returns with errors, and files that could not be read.
pub(super) fn returns_with_errors(o: &Outcome) -> Vec<Chase> {
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
pub(super) fn stale_updates(o: &Outcome) -> Vec<Chase> {
    let fw = &o.framework;
    let mut out = Vec::new();
    let Some(as_at) = o.as_at else {
        return out;
    };
    let mut stale: Vec<_> = o
        .plan
        .actions
        .iter()
        .filter(|a| !a.status.is_some_and(|s| fw.statuses[s].closed))
        .filter_map(|a| a.updated.map(|u| (a, u)))
        .filter(|(_, u)| (as_at - *u).num_days() > STALE_DAYS)
        .collect();
    stale.sort_by(|(a, u), (b, v)| (&a.service_area, u, &a.id).cmp(&(&b.service_area, v, &b.id)));
    for (a, updated) in stale {
        out.push(Chase {
            officer: a.owner.clone(),
            owes: "An action update".into(),
            about: format!("Action plan: {}", a.service_area),
            file: String::new(),
            errors: 0,
            warnings: 0,
            detail: format!(
                "{} was last updated on {}.",
                a.id,
                crate::dates::uk(updated)
            ),
        });
    }
    out
}
