//! The Assessment sheet: one row per characteristic of the return's themes,
//! in framework order. Headings are the ones `build` recognises (see
//! `read::returns::columns`); theme, code and label are locked, earlier
//! rounds' scores shown for reference in their colours (and, when the
//! template starts a new cycle from last year's committee workbook, last
//! year's final score, position statement and evidence), the cells to
//! fill unlocked, validated and coloured by the score chosen, and the Code
//! column's drop-down following the row's Theme.

use rust_xlsxwriter::{DataValidationErrorStyle, Format, Worksheet, XlsxError};

use super::code_list::{self, Rows};
use super::controls::{Lists, messages, print_setup, protect};
use super::layout::{self, Row, Text, Value};
use super::wording::or_list;
use super::{Ctx, Layout};
use crate::framework::{Cell, Framework};
use crate::read::returns::columns::Field;
use crate::write::xlsx::columns::Want;
use crate::write::xlsx::levels::{self, colour_by_value};

/// Headings of last year's columns (recognised by `build` and not read).
pub const LAST_SCORE: &str = "Last year's score";
pub const LAST_NARRATIVE: &str = "Last year's position statement";
pub const LAST_EVIDENCE: &str = "Last year's evidence";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Theme,
    Code,
    Label,
    LastScore,
    LastNarrative,
    LastEvidence,
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
    let mut cols = vec![Col::Theme, Col::Code, Col::Label];
    if ctx.known.last_year.is_some() {
        cols.extend([Col::LastScore, Col::LastNarrative, Col::LastEvidence]);
    }
    cols.extend([Col::Narrative, Col::Evidence]);
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
        Col::LastScore => LAST_SCORE.into(),
        Col::LastNarrative => LAST_NARRATIVE.into(),
        Col::LastEvidence => LAST_EVIDENCE.into(),
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

/// The width a column asks for on the printed page: the columns the
/// officer writes in grow first (see `layout`).
fn want(c: Col) -> Want {
    match c {
        Col::Theme => Want::new(8.0, 14.0, 0.0),
        Col::Code => Want::fixed(7.0),
        Col::Label => Want::new(14.0, 26.0, 0.3),
        Col::LastScore => Want::fixed(9.0),
        Col::LastNarrative => Want::new(12.0, 32.0, 0.4),
        Col::LastEvidence => Want::new(11.0, 24.0, 0.3),
        Col::Narrative => Want::new(16.0, 40.0, 1.0),
        Col::Evidence => Want::new(12.0, 28.0, 0.6),
        Col::RefScore(_) => Want::fixed(9.0),
        Col::RefCommentary(_) => Want::new(11.0, 24.0, 0.3),
        Col::RefReason(_) => Want::new(11.0, 20.0, 0.2),
        Col::Score => Want::fixed(10.0),
        Col::Commentary => Want::new(13.0, 32.0, 1.0),
        Col::Gaps => Want::new(11.0, 28.0, 0.8),
        Col::Reason => Want::new(11.0, 22.0, 0.5),
    }
}

/// How a column's cells hold their text.
fn text_kind(c: Col) -> Text {
    match c {
        Col::Code => Text::Bold,
        Col::Score | Col::RefScore(_) | Col::LastScore => Text::OneLine,
        _ => Text::Wrapped,
    }
}

