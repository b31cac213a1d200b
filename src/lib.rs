//! `bestvalue`: turns a folder of officers' Best Value self-assessment
//! returns into the one workbook a committee clerk publishes.
//!
//! The pipeline, in order (see [`build`]):
//! framework → find files → read and check each return → merge the rounds →
//! consolidate the action plan → write the committee workbook.

pub mod assess;
pub mod committee;
pub mod dates;
pub mod error;
pub mod framework;
pub mod generate;
pub mod parallel;
pub mod problems;
pub mod progress;
pub mod read;
pub mod records;
pub mod report;
pub mod sector;
pub mod write;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use assess::merge::Assessment;
use assess::plan::ActionPlan;
pub use error::Error;
use framework::Framework;
use problems::Problems;
use progress::Progress;
use read::{InputFile, Skipped};
use records::{ActionUpdate, Entry, ReturnInfo, ReturnKind};

/// Settings for `build`, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildConfig {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub framework: Option<PathBuf>,
    pub as_at: Option<NaiveDate>,
    pub authority: Option<String>,
    /// Do not write the workbook when errors were found.
    pub strict: bool,
    /// Replace an existing output that this tool did not write.
    pub force: bool,
    /// Last month's committee workbook: the baseline, and what "since last
    /// month" compares with.
    pub previous: Option<PathBuf>,
    /// Where the action plan is also written as CSV.
    pub actions_csv: Option<PathBuf>,
    /// Last year's committee workbook, for the direction of travel.
    pub previous_year: Option<PathBuf>,
    /// Mapping files between framework versions.
    pub mappings: Vec<PathBuf>,
    /// Where the clerk's copy for publication is written, when asked.
    pub publish: Option<PathBuf>,
    /// The meeting the workbook goes to (Cover and page headers).
    pub meeting: write::committee::Meeting,
}

/// What a run found, whether or not a workbook was written.
pub struct Outcome {
    pub framework: Framework,
    pub returns: Vec<ReturnInfo>,
    /// The files found, in the order read (feedback re-opens them).
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
    pub assessment: Assessment,
    pub plan: ActionPlan,
    pub problems: Problems,
    pub as_at: Option<NaiveDate>,
    pub authority: String,
    /// Last month's committee workbook, when given.
    pub previous: Option<committee::read::Committee>,
    /// This year against last year, when last year's workbook was given.
    pub travel: Option<assess::travel::Travel>,
    /// The workbook written, if one was.
    pub written: Option<PathBuf>,
    /// The clerk's copy written, if one was.
    pub published: Option<PathBuf>,
}

/// Loads the framework named on the command line, or the built-in one.
pub fn load_framework(path: Option<&Path>) -> Result<Framework, Error> {
    match path {
        Some(p) => Framework::load(p),
        None => Ok(Framework::default_framework()),
    }
}

/// Everything read from the returns, before merging.
pub struct Read {
    pub returns: Vec<ReturnInfo>,
    pub skipped: Vec<Skipped>,
    pub entries: Vec<Entry>,
    pub actions: Vec<ActionUpdate>,
    pub problems: Problems,
}

/// Reads and checks every return. One bad file never stops the others.
pub fn read_returns(files: &[InputFile], skipped: Vec<Skipped>, fw: &Framework) -> Read {
    read_returns_with(files, skipped, fw, &Progress::hidden())
}

/// [`read_returns`], reporting each file to `progress` as it is started.
/// Files are read on every core; results come back in the order of
/// `files`, so the output never depends on which thread finished first.
/// Each workbook's cells are dropped once its records are taken, so memory
/// follows the records kept, not the size of the files.
pub fn read_returns_with(
    files: &[InputFile],
    skipped: Vec<Skipped>,
    fw: &Framework,
    progress: &Progress,
) -> Read {
    let size = |f: &InputFile| std::fs::metadata(&f.path).map_or(0, |m| m.len());
    let results = parallel::map_heaviest_first(files, size, |_, f| {
        progress.step(&f.display);
        read::returns::read_file(f, fw)
    });
    gather_read(results, skipped)
}

/// Puts the returns read together, in the order given. A committee
/// workbook found among them is listed as skipped, not read as a return.
pub fn gather_read(results: Vec<read::returns::ReadReturn>, skipped: Vec<Skipped>) -> Read {
    let mut read = Read {
        returns: Vec::new(),
        skipped,
        entries: Vec::new(),
        actions: Vec::new(),
        problems: Problems::default(),
    };
    for r in results {
        if r.info.kind == ReturnKind::Committee {
            read.skipped.push(Skipped {
                display: r.info.file.clone(),
                reason: "a committee workbook written by bestvalue, not a return".into(),
            });
            continue;
        }
        read.entries.extend(r.entries);
        read.actions.extend(r.actions);
        read.problems.extend(r.problems);
        read.returns.push(r.info);
    }
    read.skipped.sort();
    read
}

/// The "as at" date: given, or the latest date the returns themselves carry
/// (never the machine's clock, so a rerun gives the same answer).
pub fn as_at_from(read: &Read) -> Option<NaiveDate> {
    read.returns
        .iter()
        .filter_map(|r| r.completed)
        .chain(read.actions.iter().filter_map(|a| a.updated))
        .max()
}

/// The authority named by the returns (the most common name), if any.
pub fn authority_from(returns: &[ReturnInfo]) -> Option<String> {
    let mut counts: indexmap::IndexMap<&str, usize> = indexmap::IndexMap::new();
    for r in returns {
        if let Some(a) = &r.authority {
            *counts.entry(a.as_str()).or_default() += 1;
        }
    }
    counts.sort_keys();
    counts
        .iter()
        .max_by_key(|(name, n)| (**n, std::cmp::Reverse(*name)))
        .map(|(n, _)| n.to_string())
}

