//! Findings about officers' returns: where they are, what is wrong, how to fix
//! it. Collected all together and reported at the end, never returned with `?`.
//! The catalogue of problem codes lives in `Kind`: one place for the code,
//! the severity and what the problem means, used by every report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
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

/// Where run-level problems (not tied to one file) are filed.
pub const ALL_RETURNS: &str = "All returns";

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
    ($( $v:ident = $code:literal, $sev:ident, $about:literal, $example:literal, $fix:literal; )*) => {
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
            /// An example of what causes it.
            pub fn example(self) -> &'static str { match self { $(Kind::$v => $example),* } }
            /// What fixes it, in general.
            pub fn fix(self) -> &'static str { match self { $(Kind::$v => $fix),* } }
        }
    };
}

kinds! {
    // Files.
    CannotOpen = "cannot-open", Error, "The file could not be opened as a spreadsheet (damaged, truncated, or not really a spreadsheet).",
        "A file named `Review - Culture.xlsx` that is really a Word document, or was cut short when copied.",
        "Open the return in Excel, use Save As › Excel Workbook (.xlsx), and send it again.";
    PasswordProtected = "password-protected", Error, "The workbook is encrypted with a password, so it cannot be read.",
        "A return saved with File › Info › Protect Workbook › Encrypt with Password.",
        "Remove the password (clear it in the same place) and send the return again.";
    TooLarge = "too-large", Error, "The file or one of its sheets is bigger than the limits the tool reads.",
        "A sheet with stray values a million rows below the table.",
        "Delete stray content outside the table, or copy the table into a new workbook.";
    NotAReturn = "not-a-return", Error, "No sheet in the workbook has the headings of an assessment or action-plan return.",
        "A workbook whose sheets have no Code/Score or Action ID/Status headings.",
        "Send the return in the workbook it was issued in, with its heading row intact.";
    UnknownRound = "unknown-round", Error, "The return does not say which round it is for, or names a round the framework does not have.",
        "`Round: Peer review`, or no Round cell at all.",
        "Write one of the framework's rounds beside \"Round\" (Draft, Review, Moderation, Final by default).";
    UnknownTheme = "unknown-theme", Error, "The return names a theme the framework does not have.",
        "`Themes: Finances`.",
        "Write the theme's name as in the framework, or \"All themes\".";
    MissingOfficer = "missing-officer", Warning, "The return does not say who completed it.",
        "The \"Completed by\" cell left blank.",
        "Type your name in the \"Completed by\" cell.";
    HiddenSheet = "hidden-sheet", Warning, "A hidden sheet looks like a return sheet; hidden sheets are not read.",
        "The Assessment sheet hidden with right-click › Hide.",
        "Unhide the sheet (right-click a sheet tab › Unhide) and send the return again.";
    // Columns.
    MissingColumn = "missing-column", Error, "A column the return needs is not there.",
        "An assessment table with no Score column in a scoring round.",
        "Put the column back with the template's heading.";
    IgnoredColumn = "ignored-column", Warning, "A column heading is not one the tool knows, so the column was not read.",
        "An extra column headed `My notes`.",
        "Nothing, if the column is your own notes; otherwise give it the template's heading.";
    DuplicateColumn = "duplicate-column", Warning, "Two columns have the same meaning; the first one was read.",
        "Two columns both headed `Score`.",
        "Delete or rename the extra column.";
    // Codes.
    UnknownCode = "unknown-code", Error, "The code is not in the framework.",
        "`CI099` in the Code column.",
        "Check the code against the template: each theme's codes are listed there.";
    CodeSpelling = "code-spelling", Warning, "The code was recognised but is written differently from the framework.",
        "`L010` for L0010, `ci1` for CI001.",
        "Nothing: it was read. Next time write the code as in the template.";
    CrossReferenceCode = "cross-reference-code", Error, "The code is the heat map's cross-reference cell, which is scored under the characteristic it refers to.",
        "A score given for `G002`, the heat map's \"See CI012\" cell.",
        "Give the score under CI012.";
    WrongTheme = "wrong-theme", Warning, "The code belongs to a different theme from the one the return, or the row's Theme, is for.",
        "`C003` in a return for Governance, or beside the theme Governance in a row.",
        "Check the code. If it is right, it was used as it is (correct a row's Theme to match it); if not, correct the code.";
    MissingCode = "missing-code", Error, "A row has values but no code, so it cannot be matched to a characteristic.",
        "A row with a score and commentary but a blank Code cell.",
        "Type the code, or delete the row.";
    // Scores.
    ScoreNotInScale = "score-not-in-scale", Error, "The score is not one of the scale's levels.",
        "`Ambre`, `Red`, `5`.",
        "Choose one of the scale's levels from the drop-down list.";
    ScoreFromColour = "score-from-colour", Warning, "The score cell was blank but coloured; the colour was read as the score.",
        "A blank score cell filled amber.",
        "Choose the score from the drop-down list so it is in words.";
    ScoreFromNumber = "score-from-number", Warning, "The score was typed as a number; it was read as the scale's level of that rank.",
        "`3` in the Score column, read as Yellow.",
        "Choose the score from the drop-down list so it is in words, and check it is the level meant.";
    MissingScore = "missing-score", Warning, "A characteristic in a scoring round has no score.",
        "A blank score in a Review return.",
        "Choose a score from the drop-down list.";
    MissingReasonForGrey = "missing-reason-for-grey", Error, "A level that needs a reason (Grey) was given without one.",
        "`Grey` with the reason column blank.",
        "Say why the characteristic is outside the council's control.";
    MissingReasonForChange = "missing-reason-for-change", Error, "A score differs from the previous round's but no reason was given.",
        "Moderation changes Amber to Yellow with no reason.",
        "Say why the score was changed in the reason column.";
    MissingGap = "missing-gap", Warning, "A score that needs an action has no gap written beside it, so the action plan has nothing to address.",
        "C008 scored Amber with \"Gaps / areas to address\" blank.",
        "Write the gap the action should close in \"Gaps / areas to address\".";
    DuplicateCodeConflict = "duplicate-code-conflict", Error, "The same code has different scores in one round; every return that gives one is told, and none is used.",
        "CI001 scored Amber in one Review return and Yellow in another.",
        "Agree one score and keep the characteristic in one return.";
    DuplicateCode = "duplicate-code", Warning, "The same code appears twice in one round with the same score.",
        "CI001 listed twice in the Review round with the same score.",
        "Keep the characteristic in one return only.";
    NotAssessed = "not-assessed", Warning, "A characteristic has no score from any round.",
        "No return gives CI005 a score.",
        "Check that the return for its theme includes it with a score.";
    // Cells.
    FormulaError = "formula-error", Error, "A cell holds a formula error such as #N/A or #REF!.",
        "`#N/A` from a lookup formula in the Score column.",
        "Replace the formula with the value itself (Paste Special › Values).";
    BadDate = "bad-date", Error, "A date cannot be read, or could be read more than one way.",
        "`12/31/2025` (month first), `31/02/2025`, `next spring`.",
        "Type the date as day/month/year, for example 31/03/2026.";
    ImplausibleDate = "implausible-date", Warning, "A date is later than the return's Date completed, or far from the other dates in the returns, so it was not used for the \"as at\" date.",
        "A Date of update of 26/11/2026 in returns completed in November 2025.",
        "Check the year, and correct the date.";
    TextTruncated = "text-truncated", Warning, "Text is longer than can be kept and was cut: Excel's cell limit of 32,767 characters, or 100 for a name (names are printed in page headers).",
        "A position statement of 40,000 characters.",
        "Shorten the text, or give a document reference instead.";
    // Actions.
    MissingActionId = "missing-action-id", Error, "An action row has no action ID.",
        "An action row with a blank Action ID.",
        "Type the action's ID from the action plan, or ask for one for a new action.";
    DuplicateActionId = "duplicate-action-id", Warning, "The same action ID appears more than once; the latest update was used.",
        "BV-004 updated twice with the same update date.",
        "Keep one update per action per month, or correct the ID.";
    UnknownActionId = "unknown-action-id", Error, "An update names an action ID that is not in last month's action plan, and gives no action to create (or repeats an existing action's code, gap and action under another ID).",
        "`BV-099` with only a status and a progress note; `BV-27` for BV-027.",
        "Check the ID against last month's action plan; for a new action, fill in its code, gap and action too.";
    UnknownStatus = "unknown-status", Error, "The status is not one of the framework's statuses.",
        "`Overdue`, `Nearly done`.",
        "Choose one of the framework's statuses (Not started, On track, At risk, Complete by default).";
    ActionCodeChanged = "action-code-changed", Warning, "An action's code differs between updates.",
        "BV-004 was for CI003 last month and says CI004 now.",
        "Keep the action's code; raise a new action for another characteristic.";
    NoActionForGap = "no-action-for-gap", Warning, "A characteristic whose final score needs an action has none.",
        "SD009 is Yellow and no action names it.",
        "Agree an action with the service area and add it to their action-plan return.";
}

