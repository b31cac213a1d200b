//! The zip package of an .xlsx: its parts by name (names are
//! case-insensitive in the packaging convention), the relationships between
//! them, the content types, and writing the edited package: parts not
//! edited are checked (their CRC) and copied as compressed, byte for byte.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::MarkupError;
use super::xml::{Document, Element, local};

/// No part we read whole may unpack to more than this; a sheet part,
/// streamed, no more than `MAX_STREAMED`.
const MAX_WHOLE: u64 = 64 << 20;
pub const MAX_STREAMED: u64 = 512 << 20;
const MAX_PARTS: usize = 10_000;

pub const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Part names in the order of the archive.
    pub names: Vec<String>,
    by_lower: HashMap<String, usize>,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, MarkupError> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| MarkupError::NotAPackage(e.to_string()))?;
        if zip.len() > MAX_PARTS {
            return Err(MarkupError::NotAPackage(format!(
                "it has {} parts",
                zip.len()
            )));
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut by_lower = HashMap::new();
        for (i, n) in zip.file_names_raw().enumerate() {
            let name = String::from_utf8_lossy(n).into_owned();
            if by_lower.insert(name.to_lowercase(), i).is_some() {
                return Err(MarkupError::NotAPackage(format!(
                    "two parts are named {name}"
                )));
            }
            names.push(name);
        }
        // file_names_raw follows the central directory; keep that order.
        Ok(Package {
            zip,
            names,
            by_lower,
        })
    }

    /// The part's name as stored, found without regard to case.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.by_lower
            .get(&name.trim_start_matches('/').to_lowercase())
            .map(|i| self.names[*i].as_str())
    }

    fn index(&self, name: &str) -> Result<usize, MarkupError> {
        self.by_lower
            .get(&name.trim_start_matches('/').to_lowercase())
            .copied()
            .ok_or_else(|| MarkupError::Missing(name.to_string()))
    }

    /// A part read whole, as text.
    pub fn read_text(&mut self, name: &str) -> Result<String, MarkupError> {
        let i = self.index(name)?;
        let mut f = self
            .zip
            .by_index(i)
            .map_err(|e| damaged(name, e.to_string()))?;
        if f.encrypted() {
            return Err(damaged(name, "it is encrypted".into()));
        }
        let mut buf = Vec::new();
        (&mut f)
            .take(MAX_WHOLE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| damaged(name, e.to_string()))?;
        if buf.len() as u64 > MAX_WHOLE {
            return Err(damaged(name, "it is too large to edit".into()));
        }
        // A byte-order mark is allowed before the declaration.
        let text =
            String::from_utf8(buf).map_err(|_| damaged(name, "it is not UTF-8 text".into()))?;
        Ok(text.trim_start_matches('\u{feff}').to_string())
    }

    pub fn read_doc(&mut self, name: &str) -> Result<Document, MarkupError> {
        let text = self.read_text(name)?;
        Document::parse(&text, name)
    }

    /// A part unpacked for streaming (bounded).
    pub fn stream(&mut self, name: &str) -> Result<impl Read + '_, MarkupError> {
        let i = self.index(name)?;
        let f = self
            .zip
            .by_index(i)
            .map_err(|e| damaged(name, e.to_string()))?;
        if f.encrypted() {
            return Err(damaged(name, "it is encrypted".into()));
        }
        Ok(f.take(MAX_STREAMED))
    }

    /// Copies a part unchanged, after checking that it unpacks whole.
    fn copy_raw(
        &mut self,
        i: usize,
        out: &mut ZipWriter<Cursor<Vec<u8>>>,
    ) -> Result<(), MarkupError> {
        let name = self.names[i].clone();
        {
            let mut f = self
                .zip
                .by_index(i)
                .map_err(|e| damaged(&name, e.to_string()))?;
            if !f.is_dir() {
                std::io::copy(&mut (&mut f).take(MAX_STREAMED), &mut std::io::sink())
                    .map_err(|e| damaged(&name, e.to_string()))?;
            }
        }
        let f = self
            .zip
            .by_index_raw(i)
            .map_err(|e| damaged(&name, e.to_string()))?;
        out.raw_copy_file(f)
            .map_err(|e| MarkupError::Write(e.to_string()))
    }
}

fn damaged(part: &str, why: String) -> MarkupError {
    MarkupError::Damaged {
        part: part.to_string(),
        why,
    }
}

/// What becomes of a part in the edited package.
pub enum Edit {
    /// New content for the part.
    Bytes(Vec<u8>),
    /// Left out (a part replaced by another).
    Drop,
}

