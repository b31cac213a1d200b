//! Every output goes through one guard: the committee workbook, the actions
//! CSV, the chase list, the feedback folder and each feedback workbook, the
//! templates and the sector workbook. None replaces an input, another
//! output of the same run, a file open in Excel or LibreOffice, or (without
//! --force) a file the tool did not write as that output; a name whose
//! extension does not match what is written is refused; each refusal names
//! the path and exits 2, and leaves every file as it was.

use std::path::{Path, PathBuf};

use crate::common::*;

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

/// A folder with one return (with an error, so feedback is written) and
/// the bytes of every file in it, to prove nothing was touched.
struct Fixture {
    d: Dir,
    ret: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let d = Dir::new();
        let ret = d.put(
            "Review - Culture.xlsx",
            &Ret::assessment("Review", "Culture", "Robin Example")
                .row(&[s("C001"), s("Amber"), s("Fine"), s("A gap")])
                .row(&[s("C002"), s("Ambre")]),
        );
        Fixture { d, ret }
    }
    fn returns(&self) -> PathBuf {
        self.d.returns()
    }
    fn path(&self, name: &str) -> PathBuf {
        self.d.path(name)
    }
    /// A committee workbook of ours, built from the returns.
    fn committee(&self, name: &str) -> PathBuf {
        let out = self.path(name);
        let (code, _, e) = cli(&["build", p(&self.returns()), "--out", p(&out), "-q"]);
        assert!(code <= 1, "{e}");
        out
    }
}

/// Runs the command and asserts it refused with exit 2, naming `path`,
/// saying `says`, and leaving `untouched` as it was.
fn refused(args: &[&str], path: &Path, says: &str, untouched: &[&Path]) -> String {
    let before: Vec<Option<Vec<u8>>> = untouched.iter().map(|f| std::fs::read(f).ok()).collect();
    let (code, stdout, stderr) = cli(args);
    assert_eq!(code, 2, "{args:?}\nstdout: {stdout}\nstderr: {stderr}");
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(
        stderr.contains(&*name),
        "{args:?}: the message names the path: {stderr}"
    );
    assert!(
        stderr.contains(says),
        "{args:?}: expected {says:?} in {stderr}"
    );
    assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
    for (f, b) in untouched.iter().zip(before) {
        assert_eq!(std::fs::read(f).ok(), b, "{} was changed", f.display());
    }
    stderr
}

#[test]
fn the_chase_list_never_replaces_a_return() {
    let f = Fixture::new();
    let r = f.returns();
    refused(
        &["check", p(&r), "--chase", p(&f.ret)],
        &f.ret,
        "is one of the inputs",
        &[&f.ret],
    );
    // Given as a file as well as inside a folder; with --force too.
    refused(
        &["check", p(&f.ret), "--chase", p(&f.ret), "--force"],
        &f.ret,
        "is one of the inputs",
        &[&f.ret],
    );
}

#[test]
fn the_actions_csv_never_replaces_a_return_or_another_output() {
    let f = Fixture::new();
    let r = f.returns();
    let out = f.path("committee.xlsx");
    let (code, _, e) = cli(&["build", p(&r), "--out", p(&out), "--actions-csv", p(&f.ret)]);
    assert_eq!(code, 2, "{e}");
    assert!(std::fs::read(&f.ret).unwrap().starts_with(b"PK"));
    // The --out workbook itself.
    let c = f.committee("c.xlsx");
    refused(
        &["build", p(&r), "--out", p(&c), "--actions-csv", p(&c)],
        &c,
        "is given for both --out and --actions-csv",
        &[&c],
    );
    // The same file under another spelling.
    std::fs::create_dir_all(f.path("sub")).unwrap();
    let other = f.path("sub/../c.xlsx");
    refused(
        &["check", p(&r), "--chase", p(&other), "--previous", p(&c)],
        &c,
        "is one of the inputs",
        &[&c],
    );
}

#[test]
fn compare_never_replaces_one_of_its_own_workbooks() {
    let f = Fixture::new();
    let sector = f.path("sector-in");
    std::fs::create_dir_all(&sector).unwrap();
    let a = sector.join("a.xlsx");
    std::fs::copy(f.committee("a.xlsx"), &a).unwrap();
    let b = sector.join("b.xlsx");
    let (code, _, e) = cli(&[
        "build",
        p(&f.returns()),
        "--authority",
        "Westmoor District Council",
        "--out",
        p(&b),
        "-q",
    ]);
    assert!(code <= 1, "{e}");
    refused(
        &["compare", p(&sector), "--out", p(&a)],
        &a,
        "is one of the inputs",
        &[&a, &b],
    );
    refused(
        &["compare", p(&sector), "--out", p(&a), "--force"],
        &a,
        "is one of the inputs",
        &[&a, &b],
    );
    // Its own sector workbook among them is left out and replaced: it is
    // never compared as an authority.
    let new = sector.join("sector.xlsx");
    for _ in 0..2 {
        let (code, stdout, e) = cli(&["compare", p(&sector), "--out", p(&new)]);
        assert_eq!(code, 0, "{stdout}{e}");
        assert!(stdout.contains("Compared 2 authorities"), "{stdout}");
    }
    // Nor is the chase list put where the next run would read it.
    let chase = f.returns().join("chase.xlsx");
    refused(
        &["check", p(&f.returns()), "--chase", p(&chase)],
        &chase,
        "would be read as an input next time",
        &[],
    );
    assert!(!chase.exists());
}

