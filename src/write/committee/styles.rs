//! Every format the committee workbook uses, in one place, so the sheets
//! share one look.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

pub const FONT: &str = "Calibri";
pub const HEADER_FILL: &str = "#1F3864";
pub const BAND_FILL: &str = "#D9E1F2";
pub const NOT_ASSESSED_BORDER: &str = "#7F7F7F";

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
    pub bold: Format,
    pub theme_title: Format,
    pub code_cell: Format,
    pub score_cell: Format,
    pub not_assessed: Format,
    pub blank_cell: Format,
    pub link: Format,
    pub note: Format,
    pub total_label: Format,
    pub total_percent: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(10)
}

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let top = |f: Format| f.set_align(FormatAlign::Top);
        Styles {
            title: base()
                .set_bold()
                .set_font_size(16)
                .set_font_color("#1F3864"),
            subtitle: base().set_font_size(11).set_font_color("#404040"),
            label: top(base().set_bold()),
            text: top(base()),
            wrap: top(base().set_text_wrap()),
            header: base()
                .set_bold()
                .set_font_color("#FFFFFF")
                .set_background_color(HEADER_FILL)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color("#FFFFFF"),
            date: top(base()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Left)),
            number: top(base().set_align(FormatAlign::Center)),
            percent: top(base().set_num_format("0%").set_align(FormatAlign::Center)),
            bold_number: base()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_border_color("#BFBFBF"),
            bold: base().set_bold(),
            theme_title: base()
                .set_bold()
                .set_font_size(11)
                .set_font_color("#FFFFFF")
                .set_background_color(HEADER_FILL)
                .set_align(FormatAlign::VerticalCenter)
                .set_indent(1),
            code_cell: base()
                .set_bold()
                .set_font_size(11)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Bottom)
                .set_border(FormatBorder::Thin)
                .set_border_color("#FFFFFF"),
            score_cell: base()
                .set_font_size(8)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_border_color("#FFFFFF"),
            not_assessed: base()
                .set_font_size(8)
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Dashed)
                .set_border_color(NOT_ASSESSED_BORDER),
            blank_cell: base(),
            link: top(base()
                .set_font_color("#0563C1")
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)),
            note: base()
                .set_italic()
                .set_font_color("#404040")
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            total_label: base()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_border_color("#BFBFBF")
                .set_background_color(BAND_FILL),
            total_percent: base()
                .set_bold()
                .set_num_format("0%")
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_border_color("#BFBFBF")
                .set_background_color(BAND_FILL),
        }
    }

    /// A solid fill in a scale or status colour, with text that stays
    /// readable on it.
    pub fn fill(&self, colour: &str) -> Format {
        base()
            .set_background_color(colour)
            .set_font_color(text_colour_on(colour))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_border_color("#FFFFFF")
    }
}

/// Black or white text, whichever reads better on a fill.
pub fn text_colour_on(fill: &str) -> &'static str {
    let v = u32::from_str_radix(fill.trim_start_matches('#'), 16).unwrap_or(0xFFFFFF);
    let (r, g, b) = ((v >> 16) & 255, (v >> 8) & 255, v & 255);
    // Perceived luminance (ITU-R BT.601).
    if r * 299 + g * 587 + b * 114 > 140_000 {
        "#000000"
    } else {
        "#FFFFFF"
    }
}
