//! Officer templates: written, filled in as an officer would (typing into
//! unlocked cells only), read back by `build` with no problems, through
//! every round, pre-filled from earlier returns and from the committee
//! workbook; re-saved by LibreOffice as .ods, .xls and .xlsx; with edited
//! headings and moved columns; for another framework. The drop-down lists,
//! messages, locked cells and protection are checked in the file's XML and,
//! when openpyxl is installed, by openpyxl.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::officer::{Edits, Template, Typed, text};
use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};
use chrono::NaiveDate;

const SCALE: [&str; 5] = ["Dark green", "Light green", "Yellow", "Amber", "Grey"];
const STATUSES: [&str; 4] = ["Not started", "On track", "At risk", "Complete"];

type Filler = fn(&Path, &Path, &Edits);

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn review(round: &str, all_in_one: bool) -> TemplateKind {
    TemplateKind::Assessment {
        round: round.into(),
        themes: Vec::new(),
        all_in_one,
    }
}

fn actions() -> TemplateKind {
    TemplateKind::Actions {
        service_areas: Vec::new(),
    }
}

/// Writes templates as the performance office would send them.
fn issue(kind: TemplateKind, out: &Path, from: &[PathBuf]) -> Vec<PathBuf> {
    let mut cfg = TemplateConfig::new(kind, out);
    cfg.authority = Some("Eastmoor Borough Council".into());
    cfg.issued = Some(date(2026, 1, 6));
    cfg.return_by = Some(date(2026, 1, 30));
    cfg.send_to = Some("Performance Office (bv@eastmoor.example)".into());
    cfg.from = from.to_vec();
    write_templates(&cfg).expect("templates written").files
}

fn problems(o: &bestvalue::Outcome) -> Vec<String> {
    o.problems
        .iter()
        .map(|p| format!("{} at {}: {}", p.kind.code(), p.location, p.message))
        .collect()
}

fn assert_clean(o: &bestvalue::Outcome) {
    assert!(
        o.problems.is_empty(),
        "build found problems:\n{}",
        problems(o).join("\n")
    );
}

fn build(inputs: &[PathBuf], out: &Path) -> bestvalue::Outcome {
    crate::common::build(inputs, out)
}

/// Column of a committee sheet whose heading satisfies `f`.
fn col_where(grid: &[Vec<String>], f: impl Fn(&str) -> bool) -> usize {
    grid[0]
        .iter()
        .position(|h| f(h))
        .unwrap_or_else(|| panic!("no such column in {:?}", grid[0]))
}

/// The round's score column on the committee's Characteristics sheet.
fn committee_scores(committee: &Path, round: &str) -> BTreeMap<String, String> {
    let g = crate::common::sheet(committee, "Characteristics");
    let code = crate::common::col(&g, 0, "Code");
    let score = col_where(&g, |h| h.starts_with(round) && h.ends_with("score"));
    g.iter()
        .skip(1)
        .filter(|r| !r[code].is_empty())
        .map(|r| (r[code].clone(), r[score].clone()))
        .collect()
}

/// The score a test gives each characteristic: every level in turn.
fn score_for(i: usize) -> &'static str {
    SCALE[i % SCALE.len()]
}

/// Fills every Review template in `dir` as the theme's reviewer would:
/// name, date, and a score, commentary, gaps and reason as each needs.
/// Returns the filled files and the scores given.
fn fill_reviews(
    templates: &[PathBuf],
    out: &Path,
    filler: Filler,
) -> (Vec<PathBuf>, BTreeMap<String, String>) {
    std::fs::create_dir_all(out).unwrap();
    let mut given = BTreeMap::new();
    let mut files = Vec::new();
    let mut i = 0;
    for (n, tpl) in templates.iter().enumerate() {
        let t = Template::open(tpl);
        let mut e = Edits::default();
        e.set(
            "Instructions",
            &t.detail("Completed by"),
            text(&format!("Reviewer {}", n + 1)),
        );
        e.set(
            "Instructions",
            &t.detail("Date completed"),
            Typed::Date(2026, 1, 20),
        );
        for code in t.column("Assessment", "Code") {
            if code.is_empty() {
                continue;
            }
            let score = score_for(i);
            i += 1;
            let at = |h: &str| t.cell("Assessment", "Code", &code, h);
            e.set("Assessment", &at("Score"), text(score));
            e.set(
                "Assessment",
                &at("Commentary"),
                text(&format!("{code}: the evidence shows {score}.")),
            );
            if matches!(score, "Yellow" | "Amber") {
                e.set(
                    "Assessment",
                    &at("Gaps / areas to address"),
                    text(&format!("Gap found for {code}")),
                );
            }
            if score == "Grey" {
                e.set(
                    "Assessment",
                    &at("Reason (Grey or changed score)"),
                    text("Outside the council's control: a national programme"),
                );
            }
            given.insert(code, score.to_string());
        }
        let dst = out.join(tpl.file_name().unwrap());
        filler(tpl, &dst, &e);
        files.push(dst);
    }
    (files, given)
}

