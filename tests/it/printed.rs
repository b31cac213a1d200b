//! Every workbook the tool writes besides the committee workbook, printed
//! as its reader prints it (LibreOffice to PDF, measured page by page with
//! `paper`) and checked as a file: an officer's Review and action-plan
//! templates, the chase list, a feedback workbook and the sector workbook.
//! Each is printed once. Body text is 8 points or more (9 where the reader
//! is the public or the officer reads a list), nothing prints over anything
//! else, every page is headed and numbered; the file has 4.5:1 contrast,
//! alt text on its charts and no part Excel would repair.
//!
//! These need LibreOffice, python3 with PyMuPDF and openxml-audit. Outside
//! CI they are skipped, loudly, when a tool is missing; under CI (CI=true)
//! a missing tool fails the test.

use crate::common::*;
use crate::paper;
use std::path::Path;

/// The pages of `book`, printed, with every fault against the bar: body
/// text of `least` points or more, nothing over anything else, every page
/// headed with `heading` and numbered.
fn printed(book: &Path, least: f64, heading: &str) -> Vec<paper::Page> {
    let dir = book.parent().unwrap().join("printed");
    std::fs::create_dir_all(&dir).unwrap();
    let pages = paper::print(book, &dir);
    assert!(!pages.is_empty(), "nothing printed");
    let faults = paper::page_faults(&pages, least, heading);
    assert!(
        faults.is_empty(),
        "{} printed with faults:\n{}",
        book.display(),
        faults.join("\n")
    );
    pages
}

/// What the file must be, whoever opens it: 4.5:1 contrast, alt text on
/// every chart, every part well-formed and (with openxml-audit) valid.
fn file_is_sound(book: &Path) {
    let mut faults = paper::contrast_faults(book);
    faults.extend(paper::charts_without_alt_text(book));
    faults.extend(paper::package_faults(book));
    assert!(
        faults.is_empty(),
        "{}:\n{}",
        book.display(),
        faults.join("\n")
    );
}

fn print_tools(test: &str) -> bool {
    paper::tools(
        test,
        &[
            ("LibreOffice", paper::have_soffice()),
            ("PyMuPDF", paper::have_pymupdf()),
            ("openxml-audit", paper::have_openxml_audit()),
        ],
    )
}

/// Officers' templates from the samples: a Review return pre-filled with
/// the draft's position statements, and the action-plan return listing the
/// open actions.
fn sample_templates(
    d: &Dir,
    kind: bestvalue::write::template::TemplateKind,
    from: &str,
) -> Vec<std::path::PathBuf> {
    use bestvalue::write::template::{TemplateConfig, write_templates};
    let mut cfg = TemplateConfig::new(kind, d.path("templates"));
    cfg.authority = Some("Eastmoor Borough Council".into());
    cfg.issued = chrono::NaiveDate::from_ymd_opt(2025, 9, 1);
    cfg.return_by = chrono::NaiveDate::from_ymd_opt(2025, 9, 26);
    cfg.send_to = Some("Performance Office".into());
    cfg.from = vec![samples().join(from)];
    write_templates(&cfg).unwrap().files
}

#[test]
fn review_template_prints_readably() {
    if !print_tools("review_template_prints_readably") {
        return;
    }
    let d = Dir::new();
    let kind = bestvalue::write::template::TemplateKind::Assessment {
        round: "Review".into(),
        themes: vec!["Governance".into()],
        all_in_one: false,
    };
    let book = sample_templates(&d, kind, "1 Draft").remove(0);
    let pages = printed(&book, 8.0, "Review return: Governance");
    // The Instructions on two pages at most, and no section heading (12
    // points to the body's 11) left at the foot of a page.
    let instructions: Vec<&paper::Page> = pages
        .iter()
        .filter(|p| paper::sheet_of(p) == "Instructions")
        .collect();
    assert!(
        (1..=2).contains(&instructions.len()),
        "{}",
        instructions.len()
    );
    for (i, p) in instructions.iter().enumerate() {
        let body = p.body();
        let last = body
            .iter()
            .max_by(|a, b| a.bbox[1].total_cmp(&b.bbox[1]))
            .unwrap();
        let (size, _) = p.smallest().unwrap();
        assert!(
            last.size < size * 1.05,
            "Instructions page {}: the heading \"{}\" is left at the foot",
            i + 1,
            last.text
        );
    }
    let table: Vec<&paper::Page> = pages
        .iter()
        .filter(|p| paper::sheet_of(p) == "Assessment")
        .collect();
    assert!(!table.is_empty(), "no Assessment pages");
    for (i, p) in table.iter().enumerate() {
        // Nine columns print at 9 pt, under the headings on every page.
        let (size, text) = p.smallest().unwrap();
        assert!(
            size >= 8.95,
            "Assessment page {}: \"{text}\" at {size} pt",
            i + 1
        );
        let body = p.body_text();
        for h in [
            "Position statement",
            "Score",
            "Commentary",
            "Gaps / areas to address",
        ] {
            assert!(
                body.contains(h),
                "Assessment page {}: no heading {h}",
                i + 1
            );
        }
    }
    // Every characteristic's row printed.
    let all: String = table
        .iter()
        .map(|p| p.body_text())
        .collect::<Vec<_>>()
        .join(" ");
    let fw = bestvalue::framework::Framework::default_framework();
    for c in fw
        .characteristics
        .iter()
        .filter(|c| c.code.starts_with('G'))
    {
        assert!(all.contains(&c.code), "{} is not printed", c.code);
    }
    file_is_sound(&book);
}

