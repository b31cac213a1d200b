//! Fatal errors: the run cannot go on. Each says what went wrong with which
//! file and what to do about it; `main` prints it and exits with status 2.
//! Data problems in officers' returns are not errors in this sense: they
//! are `Problem`s, collected and reported (see `problems`).

use std::path::{Path, PathBuf};

/// The cause of a failed write, kept for `source()`.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Could not read '{}': {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("The framework file '{origin}' cannot be used:\n{message}")]
    Framework { origin: String, message: String },

    #[error("The mapping file '{origin}' cannot be used:\n{message}")]
    Mapping { origin: String, message: String },

    #[error("'{}' does not exist. Check the spelling of the file or folder.", path.display())]
    MissingInput { path: PathBuf },

    #[error(
        "No returns were found in {}. Give folders or files of .xlsx, .xlsm, .xls or .ods returns.",
        quoted(paths)
    )]
    NoInputs { paths: Vec<PathBuf> },

    #[error("The output '{}' is one of the inputs ({input}). Choose another name for the {what} so the input is not overwritten.", path.display())]
    OutputIsInput {
        path: PathBuf,
        what: &'static str,
        input: String,
    },

    #[error("'{}' is open in Excel or LibreOffice (its lock file '{}' exists). Close it and run again.", path.display(), lock.display())]
    OutputOpen { path: PathBuf, lock: PathBuf },

    #[error("{}", not_ours(path, what, is))]
    OutputNotOurs {
        path: PathBuf,
        what: &'static str,
        /// What of ours it is, when it is another kind of our outputs.
        is: Option<&'static str>,
    },

    #[error("'{}' is given for both {first} and {second}. Give each output its own name.", path.display())]
    OutputTwice {
        path: PathBuf,
        first: &'static str,
        second: &'static str,
    },

    #[error("'{}' does not end in .{ext}, but the {what} is written as {}. Give it a name ending in .{ext}.", path.display(), if *ext == "csv" { "CSV" } else { "an Excel workbook" })]
    OutputExtension {
        path: PathBuf,
        what: &'static str,
        ext: &'static str,
    },

    #[error("'{}' is a folder. Give a file name for the {what}, for example '{}'.", path.display(), path.join(format!("{}.{ext}", what.replace(' ', "-").replace('\'', ""))).display())]
    OutputIsFolder {
        path: PathBuf,
        what: &'static str,
        ext: &'static str,
    },

    #[error("'{}' is a file, but {option} names the folder the {what} are written to. Give the name of a folder (it is made if it does not exist).", path.display())]
    OutputIsFile {
        path: PathBuf,
        what: &'static str,
        option: &'static str,
    },

    #[error("'{}' is not an ordinary file (a device, pipe or socket), so it cannot be replaced by the {what}. Give the name of a file.", path.display())]
    OutputNotAFile { path: PathBuf, what: &'static str },

    #[error("The {what} '{}' is inside {role} '{}', so what is written there would be read as an input next time. Choose a place outside it.", path.display(), folder.display())]
    OutputAmongInputs {
        path: PathBuf,
        what: &'static str,
        folder: PathBuf,
        /// How the folder was given ("the returns folder").
        role: String,
    },

    #[error("'{}' (given as {option}) is the committee workbook of {theirs}, but {ours_from} {ours}. Give {ours}'s own workbook as {option}.", path.display())]
    OtherAuthority {
        path: PathBuf,
        option: &'static str,
        theirs: String,
        ours: String,
        /// "the returns are for", or "--authority names".
        ours_from: &'static str,
    },

    #[error("{}", one_authority(path, authority, folders, rounds))]
    OneAuthority {
        path: PathBuf,
        /// The authority the folders' returns name, when they name one.
        authority: Option<String>,
        folders: String,
        rounds: String,
    },

    /// `build --publish` naming the working copy's own file.
    #[error("'{}' is given both as --out and as --publish. The clerk's copy needs a file of its own: choose another name.", path.display())]
    PublishIsOutput { path: PathBuf },

    /// `build --publish` into a folder of returns.
    #[error("The clerk's copy '{}' would be inside the folder of returns '{}', and the next run would read it as a return. Choose a file outside it.", path.display(), folder.display())]
    PublishAmongReturns { path: PathBuf, folder: PathBuf },

    /// Replacing the output failed because another program (on Windows,
    /// nearly always Excel) holds it open; see `write::in_use`.
    #[error("{}", in_use_message(path, name, *read_only_too))]
    OutputInUse {
        path: PathBuf,
        name: String,
        /// Access denied: a read-only file gives the same error.
        read_only_too: bool,
    },

    #[error("Could not write '{}': {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: Cause,
    },

    /// A file named as a committee workbook (`--previous`, `--previous-year`,
    /// `template --from`) is not one.
    #[error("'{}' cannot be used as {what}: {why}. Give a committee workbook written by bestvalue build.", path.display())]
    NotCommittee {
        path: PathBuf,
        /// "last month's committee workbook", …
        what: String,
        why: String,
    },

    /// Last year's workbook used another framework version, and no mapping
    /// leads from it to this year's.
    #[error("Last year's workbook '{}' was made with framework version {from} and this year's is version {to}. \
