//! The corpus, part two: what officers type (scores, dates, text), sizes,
//! and rounds, themes and codes across files.

use super::*;

pub(super) fn cases() -> Vec<Case> {
    vec![
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
                // column is counted once, in one pass over the sheet.
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
                // The first 1,000 listed, the rest counted (and said).
                let unheaded: Vec<_> = o
                    .problems
                    .iter()
                    .filter(|p| p.location.file == f && p.kind.code() == "ignored-column")
                    .collect();
                assert_eq!(unheaded.len(), 1_001);
                assert_eq!(unheaded.iter().map(|p| p.more.max(1)).sum::<usize>(), 5_000);
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
