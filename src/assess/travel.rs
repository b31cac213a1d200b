//! Direction of travel: each characteristic's colour this year against last
//! year's committee workbook, through mapping files when the framework
//! changed between the years (retired, merged or renumbered codes).

use std::path::Path;

use chrono::NaiveDate;

use crate::assess::mapping::{self, Mapping, code_id};
use crate::assess::merge::Assessment;
use crate::error::Error;
use crate::framework::{Cell, Framework, fold};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Improved,
    Same,
    Declined,
    /// Not in last year's framework (after mapping).
    New,
    /// One of the two years has no score, or a level that is not scored
    /// (Grey) in either year.
    NotCompared,
}

impl Direction {
    pub const ALL: [Direction; 5] = [
        Direction::Improved,
        Direction::Same,
        Direction::Declined,
        Direction::New,
        Direction::NotCompared,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Direction::Improved => "Improved",
            Direction::Same => "Same",
            Direction::Declined => "Declined",
            Direction::New => "New",
            Direction::NotCompared => "Not compared",
        }
    }

    /// The mark printed beside a code on the heat map (none for "same").
    pub fn mark(self) -> &'static str {
        match self {
            Direction::Improved => "▲",
            Direction::Declined => "▼",
            Direction::New => "(new)",
            Direction::Same | Direction::NotCompared => "",
        }
    }
}

/// Last year against this year.
#[derive(Debug, Clone)]
pub struct Travel {
    pub file: String,
    pub as_at: Option<NaiveDate>,
    /// Last year's framework version, as its workbook says.
    pub version: String,
    /// The authority last year's Cover names.
    pub authority: Option<String>,
    /// Per this year's characteristic: last year's level (mapped) and the
    /// direction.
    pub per_characteristic: Vec<(Option<usize>, Direction)>,
    /// Last year's codes that are not in this year's framework.
    pub retired: Vec<String>,
}

impl Travel {
    pub fn count(&self, theme: Option<usize>, fw: &Framework, d: Direction) -> usize {
        self.per_characteristic
            .iter()
            .enumerate()
            .filter(|(c, (_, dir))| {
                *dir == d && theme.is_none_or(|t| fw.characteristics[*c].theme == t)
            })
            .count()
    }

    /// Last year's levels counted per this year's theme: [levels…, none].
    pub fn last_counts(&self, fw: &Framework) -> Vec<Vec<usize>> {
        fw.themes
            .iter()
            .map(|t| {
                let mut c = vec![0; fw.scale.len() + 1];
                for cell in &t.cells {
                    if let Cell::Own(ch) = cell {
                        match self.per_characteristic[*ch].0 {
                            Some(l) => c[l] += 1,
                            None => c[fw.scale.len()] += 1,
                        }
                    }
                }
                c
            })
            .collect()
    }
}

/// Last year's committee workbook, its scores carried onto this year's
/// framework. Opened and checked before any return is read, so a wrong
/// path or a missing mapping fails at once.
#[derive(Debug, Clone)]
pub struct LastYear {
    file: String,
    as_at: Option<NaiveDate>,
    version: String,
    /// The authority its Cover names.
    pub authority: Option<String>,
    /// Last year's codes (mapped) and final levels.
    scores: Vec<(String, Option<usize>)>,
    /// Last year's codes that are not in this year's framework.
    retired: Vec<String>,
}

impl LastYear {
    /// Reads last year's workbook at `path` and carries its scores onto
    /// `fw` through `maps` when the framework changed between the years.
    pub fn open(path: &Path, maps: &[Mapping], fw: &Framework) -> Result<LastYear, Error> {
        let last = crate::committee::read::read(path, "last year's committee workbook")?;
        let version = last
            .framework_version
            .clone()
            .unwrap_or_else(|| fw.version.clone());
        let chain =
            mapping::route(maps, &version, &fw.version).ok_or_else(|| Error::NoMapping {
                path: path.to_path_buf(),
                from: version.clone(),
                to: fw.version.clone(),
            })?;
        for m in &chain {
            let wrong = m.check(None, fw);
            if !wrong.is_empty() && fold(&m.to) == fold(&fw.version) {
                return Err(Error::Mapping {
                    origin: m.origin.clone(),
                    message: wrong.join("\n"),
                });
            }
        }
        let scores: Vec<(String, Option<usize>)> = last
            .characteristics
            .iter()
            .map(|c| (c.code.clone(), fw.find_score(&c.final_score)))
            .collect();
        let carried = mapping::carry(&scores, &chain, &fw.scale);
        let mut retired = carried.retired.clone();
        for (code, _) in &carried.scores {
            if fw.find_code(code).is_none() {
                retired.push(code.clone());
            }
        }
        Ok(LastYear {
            file: last.file,
            as_at: last.as_at,
            version,
            authority: last.authority,
            scores: carried.scores,
            retired,
        })
    }
}

/// Compares this year's result with last year's.
pub fn compare(last: LastYear, fw: &Framework, now: &Assessment) -> Travel {
    let per_characteristic = fw
        .characteristics
        .iter()
        .enumerate()
        .map(|(c, ch)| {
            let then = last
                .scores
                .iter()
                .find(|(code, _)| code_id(code) == code_id(&ch.code));
            let Some((_, then)) = then else {
                return (None, Direction::New);
            };
            (*then, direction(now.level(c), *then, fw))
        })
        .collect();
    Travel {
        file: last.file,
        as_at: last.as_at,
        version: last.version,
        authority: last.authority,
        per_characteristic,
        retired: last.retired,
    }
}

/// Lower levels are better (the scale is listed best first).
fn direction(now: Option<usize>, then: Option<usize>, fw: &Framework) -> Direction {
    let (Some(now), Some(then)) = (now, then) else {
        return Direction::NotCompared;
    };
    // Grey (not scored) in either year has no direction, even Grey in both:
    // "the same" would read as the same standard, which nobody judged.
    if !(fw.scale[now].scored && fw.scale[then].scored) {
        return Direction::NotCompared;
    }
    if now == then {
        return Direction::Same;
    }
    if now < then {
        Direction::Improved
    } else {
        Direction::Declined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_in_either_year_is_not_compared() {
        let fw = Framework::default_framework();
        let level = |l: &str| fw.find_score(l);
        let d = |now: &str, then: &str| direction(level(now), level(then), &fw);
        assert_eq!(d("Grey", "Grey"), Direction::NotCompared);
        assert_eq!(d("Grey", "Amber"), Direction::NotCompared);
        assert_eq!(d("Amber", "Grey"), Direction::NotCompared);
        assert_eq!(direction(level("Amber"), None, &fw), Direction::NotCompared);
        assert_eq!(d("Amber", "Amber"), Direction::Same);
        assert_eq!(d("Yellow", "Amber"), Direction::Improved);
        assert_eq!(d("Amber", "Yellow"), Direction::Declined);
    }
}
