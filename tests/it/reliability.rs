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

// ----------------------------------------------------------------- corpus

/// Every kind of bad input, by name.
fn corpus() -> Vec<Case> {
    vec![
        // Files that cannot be opened.
        case("zero-byte.xlsx", Vec::new, |o, f| {
            unreadable(o, f, "cannot-open", "empty (0 bytes)")
        }),
        case(
            "truncated.xlsx",
            || {
                let g = good();
                g[..g.len() / 2].to_vec()
            },
            |o, f| unreadable(o, f, "cannot-open", "damaged or incomplete"),
        ),
        case(
            "text-renamed.xlsx",
            || b"Code,Score\r\nC001,Amber\r\n".to_vec(),
            |o, f| unreadable(o, f, "cannot-open", "plain text"),
        ),
        case(
            "document-renamed.xlsx",
            || {
                let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
                w.start_file(
                    "word/document.xml",
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                w.write_all(b"<w:document/>").unwrap();
                w.finish().unwrap().into_inner()
            },
            |o, f| unreadable(o, f, "cannot-open", "damaged or incomplete"),
        ),
        case(
            "encrypted.xlsx",
            || committed("encrypted.xlsx"),
            |o, f| unreadable(o, f, "password-protected", "protected with a password"),
        ),
        // Lock files are set aside, not read.
        case(
            "~$Review - Culture.xlsx",
            || {
                // Excel's owner file: the user's name, padded to 165 bytes.
                let mut b = vec![0x0Bu8];
                b.extend(b"Robin Smith");
                b.resize(165, 0x20);
                b
            },
            |o, f| {
                let sk = o.skipped.iter().find(|s| s.display == f).unwrap();
                assert!(sk.reason.contains("Excel lock file"), "{}", sk.reason);
                assert!(!o.returns.iter().any(|r| r.file == f));
            },
        ),
        case(
            ".~lock.Review - Culture.xlsx#",
            || {
                b"Robin Smith,robin,PC-123,31.10.2025 09:00,file:///C:/Users/robin/AppData/Roaming/LibreOffice/4;".to_vec()
            },
            |o, f| {
                let sk = o.skipped.iter().find(|s| s.display == f).unwrap();
                assert!(sk.reason.contains("LibreOffice lock file"), "{}", sk.reason);
            },
        ),
        // Other formats, as LibreOffice saves them.
        case(
            "libreoffice-review.xls",
            || committed("libreoffice-review.xls"),
            |o, f| {
                no_errors(o, f);
                assert_eq!(info(o, f).format, "Excel 97-2003 workbook");
                assert_eq!(info(o, f).kind, ReturnKind::Assessment);
                rows(o, f, 11, 11, 0);
                // The sample writes C004 as "light green " (lower case, a
                // trailing space): read, no problem.
                assert!(problems_of(o, f).is_empty(), "{:?}", problems_of(o, f));
            },
        )
        .alone(|o| {
            assert_eq!(level(o, "C004").as_deref(), Some("Light green"));
            assert_eq!(level(o, "C008").as_deref(), Some("Amber"));
            assert_eq!(
                info(o, "libreoffice-review.xls").officer.as_deref(),
                Some("Nadia Ferreira")
            );
        }),
        case(
            "libreoffice-review.ods",
            || committed("libreoffice-review.ods"),
            |o, f| {
                no_errors(o, f);
                assert_eq!(info(o, f).format, "OpenDocument spreadsheet");
                rows(o, f, 11, 11, 0);
                assert_eq!(
                    info(o, f).completed.map(|d| d.to_string()).as_deref(),
                    Some("2025-09-08")
                );
            },
        )
        .alone(|o| {
            assert_eq!(level(o, "C005").as_deref(), Some("Yellow"));
            assert_eq!(level(o, "C008").as_deref(), Some("Amber"));
        }),
        case("UPPER CASE.XLSX", good, |o, f| {
            no_errors(o, f);
            rows(o, f, 1, 1, 0);
        }),
        // Workbooks that are not what the tool expects.
        case(
            "no-table.xlsx",
            || {
                let mut r = review("Culture");
                r.sheet = "Notes".into();
                r.headings = vec!["Meeting notes".into(), "Owner".into()];
                r.row(&[s("Discussed the heat map"), s("Robin")]).bytes()
            },
            |o, f| {
                let p = problem(o, f, "not-a-return");
                assert!(p.is_error());
                assert_eq!(p.found.as_deref(), Some("sheets: Instructions, Notes"));
                rows(o, f, 0, 0, 0);
            },
        ),
        case(
            "header-in-row-6.xlsx",
            || {
                let mut r = review("Culture")
                    .cell(0, 0, s("Culture: review return"))
                    .cell(2, 0, s("Please score every characteristic."))
                    .row(&[s("C001"), s("Amber")])
                    .row(&[s("C002"), s("Purple")]);
                r.header_row = 5;
                r.bytes()
            },
            |o, f| {
                let p = problem(o, f, "score-not-in-scale");
                assert_eq!(p.location.to_string(), format!("{f} › Assessment › B8"));
                rows(o, f, 2, 1, 1);
            },
        )
        .alone(|o| assert_eq!(level(o, "C001").as_deref(), Some("Amber"))),
        case(
            "columns-reordered-renamed.xlsx",
            || {
                let mut r = review("Culture");
                r.headings = [
                    "Justification",
                    "RAG rating",
                    "Ref",
                    "Areas for improvement",
                ]
                .map(String::from)
                .to_vec();
                r.row(&[s("Well evidenced"), s("Dark green"), s("C001"), s("None")])
                    .bytes()
            },
            |o, f| {
                assert!(problems_of(o, f).is_empty(), "{:?}", problems_of(o, f));
                rows(o, f, 1, 1, 0);
            },
        )
        .alone(|o| assert_eq!(level(o, "C001").as_deref(), Some("Dark green"))),
        case(
            "merged.xlsx",
            || committed("merged.xlsx"),
            |o, f| {
                no_errors(o, f);
                rows(o, f, 3, 3, 0);
            },
        )
        .alone(|o| {
            // The score merged over C001 and C002 applies to both.
            assert_eq!(level(o, "C001").as_deref(), Some("Amber"));
            assert_eq!(level(o, "C002").as_deref(), Some("Amber"));
            assert_eq!(level(o, "C003").as_deref(), Some("Yellow"));
        }),
        case(
            "hidden.xlsx",
            || committed("hidden.xlsx"),
            |o, f| {
                let p = problem(o, f, "hidden-sheet");
                assert_eq!(p.location.to_string(), format!("{f} › Old scores"));
                assert!(!p.is_error());
                // The hidden row (C002) is read like any other.
                rows(o, f, 3, 3, 0);
            },
        )
        .alone(|o| {
            assert_eq!(
                level(o, "C001").as_deref(),
                Some("Amber"),
                "not the hidden sheet's"
            );
            assert_eq!(
                level(o, "C002").as_deref(),
                Some("Yellow"),
                "hidden row read"
            );
        }),
        case(
            "duplicate-headings.xlsx",
            || {
                let mut r = review("Culture");
                r.headings = ["Code", "Score", "Score", "Commentary"]
                    .map(String::from)
                    .to_vec();
                r.row(&[s("C001"), s("Amber"), s("Yellow"), s("Two scores")])
                    .bytes()
            },
            |o, f| {
                let p = problem(o, f, "duplicate-column");
                assert_eq!(p.location.to_string(), format!("{f} › Assessment › C1"));
                rows(o, f, 1, 1, 0);
            },
        )
        .alone(|o| assert_eq!(level(o, "C001").as_deref(), Some("Amber"), "first column")),
        // Scores as officers type them.
        case(
            "scores-as-numbers.xlsx",
            || {
                review("Culture")
                    .row(&[s("C001"), V::N(1.0)])
                    .row(&[s("C002"), V::N(4.0)])
                    .row(&[s("C003"), V::N(7.0)])
                    .bytes()
            },
            |o, f| {
                let p = problem(o, f, "score-not-in-scale");
                assert_eq!(p.found.as_deref(), Some("7"));
                rows(o, f, 3, 2, 1);
            },
        )
        .alone(|o| {
            assert_eq!(level(o, "C001").as_deref(), Some("Dark green"));
            assert_eq!(level(o, "C002").as_deref(), Some("Amber"));
        }),
        case(
            "scores-spaces-nbsp.xlsx",
            || {
                review("Culture")
                    .row(&[s("C001"), s("  Amber ")])
                    .row(&[s("C002"), s("\u{a0}Yellow\u{a0}")])
                    .row(&[s("C003"), s("Light\u{a0}\u{a0}green")])
                    .row(&[s(" C004\u{a0}"), s("Dark green\t")])
                    .bytes()
            },
            scores_read_cleanly,
        )
        .alone(|o| {
            assert_eq!(level(o, "C002").as_deref(), Some("Yellow"));
            assert_eq!(level(o, "C003").as_deref(), Some("Light green"));
            assert_eq!(level(o, "C004").as_deref(), Some("Dark green"));
        }),
        case(
            "scores-lower-case.xlsx",
            || {
                review("Culture")
                    .row(&[s("C001"), s("amber")])
                    .row(&[s("C002"), s("light green")])
                    .row(&[s("C003"), s("dg")])
                    .bytes()
            },
            scores_read_cleanly,
        )
        .alone(|o| {
            assert_eq!(level(o, "C002").as_deref(), Some("Light green"));
            assert_eq!(level(o, "C003").as_deref(), Some("Dark green"));
        }),
        case(
            "scores-formulas.xlsx",
            || {
                review("Culture")
                    .row(&[s("C001"), V::F("=IF(TRUE,\"Amber\",\"\")", "Amber")])
                    .row(&[s("C002"), V::F("=\"Yel\"&\"low\"", "Yellow")])
                    .bytes()
            },
            scores_read_cleanly,
        )
        .alone(|o| {
            assert_eq!(level(o, "C001").as_deref(), Some("Amber"));
            assert_eq!(level(o, "C002").as_deref(), Some("Yellow"));
        }),
        case(
            "scores-na.xlsx",
            || review("Culture").row(&[s("C001"), V::Err("#N/A")]).bytes(),
            |o, f| {
                let p = problem(o, f, "formula-error");
                assert_eq!(p.location.to_string(), format!("{f} › Assessment › B2"));
                assert_eq!(p.found.as_deref(), Some("#N/A"));
                rows(o, f, 1, 0, 1);
            },
        ),
        case(
            "colour-only.xlsx",
            || committed("colour-only.xlsx"),
            |o, f| {
                let from_colour: Vec<_> = o
                    .problems
                    .iter()
                    .filter(|p| p.location.file == f && p.kind.code() == "score-from-colour")
                    .map(|p| p.location.cell_ref())
                    .collect();
                assert_eq!(from_colour, ["B2", "B3"]);
                // Purple is no score: reported as missing, never guessed.
                let p = problem(o, f, "missing-score");
                assert_eq!(p.location.cell_ref(), "B4");
                rows(o, f, 3, 3, 0);
            },
        )
        .alone(|o| {
            assert_eq!(level(o, "C001").as_deref(), Some("Amber"));
            assert_eq!(level(o, "C002").as_deref(), Some("Light green"));
            assert_eq!(level(o, "C003"), None);
        }),
        // Dates in every form.
        date_case(
            "date-real.xlsx",
            V::Date(2025, 3, 31),
            completed_on_31_march,
        ),
        date_case("date-serial.xlsx", V::N(45747.0), completed_on_31_march),
        date_case("date-uk-text.xlsx", s("31/03/2025"), completed_on_31_march),
        date_case("date-iso-text.xlsx", s("2025-03-31"), completed_on_31_march),
        date_case("date-nonsense.xlsx", s("next Tuesday"), |o, f| {
            let p = problem(o, f, "bad-date");
            assert_eq!(p.location.to_string(), format!("{f} › Instructions › B8"));
            assert_eq!(p.found.as_deref(), Some("next Tuesday"));
            assert_eq!(info(o, f).completed, None);
            rows(o, f, 1, 1, 0);
        }),
        case(
            "date1904.xlsx",
            || committed("date1904.xlsx"),
            |o, f| {
                no_errors(o, f);
                assert_eq!(
                    info(o, f).completed.map(|d| d.to_string()).as_deref(),
                    Some("2025-09-30")
                );
            },
        ),
        case(
            "date1904-serial.xlsx",
            || committed("date1904-serial.xlsx"),
            |o, f| {
                // A serial number in a General cell counts from 1904 too.
                no_errors(o, f);
                assert_eq!(
                    info(o, f).completed.map(|d| d.to_string()).as_deref(),
                    Some("2025-09-30")
                );
            },
        ),
        // Text.
        case(
            "long-narrative.xlsx",
            || {
                let mut r = review("Culture");
                r.headings = ["Code", "Score", "Position statement"]
                    .map(String::from)
                    .to_vec();
                let bytes = r.row(&[s("C001"), s("Amber"), s("LONGTEXT")]).bytes();
                patch_zip(&bytes, "xl/sharedStrings.xml", |x| {
                    x.replace("LONGTEXT", &"Forty thousand characters. ".repeat(1500))
                })
            },
            |o, f| {
                let p = problem(o, f, "text-truncated");
                assert!(!p.is_error());
                assert_eq!(p.location.to_string(), format!("{f} › Assessment › C2"));
                assert!(p.message.contains("40,499 characters"), "{}", p.message);
                rows(o, f, 1, 1, 0);
            },
        )
        .alone(|o| {
            let narrative =
                &o.assessment.characteristics[o.framework.find_code("C001").unwrap()].narrative;
            assert!(narrative.ends_with("[…text cut: longer than Excel allows]"));
            assert_eq!(narrative.encode_utf16().count(), 32_767);
            // And the committee workbook was written, with the cut text.
            let out = o.written.as_ref().expect("written");
            let g = sheet(out, "Characteristics");
            let c = col(&g, 0, "Position statement");
            let row = row_with(&g, 1, "C001").unwrap();
            assert_eq!(&row[c], narrative);
        }),
        case(
            "unicode.xlsx",
            || {
                let mut r = review("Culture");
                r.headings = [
                    "Code",
                    "Score",
                    "Position statement",
                    "Commentary",
                    "Gaps / areas to address",
                ]
                .map(String::from)
                .to_vec();
                r.row(&[s("C001"), s("Amber"), s(UNICODE), s(UNICODE), s(UNICODE)])
                    .bytes()
            },
            |o, f| {
                assert!(problems_of(o, f).is_empty(), "{:?}", problems_of(o, f));
            },
        )
        .alone(|o| {
            let out = o.written.as_ref().expect("written");
            let g = sheet(out, "Characteristics");
            let row = row_with(&g, 1, "C001").unwrap();
            assert_eq!(row[col(&g, 0, "Position statement")], UNICODE);
            assert_eq!(
                row[col(&g, 0, "Review round commentary and reason")],
                UNICODE
            );
        }),
        // Size: stray values far away, empty rows, too many cells.
        case(
            "stray-at-XFD1048576.xlsx",
            || {
                review("Culture")
                    .row(&[s("C001"), s("Amber")])
                    .cell(1_048_575, 16_383, s("x"))
                    .bytes()
            },
            |o, f| {
                // Read cell by cell: the stray value costs nothing, and is
                // reported where it is.
                let p = problem(o, f, "missing-code");
                assert_eq!(
                    p.location.to_string(),
                    format!("{f} › Assessment › A1048576")
                );
                let p = problem(o, f, "ignored-column");
                assert_eq!(p.location.cell_ref(), "XFD1048576");
                rows(o, f, 2, 1, 1);
            },
        )
        .alone(|o| assert_eq!(level(o, "C001").as_deref(), Some("Amber"))),
        case(
            "stray-far.xls",
            || committed("stray-far.xls"),
            |o, f| {
                unreadable(
                    o,
                    f,
                    "too-large",
                    "\"Assessment\" is declared to span A1:IV65536 (16,777,216 cells",
                )
            },
        ),
        case(
            "stray-far.ods",
            || committed("stray-far.ods"),
            |o, f| {
                unreadable(
                    o,
                    f,
                    "too-large",
                    "\"Assessment\" has values across A1:XFD1048576",
                )
            },
        ),
        case(
            "stray-mid.ods",
            || committed("stray-mid.ods"),
            |o, f| unreadable(o, f, "too-large", "A1:Z200000 (5,200,000 cells"),
        ),
        case(
            "thousands-of-blank-rows.xlsx",
            || {
                let mut r = review("Culture").row(&[s("C001"), s("Amber"), s(""), s("A gap")]);
                for _ in 0..5000 {
                    r = r.row(&[s("   "), V::Blank, s("\u{a0}")]);
                }
                r.row(&[s("C002"), s("Yellow"), s(""), s("A gap")]).bytes()
            },
            |o, f| {
                assert!(problems_of(o, f).is_empty(), "{:?}", problems_of(o, f));
                rows(o, f, 2, 2, 0);
            },
        )
        .alone(|o| assert_eq!(level(o, "C002").as_deref(), Some("Yellow"))),
        case(
            "over-a-million-cells.xlsx",
            || {
                let bytes = review("Culture").row(&[s("C001"), s("Amber")]).bytes();
                patch_zip(&bytes, "xl/worksheets/sheet2.xml", |x| {
                    let start = x.find("<sheetData>").unwrap() + "<sheetData>".len();
                    let end = x.find("</sheetData>").unwrap();
                    let mut rows = String::with_capacity(25_000_000);
                    for r in 0..1001u32 {
                        rows.push_str(&format!("<row r=\"{}\">", r + 1));
                        for c in 0..1000u16 {
                            let a1 = rust_xlsxwriter::utility::row_col_to_cell(r, c);
                            rows.push_str(&format!("<c r=\"{a1}\"><v>1</v></c>"));
                        }
                        rows.push_str("</row>");
                    }
                    format!("{}{rows}{}", &x[..start], &x[end..])
                })
            },
            |o, f| {
                let p = problem(o, f, "too-large");
                assert_eq!(p.location.to_string(), format!("{f} › Assessment"));
                assert!(
                    p.message.contains("more than 1,000,000 filled cells"),
                    "{}",
                    p.message
                );
                // Counting stopped at the limit; with the table unread the
                // workbook is not a return, and says so.
                assert_eq!(p.found.as_deref(), Some("more than 1,000,000 cells"));
                problem(o, f, "not-a-return");
                rows(o, f, 0, 0, 0);
            },
        ),
        case(
            "unpacks-to-gigabytes.xlsx",
            || {
                // A zip whose directory declares a part of 3.75 GB (as a zip
                // bomb does): refused before anything is unpacked.
                let mut b = good();
                let central = b.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
                let local =
                    u32::from_le_bytes(b[central + 42..central + 46].try_into().unwrap()) as usize;
                b[central + 24..central + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
                b[local + 22..local + 26].copy_from_slice(&0xF000_0000u32.to_le_bytes());
                b
            },
            |o, f| unreadable(o, f, "too-large", "unpack to 3840 MB"),
        ),
        case(
            "wide-and-long.xlsx",
            || {
                // 100,000 rows holding only a space, then one row with
                // values in 5,000 columns without a heading: each such
                // column is reported once, in one pass over the sheet.
                let bytes = review("Culture").row(&[s("C001"), s("Amber")]).bytes();
                patch_zip(&bytes, "xl/worksheets/sheet2.xml", |x| {
                    let end = x.find("</sheetData>").unwrap();
                    let mut rows = String::with_capacity(8_000_000);
                    for r in 3..100_003u32 {
                        rows.push_str(&format!(
                            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c></row>"
                        ));
                    }
                    rows.push_str("<row r=\"100003\">");
                    for c in 10..5_010u16 {
                        let a1 = rust_xlsxwriter::utility::row_col_to_cell(100_002, c);
                        rows.push_str(&format!("<c r=\"{a1}\"><v>1</v></c>"));
                    }
                    rows.push_str("</row>");
                    format!("{}{rows}{}", &x[..end], &x[end..])
                })
            },
            |o, f| {
                let unheaded = o
                    .problems
                    .iter()
                    .filter(|p| p.location.file == f && p.kind.code() == "ignored-column")
                    .count();
                assert_eq!(unheaded, 5_000);
                problem(o, f, "missing-code");
                rows(o, f, 2, 1, 1);
            },
        ),
        case(
            "ten-thousand-merged-areas.xlsx",
            || {
                let bytes = review("Culture").row(&[s("C001"), s("Amber")]).bytes();
                patch_zip(&bytes, "xl/worksheets/sheet2.xml", |x| {
                    let at = x.find("</sheetData>").unwrap() + "</sheetData>".len();
                    let mut m = String::from("<mergeCells count=\"10001\">");
                    for r in 10..10_011u32 {
                        m.push_str(&format!("<mergeCell ref=\"D{r}:E{r}\"/>"));
                    }
                    m.push_str("</mergeCells>");
                    format!("{}{m}{}", &x[..at], &x[at..])
                })
            },
            |o, f| {
                let p = problem(o, f, "too-large");
                assert_eq!(p.location.to_string(), format!("{f} › Assessment"));
                assert!(
                    p.message.contains("more than 10,000 merged areas"),
                    "{}",
                    p.message
                );
                assert_eq!(p.found.as_deref(), Some("10,001 merged areas"));
            },
        ),
        // Rounds, themes and codes across files.
        case(
            "same-code-a.xlsx",
            || review("Governance").row(&[s("G001"), s("Amber")]).bytes(),
            // Both sides of a conflict are told, and neither row is used.
            |o, f| {
                let p = problem(o, f, "duplicate-code-conflict");
                assert!(p.message.contains("same-code-b.xlsx"), "{}", p.message);
                rows(o, f, 1, 0, 1);
            },
        ),
        case(
            "same-code-b.xlsx",
            || review("Governance").row(&[s("G001"), s("Yellow")]).bytes(),
            |o, f| {
                let p = problem(o, f, "duplicate-code-conflict");
                assert!(p.message.contains("same-code-a.xlsx"), "{}", p.message);
                assert!(p.message.contains("neither score was used"));
                rows(o, f, 1, 0, 1);
            },
        ),
        case(
            "unknown-round.xlsx",
            || {
                review("Culture")
                    .detail("Round", s("Round 7"))
                    .row(&[s("C001"), s("Amber")])
                    .bytes()
            },
            |o, f| {
                let p = problem(o, f, "unknown-round");
                assert_eq!(p.found.as_deref(), Some("Round 7"));
                assert!(p.hint.contains("\"Review\""), "{}", p.hint);
                rows(o, f, 1, 0, 1);
            },
        ),
        case(
            "unknown-theme.xlsx",
            || review("Ethics").row(&[s("C001"), s("Amber")]).bytes(),
            |o, f| {
                let p = problem(o, f, "unknown-theme");
                assert_eq!(p.found.as_deref(), Some("Ethics"));
                assert_eq!(p.location.to_string(), format!("{f} › Instructions › B6"));
            },
        ),
    ]
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
