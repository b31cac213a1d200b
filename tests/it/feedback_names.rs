//! Sheet names Excel finds awkward, in returns with problems: apostrophes,
//! ampersands, 31 characters (the most Excel allows), names over that or
//! with characters Excel refuses (in an .ods, which allows them), names
//! that clash once cut, and an officer's own sheet called "Problems". Each
//! feedback workbook names its sheets as Excel requires, marks the right
//! cells, and every link on its list goes to a sheet it has and a marked
//! cell there.

use std::path::Path;

use crate::common::*;
use crate::feedback::{all_sheets, fill_at, links, ods, row};
use crate::feedback_template::ooxml_check;

const HIGHLIGHT: &str = "#CC99FF";

/// A link's sheet and cell, from `'O''Brien''s'!B2`.
fn target(link: &str) -> (String, String) {
    let (sheet, cell) = link.rsplit_once('!').unwrap();
    let sheet = sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or_else(|| panic!("the sheet name is quoted: {link}"))
        .replace("''", "'");
    (sheet, cell.to_string())
}

/// Every link of the list goes to a sheet of the workbook and to a cell
/// marked with the highlight there; gives the sheets linked to.
fn links_land_on_marks(copy: &Path, list: &str) -> Vec<String> {
    let names: Vec<String> = all_sheets(copy).into_iter().map(|(n, _)| n).collect();
    let mut sheets = Vec::new();
    let found = links(copy, list);
    assert!(!found.is_empty());
    for link in found {
        let (sheet, cell) = target(&link);
        assert!(
            names.contains(&sheet),
            "{link}: no sheet {sheet:?} in {names:?}"
        );
        assert_eq!(
            fill_at(copy, &sheet, &cell).as_deref(),
            Some(HIGHLIGHT),
            "{link}"
        );
        if !sheets.contains(&sheet) {
            sheets.push(sheet);
        }
    }
    sheets
}

#[test]
fn apostrophes_ampersands_and_31_characters_in_an_xlsx() {
    let d = Dir::new();
    let name = "O'Brien's scores & notes, 2025!";
    assert_eq!(name.chars().count(), 31);
    let mut r = Ret::assessment("Review", "Culture", "Alex Reviewer")
        .row(&[s("C001"), s("Purple")])
        .row(&[s("C002"), s("Ambre")]);
    r.sheet = name.into();
    d.put("Review - Culture.xlsx", &r);
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&copy).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Problems", "Instructions", name]);
    assert_eq!(
        links(&copy, "Problems"),
        [
            "'O''Brien''s scores & notes, 2025!'!B2",
            "'O''Brien''s scores & notes, 2025!'!B3"
        ]
    );
    assert_eq!(links_land_on_marks(&copy, "Problems"), [name]);
    ooxml_check(&copy);

    // Sent back and checked again: one list, the links still land.
    let again = d.path("fb2");
    let (code, _, err) = cli(&[
        "check",
        copy.to_str().unwrap(),
        "--feedback",
        again.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let second = again.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&second).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Problems", "Instructions", name]);
    assert_eq!(links_land_on_marks(&second, "Problems"), [name]);
    ooxml_check(&second);
}

#[test]
fn names_excel_refuses_or_that_clash_once_cut_in_an_ods() {
    let d = Dir::new();
    let table = "The council's culture: draft one (Review)";
    let other = "The council's culture: draft one (notes)";
    ods(
        &d.returns().join("Review - Culture.ods"),
        &[
            (
                "Instructions",
                vec![
                    row(&["Return for testing"]),
                    row(&[]),
                    row(&["Return type", "Assessment"]),
                    row(&["Round", "Review"]),
                    row(&["Themes", "Culture"]),
                    row(&["Completed by", "Alex Reviewer"]),
                ],
            ),
            (other, vec![row(&["Our working notes"])]),
            (
                table,
                vec![
                    row(&["Code", "Score", "Commentary"]),
                    row(&["C001", "Purple", "Fine."]),
                    row(&["C002", "Ambre", "Fine."]),
                ],
            ),
            ("Problems", vec![row(&["Our own list of problems"])]),
        ],
    );
    let fb = d.path("fb");
    let (code, _, err) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--feedback",
        fb.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let copy = fb.join("Review - Culture.xlsx");
    let names: Vec<String> = all_sheets(&copy).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "Corrections",
            "Instructions",
            "The council's culture_ draft on",
            "The council's culture_ draf (2)",
            "Problems"
        ],
        "in the .ods's order, the table's sheet second of the two"
    );
    // The list links to the table's sheet under its new name.
    assert_eq!(
        links_land_on_marks(&copy, "Corrections"),
        ["The council's culture_ draf (2)"]
    );
    let said: String = sheet(&copy, "Corrections")
        .iter()
        .map(|r| r[0].clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        said.contains(&format!("\"{table}\"")),
        "the list says what was renamed: {said}"
    );
    assert_eq!(sheet(&copy, "Problems")[0][0], "Our own list of problems");
    ooxml_check(&copy);
}
