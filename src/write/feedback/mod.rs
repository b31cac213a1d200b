//! Feedback workbooks: each return with problems goes back to its officer
//! as their own workbook, marked up. An .xlsx or .xlsm is edited in place
//! (see [`crate::write::markup`]): every sheet, format, drop-down, rule,
//! protection setting and note stays as it was, and the problem cells are
//! filled lavender with a note saying what is wrong and how to fix it, under
//! a first sheet listing them with links. An .xls or .ods, which cannot be
//! edited that way, becomes an Excel copy (see [`convert`]) marked up the
//! same way, and its list says so. The copy is itself a valid return: read
//! again, it gives what the original gave, and once corrected it is clean.
//!
//! One return whose copy cannot be made never stops the others: it is
//! reported as not written, with the reason.

mod conditions;
mod convert;
mod list;
mod ods;
mod xls;

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::assess::Outcome;
use crate::error::Error;
use crate::problems::Problem;
use crate::read::{Grid, InputFile, open_book};
use crate::write::guard::{Guard, Output};
use crate::write::markup::{self, MarkupError, Options};

// The list's names and first words, and how the reader knows it (it
// leaves the list out, so a corrected copy can be sent back as it is): the
// marks live below both the reader and this writer.
use crate::marks::{FEEDBACK_MARK, FEEDBACK_SHEETS};
use crate::read::returns::is_feedback_sheet;

/// Lavender: no template fill, scale colour or status colour is near it,
/// for normal sight and the common colour-vision deficiencies; black text
/// on it has a contrast of 9.6:1.
const HIGHLIGHTS: [[u8; 3]; 3] = [[0xCC, 0x99, 0xFF], [0x99, 0xCC, 0xFF], [0xFF, 0x99, 0xCC]];
/// How far (on any channel) the highlight stays from every scale colour,
/// so that a highlighted blank score cell is never read as a score.
const APART: i32 = 64;

fn highlight_for(o: &Outcome) -> [u8; 3] {
    let rgb = |h: &str| {
        let v = u32::from_str_radix(h.trim_start_matches('#'), 16).unwrap_or(0);
        [
            (v >> 16) as i32 & 255,
            (v >> 8) as i32 & 255,
            v as i32 & 255,
        ]
    };
    let far = |c: &[u8; 3]| {
        o.framework.scale.iter().all(|l| {
            let f = rgb(&l.fill);
            (0..3)
                .map(|i| (c[i] as i32 - f[i]).abs())
                .max()
                .unwrap_or(0)
                > APART
        })
    };
    HIGHLIGHTS.into_iter().find(far).unwrap_or(HIGHLIGHTS[0])
}

/// What `check --feedback` did.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Returns whose copy could not be made: (return, reason).
    pub not_written: Vec<(String, String)>,
    /// Things the officer should know that the copy changed (a name taken).
    pub notes: Vec<String>,
}

/// Writes a feedback workbook for every return with problems. Every file
/// goes through the run's output guard (which has already checked the
/// folder): all the names are checked before any copy is written, so a
/// file in the way stops the run with nothing half done.
pub fn write_all(o: &Outcome, dir: &Path, guard: &Guard) -> Result<Written, Error> {
    let mut out = Written::default();
    let mut taken: HashSet<String> = HashSet::new();
    let mut jobs = Vec::new();
    for f in &o.files {
        let mine: Vec<&Problem> = o
            .problems
            .iter()
            .filter(|p| p.location.file == f.display)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let target = unique_target(dir, &f.display, &mut taken);
        guard.check_file(&target, Output::Feedback)?;
        jobs.push((f, mine, target));
    }
    for (f, mine, target) in jobs {
        let bytes = match feedback_for(f, &mine, o) {
            Ok(b) => b,
            Err(why) => {
                out.not_written.push((f.display.clone(), why));
                continue;
            }
        };
        let wanted = dir
            .join(folders_of(&f.display))
            .join(list::feedback_name(&f.display));
        if target != wanted {
            out.notes.push(format!(
                "The feedback for {} is {}: another return has the same name.",
                f.display,
                target.strip_prefix(dir).unwrap_or(&target).display()
            ));
        }
        match guard.write(&target, Output::Feedback, &bytes) {
            Ok(()) => out.files.push(target),
            Err(e) => out.not_written.push((f.display.clone(), e.to_string())),
        }
    }
    Ok(out)
}

/// The folders a return was found in below the folder given, kept so that
/// returns from different folders stay apart.
fn folders_of(display: &str) -> PathBuf {
    let p = Path::new(display);
    p.parent()
        .map(|d| {
            d.components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(n),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The feedback file for a return, with " (2)", " (3)"… added when an
/// earlier return of this run took the name.
fn unique_target(dir: &Path, display: &str, taken: &mut HashSet<String>) -> PathBuf {
    let folder = dir.join(folders_of(display));
    let name = list::feedback_name(display);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "xlsx"));
    for n in 1.. {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem} ({n}).{ext}")
        };
        let path = folder.join(&candidate);
        if taken.insert(path.to_string_lossy().to_lowercase()) {
            return path;
        }
    }
    unreachable!("some number is free")
}

