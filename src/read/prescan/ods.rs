//! The used area of each sheet of an .ods file, from the row and cell
//! elements of its content and their repeat counts, without building any grid.

use std::io::{Cursor, Read};

use super::{Bounds, MAX_UNPACKED_BYTES, check_zip, too_large_sheet};
use crate::read::workbook::{MAX_CELLS_PER_SHEET, OpenFailure};

/// Refuses an .ods file with a sheet whose used area is over the limit.
pub fn check_ods(bytes: &[u8]) -> Result<(), OpenFailure> {
    check_zip(bytes)?;
    for (name, b) in ods_bounds(bytes) {
        if b.cells() > MAX_CELLS_PER_SHEET as u64 {
            return Err(too_large_sheet(&name, &b, "has values across"));
        }
    }
    Ok(())
}

/// Each sheet's used area in an .ods file, as far as it could be read.
pub fn ods_bounds(bytes: &[u8]) -> Vec<(String, Bounds)> {
    use quick_xml::events::Event;

    let mut out = Vec::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return out;
    };
    let content = std::io::BufReader::new(content.take(MAX_UNPACKED_BYTES));
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();

    // The sheet being read (nested tables inside cells are ignored).
    let mut sheet: Option<(String, Option<Bounds>)> = None;
    let mut depth = 0usize; // of table:table elements
    let mut row: u64 = 0;
    let mut row_repeats: u64 = 1;
    let mut col: u64 = 0;
    // The cell being read: its column repeats, and whether it has a value.
    let mut cell: Option<(u64, bool)> = None;

    let repeats = |e: &quick_xml::events::BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has_value = |e: &quick_xml::events::BytesStart| {
        e.attributes().flatten().any(|a| {
            matches!(
                a.key.as_ref(),
                "office:value-type" | "table:formula" | "office:value"
            )
        })
    };

    loop {
        let ev = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                depth += 1;
                if depth == 1 {
                    let name = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    sheet = Some((name, None));
                    row = 0;
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if depth == 1
                    && let Some((name, Some(b))) = sheet.take()
                {
                    out.push((name, b));
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth != 1 => {}
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeats = repeats(&e, "table:number-rows-repeated");
                col = 0;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeats(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeats);
                row_repeats = 1;
            }
            Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let n = repeats(&e, "table:number-columns-repeated");
                if has_value(&e)
                    && let Some((_, b)) = sheet.as_mut()
                {
                    add_cells(b, row, row_repeats, col, n);
                }
                col = col.saturating_add(n);
            }
            Event::Start(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                cell = Some((repeats(&e, "table:number-columns-repeated"), has_value(&e)));
            }
            Event::Text(t) => {
                if let Some((_, value)) = cell.as_mut()
                    && t.as_ref().chars().any(|c| !c.is_whitespace())
                {
                    *value = true;
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some((n, value)) = cell.take() {
                    if value && let Some((_, b)) = sheet.as_mut() {
                        add_cells(b, row, row_repeats, col, n);
                    }
                    col = col.saturating_add(n);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

fn add_cells(b: &mut Option<Bounds>, row: u64, row_repeats: u64, col: u64, n: u64) {
    let last_row = row.saturating_add(row_repeats - 1);
    let last_col = col.saturating_add(n - 1);
    Bounds::add(b, (row, last_row), (col, last_col));
}
