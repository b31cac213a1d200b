//! The heat map: a title row per theme, then rows of cells in code order,
//! each cell two rows tall: the code, and the score in words below it so the
//! map reads in black-and-white print. Colour comes from conditional
//! formatting on the score, so editing a score recolours the map in Excel and
//! LibreOffice. The cross-reference cell shows its target's score through a
//! formula, so it follows the target.

use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

use super::{Report, as_at_text, page_setup};
use crate::framework::Cell;
use crate::write::xlsx::levels::{colour_by_row, scale_labels};
use crate::write::xlsx::style::Styles;

use crate::committee::NOT_ASSESSED;
/// The key's text column, in characters.
const KEY_TEXT_WIDTH: f64 = 66.0;
/// First row of the grid (0-based).
pub const GRID_TOP: u32 = 3;

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
    let counts_col = per + 1;
    let key_col = per + 3;

    ws.write_string_with_format(0, 0, format!("Heat map: {}", r.authority), &st.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{}. Final scores against {} (version {}); each cell shows the code and, below it, the score.",
            as_at_text(r),
            fw.name,
            fw.version
        ),
        &st.subtitle,
    )?;
    ws.set_row_height(0, 24)?;
    for c in 0..per {
        ws.set_column_width(c, 13)?;
    }
    ws.set_column_width(per, 2)?;
    ws.set_column_width(counts_col, 34)?;
    ws.set_column_width(counts_col + 1, 2)?;
    ws.set_column_width(key_col, 12)?;
    ws.set_column_width(key_col + 1, KEY_TEXT_WIDTH)?;

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

    for (t, th) in fw.themes.iter().enumerate() {
        let title_row = lay.title_rows[t];
        ws.merge_range(
            title_row,
            0,
            title_row,
            per - 1,
            &format!("{}  {}", t + 1, th.name),
            &st.theme_title,
        )?;
        ws.set_row_height(title_row, 20)?;
        // Beside the block: its counts, over the title and first code row.
        ws.merge_range(
            title_row,
            counts_col,
            title_row + 1,
            counts_col,
            &counts_text(r, t),
            &st.note,
        )?;

        let pairs = th.cells.len().div_ceil(fw.cells_per_row).max(1);
        let first_pair_row = title_row + 1;
        for p in 0..pairs as u32 {
            let code_row = first_pair_row + 2 * p;
            ws.set_row_height(code_row, 22)?;
            ws.set_row_height(code_row + 1, 15)?;
            // Pad the last row with blank cells.
            for c in 0..per {
                ws.write_blank(code_row, c, &st.blank_cell)?;
                ws.write_blank(code_row + 1, c, &st.blank_cell)?;
            }
            colour_rules(ws, r, code_row, per)?;
        }
        for (i, c) in th.cells.iter().enumerate() {
            cell(ws, r, st, lay.cells[t][i], c, &score_cell)?;
        }
    }

    let key_end = key(ws, r, st, key_col)?;
    let key_end = reasons(ws, r, st, key_col, key_end + 2)?;
    ws.set_freeze_panes(GRID_TOP, 0)?;
    page_setup(
        ws,
        r,
        "Best Value self-assessment: heat map",
        Some(1),
        lay.last_row.max(key_end),
        key_col + 1,
        true,
    )?;
    // The heat map is read as one picture: keep it on one page.
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_gridlines(false);
    Ok(())
}

