//! The framework: themes, coded characteristics, the scale, the rounds and
//! action statuses. Loaded from a TOML file (the default one is built into the
//! binary from `templates/framework-2024.toml`), checked, and then used by
//! every other stage as reference data.
//!
//! The types and lookups are here; reading and checking the file is in [`file`].

mod file;

use std::collections::HashMap;
use std::path::Path;

use crate::error::Error;

/// The default framework, as shipped in `templates/`.
pub const DEFAULT_FRAMEWORK: &str = include_str!("../../templates/framework-2024.toml");
pub const DEFAULT_FRAMEWORK_NAME: &str = "framework-2024.toml";

/// A checked framework, ready to use.
#[derive(Debug, Clone)]
pub struct Framework {
    pub name: String,
    pub version: String,
    pub cells_per_row: usize,
    pub rounds: Vec<Round>,
    pub scale: Vec<Level>,
    pub statuses: Vec<Status>,
    pub themes: Vec<Theme>,
    /// Every distinct characteristic, in framework order.
    pub characteristics: Vec<Characteristic>,
    /// (prefix, number) → index into `characteristics`.
    by_key: HashMap<(String, u32), usize>,
    /// Normalised label or alias → index into `scale`.
    score_names: HashMap<String, usize>,
    status_names: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct Round {
    pub name: String,
    /// Whether officers give a score in this round.
    pub scored: bool,
    /// A blank score keeps the previous round's score (moderation, sign-off).
    pub blank_keeps_previous: bool,
    /// A score different from the previous round's needs a reason.
    pub change_needs_reason: bool,
    /// Earlier rounds whose scores a template for this round shows.
    pub shows: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub label: String,
    /// `#RRGGBB`, upper case.
    pub fill: String,
    /// Short letters printed in heat-map cells so black-and-white prints read.
    pub letter: String,
    pub meaning: String,
    pub scored: bool,
    pub needs_action: bool,
    pub reason_required: bool,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub label: String,
    pub fill: String,
    /// The action is finished: never overdue.
    pub closed: bool,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    pub prefix: String,
    pub cells: Vec<Cell>,
}

/// One cell of the published heat map.
#[derive(Debug, Clone)]
pub enum Cell {
    /// A characteristic of this theme: index into `Framework::characteristics`.
    Own(usize),
    /// "See CI012": shows another characteristic's colour.
    See(usize),
}

#[derive(Debug, Clone)]
pub struct Characteristic {
    pub code: String,
    pub label: String,
    pub theme: usize,
}

/// Splits a code into its prefix (upper case) and number, ignoring spacing,
/// case and leading zeros: one to six ASCII letters, any of ` \t._-/`, then
/// one to six ASCII digits (not `\d`, which would accept Arabic-Indic
/// digits). A code as an officer might write it: `ci1`, `G 003`, `L010`.
/// Read by hand rather than with a regex: it runs for every code cell.
///
/// ```
/// use bestvalue::framework::code_key;
/// assert_eq!(code_key("L0010"), code_key("l 010"));
/// assert_eq!(code_key("ci1"), Some(("CI".to_string(), 1)));
/// assert_eq!(code_key("See CI012"), None);
/// ```
pub fn code_key(text: &str) -> Option<(String, u32)> {
    let t = text.trim();
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(1..=6).contains(&letters) {
        return None;
    }
    let rest = t[letters..].trim_start_matches([' ', '\t', '.', '_', '-', '/']);
    if !(1..=6).contains(&rest.len()) || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = rest.parse().ok()?;
    Some((t[..letters].to_ascii_uppercase(), number))
}

pub use crate::text::fold;

impl Framework {
    /// The labels of the scale's levels that `keep` picks, in scale order
    /// (say, those that need an action), for officers' instructions.
    pub fn level_labels(&self, keep: impl Fn(&Level) -> bool) -> Vec<&str> {
        self.scale
            .iter()
            .filter(|l| keep(l))
            .map(|l| l.label.as_str())
            .collect()
    }

    /// The built-in default framework.
    pub fn default_framework() -> Framework {
        // safety: the built-in file is checked by a unit test.
        Framework::parse(DEFAULT_FRAMEWORK, DEFAULT_FRAMEWORK_NAME).expect("built-in framework")
    }

    /// The framework named on the command line, or the built-in one.
    pub fn load_or_default(path: Option<&Path>) -> Result<Framework, Error> {
        match path {
            Some(p) => Framework::load(p),
            None => Ok(Framework::default_framework()),
        }
    }

    /// Finds a characteristic from a code as written in a return.
    pub fn find_code(&self, text: &str) -> Option<usize> {
        code_key(text).and_then(|k| self.by_key.get(&k).copied())
    }

