//! The sector workbook written by `compare`: Cover, Sector heat map,
//! Distribution and Positions. Pure rendering of [`Sector`] and its figures
//! ([`crate::sector::stats`]). Colours come from conditional formatting in
//! the framework's colours; every coloured cell also carries the level's
//! letter or name, so a black-and-white print still reads.

mod cover;
mod heat_map;
mod tables;

use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::committee::{COVER, SECTOR_MARK_SHEET};
use crate::error::Error;
use crate::framework::{Cell, Framework};
use crate::sector::Sector;
use crate::sector::stats::{self, Stats};
use crate::write::xlsx::levels::{colour_by_value, scale_labels, scale_letters};
use crate::write::xlsx::properties;
use crate::write::xlsx::style::Styles;

pub use heat_map::{Rows as HeatMapRows, rows as heat_map_rows, theme_breaks};

pub const SHEETS: [&str; 4] = [COVER, SECTOR_MARK_SHEET, "Distribution", "Positions"];

const TITLE: &str = "Best Value self-assessment: sector comparison";
/// Shown in a heat-map cell whose characteristic the authority did not assess.
pub const NOT_ASSESSED_MARK: &str = "–";

/// First row of the positions grid (0-based); the heat map's rows depend
/// on the scale (see [`heat_map_rows`]).
pub const POSITIONS_TOP: u32 = 6;
pub const DISTRIBUTION_TOP: u32 = 5;

/// What every sheet is drawn from.
struct Ctx<'a> {
    s: &'a Sector,
    fw: &'a Framework,
    st: Styles,
    stats: Stats,
    who: String,
    when: String,
}

/// The characteristics in heat-map order (theme by theme, code order); a
/// "See" cell is not a characteristic of its own and gets no column.
pub fn columns(fw: &Framework) -> Vec<usize> {
    fw.themes
        .iter()
        .flat_map(|t| t.cells.iter())
        .filter_map(|c| match c {
            Cell::Own(i) => Some(*i),
            Cell::See(_) => None,
        })
        .collect()
}

pub fn render(s: &Sector) -> Result<Vec<u8>, XlsxError> {
    let levels: Vec<Vec<Option<usize>>> = s.authorities.iter().map(|a| a.levels.clone()).collect();
    let latest = s.authorities.iter().filter_map(|a| a.as_at).max();
    let cx = Ctx {
        s,
        fw: &s.fw,
        st: Styles::new(),
        stats: stats::compute(&s.fw, &levels),
        who: format!("{} authorities", s.authorities.len()),
        when: match latest {
            Some(d) => format!("Assessments as at {} or earlier", crate::dates::long(d)),
            None => String::new(),
        },
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &properties::dated(latest)?
            .set_title(TITLE)
            .set_subject(format!(
                "{} authorities compared against {} (version {})",
                s.authorities.len(),
                s.fw.name,
                s.fw.version
            ))
            .set_keywords("Best Value Duty, self-assessment, sector comparison, heat map")
            .set_comment(properties::produced_by()),
    );
    for name in SHEETS {
        wb.add_worksheet().set_name(name)?;
    }
    cover::write(wb.worksheet_from_name(COVER)?, &cx)?;
    heat_map::write(wb.worksheet_from_name(SECTOR_MARK_SHEET)?, &cx)?;
    tables::distribution(wb.worksheet_from_name("Distribution")?, &cx)?;
    tables::positions(wb.worksheet_from_name("Positions")?, &cx)?;
    wb.worksheet_from_name(COVER)?.set_active(true);
    wb.save_to_buffer()
}

pub fn write(path: &Path, s: &Sector) -> Result<(), Error> {
    let bytes = render(s).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}

/// Colours cells in a range by the level they hold, as its letter or its
/// label.
fn colour_rules(
    ws: &mut Worksheet,
    fw: &Framework,
    from: (u32, u16),
    to: (u32, u16),
    by_letter: bool,
) -> Result<(), XlsxError> {
    let levels = if by_letter {
        scale_letters(fw)
    } else {
        scale_labels(fw)
    };
    colour_by_value(ws, (from, to), &levels)
}

fn letter(fw: &Framework, level: Option<usize>) -> &str {
    level
        .and_then(|l| fw.scale.get(l))
        .map_or(NOT_ASSESSED_MARK, |l| l.letter.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_hold_whole_themes() {
        // Default framework: 12, 12, 10, 11, 12, 10, 7 columns, then counts.
        let groups = [12, 12, 10, 11, 12, 10, 7, 7];
        assert_eq!(super::theme_breaks(&groups, 1, 26), vec![25, 46, 68]);
        assert_eq!(super::theme_breaks(&[30, 2], 1, 26), vec![31]);
        assert!(super::theme_breaks(&[3], 1, 26).is_empty());
    }
}
