//! Document properties (File › Info in Excel). Every workbook's creation
//! date comes from its data (the "as at" or issue date), or is fixed, never
//! the clock: the same inputs then give byte-identical files.

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, XlsxError};

/// The creation date of a workbook with no date of its own.
const FIXED: (u16, u8, u8) = (2000, 1, 1);

/// Properties to build on, created on `created` (or a fixed date when
/// there is none, or it cannot be written).
pub fn dated(created: Option<NaiveDate>) -> Result<DocProperties, XlsxError> {
    let when = match created.and_then(|d| super::excel_date(d).ok()) {
        Some(d) => d,
        None => ExcelDateTime::from_ymd(FIXED.0, FIXED.1, FIXED.2)?,
    };
    Ok(DocProperties::new().set_creation_datetime(&when))
}

/// "Produced by bestvalue 0.1.0", the comment a report carries: the mark
/// by which the tool knows its workbooks again (see `crate::marks`).
pub fn produced_by() -> String {
    crate::marks::document_comment()
}
