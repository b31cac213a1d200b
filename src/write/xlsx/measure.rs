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
const CELL_PADDING: f64 = 3.0;

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

/// A column's printed width in points, from its width in Excel's units
/// (characters of the default font: 7 pixels each and 5 of padding, at 96
/// pixels to the inch).
pub fn column_points(width: f64) -> f64 {
    (width * 7.0 + 5.0).floor() * 0.75
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
    (lines.max(1) as f64 * font.line_height() + 4.0).ceil()
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
}
