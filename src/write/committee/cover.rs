//! The cover: what this workbook is, as at when, against which framework,
//! what went into it, and the scale.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Report, as_at_text, page_setup};
use crate::committee::{AS_AT, FRAMEWORK, PRODUCED_BY, framework_line};
use crate::records::ReturnKind;
use crate::report::console::plural;
use crate::write::xlsx::style::Styles;
use crate::write::xlsx::{count, date, text};

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
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
    ws.write_string_with_format(1, 0, "Best Value Duty: self-assessment against the characteristics of a well-functioning authority", &st.subtitle)?;
    ws.set_row_height(0, 26)?;

    let facts = facts(r);
    let mut row = 3;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &st.label)?;
        ws.merge_range(row, 1, row, 8, &v, &st.wrap)?;
        row += 1;
    }

    row = contents(ws, st, row)?;

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
    page_setup(
        ws,
        r,
        "Best Value self-assessment",
        None,
        row.saturating_sub(1),
        8,
        false,
    )?;
    Ok(())
}

/// The facts at the top: as at, framework, counts, what it was compared with.
fn facts(r: &Report) -> Vec<(&'static str, String)> {
    let fw = r.fw;
    let scored = (0..fw.characteristics.len())
        .filter(|c| r.assessment.level(*c).is_some_and(|l| fw.scale[l].scored))
        .count();
    let unscored_levels = (0..fw.characteristics.len())
        .filter(|c| r.assessment.level(*c).is_some_and(|l| !fw.scale[l].scored))
        .count();
    let missing = (0..fw.characteristics.len())
        .filter(|c| r.assessment.level(*c).is_none())
        .count();
    let facts: Vec<(&str, String)> = vec![
        (
            AS_AT,
            as_at_text(r)
                .trim_start_matches("As at")
                .trim_start_matches(':')
                .trim()
                .to_string(),
        ),
        (FRAMEWORK, framework_line(&fw.name, &fw.version)),
        (
            "Characteristics",
            format!(
                "{} characteristics in {} heat-map cells: {scored} scored, {unscored_levels} not scored (Grey), {missing} not assessed",
                fw.characteristics.len(),
                fw.cell_count()
            ),
        ),
        (
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
        ),
        (
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
        ),
        ("Compared with", compared_with(r)),
        (PRODUCED_BY, crate::marks::produced_by()),
    ];
    facts
}

/// Links to each sheet, with what it holds. Returns the next free row.
fn contents(ws: &mut Worksheet, st: &Styles, mut row: u32) -> Result<u32, XlsxError> {
    row += 1;
    ws.write_string_with_format(row, 0, "Contents", &st.label)?;
    row += 1;
    for (name, what) in [
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
    ] {
        ws.write_url_with_text(row, 0, format!("internal:'{name}'!A1").as_str(), name)?;
        ws.merge_range(row, 1, row, 8, what, &st.text)?;
        row += 1;
    }
    Ok(row)
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

/// "Last month: October.xlsx (as at 24 October 2025); last year: …".
fn compared_with(r: &Report) -> String {
    let when = |d: Option<chrono::NaiveDate>| {
        d.map(|d| format!(" (as at {})", crate::dates::long(d)))
            .unwrap_or_default()
    };
    let mut parts = Vec::new();
    if let Some(p) = r.previous {
        parts.push(format!("last month: {}{}", p.file, when(p.as_at)));
    }
    if let Some(t) = r.travel {
        parts.push(format!("last year: {}{}", t.file, when(t.as_at)));
    }
    if parts.is_empty() {
        "Nothing (no earlier workbook given)".to_string()
    } else {
        let s = parts.join("; ");
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    }
}
