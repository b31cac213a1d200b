//! Templates for another council's framework (its own rounds, scale and
//! statuses) and the `template` command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

use crate::officer::{Edits, Template, Typed, text};
use crate::template_file::instructions_as_read;
use crate::templates::*;

/// Another council's framework: three rounds with their own names, a
/// six-level scale whose labels are too long for an inline drop-down.
pub(crate) const CUSTOM: &str = r##"
name = "Financial Management Code self-check"
version = "2025.1"
cells_per_row = 4

[[rounds]]
name = "Self-assessment"
scored = false

[[rounds]]
name = "Peer review"

[[rounds]]
name = "Sign-off"
blank_keeps_previous = true
change_needs_reason = true
shows = ["Peer review"]

[[scale]]
label = "Fully compliant, with strong and current evidence"
fill = "#00B050"
meaning = "Meets the standard in full."

[[scale]]
label = "Substantially compliant, with minor improvements needed"
fill = "#92D050"
meaning = "Meets most of the standard."

[[scale]]
label = "Partially compliant, improvement plan agreed"
fill = "#FFFF00"
needs_action = true

[[scale]]
label = "Not compliant, significant improvement needed"
fill = "#FFC000"
needs_action = true

[[scale]]
label = "Not compliant, urgent action required by the s151 officer"
fill = "#FF0000"
needs_action = true

[[scale]]
label = "Not applicable to this authority this year"
fill = "#BFBFBF"
scored = false
reason_required = true

[[statuses]]
label = "Planned"
fill = "#D9D9D9"

[[statuses]]
label = "Under way"
fill = "#92D050"

[[statuses]]
label = "Closed"
fill = "#00B050"
closed = true

[[themes]]
name = "Responsibilities, leadership and governance"
prefix = "A"
characteristics = [
  { code = "A01", label = "The s151 officer's role is clear" },
  { code = "A02", label = "Leadership promotes financial management" },
]

[[themes]]
name = "Medium-term planning"
prefix = "MT"
characteristics = [
  { code = "MT1", label = "A medium-term financial plan is in place" },
  { see = "A02" },
  { code = "MT3", label = "Capital strategy aligns with the plan" },
]
"##;

pub(crate) fn custom_framework_templates(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let fw_path = dir.join("custom.toml");
    std::fs::write(&fw_path, CUSTOM).unwrap();
    let mut cfg = TemplateConfig::new(TemplateKind::AllRounds, dir.join("sent"));
    cfg.framework = Some(fw_path);
    write_templates(&cfg).unwrap().files
}

