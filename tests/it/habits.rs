//! Officers' habits the rules must not let slip: commentary written where
//! the reason belongs, a pre-filled action row sent back untouched, a
//! mistyped year, two officers sending the same theme, last month's
//! workbook from the wrong council, a score typed as a number, a score with
//! no gap, a mistyped action ID, one council's round folders given to
//! `compare`, an .ods from Gnumeric, and `check` with nothing to check.

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::officer::{Edits, Template, Typed, text};

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

fn review(rows: &[&[V]]) -> Ret {
    let mut r = Ret::assessment("Review", "All themes", "Alex Reviewer");
    for row in rows {
        r = r.row(row);
    }
    r
}

fn level(o: &bestvalue::Outcome, code: &str) -> Option<String> {
    let c = o.framework.find_code(code).unwrap();
    o.assessment
        .level(c)
        .map(|l| o.framework.scale[l].label.clone())
}

fn of_kind<'a>(o: &'a bestvalue::Outcome, code: &str) -> Vec<&'a bestvalue::problems::Problem> {
    o.problems
        .iter()
        .filter(|p| p.kind.code() == code)
        .collect()
}

fn rows_of(o: &bestvalue::Outcome, file: &str) -> (usize, usize, usize) {
    let r = o.returns.iter().find(|r| r.file == file).unwrap();
    (r.rows_read, r.rows_used, r.rows_reported)
}

#[test]
fn commentary_never_stands_in_for_the_reason() {
    let d = Dir::new();
    // Columns: Code, Score, Commentary, Gaps, Reason.
    d.put(
        "review.xlsx",
        &review(&[
            &[
                s("CI001"),
                s("Grey"),
                s("Outside our control: a national decision."),
            ],
            &[s("CI002"), s("Amber"), s("c"), s("A gap")],
        ]),
    );
    d.put(
        "moderation.xlsx",
        &Ret::assessment("Moderation", "All themes", "Mo Derator").row(&[
            s("CI002"),
            s("Yellow"),
            s("Moderated: evidence of the new system seen."),
            s("A gap"),
        ]),
    );
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let grey = of_kind(&o, "missing-reason-for-grey");
    assert_eq!(grey.len(), 1, "{:#?}", codes(&o));
    assert_eq!(
        grey[0].location.to_string(),
        "review.xlsx › Assessment › E2"
    );
    assert_eq!(
        grey[0].column.as_deref(),
        Some("Reason (Grey or changed score)")
    );
    let changed = of_kind(&o, "missing-reason-for-change");
    assert_eq!(changed.len(), 1, "{:#?}", codes(&o));
    assert_eq!(
        changed[0].location.to_string(),
        "moderation.xlsx › Assessment › E2"
    );
    // The Score trail shows the reason only: here, none.
    let c = o.framework.find_code("CI002").unwrap();
    let change = o
        .assessment
        .trail
        .iter()
        .find(|t| t.characteristic == c)
        .unwrap();
    assert_eq!(change.reason, "");
    let trail = sheet(&d.path("out.xlsx"), "Score trail");
    let reason = col(&trail, 0, "Reason");
    let row = row_with(&trail, 1, "CI002").expect("CI002 in the trail");
    assert_eq!(row[reason], "");
}

