//! The look of an .ods return, read from its `content.xml`, so its Excel
//! copy keeps it: column widths, each cell's fill, font, wrapping, border,
//! date format and locking, list drop-downs, and sheet protection. The
//! spreadsheet reader gives values only; this reads the rest (zip and XML,
//! bounded like the reader: filler rows and columns repeated by the
//! thousand are not expanded).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::conditions::{ListSource, cell_ref, excel_range, list_source};

/// One cell's look.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellLook {
    pub fill: Option<String>,
    pub font_colour: Option<String>,
    pub font: Option<String>,
    pub size: Option<f64>,
    pub bold: bool,
    pub italic: bool,
    pub wrap: bool,
    pub locked: bool,
    pub border: bool,
    pub number_format: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListRule {
    pub first: (u32, u16),
    pub last: (u32, u16),
    pub source: ListSource,
}

#[derive(Debug, Clone, Default)]
pub struct SheetLook {
    /// Column widths in Excel's units (characters).
    pub widths: BTreeMap<u16, f64>,
    pub protected: bool,
    pub lists: Vec<ListRule>,
    pub cells: BTreeMap<(u32, u16), CellLook>,
}

/// A sheet being read: its name, its look, and the cells using each rule.
type OpenSheet = (String, SheetLook, HashMap<String, Vec<(u32, u16)>>);

/// Repeats beyond this are filler to the sheet's edge.
const FILLER: u32 = 1_000;
/// At most this many cells' looks are kept per sheet.
const MAX_LOOKS: usize = 200_000;

fn attr(s: &BytesStart, key: &str) -> Option<String> {
    s.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| crate::write::markup::unescape(&a.value))
}

/// A length (`2.258cm`, `0.9in`, `64pt`, `25mm`) in points.
fn points(len: &str) -> Option<f64> {
    let split = len.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = len.split_at(split);
    let n: f64 = n.trim().parse().ok()?;
    Some(match unit {
        "pt" => n,
        "in" => n * 72.0,
        "cm" => n * 72.0 / 2.54,
        "mm" => n * 72.0 / 25.4,
        "pc" => n * 12.0,
        "px" => n * 0.75,
        _ => return None,
    })
}

/// A column width in points as the width to give rust_xlsxwriter (which
/// adds Excel's padding of 0.71 of a character). LibreOffice turns Excel's
/// widths into lengths at about 7.4 pixels a character (the width of a
/// digit of Calibri 11, as it measures it), so the same factor turns them
/// back.
fn excel_width(pt: f64) -> f64 {
    let px = pt * 96.0 / 72.0;
    ((px / 7.4 - 0.7109375).max(0.0) * 100.0).round() / 100.0
}

/// The looks of an .ods file's sheets, by sheet name; empty when the file
/// cannot be read this way (the copy then falls back to plain widths).
pub fn looks(bytes: &[u8]) -> BTreeMap<String, SheetLook> {
    read(bytes).unwrap_or_default()
}