/// Refuses outputs that would overwrite an input (a return, or last
/// month's or last year's workbook), a workbook open in Excel, or a file
/// this tool did not write.
fn check_output(cfg: &BuildConfig) -> Result<(), Error> {
    let inputs: Vec<&Path> = cfg
        .inputs
        .iter()
        .chain(&cfg.previous)
        .chain(&cfg.previous_year)
        .map(PathBuf::as_path)
        .collect();
    write::guard::check_target(&cfg.output, &inputs, cfg.force)?;
    if let Some(p) = &cfg.publish {
        write::guard::check_published(p, &cfg.output, &inputs, cfg.force)?;
    }
    Ok(())
}

/// Reads, checks and merges the returns: everything but writing. `check`
/// stops here; `build` goes on to write. Both therefore find exactly the same
/// problems.
pub fn assess(cfg: &BuildConfig, exclude: Option<&Path>) -> Result<Outcome, Error> {
    assess_with(cfg, exclude, &Progress::hidden())
}

/// [`assess`], showing which file is being read on `progress`.
pub fn assess_with(
    cfg: &BuildConfig,
    exclude: Option<&Path>,
    progress: &Progress,
) -> Result<Outcome, Error> {
    let fw = load_framework(cfg.framework.as_deref())?;
    assess_in(fw, cfg, exclude, progress)
}

/// [`assess_with`] against a framework already loaded.
fn assess_in(
    fw: Framework,
    cfg: &BuildConfig,
    exclude: Option<&Path>,
    progress: &Progress,
) -> Result<Outcome, Error> {
    let found = read::discover(&cfg.inputs, exclude)?;
    // A monthly run may have no new returns at all: last month's workbook
    // is then regenerated as at the new date.
    if found.files.is_empty() && cfg.previous.is_none() {
        return Err(Error::NoInputs(
            cfg.inputs
                .iter()
                .map(|p| format!("'{}'", p.display()))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let previous = match &cfg.previous {
        Some(p) => Some(committee::read::read(p, "last month's committee workbook")?),
        None => None,
    };
    progress.set_total(found.files.len());
    let mut read = read_returns_with(&found.files, found.skipped, &fw, progress);
    progress.finish();
    let as_at = cfg
        .as_at
        .or_else(|| as_at_from(&read).max(previous.as_ref().and_then(|p| p.as_at)));
    let mut entries = std::mem::take(&mut read.entries);
    let mut actions = std::mem::take(&mut read.actions);
    let mut problems = std::mem::take(&mut read.problems);
    if let Some(prev) = &previous {
        entries.extend(committee::read::baseline_entries(prev, &fw, &mut problems));
        actions.extend(committee::read::baseline_updates(prev, &fw));
    }
    let assessment = assess::merge::merge(entries, &fw, &mut problems);
    let plan = assess::plan::build(
        actions,
        &assessment,
        &fw,
        as_at,
        previous.as_ref(),
        &mut problems,
    );
    let travel = match &cfg.previous_year {
        Some(p) => Some(assess::travel::compare(p, &cfg.mappings, &fw, &assessment)?),
        None => None,
    };
    problems.sort();
    let authority = cfg
        .authority
        .clone()
        .or_else(|| authority_from(&read.returns))
        .or_else(|| previous.as_ref().and_then(|p| p.authority.clone()))
        .unwrap_or_else(|| "The authority".to_string());
    Ok(Outcome {
        framework: fw,
        returns: read.returns,
        files: found.files,
        skipped: read.skipped,
        assessment,
        plan,
        problems,
        as_at,
        authority,
        previous,
        travel,
        written: None,
        published: None,
    })
}

/// The main job: reads the returns, merges the rounds, builds the action
/// plan and writes the committee workbook.
pub fn build(cfg: &BuildConfig) -> Result<Outcome, Error> {
    build_with(cfg, &Progress::hidden())
}

/// [`build`], showing which file is being read on `progress`.
pub fn build_with(cfg: &BuildConfig, progress: &Progress) -> Result<Outcome, Error> {
    // A broken framework file is reported before any problem with the output.
    let fw = load_framework(cfg.framework.as_deref())?;
    check_output(cfg)?;
    let mut outcome = assess_in(fw, cfg, Some(&cfg.output), progress)?;
    if cfg.strict && outcome.problems.has_errors() {
        return Ok(outcome);
    }
    use write::committee::{Edition, Report};
    let report = |edition| Report {
        edition,
        meeting: &cfg.meeting,
        fw: &outcome.framework,
        authority: &outcome.authority,
        as_at: outcome.as_at,
        returns: &outcome.returns,
        skipped: &outcome.skipped,
        assessment: &outcome.assessment,
        plan: &outcome.plan,
        problems: &outcome.problems,
        previous: outcome.previous.as_ref(),
        travel: outcome.travel.as_ref(),
    };
    write::committee::write(&cfg.output, &report(Edition::Working))?;
    if let Some(p) = &cfg.publish {
        write::committee::write(p, &report(Edition::Published))?;
    }
    outcome.written = Some(cfg.output.clone());
    outcome.published = cfg.publish.clone();
    if let Some(csv) = &cfg.actions_csv {
        write::actions_csv::write(csv, &outcome.plan, &outcome.framework)?;
    }
    Ok(outcome)
}
