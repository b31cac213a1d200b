//! Writes the committee workbook: Cover, Heat map, Summary, Characteristics,
//! Score trail, Action plan and Problems, in that order. Pure rendering: all
//! the judgements were made in the earlier stages.

mod action_plan;
pub mod actions_csv;
mod cover;
pub mod csv;
mod detail;
mod heat_map;
mod problems_sheet;
pub mod sector;
pub mod styles;
mod summary;

pub use heat_map::NOT_ASSESSED;

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::error::Error;
use crate::framework::Framework;
use crate::input::Skipped;
use crate::merge::Assessment;
use crate::plan::ActionPlan;
use crate::problems::Problems;
use crate::records::ReturnInfo;
use styles::Styles;

/// Everything the committee workbook shows.
pub struct Report<'a> {
    pub fw: &'a Framework,
    pub authority: &'a str,
    pub as_at: Option<NaiveDate>,
    pub returns: &'a [ReturnInfo],
    pub skipped: &'a [Skipped],
    pub assessment: &'a Assessment,
    pub plan: &'a ActionPlan,
    pub problems: &'a Problems,
    /// Last month's committee workbook, when given.
    pub previous: Option<&'a crate::previous::Committee>,
    /// This year against last year, when given.
    pub travel: Option<&'a crate::travel::Travel>,
}

pub const SHEETS: [&str; 7] = [
    "Cover",
    "Heat map",
    "Summary",
    "Characteristics",
    "Score trail",
    "Action plan",
    "Problems",
];

/// Where each characteristic and action sits in the detail sheets, for links.
#[derive(Default)]
pub struct Rows {
    pub characteristic: Vec<u32>,
    pub action: std::collections::HashMap<String, u32>,
}

/// Builds the workbook in memory.
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let created = r
        .as_at
        .and_then(|d| {
            use chrono::Datelike;
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
        })
        .unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: Best Value self-assessment", r.authority))
            .set_subject(format!(
                "Best Value Duty self-assessment against {} (version {})",
                r.fw.name, r.fw.version
            ))
            .set_author(r.authority)
            .set_company(r.authority)
            .set_keywords("Best Value Duty, self-assessment, heat map, action plan")
            .set_comment(format!(
                "Produced by bestvalue {}",
                env!("CARGO_PKG_VERSION")
            ))
            .set_creation_datetime(&created),
    );
    // The sheets are built on two threads, then put in their fixed order:
    // building them costs as much as reading a council's returns. Each
    // sheet's content depends only on the report, so the bytes written are
    // the same whichever thread finishes first.
    let sheet = |name: &str| -> Result<Worksheet, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(ws)
    };
    type Built = Result<(Vec<Worksheet>, Rows), XlsxError>;
    let (first, second): (Built, Built) = std::thread::scope(|scope| {
        let second = scope.spawn(|| -> Built {
            let mut rows = Rows::default();
            let mut plan = sheet("Action plan")?;
            action_plan::write(&mut plan, r, &st, &mut rows)?;
            let mut cover = sheet("Cover")?;
            cover::write(&mut cover, r, &st)?;
            let mut heat = sheet("Heat map")?;
            heat_map::write(&mut heat, r, &st)?;
            Ok((vec![plan, cover, heat], rows))
        });
        let first = (|| -> Built {
            let mut rows = Rows::default();
            let mut detail = sheet("Characteristics")?;
            detail::characteristics(&mut detail, r, &st, &mut rows)?;
            let mut trail = sheet("Score trail")?;
            detail::trail(&mut trail, r, &st)?;
            let mut summary = sheet("Summary")?;
            summary::write(&mut summary, r, &st)?;
            Ok((vec![detail, trail, summary], rows))
        })();
        // A panic in the other thread is a bug: pass it on.
        let second = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    });
    let (mut built, characteristic_rows) = first?;
    let (more, action_rows) = second?;
    built.extend(more);
    // The Problems sheet links to rows of both detail sheets.
    let rows = Rows {
        characteristic: characteristic_rows.characteristic,
        action: action_rows.action,
    };
    let mut problems = sheet("Problems")?;
    problems_sheet::write(&mut problems, r, &st, &rows)?;
    built.push(problems);
    for name in SHEETS {
        let i = built
            .iter()
            .position(|ws| ws.name() == name)
            .expect("every sheet is built");
        let mut ws = built.swap_remove(i);
        if name == "Cover" {
            ws.set_active(true);
        }
        wb.push_worksheet(ws);
    }
    // Level 1 makes the file larger (53 KB rather than 38 KB for a council)
    // in much less time than the default level.
    wb.set_zip_compression_level(1);
    wb.save_to_buffer()
}

