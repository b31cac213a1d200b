//! The Actions sheet: the open actions already known (identity locked, the
//! rest to update), then a row for each characteristic that needs an
//! action and has none (its new ID, code and gap filled in), then empty
//! rows for new actions, with drop-downs for theme, code (the chosen
//! theme's codes) and status, date checks, and statuses in their colours.

use rust_xlsxwriter::{DataValidationErrorStyle, Format, Worksheet, XlsxError};

use super::code_list::{self, Rows};
use super::controls::{Lists, date_validation, messages, print_setup, protect};
use super::files::{Gap, actions_for, gaps_for};
use super::wording::or_list;
use super::{Ctx, Layout};
use crate::assess::known::KnownAction;
use crate::read::returns::columns::Field;
use crate::write::xlsx::levels::{self, colour_by_value};
use crate::write::xlsx::{date, text};

/// Empty rows for new actions below the ones listed.
pub const NEW_ACTION_ROWS: u32 = 40;

/// The headings of the two reference columns an action return shows when
/// it lists actions already known (recognised by `build` and not read).
pub const PREVIOUS_PROGRESS: &str = "Previous progress note";
pub const PREVIOUS_UPDATE: &str = "Previous update date";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ACol {
    Id,
    Theme,
    Code,
    Label,
    Gap,
    Action,
    Owner,
    ServiceArea,
    Target,
    Status,
    PrevProgress,
    PrevUpdate,
    Progress,
    Updated,
    PerfRef,
}

fn action_heading(c: ACol) -> &'static str {
    match c {
        ACol::Id => Field::ActionId.heading(),
        ACol::Theme => Field::Theme.heading(),
        ACol::Code => Field::Code.heading(),
        ACol::Label => Field::Label.heading(),
        ACol::Gap => "Gap",
        ACol::Action => Field::Action.heading(),
        ACol::Owner => Field::Owner.heading(),
        ACol::ServiceArea => Field::ServiceArea.heading(),
        ACol::Target => Field::TargetDate.heading(),
        ACol::Status => Field::Status.heading(),
        ACol::PrevProgress => PREVIOUS_PROGRESS,
        ACol::PrevUpdate => PREVIOUS_UPDATE,
        ACol::Progress => Field::Progress.heading(),
        ACol::Updated => Field::UpdateDate.heading(),
        ACol::PerfRef => Field::PerfRef.heading(),
    }
}

fn action_width(c: ACol) -> f64 {
    match c {
        ACol::Id => 11.0,
        ACol::Theme => 20.0,
        ACol::Code => 9.0,
        ACol::Label => 28.0,
        ACol::Gap => 36.0,
        ACol::Action => 42.0,
        ACol::Owner => 20.0,
        ACol::ServiceArea => 18.0,
        ACol::Target => 13.0,
        ACol::Status => 13.0,
        ACol::PrevProgress => 36.0,
        ACol::PrevUpdate => 12.0,
        ACol::Progress => 45.0,
        ACol::Updated => 13.0,
        ACol::PerfRef => 14.0,
    }
}

fn action_guide(c: ACol, listed: bool, service_area: Option<&str>) -> Option<String> {
    Some(match c {
        ACol::Id if listed => "The action's reference, locked for the rows filled in for you. For another new action, ask the performance office for an ID.".into(),
        ACol::Id => "The action's reference, for example BV-001. For a new action, ask the performance office for an ID.".into(),
        ACol::Theme => return None,
        ACol::Code => "Theme and Code: the characteristic the action addresses. Choose the theme, then the code from the drop-down list, which offers that theme's codes (locked for the rows filled in for you).".into(),
        ACol::Label => "What the characteristic is, for the rows filled in for you. Locked.".into(),
        ACol::Gap => "What is missing or needs to improve, as the assessment found it.".into(),
        ACol::Action => "What will be done about it.".into(),
        ACol::Owner => "The officer accountable for the action.".into(),
        ACol::ServiceArea => match service_area {
            Some(s) => format!("The service area leading the action. Leave it blank for {s}."),
            None => "The service area leading the action.".into(),
        },
        ACol::Target => "When it will be done: a date, or an indicative timeline such as “Q4 2025/26” if no date is fixed yet.".into(),
        ACol::Status => "Choose from the drop-down list. Overdue is not a status: the tool works it out from the target date.".into(),
        ACol::PrevProgress => "The last progress note, for reference. Locked.".into(),
        ACol::PrevUpdate => "The date of the last update, for reference. Locked.".into(),
        ACol::Progress => "What has happened since the last update, in a sentence or two.".into(),
        ACol::Updated => "The date of this update (day/month/year). Needed every time you update an action.".into(),
        ACol::PerfRef => "The activity's reference in the council's performance system, if it has one.".into(),
    })
}

