//! Returns as Excel 365 saves them, with the officer's own notes and
//! conversations (threaded comments) on cells, some of which have problems:
//! the feedback keeps every note and conversation, adds ours beside them (a
//! reply in a conversation, so Excel shows it), passes the OOXML check, and
//! once the cells are put right and the workbook is checked again, ours are
//! gone and theirs are as they were.

use std::path::Path;

use regex::Regex;

use crate::common::{Dir, cli};
use crate::feedback_template::{
    assessment, compare, filled, fixes, marks, ooxml_check, problems, template,
};
use crate::officer::{self, read_zip, write_zip};

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const THREADS_NS: &str = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments";
const OFFICER: &str = "{5A3B1C2D-0000-4000-8000-00000000000A}";
const COLLEAGUE: &str = "{5A3B1C2D-0000-4000-8000-00000000000B}";
const THREAD_F5: &str = "{7E000000-0000-4000-8000-000000000001}";
const THREAD_D2: &str = "{7E000000-0000-4000-8000-000000000003}";

/// A note box in the drawing, as Excel writes one.
fn shape(id: u32, row: u32, col: u32) -> String {
    format!(
        r##"<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:{id};visibility:hidden" fillcolor="infoBackground [80]" o:insetmode="auto"><v:fill color2="infoBackground [80]"/><v:shadow color="none [81]" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{a}, 15, {r}, 2, {b}, 15, {c}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"##,
        a = col + 1,
        r = row,
        b = col + 3,
        c = row + 4,
    )
}

/// The text Excel puts in the note behind a conversation, for older
/// programs.
fn thread_note(text: &str) -> String {
    format!(
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any edits to it will get removed if the file is opened in a newer version of Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    {text}"
    )
}

