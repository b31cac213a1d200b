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

/// What a drop-down or date rule allows.
#[derive(Debug, Clone, PartialEq)]
pub enum ListSource {
    Values(Vec<String>),
    /// A range in Excel's terms (`Lists!$A$1:$A$74`).
    Range(String),
    /// Dates between two serial numbers.
    DatesBetween(f64, f64),
    /// A formula giving the list (a drop-down that depends on another
    /// cell), in LibreOffice's terms with the cell its relative references
    /// are from; and the workbook's named ranges in Excel's terms, which it
    /// may use.
    Formula {
        odf: String,
        base: (u32, u16),
        names: Vec<(String, String)>,
    },
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

/// `$Lists.$A$1:.$A$74` (LibreOffice) → `Lists!$A$1:$A$74` (Excel).
fn excel_range(range: &str) -> Option<String> {
    let range = range.trim_start_matches('$');
    let (sheet, cells) = range.split_once('.')?;
    let cells = cells.replace(":.", ":").replace(":$.", ":");
    let sheet = sheet.trim_matches('\'');
    let quoted = if sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    Some(format!("{quoted}!{cells}"))
}

/// `C2` or `$C$2` → (row, col), 0-based.
fn cell_ref(a1: &str) -> Option<(u32, u16)> {
    let a1 = a1.replace('$', "");
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .chars()
        .fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1));
    let row: u32 = digits.parse().ok()?;
    Some((
        row.checked_sub(1)?,
        u16::try_from(col.checked_sub(1)?).ok()?,
    ))
}

/// A list formula in Excel's terms for cells starting at `first`: the
/// references' sheets written `Sheet!`, relative references moved from the
/// base cell to `first`, `;` between arguments written `,`.
pub fn excel_formula(odf: &str, base: (u32, u16), first: (u32, u16)) -> String {
    let mut out = String::new();
    let mut chars = odf.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                for s in chars.by_ref() {
                    out.push(s);
                    if s == '"' {
                        break;
                    }
                }
            }
            '[' => {
                let mut body = String::new();
                for s in chars.by_ref() {
                    if s == ']' {
                        break;
                    }
                    body.push(s);
                }
                out.push_str(&excel_reference(&body, base, first));
            }
            ';' => out.push(','),
            other => out.push(other),
        }
    }
    out
}

/// One bracketed reference (`.$B2`, `$Lists.$A$1:.$A$74`) in Excel's terms.
fn excel_reference(body: &str, base: (u32, u16), first: (u32, u16)) -> String {
    let mut parts = Vec::new();
    let mut sheet_prefix = String::new();
    for (i, part) in body.split(':').enumerate() {
        let (sheet, cell) = part.rsplit_once('.').unwrap_or(("", part));
        let sheet = sheet.trim_start_matches('$').trim_matches('\'');
        if i == 0 && !sheet.is_empty() {
            sheet_prefix = match excel_range(&format!("{sheet}.A1")) {
                Some(r) => r.trim_end_matches("A1").to_string(),
                None => String::new(),
            };
        }
        parts.push(moved(cell, base, first));
    }
    format!("{sheet_prefix}{}", parts.join(":"))
}

/// A cell reference with its relative row and column moved by `first -
/// base`; absolute parts (`$`) stay.
fn moved(cell: &str, base: (u32, u16), first: (u32, u16)) -> String {
    let col_abs = cell.starts_with('$');
    let rest = cell.trim_start_matches('$');
    let letters_end = rest
        .find(|c: char| !c.is_ascii_uppercase())
        .unwrap_or(rest.len());
    let (letters, tail) = rest.split_at(letters_end);
    let row_abs = tail.starts_with('$');
    let Some((row, col)) = cell_ref(&format!("{letters}{}", tail.trim_start_matches('$'))) else {
        return cell.to_string();
    };
    let shift = |v: i64, from: i64, to: i64, fixed: bool| {
        if fixed { v } else { (v + to - from).max(0) }
    };
    let row = shift(row.into(), base.0.into(), first.0.into(), row_abs);
    let col = shift(col.into(), base.1.into(), first.1.into(), col_abs);
    format!(
        "{}{}{}{}",
        if col_abs { "$" } else { "" },
        rust_xlsxwriter::utility::column_number_to_name(col as u16),
        if row_abs { "$" } else { "" },
        row + 1
    )
}

