//! What a written template holds in its file: the Instructions sheet as
//! `build` reads it, the drop-down lists, messages, locked cells and
//! protection in the sheet XML, and openpyxl's reading of the same.

use std::path::Path;
use std::process::Command;

use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

use crate::officer::Template;
use crate::template_custom::{CUSTOM, custom_framework_templates};
use crate::templates::{SCALE, STATUSES, actions, issue};

/// What `build`'s reader finds on a template's Instructions sheet.
pub(crate) fn instructions_as_read(path: &Path, fw: &Framework) -> (Vec<String>, usize) {
    use bestvalue::read::returns::{columns, details};
    let book = bestvalue::read::open_book(std::fs::read(path).unwrap(), "xlsx").unwrap();
    let ins = book
        .sheets
        .iter()
        .find(|g| g.name == "Instructions")
        .unwrap();
    assert!(
        columns::find_header(ins, fw, None).is_none(),
        "{}: the Instructions sheet looks like a table to the reader",
        path.display()
    );
    let keys: Vec<String> = details::read(ins, None)
        .iter()
        .map(|d| format!("{:?}", d.key))
        .collect();
    // Cells that read as a label: only the details block's labels, in A.
    let mut labels = 0;
    for (row, cells) in ins.rows.range(..60) {
        for (col, v) in cells {
            if let calamine::Data::String(s) = v
                && details::key_of(s).is_some()
            {
                assert_eq!(
                    *col,
                    0,
                    "{}: {s:?} at row {row} reads as a label",
                    path.display()
                );
                labels += 1;
            }
        }
    }
    (keys, labels)
}

#[test]
fn instructions_say_what_the_return_is_and_nothing_else_reads_as_a_label() {
    let tmp = tempfile::tempdir().unwrap();
    let fw = Framework::default_framework();
    let mut cfg = TemplateConfig::new(TemplateKind::AllRounds, tmp.path());
    cfg.officer = Some("Date".into()); // a name that is also a label
    cfg.send_to = Some("Theme".into());
    let files = write_templates(&cfg).unwrap().files;
    assert_eq!(files.len(), 11);
    for f in &files {
        let (keys, labels) = instructions_as_read(f, &fw);
        let t = Template::open(f);
        if t.names.contains(&"Actions".to_string()) {
            assert_eq!(
                keys,
                [
                    "ReturnType",
                    "ServiceArea",
                    "Framework",
                    "FrameworkVersion",
                    "Authority",
                    "CompletedBy",
                    "DateCompleted"
                ]
            );
            assert_eq!(labels, 7);
            assert_eq!(t.detail_value("Return type"), "Action plan");
        } else {
            assert_eq!(
                keys,
                [
                    "ReturnType",
                    "Round",
                    "Themes",
                    "Framework",
                    "FrameworkVersion",
                    "Authority",
                    "CompletedBy",
                    "DateCompleted"
                ]
            );
            assert_eq!(labels, 8);
            assert_eq!(t.detail_value("Return type"), "Assessment");
        }
        assert_eq!(t.detail_value("Framework"), "Best Value guidance 2024");
        assert_eq!(t.detail_value("Framework version"), "2024");
        // The name was made safe, not left out.
        assert!(t.detail_value("Completed by").starts_with("Date"));
    }
    let gov = Template::open(&tmp.path().join("Review - Governance - Date.xlsx"));
    assert_eq!(gov.detail_value("Round"), "Review");
    assert_eq!(gov.detail_value("Themes"), "Governance");
    let codes: Vec<String> = gov
        .column("Assessment", "Code")
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(codes.len(), 10, "G002 is CI012's cell and has no row");
    assert_eq!(codes[0], "G001");
    assert_eq!(codes[1], "G003");
    let ins = gov.grid("Instructions");
    assert!(
        ins.iter().flatten().any(|c| c.contains("shows “See CI012”")
            && c.contains("in the Continuous Improvement return")),
        "the Instructions explain G002"
    );
    let draft = Template::open(&tmp.path().join("Draft - All themes - Date.xlsx"));
    assert!(!draft.has_col("Assessment", "Score"), "Draft is not scored");
    assert!(draft.has_col("Assessment", "Position statement"));
}

/// The parts of a sheet's XML the tests check.
fn validations(xml: &str) -> Vec<String> {
    xml.split("<dataValidation ")
        .skip(1)
        .map(|s| s[..s.find("</dataValidation>").unwrap()].to_string())
        .collect()
}

fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = format!(" {element}").find(&key)?;
    let rest = &element[at + key.len() - 1..];
    Some(&rest[..rest.find('"').unwrap()])
}

