//! The record of our highlights, kept in the workbook's custom document
//! properties (File › Info › Properties in Excel, which Excel, LibreOffice
//! and openpyxl all keep when they save): which cell format is a
//! highlighted copy of which. When a feedback workbook comes back and is
//! checked again, a cell whose mark is no longer needed gets its own format
//! back, so the second round shows only what is still wrong.

use super::xml::{Document, Element, Node, escape_text, local, prefix_of};

/// The property's name; longer records continue in "… 2", "… 3".
pub const NAME: &str = "bestvalue highlights";
/// Excel keeps at most 255 characters of a property's text.
const MAX_VALUE: usize = 255;
const FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
const CUSTOM_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
pub const CT_CUSTOM: &str = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
pub const REL_CUSTOM: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";

fn ours(p: &Element) -> bool {
    local(&p.name) == "property"
        && p.attr("name")
            .is_some_and(|n| n == NAME || n.strip_prefix(NAME).is_some_and(|r| r.starts_with(' ')))
}

/// The (highlighted format, original format) pairs a workbook records, in
/// the order written ("12=3 13=5").
pub fn read(doc: &Document) -> Vec<(u32, u32)> {
    let mut parts: Vec<(u32, String)> = doc
        .root
        .elements()
        .filter(|p| ours(p))
        .map(|p| {
            let n = p
                .attr("name")
                .and_then(|n| n[NAME.len()..].trim().parse().ok())
                .unwrap_or(1);
            (n, p.text())
        })
        .collect();
    parts.sort();
    parts
        .iter()
        .flat_map(|(_, t)| t.split_whitespace())
        .filter_map(|pair| {
            let (h, b) = pair.split_once('=')?;
            Some((h.parse().ok()?, b.parse().ok()?))
        })
        .collect()
}

/// The properties part with our record replaced by `pairs` (and left out
/// when there are none); `None` when there is no part and nothing to record.
pub fn write(doc: Option<Document>, pairs: &[(u32, u32)]) -> Option<Document> {
    if doc.is_none() && pairs.is_empty() {
        return None;
    }
    let mut doc = doc.unwrap_or_else(|| {
        Document::parse(
            &format!("<Properties xmlns=\"{CUSTOM_NS}\" xmlns:vt=\"{VT_NS}\"/>"),
            "custom",
        )
        .expect("our own XML")
    });
    doc.root
        .children
        .retain(|n| !matches!(n, Node::Element(e) if ours(e)));
    let vt = match doc
        .root
        .attrs
        .iter()
        .find(|(k, v)| v == VT_NS && k.starts_with("xmlns:"))
    {
        Some((k, _)) => format!("{}:", &k["xmlns:".len()..]),
        None => {
            doc.root.set_attr("xmlns:vt", VT_NS);
            "vt:".to_string()
        }
    };
    let p = prefix_of(&doc.root.name).to_string();
    let mut pid = doc
        .root
        .elements()
        .filter_map(|e| e.attr("pid")?.parse::<u32>().ok())
        .max()
        .unwrap_or(1);
    // Pairs in values of at most 255 characters.
    let mut values: Vec<String> = Vec::new();
    for (h, b) in pairs {
        let pair = format!("{h}={b}");
        match values.last_mut() {
            Some(v) if v.len() + 1 + pair.len() <= MAX_VALUE => {
                v.push(' ');
                v.push_str(&pair);
            }
            _ => values.push(pair),
        }
    }
    for (i, v) in values.iter().enumerate() {
        pid += 1;
        let name = if i == 0 {
            NAME.to_string()
        } else {
            format!("{NAME} {}", i + 1)
        };
        let mut text = Element::new(format!("{vt}lpwstr"));
        text.children.push(Node::Text(escape_text(v)));
        let mut prop = Element::new(format!("{p}property"))
            .with_attr("fmtid", FMTID)
            .with_attr("pid", pid.to_string())
            .with_attr("name", name);
        prop.children.push(Node::Element(text));
        doc.root.children.push(Node::Element(prop));
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_written_and_read_back_and_replaced() {
        let pairs: Vec<(u32, u32)> = (100..160).map(|h| (h, h - 90)).collect();
        let doc = write(None, &pairs).unwrap();
        assert_eq!(read(&doc), pairs);
        let props: Vec<&Element> = doc.root.elements().collect();
        assert!(props.len() > 1, "split over several properties");
        assert!(props.iter().all(|p| p.text().len() <= MAX_VALUE));
        assert_eq!(props[1].attr("name"), Some("bestvalue highlights 2"));
        // The officer's own properties stay; ours are replaced.
        let officer = Document::parse(
            &format!("<Properties xmlns=\"{CUSTOM_NS}\" xmlns:vt=\"{VT_NS}\"><property fmtid=\"{FMTID}\" pid=\"2\" name=\"Department\"><vt:lpwstr>Culture</vt:lpwstr></property></Properties>"),
            "c",
        )
        .unwrap();
        let once = write(Some(officer), &pairs).unwrap();
        let again = write(Some(once), &[(7, 3)]).unwrap();
        assert_eq!(read(&again), [(7, 3)]);
        let names: Vec<&str> = again
            .root
            .elements()
            .filter_map(|p| p.attr("name"))
            .collect();
        assert_eq!(names, ["Department", "bestvalue highlights"]);
        assert_eq!(again.root.elements().nth(1).unwrap().attr("pid"), Some("3"));
        // Nothing to record: ours go, the part stays.
        let empty = write(Some(again), &[]).unwrap();
        assert_eq!(empty.root.elements().count(), 1);
        assert!(write(None, &[]).is_none());
    }
}
