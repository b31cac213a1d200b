//! Colour by level: conditional formats that colour a cell by the score
//! level (or action status) it holds, in the framework's colours with the
//! text colour that reads on each. Because the colour follows the value,
//! editing a score in Excel or LibreOffice recolours the cell. Used by the
//! committee workbook's heat map, detail and action plan, the sector
//! workbook and the templates.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula,
    ConditionalFormatText, ConditionalFormatTextRule, Format, Worksheet, XlsxError,
};

use super::style::on_fill;
use crate::framework::Framework;

/// A cell range, top-left and bottom-right (inclusive).
pub type Range = ((u32, u16), (u32, u16));

/// The format a rule gives a cell holding a level whose colour is `fill`.
pub fn level_format(fill: &str) -> Format {
    on_fill(Format::new(), fill)
}

/// The scale's levels by label ("Light green"): (value, fill) pairs.
pub fn scale_labels(fw: &Framework) -> Vec<(&str, &str)> {
    fw.scale
        .iter()
        .map(|l| (l.label.as_str(), l.fill.as_str()))
        .collect()
}

/// The scale's levels by letter ("L"), for grids too narrow for words.
pub fn scale_letters(fw: &Framework) -> Vec<(&str, &str)> {
    fw.scale
        .iter()
        .map(|l| (l.letter.as_str(), l.fill.as_str()))
        .collect()
}

/// The action statuses by label.
pub fn statuses(fw: &Framework) -> Vec<(&str, &str)> {
    fw.statuses
        .iter()
        .map(|s| (s.label.as_str(), s.fill.as_str()))
        .collect()
}

/// One rule per (value, fill): a cell in `range` holding the value takes
/// the fill. An empty range gets no rules.
pub fn colour_by_value(
    ws: &mut Worksheet,
    range: Range,
    levels: &[(&str, &str)],
) -> Result<(), XlsxError> {
    for (value, fill) in levels {
        when_equal(ws, range, value, &level_format(fill))?;
    }
    Ok(())
}

/// A single rule: a cell in `range` holding `value` takes `f` (a flag such
/// as "Overdue", or a severity).
pub fn when_equal(
    ws: &mut Worksheet,
    range: Range,
    value: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let ((r1, c1), (r2, c2)) = range;
    if r2 < r1 || c2 < c1 {
        return Ok(());
    }
    let rule = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo(value))
        .set_format(f.clone());
    ws.add_conditional_format(r1, c1, r2, c2, &rule)?;
    Ok(())
}

/// One rule per (value, fill): a cell in `range` whose text begins with the
/// value takes the fill, so a cell can say more after it ("At risk" and,
/// on the next line, "Overdue").
pub fn colour_by_start(
    ws: &mut Worksheet,
    range: Range,
    levels: &[(&str, &str)],
) -> Result<(), XlsxError> {
    let ((r1, c1), (r2, c2)) = range;
    if r2 < r1 || c2 < c1 {
        return Ok(());
    }
    for (value, fill) in levels {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(value.to_string()))
            .set_format(level_format(fill));
        ws.add_conditional_format(r1, c1, r2, c2, &rule)?;
    }
    Ok(())
}

/// A single rule, ahead of any other on the range: a cell in `range` whose
/// text contains `value` takes `f`, and no later rule applies to it.
pub fn when_contains(
    ws: &mut Worksheet,
    range: Range,
    value: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let ((r1, c1), (r2, c2)) = range;
    if r2 < r1 || c2 < c1 {
        return Ok(());
    }
    let rule = ConditionalFormatText::new()
        .set_rule(ConditionalFormatTextRule::Contains(value.to_string()))
        .set_format(f.clone())
        .set_stop_if_true(true);
    ws.add_conditional_format(r1, c1, r2, c2, &rule)?;
    Ok(())
}

/// One rule per (value, fill) over `range`, each reading the cell in row
/// `key_row` (0-based) of the same column, so a block of cells takes the
/// colour of the one that holds the level: the heat map's code takes its
/// score's colour.
pub fn colour_by_row(
    ws: &mut Worksheet,
    range: Range,
    key_row: u32,
    levels: &[(&str, &str)],
) -> Result<(), XlsxError> {
    let ((r1, c1), (r2, c2)) = range;
    // Relative to the range's first column, fixed to the key row.
    let key = format!(
        "{}${}",
        rust_xlsxwriter::utility::column_number_to_name(c1),
        key_row + 1
    );
    for (value, fill) in levels {
        let rule = ConditionalFormatFormula::new()
            .set_rule(format!("={key}=\"{}\"", value.replace('"', "\"\"")).as_str())
            .set_format(level_format(fill));
        ws.add_conditional_format(r1, c1, r2, c2, &rule)?;
    }
    Ok(())
}
