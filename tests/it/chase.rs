//! The chase list read back: who owes what (returns not received, returns
//! to correct with their first error), grouped by officer, titled and
//! dated, and the officer a missing return is owed by found from the
//! other returns of the round or from last year's workbook.

use crate::common::*;

#[test]
fn chase_list_names_who_owes_what() {
    let d = Dir::new();
    // Review round under way: Continuous Improvement returned with an error;
    // the other six themes have no return.
    d.put(
        "ci.xlsx",
        &Ret::assessment("Review", "Continuous Improvement", "Dana Reviewer")
            .row(&[s("CI001"), s("Purple")]),
    );
    let chase = d.path("chase.xlsx");
    let (code, _, stderr) = cli(&[
        "check",
        d.returns().to_str().unwrap(),
        "--chase",
        chase.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Who to chase (7):"), "{stderr}");
    assert!(stderr.contains("Dana Reviewer: Corrections to the return — Review round: Continuous Improvement (ci.xlsx, 1 error)"), "{stderr}");
    let g = sheet(&chase, bestvalue::write::chase::SHEET);
    assert_eq!(g[0][0], "Returns to chase");
    assert!(g[1][0].contains("as at 30 September 2025"), "{:?}", g[1]);
    let top = bestvalue::write::chase::HEADING_ROW as usize;
    assert_eq!(
        g[top][..3],
        ["What is owed", "Round and theme, or service area", "File"]
    );
    // Grouped by officer: Dana's return to correct, then the six themes
    // no one is known to owe.
    let groups: Vec<&str> = g[top + 1..]
        .iter()
        .filter(|r| r[1].is_empty() && !r[0].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(groups, ["Dana Reviewer (1)", "Officer not known (6)"]);
    let unknown = g
        .iter()
        .position(|r| r[0] == "Officer not known (6)")
        .unwrap();
    let missing: Vec<&str> = g[unknown + 1..]
        .iter()
        .filter(|r| r[0] == "Return not received")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(missing.len(), 6);
    assert!(missing.contains(&"Review round: Governance"));
    // Counts only for a return that was read.
    let governance = row_with(&g, 1, "Review round: Governance").unwrap();
    assert_eq!(governance[3], "");
    let dana = row_with(&g, 0, "Corrections to the return").unwrap();
    assert_eq!(dana[2], "ci.xlsx");
    assert_eq!(dana[3], "1");
    assert!(dana[5].contains("\"Purple\" is not a score on the scale."));
}

#[test]
fn chase_list_names_the_officer_a_missing_return_is_owed_by() {
    let d = Dir::new();
    let returns = d.path("returns");
    copy_dir(&samples(), &returns);
    std::fs::remove_file(returns.join("1 Draft/Draft - Culture.xlsx")).unwrap();
    std::fs::remove_file(returns.join("2 Review/Review - Governance.xlsx")).unwrap();
    let last = samples().join("../2024-25/Committee 2024-25.xlsx");
    let run = |previous: bool| {
        let chase = d.path(if previous {
            "with.xlsx"
        } else {
            "without.xlsx"
        });
        let mut args = vec!["check", returns.to_str().unwrap()];
        if previous {
            args.extend(["--previous", last.to_str().unwrap()]);
        }
        args.extend(["--chase", chase.to_str().unwrap()]);
        let (code, _, stderr) = cli(&args);
        assert!(code < 2, "{stderr}");
        (stderr, sheet(&chase, bestvalue::write::chase::SHEET))
    };
    // Every other draft came from one officer: she owes Culture's too.
    // Reviews come from one officer a theme: nobody is guessed.
    let (stderr, g) = run(false);
    assert!(
        stderr.contains("  Rebecca Halloran: Return not received — Draft round: Culture"),
        "{stderr}"
    );
    assert!(stderr.contains("  (not known): Return not received — Review round: Governance"));
    let draft = row_with(&g, 1, "Draft round: Culture").unwrap();
    assert!(
        draft[5].ends_with("Rebecca Halloran sent every other Draft return."),
        "{draft:?}"
    );
    let band = g
        .iter()
        .position(|r| r[0] == "Rebecca Halloran (1)")
        .unwrap();
    assert_eq!(g[band + 1][1], "Draft round: Culture");
    assert!(g.iter().any(|r| r[0] == "Officer not known (1)"));
    // Last year's workbook says who gave Governance's review scores.
    let (stderr, g) = run(true);
    assert!(
        stderr.contains(
            "  Performance and Improvement Team: Return not received — Review round: Governance"
        ),
        "{stderr}"
    );
    let review = row_with(&g, 1, "Review round: Governance").unwrap();
    assert!(
        review[5].ends_with(
            "Performance and Improvement Team gave the Review scores for Governance in Committee 2024-25.xlsx."
        ),
        "{review:?}"
    );
    assert!(!g.iter().any(|r| r[0].starts_with("Officer not known")));
}
