//! How one heading cell reads: its text folded (case, spacing and
//! punctuation ignored) and matched against the synonyms, and round-named
//! headings ("Moderation score") resolved once the return's round is known.

use calamine::Data;

use super::fields::{Field, SYNONYM_INDEX, SYNONYMS};
use crate::framework::{Framework, fold};
use crate::read::cells;

/// How a heading reads before the return's round is known: a round-named
/// heading ("Moderation score") is this round's field in that round's
/// return and an earlier round's, for reference, in any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    Field(Field),
    Round(usize, Field),
    Unknown,
}

impl Seen {
    pub(super) fn resolve(self, round: Option<usize>) -> Option<Field> {
        match self {
            Seen::Field(f) => Some(f),
            Seen::Round(i, f) => Some(if round == Some(i) {
                f
            } else {
                Field::Reference
            }),
            Seen::Unknown => None,
        }
    }
}

/// The framework's round names in the forms headings use, worked out once
/// per sheet rather than once per cell.
pub(super) struct Forms {
    /// Per round: the name, the name as "…ed" ("Moderated"), its stem.
    rounds: Vec<[String; 3]>,
    /// No heading that matches exactly folds to more characters than this;
    /// longer text can only match the prefix fall-backs.
    limit: usize,
}

/// The words after a round's name in a round-named heading.
const ROUND_REST_MAX: usize = "reasonforchange".len();

impl Forms {
    pub(super) fn new(fw: &Framework) -> Forms {
        let rounds: Vec<[String; 3]> = fw
            .rounds
            .iter()
            .map(|r| {
                let name = fold(&r.name);
                let stem = name
                    .trim_end_matches("ion")
                    .trim_end_matches('e')
                    .to_string();
                [name, format!("{stem}ed"), stem]
            })
            .collect();
        let longest_synonym = SYNONYMS
            .iter()
            .flat_map(|(_, names)| names.iter().map(|n| n.len()))
            .max()
            .unwrap_or(0);
        let longest_round = rounds
            .iter()
            .flat_map(|forms| forms.iter().map(|f| f.len()))
            .max()
            .unwrap_or(0);
        Forms {
            rounds,
            limit: longest_synonym.max(longest_round + ROUND_REST_MAX),
        }
    }

    /// Classifies folded heading text. `complete` is false when `f` is only
    /// the first `limit` characters of a longer heading.
    fn classify(&self, f: &str, complete: bool) -> Seen {
        if f.is_empty() {
            return Seen::Unknown;
        }
        if complete {
            if let Some(field) = SYNONYM_INDEX.get(f) {
                return Seen::Field(*field);
            }
            // "<Round> score", "<Round> commentary", "Moderated score".
            for (i, [name, ed, stem]) in self.rounds.iter().enumerate() {
                let Some(rest) = f
                    .strip_prefix(name.as_str())
                    .or_else(|| f.strip_prefix(ed.as_str()))
                    .or_else(|| f.strip_prefix(stem.as_str()))
                else {
                    continue;
                };
                let field = match rest {
                    "score" | "rating" | "colour" => Field::Score,
                    "commentary" | "comment" | "comments" | "justification" => Field::Commentary,
                    "reason" | "reasonforchange" => Field::Reason,
                    _ => continue,
                };
                return Seen::Round(i, field);
            }
        }
        // Generous fall-backs for long headings officers write themselves.
        if f.starts_with("reasonfor") {
            return Seen::Field(Field::Reason);
        }
        if f.starts_with("gaps") || f.starts_with("areastoaddress") {
            return Seen::Field(Field::Gaps);
        }
        if f.starts_with("evidence") {
            return Seen::Field(Field::Evidence);
        }
        Seen::Unknown
    }

    /// Classifies a cell, folding no more of it than can matter (a long
    /// narrative in the first rows is folded only as far as `limit`).
    pub(super) fn classify_cell(&self, d: &Data) -> Seen {
        let shown;
        let text = match d {
            Data::String(s) => s.as_str(),
            // Numbers and dates show as digits and separators, which fold
            // to digits: no heading is only digits.
            Data::Float(_) | Data::Int(_) | Data::DateTime(_) => return Seen::Unknown,
            other => {
                shown = cells::shown(other);
                shown.as_str()
            }
        };
        let mut f = String::with_capacity(self.limit.min(text.len()) + 4);
        let mut complete = true;
        for c in text.chars() {
            if f.len() > self.limit {
                complete = false;
                break;
            }
            // As `fold`, with a quick path for plain ASCII.
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    f.push(c.to_ascii_lowercase());
                }
            } else if c.is_alphanumeric() {
                f.extend(c.to_lowercase());
            }
        }
        if f.len() > self.limit {
            complete = false;
        }
        self.classify(&f, complete)
    }
}

