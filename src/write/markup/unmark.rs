//! A feedback workbook sent back and checked again: the cells the officer
//! has put right lose their highlight and get their own format back, so the
//! second round shows only what is still wrong. Which format was each
//! highlighted one's original is read from the record the earlier feedback
//! left (see [`super::record`]); it is believed only when the two formats
//! still differ in their fill alone (a workbook saved again by another
//! program may have renumbered its formats). A highlighted format without a
//! believable record is matched to a format of the workbook that differs
//! only in its fill and, failing that, loses its fill.

use std::collections::BTreeMap;

use super::styles::{Styles, solid_colour};
use super::xml::Element;

/// What a highlight changes in a cell format, left out when two are
/// compared.
const HIGHLIGHT_ATTRS: &[&str] = &["fillId", "applyFill", "fontId", "applyFont"];

/// Each highlighted format of the workbook and the format its cells go
/// back to when their mark is no longer needed. Formats the record does not
/// name are looked for only in a workbook known to be a feedback
/// (`feedback`): in any other, a cell filled lavender is the officer's own
/// (lavender is one of Excel's standard colours).
pub fn originals(styles: &mut Styles, record: &[(u32, u32)], feedback: bool) -> BTreeMap<u32, u32> {
    let argb = styles.highlight_argb();
    let xfs: Vec<Element> = styles.entries("cellXfs").into_iter().cloned().collect();
    let fills: Vec<Element> = styles.entries("fills").into_iter().cloned().collect();
    let fonts: Vec<Element> = styles.entries("fonts").into_iter().cloned().collect();
    let index = |xf: &Element, key: &str| -> Option<usize> { xf.attr(key)?.parse().ok() };
    let fill_colour = |xf: &Element| {
        index(xf, "fillId")
            .and_then(|f| fills.get(f))
            .and_then(solid_colour)
            .map(str::to_ascii_uppercase)
    };
    let is_highlight = |xf: &Element| fill_colour(xf).is_some_and(|c| c == argb);
    // The same format but for its fill (and a font recoloured to read on
    // the highlight).
    let same_but_fill = |h: &Element, b: &Element| {
        let rest = |x: &Element| {
            let mut x = x.clone();
            x.attrs
                .retain(|(k, _)| !HIGHLIGHT_ATTRS.contains(&k.as_str()));
            x
        };
        let font = |x: &Element| {
            let mut f = index(x, "fontId").and_then(|i| fonts.get(i)).cloned()?;
            f.children
                .retain(|n| !matches!(n, super::xml::Node::Element(e) if super::xml::local(&e.name) == "color"));
            Some(f)
        };
        rest(h) == rest(b) && font(h) == font(b)
    };

    let mut out = BTreeMap::new();
    for &(h, b) in record {
        let (Some(hx), Some(bx)) = (xfs.get(h as usize), xfs.get(b as usize)) else {
            continue;
        };
        if h != b && fill_colour(hx).is_some() && !is_highlight(bx) && same_but_fill(hx, bx) {
            out.insert(h, b);
        }
    }
    for (h, hx) in xfs.iter().enumerate() {
        let h = h as u32;
        if !feedback || out.contains_key(&h) || !is_highlight(hx) {
            continue;
        }
        let like = xfs
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_highlight(b) && same_but_fill(hx, b))
            .min_by_key(|(_, b)| b.attr("fontId") != hx.attr("fontId"))
            .map(|(b, _)| b as u32);
        let b = like.unwrap_or_else(|| {
            let mut plain = hx.clone();
            plain.set_attr("fillId", "0");
            plain.remove_attr("applyFill");
            styles.add_xf_element(plain)
        });
        out.insert(h, b);
    }
    let pairs: Vec<(u32, u32)> = out.iter().map(|(h, b)| (*h, *b)).collect();
    styles.reuse(&pairs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::markup::xml::Document;

    const HIGHLIGHT: [u8; 3] = [0xCC, 0x99, 0xFF];

    /// Formats: 0 plain, 1 yellow input, 2 bold heading, then whatever
    /// `more` adds; fills: 0 none, 1 grey125, 2 yellow, 3 the highlight.
    fn styles(more: &str) -> Styles {
        let xml = format!(
            r#"<styleSheet xmlns="m"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts><fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFCC99FF"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border/></borders><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" applyFill="1"><protection locked="0"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0"/>{more}</cellXfs></styleSheet>"#
        );
        Styles::new(Some(Document::parse(&xml, "s").unwrap()), HIGHLIGHT)
    }

    #[test]
    fn a_believable_record_is_followed() {
        // 3 is the highlighted copy of the yellow input (1).
        let mut s = styles(
            r#"<xf numFmtId="0" fontId="0" fillId="3" borderId="0" applyFill="1"><protection locked="0"/></xf>"#,
        );
        assert_eq!(originals(&mut s, &[(3, 1)], true), BTreeMap::from([(3, 1)]));
        // Marked again, the input gets the same highlighted format.
        assert_eq!(s.highlighted(1), 3);
    }

    #[test]
    fn a_record_that_no_longer_fits_is_not_believed() {
        let highlighted = r#"<xf numFmtId="0" fontId="0" fillId="3" borderId="0" applyFill="1"><protection locked="0"/></xf>"#;
        // Renumbered: the record says 3 came from 0, which is locked.
        let mut s = styles(highlighted);
        assert_eq!(
            originals(&mut s, &[(3, 0)], true),
            BTreeMap::from([(3, 1)]),
            "matched by everything but the fill instead"
        );
        // Nothing like it left: the highlight loses its fill.
        let mut s =
            styles(r#"<xf numFmtId="14" fontId="0" fillId="3" borderId="0" applyFill="1"/>"#);
        let got = originals(&mut s, &[], true);
        let plain = got[&3];
        assert_eq!(plain, 4, "a new format");
        let xf = s.entries("cellXfs")[plain as usize].clone();
        assert_eq!(xf.attr("fillId"), Some("0"));
        assert_eq!(xf.attr("numFmtId"), Some("14"));
    }

    #[test]
    fn a_heading_recoloured_to_read_on_the_highlight_goes_back_to_its_own_font() {
        // Font 2: the heading's font in black (added by the highlight).
        let mut s = styles(
            r#"<xf numFmtId="0" fontId="2" fillId="3" borderId="0" applyFill="1" applyFont="1"/>"#,
        );
        s.add_font(
            r#"<font><b/><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/></font>"#,
        );
        assert_eq!(originals(&mut s, &[], true), BTreeMap::from([(3, 2)]));
        // In a workbook that is no feedback, lavender is the officer's.
        assert!(originals(&mut s, &[], false).is_empty());
    }
}
