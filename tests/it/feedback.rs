//! Feedback workbooks read back: the marked cells are the problem cells, the
//! notes carry the fix, nothing the officer wrote is lost, and once the
//! marked cells are corrected the return checks clean.

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use std::path::Path;

/// A sheet's name and its non-empty cells (row, column, value).
type SheetCells = (String, Vec<(u32, u32, Data)>);

/// Every sheet's cells, by name, in order.
pub fn all_sheets(path: &Path) -> Vec<SheetCells> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let (r0, c0) = r.start().unwrap_or((0, 0));
            let cells = r
                .used_cells()
                .filter(|(_, _, v)| !matches!(v, Data::Empty))
                .map(|(r, c, v)| (r0 + r as u32, c0 + c as u32, v.clone()))
                .collect();
            (n, cells)
        })
        .collect()
}

fn cell(a1: &str) -> (u32, u32) {
    let col: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = a1[col.len()..].parse().unwrap();
    let c = col
        .chars()
        .fold(0, |n, ch| n * 26 + (ch as u32 - 'A' as u32 + 1))
        - 1;
    (row - 1, c)
}

pub fn fill_at(path: &Path, sheet: &str, a1: &str) -> Option<String> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let styles = wb.worksheet_style(sheet).unwrap();
    let (r, c) = cell(a1);
    let s = styles.get((r, c))?;
    let col = s.fill.as_ref()?.get_color()?;
    Some(format!("#{:02X}{:02X}{:02X}", col.red, col.green, col.blue))
}

