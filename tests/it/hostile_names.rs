//! Names and messages (issue 17): two returns never share a name, nothing
//! from a file name reaches the terminal as a control character, long
//! names are cut and reported, and the messages about odd files say what
//! happened.

use std::path::{Path, PathBuf};

use crate::common::*;
use bestvalue::Outcome;

fn review(officer: &str) -> Ret {
    Ret::assessment("Review", "Culture", officer)
}

fn assess(inputs: &[PathBuf]) -> Outcome {
    bestvalue::check(&bestvalue::BuildConfig {
        inputs: inputs.to_vec(),
        ..Default::default()
    })
    .unwrap()
}

/// `40,000`: counts as messages write them.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Each return's name, with the codes of the problems filed under it.
fn by_file(o: &Outcome) -> Vec<(String, Vec<String>)> {
    o.returns
        .iter()
        .map(|r| {
            let mut codes: Vec<String> = o
                .problems
                .iter()
                .filter(|p| p.location.file == r.file)
                .filter_map(|p| p.found.clone())
                .collect();
            codes.sort();
            (r.file.clone(), codes)
        })
        .collect()
}

/// `check a/Return.xlsx b/Return.xlsx` listed both files under one name,
/// each with both files' problems, and one feedback copy overwrote the
/// other. Each keeps its own name (with its folder), and its own problems.
#[test]
fn returns_with_the_same_name_keep_their_own_identity() {
    let d = Dir::new();
    let a = d.path("a/Return.xlsx");
    let b = d.path("b/Return.xlsx");
    std::fs::create_dir_all(a.parent().unwrap()).unwrap();
    std::fs::create_dir_all(b.parent().unwrap()).unwrap();
    review("Ann").row(&[s("C001"), s("Mauve")]).write(&a);
    review("Ben").row(&[s("C002"), s("Teal")]).write(&b);
    let o = assess(&[a.clone(), b.clone()]);
    assert_eq!(
        by_file(&o),
        [
            ("a/Return.xlsx".to_string(), vec!["Mauve".to_string()]),
            ("b/Return.xlsx".to_string(), vec!["Teal".to_string()]),
        ]
    );
    // And a feedback copy for each.
    let fb = d.path("feedback");
    let (code, _, stderr) = cli(&[
        "check",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Wrote 2 feedback workbooks"), "{stderr}");
    assert_eq!(files_under(&fb), 2, "one feedback copy each");

    // Two folders given, holding the same names.
    let x = d.path("x/returns");
    let y = d.path("y/returns");
    review("Ann")
        .row(&[s("C001"), s("Mauve")])
        .write(&x.join("Review.xlsx"));
    review("Ben")
        .row(&[s("C002"), s("Teal")])
        .write(&y.join("Review.xlsx"));
    let o = assess(&[x, y]);
    assert_eq!(
        by_file(&o),
        [
            (
                "x/returns/Review.xlsx".to_string(),
                vec!["Mauve".to_string()]
            ),
            (
                "y/returns/Review.xlsx".to_string(),
                vec!["Teal".to_string()]
            ),
        ]
    );

    // The same name in two formats.
    let z = d.path("z");
    review("Ann")
        .row(&[s("C001"), s("Mauve")])
        .write(&z.join("Review - Culture.xlsx"));
    let ods = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libreoffice-review.ods");
    std::fs::copy(ods, z.join("Review - Culture.ods")).unwrap();
    let o = assess(&[z]);
    let names: Vec<String> = by_file(&o).into_iter().map(|(f, _)| f).collect();
    assert_eq!(names, ["Review - Culture.ods", "Review - Culture.xlsx"]);
    assert!(
        o.problems
            .iter()
            .any(|p| p.location.file == "Review - Culture.xlsx"
                && p.found.as_deref() == Some("Mauve"))
    );
    assert!(
        !o.problems
            .iter()
            .any(|p| p.location.file == "Review - Culture.ods" && p.is_error())
    );
}

fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { files_under(&p) } else { 1 })
        .sum()
}

