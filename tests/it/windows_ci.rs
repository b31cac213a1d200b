//! CI's Windows step (.ci/windows) can go red: its comparison of the Windows
//! exe's outputs with the Linux build's (.ci/same_outputs.py) fails on a
//! changed workbook part, a missing file or a changed report, and passes
//! on path separators alone. The step itself needs Wine and a cross build,
//! so it runs in CI (.ci/run calls it), not here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn python() -> bool {
    crate::officer::available(
        "python3",
        Command::new("python3").arg("--version").output().is_ok(),
        "apt-get install python3",
    )
}

/// Runs the comparison: (exit code, what it printed).
fn compare(linux: &Path, windows: &Path, roots: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new("python3");
    cmd.arg(repo(".ci/same_outputs.py")).arg(linux).arg(windows);
    for (l, w) in roots {
        cmd.args(["--root", l, w]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A copy of `from` with one part's text changed.
fn with_part_changed(from: &Path, to: &Path, part: &str, old: &str, new: &str) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let mut changed = false;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(old), "{old} not in {part}");
            bytes = text.replacen(old, new, 1).into_bytes();
            changed = true;
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    assert!(changed, "no part {part}");
}

/// Two output folders as the step leaves them: a workbook, a JSON report
/// and printed output, the Windows one with Windows paths.
fn outputs(d: &Dir) -> (PathBuf, PathBuf) {
    let (linux, windows) = (d.path("linux/out"), d.path("windows/out"));
    let workbook = repo("samples/2024-25/Committee 2024-25.xlsx");
    for (dir, json, text) in [
        (
            &linux,
            r#"{"file": "2 Review/Review - Culture.xlsx", "hint": "Save As › .xlsx"}"#,
            "Wrote /ci/linux/out/Adroddiad ŵ.xlsx.\n",
        ),
        (
            &windows,
            r#"{"file": "2 Review\\Review - Culture.xlsx", "hint": "Save As › .xlsx"}"#,
            "Wrote Z:\\ci\\windows\\out\\Adroddiad ŵ.xlsx.\n",
        ),
    ] {
        std::fs::create_dir_all(dir.join("Templedi ŵ")).unwrap();
        std::fs::copy(&workbook, dir.join("Templedi ŵ/Adroddiad ŵ.xlsx")).unwrap();
        std::fs::write(dir.join("check-json.txt"), json).unwrap();
        std::fs::write(dir.join("build.txt"), text).unwrap();
        std::fs::write(dir.join("actions.csv"), "ID,Code\nA1,CI001\n").unwrap();
    }
    (linux, windows)
}

const ROOTS: &[(&str, &str)] = &[("/ci/linux", "Z:\\ci\\windows")];

#[test]
fn the_same_outputs_match_apart_from_path_separators() {
    if !python() {
        return;
    }
    let d = Dir::new();
    let (linux, windows) = outputs(&d);
    let (code, said) = compare(&linux, &windows, ROOTS);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("outputs match: 4 files compared"), "{said}");
}

#[test]
fn a_changed_workbook_part_fails_naming_the_part() {
    if !python() {
        return;
    }
    let d = Dir::new();
    let (linux, windows) = outputs(&d);
    let book = windows.join("Templedi ŵ/Adroddiad ŵ.xlsx");
    let original = d.path("original.xlsx");
    std::fs::copy(&book, &original).unwrap();
    with_part_changed(&original, &book, "xl/workbook.xml", "<sheet ", "<sheet  ");
    let (code, said) = compare(&linux, &windows, ROOTS);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("The Windows exe's outputs differ"), "{said}");
    assert!(
        said.contains("Templedi ŵ/Adroddiad ŵ.xlsx › xl/workbook.xml: differs from byte"),
        "{said}"
    );
    // Only that part is named.
    assert_eq!(said.matches(" › xl/").count(), 1, "{said}");
}

#[test]
fn a_missing_file_or_a_changed_report_fails() {
    if !python() {
        return;
    }
    let d = Dir::new();
    let (linux, windows) = outputs(&d);
    std::fs::remove_file(windows.join("actions.csv")).unwrap();
    std::fs::write(
        windows.join("check-json.txt"),
        r#"{"file": "2 Review\\Review - Culture.xlsx", "hint": "Save As > .xlsx"}"#,
    )
    .unwrap();
    let (code, said) = compare(&linux, &windows, ROOTS);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(
            "actions.csv: written by the Linux build, missing from the Windows exe's outputs"
        ),
        "{said}"
    );
    assert!(
        said.contains("check-json.txt: differs beyond path separators"),
        "{said}"
    );
    assert!(said.contains("(2 differences)"), "{said}");
}

#[test]
fn a_path_outside_the_scratch_folder_is_not_excused() {
    if !python() {
        return;
    }
    // Without the --root pair, the two builds' own folders differ.
    let d = Dir::new();
    let (linux, windows) = outputs(&d);
    let (code, said) = compare(&linux, &windows, &[]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("build.txt: differs"), "{said}");
}

#[test]
fn ci_runs_the_windows_step() {
    let run = std::fs::read_to_string(repo(".ci/run")).unwrap();
    assert!(
        run.lines().any(|l| l.trim() == ".ci/windows"),
        ".ci/run does not call .ci/windows"
    );
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(repo(".ci/windows"))
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
}
