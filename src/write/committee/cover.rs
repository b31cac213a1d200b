//! The cover: what this workbook is, for which meeting, as at when, against
//! which framework, what it found, and the scale. The working copy adds
//! what went into it (every return read, files not read, problems found);
//! the clerk's copy is a portrait page of facts at full size.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Report, as_at_text, page_setup};
use crate::assess::travel::Direction;
use crate::committee::{AS_AT, FRAMEWORK, PRODUCED_BY, framework_line};
use crate::records::ReturnKind;
use crate::report::console::plural;
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::style::{BODY_SIZE, Styles};
use crate::write::xlsx::{count, date, text};

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    if r.published() {
        return published(ws, r, st);
    }
    let fw = r.fw;
    ws.set_column_width(0, 38)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 26)?;
    ws.set_column_width(4, 22)?;
    ws.set_column_width(5, 12)?;
    for c in 6..=8 {
        ws.set_column_width(c, 9)?;
    }
    ws.write_string_with_format(0, 0, r.authority, &st.title)?;
    ws.write_string_with_format(1, 0, SUBTITLE, &st.subtitle)?;
    ws.set_row_height(0, 26)?;

    let mut facts = facts(r);
    facts.push((
        "Problems found",
        if r.problems.is_empty() {
            "None".to_string()
        } else {
            format!(
                "{} and {}: see the Problems sheet",
                plural(r.problems.errors(), "error"),
                plural(r.problems.warnings(), "warning")
            )
        },
    ));
    facts.push((PRODUCED_BY, crate::marks::produced_by()));
    let mut row = 3;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        ws.merge_range(row, 1, row, 8, &v, &st.wrap)?;
        crate::write::xlsx::fit_height(ws, row, &[(v.as_str(), 113.0)])?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, "Contents", &st.label)?;
    row += 1;
    for (name, what) in CONTENTS {
        ws.write_url_with_text(row, 0, format!("internal:'{name}'!A1").as_str(), name)?;
        ws.merge_range(row, 1, row, 8, what, &st.text)?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, "Scale", &st.label)?;
    row += 1;
    for level in &fw.scale {
        ws.write_string_with_format(row, 0, &level.label, &st.fill(&level.fill).set_bold())?;
        ws.merge_range(row, 1, row, 8, &level.meaning, &st.wrap)?;
        row += 1;
    }

    row = returns_read(ws, r, st, row)?;
    if !r.skipped.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, "Files not read", &st.label)?;
        row += 1;
        for s in r.skipped {
            text(ws, row, 0, &s.display, &st.wrap)?;
            ws.merge_range(row, 1, row, 8, &s.reason, &st.wrap)?;
            row += 1;
        }
    }
    page_setup(ws, r, None, row.saturating_sub(1), 8, false)?;
    Ok(())
}

const SUBTITLE: &str =
    "Best Value Duty: self-assessment against the characteristics of a well-functioning authority";

/// Each sheet, and what it holds (the Problems sheet is the working
/// copy's only).
const CONTENTS: [(&str, &str); 6] = [
    (
        "Heat map",
        "every characteristic coloured by its final score, by theme",
    ),
    (
        "Summary",
        "counts of each colour per theme, and what they show",
    ),
    (
        "Characteristics",
        "position statement, evidence and each round's score and commentary",
    ),
    (
        "Score trail",
        "every score changed between rounds, by whom and why",
    ),
    (
        "Action plan",
        "every action's status and progress, and gaps without an action",
    ),
    (
        "Problems",
        "what was wrong in the returns, with where and how to fix it",
    ),
];

