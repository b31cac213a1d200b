//! One sheet's cells held sparsely, and the limits that bound what reading
//! a workbook may hold in memory, whatever its sheets declare: filled cells
//! per sheet and per workbook, and text per workbook. (Text, because one
//! long shared string used by every cell would otherwise be copied into
//! each of them: a file of a few kilobytes could ask for gigabytes.)

use std::collections::BTreeMap;

use calamine::{Data, Dimensions};

/// Cells read from one sheet, and from one workbook's sheets together, at
/// most. A full return has about 75 rows of 10 columns; this allows huge
/// margins while bounding memory.
pub const MAX_CELLS_PER_SHEET: usize = 1_000_000;
/// Rows read from one return's table, at most. A return has one row per
/// characteristic (75 in the default framework), an action plan one per
/// action. Each row read is kept as a record until the run ends, so this
/// bounds what a table of a million one-cell rows would hold.
pub const MAX_TABLE_ROWS: usize = 100_000;
/// Text held from one workbook's cells, at most: a return with every one of
/// its 75 characteristics' five narratives at Excel's 32,767-character
/// limit holds about 12 MB (36 MB in a script of three bytes a character).
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Which limit a sheet went over, with the count found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetLimit {
    /// More filled cells than [`MAX_CELLS_PER_SHEET`] (counting stopped).
    Cells(usize),
    /// More filled cells than [`MAX_CELLS_PER_SHEET`] in this sheet and the
    /// sheets read before it together.
    WorkbookCells,
    /// More text than [`MAX_TEXT_BYTES`] in this sheet and the sheets read
    /// before it together.
    Text,
    /// More merged areas than `MAX_MERGED_AREAS`.
    MergedAreas(usize),
    /// More rows with something in them below the table's headings than
    /// [`MAX_TABLE_ROWS`].
    TableRows(usize),
}

/// What is left to read of one workbook, across its sheets.
#[derive(Debug, Clone)]
pub struct Budget {
    cells: usize,
    text: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            cells: MAX_CELLS_PER_SHEET,
            text: MAX_TEXT_BYTES,
        }
    }
}

/// One sheet's cells, sparse. Positions are absolute and 0-based.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    /// Row → cells in column order.
    pub rows: BTreeMap<u32, Vec<(u16, Data)>>,
    /// Merged areas (xlsx and xls only). Left empty by `open_book`; filled
    /// by the reader, from `Book::merged_cells`, for the sheets whose rows
    /// it reads.
    pub merged: Vec<Dimensions>,
    /// Filled cells counted while reading (reading stops past the limit).
    pub cell_count: usize,
    /// The last cell read (for messages about damage met after it).
    pub last_cell: Option<(u32, u16)>,
    /// The workbook counts dates from 1904 (old Mac Excel), not 1900.
    pub date1904: bool,
    /// The fill colour (`#RRGGBB`) of blank cells that have one: an officer
    /// may colour a score cell instead of choosing a score. Read with the
    /// cells, in the same pass (xlsx only; other formats do not expose
    /// cell styles).
    pub blank_fills: BTreeMap<(u32, u16), String>,
    /// The row being read, gathered here and moved into `rows` at its end
    /// with exactly the room it needs (a row of one cell would otherwise
    /// reserve four).
    pending: Vec<(u16, Data)>,
    pending_row: u32,
    /// The workbook's cell limit was reached while reading this sheet.
    over_workbook: bool,
}

impl Grid {
    pub fn new(name: &str, hidden: bool, date1904: bool) -> Grid {
        Grid {
            name: name.to_string(),
            hidden,
            date1904,
            ..Grid::default()
        }
    }

