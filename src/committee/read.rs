//! The one reader of the committee workbook. It opens the workbook through
//! `read::open_book_named` (with the reader's size limits), reading only the
//! sheets it needs, and finds every column by its heading ([`super::columns`]).
//!
//! - [`read_scores`]: the Cover and the Characteristics sheet, for
//!   `compare` (authority, framework version, date, final scores);
//! - [`read`]: those and the Action plan, for `build --previous`,
//!   `--previous-year` and `template --from`;
//! - [`is_ours`]: the quick check the output guard asks before replacing a
//!   file.

use std::path::Path;

use chrono::NaiveDate;

use super::{
    ACTION_PLAN, AS_AT, CHARACTERISTICS, COVER, FRAMEWORK, NO_ACTION_ID, SECTOR_MARK_SHEET,
    columns as col, parse_history, split_framework_line,
};
use crate::dates::{self, DateValue};
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::marks;
use crate::read::{Book, Grid, OpenFailure, cells, open_book_named, open_book_sheets};

/// One characteristic as the workbook shows it.
#[derive(Debug, Clone, Default)]
pub struct PrevCharacteristic {
    /// The code as written (the workbook's own framework's spelling).
    pub code: String,
    pub row: u32,
    pub narrative: String,
    pub evidence: String,
    pub gaps: String,
    /// Per round name: (score label, commentary and reason).
    pub rounds: Vec<(String, String, String)>,
    pub final_score: String,
    pub set_at: String,
    pub set_by: String,
}

/// One action as the workbook shows it.
#[derive(Debug, Clone, Default)]
pub struct PrevAction {
    pub id: String,
    pub row: u32,
    pub code: String,
    pub gap: String,
    pub action: String,
    pub owner: String,
    pub service_area: String,
    pub target: Option<DateValue>,
    pub status: String,
    pub overdue: bool,
    pub progress: String,
    pub updated: Option<NaiveDate>,
    pub perf_ref: String,
    /// Earlier updates: (date, status, note), as listed (newest first).
    pub history: Vec<(Option<NaiveDate>, String, String)>,
}

/// A committee workbook read back.
#[derive(Debug, Clone, Default)]
pub struct Committee {
    pub file: String,
    pub authority: Option<String>,
    pub as_at: Option<NaiveDate>,
    /// The framework's name, as the Cover gives it.
    pub framework: String,
    pub framework_version: Option<String>,
    pub characteristics: Vec<PrevCharacteristic>,
    /// Empty when only the scores were read.
    pub actions: Vec<PrevAction>,
}

impl Committee {
    /// Final score level per characteristic of `fw`, matched by code.
    pub fn level_of(&self, fw: &Framework, code: &str) -> Option<usize> {
        let c = self
            .characteristics
            .iter()
            .find(|c| fw.find_code(&c.code) == fw.find_code(code))?;
        fw.find_score(&c.final_score)
    }

    /// Each characteristic's code and final score, as written.
    pub fn scores(&self) -> Vec<(String, String)> {
        self.characteristics
            .iter()
            .map(|c| (c.code.clone(), c.final_score.clone()))
            .collect()
    }
}

/// Why a file is not a committee workbook that can be read.
#[derive(Debug)]
pub enum NotCommittee {
    /// The file could not be read from disk.
    Unreadable(std::io::Error),
    /// Over one of the reader's size limits.
    TooLarge(String),
    /// A sector comparison (`compare`'s workbook).
    Sector,
    /// Not a workbook this tool wrote: what is missing.
    NotOurs(&'static str),
    /// The Cover's A1 is empty (compare needs the authority's name).
    NoAuthority,
    /// The Characteristics sheet has nothing in it.
    EmptyTable,
    /// The Characteristics sheet has no Code or no Final score column.
    NoScoreColumns,
}

impl NotCommittee {
    /// A sentence saying why the file was not compared (for `compare`).
    pub fn reason(&self) -> String {
        match self {
            NotCommittee::Unreadable(e) => format!(
                "it could not be read ({e}). If it is open on another computer, close it there."
            ),
            NotCommittee::TooLarge(why) => format!("it was not read: {why}"),
            NotCommittee::Sector => "it is a sector comparison written by bestvalue compare, not one authority's committee workbook.".into(),
            NotCommittee::NotOurs(_) => "it is not a committee workbook written by bestvalue build (compare reads those, or folders of returns).".into(),
            NotCommittee::NoAuthority => {
                "its cover does not name the authority (cell A1 is empty).".into()
            }
            NotCommittee::EmptyTable => "its Characteristics sheet is empty.".into(),
            NotCommittee::NoScoreColumns => "its Characteristics sheet has no Code and Final score columns (was it edited by hand?).".into(),
        }
    }

