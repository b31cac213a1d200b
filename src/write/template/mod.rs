//! Officer templates: the workbooks sent out for officers to fill in, made
//! so that what comes back is right first time and `build` reads it as it is.
//!
//! Each template has an Instructions sheet (what to fill, the scale, who to
//! send it back to and by when) that starts with the labelled details block
//! `build` reads (Return type, Round, Themes, Framework …), then the table
//! sheet ("Assessment" or "Actions") with the codes filled in and locked, the
//! input cells unlocked and validated, and, when a list is too long for
//! Excel's 255-character limit, a hidden "Lists" sheet. Sheets are protected
//! without a password: officers cannot break the layout by accident but can
//! still resize and format.
//!
//! The blank templates for the built-in framework are kept in
//! `templates/blank/`; refresh them with
//! `rm -rf templates/blank && cargo run -- template --all-rounds --out templates/blank`
//! (tests/blank_templates.rs fails when they are out of date).

mod sheets;
mod style;
mod text;

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

pub use crate::assess::known::Known;
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::write::guard::{Guard, Output};
use style::Styles;

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateKind {
    /// Assessment returns for one round: one file per theme, or one for
    /// all the themes asked for (`all_in_one`). No themes means all.
    Assessment {
        round: String,
        themes: Vec<String>,
        all_in_one: bool,
    },
    /// Action-plan returns: one per service area, or one for all.
    Actions { service_areas: Vec<String> },
    /// Every round's returns (one per theme for a scored round that shows
    /// no earlier round, such as Review; one for all themes otherwise) and
    /// the action-plan return: the set kept in `templates/blank/`.
    AllRounds,
}

/// Settings for `template`, resolved from the command line.
#[derive(Debug, Clone)]
pub struct TemplateConfig {
    pub kind: TemplateKind,
    pub framework: Option<PathBuf>,
    /// Whom the return is for: fills "Completed by" and names the file.
    pub officer: Option<String>,
    pub authority: Option<String>,
    /// The issue date: shown, and used as the files' creation date so the
    /// same command always writes the same bytes.
    pub issued: Option<NaiveDate>,
    pub return_by: Option<NaiveDate>,
    pub send_to: Option<String>,
    /// Earlier returns or committee workbooks to pre-fill from.
    pub from: Vec<PathBuf>,
    /// The folder the templates are written to.
    pub out: PathBuf,
    /// Replace files that already exist.
    pub force: bool,
}

impl TemplateConfig {
    /// A blank configuration writing `kind` into `out`.
    pub fn new(kind: TemplateKind, out: impl Into<PathBuf>) -> TemplateConfig {
        TemplateConfig {
            kind,
            framework: None,
            officer: None,
            authority: None,
            issued: None,
            return_by: None,
            send_to: None,
            from: Vec::new(),
            out: out.into(),
            force: false,
        }
    }
}

/// What `write_templates` did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// Things the office should know (what was pre-filled from, what was
    /// left out).
    pub notes: Vec<String>,
}

/// One workbook to write.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub file_name: String,
    pub what: What,
}

#[derive(Debug, Clone)]
pub(crate) enum What {
    Assessment {
        round: usize,
        /// Themes in framework order; all of them when the file is for all.
        themes: Vec<usize>,
    },
    Actions {
        service_area: Option<String>,
    },
}

/// Everything a sheet writer needs.
pub(crate) struct Ctx<'a> {
    pub fw: &'a Framework,
    pub cfg: &'a TemplateConfig,
    pub known: &'a Known,
    pub st: Styles,
}