/// One return's feedback workbook, or why it could not be made.
fn feedback_for(f: &InputFile, problems: &[&Problem], o: &Outcome) -> Result<Vec<u8>, String> {
    let ext = f
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = crate::files::read_limited(&f.path, crate::read::workbook::MAX_FILE_BYTES)
        .map_err(|e| format!("it could not be read again ({e})"))?;
    let opts = Options {
        highlight: highlight_for(o),
        author: "bestvalue".into(),
    };
    let cannot_open = || {
        "it could not be opened, so there is nothing to mark up; ask the officer to send it again"
            .to_string()
    };
    if matches!(ext.as_str(), "xlsx" | "xlsm") {
        // A file too large or damaged to read is not marked up: the editor
        // would unpack what reading refused (a zip bomb took 535 MB).
        crate::read::integrity::fit_to_read(&bytes).map_err(|_| {
            "it could not be read, so there is nothing to mark up (see its problems)".to_string()
        })?;
        // Only the sheet names are needed to edit the package: its cells
        // are not read again (a return at the cell limit stays cheap).
        let (names, ours) = look_inside(&bytes).ok_or_else(cannot_open)?;
        let others: Vec<String> = names
            .iter()
            .filter(|n| Some(*n) != ours.as_ref())
            .cloned()
            .collect();
        let name = ours.clone().unwrap_or_else(|| sheet_name(&others));
        let sheets = list::Sheets {
            names: &others,
            renamed: &[],
        };
        let (sheet, marks) =
            list::build(&f.display, problems, o, &name, ours.clone(), None, &sheets);
        match markup::mark_up(&bytes, &marks, &sheet, &opts) {
            Ok(m) => return Ok(m.bytes),
            Err(e) => {
                let book = open_book(bytes, &ext).map_err(|_| cannot_open())?;
                let why = plain(&e);
                return rebuilt(
                    f,
                    &book.sheets,
                    &BTreeMap::new(),
                    problems,
                    o,
                    &opts,
                    list::Rebuilt::Unreadable { why },
                );
            }
        }
    }
    let book = open_book(bytes.clone(), &ext).map_err(|_| cannot_open())?;
    let format = match ext.as_str() {
        "ods" => "a LibreOffice (.ods)".to_string(),
        "xls" => "an Excel 97-2003 (.xls)".to_string(),
        other => format!("a .{other}"),
    };
    let looks = match ext.as_str() {
        "ods" => ods::looks(&bytes),
        "xls" => {
            let names: Vec<String> = book.sheets.iter().map(|g| g.name.clone()).collect();
            xls::looks(&bytes, &names)
        }
        _ => BTreeMap::new(),
    };
    rebuilt(
        f,
        &book.sheets,
        &looks,
        problems,
        o,
        &opts,
        list::Rebuilt::Converted { format },
    )
}

/// Whether an .xlsx is a feedback workbook: one of its sheets is our list
/// of corrections (its document properties are the officer's own).
pub fn is_feedback_workbook(bytes: &[u8]) -> bool {
    look_inside(bytes).is_some_and(|(_, ours)| ours.is_some())
}

/// An .xlsx's sheet names, and which of them (if any) is the list of an
/// earlier feedback, from the first cell of the sheets that may be one.
fn look_inside(bytes: &[u8]) -> Option<(Vec<String>, Option<String>)> {
    use calamine::{DataRef, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).ok()?;
    let names = wb.sheet_names();
    let ours = names
        .iter()
        .filter(|n| FEEDBACK_SHEETS.contains(&n.as_str()))
        .find(|n| {
            let Ok(mut cells) = wb.worksheet_cells_reader(n) else { return false };
            matches!(cells.next_cell(), Ok(Some(c)) if c.get_position() == (0, 0)
                && (matches!(c.get_value(), DataRef::SharedString(t) if t.starts_with(FEEDBACK_MARK))
                    || matches!(c.get_value(), DataRef::String(t) if t.starts_with(FEEDBACK_MARK))))
        })
        .cloned();
    Some((names, ours))
}

/// An Excel copy made from what could be read, then marked up.
fn rebuilt(
    f: &InputFile,
    sheets: &[Grid],
    looks: &BTreeMap<String, ods::SheetLook>,
    problems: &[&Problem],
    o: &Outcome,
    opts: &Options,
    why: list::Rebuilt,
) -> Result<Vec<u8>, String> {
    let kept: Vec<&Grid> = sheets.iter().filter(|g| !is_feedback_sheet(g)).collect();
    let copy = convert::copy(f, &kept, o, looks)
        .map_err(|e| format!("an Excel copy could not be made ({e})"))?;
    let names: Vec<String> = copy.sheet_names.clone();
    let name = sheet_name(&names);
    let sheets = list::Sheets {
        names: &names,
        renamed: &copy.renamed,
    };
    let (mut sheet, marks) = list::build(&f.display, problems, o, &name, None, Some(&why), &sheets);
    sheet
        .lines
        .extend(copy.changes.iter().map(|c| markup::Line {
            text: c.clone(),
            kind: markup::LineKind::Body,
        }));
    markup::mark_up(&copy.bytes, &marks, &sheet, opts)
        .map(|m| m.bytes)
        .map_err(|e| format!("its Excel copy could not be marked up ({})", plain(&e)))
}

/// The first of our names that none of the officer's sheets has.
fn sheet_name(sheets: &[String]) -> String {
    FEEDBACK_SHEETS
        .iter()
        .find(|n| !sheets.iter().any(|s| s.eq_ignore_ascii_case(n)))
        .unwrap_or(&FEEDBACK_SHEETS[0])
        .to_string()
}

fn plain(e: &MarkupError) -> String {
    e.to_string()
}
