//! Marking up an officer's own .xlsx/.xlsm: the package is edited, not
//! rebuilt. Every part is copied as it was except those the marks need:
//! the stylesheet (a highlighted copy of each problem cell's format), the
//! marked sheets (their cells point at those copies), their notes (comments
//! and the drawing that places them), and a new first sheet listing the
//! problems with links (workbook, relationships, content types, titles).
//! So sheet protection, drop-downs, conditional formats, widths, heights,
//! merged areas, names, properties, charts and the officer's own sheets and
//! notes stay exactly as they were.
//!
//! This module knows nothing of returns or problems: it takes bytes, cells
//! to mark with a note each, and the rows of the list, and gives bytes.

mod notes;
mod package;
mod problems;
mod sheet;
mod styles;
mod workbook;
mod xml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufReader;

pub use problems::{Cell, Column, Line, LineKind, ProblemsSheet};
pub use workbook::valid_sheet_name;
pub use xml::unescape;

use package::{
    Edit, Package, add_override, add_rel, read_rels, rel_target, rels_of, rels_of_kind, resolve,
};
use sheet::Scan;

/// A cell to mark and the note to put on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub sheet: String,
    /// From zero.
    pub row: u32,
    pub col: u16,
    pub note: String,
    /// Whether the cell gets the highlight fill. Not when its own fill
    /// means something (a score given as a colour): then only the note.
    pub fill: bool,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The fill of marked cells (RGB).
    pub highlight: [u8; 3],
    /// The author the notes are written under.
    pub author: String,
}

/// The marked-up workbook, and what could not be marked as asked.
#[derive(Debug)]
pub struct Marked {
    pub bytes: Vec<u8>,
    /// Marks whose sheet the workbook does not have (by index in the marks).
    pub not_placed: Vec<usize>,
    /// Marks inside a merged area, moved to the area's first cell.
    pub moved: Vec<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum MarkupError {
    #[error("it is not a workbook package ({0})")]
    NotAPackage(String),
    #[error("its part {0} is missing")]
    Missing(String),
    #[error("its part {part} is damaged: {why}")]
    Damaged { part: String, why: String },
    #[error(
        "\"{0}\" cannot be used as a sheet name (it is taken, too long, or has one of [ ] : * ? / \\)"
    )]
    SheetName(String),
    #[error("the marked-up copy could not be written ({0})")]
    Write(String),
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct SheetPart {
    name: String,
    part: Option<String>,
    is_worksheet: bool,
}

