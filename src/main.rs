//! Command line: parses arguments, runs the job, prints the summary and
//! chooses the exit code (0 clean, 1 data errors found, 2 could not run).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use bestvalue::{BuildConfig, Error, summary};

#[derive(Parser)]
#[command(
    name = "bestvalue",
    version,
    about = "Turns Best Value self-assessment returns into a committee-ready workbook.",
    long_about = "Reads the workbooks officers return for a Best Value Duty self-assessment \
(assessment returns for each round, and action-plan updates), checks every code, score and \
date, merges the review rounds and writes one formatted workbook for the committee.",
    after_help = "Exit status: 0 when the workbook was written with no errors, 1 when errors were \
found in the returns (listed in the Problems sheet), 2 when the run could not go ahead."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the committee workbook from a folder of returns.
    #[command(after_help = "Examples:
  Build this year's committee workbook from everything in the returns folder:
    bestvalue build returns/ --out \"Committee 2025-26.xlsx\"

  Build from two folders, naming the authority and the date the figures are as at:
    bestvalue build review/ actions/ --out committee.xlsx --authority \"Eastmoor Borough Council\" --as-at 31/10/2025

  Use a council's own framework file instead of the built-in one:
    bestvalue build returns/ --out committee.xlsx --framework our-framework.toml