#[test]
fn templates_work_for_another_framework() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fw_path = dir.join("custom.toml");
    let files = custom_framework_templates(dir);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Self-assessment - All themes.xlsx",
            "Peer review - Responsibilities, leadership and governance.xlsx",
            "Peer review - Medium-term planning.xlsx",
            "Sign-off - All themes.xlsx",
            "Actions.xlsx",
        ]
    );
    let fw = Framework::parse(CUSTOM, "custom.toml").unwrap();
    // The scale's labels are too long for Excel's 255-character inline
    // list: the drop-down reads them from the hidden Lists sheet.
    let peer = &files[1];
    let ws = crate::common::part(peer, "xl/worksheets/sheet2.xml");
    assert!(ws.contains("<formula1>Lists!$A$1:$A$6</formula1>"), "{ws}");
    assert!(crate::common::part(peer, "xl/workbook.xml").contains(r#"state="hidden""#));
    let lists = Template::open(peer);
    let listed: Vec<String> = lists.grid("Lists").iter().map(|r| r[0].clone()).collect();
    let labels: Vec<String> = fw.scale.iter().map(|l| l.label.clone()).collect();
    assert_eq!(listed, labels);
    // A theme whose name has a comma is named by its letters: the Themes
    // cell is a comma-separated list.
    assert_eq!(lists.detail_value("Themes"), "A");
    assert!(
        lists.grid("Instructions")[0][0].contains("Responsibilities, leadership and governance")
    );
    for f in &files {
        instructions_as_read(f, &fw);
    }

    // Filled and built with the same framework file.
    let sign_off = Template::open(&files[3]);
    assert!(sign_off.has_col("Assessment", "Peer review score"));
    assert_eq!(
        sign_off.column("Assessment", "Code"),
        ["A01", "A02", "MT1", "MT3"]
    );
    let mut filled = Vec::new();
    for (k, f) in files[1..3].iter().enumerate() {
        let t = Template::open(f);
        let mut e = Edits::default();
        e.set("Instructions", &t.detail("Completed by"), text("Peer"));
        e.set(
            "Instructions",
            &t.detail("Date completed"),
            Typed::Date(2025, 11, 3),
        );
        for code in t.column("Assessment", "Code") {
            let at = |h: &str| t.cell("Assessment", "Code", &code, h);
            e.set("Assessment", &at("Score"), text(&labels[k]));
            e.set("Assessment", &at("Commentary"), text("Seen the evidence"));
        }
        let dst = dir.join("filled").join(f.file_name().unwrap());
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        crate::officer::fill(f, &dst, &e);
        filled.push(dst);
    }
    let out = dir.join("committee.xlsx");
    let o = bestvalue::build(&bestvalue::BuildConfig {
        inputs: filled.clone(),
        output: out.clone(),
        framework: Some(fw_path.clone()),
        as_at: None,
        authority: None,
        ..Default::default()
    })
    .unwrap();
    assert_clean(&o);
    let scores = committee_scores(&out, "Peer review");
    assert_eq!(scores["A01"], labels[0]);
    assert_eq!(scores["MT3"], labels[1]);

    // Sign-off pre-filled from the peer reviews.
    let mut cfg = TemplateConfig::new(review("Sign-off", true), dir.join("sign-off"));
    cfg.framework = Some(fw_path);
    cfg.from = filled;
    let t = Template::open(&write_templates(&cfg).unwrap().files[0]);
    assert_eq!(
        t.value("Assessment", "Code", "MT1", "Peer review score"),
        labels[1]
    );
}

#[test]
fn template_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_bestvalue");
    let out = Command::new(bin)
        .args([
            "template", "--round", "review", "--theme", "G", "--theme", "Culture",
        ])
        .args([
            "--all-in-one",
            "--issued",
            "06/01/2026",
            "--return-by",
            "30/01/2026",
        ])
        .args([
            "--send-to",
            "Performance Office",
            "--for",
            "Jo Bloggs",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Review - Governance and Culture - Jo Bloggs.xlsx"),
        "{stdout}"
    );
    let t = Template::open(
        &tmp.path()
            .join("Review - Governance and Culture - Jo Bloggs.xlsx"),
    );
    assert_eq!(t.detail_value("Themes"), "Governance, Culture");
    assert_eq!(t.detail_value("Issued"), "06/01/2026");
    assert_eq!(t.detail_value("Return by"), "30/01/2026");
    assert_eq!(t.detail_value("Send back to"), "Performance Office");
    assert!(
        t.grid("Instructions")
            .iter()
            .flatten()
            .any(|c| c.contains("by 30 January 2026"))
    );

    let bad = Command::new(bin)
        .args(["template", "--round", "Peer review", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("\"Peer review\" is not a round"), "{err}");
    let bad = Command::new(bin)
        .args(["template", "--actions", "--round", "Review", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "--actions and --round conflict");
    let out = Command::new(bin)
        .args([
            "template",
            "--actions",
            "--service-area",
            "Housing",
            "--service-area",
            "Finance",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(tmp.path().join("Actions - Housing.xlsx").exists());
    let t = Template::open(&tmp.path().join("Actions - Finance.xlsx"));
    assert_eq!(t.detail_value("Service area"), "Finance");
}
