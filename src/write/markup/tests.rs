//! The package editor on a workbook with everything a template has
//! (protection, drop-downs, conditional formats, widths, merged areas,
//! names, notes, a hidden sheet), read back with calamine and by looking
//! inside the package.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, Format, FormatBorder, Note,
    Workbook,
};

use super::*;

const HIGHLIGHT: [u8; 3] = [0xCC, 0x99, 0xFF];

fn options() -> Options {
    Options {
        highlight: HIGHLIGHT,
        author: "bestvalue".into(),
    }
}

/// A small return: instructions, a protected table with a drop-down,
/// colouring rules, widths, a merged area, a note, and a hidden list.
fn sample() -> Vec<u8> {
    let mut wb = Workbook::new();
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title("A return")
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1).unwrap());
    wb.set_properties(&props);
    let ins = wb.add_worksheet().set_name("Instructions").unwrap();
    ins.write_string(0, 0, "Fill in the yellow cells.").unwrap();
    let header = Format::new()
        .set_bold()
        .set_font_color("#FFFFFF")
        .set_background_color("#1F3864");
    let input = Format::new()
        .set_background_color("#FFF2CC")
        .set_border(FormatBorder::Thin)
        .set_unlocked()
        .set_text_wrap();
    let ws = wb.add_worksheet().set_name("Assessment").unwrap();
    for (c, h) in ["Code", "Score", "Evidence", "Gaps", "Reason"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &header)
            .unwrap();
    }
    ws.set_column_width(0, 10).unwrap();
    ws.set_column_width(2, 50).unwrap();
    for (r, (code, score)) in [("CI001", "Purple"), ("CI002", "Grey"), ("CI003", "")]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *code).unwrap();
        ws.write_string_with_format(r, 1, *score, &input).unwrap();
        ws.write_string_with_format(r, 2, "Evidence.", &input)
            .unwrap();
    }
    ws.merge_range(5, 0, 5, 3, "A note across the table.", &Format::new())
        .unwrap();
    let dv = DataValidation::new()
        .allow_list_strings(&["Amber", "Yellow", "Grey"])
        .unwrap();
    ws.add_data_validation(1, 1, 40, 1, &dv).unwrap();
    let amber = Format::new().set_background_color("#FFC000");
    ws.add_conditional_format(
        1,
        1,
        40,
        1,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo("Amber"))
            .set_format(amber),
    )
    .unwrap();
    ws.insert_note(2, 2, &Note::new("My own note.").set_author("Officer"))
        .unwrap();
    ws.protect();
    ws.set_freeze_panes(1, 0).unwrap();
    ws.set_repeat_rows(0, 0).unwrap();
    let lists = wb.add_worksheet().set_name("Lists").unwrap();
    lists.write_string(0, 0, "Amber").unwrap();
    lists.set_hidden(true);
    wb.define_name("Levels", "=Lists!$A$1:$A$3").unwrap();
    wb.save_to_buffer().unwrap()
}

fn list(rows: usize) -> ProblemsSheet {
    ProblemsSheet {
        name: "Problems".into(),
        lines: vec![
            Line {
                text: "Corrections from bestvalue".into(),
                kind: LineKind::Small,
            },
            Line {
                text: format!("{rows} things to correct in your Review return"),
                kind: LineKind::Title,
            },
        ],
        columns: vec![
            Column {
                heading: "Where".into(),
                width: 16.0,
            },
            Column {
                heading: "What is wrong".into(),
                width: 40.0,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::Link {
                        text: format!("Assessment B{}", i + 2),
                        sheet: "Assessment".into(),
                        row: i as u32 + 1,
                        col: 1,
                    },
                    Cell::Text("Not a score.".into()),
                ]
            })
            .collect(),
        page_header: "Review return: corrections".into(),
        replaces: None,
    }
}

fn mark(sheet: &str, a1: &str, note: &str) -> Mark {
    let (row, col) = sheet::parse_ref(a1).unwrap();
    Mark {
        sheet: sheet.into(),
        row,
        col,
        note: note.into(),
        fill: true,
    }
}

fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts[name].clone()).unwrap()
}

/// Each sheet's name and its non-empty cells.
type Values = Vec<(String, Vec<(u32, u32, Data)>)>;

