//! Dates that cannot be right. The "as at" date is the latest date the
//! returns carry, so one mistyped year (26/11/2026 among returns completed
//! in November 2025) would make most actions overdue without a word. A date
//! of update later than its own return's Date completed, or a date far from
//! the other dates in the returns, is reported at its cell and not used for
//! the "as at" date; it is still shown as the officer wrote it.

use chrono::{Datelike, Days, NaiveDate};

use crate::problems::{Kind, Location, Problem, Problems, Subject};
use crate::records::{ActionUpdate, ReturnInfo};

/// How far after the returns' typical date a date may be: a review cycle
/// runs over months, not over half a year.
const AHEAD: Days = Days::new(183);
/// How far before them: an old update may be quoted, a year is too much.
const BEHIND: Days = Days::new(366);

/// Marks implausible Date completed and Date of update cells, with a
/// warning at each. Last month's carried updates are not looked at.
pub fn check(returns: &mut [ReturnInfo], actions: &mut [ActionUpdate], problems: &mut Problems) {
    let index: std::collections::HashMap<String, usize> = returns
        .iter()
        .enumerate()
        .map(|(i, r)| (r.file.clone(), i))
        .collect();
    let of_return = |file: &str| index.get(file).copied();
    // Every date the returns carry.
    let mut dates: Vec<NaiveDate> = returns.iter().filter_map(|r| r.completed).collect();
    dates.extend(
        actions
            .iter()
            .filter(|a| !a.baseline && of_return(&a.source.file).is_some())
            .filter_map(|a| a.updated),
    );
    // The typical date: the lower median of them all, so that a mistyped
    // date is judged against the many right ones (and a tie leans to the
    // past, where mistakes do not move "as at").
    dates.sort_unstable();
    let Some(&typical) = dates.get(dates.len().saturating_sub(1) / 2) else {
        return;
    };
    let far = |d: NaiveDate, m: NaiveDate| {
        m.checked_add_days(AHEAD).is_some_and(|late| d > late)
            || m.checked_sub_days(BEHIND).is_some_and(|early| d < early)
    };

    for r in returns.iter_mut() {
        let Some(d) = r.completed.filter(|d| far(*d, typical)) else {
            continue;
        };
        r.completed_doubtful = true;
        let loc = r
            .completed_at
            .clone()
            .unwrap_or_else(|| Location::file(&r.file));
        problems.push(
            Problem::new(
                Kind::ImplausibleDate,
                loc,
                format!(
                    "The Date completed, {}, is far from the other dates in the returns (around {}), so it was not used for the \"as at\" date.",
                    crate::dates::uk(d),
                    month(typical)
                ),
            )
            .column("Date completed")
            .found(crate::dates::uk(d))
            .hint("Check the date, the year especially, and correct it."),
        );
    }
    for a in actions.iter_mut().filter(|a| !a.baseline) {
        let (Some(i), Some(d)) = (of_return(&a.source.file), a.updated) else {
            continue;
        };
        let completed = returns[i]
            .completed
            .filter(|_| !returns[i].completed_doubtful);
        let message = match completed {
            Some(c) if d > c => format!(
                "The date of update, {}, is later than the return's Date completed ({}), so it was not used for the \"as at\" date.",
                crate::dates::uk(d),
                crate::dates::uk(c)
            ),
            _ if far(d, typical) => format!(
                "The date of update, {}, is far from the other dates in the returns (around {}), so it was not used for the \"as at\" date.",
                crate::dates::uk(d),
                month(typical)
            ),
            _ => continue,
        };
        a.date_doubtful = true;
        let col = a.updated_col.unwrap_or(a.id_col);
        problems.push(
            Problem::new(
                Kind::ImplausibleDate,
                Location::cell(&a.source.file, &a.source.sheet, a.source.row, col),
                message,
            )
            .column("Date of update")
            .found(crate::dates::uk(d))
            .hint("Check the date, the year especially, and correct it.")
            .about(Subject::Action(a.id.clone())),
        );
    }
}

/// "November 2025".
fn month(d: NaiveDate) -> String {
    format!("{} {}", d.format("%B"), d.year())
}