Exit status: 0 written with no errors (warnings allowed); 1 errors found in the returns (the
workbook is still written, with a Problems sheet, unless --strict); 2 the run could not go ahead.")]
    Build(BuildArgs),

    /// Compare many authorities' self-assessments in one sector workbook.
    #[command(after_help = "Examples:
  Compare the committee workbooks in a folder:
    bestvalue compare committee-workbooks/ --out \"Sector 2025-26.xlsx\"

  Compare authorities from their returns (each subfolder is one authority's returns),
  labelling them Authority A, B … for publication:
    bestvalue compare returns-by-authority/ --out sector.xlsx --anonymise

  Include authorities assessed against an older framework version:
    bestvalue compare workbooks/ --out sector.xlsx --mapping mapping-2023-2024.toml

Each PATH is a committee workbook written by bestvalue build, or a folder: the workbooks in it are
committee workbooks and each of its subfolders is one authority's returns.

Exit status: 0 every source compared; 1 some sources could not be compared (listed on the Cover);
2 the run could not go ahead.")]
    Compare(CompareArgs),

    /// Write synthetic returns for tests and benchmarks (developer command).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Committee workbooks, or folders of them and of authorities' return folders.
    #[arg(required = true, value_name = "PATH")]
    inputs: Vec<PathBuf>,

    /// The sector workbook to write (.xlsx).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,

    /// Label authorities Authority A, Authority B … (in order of name) so the workbook names none.
    #[arg(long)]
    anonymise: bool,

    /// The framework to compare on (default: the built-in one). Give it again for each older
    /// framework some authorities' returns were made against.
    #[arg(long, value_name = "FILE")]
    framework: Vec<PathBuf>,

    /// A mapping file carrying scores from one framework version to another (may be repeated).
    #[arg(long, value_name = "FILE")]
    mapping: Vec<PathBuf>,

    /// Replace the output even if it is not a workbook bestvalue wrote.
    #[arg(long)]
    force: bool,

    /// Print only the final line.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["council", "sector"])))]
struct GenerateArgs {
    /// Write one council's return set (about 25 files) into this new folder.
    #[arg(long, value_name = "DIR")]
    council: Option<PathBuf>,

    /// Write a sector (committee workbooks, and with --returns the returns) into this new folder.
    #[arg(long, value_name = "DIR")]
    sector: Option<PathBuf>,

    /// Authorities in the sector.
    #[arg(long, default_value_t = 300)]
    authorities: usize,

    /// Everything follows from the seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Keep every authority's returns as well as its committee workbook.
    #[arg(long)]
    returns: bool,

    /// The framework the returns are made against (default: the built-in one).
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Returns to read: files, or folders (searched with their subfolders).
    #[arg(required = true, value_name = "PATH")]
    inputs: Vec<PathBuf>,

    /// The committee workbook to write (.xlsx).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,

    /// The date the figures are as at, e.g. 31/10/2025 (default: the latest date in the returns).
    #[arg(long, value_name = "DATE")]
    as_at: Option<String>,

    /// The authority's name for titles (default: as the returns give it).
    #[arg(long, value_name = "NAME")]
    authority: Option<String>,

    /// Do not write the workbook when any error is found.
    #[arg(long)]
    strict: bool,

    /// Replace the output even if it is not a workbook bestvalue wrote.
    #[arg(long)]
    force: bool,

    /// Print only the final line.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bestvalue: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, Error> {
    match bestvalue::dates::parse_text(text) {
        Ok(Some(d)) => Ok(d.date),
        _ => Err(Error::Usage(format!(
            "--as-at \"{text}\" is not a date. Give it as day/month/year, for example 31/10/2025."
        ))),
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Build(a) => {
            let cfg = BuildConfig {
                inputs: a.inputs,
                output: a.out,
                framework: a.framework,
                as_at: a.as_at.as_deref().map(parse_date).transpose()?,
                authority: a.authority,
                strict: a.strict,
                force: a.force,
            };
            let progress = bestvalue::progress::Progress::on_terminal("Reading", a.quiet);
            let outcome = bestvalue::build_with(&cfg, &progress)?;
            if !a.quiet {
                print!("{}", summary::render(&outcome));
            }
            let errors = outcome.problems.has_errors();
            match &outcome.written {
                Some(p) => println!("Wrote {}.", p.display()),
                None => println!(
                    "{}. The workbook was not written (--strict): fix the errors and run again.",
                    summary::tally(&outcome)
                ),
            }
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Compare(a) => compare(a),
        Command::Generate(a) => generate(a),
    }
}

fn compare(a: CompareArgs) -> Result<ExitCode, Error> {
    let mut frameworks = a.framework.into_iter();
    let cfg = bestvalue::sector::CompareConfig {
        inputs: a.inputs,
        output: a.out,
        framework: frameworks.next(),
        other_frameworks: frameworks.collect(),
        mappings: a.mapping,
        anonymise: a.anonymise,
        force: a.force,
    };
    let progress = bestvalue::progress::Progress::on_terminal("Reading", a.quiet);
    let outcome = bestvalue::sector::compare_with(&cfg, &progress)?;
    let s = &outcome.sector;
    if !a.quiet {
        for n in &s.not_compared {
            println!("  not compared: {} ({})", n.source, n.reason);
        }
    }
    let what = format!(
        "Compared {} authorities ({} files read) against {} (version {})",
        s.authorities.len(),
        s.files,
        s.fw.name,
        s.fw.version
    );
    match &outcome.written {
        Some(p) => println!("{what}. Wrote {}.", p.display()),
        None => println!("{what}. Nothing to compare, so no workbook was written."),
    }
    Ok(if s.not_compared.is_empty() && outcome.written.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn generate(a: GenerateArgs) -> Result<ExitCode, Error> {
    let fw = bestvalue::load_framework(a.framework.as_deref())?;
    if let Some(dir) = a.council {
        let (c, files) = bestvalue::generate::council(&fw, &dir, a.seed)?;
        if !a.quiet {
            println!(
                "Wrote {} returns for {} in {}.",
                files.len(),
                c.name,
                dir.display()
            );
        }
    }
    if let Some(dir) = a.sector {
        let spec = bestvalue::generate::SectorSpec {
            authorities: a.authorities,
            seed: a.seed,
            returns: a.returns,
            framework: a.framework.clone(),
        };
        let progress = bestvalue::progress::Progress::on_terminal("Generating", a.quiet);
        let set = bestvalue::generate::sector(&fw, &dir, &spec, &progress)?;
        if !a.quiet {
            println!(
                "Wrote {} committee workbooks in {}{}.",
                set.councils.len(),
                set.committee_dir.display(),
                match &set.returns_dir {
                    Some(d) => format!(" and {} returns in {}", set.return_files, d.display()),
                    None => String::new(),
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