/// The return as Excel 365 saves it after the officer has added notes
/// (legacy comments on F2 and D3) and started conversations (on F5, with
/// a colleague's reply, and on D2): the markup-compatibility namespaces
/// and attributes Excel writes, a notes drawing, threaded comments and the
/// workbook's list of people.
fn as_excel_365(xlsx: &Path, out: &Path) {
    let mut parts = read_zip(xlsx);
    let sheet = officer::sheet_parts(&parts)["Assessment"].clone();
    let (dir, file) = sheet.rsplit_once('/').unwrap();
    let mc = r#" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision""#;
    let row = Regex::new(r#"<row r="(\d+)""#).unwrap();
    for (name, bytes) in parts.iter_mut() {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let edited = if *name == sheet {
            let t = text.replacen(
                &format!("<worksheet xmlns=\"{MAIN_NS}\""),
                &format!("<worksheet xmlns=\"{MAIN_NS}\"{mc} xr:uid=\"{{00000000-0001-0000-0100-000000000000}}\""),
                1,
            );
            let t = row
                .replace_all(&t, r#"<row r="$1" x14ac:dyDescent="0.25""#)
                .into_owned();
            t.replace(
                "</worksheet>",
                r#"<legacyDrawing r:id="rIdVml"/></worksheet>"#,
            )
        } else if name == "xl/styles.xml" {
            text.replacen(
                &format!("<styleSheet xmlns=\"{MAIN_NS}\""),
                &format!("<styleSheet xmlns=\"{MAIN_NS}\"{mc}"),
                1,
            )
            .replacen("<fonts count=", "<fonts x14ac:knownFonts=\"1\" count=", 1)
        } else if name == "[Content_Types].xml" {
            text.replace(
                "</Types>",
                "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/><Override PartName=\"/xl/comments1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/><Override PartName=\"/xl/threadedComments/threadedComment1.xml\" ContentType=\"application/vnd.ms-excel.threadedcomments+xml\"/><Override PartName=\"/xl/persons/person.xml\" ContentType=\"application/vnd.ms-excel.person+xml\"/></Types>",
            )
        } else if name == "xl/_rels/workbook.xml.rels" {
            text.replace(
                "</Relationships>",
                "<Relationship Id=\"rIdPeople\" Type=\"http://schemas.microsoft.com/office/2017/10/relationships/person\" Target=\"persons/person.xml\"/></Relationships>",
            )
        } else {
            continue;
        };
        assert_ne!(edited, text, "{name} changed");
        *bytes = edited.into_bytes();
    }
    let comment = |cell: &str, author: usize, text: &str| {
        format!(
            "<comment ref=\"{cell}\" authorId=\"{author}\" shapeId=\"0\"><text><t xml:space=\"preserve\">{}</t></text></comment>",
            text.replace('&', "&amp;")
        )
    };
    let comments = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{MAIN_NS}\"><authors><author>tc={THREAD_D2}</author><author>Sam Officer</author><author>tc={THREAD_F5}</author></authors><commentList>{}{}{}{}</commentList></comments>",
        comment("D2", 0, &thread_note("Taken from the 2024 statement.")),
        comment("F2", 1, "Purple: our own colour for 'in progress'."),
        comment("D3", 1, "Check with HR."),
        comment("F5", 2, &thread_note("Not sure which score fits.")),
    );
    let vml = format!(
        r##"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>{}{}{}{}</xml>"##,
        shape(1025, 1, 3),
        shape(1026, 1, 5),
        shape(1027, 2, 3),
        shape(1028, 4, 5),
    );
    let thread = |cell: &str, person: &str, id: &str, parent: Option<&str>, text: &str| {
        format!(
            "<threadedComment ref=\"{cell}\" dT=\"2025-09-0{}T10:00:00.00\" personId=\"{person}\" id=\"{id}\"{}><text>{text}</text></threadedComment>",
            if parent.is_some() { 2 } else { 1 },
            parent
                .map(|p| format!(" parentId=\"{p}\""))
                .unwrap_or_default()
        )
    };
    let threads = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<ThreadedComments xmlns=\"{THREADS_NS}\" xmlns:x=\"{MAIN_NS}\">{}{}{}</ThreadedComments>",
        thread(
            "D2",
            OFFICER,
            THREAD_D2,
            None,
            "Taken from the 2024 statement."
        ),
        thread("F5", OFFICER, THREAD_F5, None, "Not sure which score fits."),
        thread(
            "F5",
            COLLEAGUE,
            "{7E000000-0000-4000-8000-000000000002}",
            Some(THREAD_F5),
            "Ask the moderator."
        ),
    );
    let people = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<personList xmlns=\"{THREADS_NS}\" xmlns:x=\"{MAIN_NS}\"><person displayName=\"Sam Officer\" id=\"{OFFICER}\" userId=\"sam.officer@eastmoor.gov.uk\" providerId=\"AD\"/><person displayName=\"Alex Colleague\" id=\"{COLLEAGUE}\" userId=\"alex.colleague@eastmoor.gov.uk\" providerId=\"AD\"/></personList>"
    );
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdThreads\" Type=\"http://schemas.microsoft.com/office/2017/10/relationships/threadedComment\" Target=\"../threadedComments/threadedComment1.xml\"/><Relationship Id=\"rIdVml\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing\" Target=\"../drawings/vmlDrawing1.vml\"/><Relationship Id=\"rIdNotes\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"../comments1.xml\"/></Relationships>";
    assert!(
        !parts
            .iter()
            .any(|(n, _)| n.ends_with(&format!("_rels/{file}.rels")))
    );
    for (name, text) in [
        (format!("{dir}/_rels/{file}.rels"), rels.to_string()),
        ("xl/comments1.xml".into(), comments),
        ("xl/drawings/vmlDrawing1.vml".into(), vml),
        ("xl/threadedComments/threadedComment1.xml".into(), threads),
        ("xl/persons/person.xml".into(), people),
    ] {
        parts.push((name, text.into_bytes()));
    }
    write_zip(out, &parts);
}

fn part(path: &Path, name: &str) -> String {
    let bytes = read_zip(path)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in {}", path.display()))
        .1;
    String::from_utf8(bytes).unwrap()
}