/// Last month's committee workbook from the samples, next month's
/// action-plan template pre-filled from it, and that template filled in
/// for two of its actions only.
fn november(d: &Dir) -> (PathBuf, PathBuf) {
    let october = d.path("Committee October.xlsx");
    let (code, _, e) = cli(&["build", p(&samples()), "--out", p(&october), "-q"]);
    assert_eq!(code, 0, "{e}");
    let sent = d.path("sent");
    let (code, _, e) = cli(&[
        "template",
        "--actions",
        "--from",
        p(&october),
        "--out",
        p(&sent),
        "-q",
    ]);
    assert_eq!(code, 0, "{e}");
    let tpl = sent.join("Actions.xlsx");
    let t = Template::open(&tpl);
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Pat Officer"),
    );
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2025, 11, 20),
    );
    let at = |id: &str, h: &str| t.cell("Actions", "Action ID", id, h);
    e.set(
        "Actions",
        &at("BV-001", "Progress note"),
        text("Benchmarks in the Q3 report."),
    );
    e.set(
        "Actions",
        &at("BV-001", "Date of update"),
        Typed::Date(2025, 11, 18),
    );
    e.set("Actions", &at("BV-002", "Status"), text("On track"));
    e.set(
        "Actions",
        &at("BV-002", "Progress note"),
        text("Scoping started."),
    );
    e.set(
        "Actions",
        &at("BV-002", "Date of update"),
        Typed::Date(2025, 11, 19),
    );
    let filled = d.path("november/Actions - all.xlsx");
    std::fs::create_dir_all(filled.parent().unwrap()).unwrap();
    crate::officer::fill(&tpl, &filled, &e);
    (october, filled)
}

#[test]
fn untouched_prefilled_action_rows_are_not_updates() {
    let d = Dir::new();
    let (october, filled) = november(&d);
    let out = d.path("Committee November.xlsx");
    let (code, stdout, e) = cli(&[
        "build",
        p(filled.parent().unwrap()),
        "--previous",
        p(&october),
        "--out",
        p(&out),
    ]);
    assert!(code <= 1, "{stdout}{e}");
    let plan = sheet(&out, "Action plan");
    let since = col(&plan, 0, "Since last month");
    let earlier = col(&plan, 0, "Earlier updates");
    let latest = col(&plan, 0, "Latest progress");
    let ids: Vec<&Vec<String>> = plan[1..]
        .iter()
        .filter(|r| r[0].starts_with("BV-"))
        .collect();
    let mut not_updated = 0;
    for r in &ids {
        match r[0].as_str() {
            "BV-001" => assert_eq!(r[since], "", "{r:?}"),
            "BV-002" => assert_eq!(r[since], "Status changed (was Not started)", "{r:?}"),
            _ => {
                // Untouched, or not in this month's return at all.
                if r[since] == "No update this month" {
                    not_updated += 1;
                } else {
                    assert!(
                        ["Completed", "Completed earlier", "Newly overdue"]
                            .contains(&r[since].as_str()),
                        "{r:?}"
                    );
                }
                assert!(!r[latest].is_empty(), "last month's note is kept: {r:?}");
            }
        }
        assert!(!r[earlier].contains("no date"), "{r:?}");
    }
    assert!(not_updated >= 18, "{not_updated} not updated");
    // The Summary counts them.
    let summary = sheet(&out, "Summary");
    let line = summary
        .iter()
        .flatten()
        .find(|c| c.starts_with("Actions: "))
        .unwrap();
    assert!(
        line.contains(&format!("{not_updated} not updated this month")),
        "{line}"
    );
}

#[test]
fn a_mistyped_year_does_not_move_as_at() {
    let d = Dir::new();
    let update = |id: &str, date: V| {
        vec![
            s(id),
            s("CI004"),
            s("gap"),
            s("act"),
            s("Sam"),
            V::Date(2025, 11, 25),
            s("On track"),
            s("p"),
            date,
        ]
    };
    // Target dates in late November: overdue only if "as at" is wrong.
    let a = Ret::actions("Finance")
        .detail("Date completed", V::Date(2025, 11, 20))
        .row(&update("BV-1", V::Date(2025, 11, 18)))
        .row(&update("BV-2", V::Date(2026, 11, 26)));
    d.put("finance.xlsx", &a);
    // A return with no Date completed: judged by the other returns' dates.
    let b = Ret::actions("Housing")
        .without_detail("Date completed")
        .row(&update("BV-3", V::Date(2025, 11, 17)))
        .row(&update("BV-4", V::Date(2026, 11, 27)));
    d.put("housing.xlsx", &b);
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let found: Vec<String> = of_kind(&o, "implausible-date")
        .iter()
        .map(|p| format!("{} | {}", p.location, p.message))
        .collect();
    assert_eq!(
        found,
        [
            "finance.xlsx › Actions › I3 | The date of update, 26/11/2026, is later than the return's Date completed (20/11/2025), so it was not used for the \"as at\" date.",
            "housing.xlsx › Actions › I3 | The date of update, 27/11/2026, is far from the other dates in the returns (around November 2025), so it was not used for the \"as at\" date.",
        ]
    );
    assert!(
        of_kind(&o, "implausible-date")
            .iter()
            .all(|p| !p.is_error())
    );
    assert_eq!(o.as_at, chrono::NaiveDate::from_ymd_opt(2025, 11, 20));
    assert_eq!(o.plan.actions.iter().filter(|a| a.overdue).count(), 0);
}

