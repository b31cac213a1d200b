//! The command line: every subcommand, option and help text, and nothing
//! else. Doc comments are the help; `cmd` turns the parsed arguments into
//! each command's settings.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "bestvalue",
    version,
    about = "Turns Best Value self-assessment returns into a committee-ready workbook.",
    long_about = "Reads the workbooks officers return for a Best Value Duty self-assessment \
(assessment returns for each round, and action-plan updates), checks every code, score and \
date, merges the review rounds and writes one formatted workbook for the committee.",
    override_usage = "bestvalue <COMMAND> [ARGS]...\n       bestvalue <FOLDER>",
    after_help = "A folder given alone (or dropped on bestvalue.exe) builds its committee workbook \
beside the folder, named from the authority and the \"as at\" date.

Exit status, for every command: 0 done, with no errors in the data (warnings allowed); 1 done, \
but errors were found in the returns (build, check, a folder given alone) or some sources could \
not be compared (compare); 2 the run could not go ahead. Each command's help says more."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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

  Next year's draft return, showing this year's final scores and position statements as last year's:
    bestvalue template --round Draft --all-in-one --from \"Committee 2025-26.xlsx\" --out to-send/

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
pub struct CompareArgs {
    /// Committee workbooks, or folders of them and of authorities' return folders.
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// The sector workbook to write (.xlsx).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,

    /// Label authorities Authority A, Authority B … (in order of name) so the workbook names none.
    #[arg(long)]
    pub anonymise: bool,

    /// The framework to compare on (default: the built-in one). Give it again for each older
    /// framework some authorities' returns were made against.
    #[arg(long, value_name = "FILE")]
    pub framework: Vec<PathBuf>,

    /// A mapping file carrying scores from one framework version to another (may be repeated).
    #[arg(long, value_name = "FILE")]
    pub mapping: Vec<PathBuf>,

    /// Replace the output even if it is not a workbook bestvalue wrote.
    #[arg(long)]
    pub force: bool,

    /// Print only the final line.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["council", "sector"])))]
pub struct GenerateArgs {
    /// Write one council's return set (about 25 files) into this new folder.
    #[arg(long, value_name = "DIR")]
    pub council: Option<PathBuf>,

    /// Write a sector (committee workbooks, and with --returns the returns) into this new folder.
    #[arg(long, value_name = "DIR")]
    pub sector: Option<PathBuf>,

    /// Authorities in the sector.
    #[arg(long, default_value_t = 300)]
    pub authorities: usize,

    /// Everything follows from the seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Keep every authority's returns as well as its committee workbook.
    #[arg(long)]
    pub returns: bool,

    /// The framework the returns are made against (default: the built-in one).
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// The round the assessment return is for (as the framework names it, e.g. Review).
    #[arg(long, value_name = "ROUND", required_unless_present_any = ["actions", "all_rounds"])]
    pub round: Option<String>,

    /// Write action-plan returns instead of assessment returns.
    #[arg(long, conflicts_with_all = ["round", "theme", "all_in_one", "all_rounds"])]
    pub actions: bool,

    /// Every round's assessment returns and the action-plan return (the blank set).
    #[arg(long, conflicts_with_all = ["round", "theme", "all_in_one", "service_area"])]
    pub all_rounds: bool,

    /// A theme to write a return for: its name, code letters or number (repeat for more; default all).
    #[arg(long, value_name = "THEME")]
    pub theme: Vec<String>,

    /// One workbook for all the themes instead of one per theme.
    #[arg(long)]
    pub all_in_one: bool,

    /// A service area to write an action-plan return for (repeat for more; default one for all).
    #[arg(long, value_name = "NAME", requires = "actions")]
    pub service_area: Vec<String>,

    /// The officer the return is for: fills in "Completed by" and is added to the file name.
    #[arg(long = "for", value_name = "NAME")]
    pub for_name: Option<String>,

    /// The authority's name, shown on the returns.
    #[arg(long, value_name = "NAME")]
    pub authority: Option<String>,

    /// The date the returns are issued, e.g. 06/01/2026 (also the files' creation date).
    #[arg(long, value_name = "DATE")]
    pub issued: Option<String>,

