//! Issue 13's acceptance: returns made by `bestvalue template` (an
//! assessment and an action plan), filled in with mistakes, come back from
//! `check --feedback` as themselves, marked up. Compared with the return by
//! openpyxl (tests/compare_feedback.py): the same values, drop-downs,
//! protection, widths, fills and fonts on every sheet, and the problem cells
//! filled and noted. The copy is read exactly like the return, passes the
//! OOXML check, and once the marked cells are corrected it checks clean.
//! The same for a return re-saved by LibreOffice as .xlsx, and one saved as
//! .ods; and the Instructions sheet prints on as many pages as the
//! template's.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Dir, cli};
use crate::officer::{self, Edits, Typed, text};

pub const HIGHLIGHT: &str = "CC99FF";

pub struct Case {
    /// `bestvalue template` arguments (without --out).
    args: &'static [&'static str],
    file: &'static str,
    mistakes: Vec<(&'static str, &'static str, Typed)>,
}

pub fn assessment() -> Case {
    Case {
        args: &["--round", "Review", "--theme", "Culture"],
        file: "Review - Culture.xlsx",
        mistakes: vec![
            (
                "Assessment",
                "D2",
                text("We share our values at every induction."),
            ),
            ("Assessment", "F2", text("Purple")),
            ("Assessment", "F3", text("Grey")),
            ("Assessment", "F4", text("Amber")),
            (
                "Assessment",
                "H4",
                text("Members and officers meet too rarely."),
            ),
        ],
    }
}

pub fn action_plan() -> Case {
    Case {
        args: &["--actions"],
        file: "Actions.xlsx",
        mistakes: vec![
            ("Actions", "A2", text("BV-001")),
            ("Actions", "B2", text("Culture")),
            ("Actions", "C2", text("C003")),
            (
                "Actions",
                "E2",
                text("Members and officers meet too rarely."),
            ),
            ("Actions", "F2", text("Hold a quarterly joint session.")),
            ("Actions", "G2", text("Sam Officer")),
            ("Actions", "H2", text("Democratic Services")),
            ("Actions", "I2", text("next spring")),
            ("Actions", "J2", text("Nearly done")),
            ("Actions", "L2", Typed::Date(2025, 10, 31)),
        ],
    }
}

/// What the officer types into a marked cell, by the problem it has.
fn fix_for(code: &str) -> Typed {
    match code {
        // Light green: a score that needs no action, so no gap is asked for.
        "score-not-in-scale" => text("Light green"),
        "missing-gap" => text("Members and officers meet too rarely."),
        "missing-score" => text("Light green"),
        "missing-reason-for-grey" => text("A decision for members, outside officers' control."),
        "missing-officer" => text("Alex Reviewer"),
        "bad-date" => Typed::Date(2026, 3, 31),
        "unknown-status" => text("On track"),
        other => panic!("no fix planned for {other}"),
    }
}

/// The corrections of every problem, each typed into its cell.
pub fn fixes(problems: &[serde_json::Value]) -> Edits {
    let mut e = Edits::default();
    for p in problems {
        e.set(
            p["sheet"].as_str().unwrap(),
            p["cell"].as_str().unwrap(),
            fix_for(p["code"].as_str().unwrap()),
        );
    }
    e
}

pub fn edits(list: &[(&str, &str, Typed)]) -> Edits {
    let mut e = Edits::default();
    for (sheet, cell, v) in list {
        e.set(sheet, cell, v.clone());
    }
    e
}