/// Fills a blank action return with one new action for each gap.
fn fill_new_actions(tpl: &Path, out: &Path, gaps: &[String], filler: Filler) -> Vec<String> {
    let fw = Framework::default_framework();
    let t = Template::open(tpl);
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Pat Example"),
    );
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2026, 1, 22),
    );
    let first = t.first_empty("Actions", "Action ID");
    let mut ids = Vec::new();
    for (k, code) in gaps.iter().enumerate() {
        let row = first + k as u32;
        let id = format!("BV-{:03}", k + 1);
        let c = fw.find_code(code).unwrap();
        let theme = &fw.themes[fw.characteristics[c].theme].name;
        let at = |h: &str| crate::officer::a1(row, t.col("Actions", h) as u16);
        for (h, v) in [
            ("Action ID", text(&id)),
            ("Theme", text(theme)),
            ("Code", text(code)),
            ("Gap", text(&format!("Gap found for {code}"))),
            ("Action", text(&format!("Close the gap in {code}"))),
            ("Responsible officer", text("Sam Lead")),
            ("Service area", text("Corporate Strategy")),
            ("Target date", Typed::Date(2026, 6, 30)),
            ("Status", text("On track")),
            ("Progress note", text("Started")),
            ("Date of update", Typed::Date(2026, 1, 22)),
            ("Performance system ref", text(&format!("PERF-{}", k + 1))),
        ] {
            e.set("Actions", &at(h), v);
        }
        ids.push(id);
    }
    filler(tpl, out, &e);
    ids
}

