//! A folder dropped on the program: `bestvalue FOLDER` with no command, which
//! is what Windows runs when a folder is dropped on bestvalue.exe or on a
//! shortcut to it. Builds the committee workbook beside the folder, named
//! from the authority and the "as at" date, and prints the summary. Whether
//! the window then waits for Enter is `console`'s business.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use bestvalue::progress::Progress;
use bestvalue::report::console;
use bestvalue::{BuildConfig, Error};
use chrono::NaiveDate;

use super::{Done, say};

/// How the program was started, as far as this module is concerned.
#[derive(Debug, PartialEq, Eq)]
pub enum Start {
    /// One folder and nothing else.
    Folder(PathBuf),
    /// One existing file that is not a folder (a workbook dropped on the exe).
    NotAFolder(PathBuf),
    /// No arguments, in a window of its own (the exe double-clicked).
    Alone,
    /// Anything else: a command line for clap.
    Command,
}

/// Reads the arguments (program name first). `commands` are the subcommand
/// names: one of them given alone is that command, even if a folder has the
/// same name.
pub fn how_started(
    args: impl IntoIterator<Item = OsString>,
    commands: &[impl AsRef<str>],
    owns_window: bool,
) -> Start {
    let mut args = args.into_iter().skip(1);
    let only = match (args.next(), args.next()) {
        (Some(only), None) => only,
        (None, _) if owns_window => return Start::Alone,
        _ => return Start::Command,
    };
    let text = only.to_string_lossy();
    if text.starts_with('-') || commands.iter().any(|c| c.as_ref() == text) {
        return Start::Command;
    }
    let path = PathBuf::from(only);
    if path.is_dir() {
        Start::Folder(path)
    } else if path.is_file() {
        Start::NotAFolder(path)
    } else {
        Start::Command
    }
}

/// What the officer sees when the exe is double-clicked instead of having a
/// folder dropped on it.
pub const HOW_TO_USE: &str = "bestvalue builds the committee workbook from a folder of returns.

Drag the folder that holds the returns onto bestvalue.exe (or onto a shortcut
to it). The committee workbook is written beside that folder, and a summary
of what was read and what needs fixing is shown here.

For everything else (checking returns, templates, comparing authorities),
open a command prompt and type: bestvalue --help
";

/// Builds the committee workbook for a dropped folder.
pub fn run(folder: &Path) -> Result<Done, Error> {
    let mut cfg = BuildConfig {
        inputs: vec![folder.to_path_buf()],
        ..BuildConfig::default()
    };
    let progress = Progress::on_terminal("Reading", false);
    // The name comes from what the returns say, so they are read first.
    let mut outcome = bestvalue::check_with(&cfg, &progress)?;
    let name = workbook_name(
        bestvalue::assess::authority_from(&outcome.returns).as_deref(),
        outcome.as_at,
    );
    cfg.output = beside(folder)?.join(name);
    bestvalue::check_output(&cfg)?;
    bestvalue::write_assessed(&cfg, &mut outcome)?;
    say(&console::render(&outcome));
    say(&format!("Wrote {}.\n", cfg.output.display()));
    Ok(Done::from_errors(outcome.problems.has_errors()))
}

/// `Eastmoor Borough Council - committee workbook as at 31 October 2025.xlsx`.
/// Characters Windows does not allow in a file name are left out of the
/// authority's name.
pub fn workbook_name(authority: Option<&str>, as_at: Option<NaiveDate>) -> String {
    let authority = authority.map(file_name_safe).filter(|a| !a.is_empty());
    let what = match &authority {
        Some(a) => format!("{a} - committee workbook"),
        None => "Committee workbook".to_string(),
    };
    match as_at {
        Some(d) => format!("{what} as at {}.xlsx", bestvalue::dates::long(d)),
        None => format!("{what}.xlsx"),
    }
}

