//! The notes of one sheet: ours added to its comments part, the boxes that
//! show them added to its notes drawing, and a reply added to a
//! conversation (threaded comment) already on a marked cell. On a feedback
//! workbook sent back, our earlier notes, boxes and replies on cells no
//! longer marked are taken out first. The officer's own notes and
//! conversations are kept as they are.

use std::collections::BTreeSet;

use super::package::{
    CT_COMMENTS, CT_VML, Changes, Package, add_override, add_rel, ensure_default, read_rels,
    rel_target, relative, rels_of, rels_of_kind, resolve,
};
use super::sheet::Scan;
use super::xml::Document;
use super::{MarkupError, REL, notes, threads, vml};

/// What the sheet part itself must change, and what the workbook must.
#[derive(Debug, Default)]
pub struct Annotated {
    /// The id of a new notes drawing the sheet must refer to.
    pub add_drawing: Option<String>,
    /// A reply of ours is in a conversation: our person must be listed.
    pub replied: bool,
}

/// Where one sheet's notes go: its part, its number among the sheets (for
/// the ids of replies), and the note for each marked cell.
pub struct SheetNotes<'a> {
    pub part: &'a str,
    pub number: usize,
    pub notes: &'a [(u32, u16, String)],
}

/// Updates the sheet's notes, drawing and conversations (see the module's
/// description). `vml_blocks` are the blocks of shape ids drawings claim.
pub fn annotate(
    pkg: &mut Package,
    sheet: &SheetNotes,
    scan: &Scan,
    author: &str,
    types: &mut Document,
    changes: &mut Changes,
    vml_blocks: &mut Vec<u32>,
) -> Result<Annotated, MarkupError> {
    let part = sheet.part;
    let mut out = Annotated::default();
    let mut rels = read_rels(pkg, part)?;
    let mut rels_changed = false;
    let find = |pkg: &Package, rels: &Document, kind: &str| {
        rels_of_kind(rels, kind)
            .first()
            .map(|(_, t)| resolve(part, t))
            .and_then(|p| pkg.find(&p).map(str::to_string))
    };
    let existing = find(pkg, &rels, "comments");
    if sheet.notes.is_empty() && existing.is_none() {
        return Ok(out);
    }
    let (doc, gone, stripped) = match &existing {
        Some(p) => {
            let mut d = pkg.read_doc(p)?;
            let (gone, changed) = notes::strip_ours(&mut d, author);
            (Some(d), gone, changed)
        }
        None => (None, Vec::new(), false),
    };
    if sheet.notes.is_empty() && !stripped {
        return Ok(out);
    }
    let list: Vec<notes::Note> = sheet
        .notes
        .iter()
        .map(|(row, col, text)| notes::Note {
            row: *row,
            col: *col,
            text,
        })
        .collect();
    let (xml, need_shapes) = notes::merge_comments(doc, &list, author);
    let need_shapes: BTreeSet<(u32, u16)> = need_shapes.into_iter().collect();
    match &existing {
        Some(p) => changes.edit(p, xml.into_bytes()),
        None => {
            let p = changes.free_name(pkg, "xl", "comments", "xml");
            add_rel(&mut rels, &format!("{REL}/comments"), &relative(part, &p));
            rels_changed = true;
            add_override(types, &p, CT_COMMENTS);
            changes.new_parts.push((p, xml.into_bytes()));
        }
    }

    let widths = vml::Widths {
        default: scan.default_width.unwrap_or(8.43),
        cols: scan.widths.clone(),
    };
    let shapes: Vec<(u32, u16, &str)> = sheet
        .notes
        .iter()
        .filter(|(r, c, _)| need_shapes.contains(&(*r, *c)))
        .map(|(r, c, t)| (*r, *c, t.as_str()))
        .collect();
    let vml = scan
        .legacy_drawing
        .as_deref()
        .and_then(|id| rel_target(&rels, id))
        .map(|t| resolve(part, t))
        .and_then(|p| pkg.find(&p).map(str::to_string));
    match (&scan.legacy_drawing, vml) {
        (Some(_), Some(v)) => {
            let text = pkg.read_text(&v)?;
            let mut edited = vml::remove_shapes(&text, &gone);
            if !shapes.is_empty() {
                edited = vml::add_to_vml(&edited, &shapes, &widths).ok_or_else(|| {
                    MarkupError::Damaged {
                        part: v.clone(),
                        why: "the drawing of its notes has no end".into(),
                    }
                })?;
            }
            if let Some(once) = vml::one_shapetype_each(&edited) {
                edited = once;
            }
            if edited != text {
                changes.edit(&v, edited.into_bytes());
            }
        }
        (Some(id), None) if !shapes.is_empty() => {
            return Err(MarkupError::Missing(format!(
                "the notes drawing {id} of {part}"
            )));
        }
        (None, _) if !shapes.is_empty() => {
            let block = (1..).find(|b| !vml_blocks.contains(b)).unwrap_or(1);
            vml_blocks.push(block);
            let v = changes.free_name(pkg, "xl/drawings", "vmlDrawing", "vml");
            let id = add_rel(&mut rels, &format!("{REL}/vmlDrawing"), &relative(part, &v));
            rels_changed = true;
            ensure_default(types, "vml", CT_VML);
            changes
                .new_parts
                .push((v, vml::new_vml(block, &shapes, &widths).into_bytes()));
            out.add_drawing = Some(id);
        }
        _ => {}
    }

    if let Some(t) = find(pkg, &rels, "threadedComment") {
        let mut doc = pkg.read_doc(&t)?;
        let (changed, replied) = threads::reply(&mut doc, sheet.number, sheet.notes);
        if changed {
            changes.edit(&t, doc.to_xml().into_bytes());
        }
        out.replied = replied;
    }
    if rels_changed {
        changes.put(pkg, &rels_of(part), rels.to_xml().into_bytes());
    }
    Ok(out)
}
