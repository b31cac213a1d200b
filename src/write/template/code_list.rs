//! The Theme and Code drop-downs of a return that has both columns: Theme
//! offers the framework's themes, and Code the codes of the theme chosen
//! in the same row (every code while it is blank), through a defined name
//! per theme on the hidden Lists sheet that INDIRECT picks by the theme's
//! position, which Excel and LibreOffice both evaluate. A code from another
//! theme can still be kept, after a warning, as `build` warns about it too.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Formula, Worksheet, XlsxError};

use super::Ctx;
use super::controls::{Lists, messages};

/// Defined names of the Code drop-down's lists.
pub const THEMES: &str = "Themes";
pub const ALL_CODES: &str = "AllCodes";
/// Followed by the theme's number: `ThemeCodes1` …
pub const THEME_CODES: &str = "ThemeCodes";

/// Whose rows the drop-downs are on: their messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// Empty rows, where the officer chooses both: each drop-down says
    /// what to choose.
    New,
    /// Rows whose theme and code are filled in and locked: the drop-downs
    /// keep a row right if the sheet is unprotected and the row changed or
    /// copied, without a prompt each time a locked cell is selected.
    Filled,
}

/// Adds the Theme and Code drop-downs to rows `first..=last`, whose Theme
/// and Code are in columns `theme` and `code`.
pub(crate) fn theme_and_code(
    ws: &mut Worksheet,
    ctx: &Ctx,
    lists: &mut Lists,
    rows: Rows,
    (first, last): (u32, u32),
    (theme, code): (u16, u16),
) -> Result<(), XlsxError> {
    let themes: Vec<String> = ctx.fw.themes.iter().map(|t| t.name.clone()).collect();
    let dv = lists.validation(&themes);
    let dv = match rows {
        Rows::New => messages(
            dv,
            ("Theme", "Choose the theme the action belongs to.", ""),
            ("Not a theme", "Choose a theme from the drop-down list.", ""),
            DataValidationErrorStyle::Stop,
        )?,
        Rows::Filled => error_only(
            dv,
            ("Not a theme", "Choose a theme from the drop-down list."),
            DataValidationErrorStyle::Stop,
        )?,
    };
    ws.add_data_validation(first, theme, last, theme, &dv)?;
    let dv = code_validation(ctx, lists, rows, first, theme)?;
    ws.add_data_validation(first, code, last, code, &dv)
        .map(|_| ())
}

/// The Code drop-down: the codes of the theme in the row's Theme cell.
fn code_validation(
    ctx: &Ctx,
    lists: &mut Lists,
    rows: Rows,
    first: u32,
    theme_col: u16,
) -> Result<DataValidation, XlsxError> {
    let fw = ctx.fw;
    let themes: Vec<String> = fw.themes.iter().map(|t| t.name.clone()).collect();
    lists.named(THEMES, &themes);
    let codes: Vec<String> = fw.characteristics.iter().map(|c| c.code.clone()).collect();
    lists.named(ALL_CODES, &codes);
    for (t, _) in fw.themes.iter().enumerate() {
        let own: Vec<String> = fw
            .characteristics
            .iter()
            .filter(|c| c.theme == t)
            .map(|c| c.code.clone())
            .collect();
        lists.named(&format!("{THEME_CODES}{}", t + 1), &own);
    }
    // Relative to the first cell of the range: each row reads its own Theme.
    let theme = format!(
        "${}{}",
        rust_xlsxwriter::utility::column_number_to_name(theme_col),
        first + 1
    );
    let formula = format!(
        "=IF({theme}=\"\",{ALL_CODES},INDIRECT(\"{THEME_CODES}\"&MATCH({theme},{THEMES},0)))"
    );
    let dv = DataValidation::new().allow_list_formula(Formula::new(formula));
    let style = DataValidationErrorStyle::Warning;
    match rows {
        Rows::New => messages(
            dv,
            (
                "Code",
                "Choose the theme first: this list then offers that theme's codes.",
                "",
            ),
            (
                NOT_THE_THEMES,
                WRONG_CODE,
                "Choose a code from the drop-down list.",
            ),
            style,
        ),
        Rows::Filled => error_only(dv, (NOT_THE_THEMES, WRONG_CODE), style),
    }
}

const NOT_THE_THEMES: &str = "Not one of the theme's codes";
const WRONG_CODE: &str = "This code is not one of the codes of the theme in the Theme column. Choose No and pick a code from the list, or Yes to keep it if it really is for a characteristic in another theme (the tool will warn about it).";

/// Only an error message: the cells are filled in and locked, so a
/// prompt each time one is selected would only get in the way.
fn error_only(
    dv: DataValidation,
    (title, message): (&str, &str),
    style: DataValidationErrorStyle,
) -> Result<DataValidation, XlsxError> {
    Ok(dv
        .set_error_title(title)?
        .set_error_message(message)?
        .set_error_style(style))
}
