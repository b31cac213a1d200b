//! One authority's returns kept in a folder per round (Draft, Review …)
//! are not a sector: `compare` says so instead of comparing "4
//! authorities" that are one council's rounds.

use std::path::PathBuf;

use crate::error::Error;
use crate::framework::{Framework, fold};

/// What a folder of returns turned out to hold, to tell one authority's
/// round folders from a sector's authority folders.
pub struct Shape {
    pub parent: Option<PathBuf>,
    pub display: String,
    pub authority: Option<String>,
    pub rounds: std::collections::BTreeSet<usize>,
}

/// Refuses one authority's returns kept in a folder per round (Draft,
/// Review …) taken for a sector: sibling folders whose returns name the same
/// authority, or that name none and hold one round each, all different.
pub fn one_authority_by_round(shapes: &[Shape], fw: &Framework) -> Result<(), Error> {
    let mut parents: Vec<&Option<PathBuf>> = shapes.iter().map(|s| &s.parent).collect();
    parents.sort();
    parents.dedup();
    for parent in parents {
        let here: Vec<&Shape> = shapes.iter().filter(|s| &s.parent == parent).collect();
        let mut named: Vec<(String, &Shape)> = here
            .iter()
            .filter_map(|s| s.authority.as_ref().map(|a| (fold(a), *s)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let same = named
            .windows(2)
            .find(|w| w[0].0 == w[1].0)
            .map(|w| w[0].1.authority.clone().unwrap_or_default());
        let by_round = here.len() >= 2
            && here
                .iter()
                .all(|s| s.authority.is_none() && s.rounds.len() == 1)
            && {
                let mut r: Vec<_> = here.iter().flat_map(|s| s.rounds.iter()).collect();
                r.sort();
                r.dedup();
                r.len() == here.len()
            };
        if same.is_none() && !by_round {
            continue;
        }
        let folders: Vec<&str> = match &same {
            Some(a) => here
                .iter()
                .filter(|s| s.authority.as_deref().is_some_and(|x| fold(x) == fold(a)))
                .map(|s| s.display.as_str())
                .collect(),
            None => here.iter().map(|s| s.display.as_str()).collect(),
        };
        let rounds: Vec<&str> = fw.rounds.iter().map(|r| r.name.as_str()).collect();
        return Err(Error::OneAuthority {
            path: parent.clone().unwrap_or_default(),
            authority: same,
            folders: folders.join(", "),
            rounds: rounds.join(", "),
        });
    }
    Ok(())
}
