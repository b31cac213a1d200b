//! Notes on the marked cells: the comments part (`xl/commentsN.xml`) that
//! holds their text, and the legacy drawing (VML) that Excel and
//! LibreOffice need to place the note boxes. A sheet's existing notes are
//! kept: ours join its comments part and drawing, and a note already on a
//! marked cell keeps its text with ours added below it (an earlier note of
//! ours is replaced).

use std::collections::{BTreeMap, BTreeSet};

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

/// A drawing without the note boxes of `cells`.
pub fn remove_shapes(vml: &str, cells: &[(u32, u16)]) -> String {
    if cells.is_empty() {
        return vml.to_string();
    }
    let cells: BTreeSet<(u32, u16)> = cells.iter().copied().collect();
    let value = |block: &str, tag: &str| -> Option<u32> {
        let open = format!("<x:{tag}>");
        let from = block.find(&open)? + open.len();
        let to = from + block[from..].find('<')?;
        block[from..to].trim().parse().ok()
    };
    let mut out = String::with_capacity(vml.len());
    let mut rest = vml;
    while let Some(start) = rest.find("<v:shape ") {
        let Some(len) = rest[start..].find("</v:shape>") else {
            break;
        };
        let end = start + len + "</v:shape>".len();
        let block = &rest[start..end];
        let cell = value(block, "Row").zip(value(block, "Column"));
        out.push_str(&rest[..start]);
        if !cell.is_some_and(|(r, c)| cells.contains(&(r, c as u16))) {
            out.push_str(block);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A drawing with each shape type defined once: LibreOffice writes the
/// note boxes' type again before every box, under the same id, which
/// Excel's schema forbids. `None` when there is nothing to take out.
pub fn one_shapetype_each(vml: &str) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(vml.len());
    let mut rest = vml;
    let mut dropped = false;
    while let Some(start) = rest.find("<v:shapetype ") {
        let tag_end = start + rest[start..].find('>')?;
        let end = if rest[..=tag_end].ends_with("/>") {
            tag_end + 1
        } else {
            tag_end + rest[tag_end..].find("</v:shapetype>")? + "</v:shapetype>".len()
        };
        let tag = &rest[start..tag_end];
        let id = tag
            .split(" id=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or("");
        out.push_str(&rest[..start]);
        if id.is_empty() || !seen.contains(&id) {
            seen.push(id);
            out.push_str(&rest[start..end]);
        } else {
            dropped = true;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    dropped.then_some(out)
}

/// Column widths (in characters) the note boxes are sized against.
pub struct Widths {
    pub default: f64,
    pub cols: Vec<(u16, u16, f64)>,
}

impl Widths {
    fn px(&self, col: u16) -> f64 {
        let w = self
            .cols
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&col))
            .map_or(self.default, |(_, _, w)| *w);
        (w * 7.0 + 5.0).max(0.0)
    }

    /// A note box about 320 × (lines) pixels, anchored to the right of the
    /// cell: (left col, left offset, top row, top offset, right col, right
    /// offset, bottom row, bottom offset).
    fn anchor(&self, row: u32, col: u16, lines: u32) -> [u32; 8] {
        let left = col as u32 + 1;
        let mut right = left;
        let mut room = 320.0;
        let offset;
        loop {
            let w = self.px(right.min(16_383) as u16);
            if room <= w || right >= 16_383 {
                offset = room.min(w);
                break;
            }
            room -= w;
            right += 1;
        }
        let top = row.saturating_sub(1);
        [
            left,
            15,
            top,
            10,
            right,
            offset as u32,
            top + lines.clamp(4, 24),
            4,
        ]
    }
}

/// Lines a note's text takes in a box about 45 characters wide.
fn lines(text: &str) -> u32 {
    text.split('\n')
        .map(|l| (l.chars().count() as u32).div_ceil(45).max(1))
        .sum::<u32>()
        + 1
}

const VML_NS: &str = "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"";

const SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn shape(id: u32, row: u32, col: u16, anchor: [u32; 8], z: usize, declare: bool) -> String {
    let a = anchor.map(|v| v.to_string()).join(", ");
    let ns = if declare {
        format!(" {VML_NS}")
    } else {
        String::new()
    };
    format!(
        "<v:shape{ns} id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:0;margin-top:0;width:240pt;height:{h}pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{a}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
        h = (anchor[6] - anchor[2]) * 15,
    )
}

/// The blocks of shape ids (`o:idmap data`) a drawing claims.
pub fn id_blocks(vml: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = vml;
    while let Some(i) = rest.find("idmap") {
        rest = &rest[i..];
        if let Some(d) = rest.find("data=") {
            let v = &rest[d + 6..];
            let end = v.find(['"', '\'']).unwrap_or(0);
            out.extend(
                v[..end]
                    .split(',')
                    .filter_map(|n| n.trim().parse::<u32>().ok()),
            );
        }
        rest = &rest[5..];
    }
    out
}

/// A new drawing holding the note boxes of `cells`, with shape ids from
/// `block` (a block of 1,024 ids no other drawing claims).
pub fn new_vml(block: u32, cells: &[(u32, u16, &str)], widths: &Widths) -> String {
    // About 900 bytes a box: room made once, not doubled as it grows.
    let mut s = String::with_capacity(1024 + cells.len() * 900);
    s += &format!(
        "<xml {VML_NS}><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{block}\"/></o:shapelayout>{SHAPETYPE}"
    );
    for (i, (r, c, text)) in cells.iter().enumerate() {
        let id = block * 1024 + 1 + i as u32;
        s.push_str(&shape(
            id,
            *r,
            *c,
            widths.anchor(*r, *c, lines(text)),
            i + 1,
            false,
        ));
    }
    s.push_str("</xml>");
    s
}

/// An existing drawing with the note boxes of `cells` added at its end.
pub fn add_to_vml(vml: &str, cells: &[(u32, u16, &str)], widths: &Widths) -> Option<String> {
    let end = vml.rfind("</xml>")?;
    let taken = vml
        .match_indices("_x0000_s")
        .filter_map(|(i, _)| {
            let digits: String = vml[i + 8..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().ok()
        })
        .max();
    let block = id_blocks(vml).first().copied().unwrap_or(1);
    let first = taken.unwrap_or(block * 1024) + 1;
    let mut add = String::new();
    if !vml.contains("_x0000_t202") {
        add.push_str(&SHAPETYPE.replacen("<v:shapetype", &format!("<v:shapetype {VML_NS}"), 1));
    }
    let z0 = vml.matches("<v:shape ").count() + 1;
    for (i, (r, c, text)) in cells.iter().enumerate() {
        add.push_str(&shape(
            first + i as u32,
            *r,
            *c,
            widths.anchor(*r, *c, lines(text)),
            z0 + i,
            true,
        ));
    }
    Some(format!("{}{}{}", &vml[..end], add, &vml[end..]))
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
    fn a_shape_type_defined_again_is_taken_out() {
        let t = |id: &str| {
            format!(
                "<v:shapetype id=\"{id}\" o:spt=\"202\"><v:stroke joinstyle=\"miter\"/></v:shapetype>"
            )
        };
        let vml = format!(
            "<xml>{}<v:shape id=\"a\"/>{}<v:shape id=\"b\"/>{}<v:shapetype id=\"x\"/></xml>",
            t("_x0000_t202"),
            t("_x0000_t202"),
            t("_x0000_t75")
        );
        let once = one_shapetype_each(&vml).unwrap();
        assert_eq!(
            once,
            format!(
                "<xml>{}<v:shape id=\"a\"/><v:shape id=\"b\"/>{}<v:shapetype id=\"x\"/></xml>",
                t("_x0000_t202"),
                t("_x0000_t75")
            )
        );
        assert!(one_shapetype_each(&once).is_none());
    }

    #[test]
    fn boxes_of_notes_taken_out_go_from_the_drawing() {
        let widths = Widths {
            default: 8.43,
            cols: vec![],
        };
        let vml = new_vml(1, &[(4, 0, "x"), (6, 2, "y")], &widths);
        let less = remove_shapes(&vml, &[(6, 2)]);
        assert_eq!(less.matches("<v:shape ").count(), 1);
        assert!(less.contains("<x:Row>4</x:Row>") && !less.contains("<x:Row>6</x:Row>"));
        assert!(less.ends_with("</xml>") && less.contains("_x0000_t202"));
        assert_eq!(remove_shapes(&vml, &[]), vml);
    }

    #[test]
    fn drawings_get_fresh_shape_ids() {
        let widths = Widths {
            default: 8.43,
            cols: vec![(1, 1, 60.0)],
        };
        let vml = new_vml(3, &[(4, 0, "x"), (6, 2, "y")], &widths);
        assert_eq!(id_blocks(&vml), [3]);
        assert!(vml.contains("_x0000_s3073") && vml.contains("_x0000_s3074"));
        assert!(vml.contains("<x:Anchor>1, 15, 3, 10, 1, 320, "), "{vml}");
        let more = add_to_vml(&vml, &[(9, 9, "z")], &widths).unwrap();
        assert!(more.contains("_x0000_s3075"));
        assert!(more.ends_with("</xml>"));
        assert_eq!(
            more.matches("id=\"_x0000_t202\"").count(),
            1,
            "one shape type"
        );
        assert_eq!(id_blocks("<o:idmap v:ext=\"edit\" data=\"1,2\"/>"), [1, 2]);
        assert!(add_to_vml("<xml>", &[], &widths).is_none());
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
