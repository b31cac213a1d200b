//! What the returns say, once read and checked: the typed records the merge
//! and the outputs work from.

use chrono::NaiveDate;

use crate::dates::DateValue;

/// What kind of workbook a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnKind {
    Assessment,
    Actions,
    /// A committee workbook written by this tool (not a return).
    Committee,
    /// The clerk's copy of a committee workbook, for publication: neither a
    /// return nor a baseline (it leaves out what a baseline needs).
    Published,
    /// Could not be read or recognised; see the problems.
    Unreadable,
}

/// One workbook read, with what it says about itself and its row accounting.
#[derive(Debug, Clone)]
pub struct ReturnInfo {
    pub file: String,
    pub kind: ReturnKind,
    pub format: &'static str,
    pub round: Option<usize>,
    pub themes: Vec<usize>,
    pub officer: Option<String>,
    pub completed: Option<NaiveDate>,
    pub authority: Option<String>,
    /// The framework version the return says it was made against.
    pub framework_version: Option<String>,
    pub service_area: Option<String>,
    /// Rows with something in them below the heading row.
    pub rows_read: usize,
    /// Rows whose values were used without error.
    pub rows_used: usize,
    /// Rows with at least one error, each named in the problems.
    pub rows_reported: usize,
    /// Where the Date completed is, for messages.
    pub completed_at: Option<crate::problems::Location>,
    /// The Date completed is implausible (reported), so it does not set
    /// the "as at" date.
    pub completed_doubtful: bool,
}

impl ReturnInfo {
    pub fn new(file: &str) -> ReturnInfo {
        ReturnInfo {
            file: file.to_string(),
            kind: ReturnKind::Unreadable,
            format: "",
            round: None,
            themes: Vec::new(),
            officer: None,
            completed: None,
            authority: None,
            framework_version: None,
            service_area: None,
            rows_read: 0,
            rows_used: 0,
            rows_reported: 0,
            completed_at: None,
            completed_doubtful: false,
        }
    }
}

/// Where a value came from: a file, sheet and row (0-based).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

/// One assessment row: a characteristic in one round.
#[derive(Debug, Clone)]
pub struct Entry {
    pub characteristic: usize,
    pub round: usize,
    pub source: Source,
    pub officer: Option<String>,
    /// The score, if one was given and could be read.
    pub score: Option<usize>,
    /// The score cell and its column heading, for messages.
    pub score_col: Option<(u16, String)>,
    /// The Reason column and its heading, for messages (commentary never
    /// stands in for a reason).
    pub reason_col: Option<(u16, String)>,
    /// The Gaps / areas to address column and its heading, for messages.
    pub gaps_col: Option<(u16, String)>,
    /// A score was written but could not be read (already reported).
    pub score_unreadable: bool,
    pub narrative: String,
    pub evidence: String,
    pub commentary: String,
    pub gaps: String,
    pub reason: String,
    /// Carried from last month's committee workbook: used only where no
    /// return gives this characteristic in this round.
    pub baseline: bool,
}

/// One row of an action-plan return.
#[derive(Debug, Clone)]
pub struct ActionUpdate {
    pub id: String,
    /// The Action ID column, for messages.
    pub id_col: u16,
    pub characteristic: Option<usize>,
    pub source: Source,
    pub gap: String,
    pub action: String,
    pub owner: String,
    pub service_area: String,
    pub target: Option<DateValue>,
    pub status: Option<usize>,
    pub progress: String,
    pub updated: Option<NaiveDate>,
    pub perf_ref: String,
    /// Carried from last month's committee workbook.
    pub baseline: bool,
    /// The Date of update column, for messages.
    pub updated_col: Option<u16>,
    /// The row gives neither a Date of update nor a progress note: as it
    /// was issued (pre-filled by `template --actions --from`), so not an
    /// update unless something else on it changed.
    pub untouched: bool,
    /// The last update the return showed beside the row, when it did
    /// ("Previous update date", "Previous progress note").
    pub shown_before: Option<(Option<NaiveDate>, String)>,
    /// The Date of update is implausible (reported), so it does not set
    /// the "as at" date.
    pub date_doubtful: bool,
}
