//! The clerk's copy's Action plan: the committee's columns only
//! (characteristic with its label, gap, action, responsible officer, target
//! date, status, latest progress), grouped by theme, on A4 landscape at
//! full size. Each theme's actions are a real table under the theme's
//! heading, split into tables that each fit a page ("continued"), so every
//! printed table has its heading row. Status is in words and in colour,
//! with a key; "Overdue" and "No action" are in words too. The tracking
//! columns (action ID, service area, update dates, earlier updates,
//! performance-system reference, since last month) stay in the working
//! copy.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::action_plan::{NO_ACTION, OVERDUE};
use super::{Report, as_at_text, page_setup};
use crate::write::xlsx::levels::{colour_by_start, statuses, when_contains};
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::page::{Pager, Paper};
use crate::write::xlsx::style::{ALERT_FILL, BODY_SIZE, Styles, alert};
use crate::write::xlsx::table::table;
use crate::write::xlsx::{date, text};

/// The columns, with their widths: they fill A4 landscape.
const COLUMNS: [(&str, f64); 7] = [
    ("Characteristic", 20.0),
    ("Gap", 24.0),
    ("Action", 28.0),
    ("Responsible officer", 13.0),
    ("Target date", 10.5),
    ("Status", 11.0),
    ("Latest progress", 25.0),
];
const STATUS: u16 = 5;
const HEADING_ROW: f64 = 30.0;
const THEME_ROW: f64 = 22.0;

/// One row of the plan, as printed.
struct Line<'a> {
    characteristic: String,
    gap: &'a str,
    action: &'a str,
    owner: &'a str,
    target: Option<&'a crate::dates::DateValue>,
    status: String,
    progress: &'a str,
}

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    let widths: Vec<f64> = COLUMNS.iter().map(|(_, w)| *w).collect();
    debug_assert!(Pager::fits(Paper::LANDSCAPE, &widths), "the columns fit A4");
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let last_col = COLUMNS.len() as u16 - 1;
    ws.write_string_with_format(0, 0, format!("Action plan: {}", r.authority), &st.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{}. Every action for a gap, by theme, and each characteristic that needs an action and has none.",
            as_at_text(r)
        ),
        &st.subtitle,
    )?;
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, 16)?;
    let mut pager = Pager::new(Paper::LANDSCAPE);
    pager.keep(0, 40.0);
    let mut row = key(ws, r, st, 2)?;
    pager.keep(2, (row - 2) as f64 * 18.0);

    let lines = lines(r);
    let font = Font::regular(BODY_SIZE);
    let heads: Vec<(&str, &Format)> = COLUMNS
        .iter()
        .map(|(h, _)| match *h {
            "Status" => (*h, &st.header_centre),
            _ => (*h, &st.header),
        })
        .collect();
    let mut first_data = None;
    for (t, th) in fw.themes.iter().enumerate() {
        let ours: Vec<&Line> = lines
            .iter()
            .filter(|(theme, _)| *theme == t)
            .map(|(_, l)| l)
            .collect();
        if ours.is_empty() {
            continue;
        }
        let heights: Vec<f64> = ours.iter().map(|l| height(l, font)).collect();
        let chunks = chunks(&heights, pager.left(), pager.page_room());
        for (k, chunk) in chunks.into_iter().enumerate() {
            let title = if k == 0 {
                format!("{}  {}", t + 1, th.name)
            } else {
                format!("{}  {} (continued)", t + 1, th.name)
            };
            let body: f64 = heights[chunk.clone()].iter().sum();
            pager.keep(row, 8.0 + THEME_ROW + HEADING_ROW + body);
            ws.set_row_height(row, 8)?;
            row += 1;
            ws.write_string_with_format(row, 0, &title, &st.section)?;
            for c in 1..=last_col {
                ws.write_blank(row, c, &st.section)?;
            }
            ws.set_row_height(row, THEME_ROW)?;
            row += 1;
            let head = row;
            ws.set_row_height(head, HEADING_ROW)?;
            row += 1;
            first_data.get_or_insert(row);
            for (l, h) in ours[chunk.clone()].iter().zip(&heights[chunk.clone()]) {
                write_line(ws, st, row, l)?;
                ws.set_row_height(row, *h)?;
                row += 1;
            }
            table(
                ws,
                (head, 0),
                row - 1,
                &heads,
                &format!("Actions {} {}", t + 1, k + 1),
                &format!(
                    "Actions for {}{}: for each, the characteristic, the gap, the action, the responsible officer, the target date, the status and the latest progress.",
                    th.name,
                    if k > 0 { " (continued)" } else { "" }
                ),
            )?;
        }
    }
    if first_data.is_none() {
        ws.merge_range(
            row,
            0,
            row,
            last_col,
            "No actions were returned, and no characteristic needs one.",
            &st.note,
        )?;
        row += 1;
    }
    let last = row - 1;
    if let Some(first) = first_data {
        let status = ((first, STATUS), (last, STATUS));
        // What needs attention comes first, and no other colour covers it.
        let flag = alert();
        when_contains(ws, status, OVERDUE, &flag)?;
        when_contains(ws, status, NO_ACTION, &flag)?;
        colour_by_start(ws, status, &statuses(fw))?;
    }
    pager.apply(ws)?;
    page_setup(ws, r, None, last, last_col, true)?;
    Ok(())
}