pub fn template(d: &Dir, case: &Case) -> PathBuf {
    let out = d.path("templates");
    let mut args = vec!["template", "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(case.args);
    let (code, _, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    out.join(case.file)
}

/// This file's problems as `check --format json` gives them (file name
/// left out, so a copy's can be compared with the original's).
pub fn problems(path: &Path) -> Vec<serde_json::Value> {
    let (_, out, err) = cli(&["check", path.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    let mut files = json["files"].as_array().unwrap().clone();
    assert_eq!(files.len(), 1, "{out}");
    let mut f = files.remove(0);
    f.as_object_mut().unwrap().remove("file");
    f["problems"].as_array().unwrap().clone()
}

/// The cells the problems name, for the comparison script.
pub fn marks(problems: &[serde_json::Value]) -> String {
    problems
        .iter()
        .filter_map(|p| {
            let keep_fill = p["code"] == "score-from-colour";
            Some(format!(
                "{}!{}{}",
                p["sheet"].as_str()?,
                p["cell"]
                    .as_str()
                    .filter(|c| c.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()))?,
                if keep_fill { "~" } else { "" }
            ))
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn compare(ret: &Path, fb: &Path, marks: &str, converted: bool) {
    let mut cmd = Command::new("python3");
    cmd.arg(officer::script("compare_feedback.py"))
        .arg(ret)
        .arg(fb)
        .arg(HIGHLIGHT)
        .arg(marks);
    if converted {
        cmd.arg("--converted");
    }
    officer::run(&mut cmd);
}

/// The OOXML check every workbook we write must pass, when it is installed.
pub fn ooxml_check(path: &Path) {
    ooxml_check_all(&[path.to_path_buf()]);
}

/// The OOXML check on several workbooks at once (one Python start).
pub fn ooxml_check_all(paths: &[PathBuf]) {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/ooxml_check.py");
    let ok = tool.exists()
        && Command::new("python3")
            .args(["-c", "import openxml_audit"])
            .output()
            .is_ok_and(|o| o.status.success());
    if officer::available(
        "the OOXML check (../shared/tools/ooxml_check.py, openxml-audit)",
        ok,
        "pip install openxml-audit",
    ) {
        officer::run(Command::new("python3").arg(tool).args(paths));
    }
}

/// Every feedback workbook made from the samples' returns and from a
/// generated council's passes the OOXML check.
#[test]
fn every_feedback_workbook_from_the_samples_and_a_generated_council_passes_the_ooxml_check() {
    let d = Dir::new();
    let council = d.path("council");
    let (code, _, err) = cli(&[
        "generate",
        "--council",
        council.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut written = Vec::new();
    for (i, folder) in [crate::common::samples(), council].iter().enumerate() {
        let fb = d.path(&format!("fb{i}"));
        let (_, _, err) = cli(&[
            "check",
            folder.to_str().unwrap(),
            "--feedback",
            fb.to_str().unwrap(),
        ]);
        let files: Vec<PathBuf> = walk(&fb);
        assert!(!files.is_empty(), "{err}");
        assert!(
            err.contains(&format!("Wrote {} feedback workbook", files.len())),
            "{err}"
        );
        written.extend(files);
    }
    ooxml_check_all(&written);
}

/// The files below a folder, in order.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Runs the whole round trip on one return; `converted` for an .ods.
fn round_trip(d: &Dir, case: &Case, ret: &Path, compare_with: &Path, converted: bool) {
    let before = problems(ret);
    assert!(!before.is_empty());
    let fb = d.path(&format!(
        "feedback-{}",
        ret.extension().unwrap().to_string_lossy()
    ));
    let (code, _, err) = cli(&[
        "check",
        ret.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Wrote 1 feedback workbook"), "{err}");
    let copy = fb.join(case.file);
    assert!(copy.exists(), "{err}");
    ooxml_check(&copy);
    compare(compare_with, &copy, &marks(&before), converted);
    if converted {
        // The list says the copy was made, and why.
        let said: String = crate::common::sheet(&copy, "Problems")
            .iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            said.contains("Your return was a LibreOffice (.ods) file. Notes and highlights can only be added to a workbook in Excel's current format (.xlsx)"),
            "{said}"
        );
    }

    // Sent back as it is, it reads exactly like the return.
    assert_eq!(problems(&copy), before, "the copy reads like the return");

    // The officer corrects the marked cells in the copy: clean.
    let fixed = d.path(&format!("fixed-{}", case.file));
    officer::fill(&copy, &fixed, &fixes(&before));
    let after = problems(&fixed);
    assert!(after.is_empty(), "{after:#?}");
}

pub fn filled(d: &Dir, case: &Case, t: &Path) -> PathBuf {
    let ret = d.path(case.file);
    officer::fill(t, &ret, &edits(&case.mistakes));
    ret
}

#[test]
fn template_returns_come_back_as_themselves_marked_up() {
    if !officer::has_openpyxl() {
        return;
    }
    for case in [assessment(), action_plan()] {
        let d = Dir::new();
        let ret = filled(&d, &case, &template(&d, &case));
        round_trip(&d, &case, &ret, &ret, false);
    }
}

/// Officers' returns are often filled in by scripts with openpyxl, which
/// writes a font's children out of the schema's order: the copy passes the
/// OOXML check all the same (its stylesheet is rewritten in order).
#[test]
fn returns_filled_in_by_openpyxl_come_back_marked_up_in_schema_order() {
    if !officer::has_openpyxl() {
        return;
    }
    for case in [assessment(), action_plan()] {
        let d = Dir::new();
        let ret = d.path(case.file);
        officer::fill_with_openpyxl(&template(&d, &case), &ret, &edits(&case.mistakes));
        round_trip(&d, &case, &ret, &ret, false);
    }
}

#[test]
fn returns_saved_by_libreoffice_come_back_marked_up() {
    if !officer::has_openpyxl() || !officer::has_soffice() {
        return;
    }
    for case in [assessment(), action_plan()] {
        let d = Dir::new();
        let ret = filled(&d, &case, &template(&d, &case));
        let resaved = officer::convert(&ret, "xlsx", &d.path("resaved"));
        round_trip(&d, &case, &resaved, &resaved, false);
        let ods = officer::convert(&ret, "ods", &d.path("ods"));
        round_trip(&d, &case, &ods, &ret, true);
    }
}

/// Pages LibreOffice prints for a sheet (its name is in every footer).
fn pages_of(book: &Path, sheet: &str, d: &Dir) -> usize {
    let out = d.path(&format!(
        "pdf-{}",
        book.file_stem().unwrap().to_string_lossy()
    ));
    let pdf = officer::convert(book, "pdf", &out);
    let text = officer::run(Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-"));
    text.split('\u{c}')
        .filter(|page| {
            page.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with(sheet))
        })
        .count()
}

#[test]
fn instructions_print_on_as_many_pages_as_the_template_s() {
    if !officer::has_soffice() {
        return;
    }
    let d = Dir::new();
    let case = assessment();
    let t = template(&d, &case);
    let ret = filled(&d, &case, &t);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        ret.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let template_pages = pages_of(&t, "Instructions", &d);
    assert!(template_pages >= 1);
    assert_eq!(
        pages_of(&fb.join(case.file), "Instructions", &d),
        template_pages
    );
}

/// A stand-in for a macro project: a compound file like Excel's
/// `vbaProject.bin`. The tool copies the part byte for byte whatever it
/// holds, which is what is tested.
fn macro_project() -> Vec<u8> {
    use std::io::Write;
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/PROJECT")
        .unwrap()
        .write_all(b"ID=\"{00000000-0000-0000-0000-000000000000}\"\r\nName=\"VBAProject\"\r\n")
        .unwrap();
    cf.create_storage("/VBA").unwrap();
    cf.create_stream("/VBA/dir")
        .unwrap()
        .write_all(&[1, 0, 4, 0, 0, 0, 1, 0, 0, 0])
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// The return saved as a macro-enabled workbook: the workbook's content
/// type says so, and it holds a macro project.
fn as_xlsm(xlsx: &Path, xlsm: &Path) {
    let mut parts = officer::read_zip(xlsx);
    for (name, bytes) in parts.iter_mut() {
        let text = || String::from_utf8(bytes.clone()).unwrap();
        if name == "[Content_Types].xml" {
            let t = text()
                .replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                .replace(
                    "</Types>",
                    "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>",
                );
            assert!(t.contains("application/vnd.ms-excel.sheet.macroEnabled.main+xml"));
            *bytes = t.into_bytes();
        } else if name == "xl/_rels/workbook.xml.rels" {
            *bytes = text()
                .replace("</Relationships>", "<Relationship Id=\"rIdVba\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" Target=\"vbaProject.bin\"/></Relationships>")
                .into_bytes();
        }
    }
    parts.push(("xl/vbaProject.bin".into(), macro_project()));
    officer::write_zip(xlsm, &parts);
}

#[test]
fn macro_enabled_returns_keep_their_macros_and_their_kind() {
    let d = Dir::new();
    let case = assessment();
    let xlsx = filled(&d, &case, &template(&d, &case));
    let ret = d.path("Review - Culture.xlsm");
    as_xlsm(&xlsx, &ret);
    let before = problems(&ret);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        ret.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join("Review - Culture.xlsm");
    assert!(copy.exists(), "the copy keeps the .xlsm extension: {err}");
    assert!(!fb.join("Review - Culture.xlsx").exists());
    let got = |name: &str| {
        officer::read_zip(&copy)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
            .unwrap_or_else(|| panic!("no {name} in the copy"))
    };
    let project = |path: &Path| {
        officer::read_zip(path)
            .into_iter()
            .find(|(n, _)| n == "xl/vbaProject.bin")
            .map(|(_, b)| b)
    };
    assert!(
        project(&ret).is_some_and(|p| p == got("xl/vbaProject.bin")),
        "the macros, byte for byte"
    );
    let types = String::from_utf8(got("[Content_Types].xml")).unwrap();
    assert!(
        types.contains("PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\""),
        "{types}"
    );
    assert!(
        types.contains("Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"")
    );
    let rels = String::from_utf8(got("xl/_rels/workbook.xml.rels")).unwrap();
    assert!(rels.contains("Target=\"vbaProject.bin\""), "{rels}");
    // Marked up like any return, and read like the return.
    if officer::has_openpyxl() {
        compare(&ret, &copy, &marks(&before), false);
    }
    assert_eq!(problems(&copy), before);
    ooxml_check(&copy);
}

#[test]
fn xls_returns_come_back_as_xlsx_copies_with_their_values_and_widths() {
    if !officer::has_openpyxl() || !officer::has_soffice() {
        return;
    }
    let d = Dir::new();
    let case = assessment();
    let ret = filled(&d, &case, &template(&d, &case));
    let xls = officer::convert(&ret, "xls", &d.path("xls"));
    let before = problems(&xls);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        xls.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join("Review - Culture.xlsx");
    assert!(copy.exists(), "{err}");
    ooxml_check(&copy);
    // The same values on every sheet, the widths of the return's columns
    // (read from the .xls itself), every problem cell marked.
    let mut cmd = Command::new("python3");
    cmd.arg(officer::script("compare_feedback.py"))
        .arg(&ret)
        .arg(&copy)
        .arg(HIGHLIGHT)
        .arg(marks(&before))
        .arg("--values-and-widths");
    officer::run(&mut cmd);
    // The list says what happened and why.
    let said: String = crate::common::sheet(&copy, "Problems")
        .iter()
        .map(|r| r[0].clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        said.contains("Your return was an Excel 97-2003 (.xls) file. Notes and highlights can only be added to a workbook in Excel's current format (.xlsx), so this is a copy of it in that format"),
        "{said}"
    );
    // Sent back as it is, it reads like the return.
    assert_eq!(problems(&copy), before);
}

/// A feedback workbook sent back with some of its marked cells put right:
/// checked again, those cells have their own fill and no note (compared
/// with the return with the same corrections typed in), the cells still
/// wrong stay marked, and there is one list.
#[test]
fn cells_put_right_in_a_feedback_workbook_lose_their_marks_when_it_is_checked_again() {
    if !officer::has_openpyxl() {
        return;
    }
    for case in [assessment(), action_plan()] {
        let d = Dir::new();
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
        // The officer puts about half of them right in the feedback copy.
        let put_right = &before[..before.len().div_ceil(2)];
        let returned = d.path(&format!("returned {}", case.file));
        officer::fill(&fb.join(case.file), &returned, &fixes(put_right));
        let expected = d.path(&format!("expected {}", case.file));
        officer::fill(&ret, &expected, &fixes(put_right));
        let still = problems(&returned);
        assert!(
            !still.is_empty() && still.len() < before.len(),
            "{still:#?}"
        );
        assert_eq!(still, problems(&expected));

        let fb2 = d.path("fb2");
        let (_, _, err) = cli(&[
            "check",
            returned.to_str().unwrap(),
            "--feedback",
            fb2.to_str().unwrap(),
        ]);
        assert!(err.contains("Wrote 1 feedback workbook"), "{err}");
        let second = fb2.join(returned.file_name().unwrap());
        ooxml_check(&second);
        compare(&expected, &second, &marks(&still), false);
        let names = calamine::Reader::sheet_names(&calamine::open_workbook_auto(&second).unwrap());
        assert_eq!(names[0], "Problems");
        assert_eq!(
            names.iter().filter(|n| *n == "Problems").count(),
            1,
            "{names:?}"
        );
    }
}
