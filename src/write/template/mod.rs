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

mod actions;
mod assessment;
mod code_list;
mod controls;
mod files;
mod instructions;
mod layout;
mod steps;
mod wording;

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, XlsxError};

pub use crate::assess::known::Known;
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::write::guard::{Guard, Output};
use crate::write::xlsx::properties;
use crate::write::xlsx::style::FormStyles;
use controls::Lists;
use files::{Gap, gap_notes, left_out_actions};
pub(crate) use files::{plan, themes_cell, themes_title};

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
    /// Characteristics that need an action and have none, with new IDs.
    pub gaps: &'a [Gap],
    pub st: FormStyles,
}

impl Ctx<'_> {
    /// Who the return is for: `--for`, else, for an action plan, the one
    /// officer who owns every open action it lists.
    pub fn officer(&self, what: &What) -> Option<String> {
        let given = self.cfg.officer.as_deref().map(str::trim);
        if let Some(o) = given.filter(|o| !o.is_empty()) {
            return Some(o.to_string());
        }
        match what {
            What::Actions { service_area } => files::area_officer(self, service_area.as_deref()),
            What::Assessment { .. } => None,
        }
    }
}

/// Writes the templates the configuration asks for and returns their paths.
pub fn write_templates(cfg: &TemplateConfig) -> Result<Written, Error> {
    let fw = Framework::load_or_default(cfg.framework.as_deref())?;
    let specs = plan(cfg, &fw)?;
    let first_round = specs
        .iter()
        .filter_map(|s| match s.what {
            What::Assessment { round, .. } => Some(round),
            What::Actions { .. } => None,
        })
        .min();
    let known = Known::read_for(&cfg.from, &fw, first_round)?;
    // What the sources know fills what the command line left out.
    let mut filled = cfg.clone();
    if filled
        .authority
        .as_deref()
        .is_none_or(|a| a.trim().is_empty())
    {
        filled.authority = known.authority.clone();
    }
    let cfg = &filled;
    let gaps = files::gaps(&fw, &known);
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
        for (file, version) in &known.versions {
            if fold(version) != fold(&fw.version) {
                written.notes.push(format!(
                    "{file} was made with version {version} of the framework; these templates are for version {} ({}).",
                    fw.version, fw.name
                ));
            }
        }
        if let Some(last) = &known.last_year {
            written.notes.push(format!(
                "{} is from an earlier cycle: its final scores, position statements and evidence are shown as last year's.",
                last.file
            ));
        }
    }
    written.notes.extend(left_out_actions(&specs, &fw, &known));
    written.notes.extend(gap_notes(&specs, &fw, &gaps));

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
        gaps: &gaps,
        st: FormStyles::new(),
    };
    for (spec, path) in specs.iter().zip(paths) {
        let bytes = render(&ctx, spec).map_err(|e| Error::write(&path, e))?;
        guard.write(&path, Output::Template, &bytes)?;
        written.files.push(path);
    }
    Ok(written)
}

/// Builds one workbook in memory.
pub(crate) fn render(ctx: &Ctx, spec: &Spec) -> Result<Vec<u8>, XlsxError> {
    let fw = ctx.fw;
    let mut wb = Workbook::new();
    let (title, return_type, round, themes) = titles(fw, spec);
    let who = ctx.cfg.authority.as_deref().unwrap_or("bestvalue");
    let mut props = properties::dated(ctx.cfg.issued)?
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
    wb.add_worksheet().set_name(wording::INSTRUCTIONS)?;
    let layout = match &spec.what {
        What::Assessment { round, themes } => {
            let ws = wb.add_worksheet().set_name(wording::ASSESSMENT_SHEET)?;
            assessment::assessment(ws, ctx, *round, themes, &mut lists)?
        }
        What::Actions { service_area } => {
            let ws = wb.add_worksheet().set_name(wording::ACTIONS_SHEET)?;
            actions::actions(ws, ctx, service_area.as_deref(), &mut lists)?
        }
    };
    instructions::instructions(
        wb.worksheet_from_name(wording::INSTRUCTIONS)?,
        ctx,
        &spec.what,
        &title,
        &layout,
    )?;
    lists.write_sheet(&mut wb)?;
    wb.save_to_buffer()
}

/// The workbook's title, and the Return type, Round and Themes it records
/// (Round and Themes empty for an action plan).
fn titles(fw: &Framework, spec: &Spec) -> (String, &'static str, String, String) {
    match &spec.what {
        What::Assessment { round, themes } => (
            format!(
                "{} return: {}",
                fw.rounds[*round].name,
                themes_title(fw, themes)
            ),
            wording::ASSESSMENT,
            fw.rounds[*round].name.clone(),
            themes_cell(fw, themes),
        ),
        What::Actions { service_area } => (
            format!(
                "Action plan return: {}",
                service_area.as_deref().unwrap_or("all service areas")
            ),
            wording::ACTION_PLAN,
            String::new(),
            String::new(),
        ),
    }
}

/// What a table sheet tells the instructions about itself.
pub(crate) struct Layout {
    /// Column headings with what to put in them.
    pub columns: Vec<(String, String)>,
    /// Rows pre-filled (characteristics or open actions).
    pub rows: usize,
    /// Codes of the rows asking for an action where a characteristic has
    /// none (action templates).
    pub gaps: Vec<String>,
}
