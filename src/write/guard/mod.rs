//! The output guard: every file the tool writes goes through here. Each
//! command names what it reads and everything it will write ([`Guard`]),
//! and the guard refuses, before any work is done and with a message naming
//! the path, an output that would:
//! - replace an input (a return, a file inside a folder of returns, last
//!   month's or last year's workbook, a framework, mapping or `--from` file);
//! - be another output of the same run (`--actions-csv` the same as `--out`);
//! - replace a workbook open in Excel (`~$NAME`) or LibreOffice
//!   (`.~lock.NAME#`);
//! - replace a file the tool did not write as that kind of output, unless
//!   forced (how each kind is recognised: [`written_as`]);
//! - not be what its name says (`--out x.csv` for a workbook), or be a
//!   folder where a file is wanted and the other way round.
//!
//! Files are written atomically ([`write_atomically`]): to a temporary file
//! beside the target, then renamed into place. Temporary files a killed run
//! left behind are cleared by the next run that writes to the same folder.

mod atomic;
mod ours;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::{BuildConfig, CompareConfig};
use crate::error::Error;
pub use atomic::write_atomically;
pub use ours::{CHASE_MARK, TEMPLATE_MARK, written_as};

/// What an output is: decides its extension, how an earlier copy is
/// recognised as ours, and how messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `build --out`.
    Committee,
    /// The clerk's copy for publication (`build --publish`).
    ClerksCopy,
    /// `compare --out`.
    Sector,
    /// `check --chase`.
    Chase,
    /// `build --actions-csv`.
    ActionsCsv,
    /// `check --feedback`: the folder.
    FeedbackFolder,
    /// One feedback workbook inside it.
    Feedback,
    /// `template --out`: the folder.
    TemplateFolder,
    /// One template inside it.
    Template,
}

impl Output {
    /// How messages name it.
    pub fn what(self) -> &'static str {
        match self {
            Output::Committee => "committee workbook",
            Output::ClerksCopy => "clerk's copy",
            Output::Sector => "sector workbook",
            Output::Chase => "chase list",
            Output::ActionsCsv => "actions CSV",
            Output::FeedbackFolder => "feedback folder",
            Output::Feedback => "feedback workbook",
            Output::TemplateFolder => "templates folder",
            Output::Template => "template",
        }
    }

    /// The command-line option that names it.
    pub fn option(self) -> &'static str {
        match self {
            Output::Committee | Output::Sector | Output::TemplateFolder | Output::Template => {
                "--out"
            }
            Output::ClerksCopy => "--publish",
            Output::Chase => "--chase",
            Output::ActionsCsv => "--actions-csv",
            Output::FeedbackFolder | Output::Feedback => "--feedback",
        }
    }

    fn is_folder(self) -> bool {
        matches!(self, Output::FeedbackFolder | Output::TemplateFolder)
    }

    /// The extension its name must have (lower case), for files.
    fn extension(self) -> Option<&'static str> {
        match self {
            Output::FeedbackFolder | Output::TemplateFolder => None,
            Output::ActionsCsv => Some("csv"),
            _ => Some("xlsx"),
        }
    }

    /// Whether a new file of this kind may be put inside a folder of inputs:
    /// only when the reader passes over it next time (a committee workbook
    /// among the returns is recognised and not read; `compare` leaves out
    /// its own output; a CSV is not a spreadsheet; templates are not read
    /// back by `template`). Anything else would be read as an input by the
    /// next run.
    fn may_sit_among_inputs(self) -> bool {
        matches!(
            self,
            Output::Committee
                | Output::Sector
                | Output::ActionsCsv
                | Output::Template
                | Output::TemplateFolder
        )
    }
}

/// Something the run reads.
#[derive(Debug, Clone)]
struct Input {
    /// As given, for messages.
    shown: PathBuf,
    /// Resolved (see [`resolve`]).
    path: PathBuf,
    /// How messages name it ("a return", "--previous" …).
    role: String,
    /// The kind of our outputs the run passes over inside this folder, if
    /// any: a committee workbook among the returns is recognised and not
    /// read; `compare` leaves out the sector workbook it writes.
    skips: Option<Output>,
}

