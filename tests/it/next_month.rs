//! Next month's returns carry everything forward: the action-plan returns
//! made from October's committee workbook (built from the samples) are
//! filled in from what it knows, ask for an action where a characteristic
//! has none, and say only what is true about where to send them; November
//! shows the actions completed in October as completed earlier. Read back
//! with calamine and with openpyxl. The helpers serve `theme_codes` and
//! `next_year` too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{build, col, row_with, samples, sheet};
use crate::officer::{Edits, Template, Typed, is_locked, text};
use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

/// October's committee workbook, built from the samples.
pub fn october(dir: &Path) -> PathBuf {
    let out = dir.join("Committee October.xlsx");
    let o = build(&[samples()], &out);
    assert!(!o.problems.has_errors(), "{:#?}", crate::common::codes(&o));
    out
}

/// Action-plan returns from a committee workbook, as the office runs it:
/// nothing on the command line but the workbook and the folder.
pub fn action_returns(from: &Path, out: &Path, areas: &[&str]) -> (Vec<PathBuf>, Vec<String>) {
    let cfg = TemplateConfig {
        from: vec![from.to_path_buf()],
        ..TemplateConfig::new(
            TemplateKind::Actions {
                service_areas: areas.iter().map(|s| s.to_string()).collect(),
            },
            out,
        )
    };
    let w = write_templates(&cfg).expect("templates written");
    (w.files, w.notes)
}

/// What openpyxl reads in a workbook: {sheet: rows of text}.
pub fn openpyxl_values(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let out = crate::officer::run(
        Command::new("python3")
            .arg(crate::officer::script("tools/values.py"))
            .arg(path),
    );
    serde_json::from_str(&out).unwrap()
}

/// The committee workbook's action plan: (ID, code, owner, service area,
/// status) of each action, and (code, gap) of each characteristic without.
type PlanRows = (Vec<[String; 5]>, Vec<(String, String)>);

fn committee_plan(committee: &Path) -> PlanRows {
    let g = sheet(committee, "Action plan");
    let at = |h: &str| col(&g, 0, h);
    let (id, code, gap) = (at("Action ID"), at("Code"), at("Gap"));
    let (owner, area, status) = (at("Responsible officer"), at("Service area"), at("Status"));
    let mut actions = Vec::new();
    let mut gaps = Vec::new();
    for r in &g[1..] {
        if r[id] == "—" {
            gaps.push((r[code].clone(), r[gap].clone()));
        } else if !r[id].is_empty() {
            actions.push([
                r[id].clone(),
                r[code].clone(),
                r[owner].clone(),
                r[area].clone(),
                r[status].clone(),
            ]);
        }
    }
    (actions, gaps)
}

/// The ID after the highest "BV-nnn" in the plan.
fn next_id(actions: &[[String; 5]]) -> String {
    let n = actions
        .iter()
        .filter_map(|a| a[0].strip_prefix("BV-")?.parse::<u32>().ok())
        .max()
        .unwrap();
    format!("BV-{:03}", n + 1)
}

/// Every text of the Instructions sheet, and its labels (column A).
fn instructions(grid: &[Vec<String>]) -> (Vec<String>, Vec<String>) {
    let all = grid
        .iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    let labels = grid.iter().filter_map(|r| r.first()).cloned().collect();
    (all, labels)
}

