//! The Excel copy of a return that cannot be marked up in place (an .xls or
//! .ods, or an .xlsx whose package is damaged): every sheet and value in
//! its cell, with the look the original gives where it can be read (for an
//! .ods: column widths, fills, fonts, wrapping, locked cells, drop-downs and
//! sheet protection, see [`super::ods`]; for an .xls: column widths, see
//! [`super::xls`]), otherwise widths that show the text. What Excel cannot hold is changed and said: a sheet name Excel
//! refuses is renamed, text over Excel's cell limit is cut.

use std::collections::{BTreeMap, HashSet};

use calamine::Data;
use rust_xlsxwriter::{
    DataValidation, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::conditions::{ListSource, excel_formula};
use super::ods::{CellLook, SheetLook};
use crate::assess::Outcome;
use crate::read::returns::columns::{Field, find_header};
use crate::read::{Grid, InputFile, cells};
use crate::write::markup::valid_sheet_name;

/// The copy, the names its sheets ended up with, and what was changed.
pub struct Copy {
    pub bytes: Vec<u8>,
    pub sheet_names: Vec<String>,
    /// (name in the return, name in the copy).
    pub renamed: Vec<(String, String)>,
    /// Sentences for the Problems sheet, one per change.
    pub changes: Vec<String>,
}

/// A sheet name Excel accepts, not yet used: characters it refuses become
/// `_`, the name is cut to 31 characters, and a number added if taken.
fn excel_name(name: &str, used: &mut HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Sheet".into()
    } else {
        clean
    };
    for n in 1.. {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let keep = 31 - suffix.chars().count();
        let candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        if valid_sheet_name(&candidate) && used.insert(candidate.to_lowercase()) {
            return candidate;
        }
    }
    unreachable!("some number is free")
}

pub fn copy(
    f: &InputFile,
    sheets: &[&Grid],
    o: &Outcome,
    looks: &BTreeMap<String, SheetLook>,
) -> Result<Copy, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &crate::write::xlsx::properties::dated(None)?.set_title(super::list::file_name(&f.display)),
    );
    let mut used = HashSet::new();
    let mut out = Copy {
        bytes: Vec::new(),
        sheet_names: Vec::new(),
        renamed: Vec::new(),
        changes: Vec::new(),
    };
    let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut cut = Vec::new();
    for g in sheets {
        let name = excel_name(&g.name, &mut used);
        if name != g.name {
            out.changes.push(format!(
                "Your sheet \"{}\" is called \"{name}\" here: Excel allows 31 characters in a sheet name, and none of [ ] : * ? / \\.",
                crate::problems::short(&g.name, 80)
            ));
            out.renamed.push((g.name.clone(), name.clone()));
        }
        out.sheet_names.push(name.clone());
        let ws = wb.add_worksheet().set_name(&name)?;
        if g.hidden {
            ws.set_hidden(true);
        }
        let look = looks.get(&g.name);
        let mut formats = Formats::default();
        for (r, row) in &g.rows {
            for (c, v) in row {
                let cell_look = look.and_then(|l| l.cells.get(&(*r, *c)));
                let fmt = match cell_look {
                    Some(cl) => formats.get(cl),
                    None => plain.clone(),
                };
                if let Data::String(s) = v
                    && cells::cut_to_cell(s).is_some()
                {
                    cut.push(format!(
                        "{name}!{}",
                        rust_xlsxwriter::utility::row_col_to_cell(*r, *c)
                    ));
                }
                write_value(ws, *r, *c, v, &fmt)?;
            }
        }
        // Blank cells with a look of their own (input cells of a template).
        if let Some(l) = look {
            for ((r, c), cl) in &l.cells {
                if g.get(*r, *c).is_none() {
                    ws.write_blank(*r, *c, &formats.get(cl))?;
                }
            }
        }
        widths(ws, g, look)?;
        merged(ws, g, &plain)?;
        // Without the original's drop-downs (an .xls's are not read), the
        // score column gets the scale's.
        match look {
            Some(l) if !l.lists.is_empty() => validations(ws, l)?,
            _ => score_list(ws, g, o)?,
        }
        if look.is_some_and(|l| l.protected) {
            ws.protect();
        }
    }
    // The named ranges a list formula may use, once each.
    let mut named = HashSet::new();
    for l in looks.values() {
        for rule in &l.lists {
            if let ListSource::Formula { names, .. } = &rule.source {
                for (n, r) in names {
                    // A name Excel refuses could not be used by a list
                    // in Excel either; the rest of the copy still stands.
                    if named.insert(n.clone()) && wb.define_name(n, &format!("={r}")).is_err() {
                        continue;
                    }
                }
            }
        }
    }
    if !cut.is_empty() {
        out.changes.push(format!(
            "Text longer than Excel's limit of 32,767 characters was cut in {}: shorten it, or give a document reference instead.",
            cut.join(", ")
        ));
    }
    out.bytes = wb.save_to_buffer()?;
    Ok(out)
}

