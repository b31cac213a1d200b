//! A4 print setup shared by every sheet the tool writes: the paper, fitted to
//! one page wide, margins, and a page header and footer that say what the
//! page is, whose it is and where it sits.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Escapes text for a page header or footer (`&` is a control character).
pub fn hf(text: &str) -> String {
    text.replace('&', "&&")
}

/// Excel's limit on a page header or footer, codes included.
const MAX_HEADER_CHARS: usize = 255;

/// [`hf`], cut with "…" to at most `max` characters once escaped (never
/// between the two characters of an escaped `&`).
fn hf_within(text: &str, max: usize) -> String {
    let escaped = hf(text);
    if escaped.chars().count() <= max {
        return escaped;
    }
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        let w = if c == '&' { 2 } else { 1 };
        if n + w > max.saturating_sub(1) {
            break;
        }
        n += w;
        out.push(c);
        if c == '&' {
            out.push('&');
        }
    }
    out.push('…');
    out
}

/// A4, in the orientation given, fitted to one page wide (as long as it
/// needs): the part of the setup every printed sheet shares.
pub fn fit_width(ws: &mut Worksheet, landscape: bool) {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
}

/// The full print setup of a report or template sheet: [`fit_width`],
/// margins, a header with the title and `who` (the authority), and a footer
/// with the sheet name, `middle` and "Page N of M".
pub fn a4(ws: &mut Worksheet, title: &str, who: &str, middle: &str, landscape: bool) {
    fit_width(ws, landscape);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    // Excel refuses a header over 255 characters: the names in it are cut
    // to fit (a name read from a return was already cut, and reported).
    let room = MAX_HEADER_CHARS - "&L&\"Calibri,Bold\"&R".chars().count();
    let who = hf_within(who, room / 2);
    let title = hf_within(title, room - who.chars().count());
    ws.set_header(format!("&L&\"Calibri,Bold\"{title}&R{who}"));
    let middle = if middle.is_empty() {
        String::new()
    } else {
        let room = MAX_HEADER_CHARS - "&L&A&C&RPage &P of &N".chars().count();
        format!("&C{}", hf_within(middle, room))
    };
    ws.set_footer(format!("&L&A{middle}&RPage &P of &N"));
}

/// [`a4`] with the heading rows repeated on every page (rows 0 to `repeat`)
/// and a print area ending at `last_row`, `last_col`.
pub fn print_setup(
    ws: &mut Worksheet,
    title: &str,
    who: &str,
    when: &str,
    repeat: Option<u32>,
    (last_row, last_col): (u32, u16),
    landscape: bool,
) -> Result<(), XlsxError> {
    a4(ws, title, who, when, landscape);
    if let Some(row) = repeat {
        ws.set_repeat_rows(0, row)?;
    }
    ws.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

/// The margins every sheet is printed with, in inches: left, right, top,
/// bottom, header, footer (as [`a4`] sets them).
pub const MARGINS: [f64; 6] = [0.5, 0.5, 0.75, 0.75, 0.3, 0.3];

/// A4 in points (1/72 inch), portrait.
const A4: (f64, f64) = (595.0, 842.0);

/// Points the page planner keeps free at the foot of each page: the
/// estimates of row heights are close, not exact.
const SLACK: f64 = 24.0;

/// What [`Pager::exact`] keeps free instead.
const EXACT_SLACK: f64 = 6.0;

/// The part of an A4 page the sheet's cells print on, inside the margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub landscape: bool,
}

impl Paper {
    pub const PORTRAIT: Paper = Paper { landscape: false };
    pub const LANDSCAPE: Paper = Paper { landscape: true };

    fn size(self) -> (f64, f64) {
        if self.landscape { (A4.1, A4.0) } else { A4 }
    }

    /// The width cells print across, in points.
    pub fn width(self) -> f64 {
        self.size().0 - (MARGINS[0] + MARGINS[1]) * 72.0
    }

    /// The height cells print down, in points.
    pub fn height(self) -> f64 {
        self.size().1 - (MARGINS[2] + MARGINS[3]) * 72.0
    }
}

/// Plans where pages break in a sheet laid out for print at full size, so
/// that what belongs together (a heading and its table, a title and its
/// chart, a block of rows) starts on a page it fits, and no page holds a
/// lone row. Rows are handed over in order with their heights; the breaks
/// found are set with [`Pager::apply`]. Every break is set by hand, so
/// LibreOffice and Excel break where planned rather than where their own
/// row measurements would.
#[derive(Debug, Clone)]
pub struct Pager {
    room: f64,
    /// Heading rows repeated at the top of every page after the first.
    repeat: f64,
    used: f64,
    breaks: Vec<u32>,
}

