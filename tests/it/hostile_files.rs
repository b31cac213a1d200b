//! Files and folders that are not what they seem (issue 17): pipes and
//! devices named like workbooks, links that loop or lead out of the
//! folders given, folders that cannot be opened or are nested past the
//! path limit. Each run goes through the command with a time limit: a run
//! that hangs fails the test instead of hanging it. Unix only (pipes,
//! devices and permissions as tested here are Unix's).
#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::Duration;

use crate::common::*;

/// The longest any of these runs may take: each reads one small return.
const LIMIT: Duration = Duration::from_secs(30);

/// Runs the command; a run still going after [`LIMIT`] is killed and the
/// test fails. (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_as(None, args)
}

/// [`run`], as `user` (through `setpriv`) when given.
fn run_as(user: Option<u32>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = match user {
        Some(uid) => {
            let mut c = std::process::Command::new("setpriv");
            c.args([
                &format!("--reuid={uid}"),
                &format!("--regid={uid}"),
                "--clear-groups",
                env!("CARGO_BIN_EXE_bestvalue"),
            ]);
            c
        }
        None => std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue")),
    };
    let child = cmd
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(out) => {
            let out = out.unwrap();
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
        Err(_) => {
            // SAFETY: kill(2) on the child we started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("bestvalue {args:?} was still running after {LIMIT:?}");
        }
    }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo(3) only creates the node.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {path:?}"
    );
}