/// Recognises one heading. `round` is the return's round, so that
/// "Moderation score" is this round's score in a moderation return but an
/// earlier round's for reference in a final return.
pub fn recognise(text: &str, fw: &Framework, round: Option<usize>) -> Option<Field> {
    let forms = Forms::new(fw);
    let f = fold(text);
    forms.classify(&f, true).resolve(round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headings_as_officers_write_them() {
        let fw = Framework::default_framework();
        assert_eq!(recognise("  CODE ", &fw, None), Some(Field::Code));
        assert_eq!(
            recognise("Position  statement", &fw, None),
            Some(Field::Narrative)
        );
        assert_eq!(recognise("RAG rating", &fw, None), Some(Field::Score));
        assert_eq!(
            recognise("Gaps / areas to address", &fw, None),
            Some(Field::Gaps)
        );
        assert_eq!(
            recognise("Moderated score", &fw, Some(2)),
            Some(Field::Score)
        );
        assert_eq!(
            recognise("Moderation score", &fw, Some(3)),
            Some(Field::Reference)
        );
        assert_eq!(
            recognise("Review score", &fw, Some(2)),
            Some(Field::Reference)
        );
        assert_eq!(
            recognise("Review commentary", &fw, Some(1)),
            Some(Field::Commentary)
        );
        assert_eq!(recognise("Officer's favourite colour?", &fw, None), None);
    }

    /// Every heading `bestvalue template` writes, for each round it is
    /// written in (`None`: before the return's round is known).
    #[test]
    fn recognises_every_template_heading() {
        let fw = Framework::default_framework();
        let (review, moderation, fin) = (Some(1), Some(2), Some(3));
        for round in [None, Some(0), review, moderation, fin] {
            for (heading, field) in [
                ("Theme", Field::Theme),
                ("Code", Field::Code),
                ("Characteristic", Field::Label),
                ("Position statement", Field::Narrative),
                ("Evidence", Field::Evidence),
                ("Score", Field::Score),
                ("Commentary", Field::Commentary),
                ("Gaps / areas to address", Field::Gaps),
                ("Reason (Grey or changed score)", Field::Reason),
                ("Action ID", Field::ActionId),
                ("Gap", Field::Gaps),
                ("Action", Field::Action),
                ("Responsible officer", Field::Owner),
                ("Service area", Field::ServiceArea),
                ("Target date", Field::TargetDate),
                ("Status", Field::Status),
                ("Previous progress note", Field::Reference),
                ("Previous update date", Field::Reference),
                ("Progress note", Field::Progress),
                ("Date of update", Field::UpdateDate),
                ("Performance system ref", Field::PerfRef),
            ] {
                assert_eq!(recognise(heading, &fw, round), Some(field), "{heading}");
            }
        }
        // Earlier rounds shown for reference in later rounds' templates.
        for (heading, round) in [
            ("Review score", moderation),
            ("Review commentary", moderation),
            ("Review score", fin),
            ("Review commentary", fin),
            ("Moderation score", fin),
            ("Moderation commentary", fin),
            ("Moderation reason", fin),
        ] {
            assert_eq!(
                recognise(heading, &fw, round),
                Some(Field::Reference),
                "{heading}"
            );
        }
    }

    #[test]
    fn long_cells_are_folded_only_as_far_as_can_matter() {
        let fw = Framework::default_framework();
        let forms = Forms::new(&fw);
        let cell = |s: &str| forms.classify_cell(&Data::String(s.to_string()));
        // Every heading the tool knows fits within the folding limit.
        for (field, names) in SYNONYMS {
            for n in *names {
                assert_eq!(cell(n), Seen::Field(*field), "{n}");
            }
        }
        assert_eq!(cell("Moderated score"), Seen::Round(2, Field::Score));
        assert_eq!(cell("Final sign-off  Reason for change"), Seen::Unknown);
        let long = format!("Reason for change or Grey: {}", "explain why ".repeat(50));
        assert_eq!(cell(&long), Seen::Field(Field::Reason));
        assert_eq!(recognise(&long, &fw, None), Some(Field::Reason));
        let narrative = "The council has agreed a clear set of priorities. ".repeat(20);
        assert_eq!(cell(&narrative), Seen::Unknown);
        assert_eq!(forms.classify_cell(&Data::Float(3.0)), Seen::Unknown);
    }
}
