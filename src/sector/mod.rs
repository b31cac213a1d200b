//! `bestvalue compare`: many authorities side by side.
//!
//! The stages (see `crate::compare`, which writes the result): frameworks
//! and mappings ([`Setup::load`]) → find the sources in one walk of each
//! folder given (committee workbooks, and folders of returns: each
//! subfolder is one authority) → read each (committee workbooks on every
//! core through the committee reader; return folders one authority at a
//! time, each through the usual read and merge) → carry every authority's
//! scores onto the framework compared on → order and, if asked, anonymise
//! → figures ([`stats`]).
//!
//! Only the final level of each characteristic is kept per authority, so
//! memory follows the number of authorities, not the size of their files.

mod place;
mod rounds;
mod sources;
pub mod stats;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::assess::mapping::Mapping;
use crate::committee::read::read_scores;
use crate::config::CompareConfig;
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::progress::Progress;
use crate::read::{self, InputFile};
use place::{check_mappings, place};
use sources::{Folder, gather};

/// One authority as compared.
#[derive(Debug, Clone)]
pub struct Authority {
    /// As its workbook or returns name it.
    pub name: String,
    /// As the sector workbook shows it: the name, or "Authority A".
    pub shown: String,
    /// The file or folder it came from.
    pub source: String,
    /// Return files read (none for a committee workbook).
    pub files: usize,
    pub version: String,
    pub as_at: Option<NaiveDate>,
    /// Final level per characteristic of the framework compared on.
    pub levels: Vec<Option<usize>>,
    /// Things the reader should know (mapping used, errors in the returns).
    pub notes: Vec<String>,
}

/// A source that was not compared, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotCompared {
    pub source: String,
    pub reason: String,
}

/// The sector, ready to write.
#[derive(Debug, Clone)]
pub struct Sector {
    pub fw: Framework,
    /// Sorted by name (then source).
    pub authorities: Vec<Authority>,
    pub not_compared: Vec<NotCompared>,
    pub anonymised: bool,
    /// Files opened: committee workbooks and return files.
    pub files: usize,
}

/// What a compare run found, whether or not a workbook was written.
pub struct CompareOutcome {
    pub sector: Sector,
    pub written: Option<PathBuf>,
}

/// One authority's scores as its source gives them, before mapping.
struct Raw {
    name: String,
    source: String,
    files: usize,
    version: String,
    as_at: Option<NaiveDate>,
    /// (code, score label) in the source's own framework.
    scores: Vec<(String, String)>,
    notes: Vec<String>,
}

/// The frameworks and mappings a comparison needs, loaded and checked
/// before any source is read.
pub struct Setup {
    fw: Framework,
    others: Vec<Framework>,
    maps: Vec<Mapping>,
}

impl Setup {
    pub fn load(cfg: &CompareConfig) -> Result<Setup, Error> {
        let fw = Framework::load_or_default(cfg.framework.as_deref())?;
        let others = cfg
            .other_frameworks
            .iter()
            .map(|p| Framework::load(p))
            .collect::<Result<Vec<_>, _>>()?;
        let maps = cfg
            .mappings
            .iter()
            .map(|p| Mapping::load(p))
            .collect::<Result<Vec<_>, _>>()?;
        check_mappings(&maps, &fw, &others)?;
        Ok(Setup { fw, others, maps })
    }
}

