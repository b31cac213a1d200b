//! The framework: themes, coded characteristics, the scale, the rounds and
//! action statuses. Loaded from a TOML file (the default one is built into the
//! binary from `templates/framework-2024.toml`), checked, and then used by
//! every other stage as reference data.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;

/// The default framework, as shipped in `templates/`.
pub const DEFAULT_FRAMEWORK: &str = include_str!("../templates/framework-2024.toml");
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

/// Folds case, spacing and punctuation so `Light  Green`, `light-green` and
/// `LIGHT GREEN` compare equal.
///
/// ```
/// assert_eq!(bestvalue::framework::fold(" Light-GREEN "), "lightgreen");
/// ```
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

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

    /// Reads a framework file.
    pub fn load(path: &Path) -> Result<Framework, Error> {
        // A framework or mapping file is a few kilobytes; 1 MB is plenty.
        let text = crate::read::file::read_text(path, 1024 * 1024).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Framework::parse(&text, &path.display().to_string())
    }

    /// Checks the text of a framework file. `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Framework, Error> {
        let raw: RawFramework = toml::from_str(text).map_err(|e| Error::Framework {
            origin: origin.to_string(),
            message: toml_message(&e),
        })?;
        let mut problems = Vec::new();
        let fw = build(raw, text, &mut problems);
        if problems.is_empty() {
            Ok(fw)
        } else {
            Err(Error::Framework {
                origin: origin.to_string(),
                message: problems.join("\n"),
            })
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

// ---------------------------------------------------------------------------
// The file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    name: String,
    version: String,
    #[serde(default = "six")]
    cells_per_row: usize,
    rounds: Vec<RawRound>,
    scale: Vec<RawLevel>,
    #[serde(default)]
    statuses: Vec<RawStatus>,
    themes: Vec<RawTheme>,
}

fn six() -> usize {
    6
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    name: Spanned<String>,
    #[serde(default = "yes")]
    scored: bool,
    #[serde(default)]
    blank_keeps_previous: bool,
    #[serde(default)]
    change_needs_reason: bool,
    #[serde(default)]
    shows: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    label: Spanned<String>,
    fill: Spanned<String>,
    letter: Option<String>,
    #[serde(default)]
    meaning: String,
    #[serde(default = "yes")]
    scored: bool,
    #[serde(default)]
    needs_action: bool,
    #[serde(default)]
    reason_required: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    label: Spanned<String>,
    fill: Spanned<String>,
    #[serde(default)]
    closed: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: String,
    prefix: Spanned<String>,
    characteristics: Vec<RawCell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    code: Option<Spanned<String>>,
    #[serde(default)]
    label: String,
    see: Option<Spanned<String>>,
}

fn line_of(text: &str, span: Range<usize>) -> usize {
    text[..span.start.min(text.len())].matches('\n').count() + 1
}

fn toml_message(e: &toml::de::Error) -> String {
    // The toml crate's message already names the line and shows it.
    e.to_string().trim_end().to_string()
}

static COLOUR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#[0-9A-Fa-f]{6}$").expect("fixed pattern"));

