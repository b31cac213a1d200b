//! What the feedback workbook says to the officer: the title of its
//! Problems sheet ("3 things to correct in your Review return for
//! Culture"), the list of problems with links to their cells, and the note
//! on each problem cell. No folder of the performance officer's machine is
//! named: only the file's own name.

use std::path::Path;

use crate::assess::Outcome;
use crate::problems::{Kind, Problem, Severity};
use crate::records::{ReturnInfo, ReturnKind};
use crate::report::console::plural;
use crate::write::markup::{Cell, Column, Line, LineKind, Mark, ProblemsSheet};

use super::FEEDBACK_MARK;

/// The file's own name, without the folders it was found in.
pub fn file_name(display: &str) -> &str {
    display.rsplit(['/', '\\']).next().unwrap_or(display)
}

/// "your Review return for Culture", "your action-plan return for Housing".
fn what_return(info: Option<&ReturnInfo>, o: &Outcome) -> String {
    let Some(info) = info else {
        return "your return".into();
    };
    let fw = &o.framework;
    match info.kind {
        ReturnKind::Actions => match &info.service_area {
            Some(a) if !a.trim().is_empty() => format!("your action-plan return for {}", a.trim()),
            _ => "your action-plan return".into(),
        },
        ReturnKind::Assessment => {
            let round = info
                .round
                .and_then(|r| fw.rounds.get(r))
                .map(|r| format!("{} ", r.name))
                .unwrap_or_default();
            let themes: Vec<&str> = info
                .themes
                .iter()
                .filter_map(|t| fw.themes.get(*t))
                .map(|t| t.name.as_str())
                .collect();
            let whose = match themes.len() {
                0 => String::new(),
                n if n == fw.themes.len() && n > 2 => " for all themes".into(),
                1 => format!(" for {}", themes[0]),
                2 => format!(" for {} and {}", themes[0], themes[1]),
                n => format!(" for {n} themes"),
            };
            format!("your {round}return{whose}")
        }
        _ => "your return".into(),
    }
}

/// Why a return was rebuilt rather than marked up in place.
pub enum Rebuilt {
    /// An .xls or .ods file, made into an .xlsx; `format` is its kind with
    /// its article ("an Excel 97-2003 (.xls)").
    Converted { format: String },
    /// An .xlsx whose package could not be edited.
    Unreadable { why: String },
}

/// The sheets of the feedback workbook the list can link to: their names,
/// and (in a copy) each sheet renamed because Excel refused its name, as
/// (the name the reader gave it, its name in the copy).
pub struct Sheets<'a> {
    pub names: &'a [String],
    pub renamed: &'a [(String, String)],
}

impl Sheets<'_> {
    /// The name in the feedback workbook of the sheet a problem names.
    fn here(&self, sheet: &str) -> Option<&str> {
        match self.renamed.iter().find(|(old, _)| old == sheet) {
            Some((_, new)) => Some(new),
            None => self.names.iter().find(|n| *n == sheet).map(String::as_str),
        }
    }
}

