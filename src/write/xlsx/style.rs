//! The one style set: the palette, the building blocks every format is made
//! of (font, heading banner, UK dates, borders, fills with readable text),
//! and the prepared formats of the two kinds of workbook the tool writes:
//! reports to read ([`Styles`]: committee and sector workbooks) and forms to
//! fill in ([`FormStyles`]: officers' templates). Lists and copies that keep
//! Excel's default font (chase list, feedback, generated returns) use the
//! building blocks on `Format::new()`.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, FormatUnderline};

pub const FONT: &str = "Calibri";
/// Heading banners, titles and section rules.
pub const HEADER_FILL: &str = "#1F3864";
/// Total rows.
pub const BAND_FILL: &str = "#D9E1F2";
pub const WHITE: &str = "#FFFFFF";
pub const BLACK: &str = "#000000";
/// Subtitles and notes.
pub const SOFT_TEXT: &str = "#404040";
/// Light borders of totals and grids of letters.
pub const LIGHT_RULE: &str = "#BFBFBF";
/// The dashed border of a cell not assessed, unlike the Grey level.
pub const NOT_ASSESSED_BORDER: &str = "#7F7F7F";
pub const LINK: &str = "#0563C1";
/// Cells officers fill in on a template.
pub const INPUT_FILL: &str = "#FFF2CC";
/// Cells filled in for them, locked.
pub const FIXED_FILL: &str = "#EDEDED";
/// The borders of a template's cells.
pub const FORM_GRID: &str = "#A6A6A6";
/// Flags: what needs attention (Overdue, No action), in white on red.
pub const ALERT_FILL: &str = "#C00000";
/// An error, and its text.
pub const ERROR_FILL: &str = "#F4CCCC";
pub const ERROR_TEXT: &str = "#9C0006";
/// A warning, and its text.
pub const WARNING_FILL: &str = "#FFF2CC";
pub const WARNING_TEXT: &str = "#7F6000";
/// Better or worse than the comparison (sector positions).
pub const BETTER_FILL: &str = "#C6EFCE";
pub const WORSE_FILL: &str = "#FFC7CE";
/// The type size of reports' body text, and the least any text may print
/// at on a page meant to be read (9 points; page headers and footers are
/// set at 9, where 8 would do).
pub const BODY_SIZE: f64 = 10.0;
pub const MIN_PRINT_SIZE: f64 = 9.0;
/// Excel's date format for UK day-first dates.
pub const DATE_FORMAT: &str = "dd/mm/yyyy";

/// Calibri at `size` points: the font of reports (10) and forms (11).
pub fn font(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size)
}

/// Aligned to the top of the cell, so a row of wrapped text reads across.
pub fn top(f: Format) -> Format {
    f.set_align(FormatAlign::Top)
}

/// A thin border all round in `colour`.
pub fn boxed(f: Format, colour: &str) -> Format {
    f.set_border(FormatBorder::Thin).set_border_color(colour)
}

/// The heading look: bold white text on the header colour.
pub fn banner(f: Format) -> Format {
    f.set_bold()
        .set_font_color(WHITE)
        .set_background_color(HEADER_FILL)
}

/// A UK date (day/month/year), left-aligned like text.
pub fn uk_date(f: Format) -> Format {
    f.set_num_format(DATE_FORMAT).set_align(FormatAlign::Left)
}

/// Wrapped text at the top of the cell.
pub fn wrap(f: Format) -> Format {
    top(f.set_text_wrap())
}

/// A solid fill with the text colour that reads on it.
pub fn on_fill(f: Format, fill: &str) -> Format {
    f.set_background_color(fill)
        .set_font_color(text_colour_on(fill))
}

/// Black or white text, whichever contrasts more with a fill (WCAG 2's
/// contrast ratio). The better of the two is always at least 4.58:1, so
/// text on any fill meets WCAG AA's 4.5:1: black on every level of the
/// default scale (white on Dark green would be 2.9:1), white on the
/// heading colour.
pub fn text_colour_on(fill: &str) -> &'static str {
    let text = if contrast(BLACK, fill) >= contrast(WHITE, fill) {
        BLACK
    } else {
        WHITE
    };
    debug_assert!(contrast(text, fill) >= MIN_CONTRAST, "{fill}");
    text
}

