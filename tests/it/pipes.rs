//! `bestvalue check returns/ | head`: the reader of the output goes away
//! before the command has said everything. Every command still finishes its
//! work and exits with its own code (0 here: the samples have no errors),
//! never 101 with "failed printing to stdout: Broken pipe".

use std::process::{Command, Stdio};

use crate::common::*;

/// Runs the command with its stdout (or stderr) already closed at the far
/// end, so that its first write fails, whenever it comes. Returns the exit
/// code and what went to the other stream.
fn closed(args: &[&str], stream: Stream) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bestvalue"));
    cmd.args(args);
    match stream {
        Stream::Stdout => cmd.stdout(writer).stderr(Stdio::piped()),
        Stream::Stderr => cmd.stderr(writer).stdout(Stdio::piped()),
    };
    let out = cmd.output().unwrap();
    let other = match stream {
        Stream::Stdout => out.stderr,
        Stream::Stderr => out.stdout,
    };
    (
        out.status.code(),
        String::from_utf8_lossy(&other).into_owned(),
    )
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

fn p(x: &std::path::Path) -> &str {
    x.to_str().unwrap()
}

fn assert_clean_exit(args: &[&str], stream: Stream, want: i32) {
    let (code, other) = closed(args, stream);
    assert!(!other.contains("panicked"), "{args:?}: {other}");
    assert_eq!(code, Some(want), "{args:?}: {other}");
}

#[test]
fn build_check_and_codes_finish_when_stdout_is_closed() {
    let d = Dir::new();
    let samples = samples();
    let out = d.path("committee.xlsx");
    assert_clean_exit(&["build", p(&samples), "--out", p(&out)], Stream::Stdout, 0);
    assert!(out.exists(), "the workbook is written all the same");
    assert_clean_exit(&["check", p(&samples)], Stream::Stdout, 0);
    assert_clean_exit(
        &["check", p(&samples), "--format", "json"],
        Stream::Stdout,
        0,
    );
    assert_clean_exit(&["codes"], Stream::Stdout, 0);
    assert_clean_exit(&["codes", "--markdown"], Stream::Stdout, 0);
}

#[test]
fn check_writes_its_files_when_stderr_is_closed() {
    let d = Dir::new();
    let chase = d.path("chase.xlsx");
    let feedback = d.path("feedback");
    assert_clean_exit(
        &[
            "check",
            p(&samples()),
            "--feedback",
            p(&feedback),
            "--chase",
            p(&chase),
        ],
        Stream::Stderr,
        0,
    );
    assert!(chase.exists());
}

#[test]
fn compare_template_and_generate_finish_when_stdout_is_closed() {
    let d = Dir::new();
    let workbooks = d.path("workbooks");
    std::fs::create_dir_all(&workbooks).unwrap();
    let (code, _, stderr) = cli(&[
        "build",
        p(&samples()),
        "--out",
        p(&workbooks.join("committee.xlsx")),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let sector = d.path("sector.xlsx");
    assert_clean_exit(
        &["compare", p(&workbooks), "--out", p(&sector)],
        Stream::Stdout,
        0,
    );
    assert!(sector.exists());
    assert_clean_exit(
        &["template", "--round", "Review", "--out", p(&d.path("t"))],
        Stream::Stdout,
        0,
    );
    assert_clean_exit(
        &["generate", "--council", p(&d.path("gen")), "--seed", "1"],
        Stream::Stdout,
        0,
    );
}

#[test]
fn a_run_that_cannot_go_on_says_so_with_status_2_even_into_a_closed_pipe() {
    assert_clean_exit(
        &["build", "no/such/folder", "--out", "o.xlsx"],
        Stream::Stderr,
        2,
    );
}
