//! The Problems sheet: every finding with where it is in the officer's
//! return (file, sheet, cell, column), the value found, what is wrong and
//! how to fix it, and a link to the row it concerns in this workbook.

use rust_xlsxwriter::{Url, Worksheet, XlsxError};

use super::{Report, Rows, headings, page_setup};
use crate::problems::{Problem, Subject};
use crate::write::xlsx::levels::when_equal;
use crate::write::xlsx::style::{self, Styles};
use crate::write::xlsx::text;

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles, rows: &Rows) -> Result<(), XlsxError> {
    headings(
        ws,
        0,
        &[
            ("Severity", 9.0),
            ("File", 28.0),
            ("Sheet", 13.0),
            ("Cell", 7.0),
            ("Column", 16.0),
            ("Value found", 20.0),
            ("Problem", 46.0),
            ("How to fix", 46.0),
            ("Go to", 12.0),
            ("Problem code", 16.0),
        ],
        st,
    )?;
    let mut row = 1;
    for p in r.problems.iter() {
        problem_row(ws, r, st, rows, row, p)?;
        row += 1;
    }
    if r.problems.is_empty() {
        let read: usize = r.returns.iter().map(|i| i.rows_read).sum();
        ws.merge_range(
            1,
            0,
            1,
            9,
            &format!(
                "No problems found: {} returns read, {read} rows, every one used.",
                r.returns.len()
            ),
            &st.note,
        )?;
        row = 2;
    }
    let last = row - 1;
    when_equal(ws, ((1, 0), (last, 0)), "Error", &style::error_flag())?;
    when_equal(ws, ((1, 0), (last, 0)), "Warning", &style::warning_flag())?;
    ws.set_freeze_panes(1, 0)?;
    if !r.problems.is_empty() {
        ws.autofilter(0, 0, last, 9)?;
    }
    page_setup(ws, r, Some((0, 0)), last, 9, true)?;
    Ok(())
}

/// One finding: where, what was found, what is wrong and how to fix it,
/// and a link to the row of this workbook it concerns.
fn problem_row(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    rows: &Rows,
    row: u32,
    p: &Problem,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, p.severity.label(), &st.text)?;
    text(ws, row, 1, &p.location.file, &st.wrap)?;
    text(
        ws,
        row,
        2,
        p.location.sheet.as_deref().unwrap_or(""),
        &st.wrap,
    )?;
    text(ws, row, 3, &p.location.cell_ref(), &st.text)?;
    text(ws, row, 4, p.column.as_deref().unwrap_or(""), &st.wrap)?;
    let found = p.found.as_deref().unwrap_or("");
    text(ws, row, 5, &crate::problems::short(found, 500), &st.wrap)?;
    text(ws, row, 6, &p.message, &st.wrap)?;
    text(ws, row, 7, &p.hint, &st.wrap)?;
    let link = match &p.subject {
        Some(Subject::Characteristic(c)) => rows.characteristic.get(*c).map(|row| {
            (
                format!("internal:'Characteristics'!A{}", row + 1),
                r.fw.characteristics[*c].code.clone(),
            )
        }),
        Some(Subject::Action(id)) => rows
            .action
            .get(id)
            .map(|row| (format!("internal:'Action plan'!A{}", row + 1), id.clone())),
        None => None,
    };
    match link {
        Some((url, label)) => {
            ws.write_url_with_format(row, 8, Url::new(url).set_text(label), &st.link)?;
        }
        None => {
            ws.write_blank(row, 8, &st.text)?;
        }
    }
    ws.write_string_with_format(row, 9, p.kind.code(), &st.text)?;
    crate::write::xlsx::fit_height(
        ws,
        row,
        &[
            (p.location.file.as_str(), 28.0),
            (&p.message, 46.0),
            (&p.hint, 46.0),
            (crate::problems::short(found, 500).as_str(), 20.0),
            (p.column.as_deref().unwrap_or(""), 16.0),
        ],
    )?;
    Ok(())
}
