//! The sector workbook's cover: what was compared, against which framework,
//! how names are shown, the scale, how to read the figures, and which
//! sources were and were not compared.

use chrono::NaiveDate;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Ctx, NOT_ASSESSED_MARK, SECTOR_MARK_SHEET, TITLE};
use crate::write::xlsx::{count, date, print_setup, text};

pub(super) fn write(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let widths = [30.0, 10.0, 13.0, 14.0, 34.0, 50.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last_col = widths.len() as u16 - 1;
    ws.write_string_with_format(0, 0, TITLE, &st.title)?;
    ws.set_row_height(0, 26)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{} authorities compared against {} (version {})",
            s.authorities.len(),
            fw.name,
            fw.version
        ),
        &st.subtitle,
    )?;

    let facts = facts(cx);
    let mut row = 3;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        ws.merge_range(row, 1, row, last_col, &v, &st.wrap)?;
        crate::write::xlsx::fit_height(ws, row, &[(v.as_str(), 110.0)])?;
        row += 1;
    }

    row = contents(ws, cx, last_col, row)?;

    row = scale(ws, cx, last_col, row)?;

    ws.write_string_with_format(row, 0, "Reading the figures", &st.label)?;
    let how = [
        "An authority's typical colour in a theme is the median of its scored characteristics there; the sector's typical colour pools every authority's scored characteristics in the theme.",
        "When the count is even, the weaker of the two middle colours is taken. Levels that are not scores (Grey) and characteristics not assessed are left out.",
        "Above: the authority's typical colour is better than the sector's; Below: weaker; Same: equal.",
    ];
    for h in how {
        ws.merge_range(row, 1, row, last_col, h, &st.wrap)?;
        crate::write::xlsx::fit_height(ws, row, &[(h, 110.0)])?;
        row += 1;
    }

    row = authorities(ws, cx, &widths, row)?;

    if !s.not_compared.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, "Not compared", &st.label)?;
        row += 1;
        for n in &s.not_compared {
            let source = if s.anonymised {
                "A source (name withheld)"
            } else {
                n.source.as_str()
            };
            text(ws, row, 0, source, &st.wrap)?;
            ws.merge_range(row, 1, row, last_col, &n.reason, &st.wrap)?;
            crate::write::xlsx::fit_height(ws, row, &[(n.reason.as_str(), 110.0)])?;
            row += 1;
        }
    }
    print_setup(
        ws,
        TITLE,
        &cx.who,
        &cx.when,
        None,
        (row.saturating_sub(1), last_col),
        false,
    )?;
    Ok(())
}

/// The scale: each level's letter and name in its colour, and what it
/// means; then the mark for not assessed. Returns the next free row.
fn scale(ws: &mut Worksheet, cx: &Ctx, last_col: u16, mut row: u32) -> Result<u32, XlsxError> {
    let (fw, st) = (cx.fw, &cx.st);
    row += 1;
    ws.write_string_with_format(row, 0, "Scale", &st.label)?;
    row += 1;
    for level in &fw.scale {
        ws.write_string_with_format(
            row,
            0,
            format!("{}  {}", level.letter, level.label),
            &st.fill(&level.fill).set_bold(),
        )?;
        ws.merge_range(row, 1, row, last_col, &level.meaning, &st.wrap)?;
        row += 1;
    }
    ws.write_string_with_format(
        row,
        0,
        format!("{NOT_ASSESSED_MARK}  Not assessed"),
        &st.not_assessed,
    )?;
    ws.merge_range(
        row,
        1,
        row,
        last_col,
        "The authority gave no score, or its framework has no such characteristic.",
        &st.wrap,
    )?;
    row += 2;
    Ok(row)
}

