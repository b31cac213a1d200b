//! Mapping files: how the codes of one framework version become the codes of
//! another, so assessments made against different versions line up (in a
//! sector comparison, and year on year). A mapping is data, like the
//! framework: a TOML file the performance office can read and edit.
//!
//! ```toml
//! from = "2024"          # the framework version the scores were given against
//! to = "2025"            # the version they are carried onto
//!
//! [[renumbered]]         # the same characteristic under a new code
//! from = "L0010"
//! to = "L010"
//!
//! [[retired]]            # no longer in the framework: its score is dropped
//! code = "G0011"
//! reason = "Folded into the new governance characteristics."   # optional
//!
//! [[merged]]             # several characteristics became one
//! from = ["CI010", "CI012"]
//! into = "CI010"
//! ```
//!
//! A code the file does not mention keeps its code. Codes are matched the
//! way returns are (prefix and number: `L010` is `L0010`). When merged
//! characteristics had different scores, the merged one takes the weakest
//! scored level (a "not scored" level such as Grey counts only when none of
//! them was scored), so a mapping never makes an authority look better than
//! its own assessment did.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::Error;
use crate::framework::{Framework, Level, code_key, fold};

/// A checked mapping file.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where it came from, for messages.
    pub origin: String,
    pub from: String,
    pub to: String,
    renumbered: Vec<(String, String)>,
    retired: Vec<String>,
    merged: Vec<(Vec<String>, String)>,
}

/// What happens to one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate<'a> {
    /// Not mentioned: keeps its code.
    Same,
    Renumbered(&'a str),
    Retired,
    /// Merged with others into this code.
    Merged(&'a str),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    from: String,
    to: String,
    #[serde(default)]
    renumbered: Vec<RawRenumbered>,
    #[serde(default)]
    retired: Vec<RawRetired>,
    #[serde(default)]
    merged: Vec<RawMerged>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenumbered {
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetired {
    code: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation for the reader of the file
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMerged {
    from: Vec<String>,
    into: String,
}

/// A code reduced to what identifies it: `L0010`, `l 010` and `L10` agree.
pub fn code_id(code: &str) -> String {
    match code_key(code) {
        Some((prefix, number)) => format!("{prefix}{number}"),
        None => fold(code),
    }
}

impl Mapping {
    pub fn load(path: &Path) -> Result<Mapping, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Mapping::parse(&text, &path.display().to_string())
    }

    /// Checks the text of a mapping file. `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Mapping, Error> {
        let fail = |message: String| Error::Mapping {
            origin: origin.to_string(),
            message,
        };
        let raw: RawMapping = toml::from_str(text).map_err(|e| fail(e.message().to_string()))?;
        let mut problems = Vec::new();
        let from = raw.from.trim().to_string();
        let to = raw.to.trim().to_string();
        if from.is_empty() || to.is_empty() {
            problems.push("Give both versions: from = \"…\" and to = \"…\".".to_string());
        } else if fold(&from) == fold(&to) {
            problems.push(format!(
                "from and to are both \"{from}\": a mapping joins two different versions."
            ));
        }
        // Every source code may be mentioned once.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut mention = |code: &str, rule: &str, problems: &mut Vec<String>| {
            let code = code.trim();
            if code.is_empty() {
                problems.push(format!("A {rule} entry has an empty code."));
                return;
            }
            if let Some(first) = seen.insert(code_id(code), rule.to_string()) {
                problems.push(format!(
                    "{code} is mentioned twice (in {first} and in {rule}); say once what became of it."
                ));
            }
        };
        for r in &raw.renumbered {
            mention(&r.from, "renumbered", &mut problems);
            if r.to.trim().is_empty() {
                problems.push(format!(
                    "Renumbered {} has no new code (to = \"…\").",
                    r.from
                ));
            }
        }
        for r in &raw.retired {
            mention(&r.code, "retired", &mut problems);
        }
        for m in &raw.merged {
            if m.from.len() < 2 {
                problems.push(format!(
                    "Merged into {} lists {} code(s); a merge joins two or more (use renumbered for one).",
                    m.into,
                    m.from.len()
                ));
            }
            for c in &m.from {
                mention(c, "merged", &mut problems);
            }
            if m.into.trim().is_empty() {
                problems
                    .push("A merged entry has no code to merge into (into = \"…\").".to_string());
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems.join("\n")));
        }
        Ok(Mapping {
            origin: origin.to_string(),
            from,
            to,
            renumbered: raw
                .renumbered
                .into_iter()
                .map(|r| (r.from.trim().to_string(), r.to.trim().to_string()))
                .collect(),
            retired: raw
                .retired
                .into_iter()
                .map(|r| r.code.trim().to_string())
                .collect(),
            merged: raw
                .merged
                .into_iter()
                .map(|m| {
                    (
                        m.from.iter().map(|c| c.trim().to_string()).collect(),
                        m.into.trim().to_string(),
                    )
                })
                .collect(),
        })
    }

    /// What becomes of `code` (a code of the `from` version).
    pub fn fate(&self, code: &str) -> Fate<'_> {
        let id = code_id(code);
        if let Some((_, to)) = self.renumbered.iter().find(|(f, _)| code_id(f) == id) {
            return Fate::Renumbered(to);
        }
        if self.retired.iter().any(|c| code_id(c) == id) {
            return Fate::Retired;
        }
        if let Some((_, into)) = self
            .merged
            .iter()
            .find(|(from, _)| from.iter().any(|c| code_id(c) == id))
        {
            return Fate::Merged(into);
        }
        Fate::Same
    }

    /// The codes this mapping leads to that `to` does not have, and the codes
    /// it maps from that `from` does not have: both are mistakes in the file.
    pub fn check(&self, from: Option<&Framework>, to: &Framework) -> Vec<String> {
        let mut out = Vec::new();
        let targets = self
            .renumbered
            .iter()
            .map(|(_, t)| t)
            .chain(self.merged.iter().map(|(_, t)| t));
        for t in targets {
            if to.find_code(t).is_none() {
                out.push(format!(
                    "{t} is not a code of {} (version {}).",
                    to.name, to.version
                ));
            }
        }
        if let Some(from) = from {
            let sources = self
                .renumbered
                .iter()
                .map(|(f, _)| f)
                .chain(self.retired.iter())
                .chain(self.merged.iter().flat_map(|(f, _)| f.iter()));
            for s in sources {
                if from.find_code(s).is_none() {
                    out.push(format!(
                        "{s} is not a code of {} (version {}).",
                        from.name, from.version
                    ));
                }
            }
        }
        out
    }
}

