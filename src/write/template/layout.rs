//! How a template's table sheet (Assessment or Actions) is laid out for
//! print: columns shared out across A4 landscape so the sheet prints one
//! page wide at 9 points where its columns allow it and never under 8; a
//! heading row tall enough for its wrapped headings, repeated on every
//! page; and each row as tall as the text filled in for the officer. What
//! the columns hold is decided by the sheet's own module; only their
//! widths and heights, and the print scale, are decided here.
//!
//! The scale is set, not left to "fit to one page wide": LibreOffice
//! shrinks a sheet of tall rows further than its width needs (a Final
//! return fitted to width printed at 7.99 points), while a set scale
//! prints the same everywhere, and the widths are planned to fit it. The
//! side margins are Excel's "Narrow" ones, so a fourteen- or
//! fifteen-column return still prints every word whole at 8 points.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::write::xlsx::columns::{self, Want, share};
use crate::write::xlsx::measure::{Font, column_points, columns_print_points, fit_row, text_width};
use crate::write::xlsx::page::{MARGINS, Paper};

/// The font size of a template's cells.
const FORM_SIZE: f64 = 11.0;

/// The print scales (per cent) a table is planned for, best first: 82%
/// prints the template's 11-point text at 9 points, 75% at 8.25 and 73%
/// at 8.03. The first whose room holds every column's least width is used.
const SCALES: [u16; 3] = [82, 75, 73];

/// The left and right margins of a table sheet, in inches: Excel's
/// "Narrow" margins (the header, footer, top and bottom are as on every
/// sheet).
const SIDE_MARGIN: f64 = 0.25;

/// The width cells print across on landscape A4 between the narrow side
/// margins, in points.
fn paper_width() -> f64 {
    Paper::LANDSCAPE.width() + (MARGINS[0] + MARGINS[1] - 2.0 * SIDE_MARGIN) * 72.0
}

/// The room a table has across the page at `scale` per cent, in points.
fn room(scale: u16) -> f64 {
    columns::room(paper_width()) * 100.0 / f64::from(scale)
}

/// A table's columns as planned for print.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Table {
    /// In characters, one per column.
    pub widths: Vec<f64>,
    /// The print scale, per cent.
    pub scale: u16,
}

/// How wide a column may be made to hold its widest word, in characters:
/// from this down, a quarter at a time, the first width that leaves the
/// table room to print at 8.25 points or more is used. A longer word (a
/// link, say) breaks across lines rather than shrink the print or squeeze
/// the other columns.
const WORD_CAP: f64 = 18.0;

/// How a column's cells hold their text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    /// Wrapped at the column's width.
    Wrapped,
    /// Wrapped, in bold (codes and IDs).
    Bold,
    /// On one line (a score, a status, a date): the whole text must fit.
    OneLine,
}

impl Text {
    fn font(self) -> Font {
        Font {
            size: FORM_SIZE,
            bold: self == Text::Bold,
        }
    }

    /// The widest piece of `text` that cannot be broken, in points: a
    /// word (lines break at spaces, and after a hyphen or slash), or for a
    /// one-line cell each line of it.
    fn widest(self, text: &str) -> f64 {
        let font = self.font();
        if self == Text::OneLine {
            return text
                .lines()
                .map(|l| text_width(l.trim(), font))
                .fold(0.0, f64::max);
        }
        text.split_whitespace()
            .flat_map(|w| w.split_inclusive(['-', '/']))
            .map(|word| text_width(word, font))
            .fold(0.0, f64::max)
    }
}

