//! Writes the committee workbook: Cover, Heat map, Summary, Characteristics,
//! Score trail, Action plan and Problems, in that order. Pure rendering: all
//! the judgements were made in the earlier stages.

mod action_plan;
mod cover;
mod detail;
mod heat_map;
mod problems_sheet;
mod summary;

use crate::committee::{ACTION_PLAN, CHARACTERISTICS, COVER, PROBLEMS, SCORE_TRAIL, SUMMARY};
pub use crate::committee::{NOT_ASSESSED, SHEETS};

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

/// Everything the committee workbook shows.
pub struct Report<'a> {
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
            .set_comment(properties::produced_by()),
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
            action_plan::write(&mut plan, r, &st, &mut rows)?;
            let mut cover = sheet(COVER)?;
            cover::write(&mut cover, r, &st)?;
            let mut heat = sheet(crate::committee::HEAT_MAP)?;
            heat_map::write(&mut heat, r, &st)?;
            Ok((vec![plan, cover, heat], rows))
        });
        let first = (|| -> Built {
            let mut rows = Rows::default();
            let mut detail = sheet(CHARACTERISTICS)?;
            detail::characteristics(&mut detail, r, &st, &mut rows)?;
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
    let mut problems = sheet(PROBLEMS)?;
    problems_sheet::write(&mut problems, r, &st, &rows)?;
    built.push(problems);
    for name in SHEETS {
        let i = built
            .iter()
            .position(|ws| ws.name() == name)
            .expect("every sheet is built");
        let mut ws = built.swap_remove(i);
        if name == COVER {
            ws.set_active(true);
        }
        wb.push_worksheet(ws);
    }
    // Level 1 makes the file larger (53 KB rather than 38 KB for a council)
    // in much less time than the default level.
    wb.set_zip_compression_level(1);
    wb.save_to_buffer()
}

/// Writes the workbook atomically: to a temporary file in the same folder,
/// then renamed over the target, so an interrupted run leaves any previous
/// output intact.
pub fn write(path: &Path, r: &Report) -> Result<(), Error> {
    let bytes = render(r).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}

/// The committee workbook's print setup: `a4`, with heading rows repeated
/// and a print area.
pub fn page_setup(
    ws: &mut Worksheet,
    r: &Report,
    title: &str,
    repeat: Option<u32>,
    last_row: u32,
    last_col: u16,
    landscape: bool,
) -> Result<(), XlsxError> {
    crate::write::xlsx::print_setup(
        ws,
        title,
        r.authority,
        &as_at_text(r),
        repeat,
        (last_row, last_col),
        landscape,
    )
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
