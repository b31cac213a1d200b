//! Last month's committee workbook as the baseline the returns are merged
//! over (`build --previous`, and a committee workbook given to `template
//! --from`): its characteristics become entries and its actions updates,
//! marked as the baseline, so that a return for the same characteristic and
//! round wins and the history of each action carries on month to month.

use crate::committee::read::Committee;
use crate::committee::{ACTION_PLAN, CHARACTERISTICS, split_reason};
use crate::framework::{Framework, fold};
use crate::problems::{Kind, Location, Problem, Problems};
use crate::records::{ActionUpdate, Entry, Source};

/// Last month's characteristics as entries: each round's score and
/// commentary, the narrative, evidence and gaps. The merge uses them only
/// where no return gives the same characteristic in the same round.
pub fn entries(prev: &Committee, fw: &Framework, problems: &mut Problems) -> Vec<Entry> {
    let mut out = Vec::new();
    for c in &prev.characteristics {
        let Some(ch) = fw.find_code(&c.code) else {
            problems.push(
                Problem::new(
                    Kind::UnknownCode,
                    Location::cell(&prev.file, CHARACTERISTICS, c.row, 1),
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
                sheet: CHARACTERISTICS.into(),
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

/// Last month's actions as updates: the latest, and each earlier one from
/// the "Earlier updates" column, so the history carries on month to month.
pub fn updates(prev: &Committee, fw: &Framework) -> Vec<ActionUpdate> {
    let mut out = Vec::new();
    for a in &prev.actions {
        let base = ActionUpdate {
            id: a.id.clone(),
            id_col: 0,
            characteristic: fw.find_code(&a.code),
            source: Source {
                file: prev.file.clone(),
                sheet: ACTION_PLAN.into(),
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
