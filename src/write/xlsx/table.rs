//! Real tables: a range declared as an Excel table, so a screen reader
//! knows its heading row and reads each cell with its column's heading,
//! and Excel offers its filter buttons. The cells keep their own formats
//! (the table has no style of its own, which would colour them again).

use rust_xlsxwriter::{Format, Table, TableColumn, TableStyle, Worksheet, XlsxError};

/// Declares rows `first_row` (the headings) to `last_row` and columns from
/// `first_col` across `headings` as a table named `name`, described by
/// `alt_text` for screen readers. Each heading is written in its own
/// format; write the data cells before or after. A table needs at least
/// one row under its headings. `name` must be unique in the workbook and
/// is made a valid table name here (letters, digits and underscores).
pub fn table(
    ws: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    last_row: u32,
    headings: &[(&str, &Format)],
    name: &str,
    alt_text: &str,
) -> Result<(), XlsxError> {
    if headings.is_empty() || last_row <= first_row {
        return Err(XlsxError::TableError(format!(
            "table {name} needs headings and a row under them"
        )));
    }
    let columns: Vec<TableColumn> = headings
        .iter()
        .map(|(h, f)| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format((*f).clone())
        })
        .collect();
    let t = Table::new()
        .set_name(table_name(name))
        .set_style(TableStyle::None)
        .set_banded_rows(false)
        .set_columns(&columns)
        .set_alt_text(alt_text);
    let last_col = first_col + headings.len() as u16 - 1;
    ws.add_table(first_row, first_col, last_row, last_col, &t)?;
    Ok(())
}

/// A valid Excel table name from any text: letters, digits and
/// underscores, starting with a letter, never read as a cell reference.
pub fn table_name(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    let s = s.trim_matches('_');
    // "T_" keeps a name like "A1" or "R2C3" from reading as a cell.
    format!("T_{}", if s.is_empty() { "table" } else { s })
        .chars()
        .take(255)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid() {
        assert_eq!(
            table_name("Actions: 3 Governance"),
            "T_Actions_3_Governance"
        );
        assert_eq!(table_name("A1"), "T_A1");
        assert_eq!(table_name("—"), "T_table");
    }

    #[test]
    fn a_table_needs_a_row_under_its_headings() {
        let mut ws = Worksheet::new();
        let f = Format::new();
        assert!(table(&mut ws, (0, 0), 0, &[("A", &f)], "x", "x").is_err());
        assert!(table(&mut ws, (0, 0), 1, &[], "x", "x").is_err());
        assert!(table(&mut ws, (0, 0), 1, &[("A", &f), ("B", &f)], "x", "alt").is_ok());
    }
}
