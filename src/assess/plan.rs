//! The action plan: every action's latest update, matched by action ID, with
//! earlier updates kept as history, overdue worked out against the "as at"
//! date, what changed since last month's plan, and the characteristics that
//! need an action but have none.

use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::assess::merge::Assessment;
use crate::committee::read::{Committee, PrevAction};
use crate::dates::DateValue;
use crate::framework::Framework;
use crate::problems::{ALL_RETURNS, Kind, Location, Problem, Problems, Subject};
use crate::records::ActionUpdate;

/// What happened to an action since last month's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    New,
    Completed,
    NewlyOverdue,
    /// The status changed; it was this.
    StatusChanged(String),
    /// In last month's plan and not updated in this month's returns.
    NoUpdate,
    /// Closed in an earlier month and not updated since: nothing is due.
    CompletedEarlier,
    Unchanged,
    /// An update for an ID last month's plan does not have.
    UnknownId,
}

impl Since {
    pub fn label(&self) -> String {
        match self {
            Since::New => "New".into(),
            Since::Completed => "Completed".into(),
            Since::NewlyOverdue => "Newly overdue".into(),
            Since::StatusChanged(was) => format!("Status changed (was {was})"),
            Since::NoUpdate => "No update this month".into(),
            Since::CompletedEarlier => "Completed earlier".into(),
            Since::Unchanged => String::new(),
            Since::UnknownId => "Not in last month's plan".into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Action {
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
    pub overdue: bool,
    /// Earlier updates, oldest first: date, status, progress note.
    pub history: Vec<(Option<NaiveDate>, String, String)>,
    /// What changed since last month, when last month's plan was given.
    pub since: Option<Since>,
}

impl Action {
    /// Open: not yet at a closed status (an action without a status is open).
    pub fn is_open(&self, fw: &Framework) -> bool {
        !self.status.is_some_and(|s| fw.statuses[s].closed)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ActionPlan {
    pub actions: Vec<Action>,
    /// Characteristics whose final score needs an action and that have none.
    pub uncovered: Vec<usize>,
}

impl ActionPlan {
    pub fn count(&self, since: &Since) -> usize {
        self.actions
            .iter()
            .filter(|a| a.since.as_ref() == Some(since))
            .count()
    }

    pub fn status_changes(&self) -> usize {
        self.actions
            .iter()
            .filter(|a| matches!(a.since, Some(Since::StatusChanged(_))))
            .count()
    }
}

fn later(a: &mut String, b: &str) {
    if !b.is_empty() {
        *a = b.to_string();
    }
}

fn loc(u: &ActionUpdate) -> Location {
    Location::cell(&u.source.file, &u.source.sheet, u.source.row, u.id_col)
}

/// Consolidates every update (the returns' and last month's) into the
/// action plan: one action per ID, its latest update, its history, whether
/// it is overdue at `as_at`, and the characteristics still without one.
pub fn consolidate(
    updates: Vec<ActionUpdate>,
    assessment: &Assessment,
    fw: &Framework,
    as_at: Option<NaiveDate>,
    previous: Option<&Committee>,
    problems: &mut Problems,
) -> ActionPlan {
    let mut by_id: IndexMap<String, Vec<ActionUpdate>> = IndexMap::new();
    for u in updates {
        by_id.entry(u.id.clone()).or_default().push(u);
    }
    by_id.sort_keys();
    let mut actions = Vec::new();
    for (id, mut ups) in by_id {
        let before =
            previous.and_then(|p| p.actions.iter().find(|a| a.id.eq_ignore_ascii_case(&id)));
        not_updates(&mut ups, before, fw);
        // Oldest first; on the same date last month's copy comes before a
        // return's update, which replaces it (a rerun of the same month).
        // A return's update with no date is this month's: after the rest.
        let when = |u: &ActionUpdate| match (u.updated, u.baseline) {
            (Some(d), _) => d,
            (None, true) => NaiveDate::MIN,
            (None, false) => NaiveDate::MAX,
        };
        ups.sort_by(|a, b| {
            (when(a), !a.baseline, &a.source).cmp(&(when(b), !b.baseline, &b.source))
        });
        ups.dedup_by(|later, earlier| {
            earlier.baseline && !later.baseline && earlier.updated == later.updated
        });
        if gap_left_blank(&ups, assessment, fw) {
            continue;
        }
        check_updates(&id, &ups, fw, problems);

        let mut a = Action {
            id: id.clone(),
            ..Action::default()
        };
        for (i, u) in ups.iter().enumerate() {
            a.characteristic = u.characteristic.or(a.characteristic);
            later(&mut a.gap, &u.gap);
            later(&mut a.action, &u.action);
            later(&mut a.owner, &u.owner);
            later(&mut a.service_area, &u.service_area);
            later(&mut a.progress, &u.progress);
            later(&mut a.perf_ref, &u.perf_ref);
            a.target = u.target.clone().or(a.target.take());
            a.status = u.status.or(a.status);
            a.updated = u.updated.or(a.updated);
            if i + 1 < ups.len() {
                let status = u
                    .status
                    .map(|s| fw.statuses[s].label.clone())
                    .unwrap_or_default();
                a.history.push((u.updated, status, u.progress.clone()));
            }
        }
        let closed = a.status.is_some_and(|s| fw.statuses[s].closed);
        a.overdue = match (&a.target, as_at) {
            (Some(t), Some(d)) => !closed && t.date < d,
            _ => false,
        };
        if let Some(prev) = previous {
            a.since = Some(since(&a, &ups, prev, fw, closed, problems));
        }
        actions.push(a);
    }

    let mut uncovered = Vec::new();
    for (c, ch) in fw.characteristics.iter().enumerate() {
        let Some(level) = assessment.level(c) else {
            continue;
        };
        if !fw.scale[level].needs_action || actions.iter().any(|a| a.characteristic == Some(c)) {
            continue;
        }
        uncovered.push(c);
        problems.push(
            Problem::new(
                Kind::NoActionForGap,
                Location::file(ALL_RETURNS),
                format!("{} is {} but has no action in the action plan.", ch.code, fw.scale[level].label),
            )
            .found(ch.code.clone())
            .hint("Agree an action with the responsible service area and add it to their action-plan return.")
            .about(Subject::Characteristic(c)),
        );
    }
    ActionPlan { actions, uncovered }
}

/// Whether an action's rows are only what a template fills in when it asks
/// for an action for a characteristic that has none (a new ID, the code and
/// the gap) and the characteristic still needs one: then they are no action
/// yet, and the characteristic is reported as still needing one.
fn gap_left_blank(ups: &[ActionUpdate], assessment: &Assessment, fw: &Framework) -> bool {
    let empty = |u: &ActionUpdate| {
        !u.baseline
            && u.action.is_empty()
            && u.owner.is_empty()
            && u.target.is_none()
            && u.status.is_none()
            && u.progress.is_empty()
            && u.updated.is_none()
            && u.perf_ref.is_empty()
    };
    let needs = |c: usize| {
        assessment
            .level(c)
            .is_some_and(|l| fw.scale[l].needs_action)
    };
    ups.iter().all(empty) && ups.iter().all(|u| u.characteristic.is_some_and(needs))
}

/// Rows of a pre-filled return the officer did not touch (no Date of
/// update, no progress note) are not updates. With last month's plan, such
/// a row that also changes nothing else is dropped: the action shows "No
/// update this month". Without it, they are dropped when another return
/// updates the action; otherwise the first stands for the action as last
/// shown, with the update the return showed beside it.
fn not_updates(ups: &mut Vec<ActionUpdate>, before: Option<&PrevAction>, fw: &Framework) {
    if let Some(p) = before {
        ups.retain(|u| u.baseline || !u.untouched || changes(u, p, fw));
        return;
    }
    if ups.iter().any(|u| !u.untouched) {
        ups.retain(|u| !u.untouched);
        return;
    }
    ups.sort_by(|a, b| a.source.cmp(&b.source));
    ups.truncate(1);
    for u in ups.iter_mut() {
        if let Some((date, note)) = &u.shown_before {
            u.updated = *date;
            u.progress = note.clone();
        }
    }
}

/// Whether a row says anything last month's plan did not: a blank cell
/// says nothing.
fn changes(u: &ActionUpdate, p: &PrevAction, fw: &Framework) -> bool {
    use crate::framework::fold;
    let text = |mine: &str, theirs: &str| !mine.is_empty() && fold(mine) != fold(theirs);
    u.status
        .is_some_and(|s| Some(s) != fw.find_status(&p.status))
        || u.characteristic
            .is_some_and(|c| Some(c) != fw.find_code(&p.code))
        || u.target
            .as_ref()
            .is_some_and(|t| Some(t.date) != p.target.as_ref().map(|d| d.date))
        || text(&u.gap, &p.gap)
        || text(&u.action, &p.action)
        || text(&u.owner, &p.owner)
        || text(&u.perf_ref, &p.perf_ref)
}

/// Duplicate updates and changed codes among one action's updates.
fn check_updates(id: &str, ups: &[ActionUpdate], fw: &Framework, problems: &mut Problems) {
    for pair in ups.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.updated == b.updated && !a.baseline && !b.baseline {
            problems.push(
                Problem::new(
                    Kind::DuplicateActionId,
                    loc(b),
                    format!(
                        "{id} is updated twice with the same date (also {} › {} › row {}); the later row was used.",
                        a.source.file,
                        a.source.sheet,
                        a.source.row + 1
                    ),
                )
                .found(id)
                .hint("Keep one update per action per month, or correct the action ID.")
                .about(Subject::Action(id.to_string())),
            );
        }
        if let (Some(x), Some(y)) = (a.characteristic, b.characteristic)
            && x != y
        {
            problems.push(
                Problem::new(
                    Kind::ActionCodeChanged,
                    loc(b),
                    format!(
                        "{id} was for {} but this update gives {}; the latest code was used.",
                        fw.characteristics[x].code, fw.characteristics[y].code
                    ),
                )
                .found(fw.characteristics[y].code.clone())
                .hint("Check the code: an action keeps its characteristic. Raise a new action for a different one.")
                .about(Subject::Action(id.to_string())),
            );
        }
    }
}

/// Whether an action is one of last month's under another ID: the same
/// code, gap and action (case, spacing and punctuation aside).
fn same_action(a: &Action, p: &PrevAction, fw: &Framework) -> bool {
    use crate::framework::fold;
    !fold(&a.action).is_empty()
        && fold(&a.action) == fold(&p.action)
        && fold(&a.gap) == fold(&p.gap)
        && a.characteristic == fw.find_code(&p.code)
}

/// What changed for one action against last month's plan.
fn since(
    a: &Action,
    ups: &[ActionUpdate],
    prev: &Committee,
    fw: &Framework,
    closed: bool,
    problems: &mut Problems,
) -> Since {
    let fresh: Vec<&ActionUpdate> = ups.iter().filter(|u| !u.baseline).collect();
    let Some(p) = prev
        .actions
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(&a.id))
    else {
        // A new ID for an action that already exists is most likely a
        // mistyped ID (BV-27 for BV-027): say which, rather than raise a
        // second copy of the action.
        if let Some(same) = prev.actions.iter().find(|p| same_action(a, p, fw))
            && let Some(u) = fresh.first()
        {
            problems.push(
                Problem::new(
                    Kind::UnknownActionId,
                    loc(u),
                    format!(
                        "{} is not in last month's action plan ({}), but its code, gap and action are those of {}: did you mean {}?",
                        a.id, prev.file, same.id, same.id
                    ),
                )
                .found(a.id.clone())
                .hint(format!(
                    "Correct the action ID to {} if this is its update; a new action needs its own ID (ask the performance office) and its own gap or action.",
                    same.id
                ))
                .about(Subject::Action(a.id.clone())),
            );
            return Since::UnknownId;
        }
        if a.action.is_empty() {
            if let Some(u) = fresh.first() {
                problems.push(
                    Problem::new(
                        Kind::UnknownActionId,
                        loc(u),
                        format!(
                            "{} is not in last month's action plan ({}), and this row gives no action to create.",
                            a.id, prev.file
                        ),
                    )
                    .found(a.id.clone())
                    .hint("Check the ID against last month's action plan; for a new action, fill in its code, gap and action too.")
                    .about(Subject::Action(a.id.clone())),
                );
            }
            return Since::UnknownId;
        }
        return Since::New;
    };
    let was_closed = fw
        .find_status(&p.status)
        .is_some_and(|s| fw.statuses[s].closed);
    let now = a
        .status
        .map(|s| fw.statuses[s].label.as_str())
        .unwrap_or("");
    if closed && !was_closed {
        Since::Completed
    } else if closed && fresh.is_empty() {
        Since::CompletedEarlier
    } else if a.overdue && !p.overdue {
        Since::NewlyOverdue
    } else if fresh.is_empty() {
        Since::NoUpdate
    } else if crate::framework::fold(now) != crate::framework::fold(&p.status) {
        Since::StatusChanged(if p.status.is_empty() {
            "blank".into()
        } else {
            p.status.clone()
        })
    } else {
        Since::Unchanged
    }
}
