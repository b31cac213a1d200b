//! Rows of an action-plan return: one update to one action.

use super::columns::Field;
use super::row::SheetCtx;
use crate::dates;
use crate::problems::Kind;
use crate::read::cells;
use crate::records::{ActionUpdate, Source};

pub fn read_rows(ctx: &mut SheetCtx) {
    for row in ctx.rows() {
        ctx.begin_row();
        read_row(ctx, row);
        ctx.end_row();
    }
}

fn read_row(ctx: &mut SheetCtx, row: u32) {
    let fw = ctx.fw;
    let id = ctx.text(row, Field::ActionId);
    if id.is_empty() {
        let p = ctx
            .problem(Kind::MissingActionId, row, Field::ActionId, "This action has no action ID, so its update cannot be matched.")
            .hint("Type the action's ID from the action plan (for example BV-001). For a new action, ask the performance office for an ID.");
        ctx.push(p);
        return;
    }
    let id = id
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    ctx.subject = Some(crate::problems::Subject::Action(id.clone()));

    let mut characteristic = None;
    let code = ctx
        .cell(row, Field::Code)
        .map(cells::squeezed)
        .unwrap_or_default();
    if !code.is_empty() {
        match fw.find_code(&code) {
            Some(c) => {
                characteristic = Some(c);
                if code != fw.characteristics[c].code {
                    let p = ctx
                        .problem(
                            Kind::CodeSpelling,
                            row,
                            Field::Code,
                            format!(
                                "Read as {}, the framework's spelling of this code.",
                                fw.characteristics[c].code
                            ),
                        )
                        .hint(format!(
                            "Nothing to do; next time write {}.",
                            fw.characteristics[c].code
                        ));
                    ctx.push(p);
                }
                wrong_theme(ctx, row, c);
            }
            None => {
                let p = ctx
                    .problem(Kind::UnknownCode, row, Field::Code, format!("{code} is not a code in the framework, so this action is not linked to a characteristic."))
                    .hint("Check the code against the action plan.");
                ctx.push(p);
            }
        }
    }

    let mut status = None;
    let status_text = ctx
        .cell(row, Field::Status)
        .map(cells::squeezed)
        .unwrap_or_default();
    if !status_text.is_empty() {
        status = fw.find_status(&status_text);
        if status.is_none() {
            let hint = if crate::framework::fold(&status_text) == "overdue" {
                format!(
                    "Overdue is worked out from the target date. Choose one of: {}.",
                    fw.status_list()
                )
            } else {
                format!("Choose one of: {}.", fw.status_list())
            };
            let p = ctx
                .problem(
                    Kind::UnknownStatus,
                    row,
                    Field::Status,
                    format!("\"{status_text}\" is not an action status."),
                )
                .hint(hint);
            ctx.push(p);
        }
    }

    let target = date(ctx, row, Field::TargetDate);
    let updated = date(ctx, row, Field::UpdateDate).map(|d| d.date);
    let progress = ctx.text(row, Field::Progress);
    let untouched = progress.is_empty() && !super::filled(ctx.cell(row, Field::UpdateDate));
    let service_area = {
        let s = ctx.text(row, Field::ServiceArea);
        if s.is_empty() {
            ctx.out.info.service_area.clone().unwrap_or_default()
        } else {
            s
        }
    };
    let update = ActionUpdate {
        id,
        id_col: ctx.header.col(Field::ActionId).unwrap_or(0),
        characteristic,
        source: Source {
            file: ctx.file.to_string(),
            sheet: ctx.grid.name.clone(),
            row,
        },
        gap: ctx.text(row, Field::Gaps),
        action: ctx.text(row, Field::Action),
        owner: ctx.text(row, Field::Owner),
        service_area,
        target,
        status,
        progress,
        updated,
        perf_ref: ctx.text(row, Field::PerfRef),
        baseline: false,
        updated_col: ctx.header.col(Field::UpdateDate),
        untouched,
        shown_before: shown_before(ctx, row),
        date_doubtful: false,
    };
    ctx.out.actions.push(update);
}

/// A code from another theme than the row's Theme cell names: kept, with
/// a warning (the template's Code drop-down offers the theme's codes, but
/// lets a code from another theme be kept).
fn wrong_theme(ctx: &mut SheetCtx, row: u32, c: usize) {
    let fw = ctx.fw;
    let said = ctx.text(row, Field::Theme);
    let Some(t) = fw.find_theme(&said) else {
        return;
    };
    let own = fw.characteristics[c].theme;
    if said.is_empty() || t == own {
        return;
    }
    let p = ctx
        .problem(
            Kind::WrongTheme,
            row,
            Field::Code,
            format!(
                "{} belongs to {}, but this row's theme is {}. The code was used.",
                fw.characteristics[c].code, fw.themes[own].name, fw.themes[t].name
            ),
        )
        .hint("If the code is right, correct the theme to match it (the action is already filed under the code). If the theme is right, choose one of its codes instead.");
    ctx.push(p);
}

fn date(ctx: &mut SheetCtx, row: u32, f: Field) -> Option<dates::DateValue> {
    let d = ctx.cell(row, f)?;
    match dates::parse_in(d, ctx.grid.date1904) {
        Ok(v) => v,
        Err(e) => {
            let p = ctx.problem(Kind::BadDate, row, f, e.message).hint(e.hint);
            ctx.push(p);
            None
        }
    }
}

/// The last update a pre-filled return shows beside the row, for reference
/// ("Previous update date", "Previous progress note"), when it has those
/// columns and they are filled.
fn shown_before(ctx: &SheetCtx, row: u32) -> Option<(Option<chrono::NaiveDate>, String)> {
    let col = |name: &str| {
        ctx.header
            .references
            .iter()
            .find(|(_, h)| crate::framework::fold(h) == name)
            .map(|(c, _)| *c)
    };
    let cell = |c: Option<u16>| c.and_then(|c| ctx.grid.shown(row, c));
    let note = cell(col("previousprogressnote"))
        .map(cells::text)
        .unwrap_or_default();
    let date = cell(col("previousupdatedate"))
        .and_then(|d| dates::parse_in(d, ctx.grid.date1904).ok().flatten())
        .map(|d| d.date);
    (date.is_some() || !note.is_empty()).then_some((date, note))
}
