//! The monthly cycle: last month's committee workbook carried forward,
//! action progress matched by ID, what changed since last month, overdue at
//! the "as at" date, and the CSV for the performance system.

use crate::common::*;
use std::path::{Path, PathBuf};

fn cfg(
    inputs: &[PathBuf],
    out: &Path,
    previous: Option<&Path>,
    as_at: Option<(i32, u32, u32)>,
) -> bestvalue::BuildConfig {
    bestvalue::BuildConfig {
        inputs: inputs.to_vec(),
        output: out.to_path_buf(),
        previous: previous.map(Path::to_path_buf),
        as_at: as_at.map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        ..Default::default()
    }
}

fn action(id: &str, code: &str, target: V, status: &str, note: &str, updated: V) -> Vec<V> {
    vec![
        s(id),
        s(code),
        s("a gap"),
        s(&format!("do {id}")),
        s("Sam Owner"),
        target,
        s(status),
        s(note),
        updated,
    ]
}

/// Month one: a review and the first action updates.
fn month_one(d: &Dir) -> PathBuf {
    let m1 = d.path("m1");
    Ret::assessment("Review", "Continuous Improvement", "Rita Reviewer")
        .row(&[s("CI001"), s("Amber"), s("weak")])
        .row(&[s("CI002"), s("Yellow"), s("partial")])
        .row(&[s("CI003"), s("Light green"), s("fine")])
        .write(&m1.join("review.xlsx"));
    let mut a = Ret::actions("Finance");
    for row in [
        action(
            "BV-1",
            "CI001",
            V::Date(2025, 11, 30),
            "On track",
            "started",
            V::Date(2025, 9, 30),
        ),
        action(
            "BV-2",
            "CI002",
            V::Date(2026, 3, 31),
            "Not started",
            "",
            V::Date(2025, 9, 30),
        ),
        action(
            "BV-3",
            "CI001",
            V::Date(2025, 12, 31),
            "On track",
            "planning",
            V::Date(2025, 9, 30),
        ),
    ] {
        a = a.row(&row);
    }
    a.write(&m1.join("actions.xlsx"));
    m1
}

