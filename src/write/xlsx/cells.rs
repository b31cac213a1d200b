//! Writing cells: officers' text (never a formula, cut to what a cell
//! holds), dates (the one conversion to Excel's serial dates), counts,
//! heading rows, merged spans, and row heights that show wrapped text.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// Writes officers' text as text, never as a formula, even when it starts
/// with `=`, `+`, `-` or `@`. Text longer than a cell holds (a long
/// commentary joined with its reason) is cut and marked rather than
/// failing the whole workbook. Empty text leaves a formatted blank cell.
pub fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    let cut = crate::read::cells::cut_to_cell(s);
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

/// A calendar date as Excel stores it. This is the one conversion from the
/// dates the tool reads to Excel's: rust_xlsxwriter's own `chrono` feature
/// would do it too, but it switches on chrono's system clock, which this
/// tool keeps out (dates come from the data, never the clock).
pub fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Writes a date; `f` gives its number format (see [`super::style::uk_date`]).
pub fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: NaiveDate,
    f: &Format,
) -> Result<(), XlsxError> {
    ws.write_datetime_with_format(row, col, excel_date(d)?, f)?;
    Ok(())
}

/// Writes a count as a number.
pub fn count(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    n: usize,
    f: &Format,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, n as f64, f)?;
    Ok(())
}

/// A heading row: each heading in `f` with its column's width, and the
/// row's height when given (tall enough for headings that wrap).
pub fn headings<H: AsRef<str>>(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(H, f64)],
    f: &Format,
    height: Option<f64>,
) -> Result<(), XlsxError> {
    for (i, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, h.as_ref(), f)?;
        ws.set_column_width(i as u16, *w)?;
    }
    if let Some(h) = height {
        ws.set_row_height(row, h)?;
    }
    Ok(())
}

/// A merged heading, or a plain cell when the range is one cell.
pub fn span(
    ws: &mut Worksheet,
    (r1, c1): (u32, u16),
    (r2, c2): (u32, u16),
    s: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, s, f)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, s, f)?;
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
