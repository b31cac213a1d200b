//! Property: merging the rounds does not depend on the order in which the
//! files (or the rows read from them) are given. proptest generates
//! scenarios with duplicates, conflicts, blanks and changes between rounds,
//! and shuffles of each; the merged assessment, the score trail and the
//! problems must be the same for every order. A failure is shrunk to its
//! smallest case and kept in `proptest-regressions/` to be replayed.

use proptest::prelude::*;

use crate::common::*;
use bestvalue::assess::merge;
use bestvalue::framework::Framework;
use bestvalue::problems::Problems;
use bestvalue::records::{Entry, Source};

/// xorshift64*: small, fast, and the same on every machine (shuffles the
/// files read from disk in the second test).
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

const FILES: [&str; 5] = ["a.xlsx", "b.xlsx", "c.xlsx", "sub/d.xlsx", "E.xlsx"];

fn one_of(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_string)
}

/// One row of a return: a few characteristics only, so the same code often
/// appears twice in a round, with equal, different or no scores.
fn entry(fw: &Framework) -> impl Strategy<Value = Entry> {
    let (rounds, levels) = (fw.rounds.len(), fw.scale.len());
    (
        (0..FILES.len(), 1..=30u32, 0..6usize, 0..rounds),
        (proptest::option::weighted(0.8, 0..levels), any::<bool>()),
        one_of(&["Ann", "Bo", "Cy"]),
        (
            one_of(&["", "Narrative one", "Narrative two"]),
            one_of(&["", "Doc 1", "Doc 2"]),
            one_of(&["", "Looks right", "Needs work"]),
            one_of(&["", "A gap", "Another gap"]),
            one_of(&["", "Moderated down", "More evidence"]),
        ),
        proptest::bool::weighted(1.0 / 6.0),
    )
        .prop_map(
            |((file, row, characteristic, round), (score, unreadable), officer, text, baseline)| {
                let (narrative, evidence, commentary, gaps, reason) = text;
                Entry {
                    characteristic,
                    round,
                    source: Source {
                        file: FILES[file].to_string(),
                        sheet: "Assessment".into(),
                        row,
                    },
                    officer: Some(officer),
                    score,
                    score_col: Some((1, "Score".into())),
                    reason_col: Some((4, "Reason".into())),
                    gaps_col: Some((3, "Gaps".into())),
                    score_unreadable: score.is_none() && unreadable,
                    narrative,
                    evidence,
                    commentary,
                    gaps,
                    reason,
                    baseline,
                }
            },
        )
}

/// A round's worth of rows from a few files (one row of one sheet of one
/// file holds one entry), and the same rows in another order.
fn scenario(fw: &Framework) -> impl Strategy<Value = (Vec<Entry>, Vec<Entry>)> {
    proptest::collection::vec(entry(fw), 1..40).prop_flat_map(|mut rows| {
        let mut seen = std::collections::BTreeSet::new();
        rows.retain(|e| seen.insert((e.source.file.clone(), e.source.row)));
        (Just(rows.clone()), Just(rows).prop_shuffle())
    })
}

fn merged(entries: Vec<Entry>, fw: &Framework) -> (String, Vec<String>) {
    let mut problems = Problems::default();
    let a = merge::merge(entries, fw, &mut problems);
    (
        format!("{:?}", a),
        problems.iter().map(|p| format!("{p:?}")).collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn merging_entries_in_any_order_gives_the_same_result(
        (entries, shuffled) in scenario(&Framework::default_framework())
    ) {
        let fw = Framework::default_framework();
        let expected = merged(entries, &fw);
        let got = merged(shuffled, &fw);
        prop_assert_eq!(got.0, expected.0, "merged assessment differs");
        prop_assert_eq!(got.1, expected.1, "problems differ (or their order)");
    }
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