/// What one run reads and writes, checked before anything is written.
#[derive(Debug, Default)]
pub struct Guard {
    inputs: Vec<Input>,
    outputs: Vec<(PathBuf, PathBuf, Output)>,
    force: bool,
    /// Files written so far in this run: none is written twice.
    written: Mutex<Vec<PathBuf>>,
}

impl Guard {
    /// `force`: replace existing files the tool did not write (never an
    /// input, another output, or a workbook that is open).
    pub fn new(force: bool) -> Guard {
        Guard {
            force,
            ..Guard::default()
        }
    }

    fn add_input(&mut self, path: &Path, role: &str, skips: Option<Output>) {
        self.inputs.push(Input {
            shown: path.to_path_buf(),
            path: resolve(path),
            role: role.to_string(),
            skips,
        });
    }

    /// Returns, or folders of them, as given to `build` and `check`.
    pub fn returns(mut self, paths: &[PathBuf]) -> Guard {
        for p in paths {
            let role = if p.is_dir() {
                "the returns folder"
            } else {
                "a return"
            };
            self.add_input(p, role, Some(Output::Committee));
        }
        self
    }

    /// Files or folders every workbook of which is read (`compare`'s
    /// sources, `template --from`), named for messages by `what` ("compared",
    /// "to pre-fill from, --from"). `skips`: the kind of output the run
    /// leaves out of these folders (`compare`'s own sector workbook).
    pub fn sources(mut self, paths: &[PathBuf], what: &str, skips: Option<Output>) -> Guard {
        for p in paths {
            let role = if p.is_dir() {
                format!("the folder {what}")
            } else {
                format!("a workbook {what}")
            };
            self.add_input(p, &role, skips);
        }
        self
    }

    /// One file the run reads, named for messages (`--previous` …).
    pub fn file(mut self, path: Option<&Path>, role: &str) -> Guard {
        if let Some(p) = path {
            self.add_input(p, role, None);
        }
        self
    }

    /// Files the run reads, each named by `role`.
    pub fn files(mut self, paths: &[PathBuf], role: &str) -> Guard {
        for p in paths {
            self.add_input(p, role, None);
        }
        self
    }

    /// An output of this run (`None`: the option was not given).
    pub fn output(mut self, path: Option<&Path>, kind: Output) -> Guard {
        if let Some(p) = path {
            self.outputs.push((p.to_path_buf(), resolve(p), kind));
        }
        self
    }

    /// The guard of `build` (and `check`): everything it reads, and the
    /// committee workbook and actions CSV when they are to be written.
    /// `check` adds its own outputs (chase list, feedback folder).
    pub fn for_build(cfg: &BuildConfig) -> Guard {
        let out = (!cfg.output.as_os_str().is_empty()).then_some(cfg.output.as_path());
        Guard::new(cfg.force)
            .returns(&cfg.inputs)
            .file(cfg.previous.as_deref(), "last month's workbook, --previous")
            .file(
                cfg.previous_year.as_deref(),
                "last year's workbook, --previous-year",
            )
            .file(cfg.framework.as_deref(), "the framework file, --framework")
            .files(&cfg.mappings, "a mapping file, --mapping")
            .output(out, Output::Committee)
            .output(cfg.publish.as_deref(), Output::ClerksCopy)
            .output(cfg.actions_csv.as_deref(), Output::ActionsCsv)
    }

    /// The guard of `compare`: its sources (whose own sector workbook among
    /// them is left out), frameworks and mappings, and the sector workbook.
    pub fn for_compare(cfg: &CompareConfig) -> Guard {
        Guard::new(cfg.force)
            .sources(&cfg.inputs, "compared", Some(Output::Sector))
            .file(cfg.framework.as_deref(), "the framework file, --framework")
            .files(&cfg.other_frameworks, "a framework file, --framework")
            .files(&cfg.mappings, "a mapping file, --mapping")
            .output(Some(&cfg.output), Output::Sector)
    }