/// Names that differ only in bytes that are not UTF-8 were both shown as
/// "Return\u{FFFD}.xlsx" and merged. The bytes are shown escaped.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    let dir = d.returns();
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join(std::ffi::OsStr::from_bytes(b"Return\xFF.xlsx"));
    let two = dir.join(std::ffi::OsStr::from_bytes(b"Return\xFE.xlsx"));
    review("Ann").row(&[s("C001"), s("Mauve")]).write(&one);
    review("Ben").row(&[s("C002"), s("Teal")]).write(&two);
    let o = assess(&[dir]);
    assert_eq!(
        by_file(&o),
        [
            ("Return\\xFE.xlsx".to_string(), vec!["Teal".to_string()]),
            ("Return\\xFF.xlsx".to_string(), vec!["Mauve".to_string()]),
        ]
    );
}

/// A file name with escape sequences cleared the screen and retitled the
/// terminal; one with a line break forged a line of the summary. What is
/// printed shows them escaped.
#[cfg(unix)]
#[test]
fn control_characters_in_names_never_reach_the_terminal() {
    let d = Dir::new();
    let bad = review("Ann").row(&[s("C001"), s("Mauve")]);
    d.put("\u{1b}[2J\u{1b}]0;owned\u{7}clear.xlsx", &bad);
    d.put("fake\nRead 99 returns.xlsx", &bad);
    for args in [vec!["check"], vec!["build", "--out"]] {
        let mut args: Vec<String> = args.into_iter().map(String::from).collect();
        if args[0] == "build" {
            args.push(d.path("out.xlsx").to_str().unwrap().to_string());
        }
        args.push(d.returns().to_str().unwrap().to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, stdout, stderr) = cli(&args);
        let all = format!("{stdout}{stderr}");
        assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
        assert!(!all.lines().any(|l| l.starts_with("Read 99")), "{all}");
        assert!(
            all.contains("\\u{1b}[2J\\u{1b}]0;owned\\u{7}clear.xlsx"),
            "{all}"
        );
        assert!(all.contains("fake\\nRead 99 returns.xlsx"), "{all}");
    }
    // The JSON report stays JSON, and as safe on a screen.
    let (_, json, _) = cli(&["check", d.returns().to_str().unwrap(), "--format", "json"]);
    assert!(!json.contains('\u{1b}'), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "\\u{1b}[2J\\u{1b}]0;owned\\u{7}clear.xlsx")
    );
}

