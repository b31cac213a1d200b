//! A worksheet part, streamed: a first pass learns what the marks need
//! (each marked cell's current format, merged areas, an existing notes
//! drawing), a second pass copies the part event by event, pointing the
//! marked cells at their highlighted formats (adding a cell that is not
//! there), and adding the reference to the notes drawing where the schema
//! puts it. Nothing else in the part changes.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::MarkupError;
use super::package::REL_NS;
use super::xml::{local, write_event};

/// The order of a worksheet's children in the schema.
pub const ORDER: &[&str] = &[
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// What the first pass learns.
#[derive(Debug, Default)]
pub struct Scan {
    /// The root element's prefix (`x:`), for elements we add.
    pub prefix: String,
    /// The prefix bound to the relationships namespace, if any.
    pub rel_prefix: Option<String>,
    /// The format of each asked-for cell as shown (its own, else its
    /// row's, else its column's).
    pub formats: BTreeMap<(u32, u16), u32>,
    /// Merged areas: (first row, first col, last row, last col).
    pub merged: Vec<(u32, u16, u32, u16)>,
    /// The relationship id of the notes drawing, if there is one.
    pub legacy_drawing: Option<String>,
    pub tab_selected: bool,
    /// Column widths (first col, last col, width) and the default width.
    pub widths: Vec<(u16, u16, f64)>,
    pub default_width: Option<f64>,
    /// Every cell whose own format is one of those watched for (the
    /// highlighted formats of an earlier feedback), with that format.
    pub watched: BTreeMap<(u32, u16), u32>,
}

type Xml<R> = Reader<R>;

fn damaged(part: &str, e: impl std::fmt::Display) -> MarkupError {
    MarkupError::Damaged {
        part: part.to_string(),
        why: e.to_string(),
    }
}

/// `B12` → (11, 1), both from zero.
pub fn parse_ref(r: &str) -> Option<(u32, u16)> {
    let r = r.trim_start_matches('$');
    let split = r.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32
    });
    let row: u32 = digits.trim_start_matches('$').parse().ok()?;
    (row >= 1 && (1..=16_384).contains(&col)).then(|| (row - 1, (col - 1) as u16))
}

pub fn cell_ref(row: u32, col: u16) -> String {
    let mut c = col as u32 + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8(letters).unwrap_or_default(),
        row + 1
    )
}

fn attr(s: &BytesStart, key: &str) -> Option<String> {
    s.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| super::xml::unescape(&a.value))
}

