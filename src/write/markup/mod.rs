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

mod annotate;
mod notes;
mod package;
mod problems;
mod record;
mod sheet;
mod strings;
mod styles;
mod threads;
mod unmark;
mod vml;
mod workbook;
mod xml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufReader;

pub use problems::{Cell, Column, Line, LineKind, ProblemsSheet};
pub use workbook::valid_sheet_name;
pub use xml::unescape;

use package::{
    Changes, Edit, Package, add_override, add_rel, read_rels, rels_of, rels_of_kind, resolve,
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

    let mut changes = Changes::default();
    let mut plans: HashMap<String, sheet::Plan> = HashMap::new();
    let mut vml_blocks: Vec<u32> = Vec::new();
    for name in pkg.names.clone() {
        if name.to_lowercase().ends_with(".vml") {
            let vml = pkg.read_text(&name).unwrap_or_default();
            vml_blocks.extend(vml::id_blocks(&vml));
            // (A drawing marked below is edited again from the original.)
            if let Some(once) = vml::one_shapetype_each(&vml) {
                changes.edit(&name, once.into_bytes());
            }
        }
    }
    // An earlier feedback's highlights, and the formats they go back to.
    let mut root_rels = root_rels;
    let custom_part = rels_of_kind(&root_rels, "custom-properties")
        .first()
        .map(|(_, t)| resolve("", t))
        .and_then(|p| pkg.find(&p).map(str::to_string));
    let custom = match &custom_part {
        Some(p) => Some(pkg.read_doc(p)?),
        None => None,
    };
    let recorded = custom.as_ref().map(record::read).unwrap_or_default();
    let is_feedback = !recorded.is_empty() || replaced.is_some();
    let originals = unmark::originals(&mut styles, &recorded, is_feedback);
    let watch: HashSet<u32> = originals.keys().copied().collect();
    let mut replied = false;

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
        let mut scan = scan_part(&mut pkg, &part, &cells, &watch)?;
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
            scan = scan_part(&mut pkg, &part, &cells, &watch)?;
        }
        // Cells put right since the earlier feedback get their own format
        // back; those still wrong keep (or get) the highlight.
        let mut formats: BTreeMap<(u32, u16), u32> = scan
            .watched
            .iter()
            .filter_map(|(cell, h)| Some((*cell, *originals.get(h)?)))
            .collect();
        for (j, &i) in mine.iter().enumerate() {
            let cell = cells[j];
            if marks[i].fill {
                let shown = scan.formats.get(&cell).copied().unwrap_or(0);
                let base = originals.get(&shown).copied().unwrap_or(shown);
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
        let sheet_notes = annotate::SheetNotes {
            part: &part,
            number: k,
            notes: &joined,
        };
        let done = annotate::annotate(
            &mut pkg,
            &sheet_notes,
            &scan,
            &opts.author,
            &mut types,
            &mut changes,
            &mut vml_blocks,
        )?;
        replied |= done.replied;
        if formats.is_empty() && done.add_drawing.is_none() && !scan.tab_selected {
            continue;
        }
        plans.insert(part.to_lowercase(), plan(&scan, formats, done.add_drawing));
    }
    if replied {
        add_our_person(
            &mut pkg,
            &wb_part,
            &mut wb_rels,
            &mut types,
            &mut changes,
            &opts.author,
        )?;
    }

    // The list of problems, first.
    let list_part = changes.free_name(&pkg, "xl/worksheets", "sheet", "xml");
    let (mut strings, empty_table) = list_strings(&mut pkg, &wb_part, &wb_rels)?;
    let (list_xml, heading_row) = problems::sheet_xml(list, &mut styles, &mut strings);
    if let Some(sst) = strings.part(strings::Strings::uses(&list_xml)) {
        match empty_table {
            Some(empty) => changes.edit(&empty, sst.into_bytes()),
            None => {
                // Excel's own name for it, which some readers expect.
                let p = match pkg.find("xl/sharedStrings.xml") {
                    None => "xl/sharedStrings.xml".to_string(),
                    Some(_) => changes.free_name(&pkg, "xl", "sharedStrings", "xml"),
                };
                add_rel(
                    &mut wb_rels,
                    &format!("{REL}/sharedStrings"),
                    &package::relative(&wb_part, &p),
                );
                add_override(&mut types, &p, strings::CT_SHARED_STRINGS);
                changes.new_parts.push((p, sst.into_bytes()));
            }
        }
    }
    let rid = add_rel(
        &mut wb_rels,
        &format!("{REL}/worksheet"),
        &package::relative(&wb_part, &list_part),
    );
    add_override(&mut types, &list_part, package::CT_WORKSHEET);
    if let Some(k) = replaced
        && let Some(old) = &sheets[k].part
    {
        changes.edits.insert(old.to_lowercase(), Edit::Drop);
        package::remove_override(&mut types, old);
        if let Some(r) = pkg.find(&rels_of(old)) {
            changes.edits.insert(r.to_lowercase(), Edit::Drop);
        }
        wb_rels.root.children.retain(|n| {
            !matches!(n, xml::Node::Element(e) if e.attr("Target").map(|t| resolve(&wb_part, t).eq_ignore_ascii_case(old)).unwrap_or(false))
        });
    }
    workbook::insert_first(&mut wb, &list.name, &rid, replaced, heading_row)?;
    changes.new_parts.push((list_part, list_xml.into_bytes()));
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
        changes.edit(&app, doc.to_xml().into_bytes());
    }

    // Which formats are highlights, for the next time round.
    let record = styles.record();
    if record != recorded
        && let Some(doc) = record::write(custom, &record)
    {
        let p = custom_part.unwrap_or_else(|| "docProps/custom.xml".to_string());
        if pkg.find(&p).is_none() {
            add_rel(&mut root_rels, record::REL_CUSTOM, &p);
            add_override(&mut types, &p, record::CT_CUSTOM);
            changes.edit(&rels_of(""), root_rels.to_xml().into_bytes());
        }
        changes.put(&pkg, &p, doc.to_xml().into_bytes());
    }

    // The stylesheet, and the parts that name everything.
    let styles_xml = styles.finish().into_bytes();
    match &styles_part {
        Some(p) => changes.edit(p, styles_xml),
        None => {
            add_rel(
                &mut wb_rels,
                &format!("{REL}/styles"),
                &package::relative(&wb_part, "xl/styles.xml"),
            );
            add_override(&mut types, "xl/styles.xml", package::CT_STYLES);
            changes.new_parts.push(("xl/styles.xml".into(), styles_xml));
        }
    }
    // Excel expects a theme, and LibreOffice does not write one: the
    // standard Office theme (rust_xlsxwriter's) changes nothing a workbook
    // without one shows.
    if rels_of_kind(&wb_rels, "theme").is_empty() {
        let theme = changes.free_name(&pkg, "xl/theme", "theme", "xml");
        add_rel(
            &mut wb_rels,
            &format!("{REL}/theme"),
            &package::relative(&wb_part, &theme),
        );
        add_override(&mut types, &theme, package::CT_THEME);
        changes.new_parts.push((theme, standard_theme()?));
    }
    changes.edit(&wb_part, wb.to_xml().into_bytes());
    changes.put(&pkg, &rels_of(&wb_part), wb_rels.to_xml().into_bytes());
    package::ensure_default(&mut types, "rels", package::CT_RELS);
    changes.edit(&types_name, types.to_xml().into_bytes());

    let streamed: HashSet<String> = plans.keys().cloned().collect();
    let mut stream = |name: &str, pkg: &mut Package, out: &mut dyn std::io::Write| {
        let plan = plans
            .get(&name.to_lowercase())
            .ok_or_else(|| MarkupError::Missing(name.to_string()))?;
        let input = BufReader::new(pkg.stream(name)?);
        sheet::rewrite(input, name, plan, out)
    };
    let bytes = package::write(
        &mut pkg,
        &changes.edits,
        &streamed,
        &mut stream,
        &changes.new_parts,
    )?;
    Ok(Marked {
        bytes,
        not_placed,
        moved,
    })
}