    /// Checks every output named so far. Call before reading anything, so
    /// a run that cannot write fails at once.
    pub fn check(&self) -> Result<(), Error> {
        for (i, (shown, path, kind)) in self.outputs.iter().enumerate() {
            if let Some((_, _, other)) = self.outputs[..i].iter().find(|(_, p, _)| p == path) {
                if [*other, *kind].contains(&Output::ClerksCopy)
                    && [*other, *kind].contains(&Output::Committee)
                {
                    return Err(Error::PublishIsOutput {
                        path: shown.clone(),
                    });
                }
                return Err(Error::OutputTwice {
                    path: shown.clone(),
                    first: other.option(),
                    second: kind.option(),
                });
            }
            self.check_one(shown, path, *kind)?;
        }
        Ok(())
    }

    /// Checks one file about to be written inside an output folder (a
    /// feedback workbook, a template), whose name is only known now.
    pub fn check_file(&self, path: &Path, kind: Output) -> Result<(), Error> {
        let resolved = resolve(path);
        if let Some((_, _, other)) = self
            .outputs
            .iter()
            .find(|(_, p, k)| *p == resolved && !k.is_folder())
        {
            return Err(Error::OutputTwice {
                path: path.to_path_buf(),
                first: other.option(),
                second: kind.option(),
            });
        }
        if self.was_written(&resolved) {
            return Err(Error::OutputTwice {
                path: path.to_path_buf(),
                first: kind.option(),
                second: kind.option(),
            });
        }
        self.check_one(path, &resolved, kind)
    }

    /// Checks one file and writes it atomically, remembering it so that no
    /// later file of the run replaces it.
    pub fn write(&self, path: &Path, kind: Output, bytes: &[u8]) -> Result<(), Error> {
        self.check_file(path, kind)?;
        write_atomically(path, bytes)?;
        self.mark_written(path);
        Ok(())
    }

    /// Records a file written outside [`Guard::write`].
    pub fn mark_written(&self, path: &Path) {
        if let Ok(mut w) = self.written.lock() {
            w.push(resolve(path));
        }
    }

    fn was_written(&self, resolved: &Path) -> bool {
        self.written
            .lock()
            .map(|w| w.iter().any(|p| p == resolved))
            .unwrap_or(false)
    }

