//! `check --format json`: the report for automation. Per file, its problems
//! with their stable codes; then problems about the run as a whole; then
//! totals. The field names are part of the product: change them only with a
//! note in the README.

use serde::Serialize;

use crate::assess::Outcome;
use crate::problems::{ALL_RETURNS, Problem};
use crate::records::ReturnKind;

#[derive(Serialize)]
struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    framework: Framework<'a>,
    as_at: Option<String>,
    files: Vec<File<'a>>,
    skipped: Vec<Skipped<'a>>,
    run_problems: Vec<Entry<'a>>,
    totals: Totals,
}

#[derive(Serialize)]
struct Framework<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct File<'a> {
    file: &'a str,
    kind: &'static str,
    round: Option<&'a str>,
    themes: Vec<&'a str>,
    officer: Option<&'a str>,
    rows_read: usize,
    rows_used: usize,
    rows_reported: usize,
    errors: usize,
    warnings: usize,
    problems: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Skipped<'a> {
    file: &'a str,
    reason: &'a str,
}

/// One problem. `sheet`, `cell`, `column` and `value` are null when they do
/// not apply (a problem with the whole file).
#[derive(Serialize)]
struct Entry<'a> {
    code: &'static str,
    severity: &'static str,
    sheet: Option<&'a str>,
    cell: Option<String>,
    column: Option<&'a str>,
    value: Option<&'a str>,
    message: &'a str,
    hint: &'a str,
}

#[derive(Serialize)]
struct Totals {
    files: usize,
    files_with_errors: usize,
    files_with_problems: usize,
    errors: usize,
    warnings: usize,
    rows_read: usize,
    rows_used: usize,
    rows_reported: usize,
}

fn entry(p: &Problem) -> Entry<'_> {
    let cell = p.location.cell_ref();
    Entry {
        code: p.kind.code(),
        severity: match p.severity {
            crate::problems::Severity::Error => "error",
            crate::problems::Severity::Warning => "warning",
        },
        sheet: p.location.sheet.as_deref(),
        cell: (!cell.is_empty()).then_some(cell),
        column: p.column.as_deref(),
        value: p.found.as_deref(),
        message: &p.message,
        hint: &p.hint,
    }
}

pub fn render(o: &Outcome) -> String {
    let fw = &o.framework;
    let files: Vec<File> = o
        .returns
        .iter()
        .map(|r| {
            let mine: Vec<&Problem> = o
                .problems
                .iter()
                .filter(|p| p.location.file == r.file)
                .collect();
            File {
                file: &r.file,
                kind: match r.kind {
                    ReturnKind::Assessment => "assessment",
                    ReturnKind::Actions => "action-plan",
                    ReturnKind::Committee => "committee-workbook",
                    ReturnKind::Published => "clerks-copy",
                    ReturnKind::Unreadable => "unreadable",
                },
                round: r.round.map(|x| fw.rounds[x].name.as_str()),
                themes: r
                    .themes
                    .iter()
                    .map(|t| fw.themes[*t].name.as_str())
                    .collect(),
                officer: r.officer.as_deref(),
                rows_read: r.rows_read,
                rows_used: r.rows_used,
                rows_reported: r.rows_reported,
                errors: mine.iter().filter(|p| p.is_error()).count(),
                warnings: mine.iter().filter(|p| !p.is_error()).count(),
                problems: mine.into_iter().map(entry).collect(),
            }
        })
        .collect();
    let totals = Totals {
        files: files.len(),
        files_with_errors: files.iter().filter(|f| f.errors > 0).count(),
        files_with_problems: files.iter().filter(|f| !f.problems.is_empty()).count(),
        errors: o.problems.errors(),
        warnings: o.problems.warnings(),
        rows_read: o.returns.iter().map(|r| r.rows_read).sum(),
        rows_used: o.returns.iter().map(|r| r.rows_used).sum(),
        rows_reported: o.returns.iter().map(|r| r.rows_reported).sum(),
    };
    let report = Report {
        tool: "bestvalue",
        version: env!("CARGO_PKG_VERSION"),
        framework: Framework {
            name: &fw.name,
            version: &fw.version,
        },
        as_at: o.as_at.map(|d| d.to_string()),
        files,
        skipped: o
            .skipped
            .iter()
            .map(|s| Skipped {
                file: &s.display,
                reason: &s.reason,
            })
            .collect(),
        run_problems: o
            .problems
            .iter()
            .filter(|p| p.location.file == ALL_RETURNS)
            .map(entry)
            .collect(),
        totals,
    };
    // safety: the report holds only strings, numbers and options.
    serde_json::to_string_pretty(&report).expect("serialisable report")
}