#[test]
fn next_month_is_compared_with_last_month() {
    let d = Dir::new();
    let m1 = month_one(&d);
    let last = d.path("October.xlsx");
    let o1 = bestvalue::build(&cfg(&[m1], &last, None, None)).unwrap();
    assert!(!o1.problems.has_errors(), "{:#?}", codes(&o1));

    // Month two: only action returns come in.
    let m2 = d.path("m2");
    let mut a = Ret::actions("Finance").detail("Date completed", V::Date(2026, 1, 2));
    for row in [
        action(
            "BV-1",
            "CI001",
            V::Date(2025, 11, 30),
            "Complete",
            "done and dusted",
            V::Date(2025, 12, 20),
        ),
        action(
            "BV-2",
            "CI002",
            V::Date(2026, 3, 31),
            "At risk",
            "supplier late",
            V::Date(2025, 12, 20),
        ),
        vec![
            s("BV-4"),
            s("CI002"),
            s("a new gap"),
            s("a new action"),
            s("Sam Owner"),
            V::Date(2026, 6, 30),
            s("Not started"),
            s(""),
            V::Date(2025, 12, 20),
        ],
        vec![
            s("BV-9"),
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            s("On track"),
            s("what is this?"),
            V::Date(2025, 12, 20),
        ],
    ] {
        a = a.row(&row);
    }
    a.write(&m2.join("finance.xlsx"));
    Ret::actions("Corporate Strategy")
        .row(&action(
            "BV-2",
            "CI002",
            V::Date(2026, 3, 31),
            "On track",
            "a second update the same day",
            V::Date(2025, 12, 20),
        ))
        .write(&m2.join("strategy.xlsx"));
    let now = d.path("December.xlsx");
    let csv = d.path("actions.csv");
    let mut c = cfg(&[m2], &now, Some(&last), Some((2026, 1, 5)));
    c.actions_csv = Some(csv.clone());
    let o2 = bestvalue::build(&c).unwrap();

    // The review's scores were carried forward from last month's workbook.
    let fw = &o2.framework;
    assert_eq!(
        o2.assessment.level(fw.find_code("CI001").unwrap()),
        fw.find_score("Amber")
    );
    let ci1 = o2.assessment.characteristics[fw.find_code("CI001").unwrap()]
        .result
        .clone()
        .unwrap();
    assert_eq!(ci1.officer.as_deref(), Some("Rita Reviewer"));

    let g = sheet(&now, "Action plan");
    let id = col(&g, 0, "Action ID");
    let since = col(&g, 0, "Since last month");
    let overdue = col(&g, 0, "Overdue");
    let status = col(&g, 0, "Status");
    let history = col(&g, 0, "Earlier updates");
    let row = |x: &str| row_with(&g, id, x).unwrap_or_else(|| panic!("{x} listed"));
    assert_eq!(row("BV-1")[since], "Completed");
    assert_eq!(row("BV-1")[status], "Complete");
    assert_eq!(row("BV-1")[overdue], "", "complete is never overdue");
    assert!(row("BV-1")[history].starts_with("30/09/2025 · On track · started"));
    assert_eq!(row("BV-2")[since], "Status changed (was Not started)");
    assert_eq!(
        row("BV-3")[since],
        "Newly overdue",
        "target 31/12/2025, as at 05/01/2026"
    );
    assert_eq!(row("BV-3")[overdue], "Overdue");
    assert_eq!(row("BV-4")[since], "New");
    assert_eq!(row("BV-9")[since], "Not in last month's plan");

    let unknown = find(&o2, "unknown-action-id");
    assert_eq!(unknown.location.to_string(), "finance.xlsx › Actions › A5");
    assert!(
        unknown
            .message
            .starts_with("BV-9 is not in last month's action plan (October.xlsx)")
    );
    let dup = find(&o2, "duplicate-action-id");
    assert!(
        dup.location.to_string().starts_with("strategy.xlsx")
            || dup.location.to_string().starts_with("finance.xlsx")
    );

    // The summary says what moved.
    let summary = sheet(&now, "Summary");
    let text: Vec<&String> = summary.iter().flatten().collect();
    assert!(text.iter().any(|t| t.as_str() == "Actions: 1 new, 1 completed, 1 newly overdue, 1 changed status, 0 not updated this month."), "{text:?}");
    assert!(text.iter().any(|t| t.as_str() == "Scores: none moved."));

    // The CSV for the performance system.
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 byte-order mark"
    );
    let body = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with(
        "Action ID,Theme,Code,Gap,Action,Responsible officer,Service area,Target date"
    ));
    assert_eq!(lines.len(), 1 + o2.plan.actions.len());
    let bv3 = lines.iter().find(|l| l.starts_with("BV-3,")).unwrap();
    assert!(bv3.contains(",2025-12-31,"), "{bv3}");
    assert!(bv3.contains(",Yes,"), "overdue: {bv3}");
}

