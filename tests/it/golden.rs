//! Every output the tool makes, from the samples and from generated council
//! and sector sets, byte for byte: a change to any workbook part, CSV or
//! console text fails this test, naming the file and the part.
//!
//! The expected fingerprints are in `tests/golden/outputs.txt`. When an
//! output is meant to change, re-bless them with one command and review the
//! lines that changed in the diff:
//!
//! ```text
//! BLESS=1 cargo test --test it golden
//! ```
//!
//! The commands are those of `/work/coord/golden.sh` (run through the
//! binary), with a smaller generated sector. Paths that depend on where the
//! test runs are replaced by `<out>` and `<samples>` before hashing.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const SNAPSHOT: &str = "tests/golden/outputs.txt";

/// FNV-1a, 64 bits: small, and the same on every machine and Rust version.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

struct Run {
    out: PathBuf,
    root: PathBuf,
    codes: Vec<String>,
}

impl Run {
    /// Runs `bestvalue` from the repository root and keeps its exit code;
    /// stdout and stderr go to `<name>.txt` when `name` is given.
    fn cmd(&mut self, label: &str, args: &[&str], save: Option<&str>) {
        let out = Command::new(env!("CARGO_BIN_EXE_bestvalue"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        if let Some(name) = save {
            let mut text = out.stdout.clone();
            text.extend(&out.stderr);
            std::fs::write(self.out.join(name), text).unwrap();
        }
        self.codes
            .push(format!("{label} {}", out.status.code().unwrap_or(-1)));
    }

    fn path(&self, rel: &str) -> String {
        self.out.join(rel).to_str().unwrap().to_string()
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Fingerprints of every file under `dir`: each .xlsx whole and part by
/// part, every other file as text with local paths made neutral.
fn fingerprints(dir: &Path, root: &Path) -> BTreeMap<String, String> {
    let mut found = Vec::new();
    files(dir, &mut found);
    let mut out = BTreeMap::new();
    let neutral = |text: &str| {
        text.replace(dir.to_str().unwrap(), "<out>")
            .replace(root.join("samples").to_str().unwrap(), "<samples>")
    };
    for f in found {
        let name = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&f).unwrap();
        // The generated returns are inputs here: whole files are enough.
        let generated = name.starts_with("council/") || name.starts_with("sector/");
        if name.ends_with(".xlsx") && generated {
            out.insert(name, format!("{:016x}", fnv(&bytes)));
        } else if name.ends_with(".xlsx") {
            out.insert(name.clone(), format!("{:016x}", fnv(&bytes)));
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut content = Vec::new();
                part.read_to_end(&mut content).unwrap();
                out.insert(
                    format!("{name} › {}", part.name().unwrap()),
                    format!("{:016x}", fnv(&content)),
                );
            }
        } else {
            let text = neutral(&String::from_utf8_lossy(&bytes));
            out.insert(name, format!("{:016x}", fnv(text.as_bytes())));
        }
    }
    out
}

#[test]
fn every_output_is_byte_identical_to_the_blessed_one() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let mut r = Run {
        out: tmp.path().join("out"),
        root: root.clone(),
        codes: Vec::new(),
    };
    std::fs::create_dir_all(&r.out).unwrap();
    let (committee, november) = (r.path("committee.xlsx"), r.path("november.xlsx"));
    r.cmd(
        "build",
        &[
            "build",
            "samples/returns",
            "--previous-year",
            "samples/2024-25/Committee 2024-25.xlsx",
            "--out",
            &committee,
            "--publish",
            &r.path("published.xlsx"),
            "-q",
        ],
        Some("build.txt"),
    );
    r.cmd(
        "november",
        &[
            "build",
            "samples/returns-2025-11",
            "--previous",
            &committee,
            "--out",
            &november,
            "--actions-csv",
            &r.path("actions.csv"),
            "--publish",
            &r.path("november-published.xlsx"),
            "--committee",
            "Audit and Governance Committee",
            "--meeting",
            "10/12/2025",
            "--appendix",
            "Appendix B",
            "--contact",
            "Performance Office",
        ],
        Some("november.txt"),
    );
    r.cmd(
        "check json",
        &["check", "samples/returns", "--format", "json"],
        Some("check.json"),
    );
    r.cmd("check", &["check", "samples/returns"], Some("check.txt"));
    r.cmd(
        "feedback",
        &[
            "check",
            "samples/returns",
            "--feedback",
            &r.path("feedback"),
            "--chase",
            &r.path("chase.xlsx"),
        ],
        None,
    );
    r.cmd(
        "blank templates",
        &["template", "--all-rounds", "--out", &r.path("blank"), "-q"],
        None,
    );
    r.cmd(
        "templates from the committee workbook",
        &[
            "template",
            "--actions",
            "--from",
            &committee,
            "--out",
            &r.path("next"),
            "-q",
        ],
        None,
    );
    r.cmd(
        "templates from returns",
        &[
            "template",
            "--round",
            "Moderation",
            "--all-in-one",
            "--from",
            "samples/returns",
            "--out",
            &r.path("moderation"),
            "-q",
        ],
        None,
    );
    r.cmd(
        "generate council",
        &[
            "generate",
            "--council",
            &r.path("council"),
            "--seed",
            "3",
            "-q",
        ],
        None,
    );
    r.cmd(
        "build council",
        &[
            "build",
            &r.path("council"),
            "--out",
            &r.path("council-committee.xlsx"),
            "-q",
        ],
        None,
    );
    r.cmd(
        "generate sector",
        &[
            "generate",
            "--sector",
            &r.path("sector"),
            "--authorities",
            "4",
            "--returns",
            "--seed",
            "2",
            "-q",
        ],
        None,
    );
    r.cmd(
        "compare committee workbooks",
        &[
            "compare",
            &r.path("sector/committee"),
            "--out",
            &r.path("sector.xlsx"),
            "-q",
        ],
        None,
    );
    r.cmd(
        "compare returns",
        &[
            "compare",
            &r.path("sector/returns"),
            "--out",
            &r.path("sector-returns.xlsx"),
            "-q",
        ],
        None,
    );
    r.cmd("codes", &["codes"], Some("codes.txt"));
    r.cmd("codes markdown", &["codes", "--markdown"], Some("codes.md"));

    let mut lines: Vec<String> = r.codes.iter().map(|c| format!("exit {c}")).collect();
    lines.extend(
        fingerprints(&r.out, &root)
            .into_iter()
            .map(|(k, v)| format!("{v}  {k}")),
    );
    let got = lines.join("\n") + "\n";
    let snapshot = root.join(SNAPSHOT);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(&snapshot, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
    if got != want {
        let old: Vec<&str> = want.lines().collect();
        let new: Vec<&str> = got.lines().collect();
        let gone: Vec<&str> = old.iter().filter(|l| !new.contains(l)).copied().collect();
        let came: Vec<&str> = new.iter().filter(|l| !old.contains(l)).copied().collect();
        panic!(
            "outputs differ from {SNAPSHOT}.\nExpected, not found:\n  {}\nFound instead:\n  {}\n\
If the change is meant, re-bless with: BLESS=1 cargo test --test it golden",
            gone.join("\n  "),
            came.join("\n  ")
        );
    }
}
