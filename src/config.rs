//! The settings of each run, resolved from the command line (`cli.rs` and
//! `cmd/` fill them in) and handed to the flows in `lib.rs`. Nothing here
//! reads a file: the flows open what the settings name.

use std::path::PathBuf;

use chrono::NaiveDate;

/// Settings for `build` (and `check`, which reads as `build` does).
#[derive(Debug, Clone, Default)]
pub struct BuildConfig {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub framework: Option<PathBuf>,
    pub as_at: Option<NaiveDate>,
    pub authority: Option<String>,
    /// Do not write the workbook when errors were found.
    pub strict: bool,
    /// Replace an existing output that this tool did not write.
    pub force: bool,
    /// Last month's committee workbook: the baseline, and what "since last
    /// month" compares with.
    pub previous: Option<PathBuf>,
    /// Where the action plan is also written as CSV.
    pub actions_csv: Option<PathBuf>,
    /// Last year's committee workbook, for the direction of travel.
    pub previous_year: Option<PathBuf>,
    /// Mapping files between framework versions.
    pub mappings: Vec<PathBuf>,
    /// Where the clerk's copy for publication is written, when asked.
    pub publish: Option<PathBuf>,
    /// The meeting the workbook goes to (Cover and page headers).
    pub meeting: Meeting,
}

/// The meeting the committee workbook goes to, shown on the Cover and in
/// the page headers of both copies. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meeting {
    /// The committee's name ("Audit and Governance Committee").
    pub committee: Option<String>,
    pub date: Option<NaiveDate>,
    /// How the agenda labels the paper ("Appendix A").
    pub appendix: Option<String>,
    /// Who to contact about it (name, e-mail or telephone).
    pub contact: Option<String>,
}

impl Meeting {
    /// "Audit and Governance Committee, 12 November 2025", or whichever of
    /// the two is known.
    pub fn line(&self) -> Option<String> {
        let date = self.date.map(crate::dates::long);
        match (self.committee.as_deref(), date) {
            (Some(c), Some(d)) => Some(format!("{c}, {d}")),
            (Some(c), None) => Some(c.to_string()),
            (None, Some(d)) => Some(format!("Meeting of {d}")),
            (None, None) => None,
        }
    }
}

/// Settings for `compare`.
#[derive(Debug, Clone, Default)]
pub struct CompareConfig {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// The framework the sector is compared on (the built-in one if none).
    pub framework: Option<PathBuf>,
    /// Frameworks some authorities' returns were made against; their
    /// scores are carried onto `framework` through the mappings.
    pub other_frameworks: Vec<PathBuf>,
    pub mappings: Vec<PathBuf>,
    /// Label authorities "Authority A", "Authority B"… instead of naming them.
    pub anonymise: bool,
    /// Replace an output that this tool did not write.
    pub force: bool,
}