    /// The cross-reference cell written as a code (`G002`) when it has none:
    /// returns the characteristic it refers to.
    pub fn find_see_position(&self, text: &str) -> Option<(usize, usize)> {
        let (prefix, number) = code_key(text)?;
        let theme = self.themes.iter().position(|t| t.prefix == prefix)?;
        let cell = self.themes[theme]
            .cells
            .get(number.checked_sub(1)? as usize)?;
        match cell {
            Cell::See(target) => Some((theme, *target)),
            Cell::Own(_) => None,
        }
    }

    /// Finds a scale level from a label, an alias or a rank number.
    pub fn find_score(&self, text: &str) -> Option<usize> {
        self.score_names.get(&fold(text)).copied()
    }

    pub fn find_status(&self, text: &str) -> Option<usize> {
        self.status_names.get(&fold(text)).copied()
    }

    /// Finds a round by name (any case or spacing).
    pub fn find_round(&self, text: &str) -> Option<usize> {
        let f = fold(text);
        self.rounds.iter().position(|r| fold(&r.name) == f)
    }

    /// Finds a theme by name, prefix or number.
    pub fn find_theme(&self, text: &str) -> Option<usize> {
        let f = fold(text);
        if let Ok(n) = f.parse::<usize>() {
            return (1..=self.themes.len()).contains(&n).then(|| n - 1);
        }
        self.themes
            .iter()
            .position(|t| fold(&t.name) == f || fold(&t.prefix) == f)
    }

    /// Scale labels joined for messages: `Dark green, Light green, …`.
    pub fn scale_list(&self) -> String {
        self.scale
            .iter()
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn status_list(&self) -> String {
        self.statuses
            .iter()
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Heat-map cells in all themes.
    pub fn cell_count(&self) -> usize {
        self.themes.iter().map(|t| t.cells.len()).sum()
    }

    /// Characteristics that take a score (all of them in the default).
    pub fn level_by_label(&self, label: &str) -> Option<&Level> {
        self.scale.iter().find(|l| l.label == label)
    }
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn code_key_reads_codes_as_the_pattern_did() {
        // The pattern code_key used to be, kept here as the reference.
        let shape = Regex::new(r"^([A-Za-z]{1,6})[ \t._\-/]*([0-9]{1,6})$").unwrap();
        let by_pattern = |t: &str| {
            let c = shape.captures(t.trim())?;
            Some((c[1].to_ascii_uppercase(), c[2].parse::<u32>().ok()?))
        };
        for t in [
            "CI001",
            "ci1",
            " G 003 ",
            "L0010",
            "L010",
            "l-10",
            "PCE/7",
            "SD._-/ 010",
            "R12\n",
            "See CI012",
            "CI",
            "001",
            "",
            "ABCDEFG1",
            "ABCDEF1",
            "CI0000001",
            "CI000001",
            "CI 1a",
            "CI\u{0661}",
            "ÉT1",
            "C I1",
            "CI1 2",
            "x9",
            "\u{00A0}CI001\u{00A0}",
        ] {
            assert_eq!(code_key(t), by_pattern(t), "{t:?}");
        }
    }

    #[test]
    fn default_framework_matches_the_brief() {
        let fw = Framework::default_framework();
        assert_eq!(fw.themes.len(), 7);
        assert_eq!(fw.cell_count(), 75);
        assert_eq!(fw.characteristics.len(), 74);
        assert_eq!(fw.rounds.len(), 4);
        assert_eq!(fw.scale.len(), 5);
        let counts: Vec<usize> = fw.themes.iter().map(|t| t.cells.len()).collect();
        assert_eq!(counts, vec![12, 12, 11, 11, 12, 10, 7]);
        let gov = &fw.themes[2];
        assert!(matches!(gov.cells[1], Cell::See(i) if fw.characteristics[i].code == "CI012"));
        assert!(fw.find_code("L0010").is_some());
        assert_eq!(
            fw.characteristics[fw.find_code("L010").unwrap()].code,
            "L0010"
        );
        assert_eq!(
            fw.characteristics[fw.find_code("ci1").unwrap()].code,
            "CI001"
        );
        assert_eq!(
            fw.characteristics[fw.find_code("G 003").unwrap()].code,
            "G003"
        );
        assert!(fw.find_code("G002").is_none());
        assert!(fw.find_see_position("G002").is_some());
        assert!(fw.find_code("CI٠٠١").is_none());
        assert_eq!(fw.find_score("light  GREEN"), Some(1));
        assert_eq!(fw.find_score("LG"), Some(1));
    }
}
