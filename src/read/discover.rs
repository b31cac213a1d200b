//! Turns the paths on the command line into a sorted list of workbook files,
//! setting aside lock files and anything that is not a spreadsheet.
//!
//! The folders given are searched with their subfolders, but a search never
//! hangs and never wanders: each folder is searched once (a link back to a
//! folder already searched, `l1 -> .`, is not followed again), a link to a
//! folder outside the folders given (`l2 -> ..`, a link to `/`) is not
//! followed, and anything that is not an ordinary file (a pipe, a device) is
//! listed as not read without being opened. A folder that cannot be opened
//! is listed and the rest are searched.
//!
//! Every file keeps its own name in messages ([`InputFile::display`]): names
//! are unique, and printable (control characters and bytes that are not
//! UTF-8 are shown escaped), so two returns never share one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// A workbook to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// How the file is named in messages: its path relative to the folder
    /// given on the command line, or its file name when given directly;
    /// with more of its path when that alone would name two files. Unique
    /// within a run, and printable.
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

/// Folders searched below the one given, at most. Returns sit a few
/// folders down; this only stops a search that would go on for ever.
pub const MAX_DEPTH: usize = 32;

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
    let mut w = Walk {
        exclude: exclude.and_then(|p| std::fs::canonicalize(p).ok()),
        ..Walk::default()
    };
    let mut metas = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::MissingInput { path: root.clone() },
            _ => Error::Read {
                path: root.clone(),
                source: e,
            },
        })?;
        // Every folder given is known before any is searched, so that a
        // link from one into another is followed.
        if meta.is_dir() {
            w.roots
                .push(std::fs::canonicalize(root).map_err(|e| Error::Read {
                    path: root.clone(),
                    source: e,
                })?);
        }
        metas.push(meta);
    }
    for (root, meta) in paths.iter().zip(metas) {
        if meta.is_dir() {
            w.folder(root, root, 0)?;
        } else {
            let name = root
                .file_name()
                .map(printable_name)
                .unwrap_or_else(|| printable(&root.to_string_lossy()));
            w.consider(root, name, &meta);
        }
    }
    // Links to folders last, so that a folder is named by its own path
    // rather than by a link's.
    while !w.links.is_empty() {
        let (root, link, depth) = w.links.remove(0);
        w.folder(&root, &link, depth)?;
    }
    let mut files: Vec<InputFile> = w.files.into_values().collect();
    make_unique(&mut files);
    w.skipped.sort();
    w.skipped.dedup();
    Ok(Discovered {
        files,
        skipped: w.skipped,
        folders: w.folders,
    })
}

#[derive(Default)]
struct Walk {
    exclude: Option<PathBuf>,
    /// The folders given, resolved: links are followed only within them.
    roots: Vec<PathBuf>,
    /// Folders searched so far, resolved.
    visited: HashSet<PathBuf>,
    /// Links to folders inside the folders given, searched after the
    /// folders themselves: (folder given, link, depth).
    links: Vec<(PathBuf, PathBuf, usize)>,
    /// Keyed by resolved path, so a file reached twice is read once.
    files: BTreeMap<PathBuf, InputFile>,
    /// Folders searched below the ones given, as named in messages.
    folders: Vec<String>,
    skipped: Vec<Skipped>,
}

impl Walk {
    fn skip(&mut self, display: String, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            display,
            reason: reason.into(),
        });
    }

    fn consider(&mut self, path: &Path, display: String, meta: &std::fs::Metadata) {
        let name = path.file_name().map(OsStr::to_string_lossy);
        if let Some(reason) = skip_reason(name.as_deref().unwrap_or_default()) {
            self.skip(display, reason);
            return;
        }
        if let Some(what) = crate::files::not_a_file(meta) {
            self.skip(display, format!("{what}, so it was not opened"));
            return;
        }
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if Some(&canonical) == self.exclude.as_ref() {
            return;
        }
        self.files.entry(canonical).or_insert(InputFile {
            display,
            path: path.to_path_buf(),
        });
    }

    /// Searches one folder. Only a folder given on the command line that
    /// cannot be opened stops the run; any other is listed as not read.
    fn folder(&mut self, root: &Path, dir: &Path, depth: usize) -> Result<(), Error> {
        let display = relative(root, dir);
        let fail = |e: io::Error| Error::Read {
            path: dir.to_path_buf(),
            source: e,
        };
        let canonical = match std::fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) if depth == 0 => return Err(fail(e)),
            Err(e) => {
                self.skip(format!("{display}/"), folder_failure(&e));
                return Ok(());
            }
        };
        if !self.visited.insert(canonical) {
            if depth > 0 {
                self.skip(
                    format!("{display}/"),
                    "the same folder as one already searched (through a link), so it was not searched again",
                );
            }
            return Ok(());
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if depth == 0 => return Err(fail(e)),
            Err(e) => {
                self.skip(format!("{display}/"), folder_failure(&e));
                return Ok(());
            }
        };
        if depth > 0 {
            self.folders.push(display.clone());
        }
        let mut paths: Vec<(PathBuf, bool)> = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => {
                    let link = e.file_type().is_ok_and(|t| t.is_symlink());
                    paths.push((e.path(), link));
                }
                Err(e) => {
                    self.skip(format!("{display}/"), folder_failure(&e));
                    break;
                }
            }
        }
        paths.sort();
        for (p, link) in paths {
            let display = relative(root, &p);
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    let reason = if link && e.kind() == io::ErrorKind::NotFound {
                        "a link to something that no longer exists".to_string()
                    } else if link && is_loop(&e) {
                        "a link that leads back to itself".to_string()
                    } else {
                        entry_failure(&e)
                    };
                    self.skip(display, reason);
                    continue;
                }
            };
            if !meta.is_dir() {
                self.consider(&p, display, &meta);
                continue;
            }
            if p.file_name()
                .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
            {
                continue; // a hidden folder (.git, .Trash)
            }
            if depth + 1 > MAX_DEPTH {
                self.skip(
                    format!("{display}/"),
                    format!(
                        "a folder more than {MAX_DEPTH} folders deep, so it was not searched. Move the returns to a shallower folder"
                    ),
                );
                continue;
            }
            if !link {
                self.folder(root, &p, depth + 1)?;
                continue;
            }
            let inside = std::fs::canonicalize(&p)
                .is_ok_and(|c| self.roots.iter().any(|r| c.starts_with(r)));
            if inside {
                self.links.push((root.to_path_buf(), p, depth + 1));
            } else {
                self.skip(
                    format!("{display}/"),
                    "a link to a folder outside the folders given, so it was not followed",
                );
            }
        }
        Ok(())
    }
}

