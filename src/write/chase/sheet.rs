//! The chase list as a workbook: a title, the authority and the "as at"
//! date, then one group per officer (a band with the name, then what they
//! owe), on A4 landscape at full size so every word prints at 10 points,
//! with the headings repeated, a page header and footer, and rows as tall
//! as their wrapped text.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::{Chase, by_officer};
use crate::assess::Outcome;
use crate::report::console::plural;
use crate::write::guard::CHASE_MARK;
use crate::write::xlsx::columns::{Want, room, share};
use crate::write::xlsx::measure::{Font, column_points, fit_row};
use crate::write::xlsx::page::Paper;
use crate::write::xlsx::style::{BAND_FILL, LIGHT_RULE, Styles, boxed};
use crate::write::xlsx::{self, properties};

pub const SHEET: &str = "Chase list";
pub const TITLE: &str = "Returns to chase";

/// The columns and the widths they ask for: together they fill a
/// landscape A4 page at full size.
const COLUMNS: [(&str, Want); 6] = [
    ("What is owed", Want::new(16.0, 19.0, 0.0)),
    (
        "Round and theme, or service area",
        Want::new(18.0, 24.0, 0.5),
    ),
    ("File", Want::new(18.0, 26.0, 0.5)),
    ("Errors", Want::fixed(7.0)),
    ("Warnings", Want::fixed(9.0)),
    ("What to tell them", Want::new(30.0, 48.0, 1.0)),
];

/// The columns' widths, in characters.
fn widths() -> Vec<f64> {
    let wants: Vec<Want> = COLUMNS.iter().map(|(_, w)| *w).collect();
    share(&wants, room(Paper::LANDSCAPE.width()))
}

/// The row of the column headings (0-based).
pub const HEADING_ROW: u32 = 4;

/// The body text: the report font.
const BODY: Font = Font::regular(10.0);

pub(super) fn render(o: &Outcome, list: &[Chase]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &properties::dated(o.as_at)?
            .set_title(TITLE)
            .set_subject(format!("Best Value self-assessment: {TITLE}"))
            .set_author(&o.authority)
            .set_comment(format!("{CHASE_MARK} {}", env!("CARGO_PKG_VERSION"))),
    );
    let ws = wb.add_worksheet().set_name(SHEET)?;
    let st = Styles::new();
    let groups = by_officer(list);
    title(ws, &st, o, list.len(), &groups)?;
    let widths = widths();
    let heads: Vec<(&str, f64)> = COLUMNS
        .iter()
        .map(|(h, _)| *h)
        .zip(widths.iter().copied())
        .collect();
    let fits: Vec<(&str, f64, Font)> = heads
        .iter()
        .map(|(h, w)| (*h, column_points(*w), Font::bold(10.0)))
        .collect();
    xlsx::headings(ws, HEADING_ROW, &heads, &st.header, Some(fit_row(&fits)))?;
    let last = by_group(ws, &st, &groups, &widths)?;

    let when = o
        .as_at
        .map(|d| format!("As at {}", crate::dates::long(d)))
        .unwrap_or_default();
    ws.set_freeze_panes(HEADING_ROW + 1, 0)?;
    xlsx::print_setup(ws, TITLE, &o.authority, &when, None, (last, LAST_COL), true)?;
    ws.set_repeat_rows(HEADING_ROW, HEADING_ROW)?;
    // At full size: the columns fill the page (LibreOffice would shrink a
    // list of tall rows fitted to the page's width).
    ws.set_print_scale(100);
    wb.save_to_buffer()
}

/// The last column.
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;

/// The title, then the authority, the "as at" date and how many are
/// chased, and how the list is arranged.
fn title(
    ws: &mut Worksheet,
    st: &Styles,
    o: &Outcome,
    items: usize,
    groups: &[(&str, Vec<&Chase>)],
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, TITLE, &st.title)?;
    ws.set_row_height(0, 26)?;
    let mut sub = vec![o.authority.clone()];
    if let Some(d) = o.as_at {
        sub.push(format!("as at {}", crate::dates::long(d)));
    }
    let named = groups.iter().filter(|(who, _)| !who.is_empty()).count();
    sub.push(format!(
        "{} to chase with {}",
        plural(items, "item"),
        plural(named, "officer")
    ));
    sub.retain(|s| !s.trim().is_empty());
    ws.write_string_with_format(1, 0, sub.join(" · "), &st.subtitle)?;
    ws.write_string_with_format(
        2,
        0,
        "Grouped by officer: each row says what they owe and what to tell them.",
        &st.subtitle,
    )?;
    Ok(())
}

/// Each officer's band, then what they owe. Returns the last row written.
fn by_group(
    ws: &mut Worksheet,
    st: &Styles,
    groups: &[(&str, Vec<&Chase>)],
    widths: &[f64],
) -> Result<u32, XlsxError> {
    let mut row = HEADING_ROW + 1;
    if groups.is_empty() {
        ws.merge_range(
            row,
            0,
            row,
            LAST_COL,
            "Nobody to chase: every return expected has arrived without errors.",
            &st.text,
        )?;
        return Ok(row);
    }
    let band = boxed(st.label.clone().set_background_color(BAND_FILL), LIGHT_RULE);
    for (officer, items) in groups {
        let who = if officer.is_empty() {
            "Officer not known"
        } else {
            officer
        };
        let head = format!("{who} ({})", items.len());
        ws.merge_range(row, 0, row, LAST_COL, &head, &band)?;
        row += 1;
        for c in items {
            item(ws, st, row, c, widths)?;
            row += 1;
        }
    }
    Ok(row - 1)
}

/// One thing owed, its row as tall as its longest wrapped text.
fn item(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    c: &Chase,
    widths: &[f64],
) -> Result<(), XlsxError> {
    let texts = [
        c.owes.as_str(),
        c.about.as_str(),
        c.file.as_str(),
        "",
        "",
        c.detail.as_str(),
    ];
    for (i, t) in texts.iter().enumerate() {
        if i == 3 || i == 4 {
            continue;
        }
        xlsx::text(ws, row, i as u16, t, &st.wrap)?;
    }
    // Counts only for a return that was read: a missing one has none.
    for (col, n) in [(3u16, c.errors), (4, c.warnings)] {
        if c.file.is_empty() {
            ws.write_blank(row, col, &st.number)?;
        } else {
            xlsx::count(ws, row, col, n, &st.number)?;
        }
    }
    let cells: Vec<(&str, f64, Font)> = texts
        .iter()
        .zip(widths)
        .map(|(t, w)| (*t, column_points(*w), BODY))
        .collect();
    ws.set_row_height(row, fit_row(&cells))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx::columns::room;
    use crate::write::xlsx::measure::columns_print_points;

    #[test]
    fn the_columns_fill_a_landscape_page_at_full_size() {
        let width = columns_print_points(&widths());
        assert!(width <= room(Paper::LANDSCAPE.width()), "{width}");
        assert!(
            width > room(Paper::LANDSCAPE.width()) - 10.0,
            "{width}: the page is not filled"
        );
    }
}