/// Formats made from looks, one per distinct look.
#[derive(Default)]
struct Formats(BTreeMap<String, Format>);

impl Formats {
    fn get(&mut self, l: &CellLook) -> Format {
        let key = format!("{l:?}");
        self.0
            .entry(key)
            .or_insert_with(|| {
                let mut f = Format::new().set_align(FormatAlign::Top);
                if let Some(fill) = &l.fill {
                    f = f.set_background_color(fill.as_str());
                }
                if let Some(c) = &l.font_colour {
                    f = f.set_font_color(c.as_str());
                }
                if l.bold {
                    f = f.set_bold();
                }
                if l.italic {
                    f = f.set_italic();
                }
                if let Some(s) = l.size {
                    f = f.set_font_size(s);
                }
                if l.wrap {
                    f = f.set_text_wrap();
                }
                if !l.locked {
                    f = f.set_unlocked();
                }
                if l.border {
                    f = f
                        .set_border(rust_xlsxwriter::FormatBorder::Thin)
                        .set_border_color("#A6A6A6");
                }
                if let Some(n) = &l.number_format {
                    f = f.set_num_format(n.as_str());
                }
                f
            })
            .clone()
    }
}

/// The original's widths where known; otherwise wide enough for the text.
fn widths(ws: &mut Worksheet, g: &Grid, look: Option<&SheetLook>) -> Result<(), XlsxError> {
    if let Some(l) = look
        && !l.widths.is_empty()
    {
        for (c, w) in &l.widths {
            ws.set_column_width(*c, *w)?;
        }
        return Ok(());
    }
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for row in g.rows.values() {
        for (c, v) in row {
            let len = cells::shown(v)
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            let w = widths.entry(*c).or_default();
            *w = (*w).max(len);
        }
    }
    for (c, w) in widths {
        ws.set_column_width(c, (w as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    Ok(())
}

fn merged(ws: &mut Worksheet, g: &Grid, wrap: &Format) -> Result<(), XlsxError> {
    for m in &g.merged {
        if m.start != m.end {
            let text = g
                .get(m.start.0, m.start.1 as u16)
                .map(cells::shown)
                .unwrap_or_default();
            ws.merge_range(
                m.start.0,
                m.start.1 as u16,
                m.end.0,
                m.end.1 as u16,
                &text,
                wrap,
            )?;
        }
    }
    Ok(())
}

/// The original's drop-downs.
fn validations(ws: &mut Worksheet, l: &SheetLook) -> Result<(), XlsxError> {
    for v in &l.lists {
        let dv = match &v.source {
            ListSource::Values(items) => {
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                match DataValidation::new().allow_list_strings(&items) {
                    Ok(dv) => dv,
                    Err(_) => continue,
                }
            }
            ListSource::Range(r) => {
                DataValidation::new().allow_list_formula(rust_xlsxwriter::Formula::new(r.as_str()))
            }
            ListSource::Formula { odf, base, .. } => DataValidation::new().allow_list_formula(
                rust_xlsxwriter::Formula::new(excel_formula(odf, *base, v.first)),
            ),
            ListSource::DatesBetween(a, b) => {
                let (Ok(a), Ok(b)) = (
                    ExcelDateTime::from_serial_datetime(*a),
                    ExcelDateTime::from_serial_datetime(*b),
                ) else {
                    continue;
                };
                DataValidation::new().allow_date(rust_xlsxwriter::DataValidationRule::Between(a, b))
            }
        };
        ws.add_data_validation(v.first.0, v.first.1, v.last.0, v.last.1, &dv)?;
    }
    Ok(())
}

/// Without the original's drop-downs, the score column gets the scale's,
/// so the fix is a choice.
fn score_list(ws: &mut Worksheet, g: &Grid, o: &Outcome) -> Result<(), XlsxError> {
    let fw = &o.framework;
    if let Some(h) = find_header(g, fw, None)
        && let Some(col) = h.col(Field::Score)
    {
        let labels: Vec<&str> = fw.scale.iter().map(|l| l.label.as_str()).collect();
        if let Ok(dv) = DataValidation::new().allow_list_strings(&labels) {
            let last = g
                .rows
                .keys()
                .next_back()
                .copied()
                .unwrap_or(h.row + 1)
                .max(h.row + 1);
            let dv = dv
                .set_input_title("Score")?
                .set_input_message(format!("Choose one of: {}.", fw.scale_list()))?;
            ws.add_data_validation(h.row + 1, col, last, col, &dv)?;
        }
        ws.set_freeze_panes(h.row + 1, 0)?;
    }
    Ok(())
}

fn write_value(ws: &mut Worksheet, r: u32, c: u16, v: &Data, f: &Format) -> Result<(), XlsxError> {
    use crate::write::xlsx::{date, style::DATE_FORMAT};
    let date_format = || f.clone().set_num_format(DATE_FORMAT);
    match v {
        Data::Empty => {
            ws.write_blank(r, c, f)?;
        }
        Data::String(s) => crate::write::xlsx::text(ws, r, c, s, f)?,
        Data::Float(x) => {
            ws.write_number_with_format(r, c, *x, f)?;
        }
        Data::Int(x) => {
            ws.write_number_with_format(r, c, *x as f64, f)?;
        }
        Data::Bool(b) => {
            ws.write_boolean_with_format(r, c, *b, f)?;
        }
        Data::DateTime(dt) => match crate::dates::from_excel(dt) {
            Some(d) => {
                date(ws, r, c, d, &date_format())?;
            }
            None => {
                ws.write_number_with_format(r, c, dt.as_f64(), f)?;
            }
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => match crate::dates::parse_text(s) {
            Ok(Some(d)) => {
                date(ws, r, c, d.date, &date_format())?;
            }
            _ => crate::write::xlsx::text(ws, r, c, s, f)?,
        },
        // The value the officer's formula showed, kept as text so it is seen.
        Data::Error(e) => {
            ws.write_string_with_format(r, c, e.to_string(), f)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_excel_refuses_are_made_acceptable_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(excel_name("Assessment", &mut used), "Assessment");
        assert_eq!(excel_name("assessment", &mut used), "assessment (2)");
        let long = "A sheet name far longer than thirty-one characters";
        assert_eq!(
            excel_name(long, &mut used),
            "A sheet name far longer than th"
        );
        assert_eq!(
            excel_name(long, &mut used),
            "A sheet name far longer tha (2)"
        );
        assert_eq!(excel_name("Q1/Q2 [draft]?", &mut used), "Q1_Q2 _draft__");
        assert_eq!(excel_name("''", &mut used), "Sheet");
    }
}
