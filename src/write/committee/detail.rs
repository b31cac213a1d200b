//! The detail sheets: every characteristic with each round's score and
//! commentary, and the score trail of every change between rounds.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Report, Rows, headings, page_setup};
use crate::committee::{columns as col, join_reason};
use crate::write::xlsx::levels::{colour_by_value, scale_labels};
use crate::write::xlsx::style::Styles;
use crate::write::xlsx::text;

/// Colours the cells of column `col`, rows `first_row` to `last_row`, by
/// the scale label they hold.
pub fn colour_by_level(
    ws: &mut Worksheet,
    r: &Report,
    first_row: u32,
    last_row: u32,
    col: u16,
) -> Result<(), XlsxError> {
    colour_by_value(ws, ((first_row, col), (last_row, col)), &scale_labels(r.fw))
}

/// The Characteristics sheet's columns: headings and widths, and where the
/// scored rounds, the final score and last year sit.
struct Columns {
    cols: Vec<(String, f64)>,
    /// The rounds that give a score, in order.
    scored: Vec<usize>,
    /// Each scored round's score column (its note is the next).
    score_cols: Vec<u16>,
    final_col: u16,
    travel_col: u16,
}

pub fn characteristics(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    rows: &mut Rows,
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let k = columns(r);
    let Columns {
        cols,
        score_cols,
        final_col,
        travel_col,
        ..
    } = &k;
    let (final_col, travel_col) = (*final_col, *travel_col);
    let refs: Vec<(&str, f64)> = cols.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    headings(ws, 0, &refs, st)?;

    rows.characteristic = vec![0; fw.characteristics.len()];
    let mut row = 1;
    for c in 0..fw.characteristics.len() {
        rows.characteristic[c] = row;
        characteristic_row(ws, r, st, (row, c), &k)?;
        row += 1;
    }
    let last = row - 1;
    for c in score_cols.iter().copied().chain([final_col]) {
        colour_by_level(ws, r, 1, last, c)?;
    }
    if r.travel.is_some() {
        colour_by_level(ws, r, 1, last, travel_col)?;
    }
    let last_col = cols.len() as u16 - 1;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, last, last_col)?;
    page_setup(
        ws,
        r,
        "Best Value self-assessment: characteristics",
        Some(0),
        last,
        last_col,
        true,
    )?;
    Ok(())
}

/// The columns, which depend on the rounds scored and on last year.
fn columns(r: &Report) -> Columns {
    let fw = r.fw;
    let mut cols: Vec<(String, f64)> = vec![
        (col::THEME.into(), 14.0),
        (col::CODE.into(), 7.0),
        (col::CHARACTERISTIC.into(), 22.0),
        (col::POSITION_STATEMENT.into(), 44.0),
        (col::EVIDENCE.into(), 26.0),
    ];
    let scored: Vec<usize> = (0..fw.rounds.len())
        .filter(|i| fw.rounds[*i].scored)
        .collect();
    let mut score_cols = Vec::new();
    for (k, &i) in scored.iter().enumerate() {
        score_cols.push(cols.len() as u16);
        cols.push((col::round_score(&fw.rounds[i].name), 10.0));
        // The first scoring round carries the full justification; later
        // rounds mostly confirm, so their notes are narrower.
        let w = if k == 0 { 30.0 } else { 22.0 };
        cols.push((col::round_commentary(&fw.rounds[i].name), w));
    }
    let final_col = cols.len() as u16;
    cols.push((col::FINAL_SCORE.into(), 10.0));
    cols.push((col::SCORE_SET_AT.into(), 11.0));
    cols.push((col::SET_BY.into(), 16.0));
    cols.push((col::GAPS.into(), 30.0));
    let travel_col = cols.len() as u16;
    if r.travel.is_some() {
        cols.push(("Last year".into(), 10.0));
        cols.push(("Since last year".into(), 11.0));
    }
    Columns {
        cols,
        scored,
        score_cols,
        final_col,
        travel_col,
    }
}

