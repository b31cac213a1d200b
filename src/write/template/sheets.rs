//! The table sheets: "Assessment" (one row per characteristic) and
//! "Actions" (one row per action). Headings are the ones `build` recognises
//! (see `returns::columns`); codes and labels are locked, input cells are
//! unlocked, validated and coloured.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, DataValidationErrorStyle, Format, Worksheet,
    XlsxError,
};

use super::style::level_colour;
use super::text::or_list;
use super::{
    Ctx, Layout, Lists, actions_for, date_validation, excel_date, messages, print_setup, protect,
    put,
};
use crate::framework::Cell;
use crate::read::returns::columns::Field;

/// Empty rows for new actions below the ones listed.
pub const NEW_ACTION_ROWS: u32 = 40;

/// The headings of the two reference columns an action return shows when
/// it lists actions already known (recognised by `build` and not read).
pub const PREVIOUS_PROGRESS: &str = "Previous progress note";
pub const PREVIOUS_UPDATE: &str = "Previous update date";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Theme,
    Code,
    Label,
    Narrative,
    Evidence,
    RefScore(usize),
    RefCommentary(usize),
    RefReason(usize),
    Score,
    Commentary,
    Gaps,
    Reason,
}

/// The assessment sheet's columns for a round.
fn assessment_columns(ctx: &Ctx, round: usize) -> Vec<Col> {
    let r = &ctx.fw.rounds[round];
    let mut cols = vec![
        Col::Theme,
        Col::Code,
        Col::Label,
        Col::Narrative,
        Col::Evidence,
    ];
    for &s in &r.shows {
        cols.push(Col::RefScore(s));
        cols.push(Col::RefCommentary(s));
        if ctx.fw.rounds[s].change_needs_reason {
            cols.push(Col::RefReason(s));
        }
    }
    if r.scored {
        cols.extend([Col::Score, Col::Commentary, Col::Gaps, Col::Reason]);
    }
    cols
}

fn heading(ctx: &Ctx, c: Col) -> String {
    let name = |r: usize| ctx.fw.rounds[r].name.as_str();
    match c {
        Col::Theme => Field::Theme.heading().into(),
        Col::Code => Field::Code.heading().into(),
        Col::Label => Field::Label.heading().into(),
        Col::Narrative => Field::Narrative.heading().into(),
        Col::Evidence => Field::Evidence.heading().into(),
        Col::RefScore(r) => format!("{} score", name(r)),
        Col::RefCommentary(r) => format!("{} commentary", name(r)),
        Col::RefReason(r) => format!("{} reason", name(r)),
        Col::Score => Field::Score.heading().into(),
        Col::Commentary => Field::Commentary.heading().into(),
        Col::Gaps => Field::Gaps.heading().into(),
        Col::Reason => Field::Reason.heading().into(),
    }
}

fn width(c: Col) -> f64 {
    match c {
        Col::Theme => 14.0,
        Col::Code => 8.0,
        Col::Label => 30.0,
        Col::Narrative => 48.0,
        Col::Evidence => 32.0,
        Col::RefScore(_) => 12.0,
        Col::RefCommentary(_) => 30.0,
        Col::RefReason(_) => 24.0,
        Col::Score => 13.0,
        Col::Commentary => 40.0,
        Col::Gaps => 34.0,
        Col::Reason => 28.0,
    }
}

