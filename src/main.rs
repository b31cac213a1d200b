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

  This month's action updates, carried on from last month's workbook, with a CSV for the
  performance system:
    bestvalue build november/ --previous \"Committee October.xlsx\" --out \"Committee November.xlsx\" --actions-csv actions.csv

  This year's assessment compared with last year's (framework changed: give the mapping):
    bestvalue build returns/ --previous-year \"Committee 2024-25.xlsx\" --mapping mapping-2024-2025.toml --out committee.xlsx

Exit status: 0 written with no errors (warnings allowed); 1 errors found in the returns (the
workbook is still written, with a Problems sheet, unless --strict); 2 the run could not go ahead.")]
    Build(BuildArgs),

    /// Check returns without building: print every problem, grouped by file.
    #[command(after_help = "Examples:
  Check this month's returns and print what is wrong:
    bestvalue check returns/

  Send officers their returns back with the problem cells marked:
    bestvalue check returns/ --feedback feedback/

  Produce a report for another system, and a list of who to chase:
    bestvalue check returns/ --format json > report.json
    bestvalue check returns/ --chase \"Chase list.xlsx\"

Exit status: 0 no errors (warnings allowed); 1 errors found; 2 the check could not run.
Problem codes and their fixes: bestvalue codes")]
    Check(CheckArgs),

    /// List every problem code with what it means, an example and the fix.
    Codes {
        /// Print the list as a Markdown table (as in the README).
        #[arg(long)]
        markdown: bool,
    },

    /// Write the workbooks officers fill in: assessment returns for a round, or action-plan returns.
    #[command(after_help = "Examples:
  One review return per theme, for the reviewers, to come back by 31 January:
    bestvalue template --round Review --issued 06/01/2026 --return-by 31/01/2026 --send-to \"Performance Office, bv@eastmoor.gov.uk\" --out to-send/

  The moderation return, for all themes in one workbook, showing the reviewers' scores:
    bestvalue template --round Moderation --all-in-one --from returns/review/ --out to-send/

  Next month's action-plan returns, one per service area, listing the open actions:
    bestvalue template --actions --service-area Housing --service-area Finance --from \"Committee 2025-26.xlsx\" --out to-send/

  Refresh the blank set kept in the repository's templates/blank (clear it first, so no stale file stays):
    rm -rf templates/blank && bestvalue template --all-rounds --out templates/blank

Exit status: 0 written; 2 the templates could not be written.")]
    Template(TemplateArgs),

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
struct TemplateArgs {
    /// The round the assessment return is for (as the framework names it, e.g. Review).
    #[arg(long, value_name = "ROUND", required_unless_present_any = ["actions", "all_rounds"])]
    round: Option<String>,

    /// Write action-plan returns instead of assessment returns.
    #[arg(long, conflicts_with_all = ["round", "theme", "all_in_one", "all_rounds"])]
    actions: bool,

    /// Every round's assessment returns and the action-plan return (the blank set).
    #[arg(long, conflicts_with_all = ["round", "theme", "all_in_one", "service_area"])]
    all_rounds: bool,

    /// A theme to write a return for: its name, code letters or number (repeat for more; default all).
    #[arg(long, value_name = "THEME")]
    theme: Vec<String>,

    /// One workbook for all the themes instead of one per theme.
    #[arg(long)]
    all_in_one: bool,

    /// A service area to write an action-plan return for (repeat for more; default one for all).
    #[arg(long, value_name = "NAME", requires = "actions")]
    service_area: Vec<String>,

    /// The officer the return is for: fills in "Completed by" and is added to the file name.
    #[arg(long = "for", value_name = "NAME")]
    for_name: Option<String>,

    /// The authority's name, shown on the returns.
    #[arg(long, value_name = "NAME")]
    authority: Option<String>,

    /// The date the returns are issued, e.g. 06/01/2026 (also the files' creation date).
    #[arg(long, value_name = "DATE")]
    issued: Option<String>,

    /// The date the returns are due back, e.g. 31/01/2026.
    #[arg(long, value_name = "DATE")]
    return_by: Option<String>,

    /// Who to send the return back to (a name, team or email address).
    #[arg(long, value_name = "TEXT")]
    send_to: Option<String>,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,

    /// Earlier returns, folders of them, or the last committee workbook, to pre-fill from.
    #[arg(long, value_name = "PATH")]
    from: Vec<PathBuf>,

    /// The folder to write the templates to.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,

    /// Replace templates that already exist in the folder.
    #[arg(long)]
    force: bool,

    /// Print only the files written.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Returns to check: files, or folders (searched with their subfolders).
    #[arg(required = true, value_name = "PATH")]
    inputs: Vec<PathBuf>,

    /// Write a marked-up copy of each return with problems into this folder.
    #[arg(long, value_name = "DIR")]
    feedback: Option<PathBuf>,

    /// Write the list of who owes what (missing returns, returns with errors) to this workbook.
    #[arg(long, value_name = "FILE")]
    chase: Option<PathBuf>,

    /// How to print the report: text for people, json for other systems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,

    /// The date the figures are as at, e.g. 31/10/2025 (default: the latest date in the returns).
    #[arg(long, value_name = "DATE")]
    as_at: Option<String>,

