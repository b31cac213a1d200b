//! Feedback workbooks: an officer's own return sent back with every problem
//! cell highlighted and a note on it saying what is wrong and how to fix it,
//! and a first sheet listing the corrections with links to the cells.
//! Every sheet and value the officer sent is kept in place, so the copy is
//! itself a valid return once corrected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::Data;
use rust_xlsxwriter::{
    DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Url, Workbook,
    Worksheet, XlsxError,
};

use crate::Outcome;
use crate::error::Error;
use crate::problems::{Problem, Severity};
use crate::read::returns::columns::{Field, find_header};
use crate::read::{Grid, InputFile, cells, open_book};
use crate::write::guard::{Guard, Output};

/// The first sheet of a feedback workbook. The reader skips a sheet with
/// this name whose first cell starts with `FEEDBACK_MARK`, so a corrected
/// return can be sent back with it still in place.
pub const FEEDBACK_SHEET: &str = "Problems";
pub const FEEDBACK_MARK: &str = "Corrections from bestvalue";

/// Whether a sheet is the corrections list of a feedback workbook.
pub fn is_feedback_sheet(grid: &Grid) -> bool {
    grid.name == FEEDBACK_SHEET
        && matches!(grid.get(0, 0), Some(Data::String(s)) if s.starts_with(FEEDBACK_MARK))
}

const HIGHLIGHT: &str = "#FFC7CE";
const HIGHLIGHT_TEXT: &str = "#9C0006";

/// Writes a feedback workbook for every return with problems. Returns the
/// files written.
/// Each file goes through the run's output guard, which has already
/// checked the folder (not an input, not among the returns).
pub fn write_all(o: &Outcome, dir: &Path, guard: &Guard) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for f in &o.files {
        let mine: Vec<&Problem> = o
            .problems
            .iter()
            .filter(|p| p.location.file == f.display)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let Some(bytes) = feedback_for(f, &mine, o)? else {
            continue;
        };
        let target = dir.join(Path::new(&f.display).with_extension("xlsx"));
        guard.write(&target, Output::Feedback, &bytes)?;
        written.push(target);
    }
    Ok(written)
}

/// Builds one feedback workbook, or `None` when the file cannot be opened
/// (a damaged file cannot be copied; the officer is chased instead).
fn feedback_for(
    f: &InputFile,
    problems: &[&Problem],
    o: &Outcome,
) -> Result<Option<Vec<u8>>, Error> {
    let ext = f
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let Ok(bytes) = std::fs::read(&f.path) else {
        return Ok(None);
    };
    let Ok(book) = open_book(bytes, &ext) else {
        return Ok(None);
    };
    render(f, &book.sheets, problems, o)
        .map(Some)
        .map_err(|e| Error::Write {
            path: f.path.clone(),
            message: e.to_string(),
        })
}