/// The Problems sheet and the marks for one return's problems.
pub fn build(
    display: &str,
    problems: &[&Problem],
    o: &Outcome,
    name: &str,
    replaces: Option<String>,
    rebuilt: Option<&Rebuilt>,
    sheets: &Sheets,
) -> (ProblemsSheet, Vec<Mark>) {
    let info = o.returns.iter().find(|r| r.file == display);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let what = what_return(info, o);
    let title = match (errors, warnings) {
        (0, w) => format!(
            "Nothing to correct in {what}, and {} to check",
            plural(w, "thing")
        ),
        (e, _) => format!("{} to correct in {what}", plural(e, "thing")),
    };
    let file = file_name(display);
    let mut lines = vec![
        Line {
            text: format!("{FEEDBACK_MARK} · {file}"),
            kind: LineKind::Small,
        },
        Line {
            text: title.clone(),
            kind: LineKind::Title,
        },
    ];
    if errors > 0 && warnings > 0 {
        lines.push(Line {
            text: format!(
                "And {} to check: those marked \"Check\" may be right as they are.",
                plural(warnings, "thing")
            ),
            kind: LineKind::Headline,
        });
    }
    lines.push(Line {
        text: "Each cell to look at is filled lavender on its sheet, with a note saying what to do (point at the cell to read it). Correct them, save, and send this workbook back as it is: this sheet is left out when it is read. Tick each line off as you go.".into(),
        kind: LineKind::Body,
    });
    match rebuilt {
        Some(Rebuilt::Converted { format }) => lines.push(Line {
            text: format!(
                "Your return was {format} file. Notes and highlights can only be added to a workbook in Excel's current format (.xlsx), so this is a copy of it in that format: the values and column widths are kept, and the drop-downs and protection of the template where they could be read. You can send back this copy, or your own file once corrected."
            ),
            kind: LineKind::Body,
        }),
        Some(Rebuilt::Unreadable { why }) => lines.push(Line {
            text: format!(
                "Your workbook could not be marked up as it is ({why}), so this is a copy made from its values: the look of the original is not all kept. You can send back this copy, or your own file once corrected."
            ),
            kind: LineKind::Body,
        }),
        None => {}
    }
    let columns = [
        ("#", 4.0),
        ("Must fix?", 9.0),
        ("Where", 16.0),
        ("Column", 14.0),
        ("Value found", 15.0),
        ("What is wrong", 34.0),
        ("How to fix it", 34.0),
        ("Done", 6.0),
    ]
    .map(|(h, w)| Column {
        heading: h.into(),
        width: w,
    })
    .to_vec();
    let mut rows = Vec::new();
    let mut marks = Vec::new();
    for (i, p) in problems.iter().enumerate() {
        let must = if p.severity == Severity::Error {
            Cell::Strong("Yes".into())
        } else {
            Cell::Text("Check".into())
        };
        let cell = p.location.cell_ref();
        let on_sheet = p.location.sheet.as_deref().and_then(|s| sheets.here(s));
        let place = match (&p.location.sheet, on_sheet, p.location.row, p.location.col) {
            (_, Some(sheet), Some(row), Some(col)) => Cell::Link {
                text: format!("{sheet} {cell}"),
                sheet: sheet.to_string(),
                row,
                col,
            },
            (Some(sheet), _, _, _) if !cell.is_empty() => Cell::Text(format!("{sheet} {cell}")),
            (Some(sheet), _, _, _) => Cell::Text(sheet.clone()),
            (None, ..) => Cell::Text("The whole file".into()),
        };
        rows.push(vec![
            Cell::Number((i + 1) as f64),
            must,
            place,
            Cell::Text(p.column.clone().unwrap_or_default()),
            Cell::Text(crate::problems::short(
                p.found.as_deref().unwrap_or(""),
                200,
            )),
            Cell::Text(p.message.clone()),
            Cell::Text(p.hint.clone()),
            Cell::Empty,
        ]);
        if let (Some(sheet), Some(row), Some(col)) =
            (&p.location.sheet, p.location.row, p.location.col)
        {
            marks.push(Mark {
                // A renamed sheet's marks follow it.
                sheet: sheets.here(sheet).unwrap_or(sheet).to_string(),
                row,
                col,
                note: format!("{}\nTo fix: {}", p.message, p.hint),
                // A score given as a colour keeps its colour: it is the score.
                fill: p.kind != Kind::ScoreFromColour,
            });
        }
    }
    let sheet = ProblemsSheet {
        name: name.to_string(),
        lines,
        columns,
        rows,
        page_header: title,
        replaces,
    };
    (sheet, marks)
}

/// The feedback copy's file name for a return: its own name, as an Excel
/// workbook (macro-enabled ones stay so).
pub fn feedback_name(display: &str) -> String {
    let name = Path::new(file_name(display));
    let ext = name
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem = name
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = if ext == "xlsm" { "xlsm" } else { "xlsx" };
    format!("{stem}.{ext}")
}
