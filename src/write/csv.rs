//! CSV fields for any export of officers' text. A spreadsheet opening a CSV
//! treats a field that starts with `=`, `+`, `-` or `@` as a formula (CSV
//! injection), so such a field is made text by an apostrophe in front, the
//! usual defence (OWASP "CSV Injection"); a leading tab or carriage return
//! is treated the same way. Then the field is quoted as RFC 4180 says.
//! A number such as `-5` therefore arrives as the text `'-5`: exports should
//! write their own numbers without this function.

/// One CSV field, neutralised and quoted; join fields with `,` and end
/// records with `\r\n`.
pub fn csv_field(s: &str) -> String {
    let neutral = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn plain_text_is_left_alone() {
        assert_eq!(csv_field("Amber"), "Amber");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("Résumé 👩🏽‍💻 مرحبا"), "Résumé 👩🏽‍💻 مرحبا");
        assert_eq!(csv_field("a = b"), "a = b", "only a leading sign matters");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("line 1\nline 2"), "\"line 1\nline 2\"");
        assert_eq!(csv_field("cr\r\nlf"), "\"cr\r\nlf\"");
    }

    #[test]
    fn leading_formula_characters_are_made_text() {
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("+44 1234"), "'+44 1234");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\t=cmd"), "'\t=cmd");
        // Neutralised, then quoted.
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
    }
}
