//! Notes on the marked cells: the comments part (`xl/commentsN.xml`) that
//! holds their text; the boxes that show them are drawn by [`super::vml`].
//! A sheet's existing notes are kept: ours join its comments part, and a
//! note already on a marked cell keeps its text with ours added below it
//! (an earlier note of ours is replaced).

use std::collections::BTreeMap;

use super::sheet::cell_ref;
use super::xml::{Document, Element, Node, escape_text, local, prefix_of};

/// Excel's limit on the text of a note.
const MAX_NOTE: usize = 32_767 - 100;

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

pub struct Note<'a> {
    pub row: u32,
    pub col: u16,
    pub text: &'a str,
}

/// Cuts a note to what a cell note can hold.
fn fit(text: &str) -> String {
    if text.chars().count() <= MAX_NOTE {
        return text.to_string();
    }
    let mut t: String = text.chars().take(MAX_NOTE - 1).collect();
    t.push('…');
    t
}

/// A run of note text, as XML.
fn run_xml(prefix: &str, text: &str, bold: bool) -> String {
    let mut xml = format!("<{prefix}r><{prefix}rPr>");
    if bold {
        xml.push_str(&format!("<{prefix}b/>"));
    }
    xml.push_str(&format!(
        "<{prefix}sz val=\"10\"/><{prefix}color rgb=\"FF000000\"/><{prefix}rFont val=\"Calibri\"/><{prefix}family val=\"2\"/></{prefix}rPr><{prefix}t xml:space=\"preserve\">{}</{prefix}t></{prefix}r>",
        escape_text(text)
    ));
    xml
}

fn run(prefix: &str, text: &str, bold: bool) -> Element {
    Document::parse(&run_xml(prefix, text, bold), "note")
        .expect("our own XML")
        .root
}

/// The comments part with our notes merged in, and the cells that need a
/// note box drawn (those that had no note before).
pub fn merge_comments(
    existing: Option<Document>,
    notes: &[Note],
    author: &str,
) -> (String, Vec<(u32, u16)>) {
    let mut doc = existing.unwrap_or_else(|| {
        Document::parse(
            &format!("<comments xmlns=\"{MAIN_NS}\"><authors/><commentList/></comments>"),
            "comments",
        )
        .expect("our own XML")
    });
    // Runs written by openpyxl, say, name their font before its size.
    super::styles::in_schema_order(&mut doc.root);
    let p = prefix_of(&doc.root.name).to_string();
    if doc.root.child("authors").is_none() {
        doc.root
            .children
            .insert(0, Node::Element(Element::new(format!("{p}authors"))));
    }
    if doc.root.child("commentList").is_none() {
        let list = Element::new(format!("{p}commentList"));
        let at = doc
            .root
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if local(&e.name) == "authors"))
            .map_or(0, |i| i + 1);
        doc.root.children.insert(at, Node::Element(list));
    }
    let authors = doc.root.child_mut("authors").expect("added above");
    let found = authors.elements().position(|a| a.text() == author);
    let ours = match found {
        Some(i) => i,
        None => {
            let n = authors.elements().count();
            let mut a = Element::new(format!("{p}author"));
            a.children.push(Node::Text(escape_text(author)));
            authors.children.push(Node::Element(a));
            n
        }
    };
    let list = doc.root.child_mut("commentList").expect("added above");
    let mut new_shapes = Vec::new();
    let by_ref: BTreeMap<String, usize> = list
        .children
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n {
            Node::Element(e) if local(&e.name) == "comment" => {
                Some((e.attr("ref")?.to_ascii_uppercase(), i))
            }
            _ => None,
        })
        .collect();
    for note in notes {
        let r = cell_ref(note.row, note.col);
        let text = fit(note.text);
        match by_ref.get(&r) {
            Some(&i) => {
                let Node::Element(c) = &mut list.children[i] else {
                    continue;
                };
                let was_ours = c.attr("authorId") == Some(ours.to_string().as_str());
                if c.child("text").is_none() {
                    c.children
                        .insert(0, Node::Element(Element::new(format!("{p}text"))));
                }
                let t = c.child_mut("text").expect("added above");
                if was_ours {
                    t.children = vec![
                        Node::Element(run(&p, &format!("{author}:\n"), true)),
                        Node::Element(run(&p, &text, false)),
                    ];
                } else {
                    // Plain text becomes a run so that ours can follow it.
                    for n in t.children.iter_mut() {
                        if let Node::Element(e) = n
                            && local(&e.name) == "t"
                        {
                            let mut r = Element::new(format!("{p}r"));
                            r.children.push(Node::Element(e.clone()));
                            *e = r;
                        }
                    }
                    let at = t
                        .children
                        .iter()
                        .position(|n| matches!(n, Node::Element(e) if matches!(local(&e.name), "rPh" | "phoneticPr")))
                        .unwrap_or(t.children.len());
                    t.children.insert(
                        at,
                        Node::Element(run(&p, &format!("\n\n{author}:\n"), true)),
                    );
                    t.children
                        .insert(at + 1, Node::Element(run(&p, &text, false)));
                }
            }
            None => {
                // Written out at once rather than kept as a tree: a return
                // with a problem on every row has a hundred thousand.
                // Headed with the author's name in bold, as Excel heads
                // the notes it makes: how our notes are known again when
                // LibreOffice has saved the workbook without their author.
                list.children.push(Node::Other(format!(
                    "<{p}comment ref=\"{r}\" authorId=\"{ours}\"><{p}text>{}{}</{p}text></{p}comment>",
                    run_xml(&p, &format!("{author}:\n"), true),
                    run_xml(&p, &text, false)
                )));
                new_shapes.push((note.row, note.col));
            }
        }
    }
    (doc.to_xml(), new_shapes)
}

