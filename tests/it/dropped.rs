//! A folder given as the only argument, as Windows does when a folder is
//! dropped on bestvalue.exe: the committee workbook appears beside the
//! folder, and the program never waits for Enter when standard input is not
//! a terminal (it would hang these tests if it did: each run is stopped
//! after a minute and fails).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const NAME: &str = "Eastmoor Borough Council - committee workbook as at 24 October 2025.xlsx";

/// How standard input is given to the program.
#[derive(Clone, Copy, Debug)]
enum Stdin {
    /// /dev/null: reading gives nothing at once.
    Null,
    /// No standard input at all (descriptor 0 closed).
    Closed,
    /// A pipe held open and never written: a wait for Enter never ends.
    Silent,
}

/// Runs `bestvalue ARG` and returns (exit code, stdout, stderr), failing the
/// test if the program is still running after a minute.
fn drop_on(arg: &Path, stdin: Stdin) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bestvalue"));
    cmd.arg(arg).stdout(Stdio::piped()).stderr(Stdio::piped());
    match stdin {
        Stdin::Null => {
            cmd.stdin(Stdio::null());
        }
        Stdin::Silent => {
            cmd.stdin(Stdio::piped());
        }
        Stdin::Closed => {
            use std::os::unix::process::CommandExt;
            // SAFETY: close() is async-signal-safe, as pre_exec requires.
            unsafe {
                cmd.pre_exec(|| {
                    libc::close(0);
                    Ok(())
                });
            }
        }
    }
    let mut child = cmd.spawn().unwrap();
    // Held open until the end: the program sees no end of input.
    let pipe = child.stdin.take();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("still running after a minute with stdin {stdin:?}: it is waiting for Enter");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The samples copied into `parent/Returns ŵ 2025`.
fn sample_folder(parent: &Path) -> PathBuf {
    let folder = parent.join("Returns ŵ 2025");
    copy_tree(&samples(), &folder);
    folder
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_dropped_folder_gives_the_committee_workbook_beside_it_without_waiting() {
    let d = Dir::new();
    let folder = sample_folder(d.tmp.path());
    let inside = listing(&folder);
    let beside = d.tmp.path().join(NAME);

    for stdin in [Stdin::Null, Stdin::Closed, Stdin::Silent] {
        let (code, stdout, stderr) = drop_on(&folder, stdin);
        assert_eq!(code, 0, "{stdin:?}: {stdout}{stderr}");
        assert!(stdout.contains("Read 21 returns."), "{stdout}");
        assert!(
            stdout.contains("0 errors and 2 warnings in 1 of 21 returns"),
            "{stdout}"
        );
        assert!(
            stdout.ends_with(&format!("Wrote {}.\n", beside.display())),
            "{stdout}"
        );
        assert!(!stdout.contains("Press Enter"), "{stdout}");
    }
    // Beside the folder, nothing added inside it.
    assert_eq!(listing(d.tmp.path()), [NAME, "Returns ŵ 2025"]);
    assert_eq!(listing(&folder), inside);

    // The same workbook, byte for byte, as `build` writes from that folder.
    let built = d.path("built.xlsx");
    let (code, _, stderr) = cli(&[
        "build",
        folder.to_str().unwrap(),
        "--out",
        built.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::read(&beside).unwrap() == std::fs::read(&built).unwrap(),
        "the dropped folder's workbook differs from build's"
    );
    let cover = sheet(&beside, "Cover");
    let text: Vec<&str> = cover.iter().flatten().map(String::as_str).collect();
    assert!(
        text.iter().any(|t| t.contains("Eastmoor Borough Council")),
        "{text:?}"
    );
    let heat = sheet(&beside, "Heat map");
    assert!(
        heat.iter().flatten().any(|c| c.starts_with("CI001")),
        "no CI001 cell in the heat map: {heat:?}"
    );
}

#[test]
fn a_file_the_tool_did_not_write_is_never_replaced() {
    let d = Dir::new();
    let folder = sample_folder(d.tmp.path());
    let beside = d.tmp.path().join(NAME);
    std::fs::write(&beside, b"the clerk's own notes").unwrap();
    let (code, stdout, stderr) = drop_on(&folder, Stdin::Null);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("already exists and was not written by bestvalue"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&beside).unwrap(), b"the clerk's own notes");
    assert_eq!(listing(d.tmp.path()), [NAME, "Returns ŵ 2025"]);
}

#[test]
fn a_workbook_given_alone_is_told_to_give_its_folder() {
    let d = Dir::new();
    let folder = sample_folder(d.tmp.path());
    let file = folder.join("4 Final").join("Final sign-off.xlsx");
    let (code, stdout, stderr) = drop_on(&file, Stdin::Null);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("is a file. Drop a folder of returns"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("'{}'", folder.join("4 Final").display())),
        "{stderr}"
    );
    assert_eq!(listing(d.tmp.path()), ["Returns ŵ 2025"]);
}

#[test]
fn a_command_name_alone_is_still_the_command() {
    // `bestvalue build` with a folder called build beside it is the build
    // command asking for its inputs, not a dropped folder.
    let d = Dir::new();
    std::fs::create_dir(d.path("build")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .arg("build")
        .current_dir(d.tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--out <FILE>"), "{stderr}");
    assert_eq!(listing(d.tmp.path()), ["build"]);
}

#[test]
fn the_exit_status_line_of_help_fits_every_command() {
    let (code, stdout, _) = cli(&["--help"]);
    assert_eq!(code, 0);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Exit status"))
        .unwrap_or_else(|| panic!("no exit status line in {stdout}"));
    assert!(line.contains("for every command"), "{line}");
    assert!(line.contains("compare"), "{line}");
    assert!(!line.contains("workbook was written"), "{line}");
    assert!(stdout.contains("bestvalue <FOLDER>"), "{stdout}");
}