/// Each line of the plan with its theme: the actions, then the
/// characteristics without one.
fn lines<'a>(r: &'a Report) -> Vec<(usize, Line<'a>)> {
    let fw = r.fw;
    let named = |c: Option<usize>| {
        c.map(|c| {
            let ch = &fw.characteristics[c];
            (ch.theme, format!("{}: {}", ch.code, ch.label))
        })
    };
    let mut out = Vec::new();
    for a in &r.plan.actions {
        let (theme, characteristic) =
            named(a.characteristic).unwrap_or((usize::MAX, String::new()));
        let mut status = a
            .status
            .map(|s| fw.statuses[s].label.clone())
            .unwrap_or_default();
        if a.overdue {
            status = if status.is_empty() {
                OVERDUE.to_string()
            } else {
                format!("{status}\n{OVERDUE}")
            };
        }
        out.push((
            theme,
            Line {
                characteristic,
                gap: &a.gap,
                action: &a.action,
                owner: &a.owner,
                target: a.target.as_ref(),
                status,
                progress: &a.progress,
            },
        ));
    }
    for &c in &r.plan.uncovered {
        let (theme, characteristic) = named(Some(c)).unwrap_or_default();
        out.push((
            theme,
            Line {
                characteristic,
                gap: &r.assessment.characteristics[c].gaps,
                action: "No action yet: this characteristic needs one.",
                owner: "",
                target: None,
                status: NO_ACTION.to_string(),
                progress: "",
            },
        ));
    }
    // An action for no known characteristic goes under the first theme
    // rather than being lost.
    for (t, _) in out.iter_mut() {
        if *t >= fw.themes.len() {
            *t = 0;
        }
    }
    out
}

/// Room a theme's table needs besides its rows: the gap above, the theme's
/// heading and the table's heading row.
const HEAD_ROOM: f64 = 8.0 + THEME_ROW + HEADING_ROW;

/// A theme's rows (their heights) split into tables that each fit on a
/// page under their headings. A theme that fits on what is `left` of this
/// page, or on a fresh page (`page` high), stays one table; a longer one
/// starts here when its first two rows fit, and no table is left with a
/// lone row when its neighbour can spare one.
fn chunks(heights: &[f64], left: f64, page: f64) -> Vec<std::ops::Range<usize>> {
    let total: f64 = heights.iter().sum();
    if total + HEAD_ROOM <= left.max(page) {
        return std::iter::once(0..heights.len()).collect();
    }
    let mut room = left - HEAD_ROOM;
    if heights.iter().take(2).sum::<f64>() > room {
        room = page - HEAD_ROOM;
    }
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, h) in heights.iter().enumerate() {
        if i > start && used + h > room {
            out.push(start..i);
            start = i;
            used = 0.0;
            room = page - HEAD_ROOM;
        }
        used += h;
    }
    out.push(start..heights.len());
    let n = out.len();
    if n > 1 && out[n - 1].len() == 1 && out[n - 2].len() > 2 {
        out[n - 2].end -= 1;
        out[n - 1].start -= 1;
    }
    out
}

