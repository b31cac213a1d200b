//! One fixture per validation rule: the problem, its cell and its wording.

use crate::common::*;

fn review(rows: &[&[V]]) -> Ret {
    let mut r = Ret::assessment("Review", "All themes", "Alex Reviewer");
    for row in rows {
        r = r.row(row);
    }
    r
}

fn run(d: &Dir) -> bestvalue::Outcome {
    build(&[d.returns()], &d.path("out.xlsx"))
}

fn level(o: &bestvalue::Outcome, code: &str) -> Option<String> {
    let fw = &o.framework;
    let c = fw.find_code(code).unwrap();
    o.assessment.level(c).map(|l| fw.scale[l].label.clone())
}

#[test]
fn unknown_code_is_an_error_naming_the_cell() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[&[s("CI001"), s("Yellow")], &[s("CI099"), s("Amber")]]),
    );
    let o = run(&d);
    let p = find(&o, "unknown-code");
    assert_eq!(p.location.to_string(), "r.xlsx › Assessment › A3");
    assert_eq!(p.column.as_deref(), Some("Code"));
    assert_eq!(p.found.as_deref(), Some("CI099"));
    assert_eq!(
        p.message,
        "CI099 is not a code in the framework (Best Value guidance 2024)."
    );
    assert_eq!(
        p.hint,
        "Continuous Improvement codes run CI001 to CI012. Check the code against the template."
    );
    assert!(p.is_error());
    assert_eq!(o.returns[0].rows_read, 2);
    assert_eq!(o.returns[0].rows_used, 1);
    assert_eq!(o.returns[0].rows_reported, 1);
}

#[test]
fn codes_match_on_prefix_and_number_with_a_warning() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[
            &[s("ci1"), s("Yellow")],
            &[s("L010"), s("Amber")],
            &[s("G 003"), s("Light green")],
            &[s("L0011"), s("Light green")],
        ]),
    );
    let o = run(&d);
    assert_eq!(level(&o, "CI001").as_deref(), Some("Yellow"));
    assert_eq!(level(&o, "L0010").as_deref(), Some("Amber"));
    assert_eq!(level(&o, "G003").as_deref(), Some("Light green"));
    let spelled: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "code-spelling")
        .collect();
    assert_eq!(spelled.len(), 3, "L0011 was spelled right");
    assert_eq!(
        spelled[1].message,
        "Read as L0010, the framework's spelling of this code."
    );
    assert!(!spelled[0].is_error());
}

#[test]
fn cross_reference_cell_is_not_a_code() {
    let d = Dir::new();
    d.put("r.xlsx", &review(&[&[s("G002"), s("Yellow")]]));
    let o = run(&d);
    let p = find(&o, "cross-reference-code");
    assert!(
        p.message.contains("\"See CI012\" cell in Governance"),
        "{}",
        p.message
    );
    assert_eq!(
        p.hint,
        "Give this score under CI012 instead, or delete the row."
    );
}

#[test]
fn scores_in_any_case_spacing_alias_or_rank() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[
            &[s("CI001"), s("  AMBER "), s(""), s("A gap")],
            &[s("CI002"), s("lg")],
            &[s("CI003"), V::N(3.0), s(""), s("A gap")],
            &[s("CI004"), s("Light\u{a0}green")],
            &[s("CI005"), s("dark  Green")],
        ]),
    );
    let o = run(&d);
    // Only the number is reported: read, with the level it became.
    let in_file: Vec<_> = codes(&o)
        .into_iter()
        .filter(|(_, at)| at.starts_with("r.xlsx"))
        .collect();
    assert_eq!(
        in_file,
        [(
            "score-from-number".to_string(),
            "r.xlsx › Assessment › B4".to_string()
        )]
    );
    let p = find(&o, "score-from-number");
    assert_eq!(
        p.message,
        "The score was typed as the number 3 and read as Yellow."
    );
    assert!(!p.is_error());
    assert_eq!(level(&o, "CI001").as_deref(), Some("Amber"));
    assert_eq!(level(&o, "CI002").as_deref(), Some("Light green"));
    assert_eq!(level(&o, "CI003").as_deref(), Some("Yellow"));
    assert_eq!(level(&o, "CI004").as_deref(), Some("Light green"));
    assert_eq!(level(&o, "CI005").as_deref(), Some("Dark green"));
}

