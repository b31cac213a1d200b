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

    #[error("The output '{}' is one of the inputs. Choose another name for the committee workbook so the officers' return is not overwritten.", path.display())]
    OutputIsInput { path: PathBuf },

    #[error("'{}' is open in Excel (its lock file '{}' exists). Close it and run again.", path.display(), lock.display())]
    OutputOpen { path: PathBuf, lock: PathBuf },

    #[error("'{}' already exists and was not written by bestvalue. Choose another name, or add --force to replace it.", path.display())]
    OutputNotOurs { path: PathBuf },

    /// Replacing the output failed because another program (on Windows,
    /// nearly always Excel) holds it open; see `write::in_use`.
    #[error("{}", in_use_message(path, name, *read_only_too))]
    OutputInUse {
        path: PathBuf,
        name: String,
        /// Access denied: a read-only file gives the same error.
        read_only_too: bool,
    },

    #[error("Could not write '{}': {message}", path.display())]
    Write { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),
}

fn in_use_message(path: &std::path::Path, name: &str, read_only_too: bool) -> String {
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