    /// The fatal error when the user named the file as a committee
    /// workbook (`what`: "last month's committee workbook", …).
    fn into_error(self, path: &Path, what: &str) -> Error {
        let why = match self {
            NotCommittee::Unreadable(source) => {
                return Error::Read {
                    path: path.to_path_buf(),
                    source,
                };
            }
            NotCommittee::NotOurs(missing) => missing.to_string(),
            other => other.reason().trim_end_matches('.').to_string(),
        };
        Error::NotCommittee {
            path: path.to_path_buf(),
            what: what.to_string(),
            why,
        }
    }
}

/// Reads a committee workbook named on the command line: its Cover,
/// Characteristics and Action plan. A file that is not one is a fatal
/// error, since the user named it as one (`what` says as what).
pub fn read(path: &Path, what: &str) -> Result<Committee, Error> {
    let (book, mut c) =
        open(path, &[COVER, CHARACTERISTICS, ACTION_PLAN]).map_err(|e| e.into_error(path, what))?;
    if let Some(plan) = sheet(&book, ACTION_PLAN) {
        read_actions(plan, &mut c);
    }
    Ok(c)
}

/// Reads the scores of a committee workbook for `compare`: its Cover and
/// Characteristics sheet only. It must name the authority and have the
/// Code and Final score columns.
pub fn read_scores(path: &Path) -> Result<Committee, NotCommittee> {
    let (book, c) = open(path, &[COVER, CHARACTERISTICS])?;
    if c.authority.is_none() {
        return Err(NotCommittee::NoAuthority);
    }
    let table = sheet(&book, CHARACTERISTICS)
        .ok_or(NotCommittee::NotOurs("it has no Characteristics sheet"))?;
    if table.rows.is_empty() {
        return Err(NotCommittee::EmptyTable);
    }
    let cols = headings(table);
    if find(&cols, col::CODE).is_none() || find(&cols, col::FINAL_SCORE).is_none() {
        return Err(NotCommittee::NoScoreColumns);
    }
    Ok(c)
}

/// Whether `path` is a workbook this tool wrote (a committee or sector
/// workbook): its document properties, or else its first sheet (the
/// Cover), say it was produced by bestvalue. Quick enough to ask before
/// replacing an output.
pub fn is_ours(path: &Path) -> bool {
    if properties_say_ours(path) {
        return true;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(book) = open_book_sheets(bytes, "xlsx", 1) else {
        return false;
    };
    book.sheets
        .iter()
        .filter(|g| !g.hidden)
        .any(cover_says_ours)
}

/// The quick answer: the workbook's document properties (which Excel and
/// LibreOffice keep when the file is saved again) carry the comment this
/// tool writes. Opening the whole workbook costs more than writing a new
/// one, so this is asked first; a workbook whose properties were cleared
/// is still recognised by its Cover.
fn properties_say_ours(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(core) = zip.by_name("docProps/core.xml") else {
        return false;
    };
    // The properties part is a few hundred bytes; read no more than 64 KB.
    let mut text = String::new();
    if core.take(64 * 1024).read_to_string(&mut text).is_err() {
        return false;
    }
    text.contains(marks::DOCUMENT_COMMENT_XML)
}

/// Opens the workbook, reading the `sheets` named, checks it is a committee
/// workbook this tool wrote, and reads its Cover and Characteristics.
fn open(path: &Path, sheets: &[&str]) -> Result<(Book, Committee), NotCommittee> {
    let bytes = std::fs::read(path).map_err(NotCommittee::Unreadable)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut wanted = sheets.to_vec();
    wanted.push(SECTOR_MARK_SHEET);
    let book = open_book_named(bytes, &ext, &wanted).map_err(|f| match f {
        OpenFailure::TooLarge(why) => NotCommittee::TooLarge(why),
        _ => NotCommittee::NotOurs("it could not be opened"),
    })?;
    if sheet(&book, SECTOR_MARK_SHEET).is_some() {
        return Err(NotCommittee::Sector);
    }
    let cover = sheet(&book, COVER).ok_or(NotCommittee::NotOurs("it has no Cover sheet"))?;
    let table = sheet(&book, CHARACTERISTICS)
        .ok_or(NotCommittee::NotOurs("it has no Characteristics sheet"))?;
    if !cover_says_ours(cover) {
        return Err(NotCommittee::NotOurs(
            "its Cover does not say it was produced by bestvalue",
        ));
    }
    let mut c = Committee {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        ..Committee::default()
    };
    read_cover(cover, &mut c);
    read_characteristics(table, &mut c);
    Ok((book, c))
}

fn sheet<'b>(book: &'b Book, name: &str) -> Option<&'b Grid> {
    book.sheets.iter().find(|g| g.name == name)
}

/// The value beside a Cover fact's label (label in column A, value in B).
fn fact(g: &Grid, label: &str) -> Option<String> {
    let want = fold(label);
    g.rows
        .keys()
        .find(|&&r| g.get(r, 0).is_some_and(|d| fold(&cells::text(d)) == want))
        .and_then(|&r| g.get(r, 1))
        .map(cells::squeezed)
}

