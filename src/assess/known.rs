//! What is known so far, for pre-filling templates (`--from`): the earlier
//! rounds' returns, read and merged exactly as `build` reads them, and the
//! last committee workbook this tool wrote (its Cover, Characteristics and
//! Action plan sheets). Returns override the committee workbook where both
//! speak. A committee workbook that has already reached the round a
//! template is for belongs to the last cycle: it is kept apart, as last
//! year's, rather than pre-filling this year's cells.

use std::path::PathBuf;

use crate::error::Error;
use crate::framework::Framework;
use crate::problems::{Kind, Severity};
use crate::read::discover;
use crate::records::ReturnKind;

/// One round's contribution to one characteristic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownRound {
    pub score: Option<usize>,
    pub commentary: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownChar {
    pub narrative: String,
    pub evidence: String,
    pub gaps: String,
    /// Indexed by round.
    pub rounds: Vec<Option<KnownRound>>,
}

impl KnownChar {
    /// The score as it stood once `round` was done: the latest score given
    /// in that round or any earlier one (a blank later score keeps it).
    pub fn score_after(&self, fw: &Framework, round: usize) -> Option<usize> {
        (0..=round.min(self.rounds.len().saturating_sub(1)))
            .rev()
            .filter(|r| fw.rounds[*r].scored)
            .find_map(|r| self.rounds[r].as_ref().and_then(|e| e.score))
    }
}

/// An action as known so far: the action plan's own record.
pub type KnownAction = crate::assess::plan::Action;

/// One characteristic as last year's committee workbook left it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastYearChar {
    pub score: Option<usize>,
    pub narrative: String,
    pub evidence: String,
}

/// Last cycle's assessment, from a committee workbook.
#[derive(Debug, Clone, Default)]
pub struct LastYear {
    /// The workbook, as named in messages.
    pub file: String,
    /// Indexed like `Framework::characteristics`.
    pub chars: Vec<Option<LastYearChar>>,
}

/// Everything read from `--from`.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Indexed like `Framework::characteristics`.
    pub chars: Vec<KnownChar>,
    /// Sorted by action ID.
    pub actions: Vec<KnownAction>,
    /// Files read, as named in messages.
    pub files: Vec<String>,
    /// Files found but not read, with why.
    pub skipped: Vec<String>,
    /// Errors found while reading the returns (shown as a count: `build`
    /// gives the detail).
    pub errors: usize,
    /// The authority the sources name: a committee workbook's Cover, else
    /// a return's details.
    pub authority: Option<String>,
    /// The framework version each committee workbook was made with.
    pub versions: Vec<(String, String)>,
    /// Characteristics whose final score needs an action and that have
    /// none, in framework order.
    pub uncovered: Vec<usize>,
    /// Last cycle's scores and narratives, when a committee workbook from
    /// an earlier cycle was given.
    pub last_year: Option<LastYear>,
}

impl Known {
    pub fn empty(fw: &Framework) -> Known {
        Known {
            chars: vec![
                KnownChar {
                    rounds: vec![None; fw.rounds.len()],
                    ..KnownChar::default()
                };
                fw.characteristics.len()
            ],
            ..Known::default()
        }
    }

    /// Reads every workbook under `paths`, returns and committee workbooks,
    /// through the same read and merge as `build`.
    pub fn read(paths: &[PathBuf], fw: &Framework) -> Result<Known, Error> {
        Known::read_for(paths, fw, None)
    }