/// WCAG 2's relative luminance of a colour written `#RRGGBB`. Anything
/// else counts as white (the fill a cell has when it has none).
pub fn luminance(colour: &str) -> f64 {
    let v = u32::from_str_radix(colour.trim_start_matches('#'), 16).unwrap_or(0xFFFFFF);
    let channel = |shift: u32| {
        let c = f64::from((v >> shift) & 255) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
}

/// WCAG 2's contrast ratio between two colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG 2.2 AA's least contrast for body text.
pub const MIN_CONTRAST: f64 = 4.5;

/// Rule format: what needs the committee's attention (Overdue, No action),
/// bold white on red.
pub fn alert() -> Format {
    Format::new()
        .set_background_color(ALERT_FILL)
        .set_font_color(WHITE)
        .set_bold()
}

/// Rule format: an error, bold in its colours.
pub fn error_flag() -> Format {
    Format::new()
        .set_background_color(ERROR_FILL)
        .set_font_color(ERROR_TEXT)
        .set_bold()
}

/// Rule format: a warning, in its colours.
pub fn warning_flag() -> Format {
    Format::new()
        .set_background_color(WARNING_FILL)
        .set_font_color(WARNING_TEXT)
}

/// Rule format: better or worse than the comparison, bold on its fill
/// with the text colour that reads on it.
pub fn comparison_flag(fill: &str) -> Format {
    on_fill(Format::new(), fill).set_bold()
}

/// The formats of a report (committee and sector workbooks): Calibri 10.
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub label: Format,
    pub text: Format,
    pub wrap: Format,
    pub header: Format,
    pub date: Format,
    pub number: Format,
    pub percent: Format,
    pub bold_number: Format,
    /// A total row's number, on the band colour.
    pub total_number: Format,
    pub theme_title: Format,
    pub code_cell: Format,
    pub score_cell: Format,
    pub not_assessed: Format,
    pub blank_cell: Format,
    pub link: Format,
    pub note: Format,
    pub total_label: Format,
    pub total_percent: Format,
    /// A section's heading within a sheet (a table's or chart's title, a
    /// characteristic's code and label): bold, in the heading colour, ruled
    /// beneath.
    pub section: Format,
    /// The heading of a column of numbers or short words, centred over them.
    pub header_centre: Format,
    /// Wrapped text centred in the row's height: beside a swatch or a
    /// heading that is centred itself.
    pub wrap_middle: Format,
}

fn report() -> Format {
    font(BODY_SIZE)
}

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let bold_number = boxed(report().set_bold(), LIGHT_RULE).set_align(FormatAlign::Center);
        let total = |f: Format| boxed(f.set_bold(), LIGHT_RULE).set_background_color(BAND_FILL);
        Styles {
            title: report()
                .set_bold()
                .set_font_size(16)
                .set_font_color(HEADER_FILL),
            subtitle: report().set_font_size(11).set_font_color(SOFT_TEXT),
            label: top(report().set_bold()),
            text: top(report()),
            wrap: wrap(report()),
            header: boxed(
                banner(report())
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
                WHITE,
            ),
            date: top(uk_date(report())),
            number: top(report().set_align(FormatAlign::Center)),
            percent: top(report().set_num_format("0%").set_align(FormatAlign::Center)),
            total_number: bold_number.clone().set_background_color(BAND_FILL),
            bold_number,
            theme_title: banner(report())
                .set_font_size(11)
                .set_align(FormatAlign::VerticalCenter)
                .set_indent(1),
            code_cell: boxed(report().set_bold().set_font_size(11), WHITE)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Bottom),
            score_cell: boxed(report(), WHITE)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top),
            not_assessed: report()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Dashed)
                .set_border_color(NOT_ASSESSED_BORDER),
            blank_cell: report(),
            link: top(report()
                .set_font_color(LINK)
                .set_underline(FormatUnderline::Single)),
            note: wrap(report().set_italic().set_font_color(SOFT_TEXT)),
            total_label: total(report()),
            total_percent: total(report())
                .set_num_format("0%")
                .set_align(FormatAlign::Center),
            section: report()
                .set_bold()
                .set_font_size(12)
                .set_font_color(HEADER_FILL)
                .set_align(FormatAlign::Bottom)
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(HEADER_FILL),
            header_centre: boxed(
                banner(report())
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter)
                    .set_align(FormatAlign::Center),
                WHITE,
            ),
            wrap_middle: report()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
        }
    }

    /// A solid fill in a scale or status colour, with text that stays
    /// readable on it.
    pub fn fill(&self, colour: &str) -> Format {
        boxed(on_fill(report(), colour), WHITE)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
    }
}