#[test]
fn next_months_action_returns_are_filled_from_the_committee_workbook() {
    let d = crate::common::Dir::new();
    let committee = october(d.tmp.path());
    let fw = Framework::default_framework();
    let authority = sheet(&committee, "Cover")[0][0].clone();
    assert_eq!(authority, "Eastmoor Borough Council");
    let (actions, gaps) = committee_plan(&committee);
    assert_eq!(
        gaps.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
        ["SD009"],
        "the samples' one characteristic without an action"
    );
    let (sd009, sd009_gap) = (&gaps[0].0, &gaps[0].1);
    assert!(!sd009_gap.is_empty());

    // One return for all service areas.
    let (files, notes) = action_returns(&committee, &d.path("to-send"), &[]);
    let tpl = &files[0];
    let id = next_id(&actions);
    assert!(
        notes
            .iter()
            .any(|n| n.contains(&format!("{sd009} needs an action")) && n.contains(&id)),
        "{notes:?}"
    );
    let t = Template::open(tpl);
    assert_eq!(t.detail_value("Authority"), authority);
    assert_eq!(t.detail_value("Framework"), fw.name);
    assert_eq!(t.detail_value("Framework version"), fw.version);
    // Every service area: said, not a blank cell to wonder about.
    assert_eq!(t.detail_value("Service area"), "All service areas");
    assert!(is_locked(tpl, "Instructions", &t.detail("Service area")));
    assert_eq!(
        t.detail_value("Completed by"),
        "",
        "several officers own actions"
    );
    // SD009 asked for: its new ID, code and label locked, the gap from the
    // assessment, the action, officer and target date to fill in.
    let c = fw.find_code(sd009).unwrap();
    let theme = &fw.themes[fw.characteristics[c].theme].name;
    for (h, want) in [
        ("Action ID", id.as_str()),
        ("Theme", theme.as_str()),
        ("Characteristic", fw.characteristics[c].label.as_str()),
        ("Gap", sd009_gap.as_str()),
        ("Action", ""),
        ("Responsible officer", ""),
        ("Target date", ""),
        ("Status", ""),
    ] {
        assert_eq!(t.value("Actions", "Code", sd009, h), want, "{h}");
    }
    for (h, locked) in [
        ("Action ID", true),
        ("Theme", true),
        ("Code", true),
        ("Characteristic", true),
        ("Gap", false),
        ("Action", false),
        ("Responsible officer", false),
        ("Target date", false),
        ("Status", false),
    ] {
        let cell = t.cell("Actions", "Code", sd009, h);
        assert_eq!(is_locked(tpl, "Actions", &cell), locked, "{h} ({cell})");
    }
    // After the open actions, before the empty rows.
    let open = actions.iter().filter(|a| a[4] != "Complete").count();
    assert_eq!(t.row_of("Actions", "Code", sd009), open + 1);
    assert_eq!(t.first_empty("Actions", "Action ID") as usize, open + 2);

    // The instructions say only what is true: no "Send back to" or
    // "Return by" to point at, no promised date.
    let (all, labels) = instructions(t.grid("Instructions"));
    for label in ["Send back to", "Return by"] {
        assert!(!labels.iter().any(|l| l == label), "{label} shown blank");
        assert!(
            !all.iter().any(|s| s.contains(label)),
            "{label} referred to"
        );
    }
    // Nor a blank "Issued" for an officer to wonder about.
    assert!(!labels.iter().any(|l| l == "Issued"), "Issued shown blank");
    let send = all
        .iter()
        .find(|s| s.starts_with("Save the workbook"))
        .unwrap();
    assert!(
        send.contains("send it back to the person who sent it to you.") && !send.contains(" by "),
        "{send}"
    );
    assert!(
        all.iter()
            .any(|s| s.contains(&format!("The next row is {sd009}")))
    );

    // openpyxl reads the same.
    if crate::officer::has_openpyxl() {
        let v = openpyxl_values(tpl);
        let ins = &v["Instructions"];
        let detail = |l: &str| {
            ins.iter()
                .find(|r| r.first().map(String::as_str) == Some(l))
                .and_then(|r| r.get(1).cloned())
        };
        assert_eq!(detail("Authority").as_deref(), Some(authority.as_str()));
        assert_eq!(detail("Service area").as_deref(), Some("All service areas"));
        assert_eq!(detail("Send back to"), None);
        assert_eq!(detail("Return by"), None);
        let (all, _) = instructions(ins);
        assert!(
            !all.iter()
                .any(|s| s.contains("Send back to") || s.contains("Return by"))
        );
        let acts = &v["Actions"];
        let row = row_with(acts, col(acts, 0, "Code"), sd009).expect("SD009 listed");
        assert_eq!(row[col(acts, 0, "Action ID")], id);
        assert_eq!(&row[col(acts, 0, "Gap")], sd009_gap);
    }

    // With --send-to and --return-by, both are shown and said.
    let mut cfg = TemplateConfig::new(
        TemplateKind::Actions {
            service_areas: vec![],
        },
        d.path("to-send-dated"),
    );
    cfg.from = vec![committee.clone()];
    cfg.send_to = Some("Performance Office".into());
    cfg.return_by = chrono::NaiveDate::from_ymd_opt(2025, 11, 28);
    let dated = Template::open(&write_templates(&cfg).unwrap().files[0]);
    assert_eq!(dated.detail_value("Send back to"), "Performance Office");
    assert_eq!(dated.detail_value("Return by"), "28/11/2025");
    let (all, _) = instructions(dated.grid("Instructions"));
    assert!(
        all.iter()
            .any(|s| s.contains("send it to Performance Office by 28 November 2025."))
    );

    // One return per service area: each names its area, and its officer
    // where one officer owns all its open actions.
    let mut areas: Vec<&str> = actions.iter().map(|a| a[3].as_str()).collect();
    areas.sort_unstable();
    areas.dedup();
    assert_eq!(areas.len(), 5);
    let (files, notes) = action_returns(&committee, &d.path("by-area"), &areas);
    assert_eq!(files.len(), 5);
    let mut one_owner = 0;
    for (area, f) in areas.iter().zip(&files) {
        let t = Template::open(f);
        assert_eq!(t.detail_value("Service area"), *area);
        assert_eq!(t.detail_value("Authority"), authority);
        let mut owners: Vec<&str> = actions
            .iter()
            .filter(|a| a[3] == *area && a[4] != "Complete")
            .map(|a| a[2].as_str())
            .collect();
        owners.sort_unstable();
        owners.dedup();
        let want = if owners.len() == 1 { owners[0] } else { "" };
        one_owner += usize::from(owners.len() == 1);
        assert_eq!(t.detail_value("Completed by"), want, "{area}");
        assert!(!t.column("Actions", "Code").contains(sd009), "{area}");
    }
    assert!(one_owner > 0 && one_owner < 5, "both cases are tried");
    // SD009's theme has actions in two areas, so none is responsible.
    assert!(
        notes
            .iter()
            .any(|n| n.contains(sd009) && n.contains("service area is not known")),
        "{notes:?}"
    );
}

