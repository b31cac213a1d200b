//! The sector workbook written by `compare`: Cover, Sector heat map,
//! Distribution and Positions. Pure rendering of [`Sector`] and its figures
//! ([`crate::sector::stats`]). Colours come from conditional formatting in
//! the framework's colours; every coloured cell also carries the level's
//! letter or name, so a black-and-white print still reads.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ConditionalFormat2ColorScale, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatType, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet,
    XlsxError,
};

use super::styles::{Styles, text_colour_on};
use super::{print_setup, text};
use crate::error::Error;
use crate::framework::{Cell, Framework};
use crate::sector::stats::{self, Stats};
use crate::sector::{Sector, committee::SECTOR_MARK_SHEET};

pub const SHEETS: [&str; 4] = ["Cover", SECTOR_MARK_SHEET, "Distribution", "Positions"];

const TITLE: &str = "Best Value self-assessment: sector comparison";
/// Shown in a heat-map cell whose characteristic the authority did not assess.
pub const NOT_ASSESSED_MARK: &str = "–";

/// First row of the heat-map and positions grids (0-based).
pub const HEAT_TOP: u32 = 5;
pub const POSITIONS_TOP: u32 = 6;
pub const DISTRIBUTION_TOP: u32 = 5;

struct Ctx<'a> {
    s: &'a Sector,
    fw: &'a Framework,
    st: Styles,
    stats: Stats,
    who: String,
    when: String,
}

/// The characteristics in heat-map order (theme by theme, code order); a
/// "See" cell is not a characteristic of its own and gets no column.
pub fn columns(fw: &Framework) -> Vec<usize> {
    fw.themes
        .iter()
        .flat_map(|t| t.cells.iter())
        .filter_map(|c| match c {
            Cell::Own(i) => Some(*i),
            Cell::See(_) => None,
        })
        .collect()
}

pub fn render(s: &Sector) -> Result<Vec<u8>, XlsxError> {
    let levels: Vec<Vec<Option<usize>>> = s.authorities.iter().map(|a| a.levels.clone()).collect();
    let latest = s.authorities.iter().filter_map(|a| a.as_at).max();
    let cx = Ctx {
        s,
        fw: &s.fw,
        st: Styles::new(),
        stats: stats::compute(&s.fw, &levels),
        who: format!("{} authorities", s.authorities.len()),
        when: match latest {
            Some(d) => format!("Assessments as at {} or earlier", crate::dates::long(d)),
            None => String::new(),
        },
    };
    let created = match latest {
        Some(d) => date(d)?,
        None => ExcelDateTime::from_ymd(2000, 1, 1)?,
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(TITLE)
            .set_subject(format!(
                "{} authorities compared against {} (version {})",
                s.authorities.len(),
                s.fw.name,
                s.fw.version
            ))
            .set_keywords("Best Value Duty, self-assessment, sector comparison, heat map")
            .set_comment(format!(
                "Produced by bestvalue {}",
                env!("CARGO_PKG_VERSION")
            ))
            .set_creation_datetime(&created),
    );
    for name in SHEETS {
        wb.add_worksheet().set_name(name)?;
    }
    cover(wb.worksheet_from_name("Cover")?, &cx)?;
    heat_map(wb.worksheet_from_name(SECTOR_MARK_SHEET)?, &cx)?;
    distribution(wb.worksheet_from_name("Distribution")?, &cx)?;
    positions(wb.worksheet_from_name("Positions")?, &cx)?;
    wb.worksheet_from_name("Cover")?.set_active(true);
    wb.save_to_buffer()
}

pub fn write(path: &Path, s: &Sector) -> Result<(), Error> {
    let bytes = render(s).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    super::write_atomically(path, &bytes)
}

fn date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// A merged heading, or a plain cell when the range is one cell wide.
fn span(
    ws: &mut Worksheet,
    (r1, c1): (u32, u16),
    (r2, c2): (u32, u16),
    s: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, s, f)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, s, f)?;
    }
    Ok(())
}

fn level_format(fill: &str) -> Format {
    Format::new()
        .set_background_color(fill)
        .set_font_color(text_colour_on(fill))
}

/// Colours cells in a range by the text they hold: one rule per level.
fn colour_rules(
    ws: &mut Worksheet,
    fw: &Framework,
    (r1, c1): (u32, u16),
    (r2, c2): (u32, u16),
    by_letter: bool,
) -> Result<(), XlsxError> {
    if r2 < r1 || c2 < c1 {
        return Ok(());
    }
    for level in &fw.scale {
        let value = if by_letter {
            &level.letter
        } else {
            &level.label
        };
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(value.as_str()))
            .set_format(level_format(&level.fill));
        ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
    }
    Ok(())
}

fn letter(fw: &Framework, level: Option<usize>) -> &str {
    level
        .and_then(|l| fw.scale.get(l))
        .map_or(NOT_ASSESSED_MARK, |l| l.letter.as_str())
}

