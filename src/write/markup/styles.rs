//! The stylesheet (`xl/styles.xml`) of the edited workbook: the highlight
//! fill, a highlighted copy of each problem cell's own cell format (same
//! font, border, number format, alignment and protection; only the fill
//! differs), and the few formats the Problems sheet uses. Everything the
//! workbook already had keeps its index, so no existing cell changes look;
//! the `count` attributes Excel checks are recounted, and the children of
//! every entry are put in the schema's order (openpyxl, which many officers'
//! scripts use, writes a font's colour and boldness after its name, which
//! Excel reads but counts as a fault to repair).

use std::collections::HashMap;

use super::xml::{Document, Element, Node, local};

/// The order of a stylesheet's children in the schema.
const ORDER: &[&str] = &[
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
];

/// The order of the children of each kind of entry, in the schema (the
/// order Excel itself writes and its validator expects); `rPr` is a run's
/// font in a note.
const ENTRY_ORDER: &[(&str, &[&str])] = &[
    (
        "font",
        &[
            "b",
            "i",
            "strike",
            "condense",
            "extend",
            "outline",
            "shadow",
            "u",
            "vertAlign",
            "sz",
            "color",
            "name",
            "family",
            "charset",
            "scheme",
        ],
    ),
    (
        "rPr",
        &[
            "b",
            "i",
            "strike",
            "condense",
            "extend",
            "outline",
            "shadow",
            "u",
            "vertAlign",
            "sz",
            "color",
            "rFont",
            "family",
            "charset",
            "scheme",
        ],
    ),
    ("patternFill", &["fgColor", "bgColor"]),
    (
        "border",
        &[
            "start",
            "end",
            "left",
            "right",
            "top",
            "bottom",
            "diagonal",
            "vertical",
            "horizontal",
        ],
    ),
    ("xf", &["alignment", "protection", "extLst"]),
    (
        "dxf",
        &[
            "font",
            "numFmt",
            "fill",
            "alignment",
            "border",
            "protection",
            "extLst",
        ],
    ),
];

pub struct Styles {
    doc: Document,
    highlight: [u8; 3],
    fill: Option<usize>,
    clones: HashMap<u32, u32>,
    /// Fonts recoloured so their text reads on the highlight, by font index.
    readable_fonts: HashMap<usize, usize>,
}

impl Styles {
    /// The workbook's stylesheet, or a minimal one when it has none.
    pub fn new(doc: Option<Document>, highlight: [u8; 3]) -> Styles {
        let doc = doc.unwrap_or_else(|| {
            Document::parse(
                "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>",
                "styles",
            )
            .expect("a constant part")
        });
        let mut s = Styles {
            doc,
            highlight,
            fill: None,
            clones: HashMap::new(),
            readable_fonts: HashMap::new(),
        };
        // The collections every stylesheet needs, with the entries Excel
        // expects first (a plain font, the two reserved fills, no border).
        s.ensure(
            "fonts",
            "<font><sz val=\"11\"/><name val=\"Calibri\"/></font>",
        );
        if s.list("fills").is_empty() {
            s.push("fills", "<fill><patternFill patternType=\"none\"/></fill>");
            s.push(
                "fills",
                "<fill><patternFill patternType=\"gray125\"/></fill>",
            );
        }
        s.ensure(
            "borders",
            "<border><left/><right/><top/><bottom/><diagonal/></border>",
        );
        s.ensure(
            "cellXfs",
            "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>",
        );
        s
    }

    fn ensure(&mut self, collection: &str, first: &str) {
        if self.list(collection).is_empty() {
            self.push(collection, first);
        }
    }

    fn collection_mut(&mut self, name: &str) -> &mut Element {
        if self.doc.root.child(name).is_none() {
            let prefix = super::xml::prefix_of(&self.doc.root.name).to_string();
            self.doc
                .root
                .insert_in_order(Element::new(format!("{prefix}{name}")), ORDER);
        }
        self.doc.root.child_mut(name).expect("just added")
    }

    fn list(&self, collection: &str) -> Vec<&Element> {
        self.doc
            .root
            .child(collection)
            .map(|c| c.elements().collect())
            .unwrap_or_default()
    }

    /// Adds an entry (written in the default namespace's terms) to a
    /// collection and returns its index; an entry the collection already
    /// has (the Problems sheet's, from an earlier feedback) is used again.
    fn push(&mut self, collection: &str, xml: &str) -> usize {
        let prefix = super::xml::prefix_of(&self.doc.root.name).to_string();
        let mut e = Document::parse(xml, "styles").expect("our own XML").root;
        if !prefix.is_empty() {
            prefix_all(&mut e, &prefix);
        }
        match self.list(collection).iter().position(|x| **x == e) {
            Some(i) => i,
            None => self.push_element(collection, e),
        }
    }

