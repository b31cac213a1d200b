//! The heat map, on one A4 page (portrait, at full size): a title row per
//! theme, then rows of cells in code order, each cell two rows tall: the
//! code, and the score in words below it so the map reads in
//! black-and-white print. Beside each theme, its counts; below the grid,
//! the key, then each characteristic not scored (Grey) with its reason, so
//! the printed map says why (in the clerk's copy, when the reasons fit on
//! the page; otherwise the codes and where their reasons are). Each code
//! carries its characteristic's short label as a note, so the label is to
//! hand on screen without cluttering the printed grid.
//!
//! Colour comes from conditional formatting on the score, so the colour
//! always matches the words in the cell. The counts are the returns' (the
//! source of truth): the sheet does not invite anyone to type over a score.
//! The cross-reference cell shows its target's score through a formula,
//! so it follows the target.

use rust_xlsxwriter::{Format, FormatAlign, Formula, Note, Worksheet, XlsxError};

use super::{Report, as_at_text, page_setup};
use crate::framework::Cell;
use crate::write::xlsx::levels::{colour_by_row, scale_labels};
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::page::Paper;
use crate::write::xlsx::style::{BODY_SIZE, MIN_PRINT_SIZE, Styles};

use crate::committee::NOT_ASSESSED;
/// First row of the grid (0-based).
pub const GRID_TOP: u32 = 3;
/// Width of a grid cell: room for "PCE007 (new)" in bold 11-point type.
const CELL_WIDTH: f64 = 12.5;
/// Row heights, in points: a theme's title, a code, a score.
const TITLE_HEIGHT: f64 = 15.0;
const CODE_HEIGHT: f64 = 16.0;
const SCORE_HEIGHT: f64 = 14.0;
/// Counts beside the grid are in the smallest type a printed page allows.
const COUNT_FONT: Font = Font::regular(MIN_PRINT_SIZE);
/// Top and bottom margins, in inches: a little less than other sheets', to
/// leave the grid its full size.
const MARGIN_TOP: f64 = 0.6;
const MARGIN_BOTTOM: f64 = 0.5;
/// The height, in points, the map prints down on its one A4 page.
const PAGE_ROOM: f64 = 842.0 - (MARGIN_TOP + MARGIN_BOTTOM) * 72.0;

/// Where each heat-map cell sits: (theme, index in theme) → (code row, col).
pub struct Layout {
    pub title_rows: Vec<u32>,
    pub cells: Vec<Vec<(u32, u16)>>,
    pub last_row: u32,
}

