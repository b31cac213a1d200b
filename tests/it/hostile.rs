//! Hostile and damaged content (issue 17): damage met part-way through a
//! sheet, damage in the zip itself, encrypted and amplifying files. Each
//! file is read beside a good return: the damaged one is reported, never
//! read in part or in silence, and the good one is still read. Files and
//! folders that are not what they seem are in `hostile_files.rs`.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use crate::common::*;
use bestvalue::Outcome;
use bestvalue::records::ReturnKind;

/// A good return beside every bad one: it must still be read.
fn control() -> Ret {
    Ret::assessment(
        "Review",
        "Partnerships and Community Engagement",
        "Robin Reviewer",
    )
    .row(&[s("PCE001"), s("Amber"), s("Control return")])
}

/// The return every damaged file is made from: two rows of three cells.
fn good() -> Vec<u8> {
    Ret::assessment("Review", "Culture", "Sam Officer")
        .row(&[s("C001"), s("Amber"), s("Good work")])
        .row(&[s("C002"), s("Yellow"), s("Some gaps")])
        .bytes()
}

/// Rewrites one part of a zip, byte for byte; every part is stored, so a
/// test can reach into the bytes of the result.
pub fn patch_part(bytes: &[u8], part: &str, f: impl FnOnce(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut f = Some(f);
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == part {
            data = (f.take().unwrap())(data);
        }
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file(name, stored).unwrap();
        w.write_all(&data).unwrap();
    }
    assert!(f.is_none(), "no part {part}");
    w.finish().unwrap().into_inner()
}

/// Replaces the first match of `pattern` (a regex over the part's text).
fn replace(part: Vec<u8>, pattern: &str, with: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(part).unwrap();
    let m = regex::Regex::new(pattern).unwrap().find(&text).unwrap();
    [
        &text.as_bytes()[..m.start()],
        with,
        &text.as_bytes()[m.end()..],
    ]
    .concat()
}

const SHEET: &str = "xl/worksheets/sheet2.xml";
const STRINGS: &str = "xl/sharedStrings.xml";

/// Reads `bytes` as `file` beside the control return.
fn read_beside_control(file: &str, bytes: &[u8]) -> Outcome {
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join(file), bytes).unwrap();
    d.put("control.xlsx", &control());
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    // The good return is still read, and the workbook written.
    let fw = &o.framework;
    let pce = o.assessment.level(fw.find_code("PCE001").unwrap());
    assert_eq!(pce.map(|l| fw.scale[l].label.as_str()), Some("Amber"));
    assert!(o.written.is_some());
    o
}

/// The one error about `file`: an unreadable file, nothing of it used.
fn unreadable<'a>(o: &'a Outcome, file: &str, code: &str) -> &'a bestvalue::problems::Problem {
    let mine: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.location.file == file)
        .collect();
    assert_eq!(mine.len(), 1, "{file}: {mine:#?}");
    let p = mine[0];
    assert_eq!(p.kind.code(), code, "{file}: {p}");
    assert!(p.is_error());
    assert!(!p.hint.is_empty());
    let r = o.returns.iter().find(|r| r.file == file).unwrap();
    assert_eq!(r.kind, ReturnKind::Unreadable);
    assert_eq!((r.rows_read, r.rows_used, r.rows_reported), (0, 0, 0));
    // Nothing from it: C001 and C002 were scored only there.
    let fw = &o.framework;
    assert_eq!(o.assessment.level(fw.find_code("C001").unwrap()), None);
    p
}