/// The parts an edit replaces, drops or adds, gathered before the package
/// is written.
#[derive(Default)]
pub struct Changes {
    /// By lower-case part name.
    pub edits: HashMap<String, Edit>,
    pub new_parts: Vec<(String, Vec<u8>)>,
}

impl Changes {
    /// A part name in neither the package nor the new parts.
    pub fn free_name(&self, pkg: &Package, dir: &str, stem: &str, ext: &str) -> String {
        let planned: Vec<String> = self.new_parts.iter().map(|(n, _)| n.clone()).collect();
        free_name(pkg, &planned, dir, stem, ext)
    }

    /// New content for a part of the package, or a new part.
    pub fn put(&mut self, pkg: &Package, name: &str, bytes: Vec<u8>) {
        match pkg.find(name) {
            Some(n) => {
                self.edits.insert(n.to_lowercase(), Edit::Bytes(bytes));
            }
            None => self.new_parts.push((name.to_string(), bytes)),
        }
    }

    /// New content for a part of the package.
    pub fn edit(&mut self, name: &str, bytes: Vec<u8>) {
        self.edits.insert(name.to_lowercase(), Edit::Bytes(bytes));
    }
}

/// A part rewritten as it is read: the part's name, the package to read it
/// from, and where to write it.
pub type Streamer<'s> =
    dyn FnMut(&str, &mut Package, &mut dyn Write) -> Result<(), MarkupError> + 's;

