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

const HIGHLIGHT: &str = "CC99FF";

struct Case {
    /// `bestvalue template` arguments (without --out).
    args: &'static [&'static str],
    file: &'static str,
    mistakes: Vec<(&'static str, &'static str, Typed)>,
}

fn assessment() -> Case {
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

fn action_plan() -> Case {
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
fn fixes(problems: &[serde_json::Value]) -> Edits {
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

fn edits(list: &[(&str, &str, Typed)]) -> Edits {
    let mut e = Edits::default();
    for (sheet, cell, v) in list {
        e.set(sheet, cell, v.clone());
    }
    e
}

fn template(d: &Dir, case: &Case) -> PathBuf {
    let out = d.path("templates");
    let mut args = vec!["template", "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(case.args);
    let (code, _, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    out.join(case.file)
}

/// This file's problems as `check --format json` gives them (file name
/// left out, so a copy's can be compared with the original's).
fn problems(path: &Path) -> Vec<serde_json::Value> {
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
fn marks(problems: &[serde_json::Value]) -> String {
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

fn compare(ret: &Path, fb: &Path, marks: &str, converted: bool) {
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
        officer::run(Command::new("python3").arg(tool).arg(path));
    }
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

    // Sent back as it is, it reads exactly like the return.
    assert_eq!(problems(&copy), before, "the copy reads like the return");

    // The officer corrects the marked cells in the copy: clean.
    let fixed = d.path(&format!("fixed-{}", case.file));
    officer::fill(&copy, &fixed, &fixes(&before));
    let after = problems(&fixed);
    assert!(after.is_empty(), "{after:#?}");
}

fn filled(d: &Dir, case: &Case, t: &Path) -> PathBuf {
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