/// The formats of an officer's template: Calibri 11. Two kinds of cell
/// matter to officers: pale yellow cells are theirs to fill (unlocked), grey
/// cells are filled in for them (locked). Every input format calls
/// `set_unlocked()` itself: a cell written with its own format does not
/// inherit a column's protection.
pub struct FormStyles {
    pub title: Format,
    pub subtitle: Format,
    pub note: Format,
    pub section: Format,
    pub body: Format,
    pub step: Format,
    pub label: Format,
    pub fixed: Format,
    pub fixed_date: Format,
    pub input: Format,
    pub input_date: Format,
    pub header: Format,
    pub locked_text: Format,
    pub locked_code: Format,
    pub reference: Format,
    pub reference_score: Format,
    pub input_wrap: Format,
    pub input_score: Format,
    pub input_text: Format,
    /// Bold and plain runs of a rich-text line (a lead-in and its text).
    pub rich_bold: Format,
    pub rich_plain: Format,
}

fn form() -> Format {
    font(11.0)
}

impl Default for FormStyles {
    fn default() -> FormStyles {
        FormStyles::new()
    }
}

impl FormStyles {
    pub fn new() -> FormStyles {
        let fixed = |f: Format| boxed(top(f.set_background_color(FIXED_FILL)), FORM_GRID);
        let input =
            |f: Format| boxed(top(f.set_background_color(INPUT_FILL)), FORM_GRID).set_unlocked();
        let left = |f: Format| f.set_text_wrap().set_align(FormatAlign::Left);
        FormStyles {
            title: form()
                .set_bold()
                .set_font_size(16)
                .set_font_color(HEADER_FILL),
            subtitle: form().set_font_size(12).set_font_color(SOFT_TEXT),
            note: top(form().set_italic().set_font_color(SOFT_TEXT)),
            section: form()
                .set_bold()
                .set_font_size(12)
                .set_font_color(HEADER_FILL)
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(HEADER_FILL),
            body: wrap(form()),
            step: top(form().set_bold().set_align(FormatAlign::Right)),
            label: fixed(form().set_bold()),
            fixed: fixed(left(form())),
            fixed_date: fixed(uk_date(form())),
            input: input(left(form())),
            input_date: input(uk_date(form())),
            header: boxed(
                banner(form())
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
                FORM_GRID,
            ),
            locked_text: fixed(form().set_text_wrap()),
            locked_code: fixed(form().set_bold()),
            reference: fixed(form().set_text_wrap().set_font_color(SOFT_TEXT)),
            reference_score: fixed(form().set_align(FormatAlign::Center)),
            input_wrap: input(form().set_text_wrap()),
            input_score: input(form().set_align(FormatAlign::Center)),
            input_text: input(form()),
            rich_bold: Format::new()
                .set_bold()
                .set_font_name(FONT)
                .set_font_size(11),
            rich_plain: Format::new().set_font_name(FONT).set_font_size(11),
        }
    }

    /// A legend swatch: the level's own colour with readable text, locked.
    pub fn swatch(&self, colour: &str) -> Format {
        boxed(
            on_fill(form().set_bold(), colour)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            FORM_GRID,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_computed_as_wcag_does() {
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#777777") - 1.0).abs() < 1e-9);
        // The figure the issue measured: white on Dark green.
        assert!((contrast(WHITE, "#00B050") - 2.87).abs() < 0.01);
    }

    #[test]
    fn text_on_any_fill_reaches_aa() {
        // Every grey, and every colour of a coarse cube.
        let mut fills: Vec<String> = (0..=255)
            .map(|g| format!("#{g:02X}{g:02X}{g:02X}"))
            .collect();
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    fills.push(format!("#{r:02X}{g:02X}{b:02X}"));
                }
            }
        }
        for f in &fills {
            let c = contrast(text_colour_on(f), f);
            assert!(c >= MIN_CONTRAST, "{f}: {c:.2}");
        }
        // Black on the default scale's five levels, white on the banner.
        for level in ["#00B050", "#92D050", "#FFFF00", "#FFC000", "#BFBFBF"] {
            assert_eq!(text_colour_on(level), BLACK, "{level}");
        }
        assert_eq!(text_colour_on(HEADER_FILL), WHITE);
        assert_eq!(text_colour_on(ALERT_FILL), WHITE);
    }

    #[test]
    fn the_palette_pairs_reach_aa() {
        for (text, fill) in [
            (WHITE, HEADER_FILL),
            (HEADER_FILL, WHITE),
            (BLACK, BAND_FILL),
            (SOFT_TEXT, WHITE),
            (LINK, WHITE),
            (ERROR_TEXT, ERROR_FILL),
            (WARNING_TEXT, WARNING_FILL),
            (WHITE, ALERT_FILL),
            (BLACK, BETTER_FILL),
            (BLACK, WORSE_FILL),
            (BLACK, INPUT_FILL),
            (BLACK, FIXED_FILL),
            (SOFT_TEXT, FIXED_FILL),
        ] {
            let c = contrast(text, fill);
            assert!(c >= MIN_CONTRAST, "{text} on {fill}: {c:.2}");
        }
    }
}
