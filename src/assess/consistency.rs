//! Checks of a run as a whole, once the returns are read and put
//! together: rows found in error only then are reported, not used; and last
//! month's and last year's workbooks are this authority's.

use std::path::Path;

use crate::error::Error;
use crate::framework::fold;
use crate::problems::{Problem, Problems};
use crate::records::ReturnInfo;

/// Rows found in error once the returns were put together (every row of a
/// conflict, a changed score without a reason, a mistyped action ID) were
/// counted as used when read: they are reported, not used. `read` is how
/// many of `problems` were found while reading.
pub fn recount(returns: &mut [ReturnInfo], problems: &Problems, read: usize) {
    use std::collections::BTreeSet;
    let row_of = |p: &Problem| {
        let l = &p.location;
        Some((l.file.clone(), l.sheet.clone()?, l.row?))
    };
    let errors = |list: Vec<&Problem>| -> BTreeSet<(String, String, u32)> {
        list.into_iter()
            .filter(|p| p.is_error())
            .filter_map(row_of)
            .collect()
    };
    let all: Vec<&Problem> = problems.iter().collect();
    let (reading, after) = all.split_at(read.min(all.len()));
    let counted = errors(reading.to_vec());
    for (file, ..) in errors(after.to_vec()).difference(&counted) {
        if let Some(r) = returns.iter_mut().find(|r| &r.file == file)
            && r.rows_used > 0
        {
            r.rows_used -= 1;
            r.rows_reported += 1;
        }
    }
}

/// Refuses a committee workbook whose Cover names another authority than
/// this run's (`--authority`, or what the returns say).
pub fn same_authority(
    path: &Path,
    option: &'static str,
    theirs: Option<&str>,
    here: Option<&(String, &'static str)>,
) -> Result<(), Error> {
    let (Some(theirs), Some((ours, ours_from))) = (theirs, here) else {
        return Ok(());
    };
    if fold(theirs) == fold(ours) {
        return Ok(());
    }
    Err(Error::OtherAuthority {
        path: path.to_path_buf(),
        option,
        theirs: theirs.to_string(),
        ours: ours.clone(),
        ours_from,
    })
}
