//! Finds the heading row of a return sheet wherever it sits and works out
//! which column holds what, allowing for case, spacing, known synonyms,
//! reordered columns and extra columns.
//!
//! What each heading means is in [`fields`] (the vocabulary) and [`headings`]
//! (reading one heading cell); this module chooses the heading row.

mod fields;
mod headings;

use calamine::Data;
use indexmap::IndexMap;

use crate::framework::Framework;
use crate::read::Grid;
use crate::read::cells;

pub use fields::Field;
pub use headings::recognise;
use headings::{Forms, Seen};

/// Which kind of table a heading row introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Assessment,
    Actions,
}

/// A heading row and its columns.
#[derive(Debug, Clone)]
pub struct Header {
    pub kind: TableKind,
    pub row: u32,
    /// Field → (column, heading as written). The first column of a field wins.
    pub columns: IndexMap<Field, (u16, String)>,
    /// Columns with a heading the tool does not know.
    pub unknown: Vec<(u16, String)>,
    /// A second column with the same meaning as an earlier one.
    pub duplicates: Vec<(u16, String, Field)>,
    /// Earlier rounds' columns shown for reference: known, not read.
    pub references: Vec<(u16, String)>,
}

impl Header {
    pub fn col(&self, f: Field) -> Option<u16> {
        self.columns.get(&f).map(|(c, _)| *c)
    }

    pub fn heading(&self, f: Field) -> String {
        self.columns
            .get(&f)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| f.heading().to_string())
    }

    /// The last column with a known or unknown heading.
    pub fn last_col(&self) -> u16 {
        self.columns
            .values()
            .map(|(c, _)| *c)
            .chain(self.unknown.iter().map(|(c, _)| *c))
            .chain(self.duplicates.iter().map(|(c, ..)| *c))
            .chain(self.references.iter().map(|(c, _)| *c))
            .max()
            .unwrap_or(0)
    }
}

/// Rows searched for a heading row, from the top of the sheet.
const HEADER_SEARCH_ROWS: u32 = 60;

/// The first rows of a sheet, each cell's heading classified once, so the
/// heading row can be chosen before and after the round is known without
/// reading the cells twice.
pub struct Scan<'g> {
    rows: Vec<(u32, Vec<ScannedCell<'g>>)>,
}

/// A cell of a possible heading row: column, how it reads, its value.
type ScannedCell<'g> = (u16, Seen, &'g Data);

/// Reads the cells where a heading row could be.
pub fn scan<'g>(grid: &'g Grid, fw: &Framework) -> Scan<'g> {
    let forms = Forms::new(fw);
    let rows = grid
        .rows
        .range(..HEADER_SEARCH_ROWS)
        .map(|(&row, cells)| {
            let seen = cells
                .iter()
                .filter(|(_, v)| !heading_blank(v))
                .map(|(col, v)| (*col, forms.classify_cell(v), v))
                .collect();
            (row, seen)
        })
        .collect();
    Scan { rows }
}

/// A cell that reads as no heading at all (its squeezed text is empty).
fn heading_blank(v: &Data) -> bool {
    match v {
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            cells::is_blank(Some(&Data::String(s.clone())))
        }
        other => cells::is_blank(Some(other)),
    }
}

/// Finds the best heading row in a sheet, if any.
pub fn find_header(grid: &Grid, fw: &Framework, round: Option<usize>) -> Option<Header> {
    choose(&scan(grid, fw), round)
}

/// Chooses the heading row from a scan, for a return of `round`: the row
/// that names the most different fields, the first such row on a tie.
pub fn choose(scan: &Scan, round: Option<usize>) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (row, cells) in &scan.rows {
        // Count first, without building anything: most rows are data.
        let mut fields: u32 = 0;
        for (_, seen, _) in cells {
            match seen.resolve(round) {
                Some(Field::Reference) | None => {}
                Some(f) => fields |= 1 << (f as u32),
            }
        }
        let has = |f: Field| fields & (1 << (f as u32)) != 0;
        let kind = if has(Field::ActionId) && (has(Field::Action) || has(Field::Status)) {
            TableKind::Actions
        } else if has(Field::Code)
            && [
                Field::Narrative,
                Field::Evidence,
                Field::Score,
                Field::Commentary,
                Field::Label,
            ]
            .iter()
            .any(|f| has(*f))
        {
            TableKind::Assessment
        } else {
            continue;
        };
        let strength = fields.count_ones() as usize;
        if best.as_ref().is_some_and(|(s, _)| strength <= *s) {
            continue;
        }
        let mut columns: IndexMap<Field, (u16, String)> = IndexMap::new();
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        let mut references = Vec::new();
        for (col, seen, value) in cells {
            let heading = cells::squeezed(value);
            match seen.resolve(round) {
                Some(Field::Reference) => references.push((*col, heading)),
                Some(field) => {
                    if columns.contains_key(&field) {
                        duplicates.push((*col, heading, field));
                    } else {
                        columns.insert(field, (*col, heading));
                    }
                }
                None => unknown.push((*col, heading)),
            }
        }
        columns.sort_by(|_, a, _, b| a.0.cmp(&b.0));
        best = Some((
            strength,
            Header {
                kind,
                row: *row,
                columns,
                unknown,
                duplicates,
                references,
            },
        ));
    }
    best.map(|(_, h)| h)
}
