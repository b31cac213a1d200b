//! The xlsx writing toolkit shared by every workbook the tool writes: A4 print
//! setup, page headers, officers' text written safely, row heights that show
//! wrapped text.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Escapes text for a page header or footer (`&` is a control character).
pub fn hf(text: &str) -> String {
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