fn values(bytes: &[u8]) -> Values {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    wb.sheet_names()
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

fn style_at(bytes: &[u8], sheet: &str, a1: &str) -> calamine::Style {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let styles = wb.worksheet_style(sheet).unwrap();
    let (r, c) = sheet::parse_ref(a1).unwrap();
    styles.get((r, c as u32)).cloned().unwrap_or_default()
}

/// Between `from` and `to` in the text (both included).
fn section<'a>(xml: &'a str, from: &str, to: &str) -> &'a str {
    let a = xml.find(from).unwrap_or_else(|| panic!("{from} in {xml}"));
    let b = xml[a..].find(to).unwrap() + a + to.len();
    &xml[a..b]
}

#[test]
fn marks_are_added_and_nothing_else_changes() {
    let original = sample();
    let marks = [
        mark(
            "Assessment",
            "B2",
            "\"Purple\" is not a score.\nTo fix: choose one from the list.",
        ),
        mark("Assessment", "E3", "A Grey score needs a reason."),
        mark("Assessment", "C3", "Evidence is thin."),
        mark("Assessment", "B9", "Row nine has no score."),
        mark("Assessment", "C6", "Inside the merged note."),
        mark("Nowhere", "A1", "A sheet the workbook does not have."),
    ];
    let out = mark_up(&original, &marks, &list(3), &options()).unwrap();
    if let Ok(dir) = std::env::var("BESTVALUE_KEEP_MARKUP") {
        std::fs::write(format!("{dir}/marked.xlsx"), &out.bytes).unwrap();
        std::fs::write(format!("{dir}/original.xlsx"), &original).unwrap();
    }
    assert_eq!(out.not_placed, [5]);
    assert_eq!(out.moved, [4], "C6 is inside A6:D6");

    // Every sheet and value is where it was, after the new first sheet.
    let before = values(&original);
    let after = values(&out.bytes);
    assert_eq!(after[0].0, "Problems");
    assert_eq!(&after[1..], &before[..]);
    assert_eq!(
        after[0].1[0].2,
        Data::String("Corrections from bestvalue".into())
    );

    // The marked cells have the highlight and keep the rest of their look.
    for a1 in ["B2", "E3", "C3", "B9", "A6"] {
        let s = style_at(&out.bytes, "Assessment", a1);
        let c = s
            .fill
            .as_ref()
            .and_then(|f| f.get_color())
            .unwrap_or_else(|| panic!("{a1} filled"));
        assert_eq!([c.red, c.green, c.blue], HIGHLIGHT, "{a1}");
        let was = style_at(&original, "Assessment", a1);
        if was.is_empty() {
            continue; // a cell that was not there, or had the default look
        }
        assert_eq!(s.font, was.font, "{a1} font");
        assert_eq!(s.borders, was.borders, "{a1} borders");
        assert_eq!(s.protection, was.protection, "{a1} protection");
        assert_eq!(s.alignment, was.alignment, "{a1} alignment");
    }
    for a1 in ["A2", "B3", "C2", "A1"] {
        assert_eq!(
            style_at(&out.bytes, "Assessment", a1),
            style_at(&original, "Assessment", a1),
            "{a1}"
        );
    }

    // Inside the package: only the parts the marks need have changed.
    let (p0, p1) = (parts(&original), parts(&out.bytes));
    let changed: Vec<&String> = p0.keys().filter(|k| p1.get(*k) != Some(&p0[*k])).collect();
    // (The package's relationships gain the record of the highlights.)
    assert_eq!(
        changed,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/comments1.xml",
            "xl/drawings/vmlDrawing1.vml",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml"
        ]
    );
    // The first sheet only loses its selected tab: the list is selected now.
    assert_eq!(
        text(&p1, "xl/worksheets/sheet1.xml"),
        text(&p0, "xl/worksheets/sheet1.xml").replace(" tabSelected=\"1\"", "")
    );
    let added: Vec<&String> = p1.keys().filter(|k| !p0.contains_key(*k)).collect();
    assert_eq!(added, ["docProps/custom.xml", "xl/worksheets/sheet4.xml"]);
    // The record of which formats are highlights, for the next round.
    assert!(text(&p1, "docProps/custom.xml").contains("name=\"bestvalue highlights\""));
    let (s0, s1) = (
        text(&p0, "xl/worksheets/sheet2.xml"),
        text(&p1, "xl/worksheets/sheet2.xml"),
    );
    for (from, to) in [
        ("<dataValidations", "</dataValidations>"),
        ("<conditionalFormatting", "</conditionalFormatting>"),
        ("<sheetProtection", "/>"),
        ("<cols>", "</cols>"),
        ("<mergeCells", "</mergeCells>"),
        ("<sheetViews>", "</sheetViews>"),
        ("<legacyDrawing", "/>"),
    ] {
        assert_eq!(section(&s0, from, to), section(&s1, from, to), "{from}");
    }
    assert!(
        s1.contains("<row r=\"9\"><c r=\"B9\" s=\""),
        "a row made for B9: {s1}"
    );
    assert!(
        s1.contains("<dimension ref=\"A1:E9\"/>"),
        "the used range holds B9"
    );

    // Notes: the officer's own kept, ours added, each with a box.
    let comments = text(&p1, "xl/comments1.xml");
    assert!(comments.contains("My own note."));
    assert!(comments.contains("Evidence is thin."));
    assert!(
        comments.contains("&quot;Purple&quot; is not a score.")
            || comments.contains("\"Purple\" is not a score.")
    );
    assert!(comments.contains("Inside the merged note."));
    let vml = text(&p1, "xl/drawings/vmlDrawing1.vml");
    assert_eq!(
        vml.matches("ObjectType=\"Note\"").count(),
        5,
        "C3 shares the officer's box"
    );

    // The list opens first, its heading row prints on every page, and the
    // hidden sheet's and the print titles' names still point at their sheets.
    let wbx = text(&p1, "xl/workbook.xml");
    assert!(wbx.contains("<sheet name=\"Problems\" sheetId=\"4\" r:id=\"rId"));
    assert!(wbx.contains(
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Problems'!$4:$4</definedName>"
    ));
    assert!(wbx.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"2\">Assessment!$1:$1</definedName>"), "{wbx}");
    let app = text(&p1, "docProps/app.xml");
    assert!(
        app.contains("<vt:lpstr>Problems</vt:lpstr><vt:lpstr>Instructions</vt:lpstr>"),
        "{app}"
    );

    // Links to the cells.
    let problems = text(&p1, "xl/worksheets/sheet4.xml");
    assert!(problems.contains("location=\"'Assessment'!B2\""));

    // The same input gives the same bytes.
    assert_eq!(
        mark_up(&original, &marks, &list(3), &options())
            .unwrap()
            .bytes,
        out.bytes
    );
}

