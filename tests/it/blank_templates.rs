//! `templates/blank/` holds the blank templates for the built-in framework,
//! as the tool writes them, for councils to send out as they are. This test
//! writes them again and fails when the committed ones differ, byte for
//! byte (the tool writes the same bytes for the same command).

use std::collections::BTreeMap;
use std::path::Path;

use bestvalue::write::template::{TemplateConfig, TemplateKind, write_templates};

const REFRESH: &str =
    "rm -rf templates/blank && cargo run -- template --all-rounds --out templates/blank";

fn xlsx_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn blank_templates_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/blank");
    let tmp = tempfile::tempdir().unwrap();
    write_templates(&TemplateConfig::new(TemplateKind::AllRounds, tmp.path())).unwrap();
    let fresh = xlsx_files(tmp.path());
    assert_eq!(fresh.len(), 11);
    if std::env::var_os("BESTVALUE_UPDATE_TEMPLATES").is_some() {
        for name in xlsx_files(&committed).keys() {
            std::fs::remove_file(committed.join(name)).unwrap();
        }
        std::fs::create_dir_all(&committed).unwrap();
        for (name, bytes) in &fresh {
            std::fs::write(committed.join(name), bytes).unwrap();
        }
        return;
    }
    let old = xlsx_files(&committed);
    let mut stale = Vec::new();
    for (name, bytes) in &fresh {
        match old.get(name) {
            None => stale.push(format!("{name} is missing")),
            Some(b) if b != bytes => stale.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !fresh.contains_key(*n)) {
        stale.push(format!("{name} is no longer written"));
    }
    assert!(
        stale.is_empty(),
        "templates/blank is out of date:\n  {}\nRefresh it from the repository's folder with\n    {REFRESH}\nand commit the result.",
        stale.join("\n  ")
    );
}
