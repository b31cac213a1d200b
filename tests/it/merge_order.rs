//! Property: merging the rounds does not depend on the order in which the
//! files (or the rows read from them) are given. Random scenarios with
//! duplicates, conflicts, blanks and changes between rounds are merged in
//! many shuffled orders; the merged assessment, the score trail and the
//! problems must be the same every time. The random numbers come from a
//! small fixed-seed generator written here, so every run tests the same
//! cases and a failure can be replayed.

use crate::common::*;
use bestvalue::assess::merge;
use bestvalue::framework::Framework;
use bestvalue::problems::Problems;
use bestvalue::records::{Entry, Source};

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

fn words(rng: &mut Rng, options: &[&str]) -> String {
    options[rng.below(options.len())].to_string()
}

/// A random round's worth of rows from a few files, with the collisions
/// that make merging interesting: a few characteristics, so the same code
/// often appears twice in a round, with equal, different or no scores.
fn scenario(rng: &mut Rng, fw: &Framework) -> Vec<Entry> {
    let n = 1 + rng.below(40);
    let files = ["a.xlsx", "b.xlsx", "c.xlsx", "sub/d.xlsx", "E.xlsx"];
    let mut used = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for _ in 0..n {
        let file = files[rng.below(files.len())].to_string();
        let row = 1 + rng.below(30) as u32;
        // One row of one sheet of one file holds one entry.
        if !used.insert((file.clone(), row)) {
            continue;
        }
        let characteristic = rng.below(6);
        let round = rng.below(fw.rounds.len());
        let score = match rng.below(6) {
            5 => None,
            l => Some(l % fw.scale.len()),
        };
        out.push(Entry {
            characteristic,
            round,
            source: Source {
                file,
                sheet: "Assessment".into(),
                row,
            },
            officer: Some(words(rng, &["Ann", "Bo", "Cy"])),
            score,
            score_col: Some((1, "Score".into())),
            reason_col: Some((4, "Reason".into())),
            gaps_col: Some((3, "Gaps".into())),
            score_unreadable: score.is_none() && rng.below(3) == 0,
            narrative: words(rng, &["", "Narrative one", "Narrative two"]),
            evidence: words(rng, &["", "Doc 1", "Doc 2"]),
            commentary: words(rng, &["", "Looks right", "Needs work"]),
            gaps: words(rng, &["", "A gap", "Another gap"]),
            reason: words(rng, &["", "Moderated down", "More evidence"]),
            baseline: rng.below(6) == 0,
        });
    }
    out
}

fn merged(entries: Vec<Entry>, fw: &Framework) -> (String, Vec<String>) {
    let mut problems = Problems::default();
    let a = merge::merge(entries, fw, &mut problems);
    (
        format!("{:?}", a),
        problems.iter().map(|p| format!("{p:?}")).collect(),
    )
}

#[test]
fn merging_entries_in_any_order_gives_the_same_result() {
    let fw = Framework::default_framework();
    let mut rng = Rng(0x5EED_0000_0000_0007);
    let mut checked = 0;
    for _ in 0..150 {
        let entries = scenario(&mut rng, &fw);
        let expected = merged(entries.clone(), &fw);
        for _ in 0..25 {
            let mut shuffled = entries.clone();
            rng.shuffle(&mut shuffled);
            let got = merged(shuffled, &fw);
            assert_eq!(got.0, expected.0, "merged assessment differs");
            assert_eq!(got.1, expected.1, "problems differ (or their order)");
            checked += 1;
        }
    }
    assert_eq!(checked, 150 * 25);
}

#[test]
fn reading_files_in_any_order_gives_the_same_merge() {
    // Real returns with the same code in several files of one round
    // (agreeing, conflicting, blank), changes across rounds, and an
    // action return, read in many orders.
    let d = Dir::new();
    let rets = [
        (
            "draft.xlsx",
            Ret::assessment("Draft", "Culture", "Dee").row(&[s("C001")]),
        ),
        (
            "review-1.xlsx",
            Ret::assessment("Review", "Culture", "Rev One")
                .row(&[s("C001"), s("Amber"), s("first")])
                .row(&[s("C002"), s("Yellow")]),
        ),
        (
            "review-2.xlsx",
            Ret::assessment("Review", "Culture", "Rev Two")
                .row(&[s("C001"), s("Yellow"), s("conflicts")])
                .row(&[s("C002"), s("Yellow"), s("agrees")])
                .row(&[s("C003"), V::Blank, s("blank")]),
        ),
        (
            "review-3.xlsx",
            Ret::assessment("Review", "Culture", "Rev Three")
                .row(&[s("C003"), s("Light green")])
                .row(&[s("C004"), s("Grey")]),
        ),
        (
            "moderation.xlsx",
            Ret::assessment("Moderation", "All themes", "Mo")
                .row(&[s("C002"), s("Amber"), s(""), s(""), s("Evidence weaker")])
                .row(&[s("C003"), s("Dark green")]),
        ),
        (
            "final.xlsx",
            Ret::assessment("Final", "All themes", "Chief").row(&[s("C002"), s("Amber")]),
        ),
    ];
    for (name, r) in &rets {
        d.put(name, r);
    }
    let fw = Framework::default_framework();
    let found = bestvalue::read::discover(&[d.returns()], None).unwrap();
    let run = |files: &[bestvalue::read::InputFile]| {
        let mut read = bestvalue::read_returns(files, Vec::new(), &fw);
        let entries = std::mem::take(&mut read.entries);
        let mut problems = std::mem::take(&mut read.problems);
        let a = merge::merge(entries, &fw, &mut problems);
        problems.sort(); // as `build` does before anything is shown
        (
            format!("{:?}", a),
            problems
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>(),
        )
    };
    let expected = run(&found.files);
    assert!(
        expected
            .1
            .iter()
            .any(|p| p.contains("DuplicateCodeConflict")),
        "the scenario has a conflict"
    );
    let mut rng = Rng(42);
    for _ in 0..40 {
        let mut files = found.files.clone();
        rng.shuffle(&mut files);
        assert_eq!(run(&files), expected);
    }
}