    fn push_element(&mut self, collection: &str, e: Element) -> usize {
        let c = self.collection_mut(collection);
        let n = c.elements().count();
        c.children.push(Node::Element(e));
        n
    }

    pub fn add_font(&mut self, xml: &str) -> usize {
        self.push("fonts", xml)
    }
    pub fn add_fill(&mut self, xml: &str) -> usize {
        self.push("fills", xml)
    }
    pub fn add_border(&mut self, xml: &str) -> usize {
        self.push("borders", xml)
    }
    /// Adds a cell format; `xfId="0"` is added when the workbook has cell
    /// styles for it to refer to.
    pub fn add_xf(&mut self, xml: &str) -> u32 {
        let has_style = !self.list("cellStyleXfs").is_empty();
        let prefix = super::xml::prefix_of(&self.doc.root.name).to_string();
        let mut e = Document::parse(xml, "styles").expect("our own XML").root;
        if !prefix.is_empty() {
            prefix_all(&mut e, &prefix);
        }
        if has_style && e.attr("xfId").is_none() {
            e.set_attr("xfId", "0");
        }
        match self.list("cellXfs").iter().position(|x| **x == e) {
            Some(i) => i as u32,
            None => self.push_element("cellXfs", e) as u32,
        }
    }

    /// The highlight as a solid fill.
    fn highlight_fill(&mut self) -> usize {
        if let Some(f) = self.fill {
            return f;
        }
        // An earlier feedback's highlight is used again.
        let argb = self.highlight_argb();
        let earlier = self
            .list("fills")
            .iter()
            .position(|f| solid_colour(f).is_some_and(|c| c.eq_ignore_ascii_case(&argb)));
        let f = earlier.unwrap_or_else(|| {
            self.add_fill(&format!(
                "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{argb}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            ))
        });
        self.fill = Some(f);
        f
    }

    /// The index of a cell format like `base` but with the highlight fill.
    pub fn highlighted(&mut self, base: u32) -> u32 {
        if let Some(x) = self.clones.get(&base) {
            return *x;
        }
        let fill = self.highlight_fill();
        let xfs = self.list("cellXfs");
        // A cell pointing past the formats is shown with the first one.
        let mut xf = xfs
            .get(base as usize)
            .or(xfs.first())
            .map(|e| (*e).clone())
            .expect("cellXfs has at least one entry");
        xf.set_attr("fillId", fill.to_string());
        xf.set_attr("applyFill", "1");
        let font: usize = xf.attr("fontId").and_then(|f| f.parse().ok()).unwrap_or(0);
        if let Some(readable) = self.readable_font(font) {
            xf.set_attr("fontId", readable.to_string());
            xf.set_attr("applyFont", "1");
        }
        let new = self.push_element("cellXfs", xf) as u32;
        self.clones.insert(base, new);
        new
    }

    /// A copy of the font in black when its own colour would not read on
    /// the highlight (white text of a heading, say); `None` when it reads.
    fn readable_font(&mut self, font: usize) -> Option<usize> {
        if let Some(f) = self.readable_fonts.get(&font) {
            return Some(*f);
        }
        let fonts = self.list("fonts");
        let original = (*fonts.get(font)?).clone();
        let colour = original.child("color").and_then(colour_of)?;
        if contrast(colour, self.highlight) >= 4.5 {
            return None;
        }
        let mut black = original;
        let color = black.child_mut("color").expect("checked above");
        color.attrs.clear();
        color.set_attr("rgb", "FF000000");
        let f = self.push_element("fonts", black);
        self.readable_fonts.insert(font, f);
        Some(f)
    }

    /// The entries of a collection (`cellXfs`, `fills`, `fonts`…).
    pub fn entries(&self, collection: &str) -> Vec<&Element> {
        self.list(collection)
    }

    /// The highlight, as a fill's colour is written (`FFCC99FF`).
    pub fn highlight_argb(&self) -> String {
        let [r, g, b] = self.highlight;
        format!("FF{r:02X}{g:02X}{b:02X}")
    }

    /// Adds a cell format as it is (a copy of an existing one, changed).
    pub fn add_xf_element(&mut self, xf: Element) -> u32 {
        self.push_element("cellXfs", xf) as u32
    }

    /// Takes highlighted formats made by an earlier feedback as this one's,
    /// so a cell marked again gets the same format: (highlighted, original).
    pub fn reuse(&mut self, pairs: &[(u32, u32)]) {
        for &(h, b) in pairs {
            self.clones.entry(b).or_insert(h);
        }
    }

    /// Every highlighted format and the format it is a copy of, in order.
    pub fn record(&self) -> Vec<(u32, u32)> {
        let mut pairs: Vec<(u32, u32)> = self.clones.iter().map(|(b, h)| (*h, *b)).collect();
        pairs.sort_unstable();
        pairs
    }

    /// The default font's name (the Problems sheet uses it).
    pub fn default_font_name(&self) -> String {
        self.list("fonts")
            .first()
            .and_then(|f| f.child("name"))
            .and_then(|n| n.attr("val"))
            .unwrap_or("Calibri")
            .to_string()
    }

    /// The stylesheet with every collection's count set to its entries and
    /// every entry's children in the schema's order.
    pub fn finish(mut self) -> String {
        in_schema_order(&mut self.doc.root);
        for name in [
            "numFmts",
            "fonts",
            "fills",
            "borders",
            "cellStyleXfs",
            "cellXfs",
            "cellStyles",
            "dxfs",
        ] {
            if let Some(c) = self.doc.root.child_mut(name) {
                let n = c.elements().count();
                c.set_attr("count", n.to_string());
            }
        }
        self.doc.to_xml()
    }
}

/// The colour (`FFCC99FF`) of a solid fill given as a colour value.
pub fn solid_colour(fill: &Element) -> Option<&str> {
    let p = fill.child("patternFill")?;
    if p.attr("patternType") != Some("solid") {
        return None;
    }
    p.child("fgColor")?.attr("rgb")
}

/// Puts the children of every entry below `e` in the schema's order (a
/// stable sort: children the schema does not name keep their order, last).
pub fn in_schema_order(e: &mut Element) {
    if let Some((_, order)) = ENTRY_ORDER.iter().find(|(n, _)| *n == local(&e.name)) {
        let rank = |c: &Element| {
            order
                .iter()
                .position(|o| *o == local(&c.name))
                .unwrap_or(order.len())
        };
        if !e.elements().map(rank).is_sorted() {
            // Only spacing lies between an entry's children.
            e.children.retain(|n| matches!(n, Node::Element(_)));
            e.children.sort_by_key(|n| match n {
                Node::Element(c) => rank(c),
                _ => order.len(),
            });
        }
    }
    for c in e.elements_mut() {
        in_schema_order(c);
    }
}

fn prefix_all(e: &mut Element, prefix: &str) {
    e.name = format!("{prefix}{}", local(&e.name));
    for c in e.elements_mut() {
        prefix_all(c, prefix);
    }
}

/// The colour a `<color>` element names, where it can be known without
/// the theme (theme colours 0 and 2 are the light background ones).
fn colour_of(c: &Element) -> Option<[u8; 3]> {
    if let Some(rgb) = c.attr("rgb") {
        let v = u32::from_str_radix(rgb.get(rgb.len().saturating_sub(6)..)?, 16).ok()?;
        return Some([(v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
    if let Some(t) = c.attr("theme") {
        return match t {
            "0" | "2" if c.attr("tint").is_none() => Some([255, 255, 255]),
            _ => None,
        };
    }
    let i: usize = c.attr("indexed")?.parse().ok()?;
    let v = *PALETTE.get(i)?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

/// Excel's default indexed colours (64 is the window text, 65 its background).
const PALETTE: [u32; 66] = [
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x000000,
    0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x800000, 0x008000,
    0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080, 0x9999FF, 0x993366, 0xFFFFCC,
    0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF, 0x000080, 0xFF00FF, 0xFFFF00, 0x00FFFF,
    0x800080, 0x800000, 0x008080, 0x0000FF, 0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99, 0x99CCFF,
    0xFF99CC, 0xCC99FF, 0xFFCC99, 0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900, 0xFF6600,
    0x666699, 0x969696, 0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366, 0x333399,
    0x333333, 0x000000, 0xFFFFFF,
];

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let lum = |c: [u8; 3]| {
        let ch = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = r#"<?xml version="1.0"?>
<styleSheet xmlns="main" xmlns:x14ac="x"><fonts count="2" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/></font><font><b/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="1" borderId="0" xfId="0" applyNumberFormat="1" applyProtection="1"><alignment wrapText="1"/><protection locked="0"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

    fn styles() -> Styles {
        Styles::new(
            Some(Document::parse(SHEET, "s").unwrap()),
            [0xCC, 0x99, 0xFF],
        )
    }

    #[test]
    fn a_highlighted_format_keeps_everything_but_the_fill() {
        let mut s = styles();
        assert_eq!(s.highlighted(1), 3);
        assert_eq!(s.highlighted(1), 3, "one copy per format");
        assert_eq!(s.highlighted(0), 4);
        let out = Document::parse(&s.finish(), "s").unwrap().root;
        let xfs: Vec<&Element> = out.child("cellXfs").unwrap().elements().collect();
        assert_eq!(out.child("cellXfs").unwrap().attr("count"), Some("5"));
        assert_eq!(out.child("fills").unwrap().attr("count"), Some("3"));
        assert_eq!(
            out.child("fonts").unwrap().attr("x14ac:knownFonts"),
            Some("1")
        );
        let mut expected = xfs[1].clone();
        expected.set_attr("fillId", "2");
        expected.set_attr("applyFill", "1");
        assert_eq!(xfs[3], &expected);
        let fill = out.child("fills").unwrap().elements().nth(2).unwrap();
        assert_eq!(
            fill.child("patternFill")
                .unwrap()
                .child("fgColor")
                .unwrap()
                .attr("rgb"),
            Some("FFCC99FF")
        );
    }

    #[test]
    fn white_text_is_made_black_on_the_highlight() {
        let mut s = styles();
        let x = s.highlighted(2);
        let out = Document::parse(&s.finish(), "s").unwrap().root;
        let xf = out
            .child("cellXfs")
            .unwrap()
            .elements()
            .nth(x as usize)
            .unwrap();
        assert_eq!(xf.attr("fontId"), Some("2"));
        let font = out.child("fonts").unwrap().elements().nth(2).unwrap();
        assert!(font.child("b").is_some(), "still bold");
        assert_eq!(font.child("color").unwrap().attr("rgb"), Some("FF000000"));
    }

    #[test]
    fn a_workbook_without_a_stylesheet_gets_a_valid_one() {
        let mut s = Styles::new(None, [0xCC, 0x99, 0xFF]);
        assert_eq!(s.highlighted(7), 1);
        let out = Document::parse(&s.finish(), "s").unwrap().root;
        let names: Vec<&str> = out.elements().map(|e| local(&e.name)).collect();
        assert_eq!(names, ["fonts", "fills", "borders", "cellXfs"]);
        assert_eq!(out.child("fills").unwrap().attr("count"), Some("3"));
    }

    #[test]
    fn entries_written_out_of_order_are_put_in_the_schema_s_order() {
        // As openpyxl writes them: a font's name first, its boldness and
        // colour after; a border's diagonal before its sides.
        let sheet = r#"<styleSheet xmlns="main"><fonts count="2"><font><name val="Calibri"/><family val="2"/><b val="1"/><color rgb="FFFFFFFF"/><sz val="11"/></font><font><name val="Arial"/><i/><sz val="9"/></font></fonts><fills count="2"><fill><patternFill patternType="solid"><bgColor indexed="64"/><fgColor rgb="FFFFFF00"/></patternFill></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><diagonal/><left style="thin"/><bottom/></border></borders><cellXfs count="1"><xf numFmtId="0" fontId="1" fillId="0" borderId="0"><protection locked="0"/><alignment wrapText="1"/></xf></cellXfs><dxfs count="1"><dxf><fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill><font><color rgb="FF9C0006"/><b/></font></dxf></dxfs></styleSheet>"#;
        let mut s = Styles::new(
            Some(Document::parse(sheet, "s").unwrap()),
            [0xCC, 0x99, 0xFF],
        );
        s.highlighted(0);
        let out = Document::parse(&s.finish(), "s").unwrap().root;
        let names = |e: &Element| {
            e.elements()
                .map(|c| local(&c.name).to_string())
                .collect::<Vec<_>>()
        };
        let kids = |c: &str| -> Vec<String> {
            out.child(c)
                .unwrap()
                .elements()
                .map(|e| names(e).join(" "))
                .collect()
        };
        assert_eq!(kids("fonts"), ["b sz color name family", "i sz name"]);
        assert_eq!(kids("borders"), ["left bottom diagonal"]);
        assert_eq!(kids("cellXfs"), ["alignment protection"; 2]);
        assert_eq!(kids("dxfs"), ["font fill"]);
        let pattern = out
            .child("fills")
            .unwrap()
            .elements()
            .next()
            .unwrap()
            .child("patternFill")
            .unwrap();
        assert_eq!(names(pattern), ["fgColor", "bgColor"]);
        // Nothing but the order changed.
        let first = out.child("fonts").unwrap().elements().next().unwrap();
        assert_eq!(first.child("b").unwrap().attr("val"), Some("1"));
        assert_eq!(first.child("color").unwrap().attr("rgb"), Some("FFFFFFFF"));
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        assert!(contrast([0, 0, 0], [0xCC, 0x99, 0xFF]) > 4.5);
        assert!(contrast([255, 255, 255], [0xCC, 0x99, 0xFF]) < 4.5);
    }
}
