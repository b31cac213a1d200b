//! Carrying one authority's scores onto the framework the sector is
//! compared on: through the mappings when it was assessed against another
//! version, with a note for each score or code left out.

use std::path::Path;

use super::{Authority, Raw};
use crate::assess::mapping::{self, Mapping};
use crate::error::Error;
use crate::framework::{Framework, fold};

/// A mapping that leads to the framework compared on must only name codes
/// it has: a wrong code there would silently drop scores.
pub(super) fn check_mappings(
    maps: &[Mapping],
    fw: &Framework,
    others: &[Framework],
) -> Result<(), Error> {
    for m in maps {
        let to = if fold(&m.to) == fold(&fw.version) {
            Some(fw)
        } else {
            others.iter().find(|o| fold(&o.version) == fold(&m.to))
        };
        let from = others
            .iter()
            .chain(std::iter::once(fw))
            .find(|o| fold(&o.version) == fold(&m.from));
        if let Some(to) = to {
            let found = m.check(from, to);
            if !found.is_empty() {
                return Err(Error::Mapping {
                    origin: m.origin.clone(),
                    message: found.join("\n"),
                });
            }
        }
    }
    Ok(())
}

/// Carries one authority's scores onto the framework compared on.
pub(super) fn place(raw: Raw, fw: &Framework, maps: &[Mapping]) -> Result<Authority, String> {
    let version = if raw.version.is_empty() {
        fw.version.clone()
    } else {
        raw.version.clone()
    };
    let Some(chain) = mapping::route(maps, &version, &fw.version) else {
        return Err(format!(
            "It was assessed against framework version {version}, and no mapping from {version} to {} was given (--mapping).",
            fw.version
        ));
    };
    let mut notes = raw.notes;
    let mut unknown_scores = Vec::new();
    let scores: Vec<(String, Option<usize>)> = raw
        .scores
        .into_iter()
        .map(|(code, label)| {
            let level = if label.is_empty() || fold(&label) == fold(crate::committee::NOT_ASSESSED)
            {
                None
            } else {
                let l = fw.find_score(&label);
                if l.is_none() {
                    unknown_scores.push(format!("{code} ({label})"));
                }
                l
            };
            (code, level)
        })
        .collect();
    if !unknown_scores.is_empty() {
        notes.push(format!(
            "Scores not on the scale, left out: {}.",
            unknown_scores.join(", ")
        ));
    }
    let carried = mapping::carry(&scores, &chain, &fw.scale);
    if !chain.is_empty() {
        notes.push(format!(
            "Assessed against version {version}; scores carried onto version {} with {}.",
            fw.version,
            chain
                .iter()
                .map(|m| file_name(&m.origin))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !carried.retired.is_empty() {
        notes.push(format!(
            "Retired in the mapping, not compared: {}.",
            carried.retired.join(", ")
        ));
    }
    let mut levels = vec![None; fw.characteristics.len()];
    let mut unknown_codes = Vec::new();
    for (code, level) in carried.scores {
        match fw.find_code(&code) {
            Some(c) => levels[c] = level,
            None => unknown_codes.push(code),
        }
    }
    if !unknown_codes.is_empty() {
        notes.push(format!(
            "Codes not in {} (version {}), left out: {}.",
            fw.name,
            fw.version,
            unknown_codes.join(", ")
        ));
    }
    Ok(Authority {
        name: raw.name,
        shown: String::new(),
        source: raw.source,
        files: raw.files,
        version,
        as_at: raw.as_at,
        levels,
        notes,
    })
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_on_another_version_are_carried_or_refused() {
        let fw = Framework::default_framework();
        let raw = |version: &str| Raw {
            name: "X".into(),
            source: "x.xlsx".into(),
            files: 0,
            version: version.into(),
            as_at: None,
            scores: vec![
                ("CI1".into(), "Amber".into()),
                ("OLD1".into(), "Light green".into()),
                ("L0010".into(), "Not assessed".into()),
            ],
            notes: Vec::new(),
        };
        let e = place(raw("2023"), &fw, &[]).unwrap_err();
        assert!(e.contains("no mapping from 2023 to 2024"), "{e}");
        let m = Mapping::parse(
            "from = \"2023\"\nto = \"2024\"\n[[renumbered]]\nfrom = \"OLD1\"\nto = \"CI002\"\n",
            "dir/m.toml",
        )
        .unwrap();
        let a = place(raw("2023"), &fw, &[m]).unwrap();
        assert_eq!(a.levels[0], Some(3));
        assert_eq!(a.levels[1], Some(1));
        assert!(a.levels[2..].iter().all(Option::is_none));
        assert!(
            a.notes[0].contains("carried onto version 2024 with m.toml"),
            "{:?}",
            a.notes
        );
    }
}