/// The catalogue as Markdown (for the README) and as plain text (for
/// `bestvalue codes`): one place for every code's meaning, example and fix.
pub fn catalogue_markdown() -> String {
    let mut s = String::from(
        "| code | severity | what it means | example | how to fix |\n|---|---|---|---|---|\n",
    );
    for k in Kind::ALL {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            k.code(),
            k.severity().label().to_lowercase(),
            k.about(),
            k.example(),
            k.fix()
        ));
    }
    s
}

pub fn catalogue_text() -> String {
    let mut s = String::new();
    for k in Kind::ALL {
        s.push_str(&format!(
            "{} ({})\n  {}\n  Example: {}\n  Fix: {}\n\n",
            k.code(),
            k.severity().label().to_lowercase(),
            k.about(),
            k.example().replace('`', "\""),
            k.fix()
        ));
    }
    s
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
    /// 0 for a problem of its own. Otherwise this problem stands for this
    /// many problems of its kind in its file that were counted but not
    /// listed one by one (see [`MAX_LISTED`]).
    pub more: usize,
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
            more: 0,
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

/// Problems of one kind in one file listed one by one, at most. Every one
/// is counted; past this many, one problem says how many more there are.
/// A sheet of a million junk rows would otherwise give a million problems,
/// each held in memory and written out: this bounds memory whatever a
/// return holds, and the first thousand show what is wrong.
pub const MAX_LISTED: usize = 1_000;

/// All the findings of a run.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    list: Vec<Problem>,
    /// Problems counted per file and kind, listed or not.
    counts: HashMap<String, HashMap<Kind, usize>>,
    /// Problems counted but not listed, per file and kind, until [`sort`]
    /// adds one problem for each saying how many.
    ///
    /// [`sort`]: Problems::sort
    unlisted: BTreeMap<(String, Kind), usize>,
    /// The rows of errors counted but not listed (file, then sheet, then
    /// row numbers): the row accounting needs every row reported, listed or
    /// not, to tell it from the rows used.
    unlisted_rows: BTreeMap<String, BTreeMap<String, BTreeSet<u32>>>,
}

