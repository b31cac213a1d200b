//! Threaded comments, as Excel 365 writes them: a conversation on a cell,
//! shown instead of the cell's note (the note is kept beside it, for older
//! programs and LibreOffice). On a cell where an officer has started a
//! conversation, our note is also added to it as a reply, from a person of
//! our own in the workbook's list of people, so Excel shows it; an earlier
//! reply of ours is taken out first. Nothing the officer wrote changes.

use super::xml::{Document, Element, Node, escape_text, local, prefix_of};

pub const REL_PERSON: &str = "http://schemas.microsoft.com/office/2017/10/relationships/person";
pub const CT_PERSON: &str = "application/vnd.ms-excel.person+xml";
const NS: &str = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments";

/// Our person's id, the same in every workbook (ids are GUIDs).
const PERSON: &str = "{B0E5A1E0-FEED-4BAC-8000-000000000001}";

/// An id for our reply on a cell of a sheet: fixed, so the same inputs
/// give the same workbook.
fn reply_id(sheet: usize, row: u32, col: u16) -> String {
    format!(
        "{{B0E5A1E0-{:04X}-4000-8000-{:012X}}}",
        sheet & 0xFFFF,
        (u64::from(row) << 16) | u64::from(col)
    )
}

/// Takes our earlier replies out, and adds one for each note on a cell
/// with a conversation. Gives whether the part changed and whether any
/// reply of ours is in it (so our person must be listed).
pub fn reply(doc: &mut Document, sheet: usize, notes: &[(u32, u16, String)]) -> (bool, bool) {
    let p = prefix_of(&doc.root.name).to_string();
    let before = doc.root.children.len();
    doc.root.children.retain(|n| {
        !matches!(n, Node::Element(e) if local(&e.name) == "threadedComment" && e.attr("personId") == Some(PERSON))
    });
    let mut changed = doc.root.children.len() != before;
    let mut replied = false;
    for (row, col, text) in notes {
        let cell = super::sheet::cell_ref(*row, *col);
        let on_cell = |n: &Node| {
            matches!(n, Node::Element(e) if local(&e.name) == "threadedComment"
                && e.attr("ref").is_some_and(|r| r.eq_ignore_ascii_case(&cell)))
        };
        let top = doc.root.children.iter().find_map(|n| match n {
            Node::Element(e) if on_cell(n) && e.attr("parentId").is_none() => {
                e.attr("id").map(str::to_string)
            }
            _ => None,
        });
        let Some(top) = top else { continue };
        let last = doc.root.children.iter().rposition(on_cell).unwrap_or(0);
        let mut t = Element::new(format!("{p}text"));
        t.children.push(Node::Text(escape_text(text)));
        let mut r = Element::new(format!("{p}threadedComment"))
            .with_attr("ref", cell.as_str())
            .with_attr("personId", PERSON)
            .with_attr("id", reply_id(sheet, *row, *col))
            .with_attr("parentId", top);
        r.children.push(Node::Element(t));
        doc.root.children.insert(last + 1, Node::Element(r));
        changed = true;
        replied = true;
    }
    (changed, replied)
}

/// The workbook's list of people with ours in it (a new list when there is
/// none).
pub fn with_our_person(list: Option<Document>, author: &str) -> Document {
    let mut doc = list.unwrap_or_else(|| {
        Document::parse(
            &format!("<personList xmlns=\"{NS}\" xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>"),
            "persons",
        )
        .expect("our own XML")
    });
    let listed = doc
        .root
        .elements()
        .any(|e| local(&e.name) == "person" && e.attr("id") == Some(PERSON));
    if !listed {
        let p = prefix_of(&doc.root.name).to_string();
        let person = Element::new(format!("{p}person"))
            .with_attr("displayName", author)
            .with_attr("id", PERSON)
            .with_attr("userId", author)
            .with_attr("providerId", "None");
        // People come before any extension list.
        let at = doc
            .root
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if local(&e.name) == "extLst"))
            .unwrap_or(doc.root.children.len());
        doc.root.children.insert(at, Node::Element(person));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREADS: &str = r#"<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><threadedComment ref="B3" dT="2025-09-01T10:00:00.00" personId="{11111111-1111-1111-1111-111111111111}" id="{AAAAAAAA-0000-0000-0000-000000000001}"><text>Is this right?</text></threadedComment><threadedComment ref="B3" dT="2025-09-02T10:00:00.00" personId="{22222222-2222-2222-2222-222222222222}" id="{AAAAAAAA-0000-0000-0000-000000000002}" parentId="{AAAAAAAA-0000-0000-0000-000000000001}"><text>Yes.</text></threadedComment><threadedComment ref="D9" personId="{11111111-1111-1111-1111-111111111111}" id="{AAAAAAAA-0000-0000-0000-000000000003}"><text>Later.</text></threadedComment></ThreadedComments>"#;

    fn thread(doc: &Document) -> Vec<(String, String, Option<String>)> {
        doc.root
            .elements()
            .map(|e| {
                (
                    e.attr("ref").unwrap().to_string(),
                    e.text(),
                    e.attr("parentId").map(str::to_string),
                )
            })
            .collect()
    }

    #[test]
    fn our_note_joins_the_conversation_on_its_cell_once() {
        let mut doc = Document::parse(THREADS, "t").unwrap();
        let notes = vec![
            (2, 1, "Wrong score.".to_string()),
            (4, 0, "No code.".into()),
        ];
        assert_eq!(reply(&mut doc, 1, &notes), (true, true));
        let got = thread(&doc);
        assert_eq!(got.len(), 4, "A5 has no conversation: its note is enough");
        assert_eq!(
            got[2],
            (
                "B3".into(),
                "Wrong score.".into(),
                Some("{AAAAAAAA-0000-0000-0000-000000000001}".into())
            ),
            "after the last reply on B3"
        );
        // Checked again with B3 put right: our reply goes, theirs stay.
        assert_eq!(reply(&mut doc, 1, &[]), (true, false));
        assert_eq!(
            Document::parse(THREADS, "t").unwrap().to_xml(),
            doc.to_xml()
        );
        // Nothing of ours, nothing to do.
        assert_eq!(reply(&mut doc, 1, &[]), (false, false));
    }

    #[test]
    fn our_person_is_listed_once() {
        let list = with_our_person(None, "bestvalue");
        let again = with_our_person(Some(list.clone()), "bestvalue");
        assert_eq!(list.to_xml(), again.to_xml());
        let people: Vec<Option<&str>> = again
            .root
            .elements()
            .map(|e| e.attr("displayName"))
            .collect();
        assert_eq!(people, [Some("bestvalue")]);
    }
}
