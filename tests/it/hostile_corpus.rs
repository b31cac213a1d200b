//! Hostile input of our own making, beyond issue 17's list: files that are
//! not workbooks at all, zip bombs that lie about their size, XML nested a
//! million deep or declaring its own names, a folder named like a
//! workbook, links to nothing. Each is reported for what it is, the good
//! return beside them is still built, and no input is touched. The big
//! ones are made here at run time; `fuzz/hostile_corpus.py` runs a larger
//! corpus of the same kinds through the release build and prints the time
//! and memory each run took.

use std::io::{Cursor, Write};
use std::path::Path;

use crate::common::*;
use crate::hostile::patch_part;

fn control() -> Ret {
    Ret::assessment(
        "Review",
        "Partnerships and Community Engagement",
        "Robin Reviewer",
    )
    .row(&[s("PCE001"), s("Amber"), s("Control return")])
}

/// A return with one mistake in it (a score not on the scale), so that it
/// gets a feedback copy.
fn with_a_mistake() -> Vec<u8> {
    Ret::assessment("Review", "Culture", "Sam Officer")
        .row(&[s("C001"), s("Purple")])
        .bytes()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file below `dir`, its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else if meta.is_file() {
                out.push((
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The JSON report's problems for one file: (code, message).
fn said(report: &serde_json::Value, file: &str) -> Vec<(String, String)> {
    said_of(report, file, |_| true)
}

/// The errors the JSON report has for one file.
fn errors(report: &serde_json::Value, file: &str) -> Vec<(String, String)> {
    said_of(report, file, |p| p["severity"] == "error")
}

fn said_of(
    report: &serde_json::Value,
    file: &str,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file)
        .flat_map(|f| f["problems"].as_array().unwrap().iter())
        .filter(|p| keep(p))
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Files that are not workbooks, named as workbooks: each is an error of
/// its own saying what it seems to be, and nothing else is affected.
#[test]
fn files_that_are_not_workbooks_say_what_they_are() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    let r = d.returns();
    let zip_of = |parts: &[(&str, &[u8])]| {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("empty.xlsx", Vec::new(), "the file is empty (0 bytes)"),
        (
            "Report.xls",
            b"<html><body><table><tr><td>Code</td><td>Score</td></tr></table></body></html>"
                .to_vec(),
            "the file is a web page (HTML) with a spreadsheet's name",
        ),
        (
            "export.xlsx",
            b"Code,Score\r\nC001,Amber\r\n".to_vec(),
            "the file is text with its values separated by commas or tabs (CSV)",
        ),
        (
            "unicode.xlsx",
            "\u{feff}Code\tScore\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
            "the file is plain text",
        ),
        (
            "archive.xlsx",
            zip_of(&[("notes.txt", b"hello")]),
            "the file is a zip archive holding no workbook",
        ),
        (
            "gnumeric.xlsx",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3],
            "the file is not a spreadsheet that Excel or LibreOffice writes",
        ),
        (
            "declares-names.xlsx",
            patch_part(&with_a_mistake(), "xl/sharedStrings.xml", |x| {
                let x = String::from_utf8(x).unwrap();
                x.replacen("<sst", "<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">]><sst", 1)
                    .into_bytes()
            }),
            "its shared text (the text its cells show) declares names of its own",
        ),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(r.join(name), bytes).unwrap();
    }
    // A folder named like a workbook is a folder: the return in it is read.
    std::fs::create_dir(r.join("Returns.xlsx")).unwrap();
    std::fs::write(r.join("Returns.xlsx/inside.xlsx"), with_a_mistake()).unwrap();
    std::os::unix::fs::symlink("nowhere.xlsx", r.join("gone.xlsx")).unwrap();
    std::os::unix::fs::symlink("self.xlsx", r.join("self.xlsx")).unwrap();
    let before = snapshot(&r);
    let (code, stdout, stderr) = cli(&["check", p(&r), "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for (name, _, says) in &cases {
        let got = said(&report, name);
        assert!(
            got.iter()
                .any(|(c, m)| c == "cannot-open" && m.contains(says)),
            "{name}: {got:?}"
        );
    }
    assert!(
        said(&report, "Returns.xlsx/inside.xlsx")
            .iter()
            .any(|(c, _)| c == "score-not-in-scale")
    );
    assert!(errors(&report, "control.xlsx").is_empty());
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("a link to something that no longer exists"),
        "{skipped}"
    );
    assert!(
        skipped.contains("a link that leads back to itself"),
        "{skipped}"
    );
    // And the good return is built.
    let out = d.path("out.xlsx");
    let (code, _, stderr) = cli(&["build", p(&r), "--out", p(&out)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(out.exists());
    assert_eq!(snapshot(&r), before, "an input was touched");
}

/// A zip whose headers say a part is small while it unpacks to far more:
/// the sizes checked before unpacking were the lie, so the unpacking itself
/// stops at the size declared and calls the file damaged.
#[test]
fn a_zip_bomb_lying_about_its_size_is_damage() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    // 8 MB of spaces in one cell, deflated to about 8 KB.
    let spaces = vec![b' '; 8 << 20];
    let bytes = patch_part(&with_a_mistake(), "xl/worksheets/sheet1.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        let at = x.find("</sheetData>").unwrap();
        [
            &x.as_bytes()[..at],
            b"<row r=\"900\"><c r=\"A900\" t=\"inlineStr\"><is><t>",
            &spaces,
            b"</t></is></c></row>",
            &x.as_bytes()[at..],
        ]
        .concat()
    });
    let bytes = deflated(&bytes);
    let lying = declare_small(&bytes, "xl/worksheets/sheet1.xml", 2048);
    std::fs::write(d.returns().join("bomb.xlsx"), &lying).unwrap();
    let (code, stdout, stderr) = cli(&["check", p(&d.returns()), "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let got = said(&report, "bomb.xlsx");
    assert!(
        got.iter().any(|(c, m)| c == "cannot-open"
            && m.contains("xl/worksheets/sheet1.xml does not unpack to what was saved")),
        "{got:?}"
    );
    assert!(errors(&report, "control.xlsx").is_empty());
}

/// The same parts, deflated (`patch_part` stores them).
fn deflated(bytes: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size the zip's headers give for `part` (in
/// its local header and in the central directory) to `size`.
fn declare_small(bytes: &[u8], part: &str, size: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let name = part.as_bytes();
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut patched = 0;
    let mut i = 0;
    while i + 46 < out.len() {
        let sig = u32_at(&out, i);
        // Local header: name at 30, size at 22; central: name at 46, size at 24.
        let (name_at, len_at, size_at) = match sig {
            0x0403_4b50 => (30, 26, 22),
            0x0201_4b50 => (46, 28, 24),
            _ => {
                i += 1;
                continue;
            }
        };
        let len = u16_at(&out, i + len_at);
        if out.get(i + name_at..i + name_at + len) == Some(name) {
            out[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
        i += 4;
    }
    assert_eq!(patched, 2, "the local and central headers of {part}");
    out
}

/// workbook.xml nested half a million elements deep: the reader takes it,
/// and the feedback editor read it into a tree whose writing overflowed the
/// stack, aborting the whole run (no feedback, no chase list). Now the
/// editor refuses the part, and that return's feedback is an Excel copy
/// made from its values, saying why; the others and the chase list are
/// written as ever.
#[test]
fn a_part_nested_half_a_million_deep_gets_a_copy_not_a_crash() {
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    let deep = patch_part(&with_a_mistake(), "xl/workbook.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        let nest = format!("{}{}", "<x>".repeat(500_000), "</x>".repeat(500_000));
        x.replacen("<sheets>", &format!("{nest}<sheets>"), 1)
            .into_bytes()
    });
    std::fs::write(d.returns().join("Deep.xlsx"), deep).unwrap();
    d.put(
        "Review - Leadership.xlsx",
        &Ret::assessment("Review", "Leadership", "A").row(&[s("L001"), s("Purple")]),
    );
    let fb = d.path("fb");
    let chase = d.path("chase.xlsx");
    let (code, _, err) = cli(&[
        "check",
        p(&d.returns()),
        "--feedback",
        p(&fb),
        "--chase",
        p(&chase),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Wrote 2 feedback workbooks"), "{err}");
    let list = sheet(&fb.join("Deep.xlsx"), "Problems").concat().join(" ");
    assert!(
        list.contains("could not be marked up as it is")
            && list.contains("nested more than 1000 deep"),
        "{list}"
    );
    assert!(fb.join("Review - Leadership.xlsx").exists());
    assert!(chase.exists());
}

/// The same damage in an .ods as in an .xlsx: a stray `<` in a cell's text
/// was read past in silence.
#[test]
fn a_stray_angle_bracket_in_an_ods_is_damage() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    let ods = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libreoffice-review.ods"),
    )
    .unwrap();
    let bad = patch_part(&ods, "content.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        let at = x.rfind("<text:p>").unwrap() + "<text:p>".len();
        format!("{}cost < benefit {}", &x[..at], &x[at..]).into_bytes()
    });
    std::fs::write(d.returns().join("Review.ods"), bad).unwrap();
    let (code, stdout, stderr) = cli(&["check", p(&d.returns()), "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let got = said(&report, "Review.ods");
    assert!(
        got.iter().any(|(c, m)| c == "cannot-open"
            && m.contains("has a tag that does not match")
            && m.contains("its sheet \"")),
        "{got:?}"
    );
}

/// A sheet that declares the whole grid as its dimension, and one with a
/// cell past Excel's last row: read for what they hold, quickly, not for
/// what they declare.
#[test]
fn declared_dimensions_and_far_cells_cost_nothing() {
    let d = Dir::new();
    let wide = patch_part(&with_a_mistake(), "xl/worksheets/sheet1.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        let x = match x.find("<dimension") {
            Some(at) => {
                let end = at + x[at..].find("/>").unwrap() + 2;
                format!(
                    "{}<dimension ref=\"A1:XFD1048576\"/>{}",
                    &x[..at],
                    &x[end..]
                )
            }
            None => x.replacen(
                "<sheetData",
                "<dimension ref=\"A1:XFD1048576\"/><sheetData",
                1,
            ),
        };
        x.into_bytes()
    });
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join("wide.xlsx"), wide).unwrap();
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let p = find(&o, "score-not-in-scale");
    assert_eq!(p.location.file, "wide.xlsx");
    assert!(o.written.is_some());
}
