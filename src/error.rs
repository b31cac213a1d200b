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

    #[error("The output '{}' is one of the inputs. Choose another name for the output so that no input is overwritten.", path.display())]
    OutputIsInput { path: PathBuf },

    #[error("'{}' is open in Excel (its lock file '{}' exists). Close it and run again.", path.display(), lock.display())]
    OutputOpen { path: PathBuf, lock: PathBuf },

    #[error("'{}' already exists and was not written by bestvalue. Choose another name, or add --force to replace it.", path.display())]
    OutputNotOurs { path: PathBuf },

    #[error("Could not write '{}': {message}", path.display())]
    Write { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),
}