/// Rows with an error: file, sheet and row number.
pub type ErrorRows = BTreeSet<(String, String, u32)>;

impl Problems {
    pub fn push(&mut self, p: Problem) {
        let per_file = match self.counts.get_mut(p.location.file.as_str()) {
            Some(m) => m,
            None => self.counts.entry(p.location.file.clone()).or_default(),
        };
        let n = per_file.entry(p.kind).or_default();
        // A problem that stands for others (from another list) adds them.
        let weight = p.more.max(1);
        *n += weight;
        if p.more == 0 && *n <= MAX_LISTED {
            self.list.push(p);
        } else {
            if p.is_error()
                && let (Some(sheet), Some(row)) = (&p.location.sheet, p.location.row)
            {
                self.note_unlisted_row(&p.location.file, sheet, row);
            }
            *self.unlisted.entry((p.location.file, p.kind)).or_default() += weight;
        }
    }

    fn note_unlisted_row(&mut self, file: &str, sheet: &str, row: u32) {
        let sheets = match self.unlisted_rows.get_mut(file) {
            Some(s) => s,
            None => self.unlisted_rows.entry(file.to_string()).or_default(),
        };
        let rows = match sheets.get_mut(sheet) {
            Some(r) => r,
            None => sheets.entry(sheet.to_string()).or_default(),
        };
        rows.insert(row);
    }

