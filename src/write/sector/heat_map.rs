//! The sector heat map: authorities (rows) by characteristics (columns),
//! each cell the level's letter, coloured by conditional formats; colour
//! counts beside each row. Printed at full size on landscape A4, theme by
//! theme: each page repeats the authority column, which carries the title
//! and the key, and the heading band above the grid, so every page is
//! titled, keyed and headed.

use rust_xlsxwriter::{FormatAlign, Worksheet, XlsxError};

use super::{Ctx, NOT_ASSESSED_MARK, colour_rules, columns, letter};
use crate::framework::Framework;
use crate::write::xlsx::columns::room;
use crate::write::xlsx::measure::{
    Font, column_points, column_print_points, fit_row, row_height, wrapped_lines,
};
use crate::write::xlsx::page::Paper;
use crate::write::xlsx::style::LIGHT_RULE;
use crate::write::xlsx::{count, print_setup, span, text};

/// The page title, in the authority column of every page.
pub const TITLE: &str = "Sector heat map";

/// The first row of the heading band above the grid (0-based).
const BAND_TOP: u32 = 3;

/// Height of a row of the heading band, in points: one line of 9-point
/// text (the key beside it).
const BAND_ROW: f64 = 13.5;

/// Widths, in characters: the authority column, and a column of letters
/// (wide enough for "DG" in 9 points, or a code turned on its side).
const AUTHORITY_WIDTH: f64 = 34.0;
const LETTER_WIDTH: f64 = 3.4;
const COUNT_WIDTH: f64 = 4.0;

/// Where the heat map's rows are: the band's rows (the theme headings,
/// then the codes, the last band row heading the authority column) and the
/// first authority's row. The key takes one band row a level, so the band
/// grows with the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rows {
    pub themes: u32,
    pub codes: u32,
    /// The band's last row: "Authority" over the names.
    pub heading: u32,
    /// The first authority.
    pub top: u32,
}

pub fn rows(fw: &Framework) -> Rows {
    // One row a level and one for "not assessed", then "Authority".
    let key = fw.scale.len() as u32 + 1;
    let heading = BAND_TOP + key.max(3);
    Rows {
        themes: BAND_TOP,
        codes: BAND_TOP + 2,
        heading,
        top: heading + 1,
    }
}

/// Where the grid's columns are: the characteristics' letters from
/// `first` to `last_char_col`, then a gap, then a count per level and one
/// of those not assessed, ending at `last_col`.
struct Grid {
    cols: Vec<usize>,
    first: u16,
    last_char_col: u16,
    count_col: u16,
    last_col: u16,
}

impl Grid {
    fn new(fw: &Framework) -> Grid {
        let cols = columns(fw);
        let first = 1u16;
        let last_char_col = first + cols.len() as u16 - 1;
        let count_col = last_char_col + 2;
        Grid {
            first,
            last_char_col,
            count_col,
            last_col: count_col + fw.scale.len() as u16,
            cols,
        }
    }
}

pub(super) fn write(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let g = Grid::new(cx.fw);
    let at = rows(cx.fw);
    ws.set_column_width(0, AUTHORITY_WIDTH)?;
    for c in g.first..=g.last_char_col {
        ws.set_column_width(c, LETTER_WIDTH)?;
    }
    ws.set_column_width(g.last_char_col + 1, 1.0)?;
    for c in g.count_col..=g.last_col {
        ws.set_column_width(c, COUNT_WIDTH)?;
    }
    title(ws, cx)?;
    band(ws, cx, at, &g)?;
    let last_row = authorities(ws, cx, at, &g)?;
    print(ws, cx, at, &g, last_row)
}

/// The title and subtitle, within the authority column that every page
/// repeats.
fn title(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    ws.write_string_with_format(0, 0, TITLE, &st.title)?;
    ws.set_row_height(0, 24)?;
    let sub = format!(
        "Final scores of {} authorities against {} (version {})",
        s.authorities.len(),
        fw.name,
        fw.version
    );
    let f = st
        .subtitle
        .clone()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    ws.write_string_with_format(1, 0, &sub, &f)?;
    let width = column_points(AUTHORITY_WIDTH);
    ws.set_row_height(1, fit_row(&[(sub.as_str(), width, Font::regular(11.0))]))?;
    ws.set_row_height(2, 6)?;
    Ok(())
}