fn control() -> Ret {
    Ret::assessment(
        "Review",
        "Partnerships and Community Engagement",
        "Robin Reviewer",
    )
    .row(&[s("PCE001"), s("Amber"), s("Control return")])
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A pipe named like a workbook hung the run for ever, with nothing
/// printed; /dev/zero behind a link grew memory to 8 GB; links back to the
/// folder, to its parent and to `/` searched without end. Each is listed
/// as not read, without being opened or followed, and the return beside
/// them is built.
#[test]
fn special_files_and_links_among_the_returns_are_listed_not_opened() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    let r = d.returns();
    mkfifo(&r.join("x.xlsx"));
    symlink("/dev/zero", r.join("z.xlsx")).unwrap();
    symlink("/dev/urandom", r.join("r.xls")).unwrap();
    symlink(".", r.join("l1")).unwrap();
    symlink("..", r.join("l2")).unwrap();
    symlink("/", r.join("root")).unwrap();
    std::fs::create_dir(r.join("sub")).unwrap();
    symlink("..", r.join("sub/up")).unwrap();
    let out = d.path("out.xlsx");
    let (code, stdout, stderr) = run(&["build", p(&r), "--out", p(&out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("Read 1 return; 7 files not read."),
        "{stdout}"
    );
    for line in [
        "not read: x.xlsx (a pipe (FIFO), not a file, so it was not opened)",
        "not read: z.xlsx (a device, not a file, so it was not opened)",
        "not read: r.xls (a device, not a file, so it was not opened)",
        "not read: l1/ (the same folder as one already searched (through a link), so it was not searched again)",
        "not read: l2/ (a link to a folder outside the folders given, so it was not followed)",
        "not read: root/ (a link to a folder outside the folders given, so it was not followed)",
        "not read: sub/up/ (the same folder as one already searched (through a link), so it was not searched again)",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(out.exists());
    // check lists them too.
    let (code, stdout, _) = run(&["check", p(&r)]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("not read: x.xlsx (a pipe (FIFO)"),
        "{stdout}"
    );
}

/// A pipe given where a workbook or file is expected hung the run; a
/// device given as the output was read (8 GB) to see whether this tool
/// wrote it. Each is refused at once, saying what it is.
#[test]
fn special_files_given_by_name_are_refused_at_once() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    let fifo = d.path("pipe.xlsx");
    mkfifo(&fifo);
    let toml = d.path("pipe.toml");
    mkfifo(&toml);
    let r = d.returns();
    let out = d.path("out.xlsx");
    for flag in ["--previous", "--previous-year"] {
        let (code, _, stderr) = run(&["build", p(&r), "--out", p(&out), flag, p(&fifo)]);
        assert_eq!(code, 2, "{flag}: {stderr}");
        assert!(
            stderr.contains("a pipe (FIFO), not a file"),
            "{flag}: {stderr}"
        );
    }
    let (code, _, stderr) = run(&["check", p(&r), "--framework", p(&toml)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a pipe (FIFO), not a file"), "{stderr}");
    // Given as a return, and to compare: not read, said why.
    // (Nothing left to check is the data's problem: exit 1, saying why.)
    let (code, stdout, _) = run(&["check", p(&fifo)]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("not read: pipe.xlsx (a pipe (FIFO), not a file"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["compare", p(&fifo), "--out", p(&d.path("sector.xlsx"))]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("not compared: pipe.xlsx (it could not be read: a pipe (FIFO)"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&[
        "template",
        "--round",
        "Review",
        "--from",
        p(&fifo),
        "--out",
        p(&d.path("templates")),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Not read: pipe.xlsx: a pipe (FIFO)"),
        "{stdout}"
    );
    // A device as the output, even with --force.
    let full = d.path("full.xlsx");
    symlink("/dev/full", &full).unwrap();
    let (code, _, stderr) = run(&["build", p(&r), "--out", p(&full), "--force"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not an ordinary file (a device, pipe or socket)"),
        "{stderr}"
    );
}

/// Whether tests run as root (who can open any folder): the unreadable
/// folder is then tried as the `nobody` user.
fn as_root() -> bool {
    // SAFETY: geteuid(2) has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A subfolder that cannot be opened stopped the whole run (exit 2, no
/// workbook). It is listed, and the returns beside it are read.
#[test]
fn a_folder_that_cannot_be_opened_is_listed_and_the_rest_read() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    let locked = d.returns().join("locked");
    std::fs::create_dir(&locked).unwrap();
    control().write(&locked.join("inside.xlsx"));
    let user = if as_root() {
        if !Path::new("/usr/bin/setpriv").exists() && !Path::new("/bin/setpriv").exists() {
            eprintln!("skipped: running as root and setpriv is not installed");
            return;
        }
        Some(65534) // nobody
    } else {
        None
    };
    // Everything else readable (and the output writable) by that user.
    for dir in [d.tmp.path(), &d.returns()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::set_permissions(
        d.returns().join("control.xlsx"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // A file that cannot be read: said so, not "open on another computer".
    let private = d.returns().join("private.xlsx");
    control().write(&private);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = d.path("out.xlsx");
    let (code, stdout, stderr) = run_as(user, &["build", p(&d.returns()), "--out", p(&out)]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("This file was not read: the file could not be read: you do not have permission to read it"),
        "{stdout}"
    );
    assert!(!stdout.contains("another computer"), "{stdout}");
    assert!(
        stdout.contains("not read: locked/ (a folder you do not have permission to open, so its files were not read)"),
        "{stdout}"
    );
    assert!(stdout.starts_with("Read 2 returns"), "{stdout}");
    assert!(out.exists());
}

/// A folder nested past the system's path limit was listed as "not a
/// spreadsheet". It is listed as too deep to read, and the rest is read.
#[test]
fn a_folder_past_the_path_limit_is_reported_as_such() {
    let d = Dir::new();
    d.put("control.xlsx", &control());
    // 25 folders of 200 characters: past Linux's 4,096-byte path limit,
    // made one below the other by handle, as no path can reach them.
    nest(&d.returns(), &"d".repeat(200), 25);
    let out = d.path("out.xlsx");
    let (code, stdout, stderr) = run(&["build", p(&d.returns()), "--out", p(&out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("path is longer than the system allows"),
        "{stdout}"
    );
    assert!(!stdout.contains("not a spreadsheet"), "{stdout}");
    assert!(stdout.starts_with("Read 1 return;"), "{stdout}");
}

/// Makes `depth` folders named `name`, each inside the last, below `top`,
/// and a file in the deepest, through directory handles (mkdirat, openat).
fn nest(top: &Path, name: &str, depth: usize) {
    use std::ffi::CString;
    let c = |s: &str| CString::new(s).unwrap();
    let top = CString::new(top.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: plain system calls on valid C strings and handles we opened.
    unsafe {
        let mut fd = libc::open(top.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        assert!(fd >= 0);
        for _ in 0..depth {
            assert_eq!(libc::mkdirat(fd, c(name).as_ptr(), 0o755), 0);
            let next = libc::openat(fd, c(name).as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        let f = libc::openat(
            fd,
            c("deep.xlsx").as_ptr(),
            libc::O_CREAT | libc::O_WRONLY,
            0o644,
        );
        assert!(f >= 0);
        libc::close(f);
        libc::close(fd);
    }
}

/// Folders holding links to each other, each searched once: the run ends.
#[test]
fn links_between_folders_are_searched_once() {
    let d = Dir::new();
    let r = d.returns();
    std::fs::create_dir_all(r.join("a")).unwrap();
    std::fs::create_dir_all(r.join("b")).unwrap();
    control().write(&r.join("a/one.xlsx"));
    symlink("../b", r.join("a/to-b")).unwrap();
    symlink("../a", r.join("b/to-a")).unwrap();
    let found = bestvalue::read::discover(std::slice::from_ref(&r), None).unwrap();
    let names: Vec<&str> = found.files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(names, ["a/one.xlsx"]);
    let skipped: Vec<&str> = found.skipped.iter().map(|s| s.display.as_str()).collect();
    assert_eq!(skipped, ["a/to-b/", "b/to-a/"]);
}
