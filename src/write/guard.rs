//! The output guard: every file the tool writes goes through here. An output
//! never replaces an input, a workbook open in Excel, or a file the tool did
//! not write (unless forced), and it is written atomically.

use std::path::Path;

use crate::error::Error;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let werr = |e: std::io::Error| Error::write(path, e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(werr)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bestvalue-").suffix(".tmp");
    // A temporary file is private to its owner; the workbook it becomes is
    // for the clerk and colleagues, so it gets the permissions any new file
    // gets (the user's umask applies, as when Excel saves).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(werr)?;
    tmp.write_all(bytes).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    // Excel holds an open workbook locked on Windows: say so, not the
    // system's "used by another process (os error 32)".
    let existed = path.exists();
    tmp.persist(path).map_err(|e| {
        crate::write::in_use::write_error(path, e.error, crate::write::in_use::Os::HERE, existed)
    })?;
    Ok(())
}

/// Refuses an output that would overwrite an input, a workbook open in
/// Excel, or a file this tool did not write (unless `force`). A file named
/// as an input is never overwritten, even with `force`; inside a folder
/// given as an input, only a workbook this tool wrote may be replaced (it
/// is never read as an input).
pub fn check_target(out: &Path, inputs: &[&Path], force: bool) -> Result<(), Error> {
    if let Some(name) = out.file_name() {
        let lock = out.with_file_name(format!("~${}", name.to_string_lossy()));
        if lock.exists() {
            return Err(Error::OutputOpen {
                path: out.to_path_buf(),
                lock,
            });
        }
    }
    let Ok(target) = std::fs::canonicalize(out) else {
        return Ok(()); // Does not exist yet.
    };
    let inputs: Vec<std::path::PathBuf> = inputs
        .iter()
        .filter_map(|i| std::fs::canonicalize(i).ok())
        .collect();
    let is_input = || Error::OutputIsInput {
        path: out.to_path_buf(),
    };
    if inputs.contains(&target) {
        return Err(is_input());
    }
    let ours = crate::committee::read::is_ours(out) || is_published_copy(out);
    if !ours && inputs.iter().any(|i| i.is_dir() && target.starts_with(i)) {
        return Err(is_input());
    }
    if ours || force {
        return Ok(());
    }
    Err(Error::OutputNotOurs {
        path: out.to_path_buf(),
    })
}

/// Refuses a clerk's copy (`--publish`) that would be the working copy
/// (`--out`) itself, or sit inside a folder of returns (the next run would
/// read it as a return: unlike the working copy, it carries no marker a
/// reader sees), then checks it as any output.
pub fn check_published(
    out: &Path,
    working: &Path,
    inputs: &[&Path],
    force: bool,
) -> Result<(), Error> {
    let resolve = |p: &Path| {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        match (
            abs.parent().and_then(|d| std::fs::canonicalize(d).ok()),
            abs.file_name(),
        ) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => abs,
        }
    };
    let target = resolve(out);
    if target == resolve(working) {
        return Err(Error::PublishIsOutput {
            path: out.to_path_buf(),
        });
    }
    if let Some(folder) = inputs
        .iter()
        .filter(|i| i.is_dir())
        .find(|i| std::fs::canonicalize(i).is_ok_and(|d| target.starts_with(d)))
    {
        return Err(Error::PublishAmongReturns {
            path: out.to_path_buf(),
            folder: folder.to_path_buf(),
        });
    }
    check_target(out, inputs, force)
}

/// Whether `path` is a clerk's copy this tool wrote: its document
/// properties' comment starts with [`crate::marks::PUBLISHED_MARK`] (the
/// copy names no tool, so this is how it is known).
pub fn is_published_copy(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(core) = zip.by_name("docProps/core.xml") else {
        return false;
    };
    let mut text = String::new();
    if core.take(64 * 1024).read_to_string(&mut text).is_err() {
        return false;
    }
    text.contains(crate::marks::PUBLISHED_COMMENT_XML)
}
