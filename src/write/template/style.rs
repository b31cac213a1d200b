//! The formats the templates use. Two kinds of cell matter to officers:
//! pale yellow cells are theirs to fill (unlocked), grey cells are filled in
//! for them (locked). Every input format calls `set_unlocked()` itself: a
//! cell written with its own format does not inherit a column's protection.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

use crate::write::committee::styles::{HEADER_FILL, text_colour_on};

pub const FONT: &str = "Calibri";
/// Cells officers fill in.
pub const INPUT_FILL: &str = "#FFF2CC";
/// Cells filled in for them, locked.
pub const FIXED_FILL: &str = "#EDEDED";
const GRID: &str = "#A6A6A6";
/// Excel's date format for UK day-first dates.
pub const DATE_FORMAT: &str = "dd/mm/yyyy";

pub struct Styles {
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
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

fn boxed(f: Format) -> Format {
    f.set_border(FormatBorder::Thin).set_border_color(GRID)
}

impl Styles {
    pub fn new() -> Styles {
        let top = |f: Format| f.set_align(FormatAlign::Top);
        let fixed = |f: Format| boxed(top(f.set_background_color(FIXED_FILL)));
        let input = |f: Format| boxed(top(f.set_background_color(INPUT_FILL))).set_unlocked();
        Styles {
            title: base()
                .set_bold()
                .set_font_size(16)
                .set_font_color(HEADER_FILL),
            subtitle: base().set_font_size(12).set_font_color("#404040"),
            note: top(base().set_italic().set_font_color("#404040")),
            section: base()
                .set_bold()
                .set_font_size(12)
                .set_font_color(HEADER_FILL)
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(HEADER_FILL),
            body: top(base().set_text_wrap()),
            step: top(base().set_bold().set_align(FormatAlign::Right)),
            label: fixed(base().set_bold()),
            fixed: fixed(base().set_text_wrap().set_align(FormatAlign::Left)),
            fixed_date: fixed(
                base()
                    .set_num_format(DATE_FORMAT)
                    .set_align(FormatAlign::Left),
            ),
            input: input(base().set_text_wrap().set_align(FormatAlign::Left)),
            input_date: input(
                base()
                    .set_num_format(DATE_FORMAT)
                    .set_align(FormatAlign::Left),
            ),
            header: boxed(
                base()
                    .set_bold()
                    .set_font_color("#FFFFFF")
                    .set_background_color(HEADER_FILL)
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            locked_text: fixed(base().set_text_wrap()),
            locked_code: fixed(base().set_bold()),
            reference: fixed(base().set_text_wrap().set_font_color("#404040")),
            reference_score: fixed(base().set_align(FormatAlign::Center)),
            input_wrap: input(base().set_text_wrap()),
            input_score: input(base().set_align(FormatAlign::Center)),
            input_text: input(base()),
        }
    }

    /// A legend swatch: the level's own colour with readable text, locked.
    pub fn swatch(&self, colour: &str) -> Format {
        boxed(
            base()
                .set_bold()
                .set_background_color(colour)
                .set_font_color(text_colour_on(colour))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        )
    }
}

/// The conditional format that colours a score or status cell by its value.
pub fn level_colour(fill: &str) -> Format {
    Format::new()
        .set_background_color(fill)
        .set_font_color(text_colour_on(fill))
}
