//! Fatal errors: the run cannot go on. Data problems in officers' returns are
//! not errors in this sense; they are `Problem`s, collected and reported.

use std::path::PathBuf;

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
        "No returns were found in {0}. Give folders or files of .xlsx, .xlsm, .xls or .ods returns."
    )]
    NoInputs(String),

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

    #[error("'{}' already exists. It may be a return an officer has filled in: choose another --out folder, or add --force to replace it.", path.display())]
    OutputExists { path: PathBuf },

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

    #[error("Could not write '{}': {message}", path.display())]
    Write { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),
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