fn render(
    f: &InputFile,
    sheets: &[Grid],
    problems: &[&Problem],
    o: &Outcome,
) -> Result<Vec<u8>, XlsxError> {
    let fw = &o.framework;
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("Corrections to your return")
            .set_comment(format!("{FEEDBACK_MARK} {}", env!("CARGO_PKG_VERSION")))
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    let mark = Format::new()
        .set_background_color(HIGHLIGHT)
        .set_font_color(HIGHLIGHT_TEXT)
        .set_border(FormatBorder::Medium)
        .set_border_color(HIGHLIGHT_TEXT)
        .set_text_wrap()
        .set_align(FormatAlign::Top);

    // Problems by cell, to mark and annotate.
    let mut by_cell: BTreeMap<(String, u32, u16), Vec<&Problem>> = BTreeMap::new();
    for p in problems {
        if let (Some(s), Some(r), Some(c)) = (&p.location.sheet, p.location.row, p.location.col) {
            by_cell.entry((s.clone(), r, c)).or_default().push(p);
        }
    }
    let copied: Vec<&Grid> = sheets.iter().filter(|g| !is_feedback_sheet(g)).collect();

    // First sheet: the list of corrections.
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let ws = wb.add_worksheet().set_name(FEEDBACK_SHEET)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{FEEDBACK_MARK}: {}", f.display),
        &Format::new().set_bold().set_font_size(14),
    )?;
    let headline = match (errors, warnings) {
        (0, w) => format!(
            "Nothing to correct; {} to check before you send this back.",
            crate::report::console::plural(w, "thing")
        ),
        (e, 0) => format!(
            "{} to correct before you send this back.",
            crate::report::console::plural(e, "thing")
        ),
        (e, w) => format!(
            "{} to correct before you send this back, and {} to check.",
            crate::report::console::plural(e, "thing"),
            w
        ),
    };
    ws.write_string_with_format(
        1,
        0,
        &headline,
        &Format::new()
            .set_bold()
            .set_font_size(12)
            .set_font_color(HIGHLIGHT_TEXT),
    )?;
    ws.write_string_with_format(
        2,
        0,
        "Each cell to look at is highlighted on its sheet, with a note saying what to do. Correct them, save, and send the workbook back as it is.",
        &Format::new().set_italic(),
    )?;
    let heads = [
        ("Must fix?", 10.0),
        ("Sheet", 14.0),
        ("Cell", 8.0),
        ("Column", 18.0),
        ("Value found", 22.0),
        ("Problem", 50.0),
        ("How to fix", 50.0),
    ];
    for (i, (h, w)) in heads.iter().enumerate() {
        ws.write_string_with_format(
            4,
            i as u16,
            *h,
            &bold.clone().set_background_color("#D9E1F2"),
        )?;
        ws.set_column_width(i as u16, *w)?;
    }
    for (row, p) in (5u32..).zip(problems.iter()) {
        ws.write_string(
            row,
            0,
            if p.severity == Severity::Error {
                "Yes"
            } else {
                "Check"
            },
        )?;
        ws.write_string(
            row,
            1,
            p.location.sheet.as_deref().unwrap_or("(whole file)"),
        )?;
        let cell = p.location.cell_ref();
        match (&p.location.sheet, cell.is_empty()) {
            (Some(sheet), false) if copied.iter().any(|g| &g.name == sheet) => {
                let link = format!(
                    "internal:{}!{}",
                    rust_xlsxwriter::utility::quote_sheet_name(sheet),
                    cell
                );
                ws.write_url(row, 2, Url::new(link).set_text(&cell))?;
            }
            _ => {
                ws.write_string(row, 2, &cell)?;
            }
        }
        ws.write_string_with_format(row, 3, p.column.as_deref().unwrap_or(""), &wrap)?;
        crate::write::xlsx::text(
            ws,
            row,
            4,
            &crate::problems::short(p.found.as_deref().unwrap_or(""), 300),
            &wrap,
        )?;
        ws.write_string_with_format(row, 5, &p.message, &wrap)?;
        ws.write_string_with_format(row, 6, &p.hint, &wrap)?;
        crate::write::xlsx::fit_height(ws, row, &[(&p.message, 50.0), (&p.hint, 50.0)])?;
    }
    ws.set_freeze_panes(5, 0)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);

    // Then every sheet of the return, as sent.
    for g in copied {
        let ws = wb.add_worksheet().set_name(&g.name)?;
        if g.hidden {
            ws.set_hidden(true);
        }
        copy_sheet(ws, g, &wrap, &date)?;
        for ((sheet, r, c), ps) in
            by_cell.range((g.name.clone(), 0, 0)..=(g.name.clone(), u32::MAX, u16::MAX))
        {
            debug_assert_eq!(sheet, &g.name);
            let note: Vec<String> = ps
                .iter()
                .map(|p| format!("{}\nTo fix: {}", p.message, p.hint))
                .collect();
            let mut value = g.get(*r, *c).cloned().unwrap_or(Data::Empty);
            // A score given only as a colour is typed in, so the copy says in
            // words what was read (the note asks the officer to confirm it).
            if let Some(label) = ps.iter().find_map(|p| colour_score(p, f, o)) {
                value = Data::String(label);
            }
            write_value(ws, *r, *c, &value, &mark, &mark)?;
            ws.insert_note(
                *r,
                *c,
                &Note::new(note.join("\n\n"))
                    .set_author("bestvalue")
                    .set_width(360)
                    .set_height(160),
            )?;
        }
        // Give the score column its drop-down back, so the fix is a choice.
        if let Some(h) = find_header(g, fw, None)
            && let Some(col) = h.col(Field::Score)
        {
            let labels: Vec<&str> = fw.scale.iter().map(|l| l.label.as_str()).collect();
            if let Ok(dv) = DataValidation::new().allow_list_strings(&labels) {
                let last = g
                    .rows
                    .keys()
                    .next_back()
                    .copied()
                    .unwrap_or(h.row + 1)
                    .max(h.row + 1);
                let dv = dv
                    .set_input_title("Score")?
                    .set_input_message(format!("Choose one of: {}.", fw.scale_list()))?;
                ws.add_data_validation(h.row + 1, col, last, col, &dv)?;
            }
            ws.set_freeze_panes(h.row + 1, 0)?;
        }
    }
    wb.worksheet_from_index(0)?.set_active(true);
    wb.save_to_buffer()
}

