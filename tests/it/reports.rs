//! The console and JSON reports, word for word, as reviewed snapshots in
//! `tests/it/snapshots/`: a change of wording or layout shows as a readable
//! diff. When a change is meant, accept it with
//!
//! ```text
//! INSTA_UPDATE=always cargo test --test it reports
//! ```
//!
//! and review the snapshot files' diff before committing.

use bestvalue::report::{console, json};

use crate::common::*;

fn check(inputs: Vec<std::path::PathBuf>) -> bestvalue::Outcome {
    bestvalue::check(&bestvalue::BuildConfig {
        inputs,
        ..Default::default()
    })
    .unwrap()
}

/// A folder with the kinds of problem officers make most: a score not on
/// the scale, a code not in the framework, no officer's name.
fn with_problems(d: &Dir) -> std::path::PathBuf {
    d.put(
        "Review - Culture.xlsx",
        &Ret::assessment("Review", "Culture", "Robin")
            .row(&[s("C001"), s("Purple")])
            .row(&[s("C099"), s("Amber")])
            .row(&[s("C002"), s("Light green")]),
    );
    d.put(
        "Review - Governance.xlsx",
        &Ret::assessment("Review", "Governance", "").row(&[s("G001"), s("Yellow")]),
    );
    d.returns()
}

#[test]
fn console_report_on_the_samples() {
    let o = check(vec![samples()]);
    insta::assert_snapshot!("samples_summary", console::render(&o));
    insta::assert_snapshot!(
        "samples_problems",
        format!("{}{}.\n", console::all_problems(&o), console::tally(&o))
    );
}

#[test]
fn json_report_on_the_samples() {
    insta::assert_snapshot!("samples_json", json::render(&check(vec![samples()])));
}

#[test]
fn reports_of_returns_with_problems() {
    let d = Dir::new();
    let o = check(vec![with_problems(&d)]);
    insta::assert_snapshot!("problems_summary", console::render(&o));
    insta::assert_snapshot!(
        "problems_listed",
        format!("{}{}.\n", console::all_problems(&o), console::tally(&o))
    );
}