/// Reads every source and places each authority on the framework compared
/// on, reporting each file read to `progress`.
pub fn compare(setup: Setup, cfg: &CompareConfig, progress: &Progress) -> Result<Sector, Error> {
    let Setup { fw, others, maps } = setup;
    let (workbooks, folders, mut not_compared) = gather(&cfg.inputs, &cfg.output)?;
    if workbooks.is_empty() && folders.is_empty() {
        return Err(Error::NoInputs {
            paths: cfg.inputs.clone(),
        });
    }
    let (folders, empty): (Vec<Folder>, Vec<Folder>) =
        folders.into_iter().partition(|f| !f.files.is_empty());
    for f in empty {
        not_compared.push(NotCompared {
            source: f.display,
            reason: "the folder has no returns in it.".into(),
        });
    }
    let total = workbooks.len() + folders.iter().map(|f| f.files.len()).sum::<usize>();
    progress.set_total(total);

    let mut raws = Vec::new();
    let read = crate::parallel::map(&workbooks, |_, f| {
        progress.step(&f.display);
        read_scores(&f.path)
    });
    for (f, r) in workbooks.iter().zip(read) {
        match r {
            Ok(c) => raws.push(Raw {
                scores: c.scores(),
                name: c.authority.unwrap_or_default(),
                source: f.display.clone(),
                files: 0,
                version: c.framework_version.unwrap_or_default(),
                as_at: c.as_at,
                notes: Vec::new(),
            }),
            Err(why) => not_compared.push(NotCompared {
                source: f.display.clone(),
                reason: why.reason(),
            }),
        }
    }
    // Return folders one authority at a time (only its final scores stay),
    // their files streamed across the cores so that no core waits at the
    // end of each folder.
    let files: Vec<&InputFile> = folders.iter().flat_map(|f| &f.files).collect();
    let mut folder = 0;
    let mut done: Vec<read::returns::ReadReturn> = Vec::new();
    let mut shapes: Vec<rounds::Shape> = Vec::new();
    crate::parallel::stream(
        &files,
        READ_AHEAD,
        |_, f| {
            progress.step(&f.display);
            read::returns::read_file(f, &fw)
        },
        |_, r| {
            done.push(r);
            // Empty folders were set aside above, so each result belongs
            // to the current folder, which may now be complete.
            let f = &folders[folder];
            if done.len() == f.files.len() {
                let read =
                    crate::assess::gather(&f.files, std::mem::take(&mut done), f.skipped.clone());
                shapes.push(rounds::Shape {
                    parent: f.path.parent().map(Path::to_path_buf),
                    display: f.display.clone(),
                    authority: crate::assess::authority_from(&read.returns),
                    rounds: read.returns.iter().filter_map(|r| r.round).collect(),
                });
                match finish_folder(f, read, &fw, &others) {
                    Ok(r) => raws.push(r),
                    Err(reason) => not_compared.push(NotCompared {
                        source: f.display.clone(),
                        reason,
                    }),
                }
                folder += 1;
            }
        },
    );
    progress.finish();
    rounds::one_authority_by_round(&shapes, &fw)?;

    let mut authorities = Vec::new();
    for raw in raws {
        let source = raw.source.clone();
        match place(raw, &fw, &maps) {
            Ok(a) => authorities.push(a),
            Err(reason) => not_compared.push(NotCompared { source, reason }),
        }
    }
    authorities.sort_by(|a, b| (&a.name, &a.source).cmp(&(&b.name, &b.source)));
    for (i, a) in authorities.iter_mut().enumerate() {
        a.shown = if cfg.anonymise {
            format!("Authority {}", letters(i))
        } else {
            a.name.clone()
        };
    }
    for i in 1..authorities.len() {
        if fold(&authorities[i].name) == fold(&authorities[i - 1].name) {
            for j in [i - 1, i] {
                let note = "Another source names the same authority.".to_string();
                if !authorities[j].notes.contains(&note) {
                    authorities[j].notes.push(note);
                }
            }
        }
    }
    not_compared.sort();
    Ok(Sector {
        fw,
        authorities,
        not_compared,
        anonymised: cfg.anonymise,
        files: total,
    })
}

/// "A", "B", … "Z", "AA", "AB" … (as spreadsheet columns are named).
pub fn letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Files read ahead of the authority being merged: enough to keep every
/// core busy, few enough that memory stays small.
const READ_AHEAD: usize = 64;

/// Merges the rounds of one authority's returns (read again against its
/// own framework version when that differs); keeps only the final score of
/// each characteristic.
fn finish_folder(
    folder: &Folder,
    mut read: crate::assess::Read,
    fw: &Framework,
    others: &[Framework],
) -> Result<Raw, String> {
    let version = most_common(
        read.returns
            .iter()
            .filter_map(|r| r.framework_version.clone()),
    );
    let mut reading = fw;
    if let Some(v) = &version
        && fold(v) != fold(&fw.version)
    {
        match others.iter().find(|o| fold(&o.version) == fold(v)) {
            Some(o) => {
                reading = o;
                read = crate::assess::read_returns(&folder.files, folder.skipped.clone(), o);
            }
            None => {
                return Err(format!(
                    "The returns were made against framework version {v}. Give that framework with a second --framework, and a mapping from {v} to {} with --mapping.",
                    fw.version
                ));
            }
        }
    }
    if read.entries.is_empty() {
        return Err("No assessment scores were found in the returns.".into());
    }
    let as_at = crate::assess::as_at_from(&read);
    let assessment = crate::assess::merge_read(&mut read, &[], reading);
    let mut notes = Vec::new();
    if read.problems.has_errors() {
        notes.push(format!(
            "{} errors in the returns: run bestvalue build on this folder to see them.",
            read.problems.errors()
        ));
    }
    let name = crate::assess::authority_from(&read.returns).unwrap_or_else(|| {
        folder
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| folder.display.clone())
    });
    let scores = reading
        .characteristics
        .iter()
        .enumerate()
        .map(|(c, ch)| {
            let label = assessment
                .level(c)
                .map(|l| reading.scale[l].label.clone())
                .unwrap_or_default();
            (ch.code.clone(), label)
        })
        .collect();
    Ok(Raw {
        name,
        source: folder.display.clone(),
        files: folder.files.len(),
        version: version.unwrap_or_else(|| reading.version.clone()),
        as_at,
        scores,
        notes,
    })
}

fn most_common(items: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_run_like_spreadsheet_columns() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(26 + 26 * 26), "AAA");
    }
}