/// The Actions sheet: the open actions already known (identity locked,
/// the rest to update), then empty rows for new actions.
pub fn actions(
    ws: &mut Worksheet,
    ctx: &Ctx,
    service_area: Option<&str>,
    lists: &mut Lists,
) -> Result<Layout, XlsxError> {
    let listed = actions_for(ctx, service_area);
    let gaps = gaps_for(ctx, service_area);
    let mut cols = vec![
        ACol::Id,
        ACol::Theme,
        ACol::Code,
        ACol::Label,
        ACol::Gap,
        ACol::Action,
        ACol::Owner,
        ACol::ServiceArea,
        ACol::Target,
        ACol::Status,
    ];
    if !listed.is_empty() {
        cols.extend([ACol::PrevProgress, ACol::PrevUpdate]);
    }
    cols.extend([ACol::Progress, ACol::Updated, ACol::PerfRef]);
    let headings: Vec<(&str, f64)> = cols
        .iter()
        .map(|c| (action_heading(*c), action_width(*c)))
        .collect();
    crate::write::xlsx::headings(ws, 0, &headings, &ctx.st.header, Some(32.0))?;
    let at = |c: ACol| {
        cols.iter()
            .position(|x| *x == c)
            .map(|i| i as u16)
            .unwrap_or(0)
    };

    let mut row = 1;
    for a in &listed {
        for (i, c) in cols.iter().enumerate() {
            listed_cell(ws, ctx, a, (row, i as u16), *c)?;
        }
        row += 1;
    }
    for g in &gaps {
        for (i, c) in cols.iter().enumerate() {
            gap_cell(ws, ctx, g, (row, i as u16), *c)?;
        }
        row += 1;
    }
    let first_new = row;
    for _ in 0..NEW_ACTION_ROWS {
        for (i, c) in cols.iter().enumerate() {
            ws.write_blank(row, i as u16, new_format(ctx, *c))?;
        }
        row += 1;
    }
    let last = row - 1;
    checks(ws, ctx, lists, (first_new, last), &at)?;

    let last_col = cols.len() as u16 - 1;
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, last, last_col)?;
    protect(ws);
    print_setup(
        ws,
        "Action plan return",
        ctx.cfg.authority.as_deref(),
        true,
        true,
    )?;
    let start = if !listed.is_empty() {
        at(ACol::Status)
    } else if !gaps.is_empty() {
        at(ACol::Action)
    } else {
        at(ACol::Id)
    };
    ws.set_selection(1, start, 1, start)?;

    let columns = cols
        .iter()
        .filter_map(|c| {
            action_guide(*c, !listed.is_empty() || !gaps.is_empty(), service_area)
                .map(|g| (action_heading(*c).to_string(), g))
        })
        .collect();
    Ok(Layout {
        columns,
        rows: listed.len(),
        gaps: gaps
            .iter()
            .map(|g| ctx.fw.characteristics[g.characteristic].code.clone())
            .collect(),
    })
}

/// One cell of a listed action's row: its identity locked, the rest to
/// update, the last progress note and update date shown for reference.
fn listed_cell(
    ws: &mut Worksheet,
    ctx: &Ctx,
    a: &KnownAction,
    (row, i): (u32, u16),
    c: ACol,
) -> Result<(), XlsxError> {
    let (fw, st) = (ctx.fw, &ctx.st);
    let ch = a.characteristic.map(|c| &fw.characteristics[c]);
    let (value, f) = match c {
        ACol::Id => (a.id.as_str(), &st.locked_code),
        ACol::Theme => (
            ch.map_or("", |c| fw.themes[c.theme].name.as_str()),
            &st.locked_text,
        ),
        ACol::Code => (ch.map_or("", |c| c.code.as_str()), &st.locked_code),
        ACol::Label => (ch.map_or("", |c| c.label.as_str()), &st.locked_text),
        ACol::Gap => (a.gap.as_str(), &st.input_wrap),
        ACol::Action => (a.action.as_str(), &st.input_wrap),
        ACol::Owner => (a.owner.as_str(), &st.input_wrap),
        ACol::ServiceArea => (a.service_area.as_str(), &st.input_wrap),
        ACol::Target => match &a.target {
            Some(t) if t.timeline.is_none() => return date(ws, row, i, t.date, &st.input_date),
            Some(t) => (t.timeline.as_deref().unwrap_or(""), &st.input_date),
            None => ("", &st.input_date),
        },
        ACol::Status => (
            a.status.map_or("", |s| fw.statuses[s].label.as_str()),
            &st.input_score,
        ),
        ACol::PrevProgress => (a.progress.as_str(), &st.reference),
        ACol::PrevUpdate => match a.updated {
            Some(d) => return date(ws, row, i, d, &st.fixed_date),
            None => ("", &st.fixed_date),
        },
        ACol::Progress => ("", &st.input_wrap),
        ACol::Updated => ("", &st.input_date),
        ACol::PerfRef => (a.perf_ref.as_str(), &st.input_text),
    };
    text(ws, row, i, value, f)
}

