//! Finding what to compare, in one walk of each folder given (the same
//! walk `build` makes, `read::discover`): a file is a committee workbook; a
//! folder's own workbooks are committee workbooks and each of its
//! subfolders holds one authority's returns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::NotCompared;
use crate::error::Error;
use crate::read::{self, InputFile, Skipped};

/// An authority's folder of returns.
pub(super) struct Folder {
    /// As messages name it: "returns/Northshire".
    pub display: String,
    pub path: PathBuf,
    /// Its returns, named from inside the folder.
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
}

/// Committee workbooks, authorities' folders, and what was set aside.
pub(super) type Sources = (Vec<InputFile>, Vec<Folder>, Vec<NotCompared>);

/// Turns the paths given into sources.
pub(super) fn gather(inputs: &[PathBuf], output: &Path) -> Result<Sources, Error> {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let mut workbooks = Vec::new();
    let mut folders = Vec::new();
    let mut not_compared = Vec::new();
    for root in inputs {
        let meta =
            std::fs::metadata(root).map_err(|_| Error::MissingInput { path: root.clone() })?;
        if !meta.is_dir() {
            workbooks.push(InputFile {
                display: name_of(root),
                path: root.clone(),
            });
            continue;
        }
        let root_name = name_of(root);
        let found = read::discover(std::slice::from_ref(root), Some(output))?;
        // Top-level folder name → its returns, named from inside it.
        let mut by_folder: BTreeMap<String, Folder> = BTreeMap::new();
        for name in found.folders.iter().filter(|f| !f.contains('/')) {
            by_folder.insert(
                name.clone(),
                Folder {
                    display: format!("{root_name}/{name}"),
                    path: root.join(name),
                    files: Vec::new(),
                    skipped: Vec::new(),
                },
            );
        }
        for f in found.files {
            match f.display.split_once('/') {
                Some((top, rest)) => {
                    if let Some(folder) = by_folder.get_mut(top) {
                        folder.files.push(InputFile {
                            display: rest.to_string(),
                            path: f.path,
                        });
                    }
                }
                None => workbooks.push(InputFile {
                    display: format!("{root_name}/{}", f.display),
                    path: f.path,
                }),
            }
        }
        for s in found.skipped {
            match s.display.split_once('/') {
                Some((top, rest)) => {
                    if let Some(folder) = by_folder.get_mut(top) {
                        folder.skipped.push(Skipped {
                            display: rest.to_string(),
                            reason: s.reason,
                        });
                    }
                }
                // Hidden files beside the workbooks are not sources.
                None if s.display.starts_with('.') => {}
                None => not_compared.push(NotCompared {
                    source: format!("{root_name}/{}", s.display),
                    reason: format!("{}.", s.reason),
                }),
            }
        }
        folders.extend(by_folder.into_values());
    }
    Ok((workbooks, folders, not_compared))
}