    /// Every row with an error, listed or only counted.
    pub fn error_rows(&self) -> ErrorRows {
        let mut rows: ErrorRows = self
            .list
            .iter()
            .filter(|p| p.is_error())
            .filter_map(|p| {
                let l = &p.location;
                Some((l.file.clone(), l.sheet.clone()?, l.row?))
            })
            .collect();
        for (file, sheets) in &self.unlisted_rows {
            for (sheet, list) in sheets {
                rows.extend(list.iter().map(|r| (file.clone(), sheet.clone(), *r)));
            }
        }
        rows
    }

    pub fn extend(&mut self, other: Problems) {
        self.list.reserve(other.list.len());
        for p in other.list {
            self.push(p);
        }
        for (file, sheets) in other.unlisted_rows {
            for (sheet, rows) in sheets {
                for row in rows {
                    self.note_unlisted_row(&file, &sheet, row);
                }
            }
        }
        for ((file, kind), n) in other.unlisted {
            let mut p = Problem::new(kind, Location::file(&file), String::new());
            p.more = n;
            self.push(p);
        }
    }

    /// Errors found, counting those not listed one by one.
    pub fn errors(&self) -> usize {
        self.weighed(Severity::Error)
    }

    /// Warnings found, counting those not listed one by one.
    pub fn warnings(&self) -> usize {
        self.weighed(Severity::Warning)
    }

    fn weighed(&self, severity: Severity) -> usize {
        let listed: usize = self
            .list
            .iter()
            .filter(|p| p.severity == severity)
            .map(|p| p.more.max(1))
            .sum();
        let unlisted: usize = self
            .unlisted
            .iter()
            .filter(|((_, k), _)| k.severity() == severity)
            .map(|(_, n)| n)
            .sum();
        listed + unlisted
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Problem::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Problems listed (one that stands for others counts once).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }

    /// Keeps only the problems `keep` picks, in their order.
    pub fn retain(&mut self, keep: impl FnMut(&Problem) -> bool) {
        self.list.retain(keep);
    }

    /// Sorts by file, sheet, row, column; then errors before warnings. Stable,
    /// so the order does not depend on the order the inputs were given in.
    /// Problems counted but not listed are first added, one for each file
    /// and kind, at the end of their file's.
    pub fn sort(&mut self) {
        for ((file, kind), n) in std::mem::take(&mut self.unlisted) {
            let mut p = Problem::new(
                kind,
                Location::file(&file),
                format!(
                    "…and {} more problems like this in this file, counted but not listed one by one (the first {} are).",
                    thousands(n),
                    thousands(MAX_LISTED)
                ),
            )
            .hint("Correct the problems listed, then check the file again: the rest are most likely the same mistake.");
            p.more = n;
            self.list.push(p);
        }
        // Problems about the run as a whole come after every file's. The
        // sort is stable, so ties keep the order they were found in, which
        // is already the files' sorted order and the framework's code order.
        self.list.sort_by(|a, b| {
            let (la, lb) = (&a.location, &b.location);
            (la.file == ALL_RETURNS)
                .cmp(&(lb.file == ALL_RETURNS))
                .then_with(|| la.file.cmp(&lb.file))
                .then_with(|| (a.more > 0).cmp(&(b.more > 0)))
                .then_with(|| la.sheet.cmp(&lb.sheet))
                .then_with(|| la.row.cmp(&lb.row))
                .then_with(|| la.col.cmp(&lb.col))
                .then_with(|| a.severity.cmp(&b.severity))
        });
    }
}

/// `1,000`: counts as officers read them.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
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
