//! The committee workbook as a clerk will see it, checked in real
//! applications: LibreOffice prints it to PDF (every code shows, nothing
//! prints as ###, every sheet produces pages) and openpyxl, an independent
//! reader, sees the page setup, conditional formats and properties.
//!
//! These need LibreOffice, poppler-utils and python3 with openpyxl. Outside
//! CI they are skipped, loudly, when a tool is missing; under CI (CI=true)
//! a missing tool fails the test.

use crate::common::*;
use crate::paper::{tools, works};
use std::path::Path;
use std::process::Command;

fn soffice() -> bool {
    works("soffice", &["--version"])
}
fn poppler() -> bool {
    works("pdftotext", &["-v"])
}
fn openpyxl() -> bool {
    works("python3", &["-c", "import openpyxl"])
}
fn pymupdf() -> bool {
    works("python3", &["-c", "import pymupdf"])
}

fn tool(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(name)
}

/// Builds the samples' committee workbook into a temporary folder.
fn committee(d: &Dir) -> std::path::PathBuf {
    let out = d.path("committee.xlsx");
    let o = build(&[samples()], &out);
    assert!(o.written.is_some());
    out
}

#[test]
fn committee_workbook_prints_in_libreoffice() {
    if !tools(
        "committee_workbook_prints_in_libreoffice",
        &[("LibreOffice", soffice()), ("poppler-utils", poppler())],
    ) {
        return;
    }
    let d = Dir::new();
    let book = committee(&d);
    let pages_dir = d.path("render");
    let st = Command::new("bash")
        .arg(tool("render.sh"))
        .arg(&book)
        .arg(&pages_dir)
        .arg("30")
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    let pdf = pages_dir.join("committee.pdf");
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(!text.contains("###"), "a column is too narrow: ### printed");
    let fw = bestvalue::framework::Framework::default_framework();
    for c in &fw.characteristics {
        assert!(
            text.contains(&c.code),
            "{} does not appear in the printed workbook",
            c.code
        );
    }
    assert!(text.contains("See CI012"));
    // Every sheet produced at least one page: its name is in a page footer.
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    for name in bestvalue::write::committee::SHEETS {
        let n = pages
            .iter()
            .filter(|p| {
                p.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim_start().starts_with(name))
            })
            .count();
        assert!(n >= 1, "no page printed for the {name} sheet");
    }
    let heat_map_pages = pages
        .iter()
        .filter(|p| {
            p.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("Heat map"))
        })
        .count();
    assert_eq!(heat_map_pages, 1, "the heat map fits on one page");
    let pngs = std::fs::read_dir(&pages_dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, pages.len(), "one picture per page");
}