    /// Last month's committee workbook, to check action IDs against.
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
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

    /// Last month's committee workbook: carried forward, and compared with ("since last month").
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,

    /// Also write the action plan as CSV for the council's performance system.
    #[arg(long, value_name = "FILE")]
    actions_csv: Option<PathBuf>,

    /// Last year's committee workbook: each characteristic's colour is compared with it.
    #[arg(long, value_name = "FILE")]
    previous_year: Option<PathBuf>,

    /// How codes changed between framework versions (retired, merged, renumbered). Repeatable.
    #[arg(long = "mapping", value_name = "FILE")]
    mappings: Vec<PathBuf>,

    /// Print only the final line.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    bestvalue::returns::install_panic_hook();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bestvalue: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints to stdout. A closed pipe (`bestvalue build … | head`) is not an
/// error: the workbook is written either way, so the rest of the summary
/// is dropped instead of panicking as `print!` does.
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, Error> {
    parse_date_for("--as-at", text)
}

fn parse_date_for(flag: &str, text: &str) -> Result<chrono::NaiveDate, Error> {
    match bestvalue::dates::parse_text(text) {
        Ok(Some(d)) => Ok(d.date),
        _ => Err(Error::Usage(format!(
            "{flag} \"{text}\" is not a date. Give it as day/month/year, for example 31/10/2025."
        ))),
    }
}

fn run_template(a: TemplateArgs) -> Result<ExitCode, Error> {
    use bestvalue::template::{TemplateConfig, TemplateKind};
    let kind = if a.actions {
        TemplateKind::Actions {
            service_areas: a.service_area,
        }
    } else if a.all_rounds {
        TemplateKind::AllRounds
    } else {
        TemplateKind::Assessment {
            round: a.round.unwrap_or_default(),
            themes: a.theme,
            all_in_one: a.all_in_one,
        }
    };
    let date = |flag: &str, v: Option<String>| v.map(|t| parse_date_for(flag, &t)).transpose();
    let cfg = TemplateConfig {
        kind,
        framework: a.framework,
        officer: a.for_name,
        authority: a.authority,
        issued: date("--issued", a.issued)?,
        return_by: date("--return-by", a.return_by)?,
        send_to: a.send_to,
        from: a.from,
        out: a.out,
        force: a.force,
    };
    let written = bestvalue::template::write_templates(&cfg)?;
    if !a.quiet {
        for n in &written.notes {
            println!("{n}");
        }
    }
    for f in &written.files {
        println!("Wrote {}.", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Template(a) => run_template(a),
        Command::Build(a) => {
            let cfg = BuildConfig {
                inputs: a.inputs,
                output: a.out,
                framework: a.framework,
                as_at: a.as_at.as_deref().map(parse_date).transpose()?,
                authority: a.authority,
                strict: a.strict,
                force: a.force,
                previous: a.previous,
                actions_csv: a.actions_csv,
                previous_year: a.previous_year,
                mappings: a.mappings,
            };
            let progress = bestvalue::progress::Progress::on_terminal("Reading", a.quiet);
            let outcome = bestvalue::build_with(&cfg, &progress)?;
            if !a.quiet {
                say(&summary::render(&outcome));
            }
            let errors = outcome.problems.has_errors();
            match &outcome.written {
                Some(p) => say(&format!("Wrote {}.\n", p.display())),
                None => say(&format!(
                    "{}. The workbook was not written (--strict): fix the errors and run again.\n",
                    summary::tally(&outcome)
                )),
            }
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Check(a) => check(a),
        Command::Compare(a) => compare(a),
        Command::Generate(a) => generate(a),
        Command::Codes { markdown } => {
            if markdown {
                print!("{}", bestvalue::problems::catalogue_markdown());
            } else {
                print!("{}", bestvalue::problems::catalogue_text());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(a: CheckArgs) -> Result<ExitCode, Error> {
    let cfg = BuildConfig {
        inputs: a.inputs.clone(),
        output: PathBuf::new(),
        framework: a.framework,
        as_at: a.as_at.as_deref().map(parse_date).transpose()?,
        previous: a.previous,
        ..BuildConfig::default()
    };
    let outcome = bestvalue::assess(&cfg, None)?;
    match a.format {
        Format::Json => println!("{}", bestvalue::json_report::render(&outcome)),
        Format::Text => {
            print!("{}", summary::all_problems(&outcome));
            println!("{}.", summary::tally(&outcome));
        }
    }
    // Messages about files written go to stderr so JSON stays clean.
    if let Some(dir) = &a.feedback {
        let written = bestvalue::feedback::write_all(&outcome, dir, &a.inputs)?;
        eprintln!(
            "Wrote {} to {}.",
            summary::plural(written.len(), "feedback workbook"),
            dir.display()
        );
    }
    if let Some(path) = &a.chase {
        let list = bestvalue::chase::list(&outcome);
        bestvalue::chase::write(path, &list)?;
        eprint!("{}", bestvalue::chase::text(&list));
        eprintln!("Wrote the chase list to {}.", path.display());
    }
    Ok(if outcome.problems.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
