//! How the Problems sheet writes its text: in the cells themselves (inline
//! strings), or through the workbook's shared-strings table. Excel keeps
//! shared text in that table and, when a workbook has none, moves every
//! inline string into a new one on the next save, which the OOXML check
//! counts against the file. Workbooks written by openpyxl have no table, so
//! one is added holding the list's own text; a workbook that has a table
//! keeps it untouched (it may be large) and the list's text goes inline.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::MarkupError;
use super::sheet::cell_ref;
use super::xml::{DECLARATION, escape_text};

pub const CT_SHARED_STRINGS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml";

/// The text cells of the list.
#[derive(Debug, Default)]
pub struct Strings {
    /// The table being built, when the list writes shared strings.
    table: Option<Vec<String>>,
    index: HashMap<String, usize>,
}

impl Strings {
    /// Text written in the cells.
    pub fn inline() -> Strings {
        Strings::default()
    }

    /// Text written through a new shared-strings table.
    pub fn shared() -> Strings {
        Strings {
            table: Some(Vec::new()),
            index: HashMap::new(),
        }
    }

    /// A text cell at (`r`, `c`) with cell format `xf`.
    pub fn cell(&mut self, r: u32, c: u16, xf: u32, text: &str) -> String {
        let at = cell_ref(r, c);
        match &mut self.table {
            None => format!(
                "<c r=\"{at}\" s=\"{xf}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                escape_text(text)
            ),
            Some(table) => {
                let i = *self.index.entry(text.to_string()).or_insert_with(|| {
                    table.push(text.to_string());
                    table.len() - 1
                });
                format!("<c r=\"{at}\" s=\"{xf}\" t=\"s\"><v>{i}</v></c>")
            }
        }
    }

    /// The shared-strings part to write, when the list used one.
    pub fn part(&self, uses: usize) -> Option<String> {
        let table = self.table.as_ref()?;
        let items: String = table
            .iter()
            .map(|t| format!("<si><t xml:space=\"preserve\">{}</t></si>", escape_text(t)))
            .collect();
        Some(format!(
            "{DECLARATION}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{uses}\" uniqueCount=\"{}\">{items}</sst>",
            table.len()
        ))
    }

    /// How many cells the list wrote through the table.
    pub fn uses(cells_xml: &str) -> usize {
        cells_xml.matches(" t=\"s\"><v>").count()
    }
}

/// Whether a shared-strings part holds any text: it is read only as far as
/// its first item, so a large table costs nothing.
pub fn has_items<R: BufRead>(input: R, part: &str) -> Result<bool, MarkupError> {
    let mut xml = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| MarkupError::Damaged {
                part: part.to_string(),
                why: e.to_string(),
            })?;
        match ev {
            Event::Eof => return Ok(false),
            Event::Start(s) | Event::Empty(s) if depth == 1 && s.local_name().as_ref() == "si" => {
                return Ok(true);
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_text_is_written_once_and_referred_to() {
        let mut s = Strings::shared();
        let a = s.cell(0, 0, 3, "Yes & no");
        let b = s.cell(1, 0, 3, "Check");
        let c = s.cell(2, 0, 3, "Yes & no");
        assert_eq!(a, "<c r=\"A1\" s=\"3\" t=\"s\"><v>0</v></c>");
        assert!(b.contains("<v>1</v>") && c.contains("<v>0</v>"));
        let part = s.part(Strings::uses(&format!("{a}{b}{c}"))).unwrap();
        assert!(part.contains("count=\"3\" uniqueCount=\"2\""), "{part}");
        assert!(part.contains("<si><t xml:space=\"preserve\">Yes &amp; no</t></si>"));
        let mut i = Strings::inline();
        assert!(i.cell(0, 1, 2, "x").contains("t=\"inlineStr\""));
        assert!(i.part(1).is_none());
    }

    #[test]
    fn a_table_has_items_when_its_first_item_is_there() {
        let full = "<sst xmlns=\"m\" count=\"1\"><si><t>a</t></si></sst>";
        let empty = "<x:sst xmlns:x=\"m\" count=\"0\" uniqueCount=\"0\"/>";
        assert!(has_items(full.as_bytes(), "s").unwrap());
        assert!(!has_items(empty.as_bytes(), "s").unwrap());
        assert!(!has_items("<sst></sst>".as_bytes(), "s").unwrap());
    }
}
