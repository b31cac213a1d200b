//! `compare` on a small generated sector: the sector heat map and the
//! distributions read back against what the generator meant each
//! authority's returns to say; anonymising; mapping an older framework
//! version; and byte-for-byte repeatable output.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::sheet;
use bestvalue::framework::Framework;
use bestvalue::generate::{self, Council, SectorSpec};
use bestvalue::progress::Progress;
use bestvalue::write::sector::{DISTRIBUTION_TOP, NOT_ASSESSED_MARK, columns, heat_map_rows};
use bestvalue::{CompareConfig, compare};

const AUTHORITIES: usize = 5;

struct Fixture {
    dir: PathBuf,
    councils: Vec<Council>,
}

/// One generated sector (committee workbooks and returns) shared by the
/// tests of this file.
fn sector() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compare-sector");
        let _ = std::fs::remove_dir_all(&dir);
        let fw = Framework::default_framework();
        let spec = SectorSpec {
            authorities: AUTHORITIES,
            seed: 11,
            returns: true,
            framework: None,
        };
        let set = generate::sector(&fw, &dir, &spec, &Progress::hidden()).unwrap();
        Fixture {
            dir,
            councils: set.councils,
        }
    })
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn config(inputs: &[PathBuf], out: &Path) -> CompareConfig {
    CompareConfig {
        inputs: inputs.to_vec(),
        output: out.to_path_buf(),
        ..CompareConfig::default()
    }
}

/// The letters the generator meant each authority to have, by name.
fn expected_rows(fw: &Framework, councils: &[Council]) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = councils
        .iter()
        .map(|c| {
            let letters = columns(fw)
                .iter()
                .map(|&ch| match c.finals[ch] {
                    Some(l) => fw.scale[l].letter.clone(),
                    None => NOT_ASSESSED_MARK.to_string(),
                })
                .collect();
            (c.name.clone(), letters)
        })
        .collect();
    rows.sort();
    rows
}

fn heat_rows(path: &Path, n: usize) -> Vec<(String, Vec<String>)> {
    let fw = Framework::default_framework();
    let width = columns(&fw).len();
    let g = sheet(path, "Sector heat map");
    let top = heat_map_rows(&fw).top as usize;
    (0..n)
        .map(|i| {
            let r = &g[top + i];
            (r[0].clone(), r[1..=width].to_vec())
        })
        .collect()
}

#[test]
fn heat_map_shows_each_authoritys_final_scores() {
    let f = sector();
    let fw = Framework::default_framework();
    let d = out_dir();
    let out = d.path().join("sector.xlsx");
    let o = compare(&config(&[f.dir.join("committee")], &out)).unwrap();
    assert!(
        o.sector.not_compared.is_empty(),
        "{:?}",
        o.sector.not_compared
    );
    assert_eq!(o.sector.authorities.len(), AUTHORITIES);

    let g = sheet(&out, "Sector heat map");
    let codes: Vec<&str> = columns(&fw)
        .iter()
        .map(|&c| fw.characteristics[c].code.as_str())
        .collect();
    let at = heat_map_rows(&fw);
    assert_eq!(g[at.codes as usize][1..=codes.len()].to_vec(), codes);
    assert_eq!(g[at.themes as usize][1], "1  Continuous Improvement");
    // The key, in the authority column that every printed page repeats.
    let key: Vec<&str> = (at.themes..at.heading)
        .map(|r| g[r as usize][0].as_str())
        .collect();
    assert_eq!(
        key,
        [
            "DG   Dark green",
            "LG   Light green",
            "Y   Yellow",
            "A   Amber",
            "G   Grey",
            "–   Not assessed"
        ]
    );
    assert_eq!(g[at.heading as usize][0], "Authority");
    assert_eq!(
        heat_rows(&out, AUTHORITIES),
        expected_rows(&fw, &f.councils)
    );
    // The colour counts beside each row add up to the characteristics.
    let last = g[at.top as usize].len() - 1;
    let counts: f64 = g[at.top as usize][last - fw.scale.len()..=last]
        .iter()
        .map(|s| s.parse::<f64>().unwrap())
        .sum();
    assert_eq!(counts as usize, fw.characteristics.len());
}

#[test]
fn returns_folders_give_the_same_heat_map_as_committee_workbooks() {
    let f = sector();
    let fw = Framework::default_framework();
    let d = out_dir();
    let out = d.path().join("from-returns.xlsx");
    let o = compare(&config(&[f.dir.join("returns")], &out)).unwrap();
    assert!(
        o.sector.not_compared.is_empty(),
        "{:?}",
        o.sector.not_compared
    );
    assert!(o.sector.files > 20 * AUTHORITIES, "{}", o.sector.files);
    assert_eq!(
        heat_rows(&out, AUTHORITIES),
        expected_rows(&fw, &f.councils)
    );
}