/// The facts both editions give: the meeting, the date, the framework,
/// what was scored, the actions, and what it is compared with.
fn facts(r: &Report) -> Vec<(&'static str, String)> {
    let fw = r.fw;
    let n = fw.characteristics.len();
    let level = |c: usize| r.assessment.level(c);
    let scored = (0..n)
        .filter(|c| level(*c).is_some_and(|l| fw.scale[l].scored))
        .count();
    let unscored = (0..n)
        .filter(|c| level(*c).is_some_and(|l| !fw.scale[l].scored))
        .count();
    let missing = (0..n).filter(|c| level(*c).is_none()).count();
    let m = r.meeting;
    let mut out: Vec<(&str, String)> = Vec::new();
    if let Some(c) = &m.committee {
        out.push(("Committee", c.clone()));
    }
    if let Some(d) = m.date {
        out.push(("Meeting", crate::dates::long(d)));
    }
    if let Some(a) = &m.appendix {
        out.push(("Paper", a.clone()));
    }
    out.push((
        AS_AT,
        as_at_text(r)
            .trim_start_matches("As at")
            .trim_start_matches(':')
            .trim()
            .to_string(),
    ));
    out.push((FRAMEWORK, framework_line(&fw.name, &fw.version)));
    out.push((
        "Characteristics",
        format!(
            "{n} characteristics in {} heat-map cells: {scored} scored, {unscored} not scored (Grey), {missing} not assessed",
            fw.cell_count()
        ),
    ));
    out.push((
        "Rounds",
        format!(
            "{}. A later round's score replaces an earlier one; every change is in the Score trail.",
            fw.rounds.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    ));
    out.push((
        "Actions",
        format!(
            "{}; {} overdue; {} without an action although {} one",
            plural(r.plan.actions.len(), "action"),
            r.plan.actions.iter().filter(|a| a.overdue).count(),
            plural(r.plan.uncovered.len(), "characteristic"),
            if r.plan.uncovered.len() == 1 {
                "it needs"
            } else {
                "they need"
            }
        ),
    ));
    if let Some(p) = r.previous {
        let file = if r.published() {
            String::new()
        } else {
            format!(": {}", p.file)
        };
        out.push((
            "Last month",
            format!(
                "Carried forward from last month's workbook{}{file}",
                when(p.as_at)
            ),
        ));
    }
    out.push(("Last year", last_year(r)));
    if let Some(c) = &m.contact {
        out.push(("Contact", c.clone()));
    }
    out
}

/// " (as at 24 October 2025)", or nothing when the date is unknown.
fn when(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| format!(" (as at {})", crate::dates::long(d)))
        .unwrap_or_default()
}