/// The text with characters that cannot be in a Windows file name removed,
/// runs of spaces made one, and no dot or space at the end. Long names are
/// cut so the whole path stays well within Windows' limits.
fn file_name_safe(text: &str) -> String {
    const FORBIDDEN: [char; 9] = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];
    let kept: String = text
        .chars()
        .map(|c| {
            if FORBIDDEN.contains(&c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    let joined: String = words.join(" ").chars().take(80).collect();
    joined.trim_end_matches(['.', ' ']).to_string()
}

/// The folder the workbook goes in: the dropped folder's parent, or the
/// folder itself when it is a drive's root.
fn beside(folder: &Path) -> Result<PathBuf, Error> {
    let full = std::path::absolute(folder).map_err(|e| Error::Read {
        path: folder.to_path_buf(),
        source: e,
    })?;
    // `returns/..` or `.` name a folder too: resolve them in the text, as
    // Explorer would show the path.
    let mut clean = PathBuf::new();
    for part in full.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    Ok(match clean.parent() {
        Some(parent) => parent.to_path_buf(),
        None => clean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMANDS: &[&str] = &["build", "check", "help"];

    fn start(args: &[&str]) -> Start {
        let args = std::iter::once("bestvalue")
            .chain(args.iter().copied())
            .map(OsString::from);
        how_started(args, COMMANDS, false)
    }

    #[test]
    fn one_folder_alone_is_dropped() {
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("Returns ŵ 2025");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(
            start(&[folder.to_str().unwrap()]),
            Start::Folder(folder.clone())
        );
        // A file is not a folder; anything more is a command line.
        let file = d.path().join("Review.xlsx");
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(
            start(&[file.to_str().unwrap()]),
            Start::NotAFolder(file.clone())
        );
        assert_eq!(
            start(&[folder.to_str().unwrap(), folder.to_str().unwrap()]),
            Start::Command
        );
        assert_eq!(start(&["build", folder.to_str().unwrap()]), Start::Command);
        assert_eq!(start(&[]), Start::Command);
        assert_eq!(start(&["--help"]), Start::Command);
        assert_eq!(
            start(&[d.path().join("missing").to_str().unwrap()]),
            Start::Command
        );
    }

    #[test]
    fn a_command_name_stays_a_command_even_when_a_folder_has_that_name() {
        let d = tempfile::tempdir().unwrap();
        let name = d.path().to_str().unwrap();
        let args = ["bestvalue", name].map(OsString::from);
        assert_eq!(how_started(args, &[name], false), Start::Command);
    }

    #[test]
    fn no_arguments_in_a_window_of_its_own_is_a_double_click() {
        let args = || [OsString::from("bestvalue")];
        assert_eq!(how_started(args(), COMMANDS, true), Start::Alone);
        assert_eq!(how_started(args(), COMMANDS, false), Start::Command);
    }

    #[test]
    fn the_name_says_the_authority_and_the_date() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 31);
        assert_eq!(
            workbook_name(Some("Eastmoor Borough Council"), d),
            "Eastmoor Borough Council - committee workbook as at 31 October 2025.xlsx"
        );
        assert_eq!(
            workbook_name(None, d),
            "Committee workbook as at 31 October 2025.xlsx"
        );
        assert_eq!(
            workbook_name(Some("Eastmoor Borough Council"), None),
            "Eastmoor Borough Council - committee workbook.xlsx"
        );
        assert_eq!(workbook_name(None, None), "Committee workbook.xlsx");
    }

    #[test]
    fn an_authority_name_windows_cannot_store_is_made_safe() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1);
        assert_eq!(
            workbook_name(Some("Cyngor  Sir: Ynys/Môn?* \"Trust\"."), d),
            "Cyngor Sir Ynys Môn Trust - committee workbook as at 1 March 2026.xlsx"
        );
        assert_eq!(
            workbook_name(Some(" <>|\t "), d),
            "Committee workbook as at 1 March 2026.xlsx"
        );
        let long = "Very ".repeat(40);
        let name = workbook_name(Some(&long), None);
        assert!(name.len() < 120, "{name}");
    }

    #[test]
    fn the_workbook_goes_beside_the_folder() {
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("Returns");
        assert_eq!(beside(&folder).unwrap(), d.path());
        assert_eq!(beside(&folder.join(".")).unwrap(), d.path());
        assert_eq!(
            beside(&folder.join("Actions").join("..")).unwrap(),
            d.path()
        );
        let root = PathBuf::from("/");
        assert_eq!(beside(&root).unwrap(), root);
    }
}
