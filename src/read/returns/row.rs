//! Shared row-reading helpers for both kinds of return: field access with
//! formula-error and length checks, problem locations, and row accounting.

use std::collections::BTreeSet;

use calamine::Data;

use super::ReadReturn;
use super::columns::{Field, Header};
use crate::framework::Framework;
use crate::problems::{Kind, Location, Problem, Subject};
use crate::read::{Grid, cells};

use crate::read::cells::MAX_CELL_CHARS;

pub struct SheetCtx<'a> {
    pub file: &'a str,
    pub grid: &'a Grid,
    pub header: &'a Header,
    pub fw: &'a Framework,
    pub out: &'a mut ReadReturn,
    /// Errors raised for the current row.
    row_errors: usize,
    /// What the current row is about, attached to its problems.
    pub subject: Option<Subject>,
}

impl<'a> SheetCtx<'a> {
    pub fn new(
        file: &'a str,
        grid: &'a Grid,
        header: &'a Header,
        fw: &'a Framework,
        out: &'a mut ReadReturn,
    ) -> SheetCtx<'a> {
        SheetCtx {
            file,
            grid,
            header,
            fw,
            out,
            row_errors: 0,
            subject: None,
        }
    }

    pub fn loc(&self, row: u32, col: u16) -> Location {
        Location::cell(self.file, &self.grid.name, row, col)
    }

    /// Reports columns that will not be read.
    pub fn report_columns(&mut self) {
        let h = self.header;
        // One pass over the cells below the heading: the first filled row
        // of each column (a pass per column would crawl on a wide sheet).
        let mut first_filled: std::collections::BTreeMap<u16, u32> =
            std::collections::BTreeMap::new();
        for (&r, cells) in self.grid.rows.range(h.row + 1..) {
            for (c, v) in cells {
                if !cells::is_blank(Some(v)) {
                    first_filled.entry(*c).or_insert(r);
                }
            }
        }
        for (col, heading) in &h.unknown {
            let has_data = first_filled.contains_key(col);
            self.out.problems.push(
                Problem::new(
                    Kind::IgnoredColumn,
                    self.loc(h.row, *col),
                    if has_data {
                        "This column's heading is not one the tool knows, so its values were not read."
                    } else {
                        "This column's heading is not one the tool knows; the column is empty and was ignored."
                    },
                )
                .column(heading)
                .found(heading.clone())
                .hint("Nothing to do if the column is your own notes. If it holds part of the return, give it the template's heading."),
            );
        }
        for (col, heading, field) in &h.duplicates {
            self.out.problems.push(
                Problem::new(
                    Kind::DuplicateColumn,
                    self.loc(h.row, *col),
                    format!(
                        "Two columns mean \"{}\"; the first ({}) was read and this one was not.",
                        field.heading(),
                        h.heading(*field)
                    ),
                )
                .column(heading)
                .found(heading.clone())
                .hint("Delete or rename the extra column."),
            );
        }
        // Values in columns with no heading at all.
        let headed: BTreeSet<u16> = h
            .columns
            .values()
            .map(|(c, _)| *c)
            .chain(h.unknown.iter().map(|(c, _)| *c))
            .chain(h.duplicates.iter().map(|(c, ..)| *c))
            .chain(h.references.iter().map(|(c, _)| *c))
            .collect();
        for (&c, &first) in first_filled.iter().filter(|(c, _)| !headed.contains(c)) {
            let v = self
                .grid
                .get(first, c)
                .map(cells::shown)
                .unwrap_or_default();
            self.out.problems.push(
                Problem::new(
                    Kind::IgnoredColumn,
                    self.loc(first, c),
                    "This column has values but no heading, so it was not read.",
                )
                .found(v)
                .hint("Give the column a heading from the template, or move its values into the right column."),
            );
        }
    }

    /// Rows below the heading that have anything in them.
    pub fn rows(&self) -> Vec<u32> {
        self.grid
            .rows
            .range(self.header.row + 1..)
            .filter(|(_, cells)| cells.iter().any(|(_, v)| !cells::is_blank(Some(v))))
            .map(|(r, _)| *r)
            .collect()
    }

    pub fn cell(&self, row: u32, f: Field) -> Option<&'a Data> {
        let col = self.header.col(f)?;
        self.grid.shown(row, col)
    }

    pub fn push(&mut self, mut p: Problem) {
        if p.subject.is_none() {
            p.subject = self.subject.clone();
        }
        if p.is_error() {
            self.row_errors += 1;
        }
        self.out.problems.push(p);
    }

    /// Counts the current row as reported under a problem already raised
    /// for the whole file.
    pub fn mark_reported(&mut self) {
        self.row_errors += 1;
    }

    /// Starts a row's accounting.
    pub fn begin_row(&mut self) {
        self.row_errors = 0;
        self.subject = None;
        self.out.info.rows_read += 1;
    }

    /// Ends a row's accounting: used, or reported when it raised an error.
    pub fn end_row(&mut self) {
        if self.row_errors > 0 {
            self.out.info.rows_reported += 1;
        } else {
            self.out.info.rows_used += 1;
        }
    }

    /// A problem at a field's cell (or the row's first cell when the column
    /// is missing), with its heading and the value found.
    pub fn problem(&self, kind: Kind, row: u32, f: Field, message: impl Into<String>) -> Problem {
        let col = self.header.col(f).unwrap_or(0);
        let found = self.cell(row, f).map(cells::shown).unwrap_or_default();
        Problem::new(kind, self.loc(row, col), message)
            .column(&self.header.heading(f))
            .found(found)
    }

    /// A text field, cleaned; formula errors and over-long text reported.
    pub fn text(&mut self, row: u32, f: Field) -> String {
        let Some(d) = self.cell(row, f) else {
            return String::new();
        };
        if let Some(e) = cells::formula_error(Some(d)) {
            let p = self
                .problem(Kind::FormulaError, row, f, format!("The cell shows the formula error {e}, so it was not read."))
                .hint("Replace the formula with the text itself (copy the cell, then Paste Special › Values), or clear it.");
            self.push(p);
            return String::new();
        }
        let mut t = cells::text(d);
        if let Some(cut) = cells::cut_to_cell(&t) {
            let p = self
                .problem(
                    Kind::TextTruncated,
                    row,
                    f,
                    format!(
                        "This text has {} characters, more than Excel's limit of {} for one cell; it was cut and marked.",
                        cells::thousands(t.chars().count() as u64),
                        cells::thousands(MAX_CELL_CHARS as u64)
                    ),
                )
                .hint("Shorten the text, or put the detail in a document and give its reference here.");
            self.push(p);
            t = cut;
        }
        t
    }
}
