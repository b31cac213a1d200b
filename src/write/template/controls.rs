//! What keeps a return right first time: drop-down lists (inline, or on
//! the hidden Lists sheet when too long), date checks, messages within
//! Excel's limits, sheet protection without a password, and the print
//! setup of a template's sheets.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

pub(crate) const LISTS: &str = "Lists";

/// Drop-down lists too long (or with commas) for Excel's inline list, kept
/// on the hidden Lists sheet, one per column; some of them named, for
/// lists that depend on another cell.
#[derive(Default)]
pub(crate) struct Lists {
    pub columns: Vec<Vec<String>>,
    /// Defined names: (name, range on the Lists sheet).
    pub names: Vec<(String, String)>,
}

impl Lists {
    /// The Lists sheet's column holding `items` (added if new).
    fn column(&mut self, items: &[String]) -> usize {
        match self.columns.iter().position(|c| c == items) {
            Some(c) => c,
            None => {
                self.columns.push(items.to_vec());
                self.columns.len() - 1
            }
        }
    }

    /// `=Lists!$C$1:$C$n`, the range holding `items`.
    fn range(&mut self, items: &[String]) -> String {
        let col = self.column(items);
        let name = rust_xlsxwriter::utility::column_number_to_name(col as u16);
        format!("={LISTS}!${name}$1:${name}${}", items.len().max(1))
    }

    /// Names the range holding `items` (a workbook-level defined name), for
    /// formulas that pick a list by name.
    pub fn named(&mut self, name: &str, items: &[String]) {
        let range = self.range(items);
        if !self.names.iter().any(|(n, _)| n == name) {
            self.names.push((name.to_string(), range));
        }
    }

    /// A list validation for `items`: inline when Excel allows it,
    /// otherwise a range on the hidden Lists sheet.
    pub fn validation(&mut self, items: &[String]) -> DataValidation {
        let inline_ok = !items.iter().any(|i| i.contains(','));
        if inline_ok && let Ok(dv) = DataValidation::new().allow_list_strings(items) {
            return dv;
        }
        DataValidation::new().allow_list_formula(Formula::new(self.range(items)))
    }

    /// The hidden Lists sheet, when a list needed it.
    pub fn write_sheet(&self, wb: &mut Workbook) -> Result<(), XlsxError> {
        if self.columns.is_empty() {
            return Ok(());
        }
        let ws = wb.add_worksheet().set_name(LISTS)?;
        for (c, items) in self.columns.iter().enumerate() {
            for (r, item) in items.iter().enumerate() {
                ws.write_string(r as u32, c as u16, item)?;
            }
            ws.set_column_width(c as u16, 30)?;
        }
        ws.set_hidden(true);
        protect(ws);
        for (name, range) in &self.names {
            wb.define_name(name, range)?;
        }
        Ok(())
    }
}

/// Adds the messages to a validation, each within Excel's limits (title 32
/// characters, message 255), falling back to the shorter text.
pub(crate) fn messages(
    dv: DataValidation,
    input: (&str, &str, &str),
    error: (&str, &str, &str),
    style: DataValidationErrorStyle,
) -> Result<DataValidation, XlsxError> {
    let fit = |long: &str, short: &str| {
        if long.encode_utf16().count() <= 255 {
            long.to_string()
        } else {
            short.to_string()
        }
    };
    dv.set_input_title(input.0)?
        .set_input_message(fit(input.1, input.2))?
        .set_error_title(error.0)?
        .set_error_message(fit(error.1, error.2))
        .map(|dv| dv.set_error_style(style))
}

/// Dates between 2000 and 2100, with messages.
pub(crate) fn date_validation(
    what: &str,
    style: DataValidationErrorStyle,
    extra: &str,
) -> Result<DataValidation, XlsxError> {
    let dv = DataValidation::new().allow_date(DataValidationRule::Between(
        ExcelDateTime::from_ymd(2000, 1, 1)?,
        ExcelDateTime::from_ymd(2100, 12, 31)?,
    ));
    let input = format!("Type the {what} as day/month/year, for example 31/03/2026.{extra}");
    let error = format!(
        "This is not a date between 2000 and 2100. Type the {what} as day/month/year, for example 31/03/2026.{extra}"
    );
    messages(
        dv,
        ("Date", &input, "Type a date as day/month/year."),
        ("Not a date", &error, "Type a date as day/month/year."),
        style,
    )
}

/// Protects a sheet without a password: the layout is fixed, but officers
/// can select, resize, format and filter.
pub(crate) fn protect(ws: &mut Worksheet) {
    ws.protect_with_options(&ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_cells: true,
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::new()
    });
}

/// A4, fitted to one page wide, the heading row repeated on every page.
pub(crate) fn print_setup(
    ws: &mut Worksheet,
    title: &str,
    authority: Option<&str>,
    landscape: bool,
    repeat_header: bool,
) -> Result<(), XlsxError> {
    crate::write::xlsx::a4(ws, title, authority.unwrap_or(""), "", landscape);
    if repeat_header {
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(())
}
