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

pub mod stats;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::assess::mapping::{self, Mapping};
use crate::committee::read::read_scores;
use crate::config::CompareConfig;
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::progress::Progress;
use crate::read::{self, InputFile, Skipped};

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

/// An authority's folder of returns.
struct Folder {
    /// As messages name it: "returns/Northshire".
    display: String,
    path: PathBuf,
    /// Its returns, named from inside the folder.
    files: Vec<InputFile>,
    skipped: Vec<Skipped>,
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

/// A mapping that leads to the framework compared on must only name codes
/// it has: a wrong code there would silently drop scores.
fn check_mappings(maps: &[Mapping], fw: &Framework, others: &[Framework]) -> Result<(), Error> {
    for m in maps {
        let to = if fold(&m.to) == fold(&fw.version) {
            Some(fw)
        } else {
            others.iter().find(|o| fold(&o.version) == fold(&m.to))
        };
        let from = others
            .iter()
            .chain(std::iter::once(fw))
            .find(|o| fold(&o.version) == fold(&m.from));
        if let Some(to) = to {
            let found = m.check(from, to);
            if !found.is_empty() {
                return Err(Error::Mapping {
                    origin: m.origin.clone(),
                    message: found.join("\n"),
                });
            }
        }
    }
    Ok(())
}

/// Turns the paths given into sources, in one walk of each folder (the
/// same walk `build` makes): a file is a committee workbook; a folder's own
/// workbooks are committee workbooks and each of its subfolders holds one
/// authority's returns.
type Sources = (Vec<InputFile>, Vec<Folder>, Vec<NotCompared>);

fn gather(inputs: &[PathBuf], output: &Path) -> Result<Sources, Error> {
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

/// Carries one authority's scores onto the framework compared on.
fn place(raw: Raw, fw: &Framework, maps: &[Mapping]) -> Result<Authority, String> {
    let version = if raw.version.is_empty() {
        fw.version.clone()
    } else {
        raw.version.clone()
    };
    let Some(chain) = mapping::route(maps, &version, &fw.version) else {
        return Err(format!(
            "It was assessed against framework version {version}, and no mapping from {version} to {} was given (--mapping).",
            fw.version
        ));
    };
    let mut notes = raw.notes;
    let mut unknown_scores = Vec::new();
    let scores: Vec<(String, Option<usize>)> = raw
        .scores
        .into_iter()
        .map(|(code, label)| {
            let level = if label.is_empty() || fold(&label) == fold(crate::committee::NOT_ASSESSED)
            {
                None
            } else {
                let l = fw.find_score(&label);
                if l.is_none() {
                    unknown_scores.push(format!("{code} ({label})"));
                }
                l
            };
            (code, level)
        })
        .collect();
    if !unknown_scores.is_empty() {
        notes.push(format!(
            "Scores not on the scale, left out: {}.",
            unknown_scores.join(", ")
        ));
    }
    let carried = mapping::carry(&scores, &chain, &fw.scale);
    if !chain.is_empty() {
        notes.push(format!(
            "Assessed against version {version}; scores carried onto version {} with {}.",
            fw.version,
            chain
                .iter()
                .map(|m| file_name(&m.origin))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !carried.retired.is_empty() {
        notes.push(format!(
            "Retired in the mapping, not compared: {}.",
            carried.retired.join(", ")
        ));
    }
    let mut levels = vec![None; fw.characteristics.len()];
    let mut unknown_codes = Vec::new();
    for (code, level) in carried.scores {
        match fw.find_code(&code) {
            Some(c) => levels[c] = level,
            None => unknown_codes.push(code),
        }
    }
    if !unknown_codes.is_empty() {
        notes.push(format!(
            "Codes not in {} (version {}), left out: {}.",
            fw.name,
            fw.version,
            unknown_codes.join(", ")
        ));
    }
    Ok(Authority {
        name: raw.name,
        shown: String::new(),
        source: raw.source,
        files: raw.files,
        version,
        as_at: raw.as_at,
        levels,
        notes,
    })
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
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

    #[test]
    fn scores_on_another_version_are_carried_or_refused() {
        let fw = Framework::default_framework();
        let raw = |version: &str| Raw {
            name: "X".into(),
            source: "x.xlsx".into(),
            files: 0,
            version: version.into(),
            as_at: None,
            scores: vec![
                ("CI1".into(), "Amber".into()),
                ("OLD1".into(), "Light green".into()),
                ("L0010".into(), "Not assessed".into()),
            ],
            notes: Vec::new(),
        };
        let e = place(raw("2023"), &fw, &[]).unwrap_err();
        assert!(e.contains("no mapping from 2023 to 2024"), "{e}");
        let m = Mapping::parse(
            "from = \"2023\"\nto = \"2024\"\n[[renumbered]]\nfrom = \"OLD1\"\nto = \"CI002\"\n",
            "dir/m.toml",
        )
        .unwrap();
        let a = place(raw("2023"), &fw, &[m]).unwrap();
        assert_eq!(a.levels[0], Some(3));
        assert_eq!(a.levels[1], Some(1));
        assert!(a.levels[2..].iter().all(Option::is_none));
        assert!(
            a.notes[0].contains("carried onto version 2024 with m.toml"),
            "{:?}",
            a.notes
        );
    }
}
