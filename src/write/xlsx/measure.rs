//! How big text prints: the width of a run of Calibri (Carlito, its
//! metric twin, is what LibreOffice prints with), how many lines it wraps
//! to in a column, and the row height that shows them all. Excel and
//! LibreOffice do not grow a row for wrapped text a program wrote, so a
//! sheet laid out for print sets every row's height from these estimates;
//! the page planner ([`super::page::Pager`]) adds the heights up.
//!
//! The estimates lean towards more lines, never fewer: a row a little too
//! tall wastes a line of paper, one too short cuts the text off.

/// Advance widths of Calibri/Carlito Regular for the printable ASCII
/// characters (space to `~`), in thousandths of the font size.
const REGULAR: [u16; 95] = [
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533, 615, 488,
    459, 631, 623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543, 459, 487, 642, 567, 890, 519,
    487, 468, 307, 386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455,
    229, 799, 525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498,
];

/// The same for Calibri/Carlito Bold.
const BOLD: [u16; 95] = [
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529, 630, 488,
    459, 637, 631, 267, 331, 547, 423, 874, 659, 676, 532, 686, 563, 473, 495, 653, 591, 906, 551,
    520, 478, 325, 430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474, 537, 246, 255, 480,
    246, 813, 537, 538, 537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498,
];

/// Characters outside ASCII (accents, dashes, arrows, other scripts) are
/// counted as wide as an em dash, which is wider than most of them.
const OTHER: u16 = 905;

/// Points a cell keeps clear at each side of wrapped text.
const CELL_PADDING: f64 = 2.0;

/// A font as the sheets use it: size in points, bold or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub const fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }
    pub const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    /// The height of one line of text, in points (Calibri's ascent,
    /// descent and line gap).
    pub fn line_height(self) -> f64 {
        self.size * 1.22
    }
}

/// The printed width of `text` on one line, in points.
pub fn text_width(text: &str, font: Font) -> f64 {
    let table = if font.bold { &BOLD } else { &REGULAR };
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            n @ 32..=126 => u32::from(table[(n - 32) as usize]),
            _ => u32::from(OTHER),
        })
        .sum();
    f64::from(units) * font.size / 1000.0
}

/// A column's width in points as Excel draws it, from its width in Excel's
/// units (characters of the default font: 7 pixels each and 5 of padding,
/// at 96 pixels to the inch). The narrower of the two applications: text
/// is wrapped to this width, so a row tall enough here is tall enough in
/// LibreOffice too.
pub fn column_points(width: f64) -> f64 {
    (width * 7.0 + 5.0).floor() * 0.75
}

/// LibreOffice's points per character of column width (Carlito 11's digit).
const LO_CHAR: f64 = 5.55;

/// A column's width in points as it prints: the wider of Excel's and
/// LibreOffice's. LibreOffice takes the width rust_xlsxwriter stores (the
/// width given plus 5/7 of a character of padding) at 5.55 points a
/// character, which for columns over 12 characters is wider than Excel's.
/// Columns are laid out to fit the paper at this width.
pub fn column_print_points(width: f64) -> f64 {
    ((width + 5.0 / 7.0) * LO_CHAR).max(column_points(width))
}

/// The widest column, in Excel's units (to a quarter of a character), whose
/// [`column_print_points`] is at most `points`.
pub fn column_width_for(points: f64) -> f64 {
    let mut w = ((points / LO_CHAR - 5.0 / 7.0) * 4.0).floor() / 4.0;
    while w > 0.0 && column_print_points(w) > points {
        w -= 0.25;
    }
    w.max(0.0)
}

/// The printed width of columns of these widths side by side.
pub fn columns_print_points(widths: &[f64]) -> f64 {
    widths.iter().map(|w| column_print_points(*w)).sum()
}

/// How many lines `text` takes when wrapped in a cell `width_pt` wide:
/// greedy word wrap, as Excel and LibreOffice do it, with a word longer
/// than the line broken where it must. Each line break in the text starts a
/// new line; empty text takes one line.
pub fn wrapped_lines(text: &str, width_pt: f64, font: Font) -> usize {
    let room = (width_pt - 2.0 * CELL_PADDING).max(font.size);
    let space = text_width(" ", font);
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0.0;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let w = text_width(word, font);
                let need = if used > 0.0 { used + space + w } else { w };
                if need <= room {
                    used = need;
                } else if used == 0.0 {
                    // A word wider than the line breaks across lines.
                    lines += (w / room).ceil() as usize - 1;
                    used = w % room;
                } else {
                    lines += 1;
                    if w > room {
                        lines += (w / room).ceil() as usize - 1;
                        used = w % room;
                    } else {
                        used = w;
                    }
                }
            }
            lines
        })
        .sum()
}

/// The row height, in points, that shows `lines` lines in `font`, with a
/// little room above and below.
pub fn row_height(lines: usize, font: Font) -> f64 {
    (lines.max(1) as f64 * font.line_height() + 3.0).ceil()
}

/// Excel's and LibreOffice's tallest row, in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;

