//! The corpus, part one: files that cannot be opened, lock files, other
//! formats and workbooks that are not what the tool expects.

use super::*;

pub(super) fn cases() -> Vec<Case> {
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
            |o, f| unreadable(o, f, "cannot-open", "separated by commas or tabs (CSV)"),
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
            |o, f| unreadable(o, f, "cannot-open", "the file is a Word document"),
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
    ]
}