fn cover_says_ours(g: &Grid) -> bool {
    fact(g, marks::PRODUCED_BY).is_some_and(|v| marks::names_us(&v))
}

fn read_cover(g: &Grid, c: &mut Committee) {
    c.authority = g.get(0, 0).map(cells::squeezed).filter(|s| !s.is_empty());
    c.as_at = fact(g, AS_AT)
        .and_then(|t| dates::parse_text(&t).ok().flatten())
        .map(|d| d.date);
    let (name, version) = split_framework_line(&fact(g, FRAMEWORK).unwrap_or_default());
    c.framework = name;
    c.framework_version = Some(version).filter(|v| !v.is_empty());
}

/// Heading → column, from a table's first row.
fn headings(g: &Grid) -> Vec<(String, u16)> {
    g.rows
        .values()
        .next()
        .map(|row| row.iter().map(|(c, v)| (cells::text(v), *c)).collect())
        .unwrap_or_default()
}

/// The rows below a table's heading row.
fn body(g: &Grid) -> impl Iterator<Item = u32> + '_ {
    let first = g.rows.keys().next().copied();
    g.rows.keys().copied().filter(move |r| Some(*r) != first)
}

fn find(cols: &[(String, u16)], heading: &str) -> Option<u16> {
    cols.iter()
        .find(|(h, _)| fold(h) == fold(heading))
        .map(|(_, c)| *c)
}

fn text(g: &Grid, r: u32, c: Option<u16>) -> String {
    c.and_then(|c| g.get(r, c))
        .map(cells::text)
        .unwrap_or_default()
}

fn squeezed(g: &Grid, r: u32, c: Option<u16>) -> String {
    c.and_then(|c| g.get(r, c))
        .map(cells::squeezed)
        .unwrap_or_default()
}

fn read_characteristics(g: &Grid, c: &mut Committee) {
    let cols = headings(g);
    let at = |h: &str| find(&cols, h);
    let code = at(col::CODE);
    // "<Round> round score" columns, in order, with their commentary.
    let rounds: Vec<(String, u16, Option<u16>)> = cols
        .iter()
        .filter_map(|(h, i)| {
            let name = col::round_of_score(h)?;
            Some((name.to_string(), *i, at(&col::round_commentary(name))))
        })
        .collect();
    for r in body(g) {
        let code_text = squeezed(g, r, code);
        if code_text.is_empty() {
            continue;
        }
        c.characteristics.push(PrevCharacteristic {
            code: code_text,
            row: r,
            narrative: text(g, r, at(col::POSITION_STATEMENT)),
            evidence: text(g, r, at(col::EVIDENCE)),
            gaps: text(g, r, at(col::GAPS)),
            rounds: rounds
                .iter()
                .map(|(name, sc, cc)| (name.clone(), text(g, r, Some(*sc)), text(g, r, *cc)))
                .collect(),
            final_score: squeezed(g, r, at(col::FINAL_SCORE)),
            set_at: text(g, r, at(col::SCORE_SET_AT)),
            set_by: text(g, r, at(col::SET_BY)),
        });
    }
}

fn date_at(g: &Grid, r: u32, c: Option<u16>) -> Option<DateValue> {
    let d = c.and_then(|c| g.get(r, c))?;
    dates::parse(d).ok().flatten()
}

fn read_actions(g: &Grid, c: &mut Committee) {
    let cols = headings(g);
    let at = |h: &str| find(&cols, h);
    let id = at(col::ACTION_ID);
    for r in body(g) {
        let id_text = text(g, r, id);
        // A characteristic without an action, not an action.
        if id_text.is_empty() || id_text == NO_ACTION_ID {
            continue;
        }
        c.actions.push(PrevAction {
            id: id_text,
            row: r,
            code: text(g, r, at(col::CODE)),
            gap: text(g, r, at(col::GAP)),
            action: text(g, r, at(col::ACTION)),
            owner: text(g, r, at(col::OWNER)),
            service_area: text(g, r, at(col::SERVICE_AREA)),
            target: date_at(g, r, at(col::TARGET_DATE)),
            status: text(g, r, at(col::STATUS)),
            overdue: !text(g, r, at(col::OVERDUE)).is_empty(),
            progress: text(g, r, at(col::LATEST_PROGRESS)),
            updated: date_at(g, r, at(col::DATE_OF_UPDATE)).map(|d| d.date),
            perf_ref: text(g, r, at(col::PERF_REF)),
            history: parse_history(&text(g, r, at(col::EARLIER_UPDATES))),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.xlsx");
        std::fs::write(&path, b"hello").unwrap();
        let e = read_scores(&path).unwrap_err();
        assert!(e.reason().contains("not a committee workbook"), "{e:?}");
        let e = read(&path, "last month's committee workbook").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "'{}' cannot be used as last month's committee workbook: it could not be opened. Give a committee workbook written by bestvalue build.",
                path.display()
            )
        );
        assert!(!is_ours(&path));
    }
}