#[test]
fn score_not_in_scale_names_the_allowed_values() {
    let d = Dir::new();
    d.put("r.xlsx", &review(&[&[s("CI001"), s("Ambre")]]));
    let o = run(&d);
    let p = find(&o, "score-not-in-scale");
    assert_eq!(p.location.to_string(), "r.xlsx › Assessment › B2");
    assert_eq!(p.column.as_deref(), Some("Score"));
    assert_eq!(p.message, "\"Ambre\" is not a score on the scale.");
    assert_eq!(
        p.hint,
        "Choose one of: Dark green, Light green, Yellow, Amber, Grey."
    );
    assert_eq!(level(&o, "CI001"), None);
    // The bad score is reported once, not again as missing.
    assert!(!o.problems.iter().any(|p| p.kind.code() == "missing-score"));
}

#[test]
fn a_coloured_blank_score_cell_is_read_with_a_warning() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[
            &[s("CI001"), V::Fill("#FFC000")],
            &[s("CI002"), V::Fill("#123456")],
        ]),
    );
    let o = run(&d);
    let p = find(&o, "score-from-colour");
    assert_eq!(p.location.to_string(), "r.xlsx › Assessment › B2");
    assert!(p.message.contains("read as Amber"), "{}", p.message);
    assert_eq!(level(&o, "CI001").as_deref(), Some("Amber"));
    // A colour that is not on the scale is a missing score.
    assert_eq!(level(&o, "CI002"), None);
    assert!(has(&o, "missing-score", "r.xlsx › Assessment › B3"));
}

#[test]
fn grey_needs_a_reason() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[
            &[s("CI001"), s("Grey")],
            &[
                s("CI002"),
                s("Grey"),
                V::Blank,
                V::Blank,
                s("Depends on a national funding decision."),
            ],
        ]),
    );
    let o = run(&d);
    let greys: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "missing-reason-for-grey")
        .collect();
    assert_eq!(greys.len(), 1);
    assert_eq!(greys[0].location.to_string(), "r.xlsx › Assessment › E2");
    assert_eq!(
        greys[0].column.as_deref(),
        Some("Reason (Grey or changed score)")
    );
    assert_eq!(level(&o, "CI002").as_deref(), Some("Grey"));
}

#[test]
fn a_changed_score_at_moderation_needs_a_reason() {
    let d = Dir::new();
    d.put(
        "review.xlsx",
        &review(&[
            &[s("CI001"), s("Amber")],
            &[s("CI002"), s("Yellow")],
            &[s("CI003"), s("Yellow")],
        ]),
    );
    let m = Ret::assessment("Moderation", "All themes", "Mo Derator")
        .row(&[s("CI001"), s("Yellow")])
        .row(&[
            s("CI002"),
            s("Light green"),
            V::Blank,
            V::Blank,
            s("Evidence of the new system seen."),
        ])
        .row(&[s("CI003"), V::Blank]);
    d.put("moderation.xlsx", &m);
    let o = run(&d);
    let p = find(&o, "missing-reason-for-change");
    assert_eq!(p.location.to_string(), "moderation.xlsx › Assessment › E2");
    assert_eq!(
        p.message,
        "CI001 was changed from Amber (Review) to Yellow at Moderation without a reason."
    );
    assert_eq!(
        o.problems
            .iter()
            .filter(|p| p.kind.code() == "missing-reason-for-change")
            .count(),
        1
    );
    // A blank moderation score keeps the review score.
    assert_eq!(level(&o, "CI003").as_deref(), Some("Yellow"));
    // Provenance and trail.
    let fw = &o.framework;
    let ci2 = &o.assessment.characteristics[fw.find_code("CI002").unwrap()];
    let res = ci2.result.as_ref().unwrap();
    assert_eq!(fw.rounds[res.round].name, "Moderation");
    assert_eq!(res.officer.as_deref(), Some("Mo Derator"));
    assert_eq!(res.source.file, "moderation.xlsx");
    assert_eq!(res.cell, "B3");
    let change = o
        .assessment
        .trail
        .iter()
        .find(|c| c.characteristic == fw.find_code("CI002").unwrap())
        .unwrap();
    assert_eq!(change.reason, "Evidence of the new system seen.");
    assert_eq!(o.assessment.trail.len(), 2);
}

