//! Safety of inputs and outputs: officers' text that looks like a formula
//! stays text; inputs are never changed; a run that fails or is killed
//! while writing leaves the previous committee workbook as it was.
//! (Refusing an input as the output, an output open in Excel, and an output
//! the tool did not write are in tests/cli.rs.)

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::*;

const RISKY: [&str; 4] = [
    "=HYPERLINK(\"http://example.invalid\",\"Click\")",
    "+44 1234 567890",
    "-5 staff since April",
    "@SUM(A1:A9)",
];

/// Escapes text as it appears in the workbook's XML (element text).
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn text_starting_with_formula_characters_is_written_as_text() {
    let d = Dir::new();
    let mut r = Ret::assessment("Review", "Culture", "Robin");
    r.headings = [
        "Code",
        "Score",
        "Position statement",
        "Commentary",
        "Gaps / areas to address",
        "Evidence",
    ]
    .map(String::from)
    .to_vec();
    d.put(
        "r.xlsx",
        &r.row(&[
            s("C001"),
            s("Amber"),
            s(RISKY[0]),
            s(RISKY[1]),
            s(RISKY[2]),
            s(RISKY[3]),
        ]),
    );
    d.put(
        "actions.xlsx",
        &Ret::actions("Finance").row(&[
            s("A1"),
            s("C001"),
            s(RISKY[2]),
            s(RISKY[0]),
            s(RISKY[3]),
            V::Date(2026, 3, 31),
            s("On track"),
            s(RISKY[1]),
            V::Date(2025, 10, 1),
        ]),
    );
    let out = d.path("out.xlsx");
    let o = build(&[d.returns()], &out);
    assert!(!o.problems.has_errors(), "{:#?}", codes(&o));

    let strings = part(&out, "xl/sharedStrings.xml");
    let styles = part(&out, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""), "quote prefix style");
    for sheet_name in ["Characteristics", "Action plan"] {
        let sheet_xml = sheet_xml(&out, sheet_name);
        // No formula at all on these sheets: every officer's text is a
        // shared string cell (t="s").
        assert!(!sheet_xml.contains("<f>"), "{sheet_name} has a formula");
        let grid = sheet(&out, sheet_name);
        for risky in RISKY {
            let found = grid.iter().flatten().any(|c| c == risky);
            // The action plan shows the action, owner, gap and progress.
            if sheet_name == "Action plan" && risky == RISKY[3] {
                continue;
            }
            assert!(found, "{sheet_name}: {risky:?} not read back as text");
        }
    }
    for risky in RISKY {
        let si = format!("<t>{}</t>", xml(risky));
        let idx = strings
            .split("<si>")
            .skip(1)
            .position(|s| s.contains(&si))
            .unwrap_or_else(|| panic!("{risky:?} not a shared string"));
        let cell = format!(" t=\"s\"><v>{idx}</v></c>");
        let ch = sheet_xml(&out, "Characteristics");
        assert!(ch.contains(&cell), "{risky:?} is not a string cell");
    }
}

#[test]
fn a_failed_write_leaves_the_previous_output_and_no_temporary_file() {
    let d = Dir::new();
    // The target cannot be replaced: it is a folder with a file in it, so
    // the final rename fails after the new workbook has been written.
    let target = d.path("committee.xlsx");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), b"previous").unwrap();
    let err = bestvalue::write::guard::write_atomically(&target, b"new workbook").unwrap_err();
    assert!(err.to_string().contains("Could not write"), "{err}");
    assert_eq!(std::fs::read(target.join("keep.txt")).unwrap(), b"previous");
    let names: Vec<String> = std::fs::read_dir(d.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["committee.xlsx"], "no temporary file left");
}

/// The committee workbook at `out` is whole: it opens and is one of ours.
fn is_whole_workbook(out: &Path) -> bool {
    use calamine::Reader;
    let Ok(mut wb) = calamine::open_workbook::<calamine::Xlsx<_>, _>(out) else {
        return false;
    };
    wb.worksheet_range("Cover").is_ok() && wb.worksheet_range("Problems").is_ok()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_output_intact() {
    let d = Dir::new();
    let out = d.path("committee.xlsx");
    let bin = env!("CARGO_BIN_EXE_bestvalue");
    let status = Command::new(bin)
        .args(["build", samples().to_str().unwrap(), "--out"])
        .arg(&out)
        .arg("--quiet")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let previous = std::fs::read(&out).unwrap();
    for ms in [0, 5, 20, 50, 100, 200, 400, 800, 1500] {
        let mut child = Command::new(bin)
            .args(["build", samples().to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--quiet", "--authority", "Killed Borough"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill(); // SIGKILL: no clean-up code runs
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        // Either the old workbook untouched, or the new one complete:
        // never a half-written file.
        assert!(
            now == previous || is_whole_workbook(&out),
            "killed after {ms} ms: the output is damaged"
        );
        // Any temporary file left by the kill is hidden (a dot name) and
        // is never read as a return.
        for e in std::fs::read_dir(d.tmp.path()).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name == "committee.xlsx" || name.starts_with(".bestvalue-"),
                "{name}"
            );
        }
    }
}

#[test]
fn inputs_are_never_modified() {
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let e = e.unwrap();
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let m = std::fs::metadata(&path).unwrap();
                    out.push((
                        path.display().to_string(),
                        std::fs::read(&path).unwrap(),
                        m.modified().unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }
    let d = Dir::new();
    // Copies of the samples and of the committed bad files, as inputs.
    let inputs = d.path("inputs");
    for src in [
        samples(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    ] {
        let mut stack = vec![src.clone()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&src).unwrap();
                let to = inputs.join(rel);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(&path, &to).unwrap();
            }
        }
    }
    let before = snapshot(&inputs);
    let o = build(std::slice::from_ref(&inputs), &d.path("out.xlsx"));
    assert!(o.written.is_some());
    assert_eq!(snapshot(&inputs), before, "an input was changed");
}

#[test]
fn a_closed_pipe_on_stdout_is_not_a_panic() {
    // `bestvalue build … | head -3`: the reader goes away early.
    let d = Dir::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .args(["build", samples().to_str().unwrap(), "--out"])
        .arg(d.path("out.xlsx"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // closed before anything is printed
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(d.path("out.xlsx").exists());
}

/// The workbook is written through a private temporary file, but ends up
/// readable as any new file in its folder would be (the clerk's colleagues
/// open it from a shared folder).
#[cfg(unix)]
#[test]
fn the_output_gets_the_permissions_of_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.put(
        "r.xlsx",
        &Ret::assessment("Review", "Culture", "Robin").row(&[s("CI001"), s("Amber")]),
    );
    let out = d.path("committee.xlsx");
    let returns = d.returns();
    let args = [
        "build",
        returns.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, stderr) = cli(&args);
    assert!(code <= 1, "{stderr}");
    let plain = d.path("plain.txt");
    std::fs::write(&plain, b"x").unwrap();
    let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), mode(&plain));
}