/// One cell of a row asking for an action where a characteristic has
/// none: its new ID, theme, code and label locked, the gap as the
/// assessment found it, the rest to fill in. Left as it is, the row is no
/// action and the characteristic is reported as still needing one.
fn gap_cell(
    ws: &mut Worksheet,
    ctx: &Ctx,
    g: &Gap,
    (row, i): (u32, u16),
    c: ACol,
) -> Result<(), XlsxError> {
    let (fw, st) = (ctx.fw, &ctx.st);
    let ch = &fw.characteristics[g.characteristic];
    let (value, f) = match c {
        ACol::Id => (g.id.as_str(), &st.locked_code),
        ACol::Theme => (fw.themes[ch.theme].name.as_str(), &st.locked_text),
        ACol::Code => (ch.code.as_str(), &st.locked_code),
        ACol::Label => (ch.label.as_str(), &st.locked_text),
        ACol::Gap => (
            ctx.known.chars[g.characteristic].gaps.as_str(),
            &st.input_wrap,
        ),
        ACol::ServiceArea => (g.service_area.as_deref().unwrap_or(""), &st.input_wrap),
        other => ("", new_format(ctx, other)),
    };
    text(ws, row, i, value, f)
}

/// The format of an empty row's cell, for a new action.
fn new_format<'a>(ctx: &'a Ctx, c: ACol) -> &'a Format {
    let st = &ctx.st;
    match c {
        ACol::Label => &st.locked_text,
        ACol::Target | ACol::Updated => &st.input_date,
        ACol::Status => &st.input_score,
        ACol::PrevProgress => &st.reference,
        ACol::PrevUpdate => &st.fixed_date,
        ACol::Id | ACol::Code | ACol::PerfRef => &st.input_text,
        _ => &st.input_wrap,
    }
}

/// Drop-downs for theme and code (with prompts in the new rows) and
/// status, statuses in their colours, and date checks on the target and
/// update dates.
fn checks(
    ws: &mut Worksheet,
    ctx: &Ctx,
    lists: &mut Lists,
    (first_new, last): (u32, u32),
    at: &dyn Fn(ACol) -> u16,
) -> Result<(), XlsxError> {
    let fw = ctx.fw;
    let theme_code = (at(ACol::Theme), at(ACol::Code));
    if first_new > 1 {
        let filled = (1, first_new - 1);
        code_list::theme_and_code(ws, ctx, lists, Rows::Filled, filled, theme_code)?;
    }
    code_list::theme_and_code(ws, ctx, lists, Rows::New, (first_new, last), theme_code)?;
    let statuses: Vec<String> = fw.statuses.iter().map(|s| s.label.clone()).collect();
    let names = or_list(&statuses.iter().map(String::as_str).collect::<Vec<_>>());
    let dv = messages(
        lists.validation(&statuses),
        (
            "Status",
            &format!("Choose {names}. Overdue is worked out from the target date."),
            "Choose a status from the list.",
        ),
        (
            "Not a status",
            &format!("Choose {names} from the drop-down list."),
            "Choose a status from the drop-down list.",
        ),
        DataValidationErrorStyle::Stop,
    )?;
    ws.add_data_validation(1, at(ACol::Status), last, at(ACol::Status), &dv)?;
    let status = ((1, at(ACol::Status)), (last, at(ACol::Status)));
    colour_by_value(ws, status, &levels::statuses(fw))?;
    let dv = date_validation(
        "target date",
        DataValidationErrorStyle::Warning,
        " If no date is fixed yet, type a timeline such as Q4 2025/26 and choose Yes to keep it.",
    )?;
    ws.add_data_validation(1, at(ACol::Target), last, at(ACol::Target), &dv)?;
    let dv = date_validation("date of this update", DataValidationErrorStyle::Stop, "")?;
    ws.add_data_validation(1, at(ACol::Updated), last, at(ACol::Updated), &dv)?;
    Ok(())
}
