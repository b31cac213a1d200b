//! Officer templates: written, filled in as an officer would (typing into
//! unlocked cells only), read back by `build` with no problems, through
//! every round, pre-filled from earlier returns and from the committee
//! workbook; re-saved by LibreOffice as .ods, .xls and .xlsx; with edited
//! headings and moved columns; for another framework. The drop-down lists,
//! messages, locked cells and protection are checked in the file's XML and,
//! when openpyxl is installed, by openpyxl.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::officer::{Edits, Template, Typed, text};
use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};
use chrono::NaiveDate;

pub(crate) const SCALE: [&str; 5] = ["Dark green", "Light green", "Yellow", "Amber", "Grey"];
pub(crate) const STATUSES: [&str; 4] = ["Not started", "On track", "At risk", "Complete"];

type Filler = fn(&Path, &Path, &Edits);

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn review(round: &str, all_in_one: bool) -> TemplateKind {
    TemplateKind::Assessment {
        round: round.into(),
        themes: Vec::new(),
        all_in_one,
    }
}

pub(crate) fn actions() -> TemplateKind {
    TemplateKind::Actions {
        service_areas: Vec::new(),
    }
}

/// Writes templates as the performance office would send them.
pub(crate) fn issue(kind: TemplateKind, out: &Path, from: &[PathBuf]) -> Vec<PathBuf> {
    let mut cfg = TemplateConfig::new(kind, out);
    cfg.authority = Some("Eastmoor Borough Council".into());
    cfg.issued = Some(date(2026, 1, 6));
    cfg.return_by = Some(date(2026, 1, 30));
    cfg.send_to = Some("Performance Office (bv@eastmoor.example)".into());
    cfg.from = from.to_vec();
    write_templates(&cfg).expect("templates written").files
}

pub(crate) fn problems(o: &bestvalue::Outcome) -> Vec<String> {
    o.problems
        .iter()
        .map(|p| format!("{} at {}: {}", p.kind.code(), p.location, p.message))
        .collect()
}

pub(crate) fn assert_clean(o: &bestvalue::Outcome) {
    assert!(
        o.problems.is_empty(),
        "build found problems:\n{}",
        problems(o).join("\n")
    );
}

pub(crate) fn build(inputs: &[PathBuf], out: &Path) -> bestvalue::Outcome {
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
pub(crate) fn committee_scores(committee: &Path, round: &str) -> BTreeMap<String, String> {
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