fn height(l: &Line, font: Font) -> f64 {
    let w = |i: usize| measure::column_points(COLUMNS[i].1);
    measure::fit_row(&[
        (l.characteristic.as_str(), w(0), font),
        (l.gap, w(1), font),
        (l.action, w(2), font),
        (l.owner, w(3), font),
        (l.status.as_str(), w(STATUS as usize), Font::bold(BODY_SIZE)),
        (l.progress, w(6), font),
    ])
    .max(16.0)
}

fn write_line(ws: &mut Worksheet, st: &Styles, row: u32, l: &Line) -> Result<(), XlsxError> {
    text(ws, row, 0, &l.characteristic, &st.wrap)?;
    text(ws, row, 1, l.gap, &st.wrap)?;
    text(ws, row, 2, l.action, &st.wrap)?;
    text(ws, row, 3, l.owner, &st.wrap)?;
    match l.target {
        Some(t) => match &t.timeline {
            Some(words) => text(ws, row, 4, words, &st.wrap)?,
            None => date(ws, row, 4, t.date, &st.date)?,
        },
        None => text(ws, row, 4, "", &st.text)?,
    }
    text(
        ws,
        row,
        STATUS,
        &l.status,
        &st.number.clone().set_text_wrap(),
    )?;
    text(ws, row, 6, l.progress, &st.wrap)?;
    Ok(())
}

/// The key to the status colours, in one row of swatches under the title,
/// and a line saying what Overdue and No action mean. Returns the next
/// free row.
fn key(ws: &mut Worksheet, r: &Report, st: &Styles, row: u32) -> Result<u32, XlsxError> {
    let fw = r.fw;
    ws.write_string_with_format(row, 0, "Status key", &st.label)?;
    // The swatches run along the row; a framework with more statuses than
    // there are columns carries on in the row below.
    let mut col = 1;
    let mut row = row;
    let next = |col: &mut u16, row: &mut u32| {
        *col += 1;
        if usize::from(*col) >= COLUMNS.len() {
            *col = 1;
            *row += 1;
        }
    };
    for s in &fw.statuses {
        ws.write_string_with_format(row, col, &s.label, &st.fill(&s.fill).set_bold())?;
        ws.set_row_height(row, 16)?;
        next(&mut col, &mut row);
    }
    let flag = st.fill(ALERT_FILL).set_bold();
    for word in [OVERDUE, NO_ACTION] {
        ws.write_string_with_format(row, col, word, &flag)?;
        ws.set_row_height(row, 16)?;
        next(&mut col, &mut row);
    }
    if col == 1 {
        row -= 1;
    }
    let when = r
        .as_at
        .map(|d| format!(" at {}", crate::dates::long(d)))
        .unwrap_or_default();
    let says = format!(
        "Each status is written in words as well as coloured. Overdue: past its target date{when} and not complete. No action: the characteristic's score needs an action and none has been agreed."
    );
    let width: f64 = COLUMNS
        .iter()
        .map(|(_, w)| measure::column_points(*w))
        .sum();
    ws.merge_range(
        row + 1,
        0,
        row + 1,
        COLUMNS.len() as u16 - 1,
        &says,
        &st.note,
    )?;
    ws.set_row_height(
        row + 1,
        measure::fit_row(&[(says.as_str(), width, Font::regular(BODY_SIZE))]),
    )?;
    Ok(row + 2)
}

#[cfg(test)]
mod tests {
    use super::{HEAD_ROOM, chunks};

    #[test]
    fn a_theme_stays_one_table_when_a_page_holds_it() {
        let page = 400.0;
        // Fits on what is left: one table here.
        assert_eq!(
            chunks(&[50.0; 4], 300.0, page),
            std::iter::once(0..4).collect::<Vec<_>>()
        );
        // Does not fit what is left but fits a page: one table (on a new page).
        assert_eq!(
            chunks(&[50.0; 6], 100.0, page),
            std::iter::once(0..6).collect::<Vec<_>>()
        );
        // Longer than a page: split, the first part here.
        let parts = chunks(&[50.0; 12], 250.0, page);
        assert_eq!(parts[0], 0..3);
        for p in &parts[1..] {
            assert!(p.len() as f64 * 50.0 + HEAD_ROOM <= page);
        }
        assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), 12);
        // No part is a lone row when the one before can spare one.
        let parts = chunks(&[50.0; 10], 250.0, page);
        assert!(parts.iter().all(|p| p.len() > 1), "{parts:?}");
    }
}
