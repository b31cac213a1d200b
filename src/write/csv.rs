//! CSV for any export of officers' text, as spreadsheets open it: UTF-8 with
//! a byte-order mark (so Excel reads the characters right), records ended by
//! `\r\n`, fields quoted only where RFC 4180 needs it (the `csv` crate does
//! the quoting). A spreadsheet opening a CSV treats a field that starts with
//! `=`, `+`, `-` or `@` as a formula (CSV injection), so every such field is
//! made text by an apostrophe in front, the usual defence (OWASP "CSV
//! Injection"); a leading tab or carriage return is treated the same way.
//! A number such as `-5` therefore arrives as the text `'-5`: an export of
//! numbers would need its own writer.

use std::borrow::Cow;

/// A field made safe to open in a spreadsheet: it can never run as a
/// formula.
pub fn neutral(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The CSV file of `records` (headings first), every field neutral.
pub fn render<R, F>(records: R) -> Result<Vec<u8>, csv::Error>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for record in records {
        let fields: Vec<String> = record
            .into_iter()
            .map(|f| neutral(f.as_ref()).into_owned())
            .collect();
        w.write_record(&fields)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    /// One record as its CSV line, without the byte-order mark.
    fn line(fields: &[&str]) -> String {
        let bytes = super::render([fields]).expect("writes to memory");
        let s = String::from_utf8(bytes).expect("UTF-8");
        s.strip_prefix('\u{feff}')
            .expect("byte-order mark")
            .to_string()
    }

    fn field(s: &str) -> String {
        let l = line(&[s, "x"]);
        l.strip_suffix(",x\r\n").expect("two fields").to_string()
    }

    #[test]
    fn records_end_with_crlf_after_a_byte_order_mark() {
        let bytes = super::render([["a", "b"], ["c", "d"]]).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "\u{feff}a,b\r\nc,d\r\n");
    }

    #[test]
    fn plain_text_is_left_alone() {
        assert_eq!(field("Amber"), "Amber");
        assert_eq!(field(""), "");
        assert_eq!(field("Résumé 👩🏽‍💻 مرحبا"), "Résumé 👩🏽‍💻 مرحبا");
        assert_eq!(field("a = b"), "a = b", "only a leading sign matters");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line 1\nline 2"), "\"line 1\nline 2\"");
        assert_eq!(field("cr\r\nlf"), "\"cr\r\nlf\"");
    }

    #[test]
    fn leading_formula_characters_are_made_text() {
        assert_eq!(field("=1+2"), "'=1+2");
        assert_eq!(field("+44 1234"), "'+44 1234");
        assert_eq!(field("-5"), "'-5");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\t=cmd"), "'\t=cmd");
        // Neutralised, then quoted.
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(field("\r=1"), "\"'\r=1\"");
    }
}