/// One characteristic's row: what it is, its position and evidence, each
/// scored round's score and note, the final score, gaps, last year.
fn characteristic_row(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    (row, c): (u32, usize),
    k: &Columns,
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let ch = &fw.characteristics[c];
    let Columns {
        cols,
        scored,
        score_cols,
        final_col,
        travel_col,
    } = k;
    let (final_col, travel_col) = (*final_col, *travel_col);
    let m = &r.assessment.characteristics[c];
    let theme = fw.themes[ch.theme].name.as_str();
    ws.write_string_with_format(row, 0, theme, &st.wrap)?;
    ws.write_string_with_format(row, 1, &ch.code, &st.label)?;
    text(ws, row, 2, &ch.label, &st.wrap)?;
    text(ws, row, 3, &m.narrative, &st.wrap)?;
    text(ws, row, 4, &m.evidence, &st.wrap)?;
    let mut notes = Vec::new();
    for (k, &ri) in scored.iter().enumerate() {
        let col = score_cols[k];
        let Some(e) = &m.rounds[ri] else {
            ws.write_blank(row, col, &st.wrap)?;
            ws.write_blank(row, col + 1, &st.wrap)?;
            continue;
        };
        let score = match (e.score, e.conflict) {
            (Some(l), _) => fw.scale[l].label.clone(),
            (None, true) => "Conflict".to_string(),
            (None, false) => String::new(),
        };
        text(ws, row, col, &score, &st.number)?;
        let note = join_reason(&e.commentary, &e.reason);
        text(ws, row, col + 1, &note, &st.wrap)?;
        notes.push((note, cols[col as usize + 1].1));
    }
    match &m.result {
        Some(s) => {
            let label = &fw.scale[s.level].label;
            ws.write_string_with_format(row, final_col, label, &st.number)?;
            let round = &fw.rounds[s.round].name;
            ws.write_string_with_format(row, final_col + 1, round, &st.text)?;
            text(
                ws,
                row,
                final_col + 2,
                s.officer.as_deref().unwrap_or(""),
                &st.wrap,
            )?;
        }
        None => {
            let na = crate::committee::NOT_ASSESSED;
            ws.write_string_with_format(row, final_col, na, &st.not_assessed)?;
            ws.write_blank(row, final_col + 1, &st.text)?;
            ws.write_blank(row, final_col + 2, &st.text)?;
        }
    }
    text(ws, row, final_col + 3, &m.gaps, &st.wrap)?;
    let mut sizes: Vec<(&str, f64)> = vec![
        (theme, cols[0].1),
        (ch.label.as_str(), cols[2].1),
        (m.narrative.as_str(), cols[3].1),
        (m.evidence.as_str(), cols[4].1),
        (m.gaps.as_str(), cols[final_col as usize + 3].1),
    ];
    sizes.extend(notes.iter().map(|(t, w)| (t.as_str(), *w)));
    crate::write::xlsx::fit_height(ws, row, &sizes)?;
    if let Some(t) = r.travel {
        let (then, dir) = t.per_characteristic[c];
        let then = then.map(|l| fw.scale[l].label.as_str()).unwrap_or("");
        text(ws, row, travel_col, then, &st.number)?;
        ws.write_string_with_format(row, travel_col + 1, dir.label(), &st.number)?;
    }
    Ok(())
}

pub fn trail(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    headings(
        ws,
        0,
        &[
            ("Theme", 18.0),
            ("Code", 8.0),
            ("Characteristic", 30.0),
            ("From", 11.0),
            ("Given at", 12.0),
            ("To", 11.0),
            ("Changed at", 12.0),
            ("Changed by", 20.0),
            ("Reason", 50.0),
            ("Source", 34.0),
        ],
        st,
    )?;
    let mut row = 1;
    for ch in &r.assessment.trail {
        let c = &fw.characteristics[ch.characteristic];
        ws.write_string_with_format(row, 0, &fw.themes[c.theme].name, &st.wrap)?;
        ws.write_string_with_format(row, 1, &c.code, &st.label)?;
        text(ws, row, 2, &c.label, &st.wrap)?;
        ws.write_string_with_format(row, 3, &fw.scale[ch.from].label, &st.number)?;
        ws.write_string_with_format(row, 4, &fw.rounds[ch.from_round].name, &st.text)?;
        ws.write_string_with_format(row, 5, &fw.scale[ch.to].label, &st.number)?;
        ws.write_string_with_format(row, 6, &fw.rounds[ch.round].name, &st.text)?;
        text(ws, row, 7, ch.officer.as_deref().unwrap_or(""), &st.wrap)?;
        text(ws, row, 8, &ch.reason, &st.wrap)?;
        let source = format!("{} › {} › {}", ch.source.file, ch.source.sheet, ch.cell);
        text(ws, row, 9, &source, &st.wrap)?;
        let theme = fw.themes[c.theme].name.as_str();
        let sizes = [
            (theme, 18.0),
            (c.label.as_str(), 30.0),
            (ch.reason.as_str(), 50.0),
            (source.as_str(), 34.0),
        ];
        crate::write::xlsx::fit_height(ws, row, &sizes)?;
        row += 1;
    }
    if r.assessment.trail.is_empty() {
        ws.merge_range(1, 0, 1, 9, "No score was changed between rounds.", &st.note)?;
        row = 2;
    }
    let last = row - 1;
    colour_by_level(ws, r, 1, last, 3)?;
    colour_by_level(ws, r, 1, last, 5)?;
    ws.set_freeze_panes(1, 2)?;
    if !r.assessment.trail.is_empty() {
        ws.autofilter(0, 0, last, 9)?;
    }
    page_setup(
        ws,
        r,
        "Best Value self-assessment: score trail",
        Some(0),
        last,
        9,
        true,
    )?;
    Ok(())
}
