//! The framework file as written (TOML), and the checks that turn it into a
//! [`Framework`]: every problem is reported with its line, all at once.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{Cell, Characteristic, Framework, Level, Round, Status, Theme, code_key, fold};
use crate::error::Error;

impl Framework {
    /// Reads a framework file.
    pub fn load(path: &Path) -> Result<Framework, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
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
        let fw = check(raw, text, &mut problems);
        if problems.is_empty() {
            Ok(fw)
        } else {
            Err(Error::Framework {
                origin: origin.to_string(),
                message: problems.join("\n"),
            })
        }
    }
}

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

fn check(raw: RawFramework, text: &str, problems: &mut Vec<String>) -> Framework {
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
    use crate::framework::DEFAULT_FRAMEWORK;

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
