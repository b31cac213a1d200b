//! The Instructions sheet: the details block `build` reads (labels in
//! column A, values in column B), then what to do, the scale (or the
//! statuses) drawn in their colours, what goes in each column, and who to
//! send the return to by when. Plain British English for officers who only
//! use Excel.
//!
//! Only the labels of the details block may read as one of `build`'s
//! labels (`returns::details::key_of`): every other text cell is checked,
//! so a lone "Date" or "Theme" can never be taken for a detail.

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidationErrorStyle, Format, Worksheet, XlsxError};

use super::{Ctx, Layout, Lists, What, date_validation, excel_date, protect, put, themes_cell};
use crate::framework::Cell;
use crate::read::returns::details::{self, Key};

pub const INSTRUCTIONS: &str = "Instructions";
pub const ASSESSMENT_SHEET: &str = "Assessment";
pub const ACTIONS_SHEET: &str = "Actions";
/// The Return type values `build` recognises.
pub const ASSESSMENT: &str = "Assessment";
pub const ACTION_PLAN: &str = "Action plan";

/// Labels of the extra rows `build` does not read.
pub const ISSUED: &str = "Issued";
pub const RETURN_BY: &str = "Return by";
pub const SEND_TO: &str = "Send back to";

/// "A", "A or B", "A, B or C".
pub fn or_list(items: &[&str]) -> String {
    join(items, "or")
}

fn join(items: &[&str], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// One value in the details block.
enum Value {
    /// Filled in by the tool: locked.
    Text(String),
    Date(NaiveDate),
    /// For the officer (or the office, before sending) to fill: unlocked.
    InputText(String),
    InputDate,
}

/// Text for a cell that must not read as a details label: a label-like
/// text gets words added so it cannot be mistaken for one.
pub fn not_a_label(text: &str) -> String {
    if details::key_of(text).is_some() {
        format!("{text} (see below)")
    } else {
        text.to_string()
    }
}

struct Writer<'a> {
    ws: &'a mut Worksheet,
    row: u32,
}

impl Writer<'_> {
    fn skip(&mut self, n: u32) {
        self.row += n;
    }

    fn line(&mut self, col: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        put(self.ws, self.row, col, &not_a_label(text), f)?;
        self.row += 1;
        Ok(())
    }

    /// Wrapped text in column B, with the row made tall enough for it
    /// (LibreOffice does not grow rows to fit on opening, Excel does).
    fn wrapped(&mut self, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        put(self.ws, self.row, 1, &not_a_label(text), &ctx.st.body)?;
        self.fit(text)
    }

    fn fit(&mut self, text: &str) -> Result<(), XlsxError> {
        let lines = wrapped_lines(text, WIDE_COLUMN);
        if lines > 1 {
            self.ws
                .set_row_height(self.row, 15.0 * lines as f64 + 1.0)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A numbered step: number in A, text in B.
    fn step(&mut self, n: &mut u32, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        *n += 1;
        put(self.ws, self.row, 0, &format!("{n}."), &ctx.st.step)?;
        self.wrapped(text, ctx)
    }

    /// A bold lead-in, then text, in column B.
    fn guide(&mut self, lead: &str, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        let bold = Format::new()
            .set_bold()
            .set_font_name(super::style::FONT)
            .set_font_size(11);
        let plain = Format::new()
            .set_font_name(super::style::FONT)
            .set_font_size(11);
        let rest = format!(": {text}");
        self.ws.write_rich_string_with_format(
            self.row,
            1,
            &[(&bold, lead), (&plain, rest.as_str())],
            &ctx.st.body,
        )?;
        self.fit(&format!("{lead}{rest}"))
    }
}

/// Column B's width on the Instructions sheet, in characters.
const WIDE_COLUMN: f64 = 90.0;

/// How many lines `text` takes when wrapped in a column `width` characters
/// wide (Calibri 11 prose fits a little more than the width in characters;
/// this errs towards one line too many).
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let cap = (width * 1.05).floor() as usize;
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0;
            for word in para.split_whitespace() {
                let n = word.chars().count();
                if used > 0 && used + 1 + n > cap {
                    lines += 1;
                    used = n;
                } else {
                    used += if used > 0 { n + 1 } else { n };
                }
            }
            lines
        })
        .sum()
}

