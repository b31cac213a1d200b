//! What is known so far, for pre-filling templates (`--from`): the earlier
//! rounds' returns, read and merged exactly as `build` reads them, and the
//! last committee workbook this tool wrote (its Characteristics and Action
//! plan sheets). Returns override the committee workbook where both speak.

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
                Ok(c) => baselines.push(c),
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
