//! The words of a template and how they are laid on the Instructions sheet:
//! sheet names and the labels `build` reads, lists in prose ("A, B or C"),
//! and a line-by-line writer that sizes rows to their wrapped text (as
//! measured in Calibri by the toolkit's `measure`) and breaks the printed
//! pages so that no section heading is left at the foot of a page.
//!
//! Only the labels of the details block may read as one of `build`'s
//! labels (`returns::details::key_of`): every other text cell is checked,
//! so a lone "Date" or "Theme" can never be taken for a detail.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::Ctx;
use crate::read::returns::details;
use crate::write::xlsx::measure::{Font, column_points, row_height, wrapped_lines};
use crate::write::xlsx::page::{Pager, Paper};
use crate::write::xlsx::text as put;

pub const INSTRUCTIONS: &str = "Instructions";
pub const ASSESSMENT_SHEET: &str = "Assessment";
pub const ACTIONS_SHEET: &str = "Actions";
/// The Return type values `build` recognises.
pub const ASSESSMENT: &str = "Assessment";
pub const ACTION_PLAN: &str = "Action plan";

/// Labels of the extra rows `build` does not read.
pub const ISSUED: &str = "Issued";
pub const RETURN_BY: &str = "Return by";
pub const SEND_TO: &str = "Send back to";

/// "A", "A or B", "A, B or C".
pub fn or_list(items: &[&str]) -> String {
    join(items, "or")
}

/// "A", "A and B", "A, B and C".
pub fn and_list(items: &[&str]) -> String {
    join(items, "and")
}

fn join(items: &[&str], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// Text for a cell that must not read as a details label: a label-like
/// text gets words added so it cannot be mistaken for one.
pub fn not_a_label(text: &str) -> String {
    if details::key_of(text).is_some() {
        format!("{text} (see below)")
    } else {
        text.to_string()
    }
}

/// Writes the Instructions sheet a line at a time, keeping each row's
/// height for planning the printed pages.
pub(super) struct Writer<'a> {
    pub ws: &'a mut Worksheet,
    pub row: u32,
    /// Heights of the rows not of the default height, in points.
    heights: BTreeMap<u32, f64>,
    /// Section headings: each is kept on a page with the row below it.
    sections: Vec<u32>,
}

/// The height of a row left as it is (Calibri 11).
const DEFAULT_HEIGHT: f64 = 15.0;

/// The height of a blank row between sections.
const GAP_HEIGHT: f64 = 9.0;

/// The height of a line of up to 12-point text (a subtitle or a section
/// heading).
const LINE_HEIGHT: f64 = 18.0;

impl<'a> Writer<'a> {
    pub fn new(ws: &'a mut Worksheet) -> Writer<'a> {
        Writer {
            ws,
            row: 0,
            heights: BTreeMap::new(),
            sections: Vec::new(),
        }
    }

    /// Moves on `n` rows, leaving those not sized yet at the default
    /// height (set, so that they print at the height planned).
    pub fn skip(&mut self, n: u32) -> Result<(), XlsxError> {
        for _ in 0..n {
            if !self.heights.contains_key(&self.row) {
                self.height(self.row, DEFAULT_HEIGHT)?;
            }
            self.row += 1;
        }
        Ok(())
    }

    /// A blank row between sections, shorter than a line of text.
    pub fn gap(&mut self) -> Result<(), XlsxError> {
        self.height(self.row, GAP_HEIGHT)?;
        self.row += 1;
        Ok(())
    }

    pub fn line(&mut self, col: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        put(self.ws, self.row, col, &not_a_label(text), f)?;
        self.height(self.row, LINE_HEIGHT)?;
        self.row += 1;
        Ok(())
    }

    /// A row set to `height` points.
    pub fn height(&mut self, row: u32, height: f64) -> Result<(), XlsxError> {
        self.ws.set_row_height(row, height)?;
        self.heights.insert(row, height);
        Ok(())
    }

    /// A section's heading, which prints on the same page as the line
    /// below it.
    pub fn section(&mut self, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        self.sections.push(self.row);
        self.line(0, text, &ctx.st.section)
    }

    /// Sets the page breaks for printing at `scale` per cent on portrait
    /// A4: rows in order, each section heading with the row below it.
    /// Every row written has its height set, so the plan is exact.
    pub fn paginate(&mut self, scale: u16) -> Result<(), XlsxError> {
        let s = f64::from(scale) / 100.0;
        let h = |r: u32| self.heights.get(&r).copied().unwrap_or(DEFAULT_HEIGHT) * s;
        let mut pager = Pager::new(Paper::PORTRAIT).exact();
        let mut r = 0;
        while r < self.row {
            if self.sections.contains(&r) {
                pager.keep(r, h(r) + h(r + 1));
                r += 2;
            } else {
                pager.keep(r, h(r));
                r += 1;
            }
        }
        pager.no_lone_last_row(self.row.saturating_sub(1));
        pager.apply(self.ws)
    }

    /// Wrapped text in column B, with the row made tall enough for it
    /// (LibreOffice does not grow rows to fit on opening, Excel does).
    pub fn wrapped(&mut self, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        put(self.ws, self.row, 1, &not_a_label(text), &ctx.st.body)?;
        self.fit(text, false)
    }

    /// Sets the row's height for `text` wrapped in column B (in bold, for
    /// a line that starts bold: the estimate then errs on the tall side).
    fn fit(&mut self, text: &str, bold: bool) -> Result<(), XlsxError> {
        let font = Font { size: 11.0, bold };
        let lines = wrapped_lines(text, column_points(WIDE_COLUMN), font);
        let height = if lines > 1 {
            row_height(lines, font)
        } else {
            DEFAULT_HEIGHT
        };
        self.height(self.row, height)?;
        self.row += 1;
        Ok(())
    }

    /// A numbered step: number in A, text in B.
    pub fn step(&mut self, n: &mut u32, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        *n += 1;
        put(self.ws, self.row, 0, &format!("{n}."), &ctx.st.step)?;
        self.wrapped(text, ctx)
    }

    /// A bold lead-in, then text, in column B.
    pub fn guide(&mut self, lead: &str, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        let (bold, plain) = (&ctx.st.rich_bold, &ctx.st.rich_plain);
        let rest = format!(": {text}");
        self.ws.write_rich_string_with_format(
            self.row,
            1,
            &[(bold, lead), (plain, rest.as_str())],
            &ctx.st.body,
        )?;
        self.fit(&format!("{lead}{rest}"), true)
    }
}

/// Column A's width on the Instructions sheet, in characters.
pub const LABEL_COLUMN: f64 = 22.0;
/// Column B's width on the Instructions sheet, in characters: with column
/// A, it fills portrait A4 at [`INSTRUCTIONS_SCALE`].
pub const WIDE_COLUMN: f64 = 89.5;
/// The Instructions sheet's print scale, per cent: its 11-point text
/// prints at 9 points.
pub const INSTRUCTIONS_SCALE: u16 = 82;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx::columns::room;
    use crate::write::xlsx::measure::columns_print_points;

    #[test]
    fn the_instructions_fill_a_portrait_page_at_their_scale() {
        let width = columns_print_points(&[LABEL_COLUMN, WIDE_COLUMN]);
        let page = room(Paper::PORTRAIT.width()) * 100.0 / f64::from(INSTRUCTIONS_SCALE);
        assert!(width <= page, "{width} > {page}");
        assert!(width > page - 6.0, "{width}: the page is not filled");
    }
}
