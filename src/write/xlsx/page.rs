//! A4 print setup shared by every sheet the tool writes: the paper, fitted to
//! one page wide, margins, and a page header and footer that say what the
//! page is, whose it is and where it sits.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Escapes text for a page header or footer (`&` is a control character).
pub fn hf(text: &str) -> String {
    text.replace('&', "&&")
}

/// A4, in the orientation given, fitted to one page wide (as long as it
/// needs): the part of the setup every printed sheet shares.
pub fn fit_width(ws: &mut Worksheet, landscape: bool) {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
}

/// The full print setup of a report or template sheet: [`fit_width`],
/// margins, a header with the title and `who` (the authority), and a footer
/// with the sheet name, `middle` and "Page N of M".
pub fn a4(ws: &mut Worksheet, title: &str, who: &str, middle: &str, landscape: bool) {
    fit_width(ws, landscape);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    ws.set_header(format!("&L&\"Calibri,Bold\"{}&R{}", hf(title), hf(who)));
    let middle = if middle.is_empty() {
        String::new()
    } else {
        format!("&C{}", hf(middle))
    };
    ws.set_footer(format!("&L&A{middle}&RPage &P of &N"));
}

/// [`a4`] with the heading rows repeated on every page (rows 0 to `repeat`)
/// and a print area ending at `last_row`, `last_col`.
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
