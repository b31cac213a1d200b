//! The chase list: who owes the office what ([`owed`]: returns missing for
//! a round and theme, returns with errors to correct, files that could not
//! be read, action updates out of date), as console text and as a workbook
//! the performance officer prints or pastes into an e-mail ([`sheet`]):
//! titled, dated, grouped by officer.

mod owed;
mod sheet;

pub use sheet::{HEADING_ROW, SHEET, TITLE};

use std::path::Path;

use crate::assess::Outcome;
use crate::error::Error;
use crate::framework::fold;

#[derive(Debug, Clone, PartialEq)]
pub struct Chase {
    /// Who to contact, as the return names them ("" when unknown).
    pub officer: String,
    /// What they owe, in a few words.
    pub owes: String,
    /// Round and theme, or service area.
    pub about: String,
    pub file: String,
    pub errors: usize,
    pub warnings: usize,
    /// What to tell them: the first problem, or what is missing (and how
    /// the officer who owes it is known).
    pub detail: String,
}

/// Everything owed, in order: missing returns, returns to correct, action
/// updates.
pub fn list(o: &Outcome) -> Vec<Chase> {
    let mut out = owed::missing_returns(o);
    out.extend(owed::returns_with_errors(o));
    out.extend(owed::stale_updates(o));
    out
}

/// The list grouped by officer: named officers in alphabetical order (case
/// and spacing ignored), then what no one is known to owe. Each group keeps
/// the list's order.
pub fn by_officer(list: &[Chase]) -> Vec<(&str, Vec<&Chase>)> {
    let mut groups: Vec<(&str, Vec<&Chase>)> = Vec::new();
    for c in list {
        let who = c.officer.trim();
        match groups.iter_mut().find(|(o, _)| fold(o) == fold(who)) {
            Some((_, items)) => items.push(c),
            None => groups.push((who, vec![c])),
        }
    }
    groups.sort_by_key(|(o, _)| (o.is_empty(), fold(o)));
    groups
}

/// The chase list as console text.
pub fn text(list: &[Chase]) -> String {
    if list.is_empty() {
        return "Nobody to chase: every return expected has arrived without errors.\n".into();
    }
    let mut s = format!("Who to chase ({}):\n", list.len());
    for (officer, items) in by_officer(list) {
        let who = if officer.is_empty() {
            "(not known)"
        } else {
            officer
        };
        for c in items {
            s.push_str(&format!("  {who}: {} — {}", c.owes, c.about));
            if !c.file.is_empty() {
                s.push_str(&format!(
                    " ({}, {})",
                    c.file,
                    crate::report::console::plural(c.errors, "error")
                ));
            }
            s.push('\n');
        }
    }
    s
}

/// Writes the chase list as a workbook.
pub fn write(path: &Path, o: &Outcome, list: &[Chase]) -> Result<(), Error> {
    let bytes = sheet::render(o, list).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}