/// What an officer does: opens the feedback copy, types over the marked
/// cells, saves. (Rewritten cell by cell with another writer.)
fn correct(src: &Path, dst: &Path, edits: &[(&str, &str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (name, cells) in all_sheets(src) {
        let ws = wb.add_worksheet().set_name(&name).unwrap();
        for (r, c, v) in cells {
            match v {
                Data::String(s) => ws.write_string(r, c as u16, s).map(|_| ()).unwrap(),
                Data::Float(f) => ws.write_number(r, c as u16, f).map(|_| ()).unwrap(),
                Data::DateTime(d) => {
                    let (y, m, dd, ..) = d.to_ymd_hms_milli();
                    let x = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, dd).unwrap();
                    ws.write_datetime_with_format(r, c as u16, &x, &date)
                        .map(|_| ())
                        .unwrap()
                }
                other => ws
                    .write_string(r, c as u16, other.to_string())
                    .map(|_| ())
                    .unwrap(),
            }
        }
        for (sheet, a1, value) in edits {
            if *sheet == name {
                let (r, c) = cell(a1);
                ws.write_string(r, c as u16, *value).unwrap();
            }
        }
    }
    wb.save(dst).unwrap();
}

#[test]
fn feedback_marks_the_cells_keeps_everything_and_corrects_clean() {
    let d = Dir::new();
    let bad = Ret::assessment("Review", "Continuous Improvement", "Alex Reviewer")
        .row(&[s("CI001"), s("Purple"), s("Some evidence."), s("A gap.")])
        .row(&[s("CI002"), s("Grey")])
        .row(&[
            s("CI003"),
            V::Fill("#FFC000"),
            s("Coloured, not chosen."),
            s("A gap."),
        ])
        .row(&[s("CI099"), s("Yellow"), s("Typo in the code."), s("A gap.")]);
    let original = d.put("Review - CI.xlsx", &bad);
    d.put(
        "Review - fine.xlsx",
        &Ret::assessment("Review", "Continuous Improvement", "B").row(&[
            s("CI010"),
            s("Amber"),
            s("ok"),
            s("A gap"),
        ]),
    );
    let fb = d.path("feedback");
    let (code, _, stderr) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Wrote 1 feedback workbook to"), "{stderr}");
    let copy = fb.join("Review - CI.xlsx");
    assert!(copy.exists());
    assert!(
        !fb.join("Review - fine.xlsx").exists(),
        "no feedback for a clean return"
    );

    // First sheet: the title, for the officer, and the list with links.
    let sheets = all_sheets(&copy);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Problems", "Instructions", "Assessment"]);
    let g = sheet(&copy, "Problems");
    assert_eq!(g[0][0], "Corrections from bestvalue · Review - CI.xlsx");
    assert_eq!(
        g[1][0],
        "3 things to correct in your Review return for Continuous Improvement"
    );
    assert!(g[2][0].starts_with("And 1 thing to check"), "{:?}", g[2]);
    let heading = g.iter().position(|r| r[0] == "#").unwrap();
    assert_eq!(g[heading][..3], ["#", "Must fix?", "Where"]);
    let listed: Vec<&str> = g[heading + 1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        listed,
        [
            "Assessment B2",
            "Assessment E3",
            "Assessment B4",
            "Assessment A5"
        ]
    );
    // The list is the package's new sheet part (the return had two).
    let xml = part(&copy, "xl/worksheets/sheet3.xml");
    assert!(
        xml.contains("location=\"'Assessment'!B2\""),
        "links to the cells"
    );
    // No folder of the machine it was checked on.
    assert!(!xml.contains(d.returns().to_str().unwrap()));

    // The marked cells are exactly the problem cells, each with its note;
    // the colour-only score keeps its colour (it is the score).
    for a1 in ["B2", "E3", "A5"] {
        assert_eq!(
            fill_at(&copy, "Assessment", a1).as_deref(),
            Some("#CC99FF"),
            "{a1} marked"
        );
    }
    assert_eq!(
        fill_at(&copy, "Assessment", "B4").as_deref(),
        Some("#FFC000")
    );
    for a1 in ["A2", "C2", "B3", "B5"] {
        assert_ne!(
            fill_at(&copy, "Assessment", a1).as_deref(),
            Some("#CC99FF"),
            "{a1} not marked"
        );
    }
    let notes = part(&copy, "xl/comments1.xml");
    assert!(notes.contains("To fix: Choose one of: Dark green, Light green, Yellow, Amber, Grey."));
    assert!(notes.contains("CI099 is not a code in the framework"));
    assert!(notes.contains("it was read as Amber"));

    // Nothing the officer wrote is lost: every value is where it was.
    let before = all_sheets(&original);
    let after = all_sheets(&copy);
    for (name, cells) in &before {
        let (_, got) = after.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(got, cells, "{name}");
    }

    // The officer corrects the marked cells and checks again: clean.
    let fixed_dir = d.path("resent");
    std::fs::create_dir_all(&fixed_dir).unwrap();
    let fixed = fixed_dir.join("Review - CI.xlsx");
    correct(
        &copy,
        &fixed,
        &[
            ("Assessment", "B2", "Amber"),
            ("Assessment", "B4", "Amber"),
            ("Assessment", "E3", "A national funding decision."),
            ("Assessment", "A5", "CI005"),
        ],
    );
    let (code, stdout, _) = cli(&["check", fixed.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let f = &json["files"][0];
    assert_eq!(f["problems"].as_array().unwrap().len(), 0, "{stdout}");
    assert_eq!(f["rows_read"], 4);
    assert_eq!(f["rows_used"], 4);
    // Only run-level warnings (characteristics in other themes) remain.
    assert_eq!(code, 0);
}

#[test]
fn feedback_folder_inside_the_returns_is_refused() {
    let d = Dir::new();
    d.put(
        "a.xlsx",
        &Ret::assessment("Review", "All themes", "A").row(&[s("CI001"), s("Purple")]),
    );
    let inside = d.returns().join("feedback");
    let (code, _, stderr) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is inside the returns folder"), "{stderr}");
}

/// An .ods written by hand: sheets of rows of text.
pub fn ods(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
    };
    let mut body = String::new();
    for (name, rows) in sheets {
        body.push_str(&format!("<table:table table:name=\"{}\">", esc(name)));
        for row in rows {
            body.push_str("<table:table-row>");
            for v in row {
                if v.is_empty() {
                    body.push_str("<table:table-cell/>");
                } else {
                    body.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        esc(v)
                    ));
                }
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>")
        .unwrap();
    z.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
}

pub fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn an_officer_s_own_problems_sheet_is_kept_and_the_list_takes_another_name() {
    let d = Dir::new();
    let mut r =
        Ret::assessment("Review", "Culture", "Alex Reviewer").row(&[s("C001"), s("Purple")]);
    r.sheet = "Problems".into();
    d.put("Review - Culture.xlsx", &r);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&copy).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Corrections", "Instructions", "Problems"]);
    assert_eq!(fill_at(&copy, "Problems", "B2").as_deref(), Some("#CC99FF"));
    // Sent back, the officer's sheet is read and the list is not.
    let (_, out, _) = cli(&["check", copy.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["files"][0]["rows_read"], 1, "{out}");
    let codes: Vec<&str> = json["files"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["score-not-in-scale"]);
    // The list's links go to the officer's sheet, not to the list itself.
    assert_eq!(links(&copy, "Corrections"), ["'Problems'!B2"]);

    // Sent back uncorrected and checked again: one list, still linking to
    // the officer's sheet.
    let again = d.path("fb2");
    let (code, _, err) = cli(&[
        "check",
        copy.to_str().unwrap(),
        "--feedback",
        again.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let second = again.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&second).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Corrections", "Instructions", "Problems"]);
    assert_eq!(links(&second, "Corrections"), ["'Problems'!B2"]);
    crate::feedback_template::ooxml_check(&second);
}

/// Where the links of a sheet go (`'Sheet'!B2`), in order.
pub fn links(path: &Path, sheet: &str) -> Vec<String> {
    let parts = crate::officer::read_zip(path);
    let part = &crate::officer::sheet_parts(&parts)[sheet];
    let xml = String::from_utf8(parts.iter().find(|(n, _)| n == part).unwrap().1.clone()).unwrap();
    let re = regex::Regex::new(r#"<hyperlink [^>]*location="([^"]*)""#).unwrap();
    re.captures_iter(&xml)
        .map(|c| c[1].replace("&apos;", "'").replace("&amp;", "&"))
        .collect()
}

#[test]
fn returns_with_the_same_name_get_feedback_files_of_their_own() {
    let d = Dir::new();
    let a = d.path("a/Return.xlsx");
    let b = d.path("b/Return.xlsx");
    let bad = Ret::assessment("Review", "Culture", "A").row(&[s("C001"), s("Purple")]);
    bad.write(&a);
    bad.write(&b);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Wrote 2 feedback workbooks"), "{err}");
    // Each return is named with its folder (a/Return.xlsx, b/Return.xlsx),
    // and its feedback copy kept in that folder.
    assert!(fb.join("a/Return.xlsx").exists());
    assert!(fb.join("b/Return.xlsx").exists());
}

#[test]
fn an_ods_with_names_and_text_excel_refuses_gets_an_excel_copy_that_says_so() {
    let d = Dir::new();
    let long_name = "Assessment of the council [draft]: version two";
    let essay = "x".repeat(40_000);
    ods(
        &d.returns().join("Review - Culture.ods"),
        &[
            (
                "Instructions",
                vec![
                    row(&["Return for testing"]),
                    row(&[]),
                    row(&["Return type", "Assessment"]),
                    row(&["Round", "Review"]),
                    row(&["Themes", "Culture"]),
                    row(&["Completed by", "Alex Reviewer"]),
                ],
            ),
            (
                long_name,
                vec![
                    row(&["Code", "Score", "Commentary"]),
                    row(&["C001", "Purple", &essay]),
                ],
            ),
        ],
    );
    let good = Ret::assessment("Review", "Culture", "B").row(&[s("C002"), s("Ambre")]);
    d.put("Review - other.xlsx", &good);
    let fb = d.path("fb");
    let chase = d.path("chase.xlsx");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
        "--chase",
        chase.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Wrote 2 feedback workbooks"), "{err}");
    assert!(chase.exists(), "the chase list is still written");
    let copy = fb.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&copy).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "Problems",
            "Instructions",
            "Assessment of the council _draf"
        ]
    );
    let list = sheet(&copy, "Problems");
    let said = list
        .iter()
        .map(|r| r[0].clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        said.contains("Your return was a LibreOffice (.ods) file."),
        "{said}"
    );
    assert!(
        said.contains("is called \"Assessment of the council _draf\" here"),
        "{said}"
    );
    assert!(
        said.contains("was cut in Assessment of the council _draf!C2"),
        "{said}"
    );
    // The marks follow the renamed sheet.
    assert_eq!(
        fill_at(&copy, "Assessment of the council _draf", "B2").as_deref(),
        Some("#CC99FF")
    );
    crate::feedback_template::ooxml_check(&copy);
}

#[test]
fn a_copy_that_cannot_be_made_is_reported_and_the_rest_are_written() {
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(
        d.returns().join("Broken.xlsx"),
        b"PK\x03\x04 not really a workbook",
    )
    .unwrap();
    d.put(
        "Review - Culture.xlsx",
        &Ret::assessment("Review", "Culture", "A").row(&[s("C001"), s("Purple")]),
    );
    let fb = d.path("fb");
    let chase = d.path("chase.xlsx");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
        "--chase",
        chase.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("No feedback workbook for Broken.xlsx: it could not be opened"),
        "{err}"
    );
    assert!(err.contains("Wrote 1 feedback workbook"), "{err}");
    assert!(fb.join("Review - Culture.xlsx").exists());
    assert!(chase.exists());
}

#[test]
fn feedback_on_a_feedback_workbook_replaces_its_list() {
    let d = Dir::new();
    d.put(
        "Review - Culture.xlsx",
        &Ret::assessment("Review", "Culture", "A")
            .row(&[s("C001"), s("Purple")])
            .row(&[s("C002"), s("Grey")]),
    );
    let first = d.path("fb1");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        first.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    // Sent back uncorrected and checked again.
    let second = d.path("fb2");
    let (code, _, err) = cli(&[
        "check",
        first.join("Review - Culture.xlsx").to_str().unwrap(),
        "--feedback",
        second.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = second.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&copy).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["Problems", "Instructions", "Assessment"],
        "one list"
    );
    assert_eq!(
        sheet(&copy, "Problems")[1][0],
        "2 things to correct in your Review return for Culture"
    );
    crate::feedback_template::ooxml_check(&copy);
}