Give --mapping with a file that says how the codes changed from {from} to {to} (see templates/mapping-example.toml).", path.display())]
    NoMapping {
        path: PathBuf,
        from: String,
        to: String,
    },

    /// A template to write is already there (it may have been filled in).
    #[error("'{}' already exists. It may be a return an officer has filled in: choose another --out folder, or add --force to replace it.", path.display())]
    TemplateExists { path: PathBuf },

    #[error("\"{round}\" is not a round in {framework}. The rounds are: {rounds}.")]
    UnknownRound {
        round: String,
        framework: String,
        rounds: String,
    },

    #[error(
        "\"{theme}\" is not a theme in {framework}. Give a theme's name, its code letters or its number: {themes}."
    )]
    UnknownTheme {
        theme: String,
        framework: String,
        themes: String,
    },

    /// Two themes or service areas would make templates of the same name.
    #[error("Two templates would both be called '{name}'. Give different names.")]
    SameTemplateName { name: String },

    /// A date on the command line that is not one.
    #[error("{flag} \"{text}\" is not a date. Give it as day/month/year, for example 31/10/2025.")]
    BadDate { flag: String, text: String },

    /// One file given alone, as when a workbook is dropped on the exe: the
    /// program builds from a folder.
    #[error("{}", file_given_alone(path))]
    FileGivenAlone { path: PathBuf },

    /// The generator writes only into an empty or new folder.
    #[error("'{}' is not empty. Generate into a new folder.", dir.display())]
    FolderNotEmpty { dir: PathBuf },

    /// The generator made returns that do not read cleanly (a bug in it).
    #[error("the generated returns for {name} have errors: {problems}")]
    GeneratedErrors { name: String, problems: String },
}

impl Error {
    /// A failed write of `path`, keeping its cause.
    pub fn write(path: &Path, cause: impl Into<Cause>) -> Error {
        Error::Write {
            path: path.to_path_buf(),
            source: cause.into(),
        }
    }
}

fn in_use_message(path: &Path, name: &str, read_only_too: bool) -> String {
    if read_only_too {
        format!(
            "'{}' could not be replaced: Windows denied access. Close {name} in Excel and run again. \
If it is not open anywhere, check that it is not read-only and that you can save in its folder.",
            path.display()
        )
    } else {
        format!(
            "'{}' is open in another program, probably Excel, so it cannot be replaced. \
Close {name} in Excel and run again.",
            path.display()
        )
    }
}

fn file_given_alone(path: &Path) -> String {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| format!("the folder '{}'", p.display()))
        .unwrap_or_else(|| "the folder that holds it".to_string());
    format!(
        "'{}' is a file. Drop a folder of returns on bestvalue (for example {folder}), \
or build from chosen files with: bestvalue build FILE... --out committee.xlsx",
        path.display()
    )
}