/// A row per authority: its letters, coloured by rule, and its counts of
/// each colour. Returns the last row.
fn authorities(ws: &mut Worksheet, cx: &Ctx, at: Rows, g: &Grid) -> Result<u32, XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let cell = st
        .score_cell
        .clone()
        .set_font_size(9)
        .set_align(FormatAlign::VerticalCenter)
        .set_border_color(LIGHT_RULE);
    let missing = st
        .not_assessed
        .clone()
        .set_font_size(9)
        .set_align(FormatAlign::VerticalCenter);
    let name = st.wrap.clone().set_align(FormatAlign::VerticalCenter);
    let width = column_points(AUTHORITY_WIDTH);
    let mut row = at.top;
    for auth in &s.authorities {
        text(ws, row, 0, &auth.shown, &name)?;
        // A name on one line keeps Excel's height, so twenty authorities
        // fit a page; a long one wraps in a taller row.
        let lines = wrapped_lines(&auth.shown, width, Font::regular(10.0));
        if lines > 1 {
            ws.set_row_height(row, row_height(lines, Font::regular(10.0)))?;
        }
        for (j, &ch) in g.cols.iter().enumerate() {
            let level = auth.levels.get(ch).copied().flatten();
            let f = if level.is_some() { &cell } else { &missing };
            ws.write_string_with_format(row, g.first + j as u16, letter(fw, level), f)?;
        }
        let mut counts = vec![0usize; fw.scale.len()];
        let mut none = 0;
        for l in &auth.levels {
            match l {
                Some(l) => counts[*l] += 1,
                None => none += 1,
            }
        }
        for (l, n) in counts.iter().enumerate() {
            count(ws, row, g.count_col + l as u16, *n, &st.number)?;
        }
        count(ws, row, g.last_col, none, &st.number)?;
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(at.top);
    colour_rules(ws, fw, (at.top, g.first), (last_row, g.last_char_col), true)?;
    Ok(last_row)
}

/// Printed at full size, not fitted: 74 columns of letters fitted to one
/// page wide would print too small to read. Each page holds whole themes
/// beside the repeated authority column, under the repeated band.
fn print(ws: &mut Worksheet, cx: &Ctx, at: Rows, g: &Grid, last_row: u32) -> Result<(), XlsxError> {
    let fw = cx.fw;
    ws.set_freeze_panes(at.top, g.first)?;
    print_setup(
        ws,
        "Best Value self-assessment: sector heat map",
        &cx.who,
        &cx.when,
        None,
        (last_row, g.last_col),
        true,
    )?;
    ws.set_print_scale(100);
    ws.set_repeat_rows(at.themes, at.heading)?;
    ws.set_repeat_columns(0, 0)?;
    let mut widths: Vec<u16> = (0..fw.themes.len())
        .map(|t| {
            g.cols
                .iter()
                .filter(|&&i| fw.characteristics[i].theme == t)
                .count() as u16
        })
        .filter(|&n| n > 0)
        .collect();
    widths.push(g.last_col - g.last_char_col);
    ws.set_vertical_page_breaks(&theme_breaks(&widths, g.first, page_columns()))?;
    ws.set_print_gridlines(false);
    Ok(())
}

/// The heading band: in the authority column, the key (one level a row,
/// in its colour, with its letter) and "Authority"; over the grid, the
/// themes, then the codes turned on their side; over the counts, the
/// levels' letters.
fn band(ws: &mut Worksheet, cx: &Ctx, at: Rows, g: &Grid) -> Result<(), XlsxError> {
    for r in at.themes..=at.heading {
        ws.set_row_height(r, BAND_ROW)?;
    }
    key(ws, cx, at)?;
    grid_headings(ws, cx, at, g)?;
    count_headings(ws, cx, at, g)
}

