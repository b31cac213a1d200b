//! The sector heat map: authorities (rows) by characteristics (columns),
//! each cell the level's letter, coloured by conditional formats; colour
//! counts beside each row; printed theme by theme.

use rust_xlsxwriter::{FormatAlign, Worksheet, XlsxError};

use super::{Ctx, HEAT_TOP, NOT_ASSESSED_MARK, colour_rules, columns, letter};
use crate::write::xlsx::style::LIGHT_RULE;
use crate::write::xlsx::{count, print_setup, span, text};

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
    fn parts(&self) -> (&[usize], u16, u16, u16, u16) {
        let g = self;
        (&g.cols, g.first, g.last_char_col, g.count_col, g.last_col)
    }

    fn new(fw: &crate::framework::Framework) -> Grid {
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
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let g = Grid::new(fw);
    let (first, last_char_col, count_col, last_col) =
        (g.first, g.last_char_col, g.count_col, g.last_col);

    ws.write_string_with_format(
        0,
        0,
        format!("Sector heat map: {} authorities", s.authorities.len()),
        &st.title,
    )?;
    ws.set_row_height(0, 24)?;
    let key: Vec<String> = fw
        .scale
        .iter()
        .map(|l| format!("{} {}", l.letter, l.label))
        .chain([format!("{NOT_ASSESSED_MARK} not assessed")])
        .collect();
    ws.write_string_with_format(
        1,
        0,
        format!(
            "Final scores against {} (version {}). Each cell shows the score's letter: {}.",
            fw.name,
            fw.version,
            key.join(", ")
        ),
        &st.subtitle,
    )?;

    ws.set_column_width(0, 34)?;
    for c in first..=last_char_col {
        ws.set_column_width(c, 4.3)?;
    }
    ws.set_column_width(last_char_col + 1, 1.5)?;
    for c in count_col..=last_col {
        ws.set_column_width(c, 5)?;
    }

    headings(ws, cx, &g)?;

    let row = rows(ws, cx, &g)?;

    let r = key_below(ws, cx, row)?;
    print(ws, cx, &g, r)
}

/// Theme headings over their columns, codes below them, and the counts'
/// headings.
fn headings(ws: &mut Worksheet, cx: &Ctx, g: &Grid) -> Result<(), XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let (cols, first, _, count_col, last_col) = g.parts();
    // Theme headings over their columns, codes below them.
    let theme_head = st.theme_title.clone().set_text_wrap().set_font_size(9);
    ws.write_string_with_format(HEAT_TOP - 2, 0, "Theme", &st.header)?;
    ws.write_string_with_format(HEAT_TOP - 1, 0, "Authority", &st.header)?;
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
            (HEAT_TOP - 2, c),
            (HEAT_TOP - 2, c + n - 1),
            &format!("{}  {}", t + 1, th.name),
            &theme_head,
        )?;
        c += n;
    }
    ws.set_row_height(HEAT_TOP - 2, 36)?;
    let code_head = st.header.clone().set_rotation(90).set_font_size(9);
    for (j, &ch) in cols.iter().enumerate() {
        ws.write_string_with_format(
            HEAT_TOP - 1,
            first + j as u16,
            &fw.characteristics[ch].code,
            &code_head,
        )?;
    }
    ws.set_row_height(HEAT_TOP - 1, 44)?;
    span(
        ws,
        (HEAT_TOP - 2, count_col),
        (HEAT_TOP - 2, last_col),
        "Count of each colour",
        &st.header,
    )?;
    for (l, level) in fw.scale.iter().enumerate() {
        ws.write_string_with_format(
            HEAT_TOP - 1,
            count_col + l as u16,
            &level.letter,
            &st.fill(&level.fill).set_bold(),
        )?;
    }
    ws.write_string_with_format(HEAT_TOP - 1, last_col, NOT_ASSESSED_MARK, &st.not_assessed)?;
    Ok(())
}

