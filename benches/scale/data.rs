//! The scale benchmark's generated data: one council's returns and a
//! sector's committee workbooks and returns, made once by the hidden
//! `bestvalue generate` command and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::BIN;

/// Generates the data once; a marker beside each folder records that it
/// is complete.
pub fn generate(data: &Path, authorities: u64, seed: u64) -> (PathBuf, PathBuf) {
    let council = data.join(format!("council-seed{seed}"));
    let sector = data.join(format!("sector-{authorities}-seed{seed}"));
    let jobs: [(&PathBuf, Vec<String>); 2] = [
        (
            &council,
            vec![
                "--council".into(),
                council.display().to_string(),
                "--seed".into(),
                seed.to_string(),
            ],
        ),
        (
            &sector,
            vec![
                "--sector".into(),
                sector.display().to_string(),
                "--authorities".into(),
                authorities.to_string(),
                "--seed".into(),
                seed.to_string(),
                "--returns".into(),
            ],
        ),
    ];
    for (dir, args) in jobs {
        let marker = dir.with_extension("ready");
        let version = env!("CARGO_PKG_VERSION");
        if std::fs::read_to_string(&marker).ok().as_deref() == Some(version) {
            continue;
        }
        // Ours to replace: generated data under target/.
        let _ = std::fs::remove_dir_all(dir);
        eprintln!("Generating {} (once) …", dir.display());
        let start = Instant::now();
        let ok = Command::new(BIN)
            .arg("generate")
            .args(&args)
            .arg("--quiet")
            .status()
            .expect("run generate")
            .success();
        assert!(ok, "generate failed");
        eprintln!("  took {:.1} s", start.elapsed().as_secs_f64());
        std::fs::write(&marker, version).expect("write marker");
    }
    (council, sector)
}
