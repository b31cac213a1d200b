//! The Code drop-down of every return with a Theme and a Code column
//! offers the codes of the theme chosen beside it, on every row (pre-filled
//! or empty), as openpyxl reads the file and as LibreOffice works the
//! formula out (in the template and once LibreOffice has saved it again);
//! a code from another theme is kept, with a warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Dir, Ret, V, build, s};
use crate::next_month::{action_returns, build_month, october};
use crate::officer::{Edits, Template, Typed, a1, text};
use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};
use serde_json::Value;

/// The default framework's codes of theme `t` (by position), in order.
fn own(t: usize) -> Vec<String> {
    let fw = Framework::default_framework();
    fw.characteristics
        .iter()
        .filter(|c| c.theme == t)
        .map(|c| c.code.clone())
        .collect()
}

fn all_codes() -> Vec<String> {
    let fw = Framework::default_framework();
    fw.characteristics.iter().map(|c| c.code.clone()).collect()
}

/// What openpyxl reads of `book`'s Code drop-down on `sheet`
/// (tests/tools/code_lists.py), checked against the framework: one list
/// on the cell looked at, a warning (not a stop), drawn from a defined
/// name per theme; every row of the Theme and Code columns covered, each
/// drop-down reading its own row's Theme. Returns what the script said and
/// the copy it wrote for LibreOffice.
fn check_lists(book: &Path, sheet: &str, dir: &Path) -> (Value, PathBuf) {
    let fw = Framework::default_framework();
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("check.xlsx");
    let out = crate::officer::run(
        Command::new("python3")
            .arg(crate::officer::script("tools/code_lists.py"))
            .arg(book)
            .arg(&copy)
            .arg(sheet),
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let name = book.display();
    assert_eq!(v["count"], 1, "{name}: {v}");
    assert_eq!(v["error_style"], "warning", "{name}: {v}");
    assert_eq!(v["code_error_styles"], serde_json::json!(["warning"]));
    let f = v["formula"].as_str().unwrap();
    assert!(
        f.contains("INDIRECT(") && f.contains("MATCH("),
        "{name}: {f}"
    );
    assert_eq!(v["code_rows_without"], serde_json::json!([]), "{name}: {v}");
    assert_eq!(
        v["theme_rows_without"],
        serde_json::json!([]),
        "{name}: {v}"
    );
    assert_eq!(v["unanchored"], serde_json::json!([]), "{name}: {v}");
    for (i, th) in fw.themes.iter().enumerate() {
        assert_eq!(
            v["by_theme"][&th.name],
            serde_json::json!(own(i)),
            "{name}: {}",
            th.name
        );
    }
    assert_eq!(v["all"], serde_json::json!(all_codes()), "{name}");
    (v, copy)
}

/// LibreOffice works the drop-down's own formula out, theme by theme
/// (every code while the theme is blank), and in the sheet's first and
/// last rows with a theme, whose own code is among those offered.
fn lo_lists(copy: &Path, v: &Value, dir: &Path) {
    let fw = Framework::default_framework();
    let csv = crate::officer::convert(copy, "csv", dir);
    let text = std::fs::read_to_string(csv).unwrap();
    let got: Vec<(String, Vec<String>)> = text
        .lines()
        .map(|l| {
            let (theme, codes) = l.split_once(',').unwrap();
            let codes = codes.trim_matches('"');
            (
                theme.to_string(),
                codes.split(',').map(String::from).collect(),
            )
        })
        .collect();
    let rows = v["rows_checked"].as_array().unwrap();
    assert_eq!(got.len(), fw.themes.len() + 1 + rows.len(), "{text}");
    for (i, th) in fw.themes.iter().enumerate() {
        assert_eq!(got[i], (th.name.clone(), own(i)), "{}", th.name);
    }
    assert_eq!(got[fw.themes.len()], (String::new(), all_codes()));
    for (r, (theme, codes)) in rows.iter().zip(&got[fw.themes.len() + 1..]) {
        assert_eq!(theme, r["theme"].as_str().unwrap(), "{r}");
        let t = fw.find_theme(theme).unwrap();
        assert_eq!(codes, &own(t), "{r}");
        assert!(
            codes.iter().any(|c| c == r["code"].as_str().unwrap()),
            "{r}"
        );
    }
}

#[test]
fn the_code_drop_down_offers_the_chosen_themes_codes() {
    let d = Dir::new();
    let committee = october(d.tmp.path());
    let (files, _) = action_returns(&committee, &d.path("to-send"), &[]);
    let tpl = &files[0];

    // An officer types a code from another theme into a new row: it is
    // kept, with a warning naming the row's theme.
    let t = Template::open(tpl);
    let r = t.first_empty("Actions", "Action ID");
    let at = |h: &str| a1(r, t.col("Actions", h) as u16);
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Pat Performance"),
    );
    for (h, v) in [
        ("Action ID", text("BV-090")),
        ("Theme", text("Governance")),
        ("Code", text("C003")),
        ("Gap", text("Member training on planning is overdue.")),
        ("Action", text("Run planning training for all members.")),
        ("Status", text("Not started")),
        ("Date of update", Typed::Date(2025, 11, 26)),
    ] {
        e.set("Actions", &at(h), v);
    }
    let filled = d.path("filled/Actions.xlsx");
    std::fs::create_dir_all(filled.parent().unwrap()).unwrap();
    crate::officer::fill(tpl, &filled, &e);
    let o = build_month(&[filled], &d.path("out.xlsx"), &committee);
    let p = crate::common::find(&o, "wrong-theme");
    assert_eq!(
        p.location.to_string(),
        format!("Actions.xlsx › Actions › {}", at("Code"))
    );
    assert!(
        p.message
            .contains("C003 belongs to Culture, but this row's theme is Governance")
    );
    assert!(
        p.hint
            .starts_with("If the code is right, correct the theme to match it"),
        "{}",
        p.hint
    );
    assert!(o.plan.actions.iter().any(|a| a.id == "BV-090"));

    if !crate::officer::has_openpyxl() {
        return;
    }
    // The listed actions and SD009's row are pre-filled and covered too,
    // each row reading its own Theme; the empty rows prompt for a choice.
    let (v, copy) = check_lists(tpl, "Actions", &d.path("check"));
    assert!(v["prompt"].as_str().unwrap().contains("theme"), "{v}");
    assert!(v["rows_checked"][0]["row"] == 2, "{v}");

    if !crate::officer::has_soffice() {
        return;
    }
    lo_lists(&copy, &v, &d.path("lo-eval"));
    // ... and LibreOffice keeps it when it saves the template as .xlsx again.
    let resaved = crate::officer::convert(tpl, "xlsx", &d.path("lo-resaved"));
    let (v, copy) = check_lists(&resaved, "Actions", &d.path("check-resaved"));
    lo_lists(&copy, &v, &d.path("lo-eval-resaved"));
}

