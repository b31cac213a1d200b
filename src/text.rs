//! Text as the tool cleans it before reading it: Unicode spaces made
//! ordinary, invisible characters dropped, ends trimmed. Used by the cell
//! reader and the date reader alike, so both see the same text; and text folded
//! for comparing names as officers write them.

/// Text with its spacing cleaned: non-breaking and other Unicode spaces
/// become ordinary spaces, zero-width characters go, ends are trimmed. Line
/// breaks inside are kept.
pub fn clean(s: &str) -> String {
    // Most text has nothing to change but its ends.
    if !s.chars().any(needs_cleaning) {
        return s.trim().to_string();
    }
    let s: String = s
        .chars()
        .map(|c| {
            if c != '\n' && c != '\r' && c != '\t' && c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        // A zero-width space or byte-order mark is invisible in Excel and
        // only causes trouble. Joiners (U+200C, U+200D) are kept: they are
        // part of emoji sequences and of Persian and Indic spellings.
        .filter(|c| !is_zero_width(*c))
        .collect();
    s.trim().to_string()
}

/// A character `clean` changes: a space other than the ordinary one (and
/// line breaks and tabs, which it keeps), or a zero-width character.
fn needs_cleaning(c: char) -> bool {
    (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c.is_whitespace()) || is_zero_width(c)
}

/// A zero-width space or byte-order mark.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}')
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