/// One heat-map cell: the code (with its direction of travel) over the
/// score in words; a "See" cell shows its target's score by formula.
fn cell(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    (row, col): (u32, u16),
    c: &Cell,
    score_cell: &[Option<(u32, u16)>],
) -> Result<(), XlsxError> {
    let fw = r.fw;
    match c {
        Cell::Own(ch) => {
            let level = r.assessment.level(*ch);
            let (code_fmt, score_fmt) = if level.is_some() {
                (&st.code_cell, &st.score_cell)
            } else {
                (&st.not_assessed, &st.not_assessed)
            };
            let code_fmt = if level.is_some() {
                code_fmt.clone()
            } else {
                code_fmt.clone().set_bold().set_italic().set_font_size(11)
            };
            // Beside the code, the direction of travel since last year.
            let mut code = fw.characteristics[*ch].code.clone();
            if let Some(t) = r.travel {
                let mark = t.per_characteristic[*ch].1.mark();
                if !mark.is_empty() {
                    code = format!("{code} {mark}");
                }
            }
            ws.write_string_with_format(row, col, &code, &code_fmt)?;
            let label = level
                .map(|l| fw.scale[l].label.as_str())
                .unwrap_or(NOT_ASSESSED);
            ws.write_string_with_format(row + 1, col, label, score_fmt)?;
        }
        Cell::See(target) => {
            let code = &fw.characteristics[*target].code;
            ws.write_string_with_format(row, col, format!("See {code}"), &st.code_cell)?;
            let label = r
                .assessment
                .level(*target)
                .map(|l| fw.scale[l].label.as_str())
                .unwrap_or(NOT_ASSESSED);
            match score_cell[*target] {
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

/// "2 Dark green, 8 Light green, 1 Yellow, 1 Amber" for a theme.
fn counts_text(r: &Report, theme: usize) -> String {
    let fw = r.fw;
    let mut counts = vec![0usize; fw.scale.len()];
    let mut missing = 0;
    let mut total = 0;
    let mut sees = Vec::new();
    for c in &fw.themes[theme].cells {
        match c {
            Cell::Own(ch) => {
                total += 1;
                match r.assessment.level(*ch) {
                    Some(l) => counts[l] += 1,
                    None => missing += 1,
                }
            }
            Cell::See(t) => sees.push(fw.characteristics[*t].code.clone()),
        }
    }
    let mut parts: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(l, n)| format!("{n} {}", fw.scale[l].label))
        .collect();
    if missing > 0 {
        parts.push(format!("{missing} not assessed"));
    }
    let mut s = format!("{total} characteristics: {}", parts.join(", "));
    for code in sees {
        s.push_str(&format!("; See {code} is counted in its own theme"));
    }
    s
}

/// The key; returns its last row.
fn key(ws: &mut Worksheet, r: &Report, st: &Styles, col: u16) -> Result<u32, XlsxError> {
    let mut row = GRID_TOP;
    ws.write_string_with_format(row, col, "Key", &st.label)?;
    row += 1;
    // Each entry spans two rows, like a heat-map cell, so the key's
    // swatches are the size of the map's cells.
    let middle = st
        .text
        .clone()
        .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter);
    for level in &r.fw.scale {
        let swatch = st.fill(&level.fill).set_bold();
        ws.merge_range(row, col, row + 1, col, &level.letter, &swatch)?;
        let text = format!("{}: {}", level.label, level.meaning);
        ws.merge_range(row, col + 1, row + 1, col + 1, &text, &middle)?;
        row += 2;
    }
    ws.merge_range(row, col, row + 1, col, NOT_ASSESSED, &st.not_assessed)?;
    ws.merge_range(
        row,
        col + 1,
        row + 1,
        col + 1,
        "Not assessed: no round gave a score. Shown with a dashed border, unlike Grey.",
        &middle,
    )?;
    row += 1;

    row += 2;
    let sees: Vec<String> =
        r.fw.themes
            .iter()
            .flat_map(|t| t.cells.iter())
            .filter_map(|c| match c {
                Cell::See(t) => Some(r.fw.characteristics[*t].code.clone()),
                Cell::Own(_) => None,
            })
            .collect();
    for code in sees {
        ws.merge_range(
            row,
            col,
            row,
            col + 1,
            &format!("\"See {code}\" is the same characteristic as {code} and shows its colour."),
            &st.note,
        )?;
        row += 1;
    }
    ws.merge_range(
        row,
        col,
        row,
        col + 1,
        "To change a score, type over the words under its code: the colour follows.",
        &st.note,
    )?;
    if let Some(t) = r.travel {
        row += 2;
        let since = t
            .as_at
            .map(|d| format!("last year's assessment (as at {})", crate::dates::long(d)))
            .unwrap_or_else(|| "last year's assessment".into());
        ws.merge_range(
            row,
            col,
            row,
            col + 1,
            &format!("Beside each code, against {since}:"),
            &st.label,
        )?;
        for line in [
            "▲  better than last year",
            "▼  worse than last year",
            "(new)  not in last year's framework",
            "no mark  the same colour, or not comparable (Grey or no score in one year)",
        ] {
            row += 1;
            ws.merge_range(row, col, row, col + 1, line, &st.text)?;
        }
    }
    Ok(row)
}

/// Below the key, each characteristic whose score needs a reason (Grey:
/// not scored, outside officers' control) with the reason given, so the
/// printed map says why a cell is not scored. Returns the last row used.
fn reasons(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    col: u16,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let fw = r.fw;
    let mut last = row.saturating_sub(2);
    for (l, level) in fw.scale.iter().enumerate() {
        if !level.reason_required {
            continue;
        }
        let given: Vec<(usize, String)> = (0..fw.characteristics.len())
            .filter(|c| r.assessment.level(*c) == Some(l))
            .map(|c| (c, final_reason(r, c)))
            .collect();
        if given.is_empty() {
            continue;
        }
        let head = if level.scored {
            format!("Scored {}, and why:", level.label)
        } else {
            format!("Not scored ({}), and why:", level.label)
        };
        ws.merge_range(row, col, row, col + 1, &head, &st.label)?;
        row += 1;
        for (c, reason) in given {
            // Each row of the map is at least 15 points, enough for one
            // line of 10-point text: the reason spans as many rows as it
            // has lines, so no row of the map grows.
            let lines = (reason.chars().count() as f64 / (KEY_TEXT_WIDTH * 1.3))
                .ceil()
                .max(1.0) as u32;
            let end = row + lines - 1;
            let code = &fw.characteristics[c].code;
            if lines > 1 {
                ws.merge_range(row, col, end, col, code, &st.label)?;
                ws.merge_range(row, col + 1, end, col + 1, &reason, &st.wrap)?;
            } else {
                ws.write_string_with_format(row, col, code, &st.label)?;
                ws.write_string_with_format(row, col + 1, &reason, &st.wrap)?;
            }
            last = end;
            row = end + 1;
        }
        row += 1;
    }
    Ok(last)
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
