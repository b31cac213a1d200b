//! An output another program holds open. On Windows, Excel locks a workbook
//! it has open: replacing the file then fails, and the operating system's
//! own words ("The process cannot access the file because it is being used
//! by another process. (os error 32)") do not tell an officer what to do. This
//! turns those failures into "close NAME in Excel and run again".
//!
//! The decision is a plain function of the error code, so it is tested on
//! every platform; the operating system is a parameter because the same
//! numbers mean other things elsewhere (32 is a broken pipe on Linux).

use std::io;
use std::path::Path;

use crate::error::Error;

/// Whose error codes an [`io::Error`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Windows,
    Other,
}

impl Os {
    /// The system this program runs on.
    pub const HERE: Os = if cfg!(windows) {
        Os::Windows
    } else {
        Os::Other
    };
}

/// Windows: another process has the file open without sharing it.
const ERROR_SHARING_VIOLATION: i32 = 32;
/// Windows: another process has locked a part of the file.
const ERROR_LOCK_VIOLATION: i32 = 33;
/// Windows: renaming over a file that is open elsewhere is refused with
/// access denied, as is renaming over a read-only file.
const ERROR_ACCESS_DENIED: i32 = 5;

/// How sure we are that another program holds the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InUse {
    /// The error says so.
    Yes,
    /// Access denied when replacing an existing file: usually because it is
    /// open, but a read-only file gives the same error.
    Probably,
}

/// Whether `err`, raised while replacing `path` (which existed when
/// `existed`), means another program has the file open.
pub fn in_use(err: &io::Error, os: Os, existed: bool) -> Option<InUse> {
    if os != Os::Windows {
        return None;
    }
    match err.raw_os_error()? {
        ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION => Some(InUse::Yes),
        ERROR_ACCESS_DENIED if existed => Some(InUse::Probably),
        _ => None,
    }
}

/// The error to report when writing `path` failed with `err`: "close NAME
/// in Excel" when another program holds the file, else the system's words.
pub fn write_error(path: &Path, err: io::Error, os: Os, existed: bool) -> Error {
    match in_use(&err, os, existed) {
        Some(sure) => Error::OutputInUse {
            path: path.to_path_buf(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            read_only_too: sure == InUse::Probably,
        },
        None => Error::write(path, err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os_error(code: i32) -> io::Error {
        io::Error::from_raw_os_error(code)
    }

    fn message(code: i32, os: Os, existed: bool) -> String {
        let path = Path::new("Reports").join("Committee November.xlsx");
        write_error(&path, os_error(code), os, existed).to_string()
    }

    #[test]
    fn a_sharing_or_lock_violation_on_windows_says_close_it_in_excel() {
        for code in [ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION] {
            for existed in [true, false] {
                assert_eq!(
                    in_use(&os_error(code), Os::Windows, existed),
                    Some(InUse::Yes)
                );
                let m = message(code, Os::Windows, existed);
                assert!(
                    m.contains("Close Committee November.xlsx in Excel and run again."),
                    "{m}"
                );
                assert!(!m.contains("os error"), "{m}");
                assert!(!m.contains("read-only"), "{m}");
            }
        }
    }

    #[test]
    fn access_denied_over_an_existing_file_is_probably_excel_and_says_what_else_to_check() {
        assert_eq!(
            in_use(&os_error(ERROR_ACCESS_DENIED), Os::Windows, true),
            Some(InUse::Probably)
        );
        let m = message(ERROR_ACCESS_DENIED, Os::Windows, true);
        assert!(
            m.contains("Close Committee November.xlsx in Excel and run again."),
            "{m}"
        );
        assert!(m.contains("read-only"), "{m}");
    }

    #[test]
    fn access_denied_for_a_new_file_is_not_blamed_on_excel() {
        assert_eq!(
            in_use(&os_error(ERROR_ACCESS_DENIED), Os::Windows, false),
            None
        );
        let m = message(ERROR_ACCESS_DENIED, Os::Windows, false);
        assert!(!m.contains("Excel"), "{m}");
        assert!(m.starts_with("Could not write"), "{m}");
    }

    #[test]
    fn the_same_numbers_elsewhere_mean_something_else() {
        // 32 is a broken pipe and 5 an input/output error on Linux.
        for code in [
            ERROR_SHARING_VIOLATION,
            ERROR_LOCK_VIOLATION,
            ERROR_ACCESS_DENIED,
        ] {
            assert_eq!(in_use(&os_error(code), Os::Other, true), None);
            assert!(!message(code, Os::Other, true).contains("Excel"));
        }
    }

    #[test]
    fn errors_without_a_code_and_other_codes_keep_the_systems_words() {
        let plain = io::Error::other("disk full");
        assert_eq!(in_use(&plain, Os::Windows, true), None);
        let m = write_error(Path::new("a.xlsx"), plain, Os::Windows, true).to_string();
        assert_eq!(m, "Could not write 'a.xlsx': disk full");
        // ERROR_DISK_FULL (112) and ERROR_FILE_NOT_FOUND (2) are not "open".
        for code in [112, 2] {
            assert_eq!(in_use(&os_error(code), Os::Windows, true), None);
        }
    }
}