/// Lists our person in the workbook's list of people (made when there is
/// none), for replies of ours in conversations.
fn add_our_person(
    pkg: &mut Package,
    wb_part: &str,
    wb_rels: &mut xml::Document,
    types: &mut xml::Document,
    changes: &mut Changes,
    author: &str,
) -> Result<(), MarkupError> {
    let existing = rels_of_kind(wb_rels, "person")
        .first()
        .map(|(_, t)| resolve(wb_part, t))
        .and_then(|p| pkg.find(&p).map(str::to_string));
    match existing {
        Some(p) => {
            let doc = threads::with_our_person(Some(pkg.read_doc(&p)?), author);
            changes.edit(&p, doc.to_xml().into_bytes());
        }
        None => {
            let p = changes.free_name(pkg, "xl/persons", "person", "xml");
            add_rel(
                wb_rels,
                threads::REL_PERSON,
                &package::relative(wb_part, &p),
            );
            add_override(types, &p, threads::CT_PERSON);
            let doc = threads::with_our_person(None, author);
            changes.new_parts.push((p, doc.to_xml().into_bytes()));
        }
    }
    Ok(())
}

/// How the list writes its text (see [`strings`]), and the workbook's
/// empty shared-strings part that a new table replaces.
fn list_strings(
    pkg: &mut Package,
    wb_part: &str,
    wb_rels: &xml::Document,
) -> Result<(strings::Strings, Option<String>), MarkupError> {
    let part = rels_of_kind(wb_rels, "sharedStrings")
        .first()
        .map(|(_, t)| resolve(wb_part, t))
        .and_then(|p| pkg.find(&p).map(str::to_string));
    Ok(match part {
        None => (strings::Strings::shared(), None),
        Some(p) => {
            let input = BufReader::new(pkg.stream(&p)?);
            if strings::has_items(input, &p)? {
                (strings::Strings::inline(), None)
            } else {
                (strings::Strings::shared(), Some(p))
            }
        }
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

fn scan_part(
    pkg: &mut Package,
    part: &str,
    cells: &[(u32, u16)],
    watch: &HashSet<u32>,
) -> Result<Scan, MarkupError> {
    let input = BufReader::new(pkg.stream(part)?);
    sheet::scan(input, part, cells, watch)
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