#[test]
fn the_same_code_twice_in_a_round() {
    let d = Dir::new();
    d.put(
        "a.xlsx",
        &review(&[&[s("CI001"), s("Amber")], &[s("CI002"), s("Yellow")]]),
    );
    d.put(
        "b.xlsx",
        &review(&[&[s("CI001"), s("Yellow")], &[s("CI002"), s("Yellow")]]),
    );
    let o = run(&d);
    // Both returns are told, each naming the other.
    let told: Vec<(String, String)> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "duplicate-code-conflict")
        .map(|p| (p.location.to_string(), p.message.clone()))
        .collect();
    assert_eq!(
        told,
        [
            (
                "a.xlsx › Assessment › B2".to_string(),
                "CI001 is scored Amber here but Yellow in b.xlsx › Assessment › B2 (both Review round); neither score was used.".to_string()
            ),
            (
                "b.xlsx › Assessment › B2".to_string(),
                "CI001 is scored Yellow here but Amber in a.xlsx › Assessment › B2 (both Review round); neither score was used.".to_string()
            ),
        ]
    );
    assert_eq!(
        level(&o, "CI001"),
        None,
        "a conflict is not resolved silently"
    );
    assert!(has(&o, "not-assessed", "All returns"));
    let dup = find(&o, "duplicate-code");
    assert!(!dup.is_error());
    assert_eq!(level(&o, "CI002").as_deref(), Some("Yellow"));
}

#[test]
fn dates_real_serial_text_and_ambiguous() {
    let cases: &[(V, Option<&str>)] = &[
        (V::Date(2025, 3, 31), None),
        (V::N(45747.0), None),
        (s("31/03/2025"), None),
        (s("2025-03-31"), None),
        (s("Q4 2024/25"), None),
        (
            s("12/31/2025"),
            Some("This looks like a month-first date (31 is not a month), so it could be misread."),
        ),
        (s("31/02/2025"), Some("There is no such date.")),
        (s("soon"), Some("This is not a date that can be read.")),
    ];
    for (v, want) in cases {
        let d = Dir::new();
        d.put(
            "r.xlsx",
            &review(&[&[s("CI001"), s("Yellow")]]).detail("Date completed", v.clone()),
        );
        let o = run(&d);
        let got = o.problems.iter().find(|p| p.kind.code() == "bad-date");
        match want {
            None => {
                assert!(got.is_none(), "{v:?}: {got:?}");
                assert_eq!(
                    o.returns[0].completed.unwrap().to_string(),
                    "2025-03-31",
                    "{v:?}"
                );
            }
            Some(m) => {
                let p = got.unwrap_or_else(|| panic!("{v:?} accepted"));
                assert_eq!(&p.message, m);
                assert_eq!(p.location.to_string(), "r.xlsx › Instructions › B8");
                assert_eq!(p.column.as_deref(), Some("Date completed"));
            }
        }
    }
}