/// The facts at the top: what was compared, against which framework and
/// versions, how names are shown, and as at when.
fn facts(cx: &Ctx) -> Vec<(&'static str, String)> {
    let (s, fw) = (cx.s, cx.fw);
    let mut versions: Vec<(String, usize)> = Vec::new();
    for a in &s.authorities {
        match versions.iter_mut().find(|(v, _)| *v == a.version) {
            Some(v) => v.1 += 1,
            None => versions.push((a.version.clone(), 1)),
        }
    }
    versions.sort();
    let mapped = s.authorities.iter().any(|a| a.version != fw.version);
    let dates: Vec<NaiveDate> = s.authorities.iter().filter_map(|a| a.as_at).collect();
    let as_at = match (dates.iter().min(), dates.iter().max()) {
        (Some(a), Some(b)) if a == b => crate::dates::long(*a),
        (Some(a), Some(b)) => format!(
            "from {} to {}",
            crate::dates::long(*a),
            crate::dates::long(*b)
        ),
        _ => "not given".to_string(),
    };
    let facts: Vec<(&str, String)> = vec![
        (
            "Authorities",
            if s.not_compared.is_empty() {
                format!("{} compared", s.authorities.len())
            } else {
                format!(
                    "{} compared; {} sources not compared (listed below)",
                    s.authorities.len(),
                    s.not_compared.len()
                )
            },
        ),
        (
            "Framework",
            format!(
                "{} (version {}): {} characteristics in {} themes",
                fw.name,
                fw.version,
                fw.characteristics.len(),
                fw.themes.len()
            ),
        ),
        (
            "Versions assessed against",
            versions
                .iter()
                .map(|(v, n)| format!("version {v}: {n}"))
                .collect::<Vec<_>>()
                .join("; ")
                + if mapped {
                    ". Scores given against another version were carried onto this one through a mapping file (see the notes)."
                } else {
                    ""
                },
        ),
        (
            "Names",
            if s.anonymised {
                "Anonymised: authorities are labelled Authority A, Authority B … in alphabetical order of their names. This workbook names none of them.".to_string()
            } else {
                "As each authority's committee workbook or returns name it.".to_string()
            },
        ),
        ("Assessments as at", as_at),
        (crate::marks::PRODUCED_BY, crate::marks::produced_by()),
    ];
    facts
}

/// Links to each sheet, with what it holds. Returns the next free row.
fn contents(ws: &mut Worksheet, cx: &Ctx, last_col: u16, mut row: u32) -> Result<u32, XlsxError> {
    let st = &cx.st;
    row += 1;
    ws.write_string_with_format(row, 0, "Contents", &st.label)?;
    row += 1;
    for (name, what) in [
        (
            SECTOR_MARK_SHEET,
            "authorities (rows) by characteristics (columns), each cell coloured by the final score and showing its letter",
        ),
        (
            "Distribution",
            "for each characteristic, how many authorities gave each colour, and what share",
        ),
        (
            "Positions",
            "for each authority and theme, its typical colour against the sector's: above, same or below",
        ),
    ] {
        ws.write_url_with_text(row, 0, format!("internal:'{name}'!A1").as_str(), name)?;
        ws.merge_range(row, 1, row, last_col, what, &st.text)?;
        row += 1;
    }
    Ok(row)
}

/// The authorities compared: version, as at, how much assessed, source
/// (unless anonymised) and notes. Returns the next free row.
fn authorities(
    ws: &mut Worksheet,
    cx: &Ctx,
    widths: &[f64],
    mut row: u32,
) -> Result<u32, XlsxError> {
    let (s, st) = (cx.s, &cx.st);
    row += 1;
    ws.write_string_with_format(row, 0, "Authorities compared", &st.label)?;
    row += 1;
    let mut heads = vec!["Authority", "Version", "As at", "Characteristics assessed"];
    if !s.anonymised {
        heads.push("Source");
    }
    heads.push("Notes");
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
    }
    let table_top = row;
    row += 1;
    for a in &s.authorities {
        text(ws, row, 0, &a.shown, &st.wrap)?;
        text(ws, row, 1, &a.version, &st.number)?;
        match a.as_at {
            Some(d) => date(ws, row, 2, d, &st.date)?,
            None => ws.write_blank(row, 2, &st.text).map(|_| ())?,
        }
        let assessed = a.levels.iter().filter(|l| l.is_some()).count();
        count(ws, row, 3, assessed, &st.number)?;
        let mut col = 4;
        if !s.anonymised {
            let source = if a.files > 0 {
                format!("{} ({} returns)", a.source, a.files)
            } else {
                a.source.clone()
            };
            text(ws, row, col, &source, &st.wrap)?;
            col += 1;
        }
        let notes = a.notes.join("\n");
        text(ws, row, col, &notes, &st.wrap)?;
        crate::write::xlsx::fit_height(ws, row, &[(notes.as_str(), widths[col as usize])])?;
        row += 1;
    }
    ws.set_repeat_rows(table_top, table_top)?;
    Ok(row)
}
