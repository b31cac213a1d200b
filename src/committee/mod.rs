//! The committee workbook as a file format the tool owns. Its writer
//! (`write::committee`) and its one reader ([`read`]) both take the sheet
//! names, headings, Cover facts, marker and version text from here, so what
//! one writes the other finds. It is read back as last month's baseline
//! (`build --previous`), last year's scores (`--previous-year`), a
//! template's pre-fill (`template --from`) and a sector comparison's source
//! (`compare`, which reads the scores only).
//!
//! What the reader relies on: the Cover names the authority in A1 and lists
//! facts as label (column A) and value (column B), among them
//! [`AS_AT`], [`FRAMEWORK`] (see [`framework_line`]) and "Produced by
//! bestvalue X" (see [`crate::marks`]); the Characteristics and Action plan
//! sheets have one heading row at the top, and columns are found by their
//! headings ([`columns`]), so a clerk's added column or a sorted table does
//! not matter.

pub mod read;

use chrono::NaiveDate;

use crate::dates;

pub const COVER: &str = "Cover";
pub const HEAT_MAP: &str = "Heat map";
pub const SUMMARY: &str = "Summary";
pub const CHARACTERISTICS: &str = "Characteristics";
pub const SCORE_TRAIL: &str = "Score trail";
pub const ACTION_PLAN: &str = "Action plan";
pub const PROBLEMS: &str = "Problems";

/// The sheets, in the workbook's order.
pub const SHEETS: [&str; 7] = [
    COVER,
    HEAT_MAP,
    SUMMARY,
    CHARACTERISTICS,
    SCORE_TRAIL,
    ACTION_PLAN,
    PROBLEMS,
];

/// The clerk's copy's sheets (`build --publish`), in order: the working
/// copy's without Problems. It is for publication, not read back.
pub const PUBLISHED_SHEETS: [&str; 6] = [
    COVER,
    HEAT_MAP,
    SUMMARY,
    CHARACTERISTICS,
    SCORE_TRAIL,
    ACTION_PLAN,
];

/// The sheet that marks a sector comparison (`compare`'s workbook), which
/// also has a Cover saying it was produced by bestvalue but is not one
/// authority's committee workbook.
pub const SECTOR_MARK_SHEET: &str = "Sector heat map";

/// The Cover's fact giving the date the workbook is as at.
pub const AS_AT: &str = "As at";
/// The Cover's fact naming the framework and its version.
pub const FRAMEWORK: &str = "Framework";
pub use crate::marks::PRODUCED_BY;

/// Shown where a characteristic has no final score.
pub const NOT_ASSESSED: &str = "Not assessed";

/// The Action ID cell of a row for a characteristic without an action.
pub const NO_ACTION_ID: &str = "—";

/// Headings of the Characteristics and Action plan sheets (a heading that
/// both sheets have is one constant).
pub mod columns {
    pub const THEME: &str = "Theme";
    pub const CODE: &str = "Code";
    pub const CHARACTERISTIC: &str = "Characteristic";
    pub const POSITION_STATEMENT: &str = "Position statement";
    pub const EVIDENCE: &str = "Evidence";
    pub const FINAL_SCORE: &str = "Final score";
    pub const SCORE_SET_AT: &str = "Score set at";
    pub const SET_BY: &str = "Set by";
    pub const GAPS: &str = "Gaps / areas to address";

    /// "Review round score": one per scored round.
    pub fn round_score(round: &str) -> String {
        format!("{round}{ROUND_SCORE}")
    }
    /// "Review round commentary and reason": beside each round's score.
    pub fn round_commentary(round: &str) -> String {
        format!("{round}{ROUND_COMMENTARY}")
    }
    /// The round named by a heading made by [`round_score`].
    pub fn round_of_score(heading: &str) -> Option<&str> {
        heading.strip_suffix(ROUND_SCORE)
    }
    const ROUND_SCORE: &str = " round score";
    const ROUND_COMMENTARY: &str = " round commentary and reason";