#[test]
fn formula_errors_are_reported_as_such() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[
            &[s("CI001"), V::Err("#N/A")],
            &[s("CI002"), s("Yellow"), V::Err("#REF!")],
        ]),
    );
    let o = run(&d);
    let errs: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "formula-error")
        .collect();
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].found.as_deref(), Some("#N/A"));
    assert_eq!(errs[0].location.to_string(), "r.xlsx › Assessment › B2");
    assert!(errs[0].message.contains("#N/A"));
    assert_eq!(errs[1].found.as_deref(), Some("#REF!"));
    assert_eq!(level(&o, "CI002").as_deref(), Some("Yellow"));
}

#[test]
fn headings_found_anywhere_renamed_reordered_and_extra() {
    let d = Dir::new();
    let mut r = review(&[]);
    r.header_row = 4;
    r.headings = ["My notes", "  RAG  rating ", "Justification", "REF"]
        .map(String::from)
        .to_vec();
    r.rows = vec![vec![
        s("private"),
        s("Amber"),
        s("Thin evidence."),
        s("CI004"),
    ]];
    d.put("r.xlsx", &r);
    let o = run(&d);
    assert_eq!(level(&o, "CI004").as_deref(), Some("Amber"));
    let p = find(&o, "ignored-column");
    assert_eq!(p.location.to_string(), "r.xlsx › Assessment › A5");
    assert!(!p.is_error());
    let fw = &o.framework;
    let m = &o.assessment.characteristics[fw.find_code("CI004").unwrap()];
    assert_eq!(m.rounds[1].as_ref().unwrap().commentary, "Thin evidence.");
}

#[test]
fn round_and_officer_come_from_the_workbook_not_its_name() {
    let d = Dir::new();
    // Named like an action return, but it is a final-round assessment.
    d.put(
        "Actions.xlsx",
        &Ret::assessment("final", "Governance", "Chief Exec").row(&[
            s("G001"),
            s("Amber"),
            s("ok"),
        ]),
    );
    d.put(
        "no round.xlsx",
        &review(&[&[s("CI001"), s("Amber")]]).without_detail("Round"),
    );
    d.put(
        "bad round.xlsx",
        &review(&[&[s("CI002"), s("Amber")]]).detail("Round", s("Peer review")),
    );
    d.put(
        "nobody.xlsx",
        &review(&[&[s("CI003"), s("Amber")]]).without_detail("Completed by"),
    );
    let o = run(&d);
    let fw = &o.framework;
    let g1 = o.assessment.characteristics[fw.find_code("G001").unwrap()]
        .result
        .as_ref()
        .unwrap();
    assert_eq!(fw.rounds[g1.round].name, "Final");
    assert_eq!(g1.officer.as_deref(), Some("Chief Exec"));
    assert!(has(&o, "unknown-round", "no round.xlsx"));
    let bad = o
        .problems
        .iter()
        .find(|p| p.kind.code() == "unknown-round" && p.location.file == "bad round.xlsx")
        .unwrap();
    assert_eq!(bad.found.as_deref(), Some("Peer review"));
    assert_eq!(
        bad.location.to_string(),
        "bad round.xlsx › Instructions › B5"
    );
    assert_eq!(level(&o, "CI001"), None);
    let info = o
        .returns
        .iter()
        .find(|r| r.file == "no round.xlsx")
        .unwrap();
    assert_eq!(
        (info.rows_read, info.rows_used, info.rows_reported),
        (1, 0, 1)
    );
    assert!(has(&o, "missing-officer", "nobody.xlsx"));
    assert_eq!(level(&o, "CI003").as_deref(), Some("Amber"));
}

#[test]
fn unscored_characteristics_are_not_assessed_never_blank() {
    let d = Dir::new();
    d.put("r.xlsx", &review(&[&[s("CI001"), s("Amber")]]));
    let out = d.path("out.xlsx");
    let o = build(&[d.returns()], &out);
    let n = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "not-assessed")
        .count();
    assert_eq!(n, 73);
    let g = sheet(&out, "Heat map");
    let na = g.iter().flatten().filter(|c| *c == "Not assessed").count();
    // 73 characteristics, plus the See CI012 cell, plus the key.
    assert_eq!(na, 73 + 1 + 1);
}