#[test]
fn committee_workbook_read_back_with_openpyxl() {
    if !tools(
        "committee_workbook_read_back_with_openpyxl",
        &[("openpyxl", openpyxl())],
    ) {
        return;
    }
    let d = Dir::new();
    let book = committee(&d);
    let out = Command::new("python3")
        .arg(tool("read_back.py"))
        .arg(&book)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    // Document properties.
    let p = &j["properties"];
    assert_eq!(
        p["title"],
        "Eastmoor Borough Council: Best Value self-assessment"
    );
    assert_eq!(p["creator"], "Eastmoor Borough Council");
    assert!(
        p["subject"]
            .as_str()
            .unwrap()
            .contains("Best Value guidance 2024")
    );
    assert!(!p["keywords"].as_str().unwrap().is_empty());
    assert_eq!(
        p["created"], "2025-10-24T00:00:00",
        "created = the as-at date, not the clock"
    );

    // Every sheet: A4, fitted to one page wide, print area, header and footer.
    let sheets = j["sheets"].as_array().unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, bestvalue::write::committee::SHEETS);
    for s in sheets {
        let name = s["name"].as_str().unwrap();
        assert_eq!(s["paper_size"], 9, "{name}: A4");
        assert_eq!(s["fit_to_page"], true, "{name}: fitted");
        assert!(
            s["fit_width"].is_null() || s["fit_width"] == 1,
            "{name}: one page wide"
        );
        assert!(
            s["print_area"].as_str().is_some_and(|a| a.contains("$A$1")),
            "{name}: print area"
        );
        assert!(
            s["header"]
                .as_str()
                .unwrap()
                .contains("Eastmoor Borough Council"),
            "{name}: header names the authority"
        );
        let footer = s["footer"].as_str().unwrap();
        assert!(
            footer.starts_with("&A|"),
            "{name}: footer has the sheet name"
        );
        assert!(
            footer.ends_with("Page &P of &N"),
            "{name}: footer has page numbers"
        );
        // The Cover and the heat map (one page, its key below) are portrait.
        let landscape = name != "Cover" && name != "Heat map";
        assert_eq!(
            s["orientation"],
            if landscape { "landscape" } else { "portrait" },
            "{name}"
        );
        // Heading rows repeat over a table's pages (the Summary's several
        // tables each start a page with their own headings instead).
        if name != "Cover" && name != "Summary" {
            assert!(
                s["print_title_rows"].as_str().is_some(),
                "{name}: heading rows repeat"
            );
        }
        if name != "Cover" {
            assert!(s["freeze"].as_str().is_some(), "{name}: frozen panes");
        }
    }

    // The heat map: one rule per scale level on each code/score row pair,
    // coloured in the framework's fills.
    let fw = bestvalue::framework::Framework::default_framework();
    let hm = &sheets[1];
    let cf = hm["cf"].as_array().unwrap();
    let pairs: usize = fw
        .themes
        .iter()
        .map(|t| t.cells.len().div_ceil(fw.cells_per_row))
        .sum();
    assert_eq!(cf.len(), pairs * fw.scale.len());
    for level in &fw.scale {
        let rules: Vec<_> = cf
            .iter()
            .filter(|r| {
                r["formula"][0]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("=\"{}\"", level.label))
            })
            .collect();
        assert_eq!(rules.len(), pairs, "{}", level.label);
        assert!(
            rules
                .iter()
                .all(|r| r["type"] == "expression"
                    && r["fill"] == level.fill.trim_start_matches('#'))
        );
    }
    assert!(
        cf.iter()
            .any(|r| r["range"] == "A5:F6" && r["formula"][0] == "A$6=\"Amber\"")
    );

    // Scores elsewhere are coloured by cell-value rules.
    let ch = &sheets[3];
    let levels: Vec<_> = ch["cf"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "cellIs" && r["operator"] == "equal")
        .collect();
    assert!(
        levels
            .iter()
            .any(|r| r["formula"][0] == "\"Grey\"" && r["fill"] == "BFBFBF")
    );
    assert!(ch["autofilter"].as_str().is_some(), "filters on the table");
}

