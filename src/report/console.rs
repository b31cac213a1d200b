//! The console summary a performance officer reads after a run: files read
//! and skipped, scores per colour, actions, and the problems grouped by file.

use std::fmt::Write;

use crate::assess::Outcome;
use crate::problems::Problem;

/// Problems listed per file on the console; the rest are in the workbook.
const PER_FILE: usize = 5;
/// Problems of one kind listed per file before they are counted instead.
const SAME_KIND: usize = 3;

/// "Read 21 returns; 2 files not read." and each file not read, with why.
fn files_read(o: &Outcome) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Read {}{}.",
        plural(o.returns.len(), "return"),
        if o.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} not read", plural(o.skipped.len(), "file"))
        }
    );
    for sk in &o.skipped {
        let _ = writeln!(s, "  not read: {} ({})", sk.display, sk.reason);
    }
    s
}

pub fn render(o: &Outcome) -> String {
    let fw = &o.framework;
    let mut s = String::new();
    s.push_str(&files_read(o));
    s.push_str(&accounting(o));
    let mut counts = vec![0usize; fw.scale.len()];
    let mut missing = 0;
    for c in 0..fw.characteristics.len() {
        match o.assessment.level(c) {
            Some(l) => counts[l] += 1,
            None => missing += 1,
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(l, n)| format!("{n} {}", fw.scale[l].label))
        .collect();
    let _ = writeln!(
        s,
        "Final scores: {}; {missing} not assessed.",
        parts.join(", ")
    );
    let overdue = o.plan.actions.iter().filter(|a| a.overdue).count();
    let _ = writeln!(
        s,
        "Actions: {} ({overdue} overdue{}); {} without an action although {} one.",
        o.plan.actions.len(),
        match o.as_at {
            Some(d) => format!(" as at {}", crate::dates::uk(d)),
            None => String::new(),
        },
        plural(o.plan.uncovered.len(), "characteristic"),
        if o.plan.uncovered.len() == 1 {
            "it needs"
        } else {
            "they need"
        }
    );
    s.push_str(&problems(o));
    s
}

/// Every row read is either used or reported: the sums, per return and in
/// all, so the office can see that nothing was dropped.
pub fn accounting(o: &Outcome) -> String {
    let mut s = String::new();
    let (read, used, reported) = o.returns.iter().fold((0, 0, 0), |t, r| {
        (t.0 + r.rows_read, t.1 + r.rows_used, t.2 + r.rows_reported)
    });
    let _ = writeln!(
        s,
        "Rows read = used + reported: {read} = {used} + {reported} in all; per return:"
    );
    let w = read.to_string().len();
    for r in &o.returns {
        let _ = write!(
            s,
            "  {:>w$} = {:>w$} + {:>w$}  {}",
            r.rows_read, r.rows_used, r.rows_reported, r.file
        );
        if r.kind == crate::records::ReturnKind::Unreadable {
            let _ = write!(s, " (not read: see its problems)");
        }
        let _ = writeln!(s);
    }
    s
}

/// Problems grouped by file, at most a few per file.
pub fn problems(o: &Outcome) -> String {
    grouped(o, PER_FILE, true, false)
}

/// Every problem, grouped by file, each with how to fix it (for `check`).
pub fn all_problems(o: &Outcome) -> String {
    grouped(o, usize::MAX, false, true)
}

/// What `check` prints: the files read and not read, each return's rows
/// (read = used + reported), and every problem with how to fix it.
pub fn check_report(o: &Outcome) -> String {
    let mut s = String::new();
    s.push_str(&files_read(o));
    if !o.returns.is_empty() {
        s.push_str(&accounting(o));
    }
    s.push_str(&all_problems(o));
    s
}

fn grouped(o: &Outcome, per_file: usize, headline: bool, fixes: bool) -> String {
    let mut s = String::new();
    let p = &o.problems;
    if p.is_empty() {
        let _ = writeln!(s, "No problems found.");
        return s;
    }
    let mut files: Vec<&str> = p.iter().map(|x| x.location.file.as_str()).collect();
    files.dedup();
    if headline {
        let _ = writeln!(s, "{}:", tally(o));
    }
    for f in &files {
        let list: Vec<&Problem> = p.iter().filter(|x| x.location.file == *f).collect();
        let _ = writeln!(s, "  {f}");
        // Many problems of one kind (e.g. 70 characteristics not assessed)
        // are shown as a few examples and a count.
        let mut shown_of_kind: std::collections::HashMap<_, usize> =
            std::collections::HashMap::new();
        let mut hidden_of_kind: indexmap::IndexMap<_, usize> = indexmap::IndexMap::new();
        let list: Vec<&Problem> = list
            .into_iter()
            .filter(|x| {
                // `check` lists every problem in a return; only problems
                // about the run as a whole are counted instead.
                if fixes && *f != crate::problems::ALL_RETURNS {
                    return true;
                }
                let n = shown_of_kind.entry(x.kind).or_default();
                *n += 1;
                if *n > SAME_KIND {
                    *hidden_of_kind.entry(x.kind).or_default() += 1;
                }
                *n <= SAME_KIND
            })
            .collect();
        for x in list.iter().take(per_file) {
            let mut here = x.location.clone();
            here.file = String::new();
            let place = here.to_string();
            let place = place.trim_start_matches(" › ");
            let _ = write!(s, "    {}: ", x.severity.label());
            if !place.is_empty() {
                let _ = write!(s, "{place}: ");
            }
            let _ = write!(s, "{}", x.message);
            if let Some(v) = &x.found {
                let _ = write!(s, " (found \"{}\")", crate::problems::short(v, 50));
            }
            let _ = writeln!(s);
            if fixes && !x.hint.is_empty() {
                let _ = writeln!(s, "      How to fix: {}", x.hint);
            }
        }
        for (kind, n) in &hidden_of_kind {
            let _ = writeln!(s, "    …and {n} more like this ({})", kind.code());
        }
        if list.len() > per_file {
            let _ = writeln!(
                s,
                "    …and {} more in the Problems sheet",
                list.len() - per_file
            );
        }
    }
    s
}

/// "3 errors and 2 warnings in 2 of 19 returns"
pub fn tally(o: &Outcome) -> String {
    let p = &o.problems;
    let mut files: Vec<&str> = p.iter().map(|x| x.location.file.as_str()).collect();
    files.sort();
    files.dedup();
    let in_returns = files
        .iter()
        .filter(|f| o.returns.iter().any(|r| r.file == **f))
        .count();
    let (errors, warnings) = (plural(p.errors(), "error"), plural(p.warnings(), "warning"));
    if in_returns == 0 && p.iter().next().is_some() {
        // Only findings about the set (codes no round scored, gaps with no
        // action): "in 0 of 1 returns" would read as if nothing was found.
        return format!(
            "{errors} and {warnings}, about the returns as a whole (none in a return's own cells)"
        );
    }
    format!(
        "{errors} and {warnings} in {in_returns} of {} returns",
        o.returns.len()
    )
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
