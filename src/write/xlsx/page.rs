//! A4 print setup shared by every sheet the tool writes: the paper, fitted to
//! one page wide, margins, and a page header and footer that say what the
//! page is, whose it is and where it sits.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Escapes text for a page header or footer (`&` is a control character).
pub fn hf(text: &str) -> String {
    text.replace('&', "&&")
}

/// Excel's limit on a page header or footer, codes included.
const MAX_HEADER_CHARS: usize = 255;

/// [`hf`], cut with "…" to at most `max` characters once escaped (never
/// between the two characters of an escaped `&`).
fn hf_within(text: &str, max: usize) -> String {
    let escaped = hf(text);
    if escaped.chars().count() <= max {
        return escaped;
    }
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        let w = if c == '&' { 2 } else { 1 };
        if n + w > max.saturating_sub(1) {
            break;
        }
        n += w;
        out.push(c);
        if c == '&' {
            out.push('&');
        }
    }
    out.push('…');
    out
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
    // Excel refuses a header over 255 characters: the names in it are cut
    // to fit (a name read from a return was already cut, and reported).
    let room = MAX_HEADER_CHARS - "&L&\"Calibri,Bold\"&R".chars().count();
    let who = hf_within(who, room / 2);
    let title = hf_within(title, room - who.chars().count());
    ws.set_header(format!("&L&\"Calibri,Bold\"{title}&R{who}"));
    let middle = if middle.is_empty() {
        String::new()
    } else {
        let room = MAX_HEADER_CHARS - "&L&A&C&RPage &P of &N".chars().count();
        format!("&C{}", hf_within(middle, room))
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
