//! `bestvalue compare`: many authorities side by side.
//!
//! The pipeline (see [`compare_with`]): frameworks and mappings → find the
//! sources (committee workbooks, and folders of returns: each subfolder of a
//! folder given is one authority) → read each (committee workbooks on every
//! core; return folders one authority at a time, each with the usual read and
//! merge) → carry every authority's scores onto the framework compared on →
//! order and, if asked, anonymise → figures → write the sector workbook.
//!
//! Only the final level of each characteristic is kept per authority, so
//! memory follows the number of authorities, not the size of their files.

pub mod committee;
mod rounds;
pub mod stats;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::assess::mapping::{self, Mapping};
use crate::error::Error;
use crate::framework::{Framework, fold};
use crate::progress::Progress;
use crate::read::{self, Discovered, InputFile};

/// Settings for `compare`, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct CompareConfig {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// The framework the sector is compared on (the built-in one if none).
    pub framework: Option<PathBuf>,
    /// Frameworks some authorities' returns were made against; their
    /// scores are carried onto `framework` through the mappings.
    pub other_frameworks: Vec<PathBuf>,
    pub mappings: Vec<PathBuf>,
    /// Label authorities "Authority A", "Authority B"… instead of naming them.
    pub anonymise: bool,
    /// Replace an output that this tool did not write.
    pub force: bool,
}

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

enum Source {
    Workbook(InputFile),
    Folder { display: String, path: PathBuf },
}

pub fn compare(cfg: &CompareConfig) -> Result<CompareOutcome, Error> {
    compare_with(cfg, &Progress::hidden())
}