/// An assessment return of `round` for all themes, made from `from`.
fn assessment_from(round: &str, from: &Path, out: &Path) -> PathBuf {
    let mut cfg = TemplateConfig::new(
        TemplateKind::Assessment {
            round: round.into(),
            themes: vec![],
            all_in_one: true,
        },
        out,
    );
    cfg.from = vec![from.to_path_buf()];
    write_templates(&cfg).unwrap().files.remove(0)
}

#[test]
fn every_assessment_return_offers_the_rows_themes_codes() {
    if !crate::officer::has_openpyxl() {
        return;
    }
    let d = Dir::new();
    // Every blank template (each round's, and the action return).
    let blank = write_templates(&TemplateConfig::new(
        TemplateKind::AllRounds,
        d.path("blank"),
    ))
    .unwrap()
    .files;
    assert_eq!(blank.len(), 11);
    let mut review = None;
    for (i, f) in blank.iter().enumerate() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let sheet = if name == "Actions.xlsx" {
            "Actions"
        } else {
            "Assessment"
        };
        let (v, copy) = check_lists(f, sheet, &d.path(&format!("check-{i}")));
        if sheet == "Assessment" {
            // Theme and Code are locked: no prompt each time one is
            // selected, only the warning if a code is changed.
            assert!(v["prompt"].is_null(), "{name}: {v}");
        }
        if name == "Review - Governance.xlsx" {
            review = Some((copy, v));
        }
    }

    // Next year's Draft, and a Final, from this year's committee workbook.
    let committee = october(d.tmp.path());
    let draft = assessment_from("Draft", &committee, &d.path("draft"));
    let t = Template::open(&draft);
    assert_eq!(
        t.value("Assessment", "Code", "L009", "Last year's score"),
        "Grey"
    );
    let (v, copy) = check_lists(&draft, "Assessment", &d.path("check-draft"));
    assert_eq!(
        v["last_row"], 75,
        "a row for each of the 74 characteristics"
    );
    let checked: Vec<&str> = v["rows_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(checked, ["CI001", "PCE007"]);
    let final_ = assessment_from("Final", &committee, &d.path("final"));
    assert!(Template::open(&final_).has_col("Assessment", "Moderation score"));
    check_lists(&final_, "Assessment", &d.path("check-final"));

    if !crate::officer::has_soffice() {
        return;
    }
    lo_lists(&copy, &v, &d.path("lo-draft"));
    let (copy, v) = review.expect("a Review return for Governance");
    assert_eq!(v["rows_checked"][0]["theme"], "Governance");
    lo_lists(&copy, &v, &d.path("lo-review"));
}

#[test]
fn a_code_from_another_theme_than_its_rows_is_a_warning() {
    // The Assessment sheet unprotected and a row's Theme changed: the score
    // is used for the code, with a warning at the Code cell.
    let d = Dir::new();
    let mut r = Ret::assessment("Review", "All themes", "Sam Reviewer");
    r.headings.insert(0, "Theme".into());
    let r = r
        .row(&[s("Governance"), s("C003"), s("Light green"), s("Sound")])
        .row(&[s("Culture"), s("C004"), s("Light green"), s("Sound")])
        .row(&[V::Blank, s("C005"), s("Light green"), s("Sound")]);
    let f = d.put("Review - All themes.xlsx", &r);
    let o = build(&[f], &d.path("out.xlsx"));
    let wrong: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "wrong-theme")
        .collect();
    assert_eq!(wrong.len(), 1, "{:#?}", crate::common::codes(&o));
    let p = wrong[0];
    assert_eq!(
        p.location.to_string(),
        "Review - All themes.xlsx › Assessment › B2"
    );
    assert_eq!(
        p.message,
        "C003 belongs to Culture, but this row's theme is Governance. The score was still used."
    );
    assert!(!p.is_error());
    let fw = Framework::default_framework();
    let c003 = fw.find_code("C003").unwrap();
    assert_eq!(
        o.assessment.level(c003).map(|l| fw.scale[l].label.as_str()),
        Some("Light green")
    );
}