/// `'a', 'b'`: paths as messages quote them.
fn quoted(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("'{}'", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn not_ours(path: &std::path::Path, what: &str, is: &Option<&str>) -> String {
    match is {
        Some(is) => format!(
            "'{}' is a {is} written by bestvalue, not a {what}. Choose another name for the {what}, or add --force to replace it.",
            path.display()
        ),
        None => format!(
            "'{}' already exists and was not written by bestvalue. Choose another name for the {what}, or add --force to replace it.",
            path.display()
        ),
    }
}

fn one_authority(
    path: &std::path::Path,
    authority: &Option<String>,
    folders: &str,
    rounds: &str,
) -> String {
    let whose = match authority {
        Some(a) => format!("{a}'s returns"),
        None => "one authority's returns, a round in each".to_string(),
    };
    format!(
        "The folders in '{}' ({folders}) hold {whose}, not one authority each, so there is nothing to compare. \
To build that authority's committee workbook from its rounds ({rounds}), use bestvalue build '{}' --out FILE. \
To compare authorities, give a folder with one subfolder of returns (or one committee workbook) per authority.",
        path.display(),
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message, word for word: they are what the user reads.
    #[test]
    fn messages_say_what_to_do() {
        let p = |s: &str| PathBuf::from(s);
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "not found");
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Read {
                    path: p("a.toml"),
                    source: io(),
                },
                "Could not read 'a.toml': not found",
            ),
            (
                Error::MissingInput { path: p("returns") },
                "'returns' does not exist. Check the spelling of the file or folder.",
            ),
            (
                Error::NoInputs {
                    paths: vec![p("a"), p("b")],
                },
                "No returns were found in 'a', 'b'. Give folders or files of .xlsx, .xlsm, .xls or .ods returns.",
            ),
            (
                Error::write(&p("out.xlsx"), io()),
                "Could not write 'out.xlsx': not found",
            ),
            (
                Error::NotCommittee {
                    path: p("Oct.xlsx"),
                    what: "last month's committee workbook".into(),
                    why: "it has no Cover sheet".into(),
                },
                "'Oct.xlsx' cannot be used as last month's committee workbook: it has no Cover sheet. Give a committee workbook written by bestvalue build.",
            ),
            (
                Error::NoMapping {
                    path: p("2024.xlsx"),
                    from: "2023".into(),
                    to: "2024".into(),
                },
                "Last year's workbook '2024.xlsx' was made with framework version 2023 and this year's is version 2024. Give --mapping with a file that says how the codes changed from 2023 to 2024 (see templates/mapping-example.toml).",
            ),
            (
                Error::OutputAmongInputs {
                    path: p("returns/fb"),
                    what: "feedback folder",
                    folder: p("returns"),
                    role: "the returns folder".into(),
                },
                "The feedback folder 'returns/fb' is inside the returns folder 'returns', so what is written there would be read as an input next time. Choose a place outside it.",
            ),
            (
                Error::OutputIsInput {
                    path: p("returns/a.xlsx"),
                    what: "chase list",
                    input: "inside the returns folder 'returns'".into(),
                },
                "The output 'returns/a.xlsx' is one of the inputs (inside the returns folder 'returns'). Choose another name for the chase list so the input is not overwritten.",
            ),
            (
                Error::OutputNotOurs {
                    path: p("c.xlsx"),
                    what: "chase list",
                    is: Some("committee workbook"),
                },
                "'c.xlsx' is a committee workbook written by bestvalue, not a chase list. Choose another name for the chase list, or add --force to replace it.",
            ),
            (
                Error::OutputIsFolder {
                    path: p("papers"),
                    what: "committee workbook",
                    ext: "xlsx",
                },
                "'papers' is a folder. Give a file name for the committee workbook, for example 'papers/committee-workbook.xlsx'.",
            ),
            (
                Error::OutputExtension {
                    path: p("a.xlsx"),
                    what: "actions CSV",
                    ext: "csv",
                },
                "'a.xlsx' does not end in .csv, but the actions CSV is written as CSV. Give it a name ending in .csv.",
            ),
            (
                Error::TemplateExists {
                    path: p("t/Review.xlsx"),
                },
                "'t/Review.xlsx' already exists. It may be a return an officer has filled in: choose another --out folder, or add --force to replace it.",
            ),
            (
                Error::UnknownRound {
                    round: "Peer".into(),
                    framework: "F".into(),
                    rounds: "Draft, Final".into(),
                },
                "\"Peer\" is not a round in F. The rounds are: Draft, Final.",
            ),
            (
                Error::UnknownTheme {
                    theme: "Housing".into(),
                    framework: "F".into(),
                    themes: "Vision".into(),
                },
                "\"Housing\" is not a theme in F. Give a theme's name, its code letters or its number: Vision.",
            ),
            (
                Error::SameTemplateName {
                    name: "A.xlsx".into(),
                },
                "Two templates would both be called 'A.xlsx'. Give different names.",
            ),
            (
                Error::BadDate {
                    flag: "--as-at".into(),
                    text: "soon".into(),
                },
                "--as-at \"soon\" is not a date. Give it as day/month/year, for example 31/10/2025.",
            ),
            (
                Error::OutputInUse {
                    path: p("out/Committee.xlsx"),
                    name: "Committee.xlsx".into(),
                    read_only_too: false,
                },
                "'out/Committee.xlsx' is open in another program, probably Excel, so it cannot be replaced. Close Committee.xlsx in Excel and run again.",
            ),
            (
                Error::OutputInUse {
                    path: p("out/Committee.xlsx"),
                    name: "Committee.xlsx".into(),
                    read_only_too: true,
                },
                "'out/Committee.xlsx' could not be replaced: Windows denied access. Close Committee.xlsx in Excel and run again. If it is not open anywhere, check that it is not read-only and that you can save in its folder.",
            ),
            (
                Error::FileGivenAlone {
                    path: p("returns/Review.xlsx"),
                },
                "'returns/Review.xlsx' is a file. Drop a folder of returns on bestvalue (for example the folder 'returns'), or build from chosen files with: bestvalue build FILE... --out committee.xlsx",
            ),
            (
                Error::FileGivenAlone {
                    path: p("Review.xlsx"),
                },
                "'Review.xlsx' is a file. Drop a folder of returns on bestvalue (for example the folder that holds it), or build from chosen files with: bestvalue build FILE... --out committee.xlsx",
            ),
            (
                Error::FolderNotEmpty { dir: p("gen") },
                "'gen' is not empty. Generate into a new folder.",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
        let e = Error::write(&p("out.xlsx"), io());
        assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
    }
}
