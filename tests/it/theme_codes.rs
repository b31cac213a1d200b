//! The Code drop-down of an action return's empty rows offers the codes of
//! the theme chosen beside it, as openpyxl reads the file and as
//! LibreOffice works the formula out (in the template and once LibreOffice
//! has saved it again); a code from another theme is kept, with a warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::next_month::{action_returns, build_month, october};
use crate::officer::{Edits, Template, Typed, a1, text};
use bestvalue::framework::Framework;

#[test]
fn the_code_drop_down_offers_the_chosen_themes_codes() {
    let d = crate::common::Dir::new();
    let committee = october(d.tmp.path());
    let fw = Framework::default_framework();
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
    assert!(o.plan.actions.iter().any(|a| a.id == "BV-090"));

    if !crate::officer::has_openpyxl() {
        return;
    }
    // openpyxl: one list on the Code cells of the empty rows, a warning
    // (not a stop), whose defined names hold each theme's codes.
    let own = |t: usize| -> Vec<String> {
        fw.characteristics
            .iter()
            .filter(|c| c.theme == t)
            .map(|c| c.code.clone())
            .collect()
    };
    let all: Vec<String> = fw.characteristics.iter().map(|c| c.code.clone()).collect();
    let check = |book: &Path, dir: &Path| -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let copy = dir.join("check.xlsx");
        let out = crate::officer::run(
            Command::new("python3")
                .arg(crate::officer::script("tools/code_lists.py"))
                .arg(book)
                .arg(&copy),
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["count"], 1, "{v}");
        assert_eq!(v["error_style"], "warning", "{v}");
        let f = v["formula"].as_str().unwrap();
        assert!(f.contains("INDIRECT(") && f.contains("MATCH("), "{f}");
        for (i, th) in fw.themes.iter().enumerate() {
            assert_eq!(
                v["by_theme"][&th.name],
                serde_json::json!(own(i)),
                "{}",
                th.name
            );
        }
        assert_eq!(v["all"], serde_json::json!(all));
        copy
    };
    let copy = check(tpl, &d.path("check"));

    if !crate::officer::has_soffice() {
        return;
    }
    // LibreOffice works the drop-down's own formula out, theme by theme
    // (and every code while the theme is blank) ...
    let lists = |copy: &Path, dir: &Path| {
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
        assert_eq!(got.len(), fw.themes.len() + 1, "{text}");
        for (i, th) in fw.themes.iter().enumerate() {
            assert_eq!(got[i], (th.name.clone(), own(i)), "{}", th.name);
        }
        assert_eq!(got[fw.themes.len()], (String::new(), all.clone()));
    };
    lists(&copy, &d.path("lo-eval"));
    // ... and keeps it when it saves the template as .xlsx again.
    let resaved = crate::officer::convert(tpl, "xlsx", &d.path("lo-resaved"));
    let copy = check(&resaved, &d.path("check-resaved"));
    lists(&copy, &d.path("lo-eval-resaved"));
}