fn build(raw: RawFramework, text: &str, problems: &mut Vec<String>) -> Framework {
    let mut say = |span: Range<usize>, msg: String| {
        problems.push(format!("line {}: {msg}", line_of(text, span)));
    };

    // Rounds.
    let mut rounds = Vec::new();
    let mut round_names: HashMap<String, usize> = HashMap::new();
    for r in &raw.rounds {
        let key = fold(r.name.get_ref());
        if key.is_empty() {
            say(r.name.span(), "a round has no name.".into());
        } else if round_names.insert(key, rounds.len()).is_some() {
            say(
                r.name.span(),
                format!("the round \"{}\" is listed twice.", r.name.get_ref()),
            );
        }
        rounds.push(Round {
            name: r.name.get_ref().trim().to_string(),
            scored: r.scored,
            blank_keeps_previous: r.blank_keeps_previous,
            change_needs_reason: r.change_needs_reason,
            shows: Vec::new(),
        });
    }
    for (i, r) in raw.rounds.iter().enumerate() {
        for s in &r.shows {
            match round_names.get(&fold(s.get_ref())) {
                Some(&j) if j < i => rounds[i].shows.push(j),
                Some(_) => say(
                    s.span(),
                    format!(
                        "the round \"{}\" shows \"{}\", which is not an earlier round.",
                        r.name.get_ref(),
                        s.get_ref()
                    ),
                ),
                None => say(
                    s.span(),
                    format!(
                        "unknown round \"{}\" in `shows`. Rounds are: {}.",
                        s.get_ref(),
                        names(&rounds)
                    ),
                ),
            }
        }
    }
    if rounds.is_empty() {
        problems_push(&mut say, "at least one [[rounds]] entry is needed.");
    }

    // Scale.
    let mut scale = Vec::new();
    let mut score_names: HashMap<String, usize> = HashMap::new();
    for (i, l) in raw.scale.iter().enumerate() {
        check_colour(&mut say, &l.fill);
        let mut add = |name: &Spanned<String>, say: &mut dyn FnMut(Range<usize>, String)| {
            let key = fold(name.get_ref());
            if key.is_empty() {
                say(name.span(), "a scale label or alias is blank.".into());
            } else if let Some(prev) = score_names.insert(key, i)
                && prev != i
            {
                {
                    say(
                        name.span(),
                        format!(
                            "\"{}\" names two levels of the scale.",
                            name.get_ref().trim()
                        ),
                    );
                }
            }
        };
        add(&l.label, &mut say);
        for a in &l.aliases {
            add(a, &mut say);
        }
        scale.push(Level {
            label: l.label.get_ref().trim().to_string(),
            fill: l.fill.get_ref().to_ascii_uppercase(),
            letter: l
                .letter
                .clone()
                .unwrap_or_else(|| initials(l.label.get_ref())),
            meaning: l.meaning.trim().to_string(),
            scored: l.scored,
            needs_action: l.needs_action,
            reason_required: l.reason_required,
            aliases: l.aliases.iter().map(|a| a.get_ref().clone()).collect(),
        });
    }
    if scale.is_empty() {
        problems_push(&mut say, "at least one [[scale]] level is needed.");
    }

    // Statuses (defaults when the file gives none).
    let raw_statuses = if raw.statuses.is_empty() {
        default_statuses()
    } else {
        raw.statuses
    };
    let mut statuses = Vec::new();
    let mut status_names = HashMap::new();
    for (i, s) in raw_statuses.iter().enumerate() {
        check_colour(&mut say, &s.fill);
        for n in std::iter::once(&s.label).chain(&s.aliases) {
            if status_names.insert(fold(n.get_ref()), i).is_some() {
                say(
                    n.span(),
                    format!("the status \"{}\" is listed twice.", n.get_ref().trim()),
                );
            }
        }
        statuses.push(Status {
            label: s.label.get_ref().trim().to_string(),
            fill: s.fill.get_ref().to_ascii_uppercase(),
            closed: s.closed,
            aliases: s.aliases.iter().map(|a| a.get_ref().clone()).collect(),
        });
    }

    // Themes and characteristics: codes first, cross-references after, so a
    // reference may point forwards.
    let mut characteristics = Vec::new();
    let mut by_key: HashMap<(String, u32), usize> = HashMap::new();
    let mut themes = Vec::new();
    let mut prefixes: HashMap<String, usize> = HashMap::new();
    for (t, th) in raw.themes.iter().enumerate() {
        let prefix = th.prefix.get_ref().trim().to_ascii_uppercase();
        if !prefix.chars().all(|c| c.is_ascii_alphabetic()) || prefix.is_empty() {
            say(
                th.prefix.span(),
                format!(
                    "the theme prefix \"{}\" must be letters only.",
                    th.prefix.get_ref()
                ),
            );
        }
        if prefixes.insert(prefix.clone(), t).is_some() {
            say(
                th.prefix.span(),
                format!("the theme prefix \"{prefix}\" is used by two themes."),
            );
        }
        let mut cells = Vec::new();
        for c in &th.characteristics {
            match (&c.code, &c.see) {
                (Some(code), None) => {
                    let Some(key) = code_key(code.get_ref()) else {
                        say(
                            code.span(),
                            format!(
                                "\"{}\" is not a code: use letters then digits, like CI001.",
                                code.get_ref()
                            ),
                        );
                        continue;
                    };
                    if key.0 != prefix {
                        say(
                            code.span(),
                            format!(
                                "the code {} does not start with its theme's prefix {prefix}.",
                                code.get_ref()
                            ),
                        );
                    }
                    if let Some(&prev) = by_key.get(&key) {
                        let prev: &Characteristic = &characteristics[prev];
                        say(
                            code.span(),
                            format!(
                                "duplicate code {}: it matches {} already listed (codes are compared by prefix and number).",
                                code.get_ref(),
                                prev.code
                            ),
                        );
                        continue;
                    }
                    by_key.insert(key, characteristics.len());
                    cells.push(Cell::Own(characteristics.len()));
                    characteristics.push(Characteristic {
                        code: code.get_ref().trim().to_string(),
                        label: c.label.trim().to_string(),
                        theme: t,
                    });
                }
                (None, Some(_)) => cells.push(Cell::See(usize::MAX)),
                (Some(code), Some(_)) => say(
                    code.span(),
                    "a cell has both `code` and `see`: give one or the other.".into(),
                ),
                (None, None) => problems_push(
                    &mut say,
                    &format!(
                        "a cell in theme \"{}\" has neither `code` nor `see`.",
                        th.name
                    ),
                ),
            }
        }
        themes.push(Theme {
            name: th.name.trim().to_string(),
            prefix,
            cells,
        });
    }
    for (t, th) in raw.themes.iter().enumerate() {
        let mut sees = th.characteristics.iter().filter_map(|c| c.see.as_ref());
        for cell in themes[t].cells.iter_mut() {
            if let Cell::See(target) = cell {
                // safety: one `See` cell was pushed for each raw cell with `see`.
                let see = sees.next().expect("one see per cell");
                match code_key(see.get_ref()).and_then(|k| by_key.get(&k)) {
                    Some(&i) => *target = i,
                    None => say(
                        see.span(),
                        format!(
                            "\"See {}\" refers to a code that is not in the framework.",
                            see.get_ref()
                        ),
                    ),
                }
            }
        }
    }
    if raw.cells_per_row == 0 || raw.cells_per_row > 20 {
        problems_push(&mut say, "cells_per_row must be between 1 and 20.");
    }

    Framework {
        name: raw.name.trim().to_string(),
        version: raw.version.trim().to_string(),
        cells_per_row: raw.cells_per_row,
        rounds,
        scale,
        statuses,
        themes,
        characteristics,
        by_key,
        score_names,
        status_names,
    }
}

