//! Turns the paths on the command line into a sorted list of workbook files,
//! setting aside lock files and anything that is not a spreadsheet.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A workbook to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// How the file is named in messages: its path relative to the folder
    /// given on the command line, or its file name when given directly.
    pub display: String,
    pub path: PathBuf,
}

/// A file that was found but not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
    /// Every folder searched below the ones given, named as files are
    /// (`compare` treats each top-level one as an authority's returns).
    pub folders: Vec<String>,
}

const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// Why a file name is not read, if it is not.
pub fn skip_reason(name: &str) -> Option<&'static str> {
    if name.starts_with("~$") {
        return Some("an Excel lock file (the workbook was open when the folder was copied)");
    }
    if name.starts_with(".~lock.") {
        return Some("a LibreOffice lock file (the workbook was open when the folder was copied)");
    }
    if name.starts_with('.') {
        return Some("a hidden system file");
    }
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        return Some("not a spreadsheet (returns are .xlsx, .xlsm, .xls or .ods)");
    }
    None
}

/// Finds every workbook under `paths` (folders are searched recursively).
/// `exclude` (the output being written) is never treated as an input.
/// The result is sorted by path so that the order given on the command line
/// never changes the output.
pub fn discover(paths: &[PathBuf], exclude: Option<&Path>) -> Result<Discovered, Error> {
    let exclude = exclude.and_then(|p| std::fs::canonicalize(p).ok());
    // Keyed by canonical path so a file reached twice is read once.
    let mut files: BTreeMap<PathBuf, InputFile> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut folders = Vec::new();
    for root in paths {
        let meta =
            std::fs::metadata(root).map_err(|_| Error::MissingInput { path: root.clone() })?;
        if meta.is_dir() {
            walk(
                root,
                root,
                &mut files,
                &mut skipped,
                &mut folders,
                exclude.as_deref(),
            )?;
        } else {
            let name = file_name(root);
            consider(
                root,
                name.clone(),
                &mut files,
                &mut skipped,
                exclude.as_deref(),
            );
        }
    }
    skipped.sort();
    skipped.dedup();
    Ok(Discovered {
        files: files.into_values().collect(),
        skipped,
        folders,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn consider(
    path: &Path,
    display: String,
    files: &mut BTreeMap<PathBuf, InputFile>,
    skipped: &mut Vec<Skipped>,
    exclude: Option<&Path>,
) {
    if let Some(reason) = skip_reason(&file_name(path)) {
        skipped.push(Skipped {
            display,
            reason: reason.to_string(),
        });
        return;
    }
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if Some(canonical.as_path()) == exclude {
        return;
    }
    files.entry(canonical).or_insert(InputFile {
        display,
        path: path.to_path_buf(),
    });
}

fn walk(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<PathBuf, InputFile>,
    skipped: &mut Vec<Skipped>,
    folders: &mut Vec<String>,
    exclude: Option<&Path>,
) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Read {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let display = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        if p.is_dir() {
            if !file_name(&p).starts_with('.') {
                folders.push(display);
                walk(root, &p, files, skipped, folders, exclude)?;
            }
        } else {
            consider(&p, display, files, skipped, exclude);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_other_files_are_skipped() {
        assert!(skip_reason("~$Review.xlsx").unwrap().contains("Excel lock"));
        assert!(
            skip_reason(".~lock.Review.xlsx#")
                .unwrap()
                .contains("LibreOffice lock")
        );
        assert!(
            skip_reason("notes.docx")
                .unwrap()
                .contains("not a spreadsheet")
        );
        assert!(skip_reason("Review.XLSX").is_none());
        assert!(skip_reason("Review.ods").is_none());
    }
}
