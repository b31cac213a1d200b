//! Writing a file atomically, and clearing what a killed run left behind.

use std::path::Path;
use std::time::Duration;

use crate::error::Error;

/// The start of our temporary files' names, and their end.
const TEMP_PREFIX: &str = ".bestvalue-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file of ours untouched for this long belongs to a run that
/// was killed: no run spends anything like it writing one file.
const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place, so an interrupted run leaves the previous file as it
/// was. Stale temporary files of ours in that folder are then removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let werr = |e: std::io::Error| Error::write(path, e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(werr)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // A temporary file is private to its owner; the workbook it becomes is
    // for the clerk and colleagues, so it gets the permissions any new file
    // gets (the user's umask applies, as when Excel saves).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(werr)?;
    let me = owner(tmp.path());
    tmp.write_all(bytes).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    // Excel holds an open workbook locked on Windows: say so, not the
    // system's "used by another process (os error 32)".
    let existed = path.exists();
    tmp.persist(path).map_err(|e| {
        crate::write::in_use::write_error(path, e.error, crate::write::in_use::Os::HERE, existed)
    })?;
    sweep(&dir, me);
    Ok(())
}

/// The owner of a file, where the system has owners.
fn owner(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Removes temporary files a killed run of ours left in `dir`: only names
/// of our own pattern, only ordinary files owned by whoever runs this one,
/// and only when untouched for [`STALE_AFTER`] (a run writing now keeps its
/// file fresh). Failures are ignored: this is tidying, not the job.
fn sweep(dir: &Path, me: Option<u32>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && stale && owner(&e.path()) == me {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