/// Writes the edited package: the original parts in their order (edited
/// ones replaced, those named in `streamed` produced by `stream`), then the
/// new parts. Keys are lower-case part names.
pub fn write(
    pkg: &mut Package,
    edits: &HashMap<String, Edit>,
    streamed: &HashSet<String>,
    stream: &mut Streamer,
    new_parts: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, MarkupError> {
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let werr = |e: zip::result::ZipError| MarkupError::Write(e.to_string());
    for i in 0..pkg.names.len() {
        let name = pkg.names[i].clone();
        match edits.get(&name.to_lowercase()) {
            Some(Edit::Drop) => continue,
            Some(Edit::Bytes(b)) => {
                out.start_file(name.as_str(), options).map_err(werr)?;
                out.write_all(b)
                    .map_err(|e| MarkupError::Write(e.to_string()))?;
                continue;
            }
            None => {}
        }
        if streamed.contains(&name.to_lowercase()) {
            out.start_file(name.as_str(), options).map_err(werr)?;
            stream(&name, pkg, &mut out)?;
        } else {
            pkg.copy_raw(i, &mut out)?;
        }
    }
    for (name, bytes) in new_parts {
        out.start_file(name.as_str(), options).map_err(werr)?;
        out.write_all(bytes)
            .map_err(|e| MarkupError::Write(e.to_string()))?;
    }
    Ok(out.finish().map_err(werr)?.into_inner())
}

/// Where the relationships of a part are kept.
pub fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The part a relationship's target names, from the part that holds it.
pub fn resolve(source: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or("");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        source
            .rsplit_once('/')
            .map_or(Vec::new(), |(d, _)| d.split('/').collect())
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    // Targets may be percent-encoded (a space as %20).
    percent_decode(&parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The target to write in `source`'s relationships for `part`.
pub fn relative(source: &str, part: &str) -> String {
    let from: Vec<&str> = source
        .rsplit_once('/')
        .map_or(Vec::new(), |(d, _)| d.split('/').collect());
    let to: Vec<&str> = part.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

/// A part's relationships, or an empty set.
pub fn read_rels(pkg: &mut Package, part: &str) -> Result<Document, MarkupError> {
    let name = rels_of(part);
    match pkg.find(&name).map(str::to_string) {
        Some(n) => pkg.read_doc(&n),
        None => Ok(Document {
            prolog: Vec::new(),
            root: Element::new("Relationships").with_attr("xmlns", PKG_REL_NS),
        }),
    }
}

/// (id, type, target) of each relationship whose type ends with `/kind`.
pub fn rels_of_kind<'d>(rels: &'d Document, kind: &str) -> Vec<(&'d str, &'d str)> {
    let suffix = format!("/{kind}");
    rels.root
        .elements()
        .filter(|r| local(&r.name) == "Relationship")
        .filter(|r| r.attr("Type").is_some_and(|t| t.ends_with(&suffix)))
        .filter(|r| r.attr("TargetMode") != Some("External"))
        .filter_map(|r| Some((r.attr("Id")?, r.attr("Target")?)))
        .collect()
}

pub fn rel_target<'d>(rels: &'d Document, id: &str) -> Option<&'d str> {
    rels.root
        .elements()
        .find(|r| r.attr("Id") == Some(id))
        .and_then(|r| r.attr("Target"))
}

/// Adds a relationship and returns its new id.
pub fn add_rel(rels: &mut Document, kind_url: &str, target: &str) -> String {
    let taken: Vec<&str> = rels.root.elements().filter_map(|r| r.attr("Id")).collect();
    let id = (1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !taken.contains(&id.as_str()))
        .unwrap_or_default();
    let prefix = super::xml::prefix_of(&rels.root.name).to_string();
    rels.root.children.push(super::xml::Node::Element(
        Element::new(format!("{prefix}Relationship"))
            .with_attr("Id", id.clone())
            .with_attr("Type", kind_url)
            .with_attr("Target", target),
    ));
    id
}

pub const CT_WORKSHEET: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
pub const CT_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
pub const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
pub const CT_STYLES: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";
pub const CT_THEME: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
pub const CT_RELS: &str = "application/vnd.openxmlformats-package.relationships+xml";

/// Adds an override for a new part.
pub fn add_override(types: &mut Document, part: &str, content_type: &str) {
    let prefix = super::xml::prefix_of(&types.root.name).to_string();
    let name = format!("/{}", part.trim_start_matches('/'));
    types
        .root
        .children
        .retain(|n| !matches!(n, super::xml::Node::Element(e) if local(&e.name) == "Override" && e.attr("PartName").is_some_and(|p| p.eq_ignore_ascii_case(&name))));
    types.root.children.push(super::xml::Node::Element(
        Element::new(format!("{prefix}Override"))
            .with_attr("PartName", name)
            .with_attr("ContentType", content_type),
    ));
}

pub fn remove_override(types: &mut Document, part: &str) {
    let name = format!("/{}", part.trim_start_matches('/'));
    types.root.children.retain(|n| {
        !matches!(n, super::xml::Node::Element(e) if local(&e.name) == "Override" && e.attr("PartName").is_some_and(|p| p.eq_ignore_ascii_case(&name)))
    });
}

/// Makes sure parts with this extension have a content type.
pub fn ensure_default(types: &mut Document, ext: &str, content_type: &str) {
    let has = types.root.elements().any(|e| {
        local(&e.name) == "Default"
            && e.attr("Extension")
                .is_some_and(|x| x.eq_ignore_ascii_case(ext))
    });
    if !has {
        let prefix = super::xml::prefix_of(&types.root.name).to_string();
        // Defaults come before overrides.
        let at = types
            .root
            .children
            .iter()
            .position(|n| matches!(n, super::xml::Node::Element(e) if local(&e.name) == "Override"))
            .unwrap_or(types.root.children.len());
        types.root.children.insert(
            at,
            super::xml::Node::Element(
                Element::new(format!("{prefix}Default"))
                    .with_attr("Extension", ext)
                    .with_attr("ContentType", content_type),
            ),
        );
    }
}

/// A part name not yet used, in `dir`, as `stem` + number + `ext`.
pub fn free_name(pkg: &Package, planned: &[String], dir: &str, stem: &str, ext: &str) -> String {
    (1..)
        .map(|n| format!("{dir}/{stem}{n}.{ext}"))
        .find(|n| pkg.find(n).is_none() && !planned.iter().any(|p| p.eq_ignore_ascii_case(n)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_from_the_part_that_holds_them() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../drawings/vml%201.vml"),
            "xl/drawings/vml 1.vml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            relative("xl/worksheets/sheet1.xml", "xl/comments1.xml"),
            "../comments1.xml"
        );
        assert_eq!(
            relative("xl/workbook.xml", "xl/worksheets/sheet9.xml"),
            "worksheets/sheet9.xml"
        );
        assert_eq!(
            rels_of("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
    }

    #[test]
    fn new_relationships_get_free_ids() {
        let mut d = Document::parse(
            "<Relationships xmlns=\"x\"><Relationship Id=\"rId1\" Type=\"a/comments\" Target=\"c.xml\"/><Relationship Id=\"rId3\" Type=\"a/hyperlink\" Target=\"http://e\" TargetMode=\"External\"/></Relationships>",
            "r",
        )
        .unwrap();
        assert_eq!(add_rel(&mut d, "a/vmlDrawing", "v.vml"), "rId2");
        assert_eq!(add_rel(&mut d, "a/x", "x.xml"), "rId4");
        assert_eq!(rels_of_kind(&d, "comments"), [("rId1", "c.xml")]);
        assert!(
            rels_of_kind(&d, "hyperlink").is_empty(),
            "external targets are not parts"
        );
        assert_eq!(rel_target(&d, "rId2"), Some("v.vml"));
    }
}
