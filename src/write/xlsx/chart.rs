//! Charts that can be published: titled, described for screen readers
//! (alt text), labelled with their values, in type a reader can see on
//! paper, and readable in black-and-white print, where a level's colour
//! alone would turn to a grey like its neighbour's: every other level is
//! hatched, each bar segment is outlined and carries its count.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartFormat, ChartLine,
    ChartPatternFill, ChartPatternFillType, ChartSolidFill,
};

use super::style::{BLACK, FONT, WHITE};

/// Text sizes in a chart, in points, at the size the chart prints.
pub const TITLE_SIZE: f64 = 12.0;
pub const TEXT_SIZE: f64 = 10.0;

/// Hatching for the levels drawn over their colour, in turn: plain colour
/// and hatched levels alternate, so neighbours in a stack differ in
/// black-and-white print as well as in colour. Diagonal lines and a grid:
/// the two hatchings Excel and LibreOffice both draw distinctly.
const HATCHES: [Option<ChartPatternFillType>; 4] = [
    None,
    Some(ChartPatternFillType::DiagonalStripesWideUpwards),
    None,
    Some(ChartPatternFillType::DottedGrid),
];

fn font(size: f64) -> ChartFont {
    let mut f = ChartFont::new();
    f.set_name(FONT).set_size(size).set_color(BLACK);
    f
}

/// The font of an axis's name.
pub fn axis_font() -> ChartFont {
    font(TEXT_SIZE)
}

/// The fill of the `index`th level (in scale order) coloured `fill`: its
/// colour, hatched in black for every other level, outlined in black.
pub fn level_fill(index: usize, fill: &str) -> ChartFormat {
    let mut f = ChartFormat::new();
    match HATCHES[index % HATCHES.len()] {
        None => {
            f.set_solid_fill(ChartSolidFill::new().set_color(fill));
        }
        Some(p) => {
            f.set_pattern_fill(
                ChartPatternFill::new()
                    .set_pattern(p)
                    .set_foreground_color(BLACK)
                    .set_background_color(fill),
            );
        }
    }
    f.set_border(ChartLine::new().set_color(BLACK).set_width(0.75));
    f
}

/// A label on each bar segment with its count, black on a white box so it
/// reads over any colour or hatching; zero counts get no label.
pub fn count_labels() -> ChartDataLabel {
    let mut boxed = ChartFormat::new();
    boxed.set_solid_fill(ChartSolidFill::new().set_color(WHITE));
    let mut l = ChartDataLabel::new();
    l.show_value()
        .set_position(ChartDataLabelPosition::Center)
        .set_num_format("0;;;")
        .set_font(&font(TEXT_SIZE))
        .set_format(&mut boxed);
    l
}

/// Gives a chart what a published chart needs beyond its data: the title,
/// the alt text a screen reader gives in its place, and text at
/// [`TEXT_SIZE`] or more in the legend and on both axes.
pub fn finish(chart: &mut Chart, title: &str, alt_text: &str) {
    chart.title().set_name(title).set_font(&font(TITLE_SIZE));
    chart.set_alt_text(alt_text);
    chart.legend().set_font(&font(TEXT_SIZE));
    chart.x_axis().set_font(&font(TEXT_SIZE));
    chart.y_axis().set_font(&font(TEXT_SIZE));
}
