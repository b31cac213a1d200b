//! Findings about officers' returns: where they are, what is wrong, how to fix
//! it. Collected all together and reported at the end, never returned with `?`.
//! The catalogue of problem codes lives in `Kind`: one place for the code,
//! the severity and what the problem means, used by every report.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
        }
    }
}

/// Where a problem is, in Excel's terms. Rows and columns are 0-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as the user named it (relative to the folder given).
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub col: Option<u16>,
}

impl Location {
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            ..Location::default()
        }
    }

    pub fn cell(file: &str, sheet: &str, row: u32, col: u16) -> Location {
        Location {
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            row: Some(row),
            col: Some(col),
        }
    }

    /// `E14`, `14` (a whole row) or empty.
    pub fn cell_ref(&self) -> String {
        match (self.row, self.col) {
            (Some(r), Some(c)) => rust_xlsxwriter::utility::row_col_to_cell(r, c),
            (Some(r), None) => format!("row {}", r + 1),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Location {
    /// `Review - Governance.xlsx › Assessment › E14`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " › {s}")?;
        }
        let c = self.cell_ref();
        if !c.is_empty() {
            write!(f, " › {c}")?;
        }
        Ok(())
    }
}

macro_rules! kinds {
    ($( $v:ident = $code:literal, $sev:ident, $about:literal; )*) => {
        /// Every kind of problem, with a stable code for automation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($v),* }
        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$v),*];
            /// Stable code, e.g. `unknown-code`.
            pub fn code(self) -> &'static str { match self { $(Kind::$v => $code),* } }
            pub fn severity(self) -> Severity { match self { $(Kind::$v => Severity::$sev),* } }
            /// One line on what the problem means.
            pub fn about(self) -> &'static str { match self { $(Kind::$v => $about),* } }
        }
    };
}

kinds! {
    // Files.
    SkippedFile = "skipped-file", Warning, "A file in the input folders is not a spreadsheet return, or is a lock file, and was not read.";
    CannotOpen = "cannot-open", Error, "The file could not be opened as a spreadsheet (damaged, truncated, or not really a spreadsheet).";
    PasswordProtected = "password-protected", Error, "The workbook is encrypted with a password, so it cannot be read.";
    TooLarge = "too-large", Error, "The file or one of its sheets is bigger than the limits the tool reads.";
    NotAReturn = "not-a-return", Error, "No sheet in the workbook has the headings of an assessment or action-plan return.";
    UnknownRound = "unknown-round", Error, "The return does not say which round it is for, or names a round the framework does not have.";
    UnknownTheme = "unknown-theme", Error, "The return names a theme the framework does not have.";
    MissingOfficer = "missing-officer", Warning, "The return does not say who completed it.";
    HiddenSheet = "hidden-sheet", Warning, "A hidden sheet looks like a return sheet; hidden sheets are not read.";
    // Columns.
    MissingColumn = "missing-column", Error, "A column the return needs is not there.";
    IgnoredColumn = "ignored-column", Warning, "A column heading is not one the tool knows, so the column was not read.";
    DuplicateColumn = "duplicate-column", Warning, "Two columns have the same meaning; the first one was read.";
    // Codes.
    UnknownCode = "unknown-code", Error, "The code is not in the framework.";
    CodeSpelling = "code-spelling", Warning, "The code was recognised but is written differently from the framework.";
    CrossReferenceCode = "cross-reference-code", Error, "The code is the heat map's cross-reference cell, which is scored under the characteristic it refers to.";
    WrongTheme = "wrong-theme", Warning, "The code belongs to a different theme from the one the return is for.";
    MissingCode = "missing-code", Error, "A row has values but no code, so it cannot be matched to a characteristic.";
    // Scores.
    ScoreNotInScale = "score-not-in-scale", Error, "The score is not one of the scale's levels.";
    ScoreFromColour = "score-from-colour", Warning, "The score cell was blank but coloured; the colour was read as the score.";
    MissingScore = "missing-score", Warning, "A characteristic in a scoring round has no score.";
    MissingReasonForGrey = "missing-reason-for-grey", Error, "A level that needs a reason (Grey) was given without one.";
    MissingReasonForChange = "missing-reason-for-change", Error, "A score differs from the previous round's but no reason was given.";
    DuplicateCodeConflict = "duplicate-code-conflict", Error, "The same code has two different scores in one round.";
    DuplicateCode = "duplicate-code", Warning, "The same code appears twice in one round with the same score.";
    NotAssessed = "not-assessed", Warning, "A characteristic has no score from any round.";
    // Cells.
    FormulaError = "formula-error", Error, "A cell holds a formula error such as #N/A or #REF!.";
    BadDate = "bad-date", Error, "A date cannot be read, or could be read more than one way.";
    TextTruncated = "text-truncated", Warning, "Text is longer than Excel's cell limit of 32,767 characters and was cut.";
    // Actions.
    MissingActionId = "missing-action-id", Error, "An action row has no action ID.";
    DuplicateActionId = "duplicate-action-id", Warning, "The same action ID appears more than once; the latest update was used.";
    UnknownStatus = "unknown-status", Error, "The status is not one of the framework's statuses.";
    ActionCodeChanged = "action-code-changed", Warning, "An action's code differs between updates.";
    NoActionForGap = "no-action-for-gap", Warning, "A characteristic whose final score needs an action has none.";
    Overdue = "overdue", Warning, "An action is past its target date and not complete.";
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: Kind,
    pub severity: Severity,
    pub location: Location,
    /// The column heading as the officer sees it.
    pub column: Option<String>,
    /// The value as found, in Excel's own display where possible.
    pub found: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// What the problem is about, for links in the committee workbook.
    pub subject: Option<Subject>,
}

