//! Document properties (File › Info in Excel). Every workbook's creation
//! date comes from its data (the "as at" or issue date), or is fixed, never
//! the clock: the same inputs then give byte-identical files.

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, XlsxError};

/// The creation date of a workbook with no date of its own.
const FIXED: (u16, u8, u8) = (2000, 1, 1);

/// Properties to build on, created on `created` (or a fixed date when
/// there is none, or it cannot be written).
pub fn dated(created: Option<NaiveDate>) -> Result<DocProperties, XlsxError> {
    let when = match created.and_then(|d| super::excel_date(d).ok()) {
        Some(d) => d,
        None => ExcelDateTime::from_ymd(FIXED.0, FIXED.1, FIXED.2)?,
    };
    Ok(DocProperties::new().set_creation_datetime(&when))
}

/// "Produced by bestvalue 0.1.0", the comment a report carries: the mark
/// by which the tool knows its workbooks again (see `crate::marks`).
pub fn produced_by() -> String {
    crate::marks::document_comment()
}

/// The language every workbook the tool writes is in, as screen readers
/// and spelling checkers read it from the document properties.
pub const LANGUAGE: &str = "en-GB";

/// Sets the workbook's language (`dc:language` in its core properties),
/// which rust_xlsxwriter does not write. The saved package is copied part
/// by part, byte for byte, except the small core-properties part, which is
/// written again with the language added; the result is as deterministic
/// as the package it came from.
pub fn set_language(package: &[u8], language: &str) -> Result<Vec<u8>, XlsxError> {
    use std::io::{Cursor, Read, Write};
    const CORE: &str = "docProps/core.xml";
    const END: &str = "</cp:coreProperties>";
    let mut zip = zip::ZipArchive::new(Cursor::new(package))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(package.len() + 64)));
    for i in 0..zip.len() {
        if zip.by_index_raw(i)?.name()? != CORE {
            out.raw_copy_file(zip.by_index_raw(i)?)?;
            continue;
        }
        let mut xml = String::new();
        zip.by_index(i)?.read_to_string(&mut xml)?;
        if !xml.contains("<dc:language>") {
            let at = xml
                .rfind(END)
                .ok_or_else(|| XlsxError::ParameterError(format!("{CORE} has no {END}")))?;
            let lang = language
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            xml.insert_str(at, &format!("<dc:language>{lang}</dc:language>"));
        }
        // As rust_xlsxwriter writes its parts: deflated, dated 1980-01-01.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o600);
        out.start_file(CORE, options)?;
        out.write_all(xml.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core_of(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name("docProps/core.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn the_language_is_added_and_nothing_else_changes() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(&dated(None).unwrap().set_title("T"));
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        let before = wb.save_to_buffer().unwrap();
        let after = set_language(&before, LANGUAGE).unwrap();
        assert!(core_of(&after).contains("<dc:language>en-GB</dc:language></cp:coreProperties>"));
        assert!(core_of(&after).contains("<dc:title>T</dc:title>"));
        // The same bytes every time, and every other part as it was.
        assert_eq!(after, set_language(&before, LANGUAGE).unwrap());
        let names = |b: &[u8]| {
            let z = zip::ZipArchive::new(std::io::Cursor::new(b.to_vec())).unwrap();
            z.file_names()
                .map(|n| n.unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&before), names(&after));
        // Set twice, it is there once.
        let again = set_language(&after, LANGUAGE).unwrap();
        assert_eq!(core_of(&again).matches("<dc:language>").count(), 1);
        // calamine still opens it.
        let book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(after)).unwrap();
        assert_eq!(calamine::Reader::sheet_names(&book), vec!["Sheet1"]);
    }
}
