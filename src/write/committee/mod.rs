//! Writes the committee workbook in its two editions: the performance
//! officer's working copy (Cover, Heat map, Summary, Characteristics, Score
//! trail, Action plan and Problems, with the tracking columns, file names
//! and source cells) and the clerk's copy for publication (the first six
//! sheets only, laid out for A4 at full size, with no working-paper
//! wording). Pure rendering: all the judgements were made in the earlier
//! stages.

mod action_plan;
mod blocks;
mod cover;
mod detail;
mod heat_map;
mod plan_print;
mod problems_sheet;
mod summary;

use crate::committee::{ACTION_PLAN, CHARACTERISTICS, COVER, PROBLEMS, SCORE_TRAIL, SUMMARY};
pub use crate::committee::{NOT_ASSESSED, PUBLISHED_SHEETS, SHEETS};
pub use crate::config::Meeting;

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::assess::merge::Assessment;
use crate::assess::plan::ActionPlan;
use crate::error::Error;
use crate::framework::Framework;
use crate::problems::Problems;
use crate::read::Skipped;
use crate::records::ReturnInfo;
use crate::write::xlsx::properties;
use crate::write::xlsx::style::Styles;

/// Which copy of the committee workbook is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// The performance officer's: everything, with where it came from.
    Working,
    /// The clerk's, for publication: what the committee reads, nothing to
    /// edit, no file names, source cells or problems list.
    Published,
}

/// Everything the committee workbook shows.
pub struct Report<'a> {
    pub edition: Edition,
    /// The meeting it goes to (Cover and page headers).
    pub meeting: &'a Meeting,
    pub fw: &'a Framework,
    pub authority: &'a str,
    pub as_at: Option<NaiveDate>,
    pub returns: &'a [ReturnInfo],
    pub skipped: &'a [Skipped],
    pub assessment: &'a Assessment,
    pub plan: &'a ActionPlan,
    pub problems: &'a Problems,
    /// Last month's committee workbook, when given.
    pub previous: Option<&'a crate::committee::read::Committee>,
    /// This year against last year, when given.
    pub travel: Option<&'a crate::assess::travel::Travel>,
}

impl Report<'_> {
    pub fn published(&self) -> bool {
        self.edition == Edition::Published
    }

    /// The sheets of this edition, in order.
    pub fn sheets(&self) -> &'static [&'static str] {
        match self.edition {
            Edition::Working => &SHEETS,
            Edition::Published => &PUBLISHED_SHEETS,
        }
    }
}

/// Where each characteristic and action sits in the detail sheets, for links.
#[derive(Default)]
pub struct Rows {
    pub characteristic: Vec<u32>,
    pub action: std::collections::HashMap<String, u32>,
}