    pub fn get(&self, row: u32, col: u16) -> Option<&Data> {
        let cells = self.rows.get(&row)?;
        cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &cells[i].1)
    }

    /// The fill colour of a blank cell, as `#RRGGBB` (xlsx only).
    pub fn fill(&self, row: u32, col: u16) -> Option<&str> {
        self.blank_fills.get(&(row, col)).map(String::as_str)
    }

    /// The value shown in a cell, taking merged areas into account: a cell
    /// inside a merged area shows the area's top-left value.
    pub fn shown(&self, row: u32, col: u16) -> Option<&Data> {
        match self.get(row, col) {
            Some(d) if !matches!(d, Data::Empty) => Some(d),
            _ => {
                let m = self.merged.iter().find(|m| m.contains(row, col as u32))?;
                self.get(m.start.0, m.start.1 as u16)
            }
        }
    }

    /// Adds a cell as it is read, counting it against the sheet's and the
    /// workbook's limits; the limit gone over, if one was (reading stops).
    pub(crate) fn push(
        &mut self,
        budget: &mut Budget,
        row: u32,
        col: u32,
        value: Data,
    ) -> Result<(), SheetLimit> {
        if col > u16::MAX as u32 {
            return Ok(());
        }
        self.last_cell = Some((row, col as u16));
        if matches!(value, Data::Empty) {
            return Ok(());
        }
        self.cell_count += 1;
        if self.cell_count > MAX_CELLS_PER_SHEET {
            return Err(SheetLimit::Cells(self.cell_count - 1));
        }
        // Past the workbook's limit, the sheet is still counted against its
        // own (so a sheet too large by itself says so), but nothing is kept.
        if budget.cells == 0 {
            self.over_workbook = true;
            return Ok(());
        }
        budget.cells -= 1;
        let text = match &value {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
            _ => 0,
        };
        budget.text = budget.text.checked_sub(text).ok_or(SheetLimit::Text)?;
        if row != self.pending_row {
            self.end_row();
            self.pending_row = row;
        }
        self.pending.push((col as u16, value));
        Ok(())
    }

    /// Moves the row being read into `rows`.
    fn end_row(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        // Collected from a drain: exactly as long as the row.
        let cells: Vec<(u16, Data)> = self.pending.drain(..).collect();
        match self.rows.get_mut(&self.pending_row) {
            // A row met again (cells out of order in a damaged file).
            Some(row) => row.extend(cells),
            None => {
                self.rows.insert(self.pending_row, cells);
            }
        }
    }

    /// Ends reading: every row in `rows`, each sorted by column with one
    /// value per cell; or the workbook's limit, if this sheet went past it.
    pub(crate) fn finish(&mut self) -> Result<(), SheetLimit> {
        if self.over_workbook {
            return Err(SheetLimit::WorkbookCells);
        }
        self.end_row();
        self.pending = Vec::new();
        // A damaged file may list a row's cells out of order, or one cell
        // twice: keep each row sorted by column, first value kept, so that
        // looking a cell up always finds the same value.
        for cells in self.rows.values_mut() {
            if !cells.is_sorted_by(|a, b| a.0 < b.0) {
                cells.sort_by_key(|(c, _)| *c);
                cells.dedup_by_key(|(c, _)| *c);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hold_their_cells_in_order_and_the_budget_is_shared() {
        let mut budget = Budget::default();
        let mut g = Grid::new("Scores", false, false);
        let s = |t: &str| Data::String(t.into());
        g.push(&mut budget, 0, 1, s("b")).unwrap();
        g.push(&mut budget, 0, 0, s("a")).unwrap();
        g.push(&mut budget, 2, 0, s("c")).unwrap();
        g.push(&mut budget, 0, 1, s("again")).unwrap();
        g.finish().unwrap();
        assert_eq!(g.get(0, 0), Some(&s("a")));
        assert_eq!(g.get(0, 1), Some(&s("b")), "first value kept");
        assert_eq!(g.get(2, 0), Some(&s("c")));
        assert_eq!(g.rows[&2].capacity(), 1);
        let mut tight = Budget { cells: 1, text: 3 };
        let mut h = Grid::new("Other", false, false);
        assert_eq!(h.push(&mut tight, 0, 0, s("four")), Err(SheetLimit::Text));
        let mut tight = Budget { cells: 1, text: 10 };
        h.push(&mut tight, 0, 0, s("x")).unwrap();
        h.push(&mut tight, 0, 1, s("y")).unwrap();
        assert_eq!(h.finish(), Err(SheetLimit::WorkbookCells));
    }
}
