//! The toolkit's cells, rules and properties, checked in the written file:
//! values read back with calamine, formats and rules in the sheet's XML.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::levels::{colour_by_row, colour_by_value, scale_labels, when_equal};
use super::style::{BLACK, WHITE, text_colour_on};
use super::{date, properties, text};
use crate::framework::Framework;

/// Writes one sheet with `fill`, returning the workbook's bytes.
fn book(fill: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = Workbook::new();
    fill(wb.add_worksheet()).expect("sheet written");
    wb.save_to_buffer().expect("workbook saved")
}

/// One part of the package as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("part present")
        .read_to_string(&mut s)
        .expect("UTF-8");
    s
}

fn cell(bytes: &[u8], row: u32, col: u32) -> Data {
    let mut xl: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("readable");
    let range = xl.worksheet_range_at(0).expect("a sheet").expect("values");
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn officers_text_that_looks_like_a_formula_stays_text() {
    let bytes = book(|ws| text(ws, 0, 0, "=SUM(A1:A9)", &Format::new()));
    assert_eq!(cell(&bytes, 0, 0), Data::String("=SUM(A1:A9)".into()));
    assert!(!part(&bytes, "xl/worksheets/sheet1.xml").contains("<f>"));
    assert!(part(&bytes, "xl/styles.xml").contains("quotePrefix=\"1\""));
}

#[test]
fn text_too_long_for_a_cell_is_cut_and_marked() {
    let long = "x".repeat(40_000);
    let bytes = book(|ws| text(ws, 0, 0, &long, &Format::new()));
    let Data::String(s) = cell(&bytes, 0, 0) else {
        panic!("text expected")
    };
    assert_eq!(s.encode_utf16().count(), 32_767);
    assert!(s.ends_with(crate::read::cells::CUT_MARKER));
}

#[test]
fn dates_are_excel_dates() {
    let d = NaiveDate::from_ymd_opt(2025, 10, 31).unwrap();
    let bytes = book(|ws| date(ws, 0, 0, d, &super::style::uk_date(Format::new())));
    // 45961 is 31/10/2025 in Excel's 1900 date system.
    assert!(part(&bytes, "xl/worksheets/sheet1.xml").contains("<v>45961</v>"));
    assert!(part(&bytes, "xl/styles.xml").contains("formatCode=\"dd/mm/yyyy\""));
}

#[test]
fn text_colour_reads_on_its_fill() {
    assert_eq!(text_colour_on("#1F3864"), WHITE);
    assert_eq!(text_colour_on("#FFF2CC"), BLACK);
    assert_eq!(text_colour_on("#C00000"), WHITE);
}

#[test]
fn one_rule_per_level_over_the_range() {
    let fw = Framework::default_framework();
    let bytes = book(|ws| colour_by_value(ws, ((1, 2), (9, 2)), &scale_labels(&fw)));
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(xml.matches("<cfRule").count(), fw.scale.len());
    assert!(xml.contains("sqref=\"C2:C10\""));
    for level in &fw.scale {
        assert!(xml.contains(&format!("<formula>\"{}\"</formula>", level.label)));
    }
    // Each rule's fill and text colour.
    let styles = part(&bytes, "xl/styles.xml");
    for level in &fw.scale {
        let fill = level.fill.trim_start_matches('#');
        assert!(styles.contains(fill), "{} fill missing", level.label);
    }
}

#[test]
fn an_empty_range_gets_no_rule() {
    let bytes = book(|ws| {
        when_equal(ws, ((5, 0), (4, 0)), "Overdue", &Format::new().set_bold())?;
        ws.write_string(0, 0, "x")?;
        Ok(())
    });
    assert!(!part(&bytes, "xl/worksheets/sheet1.xml").contains("<cfRule"));
}

#[test]
fn a_block_takes_the_colour_of_its_key_row() {
    let bytes = book(|ws| colour_by_row(ws, ((3, 2), (4, 5)), 4, &[("Amber", "#FFC000")]));
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("sqref=\"C4:F5\""));
    // Relative to the block's first column (C), fixed to the key row (5).
    assert!(xml.contains("<formula>C$5=\"Amber\"</formula>"), "{xml}");
}

#[test]
fn the_creation_date_comes_from_the_data_or_is_fixed() {
    let core = |created| {
        let mut wb = Workbook::new();
        wb.set_properties(&properties::dated(created).unwrap());
        wb.add_worksheet();
        part(&wb.save_to_buffer().unwrap(), "docProps/core.xml")
    };
    let as_at = NaiveDate::from_ymd_opt(2025, 10, 31);
    assert!(core(as_at).contains("2025-10-31T00:00:00Z"));
    assert!(core(None).contains("2000-01-01T00:00:00Z"));
}