/// Writes the Instructions sheet.
pub fn instructions(
    ws: &mut Worksheet,
    ctx: &Ctx,
    what: &What,
    title: &str,
    layout: &Layout,
    _lists: &mut Lists,
) -> Result<(), XlsxError> {
    let fw = ctx.fw;
    let st = &ctx.st;
    let cfg = ctx.cfg;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 90)?;
    ws.set_screen_gridlines(false);
    let mut w = Writer { ws, row: 0 };

    w.line(0, title, &st.title)?;
    w.ws.set_row_height(0, 24)?;
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
    w.skip(1);

    // The details block: every label `build` reads comes first, so no text
    // below can be taken for one.
    w.line(0, "About this return", &st.section)?;
    let given_text = |v: &Option<String>| match v {
        Some(s) if !s.trim().is_empty() => Value::Text(s.trim().to_string()),
        _ => Value::InputText(String::new()),
    };
    let given_date = |d: Option<NaiveDate>| match d {
        Some(d) => Value::Date(d),
        None => Value::InputDate,
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
            rows.push((
                details::label(Key::ServiceArea).into(),
                given_text(service_area),
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
        Value::InputText(cfg.officer.clone().unwrap_or_default()),
    ));
    rows.push((details::label(Key::DateCompleted).into(), Value::InputDate));
    rows.push((ISSUED.into(), given_date(cfg.issued)));
    rows.push((RETURN_BY.into(), given_date(cfg.return_by)));
    rows.push((SEND_TO.into(), given_text(&cfg.send_to)));
    let mut completed_by_row = 0;
    for (label, value) in &rows {
        let r = w.row;
        put(w.ws, r, 0, label, &st.label)?;
        match value {
            Value::Text(t) => put(w.ws, r, 1, &not_a_label(t), &st.fixed)?,
            Value::Date(d) => {
                w.ws.write_datetime_with_format(r, 1, excel_date(*d)?, &st.fixed_date)?;
            }
            Value::InputText(t) => put(w.ws, r, 1, &not_a_label(t), &st.input)?,
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
        w.skip(1);
    }
    w.skip(1);

    // What to do.
    w.line(0, "What to do", &st.section)?;
    let mut n = 0;
    let name_step = match &cfg.officer {
        Some(o) => format!(
            "Check the details above. “Completed by” already says {o}: change it if someone else completes the return. Type the date you finish beside “Date completed” (day/month/year, for example 31/03/2026)."
        ),
        None => "Check the details above. Type your name beside “Completed by”, and the date you finish beside “Date completed” (day/month/year, for example 31/03/2026).".into(),
    };
    w.step(&mut n, &name_step, ctx)?;
    match what {
        What::Assessment { round, themes } => {
            assessment_steps(&mut w, &mut n, ctx, *round, themes, layout)?
        }
        What::Actions { service_area } => {
            action_steps(&mut w, &mut n, ctx, service_area.as_deref(), layout)?
        }
    }
    w.step(
        &mut n,
        "Do not insert, delete or move rows or columns, or rename the sheets: the sheets are protected (without a password) so that the layout stays as the tool expects. You can still widen columns, change row heights and format cells.",
        ctx,
    )?;
    let to = cfg
        .send_to
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "the person named beside “Send back to”".into());
    let by = cfg
        .return_by
        .map(|d| format!("by {}", crate::dates::long(d)))
        .unwrap_or_else(|| "by the date beside “Return by”".into());
    w.step(
        &mut n,
        &format!("Save the workbook as an Excel workbook (.xlsx), keeping its name, and send it to {to} {by}. If you save it as .xls or .ods it can still be read."),
        ctx,
    )?;
    w.skip(1);

    // The scale, or the statuses, in their colours.
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
            w.line(0, &head, &st.section)?;
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
                put(
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
            w.line(0, "The statuses", &st.section)?;
            for s in &fw.statuses {
                let t = if s.closed {
                    "The action is finished. It is closed, is never overdue, and drops off next month's list."
                } else {
                    "The action is open and is listed again next month."
                };
                put(w.ws, w.row, 0, &not_a_label(&s.label), &st.swatch(&s.fill))?;
                w.wrapped(t, ctx)?;
            }
        }
    }
    w.skip(1);

    // The columns.
    let sheet = match what {
        What::Assessment { .. } => ASSESSMENT_SHEET,
        What::Actions { .. } => ACTIONS_SHEET,
    };
    w.line(0, &format!("The columns on the {sheet} sheet"), &st.section)?;
    for (h, g) in &layout.columns {
        w.guide(h, g, ctx)?;
    }

    // Heat-map cells that are another characteristic.
    if let What::Assessment { themes, .. } = what {
        let mut first = true;
        for t in themes {
            let th = &fw.themes[*t];
            for (pos, cell) in th.cells.iter().enumerate() {
                let Cell::See(target) = cell else { continue };
                if first {
                    w.skip(1);
                    w.line(0, "Characteristics that appear once", &st.section)?;
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

    if let Some(s) = cfg.send_to.as_deref().filter(|s| !s.trim().is_empty()) {
        w.skip(1);
        w.line(
            1,
            &format!("Questions about this return? Ask {}.", s.trim()),
            &st.note,
        )?;
    }

    let ws = w.ws;
    protect(ws);
    super::print_setup(ws, title, cfg.authority.as_deref(), false, false)?;
    ws.set_selection(completed_by_row, 1, completed_by_row, 1)?;
    Ok(())
}

fn assessment_steps(
    w: &mut Writer,
    n: &mut u32,
    ctx: &Ctx,
    round: usize,
    themes: &[usize],
    layout: &Layout,
) -> Result<(), XlsxError> {
    let fw = ctx.fw;
    let r = &fw.rounds[round];
    let scope = super::themes_title(fw, themes);
    let scope = if scope == "All themes" {
        "all themes".to_string()
    } else {
        scope
    };
    w.step(
        n,
        &format!(
            "Go to the {ASSESSMENT_SHEET} sheet (the tab at the bottom of the window). It has one row for each of the {} characteristics in {scope}.",
            layout.rows
        ),
        ctx,
    )?;
    let names = |rs: &[usize]| {
        or_list(
            &rs.iter()
                .map(|i| fw.rounds[*i].name.as_str())
                .collect::<Vec<_>>(),
        )
        .replace(" or ", " and ")
    };
    if !r.shows.is_empty() {
        w.step(
            n,
            &format!(
                "The {} columns show the scores and comments so far, in grey because they are locked. Use them to check each score for consistency.",
                names(&r.shows)
            ),
            ctx,
        )?;
    }
    if !r.scored {
        w.step(n, "For each characteristic, write the position statement: how far the council shows it today, and what is still to do, in plain words.", ctx)?;
        w.step(n, "In “Evidence”, list what shows it: documents, reports, data or decisions, with their titles and dates, or links.", ctx)?;
        if let Some(next) = fw.rounds.iter().skip(round).find(|x| x.scored) {
            w.step(
                n,
                &format!("This round is not scored: scores are given at the {} round, against the scale below.", next.name),
                ctx,
            )?;
        }
        return Ok(());
    }
    let labels: Vec<&str> = fw.scale.iter().map(|l| l.label.as_str()).collect();
    if r.blank_keeps_previous {
        w.step(
            n,
            "To keep a score as it is, leave “Score” blank. To change it, choose the new score from the drop-down list in “Score”.",
            ctx,
        )?;
    } else {
        w.step(
            n,
            &format!(
                "Read each position statement and its evidence, then choose a score from the drop-down list in “Score”: {}. The scale is explained below.",
                or_list(&labels)
            ),
            ctx,
        )?;
    }
    w.step(
        n,
        "In “Commentary”, explain the score: what the evidence shows, and what it does not.",
        ctx,
    )?;
    let action_levels = fw.level_labels(|l| l.needs_action);
    if !action_levels.is_empty() {
        w.step(
            n,
            &format!(
                "For every characteristic scored {}, say in “Gaps / areas to address” what is missing: each gap becomes an action in the action plan.",
                or_list(&action_levels)
            ),
            ctx,
        )?;
    }
    let reason_levels: Vec<&str> = fw
        .scale
        .iter()
        .filter(|l| l.reason_required)
        .map(|l| l.label.as_str())
        .collect();
    let mut why = Vec::new();
    if !reason_levels.is_empty() {
        why.push(format!("whenever you choose {}", or_list(&reason_levels)));
    }
    if r.change_needs_reason {
        why.push("whenever you change a score from the earlier round".to_string());
    }
    if !why.is_empty() {
        w.step(
            n,
            &format!(
                "Give a reason in “Reason (Grey or changed score)” {}. {} A score without a reason is reported as an error and the return comes back to you.",
                why.join(", and "),
                if r.change_needs_reason {
                    "The committee sees every change and its reason."
                } else {
                    "The committee sees it beside the score."
                }
            ),
            ctx,
        )?;
    }
    Ok(())
}

fn action_steps(
    w: &mut Writer,
    n: &mut u32,
    ctx: &Ctx,
    service_area: Option<&str>,
    layout: &Layout,
) -> Result<(), XlsxError> {
    let whose = service_area
        .map(|s| format!(" for {s}"))
        .unwrap_or_default();
    if layout.rows > 0 {
        w.step(
            n,
            &format!(
                "Go to the {ACTIONS_SHEET} sheet (the tab at the bottom of the window). The first {} rows are the open actions{whose}. For each one, choose its status, write a progress note and type the date of this update. Change the other yellow cells only if they have changed.",
                layout.rows
            ),
            ctx,
        )?;
    } else {
        w.step(
            n,
            &format!("Go to the {ACTIONS_SHEET} sheet (the tab at the bottom of the window). Use one row for each action{whose}."),
            ctx,
        )?;
    }
    w.step(
        n,
        "For a new action, use an empty row: ask the performance office for its Action ID, choose the theme and the characteristic's code from the drop-down lists, and describe the gap and the action.",
        ctx,
    )?;
    w.step(
        n,
        "“Status” is a drop-down list (the statuses are below). Overdue is not a status: the tool works it out from the target date.",
        ctx,
    )?;
    w.step(
        n,
        "“Target date” takes a date. If no date is fixed yet, an indicative timeline such as “Q4 2025/26” is accepted: Excel asks you to confirm it.",
        ctx,
    )?;
    Ok(())
}