/// Writes the templates the configuration asks for and returns their paths.
pub fn write_templates(cfg: &TemplateConfig) -> Result<Written, Error> {
    let fw = crate::load_framework(cfg.framework.as_deref())?;
    let specs = plan(cfg, &fw)?;
    let known = Known::read(&cfg.from, &fw)?;
    let mut written = Written::default();
    if !cfg.from.is_empty() {
        written.notes.push(format!(
            "Pre-filled from {} workbook{}.",
            known.files.len(),
            if known.files.len() == 1 { "" } else { "s" }
        ));
        if known.errors > 0 {
            written.notes.push(format!(
                "{} error{} found in those returns: run `bestvalue build` on them to see where. Values that could not be read were left blank.",
                known.errors,
                if known.errors == 1 { " was" } else { "s were" }
            ));
        }
        for s in &known.skipped {
            written.notes.push(format!("Not read: {s}"));
        }
    }
    written.notes.extend(left_out_actions(&specs, &fw, &known));

    let paths: Vec<PathBuf> = specs.iter().map(|s| cfg.out.join(&s.file_name)).collect();
    // Each template is checked before any is written; an existing one may
    // be a return an officer has filled in, so it is never replaced
    // unless asked.
    let guard = Guard::new(cfg.force)
        .sources(&cfg.from, "to pre-fill from, --from", None)
        .file(cfg.framework.as_deref(), "the framework file, --framework")
        .output(Some(&cfg.out), Output::TemplateFolder);
    guard.check()?;
    for p in &paths {
        guard.check_file(p, Output::Template)?;
    }
    let ctx = Ctx {
        fw: &fw,
        cfg,
        known: &known,
        st: Styles::new(),
    };
    for (spec, path) in specs.iter().zip(paths) {
        let bytes = render(&ctx, spec).map_err(|e| Error::Write {
            path: path.clone(),
            message: e.to_string(),
        })?;
        guard.write(&path, Output::Template, &bytes)?;
        written.files.push(path);
    }
    Ok(written)
}

/// Works out which workbooks to write.
pub(crate) fn plan(cfg: &TemplateConfig, fw: &Framework) -> Result<Vec<Spec>, Error> {
    let officer = cfg.officer.as_deref();
    let mut specs = Vec::new();
    match &cfg.kind {
        TemplateKind::Assessment {
            round,
            themes,
            all_in_one,
        } => {
            let r = fw.find_round(round).ok_or_else(|| {
                Error::Usage(format!(
                    "\"{round}\" is not a round in {}. The rounds are: {}.",
                    fw.name,
                    list(fw.rounds.iter().map(|r| r.name.as_str()))
                ))
            })?;
            let mut chosen = Vec::new();
            for t in themes {
                let i = fw.find_theme(t).ok_or_else(|| {
                    Error::Usage(format!(
                        "\"{t}\" is not a theme in {}. Give a theme's name, its code letters or its number: {}.",
                        fw.name,
                        list(fw.themes.iter().map(|t| t.name.as_str()))
                    ))
                })?;
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
            }
            chosen.sort_unstable();
            if chosen.is_empty() {
                chosen = (0..fw.themes.len()).collect();
            }
            if *all_in_one {
                specs.push(assessment_spec(fw, r, chosen, officer));
            } else {
                for t in chosen {
                    specs.push(assessment_spec(fw, r, vec![t], officer));
                }
            }
        }
        TemplateKind::Actions { service_areas } => {
            if service_areas.is_empty() {
                specs.push(actions_spec(None, officer));
            }
            let mut seen = Vec::new();
            for s in service_areas {
                let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if s.is_empty() || seen.contains(&fold(&s)) {
                    continue;
                }
                seen.push(fold(&s));
                specs.push(actions_spec(Some(s), officer));
            }
        }
        TemplateKind::AllRounds => {
            let all: Vec<usize> = (0..fw.themes.len()).collect();
            for (r, round) in fw.rounds.iter().enumerate() {
                if round.scored && round.shows.is_empty() {
                    for &t in &all {
                        specs.push(assessment_spec(fw, r, vec![t], officer));
                    }
                } else {
                    specs.push(assessment_spec(fw, r, all.clone(), officer));
                }
            }
            specs.push(actions_spec(None, officer));
        }
    }
    // Two themes or areas that make the same file name would overwrite
    // each other.
    for (i, s) in specs.iter().enumerate() {
        if specs[..i]
            .iter()
            .any(|p| p.file_name.to_lowercase() == s.file_name.to_lowercase())
        {
            return Err(Error::Usage(format!(
                "Two templates would both be called '{}'. Give different names.",
                s.file_name
            )));
        }
    }
    Ok(specs)
}

fn assessment_spec(
    fw: &Framework,
    round: usize,
    themes: Vec<usize>,
    officer: Option<&str>,
) -> Spec {
    let part = themes_title(fw, &themes);
    Spec {
        file_name: file_name(&[&fw.rounds[round].name, &part], officer),
        what: What::Assessment { round, themes },
    }
}