#[test]
fn lock_files_and_other_files_are_skipped_and_listed_and_broken_files_reported() {
    let d = Dir::new();
    d.put("good.xlsx", &review(&[&[s("CI001"), s("Amber")]]));
    std::fs::write(d.returns().join("~$good.xlsx"), b"owner").unwrap();
    std::fs::write(d.returns().join(".~lock.good.xlsx#"), b"lock").unwrap();
    std::fs::write(d.returns().join("notes.txt"), b"hello").unwrap();
    std::fs::write(d.returns().join("renamed.xlsx"), b"this is not a workbook").unwrap();
    std::fs::write(d.returns().join("empty.xlsx"), b"").unwrap();
    let o = run(&d);
    let skipped: Vec<&str> = o.skipped.iter().map(|s| s.display.as_str()).collect();
    assert_eq!(
        skipped,
        vec![".~lock.good.xlsx#", "notes.txt", "~$good.xlsx"]
    );
    assert!(has(&o, "cannot-open", "renamed.xlsx"));
    assert!(has(&o, "cannot-open", "empty.xlsx"));
    assert!(
        find(&o, "cannot-open")
            .message
            .starts_with("This file could not be opened")
    );
    assert_eq!(
        level(&o, "CI001").as_deref(),
        Some("Amber"),
        "the good file is still read"
    );
}

#[test]
fn action_returns_are_read_and_checked() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[&[s("CI001"), s("Amber")], &[s("CI002"), s("Yellow")]]),
    );
    let a = Ret::actions("Finance")
        .row(&[
            s("BV-1"),
            s("CI001"),
            s("gap"),
            s("do it"),
            s("Sam"),
            V::Date(2025, 6, 30),
            s("on track"),
            s("going"),
            V::Date(2025, 10, 1),
        ])
        .row(&[
            s("BV-2"),
            s("CI009"),
            s("gap"),
            s("do more"),
            s("Sam"),
            s("Q4 2025/26"),
            s("Complete"),
            s("done"),
            V::Date(2025, 10, 2),
        ])
        .row(&[
            s("BV-3"),
            s("CI001"),
            s("gap"),
            s("x"),
            s("Sam"),
            s("31/12/2025"),
            s("Overdue"),
            s(""),
            V::Date(2025, 10, 2),
        ])
        .row(&[V::Blank, s("CI001"), s("a gap with no ID")]);
    d.put("actions.xlsx", &a);
    let out = d.path("out.xlsx");
    let o = build(&[d.returns()], &out);
    let bv1 = o.plan.actions.iter().find(|a| a.id == "BV-1").unwrap();
    assert!(bv1.overdue, "target 30/06/2025 before as-at 31/10/2025");
    let bv2 = o.plan.actions.iter().find(|a| a.id == "BV-2").unwrap();
    assert_eq!(
        bv2.target.as_ref().unwrap().timeline.as_deref(),
        Some("Q4 2025/26")
    );
    let st = find(&o, "unknown-status");
    assert_eq!(st.location.to_string(), "actions.xlsx › Actions › G4");
    assert!(
        st.hint
            .starts_with("Overdue is worked out from the target date.")
    );
    assert!(has(&o, "missing-action-id", "actions.xlsx › Actions › A5"));
    // CI002 is Yellow with no action.
    assert!(
        o.plan
            .uncovered
            .contains(&o.framework.find_code("CI002").unwrap())
    );
    let g = sheet(&out, "Action plan");
    assert_eq!(row_with(&g, 0, "BV-2").unwrap()[8], "Q4 2025/26");
    assert_eq!(row_with(&g, 0, "BV-1").unwrap()[10], "Overdue");
}