/// A list condition (`of:cell-content-is-in-list("a";"b")`, a range, or a
/// formula) in Excel's terms; `base` is the cell its relative references
/// are from.
fn list_source(cond: &str, base: (u32, u16)) -> Option<ListSource> {
    let cond = cond.strip_prefix("of:").unwrap_or(cond);
    if let Some(between) = cond
        .strip_prefix("cell-content-is-date() and ")
        .and_then(|c| c.strip_prefix("of:").or(Some(c)))
        .and_then(|c| c.strip_prefix("cell-content-is-between("))
        .and_then(|c| c.strip_suffix(')'))
    {
        let (a, b) = between.split_once([',', ';'])?;
        return Some(ListSource::DatesBetween(
            a.trim().parse().ok()?,
            b.trim().parse().ok()?,
        ));
    }
    let inner = cond
        .strip_prefix("cell-content-is-in-list(")?
        .strip_suffix(')')?;
    if let Some(range) = inner.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
        && !range.contains(['[', ']'])
    {
        // [$Lists.$A$1:.$A$74] → Lists!$A$1:$A$74
        return excel_range(range).map(ListSource::Range);
    }
    let items = string_items(inner);
    match items {
        Some(items) => Some(ListSource::Values(items)),
        None => Some(ListSource::Formula {
            odf: inner.to_string(),
            base,
            names: Vec::new(),
        }),
    }
}

/// `"a";"b"` → [a, b]; None when anything but quoted text is listed.
fn string_items(inner: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let body = rest.strip_prefix('"')?;
        let mut end = None;
        let mut i = 0;
        let b = body.as_bytes();
        while i < b.len() {
            if b[i] == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                end = Some(i);
                break;
            }
            i += 1;
        }
        let end = end?;
        items.push(body[..end].replace("\"\"", "\""));
        rest = body[end + 1..].trim_start();
        rest = match rest.strip_prefix(';') {
            Some(r) => r.trim_start(),
            None if rest.is_empty() => rest,
            None => return None,
        };
    }
    Some(items)
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
    fn lengths_and_lists_in_excel_s_terms() {
        assert_eq!(points("1in"), Some(72.0));
        assert!((points("2.54cm").unwrap() - 72.0).abs() < 1e-9);
        // 1.7508in: LibreOffice's length for Excel's width of 22.71.
        assert_eq!(excel_width(1.7508 * 72.0), 22.0);
        assert_eq!(
            list_source(
                "of:cell-content-is-date() and cell-content-is-between(36526,73415)",
                (0, 0)
            ),
            Some(ListSource::DatesBetween(36526.0, 73415.0))
        );
        assert_eq!(
            list_source(
                "of:cell-content-is-in-list(\"Dark green\";\"Amber\")",
                (0, 0)
            ),
            Some(ListSource::Values(vec![
                "Dark green".into(),
                "Amber".into()
            ]))
        );
        assert_eq!(
            list_source("of:cell-content-is-in-list([$Lists.$A$1:.$A$74])", (0, 0)),
            Some(ListSource::Range("Lists!$A$1:$A$74".into()))
        );
        assert_eq!(
            list_source("of:cell-content-is-whole-number()", (0, 0)),
            None
        );
        // A list that depends on another cell: a formula, moved to the
        // first cell it is given to.
        let odf = "IF([.$B2]=\"\";AllCodes;INDIRECT(\"ThemeCodes\"&MATCH([.$B2];Themes;0)))";
        let src = list_source(&format!("of:cell-content-is-in-list({odf})"), (1, 2));
        assert_eq!(
            src,
            Some(ListSource::Formula {
                odf: odf.into(),
                base: (1, 2),
                names: Vec::new()
            })
        );
        assert_eq!(
            excel_formula(odf, (1, 2), (1, 2)),
            "IF($B2=\"\",AllCodes,INDIRECT(\"ThemeCodes\"&MATCH($B2,Themes,0)))"
        );
        assert_eq!(
            excel_formula("[$'My lists'.$A$1:.A3];[.C2]", (1, 2), (4, 3)),
            "'My lists'!$A$1:B6,D5"
        );
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