/// Plans the columns for what they hold: each column's least width raised
/// to hold its heading's and its cells' longest word whole (Excel and
/// LibreOffice break a word that does not fit in the middle), then
/// [`plan`]. `rows` are the cells' texts, one per column (a one-line
/// column may list what it can hold one per line, such as the scale).
pub(super) fn plan_for(
    wants: &[Want],
    headings: &[&str],
    rows: &[Vec<&str>],
    texts: &[Text],
) -> Table {
    let need: Vec<f64> = (0..wants.len())
        .map(|i| {
            let kind = texts.get(i).copied().unwrap_or(Text::Wrapped);
            let cells = rows
                .iter()
                .map(|r| kind.widest(r.get(i).copied().unwrap_or("")))
                .fold(0.0, f64::max);
            let head = Text::Bold.widest(headings.get(i).copied().unwrap_or(""));
            chars_for(cells.max(head))
        })
        .collect();
    let smallest = SCALES[SCALES.len() - 1];
    for quarters in (0..=(WORD_CAP * 4.0) as u32).rev() {
        let cap = f64::from(quarters) / 4.0;
        let raised: Vec<Want> = wants
            .iter()
            .zip(&need)
            .map(|(w, n)| {
                let least = w.least.max(n.min(cap));
                Want::new(least, w.want.max(least), w.stretch)
            })
            .collect();
        let least: Vec<f64> = raised.iter().map(|w| w.least).collect();
        if columns_print_points(&least) <= room(smallest) {
            return plan(&raised);
        }
    }
    plan(wants)
}

/// The width in characters that holds `points` of text beside the cell's
/// padding in Excel (the narrower of Excel and LibreOffice), rounded up to
/// a quarter.
fn chars_for(points: f64) -> f64 {
    let px = (points + 8.0) / 0.75;
    ((px - 5.0) / 7.0 * 4.0).ceil() / 4.0
}

/// Plans the columns: the largest scale whose room holds their least
/// widths, the room shared out between them.
pub(super) fn plan(wants: &[Want]) -> Table {
    let least: Vec<f64> = wants.iter().map(|w| w.least).collect();
    let scale = SCALES
        .into_iter()
        .find(|s| columns_print_points(&least) <= room(*s))
        .unwrap_or_else(|| {
            // More columns than the built-in frameworks have: whatever
            // scale fits them on one page wide.
            ((100.0 * columns::room(paper_width()) / columns_print_points(&least)).floor() as u16)
                .clamp(10, 100)
        });
    Table {
        widths: share(wants, room(scale)),
        scale,
    }
}

/// Prints the sheet at the table's scale between the narrow side margins
/// (the rest of the print setup is the template's own: see
/// `controls::print_setup`).
pub(super) fn scale(ws: &mut Worksheet, table: &Table) {
    let [_, _, top, bottom, header, footer] = MARGINS;
    ws.set_margins(SIDE_MARGIN, SIDE_MARGIN, top, bottom, header, footer);
    ws.set_print_scale(table.scale);
}

/// What a table's cell shows.
pub(super) enum Value<'a> {
    Text(&'a str),
    Date(NaiveDate),
}

impl Value<'_> {
    /// The text, for planning widths and heights (a date fits one line).
    pub fn text(&self) -> &str {
        match self {
            Value::Text(t) => t,
            Value::Date(_) => "",
        }
    }
}

/// A table row: each cell's value and format.
pub(super) type Row<'a> = Vec<(Value<'a>, &'a Format)>;