/// Every round in turn, each template filled by `filler`, each built.
fn rounds_round_trip(filler: Filler) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // Review: one return per theme.
    let review_tpls = issue(review("Review", false), &dir.join("sent/review"), &[]);
    assert_eq!(review_tpls.len(), 7);
    let (reviews, given) = fill_reviews(&review_tpls, &dir.join("returns/review"), filler);
    assert_eq!(given.len(), 74, "every characteristic has a row once");

    // The action plan for every gap.
    let action_tpl = issue(actions(), &dir.join("sent/actions"), &[]).remove(0);
    let gaps: Vec<String> = given
        .iter()
        .filter(|(_, s)| matches!(s.as_str(), "Yellow" | "Amber"))
        .map(|(c, _)| c.clone())
        .collect();
    let actions1 = dir.join("returns/actions/Actions - January.xlsx");
    std::fs::create_dir_all(actions1.parent().unwrap()).unwrap();
    let ids = fill_new_actions(&action_tpl, &actions1, &gaps, filler);

    let mut inputs = reviews.clone();
    inputs.push(actions1.clone());
    let committee1 = dir.join("committee-1.xlsx");
    let o = build(&inputs, &committee1);
    assert_clean(&o);
    assert_eq!(o.returns.len(), 8);
    assert_eq!(
        o.returns[0].authority.as_deref(),
        Some("Eastmoor Borough Council")
    );
    assert_eq!(committee_scores(&committee1, "Review"), given);
    let plan = crate::common::sheet(&committee1, "Action plan");
    let id_col = crate::common::col(&plan, 0, "Action ID");
    for id in &ids {
        assert!(
            crate::common::row_with(&plan, id_col, id).is_some(),
            "{id} missing"
        );
    }

    // Moderation: one return for all themes, showing the review scores.
    let moderation_tpl = issue(
        review("Moderation", true),
        &dir.join("sent/moderation"),
        &reviews,
    )
    .remove(0);
    let t = Template::open(&moderation_tpl);
    for (code, score) in &given {
        assert_eq!(&t.value("Assessment", "Code", code, "Review score"), score);
        assert_eq!(
            t.value("Assessment", "Code", code, "Review commentary"),
            format!("{code}: the evidence shows {score}.")
        );
        assert_eq!(t.value("Assessment", "Code", code, "Score"), "");
    }
    assert!(crate::officer::is_locked(
        &moderation_tpl,
        "Assessment",
        &t.cell("Assessment", "Code", "CI001", "Review score")
    ));
    // The moderator changes one score, with a reason, and leaves the rest.
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Mo Derator"),
    );
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2026, 2, 3),
    );
    assert_eq!(given["CI001"], "Dark green");
    let at = |h: &str| t.cell("Assessment", "Code", "CI001", h);
    e.set("Assessment", &at("Score"), text("Light green"));
    e.set(
        "Assessment",
        &at("Reason (Grey or changed score)"),
        text("Consistency: CI001's evidence is as strong as CI002's"),
    );
    let moderation = dir.join("returns/moderation/Moderation - All themes.xlsx");
    std::fs::create_dir_all(moderation.parent().unwrap()).unwrap();
    filler(&moderation_tpl, &moderation, &e);
    let mut inputs = reviews.clone();
    inputs.extend([moderation.clone(), actions1.clone()]);
    let committee2 = dir.join("committee-2.xlsx");
    let o = build(&inputs, &committee2);
    assert_clean(&o);
    assert_eq!(o.assessment.trail.len(), 1);
    let change = &o.assessment.trail[0];
    assert_eq!(
        o.framework.characteristics[change.characteristic].code,
        "CI001"
    );
    assert_eq!(change.officer.as_deref(), Some("Mo Derator"));
    assert_eq!(
        committee_scores(&committee2, "Moderation")["CI001"],
        "Light green"
    );

    // Final: shows the review and the moderated scores.
    let mut from = reviews.clone();
    from.push(moderation.clone());
    let final_tpl = issue(review("Final", true), &dir.join("sent/final"), &from).remove(0);
    let t = Template::open(&final_tpl);
    assert_eq!(
        t.value("Assessment", "Code", "CI001", "Review score"),
        "Dark green"
    );
    assert_eq!(
        t.value("Assessment", "Code", "CI001", "Moderation score"),
        "Light green"
    );
    assert_eq!(
        t.value("Assessment", "Code", "CI001", "Moderation reason"),
        "Consistency: CI001's evidence is as strong as CI002's"
    );
    // Unchanged at moderation: the score as it stood after moderation.
    assert_eq!(
        t.value("Assessment", "Code", "CI002", "Moderation score"),
        given["CI002"]
    );
    // The same template from the committee workbook alone.
    let from_committee = issue(
        review("Final", true),
        &dir.join("sent/final-from-committee"),
        std::slice::from_ref(&committee2),
    )
    .remove(0);
    let tc = Template::open(&from_committee);
    for code in ["CI001", "CI002", "G003", "PCE007"] {
        for h in ["Review score", "Moderation score", "Moderation reason"] {
            assert_eq!(
                tc.value("Assessment", "Code", code, h),
                t.value("Assessment", "Code", code, h),
                "{code} {h}"
            );
        }
    }

    // Next month's action return, from the committee workbook: the open
    // actions with their current status; the officer updates one.
    let next = issue(
        actions(),
        &dir.join("sent/actions-feb"),
        std::slice::from_ref(&committee2),
    )
    .remove(0);
    let t = Template::open(&next);
    let listed: Vec<String> = t
        .column("Actions", "Action ID")
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(
        t.value("Actions", "Action ID", "BV-001", "Status"),
        "On track"
    );
    assert_eq!(
        t.value("Actions", "Action ID", "BV-001", "Previous progress note"),
        "Started"
    );
    assert_eq!(
        t.value("Actions", "Action ID", "BV-001", "Progress note"),
        ""
    );
    assert!(crate::officer::is_locked(
        &next,
        "Actions",
        &t.cell("Actions", "Action ID", "BV-001", "Action ID")
    ));
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Pat Example"),
    );
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2026, 2, 20),
    );
    let at = |h: &str| t.cell("Actions", "Action ID", "BV-001", h);
    e.set("Actions", &at("Status"), text("Complete"));
    e.set("Actions", &at("Progress note"), text("Done and reported"));
    e.set("Actions", &at("Date of update"), Typed::Date(2026, 2, 20));
    let actions2 = dir.join("returns/actions/Actions - February.xlsx");
    filler(&next, &actions2, &e);
    let mut inputs = from.clone();
    inputs.extend([actions1.clone(), actions2.clone()]);
    let committee3 = dir.join("committee-3.xlsx");
    let o = build(&inputs, &committee3);
    assert_clean(&o);
    let a = o.plan.actions.iter().find(|a| a.id == "BV-001").unwrap();
    assert_eq!(a.status.map(|s| STATUSES[s]), Some("Complete"));
    assert_eq!(a.progress, "Done and reported");
    // The month after, it is no longer listed; the others are, as the
    // returns alone say too.
    let after = issue(
        actions(),
        &dir.join("sent/actions-mar"),
        std::slice::from_ref(&committee3),
    )
    .remove(0);
    let listed: Vec<String> = Template::open(&after)
        .column("Actions", "Action ID")
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, ids[1..].to_vec());
    let from_returns = issue(
        actions(),
        &dir.join("sent/actions-mar-returns"),
        &[actions1, actions2],
    )
    .remove(0);
    let listed_r: Vec<String> = Template::open(&from_returns)
        .column("Actions", "Action ID")
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed_r, listed);
}

