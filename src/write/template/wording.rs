//! The words of a template and how they are laid on the Instructions sheet:
//! sheet names and the labels `build` reads, lists in prose ("A, B or C"),
//! and a line-by-line writer that sizes rows to their wrapped text.
//!
//! Only the labels of the details block may read as one of `build`'s
//! labels (`returns::details::key_of`): every other text cell is checked,
//! so a lone "Date" or "Theme" can never be taken for a detail.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::Ctx;
use crate::read::returns::details;
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

/// Writes the Instructions sheet a line at a time.
pub(super) struct Writer<'a> {
    pub ws: &'a mut Worksheet,
    pub row: u32,
}

impl Writer<'_> {
    pub fn skip(&mut self, n: u32) {
        self.row += n;
    }

    pub fn line(&mut self, col: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        put(self.ws, self.row, col, &not_a_label(text), f)?;
        self.row += 1;
        Ok(())
    }

    /// Wrapped text in column B, with the row made tall enough for it
    /// (LibreOffice does not grow rows to fit on opening, Excel does).
    pub fn wrapped(&mut self, text: &str, ctx: &Ctx) -> Result<(), XlsxError> {
        put(self.ws, self.row, 1, &not_a_label(text), &ctx.st.body)?;
        self.fit(text)
    }

    fn fit(&mut self, text: &str) -> Result<(), XlsxError> {
        let lines = wrapped_lines(text, WIDE_COLUMN);
        if lines > 1 {
            self.ws
                .set_row_height(self.row, 15.0 * lines as f64 + 1.0)?;
        }
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
        self.fit(&format!("{lead}{rest}"))
    }
}

/// Column B's width on the Instructions sheet, in characters.
const WIDE_COLUMN: f64 = 90.0;

/// How many lines `text` takes when wrapped in a column `width` characters
/// wide (Calibri 11 prose fits a little more than the width in characters;
/// this errs towards one line too many).
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let cap = (width * 1.05).floor() as usize;
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0;
            for word in para.split_whitespace() {
                let n = word.chars().count();
                if used > 0 && used + 1 + n > cap {
                    lines += 1;
                    used = n;
                } else {
                    used += if used > 0 { n + 1 } else { n };
                }
            }
            lines
        })
        .sum()
}