pub fn layout(r: &Report) -> Layout {
    let per = r.fw.cells_per_row;
    let mut row = GRID_TOP;
    let mut title_rows = Vec::new();
    let mut cells = Vec::new();
    for t in &r.fw.themes {
        title_rows.push(row);
        row += 1;
        let mut pos = Vec::new();
        for (i, _) in t.cells.iter().enumerate() {
            pos.push((row + 2 * (i / per) as u32, (i % per) as u16));
        }
        let pairs = t.cells.len().div_ceil(per).max(1) as u32;
        row += 2 * pairs;
        cells.push(pos);
    }
    Layout {
        title_rows,
        cells,
        last_row: row.saturating_sub(1),
    }
}

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    let per = fw.cells_per_row as u16;
    let lay = layout(r);
    // The counts take what the page leaves beside the grid.
    let counts_col = per;
    let grid_pt = f64::from(per) * measure::column_print_points(CELL_WIDTH);
    let counts_width = measure::column_width_for(Paper::PORTRAIT.width() - grid_pt - 4.0).max(8.0);
    let last_col = counts_col;

    ws.write_string_with_format(0, 0, format!("Heat map: {}", r.authority), &st.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{}. Final scores against {} (version {}).",
            as_at_text(r),
            fw.name,
            fw.version
        ),
        &st.subtitle,
    )?;
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, 16)?;
    ws.set_row_height(2, 4)?;
    for c in 0..per {
        ws.set_column_width(c, CELL_WIDTH)?;
    }
    ws.set_column_width(counts_col, counts_width)?;

    // The score cell of each characteristic, for cross-references.
    let mut score_cell = vec![None; fw.characteristics.len()];
    for (t, th) in fw.themes.iter().enumerate() {
        for (i, c) in th.cells.iter().enumerate() {
            if let Cell::Own(ch) = c {
                let (row, col) = lay.cells[t][i];
                score_cell[*ch] = Some((row + 1, col));
            }
        }
    }

    let count_format = st.text.clone().set_font_size(COUNT_FONT.size).set_indent(1);
    for (t, th) in fw.themes.iter().enumerate() {
        let title_row = lay.title_rows[t];
        // The title overflows into the blank banner cells beside it: no
        // merged cells for a screen reader to stumble over.
        ws.write_string_with_format(
            title_row,
            0,
            format!("{}  {}", t + 1, th.name),
            &st.theme_title,
        )?;
        for c in 1..per {
            ws.write_blank(title_row, c, &st.theme_title)?;
        }
        ws.set_row_height(title_row, TITLE_HEIGHT)?;

        let pairs = th.cells.len().div_ceil(fw.cells_per_row).max(1);
        let first_pair_row = title_row + 1;
        for p in 0..pairs as u32 {
            let code_row = first_pair_row + 2 * p;
            ws.set_row_height(code_row, CODE_HEIGHT)?;
            ws.set_row_height(code_row + 1, SCORE_HEIGHT)?;
            // Pad the last row with blank cells.
            for c in 0..per {
                ws.write_blank(code_row, c, &st.blank_cell)?;
                ws.write_blank(code_row + 1, c, &st.blank_cell)?;
            }
            colour_rules(ws, r, code_row, per)?;
        }
        // Beside the block: its counts, a line to a row.
        let lines = pack(&counts(r, t), 1 + 2 * pairs as u32);
        for (i, line) in lines.iter().enumerate() {
            ws.write_string_with_format(title_row + i as u32, counts_col, line, &count_format)?;
        }
        for (i, c) in th.cells.iter().enumerate() {
            let (row, col) = lay.cells[t][i];
            match c {
                Cell::Own(ch) => own_cell(ws, r, st, *ch, (row, col))?,
                Cell::See(target) => see_cell(ws, r, st, *target, score_cell[*target], (row, col))?,
            }
        }
    }

    // The key's words span all but the first column (wrapped at Excel's
    // narrower widths).
    let room = f64::from(per - 1) * measure::column_points(CELL_WIDTH)
        + measure::column_points(counts_width);
    ws.set_row_height(lay.last_row + 1, 6)?;
    let (last_row, key_height) = key(ws, r, st, lay.last_row + 2, last_col, room)?;
    let used = grid_height(r) + printed(6.0) + key_height;
    let last_row = reasons(ws, r, st, (last_row + 1, used), last_col, room)?;
    ws.set_freeze_panes(GRID_TOP, 0)?;
    page_setup(ws, r, Some((0, 1)), last_row, last_col, false)?;
    // The heat map is read as one picture: keep it on one page.
    ws.set_margins(0.5, 0.5, MARGIN_TOP, MARGIN_BOTTOM, 0.2, 0.2);
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_gridlines(false);
    Ok(())
}

/// A row's height as it prints: Excel keeps heights in whole pixels
/// (three quarters of a point).
fn printed(h: f64) -> f64 {
    (h * 4.0 / 3.0).round() * 0.75
}

/// The height, in points, of the title, the subtitle and the grid.
fn grid_height(r: &Report) -> f64 {
    let per = r.fw.cells_per_row;
    printed(24.0)
        + printed(16.0)
        + printed(4.0)
        + r.fw
            .themes
            .iter()
            .map(|t| {
                let pairs = t.cells.len().div_ceil(per).max(1) as f64;
                printed(TITLE_HEIGHT) + pairs * (printed(CODE_HEIGHT) + printed(SCORE_HEIGHT))
            })
            .sum::<f64>()
}

/// A characteristic's cell: its code (with the direction of travel since
/// last year) and its score below, the label as a note on the code.
fn own_cell(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    ch: usize,
    (row, col): (u32, u16),
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let level = r.assessment.level(ch);
    let (code_fmt, score_fmt) = if level.is_some() {
        (st.code_cell.clone(), &st.score_cell)
    } else {
        (
            st.not_assessed.clone().set_bold().set_font_size(11),
            &st.not_assessed,
        )
    };
    let c = &fw.characteristics[ch];
    let mut code = c.code.clone();
    if let Some(t) = r.travel {
        let mark = t.per_characteristic[ch].1.mark();
        if !mark.is_empty() {
            code = format!("{code} {mark}");
        }
    }
    ws.write_string_with_format(row, col, &code, &code_fmt)?;
    if !c.label.is_empty() {
        let note = Note::new(format!("{}: {}", c.code, c.label))
            .set_author(r.authority)
            .add_author_prefix(false)
            .set_width(260)
            .set_height(60);
        ws.insert_note(row, col, &note)?;
    }
    let label = level
        .map(|l| fw.scale[l].label.as_str())
        .unwrap_or(NOT_ASSESSED);
    ws.write_string_with_format(row + 1, col, label, score_fmt)?;
    Ok(())
}