/// Fills the return for all service areas as the performance office would
/// in November: the first open action completed, the second slipping, and
/// (when `gap` is given) an action for the characteristic without one.
fn fill_november(tpl: &Path, out: &Path, gap: Option<&str>) -> (String, String) {
    let t = Template::open(tpl);
    let ids: Vec<String> = t
        .column("Actions", "Action ID")
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Pat Performance"),
    );
    e.set(
        "Instructions",
        &t.detail("Date completed"),
        Typed::Date(2025, 11, 28),
    );
    let (done, slipping) = (ids[0].clone(), ids[1].clone());
    for (id, status, note) in [
        (&done, "Complete", "Finished and reported to Cabinet."),
        (&slipping, "At risk", "Supplier has not delivered."),
    ] {
        let at = |h: &str| t.cell("Actions", "Action ID", id, h);
        e.set("Actions", &at("Status"), text(status));
        e.set("Actions", &at("Progress note"), text(note));
        e.set("Actions", &at("Date of update"), Typed::Date(2025, 11, 26));
    }
    if let Some(code) = gap {
        let at = |h: &str| t.cell("Actions", "Code", code, h);
        e.set(
            "Actions",
            &at("Action"),
            text("Review every service plan at mid-year."),
        );
        e.set(
            "Actions",
            &at("Responsible officer"),
            text("Priya Marchbank"),
        );
        e.set("Actions", &at("Target date"), Typed::Date(2026, 6, 30));
        e.set("Actions", &at("Status"), text("Not started"));
        e.set("Actions", &at("Date of update"), Typed::Date(2025, 11, 26));
    }
    crate::officer::fill(tpl, out, &e);
    (done, slipping)
}

