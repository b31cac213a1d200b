//! The detail sheets of the working copy: every characteristic with each
//! round's score and commentary in one wide table (the clerk's copy prints
//! them as blocks: see `blocks`); and, in both editions, the score trail of
//! every change between rounds.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Report, Rows, as_at_text, headings, page_setup};
use crate::committee::{columns as col, join_reason};
use crate::write::xlsx::levels::{colour_by_value, scale_labels};
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::page::{Pager, Paper};
use crate::write::xlsx::style::{BODY_SIZE, Styles};
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
    page_setup(ws, r, Some((0, 0)), last, last_col, true)?;
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

/// The score trail: every score changed between rounds, as a table with
/// its headings repeated on every printed page. The working copy adds the
/// theme and the cell each change was read from; the clerk's copy fits A4
/// landscape at full size.
pub fn trail(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    let working = !r.published();
    let mut cols: Vec<(&str, f64)> = Vec::new();
    if working {
        cols.push(("Theme", 18.0));
    }
    cols.extend([
        ("Code", 8.0),
        ("Characteristic", if working { 30.0 } else { 24.0 }),
        ("From", 11.0),
        ("Given at", 11.0),
        ("To", 11.0),
        ("Changed at", 11.0),
        ("Changed by", if working { 18.0 } else { 16.0 }),
        ("Reason", if working { 50.0 } else { 38.0 }),
    ]);
    if working {
        cols.push(("Source", 34.0));
    }
    let at = |name: &str| cols.iter().position(|(h, _)| *h == name).unwrap_or(0) as u16;
    let points = |name: &str| measure::column_points(cols[at(name) as usize].1);
    let widths: Vec<f64> = cols.iter().map(|(_, w)| *w).collect();
    debug_assert!(
        working || Pager::fits(Paper::LANDSCAPE, &widths),
        "the table fits A4"
    );
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let last_col = cols.len() as u16 - 1;
    // The clerk's copy has a title above the table; the working copy's
    // headings are its first row, as a reader of it expects.
    let head = if working { 0 } else { 3 };
    if !working {
        ws.write_string_with_format(0, 0, format!("Score trail: {}", r.authority), &st.title)?;
        ws.write_string_with_format(
            1,
            0,
            format!(
                "{}. Every score changed between rounds: who changed it, and why.",
                as_at_text(r)
            ),
            &st.subtitle,
        )?;
        ws.set_row_height(0, 24)?;
        ws.set_row_height(1, 16)?;
        ws.set_row_height(2, 8)?;
    }
    let font = Font::regular(BODY_SIZE);
    let mut heights = Vec::new();
    let mut row = head + 1;
    for ch in &r.assessment.trail {
        let c = &fw.characteristics[ch.characteristic];
        let theme = fw.themes[c.theme].name.as_str();
        if working {
            ws.write_string_with_format(row, at("Theme"), theme, &st.wrap)?;
        }
        ws.write_string_with_format(row, at("Code"), &c.code, &st.label)?;
        text(ws, row, at("Characteristic"), &c.label, &st.wrap)?;
        ws.write_string_with_format(row, at("From"), &fw.scale[ch.from].label, &st.number)?;
        ws.write_string_with_format(
            row,
            at("Given at"),
            &fw.rounds[ch.from_round].name,
            &st.text,
        )?;
        ws.write_string_with_format(row, at("To"), &fw.scale[ch.to].label, &st.number)?;
        ws.write_string_with_format(row, at("Changed at"), &fw.rounds[ch.round].name, &st.text)?;
        let officer = ch.officer.as_deref().unwrap_or("");
        text(ws, row, at("Changed by"), officer, &st.wrap)?;
        text(ws, row, at("Reason"), &ch.reason, &st.wrap)?;
        let source = format!("{} › {} › {}", ch.source.file, ch.source.sheet, ch.cell);
        let mut sizes = vec![
            (c.label.as_str(), points("Characteristic"), font),
            (ch.reason.as_str(), points("Reason"), font),
            (officer, points("Changed by"), font),
        ];
        if working {
            text(ws, row, at("Source"), &source, &st.wrap)?;
            sizes.push((theme, points("Theme"), font));
            sizes.push((source.as_str(), points("Source"), font));
        }
        let h = measure::fit_row(&sizes).max(15.0);
        ws.set_row_height(row, h)?;
        heights.push(h);
        row += 1;
    }
    let headings: Vec<(&str, &rust_xlsxwriter::Format)> = cols
        .iter()
        .map(|(h, _)| match *h {
            "From" | "To" => (*h, &st.header_centre),
            _ => (*h, &st.header),
        })
        .collect();
    ws.set_row_height(head, 30)?;
    if r.assessment.trail.is_empty() {
        for (i, (h, f)) in headings.iter().enumerate() {
            ws.write_string_with_format(head, i as u16, *h, f)?;
        }
        let none = "No score was changed between rounds.";
        ws.merge_range(head + 1, 0, head + 1, last_col, none, &st.note)?;
        heights.push(20.0);
        row = head + 2;
    } else {
        crate::write::xlsx::table::table(
            ws,
            (head, 0),
            row - 1,
            &headings,
            "Score trail",
            "Every score changed between review rounds: the characteristic, its score before and after, the rounds, who changed it and why.",
        )?;
    }
    let last = row - 1;
    colour_by_level(ws, r, head + 1, last, at("From"))?;
    colour_by_level(ws, r, head + 1, last, at("To"))?;
    ws.set_freeze_panes(head + 1, at("Characteristic"))?;
    let mut pager = Pager::new(Paper::LANDSCAPE).repeating(30.0);
    pager.keep(
        0,
        if working {
            30.0
        } else {
            24.0 + 16.0 + 8.0 + 30.0
        },
    );
    pager.rows(head + 1, &heights);
    pager.no_lone_last_row(last);
    pager.apply(ws)?;
    page_setup(ws, r, Some((head, head)), last, last_col, true)?;
    Ok(())
}
