//! Reads the bytes of a file the user named (a return, a framework, a
//! committee workbook), safely: only an ordinary file
//! (or a link to one) is opened, and never more than a limit is read,
//! whatever size the file system claims. A pipe named `x.xlsx` would block
//! the run forever when opened, and `/dev/zero` or `/dev/urandom` under a
//! spreadsheet's name never ends; both are refused before they are opened.

use std::io::{self, Read};
use std::path::Path;

/// What a path is, in words, when it is not an ordinary file (following
/// links); `None` for an ordinary file.
pub fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a pipe (FIFO), not a file");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device, not a file");
        }
        if t.is_socket() {
            return Some("a socket, not a file");
        }
    }
    Some("not an ordinary file")
}

/// Reads a whole file of at most `limit` bytes. Anything but an ordinary
/// file is refused without being opened (an error of kind `InvalidInput`);
/// a file longer than `limit` is refused (kind `FileTooLarge`) after
/// reading at most one byte more than the limit.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if let Some(what) = not_a_file(&meta) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it is larger than {} MB, the most read from one file",
                limit / (1024 * 1024)
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = open_file(path)?;
    // The size reported is only a hint: some files (in /proc, on network
    // shares) say 0 and have more.
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize + 1);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Opens an ordinary file (or a link to one) for reading; anything else is
/// refused, as an error of kind `InvalidInput`, without waiting on it.
pub fn open_file(path: &Path) -> io::Result<std::fs::File> {
    if let Some(what) = not_a_file(&std::fs::metadata(path)?) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should a pipe be put in the file's place after the check above,
    // opening it must still not wait for a writer.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if let Some(what) = not_a_file(&file.metadata()?) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    Ok(file)
}

/// [`read_limited`] as text (a framework or mapping file).
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_limited(path, limit)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "it is not text (UTF-8); save it as plain text",
        )
    })
}

/// Why a file could not be read, in words for the user, from the error
/// [`read_limited`] gave. The hint about a file open elsewhere is given
/// only when that is what the system said.
pub fn why_unreadable(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::FileTooLarge => e.to_string(),
        io::ErrorKind::PermissionDenied => {
            "you do not have permission to read it. Ask for access to it, or for a copy in a folder you can read".into()
        }
        io::ErrorKind::NotFound => "it was moved or deleted while the run was going on".into(),
        io::ErrorKind::OutOfMemory => {
            "there was not enough memory to read it. Close other programs and run again".into()
        }
        _ if is_locked(e) => {
            "it is open in another program, on this or another computer. Ask for it to be closed, then run again".into()
        }
        _ => format!("the system said: {e}"),
    }
}

/// A file locked by another program (Windows: a sharing or lock violation).
fn is_locked(e: &io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_no_more_than_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.xlsx");
        std::fs::write(&p, vec![7u8; 100]).unwrap();
        assert_eq!(read_limited(&p, 100).unwrap().len(), 100);
        let e = read_limited(&p, 99).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        let e = read_limited(dir.path(), 99).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(why_unreadable(&e), "a folder");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_unopened() {
        let e = read_limited(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(why_unreadable(&e).contains("a device"));
    }
}