/// Prints a workbook with LibreOffice (tests/tools/render.sh) and reads
/// each page of the PDF back with PyMuPDF (tests/tools/pdf_pages.py).
fn printed_pages(book: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let st = Command::new("bash")
        .arg(tool("render.sh"))
        .arg(book)
        .arg(dir)
        .arg("30")
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    let stem = book.file_stem().unwrap().to_string_lossy();
    let pdf = dir.join(format!("{stem}.pdf"));
    let out = Command::new("python3")
        .arg(tool("pdf_pages.py"))
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Text with every run of white space made one space.
fn squeezed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn clerks_copy_prints_at_9_points_or_more_with_the_heat_map_on_one_page() {
    if !tools(
        "clerks_copy_prints_at_9_points_or_more_with_the_heat_map_on_one_page",
        &[
            ("LibreOffice", soffice()),
            ("poppler-utils", poppler()),
            ("PyMuPDF", pymupdf()),
        ],
    ) {
        return;
    }
    let d = Dir::new();
    let (_out, clerk, o) = crate::publish::published(&d);
    let pages = printed_pages(&clerk, &d.path("render"));
    let fw = &o.framework;
    let sheet_of = |p: &serde_json::Value| p["sheet"].as_str().unwrap().to_string();
    for p in &pages {
        let (n, sheet) = (&p["page"], sheet_of(p));
        let body = p["body_min"].as_f64().unwrap();
        assert!(body >= 9.0, "{sheet} page {n}: body text at {body} pt");
        let band = p["band_min"].as_f64().unwrap();
        assert!(
            band >= 8.0,
            "{sheet} page {n}: header or footer at {band} pt"
        );
        assert!(
            p["overlaps"].as_array().unwrap().is_empty(),
            "{sheet} page {n}: text over text: {}",
            p["overlaps"]
        );
        let text = p["text"].as_str().unwrap();
        assert!(!text.contains("###"), "{sheet} page {n}: ### printed");
        // No page carries a lone row: a heading and at least two lines.
        let lines = p["lines"].as_u64().unwrap();
        assert!(lines >= 3, "{sheet} page {n}: only {lines} lines");
        // Every page is headed with the meeting.
        assert!(
            text.contains("Audit and Governance Committee, 12 November 2025"),
            "{sheet} page {n}: header"
        );
    }
    // Every sheet prints, in order; the heat map on one page.
    let mut order: Vec<String> = pages.iter().map(sheet_of).collect();
    order.dedup();
    assert_eq!(order, bestvalue::write::committee::PUBLISHED_SHEETS);
    let heat: Vec<&serde_json::Value> =
        pages.iter().filter(|p| sheet_of(p) == "Heat map").collect();
    assert_eq!(heat.len(), 1, "the heat map prints on one page");
    assert_eq!(heat[0]["landscape"], false);
    // Its codes at 10 points or more, every one of them.
    let spans = heat[0]["spans"].as_array().unwrap();
    for c in &fw.characteristics {
        let size = spans
            .iter()
            .filter(|s| s[0].as_str().unwrap().split_whitespace().next() == Some(c.code.as_str()))
            .map(|s| s[1].as_f64().unwrap())
            .fold(f64::NAN, f64::min);
        assert!(size >= 10.0, "{} prints at {size} pt", c.code);
    }
    // Nothing cut off: each position statement and each action prints to
    // its last words.
    let all = squeezed(
        &pages
            .iter()
            .map(|p| p["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let tail = |t: &str| {
        let w: Vec<&str> = t.split_whitespace().collect();
        w[w.len().saturating_sub(3)..].join(" ")
    };
    for m in &o.assessment.characteristics {
        assert!(
            all.contains(&tail(&m.narrative)),
            "cut off: {}",
            m.narrative
        );
        assert!(all.contains(&tail(&m.gaps)), "cut off: {}", m.gaps);
    }
    for a in &o.plan.actions {
        assert!(all.contains(&tail(&a.action)), "cut off: {}", a.action);
        assert!(all.contains(&tail(&a.progress)), "cut off: {}", a.progress);
    }
    // The charts' titles name the years.
    assert!(all.contains("Final scores by theme, 2025-26"));
    assert!(all.contains("Last year's final scores by theme, 2024-25"));
}

#[test]
fn clerks_copy_is_well_formed_ooxml() {
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/ooxml_check.py");
    let audit = works("python3", &["-c", "import openxml_audit"]);
    if !tools(
        "clerks_copy_is_well_formed_ooxml",
        &[
            ("openxml-audit", audit),
            ("../shared/tools/ooxml_check.py", checker.exists()),
        ],
    ) {
        return;
    }
    let d = Dir::new();
    let (out, clerk, _o) = crate::publish::published(&d);
    let r = Command::new("python3")
        .arg(&checker)
        .arg(&out)
        .arg(&clerk)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stdout));
}
