//! `bestvalue`: turns a folder of officers' Best Value self-assessment
//! returns into the one workbook a committee clerk publishes.
//!
//! The flows are here, one function each, over the stages in the modules
//! below (each module only uses those listed before it):
//!
//! - [`build`]: framework → check the outputs → find the returns → last
//!   month's and last year's workbooks → read and check each return → merge
//!   the rounds → the action plan → write the committee workbook (and the
//!   clerk's copy for publication, when asked);
//! - [`check`]: the same without writing;
//! - [`compare`]: many authorities' committee workbooks or returns → one
//!   sector workbook.
//!
//! `bestvalue template` is [`write::template::write_templates`].

pub mod assess;
mod committee;
mod config;
pub mod dates;
mod error;
pub mod framework;
#[doc(hidden)]
pub mod generate;
mod marks;
mod parallel;
pub mod problems;
pub mod progress;
pub mod read;
pub mod records;
pub mod report;
pub mod sector;
mod text;
pub mod write;

pub use assess::{Outcome, read_returns};
pub use config::{BuildConfig, CompareConfig, Meeting};
pub use error::Error;
use framework::Framework;
use progress::Progress;
pub use sector::CompareOutcome;

/// The main job: reads the returns, merges the rounds, builds the action
/// plan and writes the committee workbook (and the actions CSV when asked).
/// With `strict`, nothing is written when the returns have errors.
pub fn build(cfg: &BuildConfig) -> Result<Outcome, Error> {
    build_with(cfg, &Progress::hidden())
}

/// [`build`], showing which file is being read on `progress`.
pub fn build_with(cfg: &BuildConfig, progress: &Progress) -> Result<Outcome, Error> {
    // A broken framework file is reported before any problem with the output.
    let fw = Framework::load_or_default(cfg.framework.as_deref())?;
    check_output(cfg)?;
    let mut outcome = assess::assess(fw, cfg, Some(&cfg.output), progress)?;
    write_assessed(cfg, &mut outcome)?;
    Ok(outcome)
}

/// The output guard for build's outputs (the committee workbook, the
/// clerk's copy, the actions CSV), with everything build reads: the
/// returns, last month's and last year's workbooks, the framework and
/// mapping files.
pub fn check_output(cfg: &BuildConfig) -> Result<(), Error> {
    write::guard::Guard::for_build(cfg).check()
}

/// The writing half of [`build`], for an outcome [`check`]ed from the same
/// settings: writes the committee workbook to `cfg.output` (which must have
/// passed [`check_output`]) and the actions CSV when asked, unless `strict`
/// and the returns have errors. A folder dropped on the program is checked
/// first, because its workbook is named from what the returns say.
pub fn write_assessed(cfg: &BuildConfig, outcome: &mut Outcome) -> Result<(), Error> {
    if cfg.strict && outcome.problems.has_errors() {
        return Ok(());
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
    // The clerk's copy: the same report, for publication.
    if let Some(p) = &cfg.publish {
        write::committee::write(p, &report(Edition::Published))?;
    }
    outcome.written = Some(cfg.output.clone());
    outcome.published = cfg.publish.clone();
    if let Some(csv) = &cfg.actions_csv {
        write::actions_csv::write(csv, &outcome.plan, &outcome.framework)?;
    }
    Ok(())
}

/// Reads, checks and merges the returns exactly as [`build`] does, and
/// writes nothing: `build` and `check` find the same problems.
pub fn check(cfg: &BuildConfig) -> Result<Outcome, Error> {
    check_with(cfg, &Progress::hidden())
}

/// [`check`], showing which file is being read on `progress`.
pub fn check_with(cfg: &BuildConfig, progress: &Progress) -> Result<Outcome, Error> {
    let fw = Framework::load_or_default(cfg.framework.as_deref())?;
    assess::assess(fw, cfg, None, progress)
}

/// Compares many authorities' self-assessments and writes the sector
/// workbook (when there is anything to compare).
pub fn compare(cfg: &CompareConfig) -> Result<CompareOutcome, Error> {
    compare_with(cfg, &Progress::hidden())
}

/// [`compare`], showing which file is being read on `progress`.
pub fn compare_with(cfg: &CompareConfig, progress: &Progress) -> Result<CompareOutcome, Error> {
    let setup = sector::Setup::load(cfg)?;
    write::guard::Guard::for_compare(cfg).check()?;
    let sector = sector::compare(setup, cfg, progress)?;
    if sector.authorities.is_empty() {
        return Ok(CompareOutcome {
            sector,
            written: None,
        });
    }
    write::sector::write(&cfg.output, &sector)?;
    Ok(CompareOutcome {
        sector,
        written: Some(cfg.output.clone()),
    })
}