#[test]
fn action_plan_template_prints_readably() {
    if !print_tools("action_plan_template_prints_readably") {
        return;
    }
    let d = Dir::new();
    let kind = bestvalue::write::template::TemplateKind::Actions {
        service_areas: Vec::new(),
    };
    let book = sample_templates(&d, kind, "Actions 2025-10").remove(0);
    let pages = printed(&book, 8.0, "Action plan return: all service areas");
    let table: Vec<&paper::Page> = pages
        .iter()
        .filter(|p| paper::sheet_of(p) == "Actions")
        .collect();
    assert!(!table.is_empty(), "no Actions pages");
    for (i, p) in table.iter().enumerate() {
        let body = p.body_text();
        for h in ["Action ID", "Status", "Progress note"] {
            assert!(body.contains(h), "Actions page {}: no heading {h}", i + 1);
        }
    }
    // Every open action listed is printed.
    let all: String = table
        .iter()
        .map(|p| p.body_text())
        .collect::<Vec<_>>()
        .join(" ");
    for id in ["BV-001", "BV-010", "BV-020"] {
        assert!(all.contains(id), "{id} is not printed");
    }
    // No word broken across lines: every word of the text filled in prints
    // within one run of text (a word too long for its column would print
    // as two, "recommendation" and "s").
    let runs: Vec<&str> = table
        .iter()
        .flat_map(|p| p.body())
        .map(|s| s.text.as_str())
        .collect();
    let grid = sheet(&book, "Actions");
    let mut words = 0;
    for row in &grid[1..] {
        for text in row {
            for w in text.split_whitespace().filter(|w| !w.contains(['-', '/'])) {
                words += 1;
                assert!(
                    runs.iter().any(|r| r.contains(w)),
                    "\"{w}\" is broken across lines (in \"{text}\")"
                );
            }
        }
    }
    assert!(words > 500, "{words} words checked");
    file_is_sound(&book);
}

#[test]
fn chase_list_prints_readably() {
    if !print_tools("chase_list_prints_readably") {
        return;
    }
    let d = Dir::new();
    let returns = d.path("returns");
    copy_dir(&samples(), &returns);
    std::fs::remove_file(returns.join("1 Draft/Draft - Culture.xlsx")).unwrap();
    std::fs::remove_file(returns.join("2 Review/Review - Governance.xlsx")).unwrap();
    let book = d.path("chase.xlsx");
    let (code, _, err) = cli(&[
        "check",
        returns.to_str().unwrap(),
        "--chase",
        book.to_str().unwrap(),
    ]);
    assert!(code < 2, "{err}");
    let pages = printed(&book, 9.0, "Returns to chase");
    // Titled and dated, on the page and in its footer; grouped by officer.
    let first = pages[0].body_text();
    assert!(first.contains("Returns to chase"), "{first}");
    assert!(first.contains("as at 24 October 2025"), "{first}");
    assert!(pages[0].footer_text().contains("As at 24 October 2025"));
    for group in ["Rebecca Halloran (1)", "Officer not known (1)"] {
        assert!(first.contains(group), "no group {group}: {first}");
    }
    file_is_sound(&book);
}

