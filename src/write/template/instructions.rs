//! The Instructions sheet: the details block `build` reads (labels in
//! column A, values in column B), then what to do, the scale (or the
//! statuses) drawn in their colours, what goes in each column, and who to
//! send the return to by when. Plain British English for officers who only
//! use Excel.

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidationErrorStyle, Worksheet, XlsxError};

use super::controls::{date_validation, print_setup, protect};
use super::files::themes_cell;
use super::steps::{action_steps, assessment_steps};
use super::wording::{
    ACTION_PLAN, ACTIONS_SHEET, ASSESSMENT, ASSESSMENT_SHEET, INSTRUCTIONS_SCALE, ISSUED,
    LABEL_COLUMN, RETURN_BY, SEND_TO, WIDE_COLUMN, Writer, not_a_label,
};
use super::{Ctx, Layout, What};
use crate::framework::Cell;
use crate::read::returns::details::{self, Key};
use crate::write::xlsx::{excel_date, text};

/// One value in the details block.
enum Value {
    /// Filled in by the tool: locked.
    Text(String),
    Date(NaiveDate),
    /// For the officer (or the office, before sending) to fill: unlocked.
    InputText(String),
    InputDate,
}

/// Writes the Instructions sheet.
pub fn instructions(
    ws: &mut Worksheet,
    ctx: &Ctx,
    what: &What,
    title: &str,
    layout: &Layout,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, LABEL_COLUMN)?;
    ws.set_column_width(1, WIDE_COLUMN)?;
    ws.set_screen_gridlines(false);
    let mut w = Writer::new(ws);
    heading(&mut w, ctx, title)?;
    let completed_by_row = details_block(&mut w, ctx, what)?;
    what_to_do(&mut w, ctx, what, layout)?;
    legend(&mut w, ctx, what)?;
    columns(&mut w, ctx, what, layout)?;
    appear_once(&mut w, ctx, what)?;
    let (st, cfg) = (&ctx.st, ctx.cfg);
    if let Some(s) = send_to(ctx) {
        w.gap()?;
        w.line(
            1,
            &format!("Questions about this return? Ask {s}."),
            &st.note,
        )?;
    }

    w.paginate(INSTRUCTIONS_SCALE)?;
    let ws = w.ws;
    protect(ws);
    print_setup(ws, title, cfg.authority.as_deref(), false, false)?;
    // A set scale, not fitted to the width, so the pages break where
    // planned.
    ws.set_print_scale(INSTRUCTIONS_SCALE);
    ws.set_selection(completed_by_row, 1, completed_by_row, 1)?;
    Ok(())
}