/// A row per authority: its letters, coloured by rule, and its counts of
/// each colour. Returns the row after the last.
fn rows(ws: &mut Worksheet, cx: &Ctx, g: &Grid) -> Result<u32, XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let (cols, first, last_char_col, count_col, last_col) = g.parts();
    let cell = st
        .score_cell
        .clone()
        .set_font_size(8)
        .set_align(FormatAlign::VerticalCenter)
        .set_border_color(LIGHT_RULE);
    let missing = st
        .not_assessed
        .clone()
        .set_align(FormatAlign::VerticalCenter);
    let mut row = HEAT_TOP;
    for (a, auth) in s.authorities.iter().enumerate() {
        text(ws, row, 0, &auth.shown, &st.text)?;
        let mut counts = vec![0usize; fw.scale.len()];
        let mut none = 0;
        for (j, &ch) in cols.iter().enumerate() {
            let level = auth.levels.get(ch).copied().flatten();
            let f = if level.is_some() { &cell } else { &missing };
            ws.write_string_with_format(row, first + j as u16, letter(fw, level), f)?;
        }
        for l in &auth.levels {
            match l {
                Some(l) => counts[*l] += 1,
                None => none += 1,
            }
        }
        for (l, n) in counts.iter().enumerate() {
            count(ws, row, count_col + l as u16, *n, &st.number)?;
        }
        count(ws, row, last_col, none, &st.number)?;
        let _ = a;
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(HEAT_TOP);
    colour_rules(ws, fw, (HEAT_TOP, first), (last_row, last_char_col), true)?;
    Ok(row)
}

/// The key again under the grid, for the printed page. Returns its last
/// row.
fn key_below(ws: &mut Worksheet, cx: &Ctx, mut row: u32) -> Result<u32, XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    // The key again under the grid, for the printed page.
    row += 1;
    ws.write_string_with_format(row, 0, "Key", &st.label)?;
    for (l, level) in fw.scale.iter().enumerate() {
        let r = row + l as u32;
        ws.write_string_with_format(r, 1, &level.letter, &st.fill(&level.fill))?;
        ws.write_string_with_format(
            r,
            2,
            format!("{}: {}", level.label, level.meaning),
            &st.text,
        )?;
    }
    let r = row + fw.scale.len() as u32;
    ws.write_string_with_format(r, 1, NOT_ASSESSED_MARK, &st.not_assessed)?;
    ws.write_string_with_format(r, 2, "Not assessed", &st.text)?;
    Ok(r)
}

/// Printed theme by theme at a fixed scale, headings and names repeated.
fn print(ws: &mut Worksheet, cx: &Ctx, g: &Grid, r: u32) -> Result<(), XlsxError> {
    let fw = cx.fw;
    let (cols, first, last_char_col, _, last_col) = g.parts();
    ws.set_freeze_panes(HEAT_TOP, first)?;
    print_setup(
        ws,
        "Best Value self-assessment: sector heat map",
        &cx.who,
        &cx.when,
        None,
        (r, last_col),
        true,
    )?;
    ws.set_repeat_rows(HEAT_TOP - 2, HEAT_TOP - 1)?;
    ws.set_repeat_columns(0, 0)?;
    // Fitted to one page wide, 74 columns of letters would print too small
    // to read: print at a fixed scale instead, with each page holding whole
    // themes (the authority column repeats on every page).
    let mut widths: Vec<u16> = fw
        .themes
        .iter()
        .enumerate()
        .map(|(t, _)| {
            cols.iter()
                .filter(|&&i| fw.characteristics[i].theme == t)
                .count() as u16
        })
        .filter(|&n| n > 0)
        .collect();
    widths.push(last_col - last_char_col);
    ws.set_vertical_page_breaks(&theme_breaks(&widths, first, PAGE_COLUMNS))?;
    ws.set_print_scale(85);
    ws.set_print_gridlines(false);
    Ok(())
}

/// Characteristic columns that fit across one landscape A4 page at 85%
/// beside the repeated authority column.
const PAGE_COLUMNS: u16 = 26;

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
