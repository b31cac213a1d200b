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
    crate::text::escaped(text, &['\n', '\t'])
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