#[test]
fn distribution_counts_and_shares_match_the_generated_scores() {
    let f = sector();
    let fw = Framework::default_framework();
    let d = out_dir();
    let out = d.path().join("sector.xlsx");
    compare(&config(&[f.dir.join("committee")], &out)).unwrap();
    let g = sheet(&out, "Distribution");
    let top = DISTRIBUTION_TOP as usize;
    assert_eq!(g[top - 1][3], fw.scale[0].label);
    for (i, &ch) in columns(&fw).iter().enumerate() {
        let row = &g[top + i];
        assert_eq!(row[1], fw.characteristics[ch].code);
        for (l, level) in fw.scale.iter().enumerate() {
            let want = f
                .councils
                .iter()
                .filter(|c| c.finals[ch] == Some(l))
                .count();
            assert_eq!(row[3 + l], want.to_string(), "{} {}", row[1], level.label);
            let share: f64 = row[3 + fw.scale.len() + 1 + l].parse().unwrap();
            assert!((share - want as f64 / AUTHORITIES as f64).abs() < 1e-9);
        }
    }
    let total = &g[top + columns(&fw).len()];
    assert_eq!(total[0], "All characteristics");
}

#[test]
fn positions_compare_each_theme_with_the_sector() {
    let f = sector();
    let fw = Framework::default_framework();
    let d = out_dir();
    let out = d.path().join("sector.xlsx");
    let o = compare(&config(&[f.dir.join("committee")], &out)).unwrap();
    let levels: Vec<Vec<Option<usize>>> = o
        .sector
        .authorities
        .iter()
        .map(|a| a.levels.clone())
        .collect();
    let stats = bestvalue::sector::stats::compute(&fw, &levels);
    let g = sheet(&out, "Positions");
    let top = bestvalue::write::sector::POSITIONS_TOP as usize;
    for t in 0..fw.themes.len() {
        let want = stats.sector_theme[t].map(|l| fw.scale[l].letter.clone());
        assert_eq!(Some(g[top - 1][1 + 2 * t].clone()), want);
    }
    for (a, auth) in o.sector.authorities.iter().enumerate() {
        let row = &g[top + a];
        assert_eq!(row[0], auth.name);
        let above = (0..fw.themes.len())
            .filter(|&t| row[2 + 2 * t] == "Above")
            .count();
        assert_eq!(row[1 + 2 * fw.themes.len()], above.to_string());
    }
}

#[test]
fn anonymised_output_names_no_authority() {
    let f = sector();
    let d = out_dir();
    let out = d.path().join("published.xlsx");
    let mut cfg = config(&[f.dir.join("committee"), f.dir.join("returns")], &out);
    cfg.anonymise = true;
    let o = compare(&cfg).unwrap();
    // Each authority twice (its workbook and its returns), labelled in
    // order of name.
    let shown: Vec<&str> = o
        .sector
        .authorities
        .iter()
        .map(|a| a.shown.as_str())
        .collect();
    assert_eq!(shown[..3], ["Authority A", "Authority B", "Authority C"]);
    let mut names: Vec<&str> = f.councils.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(o.sector.authorities[0].name, names[0]);
    assert_eq!(o.sector.authorities[2].name, names[1]);
    // No name anywhere in the file: cells, properties, anything.
    let file = std::fs::File::open(&out).unwrap();
    let mut z = zip::ZipArchive::new(file).unwrap();
    for i in 0..z.len() {
        let mut part = String::new();
        use std::io::Read;
        z.by_index(i).unwrap().read_to_string(&mut part).unwrap();
        for n in &names {
            let place = n.split(' ').next().unwrap();
            assert!(!part.contains(place), "{place} in part {i}");
        }
    }
    let heat = sheet(&out, "Sector heat map");
    let top = heat_map_rows(&Framework::default_framework()).top as usize;
    assert_eq!(heat[top][0], "Authority A");
}

