//! Cell values as officers see them: the text Excel would show, cleaned of
//! stray spaces, and checks for formula errors.

use calamine::Data;

use crate::dates;
use crate::text::{clean, is_zero_width};

/// The value as Excel would display it, for messages ("Value found").
pub fn shown(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) => match dates::from_excel(dt) {
            Some(d) => dates::uk(d),
            None => format_number(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Text of a cell with spacing cleaned: non-breaking and other Unicode spaces
/// become ordinary spaces, ends are trimmed. Line breaks inside are kept.
pub fn text(d: &Data) -> String {
    match d {
        Data::String(s) => clean(s),
        other => clean(&shown(other)),
    }
}

/// `1,000,000`: counts as officers read them.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Excel's limit on the characters (UTF-16 units) in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Appended where text was cut, so readers can see it.
pub const CUT_MARKER: &str = " […text cut: longer than Excel allows]";

/// Text cut to fit one Excel cell, marked where it was cut; `None` when it
/// fits as it is. Cuts between characters, never inside one.
pub fn cut_to_cell(t: &str) -> Option<String> {
    if t.len() <= MAX_CELL_CHARS || t.encode_utf16().count() <= MAX_CELL_CHARS {
        return None;
    }
    let keep = MAX_CELL_CHARS - CUT_MARKER.encode_utf16().count();
    let mut n = 0;
    let cut: String = t
        .chars()
        .take_while(|c| {
            n += c.len_utf16();
            n <= keep
        })
        .collect();
    Some(cut + CUT_MARKER)
}

/// A short value squeezed to single spaces: for codes, scores, headings.
pub fn squeezed(d: &Data) -> String {
    let t = text(d);
    // Already single-spaced (the text is trimmed): nothing to squeeze.
    if !t.contains("  ") && !t.contains(|c: char| c != ' ' && c.is_whitespace()) {
        return t;
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn is_blank(d: Option<&Data>) -> bool {
    match d {
        None | Some(Data::Empty) => true,
        // As `clean(s).is_empty()`, without building the cleaned text.
        Some(Data::String(s)) => s.chars().all(|c| c.is_whitespace() || is_zero_width(c)),
        _ => false,
    }
}

/// The formula error a cell holds (`#N/A`, `#REF!` …), if any.
pub fn formula_error(d: Option<&Data>) -> Option<String> {
    match d {
        Some(Data::Error(e)) => Some(e.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_keeps_line_breaks_and_squeezes_spaces() {
        let s = |x: &str| Data::String(x.to_string());
        assert_eq!(text(&s("  Light green ")), "Light green");
        assert_eq!(text(&s("a\u{00A0}b\u{200B}c\n d ")), "a bc\n d");
        assert_eq!(squeezed(&s(" Light   green\n")), "Light green");
        assert_eq!(squeezed(&s("L\u{00A0}\u{00A0}010")), "L 010");
        assert_eq!(squeezed(&s("CI001")), "CI001");
        assert_eq!(squeezed(&Data::Float(3.0)), "3");
        assert!(is_blank(Some(&s(" \u{200B}\u{00A0}\n"))));
        assert!(!is_blank(Some(&s(" x "))));
    }
}
