//! OpenDocument spreadsheets written by other programs than LibreOffice.
//! Gnumeric (and its `ssconvert`) indents the XML of a sheet, putting
//! line breaks and spaces between a row's cells; LibreOffice reads that, but
//! the spreadsheet reader refuses the whole file. When it does, the sheet's
//! XML is tidied here (the layout spaces between table elements removed;
//! text inside paragraphs is left exactly as it was) and the file read again.

use std::io::{Cursor, Read, Write};

use quick_xml::events::Event;

/// The file's bytes with `content.xml`'s layout whitespace removed, or
/// `None` when it cannot be rewritten (it is then reported as damaged).
/// `limit` bounds what is unpacked, as for any other read.
pub fn without_layout_spaces(bytes: &[u8], limit: u64) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .ok()?
        .take(limit)
        .read_to_end(&mut content)
        .ok()?;
    let tidy = tidy(&content)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).ok()?;
        if entry.name().is_ok_and(|n| n == "content.xml") {
            drop(entry);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file("content.xml", options).ok()?;
            out.write_all(&tidy).ok()?;
        } else {
            out.raw_copy_file(entry).ok()?;
        }
    }
    Some(out.finish().ok()?.into_inner())
}

/// Drops whitespace-only text outside paragraphs (`text:p`, `text:h`):
/// there it is only layout. Inside a paragraph it may be a real space
/// between two runs of text, so it is kept.
fn tidy(xml: &[u8]) -> Option<Vec<u8>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    let mut buf = Vec::new();
    let mut in_paragraph = 0usize;
    let is_paragraph = |name: &str| name == "text:p" || name == "text:h";
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) if is_paragraph(e.name().as_ref()) => in_paragraph += 1,
            Event::End(e) if is_paragraph(e.name().as_ref()) => {
                in_paragraph = in_paragraph.saturating_sub(1)
            }
            Event::Text(t) if in_paragraph == 0 && t.trim().is_empty() => {
                buf.clear();
                continue;
            }
            _ => {}
        }
        writer.write_event(event).ok()?;
        buf.clear();
    }
    Some(writer.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn layout_spaces_go_and_spaces_in_text_stay() {
        let xml = b"<table:table-row>\n  <table:table-cell office:value-type=\"string\">\n    <text:p>Amber <text:span>and</text:span> <text:span>more</text:span></text:p>\n  </table:table-cell>\n</table:table-row>";
        let out = String::from_utf8(super::tidy(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Amber <text:span>and</text:span> <text:span>more</text:span></text:p></table:table-cell></table:table-row>"
        );
    }
}