fn cover(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
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
        (
            "Produced by",
            format!("bestvalue {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let mut row = 3;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        ws.merge_range(row, 1, row, last_col, &v, &st.wrap)?;
        super::fit_height(ws, row, &[(v.as_str(), 110.0)])?;
        row += 1;
    }

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

    ws.write_string_with_format(row, 0, "Reading the figures", &st.label)?;
    let how = [
        "An authority's typical colour in a theme is the median of its scored characteristics there; the sector's typical colour pools every authority's scored characteristics in the theme.",
        "When the count is even, the weaker of the two middle colours is taken. Levels that are not scores (Grey) and characteristics not assessed are left out.",
        "Above: the authority's typical colour is better than the sector's; Below: weaker; Same: equal.",
    ];
    for h in how {
        ws.merge_range(row, 1, row, last_col, h, &st.wrap)?;
        super::fit_height(ws, row, &[(h, 110.0)])?;
        row += 1;
    }

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
            Some(d) => super::date(ws, row, 2, d, st)?,
            None => ws.write_blank(row, 2, &st.text).map(|_| ())?,
        }
        let assessed = a.levels.iter().filter(|l| l.is_some()).count();
        ws.write_number_with_format(row, 3, assessed as f64, &st.number)?;
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
        super::fit_height(ws, row, &[(notes.as_str(), widths[col as usize])])?;
        row += 1;
    }
    ws.set_repeat_rows(table_top, table_top)?;

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
            super::fit_height(ws, row, &[(n.reason.as_str(), 110.0)])?;
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

fn heat_map(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
    let (s, fw, st) = (cx.s, cx.fw, &cx.st);
    let cols = columns(fw);
    let first = 1u16;
    let last_char_col = first + cols.len() as u16 - 1;
    let count_col = last_char_col + 2;
    let last_col = count_col + fw.scale.len() as u16;

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

    let cell = st
        .score_cell
        .clone()
        .set_font_size(8)
        .set_align(FormatAlign::VerticalCenter)
        .set_border_color("#BFBFBF");
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
            ws.write_number_with_format(row, count_col + l as u16, *n as f64, &st.number)?;
        }
        ws.write_number_with_format(row, last_col, none as f64, &st.number)?;
        let _ = a;
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(HEAT_TOP);
    colour_rules(ws, fw, (HEAT_TOP, first), (last_row, last_char_col), true)?;

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

fn distribution(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
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
    for (c, w) in [(0u16, 24.0), (1, 8.0), (2, 44.0)] {
        ws.set_column_width(c, w)?;
    }
    for c in count0..typical_col {
        ws.set_column_width(c, 9)?;
    }
    ws.set_column_width(typical_col, 13)?;

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
    ws.set_row_height(top + 1, 30)?;

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
            ws.write_number_with_format(row, count0 + l as u16, k as f64, &st.number)?;
            ws.write_number_with_format(row, share0 + l as u16, k as f64 / n, &st.percent)?;
        }
        let none = cx.stats.not_assessed[ch];
        total_none += none;
        ws.write_number_with_format(row, none_col, none as f64, &st.number)?;
        let typical = cx.stats.typical[ch].map_or("", |l| fw.scale[l].label.as_str());
        text(ws, row, typical_col, typical, &st.number)?;
        let theme = fw.themes[c.theme].name.as_str();
        super::fit_height(ws, row, &[(theme, 24.0), (c.label.as_str(), 44.0)])?;
        row += 1;
    }
    let last = row - 1;
    // Each share column shades from white to its level's colour.
    for (l, level) in fw.scale.iter().enumerate() {
        let scale = ConditionalFormat2ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_maximum(ConditionalFormatType::Number, 1)
            .set_minimum_color("#FFFFFF")
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
        ws.write_number_with_format(row, count0 + l as u16, k as f64, &st.bold_number)?;
        ws.write_number_with_format(row, share0 + l as u16, k as f64 / cells, &st.total_percent)?;
    }
    ws.write_number_with_format(row, none_col, total_none as f64, &st.bold_number)?;
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
    Ok(())
}

fn positions(ws: &mut Worksheet, cx: &Ctx) -> Result<(), XlsxError> {
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
    ws.set_column_width(0, 34)?;
    for t in 0..themes {
        ws.set_column_width(first + 2 * t, 6)?;
        ws.set_column_width(first + 2 * t + 1, 8)?;
    }
    for c in above_col..=last_col {
        ws.set_column_width(c, 8)?;
    }

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
        ws.write_string_with_format(top + 1, c, "Typical", &st.header)?;
        ws.write_string_with_format(top + 1, c + 1, "vs sector", &st.header)?;
    }
    ws.set_row_height(top, 36)?;
    for (i, h) in ["Themes above", "Themes same", "Themes below"]
        .iter()
        .enumerate()
    {
        ws.merge_range(
            top,
            above_col + i as u16,
            top + 1,
            above_col + i as u16,
            h,
            &st.header,
        )?;
    }

    // The sector's own row.
    let sector_row = POSITIONS_TOP - 1;
    ws.write_string_with_format(sector_row, 0, "Sector (typical colour)", &st.total_label)?;
    let cell = st
        .score_cell
        .clone()
        .set_font_size(9)
        .set_border_color("#BFBFBF");
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
        text(ws, row, 0, &auth.shown, &st.text)?;
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
            ws.write_number_with_format(row, above_col + i as u16, *n as f64, &st.number)?;
        }
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(POSITIONS_TOP);
    for t in 0..themes {
        let c = first + 2 * t;
        colour_rules(ws, fw, (sector_row, c), (last_row, c), true)?;
        for (word, fill) in [("Above", "#C6EFCE"), ("Below", "#FFC7CE")] {
            let cf = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(word))
                .set_format(Format::new().set_background_color(fill).set_bold());
            ws.add_conditional_format(POSITIONS_TOP, c + 1, last_row, c + 1, &cf)?;
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
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_hold_whole_themes() {
        // Default framework: 12, 12, 10, 11, 12, 10, 7 columns, then counts.
        let groups = [12, 12, 10, 11, 12, 10, 7, 7];
        assert_eq!(super::theme_breaks(&groups, 1, 26), vec![25, 46, 68]);
        assert_eq!(super::theme_breaks(&[30, 2], 1, 26), vec![31]);
        assert!(super::theme_breaks(&[3], 1, 26).is_empty());
    }
}