#[test]
fn output_is_the_same_bytes_every_time() {
    let f = sector();
    let d = out_dir();
    let a = d.path().join("a.xlsx");
    let b = d.path().join("b.xlsx");
    compare(&config(&[f.dir.join("committee")], &a)).unwrap();
    compare(&config(&[f.dir.join("committee")], &b)).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

/// Reading on one thread or on several gives the same workbook, for
/// `compare` over return folders and for `build` on one authority's set.
#[test]
fn one_thread_or_several_write_the_same_bytes() {
    let f = sector();
    let d = out_dir();
    let returns = f.dir.join("returns");
    let first_set = std::fs::read_dir(&returns)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .min()
        .unwrap();
    for (command, input) in [("compare", &returns), ("build", &first_set)] {
        let run = |threads: &str| {
            let out = d.path().join(format!("{command}-{threads}.xlsx"));
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue"))
                .args([
                    command,
                    input.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                ])
                .arg("--quiet")
                .env("BESTVALUE_THREADS", threads)
                .output()
                .unwrap();
            assert!(
                status.status.code().is_some_and(|c| c <= 1),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
            std::fs::read(out).unwrap()
        };
        let one = run("1");
        assert!(one.len() > 5_000, "{command} wrote a workbook");
        assert_eq!(one, run("2"), "{command}: 1 thread and 2");
        assert_eq!(one, run("4"), "{command}: 1 thread and 4");
    }
}

#[test]
fn generated_returns_are_the_same_bytes_every_time() {
    let fw = Framework::default_framework();
    let d = out_dir();
    let (c1, f1) = generate::council(&fw, &d.path().join("one"), 5).unwrap();
    let (c2, f2) = generate::council(&fw, &d.path().join("two"), 5).unwrap();
    assert_eq!(c1.name, c2.name);
    assert!((20..=30).contains(&f1.len()), "{}", f1.len());
    for (a, b) in f1.iter().zip(&f2) {
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{}",
            a.display()
        );
    }
    // And the build finds what the generator meant, with no errors.
    let out = d.path().join("committee.xlsx");
    let o = crate::common::build(&[d.path().join("one")], &out);
    assert!(!o.problems.has_errors(), "{:?}", crate::common::codes(&o));
    let got: Vec<Option<usize>> = (0..fw.characteristics.len())
        .map(|c| o.assessment.level(c))
        .collect();
    assert_eq!(got, c1.finals);
}

/// The default framework as an older version in which PCE007 was PCE008.
fn older_framework(dir: &Path) -> PathBuf {
    let text = bestvalue::framework::DEFAULT_FRAMEWORK
        .replace("version = \"2024\"", "version = \"2023\"")
        .replace("code = \"PCE007\"", "code = \"PCE008\"");
    let p = dir.join("framework-2023.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn an_older_framework_version_is_compared_through_a_mapping() {
    let d = out_dir();
    let old_path = older_framework(d.path());
    let old = Framework::load(&old_path).unwrap();
    assert_eq!(old.version, "2023");
    let c = Council::plan(&old, "Oldtown Borough Council", 99);
    c.write_returns(&old, &d.path().join("returns")).unwrap();
    let workbooks = d.path().join("workbooks");
    bestvalue::build(&bestvalue::BuildConfig {
        inputs: vec![d.path().join("returns")],
        output: workbooks.join("oldtown.xlsx"),
        framework: Some(old_path.clone()),
        as_at: None,
        authority: None,
        ..Default::default()
    })
    .unwrap();
    let out = d.path().join("sector.xlsx");

    // Without a mapping it is set aside, with the reason.
    let o = compare(&config(std::slice::from_ref(&workbooks), &out)).unwrap();
    assert!(o.written.is_none());
    assert!(
        o.sector.not_compared[0]
            .reason
            .contains("no mapping from 2023 to 2024"),
        "{:?}",
        o.sector.not_compared
    );

    let map = d.path().join("mapping-2023-2024.toml");
    std::fs::write(
        &map,
        "from = \"2023\"\nto = \"2024\"\n[[renumbered]]\nfrom = \"PCE008\"\nto = \"PCE007\"\n",
    )
    .unwrap();
    let mut cfg = config(&[workbooks], &out);
    cfg.mappings = vec![map.clone()];
    let o = compare(&cfg).unwrap();
    let a = &o.sector.authorities[0];
    assert_eq!(a.version, "2023");
    assert_eq!(a.levels, c.finals, "same positions: only the code changed");
    assert!(
        a.notes.iter().any(|n| n.contains("mapping-2023-2024.toml")),
        "{:?}",
        a.notes
    );

    // From its returns, read with the older framework given as a second one.
    let mut cfg = config(
        &[d.path().to_path_buf()],
        &d.path().join("from-returns.xlsx"),
    );
    cfg.other_frameworks = vec![old_path];
    cfg.mappings = vec![map];
    let o = compare(&cfg).unwrap();
    let a = o
        .sector
        .authorities
        .iter()
        .find(|a| a.source.ends_with("/returns"))
        .unwrap();
    assert_eq!(a.levels, c.finals);
}

#[test]
fn refuses_to_overwrite_a_file_it_did_not_write() {
    let f = sector();
    let d = out_dir();
    let out = d.path().join("notes.xlsx");
    std::fs::write(&out, b"not a workbook").unwrap();
    let e = compare(&config(&[f.dir.join("committee")], &out))
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("was not written by bestvalue"),
        "{e}"
    );
}

#[test]
fn the_command_is_quiet_when_not_on_a_terminal() {
    let f = sector();
    let d = out_dir();
    let out = d.path().join("sector.xlsx");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .arg("compare")
        .arg(f.dir.join("committee"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert!(
        run.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.starts_with(&format!("Compared {AUTHORITIES} authorities")),
        "{stdout}"
    );
}