/// Damage met part-way through a sheet used to stop reading there and
/// keep what was read, with no problem at all: the rest of the return was
/// lost in silence. A stray `<` in a cell's text (some programs other than
/// Excel write one) was worse: the reader skipped the cells after it and
/// read on, so a score went missing and the officer was told it had none.
/// Now the file is reported, naming the sheet and the cell the damage is
/// in, and nothing in it is used.
#[test]
fn damage_inside_a_sheet_is_reported_with_the_sheet_and_cell() {
    let cases: [(&str, &str, &[u8], &str, &str); 6] = [
        // A third-party writer's unescaped ampersand.
        (
            "ampersand.xlsx",
            r#"<c r="C2"[^>]*>.*?</c>"#,
            br#"<c r="C2" t="inlineStr"><is><t>R&D</t></is></c>"#,
            "C2",
            "in cell C2: it is not well-formed",
        ),
        // An unescaped angle bracket: read on in silence before.
        (
            "angle-bracket.xlsx",
            r#"<c r="C2"[^>]*>.*?</c>"#,
            br#"<c r="C2" t="inlineStr"><is><t>cost < benefit</t></is></c>"#,
            "C2",
            "in cell C2: it has a tag that does not match",
        ),
        // Bytes that are not UTF-8.
        (
            "not-utf8.xlsx",
            r#"<c r="C2"[^>]*>.*?</c>"#,
            b"<c r=\"C2\" t=\"inlineStr\"><is><t>caf\xE9</t></is></c>",
            "C2",
            "in cell C2: it holds bytes that are not text",
        ),
        // An entity XML does not define.
        (
            "entity.xlsx",
            r#"<c r="C2"[^>]*>.*?</c>"#,
            br#"<c r="C2" t="inlineStr"><is><t>a&nbsp;b</t></is></c>"#,
            "C2",
            "in cell C2: it uses the name &nbsp; which XML does not define",
        ),
        // A shared-string index past the end of the table: well-formed,
        // found by the reader, after the last cell it read.
        (
            "string-index.xlsx",
            r#"<c r="B2"([^>]*)><v>\d+</v>"#,
            br#"<c r="B2" t="s"><v>99999</v>"#,
            "A2",
            "after cell A2, the last cell that could be read: a cell refers to an entry of the shared text that is not there",
        ),
        // A sheet cut short in its second row.
        (
            "cut-short.xlsx",
            r#"<c r="C2"[^>]*>.*"#,
            b"",
            "B2",
            "after cell B2, the last cell that could be read: it ends part-way through (it was cut short)",
        ),
    ];
    for (file, pattern, with, cell, place) in cases {
        let bytes = patch_part(&good(), SHEET, |x| replace(x, pattern, with));
        let o = read_beside_control(file, &bytes);
        let p = unreadable(&o, file, "cannot-open");
        assert_eq!(
            p.location.to_string(),
            format!("{file} › Assessment › {cell}")
        );
        assert!(
            p.message
                .starts_with(&format!("The sheet \"Assessment\" is damaged {place}")),
            "{file}: {}",
            p.message
        );
        assert!(
            p.message.ends_with("so nothing in this file was used."),
            "{}",
            p.message
        );
    }
}

/// The same damage in the shared text (which every sheet uses) makes the
/// file unreadable too: the same code, nothing used, the others read.
#[test]
fn the_same_damage_in_the_shared_text_is_reported_the_same_way() {
    let cases: [(&str, &[u8]); 4] = [
        ("strings-ampersand.xlsx", b"<t>R&D</t>"),
        ("strings-not-utf8.xlsx", b"<t>caf\xE9</t>"),
        ("strings-entity.xlsx", b"<t>a&nbsp;b</t>"),
        // Read on in silence before, every later entry one place out.
        ("strings-angle-bracket.xlsx", b"<t>cost < benefit</t>"),
    ];
    for (file, with) in cases {
        let bytes = patch_part(&good(), STRINGS, |x| replace(x, "<t>Good work</t>", with));
        let o = read_beside_control(file, &bytes);
        let p = unreadable(&o, file, "cannot-open");
        assert!(
            p.message
                .starts_with("This file could not be opened: the file is damaged: its shared text"),
            "{file}: {}",
            p.message
        );
    }
    let bytes = patch_part(&good(), STRINGS, |x| x[..x.len() / 2].to_vec());
    let o = read_beside_control("strings-cut-short.xlsx", &bytes);
    unreadable(&o, "strings-cut-short.xlsx", "cannot-open");
}