fn actions_spec(service_area: Option<String>, officer: Option<&str>) -> Spec {
    let mut parts = vec!["Actions"];
    if let Some(s) = &service_area {
        parts.push(s);
    }
    Spec {
        file_name: file_name(&parts, officer),
        what: What::Actions { service_area },
    }
}

/// "All themes", "Governance", "Governance and Culture", or the themes'
/// code letters when the names would make too long a title.
pub(crate) fn themes_title(fw: &Framework, themes: &[usize]) -> String {
    if themes.len() == fw.themes.len() {
        return "All themes".to_string();
    }
    let names: Vec<&str> = themes.iter().map(|t| fw.themes[*t].name.as_str()).collect();
    let joined = match names.as_slice() {
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        _ => names.join(", "),
    };
    if joined.chars().count() <= 60 {
        joined
    } else {
        list(themes.iter().map(|t| fw.themes[*t].prefix.as_str()))
    }
}

/// The Themes cell: names, or code letters where a name has a comma (the
/// cell is a comma-separated list).
pub(crate) fn themes_cell(fw: &Framework, themes: &[usize]) -> String {
    if themes.len() == fw.themes.len() {
        return "All themes".to_string();
    }
    themes
        .iter()
        .map(|t| {
            let th = &fw.themes[*t];
            if th.name.contains([',', ';', '\n']) {
                th.prefix.clone()
            } else {
                th.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file name from parts joined by " - ", without characters Windows
/// refuses.
fn file_name(parts: &[&str], officer: Option<&str>) -> String {
    let mut all: Vec<&str> = parts.to_vec();
    if let Some(o) = officer.filter(|o| !o.trim().is_empty()) {
        all.push(o);
    }
    let joined = all
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| {
                    if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                        || c.is_control()
                    {
                        '-'
                    } else {
                        c
                    }
                })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" - ");
    let stem: String = joined.chars().take(150).collect();
    format!("{}.xlsx", stem.trim_end_matches(['.', ' ']))
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// Open actions that no action template will list, because their service
/// area was not asked for.
fn left_out_actions(specs: &[Spec], fw: &Framework, known: &Known) -> Vec<String> {
    let areas: Vec<Option<String>> = specs
        .iter()
        .filter_map(|s| match &s.what {
            What::Actions { service_area } => Some(service_area.as_deref().map(fold)),
            What::Assessment { .. } => None,
        })
        .collect();
    if areas.is_empty() || areas.contains(&None) {
        return Vec::new();
    }
    let left: Vec<&str> = known
        .actions
        .iter()
        .filter(|a| a.is_open(fw))
        .filter(|a| !areas.contains(&Some(fold(&a.service_area))))
        .map(|a| a.id.as_str())
        .collect();
    if left.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "{} open action{} in no template because {} service area was not asked for: {}.",
        left.len(),
        if left.len() == 1 { " is" } else { "s are" },
        if left.len() == 1 { "its" } else { "their" },
        left.join(", ")
    )]
}

/// The open actions one action template lists.
pub(crate) fn actions_for<'a>(
    ctx: &'a Ctx,
    service_area: Option<&str>,
) -> Vec<&'a crate::assess::known::KnownAction> {
    ctx.known
        .actions
        .iter()
        .filter(|a| a.is_open(ctx.fw))
        .filter(|a| service_area.is_none_or(|s| fold(s) == fold(&a.service_area)))
        .collect()
}