pub fn build_month(inputs: &[PathBuf], out: &Path, previous: &Path) -> bestvalue::Outcome {
    bestvalue::build(&bestvalue::BuildConfig {
        inputs: inputs.to_vec(),
        output: out.to_path_buf(),
        previous: Some(previous.to_path_buf()),
        as_at: chrono::NaiveDate::from_ymd_opt(2025, 11, 30),
        ..Default::default()
    })
    .expect("build runs")
}

#[test]
fn the_month_after_shows_actions_completed_earlier_and_the_new_action() {
    let d = crate::common::Dir::new();
    let committee = october(d.tmp.path());
    let (actions, gaps) = committee_plan(&committee);
    let sd009 = gaps[0].0.clone();
    let new_id = next_id(&actions);
    let closed_in_october: Vec<&str> = actions
        .iter()
        .filter(|a| a[4] == "Complete")
        .map(|a| a[0].as_str())
        .collect();
    assert!(!closed_in_october.is_empty());
    let (files, _) = action_returns(&committee, &d.path("to-send"), &[]);
    let tpl = &files[0];

    let filled = d.path("november/Actions.xlsx");
    std::fs::create_dir_all(filled.parent().unwrap()).unwrap();
    let (done, slipping) = fill_november(tpl, &filled, Some(&sd009));
    let november = d.path("Committee November.xlsx");
    let o = build_month(&[filled], &november, &committee);
    assert!(o.problems.is_empty(), "{:#?}", crate::common::codes(&o));

    let g = sheet(&november, "Action plan");
    let (id, since) = (col(&g, 0, "Action ID"), col(&g, 0, "Since last month"));
    let row = |x: &str| row_with(&g, id, x).unwrap_or_else(|| panic!("{x} listed"));
    for x in &closed_in_october {
        assert_eq!(row(x)[since], "Completed earlier", "{x}");
    }
    assert_eq!(row(&done)[since], "Completed");
    let was = &actions.iter().find(|a| a[0] == slipping).unwrap()[4];
    assert_ne!(was, "At risk");
    assert_eq!(row(&slipping)[since], format!("Status changed (was {was})"));
    assert_eq!(row(&new_id)[since], "New");
    assert_eq!(row(&new_id)[col(&g, 0, "Code")], sd009);
    // "All service areas" names no one area: no action is filed under it.
    assert_eq!(o.returns[0].service_area, None);
    assert!(
        g.iter()
            .all(|r| !r.iter().any(|c| c == "All service areas"))
    );
    assert!(
        row_with(&g, id, "—").is_none(),
        "every gap has an action now"
    );
    // The Summary's "not updated" count is the rows that say so: never an
    // action completed in an earlier month.
    let not_updated = g[1..]
        .iter()
        .filter(|r| r[since] == "No update this month")
        .count();
    let summary = sheet(&november, "Summary");
    let line = summary
        .iter()
        .flatten()
        .find(|s| s.starts_with("Actions: "))
        .unwrap();
    assert!(
        line.ends_with(&format!(", {not_updated} not updated this month.")),
        "{line}"
    );
    assert!(line.starts_with("Actions: 1 new, 1 completed,"), "{line}");

    // December's returns list what is still open, the new action included.
    let (dec, _) = action_returns(&november, &d.path("december"), &[]);
    let t = Template::open(&dec[0]);
    let listed: Vec<String> = t
        .column("Actions", "Action ID")
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    assert!(listed.contains(&new_id));
    assert!(!listed.contains(&done));
    assert!(
        closed_in_october
            .iter()
            .all(|x| !listed.iter().any(|l| l == x))
    );
    assert_eq!(
        t.value("Actions", "Action ID", &new_id, "Status"),
        "Not started"
    );
    assert!(!t.column("Actions", "Characteristic").is_empty());

    // Left blank, SD009's row is no action: the same warning as before,
    // not an error.
    let blank = d.path("november-blank/Actions.xlsx");
    std::fs::create_dir_all(blank.parent().unwrap()).unwrap();
    fill_november(tpl, &blank, None);
    let o = build_month(&[blank], &d.path("blank.xlsx"), &committee);
    assert!(!o.problems.has_errors(), "{:#?}", crate::common::codes(&o));
    let codes = crate::common::codes(&o);
    assert_eq!(
        codes,
        [("no-action-for-gap".to_string(), "All returns".to_string())],
        "{codes:#?}"
    );
    assert!(o.plan.actions.iter().all(|a| a.id != new_id));
}