/// First pass: the formats of `cells`, merged areas, the drawing, and
/// the cells whose format is in `watch`.
pub fn scan<R: BufRead>(
    input: R,
    part: &str,
    cells: &[(u32, u16)],
    watch: &HashSet<u32>,
) -> Result<Scan, MarkupError> {
    let mut xml: Xml<R> = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut cols: Vec<(u16, u16, u32)> = Vec::new();
    let mut row_style: BTreeMap<u32, u32> = BTreeMap::new();
    let mut found: BTreeMap<(u32, u16), u32> = BTreeMap::new();
    let (mut row, mut col) = (0u32, 0u16);
    let mut next_row = 0u32;
    let wanted_rows: std::collections::BTreeSet<u32> = cells.iter().map(|c| c.0).collect();
    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(part, e))?;
        let (s, empty) = match &ev {
            Event::Eof => break,
            Event::DocType(_) => return Err(damaged(part, "it declares a document type")),
            Event::End(_) => {
                depth -= 1;
                buf.clear();
                continue;
            }
            Event::Start(s) => (s, false),
            Event::Empty(s) => (s, true),
            _ => {
                buf.clear();
                continue;
            }
        };
        let name = s.local_name().as_ref().to_string();
        if depth == 0 {
            out.prefix = super::xml::prefix_of(s.name().as_ref()).to_string();
            for a in s.attributes().flatten() {
                let key = a.key.as_ref().to_string();
                if a.value == REL_NS
                    && let Some(p) = key.strip_prefix("xmlns:")
                {
                    out.rel_prefix = Some(format!("{p}:"));
                }
            }
        }
        match (depth, name.as_str()) {
            (1, "sheetFormatPr") => {
                out.default_width = attr(s, "defaultColWidth")
                    .and_then(|v| v.parse().ok())
                    .or_else(|| {
                        attr(s, "baseColWidth")
                            .and_then(|v| v.parse::<f64>().ok())
                            .map(|w| w + 0.71)
                    });
            }
            (2, "col") => {
                let n = |k| attr(s, k).and_then(|v| v.parse::<u16>().ok());
                if let (Some(a), Some(b), Some(w)) = (
                    n("min"),
                    n("max"),
                    attr(s, "width").and_then(|v| v.parse().ok()),
                ) {
                    out.widths
                        .push((a.saturating_sub(1), b.saturating_sub(1), w));
                }
                if let (Some(a), Some(b), Some(st)) = (
                    n("min"),
                    n("max"),
                    attr(s, "style").and_then(|v| v.parse().ok()),
                ) {
                    cols.push((a.saturating_sub(1), b.saturating_sub(1), st));
                }
            }
            (2, "row") => {
                row = attr(s, "r")
                    .and_then(|r| r.parse::<u32>().ok())
                    .map_or(next_row, |r| r.saturating_sub(1));
                next_row = row + 1;
                col = 0;
                if wanted_rows.contains(&row)
                    && attr(s, "customFormat")
                        .as_deref()
                        .is_some_and(|v| v == "1" || v == "true")
                    && let Some(st) = attr(s, "s").and_then(|v| v.parse().ok())
                {
                    row_style.insert(row, st);
                }
            }
            (3, "c") => {
                let c = attr(s, "r")
                    .and_then(|r| parse_ref(&r))
                    .map_or(col, |(_, c)| c);
                col = c.saturating_add(1);
                let style = attr(s, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                if wanted_rows.contains(&row) {
                    found.insert((row, c), style);
                }
                if watch.contains(&style) {
                    out.watched.insert((row, c), style);
                }
            }
            (2, "mergeCell") => {
                if let Some((a, b)) = attr(s, "ref").and_then(|r| {
                    let (a, b) = r.split_once(':')?;
                    Some((parse_ref(a)?, parse_ref(b)?))
                }) {
                    out.merged
                        .push((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)));
                }
            }
            (1, "legacyDrawing") => {
                out.legacy_drawing = s
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id")
                    .map(|a| a.value.to_string());
            }
            (2, "sheetView") => {
                out.tab_selected |= attr(s, "tabSelected").is_some_and(|v| v == "1" || v == "true");
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
        buf.clear();
    }
    for &(r, c) in cells {
        let f = found
            .get(&(r, c))
            .copied()
            .or_else(|| row_style.get(&r).copied())
            .or_else(|| {
                cols.iter()
                    .find(|(a, b, _)| (*a..=*b).contains(&c))
                    .map(|(_, _, s)| *s)
            });
        out.formats.insert((r, c), f.unwrap_or(0));
    }
    Ok(out)
}

/// What the second pass changes.
pub struct Plan {
    /// Marked cells and the format each is given.
    pub cells: BTreeMap<(u32, u16), u32>,
    /// The relationship id of a notes drawing to refer to, when the part
    /// has none yet.
    pub add_legacy_drawing: Option<String>,
    /// Unselect the sheet's tab (another sheet opens first).
    pub deselect: bool,
    pub scan_prefix: String,
    pub rel_prefix: Option<String>,
}

struct Out<'w> {
    buf: Vec<u8>,
    sink: &'w mut dyn Write,
}

impl Out<'_> {
    fn flush_if_full(&mut self) -> Result<(), MarkupError> {
        if self.buf.len() > 1 << 16 {
            self.flush()?;
        }
        Ok(())
    }
    fn flush(&mut self) -> Result<(), MarkupError> {
        self.sink
            .write_all(&self.buf)
            .map_err(|e| MarkupError::Write(e.to_string()))?;
        self.buf.clear();
        Ok(())
    }
    fn str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }
}

/// A start tag with some attributes replaced, dropped or added; the rest
/// kept as written.
fn retag(s: &BytesStart, set: &[(&str, Option<&str>)], empty: bool) -> String {
    let mut t = String::from("<");
    t.push_str(s.name().as_ref());
    for a in s.attributes().flatten() {
        let key = a.key.as_ref().to_string();
        if set.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let q = if a.value.contains('"') { '\'' } else { '"' };
        t.push_str(&format!(" {key}={q}{}{q}", a.value));
    }
    for (k, v) in set {
        if let Some(v) = v {
            t.push_str(&format!(" {k}=\"{}\"", super::xml::escape_attr(v)));
        }
    }
    t.push_str(if empty { "/>" } else { ">" });
    t
}