#[test]
fn drop_downs_messages_locks_and_protection_are_in_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut cfg = TemplateConfig::new(
        TemplateKind::Assessment {
            round: "Review".into(),
            themes: vec!["Governance".into()],
            all_in_one: false,
        },
        dir,
    );
    cfg.officer = Some("Jo Bloggs".into());
    let tpl = write_templates(&cfg).unwrap().files.remove(0);
    assert_eq!(
        tpl.file_name().unwrap(),
        "Review - Governance - Jo Bloggs.xlsx"
    );
    let wb = crate::common::part(&tpl, "xl/workbook.xml");
    let names: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    // The hidden Lists sheet holds the Code drop-down's lists.
    assert_eq!(names, ["Instructions", "Assessment", "Lists"]);
    assert!(wb.contains("_xlnm.Print_Titles"), "heading row repeated");
    let t = Template::open(&tpl);
    let ins = crate::common::part(&tpl, "xl/worksheets/sheet1.xml");
    let ws = crate::common::part(&tpl, "xl/worksheets/sheet2.xml");
    for xml in [&ins, &ws] {
        let p = &xml[xml.find("<sheetProtection").unwrap()..];
        let p = &p[..p.find("/>").unwrap()];
        assert!(!p.contains("password"), "protected without a password: {p}");
        for allowed in ["formatCells", "formatColumns", "formatRows"] {
            assert_eq!(attr(p, allowed), Some("0"), "{allowed} allowed: {p}");
        }
        assert_eq!(attr(p, "selectLockedCells"), None);
        assert_eq!(attr(p, "selectUnlockedCells"), None);
    }
    // Locked: what the tool fills in. Unlocked: what the officer fills in.
    for (sheet, cell, locked) in [
        ("Instructions", t.detail("Return type"), true),
        ("Instructions", t.detail("Round"), true),
        ("Instructions", t.detail("Themes"), true),
        ("Instructions", t.detail("Completed by"), false),
        ("Instructions", t.detail("Date completed"), false),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G001", "Code"),
            true,
        ),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G001", "Theme"),
            true,
        ),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G001", "Characteristic"),
            true,
        ),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G0011", "Score"),
            false,
        ),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G0011", "Commentary"),
            false,
        ),
        (
            "Assessment",
            t.cell(
                "Assessment",
                "Code",
                "G001",
                "Reason (Grey or changed score)",
            ),
            false,
        ),
        (
            "Assessment",
            t.cell("Assessment", "Code", "G001", "Position statement"),
            false,
        ),
        ("Assessment", "A1".to_string(), true),
        ("Assessment", "F13".to_string(), true),
    ] {
        assert_eq!(
            crate::officer::is_locked(&tpl, sheet, &cell),
            locked,
            "{sheet}!{cell}"
        );
    }
    assert_eq!(t.detail_value("Completed by"), "Jo Bloggs");
    // The score drop-down, its messages and a Stop alert.
    let score = t.col("Assessment", "Score") as u16;
    let range = format!(
        "{}:{}",
        crate::officer::a1(1, score),
        crate::officer::a1(10, score)
    );
    let dvs = validations(&ws);
    assert_eq!(dvs.len(), 3, "Score, Theme and Code");
    let on = |col: &str| {
        let c = t.col("Assessment", col) as u16;
        let range = format!("{}:{}", crate::officer::a1(1, c), crate::officer::a1(10, c));
        dvs.iter()
            .find(|d| attr(d, "sqref") == Some(range.as_str()))
            .unwrap_or_else(|| panic!("no validation on every row of {col}"))
            .clone()
    };
    // Theme and Code, locked, keep their drop-downs for a row changed on an
    // unprotected sheet: the Code list follows the row's Theme, with a
    // warning only, and no prompt each time a locked cell is selected.
    let code = on("Code");
    let theme = format!(
        "${}",
        crate::officer::a1(1, t.col("Assessment", "Theme") as u16)
    );
    assert!(
        code.contains(&format!(
            "<formula1>IF({theme}=\"\",AllCodes,INDIRECT(\"ThemeCodes\"&amp;MATCH({theme},Themes,0)))</formula1>"
        )),
        "{code}"
    );
    assert_eq!(attr(&code, "errorStyle"), Some("warning"));
    assert_eq!(attr(&code, "prompt"), None);
    let themes = on("Theme");
    assert!(
        themes.contains("Governance") && themes.contains("Culture"),
        "{themes}"
    );
    assert_eq!(attr(&themes, "prompt"), None);
    let dv = &on("Score");
    assert_eq!(attr(dv, "type"), Some("list"));
    assert!(dv.contains(r#"<formula1>"Dark green,Light green,Yellow,Amber,Grey"</formula1>"#));
    assert_eq!(attr(dv, "promptTitle"), Some("Score"));
    assert!(attr(dv, "prompt").unwrap().contains("Dark green"));
    assert_eq!(attr(dv, "errorTitle"), Some("Not a score on the scale"));
    assert!(attr(dv, "error").is_some());
    assert_eq!(attr(dv, "errorStyle"), None, "Stop is the default alert");
    assert_eq!(attr(dv, "showDropDown"), None, "the arrow is shown");
    assert_eq!(attr(dv, "showInputMessage"), Some("1"));
    assert_eq!(attr(dv, "showErrorMessage"), Some("1"));
    // Coloured by level, frozen heading, printable.
    assert_eq!(
        ws.matches(&format!("<conditionalFormatting sqref=\"{range}\">"))
            .count(),
        1
    );
    for l in SCALE {
        assert!(ws.contains(&format!("<formula>\"{l}\"</formula>")), "{l}");
    }
    assert!(ws.contains(r#"ySplit="1""#) && ws.contains(r#"state="frozen""#));
    assert!(ws.contains(r#"paperSize="9""#) && ws.contains(r#"orientation="landscape""#));
    // A Review return prints at 82%: its 11-point text at 9 points.
    assert!(ws.contains(r#"scale="82""#) && !ws.contains("fitToPage"));
    // Date completed: a date between 2000 and 2100.
    let d = validations(&ins)
        .into_iter()
        .find(|d| attr(d, "sqref") == Some(t.detail("Date completed").as_str()))
        .expect("Date completed is validated");
    assert_eq!(attr(&d, "type"), Some("date"));
    assert!(d.contains("<formula1>36526</formula1><formula2>73415</formula2>"));
    assert!(attr(&d, "prompt").unwrap().contains("day/month/year"));
    // The framework's details, also as document properties.
    let custom = crate::common::part(&tpl, "docProps/custom.xml");
    for v in ["Review", "Governance", "Best Value guidance 2024"] {
        assert!(
            custom.contains(&format!("<vt:lpwstr>{v}</vt:lpwstr>")),
            "{v}"
        );
    }

    // The action return: status drop-down, dates, locked identity.
    let tpl = issue(actions(), &dir.join("actions"), &[]).remove(0);
    let ws = crate::common::part(&tpl, "xl/worksheets/sheet2.xml");
    let dvs = validations(&ws);
    let t = Template::open(&tpl);
    let find = |heading: &str| {
        let c = crate::officer::a1(1, t.col("Actions", heading) as u16);
        dvs.iter()
            .find(|d| attr(d, "sqref").unwrap().starts_with(&format!("{c}:")))
            .unwrap_or_else(|| panic!("no validation on {heading}"))
            .clone()
    };
    let status = find("Status");
    assert!(status.contains(r#"<formula1>"Not started,On track,At risk,Complete"</formula1>"#));
    assert_eq!(attr(&status, "errorStyle"), None);
    assert_eq!(attr(&find("Date of update"), "type"), Some("date"));
    assert_eq!(attr(&find("Date of update"), "errorStyle"), None);
    assert_eq!(attr(&find("Target date"), "errorStyle"), Some("warning"));
    // The codes offered are the chosen theme's (every code while the
    // theme is blank), through a defined name per theme.
    let code = find("Code");
    // Column absolute, row relative: each row reads its own Theme.
    let theme = format!(
        "${}",
        crate::officer::a1(1, t.col("Actions", "Theme") as u16)
    );
    assert!(
        code.contains(&format!(
            "<formula1>IF({theme}=\"\",AllCodes,INDIRECT(\"ThemeCodes\"&amp;MATCH({theme},Themes,0)))</formula1>"
        )),
        "{code}"
    );
    assert_eq!(attr(&code, "errorStyle"), Some("warning"));
    let names = crate::common::part(&tpl, "xl/workbook.xml");
    assert!(
        names.contains(r#"<definedName name="AllCodes">Lists!$B$1:$B$74</definedName>"#),
        "{names}"
    );
    assert!(
        names.contains(r#"<definedName name="ThemeCodes3">Lists!$E$1:$E$10</definedName>"#),
        "{names}"
    );
    assert!(
        crate::common::part(&tpl, "xl/workbook.xml")
            .contains(r#"<sheet name="Lists" sheetId="3" state="hidden""#)
    );
}

#[test]
fn the_written_file_passes_openpyxls_checks() {
    if !crate::officer::has_openpyxl() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let files = write_templates(&TemplateConfig::new(TemplateKind::AllRounds, tmp.path()))
        .unwrap()
        .files;
    let mut custom = custom_framework_templates(&tmp.path().join("custom"));
    custom.retain(|f| !f.to_string_lossy().contains("Self-assessment"));
    for f in files.iter().chain(&custom) {
        let is_actions = f
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("Actions");
        let labels: Vec<String> = if custom.contains(f) {
            let fw = Framework::parse(CUSTOM, "custom.toml").unwrap();
            if is_actions {
                fw.statuses.iter().map(|s| s.label.clone()).collect()
            } else {
                fw.scale.iter().map(|l| l.label.clone()).collect()
            }
        } else if is_actions {
            STATUSES.map(String::from).to_vec()
        } else {
            SCALE.map(String::from).to_vec()
        };
        let out = crate::officer::run(
            Command::new("python3")
                .arg(crate::officer::script("check_template.py"))
                .arg(f)
                .arg(if is_actions { "actions" } else { "assessment" })
                .args(&labels),
        );
        assert!(out.trim_end().ends_with("ok"), "{}: {out}", f.display());
    }
}
