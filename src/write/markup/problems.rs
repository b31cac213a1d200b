//! The Problems sheet added in front of the officer's own: a few lines
//! saying what to do, then the list of problems with a link to each cell.
//! It is laid out to print on A4 as a list to tick off: landscape, columns
//! that fit the page at full size (10-point text; not "fit to width", which
//! LibreOffice shrinks a little even when the columns fit), rows tall enough for
//! their wrapped text (LibreOffice does not grow them), the heading row
//! repeated on every page, a page header and "Page N of M".

use super::sheet::cell_ref;
use super::strings::Strings;
use super::styles::Styles;
use super::xml::{escape_attr, escape_text};

/// What the Problems sheet says; the editor lays it out.
#[derive(Debug, Clone, Default)]
pub struct ProblemsSheet {
    pub name: String,
    /// Lines above the list.
    pub lines: Vec<Line>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Printed at the top left of every page.
    pub page_header: String,
    /// An existing sheet this one takes the place of (an earlier feedback's
    /// list, sent back with the return).
    pub replaces: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub kind: LineKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineKind {
    /// Grey print (who the list is from).
    Small,
    Title,
    /// The count of things to do, in dark red.
    Headline,
    Body,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub heading: String,
    /// In characters of the default font, as Excel measures widths.
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Text in bold dark red.
    Strong(String),
    Number(f64),
    /// Text that links to a cell of another sheet.
    Link {
        text: String,
        sheet: String,
        row: u32,
        col: u16,
    },
}

/// Text size of the list, in points.
const BODY_PT: f64 = 10.0;

struct Formats {
    small: u32,
    title: u32,
    headline: u32,
    body: u32,
    heading: u32,
    cell: u32,
    strong: u32,
    link: u32,
    number: u32,
}

fn formats(st: &mut Styles) -> Formats {
    let name = escape_attr(&st.default_font_name());
    let font = |st: &mut Styles, extra: &str, size: f64, rgb: &str| {
        st.add_font(&format!(
            "<font>{extra}<sz val=\"{size}\"/><color rgb=\"FF{rgb}\"/><name val=\"{name}\"/><family val=\"2\"/></font>"
        ))
    };
    let f_small = font(st, "", BODY_PT, "404040");
    let f_title = font(st, "<b/>", 16.0, "1F3864");
    let f_headline = font(st, "<b/>", 12.0, "9C0006");
    let f_body = font(st, "", BODY_PT, "000000");
    let f_heading = font(st, "<b/>", BODY_PT, "FFFFFF");
    let f_strong = font(st, "<b/>", BODY_PT, "9C0006");
    let f_link = font(st, "<u/>", BODY_PT, "0563C1");
    let navy = st.add_fill(
        "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF1F3864\"/><bgColor indexed=\"64\"/></patternFill></fill>",
    );
    let side = |s: &str| format!("<{s} style=\"thin\"><color rgb=\"FFA6A6A6\"/></{s}>");
    let grid = st.add_border(&format!(
        "<border>{}{}{}{}<diagonal/></border>",
        side("left"),
        side("right"),
        side("top"),
        side("bottom")
    ));
    let xf = |st: &mut Styles, font: usize, fill: usize, border: usize, align: &str| {
        st.add_xf(&format!(
            "<xf numFmtId=\"0\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment {align}/></xf>"
        ))
    };
    let wrap_top = "vertical=\"top\" wrapText=\"1\"";
    Formats {
        small: xf(st, f_small, 0, 0, "vertical=\"top\""),
        title: xf(st, f_title, 0, 0, wrap_top),
        headline: xf(st, f_headline, 0, 0, wrap_top),
        body: xf(st, f_body, 0, 0, wrap_top),
        heading: xf(
            st,
            f_heading,
            navy,
            grid,
            "vertical=\"center\" wrapText=\"1\"",
        ),
        cell: xf(st, f_body, 0, grid, wrap_top),
        strong: xf(st, f_strong, 0, grid, wrap_top),
        link: xf(st, f_link, 0, grid, wrap_top),
        number: xf(
            st,
            f_body,
            0,
            grid,
            "horizontal=\"center\" vertical=\"top\"",
        ),
    }
}

/// Lines a text takes when wrapped at word boundaries in `width` units.
pub fn wrapped_lines(text: &str, width: f64, size_pt: f64) -> usize {
    // About 1.2 characters of 10-point text per unit of width, fewer for
    // larger text; kept on the safe side so text is never cut off.
    let per_line = ((width * 1.2 * 10.0 / size_pt).floor() as usize).max(1);
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0;
            for word in para.split(' ') {
                let w = word.chars().count();
                let need = if used == 0 { w } else { used + 1 + w };
                if need <= per_line {
                    used = need;
                } else if used == 0 {
                    lines += (w - 1) / per_line;
                    used = w % per_line;
                } else {
                    lines += 1 + w.saturating_sub(1) / per_line;
                    used = if w > per_line { w % per_line } else { w };
                }
            }
            lines
        })
        .sum()
}