/// Takes our earlier notes out of a comments part (a feedback workbook
/// sent back): a note of ours goes (its cell, if still marked, gets a new
/// one); our words added below an officer's note go, the officer's note
/// stays. Ours are known by their author or, as LibreOffice saves notes
/// without their author and in one run, by the heading of our words.
/// Gives the cells whose notes went (their boxes go too) and whether
/// anything changed.
pub fn strip_ours(doc: &mut Document, author: &str) -> (Vec<(u32, u16)>, bool) {
    let ours = doc
        .root
        .child("authors")
        .and_then(|a| a.elements().position(|a| a.text() == author))
        .map(|i| i.to_string());
    let first = format!("{author}:\n");
    let below = format!("\n\n{author}:\n");
    let mut gone = Vec::new();
    let mut changed = false;
    let Some(list) = doc.root.child_mut("commentList") else {
        return (gone, false);
    };
    list.children.retain_mut(|n| {
        let Node::Element(c) = n else { return true };
        let cell = c.attr("ref").and_then(super::sheet::parse_ref);
        let by_us = ours.is_some() && c.attr("authorId") == ours.as_deref();
        let Some(t) = c.child_mut("text") else {
            return true;
        };
        let text = t.text();
        if by_us || text.starts_with(&first) {
            gone.extend(cell);
            changed = true;
            return false;
        }
        let Some(at) = text.find(&below) else {
            return true;
        };
        // The officer's words, in the first run's font.
        let p = prefix_of(&t.name).to_string();
        let font = t
            .elements()
            .find(|r| local(&r.name) == "r")
            .and_then(|r| r.child("rPr"))
            .cloned();
        let mut r = Element::new(format!("{p}r"));
        r.children.extend(font.map(Node::Element));
        let mut words = Element::new(format!("{p}t")).with_attr("xml:space", "preserve");
        words.children.push(Node::Text(escape_text(&text[..at])));
        r.children.push(Node::Element(words));
        // Phonetic runs stay after the text, where the schema puts them.
        t.children.retain(
            |n| matches!(n, Node::Element(e) if matches!(local(&e.name), "rPh" | "phoneticPr")),
        );
        t.children.insert(0, Node::Element(r));
        changed = true;
        true
    });
    (gone, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(row: u32, col: u16, text: &str) -> Note<'_> {
        Note { row, col, text }
    }

    #[test]
    fn notes_join_the_sheet_s_own() {
        let existing = Document::parse(
            "<comments xmlns=\"m\"><authors><author>Officer</author></authors><commentList><comment ref=\"B3\" authorId=\"0\"><text><t>My own note</t></text></comment></commentList></comments>",
            "c",
        )
        .unwrap();
        let (xml, shapes) = merge_comments(
            Some(existing),
            &[note(2, 1, "Wrong score."), note(4, 0, "No code.")],
            "bestvalue",
        );
        assert_eq!(shapes, [(4, 0)], "B3 already has a box");
        let doc = Document::parse(&xml, "c").unwrap();
        let authors: Vec<String> = doc
            .root
            .child("authors")
            .unwrap()
            .elements()
            .map(|a| a.text())
            .collect();
        assert_eq!(authors, ["Officer", "bestvalue"]);
        let comments: Vec<&Element> = doc.root.child("commentList").unwrap().elements().collect();
        assert_eq!(
            comments[0].attr("authorId"),
            Some("0"),
            "still the officer's note"
        );
        assert_eq!(
            comments[0].text(),
            "My own note\n\nbestvalue:\nWrong score."
        );
        assert_eq!(comments[1].attr("ref"), Some("A5"));
        assert_eq!(comments[1].attr("authorId"), Some("1"));
        assert_eq!(
            comments[1].text(),
            "bestvalue:\nNo code.",
            "headed as Excel heads notes"
        );
    }

    #[test]
    fn an_earlier_note_of_ours_is_replaced() {
        let (first, _) = merge_comments(None, &[note(0, 0, "Old advice.")], "bestvalue");
        let (second, shapes) = merge_comments(
            Some(Document::parse(&first, "c").unwrap()),
            &[note(0, 0, "New advice.")],
            "bestvalue",
        );
        assert!(shapes.is_empty());
        let doc = Document::parse(&second, "c").unwrap();
        assert_eq!(
            doc.root.child("commentList").unwrap().text(),
            "bestvalue:\nNew advice."
        );
    }

    #[test]
    fn our_earlier_notes_are_taken_out_and_the_officer_s_stay() {
        let officer = Document::parse(
            "<comments xmlns=\"m\"><authors><author>Officer</author></authors><commentList><comment ref=\"B3\" authorId=\"0\"><text><r><rPr><i/></rPr><t>My own note</t></r></text></comment></commentList></comments>",
            "c",
        )
        .unwrap();
        let (once, _) = merge_comments(
            Some(officer),
            &[note(2, 1, "Wrong score."), note(4, 0, "No code.")],
            "bestvalue",
        );
        let mut doc = Document::parse(&once, "c").unwrap();
        let (gone, changed) = strip_ours(&mut doc, "bestvalue");
        assert!(changed);
        assert_eq!(gone, [(4, 0)]);
        let texts = |doc: &Document| -> Vec<(String, String)> {
            doc.root
                .child("commentList")
                .unwrap()
                .elements()
                .map(|c| (c.attr("ref").unwrap().to_string(), c.text()))
                .collect()
        };
        assert_eq!(texts(&doc), [("B3".to_string(), "My own note".to_string())]);
        assert!(
            doc.to_xml()
                .contains("<r><rPr><i/></rPr><t xml:space=\"preserve\">My own note</t></r>")
        );
        // Marked again, the officer's note gets ours once, not twice.
        let (twice, shapes) = merge_comments(Some(doc), &[note(2, 1, "Still wrong.")], "bestvalue");
        assert!(shapes.is_empty());
        let doc = Document::parse(&twice, "c").unwrap();
        assert_eq!(texts(&doc)[0].1, "My own note\n\nbestvalue:\nStill wrong.");

        // As LibreOffice saves them: no author, one run each.
        let saved = Document::parse(
            "<comments xmlns=\"m\"><authors><author> </author></authors><commentList><comment ref=\"B3\" authorId=\"0\"><text><r><t xml:space=\"preserve\">My own note&#10;&#10;bestvalue:&#10;Still wrong.</t></r></text></comment><comment ref=\"A5\" authorId=\"0\"><text><r><t>bestvalue:&#10;No code.</t></r></text></comment><comment ref=\"A7\" authorId=\"0\"><text><r><t>Someone else's note.</t></r></text></comment></commentList></comments>",
            "c",
        );
        let mut saved = saved.unwrap();
        assert_eq!(strip_ours(&mut saved, "bestvalue"), (vec![(4, 0)], true));
        assert_eq!(
            texts(&saved),
            [
                ("B3".to_string(), "My own note".to_string()),
                ("A7".to_string(), "Someone else's note.".to_string())
            ]
        );
        // A workbook without notes of ours is left alone.
        assert_eq!(strip_ours(&mut saved, "bestvalue"), (vec![], false));
    }

    #[test]
    fn long_notes_are_cut_to_excel_s_limit() {
        let long = "x".repeat(40_000);
        let (xml, _) = merge_comments(None, &[note(0, 0, &long)], "bestvalue");
        let doc = Document::parse(&xml, "c").unwrap();
        assert_eq!(
            doc.root
                .child("commentList")
                .unwrap()
                .text()
                .chars()
                .count(),
            "bestvalue:\n".len() + MAX_NOTE
        );
    }
}