#[test]
fn outputs_not_written_by_the_tool_need_force_and_ours_do_not() {
    let f = Fixture::new();
    let r = f.returns();
    let out = f.path("committee.xlsx");
    let mine = f.path("My chase list.xlsx");
    std::fs::write(&mine, b"someone's own workbook").unwrap();
    refused(
        &["check", p(&r), "--chase", p(&mine)],
        &mine,
        "was not written by bestvalue",
        &[&mine],
    );
    let csv = f.path("actions.csv");
    std::fs::write(&csv, "Ref,Owner\r\n1,Robin\r\n").unwrap();
    refused(
        &["build", p(&r), "--out", p(&out), "--actions-csv", p(&csv)],
        &csv,
        "was not written by bestvalue",
        &[&csv],
    );
    // --force replaces them.
    let (code, _, e) = cli(&["check", p(&r), "--chase", p(&mine), "--force"]);
    assert_eq!(code, 1, "{e}");
    let (code, _, e) = cli(&[
        "build",
        p(&r),
        "--out",
        p(&out),
        "--actions-csv",
        p(&csv),
        "--force",
        "-q",
    ]);
    assert_eq!(code, 1, "{e}");
    // Now ours: replaced on the next run without --force.
    let (code, _, e) = cli(&["check", p(&r), "--chase", p(&mine)]);
    assert_eq!(code, 1, "{e}");
    let (code, _, e) = cli(&[
        "build",
        p(&r),
        "--out",
        p(&out),
        "--actions-csv",
        p(&csv),
        "-q",
    ]);
    assert_eq!(code, 1, "{e}");
    // A CSV of ours re-saved by Excel (no byte-order mark) is still ours.
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.trim_start_matches('\u{feff}')).unwrap();
    let (code, _, e) = cli(&[
        "build",
        p(&r),
        "--out",
        p(&out),
        "--actions-csv",
        p(&csv),
        "-q",
    ]);
    assert_eq!(code, 1, "{e}");
    // One kind of our outputs never silently replaces another.
    refused(
        &["check", p(&r), "--chase", p(&out)],
        &out,
        "is a committee workbook written by bestvalue, not a chase list",
        &[&out],
    );
    refused(
        &["build", p(&r), "--out", p(&mine)],
        &mine,
        "is a chase list written by bestvalue, not a committee workbook",
        &[&mine],
    );
}

#[test]
fn an_output_open_in_excel_or_libreoffice_is_not_replaced() {
    let f = Fixture::new();
    let r = f.returns();
    let out = f.committee("committee.xlsx");
    let chase = f.path("chase.xlsx");
    let (code, ..) = cli(&["check", p(&r), "--chase", p(&chase)]);
    assert_eq!(code, 1);
    for lock in [".~lock.chase.xlsx#", "~$chase.xlsx"] {
        std::fs::write(f.path(lock), b"x").unwrap();
        refused(
            &["check", p(&r), "--chase", p(&chase), "--force"],
            &chase,
            "is open in Excel or LibreOffice",
            &[&chase],
        );
        std::fs::remove_file(f.path(lock)).unwrap();
    }
    // Excel's owner file of a long name drops its first two characters.
    std::fs::write(f.path("~$mmittee.xlsx"), b"x").unwrap();
    refused(
        &["build", p(&r), "--out", p(&out)],
        &out,
        "is open in Excel or LibreOffice",
        &[&out],
    );
    std::fs::remove_file(f.path("~$mmittee.xlsx")).unwrap();
    std::fs::write(f.path(".~lock.actions.csv#"), b"x").unwrap();
    refused(
        &[
            "build",
            p(&r),
            "--out",
            p(&out),
            "--actions-csv",
            p(&f.path("actions.csv")),
        ],
        &f.path("actions.csv"),
        "is open in Excel or LibreOffice",
        &[&out],
    );
}

#[test]
fn an_extension_that_does_not_match_what_is_written_is_refused() {
    let f = Fixture::new();
    let r = f.returns();
    let cases: [(&str, &str, &str); 4] = [
        ("build", "--out", "committee.csv"),
        ("build", "--actions-csv", "actions.xlsx"),
        ("check", "--chase", "chase.csv"),
        ("compare", "--out", "sector.ods"),
    ];
    for (cmd, opt, name) in cases {
        let target = f.path(name);
        let mut args = vec![cmd, p(&r)];
        if cmd == "build" && opt != "--out" {
            args.extend(["--out", "c.xlsx"]);
        }
        let t = target.to_str().unwrap().to_string();
        args.extend([opt, t.as_str()]);
        refused(&args, &target, "does not end in", &[]);
        assert!(!target.exists(), "{name} was written");
    }
}