#[test]
fn every_return_in_a_conflict_is_told_and_none_is_used() {
    let d = Dir::new();
    for (f, score) in [
        ("a.xlsx", "Amber"),
        ("b.xlsx", "Yellow"),
        ("c.xlsx", "Dark green"),
    ] {
        d.put(f, &review(&[&[s("C001"), s(score), s("c"), s("A gap")]]));
    }
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let told = of_kind(&o, "duplicate-code-conflict");
    let files: Vec<&str> = told.iter().map(|p| p.location.file.as_str()).collect();
    assert_eq!(files, ["a.xlsx", "b.xlsx", "c.xlsx"]);
    assert_eq!(
        told[1].message,
        "C001 is scored Yellow here, but Amber in a.xlsx › Assessment › B2 and Dark green in c.xlsx › Assessment › B2 (all Review round); none of these scores was used."
    );
    assert_eq!(level(&o, "C001"), None);
    for f in ["a.xlsx", "b.xlsx", "c.xlsx"] {
        assert_eq!(rows_of(&o, f), (1, 0, 1), "{f}");
    }
    // Each officer gets feedback, and each is on the chase list.
    let fb = d.path("feedback");
    let chase = d.path("chase.xlsx");
    let (code, _, e) = cli(&[
        "check",
        p(&d.returns()),
        "--feedback",
        p(&fb),
        "--chase",
        p(&chase),
    ]);
    assert_eq!(code, 1, "{e}");
    for f in ["a.xlsx", "b.xlsx", "c.xlsx"] {
        assert!(fb.join(f).exists(), "no feedback for {f}");
    }
    let list = sheet(&chase, bestvalue::write::chase::SHEET);
    let file = col(&list, bestvalue::write::chase::HEADING_ROW as usize, "File");
    for f in ["a.xlsx", "b.xlsx", "c.xlsx"] {
        assert!(
            row_with(&list, file, f).is_some(),
            "{f} not chased: {list:?}"
        );
    }
}

#[test]
fn last_months_and_last_years_workbooks_belong_to_this_authority() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &review(&[&[s("CI001"), s("Amber"), s("c"), s("A gap")]]),
    );
    let other = d.path("Westmoor.xlsx");
    let (code, _, e) = cli(&[
        "build",
        p(&d.returns()),
        "--authority",
        "Westmoor District Council",
        "--out",
        p(&other),
        "-q",
    ]);
    assert_eq!(code, 0, "{e}");
    for flag in ["--previous", "--previous-year"] {
        let (code, _, e) = cli(&[
            "build",
            p(&d.returns()),
            flag,
            p(&other),
            "--out",
            p(&d.path("x.xlsx")),
        ]);
        assert_eq!(code, 2, "{flag}: {e}");
        assert!(
            e.contains("is the committee workbook of Westmoor District Council, but the returns are for Testshire District Council"),
            "{flag}: {e}"
        );
        assert!(!d.path("x.xlsx").exists());
    }
    let (code, _, e) = cli(&["check", p(&d.returns()), "--previous", p(&other)]);
    assert_eq!(code, 2, "{e}");
    // Its own workbook is accepted.
    let own = d.path("Testshire.xlsx");
    let (code, ..) = cli(&["build", p(&d.returns()), "--out", p(&own), "-q"]);
    assert_eq!(code, 0);
    let (code, _, e) = cli(&[
        "build",
        p(&d.returns()),
        "--previous",
        p(&own),
        "--out",
        p(&d.path("y.xlsx")),
        "-q",
    ]);
    assert_eq!(code, 0, "{e}");
}