/// The comparison with last year, or a plain statement that there is none.
fn last_year(r: &Report) -> String {
    let Some(t) = r.travel else {
        let how = if r.published() {
            ""
        } else {
            " (build with --previous-year and last year's workbook to show it)"
        };
        return format!(
            "Not shown in this workbook: it is not compared with last year's assessment{how}."
        );
    };
    let file = if r.published() {
        String::new()
    } else {
        format!(" ({})", t.file)
    };
    let counts = Direction::ALL
        .iter()
        .map(|d| format!("{} {}", t.count(None, r.fw, *d), d.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Compared with last year's assessment{}{file}: {counts}.",
        when(t.as_at)
    )
}

/// The clerk's copy's cover: a portrait page at full size, in two columns
/// (a label and its text), with no merged cells and nothing to edit.
fn published(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    const LABEL: f64 = 20.0;
    const VALUE: f64 = 66.0;
    let font = Font::regular(BODY_SIZE);
    let value_pt = measure::column_points(VALUE);
    let both_pt = value_pt + measure::column_points(LABEL);
    ws.set_column_width(0, LABEL)?;
    ws.set_column_width(1, VALUE)?;
    ws.write_string_with_format(0, 0, r.authority, &st.title)?;
    ws.set_row_height(0, 26)?;
    ws.merge_range(1, 0, 1, 1, SUBTITLE, &st.subtitle.clone().set_text_wrap())?;
    ws.set_row_height(
        1,
        measure::fit_row(&[(SUBTITLE, both_pt, Font::regular(11.0))]),
    )?;
    let mut row = 3;
    let pair = |ws: &mut Worksheet, row: u32, k: &str, v: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        text(ws, row, 1, v, &st.wrap)?;
        let h = measure::fit_row(&[
            (v, value_pt, font),
            (k, measure::column_points(LABEL), Font::bold(BODY_SIZE)),
        ]);
        ws.set_row_height(row, h)?;
        Ok(())
    };
    for (k, v) in facts(r) {
        pair(ws, row, k, &v)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Contents", &st.section)?;
    ws.write_blank(row, 1, &st.section)?;
    ws.set_row_height(row, 20)?;
    row += 1;
    for (name, what) in CONTENTS.iter().filter(|(n, _)| r.sheets().contains(n)) {
        ws.write_url_with_format(
            row,
            0,
            rust_xlsxwriter::Url::new(format!("internal:'{name}'!A1")).set_text(*name),
            &st.link,
        )?;
        let what = capitalised(what);
        text(ws, row, 1, &what, &st.wrap)?;
        ws.set_row_height(row, measure::fit_row(&[(&what, value_pt, font)]))?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Scale", &st.section)?;
    ws.write_blank(row, 1, &st.section)?;
    ws.set_row_height(row, 20)?;
    row += 1;
    for level in &r.fw.scale {
        let swatch = st.fill(&level.fill).set_bold();
        ws.write_string_with_format(row, 0, &level.label, &swatch)?;
        text(ws, row, 1, &level.meaning, &st.wrap_middle)?;
        ws.set_row_height(
            row,
            measure::fit_row(&[(&level.meaning, value_pt, font)]).max(16.0),
        )?;
        row += 1;
    }
    page_setup(ws, r, None, row - 1, 1, false)?;
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The returns read: what each was, whose, and its rows read, used and
/// reported. Returns the next free row.
fn returns_read(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let fw = r.fw;
    row += 1;
    ws.write_string_with_format(row, 0, "Returns read", &st.label)?;
    row += 1;
    let heads = [
        "File",
        "Type",
        "Round",
        "Themes",
        "Completed by",
        "Date",
        "Rows read",
        "Used",
        "Reported",
    ];
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
    }
    row += 1;
    for info in r.returns {
        let kind = match info.kind {
            ReturnKind::Assessment => "Assessment",
            ReturnKind::Actions => "Action plan",
            ReturnKind::Committee => "Committee workbook (not read)",
            ReturnKind::Published => "Clerk's copy (not read)",
            ReturnKind::Unreadable => "Not read: see Problems",
        };
        text(ws, row, 0, &info.file, &st.wrap)?;
        ws.write_string_with_format(row, 1, kind, &st.wrap)?;
        text(
            ws,
            row,
            2,
            &info
                .round
                .map(|x| fw.rounds[x].name.clone())
                .unwrap_or_default(),
            &st.text,
        )?;
        let themes = if info.kind != ReturnKind::Assessment {
            info.service_area.clone().unwrap_or_default()
        } else if info.themes.is_empty() {
            "All themes".to_string()
        } else {
            info.themes
                .iter()
                .map(|t| fw.themes[*t].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        text(ws, row, 3, &themes, &st.wrap)?;
        text(ws, row, 4, info.officer.as_deref().unwrap_or(""), &st.wrap)?;
        match info.completed {
            Some(d) => date(ws, row, 5, d, &st.date)?,
            None => ws.write_blank(row, 5, &st.text).map(|_| ())?,
        }
        count(ws, row, 6, info.rows_read, &st.number)?;
        count(ws, row, 7, info.rows_used, &st.number)?;
        count(ws, row, 8, info.rows_reported, &st.number)?;
        crate::write::xlsx::fit_height(
            ws,
            row,
            &[
                (info.file.as_str(), 38.0),
                (themes.as_str(), 26.0),
                (info.officer.as_deref().unwrap_or(""), 22.0),
            ],
        )?;
        row += 1;
    }
    Ok(row)
}