/// Copies every value to the same cell, with widths that show the text.
fn copy_sheet(ws: &mut Worksheet, g: &Grid, wrap: &Format, date: &Format) -> Result<(), XlsxError> {
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for (r, row) in &g.rows {
        for (c, v) in row {
            write_value(ws, *r, *c, v, wrap, date)?;
            let len = cells::shown(v)
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            let w = widths.entry(*c).or_default();
            *w = (*w).max(len);
        }
    }
    for (c, w) in widths {
        ws.set_column_width(c, (w as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    for m in &g.merged {
        if m.start != m.end {
            let text = g
                .get(m.start.0, m.start.1 as u16)
                .map(cells::shown)
                .unwrap_or_default();
            ws.merge_range(
                m.start.0,
                m.start.1 as u16,
                m.end.0,
                m.end.1 as u16,
                &text,
                wrap,
            )?;
        }
    }
    Ok(())
}

fn write_value(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Data,
    text_format: &Format,
    date_format: &Format,
) -> Result<(), XlsxError> {
    match v {
        Data::Empty => {
            ws.write_blank(r, c, text_format)?;
        }
        Data::String(s) => crate::write::xlsx::text(ws, r, c, s, text_format)?,
        Data::Float(x) => {
            ws.write_number_with_format(r, c, *x, text_format)?;
        }
        Data::Int(x) => {
            ws.write_number_with_format(r, c, *x as f64, text_format)?;
        }
        Data::Bool(b) => {
            ws.write_boolean_with_format(r, c, *b, text_format)?;
        }
        Data::DateTime(dt) => match crate::dates::from_excel(dt) {
            Some(d) => {
                use chrono::Datelike;
                let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(r, c, &x, &merge_date(text_format, date_format))?;
            }
            None => {
                ws.write_number_with_format(r, c, dt.as_f64(), text_format)?;
            }
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => match crate::dates::parse_text(s) {
            Ok(Some(d)) => {
                use chrono::Datelike;
                let x = ExcelDateTime::from_ymd(
                    d.date.year() as u16,
                    d.date.month() as u8,
                    d.date.day() as u8,
                )?;
                ws.write_datetime_with_format(r, c, &x, &merge_date(text_format, date_format))?;
            }
            _ => crate::write::xlsx::text(ws, r, c, s, text_format)?,
        },
        // The value the officer's formula showed, kept as text so it is seen.
        Data::Error(e) => {
            ws.write_string_with_format(r, c, e.to_string(), text_format)?;
        }
    }
    Ok(())
}

/// A date keeps its date format even when the cell is highlighted.
fn merge_date(base: &Format, date: &Format) -> Format {
    if base == date {
        date.clone()
    } else {
        base.clone().set_num_format("dd/mm/yyyy")
    }
}

/// The score read from a coloured cell, for a `score-from-colour` problem.
fn colour_score(p: &Problem, f: &InputFile, o: &Outcome) -> Option<String> {
    if p.kind != crate::problems::Kind::ScoreFromColour {
        return None;
    }
    let Some(crate::problems::Subject::Characteristic(c)) = p.subject else {
        return None;
    };
    let round = o.returns.iter().find(|r| r.file == f.display)?.round?;
    let entry = o.assessment.characteristics[c].rounds[round].as_ref()?;
    entry.score.map(|l| o.framework.scale[l].label.clone())
}
