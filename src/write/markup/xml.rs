//! The small XML toolkit the package editor works with: a tree for the
//! small parts it edits whole (workbook, styles, comments, relationships),
//! and raw writing of reader events for the sheet parts it streams.
//! Attribute order, prefixes, comments and text are kept as they were, so
//! an edited part differs from the original only where it was edited.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::MarkupError;

/// A part read whole: what comes before the root element (the declaration,
/// comments), and the root.
#[derive(Debug, Clone)]
pub struct Document {
    pub prolog: Vec<String>,
    pub root: Element,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The qualified name as written (`x:row` or `row`).
    pub name: String,
    /// Attributes in their order, values unescaped.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Text as written (still escaped).
    Text(String),
    /// A comment, CDATA section or processing instruction, as written.
    Other(String),
}

/// The part of a qualified name after its prefix.
pub fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The prefix of a qualified name with its colon (`x:`), or nothing.
pub fn prefix_of(name: &str) -> &str {
    name.rsplit_once(':')
        .map_or("", |(p, _)| &name[..p.len() + 1])
}

impl Element {
    pub fn new(name: impl Into<String>) -> Element {
        Element {
            name: name.into(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn with_attr(mut self, key: &str, value: impl Into<String>) -> Element {
        self.set_attr(key, value);
        self
    }

    /// The value of an attribute, by its name as written.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets an attribute, keeping its place if it is already there.
    pub fn set_attr(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.attrs.push((key.to_string(), value)),
        }
    }

    pub fn remove_attr(&mut self, key: &str) {
        self.attrs.retain(|(k, _)| k != key);
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, local_name: &str) -> Option<&Element> {
        self.elements().find(|e| local(&e.name) == local_name)
    }

    pub fn child_mut(&mut self, local_name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| local(&e.name) == local_name)
    }

    /// The text inside, unescaped (all descendants' text, in order).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(&unescape(t)),
                Node::Element(e) => out.push_str(&e.text()),
                Node::Other(o) => {
                    if let Some(c) = o
                        .strip_prefix("<![CDATA[")
                        .and_then(|c| c.strip_suffix("]]>"))
                    {
                        out.push_str(c);
                    }
                }
            }
        }
        out
    }

    /// Inserts a child element where the schema's order puts it: before the
    /// first existing child that the schema places later. `order` lists the
    /// local names of the parent's children in schema order.
    pub fn insert_in_order(&mut self, child: Element, order: &[&str]) {
        let rank = |name: &str| order.iter().position(|o| *o == local(name));
        let mine = rank(&child.name).unwrap_or(order.len());
        let at = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if rank(&e.name).is_some_and(|r| r > mine)))
            .unwrap_or(self.children.len());
        self.children.insert(at, Node::Element(child));
    }

    pub fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape_attr(v));
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for n in &self.children {
            match n {
                Node::Element(e) => e.write(out),
                Node::Text(t) | Node::Other(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

impl Document {
    pub fn parse(text: &str, part: &str) -> Result<Document, MarkupError> {
        let bad = |why: String| MarkupError::Damaged {
            part: part.to_string(),
            why,
        };
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut prolog = Vec::new();
        let mut stack: Vec<Element> = Vec::new();
        let mut root = None;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| bad(format!("{e} at byte {}", reader.error_position())))?;
            let node = match event {
                Event::Eof => break,
                Event::DocType(_) => {
                    return Err(bad(
                        "it declares a document type, which a workbook part never does".into(),
                    ));
                }
                Event::Start(s) => {
                    stack.push(start_element(&s, part)?);
                    continue;
                }
                Event::End(_) => {
                    let done = stack
                        .pop()
                        .ok_or_else(|| bad("an end tag without a start".into()))?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Element(done)),
                        None => root = Some(done),
                    }
                    continue;
                }
                Event::Empty(s) => Node::Element(start_element(&s, part)?),
                Event::Text(t) => Node::Text(t.to_string()),
                Event::GeneralRef(r) => Node::Text(format!("&{};", &*r)),
                Event::CData(c) => Node::Other(format!("<![CDATA[{}]]>", &*c)),
                Event::Comment(c) => Node::Other(format!("<!--{}-->", &*c)),
                Event::Decl(d) => Node::Other(format!("<?{}?>", &*d)),
                Event::PI(p) => Node::Other(format!("<?{}?>", &*p)),
            };
            match (stack.last_mut(), node) {
                (Some(parent), n) => push_merging_text(&mut parent.children, n),
                (None, Node::Element(e)) if root.is_none() => root = Some(e),
                (None, Node::Text(t)) if t.trim().is_empty() => {}
                (None, Node::Other(o)) if root.is_none() => prolog.push(o),
                (None, _) => {}
            }
        }
        if !stack.is_empty() {
            return Err(bad("it ends before its last element is closed".into()));
        }
        let root = root.ok_or_else(|| bad("it has no root element".into()))?;
        Ok(Document { prolog, root })
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        for p in &self.prolog {
            out.push_str(p);
            if p.starts_with("<?xml") {
                out.push('\n');
            }
        }
        if self.prolog.is_empty() {
            out.push_str(DECLARATION);
        }
        self.root.write(&mut out);
        out
    }
}

pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Entity references come as their own events: keep them in the text run.
fn push_merging_text(children: &mut Vec<Node>, n: Node) {
    if let (Some(Node::Text(prev)), Node::Text(t)) = (children.last_mut(), &n) {
        prev.push_str(t);
        return;
    }
    children.push(n);
}

fn start_element(s: &quick_xml::events::BytesStart, part: &str) -> Result<Element, MarkupError> {
    let mut e = Element::new(s.name().as_ref().to_string());
    for a in s.attributes() {
        let a = a.map_err(|err| MarkupError::Damaged {
            part: part.to_string(),
            why: format!("an attribute of <{}> cannot be read ({err})", e.name),
        })?;
        let key = a.key.as_ref().to_string();
        let value = unescape(&a.value);
        e.attrs.push((key, value));
    }
    Ok(e)
}

/// Writes a reader event back as it was read.
pub fn write_event(event: &Event, out: &mut Vec<u8>) {
    match event {
        Event::Start(s) => {
            out.push(b'<');
            out.extend_from_slice(s.as_bytes());
            out.push(b'>');
        }
        Event::Empty(s) => {
            out.push(b'<');
            out.extend_from_slice(s.as_bytes());
            out.extend_from_slice(b"/>");
        }
        Event::End(e) => {
            out.extend_from_slice(b"</");
            out.extend_from_slice(e.as_bytes());
            out.push(b'>');
        }
        Event::Text(t) => out.extend_from_slice(t.as_bytes()),
        Event::GeneralRef(r) => {
            out.push(b'&');
            out.extend_from_slice(r.as_bytes());
            out.push(b';');
        }
        Event::CData(c) => {
            out.extend_from_slice(b"<![CDATA[");
            out.extend_from_slice(c.as_bytes());
            out.extend_from_slice(b"]]>");
        }
        Event::Comment(c) => {
            out.extend_from_slice(b"<!--");
            out.extend_from_slice(c.as_bytes());
            out.extend_from_slice(b"-->");
        }
        Event::Decl(d) => {
            out.extend_from_slice(b"<?");
            out.extend_from_slice(d.as_bytes());
            out.extend_from_slice(b"?>");
        }
        Event::PI(p) => {
            out.extend_from_slice(b"<?");
            out.extend_from_slice(p.as_bytes());
            out.extend_from_slice(b"?>");
        }
        Event::DocType(d) => {
            out.extend_from_slice(b"<!DOCTYPE");
            out.extend_from_slice(d.as_bytes());
            out.push(b'>');
        }
        Event::Eof => {}
    }
}

/// Escapes text for an element's content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => out.push_str("&#13;"),
            // Characters XML 1.0 cannot carry at all are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an attribute value (quoted with `"`).
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Unescapes the five named entities and character references; anything
/// else is kept as written.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let ch = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_read_and_written_back_is_unchanged_apart_from_spacing() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a xmlns=\"u\" x:k=\"1 &amp; 2\"><!-- c --><b>t &lt; u</b><c/><![CDATA[x<y]]></a>";
        let doc = Document::parse(text, "p").unwrap();
        assert_eq!(doc.to_xml(), text);
        assert_eq!(doc.root.attr("x:k"), Some("1 & 2"));
        assert_eq!(doc.root.child("b").unwrap().text(), "t < u");
        assert_eq!(doc.root.text(), "t < ux<y");
    }

    #[test]
    fn broken_parts_and_doctypes_are_refused() {
        assert!(Document::parse("<a><b></a>", "p").is_err());
        assert!(Document::parse("<a>", "p").is_err());
        assert!(Document::parse("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "p").is_err());
        assert!(Document::parse("", "p").is_err());
    }

    #[test]
    fn children_go_where_the_schema_puts_them() {
        let mut e = Document::parse("<w><a/><c/><z:x/><e/></w>", "p")
            .unwrap()
            .root;
        e.insert_in_order(Element::new("d"), &["a", "b", "c", "d", "e"]);
        e.insert_in_order(Element::new("b"), &["a", "b", "c", "d", "e"]);
        e.insert_in_order(Element::new("f"), &["a", "b", "c", "d", "e", "f"]);
        let mut s = String::new();
        e.write(&mut s);
        assert_eq!(s, "<w><a/><b/><c/><z:x/><d/><e/><f/></w>");
    }

    #[test]
    fn escaping_round_trips() {
        let s = "a<b>&\"c\"\n\td\u{1}";
        assert_eq!(unescape(&escape_attr(s)), "a<b>&\"c\"\n\td");
        assert_eq!(unescape(&escape_text(s)), "a<b>&\"c\"\n\td");
        assert_eq!(unescape("&#x41;&#66;&bogus;&"), "AB&bogus;&");
        assert_eq!(local("x:row"), "row");
        assert_eq!(prefix_of("x:row"), "x:");
        assert_eq!(prefix_of("row"), "");
    }
}
