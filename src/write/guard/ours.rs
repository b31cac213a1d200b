//! How an existing file is known to be one of our outputs, and of which
//! kind: a workbook by the comment in its document properties or, for a
//! feedback workbook, by its list of corrections; the actions CSV by its
//! heading line.

use std::path::Path;

use super::Output;

/// The largest file looked into to decide whether it is ours. Our outputs
/// are far smaller; anything bigger is not ours, and is not read.
const LARGEST_OURS: u64 = 64 * 1024 * 1024;

/// What kind of output of ours an existing file is, if it is one. Workbooks
/// are known by the comment in their document properties (which Excel and
/// LibreOffice keep when the file is saved again), a committee workbook
/// whose properties were cleared by its Cover, a feedback workbook by its
/// list of corrections; the actions CSV by its heading line. Only ordinary
/// files are looked at, and only so far.
pub fn written_as(path: &Path) -> Option<Output> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > LARGEST_OURS {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = [0u8; 2];
    file.read_exact(&mut head).ok()?;
    if &head != b"PK" {
        let mut first = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .take(4096)
            .read_to_end(&mut first)
            .ok()?;
        let text = String::from_utf8_lossy(&first);
        let text = text.trim_start_matches('\u{feff}');
        let heading = crate::write::actions_csv::HEADINGS[..5].join(",");
        return text.starts_with(&heading).then_some(Output::ActionsCsv);
    }
    // A feedback workbook is the officer's own workbook marked up: known by
    // its list of corrections, not by its properties.
    let bytes = std::fs::read(path).ok()?;
    if crate::write::feedback::is_feedback_workbook(&bytes) {
        return Some(Output::Feedback);
    }
    let comment = zip_text(path, "docProps/core.xml")
        .and_then(|x| between(&x, "<dc:description>", "</dc:description>"));
    match comment.as_deref() {
        Some(c) if c.starts_with("Produced by bestvalue") => {
            let book = zip_text(path, "xl/workbook.xml").unwrap_or_default();
            let sector = format!("name=\"{}\"", crate::committee::SECTOR_MARK_SHEET);
            Some(if book.contains(&sector) {
                Output::Sector
            } else {
                Output::Committee
            })
        }
        Some(c) if c.starts_with(TEMPLATE_MARK) => Some(Output::Template),
        Some(c) if c.starts_with(crate::marks::PUBLISHED_MARK) => Some(Output::ClerksCopy),
        Some(c) if c.starts_with(CHASE_MARK) => Some(Output::Chase),
        _ => crate::committee::read::is_ours(path).then_some(Output::Committee),
    }
}

/// The start of the comment in a template's document properties.
pub const TEMPLATE_MARK: &str = "Template written by bestvalue";
/// The start of the comment in a chase list's document properties.
pub const CHASE_MARK: &str = "Chase list written by bestvalue";

/// One small part of a zip, as text (at most 1 MB of it).
fn zip_text(path: &Path, part: &str) -> Option<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let entry = zip.by_name(part).ok()?;
    let mut text = String::new();
    entry.take(1024 * 1024).read_to_string(&mut text).ok()?;
    Some(text)
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(text[from..to].to_string())
}