#[test]
fn folders_and_files_in_the_wrong_place_get_a_plain_message() {
    let f = Fixture::new();
    let r = f.returns();
    // A folder as --out: no suggestion of --force (which could not help).
    let dir = f.path("Committee papers");
    std::fs::create_dir_all(&dir).unwrap();
    let e = refused(
        &["build", p(&r), "--out", p(&dir)],
        &dir,
        "is a folder",
        &[],
    );
    assert!(!e.contains("--force"), "{e}");
    let e = refused(
        &["build", p(&r), "--out", p(&dir), "--force"],
        &dir,
        "is a folder",
        &[],
    );
    assert!(!e.contains("--force"), "{e}");
    // A file where a folder is wanted.
    let file = f.path("to-send");
    std::fs::write(&file, b"notes").unwrap();
    refused(
        &["template", "--round", "Review", "--out", p(&file)],
        &file,
        "is a file, but --out names the folder",
        &[&file],
    );
    refused(
        &["check", p(&r), "--feedback", p(&file)],
        &file,
        "is a file, but --feedback names the folder",
        &[&file],
    );
    // The feedback folder inside the returns, or the returns folder itself.
    for fb in [r.join("feedback"), r.clone()] {
        refused(
            &["check", p(&r), "--feedback", p(&fb)],
            &fb,
            "input",
            &[&f.ret],
        );
    }
}

#[test]
fn each_feedback_workbook_is_guarded_too() {
    let f = Fixture::new();
    let r = f.returns();
    let fb = f.path("feedback");
    std::fs::create_dir_all(&fb).unwrap();
    let target = fb.join("Review - Culture.xlsx");
    // Someone's own file where the feedback would go.
    std::fs::write(&target, b"precious").unwrap();
    refused(
        &["check", p(&r), "--feedback", p(&fb)],
        &target,
        "was not written by bestvalue",
        &[&target],
    );
    // The chase list given the same name as a feedback workbook.
    std::fs::remove_file(&target).unwrap();
    let (code, _, stderr) = cli(&["check", p(&r), "--feedback", p(&fb), "--chase", p(&target)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is given for both"), "{stderr}");
    // Our own feedback is replaced on the next run.
    let (code, _, e) = cli(&["check", p(&r), "--feedback", p(&fb)]);
    assert_eq!(code, 1, "{e}");
    let (code, _, e) = cli(&["check", p(&r), "--feedback", p(&fb)]);
    assert_eq!(code, 1, "{e}");
    assert!(target.exists());
}

#[test]
fn inputs_of_every_kind_are_never_outputs() {
    let f = Fixture::new();
    let r = f.returns();
    let last = f.committee("October.xlsx");
    // Last month's workbook as the chase list, even with --force.
    refused(
        &[
            "check",
            p(&r),
            "--previous",
            p(&last),
            "--chase",
            p(&last),
            "--force",
        ],
        &last,
        "is one of the inputs",
        &[&last],
    );
    // Last year's as the committee workbook.
    refused(
        &[
            "build",
            p(&r),
            "--previous-year",
            p(&last),
            "--out",
            p(&last),
            "--force",
        ],
        &last,
        "is one of the inputs",
        &[&last],
    );
    // A template written over the workbook it is pre-filled from.
    let from = f.path("to-send");
    std::fs::create_dir_all(&from).unwrap();
    let filled = from.join("Review - Culture.xlsx");
    std::fs::copy(&f.ret, &filled).unwrap();
    refused(
        &[
            "template",
            "--round",
            "Review",
            "--theme",
            "Culture",
            "--from",
            p(&filled),
            "--out",
            p(&from),
            "--force",
        ],
        &filled,
        "is one of the inputs",
        &[&filled],
    );
}

#[test]
fn a_killed_runs_temporary_files_are_cleared_and_no_one_elses() {
    let f = Fixture::new();
    let r = f.returns();
    let out = f.path("committee.xlsx");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let age = |name: &str, old: bool| {
        let p = f.path(name);
        std::fs::write(&p, b"half a workbook").unwrap();
        if old {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        p
    };
    let stale = age(".bestvalue-k1Ll3d.tmp", true);
    let fresh = age(".bestvalue-wr1t1ng.tmp", false);
    let theirs = age(".excel-8F3A.tmp", true);
    let (code, _, e) = cli(&["build", p(&r), "--out", p(&out), "-q"]);
    assert_eq!(code, 1, "{e}");
    assert!(!stale.exists(), "a stale temporary file of ours is left");
    assert!(fresh.exists(), "another run's file in progress was removed");
    assert!(theirs.exists(), "someone else's temporary file was removed");
}