/// What to put in a column, for the instructions.
fn guide(ctx: &Ctx, round: usize, c: Col) -> Option<String> {
    let fw = ctx.fw;
    let r = &fw.rounds[round];
    let name = |r: usize| fw.rounds[r].name.as_str();
    let action_levels = fw.level_labels(|l| l.needs_action);
    let reason_levels = fw.level_labels(|l| l.reason_required);
    Some(match c {
        Col::Theme | Col::Code => return None,
        Col::Label => "Theme, Code and Characteristic are filled in and locked: they tell the tool which characteristic each row is about.".into(),
        Col::Narrative if !r.scored => "How far the council shows this characteristic today, and what is still to do, in plain words.".into(),
        Col::Narrative => "The position statement drafted earlier. Correct or add to it only if it is wrong or out of date.".into(),
        Col::Evidence if !r.scored => "What shows it: documents, reports, data or decisions, with their titles and dates, or links.".into(),
        Col::Evidence => "The evidence listed earlier. Add to it if you relied on anything else.".into(),
        Col::RefScore(s) => format!(
            "The score as it stood after the {} round (where that round made no change, the earlier score), in its colour. Locked, for reference.",
            name(s)
        ),
        Col::RefCommentary(s) => format!("What was said about the score at the {} round. Locked, for reference.", name(s)),
        Col::RefReason(s) => format!("Why the score was changed at the {} round, or why it is {}. Locked, for reference.", name(s), or_list(&reason_levels)),
        Col::Score if r.blank_keeps_previous => {
            let last = r.shows.last().map(|s| format!("“{} score”", name(*s))).unwrap_or_else(|| "the earlier round".into());
            format!("Leave it blank to keep the score shown in {last}. To change it, choose the new score from the drop-down list.")
        }
        Col::Score => "Choose one score from the drop-down list for every characteristic. The cell takes the score's colour.".into(),
        Col::Commentary if r.blank_keeps_previous => "Any comment on the score: what you checked, and why you agree or changed it.".into(),
        Col::Commentary => "Why you gave this score: what the evidence shows, and what it does not.".into(),
        Col::Gaps if action_levels.is_empty() => "What is missing or needs to improve.".into(),
        Col::Gaps => format!(
            "What is missing or needs to improve. Needed for every characteristic scored {}: each gap becomes an action in the action plan.",
            or_list(&action_levels)
        ),
        Col::Reason => {
            let mut t = String::new();
            if !reason_levels.is_empty() {
                t.push_str(&format!(
                    "Needed whenever you choose {}: say why (for example, what is outside the council's control).",
                    or_list(&reason_levels)
                ));
            }
            if r.change_needs_reason {
                if !t.is_empty() {
                    t.push(' ');
                }
                t.push_str("Needed too whenever you change a score from the earlier round: the committee sees every change and its reason.");
            }
            if t.is_empty() {
                t = "Any reason behind the score (optional).".into();
            }
            t
        }
    })
}

/// The levels' labels, for drop-downs and conditional formats.
fn scale_labels(ctx: &Ctx) -> Vec<String> {
    ctx.fw.scale.iter().map(|l| l.label.clone()).collect()
}

/// Colours a column's cells by the scale level they hold.
fn colour_scores(
    ws: &mut Worksheet,
    ctx: &Ctx,
    first: u32,
    last: u32,
    col: u16,
) -> Result<(), XlsxError> {
    for level in &ctx.fw.scale {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(level.label.as_str()))
            .set_format(level_colour(&level.fill));
        ws.add_conditional_format(first, col, last, col, &cf)?;
    }
    Ok(())
}

fn header_row(ws: &mut Worksheet, ctx: &Ctx, headings: &[(String, f64)]) -> Result<(), XlsxError> {
    for (i, (h, w)) in headings.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, h, &ctx.st.header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_row_height(0, 32)?;
    Ok(())
}