#[test]
fn every_round_round_trips_through_build() {
    rounds_round_trip(crate::officer::fill);
}

#[test]
fn every_round_round_trips_when_filled_with_openpyxl() {
    if !crate::officer::has_openpyxl() {
        return;
    }
    rounds_round_trip(crate::officer::fill_with_openpyxl);
}

/// Review returns filled in, and the action return for their gaps: a
/// complete set for the tests that re-save or rearrange them.
fn filled_reviews(dir: &Path) -> (Vec<PathBuf>, BTreeMap<String, String>) {
    let tpls = issue(review("Review", false), &dir.join("sent"), &[]);
    let (mut files, given) = fill_reviews(&tpls, &dir.join("filled"), crate::officer::fill);
    let action_tpl = issue(actions(), &dir.join("sent-actions"), &[]).remove(0);
    let gaps: Vec<String> = given
        .iter()
        .filter(|(_, s)| matches!(s.as_str(), "Yellow" | "Amber"))
        .map(|(c, _)| c.clone())
        .collect();
    let dst = dir.join("filled/Actions.xlsx");
    fill_new_actions(&action_tpl, &dst, &gaps, crate::officer::fill);
    files.push(dst);
    (files, given)
}

#[test]
fn returns_resaved_by_libreoffice_as_ods_xls_and_xlsx_are_read_unchanged() {
    if !crate::officer::has_soffice() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (filled, given) = filled_reviews(dir);
    // As LibreOffice users save them: .ods, then back to .xlsx; and .xls.
    let ods = crate::officer::convert_all(&filled, "ods", &dir.join("ods"));
    let xlsx = crate::officer::convert_all(&ods, "xlsx", &dir.join("xlsx"));
    let xls = crate::officer::convert_all(&filled, "xls", &dir.join("xls"));
    for (what, files) in [("ods", &ods), ("xlsx via ods", &xlsx), ("xls", &xls)] {
        let out = dir.join(format!("committee {}.xlsx", what.replace(' ', "-")));
        let o = build(files, &out);
        assert_clean(&o);
        assert_eq!(committee_scores(&out, "Review"), given, "{what}");
        let officers: Vec<_> = o.returns.iter().filter_map(|r| r.officer.clone()).collect();
        assert_eq!(officers.len(), 8, "{what}");
        let reviews: Vec<_> = o.returns.iter().filter(|r| r.round.is_some()).collect();
        assert_eq!(reviews.len(), 7, "{what}");
        assert!(
            reviews
                .iter()
                .all(|r| r.completed == Some(date(2026, 1, 20)))
        );
        assert!(
            reviews
                .iter()
                .all(|r| r.round == Some(1) && r.themes.len() == 1)
        );
        assert_eq!(o.plan.actions.len(), 30, "{what}");
        if what == "xlsx via ods" {
            // The details the office filled in survive as plain cells.
            let t = Template::open(&files[0]);
            assert_eq!(t.detail_value("Issued"), "06/01/2026");
            assert_eq!(t.detail_value("Round"), "Review");
            assert_eq!(t.detail_value("Framework version"), "2024");
        }
        assert!(
            o.plan
                .actions
                .iter()
                .all(|a| a.status == Some(1) && !a.overdue)
        );
    }
}