    /// The date the returns are due back, e.g. 31/01/2026.
    #[arg(long, value_name = "DATE")]
    pub return_by: Option<String>,

    /// Who to send the return back to (a name, team or email address).
    #[arg(long, value_name = "TEXT")]
    pub send_to: Option<String>,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,

    /// Earlier returns, folders of them, or the last committee workbook, to pre-fill from.
    #[arg(long, value_name = "PATH")]
    pub from: Vec<PathBuf>,

    /// The folder to write the templates to.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace templates that already exist in the folder.
    #[arg(long)]
    pub force: bool,

    /// Print only the files written.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Returns to check: files, or folders (searched with their subfolders).
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Write a marked-up copy of each return with problems into this folder.
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,

    /// Write the list of who owes what (missing returns, returns with errors) to this workbook.
    #[arg(long, value_name = "FILE")]
    pub chase: Option<PathBuf>,

    /// How to print the report: text for people, json for other systems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,

    /// The date the figures are as at, e.g. 31/10/2025 (default: the latest date in the returns).
    #[arg(long, value_name = "DATE")]
    pub as_at: Option<String>,

    /// Last month's committee workbook, to check action IDs against.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,

    /// Replace a chase list or feedback workbook even if it is not one bestvalue wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Returns to read: files, or folders (searched with their subfolders).
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// The committee workbook to write (.xlsx).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,

    /// A framework file to use instead of the built-in Best Value guidance 2024.
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,

    /// The date the figures are as at, e.g. 31/10/2025 (default: the latest date in the returns).
    #[arg(long, value_name = "DATE")]
    pub as_at: Option<String>,

    /// The authority's name for titles (default: as the returns give it).
    #[arg(long, value_name = "NAME")]
    pub authority: Option<String>,

    /// Do not write the workbook when any error is found.
    #[arg(long)]
    pub strict: bool,

    /// Replace the output even if it is not a workbook bestvalue wrote.
    #[arg(long)]
    pub force: bool,

    /// Last month's committee workbook: carried forward, and compared with ("since last month").
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,

    /// Also write the action plan as CSV for the council's performance system.
    #[arg(long, value_name = "FILE")]
    pub actions_csv: Option<PathBuf>,

    /// Last year's committee workbook: each characteristic's colour is compared with it.
    #[arg(long, value_name = "FILE")]
    pub previous_year: Option<PathBuf>,

    /// How codes changed between framework versions (retired, merged, renumbered). Repeatable.
    #[arg(long = "mapping", value_name = "FILE")]
    pub mappings: Vec<PathBuf>,

    /// Also write the clerk's copy for publication: the committee's sheets only, laid out for A4,
    /// with no file names, source cells or problems list.
    #[arg(long, value_name = "FILE")]
    pub publish: Option<PathBuf>,

    /// The committee the workbook goes to, for the Cover and the page headers.
    #[arg(long, value_name = "NAME")]
    pub committee: Option<String>,

    /// The date of the committee's meeting, e.g. 12/11/2025.
    #[arg(long, value_name = "DATE")]
    pub meeting: Option<String>,

    /// How the agenda labels the paper, e.g. "Appendix A" (page headers and Cover).
    #[arg(long, value_name = "LABEL")]
    pub appendix: Option<String>,

    /// Who to contact about the paper: a name, team, e-mail or telephone (Cover).
    #[arg(long, value_name = "TEXT")]
    pub contact: Option<String>,

    /// Print only the final line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Every subcommand's name and alias, and `help`: given alone, such a word
/// is that command, never a folder dropped on the program.
pub fn command_names() -> Vec<String> {
    use clap::CommandFactory;
    let cli = Cli::command();
    let mut names = vec!["help".to_string()];
    for c in cli.get_subcommands() {
        names.push(c.get_name().to_string());
        names.extend(c.get_all_aliases().map(str::to_string));
    }
    names
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn command_names_are_the_subcommands_and_help() {
        let names = super::command_names();
        for n in [
            "build", "check", "codes", "template", "compare", "generate", "help",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
    }
}