/// Builds the workbook in memory.
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let comment = match r.edition {
        Edition::Working => properties::produced_by(),
        Edition::Published => {
            crate::marks::published_comment(r.authority, &as_at_text(r).to_lowercase())
        }
    };
    wb.set_properties(
        &properties::dated(r.as_at)?
            .set_title(format!("{}: Best Value self-assessment", r.authority))
            .set_subject(format!(
                "Best Value Duty self-assessment against {}",
                crate::committee::framework_line(&r.fw.name, &r.fw.version)
            ))
            .set_author(r.authority)
            .set_company(r.authority)
            .set_keywords("Best Value Duty, self-assessment, heat map, action plan")
            .set_comment(comment),
    );
    // The sheets are built on two threads, then put in their fixed order:
    // building them costs as much as reading a council's returns. Each
    // sheet's content depends only on the report, so the bytes written are
    // the same whichever thread finishes first.
    let sheet = |name: &str| -> Result<Worksheet, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(ws)
    };
    type Built = Result<(Vec<Worksheet>, Rows), XlsxError>;
    let (first, second): (Built, Built) = std::thread::scope(|scope| {
        let second = scope.spawn(|| -> Built {
            let mut rows = Rows::default();
            let mut plan = sheet(ACTION_PLAN)?;
            match r.edition {
                Edition::Working => action_plan::write(&mut plan, r, &st, &mut rows)?,
                Edition::Published => plan_print::write(&mut plan, r, &st)?,
            }
            let mut cover = sheet(COVER)?;
            cover::write(&mut cover, r, &st)?;
            let mut heat = sheet(crate::committee::HEAT_MAP)?;
            heat_map::write(&mut heat, r, &st)?;
            Ok((vec![plan, cover, heat], rows))
        });
        let first = (|| -> Built {
            let mut rows = Rows::default();
            let mut detail = sheet(CHARACTERISTICS)?;
            match r.edition {
                Edition::Working => detail::characteristics(&mut detail, r, &st, &mut rows)?,
                Edition::Published => blocks::write(&mut detail, r, &st)?,
            }
            let mut trail = sheet(SCORE_TRAIL)?;
            detail::trail(&mut trail, r, &st)?;
            let mut summary = sheet(SUMMARY)?;
            summary::write(&mut summary, r, &st)?;
            Ok((vec![detail, trail, summary], rows))
        })();
        // A panic in the other thread is a bug: pass it on.
        let second = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    });
    let (mut built, characteristic_rows) = first?;
    let (more, action_rows) = second?;
    built.extend(more);
    // The Problems sheet links to rows of both detail sheets.
    let rows = Rows {
        characteristic: characteristic_rows.characteristic,
        action: action_rows.action,
    };
    if r.edition == Edition::Working {
        let mut problems = sheet(PROBLEMS)?;
        problems_sheet::write(&mut problems, r, &st, &rows)?;
        built.push(problems);
    }
    for name in r.sheets() {
        let i = built
            .iter()
            .position(|ws| ws.name() == *name)
            .expect("every sheet is built");
        let mut ws = built.swap_remove(i);
        if *name == COVER {
            ws.set_active(true);
        }
        wb.push_worksheet(ws);
    }
    // Level 1 makes the file larger (53 KB rather than 38 KB for a council)
    // in much less time than the default level.
    wb.set_zip_compression_level(1);
    properties::set_language(&wb.save_to_buffer()?, properties::LANGUAGE)
}

/// Writes the workbook atomically: to a temporary file in the same folder,
/// then renamed over the target, so an interrupted run leaves any previous
/// output intact.
pub fn write(path: &Path, r: &Report) -> Result<(), Error> {
    let bytes = render(r).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}

/// The committee workbook's print setup: A4 with heading rows repeated
/// (the rows of `repeat`, first to last) and a print area, and the page
/// header and footer of [`page_text`]. A sheet wider than the paper is
/// shrunk to fit its width ([`crate::write::xlsx::full_size`]): the working
/// copy's wide tables are; the clerk's copy's sheets are laid out to fit,
/// so they print at full size.
pub fn page_setup(
    ws: &mut Worksheet,
    r: &Report,
    repeat: Option<(u32, u32)>,
    last_row: u32,
    last_col: u16,
    landscape: bool,
) -> Result<(), XlsxError> {
    crate::write::xlsx::full_size(ws, landscape);
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    ws.set_print_area(0, 0, last_row, last_col)?;
    page_text(ws, r);
    Ok(())
}

/// The page header and footer of both editions: the authority and the
/// assessment on the left, the appendix label and the meeting on the right;
/// the sheet's name, the "as at" date and the page number below.
pub fn page_text(ws: &mut Worksheet, r: &Report) {
    use crate::write::xlsx::page::{footer_text, header_text};
    let left = [
        r.authority.to_string(),
        "Best Value Duty self-assessment".to_string(),
    ];
    let right: Vec<String> = [r.meeting.appendix.clone(), r.meeting.line()]
        .into_iter()
        .flatten()
        .collect();
    ws.set_header(header_text(&left, &right));
    ws.set_footer(footer_text(&as_at_text(r)));
}

/// "As at 31 October 2025", or a plain statement that no date was known.
pub fn as_at_text(r: &Report) -> String {
    match r.as_at {
        Some(d) => format!("As at {}", crate::dates::long(d)),
        None => "As at: no date given".to_string(),
    }
}

/// A heading row with widths, in the report's heading format.
pub fn headings<H: AsRef<str>>(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(H, f64)],
    st: &Styles,
) -> Result<(), XlsxError> {
    crate::write::xlsx::headings(ws, row, cols, &st.header, Some(30.0))
}
