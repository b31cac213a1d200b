//! The sector workbook's cover: what was compared, against which framework,
//! how names are shown, the scale, how to read the figures, and which
//! sources were and were not compared. Laid out for portrait A4 at full
//! size: its columns fill the page, and every row is as tall as its
//! wrapped text.

use chrono::NaiveDate;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Ctx, NOT_ASSESSED_MARK, SECTOR_MARK_SHEET, TITLE};
use crate::write::xlsx::measure::{Font, column_points, fit_row};
use crate::write::xlsx::{count, date, print_setup, text};

/// The columns' widths in characters: authority, version, as at, assessed,
/// source and notes (the notes take the source's width when names are
/// withheld). Together they fill portrait A4 (see the test below).
const WIDTHS: [f64; 6] = [24.0, 7.0, 10.0, 8.5, 19.5, 19.0];

/// The cover's body text.
const BODY: Font = Font::regular(10.0);

/// The printed width of columns `from..=to`, in points (Excel's, the
/// narrower: wrapped text is measured against it).
fn span_points(from: usize, to: usize) -> f64 {
    WIDTHS[from..=to].iter().map(|w| column_points(*w)).sum()
}

/// Sets a row's height for text wrapped across the merged columns B to F.
fn fit_wide(ws: &mut Worksheet, row: u32, text: &str) -> Result<(), XlsxError> {
    fit(ws, row, &[(text, span_points(1, WIDTHS.len() - 1), BODY)])
}

/// Sets a row's height for the tallest of its wrapped cells; a row of one
/// line keeps the default.
fn fit(ws: &mut Worksheet, row: u32, cells: &[(&str, f64, Font)]) -> Result<(), XlsxError> {
    let h = fit_row(cells);
    if h > 16.0 {
        ws.set_row_height(row, h)?;
    }
    Ok(())
}

pub(super) fn write(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let mut widths = WIDTHS.to_vec();
    if s.anonymised {
        // No source column: the notes take its place and its width.
        widths[4] += widths[5];
        widths.pop();
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last_col = widths.len() as u16 - 1;
    ws.write_string_with_format(0, 0, TITLE, &st.title)?;
    ws.set_row_height(0, 26)?;
    let sub = format!(
        "{} authorities compared against {} (version {})",
        s.authorities.len(),
        fw.name,
        fw.version
    );
    ws.merge_range(
        1,
        0,
        1,
        last_col,
        &sub,
        &st.subtitle.clone().set_text_wrap(),
    )?;
    let all = span_points(0, WIDTHS.len() - 1);
    fit(ws, 1, &[(sub.as_str(), all, Font::regular(11.0))])?;

    let facts = facts(cx);
    let mut row = 3;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        ws.merge_range(row, 1, row, last_col, &v, &st.wrap)?;
        fit_wide(ws, row, &v)?;
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
        fit_wide(ws, row, h)?;
        row += 1;
    }

    row = authorities(ws, cx, &widths, row)?;

    row = not_compared(ws, cx, last_col, row)?;
    print_setup(
        ws,
        TITLE,
        &cx.who,
        &cx.when,
        None,
        (row.saturating_sub(1), last_col),
        false,
    )?;
    // At full size: the columns are laid out to fill the page.
    ws.set_print_scale(100);
    Ok(())
}

/// The sources that could not be compared, and why. Returns the next free
/// row.
fn not_compared(
    ws: &mut Worksheet,
    cx: &Ctx,
    last_col: u16,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let (s, st) = (cx.s, &cx.st);
    if s.not_compared.is_empty() {
        return Ok(row);
    }
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
        fit(
            ws,
            row,
            &[
                (source, column_points(WIDTHS[0]), BODY),
                (n.reason.as_str(), span_points(1, WIDTHS.len() - 1), BODY),
            ],
        )?;
        row += 1;
    }
    Ok(row)
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
        fit_wide(ws, row, &level.meaning)?;
        row += 1;
    }
    ws.write_string_with_format(
        row,
        0,
        format!("{NOT_ASSESSED_MARK}  Not assessed"),
        &st.not_assessed.clone().set_font_size(10),
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
        let link = rust_xlsxwriter::Url::new(format!("internal:'{name}'!A1"))
            .set_text(name)
            .set_tip(format!("Go to the {name} sheet"));
        ws.write_url_with_format(row, 0, link, &st.link)?;
        let what = format!("{what}.");
        ws.merge_range(row, 1, row, last_col, &what, &st.wrap)?;
        fit_wide(ws, row, &what)?;
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
    // "Assessed": how many characteristics the authority scored.
    let mut heads = vec!["Authority", "Version", "As at", "Assessed"];
    if !s.anonymised {
        heads.push("Source");
    }
    heads.push("Notes");
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
    }
    ws.set_row_height(row, 18)?;
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
        let source = match (s.anonymised, a.files) {
            (true, _) => String::new(),
            (false, 0) => a.source.clone(),
            (false, n) => format!("{} ({n} returns)", a.source),
        };
        if !s.anonymised {
            text(ws, row, col, &source, &st.wrap)?;
            col += 1;
        }
        let notes = a.notes.join("\n");
        text(ws, row, col, &notes, &st.wrap)?;
        fit(
            ws,
            row,
            &[
                (a.shown.as_str(), column_points(widths[0]), BODY),
                (source.as_str(), column_points(widths[4]), BODY),
                (notes.as_str(), column_points(widths[col as usize]), BODY),
            ],
        )?;
        row += 1;
    }
    ws.set_repeat_rows(table_top, table_top)?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx::columns::room;
    use crate::write::xlsx::measure::columns_print_points;
    use crate::write::xlsx::page::Paper;

    #[test]
    fn the_columns_fill_a_portrait_page_at_full_size() {
        let width = columns_print_points(&WIDTHS);
        assert!(width <= room(Paper::PORTRAIT.width()), "{width}");
        assert!(width > room(Paper::PORTRAIT.width()) - 10.0, "{width}");
    }
}
