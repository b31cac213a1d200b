//! The clerk's copy (`build --publish`): what it holds and what it leaves
//! out, its accessibility as the file itself shows it (contrast of every
//! text and fill, alt text, real tables, language, sheet names), and that
//! it goes through the output guard. Checked in the file, with no external
//! tools; tests/it/rendering.rs prints it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use regex::Regex;

/// Builds the samples with last year's comparison, and the clerk's copy.
pub fn published(d: &Dir) -> (PathBuf, PathBuf, bestvalue::Outcome) {
    let out = d.path("committee.xlsx");
    let clerk = d.path("Appendix A - Self-assessment.xlsx");
    let o = bestvalue::build(&bestvalue::BuildConfig {
        inputs: vec![samples()],
        output: out.clone(),
        previous_year: Some(samples().join("../2024-25/Committee 2024-25.xlsx")),
        publish: Some(clerk.clone()),
        meeting: meeting(),
        ..Default::default()
    })
    .expect("build runs");
    assert_eq!(o.published.as_deref(), Some(clerk.as_path()));
    (out, clerk, o)
}

pub fn meeting() -> bestvalue::Meeting {
    bestvalue::Meeting {
        committee: Some("Audit and Governance Committee".into()),
        date: chrono::NaiveDate::from_ymd_opt(2025, 11, 12),
        appendix: Some("Appendix A".into()),
        contact: Some("Performance Office, performance@eastmoor.example".into()),
    }
}

/// Every part's names in a package.
fn parts(path: &Path) -> Vec<String> {
    let z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    z.file_names().map(|n| n.unwrap().to_string()).collect()
}