/// Second pass: copies the part with the plan applied.
pub fn rewrite<R: BufRead>(
    input: R,
    part: &str,
    plan: &Plan,
    sink: &mut dyn Write,
) -> Result<(), MarkupError> {
    let mut xml: Xml<R> = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = Out {
        buf: Vec::new(),
        sink,
    };
    let p = plan.scan_prefix.as_str();
    let mut pending: BTreeMap<(u32, u16), u32> = plan.cells.clone();
    let mut drawing_pending = plan.add_legacy_drawing.is_some();
    let legacy_rank = ORDER
        .iter()
        .position(|o| *o == "legacyDrawing")
        .unwrap_or(0);
    let mut depth = 0usize;
    let mut next_row = 0u32;
    let mut row: Option<u32> = None;
    let mut col = 0u16;
    // An mc:AlternateContent at the top level, held until its rank is known.
    let mut held: Option<Vec<Event<'static>>> = None;
    let mut held_depth = 0usize;

    let new_cell = |out: &mut Out, r: u32, c: u16, s: u32| {
        out.str(&format!("<{p}c r=\"{}\" s=\"{s}\"/>", cell_ref(r, c)));
    };
    let drawing_tag = || {
        let id = plan.add_legacy_drawing.as_deref().unwrap_or_default();
        match &plan.rel_prefix {
            Some(r) => format!("<{p}legacyDrawing {r}id=\"{id}\"/>"),
            None => format!("<{p}legacyDrawing xmlns:r=\"{REL_NS}\" r:id=\"{id}\"/>"),
        }
    };
    // Rows with marks but no element, before row `before` (or all).
    let rows_before =
        |out: &mut Out, pending: &mut BTreeMap<(u32, u16), u32>, before: Option<u32>| {
            // A range, not a filter: every row of a sheet asks this.
            let keys: Vec<(u32, u16)> = match before {
                Some(b) => pending.range(..(b, 0)).map(|(k, _)| *k).collect(),
                None => pending.keys().copied().collect(),
            };
            let mut last = None;
            for (r, c) in keys {
                if last != Some(r) {
                    if last.is_some() {
                        out.str(&format!("</{p}row>"));
                    }
                    out.str(&format!("<{p}row r=\"{}\">", r + 1));
                    last = Some(r);
                }
                let s = pending.remove(&(r, c)).unwrap_or(0);
                new_cell(out, r, c, s);
            }
            if last.is_some() {
                out.str(&format!("</{p}row>"));
            }
        };

    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(part, e))?;
        if let Some(h) = held.as_mut() {
            match &ev {
                Event::Start(_) => held_depth += 1,
                Event::End(_) => held_depth -= 1,
                Event::Eof => return Err(damaged(part, "it ends inside an element")),
                _ => {}
            }
            h.push(ev.into_owned());
            if held_depth == 0 {
                let events = held.take().unwrap_or_default();
                if drawing_pending && alternate_rank(&events) > legacy_rank {
                    out.str(&drawing_tag());
                    drawing_pending = false;
                }
                for e in &events {
                    write_event(e, &mut out.buf);
                }
            }
            buf.clear();
            continue;
        }
        match &ev {
            Event::Eof => break,
            Event::DocType(_) => return Err(damaged(part, "it declares a document type")),
            Event::Start(s) | Event::Empty(s) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = s.local_name().as_ref().to_string();
                if depth == 1 && drawing_pending {
                    if name == "AlternateContent" && !empty {
                        held = Some(vec![ev.clone().into_owned()]);
                        held_depth = 1;
                        buf.clear();
                        continue;
                    }
                    let rank = ORDER.iter().position(|o| *o == name).unwrap_or(0);
                    if rank > legacy_rank {
                        out.str(&drawing_tag());
                        drawing_pending = false;
                    }
                }
                match (depth, name.as_str()) {
                    (1, "sheetData") if empty => {
                        out.str(&retag(s, &[], false));
                        rows_before(&mut out, &mut pending, None);
                        out.str(&format!("</{}>", s.name().as_ref()));
                    }
                    (2, "row") => {
                        let r = attr(s, "r")
                            .and_then(|v| v.parse::<u32>().ok())
                            .map_or(next_row, |v| v.saturating_sub(1));
                        next_row = r + 1;
                        col = 0;
                        rows_before(&mut out, &mut pending, Some(r));
                        let marks_here = pending.range((r, 0)..=(r, u16::MAX)).next().is_some();
                        if marks_here {
                            // The row's span hint would no longer cover it.
                            out.str(&retag(s, &[("spans", None)], false));
                            if empty {
                                close_row(&mut out, &mut pending, r, p, &new_cell);
                                out.str(&format!("</{}>", s.name().as_ref()));
                            } else {
                                row = Some(r);
                            }
                        } else {
                            write_event(&ev, &mut out.buf);
                            row = (!empty).then_some(r);
                        }
                    }
                    (3, "c") if row.is_some() => {
                        let r = row.unwrap_or(0);
                        let c = attr(s, "r")
                            .and_then(|v| parse_ref(&v))
                            .map_or(col, |(_, c)| c);
                        col = c.saturating_add(1);
                        let before: Vec<(u32, u16)> =
                            pending.range((r, 0)..(r, c)).map(|(k, _)| *k).collect();
                        for k in before {
                            let st = pending.remove(&k).unwrap_or(0);
                            new_cell(&mut out, k.0, k.1, st);
                        }
                        match pending.remove(&(r, c)) {
                            Some(st) => out.str(&retag(s, &[("s", Some(&st.to_string()))], empty)),
                            None => write_event(&ev, &mut out.buf),
                        }
                    }
                    (2, "sheetView") if plan.deselect => {
                        out.str(&retag(s, &[("tabSelected", None)], empty))
                    }
                    (1, "dimension") if !plan.cells.is_empty() => {
                        let grown = attr(s, "ref").and_then(|r| grow(&r, &plan.cells));
                        match grown {
                            Some(r) => out.str(&retag(s, &[("ref", Some(&r))], empty)),
                            None => write_event(&ev, &mut out.buf),
                        }
                    }
                    _ => write_event(&ev, &mut out.buf),
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth -= 1;
                let name = e.local_name().as_ref().to_string();
                match (depth, name.as_str()) {
                    (2, "row") => {
                        if let Some(r) = row.take() {
                            close_row(&mut out, &mut pending, r, p, &new_cell);
                        }
                    }
                    (1, "sheetData") => rows_before(&mut out, &mut pending, None),
                    (0, _) if drawing_pending => {
                        out.str(&drawing_tag());
                        drawing_pending = false;
                    }
                    _ => {}
                }
                write_event(&ev, &mut out.buf);
            }
            _ => write_event(&ev, &mut out.buf),
        }
        out.flush_if_full()?;
        buf.clear();
    }
    if !pending.is_empty() {
        return Err(damaged(part, "it has no cell table (sheetData) to mark"));
    }
    out.flush()
}

