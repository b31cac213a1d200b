//! Assessing what was read: the one read-and-merge flow that `build`,
//! `check`, `compare` (per authority) and `template --from` share.
//!
//! [`read_returns`] reads every return on every core, in a fixed order;
//! [`merge_read`] lays the returns over any committee workbook given as a
//! baseline ([`baseline`]) and merges the rounds ([`merge`]); the action plan
//! ([`plan`]), last year's direction of travel ([`travel`], through
//! [`mapping`]s) and the template's pre-fill ([`known`]) are built on that.
//! [`assess`] runs the whole of it for `build` and `check`.

pub(crate) mod baseline;
pub(crate) mod consistency;
pub(crate) mod known;
pub(crate) mod mapping;
pub mod merge;
pub mod plan;
pub(crate) mod plausible;
pub(crate) mod travel;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::committee::read::Committee;
use crate::config::BuildConfig;
use crate::error::Error;
use crate::framework::Framework;
use crate::problems::Problems;
use crate::progress::Progress;
use crate::read::{self, InputFile, Skipped};
use crate::records::{ActionUpdate, Entry, ReturnInfo, ReturnKind};
use mapping::Mapping;
use merge::Assessment;
use plan::ActionPlan;

/// What a `build` or `check` run found, whether or not a workbook was
/// written.
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
    pub previous: Option<Committee>,
    /// This year against last year, when last year's workbook was given.
    pub travel: Option<travel::Travel>,
    /// The workbook written, if one was.
    pub written: Option<PathBuf>,
    /// The clerk's copy written, if one was.
    pub published: Option<PathBuf>,
}

/// Everything read from the returns, before merging.
pub struct Read {
    pub returns: Vec<ReturnInfo>,
    pub skipped: Vec<Skipped>,
    pub entries: Vec<Entry>,
    pub actions: Vec<ActionUpdate>,
    pub problems: Problems,
    /// Committee workbooks found among the files: not returns. `build`
    /// lists them as skipped; `template --from` reads them as a baseline.
    pub committees: Vec<InputFile>,
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
    let results = crate::parallel::map_heaviest_first(files, size, |_, f| {
        progress.step(&f.display);
        read::returns::read_file(f, fw)
    });
    gather(files, results, skipped)
}

/// Puts the returns read from `files` together, in that order, setting
/// committee workbooks aside.
pub fn gather(
    files: &[InputFile],
    results: Vec<read::returns::ReadReturn>,
    skipped: Vec<Skipped>,
) -> Read {
    let mut read = Read {
        returns: Vec::new(),
        skipped,
        entries: Vec::new(),
        actions: Vec::new(),
        problems: Problems::default(),
        committees: Vec::new(),
    };
    for (f, r) in files.iter().zip(results) {
        if r.info.kind == ReturnKind::Committee {
            read.committees.push(f.clone());
            continue;
        }
        if r.info.kind == ReturnKind::Published {
            read.skipped.push(Skipped {
                display: f.display.clone(),
                reason: "the clerk's copy of a committee workbook (for publication), not a return"
                    .into(),
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

/// The one merge: the returns' entries laid over the baselines' (committee
/// workbooks: what they say stands wherever no return says otherwise), the
/// rounds merged. The baselines' actions join the returns' in
/// `read.actions`, ready for the action plan.
pub fn merge_read(read: &mut Read, baselines: &[Committee], fw: &Framework) -> Assessment {
    let mut entries = std::mem::take(&mut read.entries);
    for b in baselines {
        entries.extend(baseline::entries(b, fw, &mut read.problems));
        read.actions.extend(baseline::updates(b, fw));
    }
    merge::merge(entries, fw, &mut read.problems)
}

/// The "as at" date the returns carry: the latest date completed or
/// updated (never the machine's clock, so a rerun gives the same answer).
/// Dates reported as implausible (a mistyped year) do not count.
pub fn as_at_from(read: &Read) -> Option<NaiveDate> {
    read.returns
        .iter()
        .filter(|r| !r.completed_doubtful)
        .filter_map(|r| r.completed)
        .chain(
            read.actions
                .iter()
                .filter(|a| !a.date_doubtful)
                .filter_map(|a| a.updated),
        )
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

/// Reads, checks and merges the returns for `build` and `check`:
/// everything but writing, so both find exactly the same problems.
/// `exclude` (the output being written) is never read as an input.
///
/// Last month's and last year's workbooks and the mapping files are opened
/// and checked before any return is read, so a wrong path fails at once.
pub fn assess(
    fw: Framework,
    cfg: &BuildConfig,
    exclude: Option<&Path>,
    progress: &Progress,
) -> Result<Outcome, Error> {
    let found = read::discover(&cfg.inputs, exclude)?;
    // A monthly run may have no new returns at all: last month's workbook
    // is then regenerated as at the new date.
    if found.files.is_empty() && cfg.previous.is_none() {
        return Err(Error::NoInputs {
            paths: cfg.inputs.clone(),
        });
    }
    let previous = match &cfg.previous {
        Some(p) => Some(crate::committee::read::read(
            p,
            "last month's committee workbook",
        )?),
        None => None,
    };
    let maps = cfg
        .mappings
        .iter()
        .map(|m| Mapping::load(m))
        .collect::<Result<Vec<_>, _>>()?;
    let last_year = match &cfg.previous_year {
        Some(p) => Some(travel::LastYear::open(p, &maps, &fw)?),
        None => None,
    };

    progress.set_total(found.files.len());
    let mut read = read_returns_with(&found.files, found.skipped, &fw, progress);
    progress.finish();
    plausible::check(&mut read.returns, &mut read.actions, &mut read.problems);
    // Last month's and last year's workbooks must be this authority's.
    let here = match &cfg.authority {
        Some(a) => Some((a.clone(), "--authority names")),
        None => authority_from(&read.returns).map(|a| (a, "the returns are for")),
    };
    if let (Some(prev), Some(p)) = (&previous, &cfg.previous) {
        consistency::same_authority(p, "--previous", prev.authority.as_deref(), here.as_ref())?;
    }
    if let (Some(last), Some(p)) = (&last_year, &cfg.previous_year) {
        consistency::same_authority(
            p,
            "--previous-year",
            last.authority.as_deref(),
            here.as_ref(),
        )?;
    }
    for c in std::mem::take(&mut read.committees) {
        read.skipped.push(Skipped {
            display: c.display,
            reason: "a committee workbook written by bestvalue, not a return".into(),
        });
    }
    read.skipped.sort();
    let as_at = cfg
        .as_at
        .or_else(|| as_at_from(&read).max(previous.as_ref().and_then(|p| p.as_at)));
    let found_reading = read.problems.len();
    let assessment = merge_read(&mut read, previous.as_slice(), &fw);
    let mut problems = std::mem::take(&mut read.problems);
    let plan = plan::consolidate(
        std::mem::take(&mut read.actions),
        &assessment,
        &fw,
        as_at,
        previous.as_ref(),
        &mut problems,
    );
    consistency::recount(&mut read.returns, &problems, found_reading);
    let travel = last_year.map(|l| travel::compare(l, &fw, &assessment));
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