/// Marks up `original`: see the module's description.
pub fn mark_up(
    original: &[u8],
    marks: &[Mark],
    list: &ProblemsSheet,
    opts: &Options,
) -> Result<Marked, MarkupError> {
    let mut pkg = Package::open(original)?;
    let types_name = pkg
        .find("[Content_Types].xml")
        .ok_or_else(|| MarkupError::Missing("[Content_Types].xml".into()))?
        .to_string();
    let mut types = pkg.read_doc(&types_name)?;
    let root_rels = pkg.read_doc(&rels_of(""))?;
    let wb_part = rels_of_kind(&root_rels, "officeDocument")
        .first()
        .map(|(_, t)| resolve("", t))
        .ok_or_else(|| MarkupError::Missing("the workbook part".into()))?;
    let mut wb = pkg.read_doc(&wb_part)?;
    let mut wb_rels = read_rels(&mut pkg, &wb_part)?;
    let sheets: Vec<SheetPart> = workbook::sheets(&wb)
        .into_iter()
        .map(|s| {
            let rel = wb_rels
                .root
                .elements()
                .find(|r| r.attr("Id") == Some(s.rid.as_str()));
            let part = rel
                .and_then(|r| r.attr("Target"))
                .map(|t| resolve(&wb_part, t))
                .and_then(|p| pkg.find(&p).map(str::to_string));
            let is_worksheet = rel
                .and_then(|r| r.attr("Type"))
                .is_some_and(|t| t.ends_with("/worksheet"));
            SheetPart {
                name: s.name,
                part,
                is_worksheet,
            }
        })
        .collect();

    let styles_part = rels_of_kind(&wb_rels, "styles")
        .first()
        .map(|(_, t)| resolve(&wb_part, t))
        .and_then(|p| pkg.find(&p).map(str::to_string));
    let styles_doc = match &styles_part {
        Some(p) => Some(pkg.read_doc(p)?),
        None => None,
    };
    let mut styles = styles::Styles::new(styles_doc, opts.highlight);

    let replaced = match &list.replaces {
        Some(name) => sheets.iter().position(|s| &s.name == name),
        None => None,
    };

    // Marks by sheet.
    let mut not_placed = Vec::new();
    let mut moved = Vec::new();
    let mut by_sheet: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, m) in marks.iter().enumerate() {
        let found = sheets.iter().position(|s| s.name == m.sheet).or_else(|| {
            sheets
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(&m.sheet))
        });
        match found {
            Some(k)
                if sheets[k].is_worksheet && sheets[k].part.is_some() && Some(k) != replaced =>
            {
                by_sheet.entry(k).or_default().push(i)
            }
            _ => not_placed.push(i),
        }
    }

    let mut edits: HashMap<String, Edit> = HashMap::new();
    let mut new_parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut plans: HashMap<String, sheet::Plan> = HashMap::new();
    let mut vml_blocks: Vec<u32> = Vec::new();
    for name in pkg.names.clone() {
        if name.to_lowercase().ends_with(".vml") {
            vml_blocks.extend(notes::id_blocks(&pkg.read_text(&name).unwrap_or_default()));
        }
    }

    for (k, s) in sheets.iter().enumerate() {
        let Some(part) = s.part.clone() else { continue };
        if Some(k) == replaced {
            continue;
        }
        let mine: Vec<usize> = by_sheet.get(&k).cloned().unwrap_or_default();
        // Where each mark lands: a cell inside a merged area shows nothing,
        // so its area's first cell is marked instead.
        let mut cells: Vec<(u32, u16)> =
            mine.iter().map(|&i| (marks[i].row, marks[i].col)).collect();
        let mut scan = scan_part(&mut pkg, &part, &cells)?;
        let mut remapped = false;
        for (j, &i) in mine.iter().enumerate() {
            let (r, c) = cells[j];
            if let Some(&(r0, c0, _, _)) = scan.merged.iter().find(|(r0, c0, r1, c1)| {
                (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c) && (r, c) != (*r0, *c0)
            }) {
                cells[j] = (r0, c0);
                moved.push(i);
                remapped = true;
            }
        }
        if remapped {
            scan = scan_part(&mut pkg, &part, &cells)?;
        }
        if mine.is_empty() {
            if scan.tab_selected {
                plans.insert(part.to_lowercase(), plan(&scan, BTreeMap::new(), None));
            }
            continue;
        }
        let mut formats = BTreeMap::new();
        for (j, &i) in mine.iter().enumerate() {
            let cell = cells[j];
            if marks[i].fill {
                let base = scan.formats.get(&cell).copied().unwrap_or(0);
                formats.insert(cell, styles.highlighted(base));
            }
        }
        // Notes: one per cell, the texts of marks on the same cell joined.
        let mut texts: BTreeMap<(u32, u16), Vec<&str>> = BTreeMap::new();
        for (j, &i) in mine.iter().enumerate() {
            texts.entry(cells[j]).or_default().push(&marks[i].note);
        }
        let joined: Vec<(u32, u16, String)> = texts
            .into_iter()
            .map(|((r, c), t)| (r, c, t.join("\n\n")))
            .collect();
        let note_list: Vec<notes::Note> = joined
            .iter()
            .map(|(r, c, t)| notes::Note {
                row: *r,
                col: *c,
                text: t,
            })
            .collect();
        let mut rels = read_rels(&mut pkg, &part)?;
        let rels_name = rels_of(&part);
        let planned: Vec<String> = new_parts.iter().map(|(n, _)| n.clone()).collect();
        let existing_comments = rels_of_kind(&rels, "comments")
            .first()
            .map(|(_, t)| resolve(&part, t))
            .and_then(|p| pkg.find(&p).map(str::to_string));
        let comments_doc = match &existing_comments {
            Some(p) => Some(pkg.read_doc(p)?),
            None => None,
        };
        let (comments_xml, need_shapes) =
            notes::merge_comments(comments_doc, &note_list, &opts.author);
        match &existing_comments {
            Some(p) => {
                edits.insert(p.to_lowercase(), Edit::Bytes(comments_xml.into_bytes()));
            }
            None => {
                let p = package::free_name(&pkg, &planned, "xl", "comments", "xml");
                add_rel(
                    &mut rels,
                    &format!("{REL}/comments"),
                    &package::relative(&part, &p),
                );
                add_override(&mut types, &p, package::CT_COMMENTS);
                new_parts.push((p, comments_xml.into_bytes()));
            }
        }
        let widths = notes::Widths {
            default: scan.default_width.unwrap_or(8.43),
            cols: scan.widths.clone(),
        };
        let shapes: Vec<(u32, u16, &str)> = joined
            .iter()
            .filter(|(r, c, _)| need_shapes.contains(&(*r, *c)))
            .map(|(r, c, t)| (*r, *c, t.as_str()))
            .collect();
        let mut add_drawing = None;
        let existing_vml = scan
            .legacy_drawing
            .as_deref()
            .and_then(|id| rel_target(&rels, id))
            .map(|t| resolve(&part, t))
            .and_then(|p| pkg.find(&p).map(str::to_string));
        match (&scan.legacy_drawing, existing_vml) {
            (Some(_), Some(v)) => {
                let text = pkg.read_text(&v)?;
                let more = notes::add_to_vml(&text, &shapes, &widths).ok_or_else(|| {
                    MarkupError::Damaged {
                        part: v.clone(),
                        why: "the drawing of its notes has no end".into(),
                    }
                })?;
                edits.insert(v.to_lowercase(), Edit::Bytes(more.into_bytes()));
            }
            (Some(id), None) => {
                return Err(MarkupError::Missing(format!(
                    "the notes drawing {id} of {part}"
                )));
            }
            (None, _) => {
                let block = (1..).find(|b| !vml_blocks.contains(b)).unwrap_or(1);
                vml_blocks.push(block);
                let planned: Vec<String> = new_parts.iter().map(|(n, _)| n.clone()).collect();
                let v = package::free_name(&pkg, &planned, "xl/drawings", "vmlDrawing", "vml");
                let id = add_rel(
                    &mut rels,
                    &format!("{REL}/vmlDrawing"),
                    &package::relative(&part, &v),
                );
                package::ensure_default(&mut types, "vml", package::CT_VML);
                new_parts.push((v, notes::new_vml(block, &shapes, &widths).into_bytes()));
                add_drawing = Some(id);
            }
        }
        let rels_bytes = rels.to_xml().into_bytes();
        match pkg.find(&rels_name) {
            Some(n) => {
                edits.insert(n.to_lowercase(), Edit::Bytes(rels_bytes));
            }
            None => new_parts.push((rels_name, rels_bytes)),
        }
        plans.insert(part.to_lowercase(), plan(&scan, formats, add_drawing));
    }

    // The list of problems, first.
    let planned: Vec<String> = new_parts.iter().map(|(n, _)| n.clone()).collect();
    let list_part = package::free_name(&pkg, &planned, "xl/worksheets", "sheet", "xml");
    let (list_xml, heading_row) = problems::sheet_xml(list, &mut styles);
    let rid = add_rel(
        &mut wb_rels,
        &format!("{REL}/worksheet"),
        &package::relative(&wb_part, &list_part),
    );
    add_override(&mut types, &list_part, package::CT_WORKSHEET);
    if let Some(k) = replaced
        && let Some(old) = &sheets[k].part
    {
        edits.insert(old.to_lowercase(), Edit::Drop);
        package::remove_override(&mut types, old);
        if let Some(r) = pkg.find(&rels_of(old)) {
            edits.insert(r.to_lowercase(), Edit::Drop);
        }
        wb_rels.root.children.retain(|n| {
            !matches!(n, xml::Node::Element(e) if e.attr("Target").map(|t| resolve(&wb_part, t).eq_ignore_ascii_case(old)).unwrap_or(false))
        });
    }
    workbook::insert_first(&mut wb, &list.name, &rid, replaced, heading_row)?;
    new_parts.push((list_part, list_xml.into_bytes()));
    if let Some(app) = pkg.find("docProps/app.xml").map(str::to_string)
        && let Ok(mut doc) = pkg.read_doc(&app)
    {
        let first_old = sheets
            .iter()
            .enumerate()
            .find(|(i, _)| Some(*i) != replaced)
            .map(|(_, s)| s.name.as_str());
        workbook::update_app(
            &mut doc,
            &list.name,
            first_old,
            replaced.map(|k| sheets[k].name.as_str()),
        );
        edits.insert(app.to_lowercase(), Edit::Bytes(doc.to_xml().into_bytes()));
    }

    // The stylesheet, and the parts that name everything.
    let styles_xml = styles.finish().into_bytes();
    match &styles_part {
        Some(p) => {
            edits.insert(p.to_lowercase(), Edit::Bytes(styles_xml));
        }
        None => {
            add_rel(
                &mut wb_rels,
                &format!("{REL}/styles"),
                &package::relative(&wb_part, "xl/styles.xml"),
            );
            add_override(&mut types, "xl/styles.xml", package::CT_STYLES);
            new_parts.push(("xl/styles.xml".into(), styles_xml));
        }
    }
    // Excel expects a theme, and LibreOffice does not write one: the
    // standard Office theme (rust_xlsxwriter's) changes nothing a workbook
    // without one shows.
    if rels_of_kind(&wb_rels, "theme").is_empty() {
        let planned: Vec<String> = new_parts.iter().map(|(n, _)| n.clone()).collect();
        let theme = package::free_name(&pkg, &planned, "xl/theme", "theme", "xml");
        add_rel(
            &mut wb_rels,
            &format!("{REL}/theme"),
            &package::relative(&wb_part, &theme),
        );
        add_override(&mut types, &theme, package::CT_THEME);
        new_parts.push((theme, standard_theme()?));
    }
    edits.insert(
        wb_part.to_lowercase(),
        Edit::Bytes(wb.to_xml().into_bytes()),
    );
    let wb_rels_bytes = wb_rels.to_xml().into_bytes();
    match pkg.find(&rels_of(&wb_part)) {
        Some(n) => {
            edits.insert(n.to_lowercase(), Edit::Bytes(wb_rels_bytes));
        }
        None => new_parts.push((rels_of(&wb_part), wb_rels_bytes)),
    }
    package::ensure_default(&mut types, "rels", package::CT_RELS);
    edits.insert(
        types_name.to_lowercase(),
        Edit::Bytes(types.to_xml().into_bytes()),
    );

    let streamed: HashSet<String> = plans.keys().cloned().collect();
    let mut stream = |name: &str, pkg: &mut Package, out: &mut dyn std::io::Write| {
        let plan = plans
            .get(&name.to_lowercase())
            .ok_or_else(|| MarkupError::Missing(name.to_string()))?;
        let input = BufReader::new(pkg.stream(name)?);
        sheet::rewrite(input, name, plan, out)
    };
    let bytes = package::write(&mut pkg, &edits, &streamed, &mut stream, &new_parts)?;
    Ok(Marked {
        bytes,
        not_placed,
        moved,
    })
}

/// The theme part of a new rust_xlsxwriter workbook.
fn standard_theme() -> Result<Vec<u8>, MarkupError> {
    let blank = rust_xlsxwriter::Workbook::new()
        .save_to_buffer()
        .map_err(|e| MarkupError::Write(e.to_string()))?;
    let mut pkg = Package::open(&blank)?;
    Ok(pkg.read_text("xl/theme/theme1.xml")?.into_bytes())
}

fn scan_part(pkg: &mut Package, part: &str, cells: &[(u32, u16)]) -> Result<Scan, MarkupError> {
    let input = BufReader::new(pkg.stream(part)?);
    sheet::scan(input, part, cells)
}

fn plan(scan: &Scan, cells: BTreeMap<(u32, u16), u32>, add_drawing: Option<String>) -> sheet::Plan {
    sheet::Plan {
        cells,
        add_legacy_drawing: add_drawing,
        deselect: scan.tab_selected,
        scan_prefix: scan.prefix.clone(),
        rel_prefix: scan.rel_prefix.clone(),
    }
}

#[cfg(test)]
mod tests;