/// The row height that shows every cell's wrapped text in full: each cell
/// given as (text, column width in points, font).
pub fn fit_row(cells: &[(&str, f64, Font)]) -> f64 {
    cells
        .iter()
        .map(|(t, w, f)| row_height(wrapped_lines(t, *w, *f), *f))
        .fold(0.0, f64::max)
        .min(MAX_ROW_HEIGHT)
}

/// Splits text too long for one row (taller than `max_height` points when
/// wrapped at `width_pt`) into pieces that each fit, breaking between
/// paragraphs, then sentences, then words. Short text comes back whole.
pub fn split_to_fit(text: &str, width_pt: f64, font: Font, max_height: f64) -> Vec<String> {
    let fits = |t: &str| row_height(wrapped_lines(t, width_pt, font), font) <= max_height;
    if fits(text) {
        return vec![text.to_string()];
    }
    // The smallest pieces to put back together: sentences within
    // paragraphs, and words within sentences too long for a row.
    let mut pieces: Vec<(String, &str)> = Vec::new();
    for (p, para) in text.split('\n').enumerate() {
        let join = if p == 0 { "" } else { "\n" };
        let mut first = true;
        for sentence in sentences(para) {
            let glue = if first { join } else { " " };
            first = false;
            if fits(sentence) {
                pieces.push((sentence.to_string(), glue));
            } else {
                for (i, word) in sentence.split(' ').enumerate() {
                    pieces.push((word.to_string(), if i == 0 { glue } else { " " }));
                }
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (piece, glue) in pieces {
        let joined = if current.is_empty() {
            piece.clone()
        } else {
            format!("{current}{glue}{piece}")
        };
        if current.is_empty() || fits(&joined) {
            current = joined;
        } else {
            out.push(std::mem::take(&mut current));
            current = piece;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A paragraph's sentences, each keeping its full stop.
fn sentences(para: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = para.as_bytes();
    for (i, c) in para.char_indices() {
        if matches!(c, '.' | '?' | '!') && bytes.get(i + 1) == Some(&b' ') {
            out.push(para[start..=i].trim());
            start = i + 2;
        }
    }
    if start < para.len() {
        out.push(para[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        let f = Font::regular(10.0);
        // "Light green" in Calibri 10 is about 48 points.
        let w = text_width("Light green", f);
        assert!((45.0..52.0).contains(&w), "{w}");
        assert!(text_width("Light green", Font::bold(10.0)) > w);
        assert_eq!(text_width("", f), 0.0);
    }

    #[test]
    fn columns_convert_both_ways() {
        // Excel: 13 characters are 96 pixels.
        assert_eq!(column_points(13.0), 72.0);
        // LibreOffice, measured from its PDF: 10, 20 and 50 characters
        // (stored as 10.71 … by rust_xlsxwriter) print at 5.55 points each.
        assert!((column_print_points(50.0) - 281.5).abs() < 0.5);
        assert!(column_print_points(5.0) >= column_points(5.0));
        for pt in [50.0, 72.0, 100.0, 333.3] {
            let w = column_width_for(pt);
            assert!(column_print_points(w) <= pt, "{pt}");
            assert!(column_print_points(w + 0.25) > pt, "{pt}");
        }
        assert_eq!(
            columns_print_points(&[10.0, 10.0]),
            2.0 * column_print_points(10.0)
        );
    }

    #[test]
    fn text_wraps_at_words() {
        let f = Font::regular(10.0);
        assert_eq!(wrapped_lines("", 100.0, f), 1);
        assert_eq!(wrapped_lines("short", 100.0, f), 1);
        assert_eq!(wrapped_lines("one\ntwo\nthree", 100.0, f), 3);
        let long = "word ".repeat(40);
        let lines = wrapped_lines(&long, 100.0, f);
        // 40 words of about 22 points with spaces: four or five a line.
        assert!((8..=11).contains(&lines), "{lines}");
        // A word wider than the column breaks across lines.
        assert_eq!(wrapped_lines(&"x".repeat(100), 100.0, f), 5);
    }

    #[test]
    fn rows_grow_with_their_text() {
        let f = Font::regular(10.0);
        let one = fit_row(&[("a", 100.0, f)]);
        let many = fit_row(&[("a", 100.0, f), (&"word ".repeat(60), 100.0, f)]);
        assert!(one >= f.line_height());
        assert!(many > 10.0 * f.line_height());
        assert_eq!(
            fit_row(&[(&"word ".repeat(5000), 100.0, f)]),
            MAX_ROW_HEIGHT
        );
    }

    #[test]
    fn long_text_is_split_into_rows_that_fit() {
        let f = Font::regular(10.0);
        let para = "This sentence is about the council's work. ".repeat(40);
        let text = format!("{para}\n{para}");
        let parts = split_to_fit(&text, 300.0, f, 120.0);
        assert!(parts.len() > 2);
        for p in &parts {
            assert!(row_height(wrapped_lines(p, 300.0, f), f) <= 120.0, "{p}");
        }
        // Nothing lost: the words come back in order.
        let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(words(&parts.join(" ")), words(&text));
        assert_eq!(split_to_fit("short", 300.0, f, 120.0), vec!["short"]);
    }
}
