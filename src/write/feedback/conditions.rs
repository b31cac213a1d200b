//! The conditions of an .ods return's drop-downs and date rules, from
//! LibreOffice's terms (`of:cell-content-is-in-list(...)`, `[$Lists.$A$1]`,
//! `;` between arguments) into Excel's, so the Excel copy made for feedback
//! keeps them: fixed lists, ranges on another sheet, date limits, and a list
//! worked out by a formula (a Code list that follows the row's Theme), whose
//! relative references are moved to the cells it is given to.

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

/// `$Lists.$A$1:.$A$74` (LibreOffice) → `Lists!$A$1:$A$74` (Excel).
pub fn excel_range(range: &str) -> Option<String> {
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
pub fn cell_ref(a1: &str) -> Option<(u32, u16)> {
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
pub fn list_source(cond: &str, base: (u32, u16)) -> Option<ListSource> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_conditions_in_excel_s_terms() {
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
}