/// The Assessment sheet: one row per characteristic of the themes, in
/// framework order.
pub fn assessment(
    ws: &mut Worksheet,
    ctx: &Ctx,
    round: usize,
    themes: &[usize],
    lists: &mut Lists,
) -> Result<Layout, XlsxError> {
    let fw = ctx.fw;
    let st = &ctx.st;
    let r = &fw.rounds[round];
    let cols = assessment_columns(ctx, round);
    let headings: Vec<(String, f64)> = cols.iter().map(|c| (heading(ctx, *c), width(*c))).collect();
    header_row(ws, ctx, &headings)?;
    let at = |c: Col| cols.iter().position(|x| *x == c).map(|i| i as u16);

    let chars: Vec<usize> = themes
        .iter()
        .flat_map(|t| fw.themes[*t].cells.iter())
        .filter_map(|c| match c {
            Cell::Own(i) => Some(*i),
            Cell::See(_) => None,
        })
        .collect();
    let mut row = 1;
    for &c in &chars {
        let ch = &fw.characteristics[c];
        let k = &ctx.known.chars[c];
        let own = k.rounds.get(round).and_then(|e| e.as_ref());
        for (i, col) in cols.iter().enumerate() {
            let i = i as u16;
            match *col {
                Col::Theme => put(ws, row, i, &fw.themes[ch.theme].name, &st.locked_text)?,
                Col::Code => put(ws, row, i, &ch.code, &st.locked_code)?,
                Col::Label => put(ws, row, i, &ch.label, &st.locked_text)?,
                Col::Narrative => put(ws, row, i, &k.narrative, &st.input_wrap)?,
                Col::Evidence => put(ws, row, i, &k.evidence, &st.input_wrap)?,
                Col::RefScore(s) => {
                    let l = k.score_after(fw, s).map(|l| fw.scale[l].label.as_str());
                    put(ws, row, i, l.unwrap_or(""), &st.reference_score)?
                }
                Col::RefCommentary(s) => {
                    let t = k.rounds[s].as_ref().map(|e| e.commentary.as_str());
                    put(ws, row, i, t.unwrap_or(""), &st.reference)?
                }
                Col::RefReason(s) => {
                    let t = k.rounds[s].as_ref().map(|e| e.reason.as_str());
                    put(ws, row, i, t.unwrap_or(""), &st.reference)?
                }
                Col::Score => {
                    let l = own
                        .and_then(|e| e.score)
                        .map(|l| fw.scale[l].label.as_str());
                    put(ws, row, i, l.unwrap_or(""), &st.input_score)?
                }
                Col::Commentary => put(
                    ws,
                    row,
                    i,
                    own.map(|e| e.commentary.as_str()).unwrap_or(""),
                    &st.input_wrap,
                )?,
                Col::Gaps => put(ws, row, i, &k.gaps, &st.input_wrap)?,
                Col::Reason => put(
                    ws,
                    row,
                    i,
                    own.map(|e| e.reason.as_str()).unwrap_or(""),
                    &st.input_wrap,
                )?,
            }
        }
        row += 1;
    }
    let last = row.saturating_sub(1).max(1);

    if let Some(col) = at(Col::Score) {
        let labels = scale_labels(ctx);
        let list = or_list(&labels.iter().map(String::as_str).collect::<Vec<_>>());
        let input = if r.blank_keeps_previous {
            format!(
                "Leave blank to keep the earlier score. To change it, choose {list}, and give the reason."
            )
        } else {
            format!("Choose {list}. The scale is explained on the Instructions sheet.")
        };
        let dv = messages(
            lists.validation(&labels),
            (
                "Score",
                &input,
                "Choose a score from the list. The scale is explained on the Instructions sheet.",
            ),
            (
                "Not a score on the scale",
                &format!("Choose {list} from the drop-down list."),
                "Choose a score from the drop-down list.",
            ),
            DataValidationErrorStyle::Stop,
        )?;
        ws.add_data_validation(1, col, last, col, &dv)?;
        colour_scores(ws, ctx, 1, last, col)?;
    }
    for (i, c) in cols.iter().enumerate() {
        if let Col::RefScore(_) = c {
            colour_scores(ws, ctx, 1, last, i as u16)?;
        }
    }

    let last_col = cols.len() as u16 - 1;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, last, last_col)?;
    protect(ws);
    print_setup(
        ws,
        &format!("{} return", r.name),
        ctx.cfg.authority.as_deref(),
        true,
        true,
    )?;
    ws.set_selection(
        1,
        at(Col::Score).or(at(Col::Narrative)).unwrap_or(0),
        1,
        at(Col::Score).or(at(Col::Narrative)).unwrap_or(0),
    )?;

    let mut columns = Vec::new();
    for c in &cols {
        if let Some(g) = guide(ctx, round, *c) {
            columns.push((heading(ctx, *c), g));
        }
    }
    Ok(Layout {
        columns,
        rows: chars.len(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ACol {
    Id,
    Theme,
    Code,
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
        ACol::Id if listed => "The action's reference, locked for the actions listed. For a new action, ask the performance office for an ID.".into(),
        ACol::Id => "The action's reference, for example BV-001. For a new action, ask the performance office for an ID.".into(),
        ACol::Theme => return None,
        ACol::Code => "Theme and Code: the characteristic the action addresses. Choose them from the drop-down lists (locked for the actions listed).".into(),
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
    let fw = ctx.fw;
    let st = &ctx.st;
    let listed = actions_for(ctx, service_area);
    let mut cols = vec![
        ACol::Id,
        ACol::Theme,
        ACol::Code,
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
    let headings: Vec<(String, f64)> = cols
        .iter()
        .map(|c| (action_heading(*c).to_string(), action_width(*c)))
        .collect();
    header_row(ws, ctx, &headings)?;
    let at = |c: ACol| {
        cols.iter()
            .position(|x| *x == c)
            .map(|i| i as u16)
            .unwrap_or(0)
    };

    let mut row = 1;
    for a in &listed {
        let ch = a.characteristic.map(|c| &fw.characteristics[c]);
        for (i, c) in cols.iter().enumerate() {
            let i = i as u16;
            match c {
                ACol::Id => put(ws, row, i, &a.id, &st.locked_code)?,
                ACol::Theme => put(
                    ws,
                    row,
                    i,
                    ch.map(|c| fw.themes[c.theme].name.as_str()).unwrap_or(""),
                    &st.locked_text,
                )?,
                ACol::Code => put(
                    ws,
                    row,
                    i,
                    ch.map(|c| c.code.as_str()).unwrap_or(""),
                    &st.locked_code,
                )?,
                ACol::Gap => put(ws, row, i, &a.gap, &st.input_wrap)?,
                ACol::Action => put(ws, row, i, &a.action, &st.input_wrap)?,
                ACol::Owner => put(ws, row, i, &a.owner, &st.input_wrap)?,
                ACol::ServiceArea => put(ws, row, i, &a.service_area, &st.input_wrap)?,
                ACol::Target => match &a.target {
                    Some(t) => match &t.timeline {
                        Some(words) => put(ws, row, i, words, &st.input_date)?,
                        None => {
                            ws.write_datetime_with_format(
                                row,
                                i,
                                excel_date(t.date)?,
                                &st.input_date,
                            )?;
                        }
                    },
                    None => put(ws, row, i, "", &st.input_date)?,
                },
                ACol::Status => put(
                    ws,
                    row,
                    i,
                    a.status
                        .map(|s| fw.statuses[s].label.as_str())
                        .unwrap_or(""),
                    &st.input_score,
                )?,
                ACol::PrevProgress => put(ws, row, i, &a.progress, &st.reference)?,
                ACol::PrevUpdate => match a.updated {
                    Some(d) => {
                        ws.write_datetime_with_format(row, i, excel_date(d)?, &st.fixed_date)?;
                    }
                    None => put(ws, row, i, "", &st.fixed_date)?,
                },
                ACol::Progress => put(ws, row, i, "", &st.input_wrap)?,
                ACol::Updated => put(ws, row, i, "", &st.input_date)?,
                ACol::PerfRef => put(ws, row, i, &a.perf_ref, &st.input_text)?,
            }
        }
        row += 1;
    }
    let first_new = row;
    for _ in 0..NEW_ACTION_ROWS {
        for (i, c) in cols.iter().enumerate() {
            let f: &Format = match c {
                ACol::Target | ACol::Updated => &st.input_date,
                ACol::Status => &st.input_score,
                ACol::PrevProgress => &st.reference,
                ACol::PrevUpdate => &st.fixed_date,
                ACol::Id | ACol::Code | ACol::PerfRef => &st.input_text,
                _ => &st.input_wrap,
            };
            ws.write_blank(row, i as u16, f)?;
        }
        row += 1;
    }
    let last = row - 1;

    // Drop-downs and date checks.
    let themes: Vec<String> = fw.themes.iter().map(|t| t.name.clone()).collect();
    let dv = messages(
        lists.validation(&themes),
        ("Theme", "Choose the theme the action belongs to.", ""),
        ("Not a theme", "Choose a theme from the drop-down list.", ""),
        DataValidationErrorStyle::Stop,
    )?;
    ws.add_data_validation(first_new, at(ACol::Theme), last, at(ACol::Theme), &dv)?;
    let codes: Vec<String> = fw.characteristics.iter().map(|c| c.code.clone()).collect();
    let dv = messages(
        lists.validation(&codes),
        (
            "Code",
            "Choose the code of the characteristic the action addresses.",
            "",
        ),
        (
            "Not a code",
            "Choose a code from the drop-down list: it must be a characteristic in the framework.",
            "",
        ),
        DataValidationErrorStyle::Stop,
    )?;
    ws.add_data_validation(first_new, at(ACol::Code), last, at(ACol::Code), &dv)?;
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
    for s in &fw.statuses {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(s.label.as_str()))
            .set_format(level_colour(&s.fill));
        ws.add_conditional_format(1, at(ACol::Status), last, at(ACol::Status), &cf)?;
    }
    let dv = date_validation(
        "target date",
        DataValidationErrorStyle::Warning,
        " If no date is fixed yet, type a timeline such as Q4 2025/26 and choose Yes to keep it.",
    )?;
    ws.add_data_validation(1, at(ACol::Target), last, at(ACol::Target), &dv)?;
    let dv = date_validation("date of this update", DataValidationErrorStyle::Stop, "")?;
    ws.add_data_validation(1, at(ACol::Updated), last, at(ACol::Updated), &dv)?;

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
    let start = if listed.is_empty() {
        at(ACol::Id)
    } else {
        at(ACol::Status)
    };
    ws.set_selection(1, start, 1, start)?;

    let columns = cols
        .iter()
        .filter_map(|c| {
            action_guide(*c, !listed.is_empty(), service_area)
                .map(|g| (action_heading(*c).to_string(), g))
        })
        .collect();
    Ok(Layout {
        columns,
        rows: listed.len(),
    })
}