/// The cells' texts of `rows`, for [`plan_for`].
pub(super) fn texts<'a>(rows: &'a [Row<'a>]) -> Vec<Vec<&'a str>> {
    rows.iter()
        .map(|r| r.iter().map(|(v, _)| v.text()).collect())
        .collect()
}

/// Writes `rows` from `first`, each as tall as its wrapped text. Returns
/// the row after the last.
pub(super) fn write_rows(
    ws: &mut Worksheet,
    first: u32,
    rows: &[Row],
    table: &Table,
    kinds: &[Text],
) -> Result<u32, XlsxError> {
    let mut row = first;
    for cells in rows {
        for (i, (v, f)) in cells.iter().enumerate() {
            match v {
                Value::Text(t) => crate::write::xlsx::text(ws, row, i as u16, t, f)?,
                Value::Date(d) => crate::write::xlsx::date(ws, row, i as u16, *d, f)?,
            }
        }
        let fits: Vec<(&str, f64, Text)> = cells
            .iter()
            .zip(&table.widths)
            .zip(kinds)
            .map(|(((v, _), w), k)| (v.text(), *w, *k))
            .collect();
        fit(ws, row, &fits)?;
        row += 1;
    }
    Ok(row)
}

/// The heading row: each heading with its column's width, the row as
/// tall as the longest wrapped heading.
pub(super) fn heading_row(
    ws: &mut Worksheet,
    row: u32,
    headings: &[&str],
    table: &Table,
    f: &Format,
) -> Result<(), XlsxError> {
    let cols: Vec<(&str, f64)> = headings
        .iter()
        .copied()
        .zip(table.widths.iter().copied())
        .collect();
    let cells: Vec<(&str, f64, Font)> = cols
        .iter()
        .map(|(h, w)| (*h, column_points(*w), Font::bold(FORM_SIZE)))
        .collect();
    let height = fit_row(&cells).max(30.0);
    crate::write::xlsx::headings(ws, row, &cols, f, Some(height))
}

/// A row as tall as its wrapped text: each cell given as its text, its
/// column's width and how it holds text. A row of single lines keeps the
/// default height.
pub(super) fn fit(
    ws: &mut Worksheet,
    row: u32,
    cells: &[(&str, f64, Text)],
) -> Result<(), XlsxError> {
    let cells: Vec<(&str, f64, Font)> = cells
        .iter()
        .map(|(t, w, kind)| {
            let t = if *kind == Text::OneLine { "" } else { *t };
            (t, column_points(*w), kind.font())
        })
        .collect();
    let height = fit_row(&cells);
    // One line fits the default height.
    if height > fit_row(&[("x", 100.0, Font::regular(FORM_SIZE))]) {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size text prints at, and whether the columns fit the page.
    fn printed(t: &Table) -> (f64, bool) {
        let s = f64::from(t.scale) / 100.0;
        (
            FORM_SIZE * s,
            columns_print_points(&t.widths) * s <= paper_width(),
        )
    }

    #[test]
    fn tables_print_at_nine_points_when_their_columns_allow() {
        let few = plan(&[Want::new(10.0, 20.0, 1.0); 6]);
        assert_eq!(printed(&few), (9.02, true));
        // Fourteen columns at their least need more room: 8.25 points.
        let many = plan(&[Want::new(12.0, 20.0, 1.0); 14]);
        assert_eq!(printed(&many), (8.25, true));
        // Fifteen: 8.03 points, still 8 or more.
        let more = plan(&[Want::new(12.25, 20.0, 1.0); 15]);
        let (size, fits) = printed(&more);
        assert!((size - 8.03).abs() < 1e-9 && fits, "{size} {fits}");
        // More than any framework has: smaller, but one page wide.
        let lots = plan(&[Want::fixed(12.0); 30]);
        assert!(printed(&lots).1);
    }

    #[test]
    fn no_word_is_broken_across_lines() {
        let wants = [
            Want::new(6.0, 6.0, 0.0),
            Want::new(6.0, 6.0, 0.0),
            Want::new(6.0, 6.0, 0.0),
        ];
        let link = "link".repeat(20);
        let rows = vec![
            vec!["Continuous Improvement", "x", link.as_str()],
            vec!["Partnerships", "", ""],
        ];
        let t = plan_for(
            &wants,
            &["Theme", "Performance", "Link"],
            &rows,
            &[Text::Wrapped; 3],
        );
        let room = |w: f64| column_points(w) - 6.0;
        assert!(room(t.widths[0]) >= text_width("Improvement", Font::regular(11.0)));
        assert!(room(t.widths[0]) >= text_width("Partnerships", Font::regular(11.0)));
        assert!(room(t.widths[1]) >= text_width("Performance", Font::bold(11.0)));
        // A word longer than a column should be is left to break.
        assert_eq!(t.widths[2], WORD_CAP);
        // A one-line cell holds its whole text.
        let t = plan_for(
            &wants[..1],
            &["Score"],
            &[vec!["Light green\nDark green"]],
            &[Text::OneLine],
        );
        assert!(room(t.widths[0]) >= text_width("Light green", Font::regular(11.0)));
    }
}
