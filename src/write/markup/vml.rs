//! The notes drawing (VML) of a sheet: the boxes Excel and LibreOffice
//! need to show notes, one per note, placed beside its cell. New boxes get
//! shape ids no other drawing of the workbook claims; boxes of notes taken
//! out go; a note type defined more than once is defined once.

use std::collections::BTreeSet;

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
}