fn colour(attrs: &str) -> Option<String> {
    let re = Regex::new(r#"rgb="(?:FF)?([0-9A-Fa-f]{6})""#).unwrap();
    re.captures(attrs).map(|c| c[1].to_uppercase())
}

/// WCAG 2's contrast ratio of two colours written RRGGBB, worked out here
/// rather than taken from the tool, so the test checks the tool's choice.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |hex: &str| {
        let v = u32::from_str_radix(hex, 16).unwrap();
        let c = |s: u32| {
            let x = f64::from((v >> s) & 255) / 255.0;
            if x <= 0.03928 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(16) + 0.7152 * c(8) + 0.0722 * c(0)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Every text colour on a fill in the workbook: each conditional format
/// that sets a fill (with its font colour, which must be set), and each
/// cell style that holds a value on a solid fill. (ratio, text, fill, what).
pub fn contrast_pairs(path: &Path) -> Vec<(f64, String, String, String)> {
    let styles = part(path, "xl/styles.xml");
    let section = |tag: &str| {
        let re = Regex::new(&format!(r"(?s)<{tag}[^>]*>(.*?)</{tag}>")).unwrap();
        re.captures(&styles)
            .map(|c| c[1].to_string())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let dxf = Regex::new(r"(?s)<dxf>(.*?)</dxf>").unwrap();
    let fill = Regex::new(r"(?s)<fill>(.*?)</fill>").unwrap();
    let font = Regex::new(r"(?s)<font>(.*?)</font>").unwrap();
    for (i, d) in dxf.captures_iter(&section("dxfs")).enumerate() {
        let Some(bg) = fill.captures(&d[1]).and_then(|f| colour(&f[1])) else {
            continue;
        };
        let fc = font
            .captures(&d[1])
            .and_then(|f| colour(&f[1]))
            .unwrap_or_else(|| panic!("conditional format {i} sets a fill but no text colour"));
        out.push((
            contrast(&fc, &bg),
            fc,
            bg,
            format!("conditional format {i}"),
        ));
    }
    let fonts: Vec<String> = Regex::new(r"(?s)<font(?:/>|>(.*?)</font>)")
        .unwrap()
        .captures_iter(&section("fonts"))
        .map(|c| c.get(1).map_or("", |m| m.as_str()).to_string())
        .collect();
    let fills: Vec<String> = Regex::new(r"(?s)<fill>(.*?)</fill>")
        .unwrap()
        .captures_iter(&section("fills"))
        .map(|c| c[1].to_string())
        .collect();
    let xfs: Vec<String> = Regex::new(r"<xf [^>]*?/?>")
        .unwrap()
        .find_iter(&section("cellXfs"))
        .map(|m| m.as_str().to_string())
        .collect();
    let used_re = Regex::new(r#"<c [^>]*?s="(\d+)"[^>]*>\s*<(?:f|v|is)"#).unwrap();
    let mut used = std::collections::BTreeSet::new();
    for p in parts(path)
        .iter()
        .filter(|p| p.starts_with("xl/worksheets/sheet"))
    {
        for c in used_re.captures_iter(&part(path, p)) {
            used.insert(c[1].parse::<usize>().unwrap());
        }
    }
    let id = |x: &str, what: &str| {
        Regex::new(&format!(r#"{what}="(\d+)""#))
            .unwrap()
            .captures(x)
            .map_or(0, |c| c[1].parse::<usize>().unwrap())
    };
    let fg = Regex::new(r"<fgColor[^>]*>").unwrap();
    for i in used {
        let x = &xfs[i];
        let f = &fills[id(x, "fillId")];
        if !f.contains(r#"patternType="solid""#) {
            continue;
        }
        let Some(bg) = fg.find(f).and_then(|m| colour(m.as_str())) else {
            continue;
        };
        let fc = colour(&fonts[id(x, "fontId")]).unwrap_or_else(|| "000000".into());
        out.push((contrast(&fc, &bg), fc, bg, format!("cell style {i}")));
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// Every drawing object (chart or picture) with its alt text.
pub fn alt_texts(path: &Path) -> Vec<(String, String)> {
    let tag = Regex::new(r#"<xdr:cNvPr [^>]*>"#).unwrap();
    let attr = |t: &str, name: &str| {
        Regex::new(&format!(r#" {name}="([^"]*)""#))
            .unwrap()
            .captures(t)
            .map_or(String::new(), |c| c[1].to_string())
    };
    let mut out = Vec::new();
    for p in parts(path)
        .iter()
        .filter(|p| p.starts_with("xl/drawings/drawing"))
    {
        for t in tag.find_iter(&part(path, p)) {
            out.push((attr(t.as_str(), "name"), attr(t.as_str(), "descr")));
        }
    }
    out
}

/// A1 range → (first row, first col, last row, last col), 0-based.
fn bounds(r: &str) -> (u32, u32, u32, u32) {
    let cell = |c: &str| {
        let col: String = c.chars().take_while(|x| x.is_ascii_alphabetic()).collect();
        let row: u32 = c[col.len()..].parse().unwrap();
        let col = col
            .chars()
            .fold(0u32, |n, x| n * 26 + (x as u32 - 'A' as u32 + 1));
        (row - 1, col - 1)
    };
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let ((r1, c1), (r2, c2)) = (cell(a), cell(b));
    (r1, c1, r2, c2)
}

/// Each sheet's tables (ref, header rows) and merged ranges, by sheet name.
/// A sheet's tables (range, whether it has a heading row) and merged ranges.
type Layout = (Vec<(String, bool)>, Vec<String>);

pub fn tables_and_merges(path: &Path) -> BTreeMap<String, Layout> {
    let book = part(path, "xl/workbook.xml");
    let names: Vec<String> = Regex::new(r#"<sheet name="([^"]*)""#)
        .unwrap()
        .captures_iter(&book)
        .map(|c| c[1].replace("&apos;", "'").replace("&amp;", "&"))
        .collect();
    let merge_re = Regex::new(r#"<mergeCell ref="([^"]*)""#).unwrap();
    let target_re = Regex::new(r#"Target="../tables/(table\d+\.xml)""#).unwrap();
    let ref_re = Regex::new(r#"<table [^>]*ref="([^"]*)""#).unwrap();
    let mut out = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let xml = part(path, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let merges: Vec<String> = merge_re
            .captures_iter(&xml)
            .map(|c| c[1].to_string())
            .collect();
        let mut tables = Vec::new();
        let rels_name = format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 1);
        if parts(path).contains(&rels_name) {
            let rels = part(path, &rels_name);
            for c in target_re.captures_iter(&rels) {
                let t = part(path, &format!("xl/tables/{}", &c[1]));
                let range = ref_re.captures(&t).unwrap()[1].to_string();
                tables.push((range, !t.contains(r#"headerRowCount="0""#)));
            }
        }
        out.insert(name.clone(), (tables, merges));
    }
    out
}

#[test]
fn the_clerks_copy_holds_the_committees_sheets_only() {
    let d = Dir::new();
    let (out, clerk, _o) = published(&d);
    let names = |p: &Path| -> Vec<String> {
        let wb: calamine::Xlsx<_> = calamine::open_workbook(p).unwrap();
        calamine::Reader::sheet_names(&wb)
    };
    assert_eq!(names(&clerk), bestvalue::write::committee::PUBLISHED_SHEETS);
    assert_eq!(names(&out), bestvalue::write::committee::SHEETS);
    // The working copy is what it was: the full tables, the Problems sheet.
    let ch = sheet(&out, "Characteristics");
    assert_eq!(ch[0][1], "Code");
    assert_eq!(ch.len() - 1, 74);
    let trail = sheet(&out, "Score trail");
    assert!(trail[0].contains(&"Source".to_string()));
}

#[test]
fn the_clerks_copy_has_no_working_paper_wording() {
    let d = Dir::new();
    let (_out, clerk, o) = published(&d);
    let strings = part(&clerk, "xl/sharedStrings.xml");
    let core = part(&clerk, "docProps/core.xml");
    let all = format!("{strings}{core}").to_lowercase();
    for word in [
        "bestvalue",
        env!("CARGO_PKG_VERSION"),
        ".xlsx",
        "›",
        "problems",
        "type over",
        "--",
    ] {
        assert!(!all.contains(word), "the clerk's copy says {word:?}");
    }
    for f in &o.returns {
        let name = Path::new(&f.file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_lowercase();
        assert!(!all.contains(&name), "names the return {name}");
    }
    // No page header or footer names a file or path either (&F, &Z).
    for p in parts(&clerk)
        .iter()
        .filter(|p| p.starts_with("xl/worksheets/sheet"))
    {
        let xml = part(&clerk, p);
        assert!(!xml.contains("&amp;F") && !xml.contains("&amp;Z"), "{p}");
    }
}

#[test]
fn the_committee_context_is_on_the_cover_and_in_every_header_of_both() {
    let d = Dir::new();
    let (out, clerk, _o) = published(&d);
    for book in [&out, &clerk] {
        let cover = sheet(book, "Cover");
        let text = cover
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        for want in [
            "Audit and Governance Committee",
            "12 November 2025",
            "Appendix A",
            "Performance Office, performance@eastmoor.example",
        ] {
            assert!(
                text.contains(want),
                "{}: Cover lacks {want}",
                book.display()
            );
        }
        for p in parts(book)
            .iter()
            .filter(|p| p.starts_with("xl/worksheets/sheet"))
        {
            let xml = part(book, p);
            assert!(
                xml.contains("Audit and Governance Committee, 12 November 2025"),
                "{}: {p} header",
                book.display()
            );
            assert!(xml.contains("Appendix A"), "{}: {p} header", book.display());
        }
    }
}

#[test]
fn every_text_and_fill_reaches_aa_contrast_in_both_copies() {
    let d = Dir::new();
    let (out, clerk, _o) = published(&d);
    for book in [&out, &clerk] {
        let pairs = contrast_pairs(book);
        assert!(pairs.len() > 10, "levels and headings are checked");
        let (ratio, text, fill, what) = &pairs[0];
        assert!(
            *ratio >= 4.5,
            "{}: {what}: text #{text} on #{fill} is {ratio:.2}:1",
            book.display()
        );
        // Black, not white, on each level of the default scale.
        for level in ["00B050", "92D050", "FFFF00", "FFC000", "BFBFBF"] {
            assert!(
                pairs
                    .iter()
                    .filter(|(_, _, f, _)| f == level)
                    .all(|(_, t, _, _)| t == "000000"),
                "{level}"
            );
        }
    }
}

#[test]
fn charts_have_alt_text_and_tables_are_real() {
    let d = Dir::new();
    let (_out, clerk, _o) = published(&d);
    let alts = alt_texts(&clerk);
    assert_eq!(alts.len(), 2, "this year's and last year's charts");
    for (name, alt) in &alts {
        // Excel keeps 255 characters of alt text.
        assert!(
            (60..=255).contains(&alt.chars().count()),
            "{name} has alt text: {alt:?}"
        );
        assert!(alt.contains("Most common: Light green"), "{alt}");
    }
    assert!(alts[0].1.contains("2025-26") && alts[1].1.contains("2024-25"));
    let sheets = tables_and_merges(&clerk);
    for name in ["Summary", "Score trail", "Action plan"] {
        let (tables, merges) = &sheets[name];
        assert!(!tables.is_empty(), "{name} has tables");
        for (t, header) in tables {
            assert!(header, "{name} {t} has a heading row");
            let (r1, c1, r2, c2) = bounds(t);
            for m in merges {
                let (m1, n1, m2, n2) = bounds(m);
                let apart = m2 < r1 || m1 > r2 || n2 < c1 || n1 > c2;
                assert!(apart, "{name}: merged {m} inside table {t}");
            }
        }
    }
    // The Action plan: one table per theme with actions (or continued).
    assert!(sheets["Action plan"].0.len() >= 5);
    let core = part(&clerk, "docProps/core.xml");
    assert!(core.contains("<dc:language>en-GB</dc:language>"));
    assert!(part(&d.path("committee.xlsx"), "docProps/core.xml").contains("<dc:language>en-GB"));
}

#[test]
fn the_clerks_copy_is_the_same_bytes_every_time() {
    let d = Dir::new();
    let (_out, clerk, _o) = published(&d);
    let first = std::fs::read(&clerk).unwrap();
    let e = Dir::new();
    let (_out, again, _o) = published(&e);
    assert_eq!(first, std::fs::read(again).unwrap());
}

#[test]
fn the_action_plan_groups_by_theme_with_the_committees_columns() {
    let d = Dir::new();
    let (out, clerk, o) = published(&d);
    let g = sheet(&clerk, "Action plan");
    let heads: Vec<usize> = (0..g.len())
        .filter(|&r| g[r][0] == "Characteristic")
        .collect();
    assert!(!heads.is_empty());
    for &h in &heads {
        assert_eq!(
            g[h],
            [
                "Characteristic",
                "Gap",
                "Action",
                "Responsible officer",
                "Target date",
                "Status",
                "Latest progress"
            ]
        );
        // The theme's heading is just above.
        assert!(
            g[h - 1][0].chars().next().unwrap().is_ascii_digit(),
            "{:?}",
            g[h - 1]
        );
    }
    // Every action and every gap without one is there once: a row whose
    // first cell is a characteristic ("CI004: Compares …").
    let code = Regex::new(r"^[A-Z]+[0-9]+: ").unwrap();
    let rows: Vec<&Vec<String>> = g.iter().filter(|r| code.is_match(&r[0])).collect();
    assert_eq!(rows.len(), o.plan.actions.len() + o.plan.uncovered.len());
    let working = sheet(&out, "Action plan");
    for a in &o.plan.actions {
        assert!(rows.iter().any(|r| r[2] == a.action), "{}", a.id);
        assert!(working.iter().any(|r| r[0] == a.id));
    }
    // Overdue and No action are in words.
    let status = 5;
    let overdue = o.plan.actions.iter().filter(|a| a.overdue).count();
    assert_eq!(
        rows.iter()
            .filter(|r| r[status].ends_with("Overdue"))
            .count(),
        overdue
    );
    assert!(rows.iter().any(|r| r[status] == "No action"));
    // A key says what the colours mean.
    assert!(
        g.iter()
            .flatten()
            .any(|c| c.starts_with("Each status is written in words"))
    );
    // No tracking columns.
    for tracking in [
        "Action ID",
        "Date of update",
        "Earlier updates",
        "Performance system ref",
    ] {
        assert!(!g.iter().flatten().any(|c| c == tracking), "{tracking}");
    }
}

#[test]
fn characteristics_print_as_blocks_with_every_part() {
    let d = Dir::new();
    let (_out, clerk, o) = published(&d);
    let g = sheet(&clerk, "Characteristics");
    let fw = &o.framework;
    for (c, ch) in fw.characteristics.iter().enumerate() {
        let at = g
            .iter()
            .position(|r| r[0] == ch.code)
            .unwrap_or_else(|| panic!("{} has a block", ch.code));
        assert_eq!(g[at][1], ch.label);
        let m = &o.assessment.characteristics[c];
        let block: Vec<&Vec<String>> = g[at + 1..]
            .iter()
            .take_while(|r| fw.find_code(&r[0]).is_none_or(|_| r[0].len() >= 8))
            .collect();
        let find = |label: &str| block.iter().find(|r| r[0] == label);
        assert_eq!(
            find("Position statement").unwrap()[1],
            m.narrative,
            "{}",
            ch.code
        );
        let fin = find("Final score").unwrap();
        assert_eq!(fin[1], fw.scale[o.assessment.level(c).unwrap()].label);
        assert_eq!(
            find("Gaps to address").unwrap()[1],
            if m.gaps.is_empty() {
                "None given."
            } else {
                &m.gaps
            }
        );
        assert!(find("Last year").is_some());
    }
}

#[test]
fn publish_goes_through_the_output_guard() {
    let d = Dir::new();
    let run = |out: &str, publish: &Path| {
        bestvalue::build(&bestvalue::BuildConfig {
            inputs: vec![samples()],
            output: d.path(out),
            publish: Some(publish.to_path_buf()),
            ..Default::default()
        })
    };
    // Not the working copy itself.
    let e = run("same.xlsx", &d.path("same.xlsx")).err().unwrap();
    assert!(
        e.to_string().contains("both as --out and as --publish"),
        "{e}"
    );
    // Not an input, nor inside the folder of returns.
    let input = samples().join("1 Draft/Draft - Governance.xlsx");
    let before = std::fs::read(&input).unwrap();
    assert!(run("a.xlsx", &input).is_err());
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the return is untouched"
    );
    assert!(!samples().join("clerk.xlsx").exists());
    // Not someone else's file; but its own earlier copy is replaced.
    let theirs = d.path("theirs.xlsx");
    std::fs::write(&theirs, b"not ours").unwrap();
    assert!(run("b.xlsx", &theirs).is_err());
    assert_eq!(std::fs::read(&theirs).unwrap(), b"not ours");
    let clerk = d.path("clerk.xlsx");
    run("c.xlsx", &clerk).unwrap();
    run("c.xlsx", &clerk).expect("an earlier clerk's copy is replaced");
}

#[test]
fn a_clerks_copy_among_the_returns_is_not_read_as_one() {
    let d = Dir::new();
    let (_out, clerk, _o) = published(&d);
    let e = Dir::new();
    e.put(
        "r.xlsx",
        &Ret::assessment("Review", "All themes", "Alex Reviewer")
            .row(&[s("CI001"), s("Light green")]),
    );
    std::fs::copy(&clerk, e.returns().join("Appendix A.xlsx")).unwrap();
    let o = bestvalue::check(&bestvalue::BuildConfig {
        inputs: vec![e.returns()],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(o.returns.len(), 1, "only the return is read");
    let skipped = o
        .skipped
        .iter()
        .find(|s| s.display.ends_with("Appendix A.xlsx"))
        .expect("listed as not read");
    assert!(
        skipped.reason.contains("clerk's copy"),
        "{}",
        skipped.reason
    );
    assert!(!o.problems.has_errors(), "{:?}", codes(&o));
}
