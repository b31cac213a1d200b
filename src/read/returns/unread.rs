//! What is reported when a file, or a sheet of it, cannot be read: one
//! problem for each way reading can fail, saying where and why.

use super::{ReadReturn, columns};
use crate::framework::Framework;
use crate::problems::{Kind, Location, Problem, Problems};
use crate::read::{Book, OpenFailure, cells};
use crate::records::ReturnInfo;

/// The problem for a file that could not be read, and nothing else.
pub(super) fn failed(display: &str, failure: OpenFailure) -> ReadReturn {
    let mut problems = Problems::default();
    let loc = Location::file(display);
    let p = match failure {
        OpenFailure::Password => Problem::new(
            Kind::PasswordProtected,
            loc,
            "The workbook is protected with a password, so it cannot be read.",
        )
        .hint("Ask the officer to remove the password and send the return again: in Excel, File › Info › Protect Workbook › Encrypt with Password, clear the password and save; in LibreOffice, File › Save As with \"Save with password\" unticked."),
        OpenFailure::Damaged(why) | OpenFailure::NotSpreadsheet(why) => {
            Problem::new(Kind::CannotOpen, loc, format!("This file could not be opened: {why}"))
                .hint("Ask the officer to open the return in Excel, use Save As › Excel Workbook (.xlsx), and send it again.")
        }
        OpenFailure::DamagedSheet { sheet, last, inside, why } => {
            let a1 = |(r, c): (u32, u16)| rust_xlsxwriter::utility::row_col_to_cell(r, c);
            let (loc, place) = match last {
                Some((r, c)) => (
                    Location::cell(display, &sheet, r, c),
                    if inside {
                        format!("in cell {}", a1((r, c)))
                    } else {
                        format!("after cell {}, the last cell that could be read", a1((r, c)))
                    },
                ),
                None => (
                    Location { file: display.to_string(), sheet: Some(sheet.clone()), ..Location::default() },
                    "before its first cell".to_string(),
                ),
            };
            Problem::new(
                Kind::CannotOpen,
                loc,
                format!("The sheet \"{sheet}\" is damaged {place}: {why}. A return is used whole or not at all, so nothing in this file was used."),
            )
            .hint("Ask the officer to open the return in Excel, check the sheet is complete, use Save As › Excel Workbook (.xlsx), and send it again.")
        }
        OpenFailure::Unreadable(why) => {
            Problem::new(Kind::CannotOpen, loc, format!("This file was not read: {why}"))
                .hint("Once the file can be read from this computer, run again. The file itself may be fine.")
        }
        OpenFailure::TooLarge(why) => Problem::new(Kind::TooLarge, loc, format!("This file was not read: {why}"))
            .hint("Check it is the right file; a return is a small workbook. Remove stray content far below or to the right of the table."),
    };
    problems.push(p);
    ReadReturn {
        info: ReturnInfo::new(display),
        entries: Vec::new(),
        actions: Vec::new(),
        problems,
    }
}

/// No table found: says where headings were looked for, where they are if
/// they are further down, and which sheets were not read at all.
pub(super) fn not_a_return(
    display: &str,
    sheets: &[crate::read::Grid],
    book: &Book,
    fw: &Framework,
    round: Option<usize>,
) -> Problem {
    use columns::HEADER_SEARCH_ROWS;
    // Looked for a little further down, only to say so: the table must
    // still start within the rows searched.
    let below = sheets.iter().filter(|g| !g.hidden).find_map(|g| {
        let scan = columns::scan_rows(g, fw, HEADER_SEARCH_ROWS..HEADER_SEARCH_ROWS * 100);
        columns::choose(&scan, round).map(|h| (g.name.as_str(), h.row))
    });
    let message = match below {
        Some((sheet, row)) => format!(
            "No sheet in this workbook has the headings of a return in its first {HEADER_SEARCH_ROWS} rows, where they are looked for: the sheet \"{sheet}\" has them in row {}.",
            row + 1
        ),
        None => format!(
            "No sheet in this workbook has the headings of a return (for example Code and Score, or Action ID and Status) in its first {HEADER_SEARCH_ROWS} rows."
        ),
    };
    let hint = if below.is_some() {
        format!(
            "Delete the empty or extra rows above the headings so that they are within the first {HEADER_SEARCH_ROWS} rows."
        )
    } else {
        "Send the return in the workbook it was issued in, with its heading row intact.".to_string()
    };
    let mut found = format!(
        "sheets: {}",
        sheets
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !book.too_large.is_empty() {
        let names: Vec<&str> = book.too_large.iter().map(|(n, _)| n.as_str()).collect();
        found.push_str(&format!("; not read as too large: {}", names.join(", ")));
    }
    Problem::new(Kind::NotAReturn, Location::file(display), message)
        .found(found)
        .hint(hint)
}

/// A sheet over one of the reading limits, as a problem for its file.
pub(super) fn too_large(display: &str, sheet: &str, limit: &crate::read::SheetLimit) -> Problem {
    use crate::read::SheetLimit;
    use crate::read::workbook::{MAX_CELLS_PER_SHEET, MAX_MERGED_AREAS};
    let (message, found) = match limit {
        SheetLimit::Cells(n) => (
            format!(
                "The sheet has more than {} filled cells, so it was not read.",
                cells::thousands(MAX_CELLS_PER_SHEET as u64)
            ),
            format!("more than {} cells", cells::thousands(*n as u64)),
        ),
        SheetLimit::WorkbookCells => (
            format!(
                "The workbook's sheets hold more than {} filled cells in all by the end of this one, so it was not read.",
                cells::thousands(MAX_CELLS_PER_SHEET as u64)
            ),
            String::new(),
        ),
        SheetLimit::Text => (
            format!(
                "The workbook's cells hold more than {} MB of text in all by the end of this sheet, so it was not read.",
                crate::read::workbook::MAX_TEXT_BYTES / (1024 * 1024)
            ),
            String::new(),
        ),
        SheetLimit::TableRows(n) => (
            format!(
                "The table has more than {} rows, so it was not read.",
                cells::thousands(crate::read::workbook::MAX_TABLE_ROWS as u64)
            ),
            format!("{} rows", cells::thousands(*n as u64)),
        ),
        SheetLimit::MergedAreas(n) => (
            format!(
                "The sheet has more than {} merged areas, so it was not read.",
                cells::thousands(MAX_MERGED_AREAS as u64)
            ),
            format!("{} merged areas", cells::thousands(*n as u64)),
        ),
    };
    Problem::new(
        Kind::TooLarge,
        Location {
            file: display.to_string(),
            sheet: Some(sheet.to_string()),
            ..Location::default()
        },
        message,
    )
    .found(found)
    .hint("Delete stray content outside the return's table, or copy the table into a new workbook.")
}