/// Why a folder could not be searched, in words.
fn folder_failure(e: &io::Error) -> String {
    if is_too_long(e) {
        return "a folder nested so deeply that its path is longer than the system allows, so its files were not read. Move the returns to a shallower folder".into();
    }
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "a folder you do not have permission to open, so its files were not read".into()
        }
        _ => format!("a folder that could not be opened ({e}), so its files were not read"),
    }
}

/// Why an entry of a folder could not be looked at, in words.
fn entry_failure(e: &io::Error) -> String {
    if is_too_long(e) {
        return "its path is longer than the system allows, so it was not read. Move the returns to a shallower folder".into();
    }
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "you do not have permission to open it, so it was not read".into()
        }
        _ => format!("it could not be looked at ({e}), so it was not read"),
    }
}

fn is_too_long(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::InvalidFilename {
        return true;
    }
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ENAMETOOLONG) {
        return true;
    }
    // Windows: ERROR_FILENAME_EXCED_RANGE.
    cfg!(windows) && e.raw_os_error() == Some(206)
}

fn is_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return true;
    }
    // Windows: ERROR_CANT_RESOLVE_FILENAME.
    cfg!(windows) && e.raw_os_error() == Some(1921)
}

/// `sub/Return.xlsx`: a path below the folder given, for messages.
fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = rel
        .components()
        .map(|c| printable_name(c.as_os_str()))
        .collect();
    if parts.is_empty() {
        printable_name(root.as_os_str())
    } else {
        parts.join("/")
    }
}

/// A file or folder name as it can be printed: bytes that are not UTF-8
/// shown as `\xFF`, control characters (which would move the cursor, clear
/// the screen or start a new line on a terminal) and direction overrides
/// (which would reorder what is shown) escaped.
pub fn printable_name(name: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&printable(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        printable(&name.to_string_lossy())
    }
}

/// Text with control characters and direction overrides escaped.
pub fn printable(s: &str) -> String {
    crate::text::escaped(s, &[]).into_owned()
}

/// Gives files that would share a name more of their path, from the
/// folder they are in upwards (`a/Return.xlsx`, `b/Return.xlsx`), and a
/// number when even that does not tell them apart.
fn make_unique(files: &mut [InputFile]) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        groups.entry(f.display.clone()).or_default().push(i);
    }
    for (_, group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
        let full: Vec<Vec<String>> = group.iter().map(|&i| full_name(&files[i].path)).collect();
        let longest = full.iter().map(Vec::len).max().unwrap_or(1);
        let shown = |k: usize, parts: &[String]| parts[parts.len().saturating_sub(k)..].join("/");
        let k = (2..=longest)
            .find(|&k| {
                let names: HashSet<String> = full.iter().map(|p| shown(k, p)).collect();
                names.len() == group.len()
            })
            .unwrap_or(longest);
        for (&i, parts) in group.iter().zip(&full) {
            files[i].display = shown(k, parts);
        }
    }
    // Anything still shared (or now shared with another file's name) gets
    // a number, in the files' sorted order.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in files.iter() {
        *seen.entry(f.display.clone()).or_default() += 1;
    }
    let mut n: HashMap<String, usize> = HashMap::new();
    for f in files.iter_mut() {
        if seen[&f.display] > 1 {
            let k = n.entry(f.display.clone()).or_default();
            *k += 1;
            if *k > 1 {
                f.display = format!("{} ({k})", f.display);
            }
        }
    }
}

/// A file's folders and name, from the top, printable: the folder
/// resolved (so `.` and `..` are named), the file's own name as found.
fn full_name(path: &Path) -> Vec<String> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    folder
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(printable_name(n)),
            _ => None,
        })
        .chain(path.file_name().map(printable_name))
        .collect()
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

    #[test]
    fn names_are_printable() {
        assert_eq!(printable("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\nc");
        assert_eq!(printable("Résumé 👩🏽‍💻"), "Résumé 👩🏽‍💻");
        assert_eq!(printable("x\u{202E}xslx.exe"), "x\\u{202e}xslx.exe");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let n = OsStr::from_bytes(b"Return\xFF.xlsx");
            assert_eq!(printable_name(n), "Return\\xFF.xlsx");
        }
    }
}
