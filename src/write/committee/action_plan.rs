//! The action plan: every action with its latest status and progress, what
//! is overdue at the "as at" date, what changed since last month (when last
//! month's workbook was given), its earlier updates, and every
//! characteristic that needs an action but has none, marked as such.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Report, Rows, headings, page_setup};
use crate::assess::plan::Action;
use crate::committee::{NO_ACTION_ID, columns as heading, history_line};
use crate::write::xlsx::levels::{colour_by_value, statuses, when_equal};
use crate::write::xlsx::style::{self, Styles};
use crate::write::xlsx::{date, text};

pub const OVERDUE: &str = "Overdue";
pub const NO_ACTION: &str = "No action";

/// The columns, in order. "Since last month" only when there is a last month.
fn columns(r: &Report) -> Vec<(&'static str, f64)> {
    let mut c = vec![
        (heading::ACTION_ID, 10.0),
        (heading::THEME, 16.0),
        (heading::CODE, 8.0),
        (heading::FINAL_SCORE, 10.0),
        (heading::GAP, 30.0),
        (heading::ACTION, 36.0),
        (heading::OWNER, 16.0),
        (heading::SERVICE_AREA, 16.0),
        (heading::TARGET_DATE, 11.0),
        (heading::STATUS, 11.0),
        (heading::OVERDUE, 9.0),
    ];
    if r.previous.is_some() {
        c.push(("Since last month", 14.0));
    }
    c.extend([
        (heading::LATEST_PROGRESS, 36.0),
        (heading::DATE_OF_UPDATE, 11.0),
        (heading::PERF_REF, 12.0),
        (heading::EARLIER_UPDATES, 36.0),
    ]);
    c
}