#[test]
fn a_score_that_needs_an_action_needs_a_gap() {
    let d = Dir::new();
    d.put(
        "review.xlsx",
        &review(&[
            &[s("CI001"), s("Yellow"), s("c")],
            &[s("CI002"), s("Amber"), s("c"), s("Known gap")],
            &[s("CI003"), s("Light green"), s("c")],
        ]),
    );
    // Moderation confirms CI002 with the gap already given at review.
    d.put(
        "moderation.xlsx",
        &Ret::assessment("Moderation", "All themes", "Mo").row(&[s("CI002"), s("Amber"), s("c")]),
    );
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let gaps = of_kind(&o, "missing-gap");
    assert_eq!(gaps.len(), 1, "{:#?}", codes(&o));
    assert_eq!(
        gaps[0].location.to_string(),
        "review.xlsx › Assessment › D2"
    );
    assert_eq!(gaps[0].column.as_deref(), Some("Gaps / areas to address"));
    assert!(!gaps[0].is_error());
}

#[test]
fn a_mistyped_action_id_names_the_action() {
    let d = Dir::new();
    let (october, _) = november(&d);
    let t = Template::open(&d.path("sent/Actions.xlsx"));
    let row = t.row_of("Actions", "Action ID", "BV-003");
    let value = |h: &str| t.grid("Actions")[row][t.col("Actions", h)].clone();
    let typo = Ret::actions("Corporate Strategy")
        .detail("Authority", s("Eastmoor Borough Council"))
        .row(&[
            s("BV-03"),
            s(&value("Code")),
            s(&value("Gap")),
            s(&value("Action")),
            s(&value("Responsible officer")),
            V::Date(2026, 3, 31),
            s("At risk"),
            s("Sign-off deferred again."),
            V::Date(2025, 11, 18),
        ]);
    d.put("typo.xlsx", &typo);
    let o = bestvalue::build(&bestvalue::BuildConfig {
        inputs: vec![d.returns()],
        output: d.path("out.xlsx"),
        previous: Some(october),
        ..Default::default()
    })
    .unwrap();
    let p = of_kind(&o, "unknown-action-id");
    assert_eq!(p.len(), 1, "{:#?}", codes(&o));
    assert!(p[0].is_error());
    assert!(
        p[0].message.contains("did you mean BV-003?"),
        "{}",
        p[0].message
    );
    assert_eq!(p[0].location.to_string(), "typo.xlsx › Actions › A2");
    assert_eq!(rows_of(&o, "typo.xlsx"), (1, 0, 1));
}

#[test]
fn compare_says_one_councils_round_folders_are_not_a_sector() {
    let d = Dir::new();
    let out = d.path("sector.xlsx");
    let (code, stdout, e) = cli(&["compare", p(&samples()), "--out", p(&out)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(e.contains("hold Eastmoor Borough Council's returns"), "{e}");
    assert!(e.contains("bestvalue build"), "{e}");
    assert!(!out.exists());
}

#[test]
fn an_ods_written_by_gnumeric_is_read() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sample = samples().join("2 Review/Review - Culture.xlsx");
    let d = Dir::new();
    let read = |f: &Path| build(&[f.to_path_buf()], &d.path("out.xlsx"));
    let ods = read(&fixtures.join("gnumeric-review.ods"));
    let xlsx = read(&sample);
    let errors: Vec<_> = ods.problems.iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(ods.returns[0].format, "OpenDocument spreadsheet");
    assert_eq!(rows_of(&ods, "gnumeric-review.ods").0, 11);
    for c in ["C001", "C004", "C005", "C008", "C011"] {
        assert_eq!(level(&ods, c), level(&xlsx, c), "{c}");
    }
    assert_eq!(ods.returns[0].officer, xlsx.returns[0].officer);
}

#[test]
fn no_message_shows_the_readers_internals() {
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    // An .ods whose sheet is not well-formed, and a cut-short .xlsx.
    let mut ods = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gnumeric-review.ods"),
    )
    .unwrap();
    ods.truncate(ods.len() / 2);
    std::fs::write(d.returns().join("cut.ods"), &ods).unwrap();
    std::fs::write(d.returns().join("cut.xlsx"), b"PK\x03\x04 cut short").unwrap();
    let (code, stdout, _) = cli(&["check", p(&d.returns())]);
    assert_eq!(code, 1);
    for internal in ["BytesText", "Zip error", "EOCD", "Xml", "Text("] {
        assert!(!stdout.contains(internal), "{internal}: {stdout}");
    }
    assert!(stdout.contains("damaged or incomplete"), "{stdout}");
}