/// The key, in the authority column: each level's letter and name in its
/// colour, then the mark for not assessed; "Authority" below it.
fn key(ws: &mut Worksheet, cx: &Ctx, at: Rows) -> Result<(), XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let blank = st
        .text
        .clone()
        .set_font_size(9)
        .set_align(FormatAlign::VerticalCenter);
    for (l, level) in fw.scale.iter().enumerate() {
        let f = st
            .fill(&level.fill)
            .set_font_size(9)
            .set_align(FormatAlign::Left)
            .set_indent(1);
        ws.write_string_with_format(
            at.themes + l as u32,
            0,
            format!("{}   {}", level.letter, level.label),
            &f,
        )?;
    }
    ws.write_string_with_format(
        at.themes + fw.scale.len() as u32,
        0,
        format!("{NOT_ASSESSED_MARK}   Not assessed"),
        &st.not_assessed
            .clone()
            .set_font_size(9)
            .set_align(FormatAlign::Left)
            .set_indent(1),
    )?;
    for r in at.themes + fw.scale.len() as u32 + 1..at.heading {
        ws.write_blank(r, 0, &blank)?;
    }
    ws.write_string_with_format(at.heading, 0, "Authority", &st.header)?;
    Ok(())
}

/// A theme heading: white on the banner, 9 points, wrapped.
fn theme_head(cx: &Ctx) -> rust_xlsxwriter::Format {
    cx.st
        .theme_title
        .clone()
        .set_text_wrap()
        .set_font_size(9)
        .set_indent(0)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
}

/// Over the grid: each theme over its columns, then the codes turned on
/// their side.
fn grid_headings(ws: &mut Worksheet, cx: &Ctx, at: Rows, g: &Grid) -> Result<(), XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let (cols, first) = (&g.cols, g.first);
    let theme_head = theme_head(cx);
    let mut c = first;
    for (t, th) in fw.themes.iter().enumerate() {
        let n = cols
            .iter()
            .filter(|&&i| fw.characteristics[i].theme == t)
            .count() as u16;
        if n == 0 {
            continue;
        }
        span(
            ws,
            (at.themes, c),
            (at.codes - 1, c + n - 1),
            &format!("{}  {}", t + 1, th.name),
            &theme_head,
        )?;
        c += n;
    }
    let code_head = st.header.clone().set_rotation(90).set_font_size(9);
    for (j, &ch) in cols.iter().enumerate() {
        let col = first + j as u16;
        span(
            ws,
            (at.codes, col),
            (at.heading, col),
            &fw.characteristics[ch].code,
            &code_head,
        )?;
    }
    Ok(())
}

/// Over the counts: what they are, then each level's letter in its colour
/// and the mark for not assessed.
fn count_headings(ws: &mut Worksheet, cx: &Ctx, at: Rows, g: &Grid) -> Result<(), XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let (count_col, last_col) = (g.count_col, g.last_col);
    span(
        ws,
        (at.themes, count_col),
        (at.codes - 1, last_col),
        "Count of each colour",
        &theme_head(cx),
    )?;
    for (l, level) in fw.scale.iter().enumerate() {
        let col = count_col + l as u16;
        span(
            ws,
            (at.codes, col),
            (at.heading, col),
            &level.letter,
            &st.fill(&level.fill).set_bold().set_font_size(9),
        )?;
    }
    span(
        ws,
        (at.codes, last_col),
        (at.heading, last_col),
        NOT_ASSESSED_MARK,
        &st.not_assessed
            .clone()
            .set_font_size(9)
            .set_align(FormatAlign::VerticalCenter),
    )?;
    Ok(())
}

/// Columns of letters that fit across a landscape A4 page at full size
/// beside the repeated authority column.
fn page_columns() -> u16 {
    ((room(Paper::LANDSCAPE.width()) - column_print_points(AUTHORITY_WIDTH))
        / column_print_points(LETTER_WIDTH))
    .floor() as u16
}

/// Page breaks (the first column of each new page) that keep groups of
/// columns (themes) whole, packing as many groups as fit on each page.
pub fn theme_breaks(groups: &[u16], first: u16, per_page: u16) -> Vec<u32> {
    let mut breaks = Vec::new();
    let mut col = first;
    let mut used = 0;
    for &n in groups {
        if used > 0 && used + n > per_page {
            breaks.push(col as u32);
            used = 0;
        }
        used += n;
        col += n;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_themes_share_a_page() {
        // The default framework's widest pair, 12 and 12 letters.
        assert!(page_columns() >= 24, "{}", page_columns());
        let rows = rows(&Framework::default_framework());
        assert_eq!(
            (rows.themes, rows.codes, rows.heading, rows.top),
            (3, 5, 9, 10)
        );
    }
}
