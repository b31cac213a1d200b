//! The command as a performance officer runs it: exit codes, the summary,
//! --help, and the safety rules for the output file.

use crate::common::*;

fn p(x: &std::path::Path) -> &str {
    x.to_str().unwrap()
}

#[test]
fn samples_build_cleanly_with_a_summary() {
    let d = Dir::new();
    let out = d.path("committee.xlsx");
    let (code, stdout, stderr) = cli(&["build", p(&samples()), "--out", p(&out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Read 21 returns."), "{stdout}");
    assert!(stdout.contains("Final scores: 9 Dark green, 43 Light green, 15 Yellow, 3 Amber, 4 Grey; 0 not assessed."), "{stdout}");
    assert!(stdout.contains("0 errors and 2 warnings"), "{stdout}");
    assert!(stdout.contains("Wrote "), "{stdout}");
    assert!(out.exists());
}

#[test]
fn errors_give_exit_1_and_still_write_unless_strict() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &Ret::assessment("Review", "All themes", "A").row(&[s("CI001"), s("Purple")]),
    );
    let out = d.path("out.xlsx");
    let (code, stdout, _) = cli(&["build", p(&d.returns()), "--out", p(&out)]);
    assert_eq!(code, 1);
    assert!(out.exists(), "written with its Problems sheet");
    assert!(
        stdout.contains(
            "r.xlsx\n    Error: Assessment › B2: \"Purple\" is not a score on the scale."
        ),
        "{stdout}"
    );
    let strict = d.path("strict.xlsx");
    let (code, stdout, _) = cli(&["build", p(&d.returns()), "--out", p(&strict), "--strict"]);
    assert_eq!(code, 1);
    assert!(!strict.exists());
    assert!(
        stdout.contains("The workbook was not written (--strict)"),
        "{stdout}"
    );
}

#[test]
fn could_not_run_gives_exit_2_with_a_plain_message() {
    let d = Dir::new();
    let (code, _, stderr) = cli(&["build", "no/such/folder", "--out", p(&d.path("o.xlsx"))]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("'no/such/folder' does not exist."),
        "{stderr}"
    );
    let (code, _, stderr) = cli(&[
        "build",
        p(&samples()),
        "--out",
        p(&d.path("o.xlsx")),
        "--as-at",
        "someday",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--as-at \"someday\" is not a date"),
        "{stderr}"
    );
    let (code, _, _) = cli(&["build"]);
    assert_eq!(code, 2);
}

#[test]
fn a_broken_framework_file_is_refused_naming_the_line() {
    let d = Dir::new();
    let text =
        bestvalue::framework::DEFAULT_FRAMEWORK.replacen("code = \"R002\"", "code = \"R001\"", 1);
    let f = d.path("fw.toml");
    std::fs::write(&f, text).unwrap();
    let (code, _, stderr) = cli(&[
        "build",
        p(&samples()),
        "--out",
        p(&d.path("o.xlsx")),
        "--framework",
        p(&f),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used"), "{stderr}");
    assert!(stderr.contains("duplicate code R001"), "{stderr}");
    assert!(stderr.contains("line "), "{stderr}");
}

#[test]
fn the_output_is_protected() {
    let d = Dir::new();
    let ret = d.put(
        "r.xlsx",
        &Ret::assessment("Review", "All themes", "A").row(&[s("CI001"), s("Amber")]),
    );
    let before = std::fs::read(&ret).unwrap();
    // An input as the output is refused.
    let (code, _, stderr) = cli(&["build", p(&d.returns()), "--out", p(&ret)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    let (code, _, _) = cli(&["build", p(&ret), "--out", p(&ret)]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&ret).unwrap(), before, "input untouched");
    // A file the tool did not write is not replaced without --force.
    let other = d.path("other.xlsx");
    std::fs::write(&other, b"precious").unwrap();
    let (code, _, stderr) = cli(&["build", p(&d.returns()), "--out", p(&other)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("was not written by bestvalue"), "{stderr}");
    assert_eq!(std::fs::read(&other).unwrap(), b"precious");
    let (code, ..) = cli(&["build", p(&d.returns()), "--out", p(&other), "--force"]);
    assert_eq!(code, 0);
    // Our own output is replaced on the next run.
    let (code, ..) = cli(&["build", p(&d.returns()), "--out", p(&other)]);
    assert_eq!(code, 0);
    // It is known by its document properties, or, when they were cleared,
    // by its Cover; another workbook is not taken for ours.
    assert!(part(&other, "docProps/core.xml").contains("<dc:description>Produced by bestvalue"));
    let cleared = d.path("cleared.xlsx");
    rewrite_part(&other, &cleared, "docProps/core.xml", |x| {
        x.replace("Produced by bestvalue", "Reviewed by the clerk")
    });
    let (code, _, stderr) = cli(&["build", p(&d.returns()), "--out", p(&cleared)]);
    assert_eq!(code, 0, "{stderr}");
    let stranger = d.path("stranger.xlsx");
    rewrite_part(&ret, &stranger, "docProps/core.xml", |x| x.to_string());
    let (code, _, stderr) = cli(&["build", p(&d.returns()), "--out", p(&stranger)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("was not written by bestvalue"), "{stderr}");
    // Open in Excel: its lock file exists.
    std::fs::write(d.path("~$other.xlsx"), b"owner").unwrap();
    let (code, _, stderr) = cli(&["build", p(&d.returns()), "--out", p(&other)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is open in Excel"), "{stderr}");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d.tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_committee_workbook_in_the_input_folder_is_not_read_as_a_return() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &Ret::assessment("Review", "All themes", "A").row(&[s("CI001"), s("Amber")]),
    );
    let first = d.returns().join("last month.xlsx");
    let (code, ..) = cli(&["build", p(&d.returns()), "--out", p(&first)]);
    assert_eq!(code, 0);
    let (code, stdout, _) = cli(&["build", p(&d.returns()), "--out", p(&d.path("now.xlsx"))]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "not read: last month.xlsx (a committee workbook written by bestvalue, not a return)"
        ),
        "{stdout}"
    );
}

#[test]
fn help_has_worked_examples() {
    let (code, stdout, _) = cli(&["build", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Examples:"));
    assert!(stdout.contains("bestvalue build returns/ --out"));
    assert!(stdout.contains("Exit status"));
}

#[test]
fn last_months_workbook_is_never_overwritten() {
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &Ret::assessment("Review", "All themes", "A").row(&[s("CI001"), s("Amber")]),
    );
    let last = d.path("October.xlsx");
    let (code, ..) = cli(&["build", p(&d.returns()), "--out", p(&last)]);
    assert_eq!(code, 0);
    let before = std::fs::read(&last).unwrap();
    let (code, _, stderr) = cli(&[
        "build",
        p(&d.returns()),
        "--previous",
        p(&last),
        "--out",
        p(&last),
        "--force",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert_eq!(std::fs::read(&last).unwrap(), before);
}

/// Copies a workbook, changing one of its parts.
fn rewrite_part(
    from: &std::path::Path,
    to: &std::path::Path,
    name: &str,
    change: impl Fn(&str) -> String,
) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let part = f.name().unwrap().to_string();
        if part == name {
            bytes = change(&String::from_utf8(bytes).unwrap()).into_bytes();
        }
        zout.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn a_wrong_previous_year_or_mapping_path_stops_the_run_with_status_2() {
    // Opened before any return is read, so the mistake shows at once.
    let d = Dir::new();
    let out = d.path("o.xlsx");
    let (code, _, stderr) = cli(&[
        "build",
        p(&samples()),
        "--out",
        p(&out),
        "--previous-year",
        "no/such/last-year.xlsx",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/last-year.xlsx"), "{stderr}");
    let (code, _, stderr) = cli(&[
        "build",
        p(&samples()),
        "--out",
        p(&out),
        "--mapping",
        "no/such/mapping.toml",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/mapping.toml"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn the_catalogue_in_the_readme_is_up_to_date() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- problem codes: start -->")
        .expect("marker")
        + "<!-- problem codes: start -->\n".len();
    let end = readme.find("<!-- problem codes: end -->").expect("marker");
    assert_eq!(
        &readme[start..end],
        bestvalue::problems::catalogue_markdown(),
        "README's problem codes are out of date: paste the output of `cargo run -q -- codes --markdown` between the markers"
    );
}