/// The cross-reference cell ("See CI012"): its score is a formula reading
/// the target's score cell, so the two always agree.
fn see_cell(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    target: usize,
    target_cell: Option<(u32, u16)>,
    (row, col): (u32, u16),
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let code = &fw.characteristics[target].code;
    ws.write_string_with_format(row, col, format!("See {code}"), &st.code_cell)?;
    let label = r
        .assessment
        .level(target)
        .map(|l| fw.scale[l].label.as_str())
        .unwrap_or(NOT_ASSESSED);
    match target_cell {
        Some((tr, tc)) => {
            let f = Formula::new(format!(
                "={}",
                rust_xlsxwriter::utility::row_col_to_cell(tr, tc)
            ))
            .set_result(label);
            ws.write_formula_with_format(row + 1, col, f, &st.score_cell)?;
        }
        None => {
            ws.write_string_with_format(row + 1, col, label, &st.score_cell)?;
        }
    }
    Ok(())
}

/// One formula rule per scale level over a code/score row pair; the rule
/// reads the score row, so both the code and the score take the colour.
fn colour_rules(ws: &mut Worksheet, r: &Report, code_row: u32, per: u16) -> Result<(), XlsxError> {
    let block = ((code_row, 0), (code_row + 1, per - 1));
    colour_by_row(ws, block, code_row + 1, &scale_labels(r.fw))
}

/// A theme's counts, one part each: "12 in all", "2 Dark green", …,
/// "1 not assessed".
pub fn counts(r: &Report, theme: usize) -> Vec<String> {
    let fw = r.fw;
    let mut counts = vec![0usize; fw.scale.len()];
    let mut missing = 0;
    let mut total = 0;
    for c in &fw.themes[theme].cells {
        if let Cell::Own(ch) = c {
            total += 1;
            match r.assessment.level(*ch) {
                Some(l) => counts[l] += 1,
                None => missing += 1,
            }
        }
    }
    let mut parts = vec![format!("{total} in all")];
    parts.extend(
        counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| format!("{n} {}", fw.scale[l].label)),
    );
    if missing > 0 {
        parts.push(format!("{missing} not assessed"));
    }
    parts
}

/// Puts `parts` on at most `lines` lines: one to a line while they fit,
/// otherwise joined in twos (then threes …) with commas.
fn pack(parts: &[String], lines: u32) -> Vec<String> {
    let lines = lines.max(1) as usize;
    let per = parts.len().div_ceil(lines).max(1);
    parts.chunks(per).map(|c| c.join(", ")).collect()
}

/// The key, from `top` down: each level's colour with its meaning, "Not
/// assessed", the cross-reference cell, and the marks of the direction of
/// travel (or why there are none). Returns the last row written and the
/// height of the rows, in points. `room` is the width, in points, of
/// columns 1 to `last_col`.
fn key(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    top: u32,
    last_col: u16,
    room: f64,
) -> Result<(u32, f64), XlsxError> {
    let fw = r.fw;
    let mut row = top;
    ws.write_string_with_format(row, 0, "Key", &st.label)?;
    ws.set_row_height(row, 15)?;
    let mut used = 15.0;
    row += 1;
    let font = Font::regular(BODY_SIZE);
    let middle = &st.wrap_middle;
    let entry = |ws: &mut Worksheet, row: u32, swatch: &str, swatch_fmt: &Format, text: &str| {
        ws.write_string_with_format(row, 0, swatch, swatch_fmt)?;
        ws.merge_range(row, 1, row, last_col, text, middle)?;
        let h = measure::fit_row(&[(text, room, font)]).max(15.0);
        ws.set_row_height(row, h).map(|_| printed(h))
    };
    for level in &fw.scale {
        let swatch = st.fill(&level.fill).set_bold();
        used += entry(ws, row, &level.label, &swatch, &level.meaning)?;
        row += 1;
    }
    used += entry(
        ws,
        row,
        NOT_ASSESSED,
        &st.not_assessed,
        "No round gave a score. Shown with a dashed border, unlike Grey.",
    )?;
    row += 1;

    // The marks of the direction of travel: each in a cell of its own,
    // its meaning beside it (no symbol in the middle of a line of text).
    if r.travel.is_some() {
        let marks = [("▲", "better"), ("▼", "worse"), ("(new)", "new code")];
        let mark = st.label.clone().set_align(FormatAlign::Right);
        for (i, (m, what)) in marks.iter().enumerate() {
            let c = 2 * i as u16;
            ws.write_string_with_format(row, c, *m, &mark)?;
            ws.write_string_with_format(row, c + 1, *what, &st.text)?;
        }
        ws.set_row_height(row, 15)?;
        used += 15.0;
        row += 1;
    }
    let mut notes: Vec<String> = fw
        .themes
        .iter()
        .flat_map(|t| t.cells.iter())
        .filter_map(|c| match c {
            Cell::See(t) => {
                let target = &fw.characteristics[*t];
                Some(format!(
                    "\"See {0}\" is the same characteristic as {0} and shows its colour; it is counted under {1}.",
                    target.code, fw.themes[target.theme].name
                ))
            }
            Cell::Own(_) => None,
        })
        .collect();
    notes.push(match r.travel {
        Some(t) => {
            let since = t
                .as_at
                .map(|d| format!("last year's assessment (as at {})", crate::dates::long(d)))
                .unwrap_or_else(|| "last year's assessment".into());
            format!(
                "The mark beside a code compares it with {since}. No mark: the same colour, or not compared (Grey or not scored in either year)."
            )
        }
        None => "Last year's comparison is not shown in this workbook.".to_string(),
    });
    let width = room + measure::column_points(CELL_WIDTH);
    ws.set_row_height(row, 4)?;
    used += printed(4.0);
    row += 1;
    for n in notes {
        ws.merge_range(row, 0, row, last_col, &n, &st.note)?;
        let h = measure::fit_row(&[(&n, width, font)]);
        ws.set_row_height(row, h)?;
        used += printed(h);
        row += 1;
    }
    Ok((row - 1, used))
}

