//! Reads back a committee workbook written by `bestvalue build`: the
//! authority (Cover A1), the framework and its version, the "as at" date,
//! and every characteristic's final score (Characteristics sheet, Code and
//! Final score columns). Only those two sheets are read.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;

use crate::framework::fold;
use crate::read::cells;

/// What one committee workbook says.
#[derive(Debug, Clone)]
pub struct CommitteeScores {
    pub authority: String,
    pub framework: String,
    pub version: String,
    pub as_at: Option<NaiveDate>,
    /// (code, final score as written), in the workbook's order.
    pub scores: Vec<(String, String)>,
    /// Cells read, for the benchmark's accounting.
    pub cells: usize,
}

/// Why a workbook could not be compared (a sentence for the user).
pub type NotRead = String;

/// The sheet that marks a sector comparison (see `output::sector`).
pub const SECTOR_MARK_SHEET: &str = "Sector heat map";

pub fn read(path: &Path) -> Result<CommitteeScores, NotRead> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!("it could not be read ({e}). If it is open on another computer, close it there.")
    })?;
    read_bytes(bytes)
}

pub fn read_bytes(bytes: Vec<u8>) -> Result<CommitteeScores, NotRead> {
    let not_ours = || {
        "it is not a committee workbook written by bestvalue build (compare reads those, or folders of returns)."
            .to_string()
    };
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(not_ours());
    }
    let mut x: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| not_ours())?;
    let names = x.sheet_names();
    if names.iter().any(|n| n == SECTOR_MARK_SHEET) {
        return Err(
            "it is a sector comparison written by bestvalue compare, not one authority's committee workbook."
                .to_string(),
        );
    }
    if !names.iter().any(|n| n == "Cover") || !names.iter().any(|n| n == "Characteristics") {
        return Err(not_ours());
    }
    let cover = x.worksheet_range("Cover").map_err(|_| not_ours())?;
    let mut cells_read = count(&cover);
    let authority = cover
        .get_value((0, 0))
        .map(cells::squeezed)
        .unwrap_or_default();
    let fact = |label: &str| -> Option<String> {
        let want = fold(label);
        (cover.start()?.0..=cover.end()?.0)
            .find(|&r| {
                cover
                    .get_value((r, 0))
                    .is_some_and(|d| fold(&cells::text(d)) == want)
            })
            .and_then(|r| cover.get_value((r, 1)))
            .map(cells::squeezed)
    };
    if !fact("Produced by").is_some_and(|p| fold(&p).starts_with("bestvalue")) {
        return Err(not_ours());
    }
    let framework_text = fact("Framework").unwrap_or_default();
    let (framework, version) = split_version(&framework_text);
    let as_at = fact("As at")
        .and_then(|t| crate::dates::parse_text(&t).ok().flatten())
        .map(|d| d.date);
    if authority.is_empty() {
        return Err("its cover does not name the authority (cell A1 is empty).".to_string());
    }

    let sheet = x
        .worksheet_range("Characteristics")
        .map_err(|_| not_ours())?;
    cells_read += count(&sheet);
    let Some((top, left)) = sheet.start() else {
        return Err("its Characteristics sheet is empty.".to_string());
    };
    let (bottom, right) = sheet.end().unwrap_or((top, left));
    let col = |heading: &str| {
        let want = fold(heading);
        (left..=right).find(|&c| {
            sheet
                .get_value((top, c))
                .is_some_and(|d| fold(&cells::text(d)) == want)
        })
    };
    let (Some(code_col), Some(final_col)) = (col("Code"), col("Final score")) else {
        return Err(
            "its Characteristics sheet has no Code and Final score columns (was it edited by hand?)."
                .to_string(),
        );
    };
    let mut scores = Vec::new();
    for r in top + 1..=bottom {
        let code = sheet
            .get_value((r, code_col))
            .map(cells::squeezed)
            .unwrap_or_default();
        if code.is_empty() {
            continue;
        }
        let score = sheet
            .get_value((r, final_col))
            .map(cells::squeezed)
            .unwrap_or_default();
        scores.push((code, score));
    }
    Ok(CommitteeScores {
        authority,
        framework,
        version,
        as_at,
        scores,
        cells: cells_read,
    })
}

fn count(r: &Range<Data>) -> usize {
    r.used_cells()
        .filter(|(_, _, d)| !matches!(d, Data::Empty))
        .count()
}

/// "Best Value guidance 2024 (version 2024)" → ("Best Value guidance 2024", "2024").
pub fn split_version(text: &str) -> (String, String) {
    match text.rfind("(version ") {
        Some(i) if text.ends_with(')') => (
            text[..i].trim().to_string(),
            text[i + "(version ".len()..text.len() - 1]
                .trim()
                .to_string(),
        ),
        _ => (text.trim().to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_framework_line() {
        assert_eq!(
            split_version("Best Value guidance 2024 (version 2024)"),
            ("Best Value guidance 2024".to_string(), "2024".to_string())
        );
        assert_eq!(
            split_version("Our framework"),
            ("Our framework".to_string(), String::new())
        );
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert!(
            read_bytes(b"hello".to_vec())
                .unwrap_err()
                .contains("not a committee workbook")
        );
    }
}