/// The samples' own November returns (written with openpyxl, as from
/// Excel) over October's committee workbook: each action completed in
/// October shows as completed earlier, and the "not updated" count is the
/// actions still open that no November return mentions.
#[test]
fn the_samples_november_shows_octobers_completed_actions_as_completed_earlier() {
    let d = crate::common::Dir::new();
    let committee = october(d.tmp.path());
    let (actions, _) = committee_plan(&committee);
    let november_dir = samples().join("../returns-2025-11");
    let mut updated: Vec<String> = Vec::new();
    for f in std::fs::read_dir(&november_dir).unwrap() {
        let g = sheet(&f.unwrap().path(), "Actions");
        let id = col(&g, 0, "Action ID");
        updated.extend(g[1..].iter().map(|r| r[id].clone()));
    }
    let closed: Vec<&str> = actions
        .iter()
        .filter(|a| a[4] == "Complete")
        .map(|a| a[0].as_str())
        .collect();
    assert!(closed.len() >= 2, "{closed:?}");
    assert!(
        closed.iter().all(|x| !updated.iter().any(|u| u == x)),
        "no November return reopens an action completed in October"
    );
    let open_not_updated = actions
        .iter()
        .filter(|a| a[4] != "Complete" && !updated.contains(&a[0]))
        .count();

    let out = d.path("Committee November.xlsx");
    let o = bestvalue::build(&bestvalue::BuildConfig {
        inputs: vec![november_dir],
        output: out.clone(),
        previous: Some(committee.clone()),
        ..Default::default()
    })
    .expect("build runs");
    assert!(o.problems.is_empty(), "{:#?}", crate::common::codes(&o));

    // Read back as openpyxl reads it (calamine when openpyxl is missing).
    let (g, summary) = if crate::officer::has_openpyxl() {
        let mut v = openpyxl_values(&out);
        (
            v.remove("Action plan").unwrap(),
            v.remove("Summary").unwrap(),
        )
    } else {
        (sheet(&out, "Action plan"), sheet(&out, "Summary"))
    };
    let (id, since) = (col(&g, 0, "Action ID"), col(&g, 0, "Since last month"));
    for x in &closed {
        let row = row_with(&g, id, x).unwrap_or_else(|| panic!("{x} listed"));
        assert_eq!(row[since], "Completed earlier", "{x}");
    }
    let not_updated: Vec<&str> = g[1..]
        .iter()
        .filter(|r| r[since] == "No update this month")
        .map(|r| r[id].as_str())
        .collect();
    assert_eq!(not_updated.len(), open_not_updated, "{not_updated:?}");
    assert!(closed.iter().all(|x| !not_updated.contains(x)));
    let line = summary
        .iter()
        .flatten()
        .find(|s| s.starts_with("Actions: "))
        .unwrap();
    assert!(
        line.ends_with(&format!(", {open_not_updated} not updated this month.")),
        "{line}"
    );
}