#[test]
fn a_committee_workbook_reads_back_with_no_problems() {
    let d = Dir::new();
    let first = d.path("committee.xlsx");
    let o1 = build(&[samples()], &first);
    // Regenerated from last month's workbook alone (no new returns).
    let empty = d.path("no returns this month");
    std::fs::create_dir_all(&empty).unwrap();
    let again = d.path("again.xlsx");
    let o2 = bestvalue::build(&cfg(
        std::slice::from_ref(&empty),
        &again,
        Some(&first),
        None,
    ))
    .unwrap();
    let kinds = |o: &bestvalue::Outcome| {
        let mut v: Vec<String> = o
            .problems
            .iter()
            .filter(|p| p.location.file == "All returns")
            .map(|p| p.message.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        kinds(&o1),
        kinds(&o2),
        "the same findings about the whole run"
    );
    assert!(
        o2.problems.iter().all(|p| p.location.file == "All returns"),
        "{:#?}",
        codes(&o2)
    );
    assert_eq!(o2.as_at, o1.as_at);
    assert_eq!(o2.authority, "Eastmoor Borough Council");
    for name in ["Heat map", "Characteristics", "Score trail"] {
        let a = sheet(&first, name);
        let b = sheet(&again, name);
        if name == "Score trail" {
            // The source column names last month's workbook now.
            let strip =
                |g: &Vec<Vec<String>>| g.iter().map(|r| r[..9].to_vec()).collect::<Vec<_>>();
            assert_eq!(strip(&a), strip(&b), "{name}");
        } else {
            assert_eq!(a, b, "{name} carried forward unchanged");
        }
    }
    let a = sheet(&first, "Action plan");
    let b = sheet(&again, "Action plan");
    let since = col(&b, 0, "Since last month");
    assert!(b.iter().any(|r| r[since] == "Completed earlier"));
    for (ra, rb) in a[1..].iter().zip(&b[1..]) {
        assert_eq!(ra[0], rb[0]);
        assert_eq!(ra[col(&a, 0, "Status")], rb[col(&b, 0, "Status")]);
        assert_eq!(
            ra[col(&a, 0, "Latest progress")],
            rb[col(&b, 0, "Latest progress")]
        );
        // Nothing came in: open actions were not updated; those already
        // complete were completed earlier and are due no update.
        let want = match (rb[0].as_str(), rb[col(&b, 0, "Status")].as_str()) {
            ("—", _) => continue,
            (_, "Complete") => "Completed earlier",
            _ => "No update this month",
        };
        assert_eq!(rb[since], want, "{}", rb[0]);
    }
}

/// Last year's score per code, read from the sample's last-year return.
fn last_year_scores() -> std::collections::BTreeMap<String, String> {
    use calamine::Reader;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/2024-25/returns/Review - All themes 2024-25.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let r = wb.worksheet_range("Assessment").unwrap();
    let rows: Vec<Vec<String>> = r
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    let code = rows[0].iter().position(|h| h == "Code").unwrap();
    let score = rows[0].iter().position(|h| h == "Score").unwrap();
    rows[1..]
        .iter()
        .map(|r| (r[code].clone(), r[score].clone()))
        .collect()
}

#[test]
fn samples_direction_of_travel_against_last_year() {
    let d = Dir::new();
    let out = d.path("committee.xlsx");
    let last = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2024-25/Committee 2024-25.xlsx");
    let mut c = cfg(&[samples()], &out, None, None);
    c.previous_year = Some(last);
    let o = bestvalue::build(&c).unwrap();
    let fw = &o.framework;
    let then = last_year_scores();
    let rank = |l: &str| fw.find_score(l).unwrap();
    let (mut up, mut down, mut same, mut grey) = (0, 0, 0, 0);
    for (ch, m) in fw.characteristics.iter().zip(&o.assessment.characteristics) {
        let now = m.result.as_ref().unwrap().level;
        let was = rank(&then[&ch.code]);
        // Grey (not scored) in either year is not compared, even in both.
        if !(fw.scale[now].scored && fw.scale[was].scored) {
            grey += 1;
            continue;
        }
        match now.cmp(&was) {
            std::cmp::Ordering::Less => up += 1,
            std::cmp::Ordering::Greater => down += 1,
            std::cmp::Ordering::Equal => same += 1,
        }
    }
    assert!(
        up > 5 && down > 0,
        "the samples show movement: {up} up, {down} down"
    );
    let g = sheet(&out, "Summary");
    let head = g
        .iter()
        .position(|r| {
            r.first()
                .is_some_and(|s| s.starts_with("Direction of travel since last year"))
        })
        .unwrap()
        + 1;
    assert_eq!(
        g[head][1..6],
        ["Improved", "Same", "Declined", "New", "Not compared"]
    );
    let total = g[head..].iter().find(|r| r[0] == "All themes").unwrap();
    assert_eq!(
        total[1..6],
        [
            up.to_string(),
            same.to_string(),
            down.to_string(),
            "0".into(),
            grey.to_string()
        ]
    );
    // R009, SD007 and PCE005 are Grey in both years: not compared.
    assert!(grey >= 3, "{grey}");
    let dir =
        |code: &str| o.travel.as_ref().unwrap().per_characteristic[fw.find_code(code).unwrap()].1;
    for code in ["R009", "SD007", "PCE005"] {
        assert_eq!(dir(code).label(), "Not compared", "{code}");
    }
    // The marks on the heat map agree with the Characteristics sheet.
    let ch = sheet(&out, "Characteristics");
    let since = col(&ch, 0, "Since last year");
    let hm = sheet(&out, "Heat map");
    for row in &ch[1..] {
        let code = &row[1];
        let cell = hm
            .iter()
            .flatten()
            .find(|c| c.split_whitespace().next() == Some(code.as_str()))
            .unwrap();
        let want = match row[since].as_str() {
            "Improved" => format!("{code} ▲"),
            "Declined" => format!("{code} ▼"),
            _ => code.clone(),
        };
        assert_eq!(cell, &want);
    }
    // A second chart for last year.
    let drawing = part(&out, "xl/drawings/drawing1.xml");
    assert_eq!(drawing.matches("<c:chart ").count(), 2);
}

#[test]
fn year_on_year_through_a_mapping_file() {
    let d = Dir::new();
    // Last year: default framework (2024).
    let last_returns = d.path("last");
    Ret::assessment("Review", "All themes", "R")
        .row(&[s("L0010"), s("Amber"), s("c")])
        .row(&[s("G0011"), s("Yellow"), s("c")])
        .row(&[s("CI010"), s("Light green"), s("c")])
        .row(&[s("CI012"), s("Amber"), s("c")])
        .row(&[s("CI001"), s("Yellow"), s("c")])
        .write(&last_returns.join("r.xlsx"));
    let last = d.path("last year.xlsx");
    bestvalue::build(&cfg(&[last_returns], &last, None, None)).unwrap();

    // This year: version 2025, L0010 renumbered L010, G0011 retired,
    // CI012 merged into CI010, and a new PCE008.
    let text = bestvalue::framework::DEFAULT_FRAMEWORK
        .replacen("version = \"2024\"", "version = \"2025\"", 1)
        .replacen("code = \"L0010\"", "code = \"L010\"", 1)
        .replacen("  { code = \"G0011\"", "#  { code = \"G0011\"", 1)
        .replacen("  { code = \"CI012\"", "#  { code = \"CI012\"", 1)
        .replacen("  { see = \"CI012\" }", "  { see = \"CI011\" }", 1)
        .replacen(
            "  { code = \"PCE007\"",
            "  { code = \"PCE008\", label = \"New this year\" },\n  { code = \"PCE007\"",
            1,
        );
    let fw_path = d.path("framework-2025.toml");
    std::fs::write(&fw_path, text).unwrap();
    let mapping = d.path("mapping.toml");
    std::fs::write(
        &mapping,
        "from = \"2024\"\nto = \"2025\"\n[[renumbered]]\nfrom = \"L0010\"\nto = \"L010\"\n[[retired]]\ncode = \"G0011\"\n[[merged]]\nfrom = [\"CI010\", \"CI012\"]\ninto = \"CI010\"\n",
    )
    .unwrap();
    let now_returns = d.path("now");
    Ret::assessment("Review", "All themes", "R")
        .row(&[s("L010"), s("Yellow"), s("c")])
        .row(&[s("CI010"), s("Yellow"), s("c")])
        .row(&[s("CI001"), s("Yellow"), s("c")])
        .row(&[s("PCE008"), s("Light green"), s("c")])
        .write(&now_returns.join("r.xlsx"));
    let out = d.path("this year.xlsx");
    let mut c = cfg(std::slice::from_ref(&now_returns), &out, None, None);
    c.framework = Some(fw_path);
    c.previous_year = Some(last.clone());

    // Without the mapping the versions cannot be lined up.
    let err = bestvalue::build(&c)
        .err()
        .expect("refused without a mapping")
        .to_string();
    assert!(
        err.contains("framework version 2024 and this year's is version 2025"),
        "{err}"
    );
    assert!(err.contains("--mapping"), "{err}");

    c.mappings = vec![mapping];
    let o = bestvalue::build(&c).unwrap();
    let t = o.travel.as_ref().unwrap();
    let fw = &o.framework;
    let dir = |code: &str| t.per_characteristic[fw.find_code(code).unwrap()].1.label();
    assert_eq!(
        dir("L010"),
        "Improved",
        "Amber last year as L0010, Yellow now"
    );
    // Merged with CI012: last year the weaker of Light green and Amber.
    assert_eq!(
        t.per_characteristic[fw.find_code("CI010").unwrap()].0,
        fw.find_score("Amber")
    );
    assert_eq!(dir("CI010"), "Improved", "Amber then, Yellow now");
    assert_eq!(dir("CI001"), "Same");
    assert_eq!(dir("PCE008"), "New");
    assert_eq!(t.retired, vec!["G0011".to_string()]);
    let g = sheet(&out, "Summary");
    assert!(g.iter().flatten().any(
        |c| c == "Retired since last year (in last year's framework, not this year's): G0011."
    ));
    let hm = sheet(&out, "Heat map");
    assert!(hm.iter().flatten().any(|c| c == "PCE008 (new)"));
    assert!(hm.iter().flatten().any(|c| c == "L010 ▲"));
}