/// Builds one workbook in memory.
pub(crate) fn render(ctx: &Ctx, spec: &Spec) -> Result<Vec<u8>, XlsxError> {
    let fw = ctx.fw;
    let mut wb = Workbook::new();
    let created = ctx
        .cfg
        .issued
        .map(excel_date)
        .transpose()?
        .unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    let (title, return_type, round, themes) = match &spec.what {
        What::Assessment { round, themes } => (
            format!(
                "{} return: {}",
                fw.rounds[*round].name,
                themes_title(fw, themes)
            ),
            text::ASSESSMENT,
            fw.rounds[*round].name.clone(),
            themes_cell(fw, themes),
        ),
        What::Actions { service_area } => (
            format!(
                "Action plan return: {}",
                service_area.as_deref().unwrap_or("all service areas")
            ),
            text::ACTION_PLAN,
            String::new(),
            String::new(),
        ),
    };
    let who = ctx.cfg.authority.as_deref().unwrap_or("bestvalue");
    let mut props = DocProperties::new()
        .set_title(&title)
        .set_subject(format!(
            "Best Value Duty self-assessment: {} (version {})",
            fw.name, fw.version
        ))
        .set_author(who)
        .set_company(ctx.cfg.authority.as_deref().unwrap_or(""))
        .set_keywords("Best Value Duty, self-assessment, return")
        .set_comment(format!(
            "{} {}. Fill in the pale yellow cells.",
            crate::write::guard::TEMPLATE_MARK,
            env!("CARGO_PKG_VERSION")
        ))
        .set_creation_datetime(&created)
        .set_custom_property("Return type", return_type)
        .set_custom_property("Framework", fw.name.as_str())
        .set_custom_property("Framework version", fw.version.as_str());
    if !round.is_empty() {
        props = props
            .set_custom_property("Round", round.as_str())
            .set_custom_property("Themes", themes.as_str());
    }
    if let Some(d) = ctx.cfg.issued {
        props = props.set_custom_property("Issued", crate::dates::uk(d).as_str());
    }
    wb.set_properties(&props);

    let mut lists = Lists::default();
    wb.add_worksheet().set_name(text::INSTRUCTIONS)?;
    let layout = match &spec.what {
        What::Assessment { round, themes } => {
            let ws = wb.add_worksheet().set_name(text::ASSESSMENT_SHEET)?;
            sheets::assessment(ws, ctx, *round, themes, &mut lists)?
        }
        What::Actions { service_area } => {
            let ws = wb.add_worksheet().set_name(text::ACTIONS_SHEET)?;
            sheets::actions(ws, ctx, service_area.as_deref(), &mut lists)?
        }
    };
    text::instructions(
        wb.worksheet_from_name(text::INSTRUCTIONS)?,
        ctx,
        &spec.what,
        &title,
        &layout,
        &mut lists,
    )?;
    if !lists.columns.is_empty() {
        let ws = wb.add_worksheet().set_name(LISTS)?;
        for (c, items) in lists.columns.iter().enumerate() {
            for (r, item) in items.iter().enumerate() {
                ws.write_string(r as u32, c as u16, item)?;
            }
            ws.set_column_width(c as u16, 30)?;
        }
        ws.set_hidden(true);
        protect(ws);
    }
    wb.save_to_buffer()
}

/// What a table sheet tells the instructions about itself.
pub(crate) struct Layout {
    /// Column headings with what to put in them.
    pub columns: Vec<(String, String)>,
    /// Rows pre-filled (characteristics or open actions).
    pub rows: usize,
}

pub(crate) const LISTS: &str = "Lists";

/// Drop-down lists too long (or with commas) for Excel's inline list, kept
/// on the hidden Lists sheet, one per column.
#[derive(Default)]
pub(crate) struct Lists {
    pub columns: Vec<Vec<String>>,
}

impl Lists {
    /// A list validation for `items`: inline when Excel allows it,
    /// otherwise a range on the hidden Lists sheet.
    pub fn validation(&mut self, items: &[String]) -> DataValidation {
        let inline_ok = !items.iter().any(|i| i.contains(','));
        if inline_ok && let Ok(dv) = DataValidation::new().allow_list_strings(items) {
            return dv;
        }
        let col = match self.columns.iter().position(|c| c == items) {
            Some(c) => c,
            None => {
                self.columns.push(items.to_vec());
                self.columns.len() - 1
            }
        };
        let name = rust_xlsxwriter::utility::column_number_to_name(col as u16);
        DataValidation::new().allow_list_formula(Formula::new(format!(
            "={LISTS}!${name}$1:${name}${}",
            items.len().max(1)
        )))
    }
}

