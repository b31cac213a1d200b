//! Next year's assessment starts from this year's: a Draft return made from
//! a committee workbook that has reached its final round shows every
//! characteristic's final score, position statement and evidence as last
//! year's, and is read back, filled in, with no problem about its columns;
//! checked with calamine, openpyxl and LibreOffice.

use crate::common::{build, col, row_with, sheet};
use crate::next_month::{october, openpyxl_values};
use crate::officer::{Edits, Template, is_locked, text};
use bestvalue::framework::Framework;
use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

#[test]
fn next_years_draft_starts_from_this_years_final_scores() {
    let d = crate::common::Dir::new();
    let committee = october(d.tmp.path());
    let ch = sheet(&committee, "Characteristics");
    let at = |h: &str| col(&ch, 0, h);
    let (code, fin, pos, ev) = (
        at("Code"),
        at("Final score"),
        at("Position statement"),
        at("Evidence"),
    );
    let mut cfg = TemplateConfig::new(
        TemplateKind::Assessment {
            round: "Draft".into(),
            themes: vec![],
            all_in_one: true,
        },
        d.path("draft"),
    );
    cfg.from = vec![committee.clone()];
    let w = write_templates(&cfg).unwrap();
    assert!(
        w.notes.iter().any(|n| n.contains("shown as last year's")),
        "{:?}",
        w.notes
    );
    let tpl = &w.files[0];
    let t = Template::open(tpl);
    assert_eq!(t.detail_value("Authority"), "Eastmoor Borough Council");
    let check_rows = |grid: &[Vec<String>]| {
        let c = |h: &str| col(grid, 0, h);
        let mut n = 0;
        for r in &ch[1..] {
            let row = row_with(grid, c("Code"), &r[code]).unwrap_or_else(|| panic!("{}", r[code]));
            assert_eq!(row[c("Last year's score")], r[fin], "{}", r[code]);
            assert_eq!(
                row[c("Last year's position statement")],
                r[pos],
                "{}",
                r[code]
            );
            assert_eq!(row[c("Last year's evidence")], r[ev], "{}", r[code]);
            assert_eq!(row[c("Position statement")], "", "this year's is to write");
            n += 1;
        }
        assert_eq!(n, 74);
    };
    check_rows(t.grid("Assessment"));
    let l009 = |h: &str| t.cell("Assessment", "Code", "L009", h);
    assert_eq!(
        t.value("Assessment", "Code", "L009", "Last year's score"),
        "Grey"
    );
    assert!(is_locked(
        tpl,
        "Assessment",
        &l009("Last year's position statement")
    ));
    assert!(!is_locked(tpl, "Assessment", &l009("Position statement")));
    assert!(
        t.grid("Instructions")
            .iter()
            .flatten()
            .any(|s| s.contains("“Last year's” columns")),
        "the instructions say what the columns are"
    );

    // Filled in, it is read with no problem about its columns.
    let mut e = Edits::default();
    e.set(
        "Instructions",
        &t.detail("Completed by"),
        text("Rebecca Halloran"),
    );
    e.set(
        "Assessment",
        &l009("Position statement"),
        text("Still for members to decide."),
    );
    let filled = d.path("returns/Draft - All themes.xlsx");
    std::fs::create_dir_all(filled.parent().unwrap()).unwrap();
    crate::officer::fill(tpl, &filled, &e);
    let o = build(std::slice::from_ref(&filled), &d.path("draft.xlsx"));
    let own: Vec<_> = o
        .problems
        .iter()
        .filter(|p| p.location.file != "All returns")
        .map(|p| format!("{} {}", p.kind.code(), p.message))
        .collect();
    assert!(own.is_empty(), "{own:#?}");

    if crate::officer::has_openpyxl() {
        let v = openpyxl_values(tpl);
        check_rows(&v["Assessment"]);
    }
    if crate::officer::has_soffice() {
        // Re-saved by LibreOffice, as .xlsx and .ods: the same columns and
        // values, and the filled return still reads without a problem.
        let resaved = crate::officer::convert(tpl, "xlsx", &d.path("lo"));
        check_rows(Template::open(&resaved).grid("Assessment"));
        if crate::officer::has_openpyxl() {
            check_rows(&openpyxl_values(&resaved)["Assessment"]);
        }
        let ods = crate::officer::convert(&filled, "ods", &d.path("lo-ods"));
        let o = build(&[ods], &d.path("draft-ods.xlsx"));
        assert!(
            o.problems.iter().all(|p| p.location.file == "All returns"),
            "{:#?}",
            crate::common::codes(&o)
        );
        assert_eq!(
            o.assessment.characteristics[Framework::default_framework().find_code("L009").unwrap()]
                .narrative,
            "Still for members to decide."
        );
    }
}