#[test]
fn check_with_nothing_to_check_says_so() {
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join("notes.txt"), b"minutes").unwrap();
    let (code, stdout, _) = cli(&["check", p(&d.returns())]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("No returns found in"), "{stdout}");
    assert!(stdout.contains("notes.txt"), "{stdout}");
    assert!(!stdout.contains("0 of"), "{stdout}");
    // Only last month's workbook: nothing of this month to check.
    let last = d.path("last.xlsx");
    let (code, _, e) = cli(&["build", p(&samples()), "--out", p(&last), "-q"]);
    assert_eq!(code, 0, "{e}");
    let (code, stdout, _) = cli(&["check", p(&d.returns()), "--previous", p(&last)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with(&format!("No returns found in '{}'.", p(&d.returns()))),
        "{stdout}"
    );
}

#[test]
fn a_second_copy_of_a_theme_is_told_only_where_it_says_something() {
    let d = Dir::new();
    // The reviewer's return, and a colleague's copy of the same template
    // with one score in it; both list C001 to C003.
    d.put(
        "a.xlsx",
        &review(&[
            &[s("C001"), s("Amber"), s("c"), s("A gap")],
            &[s("C002"), s("Light green")],
            &[s("C003"), V::Blank, V::Blank, V::Blank, V::Blank, s("x")],
        ]),
    );
    d.put(
        "b.xlsx",
        &review(&[
            &[s("C001"), s("Amber"), s("c"), s("A gap")],
            &[s("C002"), V::Blank, V::Blank, V::Blank, V::Blank, s("x")],
            &[s("C003"), V::Blank, V::Blank, V::Blank, V::Blank, s("x")],
        ]),
    );
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let dups: Vec<String> = of_kind(&o, "duplicate-code")
        .iter()
        .map(|p| p.location.to_string())
        .collect();
    // C001 is given by both (each told); the blank C002 and C003 rows are
    // no second opinion.
    assert_eq!(
        dups,
        ["a.xlsx › Assessment › B2", "b.xlsx › Assessment › B2"]
    );
    // C003 has no score anywhere: both returns are told.
    let missing: Vec<String> = of_kind(&o, "missing-score")
        .iter()
        .map(|p| p.location.to_string())
        .collect();
    assert_eq!(
        missing,
        ["a.xlsx › Assessment › B4", "b.xlsx › Assessment › B4"]
    );
}

#[test]
fn a_clean_return_checked_alone_is_not_said_to_have_problems() {
    // One sound return: every finding is about the set (the other themes'
    // codes not scored), so the summary must not read "in 0 of 1 returns".
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    let one = samples().join("2 Review/Review - Governance.xlsx");
    std::fs::copy(&one, d.returns().join("Review - Governance.xlsx")).unwrap();
    let (_, stdout, _) = cli(&["check", p(&d.returns())]);
    let last = stdout.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.ends_with("about the returns as a whole (none in a return's own cells)."),
        "{stdout}"
    );
    assert!(!stdout.contains("in 0 of 1 returns"), "{stdout}");
}