/// A 40,000-character authority stopped `build` (exit 2, no workbook):
/// Excel refuses a page header over 255 characters and a cell over
/// 32,767. It is cut, reported, and the workbook written.
#[test]
fn an_overlong_authority_is_cut_and_reported() {
    let d = Dir::new();
    let long = "Borough of Somewhere & District ".repeat(1_250);
    let chars = thousands(long.trim().chars().count());
    // Longer than a cell holds: written as a placeholder, then put in.
    let r = review("Ann")
        .detail("Authority", s("LONGNAME"))
        .row(&[s("C001"), s("Amber")]);
    let bytes = crate::hostile::patch_part(&r.bytes(), "xl/sharedStrings.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        x.replace("LONGNAME", &long.replace('&', "&amp;"))
            .into_bytes()
    });
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join("r.xlsx"), bytes).unwrap();
    let out = d.path("out.xlsx");
    let o = build(&[d.returns()], &out);
    let p = find(&o, "text-truncated");
    assert_eq!(p.location.to_string(), "r.xlsx › Instructions › B4");
    assert!(
        p.message
            .contains(&format!("{chars} characters; it was cut to the first 100")),
        "{}",
        p.message
    );
    assert_eq!(o.authority.chars().count(), 100);
    assert!(o.authority.ends_with('…'));
    assert!(o.written.is_some());
    for (i, _) in bestvalue::write::committee::SHEETS.iter().enumerate() {
        let xml = part(&out, &format!("xl/worksheets/sheet{}.xml", i + 1));
        if let Some(at) = xml.find("<oddHeader>") {
            let end = xml[at..].find("</oddHeader>").unwrap();
            let header = &xml[at + "<oddHeader>".len()..at + end];
            let header = header.replace("&amp;", "&").replace("&quot;", "\"");
            assert!(header.chars().count() <= 255, "{}", header.chars().count());
            assert!(
                header.contains("Borough of Somewhere && District"),
                "{header}"
            );
        }
    }
    // Given on the command line: the same, reported for the run.
    let cli_out = d.path("cli.xlsx");
    let (code, stdout, stderr) = cli(&[
        "build",
        d.returns().to_str().unwrap(),
        "--out",
        cli_out.to_str().unwrap(),
        "--authority",
        &long,
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let problems = sheet(&cli_out, "Problems");
    let said = format!(
        "The authority's name has {} characters",
        thousands(long.chars().count())
    );
    assert!(
        problems.iter().flatten().any(|c| c.starts_with(&said)),
        "{problems:?}"
    );
}

/// An officer's name longer than a page header allows was cut without a
/// word; Excel counts an emoji as two characters, and the message counted
/// it as one ("32,767 characters, more than the limit of 32,767").
#[test]
fn cut_text_is_reported_and_counted_as_excel_counts() {
    let d = Dir::new();
    let name = "Officer ".repeat(40);
    let mut r = review(&name);
    r.headings = ["Code", "Score", "Position statement"]
        .map(String::from)
        .to_vec();
    let r = r.row(&[s("C001"), s("Amber"), s("EMOJI")]);
    // 20,000 emoji: 40,000 characters as Excel counts them, more than a
    // cell holds, so put in after writing.
    let bytes = crate::hostile::patch_part(&r.bytes(), "xl/sharedStrings.xml", |x| {
        let x = String::from_utf8(x).unwrap();
        x.replace("EMOJI", &"😀".repeat(20_000)).into_bytes()
    });
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join("r.xlsx"), bytes).unwrap();
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let cut: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.kind.code() == "text-truncated")
        .collect();
    assert_eq!(cut.len(), 2, "{cut:#?}");
    // Sorted by sheet: the table's cell, then the officer's name.
    assert_eq!(cut[1].location.to_string(), "r.xlsx › Instructions › B7");
    let n = name.trim().chars().count();
    assert!(
        cut[1].message.contains(&format!("{n} characters")),
        "{}",
        cut[1].message
    );
    assert_eq!(
        o.returns[0].officer.as_deref().map(|n| n.chars().count()),
        Some(100)
    );
    assert_eq!(cut[0].location.to_string(), "r.xlsx › Assessment › C2");
    assert!(
        cut[0].message.contains("This text has 40,000 characters"),
        "{}",
        cut[0].message
    );
}

/// Headings below the rows searched gave "no headings" without saying
/// where the search stopped, or that the headings were there.
#[test]
fn headings_below_the_rows_searched_are_pointed_to() {
    let d = Dir::new();
    let mut r = review("Ann").row(&[s("C001"), s("Amber")]);
    r.header_row = 74;
    d.put("low.xlsx", &r);
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    let p = find(&o, "not-a-return");
    assert!(p.message.contains("in its first 60 rows"), "{}", p.message);
    assert!(
        p.message
            .contains("the sheet \"Assessment\" has them in row 75"),
        "{}",
        p.message
    );
    assert!(p.hint.contains("within the first 60 rows"), "{}", p.hint);
}

/// Naming last year's workbook as the output said it would overwrite "the
/// officers' return".
#[test]
fn an_output_that_is_an_input_is_not_called_a_return() {
    let d = Dir::new();
    d.put("r.xlsx", &review("Ann").row(&[s("C001"), s("Amber")]));
    let last_year = d.path("last year.xlsx");
    build(&[d.returns()], &last_year);
    let (code, _, stderr) = cli(&[
        "build",
        d.returns().to_str().unwrap(),
        "--previous-year",
        last_year.to_str().unwrap(),
        "--out",
        last_year.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert!(!stderr.contains("officers' return"), "{stderr}");
}
