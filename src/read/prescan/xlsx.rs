//! The shared text and the styles of an .xlsx, checked before calamine
//! reads them (it reads both whole as the workbook opens).
//!
//! Shared text (`xl/sharedStrings.xml`): calamine holds every entry for as long as the
//! workbook is open, and reserves room for as many entries as the part's
//! `uniqueCount` declares before reading one: a damaged or hostile count of
//! a hundred billion aborts the whole run, whatever the part holds. So the
//! entries and their text are counted here, and a count that does not
//! match what is there is damage.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::MAX_UNPACKED_BYTES;
use crate::read::cells::thousands;
use crate::read::grid::{MAX_CELLS_PER_SHEET, MAX_TEXT_BYTES};
use crate::read::workbook::OpenFailure;

/// Entries of shared text read, at most: more than every cell of a sheet
/// at the cell limit could use, twice over.
pub const MAX_SHARED_STRINGS: u64 = 2 * MAX_CELLS_PER_SHEET as u64;

/// Formats, fonts, fills, borders and number formats read from a
/// workbook's styles, at most, all together. Excel allows 64,000 cell
/// formats; calamine holds every entry, so a styles part of millions of
/// them (a 1 MB file can hold four million) took 600 MB and 14 s to open.
pub const MAX_STYLE_ENTRIES: u64 = 200_000;

/// One part of an .xlsx, read as XML as it is unpacked.
type PartXml<'a> =
    quick_xml::Reader<std::io::BufReader<std::io::Take<zip::read::ZipFile<'a, Cursor<&'a [u8]>>>>>;

/// Runs `check` over the part of an .xlsx whose name ends in `suffix` (any
/// case), read as XML and cut off at [`MAX_UNPACKED_BYTES`]. A file that is
/// not a zip or has no such part passes: reading proper reports those.
fn with_part(
    bytes: &[u8],
    suffix: &str,
    check: impl FnOnce(&mut PartXml<'_>) -> Result<(), OpenFailure>,
) -> Result<(), OpenFailure> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(name) = zip
        .file_names()
        .flatten()
        .find(|n| n.to_ascii_lowercase().ends_with(suffix))
        .map(|n| n.to_string())
    else {
        return Ok(());
    };
    let Ok(part) = zip.by_name(&name) else {
        return Ok(());
    };
    let mut xml =
        quick_xml::Reader::from_reader(std::io::BufReader::new(part.take(MAX_UNPACKED_BYTES)));
    check(&mut xml)
}

/// Refuses an .xlsx whose styles have more entries than
/// [`MAX_STYLE_ENTRIES`].
pub fn check_styles(bytes: &[u8]) -> Result<(), OpenFailure> {
    with_part(bytes, "styles.xml", |xml| {
        let mut buf = Vec::new();
        let mut entries = 0u64;
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Eof) | Err(_) => break,
                Ok(Event::Start(e) | Event::Empty(e))
                    if matches!(
                        e.local_name().as_ref(),
                        "xf" | "font" | "fill" | "border" | "numFmt" | "dxf"
                    ) =>
                {
                    entries += 1;
                    if entries > MAX_STYLE_ENTRIES {
                        return Err(OpenFailure::TooLarge(format!(
                            "its styles have more than {} entries (Excel allows 64,000 cell formats).",
                            thousands(MAX_STYLE_ENTRIES)
                        )));
                    }
                }
                Ok(_) => {}
            }
            buf.clear();
        }
        Ok(())
    })
}

/// Refuses an .xlsx whose shared text has more entries or text than is
/// read from one workbook, or declares far more entries than it holds.
/// A part that cannot be parsed is left to calamine, which reports it.
pub fn check_shared_strings(bytes: &[u8]) -> Result<(), OpenFailure> {
    with_part(bytes, "sharedstrings.xml", |xml| {
        let mut buf = Vec::new();
        let mut declared: Option<u64> = None;
        let (mut entries, mut text) = (0u64, 0u64);
        loop {
            let event = match xml.read_event_into(&mut buf) {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "sst" => {
                        declared = e
                            .try_get_attribute("uniqueCount")
                            .ok()
                            .flatten()
                            .and_then(|a| a.value.trim().parse().ok());
                    }
                    "si" => entries += 1,
                    _ => {}
                },
                Event::Text(t) => text += t.len() as u64,
                Event::CData(t) => text += t.len() as u64,
                _ => {}
            }
            if entries > MAX_SHARED_STRINGS {
                return Err(OpenFailure::TooLarge(format!(
                    "its shared text has more than {} entries, more than its sheets could use.",
                    thousands(MAX_SHARED_STRINGS)
                )));
            }
            if text > MAX_TEXT_BYTES as u64 {
                return Err(OpenFailure::TooLarge(format!(
                    "its cells' text comes to more than {} MB, the most read from one workbook.",
                    MAX_TEXT_BYTES / (1024 * 1024)
                )));
            }
            buf.clear();
        }
        // A count a little out is harmless (some programs write it loosely);
        // one past the limit and past what is there is not.
        if let Some(n) = declared
            && n > MAX_SHARED_STRINGS
            && n > entries
        {
            return Err(OpenFailure::Damaged(format!(
                "the file is damaged: its list of shared text says it has {} entries but holds {}. Open it in Excel, save it again, and resend it.",
                thousands(n),
                thousands(entries)
            )));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn with_sst(xml: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            "xl/sharedStrings.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn millions_of_styles_are_too_many() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("xl/styles.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let many = "<xf/>".repeat(MAX_STYLE_ENTRIES as usize + 1);
        w.write_all(format!("<styleSheet><cellXfs>{many}</cellXfs></styleSheet>").as_bytes())
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(matches!(
            check_styles(&bytes),
            Err(OpenFailure::TooLarge(m)) if m.contains("more than 200,000 entries")
        ));
    }

    #[test]
    fn a_declared_count_far_past_what_is_there_is_damage() {
        let ok = with_sst(r#"<sst uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#);
        assert_eq!(check_shared_strings(&ok), Ok(()));
        let loose = with_sst(r#"<sst uniqueCount="5"><si><t>a</t></si></sst>"#);
        assert_eq!(check_shared_strings(&loose), Ok(()));
        let bad = with_sst(r#"<sst uniqueCount="100000000000"><si><t>a</t></si></sst>"#);
        assert!(matches!(
            check_shared_strings(&bad),
            Err(OpenFailure::Damaged(m)) if m.contains("100,000,000,000 entries but holds 1")
        ));
    }
}
