//! The library's modules form layers, and a module only uses the layers
//! below it: reading never calls writing, the output guard never calls the
//! reader, nothing calls back up into the flows in `lib.rs`. Following
//! `build` from `main` to the written workbook therefore only goes down.
//!
//! This test reads every `crate::…` path in `src/` (imports and paths in
//! code; comments are left out) and checks it against [`LAYERS`]. A new
//! top-level module must be given its place here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules of the library, lowest layer first. `lib` is the
/// crate root (`src/lib.rs`: the flows `build`, `check`, `compare`).
const LAYERS: &[&str] = &[
    // Plain text and dates, the tool's own marks, the framework, problems
    // and records: the vocabulary every stage shares.
    "error",
    "text",
    "dates",
    "marks",
    "framework",
    "problems",
    "records",
    "config",
    // Running work on every core, and the progress line.
    "parallel",
    "progress",
    // Reading workbooks and returns.
    "read",
    // The committee workbook's schema and its one reader.
    "committee",
    // Merging the rounds, the action plan, last year, mappings.
    "assess",
    // Comparing authorities.
    "sector",
    // Console and JSON text.
    "report",
    // Every file the tool writes.
    "write",
    // The flows.
    "lib",
    // The developer's generator runs the flows to make test data.
    "generate",
];

/// The binary's own modules (`main.rs`, `cli.rs`, `cmd/`, and `console.rs`,
/// the console window the program runs in) use the library from outside,
/// through `bestvalue::`; they are not layers of it.
const BINARY: &[&str] = &["main", "cli", "cmd", "console"];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == module)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str();
    Path::new(first)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The code of a line, without its comment (`//` outside a string).
fn code(line: &str) -> &str {
    let mut in_string = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '/' if !in_string && prev == '/' => return &line[..i - 1],
            _ => {}
        }
        prev = c;
    }
    line
}

/// The first path segment of each path in a `use` group, such as
/// `a::b, c::{d, e}, f` (braces nested to any depth).
fn group_heads(group: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => parts.push(String::new()),
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
        .iter()
        .map(|p| {
            p.trim_start_matches([',', ' ', '\n'])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|h| !h.is_empty())
        .collect()
}

/// The top-level items a piece of code names through `crate::`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(j, _)| j);
            out.extend(group_heads(&group[..end]));
        } else {
            let ident: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !ident.is_empty() {
                out.push(ident);
            }
        }
        rest = after;
    }
    out
}

#[test]
fn modules_only_use_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut wrong = Vec::new();
    for m in &modules {
        if !BINARY.contains(&m.as_str()) && rank(m).is_none() {
            wrong.push(format!(
                "src/{m}: a top-level module not placed in LAYERS (tests/it/layers.rs)"
            ));
        }
    }
    for f in &files {
        let from = module_of(&src, f);
        if BINARY.contains(&from.as_str()) {
            continue;
        }
        let Some(from_rank) = rank(&from) else {
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        // `use` statements may span lines: join the code, then look.
        let joined: String = text.lines().map(code).collect::<Vec<_>>().join(" ");
        let named: BTreeSet<String> = crate_paths(&joined).into_iter().collect();
        for item in named {
            // Anything that is not a module is an item of the crate root.
            let to = if modules.contains(&item) {
                item.clone()
            } else {
                "lib".to_string()
            };
            if to == from {
                continue;
            }
            let ok = rank(&to).is_some_and(|r| r < from_rank);
            if !ok {
                wrong.push(format!(
                    "{} uses crate::{item}: {from} may only use layers below it",
                    f.strip_prefix(src.parent().unwrap()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layering broken (lowest first: {}):\n{}",
        LAYERS.join(" < "),
        wrong.join("\n")
    );
}

#[test]
fn use_groups_are_read_by_their_first_segment() {
    assert_eq!(
        crate_paths("use crate::{a::{B, C}, d, e::f}; crate::g::h(); crate::Outcome"),
        ["a", "d", "e", "g", "Outcome"]
    );
    assert_eq!(code("let s = \"a//b\"; // crate::x"), "let s = \"a//b\"; ");
}