/// The shortest chain of mappings from version `from` to version `to`
/// (empty when they are the same version), if the mappings given make one.
pub fn route<'a>(maps: &'a [Mapping], from: &str, to: &str) -> Option<Vec<&'a Mapping>> {
    let (from, to) = (fold(from), fold(to));
    if from == to {
        return Some(Vec::new());
    }
    // Breadth first over versions; `via` remembers how each was reached.
    let mut via: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut queue = VecDeque::from([from.clone()]);
    while let Some(v) = queue.pop_front() {
        for (i, m) in maps.iter().enumerate() {
            let (a, b) = (fold(&m.from), fold(&m.to));
            if a != v || b == from || via.contains_key(&b) {
                continue;
            }
            via.insert(b.clone(), (a, i));
            if b == to {
                let mut chain = Vec::new();
                let mut at = b;
                while at != from {
                    let (prev, i) = via[&at].clone();
                    chain.push(&maps[i]);
                    at = prev;
                }
                chain.reverse();
                return Some(chain);
            }
            queue.push_back(b);
        }
    }
    None
}

/// Which of two levels a merged characteristic takes: the weakest scored
/// level; a level that is not scored (Grey) only if neither is scored;
/// nothing only if neither has a level. Levels are indices into `scale`,
/// best first.
pub fn combine(a: Option<usize>, b: Option<usize>, scale: &[Level]) -> Option<usize> {
    let scored = |l: usize| scale.get(l).is_some_and(|x| x.scored);
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => match (scored(x), scored(y)) {
            (true, true) => Some(x.max(y)),
            (true, false) => Some(x),
            (false, true) => Some(y),
            (false, false) => Some(x.min(y)),
        },
    }
}

/// Scores carried through a chain of mappings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Carried {
    /// Code (as the last version writes it) → level, in first-seen order.
    pub scores: Vec<(String, Option<usize>)>,
    /// Codes dropped because their characteristic was retired.
    pub retired: Vec<String>,
}