/// Each conversation entry: (cell, person, text, replying to).
fn conversation(path: &Path) -> Vec<(String, String, String, Option<String>)> {
    let xml = part(path, "xl/threadedComments/threadedComment1.xml");
    let entry = Regex::new(r#"(?s)<threadedComment ([^>]*)><text>(.*?)</text>"#).unwrap();
    let attr = |attrs: &str, key: &str| {
        Regex::new(&format!(r#"\b{key}="([^"]*)""#))
            .unwrap()
            .captures(attrs)
            .map(|c| c[1].to_string())
    };
    entry
        .captures_iter(&xml)
        .map(|c| {
            (
                attr(&c[1], "ref").unwrap(),
                attr(&c[1], "personId").unwrap(),
                c[2].to_string(),
                attr(&c[1], "parentId"),
            )
        })
        .collect()
}

/// The note on each cell, read by openpyxl-independent means: calamine
/// does not read notes, so the comments part is read directly.
fn notes(path: &Path) -> Vec<(String, String)> {
    let xml = part(path, "xl/comments1.xml");
    let comment = Regex::new(r#"(?s)<comment ref="([A-Z]+\d+)"[^>]*>(.*?)</comment>"#).unwrap();
    let t = Regex::new(r#"(?s)<t(?:\s[^>]*)?>(.*?)</t>"#).unwrap();
    comment
        .captures_iter(&xml)
        .map(|c| {
            let text: String = t.captures_iter(&c[2]).map(|m| m[1].to_string()).collect();
            (
                c[1].to_string(),
                text.replace("&amp;", "&").replace("&apos;", "'"),
            )
        })
        .collect()
}

#[test]
fn the_officer_s_notes_and_conversations_are_kept_and_ours_join_them() {
    let d = Dir::new();
    let case = assessment();
    let plain = filled(&d, &case, &template(&d, &case));
    let ret = d.path("Review - Culture (Excel 365).xlsx");
    as_excel_365(&plain, &ret);
    let before = problems(&ret);
    let cells: Vec<&str> = before.iter().filter_map(|p| p["cell"].as_str()).collect();
    assert!(cells.contains(&"F2") && cells.contains(&"F5"), "{cells:?}");
    assert!(
        !cells.contains(&"D2") && !cells.contains(&"D3"),
        "{cells:?}"
    );
    let theirs = conversation(&ret);
    let their_notes = notes(&ret);

    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        ret.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join(ret.file_name().unwrap());
    ooxml_check(&copy);
    if officer::has_openpyxl() {
        compare(&ret, &copy, &marks(&before), false);
    }
    assert_eq!(problems(&copy), before, "read like the return");

    // Their conversations are all there, and ours is a reply on F5 only.
    let now = conversation(&copy);
    assert_eq!(&now[..theirs.len() - 1], &theirs[..theirs.len() - 1]);
    let ours: Vec<_> = now.iter().filter(|c| !theirs.contains(c)).collect();
    assert_eq!(ours.len(), 1, "{now:#?}");
    assert_eq!(ours[0].0, "F5");
    assert_eq!(
        ours[0].3.as_deref(),
        Some(THREAD_F5),
        "a reply in their conversation"
    );
    assert!(ours[0].2.contains("has no score"), "{:?}", ours[0]);
    assert_eq!(now.last(), Some(ours[0]), "after the colleague's reply");
    let people = part(&copy, "xl/persons/person.xml");
    assert!(
        people.contains("displayName=\"Sam Officer\"")
            && people.contains("displayName=\"bestvalue\"")
    );

    // Their notes keep their words, with ours below on the marked cells.
    let now = notes(&copy);
    for (cell, text) in &their_notes {
        let (_, got) = now.iter().find(|(c, _)| c == cell).unwrap();
        assert!(got.starts_with(text.as_str()), "{cell}: {got}");
        let marked = cells.contains(&cell.as_str());
        assert_eq!(got.contains("bestvalue:"), marked, "{cell}: {got}");
    }
    let new_boxes = before
        .iter()
        .filter(|p| p["sheet"] == "Assessment")
        .filter(|p| !their_notes.iter().any(|(c, _)| p["cell"] == c.as_str()))
        .count();
    let vml = part(&copy, "xl/drawings/vmlDrawing1.vml");
    assert_eq!(
        vml.matches("<v:shape ").count(),
        their_notes.len() + new_boxes,
        "a box for each of their notes and each of ours on another cell"
    );

    // F2, I3 and F5 put right, and checked again: ours are gone from
    // them, theirs are as they were.
    let put_right = &before[..3];
    let fixed: Vec<&str> = put_right
        .iter()
        .filter_map(|p| p["cell"].as_str())
        .collect();
    assert_eq!(fixed, ["F2", "I3", "F5"]);
    let returned = d.path("returned.xlsx");
    officer::fill(&copy, &returned, &fixes(put_right));
    let second = d.path("fb2");
    let (_, _, err) = cli(&[
        "check",
        returned.to_str().unwrap(),
        "--feedback",
        second.to_str().unwrap(),
    ]);
    let again = second.join("returned.xlsx");
    assert!(again.exists(), "{err}");
    ooxml_check(&again);
    assert_eq!(conversation(&again), theirs);
    let now = notes(&again);
    for (cell, text) in &their_notes {
        let (_, got) = now.iter().find(|(c, _)| c == cell).unwrap();
        assert_eq!(got, text, "{cell}");
    }
    assert!(
        !now.iter().any(|(c, _)| c == "I3"),
        "our note on I3 is gone"
    );
    assert!(now.iter().any(|(c, _)| c == "F6"), "F6 still has no score");
}

/// The fill colour and whether there is a note, of each cell, by openpyxl.
fn looks(path: &Path, sheet: &str, cells: &[&str]) -> Vec<(String, bool)> {
    let script = format!(
        "import openpyxl\nws = openpyxl.load_workbook({path:?})[{sheet:?}]\nfor c in {cells:?}:\n    f = ws[c].fill\n    print((f.fgColor.rgb if f.fill_type == 'solid' else 'none')[-6:], ws[c].comment is not None)",
        path = path.to_str().unwrap(),
    );
    let out = officer::run(std::process::Command::new("python3").args(["-c", &script]));
    out.lines()
        .map(|l| {
            let (fill, note) = l.split_once(' ').unwrap();
            (fill.to_string(), note == "True")
        })
        .collect()
}

/// LibreOffice saves notes without their author and renumbers cell
/// formats: a feedback workbook saved by it and sent back with cells put
/// right still loses their marks.
#[test]
fn a_feedback_workbook_saved_by_libreoffice_loses_the_marks_of_cells_put_right() {
    if !officer::has_openpyxl() || !officer::has_soffice() {
        return;
    }
    let d = Dir::new();
    let case = assessment();
    let ret = filled(&d, &case, &template(&d, &case));
    let before = problems(&ret);
    let fb = d.path("fb1");
    let (code, _, err) = cli(&[
        "check",
        ret.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let saved = officer::convert(&fb.join("Review - Culture.xlsx"), "xlsx", &d.path("saved"));
    let put_right = &before[..3];
    let returned = d.path("returned.xlsx");
    officer::fill(&saved, &returned, &fixes(put_right));
    let fb2 = d.path("fb2");
    let (_, _, err) = cli(&[
        "check",
        returned.to_str().unwrap(),
        "--feedback",
        fb2.to_str().unwrap(),
    ]);
    let again = fb2.join("returned.xlsx");
    assert!(again.exists(), "{err}");
    let cells = ["F2", "I3", "F5", "F6"];
    let own = looks(&ret, "Assessment", &cells);
    let got = looks(&again, "Assessment", &cells);
    assert_eq!(&got[..3], &own[..3], "put right: their own fill, no note");
    assert_eq!(
        got[3],
        ("CC99FF".to_string(), true),
        "F6 still has no score"
    );
    ooxml_check(&again);
}