#[test]
fn a_sheet_without_notes_gets_its_first() {
    let original = sample();
    let out = mark_up(
        &original,
        &[mark("Instructions", "A1", "Read me.")],
        &list(1),
        &options(),
    )
    .unwrap();
    let p = parts(&out.bytes);
    let sheet = text(&p, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<legacyDrawing r:id=\"rId2\"/>"), "{sheet}");
    // After the page margins, as the schema orders it.
    assert!(sheet.find("<legacyDrawing").unwrap() > sheet.find("<pageMargins").unwrap());
    let rels = text(&p, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(rels.contains("Target=\"../comments2.xml\""), "{rels}");
    assert!(
        rels.contains("Target=\"../drawings/vmlDrawing2.vml\""),
        "{rels}"
    );
    let vml = text(&p, "xl/drawings/vmlDrawing2.vml");
    assert!(
        vml.contains("data=\"2\""),
        "a block of shape ids of its own: {vml}"
    );
    let types = text(&p, "[Content_Types].xml");
    assert!(types.contains("PartName=\"/xl/comments2.xml\""));
    assert!(types.contains("PartName=\"/xl/worksheets/sheet4.xml\""));
}

#[test]
fn an_earlier_list_is_replaced_not_doubled() {
    let original = sample();
    let first = mark_up(
        &original,
        &[mark("Assessment", "B2", "Old.")],
        &list(1),
        &options(),
    )
    .unwrap();
    let mut again = list(2);
    again.replaces = Some("Problems".into());
    let second = mark_up(
        &first.bytes,
        &[mark("Assessment", "B3", "New.")],
        &again,
        &options(),
    )
    .unwrap();
    let v = values(&second.bytes);
    let names: Vec<&str> = v.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Problems", "Instructions", "Assessment", "Lists"]);
    let p = parts(&second.bytes);
    assert!(
        !p.contains_key("xl/worksheets/sheet4.xml"),
        "the old list is gone"
    );
    let wbx = text(&p, "xl/workbook.xml");
    assert_eq!(
        wbx.matches("_xlnm.Print_Titles\" localSheetId=\"0\"")
            .count(),
        1
    );
    assert_eq!(
        v[0].1.iter().filter(|(_, c, _)| *c == 0).count(),
        2 + 1 + 2,
        "lines, heading, two rows"
    );
    // Without saying so, the name is refused.
    assert!(matches!(
        mark_up(&first.bytes, &[], &list(1), &options()),
        Err(MarkupError::SheetName(_))
    ));
}