/// Writes the workbook atomically: to a temporary file in the same folder,
/// then renamed over the target, so an interrupted run leaves any previous
/// output intact.
pub fn write(path: &Path, r: &Report) -> Result<(), Error> {
    let bytes = render(r).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomically(path, &bytes)
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let werr = |e: &dyn std::fmt::Display| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| werr(&e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bestvalue-").suffix(".tmp");
    // A temporary file is private to its owner; the workbook it becomes is
    // for the clerk and colleagues, so it gets the permissions any new file
    // gets (the user's umask applies, as when Excel saves).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(|e| werr(&e))?;
    tmp.write_all(bytes).map_err(|e| werr(&e))?;
    tmp.as_file().sync_all().map_err(|e| werr(&e))?;
    tmp.persist(path).map_err(|e| werr(&e.error))?;
    Ok(())
}

/// Refuses an output that would overwrite an input, a workbook open in
/// Excel, or a file this tool did not write (unless `force`). A file named
/// as an input is never overwritten, even with `force`; inside a folder
/// given as an input, only a workbook this tool wrote may be replaced (it
/// is never read as an input).
pub fn check_target(out: &Path, inputs: &[&Path], force: bool) -> Result<(), Error> {
    if let Some(name) = out.file_name() {
        let lock = out.with_file_name(format!("~${}", name.to_string_lossy()));
        if lock.exists() {
            return Err(Error::OutputOpen {
                path: out.to_path_buf(),
                lock,
            });
        }
    }
    let Ok(target) = std::fs::canonicalize(out) else {
        return Ok(()); // Does not exist yet.
    };
    let inputs: Vec<std::path::PathBuf> = inputs
        .iter()
        .filter_map(|i| std::fs::canonicalize(i).ok())
        .collect();
    let is_input = || Error::OutputIsInput {
        path: out.to_path_buf(),
    };
    if inputs.contains(&target) {
        return Err(is_input());
    }
    let ours = crate::returns::is_committee_workbook(out);
    if !ours && inputs.iter().any(|i| i.is_dir() && target.starts_with(i)) {
        return Err(is_input());
    }
    if ours || force {
        return Ok(());
    }
    Err(Error::OutputNotOurs {
        path: out.to_path_buf(),
    })
}

/// Escapes text for a page header or footer (`&` is a control character).
fn hf(text: &str) -> String {
    text.replace('&', "&&")
}

/// A4 print setup shared by every sheet the tool writes (committee
/// workbook and officers' templates): fitted to one page wide, a header with
/// the title and authority, a footer with the sheet name, `middle` and
/// "Page N of M".
pub fn a4(ws: &mut Worksheet, title: &str, authority: &str, middle: &str, landscape: bool) {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    ws.set_header(format!(
        "&L&\"Calibri,Bold\"{}&R{}",
        hf(title),
        hf(authority)
    ));
    let middle = if middle.is_empty() {
        String::new()
    } else {
        format!("&C{}", hf(middle))
    };
    ws.set_footer(format!("&L&A{middle}&RPage &P of &N"));
}

/// The committee workbook's print setup: `a4`, with heading rows repeated
/// and a print area.
pub fn page_setup(
    ws: &mut Worksheet,
    r: &Report,
    title: &str,
    repeat: Option<u32>,
    last_row: u32,
    last_col: u16,
    landscape: bool,
) -> Result<(), XlsxError> {
    print_setup(
        ws,
        title,
        r.authority,
        &as_at_text(r),
        repeat,
        (last_row, last_col),
        landscape,
    )
}

/// [`page_setup`] for any workbook (the sector workbook too): `who` goes at
/// the right of the header, `when` in the middle of the footer.
pub fn print_setup(
    ws: &mut Worksheet,
    title: &str,
    who: &str,
    when: &str,
    repeat: Option<u32>,
    (last_row, last_col): (u32, u16),
    landscape: bool,
) -> Result<(), XlsxError> {
    a4(ws, title, who, when, landscape);
    if let Some(row) = repeat {
        ws.set_repeat_rows(0, row)?;
    }
    ws.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

/// "As at 31 October 2025", or a plain statement that no date was known.
pub fn as_at_text(r: &Report) -> String {
    match r.as_at {
        Some(d) => format!("As at {}", crate::dates::long(d)),
        None => "As at: no date given".to_string(),
    }
}

/// Writes a heading row with widths.
pub fn headings(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(&str, f64)],
    st: &Styles,
) -> Result<(), XlsxError> {
    for (i, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_row_height(row, 30)?;
    Ok(())
}

/// Writes officers' text as text, never as a formula, even when it starts
/// with `=`, `+`, `-` or `@`. Text longer than a cell holds (a long
/// commentary joined with its reason) is cut and marked rather than
/// failing the whole workbook.
pub fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    let cut = crate::input::cells::cut_to_cell(s);
    let s = cut.as_deref().unwrap_or(s);
    if s.is_empty() {
        ws.write_blank(row, col, f)?;
    } else if s.starts_with(['=', '+', '-', '@']) {
        ws.write_string_with_format(row, col, s, &f.clone().set_quote_prefix())?;
    } else {
        ws.write_string_with_format(row, col, s, f)?;
    }
    Ok(())
}

/// Row height (points) that shows wrapped text in full: Excel and
/// LibreOffice do not grow rows for wrapped text written by a program, so
/// the height is estimated from the text and its column's width.
pub fn fit_height(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(t, width)| {
            // Roughly 1.3 characters of Calibri 10 per unit of column width.
            let per_line = (width * 1.3).max(1.0);
            t.split('\n')
                .map(|p| ((p.chars().count() as f64) / per_line).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    // 13 points a line for 10-point text; Excel's maximum is 409.
    let height = (lines * 13.0 + 2.0).min(409.0);
    if height > 15.0 {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

pub fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: NaiveDate,
    st: &Styles,
) -> Result<(), XlsxError> {
    use chrono::Datelike;
    let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    ws.write_datetime_with_format(row, col, &x, &st.date)?;
    Ok(())
}
