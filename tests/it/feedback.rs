//! Feedback workbooks read back: the marked cells are the problem cells, the
//! notes carry the fix, nothing the officer wrote is lost, and once the
//! marked cells are corrected the return checks clean.

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use std::path::Path;

/// A sheet's name and its non-empty cells (row, column, value).
type SheetCells = (String, Vec<(u32, u32, Data)>);

/// Every sheet's cells, by name, in order.
fn all_sheets(path: &Path) -> Vec<SheetCells> {
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

fn fill_at(path: &Path, sheet: &str, a1: &str) -> Option<String> {
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
        .row(&[s("CI003"), V::Fill("#FFC000"), s("Coloured, not chosen.")])
        .row(&[s("CI099"), s("Yellow"), s("Typo in the code.")]);
    let original = d.put("Review - CI.xlsx", &bad);
    d.put(
        "Review - fine.xlsx",
        &Ret::assessment("Review", "Continuous Improvement", "B").row(&[
            s("CI010"),
            s("Amber"),
            s("ok"),
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

    // First sheet: the headline and the list with links.
    let sheets = all_sheets(&copy);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Problems", "Instructions", "Assessment"]);
    let g = sheet(&copy, "Problems");
    assert_eq!(
        g[1][0],
        "3 things to correct before you send this back, and 1 to check."
    );
    let listed: Vec<&str> = g[5..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(listed, ["B2", "E3", "B4", "A5"]);
    let xml = part(&copy, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("location=\"Assessment!B2\""),
        "links to the cells"
    );

    // The marked cells are exactly the problem cells, each with its note.
    for a1 in ["B2", "E3", "B4", "A5"] {
        assert_eq!(
            fill_at(&copy, "Assessment", a1).as_deref(),
            Some("#FFC7CE"),
            "{a1} marked"
        );
    }
    for a1 in ["A2", "C2", "B3", "B5"] {
        assert_ne!(
            fill_at(&copy, "Assessment", a1).as_deref(),
            Some("#FFC7CE"),
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
        for (r, c, v) in cells {
            let now = got
                .iter()
                .find(|(rr, cc, _)| rr == r && cc == c)
                .map(|x| &x.2);
            assert_eq!(now, Some(v), "{name} row {r} col {c}");
        }
    }
    // The colour-only score was typed in for the officer to confirm.
    assert_eq!(sheet(&copy, "Assessment")[3][1], "Amber");

    // The officer corrects the marked cells and checks again: clean.
    let fixed_dir = d.path("resent");
    std::fs::create_dir_all(&fixed_dir).unwrap();
    let fixed = fixed_dir.join("Review - CI.xlsx");
    correct(
        &copy,
        &fixed,
        &[
            ("Assessment", "B2", "Amber"),
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

#[test]
fn chase_list_names_who_owes_what() {
    let d = Dir::new();
    // Review round under way: Continuous Improvement returned with an error;
    // the other six themes have no return.
    d.put(
        "ci.xlsx",
        &Ret::assessment("Review", "Continuous Improvement", "Dana Reviewer")
            .row(&[s("CI001"), s("Purple")]),
    );
    let chase = d.path("chase.xlsx");
    let (code, _, stderr) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--chase",
        chase.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Who to chase (7):"), "{stderr}");
    assert!(stderr.contains("Dana Reviewer: Corrections to the return — Review round: Continuous Improvement (ci.xlsx, 1 error)"), "{stderr}");
    let g = sheet(&chase, bestvalue::write::chase::SHEET);
    assert_eq!(g[0][0], "Returns to chase");
    assert!(g[1][0].contains("as at 30 September 2025"), "{:?}", g[1]);
    let top = bestvalue::write::chase::HEADING_ROW as usize;
    assert_eq!(
        g[top][..3],
        ["What is owed", "Round and theme, or service area", "File"]
    );
    // Grouped by officer: Dana's return to correct, then the six themes
    // no one is known to owe.
    let groups: Vec<&str> = g[top + 1..]
        .iter()
        .filter(|r| r[1].is_empty() && !r[0].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(groups, ["Dana Reviewer (1)", "Officer not known (6)"]);
    let unknown = g
        .iter()
        .position(|r| r[0] == "Officer not known (6)")
        .unwrap();
    let missing: Vec<&str> = g[unknown + 1..]
        .iter()
        .filter(|r| r[0] == "Return not received")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(missing.len(), 6);
    assert!(missing.contains(&"Review round: Governance"));
    // Counts only for a return that was read.
    let governance = row_with(&g, 1, "Review round: Governance").unwrap();
    assert_eq!(governance[3], "");
    let dana = row_with(&g, 0, "Corrections to the return").unwrap();
    assert_eq!(dana[2], "ci.xlsx");
    assert_eq!(dana[3], "1");
    assert!(dana[5].contains("\"Purple\" is not a score on the scale."));
}

#[test]
fn chase_list_names_the_officer_a_missing_return_is_owed_by() {
    let d = Dir::new();
    let returns = d.path("returns");
    copy_dir(&samples(), &returns);
    std::fs::remove_file(returns.join("1 Draft/Draft - Culture.xlsx")).unwrap();
    std::fs::remove_file(returns.join("2 Review/Review - Governance.xlsx")).unwrap();
    let last = samples().join("../2024-25/Committee 2024-25.xlsx");
    let run = |previous: bool| {
        let chase = d.path(if previous {
            "with.xlsx"
        } else {
            "without.xlsx"
        });
        let mut args = vec!["check", returns.to_str().unwrap()];
        if previous {
            args.extend(["--previous", last.to_str().unwrap()]);
        }
        args.extend(["--chase", chase.to_str().unwrap()]);
        let (code, _, stderr) = cli(&args);
        assert!(code < 2, "{stderr}");
        (stderr, sheet(&chase, bestvalue::write::chase::SHEET))
    };
    // Every other draft came from one officer: she owes Culture's too.
    // Reviews come from one officer a theme: nobody is guessed.
    let (stderr, g) = run(false);
    assert!(
        stderr.contains("  Rebecca Halloran: Return not received — Draft round: Culture"),
        "{stderr}"
    );
    assert!(stderr.contains("  (not known): Return not received — Review round: Governance"));
    let draft = row_with(&g, 1, "Draft round: Culture").unwrap();
    assert!(
        draft[5].ends_with("Rebecca Halloran sent every other Draft return."),
        "{draft:?}"
    );
    let band = g
        .iter()
        .position(|r| r[0] == "Rebecca Halloran (1)")
        .unwrap();
    assert_eq!(g[band + 1][1], "Draft round: Culture");
    assert!(g.iter().any(|r| r[0] == "Officer not known (1)"));
    // Last year's workbook says who gave Governance's review scores.
    let (stderr, g) = run(true);
    assert!(
        stderr.contains(
            "  Performance and Improvement Team: Return not received — Review round: Governance"
        ),
        "{stderr}"
    );
    let review = row_with(&g, 1, "Review round: Governance").unwrap();
    assert!(
        review[5].ends_with(
            "Performance and Improvement Team gave the Review scores for Governance in Committee 2024-25.xlsx."
        ),
        "{review:?}"
    );
    assert!(!g.iter().any(|r| r[0].starts_with("Officer not known")));
}