fn row_height(lines: usize, size_pt: f64) -> f64 {
    let h = lines as f64 * (size_pt * 1.32).ceil() + 4.0;
    h.min(409.0)
}

/// Header and footer text: `&` is a code there, so it is doubled, and
/// Excel allows 255 characters in all.
fn header_text(s: &str, room: usize) -> String {
    let doubled = s.replace('&', "&&");
    let mut out: String = doubled.chars().take(room).collect();
    if out.ends_with('&') && !out.ends_with("&&") {
        out.pop();
    }
    out
}

/// The sheet's XML, and the row (from zero) of the list's headings, which
/// print on every page.
pub fn sheet_xml(spec: &ProblemsSheet, st: &mut Styles, strings: &mut Strings) -> (String, u32) {
    let f = formats(st);
    let ncols = spec.columns.len().max(1) as u16;
    let total_width: f64 = spec.columns.iter().map(|c| c.width).sum::<f64>().max(10.0);
    let last_col = cell_ref(0, ncols - 1).trim_end_matches('1').to_string();
    // The rows are written straight after the sheet's opening parts, into
    // one string: a list of a hundred thousand problems is large.
    let heading_row = spec.lines.len() as u32 + 1;
    let last_row = heading_row + 1 + spec.rows.len() as u32;
    let cols: String = spec
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
                c.width,
                n = i + 1
            )
        })
        .collect();
    let first_item = cell_ref(heading_row + 1, 0);
    let mut xml = String::with_capacity(1024 + spec.rows.len() * 1024);
    xml.push_str(&format!(
        "{decl}<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<sheetPr><tabColor rgb=\"FF9C0006\"/></sheetPr>\
<dimension ref=\"A1:{last_col}{last_row}\"/>\
<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"{split}\" topLeftCell=\"{first_item}\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"{first_item}\" sqref=\"{first_item}\"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight=\"15\"/><cols>{cols}</cols><sheetData>",
        decl = super::xml::DECLARATION,
        split = heading_row + 1,
    ));
    let mut merges = Vec::new();
    let mut links = String::new();
    let mut r = 0u32;
    for line in &spec.lines {
        let (xf, size) = match line.kind {
            LineKind::Small => (f.small, BODY_PT),
            LineKind::Title => (f.title, 16.0),
            LineKind::Headline => (f.headline, 12.0),
            LineKind::Body => (f.body, BODY_PT),
        };
        let lines = wrapped_lines(&line.text, total_width, size);
        xml.push_str(&format!(
            "<row r=\"{}\" ht=\"{}\" customHeight=\"1\">{}</row>",
            r + 1,
            row_height(lines, size),
            strings.cell(r, 0, xf, &line.text)
        ));
        if ncols > 1 {
            merges.push(format!("A{n}:{last_col}{n}", n = r + 1));
        }
        r += 1;
    }
    // A blank line before the list.
    r += 1;
    debug_assert_eq!(r, heading_row);
    let heading_lines = spec
        .columns
        .iter()
        .map(|c| wrapped_lines(&c.heading, c.width, BODY_PT))
        .max()
        .unwrap_or(1);
    xml.push_str(&format!(
        "<row r=\"{}\" ht=\"{}\" customHeight=\"1\">",
        r + 1,
        row_height(heading_lines, BODY_PT)
    ));
    for (c, col) in spec.columns.iter().enumerate() {
        xml.push_str(&strings.cell(r, c as u16, f.heading, &col.heading));
    }
    xml.push_str("</row>");
    r += 1;
    for cells in &spec.rows {
        let mut lines = 1;
        let mut row_xml = String::new();
        for (c, col) in spec.columns.iter().enumerate() {
            let cell = cells.get(c).unwrap_or(&Cell::Empty);
            let c = c as u16;
            match cell {
                Cell::Empty => {
                    row_xml.push_str(&format!("<c r=\"{}\" s=\"{}\"/>", cell_ref(r, c), f.cell))
                }
                Cell::Number(n) => row_xml.push_str(&format!(
                    "<c r=\"{}\" s=\"{}\"><v>{n}</v></c>",
                    cell_ref(r, c),
                    f.number
                )),
                Cell::Text(t) | Cell::Strong(t) => {
                    lines = lines.max(wrapped_lines(t, col.width, BODY_PT));
                    let xf = if matches!(cell, Cell::Strong(_)) {
                        f.strong
                    } else {
                        f.cell
                    };
                    row_xml.push_str(&strings.cell(r, c, xf, t));
                }
                Cell::Link {
                    text,
                    sheet,
                    row,
                    col: to,
                } => {
                    lines = lines.max(wrapped_lines(text, col.width, BODY_PT));
                    row_xml.push_str(&strings.cell(r, c, f.link, text));
                    links.push_str(&format!(
                        "<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>",
                        cell_ref(r, c),
                        escape_attr(&format!(
                            "'{}'!{}",
                            sheet.replace('\'', "''"),
                            cell_ref(*row, *to)
                        )),
                        escape_attr(text)
                    ));
                }
            }
        }
        xml.push_str(&format!(
            "<row r=\"{}\" ht=\"{}\" customHeight=\"1\">{row_xml}</row>",
            r + 1,
            row_height(lines, BODY_PT)
        ));
        r += 1;
    }
    let merge_xml = if merges.is_empty() {
        String::new()
    } else {
        format!(
            "<mergeCells count=\"{}\">{}</mergeCells>",
            merges.len(),
            merges
                .iter()
                .map(|m| format!("<mergeCell ref=\"{m}\"/>"))
                .collect::<String>()
        )
    };
    let links = if links.is_empty() {
        links
    } else {
        format!("<hyperlinks>{links}</hyperlinks>")
    };
    let header = header_text(&spec.page_header, 200);
    xml.push_str(&format!(
        "</sheetData>{merge_xml}{links}\
<printOptions horizontalCentered=\"1\"/>\
<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.75\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>\
<pageSetup paperSize=\"9\" orientation=\"landscape\"/>\
<headerFooter><oddHeader>&amp;L&amp;\"-,Bold\"{header}</oddHeader><oddFooter>&amp;L{sheet}&amp;RPage &amp;P of &amp;N</oddFooter></headerFooter>\
</worksheet>",
        header = escape_text(&header),
        sheet = escape_text(&header_text(&spec.name, 40)),
    ));
    (xml, heading_row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_lines_at_word_boundaries() {
        // 10 units of width hold 12 characters of 10-point text.
        assert_eq!(wrapped_lines("", 10.0, 10.0), 1);
        assert_eq!(wrapped_lines("twelve chars", 10.0, 10.0), 1);
        assert_eq!(wrapped_lines("twelve chars and more", 10.0, 10.0), 2);
        assert_eq!(wrapped_lines("a\nb\nc", 10.0, 10.0), 3);
        assert_eq!(wrapped_lines(&"x".repeat(30), 10.0, 10.0), 3);
        assert_eq!(wrapped_lines("twelve chars and more", 10.0, 20.0), 4);
    }

    #[test]
    fn header_codes_are_escaped_and_cut() {
        assert_eq!(header_text("Q&A", 10), "Q&&A");
        assert_eq!(header_text("ab&", 3), "ab");
        assert_eq!(header_text(&"x".repeat(300), 200).len(), 200);
    }
}