#[test]
fn sector_workbook_prints_readably() {
    if !print_tools("sector_workbook_prints_readably") {
        return;
    }
    let d = Dir::new();
    let fw = bestvalue::framework::Framework::default_framework();
    let spec = bestvalue::generate::SectorSpec {
        authorities: 20,
        seed: 1,
        returns: false,
        framework: None,
    };
    let set = bestvalue::generate::sector(
        &fw,
        &d.path("sector"),
        &spec,
        &bestvalue::progress::Progress::hidden(),
    )
    .unwrap();
    let book = d.path("out/sector.xlsx");
    std::fs::create_dir_all(book.parent().unwrap()).unwrap();
    bestvalue::compare(&bestvalue::CompareConfig {
        inputs: vec![set.committee_dir.clone()],
        output: book.clone(),
        ..Default::default()
    })
    .unwrap();
    // Published by regional networks: 9 pt throughout, the grid included.
    let pages = printed(&book, 9.0, "Best Value self-assessment");
    let heat: Vec<&paper::Page> = pages
        .iter()
        .filter(|p| paper::sheet_of(p) == "Sector heat map")
        .collect();
    // Theme by theme, two themes a page, twenty authorities on one page tall.
    assert_eq!(heat.len(), 4, "heat map pages");
    for (i, p) in heat.iter().enumerate() {
        let body = p.body_text();
        // The title whole, and the key, on every page.
        assert!(
            body.contains("Sector heat map") && body.contains("Final scores of 20 authorities"),
            "heat map page {}: no title",
            i + 1
        );
        for level in &fw.scale {
            let entry = format!("{}   {}", level.letter, level.label);
            assert!(
                body.contains(&entry),
                "heat map page {}: no key for {entry}",
                i + 1
            );
        }
        assert!(body.contains("Not assessed"), "heat map page {}", i + 1);
    }
    file_is_sound(&book);
}

/// An officer's Review return for every theme with the mistakes officers
/// make, row after row: a colour the scale does not have, a score typed
/// as a number out of range, Grey with no reason, Yellow with no gap, a
/// code typed short. Enough of them for the list to run over pages.
fn return_with_problems() -> Ret {
    let fw = bestvalue::framework::Framework::default_framework();
    let mut r = Ret::assessment("Review", "All themes", "Sam Reviewer");
    for (i, c) in fw.characteristics.iter().enumerate() {
        let row = match i % 6 {
            0 => vec![s(&c.code), s("Purple"), s("Evidence seen.")],
            1 => vec![s(&c.code), s("9"), s("Scored as a number.")],
            2 => vec![s(&c.code), s("Grey"), s("Outside our control.")],
            3 => vec![s(&c.code), s("Yellow"), s("Work under way.")],
            4 => vec![s(&c.code.to_lowercase()), s("Light green"), s("Fine.")],
            _ => vec![s(&c.code), s("Dark green"), s("Well evidenced.")],
        };
        r = r.row(&row);
    }
    r
}

#[test]
fn feedback_workbook_prints_readably() {
    if !print_tools("feedback_workbook_prints_readably") {
        return;
    }
    let d = Dir::new();
    d.put("Review - all themes.xlsx", &return_with_problems());
    let fb = d.path("feedback");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let book = fb.join("Review - all themes.xlsx");
    // What the Problems sheet lists, read back from the file.
    let g = sheet(&book, "Problems");
    let title = g[1][0].clone();
    assert!(
        title.contains("things to correct in your Review return"),
        "{title}"
    );
    let heading = g.iter().position(|r| r[0] == "#").unwrap();
    let wheres: Vec<&str> = g[heading + 1..]
        .iter()
        .filter(|r| !r[0].is_empty())
        .map(|r| r[2].as_str())
        .collect();
    assert!(wheres.len() > 40, "{} problems listed", wheres.len());

    let dir = book.parent().unwrap().join("printed");
    std::fs::create_dir_all(&dir).unwrap();
    let pages = paper::print(&book, &dir);
    // The Problems sheet is the feedback's own: it meets the bar (9 points,
    // as officers read and tick off the list). The officer's own sheets
    // print as the officer left them, without our header: they are kept as
    // they were, so they are not judged here.
    let ours = |p: &paper::Page| paper::sheet_of(p) == "Problems";
    let list: Vec<&paper::Page> = pages.iter().filter(|p| ours(p)).collect();
    assert!(list.len() >= 2, "the list runs over pages: {}", list.len());
    let faults = paper::faults_where(&pages, 9.0, &title, ours);
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    for (i, p) in list.iter().enumerate() {
        let body = p.body_text();
        for h in ["Where", "What is wrong", "How to fix it", "Done"] {
            assert!(body.contains(h), "Problems page {}: no heading {h}", i + 1);
        }
    }
    // Every problem printed, and no folder of this machine named.
    let all: String = list
        .iter()
        .map(|p| format!("{} {} {}", p.header_text(), p.body_text(), p.footer_text()))
        .collect::<Vec<_>>()
        .join(" ");
    for w in &wheres {
        assert!(all.contains(w), "{w} is not printed");
    }
    let here = d.path("").to_string_lossy().to_string();
    let tmp = std::env::temp_dir().to_string_lossy().to_string();
    for folder in [here.trim_end_matches('/'), tmp.trim_end_matches('/')] {
        assert!(!all.contains(folder), "a folder is printed: {folder}");
        for row in &g {
            assert!(!row.join(" ").contains(folder), "{row:?}");
        }
    }
    file_is_sound(&book);
}