/// Carries scores given against one version's codes through `chain`.
/// `scores` are (code, level) with levels already on `scale`.
pub fn carry(scores: &[(String, Option<usize>)], chain: &[&Mapping], scale: &[Level]) -> Carried {
    let mut current: IndexMap<String, (String, Option<usize>)> = scores
        .iter()
        .map(|(c, l)| (code_id(c), (c.clone(), *l)))
        .collect();
    let mut retired = Vec::new();
    for m in chain {
        let mut next: IndexMap<String, (String, Option<usize>)> = IndexMap::new();
        for (code, level) in current.into_values() {
            let target = match m.fate(&code) {
                Fate::Same => code,
                Fate::Renumbered(t) | Fate::Merged(t) => t.to_string(),
                Fate::Retired => {
                    retired.push(code);
                    continue;
                }
            };
            let id = code_id(&target);
            match next.get_mut(&id) {
                Some(slot) => slot.1 = combine(slot.1, level, scale),
                None => {
                    next.insert(id, (target, level));
                }
            }
        }
        current = next;
    }
    Carried {
        scores: current.into_values().collect(),
        retired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../templates/mapping-example.toml");

    fn scale() -> Vec<Level> {
        Framework::default_framework().scale
    }

    #[test]
    fn the_shipped_example_parses() {
        let m = Mapping::parse(EXAMPLE, "mapping-example.toml").unwrap();
        assert_eq!((m.from.as_str(), m.to.as_str()), ("2024", "2025"));
        assert_eq!(m.fate("L0010"), Fate::Renumbered("L010"));
        assert_eq!(m.fate("g 11"), Fate::Retired);
        assert_eq!(m.fate("CI012"), Fate::Merged("CI010"));
        assert_eq!(m.fate("CI001"), Fate::Same);
    }

    #[test]
    fn mistakes_in_the_file_are_named() {
        let e = Mapping::parse(
            "from = \"2024\"\nto = \"2024\"\n[[retired]]\ncode = \"G001\"\n[[renumbered]]\nfrom = \"G1\"\nto = \"G9\"\n",
            "m.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("m.toml"), "{e}");
        assert!(e.contains("both \"2024\""), "{e}");
        assert!(
            e.contains("G001 is mentioned twice (in renumbered and in retired)"),
            "{e}"
        );
        let e = Mapping::parse(
            "from = \"1\"\nto = \"2\"\n[[merged]]\nfrom = [\"A1\"]\ninto = \"A2\"\n",
            "m",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("a merge joins two or more"), "{e}");
        assert!(Mapping::parse("from = \"1\"\nto = \"2\"\nextra = 3\n", "m").is_err());
    }

    #[test]
    fn check_finds_codes_the_frameworks_do_not_have() {
        let fw = Framework::default_framework();
        let m = Mapping::parse(
            "from = \"2023\"\nto = \"2024\"\n[[renumbered]]\nfrom = \"X1\"\nto = \"CI099\"\n",
            "m",
        )
        .unwrap();
        let found = m.check(Some(&fw), &fw);
        assert!(
            found.iter().any(|p| p.starts_with("CI099 is not a code")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.starts_with("X1 is not a code")),
            "{found:?}"
        );
    }

    #[test]
    fn routes_go_through_intermediate_versions() {
        let a = Mapping::parse("from = \"2023\"\nto = \"2024\"\n", "a").unwrap();
        let b = Mapping::parse("from = \"2024\"\nto = \"2025\"\n", "b").unwrap();
        let maps = vec![b, a];
        let chain = route(&maps, "2023", "2025").unwrap();
        let names: Vec<&str> = chain.iter().map(|m| m.origin.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(route(&maps, "2025", "2023").is_none());
        assert_eq!(route(&maps, "2024", "2024").unwrap().len(), 0);
    }

    #[test]
    fn merged_characteristics_take_the_weakest_scored_level() {
        let s = scale(); // Dark green 0, Light green 1, Yellow 2, Amber 3, Grey 4
        assert_eq!(combine(Some(1), Some(3), &s), Some(3));
        assert_eq!(combine(Some(4), Some(0), &s), Some(0));
        assert_eq!(combine(Some(4), None, &s), Some(4));
        assert_eq!(combine(None, None, &s), None);
    }

    #[test]
    fn carrying_renumbers_merges_and_retires() {
        let m = Mapping::parse(EXAMPLE, "example").unwrap();
        let scores = vec![
            ("CI001".to_string(), Some(0)),
            ("CI010".to_string(), Some(1)),
            ("CI012".to_string(), Some(2)),
            ("L0010".to_string(), Some(1)),
            ("G0011".to_string(), Some(3)),
        ];
        let c = carry(&scores, &[&m], &scale());
        assert_eq!(
            c.scores,
            vec![
                ("CI001".to_string(), Some(0)),
                ("CI010".to_string(), Some(2)),
                ("L010".to_string(), Some(1)),
            ]
        );
        assert_eq!(c.retired, vec!["G0011".to_string()]);
    }
}
