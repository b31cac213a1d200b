//! The two tables of figures: the distribution of colours per
//! characteristic, and each authority's position against the sector. Both
//! print on landscape A4 at full size: their columns are laid out to fill
//! the page (see the tests below), headings repeat, and rows are as tall
//! as their wrapped text.

use rust_xlsxwriter::{ConditionalFormat2ColorScale, ConditionalFormatType, Worksheet, XlsxError};

use super::{Ctx, DISTRIBUTION_TOP, POSITIONS_TOP, colour_rules, columns, letter};
use crate::sector::stats;
use crate::write::xlsx::levels::when_equal;
use crate::write::xlsx::measure::{Font, column_points, fit_row};
use crate::write::xlsx::style::{BETTER_FILL, LIGHT_RULE, WHITE, WORSE_FILL, comparison_flag};
use crate::write::xlsx::{count, print_setup, span, text};

/// The report's body text.
const BODY: Font = Font::regular(10.0);

/// Sets a row's height for the tallest of its wrapped cells; a row of one
/// line keeps the default.
fn fit(ws: &mut Worksheet, row: u32, cells: &[(&str, f64, Font)]) -> Result<(), XlsxError> {
    let h = fit_row(cells);
    if h > 16.0 {
        ws.set_row_height(row, h)?;
    }
    Ok(())
}

/// The Distribution sheet's widths: theme, code, characteristic, then a
/// count per level and "not assessed", a share per level, and the typical
/// colour.
fn distribution_widths(levels: usize) -> Vec<f64> {
    let mut w = vec![13.0, 7.0, 22.0];
    w.extend(std::iter::repeat_n(6.5, levels));
    w.push(8.0);
    w.extend(std::iter::repeat_n(6.5, levels));
    w.push(10.5);
    w
}

/// The Positions sheet's widths: the authority, a pair per theme (its own
/// typical colour, and where that sits against the sector's), and the
/// themes above, the same and below.
fn positions_widths(themes: usize) -> Vec<f64> {
    let mut w = vec![23.5];
    for _ in 0..themes {
        w.extend([4.5, 7.0]);
    }
    w.extend([6.5; 3]);
    w
}

pub(super) fn distribution(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let n = s.authorities.len().max(1) as f64;
    let levels = fw.scale.len() as u16;
    let count0 = 3u16;
    let none_col = count0 + levels;
    let share0 = none_col + 1;
    let typical_col = share0 + levels;

    ws.write_string_with_format(0, 0, "Distribution of colours by characteristic", &st.title)?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "How many of the {} authorities gave each characteristic each colour, the share of authorities, and the typical colour.",
            s.authorities.len()
        ),
        &st.subtitle,
    )?;
    let widths = distribution_widths(fw.scale.len());
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    distribution_headings(ws, cx, (count0, none_col, share0, typical_col), &widths)?;

    let mut row = DISTRIBUTION_TOP;
    let mut totals = vec![0usize; fw.scale.len()];
    let mut total_none = 0;
    for ch in columns(fw) {
        let c = &fw.characteristics[ch];
        ws.write_string_with_format(row, 0, &fw.themes[c.theme].name, &st.wrap)?;
        ws.write_string_with_format(row, 1, &c.code, &st.label)?;
        text(ws, row, 2, &c.label, &st.wrap)?;
        for (l, &k) in cx.stats.counts[ch].iter().enumerate() {
            totals[l] += k;
            count(ws, row, count0 + l as u16, k, &st.number)?;
            ws.write_number_with_format(row, share0 + l as u16, k as f64 / n, &st.percent)?;
        }
        let none = cx.stats.not_assessed[ch];
        total_none += none;
        count(ws, row, none_col, none, &st.number)?;
        let typical = cx.stats.typical[ch].map_or("", |l| fw.scale[l].label.as_str());
        text(ws, row, typical_col, typical, &st.number)?;
        let theme = fw.themes[c.theme].name.as_str();
        fit(
            ws,
            row,
            &[
                (theme, column_points(widths[0]), BODY),
                (c.label.as_str(), column_points(widths[2]), BODY),
            ],
        )?;
        row += 1;
    }
    let last = row - 1;
    // Each share column shades from white to its level's colour.
    for (l, level) in fw.scale.iter().enumerate() {
        let scale = ConditionalFormat2ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_maximum(ConditionalFormatType::Number, 1)
            .set_minimum_color(WHITE)
            .set_maximum_color(level.fill.as_str());
        ws.add_conditional_format(
            DISTRIBUTION_TOP,
            share0 + l as u16,
            last,
            share0 + l as u16,
            &scale,
        )?;
    }
    colour_rules(
        ws,
        fw,
        (DISTRIBUTION_TOP, typical_col),
        (last, typical_col),
        false,
    )?;

    // All characteristics together.
    let cells = (columns(fw).len() as f64 * n).max(1.0);
    ws.merge_range(row, 0, row, 2, "All characteristics", &st.total_label)?;
    for (l, &k) in totals.iter().enumerate() {
        count(ws, row, count0 + l as u16, k, &st.bold_number)?;
        ws.write_number_with_format(row, share0 + l as u16, k as f64 / cells, &st.total_percent)?;
    }
    count(ws, row, none_col, total_none, &st.bold_number)?;
    ws.write_blank(row, typical_col, &st.total_label)?;

    ws.set_freeze_panes(DISTRIBUTION_TOP, 3)?;
    ws.autofilter(DISTRIBUTION_TOP - 1, 0, last, typical_col)?;
    print_setup(
        ws,
        "Best Value self-assessment: distribution of colours",
        &cx.who,
        &cx.when,
        Some(DISTRIBUTION_TOP - 1),
        (row, typical_col),
        true,
    )?;
    ws.set_print_scale(100);
    Ok(())
}