/// A byte changed in a stored part used to be read as data: here the
/// score "Amber" became "Amcer", reported as the officer's mistake. The
/// part's checksum no longer matches, so the file is damaged.
#[test]
fn a_checksum_mismatch_is_damage_not_data() {
    let mut bytes = patch_part(&good(), "docProps/app.xml", |x| x);
    let at = bytes.windows(5).position(|w| w == b"Amber").unwrap();
    bytes[at + 2] = b'c';
    let o = read_beside_control("flipped.xlsx", &bytes);
    let p = unreadable(&o, "flipped.xlsx", "cannot-open");
    assert!(
        p.message
            .contains("xl/sharedStrings.xml does not unpack to what was saved"),
        "{}",
        p.message
    );
    assert!(
        !o.problems
            .iter()
            .any(|p| p.kind.code() == "score-not-in-scale")
    );
}

/// Two parts with one name: which one a reader takes is a guess, so the
/// file is damaged (it used to be read from one of them in silence).
#[test]
fn two_parts_with_one_name_are_damage() {
    // A copy of the sheet with another score, under a name of the same
    // length, then renamed to the sheet's own name in the zip's headers.
    let base = good();
    let mut z = zip::ZipArchive::new(Cursor::new(&base)).unwrap();
    let mut sheet = String::new();
    z.by_name(SHEET)
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    w.start_file("xl/worksheets/sheetX.xml", opts).unwrap();
    w.write_all(sheet.as_bytes()).unwrap();
    let mut bytes = w.finish().unwrap().into_inner();
    let from = b"xl/worksheets/sheetX.xml";
    while let Some(at) = bytes.windows(from.len()).position(|w| w == from) {
        bytes[at..at + from.len()].copy_from_slice(SHEET.as_bytes());
    }
    let o = read_beside_control("two-sheets.xlsx", &bytes);
    let p = unreadable(&o, "two-sheets.xlsx", "cannot-open");
    assert!(
        p.message.contains("two of its parts have the same name"),
        "{}",
        p.message
    );
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// calamine's own password-protected .xls (tests/fixtures/calamine/): our
/// size checks ran first and read its encrypted records as an impossible
/// size, calling it damaged. It is password-protected, and says how to
/// take the password off.
#[test]
fn a_password_protected_xls_is_reported_as_such() {
    let o = read_beside_control("protected.xls", &fixture("calamine/issue_385.xls"));
    let p = unreadable(&o, "protected.xls", "password-protected");
    assert!(!p.message.contains("damaged"), "{}", p.message);
    assert!(p.hint.contains("Encrypt with Password"), "{}", p.hint);
    assert!(p.hint.contains("LibreOffice"), "{}", p.hint);
}

/// calamine reserves room for as many shared strings as the part declares
/// before reading one: a count of a hundred billion aborted the whole run
/// (no other return built). It is damage, and the others are read.
#[test]
fn a_shared_text_count_past_what_is_there_is_damage() {
    let bytes = patch_part(&good(), STRINGS, |x| {
        replace(x, r#"uniqueCount="\d+""#, br#"uniqueCount="100000000000""#)
    });
    let o = read_beside_control("huge-count.xlsx", &bytes);
    let p = unreadable(&o, "huge-count.xlsx", "cannot-open");
    assert!(
        p.message.contains("100,000,000,000 entries but holds"),
        "{}",
        p.message
    );
}

/// One long text repeated across a thousand columns and a thousand rows
/// takes 40 KB as an .ods, and calamine copied it into every cell: 30 GB.
/// It is too large, before anything is copied.
#[test]
fn repeated_text_in_an_ods_is_counted_before_it_is_copied() {
    let base = fixture("libreoffice-review.ods");
    let bytes = patch_ods(&base, |c| {
        let at = c.find("</office:spreadsheet>").unwrap();
        let table = format!(
            r#"<table:table table:name="Copies"><table:table-row table:number-rows-repeated="999"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>{}</text:p></table:table-cell></table:table-row></table:table>"#,
            "x".repeat(30_000)
        );
        format!("{}{table}{}", &c[..at], &c[at..])
    });
    let o = read_beside_control("copies.ods", &bytes);
    let p = unreadable(&o, "copies.ods", "too-large");
    assert!(
        p.message
            .contains("more than 64 MB once repeated cells are counted"),
        "{}",
        p.message
    );
    // Sheets of a stray value each, too many together.
    let bytes = patch_ods(&base, |c| {
        let at = c.find("</office:spreadsheet>").unwrap();
        let stray = |n: usize| {
            format!(
                r#"<table:table table:name="Stray {n}"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="999"><table:table-cell table:number-columns-repeated="599"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#
            )
        };
        format!("{}{}{}{}", &c[..at], stray(1), stray(2), &c[at..])
    });
    let o = read_beside_control("strays.ods", &bytes);
    let p = unreadable(&o, "strays.ods", "too-large");
    assert!(
        p.message.contains("up to and including \"Stray 2\""),
        "{}",
        p.message
    );
}

fn patch_ods(bytes: &[u8], f: impl FnOnce(&str) -> String) -> Vec<u8> {
    patch_part(bytes, "content.xml", |x| {
        f(&String::from_utf8(x).unwrap()).into_bytes()
    })
}

/// An .xls whose one shared string of 30,000 characters is used by 60,000
/// cells: 840 KB on disk, 1.8 GB once calamine copies it into each cell.
/// Too large, counted from the records before calamine reads them.
#[test]
fn shared_text_in_an_xls_is_counted_in_every_cell_using_it() {
    let o = read_beside_control("shared.xls", &xls_sharing_one_string(30_000, 60_000));
    let p = unreadable(&o, "shared.xls", "too-large");
    assert!(
        p.message
            .contains("once shared text is counted in every cell"),
        "{}",
        p.message
    );
    // The same file with a short string is read (and is not a return).
    let o = read_beside_control("short.xls", &xls_sharing_one_string(10, 60_000));
    assert!(
        o.problems
            .iter()
            .any(|p| p.location.file == "short.xls" && p.kind.code() == "not-a-return")
    );
}

/// A BIFF8 workbook of one sheet: `cells` cells in column A, each showing
/// shared string 0, `chars` characters long (split over CONTINUE records
/// as Excel splits it).
fn xls_sharing_one_string(chars: usize, cells: u32) -> Vec<u8> {
    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        [
            &typ.to_le_bytes()[..],
            &(data.len() as u16).to_le_bytes(),
            data,
        ]
        .concat()
    }
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        rec(0x0809, &d)
    };
    // SST: counts, then the string's header and characters; past 8,224
    // bytes the characters run on in CONTINUE records, each starting with
    // the width byte.
    let mut sst = [
        &cells.to_le_bytes()[..],
        &1u32.to_le_bytes(),
        &(chars as u16).to_le_bytes(),
        &[0],
    ]
    .concat();
    let text = vec![b'x'; chars];
    let room = 8224 - sst.len();
    let (first, mut rest) = text.split_at(room.min(text.len()));
    sst.extend(first);
    let mut sst_records = rec(0x00FC, &sst);
    while !rest.is_empty() {
        let (part, more) = rest.split_at(rest.len().min(8223));
        sst_records.extend(rec(0x003C, &[&[0u8][..], part].concat()));
        rest = more;
    }
    let sheet_record = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, 6, 0]);
        d.extend(b"Shared");
        rec(0x0085, &d)
    };
    let globals_len =
        (bof(5).len() + sheet_record(0).len() + sst_records.len() + rec(0x000A, &[]).len()) as u32;
    let mut stream = bof(5);
    stream.extend(sheet_record(globals_len));
    stream.extend(sst_records);
    stream.extend(rec(0x000A, &[]));
    stream.extend(bof(0x10));
    let mut dim = 0u32.to_le_bytes().to_vec();
    dim.extend(cells.to_le_bytes());
    dim.extend([0, 0, 1, 0, 0, 0]);
    stream.extend(rec(0x0200, &dim));
    for row in 0..cells {
        let mut d = (row as u16).to_le_bytes().to_vec();
        d.extend([0, 0, 0, 0]); // column A, format 0
        d.extend(0u32.to_le_bytes()); // shared string 0
        stream.extend(rec(0x00FD, &d));
    }
    stream.extend(rec(0x000A, &[]));
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// A table of a million one-cell rows (inside the cell limit) kept one
/// record per row: 1.3 GB to build. Tables are read up to 100,000 rows;
/// past that the sheet is too large, and says how many rows it has.
#[test]
fn a_table_of_more_rows_than_a_return_has_is_too_large() {
    let bytes = patch_part(&good(), SHEET, |x| {
        let x = String::from_utf8(x).unwrap();
        let end = x.find("</sheetData>").unwrap();
        let mut rows = String::with_capacity(4_000_000);
        for r in 10..100_011u32 {
            rows.push_str(&format!(
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>C001</t></is></c></row>"#
            ));
        }
        format!("{}{rows}{}", &x[..end], &x[end..]).into_bytes()
    });
    let o = read_beside_control("long.xlsx", &bytes);
    let p = o
        .problems
        .iter()
        .find(|p| p.location.file == "long.xlsx" && p.kind.code() == "too-large")
        .unwrap();
    assert_eq!(p.location.to_string(), "long.xlsx › Assessment");
    assert!(
        p.message.contains("more than 100,000 rows"),
        "{}",
        p.message
    );
    assert_eq!(p.found.as_deref(), Some("100,003 rows"));
}