/// Who the return goes back to, when the office said.
fn send_to(ctx: &Ctx) -> Option<String> {
    let s = ctx.cfg.send_to.as_deref()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The title, who it is for, and which cells to type in.
fn heading(w: &mut Writer, ctx: &Ctx, title: &str) -> Result<(), XlsxError> {
    let (fw, st, cfg) = (ctx.fw, &ctx.st, ctx.cfg);
    w.line(0, title, &st.title)?;
    w.height(0, 24.0)?;
    let sub = match &cfg.authority {
        Some(a) => format!("{a} · Best Value self-assessment · {}", fw.name),
        None => format!("Best Value self-assessment · {}", fw.name),
    };
    w.line(0, &sub, &st.subtitle)?;
    w.line(
        0,
        "Type only in the pale yellow cells: the grey cells are filled in for you and locked.",
        &st.note,
    )?;
    w.gap()?;
    Ok(())
}

/// The details block: every label `build` reads comes first, so no text
/// below can be taken for one. Returns the row of "Completed by", where
/// the officer starts.
fn details_block(w: &mut Writer, ctx: &Ctx, what: &What) -> Result<u32, XlsxError> {
    let st = &ctx.st;
    w.section("About this return", ctx)?;
    let rows = detail_rows(ctx, what);
    let mut completed_by_row = 0;
    for (label, value) in &rows {
        let r = w.row;
        text(w.ws, r, 0, label, &st.label)?;
        match value {
            Value::Text(t) => text(w.ws, r, 1, &not_a_label(t), &st.fixed)?,
            Value::Date(d) => {
                w.ws.write_datetime_with_format(r, 1, excel_date(*d)?, &st.fixed_date)?;
            }
            Value::InputText(t) => text(w.ws, r, 1, &not_a_label(t), &st.input)?,
            Value::InputDate => {
                w.ws.write_blank(r, 1, &st.input_date)?;
                let what = if label == details::label(Key::DateCompleted) {
                    "date you completed the return"
                } else {
                    "date"
                };
                let dv = date_validation(what, DataValidationErrorStyle::Stop, "")?;
                w.ws.add_data_validation(r, 1, r, 1, &dv)?;
            }
        }
        if label == details::label(Key::CompletedBy) {
            completed_by_row = r;
        }
        w.skip(1)?;
    }
    w.gap()?;
    Ok(completed_by_row)
}

/// The details block's labels and values, in order.
fn detail_rows(ctx: &Ctx, what: &What) -> Vec<(String, Value)> {
    let (fw, cfg) = (ctx.fw, ctx.cfg);
    let given_text = |v: &Option<String>| match v {
        Some(s) if !s.trim().is_empty() => Value::Text(s.trim().to_string()),
        _ => Value::InputText(String::new()),
    };
    let mut rows: Vec<(String, Value)> = Vec::new();
    match what {
        What::Assessment { round, themes } => {
            rows.push((
                details::label(Key::ReturnType).into(),
                Value::Text(ASSESSMENT.into()),
            ));
            rows.push((
                details::label(Key::Round).into(),
                Value::Text(fw.rounds[*round].name.clone()),
            ));
            rows.push((
                details::label(Key::Themes).into(),
                Value::Text(themes_cell(fw, themes)),
            ));
        }
        What::Actions { service_area } => {
            rows.push((
                details::label(Key::ReturnType).into(),
                Value::Text(ACTION_PLAN.into()),
            ));
            // A return for every service area says so: no blank cell for
            // an officer to wonder about (its rows give each action's area).
            let area = match service_area {
                Some(s) if !s.trim().is_empty() => s.trim(),
                _ => details::ALL_SERVICE_AREAS,
            };
            rows.push((
                details::label(Key::ServiceArea).into(),
                Value::Text(area.into()),
            ));
        }
    }
    rows.push((
        details::label(Key::Framework).into(),
        Value::Text(fw.name.clone()),
    ));
    rows.push((
        details::label(Key::FrameworkVersion).into(),
        Value::Text(fw.version.clone()),
    ));
    rows.push((
        details::label(Key::Authority).into(),
        given_text(&cfg.authority),
    ));
    rows.push((
        details::label(Key::CompletedBy).into(),
        Value::InputText(ctx.officer(what).unwrap_or_default()),
    ));
    rows.push((details::label(Key::DateCompleted).into(), Value::InputDate));
    // When it was issued, where to send it and by when are the office's to
    // say, and shown only when known: no blank cell for an officer to
    // wonder about, and the steps below never point at one.
    if let Some(d) = cfg.issued {
        rows.push((ISSUED.into(), Value::Date(d)));
    }
    if let Some(d) = cfg.return_by {
        rows.push((RETURN_BY.into(), Value::Date(d)));
    }
    if let Some(s) = send_to(ctx) {
        rows.push((SEND_TO.into(), Value::Text(s)));
    }
    rows
}

/// The numbered steps.
fn what_to_do(w: &mut Writer, ctx: &Ctx, what: &What, layout: &Layout) -> Result<(), XlsxError> {
    let cfg = ctx.cfg;
    w.section("What to do", ctx)?;
    let mut n = 0;
    let name_step = match ctx.officer(what) {
        Some(o) => format!(
            "Check the details above. “Completed by” already says {o}: change it if someone else completes the return. Type the date you finish beside “Date completed” (day/month/year, for example 31/03/2026)."
        ),
        None => "Check the details above. Type your name beside “Completed by”, and the date you finish beside “Date completed” (day/month/year, for example 31/03/2026).".into(),
    };
    w.step(&mut n, &name_step, ctx)?;
    match what {
        What::Assessment { round, themes } => {
            assessment_steps(w, &mut n, ctx, *round, themes, layout)?
        }
        What::Actions { service_area } => {
            action_steps(w, &mut n, ctx, service_area.as_deref(), layout)?
        }
    }
    w.step(
        &mut n,
        "Do not insert, delete or move rows or columns, or rename the sheets: the sheets are protected (without a password) so that the layout stays as the tool expects. You can still widen columns, change row heights and format cells.",
        ctx,
    )?;
    let to = match send_to(ctx) {
        Some(s) => format!("send it to {s}"),
        None => "send it back to the person who sent it to you".into(),
    };
    let by = cfg
        .return_by
        .map(|d| format!(" by {}", crate::dates::long(d)))
        .unwrap_or_default();
    w.step(
        &mut n,
        &format!("Save the workbook as an Excel workbook (.xlsx), keeping its name, and {to}{by}. If you save it as .xls or .ods it can still be read."),
        ctx,
    )?;
    w.gap()?;
    Ok(())
}

/// The scale, or the statuses, in their colours.
fn legend(w: &mut Writer, ctx: &Ctx, what: &What) -> Result<(), XlsxError> {
    let (fw, st) = (ctx.fw, &ctx.st);
    match what {
        What::Assessment { round, .. } => {
            let r = &fw.rounds[*round];
            let head = if r.scored {
                "The scale".to_string()
            } else {
                match fw.rounds.iter().skip(*round).find(|x| x.scored) {
                    Some(next) => format!("The scale (used from the {} round)", next.name),
                    None => "The scale".to_string(),
                }
            };
            w.section(&head, ctx)?;
            for level in &fw.scale {
                let mut t = level.meaning.clone();
                if level.needs_action {
                    t.push_str(" Needs an action in the action plan, so say what the gaps are.");
                }
                if level.reason_required && !t.to_lowercase().contains("reason") {
                    t.push_str(" A reason is required.");
                } else if level.reason_required {
                    t.push_str(" Give it in the Reason column.");
                }
                if !level.scored {
                    t.push_str(" It does not count as a score in the summary.");
                }
                text(
                    w.ws,
                    w.row,
                    0,
                    &not_a_label(&level.label),
                    &st.swatch(&level.fill),
                )?;
                w.wrapped(t.trim(), ctx)?;
            }
        }
        What::Actions { .. } => {
            w.section("The statuses", ctx)?;
            for s in &fw.statuses {
                let t = if s.closed {
                    "The action is finished. It is closed, is never overdue, and drops off next month's list."
                } else {
                    "The action is open and is listed again next month."
                };
                text(w.ws, w.row, 0, &not_a_label(&s.label), &st.swatch(&s.fill))?;
                w.wrapped(t, ctx)?;
            }
        }
    }
    w.gap()?;
    Ok(())
}

/// What goes in each column of the table sheet.
fn columns(w: &mut Writer, ctx: &Ctx, what: &What, layout: &Layout) -> Result<(), XlsxError> {
    let sheet = match what {
        What::Assessment { .. } => ASSESSMENT_SHEET,
        What::Actions { .. } => ACTIONS_SHEET,
    };
    w.section(&format!("The columns on the {sheet} sheet"), ctx)?;
    for (h, g) in &layout.columns {
        w.guide(h, g, ctx)?;
    }
    Ok(())
}

/// Heat-map cells that are another characteristic.
fn appear_once(w: &mut Writer, ctx: &Ctx, what: &What) -> Result<(), XlsxError> {
    let fw = ctx.fw;
    if let What::Assessment { themes, .. } = what {
        let mut first = true;
        for t in themes {
            let th = &fw.themes[*t];
            for (pos, cell) in th.cells.iter().enumerate() {
                let Cell::See(target) = cell else { continue };
                if first {
                    w.gap()?;
                    w.section("Characteristics that appear once", ctx)?;
                    first = false;
                }
                let tc = &fw.characteristics[*target];
                let home = &fw.themes[tc.theme].name;
                let where_ = if themes.contains(&tc.theme) {
                    format!("in its own row under {home}")
                } else {
                    format!("in the {home} return")
                };
                w.wrapped(
                    &format!(
                        "{}'s heat map cell {} shows “See {}”: it is the same characteristic as {}, so it has no row of its own. It is assessed once, {where_}.",
                        th.name,
                        pos + 1,
                        tc.code,
                        tc.code
                    ),
                    ctx,
                )?;
            }
        }
    }
    Ok(())
}
