//! The action plan: every action with its latest status and progress, what
//! is overdue at the "as at" date, and every characteristic that needs an
//! action but has none, marked as such.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, Format, Worksheet, XlsxError,
};

use super::styles::{Styles, text_colour_on};
use super::{Report, Rows, date, headings, page_setup, text};

pub const OVERDUE: &str = "Overdue";
pub const NO_ACTION: &str = "No action";

pub fn write(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    rows: &mut Rows,
) -> Result<(), XlsxError> {
    let fw = r.fw;
    headings(
        ws,
        0,
        &[
            ("Action ID", 10.0),
            ("Theme", 18.0),
            ("Code", 8.0),
            ("Final score", 11.0),
            ("Gap", 34.0),
            ("Action", 40.0),
            ("Responsible officer", 18.0),
            ("Service area", 18.0),
            ("Target date", 12.0),
            ("Status", 12.0),
            ("Overdue", 9.0),
            ("Latest progress", 40.0),
            ("Date of update", 12.0),
            ("Performance system ref", 13.0),
        ],
        st,
    )?;
    let mut row = 1;
    for a in &r.plan.actions {
        rows.action.insert(a.id.clone(), row);
        ws.write_string_with_format(row, 0, &a.id, &st.label)?;
        match a.characteristic {
            Some(c) => {
                let ch = &fw.characteristics[c];
                ws.write_string_with_format(row, 1, &fw.themes[ch.theme].name, &st.wrap)?;
                ws.write_string_with_format(row, 2, &ch.code, &st.text)?;
                let score = r
                    .assessment
                    .level(c)
                    .map(|l| fw.scale[l].label.as_str())
                    .unwrap_or(super::heat_map::NOT_ASSESSED);
                ws.write_string_with_format(row, 3, score, &st.number)?;
            }
            None => {
                for c in 1..=3 {
                    ws.write_blank(row, c, &st.text)?;
                }
            }
        }
        text(ws, row, 4, &a.gap, &st.wrap)?;
        text(ws, row, 5, &a.action, &st.wrap)?;
        text(ws, row, 6, &a.owner, &st.wrap)?;
        text(ws, row, 7, &a.service_area, &st.wrap)?;
        match &a.target {
            Some(t) => match &t.timeline {
                Some(words) => text(ws, row, 8, words, &st.text)?,
                None => date(ws, row, 8, t.date, st)?,
            },
            None => ws.write_blank(row, 8, &st.text).map(|_| ())?,
        }
        let status = a
            .status
            .map(|s| fw.statuses[s].label.as_str())
            .unwrap_or("");
        text(ws, row, 9, status, &st.number)?;
        text(
            ws,
            row,
            10,
            if a.overdue { OVERDUE } else { "" },
            &st.number,
        )?;
        text(ws, row, 11, &a.progress, &st.wrap)?;
        match a.updated {
            Some(d) => date(ws, row, 12, d, st)?,
            None => ws.write_blank(row, 12, &st.text).map(|_| ())?,
        }
        text(ws, row, 13, &a.perf_ref, &st.text)?;
        let theme = a
            .characteristic
            .map(|c| fw.themes[fw.characteristics[c].theme].name.as_str())
            .unwrap_or("");
        super::fit_height(
            ws,
            row,
            &[
                (a.gap.as_str(), 34.0),
                (a.action.as_str(), 40.0),
                (a.progress.as_str(), 40.0),
                (a.owner.as_str(), 18.0),
                (a.service_area.as_str(), 18.0),
                (theme, 18.0),
            ],
        )?;
        row += 1;
    }
    for &c in &r.plan.uncovered {
        let ch = &fw.characteristics[c];
        ws.write_string_with_format(row, 0, "—", &st.label)?;
        ws.write_string_with_format(row, 1, &fw.themes[ch.theme].name, &st.wrap)?;
        ws.write_string_with_format(row, 2, &ch.code, &st.text)?;
        let score = r
            .assessment
            .level(c)
            .map(|l| fw.scale[l].label.as_str())
            .unwrap_or("");
        ws.write_string_with_format(row, 3, score, &st.number)?;
        text(ws, row, 4, &r.assessment.characteristics[c].gaps, &st.wrap)?;
        ws.write_string_with_format(
            row,
            5,
            "No action yet: this characteristic needs one.",
            &st.note,
        )?;
        for col in 6..=8 {
            ws.write_blank(row, col, &st.text)?;
        }
        ws.write_string_with_format(row, 9, NO_ACTION, &st.number)?;
        for col in 10..=13 {
            ws.write_blank(row, col, &st.text)?;
        }
        row += 1;
    }
    if row == 1 {
        ws.merge_range(
            1,
            0,
            1,
            13,
            "No actions were returned, and no characteristic needs one.",
            &st.note,
        )?;
        row = 2;
    }
    let last = row - 1;
    super::detail::colour_by_level(ws, r, 1, last, 3)?;
    for s in &fw.statuses {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(s.label.as_str()))
            .set_format(
                Format::new()
                    .set_background_color(s.fill.as_str())
                    .set_font_color(text_colour_on(&s.fill)),
            );
        ws.add_conditional_format(1, 9, last, 9, &cf)?;
    }
    for (label, fill) in [(OVERDUE, "#C00000"), (NO_ACTION, "#C00000")] {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(label))
            .set_format(
                Format::new()
                    .set_background_color(fill)
                    .set_font_color("#FFFFFF")
                    .set_bold(),
            );
        ws.add_conditional_format(1, 9, last, 10, &cf)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, last, 13)?;
    page_setup(
        ws,
        r,
        "Best Value self-assessment: action plan",
        Some(0),
        last,
        13,
        true,
    )?;
    Ok(())
}
