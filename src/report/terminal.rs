//! Text on its way to a terminal. File names, sheet names and cell values
//! come from officers' files; a control character among them (an escape
//! sequence, a carriage return, a line feed inside a name) would clear the
//! screen, retitle the window or forge a line of the summary. Everything
//! printed passes through [`printable`] first.

use std::borrow::Cow;

/// `text` with every control character other than the line breaks and
/// tabs the report itself uses shown escaped (`\u{1b}`), and direction
/// overrides, which reorder what is shown, escaped too.
pub fn printable(text: &str) -> Cow<'_, str> {
    let escape = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reach_the_terminal_as_text() {
        assert_eq!(printable("a\u{1b}]0;x\u{7}b\n"), "a\\u{1b}]0;x\\u{7}b\n");
        assert_eq!(printable("one\rtwo\u{9b}"), "one\\rtwo\\u{9b}");
        assert!(matches!(printable("Résumé 👩🏽‍💻\n"), Cow::Borrowed(_)));
    }
}
