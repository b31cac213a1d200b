//! Checks that a workbook is whole before its cells are read, so damage is
//! reported as damage instead of being read as data:
//!
//! - a zip (.xlsx, .ods): every part unpacks to exactly what its checksum
//!   says (a flipped byte in a stored part would otherwise be read as a
//!   different score), and no two parts share a name (which one a reader
//!   takes would be a guess);
//! - an .xls: whether its records are encrypted, found before its sizes are
//!   checked (encrypted records read as nonsense sizes, and the file would
//!   be called damaged when it is only password-protected).
//!
//! Runs after the zip's declared sizes are checked (see `prescan`), so a
//! zip bomb is refused before anything here unpacks it.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use super::grid::MAX_TEXT_BYTES;
use super::workbook::OpenFailure;

fn damaged(why: String) -> OpenFailure {
    OpenFailure::Damaged(format!(
        "the file is damaged: {why}. Open it in Excel, save it again, and resend it."
    ))
}

/// Unpacks every part of a zip, checking its checksum, and refuses two
/// parts with one name (part names are compared ignoring case, as Office
/// does). A zip that cannot be opened at all is left to the reader, which
/// reports it in its own words.
pub fn check_zip_parts(bytes: &[u8]) -> Result<(), OpenFailure> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut names = HashSet::new();
    let duplicate = zip.has_duplicate_names()
        || zip
            .file_names()
            .flatten()
            .any(|n| !names.insert(n.trim_start_matches('/').to_lowercase()));
    if duplicate {
        return Err(damaged(
            "two of its parts have the same name, so which one is meant cannot be known".into(),
        ));
    }
    if zip.has_overlapping_files().unwrap_or(false) {
        return Err(damaged(
            "its parts overlap one another, which no spreadsheet program writes".into(),
        ));
    }
    for i in 0..zip.len() {
        // A part that cannot be opened (an unusual compression method) is
        // not judged here: if it matters, the reader reports it.
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        if part.is_dir() {
            continue;
        }
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        // The checksum is checked when the part has been read to its end.
        let mut runs = LongestRun::default();
        if let Err(e) = std::io::copy(&mut part, &mut runs) {
            return Err(damaged(format!(
                "its part {name} does not unpack to what was saved ({e})"
            )));
        }
        // XML only: a binary part (a picture, an .xlsb's records) may
        // rightly go far without that byte.
        let xml = [".xml", ".rels", ".vml"]
            .iter()
            .any(|x| name.to_ascii_lowercase().ends_with(x));
        if xml && runs.longest > MAX_TEXT_BYTES as u64 {
            return Err(OpenFailure::TooLarge(format!(
                "its part {name} holds {} MB of text or spaces in one piece, more than the {} MB of text read from one workbook.",
                runs.longest >> 20,
                MAX_TEXT_BYTES >> 20
            )));
        }
    }
    Ok(())
}

/// The longest run of bytes without a `<` in what is written to it. Every
/// piece an XML reader takes whole (a tag, or the text between two tags)
/// lies between two `<`: a run of hundreds of megabytes of spaces, a few
/// hundred kilobytes zipped, would make every reader after this one hold
/// it whole, and the feedback editor twice.
#[derive(Default)]
struct LongestRun {
    current: u64,
    longest: u64,
}

impl std::io::Write for LongestRun {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|b| *b == b'<') {
            self.longest = self.longest.max(self.current + at as u64);
            self.current = 0;
            rest = &rest[at + 1..];
        }
        self.current += rest.len() as u64;
        self.longest = self.longest.max(self.current);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether a zip workbook may be read at all: its declared sizes, its
/// parts' checksums and pieces (for the feedback editor, which must not
/// unpack what reading refused).
pub fn fit_to_read(bytes: &[u8]) -> Result<(), OpenFailure> {
    super::prescan::check_zip(bytes)?;
    check_zip_parts(bytes)
}

/// Refuses a zip holding no workbook at all (no .xlsx, .xlsb or .ods
/// contents): a zip archive renamed, not a damaged workbook.
pub fn check_holds_a_workbook(bytes: &[u8]) -> Result<(), OpenFailure> {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let workbook = zip.file_names().flatten().any(|n| {
        let n = n.to_ascii_lowercase();
        matches!(
            n.as_str(),
            "xl/workbook.xml" | "xl/workbook.bin" | "content.xml" | "[content_types].xml"
        )
    });
    if workbook {
        return Ok(());
    }
    let holds = |part: &str| {
        zip.file_names()
            .flatten()
            .any(|n| n.eq_ignore_ascii_case(part))
    };
    let what = if holds("word/document.xml") {
        "a Word document"
    } else if holds("ppt/presentation.xml") {
        "a PowerPoint presentation"
    } else {
        "a zip archive holding no workbook"
    };
    Err(OpenFailure::NotSpreadsheet(format!(
        "the file is {what}, although its name ends in a spreadsheet extension."
    )))
}

/// Whether an .xls workbook is encrypted: its first records (the workbook's
/// globals) include a FilePass record. Anything that cannot be read here is
/// left to the size checks.
pub fn xls_encrypted(bytes: &[u8]) -> bool {
    let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return false;
    };
    let Some(name) = ["/Workbook", "/Book"].into_iter().find(|n| cf.is_stream(n)) else {
        return false;
    };
    let mut head = Vec::new();
    // FilePass comes straight after the globals' BOF record; 64 KB holds
    // every globals record before it many times over.
    let read = cf
        .open_stream(name)
        .and_then(|s| s.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let mut s = &head[..];
    while s.len() >= 4 {
        let typ = u16::from_le_bytes([s[0], s[1]]);
        let len = u16::from_le_bytes([s[2], s[3]]) as usize;
        match typ {
            0x002F => return true,  // FilePass
            0x000A => return false, // EOF of the globals
            _ => {}
        }
        let Some(rest) = s.get(4 + len..) else {
            return false;
        };
        s = rest;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in parts {
            w.start_file(*name, stored).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_changed_byte_fails_the_checksum() {
        let mut z = zip_of(&[("xl/worksheets/sheet1.xml", b"<v>Amber</v>")]);
        assert_eq!(check_zip_parts(&z), Ok(()));
        let at = z.windows(5).position(|w| w == b"Amber").unwrap();
        z[at] = b'O';
        match check_zip_parts(&z) {
            Err(OpenFailure::Damaged(m)) => {
                assert!(m.contains("xl/worksheets/sheet1.xml"), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_longest_piece_between_tags_is_measured_across_writes() {
        use std::io::Write;
        let mut r = LongestRun::default();
        r.write_all(b"<a>12345").unwrap();
        r.write_all(b"678</a><b>").unwrap();
        r.write_all(b"12").unwrap();
        assert_eq!(r.longest, 10); // "a>12345678"
        let spaces = vec![b' '; MAX_TEXT_BYTES + 1];
        let z = zip_of(&[(
            "xl/worksheets/sheet1.xml",
            &[b"<w>", &spaces[..], b"</w>"].concat(),
        )]);
        assert!(matches!(
            check_zip_parts(&z),
            Err(OpenFailure::TooLarge(m)) if m.contains("64 MB of text or spaces in one piece")
        ));
    }

    #[test]
    fn parts_differing_only_in_case_are_duplicates() {
        let z = zip_of(&[("xl/a.xml", b"1"), ("XL/A.xml", b"2")]);
        assert!(matches!(
            check_zip_parts(&z),
            Err(OpenFailure::Damaged(m)) if m.contains("same name")
        ));
    }
}
