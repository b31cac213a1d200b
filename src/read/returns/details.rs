//! The "about this return" block: labelled cells (Return type, Round, Theme,
//! Completed by, Date completed …) with the value to their right. Plain cells
//! survive every re-save by Excel or LibreOffice and every format, unlike
//! document properties or defined names, so this is how a return says what
//! it is. The file name is never used.

use calamine::Data;

use crate::framework::fold;
use crate::read::Grid;
use crate::read::cells;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    ReturnType,
    Round,
    Themes,
    Framework,
    FrameworkVersion,
    Authority,
    CompletedBy,
    DateCompleted,
    ServiceArea,
    /// The marker on our own committee workbooks' cover.
    ProducedBy,
}

/// The labels the tool's templates write, and what officers might write.
/// Labels are folded (lower case, letters and digits only).
const LABELS: &[(Key, &[&str])] = &[
    (
        Key::ReturnType,
        &["returntype", "typeofreturn", "thisreturnis"],
    ),
    (
        Key::Round,
        &["round", "reviewround", "assessmentround", "stage"],
    ),
    (Key::Themes, &["theme", "themes", "themesincluded"]),
    (Key::Framework, &["framework"]),
    (Key::FrameworkVersion, &["frameworkversion", "version"]),
    (Key::Authority, &["authority", "council", "organisation"]),
    (
        Key::CompletedBy,
        &[
            "completedby",
            "yourname",
            "officer",
            "returnedby",
            "reviewer",
            "nameofofficer",
        ],
    ),
    (
        Key::DateCompleted,
        &["datecompleted", "completedon", "datereturned", "date"],
    ),
    (Key::ServiceArea, &["servicearea"]),
    (Key::ProducedBy, &["producedby"]),
];

/// The template's own label for each key.
pub fn label(key: Key) -> &'static str {
    match key {
        Key::ReturnType => "Return type",
        Key::Round => "Round",
        Key::Themes => "Themes",
        Key::Framework => "Framework",
        Key::FrameworkVersion => "Framework version",
        Key::Authority => "Authority",
        Key::CompletedBy => "Completed by",
        Key::DateCompleted => "Date completed",
        Key::ServiceArea => "Service area",
        Key::ProducedBy => "Produced by",
    }
}

/// The Service area a return for every service area shows: no one area,
/// so its new actions take the service area their rows give.
pub const ALL_SERVICE_AREAS: &str = "All service areas";

/// A Service area value that names one area: not blank, and not "All
/// service areas" (or "All").
pub fn one_service_area(value: &str) -> Option<&str> {
    let f = fold(value);
    (!f.is_empty() && f != "all" && f != fold(ALL_SERVICE_AREAS)).then_some(value)
}

/// The key a cell's text labels, if it is one of the recognised labels
/// (any case, spacing or punctuation). Templates use it to make sure their
/// own text is never mistaken for a label.
pub fn key_of(text: &str) -> Option<Key> {
    let f = fold(text);
    LABELS
        .iter()
        .find(|(_, names)| names.contains(&f.as_str()))
        .map(|(k, _)| *k)
}

/// One value found: the key, the value, and where the value sits.
#[derive(Debug, Clone)]
pub struct Detail {
    pub key: Key,
    pub value: Data,
    pub sheet: String,
    pub row: u32,
    pub col: u16,
}

const SEARCH_ROWS: u32 = 60;
const SEARCH_COLS: u16 = 8;

/// Reads the labelled details from a sheet, above `stop_row` when given (the
/// heading row of a table on the same sheet).
pub fn read(grid: &Grid, stop_row: Option<u32>) -> Vec<Detail> {
    let mut found: Vec<Detail> = Vec::new();
    let end = stop_row.unwrap_or(SEARCH_ROWS).min(SEARCH_ROWS);
    for (&row, cells) in grid.rows.range(..end) {
        for (i, (col, value)) in cells.iter().enumerate() {
            if *col >= SEARCH_COLS {
                break;
            }
            let Data::String(s) = value else { continue };
            let Some(key) = key_of(s) else {
                continue;
            };
            if found.iter().any(|d| d.key == key) {
                continue;
            }
            // The value is the next cell to the right (within three columns).
            let next = cells[i + 1..]
                .iter()
                .take_while(|(c, _)| *c <= col + 3)
                .find(|(_, v)| !cells::is_blank(Some(v)));
            // The value cell may be blank: remember where it should be.
            let (vcol, v) = match next {
                Some((c, v)) => (*c, v.clone()),
                None => (col + 1, Data::Empty),
            };
            found.push(Detail {
                key,
                value: v,
                sheet: grid.name.clone(),
                row,
                col: vcol,
            });
        }
    }
    found
}
