//! Reading details that the speed work touched: merged cells are still
//! read as Excel shows them, and reading does not depend on file order.

use crate::common::*;
use rust_xlsxwriter::{Format, Workbook};

/// A review return whose score is typed once in a cell merged down three
/// rows, as officers do for a block of characteristics.
fn merged_score_return(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let ins = wb.add_worksheet().set_name("Instructions").unwrap();
    for (r, (k, v)) in [
        ("Return type", "Assessment"),
        ("Round", "Review"),
        ("Themes", "Continuous Improvement"),
        ("Completed by", "Pat Example"),
    ]
    .iter()
    .enumerate()
    {
        ins.write_string(r as u32, 0, *k).unwrap();
        ins.write_string(r as u32, 1, *v).unwrap();
    }
    let ws = wb.add_worksheet().set_name("Assessment").unwrap();
    for (c, h) in ["Code", "Score", "Commentary"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, code) in ["CI001", "CI002", "CI003"].iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *code).unwrap();
        ws.write_string(1 + i as u32, 2, "Evidence seen.").unwrap();
    }
    ws.merge_range(1, 1, 3, 1, "Light green", &Format::new())
        .unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_score_in_a_merged_cell_applies_to_every_row_of_it() {
    let d = Dir::new();
    merged_score_return(&d.returns().join("Review - CI.xlsx"));
    let o = build(&[d.returns()], &d.path("committee.xlsx"));
    let fw = &o.framework;
    for code in ["CI001", "CI002", "CI003"] {
        let c = fw.find_code(code).unwrap();
        let level = o.assessment.level(c).map(|l| fw.scale[l].label.as_str());
        assert_eq!(level, Some("Light green"), "{code}");
    }
}

#[test]
fn files_read_in_parallel_give_the_same_records_as_one_by_one() {
    let fw = bestvalue::framework::Framework::default_framework();
    let found = bestvalue::read::discover(&[samples()], None).unwrap();
    let together = bestvalue::read_returns(&found.files, found.skipped.clone(), &fw);
    let mut one_by_one = Vec::new();
    for f in &found.files {
        let r = bestvalue::read_returns(std::slice::from_ref(f), Vec::new(), &fw);
        one_by_one.extend(r.entries.iter().map(|e| (e.source.clone(), e.score)));
    }
    let got: Vec<_> = together
        .entries
        .iter()
        .map(|e| (e.source.clone(), e.score))
        .collect();
    assert_eq!(got, one_by_one);
    assert_eq!(together.returns.len(), found.files.len());
}
