//! The marks by which the tool knows the workbooks it wrote, kept in one
//! place because the writers put them in and the readers look for them:
//!
//! - every committee and sector workbook says "Produced by bestvalue X" on
//!   its Cover and in its document properties, so that it is never read as
//!   a return and may be replaced by a later run;
//! - a feedback workbook's list of corrections opens with
//!   [`FEEDBACK_MARK`], so that an officer can correct the return and send
//!   the workbook back with the list still in it.

use crate::text::fold;

/// The Cover's label for the tool that wrote the workbook.
pub const PRODUCED_BY: &str = "Produced by";

/// What follows [`PRODUCED_BY`] on a Cover: this tool and its version.
pub fn produced_by() -> String {
    format!("bestvalue {}", env!("CARGO_PKG_VERSION"))
}

/// Whether a "Produced by" value names this tool (any version).
pub fn names_us(value: &str) -> bool {
    fold(value).starts_with("bestvalue")
}

/// The document properties' comment. Excel and LibreOffice keep it when the
/// workbook is saved again, so it is the quickest way to know a workbook.
pub fn document_comment() -> String {
    format!("{PRODUCED_BY} {}", produced_by())
}

/// How [`document_comment`] starts in a workbook's `docProps/core.xml`.
pub const DOCUMENT_COMMENT_XML: &str = "<dc:description>Produced by bestvalue";

/// The start of the document properties' comment in the clerk's copy
/// (`build --publish`): how a copy written earlier is known, since the copy
/// names no tool anywhere.
pub const PUBLISHED_MARK: &str = "For publication:";

/// The clerk's copy's comment: "For publication: Eastmoor Borough
/// Council's Best Value Duty self-assessment, as at 24 October 2025."
pub fn published_comment(authority: &str, as_at: &str) -> String {
    format!("{PUBLISHED_MARK} {authority}'s Best Value Duty self-assessment, {as_at}.")
}

/// How [`published_comment`] starts in a workbook's `docProps/core.xml`.
pub const PUBLISHED_COMMENT_XML: &str = "<dc:description>For publication:";

/// The names a feedback workbook's list of corrections may take, in order
/// of preference: the first that is not one of the officer's own sheets.
pub const FEEDBACK_SHEETS: [&str; 4] = [
    "Problems",
    "Corrections",
    "Corrections from bestvalue",
    "Corrections (bestvalue)",
];
/// The first words of the list's first cell.
pub const FEEDBACK_MARK: &str = "Corrections from bestvalue";

/// Whether a sheet, by its name and the text of its cell A1, is the list of
/// corrections of a feedback workbook.
pub fn is_feedback_list(sheet: &str, a1: Option<&str>) -> bool {
    FEEDBACK_SHEETS.contains(&sheet) && a1.is_some_and(|t| t.starts_with(FEEDBACK_MARK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marks_read_back_what_the_writers_write() {
        assert!(names_us(&produced_by()));
        assert!(names_us(" BestValue 0.0.1"));
        assert!(!names_us("Excel"));
        assert!(document_comment().starts_with(&DOCUMENT_COMMENT_XML["<dc:description>".len()..]));
        for sheet in FEEDBACK_SHEETS {
            assert!(is_feedback_list(
                sheet,
                Some("Corrections from bestvalue · a.xlsx")
            ));
        }
        assert!(!is_feedback_list("Problems", Some("Our own problems")));
    }
}