    /// As `read`, for templates of `round`: a committee workbook that has
    /// already reached that round is last year's.
    pub fn read_for(
        paths: &[PathBuf],
        fw: &Framework,
        round: Option<usize>,
    ) -> Result<Known, Error> {
        let mut known = Known::empty(fw);
        if paths.is_empty() {
            return Ok(known);
        }
        let found = discover(paths, None)?;
        known.skipped = found
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.display, s.reason))
            .collect();
        let mut read = super::read_returns(&found.files, Vec::new(), fw);
        // A file that could not be read is listed as not read, with why;
        // its problem is not counted among the errors as well.
        let unreadable: Vec<&str> = read
            .returns
            .iter()
            .filter(|r| r.kind == ReturnKind::Unreadable)
            .map(|r| r.file.as_str())
            .collect();
        for file in &unreadable {
            let why = read
                .problems
                .iter()
                .find(|p| p.location.file == *file)
                .map(|p| p.message.clone())
                .unwrap_or_else(|| "not a return".into());
            known.skipped.push(format!("{file}: {why}"));
        }
        known.files = found
            .files
            .iter()
            .map(|f| f.display.clone())
            .filter(|f| !unreadable.contains(&f.as_str()))
            .collect();
        read.problems
            .retain(|p| !unreadable.contains(&p.location.file.as_str()));
        // A committee workbook is a baseline: what it says stands wherever
        // no return says otherwise (the same rule as `build --previous`).
        let mut baselines = Vec::new();
        for f in std::mem::take(&mut read.committees) {
            match crate::committee::read::read(&f.path, "a source for the template") {
                Ok(c) => {
                    known.authority = known.authority.take().or(c.authority.clone());
                    if let Some(v) = &c.framework_version {
                        known.versions.push((c.file.clone(), v.clone()));
                    }
                    if round.is_some_and(|r| reached(&c, fw).is_some_and(|at| at >= r)) {
                        known.add_last_year(&c, fw);
                    } else {
                        baselines.push(c);
                    }
                }
                Err(e) => known.skipped.push(format!("{}: {e}", f.display)),
            }
        }
        let assessment = super::merge_read(&mut read, &baselines, fw);
        let mut problems = std::mem::take(&mut read.problems);
        let plan = super::plan::consolidate(
            std::mem::take(&mut read.actions),
            &assessment,
            fw,
            None,
            None,
            &mut problems,
        );
        let mut from_returns = Known::empty(fw);
        for (c, m) in assessment.characteristics.iter().enumerate() {
            let k = &mut from_returns.chars[c];
            k.narrative = m.narrative.clone();
            k.evidence = m.evidence.clone();
            k.gaps = m.gaps.clone();
            for (r, e) in m.rounds.iter().enumerate() {
                k.rounds[r] = e.as_ref().map(|e| KnownRound {
                    score: e.score,
                    commentary: e.commentary.clone(),
                    reason: e.reason.clone(),
                });
            }
        }
        from_returns.actions = plan.actions;
        known.uncovered = plan.uncovered;
        let from_a_return = read
            .returns
            .iter()
            .filter(|r| !matches!(r.kind, ReturnKind::Unreadable | ReturnKind::Committee))
            .find_map(|r| r.authority.clone());
        known.authority = known.authority.take().or(from_a_return);
        known.overlay(from_returns);
        // Characteristics nobody has scored yet are expected while the rounds
        // are under way; they are not errors in what was read.
        known.errors = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .filter(|p| !matches!(p.kind, Kind::NotAssessed | Kind::NoActionForGap))
            .count();
        Ok(known)
    }

    /// Keeps a committee workbook's final scores, narratives and evidence
    /// as last year's (the first workbook given wins where two speak).
    fn add_last_year(&mut self, c: &crate::committee::read::Committee, fw: &Framework) {
        let last = self.last_year.get_or_insert_with(|| LastYear {
            file: c.file.clone(),
            chars: vec![None; fw.characteristics.len()],
        });
        for p in &c.characteristics {
            let Some(ch) = fw.find_code(&p.code) else {
                continue;
            };
            if last.chars[ch].is_none() {
                last.chars[ch] = Some(LastYearChar {
                    score: fw.find_score(&p.final_score),
                    narrative: p.narrative.clone(),
                    evidence: p.evidence.clone(),
                });
            }
        }
    }

    /// Lays `other` over this: what it says wins, blanks never erase.
    pub fn overlay(&mut self, other: Known) {
        for (mine, theirs) in self.chars.iter_mut().zip(other.chars) {
            for (a, b) in [
                (&mut mine.narrative, theirs.narrative),
                (&mut mine.evidence, theirs.evidence),
                (&mut mine.gaps, theirs.gaps),
            ] {
                if !b.is_empty() {
                    *a = b;
                }
            }
            for (a, b) in mine.rounds.iter_mut().zip(theirs.rounds) {
                if b.is_some() {
                    *a = b;
                }
            }
        }
        for a in other.actions {
            match self.actions.iter_mut().find(|x| x.id == a.id) {
                Some(x) if x.updated <= a.updated || a.updated.is_none() => *x = a,
                Some(_) => {}
                None => self.actions.push(a),
            }
        }
        self.actions.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// The latest round a committee workbook has anything for: the first round
/// for a position statement or evidence, a round with a score or comment.
fn reached(c: &crate::committee::read::Committee, fw: &Framework) -> Option<usize> {
    let mut at = None;
    for p in &c.characteristics {
        if !p.narrative.is_empty() || !p.evidence.is_empty() {
            at = at.max(Some(0));
        }
        for (name, score, comment) in &p.rounds {
            if score.is_empty() && comment.is_empty() {
                continue;
            }
            at = at.max(fw.find_round(name));
        }
    }
    at
}
