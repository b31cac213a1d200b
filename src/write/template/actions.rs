//! The Actions sheet: the open actions already known (identity locked, the
//! rest to update), then a row for each characteristic that needs an
//! action and has none (its new ID, code and gap filled in), then empty
//! rows for new actions, with drop-downs for theme, code (the chosen
//! theme's codes) and status, date checks, and statuses in their colours.

use rust_xlsxwriter::{DataValidationErrorStyle, Format, Worksheet, XlsxError};

use super::code_list::{self, Rows};
use super::controls::{Lists, date_validation, messages, print_setup, protect};
use super::files::{Gap, actions_for, gaps_for};
use super::layout::{self, Row, Text, Value};
use super::wording::or_list;
use super::{Ctx, Layout};
use crate::assess::known::KnownAction;
use crate::framework::Framework;
use crate::read::returns::columns::Field;
use crate::write::xlsx::columns::Want;
use crate::write::xlsx::levels::{self, colour_by_value};

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

/// The width a column asks for on the printed page: the columns the
/// officer writes in grow first (see `layout`).
fn action_want(c: ACol) -> Want {
    match c {
        ACol::Id => Want::new(7.0, 9.0, 0.0),
        ACol::Theme => Want::new(10.0, 16.0, 0.2),
        ACol::Code => Want::new(7.0, 8.0, 0.0),
        ACol::Label => Want::new(12.0, 24.0, 0.3),
        ACol::Gap => Want::new(14.0, 28.0, 0.8),
        ACol::Action => Want::new(16.0, 32.0, 1.0),
        ACol::Owner => Want::new(10.0, 16.0, 0.2),
        ACol::ServiceArea => Want::new(10.0, 16.0, 0.2),
        ACol::Target => Want::fixed(10.5),
        ACol::Status => Want::fixed(11.0),
        ACol::PrevProgress => Want::new(13.0, 28.0, 0.5),
        ACol::PrevUpdate => Want::fixed(10.5),
        ACol::Progress => Want::new(12.0, 34.0, 1.0),
        ACol::Updated => Want::fixed(10.5),
        ACol::PerfRef => Want::new(9.5, 13.0, 0.0),
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
    let rows: Vec<Row> = listed
        .iter()
        .map(|a| cols.iter().map(|c| listed_value(ctx, a, *c)).collect())
        .chain(
            gaps.iter()
                .map(|g| cols.iter().map(|c| gap_value(ctx, g, *c)).collect()),
        )
        .collect();
    let kinds: Vec<Text> = cols.iter().map(|c| action_text(*c)).collect();
    let heads: Vec<&str> = cols.iter().map(|c| action_heading(*c)).collect();
    let table = plan_columns(ctx.fw, &cols, &rows, &heads, &kinds);
    layout::heading_row(ws, 0, &heads, &table, &ctx.st.header)?;
    let at = |c: ACol| {
        cols.iter()
            .position(|x| *x == c)
            .map(|i| i as u16)
            .unwrap_or(0)
    };

    let mut row = layout::write_rows(ws, 1, &rows, &table, &kinds)?;
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
    let title = format!(
        "Action plan return: {}",
        service_area.unwrap_or("all service areas")
    );
    print_setup(ws, &title, ctx.cfg.authority.as_deref(), true, true)?;
    layout::scale(ws, &table);
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

/// How a column's cells hold their text.
fn action_text(c: ACol) -> Text {
    match c {
        ACol::Id | ACol::Code => Text::Bold,
        ACol::Status | ACol::Target | ACol::PrevUpdate | ACol::Updated | ACol::PerfRef => {
            Text::OneLine
        }
        _ => Text::Wrapped,
    }
}

/// Plans the columns' widths for what they hold: the actions listed, and
/// what the drop-downs offer (any theme, status or code, a date).
fn plan_columns(
    fw: &Framework,
    cols: &[ACol],
    rows: &[Row],
    heads: &[&str],
    kinds: &[Text],
) -> layout::Table {
    let join = |items: Vec<&str>, sep: &str| items.join(sep);
    let offered: Vec<String> = cols
        .iter()
        .map(|c| match c {
            ACol::Theme => join(fw.themes.iter().map(|t| t.name.as_str()).collect(), " "),
            // One per line: a status is shown whole on one line.
            ACol::Status => join(fw.statuses.iter().map(|s| s.label.as_str()).collect(), "\n"),
            ACol::Code => join(
                fw.characteristics.iter().map(|c| c.code.as_str()).collect(),
                " ",
            ),
            ACol::Target | ACol::PrevUpdate | ACol::Updated => "30/09/2025".into(),
            _ => String::new(),
        })
        .collect();
    let mut texts = layout::texts(rows);
    texts.push(offered.iter().map(String::as_str).collect());
    let wants: Vec<Want> = cols.iter().map(|c| action_want(*c)).collect();
    layout::plan_for(&wants, heads, &texts, kinds)
}

/// One cell of a listed action's row: its identity locked, the rest to
/// update, the last progress note and update date shown for reference.
fn listed_value<'a>(ctx: &'a Ctx, a: &'a KnownAction, c: ACol) -> (Value<'a>, &'a Format) {
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
            Some(t) if t.timeline.is_none() => return (Value::Date(t.date), &st.input_date),
            Some(t) => (t.timeline.as_deref().unwrap_or(""), &st.input_date),
            None => ("", &st.input_date),
        },
        ACol::Status => (
            a.status.map_or("", |s| fw.statuses[s].label.as_str()),
            &st.input_score,
        ),
        ACol::PrevProgress => (a.progress.as_str(), &st.reference),
        ACol::PrevUpdate => match a.updated {
            Some(d) => return (Value::Date(d), &st.fixed_date),
            None => ("", &st.fixed_date),
        },
        ACol::Progress => ("", &st.input_wrap),
        ACol::Updated => ("", &st.input_date),
        ACol::PerfRef => (a.perf_ref.as_str(), &st.input_text),
    };
    (Value::Text(value), f)
}

/// One cell of a row asking for an action where a characteristic has
/// none: its new ID, theme, code and label locked, the gap as the
/// assessment found it, the rest to fill in. Left as it is, the row is no
/// action and the characteristic is reported as still needing one.
fn gap_value<'a>(ctx: &'a Ctx, g: &'a Gap, c: ACol) -> (Value<'a>, &'a Format) {
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
    (Value::Text(value), f)
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
