//! The worst case inside the reading limits, for the scale benchmark: one
//! return at the cell limit.

use std::path::Path;

/// Writes one return at the reading limits: a million cells in one sheet
/// (100,000 rows of 10 columns, the most rows a table may have), every
/// cell a different text of about 60 bytes in the shared-string table
/// (which calamine holds whole), codes and scores valid so that every row
/// becomes a record. Written directly as XML: a writer library would hold
/// the million cells in memory itself.
pub fn at_the_limit(path: &Path) {
    use std::io::Write;
    const ROWS: u32 = 99_998;
    const HEADINGS: [&str; 10] = [
        "Code",
        "Position statement",
        "Evidence",
        "Score",
        "Commentary",
        "Gaps / areas to address",
        "Reason (Grey or changed score)",
        "Notes",
        "Owner's notes",
        "Links",
    ];
    const SCORES: [&str; 4] = ["Amber", "Yellow", "Light green", "Dark green"];
    let mut strings: Vec<String> = Vec::new();
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let mut put = |sheet: &mut String, r: u32, c: u16, text: String| {
        let a1 = rust_xlsxwriter::utility::row_col_to_cell(r, c);
        sheet.push_str(&format!(
            r#"<c r="{a1}" t="s"><v>{}</v></c>"#,
            strings.len()
        ));
        strings.push(text);
    };
    for (r, (k, v)) in [
        ("Round", "Review"),
        ("Themes", "Culture"),
        ("Completed by", "Bench Officer"),
    ]
    .into_iter()
    .enumerate()
    {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        put(&mut sheet, r as u32, 0, k.into());
        put(&mut sheet, r as u32, 1, v.into());
        sheet.push_str("</row>");
    }
    sheet.push_str(r#"<row r="5">"#);
    for (c, h) in HEADINGS.iter().enumerate() {
        put(&mut sheet, 4, c as u16, (*h).into());
    }
    sheet.push_str("</row>");
    for i in 0..ROWS {
        let r = i + 5;
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for c in 0..HEADINGS.len() as u16 {
            let text = match c {
                0 => format!("C{:03}", 1 + i % 11),
                3 => SCORES[(i as usize / 11) % 4].to_string(),
                _ => format!(
                    "Row {i}, column {c}: text written for the limit case, {:08}",
                    i * 10 + c as u32
                ),
            };
            put(&mut sheet, r, c, text);
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        strings.len()
    );
    for t in &strings {
        sst.push_str(&format!("<si><t>{t}</t></si>"));
    }
    sst.push_str("</sst>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Assessment" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sst),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip part");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    std::fs::write(path, bytes).expect("write the limit case");
}
