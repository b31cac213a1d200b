//! The bad-input corpus: messy, broken and hostile files, each with the
//! outcome it must have. Every file ends in a clear problem (or is read as
//! the officer meant), never a panic or a hang; a bad file never stops the
//! others; and every return's rows add up: read = used + reported.
//!
//! Most files are made here. Files that only a real application can make
//! (LibreOffice's .xls and .ods, an encrypted workbook, the 1904 date
//! system, merged cells, hidden sheets and rows, fills) are committed in
//! tests/fixtures/, made by tests/fixtures/make_fixtures.py. Files the
//! fuzzer found are in tests/fixtures/fuzz/.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use crate::common::*;
use bestvalue::Outcome;
use bestvalue::records::{ReturnInfo, ReturnKind};

// ---------------------------------------------------------------- helpers

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn review(themes: &str) -> Ret {
    Ret::assessment("Review", themes, "Robin Reviewer")
}

/// A good return beside every bad one: it must still be read.
fn control() -> Ret {
    review("Partnerships and Community Engagement").row(&[
        s("PCE001"),
        s("Amber"),
        s("Control return"),
    ])
}

fn info<'a>(o: &'a Outcome, file: &str) -> &'a ReturnInfo {
    o.returns
        .iter()
        .find(|r| r.file == file)
        .unwrap_or_else(|| panic!("{file} was not read: {:?}", o.skipped))
}

/// (code, location) of each problem about `file`.
fn problems_of(o: &Outcome, file: &str) -> Vec<(String, String)> {
    o.problems
        .iter()
        .filter(|p| p.location.file == file)
        .map(|p| (p.kind.code().to_string(), p.location.to_string()))
        .collect()
}

fn problem<'a>(o: &'a Outcome, file: &str, code: &str) -> &'a bestvalue::problems::Problem {
    o.problems
        .iter()
        .find(|p| p.location.file == file && p.kind.code() == code)
        .unwrap_or_else(|| panic!("no {code} for {file}: {:?}", problems_of(o, file)))
}

