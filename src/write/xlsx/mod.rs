//! The xlsx toolkit every workbook the tool writes is built with: one style
//! set ([`style`]), cells written safely ([`cells`]: officers' text never
//! becomes a formula, dates converted once), conditional formats that colour
//! a cell by its level ([`levels`]), A4 print setup ([`page`]) and document
//! properties with a fixed creation date ([`properties`]). Each output has
//! its own module beside this one and draws on these; none builds its own
//! formats from raw colours.

pub mod cells;
pub mod chart;
pub mod columns;
pub mod levels;
pub mod measure;
pub mod page;
pub mod properties;
pub mod style;
pub mod table;

pub use cells::{count, date, excel_date, fit_height, headings, span, text};
pub use page::{a4, full_size, print_setup};

#[cfg(test)]
mod tests;