impl Pager {
    pub fn new(paper: Paper) -> Pager {
        Pager {
            room: paper.height() - SLACK,
            repeat: 0.0,
            used: 0.0,
            breaks: Vec::new(),
        }
    }

    /// For a sheet whose every row has its height set: its rows print at
    /// exactly the heights planned, so the page keeps free only what
    /// Excel's rounding of heights to whole pixels can add.
    pub fn exact(mut self) -> Pager {
        self.room += SLACK - EXACT_SLACK;
        self
    }

    /// Rows `height` points tall are repeated at the top of every page
    /// after the first (see `Worksheet::set_repeat_rows`).
    pub fn repeating(mut self, height: f64) -> Pager {
        self.repeat = height;
        self
    }

    /// The height a page has for rows (less any repeated headings).
    pub fn page_room(&self) -> f64 {
        self.room - self.repeat
    }

    /// The height still free on the current page.
    pub fn left(&self) -> f64 {
        self.room - self.used
    }

    /// Starts a new page at `row`.
    pub fn break_before(&mut self, row: u32) {
        if self.used > 0.0 && self.breaks.last() != Some(&row) {
            self.breaks.push(row);
            self.used = self.repeat;
        }
    }

    /// Rows that must print on one page: starting at `first_row`, `height`
    /// points in all. They go on the current page if they fit, otherwise
    /// on a new one (when taller than a page they start one and run on).
    pub fn keep(&mut self, first_row: u32, height: f64) {
        if height > self.left() {
            self.break_before(first_row);
        }
        self.used += height;
        // What does not fit on a fresh page runs on over the next ones.
        while self.used > self.room {
            self.used -= self.room - self.repeat;
        }
    }

    /// Rows that need not stay together, each with its height: a row that
    /// does not fit starts a new page.
    pub fn rows(&mut self, first_row: u32, heights: &[f64]) {
        for (i, h) in heights.iter().enumerate() {
            self.keep(first_row + i as u32, *h);
        }
    }

    /// When the last page would hold only `last_row`, starts that page a
    /// row earlier, so no page carries a lone row.
    pub fn no_lone_last_row(&mut self, last_row: u32) {
        let n = self.breaks.len();
        if n > 0 && self.breaks[n - 1] == last_row {
            let before = if n > 1 { self.breaks[n - 2] } else { 0 };
            // Only when the page before keeps at least two rows of its own.
            if last_row >= before + 3 {
                self.breaks[n - 1] = last_row - 1;
            }
        }
    }

    /// The breaks planned, row numbers that start a page (0-based).
    #[cfg(test)]
    pub fn breaks(&self) -> &[u32] {
        &self.breaks
    }

    /// Whether columns of these widths (Excel's units) fit across `paper`
    /// at full size, as both Excel and LibreOffice print them.
    pub fn fits(paper: Paper, widths: &[f64]) -> bool {
        super::measure::columns_print_points(widths) <= paper.width()
    }

    /// Sets the planned breaks on the sheet.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        if !self.breaks.is_empty() {
            ws.set_page_breaks(&self.breaks)?;
        }
        Ok(())
    }
}

/// A4 at full size: the orientation, margins and paper of [`a4`], scaled
/// down only if the columns are wider than the page (they are laid out not
/// to be), never to fit the length: body text prints at its own size.
pub fn full_size(ws: &mut Worksheet, landscape: bool) {
    fit_width(ws, landscape);
    let [l, r, t, b, h, f] = MARGINS;
    ws.set_margins(l, r, t, b, h, f);
}

/// Excel's limit on a page header's or footer's length, control codes
/// included.
const HEADER_LIMIT: usize = 255;

/// A page header of two parts, each of one or more lines: `left` (its first
/// line bold) and `right`, in 9-point type. Text is escaped, and cut so the
/// header stays within Excel's 255 characters (a longer one is dropped
/// whole by Excel and by rust_xlsxwriter).
pub fn header_text(left: &[String], right: &[String]) -> String {
    const SIZE: &str = "&9";
    let part = |lines: &[String], room: usize, bold_first: bool| -> String {
        let mut out = String::new();
        for (i, line) in lines.iter().filter(|l| !l.is_empty()).enumerate() {
            let lead = match (i, bold_first) {
                (0, true) => format!("&\"{},Bold\"{SIZE}", super::style::FONT),
                (0, false) => SIZE.to_string(),
                (_, true) => format!("\n&\"{},Regular\"{SIZE}", super::style::FONT),
                (_, false) => "\n".to_string(),
            };
            let line = hf(line);
            let left = room.saturating_sub(out.chars().count() + lead.chars().count());
            if left < 4 {
                break;
            }
            out.push_str(&lead);
            out.push_str(&cut(&line, left));
        }
        out
    };
    let l = part(left, HEADER_LIMIT / 2 - 2, true);
    let r = part(right, HEADER_LIMIT - l.chars().count() - 4, false);
    let mut s = String::new();
    if !l.is_empty() {
        s.push_str("&L");
        s.push_str(&l);
    }
    if !r.is_empty() {
        s.push_str("&R");
        s.push_str(&r);
    }
    s
}