fn read(bytes: &[u8]) -> Option<BTreeMap<String, SheetLook>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let f = zip.by_name("content.xml").ok()?;
    let mut xml = Reader::from_reader(BufReader::new(
        f.take(crate::read::prescan::MAX_UNPACKED_BYTES),
    ));
    let mut buf = Vec::new();
    let mut cell_styles: HashMap<String, CellLook> = HashMap::new();
    let mut col_widths: HashMap<String, f64> = HashMap::new();
    let mut date_styles: Vec<String> = Vec::new();
    let mut validations: HashMap<String, ListSource> = HashMap::new();
    let mut out: BTreeMap<String, SheetLook> = BTreeMap::new();
    let mut names: Vec<(String, String)> = Vec::new();
    // Where we are.
    let mut style: Option<(String, String, CellLook)> = None;
    let mut sheet: Option<OpenSheet> = None;
    let mut col_defaults: Vec<Option<String>> = Vec::new();
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    loop {
        let ev = xml.read_event_into(&mut buf).ok()?;
        match &ev {
            Event::Eof => break,
            Event::Start(s) | Event::Empty(s) => {
                let name = s.name().as_ref().to_string();
                match name.as_str() {
                    "style:style" => {
                        let n = attr(s, "style:name").unwrap_or_default();
                        let family = attr(s, "style:family").unwrap_or_default();
                        let mut look = CellLook::default();
                        if attr(s, "style:data-style-name")
                            .is_some_and(|d| date_styles.contains(&d))
                        {
                            look.number_format = Some("dd/mm/yyyy".into());
                        }
                        look.locked = true;
                        style = Some((n, family, look));
                    }
                    "number:date-style" => date_styles.extend(attr(s, "style:name")),
                    "style:table-column-properties" => {
                        if let (Some((n, _, _)), Some(w)) = (
                            &style,
                            attr(s, "style:column-width").and_then(|w| points(&w)),
                        ) {
                            col_widths.insert(n.clone(), excel_width(w));
                        }
                    }
                    "style:table-cell-properties" => {
                        if let Some((_, _, look)) = style.as_mut() {
                            look.fill =
                                attr(s, "fo:background-color").filter(|c| c.starts_with('#'));
                            look.wrap = attr(s, "fo:wrap-option").as_deref() == Some("wrap");
                            look.locked = !matches!(
                                attr(s, "style:cell-protect").as_deref(),
                                Some("none") | Some("formula-hidden")
                            );
                            look.border = ["fo:border", "fo:border-left", "fo:border-top"]
                                .iter()
                                .any(|k| attr(s, k).is_some_and(|b| b != "none"));
                        }
                    }
                    "style:text-properties" => {
                        if let Some((_, _, look)) = style.as_mut() {
                            look.bold = attr(s, "fo:font-weight").as_deref() == Some("bold");
                            look.italic = attr(s, "fo:font-style").as_deref() == Some("italic");
                            look.font_colour = attr(s, "fo:color").filter(|c| c.starts_with('#'));
                            look.size = attr(s, "fo:font-size").and_then(|v| points(&v));
                            look.font = attr(s, "style:font-name");
                        }
                    }
                    "table:content-validation" => {
                        let (Some(n), Some(cond)) =
                            (attr(s, "table:name"), attr(s, "table:condition"))
                        else {
                            continue;
                        };
                        let base = attr(s, "table:base-cell-address")
                            .and_then(|b| cell_ref(b.rsplit('.').next()?))
                            .unwrap_or((0, 0));
                        if let Some(src) = list_source(&cond, base) {
                            validations.insert(n, src);
                        }
                    }
                    // Named ranges come after the sheets.
                    "table:named-range" => {
                        if let (Some(n), Some(r)) =
                            (attr(s, "table:name"), attr(s, "table:cell-range-address"))
                            && let Some(r) = excel_range(&r)
                        {
                            names.push((n, r));
                        }
                    }
                    "table:table" => {
                        let n = attr(s, "table:name").unwrap_or_default();
                        let look = SheetLook {
                            protected: attr(s, "table:protected").as_deref() == Some("true"),
                            ..SheetLook::default()
                        };
                        sheet = Some((n, look, HashMap::new()));
                        col_defaults.clear();
                        row = 0;
                    }
                    "table:table-column" => {
                        let repeat: u32 = attr(s, "table:number-columns-repeated")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        // Columns repeated by the thousand are the sheet's
                        // edge, at the default width and look.
                        let filler = repeat > FILLER;
                        let width = attr(s, "table:style-name")
                            .and_then(|n| col_widths.get(&n).copied())
                            .filter(|_| !filler);
                        let default = attr(s, "table:default-cell-style-name")
                            .filter(|d| d != "Default" && !filler);
                        if let Some((_, look, _)) = sheet.as_mut() {
                            for _ in 0..repeat.min(FILLER) {
                                let c = col_defaults.len() as u16;
                                if let Some(w) = width {
                                    look.widths.insert(c, w);
                                }
                                col_defaults.push(default.clone());
                            }
                        }
                    }
                    "table:table-row" => {
                        row_repeat = attr(s, "table:number-rows-repeated")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        col = 0;
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeat: u32 = attr(s, "table:number-columns-repeated")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        if let Some((_, look, vals)) = sheet.as_mut()
                            && row_repeat <= FILLER
                            && repeat <= FILLER
                        {
                            let own = attr(s, "table:style-name");
                            let validation = attr(s, "table:content-validation-name");
                            for dc in 0..repeat {
                                let c = col + dc;
                                let st = own
                                    .clone()
                                    .or_else(|| col_defaults.get(c as usize).cloned().flatten());
                                for dr in 0..row_repeat {
                                    let at = (row + dr, c as u16);
                                    if let Some(l) = st.as_ref().and_then(|n| cell_styles.get(n))
                                        && look.cells.len() < MAX_LOOKS
                                    {
                                        look.cells.insert(at, l.clone());
                                    }
                                    if let Some(v) = &validation {
                                        vals.entry(v.clone()).or_default().push(at);
                                    }
                                }
                            }
                        }
                        col += repeat;
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "style:style" => {
                    if let Some((n, family, look)) = style.take()
                        && family == "table-cell"
                    {
                        cell_styles.insert(n, look);
                    }
                }
                "table:table-row" => row = row.saturating_add(row_repeat),
                "table:table" => {
                    if let Some((n, mut look, vals)) = sheet.take() {
                        look.lists = rules(&vals, &validations);
                        out.insert(n, look);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        // An empty row or style element has no end event.
        if let Event::Empty(s) = &ev {
            match s.name().as_ref() {
                "table:table-row" => row = row.saturating_add(row_repeat),
                "style:style" => {
                    if let Some((n, family, look)) = style.take()
                        && family == "table-cell"
                    {
                        cell_styles.insert(n, look);
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    for look in out.values_mut() {
        for rule in &mut look.lists {
            if let ListSource::Formula { names: n, .. } = &mut rule.source {
                n.clone_from(&names);
            }
        }
    }
    Some(out)
}

/// Cells that use each validation, as column runs of consecutive rows.
fn rules(
    vals: &HashMap<String, Vec<(u32, u16)>>,
    sources: &HashMap<String, ListSource>,
) -> Vec<ListRule> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = vals.keys().collect();
    names.sort();
    for n in names {
        let Some(src) = sources.get(n) else { continue };
        let mut by_col: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
        for (r, c) in &vals[n] {
            by_col.entry(*c).or_default().push(*r);
        }
        for (c, mut rows) in by_col {
            rows.sort_unstable();
            rows.dedup();
            let mut start = rows[0];
            let mut prev = rows[0];
            for &r in rows.iter().skip(1).chain(std::iter::once(&u32::MAX)) {
                if r != prev.wrapping_add(1) {
                    out.push(ListRule {
                        first: (start, c),
                        last: (prev, c),
                        source: src.clone(),
                    });
                    start = r;
                }
                prev = r;
            }
        }
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_in_excel_s_terms() {
        assert_eq!(points("1in"), Some(72.0));
        assert!((points("2.54cm").unwrap() - 72.0).abs() < 1e-9);
        // 1.7508in: LibreOffice's length for Excel's width of 22.71.
        assert_eq!(excel_width(1.7508 * 72.0), 22.0);
    }

    #[test]
    fn cells_sharing_a_list_become_column_runs() {
        let vals = HashMap::from([(
            "v".to_string(),
            vec![(1, 5), (2, 5), (3, 5), (7, 5), (1, 2)],
        )]);
        let src = HashMap::from([("v".to_string(), ListSource::Values(vec!["a".into()]))]);
        let got: Vec<((u32, u16), (u32, u16))> = rules(&vals, &src)
            .iter()
            .map(|r| (r.first, r.last))
            .collect();
        assert_eq!(got, [((1, 2), (1, 2)), ((1, 5), (3, 5)), ((7, 5), (7, 5))]);
    }
}