/// Adds the messages to a validation, each within Excel's limits (title 32
/// characters, message 255), falling back to the shorter text.
pub(crate) fn messages(
    dv: DataValidation,
    input: (&str, &str, &str),
    error: (&str, &str, &str),
    style: DataValidationErrorStyle,
) -> Result<DataValidation, XlsxError> {
    let fit = |long: &str, short: &str| {
        if long.encode_utf16().count() <= 255 {
            long.to_string()
        } else {
            short.to_string()
        }
    };
    dv.set_input_title(input.0)?
        .set_input_message(fit(input.1, input.2))?
        .set_error_title(error.0)?
        .set_error_message(fit(error.1, error.2))
        .map(|dv| dv.set_error_style(style))
}

/// Dates between 2000 and 2100, with messages.
pub(crate) fn date_validation(
    what: &str,
    style: DataValidationErrorStyle,
    extra: &str,
) -> Result<DataValidation, XlsxError> {
    let dv = DataValidation::new().allow_date(DataValidationRule::Between(
        ExcelDateTime::from_ymd(2000, 1, 1)?,
        ExcelDateTime::from_ymd(2100, 12, 31)?,
    ));
    let input = format!("Type the {what} as day/month/year, for example 31/03/2026.{extra}");
    let error = format!(
        "This is not a date between 2000 and 2100. Type the {what} as day/month/year, for example 31/03/2026.{extra}"
    );
    messages(
        dv,
        ("Date", &input, "Type a date as day/month/year."),
        ("Not a date", &error, "Type a date as day/month/year."),
        style,
    )
}

/// Protects a sheet without a password: the layout is fixed, but officers
/// can select, resize, format and filter.
pub(crate) fn protect(ws: &mut Worksheet) {
    ws.protect_with_options(&ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_cells: true,
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::new()
    });
}

/// A4, fitted to one page wide, the heading row repeated on every page.
pub(crate) fn print_setup(
    ws: &mut Worksheet,
    title: &str,
    authority: Option<&str>,
    landscape: bool,
    repeat_header: bool,
) -> Result<(), XlsxError> {
    crate::write::xlsx::a4(ws, title, authority.unwrap_or(""), "", landscape);
    if repeat_header {
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(())
}

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Writes officers' or the office's text as text, never as a formula.
pub(crate) fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    crate::write::xlsx::text(ws, row, col, s, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(
            file_name(&["Review", "Governance"], None),
            "Review - Governance.xlsx"
        );
        assert_eq!(
            file_name(&["Actions", "Housing/Planning"], Some(" Jo  Bloggs ")),
            "Actions - Housing-Planning - Jo Bloggs.xlsx"
        );
    }

    #[test]
    fn plans_one_file_per_theme_or_one_for_all() {
        let fw = Framework::default_framework();
        let kind = |themes: &[&str], all_in_one| TemplateKind::Assessment {
            round: "review".into(),
            themes: themes.iter().map(|s| s.to_string()).collect(),
            all_in_one,
        };
        let names = |k| -> Vec<String> {
            plan(&TemplateConfig::new(k, "x"), &fw)
                .unwrap()
                .into_iter()
                .map(|s| s.file_name)
                .collect()
        };
        assert_eq!(names(kind(&[], false)).len(), 7);
        assert_eq!(names(kind(&[], true)), vec!["Review - All themes.xlsx"]);
        assert_eq!(
            names(kind(&["G", "culture", "3"], true)),
            vec!["Review - Governance and Culture.xlsx"]
        );
        assert_eq!(
            names(kind(&["Culture", "Governance"], false)),
            vec!["Review - Governance.xlsx", "Review - Culture.xlsx"]
        );
        let all = names(TemplateKind::AllRounds);
        assert_eq!(all.len(), 1 + 7 + 1 + 1 + 1);
        assert!(all.contains(&"Draft - All themes.xlsx".to_string()));
        assert!(all.contains(&"Actions.xlsx".to_string()));
        let bad = plan(&TemplateConfig::new(kind(&["Housing"], false), "x"), &fw);
        assert!(matches!(bad, Err(Error::Usage(m)) if m.contains("\"Housing\" is not a theme")));
        let bad_round = TemplateKind::Assessment {
            round: "Peer review".into(),
            themes: vec![],
            all_in_one: false,
        };
        let bad = plan(&TemplateConfig::new(bad_round, "x"), &fw);
        assert!(
            matches!(bad, Err(Error::Usage(m)) if m.contains("Draft, Review, Moderation, Final"))
        );
    }
}