/// Below the key, each characteristic whose score needs a reason (Grey:
/// not scored, outside officers' control) with the reason given, under a
/// heading per level, so the printed map says why. The clerk's copy prints
/// the map on one page at full size: when the reasons would not fit below
/// the key (`used` points of the page are taken), it names the
/// characteristics and says where their reasons are (each with its
/// characteristic, under Characteristics) rather than shrinking the map.
/// Returns the last row written (`top - 1` when none). `room` is the width,
/// in points, of columns 1 to `last_col`.
fn reasons(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    (top, used): (u32, f64),
    last_col: u16,
    room: f64,
) -> Result<u32, XlsxError> {
    let fw = r.fw;
    let font = Font::regular(BODY_SIZE);
    let mut groups = Vec::new();
    for (l, level) in fw.scale.iter().enumerate() {
        if !level.reason_required {
            continue;
        }
        let given: Vec<(usize, String, f64)> = (0..fw.characteristics.len())
            .filter(|c| r.assessment.level(*c) == Some(l))
            .map(|c| {
                let reason = final_reason(r, c);
                let h = measure::fit_row(&[(&reason, room, font)]).max(15.0);
                (c, reason, h)
            })
            .collect();
        if !given.is_empty() {
            groups.push((level, given));
        }
    }
    let height: f64 = groups
        .iter()
        .map(|(_, g)| printed(4.0) + 15.0 + g.iter().map(|x| printed(x.2)).sum::<f64>())
        .sum();
    let in_full = !r.published() || used + height <= PAGE_ROOM;
    let width = room + measure::column_points(CELL_WIDTH);
    let mut row = top;
    for (level, given) in groups {
        let why = if level.scored { "Scored" } else { "Not scored" };
        if !in_full {
            // One line straight below the notes: the page has no room for
            // more.
            let codes: Vec<&str> = given
                .iter()
                .map(|(c, _, _)| fw.characteristics[*c].code.as_str())
                .collect();
            let line = format!(
                "{why} ({}): {}; the reason for each is under Characteristics.",
                level.label,
                codes.join(", ")
            );
            ws.merge_range(row, 0, row, last_col, &line, &st.wrap)?;
            ws.set_row_height(row, measure::fit_row(&[(&line, width, font)]).max(15.0))?;
            row += 1;
            continue;
        }
        ws.set_row_height(row, 4)?;
        row += 1;
        let head = format!("{why} ({}), and why:", level.label);
        ws.merge_range(row, 0, row, last_col, &head, &st.label)?;
        ws.set_row_height(row, 15)?;
        row += 1;
        for (c, reason, h) in given {
            ws.write_string_with_format(row, 0, &fw.characteristics[c].code, &st.label)?;
            ws.merge_range(row, 1, row, last_col, &reason, &st.wrap)?;
            ws.set_row_height(row, h)?;
            row += 1;
        }
    }
    Ok(row - 1)
}

/// The reason given with a characteristic's final score.
fn final_reason(r: &Report, c: usize) -> String {
    let m = &r.assessment.characteristics[c];
    let reason = m
        .result
        .as_ref()
        .and_then(|s| m.rounds.get(s.round)?.as_ref())
        .map(|e| e.reason.trim().to_string())
        .unwrap_or_default();
    if reason.is_empty() {
        "No reason given.".to_string()
    } else {
        reason
    }
}

#[cfg(test)]
mod tests {
    use super::pack;

    #[test]
    fn counts_are_packed_into_the_rows_beside_a_theme() {
        let parts: Vec<String> = ["12 in all", "2 A", "3 B", "4 C", "1 D", "2 E", "0 F"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(pack(&parts[..3], 5), vec!["12 in all", "2 A", "3 B"]);
        assert_eq!(
            pack(&parts, 5),
            vec!["12 in all, 2 A", "3 B, 4 C", "1 D, 2 E", "0 F"]
        );
        assert_eq!(pack(&parts, 0).len(), 1);
    }
}
