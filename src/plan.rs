//! The action plan: every action's latest update, matched by action ID, with
//! earlier updates kept as history, overdue worked out against the "as at"
//! date, and the characteristics that need an action but have none.

use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::dates::DateValue;
use crate::framework::Framework;
use crate::merge::{ALL_RETURNS, Assessment};
use crate::problems::{Kind, Location, Problem, Problems, Subject};
use crate::records::ActionUpdate;

#[derive(Debug, Clone)]
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
    /// Every update read for this action, oldest first (the last is current).
    pub updates: Vec<ActionUpdate>,
}

#[derive(Debug, Clone, Default)]
pub struct ActionPlan {
    pub actions: Vec<Action>,
    /// Characteristics whose final score needs an action and that have none.
    pub uncovered: Vec<usize>,
}

fn later(a: &mut String, b: &str) {
    if !b.is_empty() {
        *a = b.to_string();
    }
}

pub fn build(
    updates: Vec<ActionUpdate>,
    assessment: &Assessment,
    fw: &Framework,
    as_at: Option<NaiveDate>,
    problems: &mut Problems,
) -> ActionPlan {
    let mut by_id: IndexMap<String, Vec<ActionUpdate>> = IndexMap::new();
    for u in updates {
        by_id.entry(u.id.clone()).or_default().push(u);
    }
    by_id.sort_keys();
    let mut actions = Vec::new();
    for (id, mut ups) in by_id {
        ups.sort_by(|a, b| (a.updated, &a.source).cmp(&(b.updated, &b.source)));
        for pair in ups.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let loc = Location::cell(&b.source.file, &b.source.sheet, b.source.row, 0);
            if a.updated == b.updated {
                problems.push(
                    Problem::new(
                        Kind::DuplicateActionId,
                        loc.clone(),
                        format!(
                            "{id} is updated twice with the same date (also {} › {} › row {}); the later row was used.",
                            a.source.file,
                            a.source.sheet,
                            a.source.row + 1
                        ),
                    )
                    .found(id.clone())
                    .hint("Keep one update per action per month, or correct the action ID.")
                    .about(Subject::Action(id.clone())),
                );
            }
            if let (Some(x), Some(y)) = (a.characteristic, b.characteristic)
                && x != y
            {
                problems.push(
                    Problem::new(
                        Kind::ActionCodeChanged,
                        loc,
                        format!(
                            "{id} was for {} but this update gives {}; the latest code was used.",
                            fw.characteristics[x].code, fw.characteristics[y].code
                        ),
                    )
                    .found(fw.characteristics[y].code.clone())
                    .hint("Check the code: an action keeps its characteristic. Raise a new action for a different one.")
                    .about(Subject::Action(id.clone())),
                );
            }
        }
        let mut a = Action {
            id: id.clone(),
            characteristic: None,
            gap: String::new(),
            action: String::new(),
            owner: String::new(),
            service_area: String::new(),
            target: None,
            status: None,
            progress: String::new(),
            updated: None,
            perf_ref: String::new(),
            overdue: false,
            updates: Vec::new(),
        };
        for u in &ups {
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
        }
        let closed = a.status.is_some_and(|s| fw.statuses[s].closed);
        a.overdue = match (&a.target, as_at) {
            (Some(t), Some(d)) => !closed && t.date < d,
            _ => false,
        };
        a.updates = ups;
        actions.push(a);
    }

    let mut uncovered = Vec::new();
    for (c, ch) in fw.characteristics.iter().enumerate() {
        let Some(level) = assessment.level(c) else {
            continue;
        };
        if !fw.scale[level].needs_action {
            continue;
        }
        if actions.iter().any(|a| a.characteristic == Some(c)) {
            continue;
        }
        uncovered.push(c);
        problems.push(
            Problem::new(
                Kind::NoActionForGap,
                Location::file(ALL_RETURNS),
                format!(
                    "{} is {} but has no action in the action plan.",
                    ch.code, fw.scale[level].label
                ),
            )
            .found(ch.code.clone())
            .hint("Agree an action with the responsible service area and add it to their action-plan return.")
            .about(Subject::Characteristic(c)),
        );
    }
    ActionPlan { actions, uncovered }
}