/// Compares the authorities, reporting each file read to `progress`.
pub fn compare_with(cfg: &CompareConfig, progress: &Progress) -> Result<CompareOutcome, Error> {
    let fw = crate::load_framework(cfg.framework.as_deref())?;
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
    check_output(cfg)?;

    let (sources, mut not_compared) = gather(&cfg.inputs, &cfg.output)?;
    if sources.is_empty() {
        return Err(Error::NoInputs(
            cfg.inputs
                .iter()
                .map(|p| format!("'{}'", p.display()))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    // Find every folder's files first, so progress can show the total.
    let mut workbooks = Vec::new();
    let mut folders: Vec<(String, PathBuf, Discovered)> = Vec::new();
    for s in sources {
        match s {
            Source::Workbook(f) => workbooks.push(f),
            Source::Folder { display, path } => {
                let found = read::discover(std::slice::from_ref(&path), Some(&cfg.output))?;
                if found.files.is_empty() {
                    not_compared.push(NotCompared {
                        source: display,
                        reason: "the folder has no returns in it.".into(),
                    });
                } else {
                    folders.push((display, path, found));
                }
            }
        }
    }
    let total = workbooks.len() + folders.iter().map(|f| f.2.files.len()).sum::<usize>();
    progress.set_total(total);

    let mut raws = Vec::new();
    let read = crate::parallel::map(&workbooks, |_, f| {
        progress.step(&f.display);
        committee::read(&f.path)
    });
    for (f, r) in workbooks.iter().zip(read) {
        match r {
            Ok(c) => raws.push(Raw {
                name: c.authority,
                source: f.display.clone(),
                files: 0,
                version: c.version,
                as_at: c.as_at,
                scores: c.scores,
                notes: Vec::new(),
            }),
            Err(reason) => not_compared.push(NotCompared {
                source: f.display.clone(),
                reason,
            }),
        }
    }
    // Return folders one authority at a time (only its final scores stay),
    // their files streamed across the cores so that no core waits at the
    // end of each folder.
    let files: Vec<&InputFile> = folders.iter().flat_map(|f| &f.2.files).collect();
    let mut folder = 0;
    let mut done: Vec<crate::read::returns::ReadReturn> = Vec::new();
    let mut shapes: Vec<rounds::Shape> = Vec::new();
    crate::parallel::stream(
        &files,
        READ_AHEAD,
        |_, f| {
            progress.step(&f.display);
            crate::read::returns::read_file(f, &fw)
        },
        |_, r| {
            done.push(r);
            // Folders with no files were set aside above, so each result
            // belongs to the current folder, which may now be complete.
            if done.len() == folders[folder].2.files.len() {
                let (display, path, found) = &folders[folder];
                let read = crate::gather_read(std::mem::take(&mut done), found.skipped.clone());
                shapes.push(rounds::Shape {
                    parent: path.parent().map(Path::to_path_buf),
                    display: display.clone(),
                    authority: crate::authority_from(&read.returns),
                    rounds: read.returns.iter().filter_map(|r| r.round).collect(),
                });
                match finish_folder(display, path, found, read, &fw, &others) {
                    Ok(r) => raws.push(r),
                    Err(reason) => not_compared.push(NotCompared {
                        source: display.clone(),
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
    let sector = Sector {
        fw,
        authorities,
        not_compared,
        anonymised: cfg.anonymise,
        files: total,
    };
    if sector.authorities.is_empty() {
        return Ok(CompareOutcome {
            sector,
            written: None,
        });
    }
    crate::write::sector::write(&cfg.output, &sector)?;
    Ok(CompareOutcome {
        sector,
        written: Some(cfg.output.clone()),
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

/// Refuses outputs that would overwrite an input, a workbook open in Excel
/// or a file this tool did not write.
fn check_output(cfg: &CompareConfig) -> Result<(), Error> {
    use crate::write::guard::{Guard, Output};
    Guard::new(cfg.force)
        .sources(&cfg.inputs, "compared", Some(Output::Sector))
        .file(cfg.framework.as_deref(), "the framework file, --framework")
        .files(&cfg.other_frameworks, "a framework file, --framework")
        .files(&cfg.mappings, "a mapping file, --mapping")
        .output(Some(&cfg.output), Output::Sector)
        .check()
}

/// Turns the paths given into sources: a file is a committee workbook; a
/// folder's workbooks are committee workbooks and its subfolders are
/// authorities' return sets.
fn gather(inputs: &[PathBuf], output: &Path) -> Result<(Vec<Source>, Vec<NotCompared>), Error> {
    let out = std::fs::canonicalize(output).ok();
    let is_output = |p: &Path| out.is_some() && std::fs::canonicalize(p).ok() == out;
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let mut sources = Vec::new();
    let mut not_compared = Vec::new();
    for root in inputs {
        let meta =
            std::fs::metadata(root).map_err(|_| Error::MissingInput { path: root.clone() })?;
        if !meta.is_dir() {
            sources.push(Source::Workbook(InputFile {
                display: name_of(root),
                path: root.clone(),
            }));
            continue;
        }
        let entries = std::fs::read_dir(root).map_err(|e| Error::Read {
            path: root.clone(),
            source: e,
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let root_name = name_of(root);
        for p in paths {
            let name = name_of(&p);
            let display = format!("{root_name}/{name}");
            if name.starts_with('.') || is_output(&p) {
                continue;
            }
            if p.is_dir() {
                sources.push(Source::Folder { display, path: p });
            } else if let Some(reason) = read::discover::skip_reason(&name) {
                not_compared.push(NotCompared {
                    source: display,
                    reason: format!("{reason}."),
                });
            } else {
                sources.push(Source::Workbook(InputFile { display, path: p }));
            }
        }
    }
    Ok((sources, not_compared))
}

/// Files read ahead of the authority being merged: enough to keep every
/// core busy, few enough that memory stays small.
const READ_AHEAD: usize = 64;

/// Merges the rounds of one authority's returns (read again against its
/// own framework version when that differs); keeps only the final score of
/// each characteristic.
fn finish_folder(
    display: &str,
    path: &Path,
    found: &Discovered,
    mut read: crate::Read,
    fw: &Framework,
    others: &[Framework],
) -> Result<Raw, String> {
    let files = found.files.len();
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
                read = crate::read_returns(&found.files, found.skipped.clone(), o);
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
    let as_at = crate::as_at_from(&read);
    let entries = std::mem::take(&mut read.entries);
    let mut problems = std::mem::take(&mut read.problems);
    let assessment = crate::assess::merge::merge(entries, reading, &mut problems);
    let mut notes = Vec::new();
    if problems.has_errors() {
        notes.push(format!(
            "{} errors in the returns: run bestvalue build on this folder to see them.",
            problems.errors()
        ));
    }
    let name = crate::authority_from(&read.returns).unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| display.to_string())
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
        source: display.to_string(),
        files,
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
            let level = if label.is_empty()
                || fold(&label) == fold(crate::write::committee::NOT_ASSESSED)
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