    fn check_one(&self, shown: &Path, path: &Path, kind: Output) -> Result<(), Error> {
        let meta = std::fs::metadata(path).ok();
        if kind.is_folder() {
            if meta.as_ref().is_some_and(|m| !m.is_dir()) {
                return Err(Error::OutputIsFile {
                    path: shown.to_path_buf(),
                    what: if kind == Output::TemplateFolder {
                        "templates"
                    } else {
                        "feedback workbooks"
                    },
                    option: kind.option(),
                });
            }
            if let Some(i) = self.input_holding(path) {
                return Err(Error::OutputAmongInputs {
                    path: shown.to_path_buf(),
                    what: kind.what(),
                    folder: i.shown.clone(),
                    role: i.role.clone(),
                });
            }
            if let Some(i) = self.inputs.iter().find(|i| i.path == path) {
                return Err(Error::OutputIsInput {
                    path: shown.to_path_buf(),
                    what: kind.what(),
                    input: i.role.clone(),
                });
            }
            return Ok(());
        }
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::OutputIsFolder {
                path: shown.to_path_buf(),
                what: kind.what(),
                ext: kind.extension().unwrap_or("xlsx"),
            });
        }
        // An input first: that is the mistake to name, whatever the name's
        // extension.
        if let Some(i) = self.inputs.iter().find(|i| i.path == path) {
            return Err(Error::OutputIsInput {
                path: shown.to_path_buf(),
                what: kind.what(),
                input: i.role.clone(),
            });
        }
        let ours = meta.as_ref().and_then(|_| written_as(path));
        let holder = self.input_holding(path);
        if let Some(folder) = holder {
            let skipped = folder.skips == Some(kind) && ours == Some(kind);
            let read_as_input = crate::read::discover::skip_reason(&name_of(path)).is_none();
            if meta.is_some() && read_as_input && !skipped {
                return Err(Error::OutputIsInput {
                    path: shown.to_path_buf(),
                    what: kind.what(),
                    input: format!("inside {} '{}'", folder.role, folder.shown.display()),
                });
            }
        }
        // The name as given: a link named .xlsx may point anywhere (to a
        // device, refused below as one).
        if let Some(ext) = kind.extension() {
            let has = shown
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            // A macro-enabled return's feedback stays macro-enabled (its
            // macros are kept, and Excel refuses them in an .xlsx).
            let macro_feedback = kind == Output::Feedback && has.as_deref() == Some("xlsm");
            if has.as_deref() != Some(ext) && !macro_feedback {
                return Err(Error::OutputExtension {
                    path: shown.to_path_buf(),
                    what: kind.what(),
                    ext,
                });
            }
        }
        if let Some(lock) = lock_file(shown) {
            return Err(Error::OutputOpen {
                path: shown.to_path_buf(),
                lock,
            });
        }
        if let Some(folder) = holder.filter(|_| !kind.may_sit_among_inputs()) {
            if kind == Output::ClerksCopy {
                return Err(Error::PublishAmongReturns {
                    path: shown.to_path_buf(),
                    folder: folder.shown.clone(),
                });
            }
            return Err(Error::OutputAmongInputs {
                path: shown.to_path_buf(),
                what: kind.what(),
                folder: folder.shown.clone(),
                role: folder.role.clone(),
            });
        }
        let Some(meta) = meta else {
            return Ok(()); // Does not exist yet.
        };
        if !meta.is_file() {
            return Err(Error::OutputNotAFile {
                path: shown.to_path_buf(),
                what: kind.what(),
            });
        }
        // A template may have been filled in by an officer since: never
        // replaced without being asked.
        if kind == Output::Template {
            return if self.force {
                Ok(())
            } else {
                Err(Error::TemplateExists {
                    path: shown.to_path_buf(),
                })
            };
        }
        if ours == Some(kind) || self.force {
            return Ok(());
        }
        Err(Error::OutputNotOurs {
            path: shown.to_path_buf(),
            what: kind.what(),
            is: ours.map(Output::what),
        })
    }

    /// The input folder `path` is inside (not the folder itself).
    fn input_holding(&self, path: &Path) -> Option<&Input> {
        self.inputs
            .iter()
            .find(|i| path != i.path && path.starts_with(&i.path) && i.path.is_dir())
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A path made comparable with others: the real path of what exists
/// (symbolic links and `..` resolved), or of its nearest existing folder
/// with the rest appended, so that two names for one file not yet written
/// are still seen to be the same.
pub fn resolve(path: &Path) -> PathBuf {
    // Windows' file names ignore case: so do the comparisons.
    #[cfg(windows)]
    {
        PathBuf::from(real(path).to_string_lossy().to_lowercase())
    }
    #[cfg(not(windows))]
    {
        real(path)
    }
}

fn real(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut tail = Vec::new();
    let mut head = abs.as_path();
    loop {
        if let Ok(p) = std::fs::canonicalize(head) {
            let mut out = p;
            for part in tail.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                head = parent;
            }
            _ => return abs,
        }
    }
}

/// The lock file beside `path` that says it is open: Excel's `~$NAME`
/// (for long names Excel drops the first two characters: `~$mmittee.xlsx`)
/// or LibreOffice's `.~lock.NAME#`.
pub fn lock_file(path: &Path) -> Option<PathBuf> {
    let name = name_of(path);
    if name.is_empty() {
        return None;
    }
    let short: String = name.chars().skip(2).collect();
    [
        format!("~${name}"),
        format!("~${short}"),
        format!(".~lock.{name}#"),
    ]
    .into_iter()
    .map(|n| path.with_file_name(n))
    .find(|l| std::fs::symlink_metadata(l).is_ok())
}