/// The columns by name.
struct Cols(Vec<(&'static str, f64)>);

impl Cols {
    fn at(&self, name: &str) -> Option<u16> {
        self.0
            .iter()
            .position(|(h, _)| *h == name)
            .map(|i| i as u16)
    }

    fn col(&self, name: &str) -> u16 {
        // safety: every name asked for is in `columns`.
        self.at(name).expect("known column")
    }

    fn width(&self, name: &str) -> f64 {
        self.0
            .iter()
            .find(|(h, _)| *h == name)
            .map(|(_, w)| *w)
            .unwrap_or(10.0)
    }

    fn last(&self) -> u16 {
        self.0.len() as u16 - 1
    }
}

pub fn write(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    rows: &mut Rows,
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let cols = Cols(columns(r));
    headings(ws, 0, &cols.0, st)?;
    let col = |name: &str| cols.col(name);
    let last_col = cols.last();

    let mut row = 1;
    for a in &r.plan.actions {
        rows.action.insert(a.id.clone(), row);
        action_row(ws, r, st, row, a, &cols)?;
        row += 1;
    }
    for &c in &r.plan.uncovered {
        uncovered_row(ws, r, st, row, c, &cols)?;
        row += 1;
    }
    if row == 1 {
        ws.merge_range(
            1,
            0,
            1,
            last_col,
            "No actions were returned, and no characteristic needs one.",
            &st.note,
        )?;
        row = 2;
    }
    let last = row - 1;
    super::detail::colour_by_level(ws, r, 1, last, col("Final score"))?;
    let status = ((1, col("Status")), (last, col("Status")));
    colour_by_value(ws, status, &statuses(fw))?;
    let alert = style::alert();
    for (label, c) in [(OVERDUE, col("Overdue")), (NO_ACTION, col("Status"))] {
        when_equal(ws, ((1, c), (last, c)), label, &alert)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, last, last_col)?;
    page_setup(ws, r, Some((0, 0)), last, last_col, true)?;
    Ok(())
}

/// One action's row: what it is for, what it is, who owns it, its target,
/// status and progress, and its earlier updates.
fn action_row(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    row: u32,
    a: &Action,
    cols: &Cols,
) -> Result<(), XlsxError> {
    let fw = r.fw;
    let col = |name: &str| cols.col(name);
    let width = |name: &str| cols.width(name);
    for c in 0..=cols.last() {
        ws.write_blank(row, c, &st.wrap)?;
    }
    ws.write_string_with_format(row, col("Action ID"), &a.id, &st.label)?;
    let theme = characteristic_cells(ws, r, st, row, a.characteristic, &col)?;
    text(ws, row, col("Gap"), &a.gap, &st.wrap)?;
    text(ws, row, col("Action"), &a.action, &st.wrap)?;
    text(ws, row, col("Responsible officer"), &a.owner, &st.wrap)?;
    text(ws, row, col("Service area"), &a.service_area, &st.wrap)?;
    if let Some(t) = &a.target {
        match &t.timeline {
            Some(words) => text(ws, row, col("Target date"), words, &st.text)?,
            None => date(ws, row, col("Target date"), t.date, &st.date)?,
        }
    }
    let status = a
        .status
        .map(|s| fw.statuses[s].label.as_str())
        .unwrap_or("");
    text(ws, row, col("Status"), status, &st.number)?;
    let overdue = if a.overdue { OVERDUE } else { "" };
    text(ws, row, col("Overdue"), overdue, &st.number)?;
    if let (Some(c), Some(since)) = (cols.at("Since last month"), &a.since) {
        text(ws, row, c, &since.label(), &st.wrap)?;
    }
    text(ws, row, col("Latest progress"), &a.progress, &st.wrap)?;
    if let Some(d) = a.updated {
        date(ws, row, col("Date of update"), d, &st.date)?;
    }
    let perf_ref = col("Performance system ref");
    text(ws, row, perf_ref, &a.perf_ref, &st.text)?;
    let history = history_text(a);
    text(ws, row, col("Earlier updates"), &history, &st.wrap)?;
    crate::write::xlsx::fit_height(
        ws,
        row,
        &[
            (a.gap.as_str(), width("Gap")),
            (a.action.as_str(), width("Action")),
            (a.progress.as_str(), width("Latest progress")),
            (a.owner.as_str(), width("Responsible officer")),
            (a.service_area.as_str(), width("Service area")),
            (theme, width("Theme")),
            (history.as_str(), width("Earlier updates")),
        ],
    )
}

/// The row of a characteristic that needs an action but has none.
fn uncovered_row(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    row: u32,
    c: usize,
    cols: &Cols,
) -> Result<(), XlsxError> {
    let col = |name: &str| cols.col(name);
    for k in 0..=cols.last() {
        ws.write_blank(row, k, &st.wrap)?;
    }
    ws.write_string_with_format(row, col("Action ID"), NO_ACTION_ID, &st.label)?;
    characteristic_cells(ws, r, st, row, Some(c), &col)?;
    let gaps = &r.assessment.characteristics[c].gaps;
    text(ws, row, col("Gap"), gaps, &st.wrap)?;
    ws.write_string_with_format(
        row,
        col("Action"),
        "No action yet: this characteristic needs one.",
        &st.note,
    )?;
    ws.write_string_with_format(row, col("Status"), NO_ACTION, &st.number)?;
    crate::write::xlsx::fit_height(ws, row, &[(gaps.as_str(), cols.width("Gap"))])
}

/// Theme, code and final score of the characteristic an action is for.
/// Returns the theme's name, for the row height.
fn characteristic_cells<'a>(
    ws: &mut Worksheet,
    r: &'a Report,
    st: &Styles,
    row: u32,
    c: Option<usize>,
    col: &dyn Fn(&str) -> u16,
) -> Result<&'a str, XlsxError> {
    let fw = r.fw;
    let Some(c) = c else { return Ok("") };
    let ch = &fw.characteristics[c];
    let theme = fw.themes[ch.theme].name.as_str();
    ws.write_string_with_format(row, col("Theme"), theme, &st.wrap)?;
    ws.write_string_with_format(row, col("Code"), &ch.code, &st.text)?;
    let score = r
        .assessment
        .level(c)
        .map(|l| fw.scale[l].label.as_str())
        .unwrap_or(crate::committee::NOT_ASSESSED);
    ws.write_string_with_format(row, col("Final score"), score, &st.number)?;
    Ok(theme)
}

/// Earlier updates, one per line, newest first so the latest history is
/// read first: `30/09/2025 · On track · note`.
pub fn history_text(a: &Action) -> String {
    a.history
        .iter()
        .rev()
        .map(|(d, s, n)| history_line(*d, s, n))
        .collect::<Vec<_>>()
        .join("\n")
}