    pub const ACTION_ID: &str = "Action ID";
    pub const GAP: &str = "Gap";
    pub const ACTION: &str = "Action";
    pub const OWNER: &str = "Responsible officer";
    pub const SERVICE_AREA: &str = "Service area";
    pub const TARGET_DATE: &str = "Target date";
    pub const STATUS: &str = "Status";
    pub const OVERDUE: &str = "Overdue";
    pub const LATEST_PROGRESS: &str = "Latest progress";
    pub const DATE_OF_UPDATE: &str = "Date of update";
    pub const PERF_REF: &str = "Performance system ref";
    pub const EARLIER_UPDATES: &str = "Earlier updates";
}

/// The Cover's Framework fact: "Best Value guidance 2024 (version 2024)".
pub fn framework_line(name: &str, version: &str) -> String {
    format!("{name} (version {version})")
}

/// [`framework_line`] taken apart: (name, version). The version is empty
/// when the text does not end with one.
pub fn split_framework_line(text: &str) -> (String, String) {
    let text = text.trim();
    match text.rsplit_once("(version ") {
        Some((name, rest)) if rest.ends_with(')') => (
            name.trim().to_string(),
            rest.trim_end_matches(')').trim().to_string(),
        ),
        _ => (text.to_string(), String::new()),
    }
}

/// Marks the reason in a round's "commentary and reason" cell.
const REASON_MARK: &str = "Reason: ";

/// A round's commentary and reason in one cell: "commentary\nReason: why".
pub fn join_reason(commentary: &str, reason: &str) -> String {
    match (commentary.is_empty(), reason.is_empty()) {
        (_, true) => commentary.to_string(),
        (true, false) => format!("{REASON_MARK}{reason}"),
        (false, false) => format!("{commentary}\n{REASON_MARK}{reason}"),
    }
}

/// [`join_reason`] taken apart again: (commentary, reason).
pub fn split_reason(note: &str) -> (String, String) {
    if let Some(r) = note.strip_prefix(REASON_MARK) {
        return (String::new(), r.trim().to_string());
    }
    match note.rsplit_once(&format!("\n{REASON_MARK}")) {
        Some((c, r)) => (c.trim().to_string(), r.trim().to_string()),
        None => (note.trim().to_string(), String::new()),
    }
}

/// Separates the parts of one line of the "Earlier updates" column.
pub const HISTORY_SEP: &str = " · ";

/// One line of the "Earlier updates" column: `dd/mm/yyyy · Status · note`.
pub fn history_line(date: Option<NaiveDate>, status: &str, note: &str) -> String {
    let d = date.map(dates::uk).unwrap_or_else(|| "no date".into());
    format!("{d}{HISTORY_SEP}{status}{HISTORY_SEP}{note}")
}

/// The "Earlier updates" column read back: (date, status, note) per line.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_framework_line() {
        let line = framework_line("Best Value guidance 2024", "2024");
        assert_eq!(line, "Best Value guidance 2024 (version 2024)");
        assert_eq!(
            split_framework_line(&line),
            ("Best Value guidance 2024".to_string(), "2024".to_string())
        );
        assert_eq!(
            split_framework_line("Our framework"),
            ("Our framework".to_string(), String::new())
        );
    }

    #[test]
    fn reason_is_taken_back_out_of_the_commentary() {
        for (c, r) in [("Good.", "moderated"), ("", "only"), ("Plain", "")] {
            assert_eq!(split_reason(&join_reason(c, r)), (c.into(), r.into()));
        }
        assert_eq!(
            join_reason("Good.", "moderated"),
            "Good.\nReason: moderated"
        );
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

    #[test]
    fn round_headings_name_their_round() {
        assert_eq!(
            columns::round_of_score(&columns::round_score("Moderation")),
            Some("Moderation")
        );
        assert_eq!(columns::round_of_score("Final score"), None);
    }
}