/// Plans the columns' widths for what they hold: the rows, and in a score
/// column any level of the scale.
fn plan_columns(
    fw: &Framework,
    cols: &[Col],
    rows: &[Row],
    heads: &[&str],
    kinds: &[Text],
) -> layout::Table {
    let levels: Vec<&str> = fw.scale.iter().map(|l| l.label.as_str()).collect();
    // One per line: a score is shown whole on one line.
    let levels = levels.join("\n");
    let mut texts = layout::texts(rows);
    texts.push(
        kinds
            .iter()
            .map(|k| {
                if *k == Text::OneLine {
                    levels.as_str()
                } else {
                    ""
                }
            })
            .collect(),
    );
    let wants: Vec<Want> = cols.iter().map(|c| want(*c)).collect();
    layout::plan_for(&wants, heads, &texts, kinds)
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
        Col::LastScore => "Last year's final score, in its colour. Locked, for reference.".into(),
        Col::LastNarrative => "Last year's position statement. Locked: copy what still holds into “Position statement” and bring it up to date.".into(),
        Col::LastEvidence => "The evidence listed last year. Locked: copy what still holds into “Evidence”.".into(),
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

/// Colours a column's cells by the scale level they hold.
fn colour_scores(
    ws: &mut Worksheet,
    ctx: &Ctx,
    first: u32,
    last: u32,
    col: u16,
) -> Result<(), XlsxError> {
    colour_by_value(
        ws,
        ((first, col), (last, col)),
        &levels::scale_labels(ctx.fw),
    )
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
    let r = &fw.rounds[round];
    let cols = assessment_columns(ctx, round);
    let chars: Vec<usize> = themes
        .iter()
        .flat_map(|t| fw.themes[*t].cells.iter())
        .filter_map(|c| match c {
            Cell::Own(i) => Some(*i),
            Cell::See(_) => None,
        })
        .collect();
    let rows: Vec<Row> = chars
        .iter()
        .map(|&c| {
            cols.iter()
                .map(|col| {
                    let (t, f) = value(ctx, round, c, *col);
                    (Value::Text(t), f)
                })
                .collect()
        })
        .collect();
    let heads: Vec<String> = cols.iter().map(|c| heading(ctx, *c)).collect();
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    let kinds: Vec<Text> = cols.iter().map(|c| text_kind(*c)).collect();
    let table = plan_columns(fw, &cols, &rows, &heads, &kinds);
    layout::heading_row(ws, 0, &heads, &table, &ctx.st.header)?;
    let at = |c: Col| cols.iter().position(|x| *x == c).map(|i| i as u16);
    layout::write_rows(ws, 1, &rows, &table, &kinds)?;
    let last = (chars.len() as u32).max(1);

    if let Some(col) = at(Col::Score) {
        let dv = score_validation(ctx, round, lists)?;
        ws.add_data_validation(1, col, last, col, &dv)?;
        colour_scores(ws, ctx, 1, last, col)?;
    }
    if let (Some(theme), Some(code)) = (at(Col::Theme), at(Col::Code)) {
        code_list::theme_and_code(ws, ctx, lists, Rows::Filled, (1, last), (theme, code))?;
    }
    for (i, c) in cols.iter().enumerate() {
        if let Col::RefScore(_) | Col::LastScore = c {
            colour_scores(ws, ctx, 1, last, i as u16)?;
        }
    }

    let last_col = cols.len() as u16 - 1;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, last, last_col)?;
    protect(ws);
    print_setup(
        ws,
        &format!("{} return: {}", r.name, super::themes_title(fw, themes)),
        ctx.cfg.authority.as_deref(),
        true,
        true,
    )?;
    layout::scale(ws, &table);
    let start = at(Col::Score).or(at(Col::Narrative)).unwrap_or(0);
    ws.set_selection(1, start, 1, start)?;

    let columns = cols
        .iter()
        .filter_map(|c| guide(ctx, round, *c).map(|g| (heading(ctx, *c), g)))
        .collect();
    Ok(Layout {
        columns,
        rows: chars.len(),
        gaps: Vec::new(),
    })
}

/// What characteristic `c`'s row shows in a column, pre-filled from what
/// is known, and its format.
fn value<'a>(ctx: &'a Ctx, round: usize, c: usize, col: Col) -> (&'a str, &'a Format) {
    let (fw, st) = (ctx.fw, &ctx.st);
    let ch = &fw.characteristics[c];
    let k = &ctx.known.chars[c];
    let own = k.rounds.get(round).and_then(|e| e.as_ref());
    let label = |l: Option<usize>| l.map_or("", |l| fw.scale[l].label.as_str());
    let last = ctx
        .known
        .last_year
        .as_ref()
        .and_then(|y| y.chars[c].as_ref());
    match col {
        Col::Theme => (fw.themes[ch.theme].name.as_str(), &st.locked_text),
        Col::Code => (ch.code.as_str(), &st.locked_code),
        Col::Label => (ch.label.as_str(), &st.locked_text),
        Col::LastScore => (label(last.and_then(|y| y.score)), &st.reference_score),
        Col::LastNarrative => (last.map_or("", |y| y.narrative.as_str()), &st.reference),
        Col::LastEvidence => (last.map_or("", |y| y.evidence.as_str()), &st.reference),
        Col::Narrative => (k.narrative.as_str(), &st.input_wrap),
        Col::Evidence => (k.evidence.as_str(), &st.input_wrap),
        Col::RefScore(s) => (label(k.score_after(fw, s)), &st.reference_score),
        Col::RefCommentary(s) => (
            k.rounds[s].as_ref().map_or("", |e| e.commentary.as_str()),
            &st.reference,
        ),
        Col::RefReason(s) => (
            k.rounds[s].as_ref().map_or("", |e| e.reason.as_str()),
            &st.reference,
        ),
        Col::Score => (label(own.and_then(|e| e.score)), &st.input_score),
        Col::Commentary => (own.map_or("", |e| e.commentary.as_str()), &st.input_wrap),
        Col::Gaps => (k.gaps.as_str(), &st.input_wrap),
        Col::Reason => (own.map_or("", |e| e.reason.as_str()), &st.input_wrap),
    }
}

/// The Score drop-down, with what to choose and what the scale means.
fn score_validation(
    ctx: &Ctx,
    round: usize,
    lists: &mut Lists,
) -> Result<rust_xlsxwriter::DataValidation, XlsxError> {
    let labels: Vec<String> = ctx.fw.scale.iter().map(|l| l.label.clone()).collect();
    let list = or_list(&labels.iter().map(String::as_str).collect::<Vec<_>>());
    let input = if ctx.fw.rounds[round].blank_keeps_previous {
        format!(
            "Leave blank to keep the earlier score. To change it, choose {list}, and give the reason."
        )
    } else {
        format!("Choose {list}. The scale is explained on the Instructions sheet.")
    };
    messages(
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
    )
}
