//! The numbered steps of the Instructions sheet that depend on the return:
//! for an assessment, what each round asks (draft, score, confirm); for an
//! action plan, how to update the actions listed and add new ones.

use rust_xlsxwriter::XlsxError;

use super::wording::{ACTIONS_SHEET, ASSESSMENT_SHEET, Writer, or_list};
use super::{Ctx, Layout};

pub(super) fn assessment_steps(
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
    if let Some(last) = &ctx.known.last_year {
        w.step(
            n,
            &format!(
                "The three “Last year's” columns show each characteristic's final score, position statement and evidence from last year's assessment ({}), in grey because they are locked. Start from them: copy what still holds into this year's columns and bring it up to date.",
                last.file
            ),
            ctx,
        )?;
    }
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
    scoring_steps(w, n, ctx, round)
}

/// The steps of a scored round: choose (or keep) a score, explain it, say
/// what is missing, give the reasons the scale and the round ask for.
fn scoring_steps(w: &mut Writer, n: &mut u32, ctx: &Ctx, round: usize) -> Result<(), XlsxError> {
    let fw = ctx.fw;
    let r = &fw.rounds[round];
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

pub(super) fn action_steps(
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
    if !layout.gaps.is_empty() {
        let codes =
            super::wording::and_list(&layout.gaps.iter().map(String::as_str).collect::<Vec<_>>());
        let next = if layout.rows > 0 { "next" } else { "first" };
        let text = if layout.gaps.len() == 1 {
            format!(
                "The {next} row is {codes}, whose score needs an action and which has none yet. Its Action ID is given: check the gap, then write the action, the responsible officer and the target date. If no action is agreed yet, leave the row as it is: {codes} is then reported as still needing one."
            )
        } else {
            format!(
                "The {next} {} rows are {codes}, whose scores need an action and which have none yet. Their Action IDs are given: for each, check the gap, then write the action, the responsible officer and the target date. If no action is agreed yet for one, leave its row as it is: it is then reported as still needing one.",
                layout.gaps.len()
            )
        };
        w.step(n, &text, ctx)?;
    }
    w.step(
        n,
        "For any other new action, use an empty row: ask the performance office for its Action ID, choose the theme and then the characteristic's code from the drop-down lists (the codes offered are the chosen theme's), and describe the gap and the action.",
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