/// A used range (`A1:E6`) grown to hold the marked cells; `None` when it
/// cannot be read.
fn grow(range: &str, cells: &BTreeMap<(u32, u16), u32>) -> Option<String> {
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    let (a, b) = (parse_ref(a)?, parse_ref(b)?);
    let (mut r0, mut c0, mut r1, mut c1) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
    for &(r, c) in cells.keys() {
        r0 = r0.min(r);
        c0 = c0.min(c);
        r1 = r1.max(r);
        c1 = c1.max(c);
    }
    Some(format!("{}:{}", cell_ref(r0, c0), cell_ref(r1, c1)))
}

/// Adds the marked cells that come after the row's last cell.
fn close_row(
    out: &mut Out,
    pending: &mut BTreeMap<(u32, u16), u32>,
    r: u32,
    _p: &str,
    new_cell: &dyn Fn(&mut Out, u32, u16, u32),
) {
    let rest: Vec<(u32, u16)> = pending
        .range((r, 0)..=(r, u16::MAX))
        .map(|(k, _)| *k)
        .collect();
    for k in rest {
        let st = pending.remove(&k).unwrap_or(0);
        new_cell(out, k.0, k.1, st);
    }
}

/// The schema rank of what an mc:AlternateContent holds: its first
/// choice's first element.
fn alternate_rank(events: &[Event]) -> usize {
    let mut depth = 0;
    for e in events {
        match e {
            Event::Start(s) | Event::Empty(s) => {
                if depth == 2 {
                    let name = s.local_name().as_ref().to_string();
                    return ORDER.iter().position(|o| *o == local(&name)).unwrap_or(0);
                }
                if matches!(e, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    0
}