/// The `s` attribute of a cell in a sheet part, as written.
fn format_index(bytes: &[u8], part: &str, a1: &str) -> Option<String> {
    let xml = text(&parts(bytes), part);
    let at = xml.find(&format!("<c r=\"{a1}\""))?;
    let tag = &xml[at..at + xml[at..].find('>')?];
    let s = tag.split(" s=\"").nth(1)?;
    Some(s[..s.find('"')?].to_string())
}

#[test]
fn cells_put_right_since_an_earlier_feedback_lose_their_marks() {
    let original = sample();
    // Round one: three cells marked; C3 has the officer's own note.
    let first = mark_up(
        &original,
        &[
            mark("Assessment", "B2", "Purple is not a score."),
            mark("Assessment", "C3", "Evidence is thin."),
            mark("Assessment", "B3", "Grey needs a reason."),
        ],
        &list(3),
        &options(),
    )
    .unwrap();
    // Round two, on the workbook sent back: only B3 is still wrong.
    let mut again = list(1);
    again.replaces = Some("Problems".into());
    let second = mark_up(
        &first.bytes,
        &[mark("Assessment", "B3", "Grey still needs a reason.")],
        &again,
        &options(),
    )
    .unwrap();
    let sheet = "xl/worksheets/sheet2.xml";
    for a1 in ["B2", "C3"] {
        assert_eq!(
            format_index(&second.bytes, sheet, a1),
            format_index(&original, sheet, a1),
            "{a1} has its own format back"
        );
        assert_eq!(
            style_at(&second.bytes, "Assessment", a1),
            style_at(&original, "Assessment", a1),
            "{a1}"
        );
    }
    assert_eq!(
        format_index(&second.bytes, sheet, "B3"),
        format_index(&first.bytes, sheet, "B3"),
        "still marked, with the same highlighted format"
    );
    let p = parts(&second.bytes);
    let comments = text(&p, "xl/comments1.xml");
    assert!(!comments.contains("Purple is not a score."), "{comments}");
    assert!(!comments.contains("Evidence is thin."), "{comments}");
    assert!(
        comments.contains("My own note."),
        "the officer's note stays"
    );
    assert!(comments.contains("Grey still needs a reason."));
    assert!(
        !comments.contains("Grey needs a reason."),
        "replaced, not added"
    );
    let vml = text(&p, "xl/drawings/vmlDrawing1.vml");
    assert_eq!(
        vml.matches("<v:shape ").count(),
        2,
        "boxes for the officer's note and B3 only"
    );
    // No more formats than the first round made.
    let xfs = |b: &[u8]| text(&parts(b), "xl/styles.xml").matches("<xf ").count();
    assert_eq!(xfs(&second.bytes), xfs(&first.bytes));

    // Round three: everything put right, the list replaced once more.
    let mut last = list(0);
    last.replaces = Some("Problems".into());
    let third = mark_up(&second.bytes, &[], &last, &options()).unwrap();
    for a1 in ["B2", "B3", "C3"] {
        assert_eq!(
            format_index(&third.bytes, sheet, a1),
            format_index(&original, sheet, a1),
            "{a1}"
        );
    }
    let comments = text(&parts(&third.bytes), "xl/comments1.xml");
    assert!(!comments.contains("Grey"), "{comments}");
    assert!(comments.contains("My own note."));
}

#[test]
fn damaged_packages_are_refused() {
    assert!(matches!(
        mark_up(b"not a zip", &[], &list(0), &options()),
        Err(MarkupError::NotAPackage(_))
    ));
    let original = sample();
    let mut p = parts(&original);
    p.insert(
        "xl/worksheets/sheet2.xml".into(),
        b"<worksheet><sheetData><row></sheetData>".to_vec(),
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (n, b) in &p {
        w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b).unwrap();
    }
    let broken = w.finish().unwrap().into_inner();
    let err = mark_up(
        &broken,
        &[mark("Assessment", "B2", "x")],
        &list(1),
        &options(),
    )
    .unwrap_err();
    assert!(
        matches!(err, MarkupError::Damaged { ref part, .. } if part == "xl/worksheets/sheet2.xml"),
        "{err}"
    );
}
