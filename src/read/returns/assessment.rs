//! Rows of an assessment return: code, narrative, evidence, score,
//! commentary, gaps and reason, each checked against the framework.

use calamine::Data;

use super::StyleSource;
use super::columns::Field;
use super::row::SheetCtx;
use crate::framework::Cell;
use crate::problems::Kind;
use crate::read::cells;
use crate::records::{Entry, Source};

/// How close (per colour channel) a cell's fill must be to a scale colour to
/// be read as that score. Allows for colours picked from Excel's palette.
const COLOUR_TOLERANCE: i32 = 24;

pub fn read_rows(ctx: &mut SheetCtx, styles: &mut StyleSource) {
    let round = ctx.out.info.round;
    let scored = round.is_some_and(|r| ctx.fw.rounds[r].scored);
    if !scored && ctx.header.col(Field::Score).is_some() && round.is_some() {
        let col = ctx.header.col(Field::Score).unwrap_or(0);
        let has_scores = ctx
            .rows()
            .iter()
            .any(|r| super::filled(ctx.cell(*r, Field::Score)));
        if has_scores {
            let r = round.unwrap_or(0);
            let p = crate::problems::Problem::new(
                Kind::IgnoredColumn,
                ctx.loc(ctx.header.row, col),
                format!(
                    "{} returns are not scored, so the scores in this column were not read.",
                    ctx.fw.rounds[r].name
                ),
            )
            .column(&ctx.header.heading(Field::Score))
            .hint("Scores are given in a later round. Leave this column blank.");
            ctx.out.problems.push(p);
        }
    }
    if scored && ctx.header.col(Field::Score).is_none() {
        let r = round.unwrap_or(0);
        let p = crate::problems::Problem::new(
            Kind::MissingColumn,
            ctx.loc(ctx.header.row, ctx.header.last_col() + 1),
            format!(
                "This {} return has no Score column, so none of its rows can be scored.",
                ctx.fw.rounds[r].name
            ),
        )
        .column("Score")
        .hint("Put the Score column back with the heading \"Score\", or use the template issued for this round.");
        ctx.out.problems.push(p);
    }
    for row in ctx.rows() {
        ctx.begin_row();
        read_row(ctx, styles, row, scored);
        ctx.end_row();
    }
}

/// The theme named in the row's Theme cell, when it has one the framework
/// knows. The Code cell decides the characteristic; a Theme that says
/// otherwise is worth a warning, as the template's Code drop-down gives.
fn row_theme(ctx: &SheetCtx, row: u32) -> Option<usize> {
    let said = ctx.cell(row, Field::Theme).map(cells::squeezed)?;
    if said.is_empty() {
        return None;
    }
    ctx.fw.find_theme(&said)
}