#[test]
fn a_return_with_edited_headings_and_moved_columns_is_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (filled, given) = filled_reviews(dir);
    let mut moved = Vec::new();
    for f in &filled {
        let dst = dir.join("moved").join(f.file_name().unwrap());
        crate::officer::rewrite_with_moved_columns(f, &dst);
        moved.push(dst);
    }
    let t = Template::open(&moved[0]);
    let g = t.grid("Assessment");
    assert_eq!(g[0][0], "Continuous Improvement review: my working copy");
    assert!(g[1].iter().any(|h| h == "  SCORE "), "{:?}", g[1]);
    let out = dir.join("committee.xlsx");
    let o = build(&moved, &out);
    assert_clean(&o);
    assert_eq!(committee_scores(&out, "Review"), given);
}

#[test]
fn a_pasted_score_that_is_not_on_the_scale_is_reported_like_any_other() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut cfg = TemplateConfig::new(
        TemplateKind::Assessment {
            round: "Review".into(),
            themes: vec!["Governance".into()],
            all_in_one: false,
        },
        dir.join("sent"),
    );
    cfg.officer = Some("Jo Bloggs".into());
    let tpl = write_templates(&cfg).unwrap().files.remove(0);
    let t = Template::open(&tpl);
    // Pasting bypasses the drop-down; the filler types into the cell as
    // pasting would.
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2026, 1, 20),
    );
    let purple = t.cell("Assessment", "Code", "G001", "Score");
    e.set("Assessment", &purple, text("Purple"));
    e.set(
        "Assessment",
        &t.cell("Assessment", "Code", "G003", "Score"),
        text(" amber "),
    );
    let dst = dir.join("returns/Review - Governance.xlsx");
    std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
    crate::officer::fill(&tpl, &dst, &e);
    let o = build(&[dir.join("returns")], &dir.join("committee.xlsx"));
    let p = crate::common::find(&o, "score-not-in-scale");
    assert_eq!(
        p.location.to_string(),
        format!("Review - Governance.xlsx › Assessment › {purple}")
    );
    assert_eq!(p.column.as_deref(), Some("Score"));
    assert_eq!(p.found.as_deref(), Some("Purple"));
    assert!(
        p.hint
            .contains("Dark green, Light green, Yellow, Amber, Grey")
    );
    // " amber " is read as Amber, and its missing gap is no error here.
    let g003 = o.framework.find_code("G003").unwrap();
    assert_eq!(o.assessment.level(g003), Some(3));
    assert_eq!(o.returns[0].officer.as_deref(), Some("Jo Bloggs"));
}

#[test]
fn templates_are_byte_identical_for_the_same_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (filled, _) = filled_reviews(dir);
    let a = issue(review("Moderation", true), &dir.join("a"), &filled);
    let b = issue(review("Moderation", true), &dir.join("b"), &filled);
    assert_eq!(std::fs::read(&a[0]).unwrap(), std::fs::read(&b[0]).unwrap());
    // Refuses to overwrite without --force (it may be a filled return).
    let mut cfg = TemplateConfig::new(review("Moderation", true), dir.join("a"));
    let err = write_templates(&cfg).unwrap_err().to_string();
    assert!(err.contains("already exists"), "{err}");
    cfg.force = true;
    cfg.issued = Some(date(2026, 1, 6));
    assert!(write_templates(&cfg).is_ok());
}

/// What `build`'s reader finds on a template's Instructions sheet.
fn instructions_as_read(path: &Path, fw: &Framework) -> (Vec<String>, usize) {
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

/// Another council's framework: three rounds with their own names, a
/// six-level scale whose labels are too long for an inline drop-down.
const CUSTOM: &str = r##"
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

fn custom_framework_templates(dir: &Path) -> Vec<PathBuf> {
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