fn no_errors(o: &Outcome, file: &str) {
    let errors: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.location.file == file && p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{file}: {errors:#?}");
}

fn rows(o: &Outcome, file: &str, read: usize, used: usize, reported: usize) {
    let i = info(o, file);
    assert_eq!(
        (i.rows_read, i.rows_used, i.rows_reported),
        (read, used, reported),
        "{file}: rows read, used, reported"
    );
}

fn level(o: &Outcome, code: &str) -> Option<String> {
    let fw = &o.framework;
    let c = fw.find_code(code).unwrap();
    o.assessment.level(c).map(|l| fw.scale[l].label.clone())
}

/// An unreadable file: one error of `code` naming the file, nothing used.
fn unreadable(o: &Outcome, file: &str, code: &str, says: &str) {
    let p = problem(o, file, code);
    assert!(p.is_error());
    assert_eq!(p.location.to_string(), file);
    assert!(p.message.contains(says), "{file}: {}", p.message);
    assert!(!p.hint.is_empty());
    assert_eq!(info(o, file).kind, ReturnKind::Unreadable);
    rows(o, file, 0, 0, 0);
}

/// Rewrites one part of a zip (an .xlsx), leaving the others as they are.
fn patch_zip(bytes: &[u8], part: &str, f: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut f = Some(f);
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let method = if name == part {
            let g = f.take().unwrap();
            data = g(String::from_utf8(data).unwrap()).into_bytes();
            // Stored: large generated parts would be slow to deflate in a
            // debug build.
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(data.len() > u32::MAX as usize / 2);
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    assert!(f.is_none(), "no part {part}");
    w.finish().unwrap().into_inner()
}

/// A file in the corpus: its name, its bytes, and what must come of it.
struct Case {
    file: &'static str,
    /// Makes the file's bytes (only when the case is run: some are large).
    bytes: Box<dyn Fn() -> Vec<u8>>,
    /// Holds for the file whether it is read alone or with the whole corpus.
    check: fn(&Outcome, &str),
    /// Holds when the file is read alone (beside the control return).
    alone: Option<fn(&Outcome)>,
}

fn case(
    file: &'static str,
    bytes: impl Fn() -> Vec<u8> + 'static,
    check: fn(&Outcome, &str),
) -> Case {
    Case {
        file,
        bytes: Box::new(bytes),
        check,
        alone: None,
    }
}

impl Case {
    fn alone(mut self, f: fn(&Outcome)) -> Case {
        self.alone = Some(f);
        self
    }
}

fn committed(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn date_case(file: &'static str, v: V, check: fn(&Outcome, &str)) -> Case {
    case(
        file,
        move || {
            review("Culture")
                .detail("Date completed", v.clone())
                .row(&[s("C001"), s("Amber")])
                .bytes()
        },
        check,
    )
}

fn good() -> Vec<u8> {
    review("Culture").row(&[s("C001"), s("Amber")]).bytes()
}

fn completed_on_31_march(o: &Outcome, f: &str) {
    no_errors(o, f);
    assert_eq!(
        info(o, f).completed.map(|d| d.to_string()).as_deref(),
        Some("2025-03-31")
    );
}

fn scores_read_cleanly(o: &Outcome, f: &str) {
    no_errors(o, f);
    let n = info(o, f).rows_read;
    rows(o, f, n, n, 0);
}

const UNICODE: &str = "Résumé 👩🏽‍💻 مرحبا بالعالم \u{200F}(RTL)\u{200F} e\u{301}\u{302} 한국어 נקודה.";

mod corpus_files;
mod corpus_values;

/// Every kind of bad input, by name.
fn corpus() -> Vec<Case> {
    let mut cases = corpus_files::cases();
    cases.extend(corpus_values::cases());
    cases
}

/// Runs one case beside the control return, then checks both.
fn run_alone(name: &str) {
    let c = corpus()
        .into_iter()
        .find(|c| c.file == name)
        .unwrap_or_else(|| panic!("no case {name}"));
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    std::fs::write(d.returns().join(c.file), (c.bytes)()).unwrap();
    d.put("control.xlsx", &control());
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    (c.check)(&o, c.file);
    if let Some(f) = c.alone {
        f(&o);
    }
    // The bad file did not stop the good one.
    assert_eq!(level(&o, "PCE001").as_deref(), Some("Amber"));
    rows(&o, "control.xlsx", 1, 1, 0);
    accounting_holds(&o);
    assert!(d.path("out.xlsx").exists(), "the workbook is still written");
}

fn accounting_holds(o: &Outcome) {
    for r in &o.returns {
        assert_eq!(
            r.rows_read,
            r.rows_used + r.rows_reported,
            "{}: rows read = used + reported",
            r.file
        );
    }
}

macro_rules! alone {
    ($($test:ident: $file:literal,)*) => {$(
        #[test]
        fn $test() {
            run_alone($file);
        }
    )*};
}

alone! {
    zero_byte_file: "zero-byte.xlsx",
    truncated_xlsx: "truncated.xlsx",
    text_file_renamed_xlsx: "text-renamed.xlsx",
    other_zip_renamed_xlsx: "document-renamed.xlsx",
    encrypted_xlsx: "encrypted.xlsx",
    excel_lock_file: "~$Review - Culture.xlsx",
    libreoffice_lock_file: ".~lock.Review - Culture.xlsx#",
    xls_saved_by_libreoffice: "libreoffice-review.xls",
    ods_saved_by_libreoffice: "libreoffice-review.ods",
    upper_case_extension: "UPPER CASE.XLSX",
    no_recognisable_sheet: "no-table.xlsx",
    header_not_in_row_1: "header-in-row-6.xlsx",
    columns_reordered_and_renamed: "columns-reordered-renamed.xlsx",
    merged_cells_over_data: "merged.xlsx",
    hidden_sheets_and_rows: "hidden.xlsx",
    duplicate_header_names: "duplicate-headings.xlsx",
    scores_as_numbers: "scores-as-numbers.xlsx",
    scores_with_spaces_and_nbsp: "scores-spaces-nbsp.xlsx",
    scores_in_lower_case: "scores-lower-case.xlsx",
    scores_as_formulas: "scores-formulas.xlsx",
    scores_as_na: "scores-na.xlsx",
    scores_only_as_colour: "colour-only.xlsx",
    date_as_real_date: "date-real.xlsx",
    date_as_serial: "date-serial.xlsx",
    date_as_uk_text: "date-uk-text.xlsx",
    date_as_iso_text: "date-iso-text.xlsx",
    date_nonsense: "date-nonsense.xlsx",
    date_1904_system: "date1904.xlsx",
    date_1904_system_serial: "date1904-serial.xlsx",
    narrative_over_excel_limit: "long-narrative.xlsx",
    emoji_rtl_and_combining_characters: "unicode.xlsx",
    stray_value_at_xfd1048576_xlsx: "stray-at-XFD1048576.xlsx",
    stray_value_at_iv65536_xls: "stray-far.xls",
    stray_value_at_xfd1048576_ods: "stray-far.ods",
    stray_value_at_z200000_ods: "stray-mid.ods",
    thousands_of_blank_rows: "thousands-of-blank-rows.xlsx",
    over_a_million_cells_in_a_sheet: "over-a-million-cells.xlsx",
    zip_declaring_gigabytes: "unpacks-to-gigabytes.xlsx",
    one_pass_over_a_wide_and_long_sheet: "wide-and-long.xlsx",
    too_many_merged_areas: "ten-thousand-merged-areas.xlsx",
    unknown_round: "unknown-round.xlsx",
    unknown_theme: "unknown-theme.xlsx",
}

#[test]
fn same_code_in_two_files_of_one_round() {
    let d = Dir::new();
    for c in corpus()
        .into_iter()
        .filter(|c| c.file.starts_with("same-code"))
    {
        std::fs::create_dir_all(d.returns()).unwrap();
        std::fs::write(d.returns().join(c.file), (c.bytes)()).unwrap();
    }
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    for c in corpus()
        .into_iter()
        .filter(|c| c.file.starts_with("same-code"))
    {
        (c.check)(&o, c.file);
    }
    assert_eq!(level(&o, "G001"), None, "conflicting scores: neither used");
    accounting_holds(&o);
}

#[test]
fn the_corpus_has_at_least_30_kinds() {
    assert!(corpus().len() >= 30, "{}", corpus().len());
}

/// The whole corpus in one folder, through the command as the office runs
/// it: every file gets its outcome, the good returns are still read, the
/// workbook is written and each return's row accounting is printed.
#[test]
fn the_whole_corpus_in_one_run() {
    let d = Dir::new();
    let cases = corpus();
    std::fs::create_dir_all(d.returns()).unwrap();
    for c in &cases {
        std::fs::write(d.returns().join(c.file), (c.bytes)()).unwrap();
    }
    d.put("control.xlsx", &control());
    let out = d.path("committee.xlsx");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .args(["build", d.returns().to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&cli.stdout);
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert_eq!(cli.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
    assert!(out.exists());

    // The same run through the library. Each file's own outcome (what
    // reading it found, and its rows) is exactly what reading it alone
    // gives: no file changed what was made of another. (Problems of the
    // merge, such as a code scored in two files, depend on the others.)
    let o = build(&[d.returns()], &d.path("again.xlsx"));
    let fw = bestvalue::framework::Framework::default_framework();
    for r in &o.returns {
        let alone = bestvalue::read::returns::read_file(
            &bestvalue::read::InputFile {
                display: r.file.clone(),
                path: d.returns().join(&r.file),
            },
            &fw,
        );
        for p in alone.problems.iter() {
            assert!(
                o.problems.iter().any(|q| q == p),
                "{}: {p} missing from the whole run",
                r.file
            );
        }
        // Rows found in error only once the returns are put together (a
        // code scored differently in two files) are reported, not used.
        let merged_errors: std::collections::BTreeSet<u32> = o
            .problems
            .iter()
            .filter(|q| q.is_error() && q.location.file == r.file)
            .filter(|q| {
                !alone
                    .problems
                    .iter()
                    .any(|p| p.is_error() && p.location.row == q.location.row)
            })
            .filter_map(|q| q.location.row)
            .collect();
        let a = &alone.info;
        assert_eq!(
            (
                a.rows_read,
                a.rows_used,
                a.rows_reported + merged_errors.len()
            ),
            (
                r.rows_read,
                r.rows_used + merged_errors.len(),
                r.rows_reported
            ),
            "{}",
            r.file
        );
    }
    for c in &cases {
        let seen = o.returns.iter().any(|r| r.file == c.file)
            || o.skipped.iter().any(|s| s.display == c.file);
        assert!(seen, "{} neither read nor listed as not read", c.file);
    }
    assert_eq!(level(&o, "PCE001").as_deref(), Some("Amber"));
    accounting_holds(&o);
    // Printed per return: "read = used + reported".
    assert!(stdout.contains("Rows read = used + reported: "), "{stdout}");
    for r in &o.returns {
        let line = stdout
            .lines()
            .find(|l| l.ends_with(&r.file) || l.contains(&format!("  {} (not read", r.file)))
            .unwrap_or_else(|| panic!("no accounting line for {}:\n{stdout}", r.file));
        let nums: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .take(3)
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!(nums, [r.rows_read, r.rows_used, r.rows_reported], "{line}");
    }
}

/// Every file the fuzzer found (tests/fixtures/fuzz/, see fuzz/README.md),
/// read from bytes under each extension: reading ends in a return or a
/// problem naming the file, never a panic that escapes, and the rows add
/// up. Then all of them beside a good return through the command.
#[test]
fn fuzzer_findings_stay_fixed() {
    let dir = fixture("fuzz");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    assert!(!found.is_empty());
    let fw = bestvalue::framework::Framework::default_framework();
    for path in &found {
        let bytes = std::fs::read(path).unwrap();
        for ext in ["xlsx", "xls", "ods", "xlsb"] {
            let r = bestvalue::read::returns::read_bytes("finding", bytes.clone(), ext, &fw);
            let i = &r.info;
            assert_eq!(i.rows_read, i.rows_used + i.rows_reported, "{path:?}");
            if i.kind == ReturnKind::Unreadable {
                assert!(
                    r.problems
                        .iter()
                        .any(|p| p.location.file == "finding" && p.is_error()),
                    "{path:?} as .{ext}: unreadable without a problem"
                );
            }
        }
    }
    let d = Dir::new();
    std::fs::create_dir_all(d.returns()).unwrap();
    for path in &found {
        std::fs::copy(path, d.returns().join(path.file_name().unwrap())).unwrap();
    }
    d.put("control.xlsx", &control());
    let o = build(&[d.returns()], &d.path("out.xlsx"));
    assert_eq!(level(&o, "PCE001").as_deref(), Some("Amber"));
    accounting_holds(&o);
    assert!(o.written.is_some());
    // Through the command: a caught reader failure is one plain line, not
    // a panic message with a backtrace.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .args(["build", d.returns().to_str().unwrap(), "--out"])
        .arg(d.path("cli.xlsx"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(matches!(cli.status.code(), Some(0 | 1)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(d.path("cli.xlsx").exists());
}