fn read_row(ctx: &mut SheetCtx, styles: &mut StyleSource, row: u32, scored: bool) {
    let fw = ctx.fw;
    let code_cell = ctx.cell(row, Field::Code);
    if let Some(e) = cells::formula_error(code_cell) {
        let p = ctx
            .problem(
                Kind::FormulaError,
                row,
                Field::Code,
                format!("The code cell shows the formula error {e}."),
            )
            .hint("Type the characteristic's code, for example CI001.");
        ctx.push(p);
        return;
    }
    let written = code_cell.map(cells::squeezed).unwrap_or_default();
    if written.is_empty() {
        let p = ctx
            .problem(Kind::MissingCode, row, Field::Code, "This row has values but no code, so it cannot be matched to a characteristic.")
            .hint("Type the characteristic's code in this cell, or delete the row if it is not needed.");
        ctx.push(p);
        return;
    }
    let Some(ch) = fw.find_code(&written) else {
        if let Some((theme, target)) = fw.find_see_position(&written) {
            let target = &fw.characteristics[target];
            let p = ctx
                .problem(
                    Kind::CrossReferenceCode,
                    row,
                    Field::Code,
                    format!(
                        "{written} is the heat map's \"See {}\" cell in {}; it has no score of its own.",
                        target.code, fw.themes[theme].name
                    ),
                )
                .hint(format!("Give this score under {} instead, or delete the row.", target.code));
            ctx.push(p);
        } else {
            let p = ctx
                .problem(
                    Kind::UnknownCode,
                    row,
                    Field::Code,
                    format!("{written} is not a code in the framework ({}).", fw.name),
                )
                .hint(code_hint(ctx, &written));
            ctx.push(p);
        }
        return;
    };
    let c = &fw.characteristics[ch];
    ctx.subject = Some(crate::problems::Subject::Characteristic(ch));
    if written != c.code {
        let p = ctx
            .problem(
                Kind::CodeSpelling,
                row,
                Field::Code,
                format!("Read as {}, the framework's spelling of this code.", c.code),
            )
            .hint(format!(
                "Nothing to do; next time write {} as in the template.",
                c.code
            ));
        ctx.push(p);
    }
    let themes = &ctx.out.info.themes;
    if !themes.is_empty() && !themes.contains(&c.theme) {
        let names: Vec<&str> = themes.iter().map(|t| fw.themes[*t].name.as_str()).collect();
        let p = ctx
            .problem(
                Kind::WrongTheme,
                row,
                Field::Code,
                format!(
                    "{} belongs to {}, but this return is for {}. The score was still used.",
                    c.code,
                    fw.themes[c.theme].name,
                    names.join(", ")
                ),
            )
            .hint("If the code is right, there is nothing to do; if not, correct it.");
        ctx.push(p);
    } else if let Some(t) = row_theme(ctx, row).filter(|t| *t != c.theme) {
        let p = ctx
            .problem(
                Kind::WrongTheme,
                row,
                Field::Code,
                format!(
                    "{} belongs to {}, but this row's theme is {}. The score was still used.",
                    c.code, fw.themes[c.theme].name, fw.themes[t].name
                ),
            )
            .hint("If the code is right, correct the theme to match it (the score is already filed under the code). If the theme is right, choose one of its codes instead.");
        ctx.push(p);
    }

    let narrative = ctx.text(row, Field::Narrative);
    let evidence = ctx.text(row, Field::Evidence);
    let commentary = ctx.text(row, Field::Commentary);
    let gaps = ctx.text(row, Field::Gaps);
    let reason = ctx.text(row, Field::Reason);

    let mut entry = Entry {
        characteristic: ch,
        round: ctx.out.info.round.unwrap_or(0),
        source: Source {
            file: ctx.file.to_string(),
            sheet: ctx.grid.name.clone(),
            row,
        },
        officer: ctx.out.info.officer.clone(),
        score: None,
        score_col: ctx.header.columns.get(&Field::Score).cloned(),
        // Only the Reason column gives a reason: commentary says something
        // else, and never stands in for it.
        reason_col: ctx.header.columns.get(&Field::Reason).cloned(),
        gaps_col: ctx.header.columns.get(&Field::Gaps).cloned(),
        score_unreadable: false,
        narrative,
        evidence,
        commentary,
        gaps,
        reason,
        baseline: false,
    };

    if scored {
        read_score(ctx, styles, row, &mut entry);
    }
    if ctx.out.info.round.is_some() {
        ctx.out.entries.push(entry);
    } else {
        // Without a round the row cannot be placed. The file-level problem
        // says so once; the row is counted as reported, not repeated.
        ctx.mark_reported();
    }
}