/// The characteristic or action a problem concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Characteristic(usize),
    Action(String),
}

impl Problem {
    pub fn new(kind: Kind, location: Location, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            severity: kind.severity(),
            location,
            column: None,
            found: None,
            message: message.into(),
            hint: String::new(),
            subject: None,
        }
    }

    pub fn about(mut self, subject: Subject) -> Problem {
        self.subject = Some(subject);
        self
    }

    pub fn column(mut self, column: &str) -> Problem {
        self.column = Some(column.to_string());
        self
    }

    pub fn found(mut self, found: impl Into<String>) -> Problem {
        let found = found.into();
        if !found.is_empty() {
            self.found = Some(found);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = hint.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(v) = &self.found {
            write!(f, " (found \"{}\")", short(v, 60))?;
        }
        if !self.hint.is_empty() {
            write!(f, " {}", self.hint)?;
        }
        Ok(())
    }
}

/// Shortens long values for the console.
pub fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

/// All the findings of a run.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.list.push(p);
    }

    pub fn extend(&mut self, other: Problems) {
        self.list.extend(other.list);
    }

    pub fn errors(&self) -> usize {
        self.list.iter().filter(|p| p.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Problem::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }

    /// Sorts by file, sheet, row, column; then errors before warnings. Stable,
    /// so the order does not depend on the order the inputs were given in.
    pub fn sort(&mut self) {
        self.list.sort_by(|a, b| {
            (
                &a.location.file,
                &a.location.sheet,
                a.location.row,
                a.location.col,
            )
                .cmp(&(
                    &b.location.file,
                    &b.location.sheet,
                    b.location.row,
                    b.location.col,
                ))
                .then(a.severity.cmp(&b.severity))
                .then(a.kind.cmp(&b.kind))
                .then(a.message.cmp(&b.message))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_reads_like_excel() {
        let l = Location::cell("Review - Governance.xlsx", "Assessment", 13, 4);
        assert_eq!(l.to_string(), "Review - Governance.xlsx › Assessment › E14");
        assert_eq!(Location::file("a.xlsx").to_string(), "a.xlsx");
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for k in Kind::ALL {
            assert!(seen.insert(k.code()), "{} twice", k.code());
            assert!(k.code().chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
    }
}