fn problems_push(say: &mut dyn FnMut(Range<usize>, String), msg: &str) {
    say(0..0, msg.to_string());
}

fn check_colour(say: &mut dyn FnMut(Range<usize>, String), fill: &Spanned<String>) {
    if !COLOUR.is_match(fill.get_ref().trim()) {
        say(
            fill.span(),
            format!(
                "\"{}\" is not a colour: write it as # and six hex digits, like #92D050.",
                fill.get_ref()
            ),
        );
    }
}

fn names(rounds: &[Round]) -> String {
    rounds
        .iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn initials(label: &str) -> String {
    label
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

fn default_statuses() -> Vec<RawStatus> {
    let s = |label: &str, fill: &str, closed: bool| RawStatus {
        label: Spanned::new(0..0, label.to_string()),
        fill: Spanned::new(0..0, fill.to_string()),
        closed,
        aliases: Vec::new(),
    };
    vec![
        s("Not started", "#D9D9D9", false),
        s("On track", "#92D050", false),
        s("At risk", "#FFC000", false),
        s("Complete", "#00B050", true),
    ]
}

#[cfg(test)]
mod tests {
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

    fn broken(edit: (&str, &str)) -> String {
        let text = DEFAULT_FRAMEWORK.replacen(edit.0, edit.1, 1);
        assert_ne!(text, DEFAULT_FRAMEWORK, "edit did not apply");
        match Framework::parse(&text, "f.toml") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted a broken framework"),
        }
    }

    #[test]
    fn duplicate_code_is_refused_with_its_line() {
        let msg = broken(("code = \"CI002\"", "code = \"CI001\""));
        assert!(msg.contains("duplicate code CI001"), "{msg}");
        assert!(msg.contains("line "), "{msg}");
    }

    #[test]
    fn dangling_cross_reference_is_refused() {
        let msg = broken(("see = \"CI012\"", "see = \"CI099\""));
        assert!(msg.contains("\"See CI099\" refers to a code that is not in the framework"));
    }

    #[test]
    fn bad_colour_is_refused() {
        let msg = broken(("fill = \"#FFC000\"", "fill = \"orange\""));
        assert!(msg.contains("\"orange\" is not a colour"), "{msg}");
    }

    #[test]
    fn unknown_round_is_refused() {
        let msg = broken(("shows = [\"Review\"]", "shows = [\"Peer review\"]"));
        assert!(msg.contains("unknown round \"Peer review\""), "{msg}");
    }

    #[test]
    fn unknown_key_is_refused_with_line() {
        let msg = broken(("cells_per_row = 6", "cells_per_row = 6\ncolour_scheme = 1"));
        assert!(msg.contains("colour_scheme"), "{msg}");
        assert!(msg.contains("line"), "{msg}");
    }
}