fn read_score(ctx: &mut SheetCtx, styles: &mut StyleSource, row: u32, entry: &mut Entry) {
    let fw = ctx.fw;
    let Some(col) = ctx.header.col(Field::Score) else {
        return;
    };
    let cell = ctx.cell(row, Field::Score);
    let level = match cell {
        Some(Data::Error(e)) => {
            let p = ctx
                .problem(
                    Kind::FormulaError,
                    row,
                    Field::Score,
                    format!("The score cell shows the formula error {e}, so there is no score."),
                )
                .hint(format!("Choose one of: {}.", fw.scale_list()));
            ctx.push(p);
            entry.score_unreadable = true;
            return;
        }
        d if cells::is_blank(d) => {
            // An officer may have coloured the cell instead of choosing.
            let fill = styles.fill(&ctx.grid.name, row, col);
            match fill.as_deref().and_then(|f| level_for_colour(fw, f)) {
                Some(l) => {
                    let p = ctx
                        .problem(
                            Kind::ScoreFromColour,
                            row,
                            Field::Score,
                            format!(
                                "The score cell is blank but coloured {}; it was read as {}.",
                                fill.unwrap_or_default(),
                                fw.scale[l].label
                            ),
                        )
                        .found(format!(
                            "blank cell filled {}",
                            fw.scale[l].label.to_lowercase()
                        ))
                        .hint(format!(
                            "Choose \"{}\" from the drop-down list so the score is in words.",
                            fw.scale[l].label
                        ));
                    ctx.push(p);
                    Some(l)
                }
                None => None,
            }
        }
        Some(d) => {
            let text = cells::squeezed(d);
            match fw.find_score(&text) {
                // A number is a level's rank only by the framework's
                // aliases: read, but the officer is told which level it
                // became (3 is not a score anyone can check at a glance).
                Some(l)
                    if is_number(d, &text)
                        && crate::framework::fold(&fw.scale[l].label)
                            != crate::framework::fold(&text) =>
                {
                    let label = &fw.scale[l].label;
                    let p = ctx
                        .problem(
                            Kind::ScoreFromNumber,
                            row,
                            Field::Score,
                            format!("The score was typed as the number {text} and read as {label}."),
                        )
                        .hint(format!(
                            "Choose \"{label}\" from the drop-down list so the score is in words, or the level meant if it is not {label}."
                        ));
                    ctx.push(p);
                    Some(l)
                }
                Some(l) => Some(l),
                None => {
                    let p = ctx
                        .problem(
                            Kind::ScoreNotInScale,
                            row,
                            Field::Score,
                            format!("\"{text}\" is not a score on the scale."),
                        )
                        .hint(format!("Choose one of: {}.", fw.scale_list()));
                    ctx.push(p);
                    entry.score_unreadable = true;
                    None
                }
            }
        }
        None => None,
    };
    if let Some(l) = level {
        let lv = &fw.scale[l];
        if lv.reason_required && entry.reason.is_empty() {
            let code = &fw.characteristics[entry.characteristic].code;
            let mut p = match ctx.header.col(Field::Reason) {
                Some(_) => ctx.problem(
                    Kind::MissingReasonForGrey,
                    row,
                    Field::Reason,
                    format!("{code} is scored {} but no reason is given.", lv.label),
                ),
                // No Reason column: the problem is shown at the score.
                None => ctx
                    .problem(
                        Kind::MissingReasonForGrey,
                        row,
                        Field::Score,
                        format!(
                            "{code} is scored {} but no reason is given: this return has no Reason column.",
                            lv.label
                        ),
                    )
                    .column(Field::Reason.heading()),
            }
            .hint(format!(
                "Say why this is {} (for example, what is outside the council's control) in the Reason column; the commentary does not count as the reason.",
                lv.label
            ));
            p.found = None;
            ctx.push(p);
        }
    }
    entry.score = level;
}

/// Whether a score cell holds a number (typed as one, or as text).
fn is_number(d: &Data, text: &str) -> bool {
    matches!(d, Data::Float(_) | Data::Int(_)) || text.trim().parse::<f64>().is_ok()
}

fn level_for_colour(fw: &crate::framework::Framework, fill: &str) -> Option<usize> {
    let rgb = |h: &str| -> Option<(i32, i32, i32)> {
        let v = u32::from_str_radix(h.trim_start_matches('#'), 16).ok()?;
        Some((
            ((v >> 16) & 255) as i32,
            ((v >> 8) & 255) as i32,
            (v & 255) as i32,
        ))
    };
    let (r, g, b) = rgb(fill)?;
    fw.scale
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let (lr, lg, lb) = rgb(&l.fill)?;
            let d = (r - lr).abs().max((g - lg).abs()).max((b - lb).abs());
            (d <= COLOUR_TOLERANCE).then_some((d, i))
        })
        .min()
        .map(|(_, i)| i)
}

/// Suggests the codes of the theme an unknown code seems to belong to.
fn code_hint(ctx: &SheetCtx, written: &str) -> String {
    let fw = ctx.fw;
    let theme = crate::framework::code_key(written)
        .and_then(|(p, _)| fw.themes.iter().find(|t| t.prefix == p));
    match theme {
        Some(t) => {
            let own: Vec<&str> = t
                .cells
                .iter()
                .filter_map(|c| match c {
                    Cell::Own(i) => Some(fw.characteristics[*i].code.as_str()),
                    Cell::See(_) => None,
                })
                .collect();
            format!(
                "{} codes run {} to {}. Check the code against the template.",
                t.name,
                own.first().unwrap_or(&""),
                own.last().unwrap_or(&"")
            )
        }
        None => format!(
            "Codes start with a theme's letters: {}. Check the code against the template.",
            fw.themes
                .iter()
                .map(|t| t.prefix.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