/// Two heading rows: theme, code and characteristic, then the count and
/// the share of authorities giving each colour, and the typical colour.
fn distribution_headings(
    ws: &mut Worksheet,
    cx: &Ctx,
    (count0, none_col, share0, typical_col): (u16, u16, u16, u16),
    widths: &[f64],
) -> Result<(), XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let top = DISTRIBUTION_TOP - 2;
    for (c, h) in [(0u16, "Theme"), (1, "Code"), (2, "Characteristic")] {
        ws.merge_range(top, c, top + 1, c, h, &st.header)?;
    }
    span(
        ws,
        (top, count0),
        (top, none_col),
        "Authorities",
        &st.header,
    )?;
    span(
        ws,
        (top, share0),
        (top, typical_col - 1),
        "Share of authorities",
        &st.header,
    )?;
    ws.merge_range(
        top,
        typical_col,
        top + 1,
        typical_col,
        "Typical colour",
        &st.header,
    )?;
    for (l, level) in fw.scale.iter().enumerate() {
        let f = st.fill(&level.fill).set_bold().set_text_wrap();
        ws.write_string_with_format(top + 1, count0 + l as u16, &level.label, &f)?;
        ws.write_string_with_format(top + 1, share0 + l as u16, &level.label, &f)?;
    }
    ws.write_string_with_format(top + 1, none_col, "Not assessed", &st.header)?;
    let bold = Font::bold(10.0);
    let heads: Vec<(&str, f64, Font)> = fw
        .scale
        .iter()
        .map(|l| {
            (
                l.label.as_str(),
                column_points(widths[count0 as usize]),
                bold,
            )
        })
        .chain([(
            "Not assessed",
            column_points(widths[none_col as usize]),
            bold,
        )])
        .collect();
    ws.set_row_height(top + 1, fit_row(&heads))?;
    Ok(())
}