/// A footer: the sheet's name on the left, `middle` in the centre and
/// "Page N of M" on the right, in 9-point type.
pub fn footer_text(middle: &str) -> String {
    let middle = if middle.is_empty() {
        String::new()
    } else {
        format!("&C&9{}", cut(&hf(middle), 120))
    };
    format!("&L&9&A{middle}&R&9Page &P of &N")
}

/// Text cut to `n` characters, ending "…" when cut, and never in the middle
/// of an escaped `&&`.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    // An odd run of '&' at the end would escape the "…".
    let amps = out.chars().rev().take_while(|c| *c == '&').count();
    if amps % 2 == 1 {
        out.pop();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes() {
        assert_eq!(Paper::PORTRAIT.width(), 523.0);
        assert_eq!(Paper::PORTRAIT.height(), 734.0);
        assert_eq!(Paper::LANDSCAPE.width(), 770.0);
        assert_eq!(Paper::LANDSCAPE.height(), 487.0);
    }

    #[test]
    fn what_belongs_together_starts_a_page_it_fits() {
        let mut p = Pager::new(Paper::LANDSCAPE);
        let room = p.left();
        p.keep(0, room - 50.0);
        p.keep(10, 40.0); // fits
        p.keep(12, 60.0); // does not: a new page at row 12
        assert_eq!(p.breaks(), &[12]);
        assert_eq!(p.left(), room - 60.0);
        // Taller than a page: starts one and runs on.
        p.keep(20, room * 1.5);
        assert_eq!(p.breaks(), &[12, 20]);
        assert!((p.left() - room * 0.5).abs() < 1e-9);
        // A break is never set twice, nor before the first row of a page.
        let mut q = Pager::new(Paper::LANDSCAPE);
        q.break_before(0);
        q.keep(0, 10.0);
        q.break_before(1);
        q.break_before(1);
        assert_eq!(q.breaks(), &[1]);
    }

    #[test]
    fn rows_of_set_heights_fill_the_page_closer_to_its_foot() {
        let planned = Pager::new(Paper::PORTRAIT).left();
        let exact = Pager::new(Paper::PORTRAIT).exact().left();
        assert_eq!(exact - planned, SLACK - EXACT_SLACK);
        assert!(exact < Paper::PORTRAIT.height());
        // A row that would not fit an estimated page fits an exact one.
        let mut p = Pager::new(Paper::PORTRAIT).exact();
        p.rows(0, &[planned, 10.0]);
        assert!(p.breaks().is_empty());
    }

    #[test]
    fn no_page_holds_a_lone_row() {
        let mut p = Pager::new(Paper::LANDSCAPE);
        let room = p.left();
        p.rows(0, &[room / 4.0 - 1.0; 5]);
        assert_eq!(p.breaks(), &[4]);
        p.no_lone_last_row(4);
        assert_eq!(p.breaks(), &[3]);
        // Two rows on the last page already: left as it is.
        let mut q = Pager::new(Paper::LANDSCAPE);
        q.rows(0, &[room / 4.0 - 1.0; 6]);
        q.no_lone_last_row(5);
        assert_eq!(q.breaks(), &[4]);
    }

    #[test]
    fn repeated_headings_take_room_on_later_pages() {
        let mut p = Pager::new(Paper::PORTRAIT).repeating(30.0);
        let room = p.left();
        p.rows(1, &[100.0; 20]);
        // Seven rows on the first page, then six under the headings.
        assert_eq!(p.breaks()[0], 1 + (room / 100.0) as u32);
        assert_eq!(
            p.breaks()[1] - p.breaks()[0],
            ((room - 30.0) / 100.0) as u32
        );
    }

    #[test]
    fn headers_stay_within_excel_limits() {
        let h = header_text(
            &["A & B Council".into(), "Self-assessment".into()],
            &["Appendix A".into()],
        );
        assert_eq!(
            h,
            "&L&\"Calibri,Bold\"&9A && B Council\n&\"Calibri,Regular\"&9Self-assessment&R&9Appendix A"
        );
        let long = "x&".repeat(300);
        let h = header_text(&[long.clone(), long.clone()], &[long.clone(), long]);
        assert!(h.encode_utf16().count() <= 255, "{}", h.len());
        assert!(h.contains("&R"));
        assert!(!h.contains("&…"), "an escape is never cut in half");
        assert_eq!(footer_text(""), "&L&9&A&R&9Page &P of &N");
    }
}