/// A return of 1,500 rows with unknown codes: every one counted, the first
/// 1,000 listed, and one problem saying how many more there are.
#[test]
fn problems_past_a_thousand_of_a_kind_are_counted_not_listed() {
    let mut r = Ret::assessment("Review", "Culture", "Sam Officer");
    for i in 0..1_500 {
        r = r.row(&[s(&format!("X{i:04}")), s("Amber")]);
    }
    let o = read_beside_control("junk.xlsx", &r.bytes());
    let unknown: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.location.file == "junk.xlsx" && p.kind.code() == "unknown-code")
        .collect();
    assert_eq!(unknown.len(), 1_001);
    let last = unknown.last().unwrap();
    assert_eq!(last.more, 500);
    assert_eq!(last.location.to_string(), "junk.xlsx");
    assert!(
        last.message.contains("…and 500 more problems like this"),
        "{}",
        last.message
    );
    assert!(o.problems.errors() >= 1_500, "{}", o.problems.errors());
    let r = o.returns.iter().find(|r| r.file == "junk.xlsx").unwrap();
    assert_eq!((r.rows_read, r.rows_reported), (1_500, 1_500));
}

/// One code on thousands of rows with different scores (a pasted block):
/// every row is reported and none counted as used, listed or only counted
/// (past the thousand, the rows were counted as used). Each message names
/// three of the other rows and counts the rest: it named them all, so time
/// and memory grew with the square of the rows (one return at the cell
/// limit took minutes and gigabytes).
#[test]
fn a_conflict_on_thousands_of_rows_is_counted_whole_and_named_briefly() {
    let mut r = Ret::assessment("Review", "Culture", "Sam Officer");
    for i in 0..3_000 {
        r = r.row(&[s("C001"), s(["Amber", "Yellow"][i % 2])]);
    }
    let o = read_beside_control("pasted.xlsx", &r.bytes());
    let info = o.returns.iter().find(|r| r.file == "pasted.xlsx").unwrap();
    assert_eq!(
        (info.rows_read, info.rows_used, info.rows_reported),
        (3_000, 0, 3_000)
    );
    let told: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.location.file == "pasted.xlsx" && p.kind.code() == "duplicate-code-conflict")
        .collect();
    assert_eq!(told.len(), 1_001);
    assert_eq!(told.last().unwrap().more, 2_000);
    assert_eq!(
        told[0].message,
        "C001 is scored Amber here, but Yellow in pasted.xlsx › Assessment › B3, Amber in pasted.xlsx › Assessment › B4, Yellow in pasted.xlsx › Assessment › B5 and 2,996 other rows (all Review round); none of these scores was used."
    );
}

/// Four million cell formats in a 1 MB file: calamine held them all
/// (600 MB, 14 s) before a cell was read. More than 200,000 style entries
/// (Excel allows 64,000 cell formats) is too large.
#[test]
fn millions_of_styles_are_too_large() {
    let bytes = patch_part(&good(), "xl/styles.xml", |x| {
        let many = "<xf fillId=\"0\"/>".repeat(200_001);
        replace(x, "<cellXfs[^>]*>", format!("<cellXfs>{many}").as_bytes())
    });
    let o = read_beside_control("styles.xlsx", &bytes);
    let p = unreadable(&o, "styles.xlsx", "too-large");
    assert!(
        p.message.contains("styles have more than 200,000 entries"),
        "{}",
        p.message
    );
}
