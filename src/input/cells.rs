//! Cell values as officers see them: the text Excel would show, cleaned of
//! stray spaces, and checks for formula errors.

use calamine::Data;

use crate::dates;

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
    clean(&shown(d))
}

pub fn clean(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c != '\n' && c != '\r' && c != '\t' && c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        // Zero-width characters are invisible in Excel and only cause trouble.
        .filter(|c| !is_zero_width(*c))
        .collect();
    s.trim().to_string()
}

/// A short value squeezed to single spaces: for codes, scores, headings.
pub fn squeezed(d: &Data) -> String {
    text(d).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn is_blank(d: Option<&Data>) -> bool {
    match d {
        None | Some(Data::Empty) => true,
        // As `clean(s).is_empty()`, without building the cleaned text.
        Some(Data::String(s)) => s.chars().all(|c| c.is_whitespace() || is_zero_width(c)),
        _ => false,
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// The formula error a cell holds (`#N/A`, `#REF!` …), if any.
pub fn formula_error(d: Option<&Data>) -> Option<String> {
    match d {
        Some(Data::Error(e)) => Some(e.to_string()),
        _ => None,
    }
}
