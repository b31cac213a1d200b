//! Checks a workbook's size before calamine reads it. calamine reads an
//! .xls or .ods file whole when it opens it, into one dense grid per sheet
//! (every cell between the first and last used one, 32 bytes each). One
//! stray value at IV65536 makes that half a gigabyte, and a damaged size
//! record can ask for more memory than exists. So the sizes are worked out
//! here first, from the file's own records, without building any grid:
//!
//! - zip-based files (.xlsx, .ods): the unpacked size of every part, as the
//!   zip's directory declares it (the unzipper refuses to unpack more than
//!   declared, so this bounds every later read);
//! - .ods: each sheet's bounding box, from the row and cell elements and
//!   their repeat counts;
//! - .xls: each sheet's declared dimension record, and the bounding box of
//!   its cell records.
//!
//! A workbook over a limit is refused as too large, naming the sheet, before
//! any dense read. Anything this scan cannot make sense of is left to
//! calamine, which reports damage in its own words.
//!
//! The zip limit and the size of a used area are here; the .ods and .xls
//! record readers are in [`ods`] and [`xls`].

mod ods;
mod xls;

use std::io::Cursor;

use super::cells::thousands;
use super::workbook::{MAX_CELLS_PER_SHEET, OpenFailure};

pub use ods::check_ods;
pub use xls::{Compound, check_compound, prepare_xls};

/// The most a zip-based workbook may unpack to, all parts together. A
/// return unpacks to a few megabytes; a million-cell sheet to about 50 MB.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The used area of one sheet: first and last row and column, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub first: (u64, u64),
    pub last: (u64, u64),
}

impl Bounds {
    #[cfg(test)]
    fn of(row: u64, col: u64) -> Bounds {
        Bounds {
            first: (row, col),
            last: (row, col),
        }
    }

    fn add(this: &mut Option<Bounds>, rows: (u64, u64), cols: (u64, u64)) {
        match this {
            None => {
                *this = Some(Bounds {
                    first: (rows.0, cols.0),
                    last: (rows.1, cols.1),
                })
            }
            Some(b) => {
                b.first.0 = b.first.0.min(rows.0);
                b.first.1 = b.first.1.min(cols.0);
                b.last.0 = b.last.0.max(rows.1);
                b.last.1 = b.last.1.max(cols.1);
            }
        }
    }

    /// Cells in the box, counting the empty ones inside it.
    pub fn cells(&self) -> u64 {
        let rows = self.last.0.saturating_sub(self.first.0).saturating_add(1);
        let cols = self.last.1.saturating_sub(self.first.1).saturating_add(1);
        rows.saturating_mul(cols)
    }

    /// `A1:IV65536`, or the row and column numbers when beyond Excel's grid.
    pub fn a1(&self) -> String {
        let cell = |(r, c): (u64, u64)| match (u32::try_from(r), u16::try_from(c)) {
            (Ok(r), Ok(c)) if r < 1_048_576 && c < 16_384 => {
                rust_xlsxwriter::utility::row_col_to_cell(r, c)
            }
            _ => format!("row {} column {}", r.saturating_add(1), c.saturating_add(1)),
        };
        format!("{}:{}", cell(self.first), cell(self.last))
    }
}

fn too_large_sheet(sheet: &str, b: &Bounds, what: &str) -> OpenFailure {
    OpenFailure::TooLarge(format!(
        "its sheet \"{sheet}\" {what} {} ({} cells, counting the empty ones between), more than the {} read from one sheet. One stray value far below or to the right of the table is the usual cause.",
        b.a1(),
        thousands(b.cells()),
        thousands(MAX_CELLS_PER_SHEET as u64)
    ))
}

/// Refuses a zip whose parts unpack to more than [`MAX_UNPACKED_BYTES`].
pub fn check_zip(bytes: &[u8]) -> Result<(), OpenFailure> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports the damage.
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        total = total.saturating_add(f.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(OpenFailure::TooLarge(format!(
            "its contents unpack to {} MB, more than the {} MB read from one workbook.",
            total / (1024 * 1024),
            MAX_UNPACKED_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_count_and_name_their_cells() {
        let b = Bounds {
            first: (0, 0),
            last: (65_535, 255),
        };
        assert_eq!(b.cells(), 16_777_216);
        assert_eq!(b.a1(), "A1:IV65536");
        let far = Bounds::of(2_000_000, 3);
        assert_eq!(far.a1(), "row 2000001 column 4:row 2000001 column 4");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