pub(super) fn positions(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let themes = fw.themes.len() as u16;
    let first = 1u16;
    let above_col = first + 2 * themes;
    let last_col = above_col + 2;

    ws.write_string_with_format(
        0,
        0,
        "Where each authority sits against the sector",
        &st.title,
    )?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(
        1,
        0,
        "For each theme: the authority's typical colour (median of its scored characteristics) and whether it is above, the same as, or below the sector's typical colour.",
        &st.subtitle,
    )?;
    let widths = positions_widths(fw.themes.len());
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    let top = positions_headings(ws, cx, (above_col, last_col), &widths)?;

    // The sector's own row.
    let sector_row = POSITIONS_TOP - 1;
    ws.write_string_with_format(sector_row, 0, "Sector (typical colour)", &st.total_label)?;
    let cell = st
        .score_cell
        .clone()
        .set_font_size(9)
        .set_border_color(LIGHT_RULE);
    for t in 0..fw.themes.len() {
        let c = first + 2 * t as u16;
        let l = cx.stats.sector_theme[t];
        ws.write_string_with_format(sector_row, c, letter(fw, l), &cell.clone().set_bold())?;
        ws.write_blank(sector_row, c + 1, &st.total_label)?;
    }
    for c in above_col..=last_col {
        ws.write_blank(sector_row, c, &st.total_label)?;
    }

    let mut row = POSITIONS_TOP;
    for (a, auth) in s.authorities.iter().enumerate() {
        text(ws, row, 0, &auth.shown, &st.wrap)?;
        fit(
            ws,
            row,
            &[(auth.shown.as_str(), column_points(widths[0]), BODY)],
        )?;
        let mut tally = [0usize; 3];
        for t in 0..fw.themes.len() {
            let c = first + 2 * t as u16;
            let own = cx.stats.theme_typical[a][t];
            ws.write_string_with_format(row, c, letter(fw, own), &cell)?;
            let pos = stats::position(own, cx.stats.sector_theme[t]);
            if let Some(p) = pos {
                tally[p as usize] += 1;
            }
            text(ws, row, c + 1, pos.map_or("", |p| p.label()), &st.number)?;
        }
        for (i, n) in tally.iter().enumerate() {
            count(ws, row, above_col + i as u16, *n, &st.number)?;
        }
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(POSITIONS_TOP);
    for t in 0..themes {
        let c = first + 2 * t;
        colour_rules(ws, fw, (sector_row, c), (last_row, c), true)?;
        for (word, fill) in [("Above", BETTER_FILL), ("Below", WORSE_FILL)] {
            let f = comparison_flag(fill);
            when_equal(ws, ((POSITIONS_TOP, c + 1), (last_row, c + 1)), word, &f)?;
        }
    }
    ws.set_freeze_panes(POSITIONS_TOP, 1)?;
    print_setup(
        ws,
        "Best Value self-assessment: positions against the sector",
        &cx.who,
        &cx.when,
        Some(POSITIONS_TOP - 1),
        (last_row, last_col),
        true,
    )?;
    ws.set_repeat_rows(top, POSITIONS_TOP - 1)?;
    ws.set_print_scale(100);
    Ok(())
}

/// Two heading rows: each theme over its own typical colour ("Own") and
/// where that sits ("vs sector"), then the counts of themes above, the
/// same and below; each row as tall as its wrapped headings. Returns the
/// first.
fn positions_headings(
    ws: &mut Worksheet,
    cx: &Ctx,
    (above_col, last_col): (u16, u16),
    widths: &[f64],
) -> Result<u32, XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    let first = 1u16;
    let top = POSITIONS_TOP - 3;
    ws.merge_range(top, 0, top + 1, 0, "Authority", &st.header)?;
    let theme_head = st.theme_title.clone().set_text_wrap().set_font_size(9);
    for (t, th) in fw.themes.iter().enumerate() {
        let c = first + 2 * t as u16;
        ws.merge_range(
            top,
            c,
            top,
            c + 1,
            &format!("{}  {}", t + 1, th.name),
            &theme_head,
        )?;
        ws.write_string_with_format(top + 1, c, "Own", &st.header)?;
        ws.write_string_with_format(top + 1, c + 1, "vs sector", &st.header)?;
    }
    let pair = column_points(widths[1]) + column_points(widths[2]);
    let names: Vec<String> = fw
        .themes
        .iter()
        .enumerate()
        .map(|(t, th)| format!("{}  {}", t + 1, th.name))
        .collect();
    let theme_rows: Vec<(&str, f64, Font)> = names
        .iter()
        .map(|n| (n.as_str(), pair, Font::bold(9.0)))
        .collect();
    ws.set_row_height(top, fit_row(&theme_rows))?;
    ws.set_row_height(
        top + 1,
        fit_row(&[("vs sector", column_points(widths[2]), Font::bold(10.0))]),
    )?;
    ws.merge_range(top, above_col, top, last_col, "Themes", &theme_head)?;
    for (i, h) in ["Above", "Same", "Below"].iter().enumerate() {
        ws.write_string_with_format(top + 1, above_col + i as u16, *h, &st.header)?;
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx::columns::room;
    use crate::write::xlsx::measure::columns_print_points;
    use crate::write::xlsx::page::Paper;

    #[test]
    fn both_tables_fill_a_landscape_page_at_full_size() {
        for widths in [distribution_widths(5), positions_widths(7)] {
            let w = columns_print_points(&widths);
            assert!(w <= room(Paper::LANDSCAPE.width()), "{w}");
            assert!(w > room(Paper::LANDSCAPE.width()) - 20.0, "{w}");
        }
    }
}
