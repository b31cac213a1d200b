//! Reading: find the returns in the folders given, open each workbook and
//! turn its sheets into sparse grids of cells. Nothing here knows about
//! codes or scores.

pub(crate) mod cells;
pub(crate) mod discover;
pub(crate) mod gnumeric;
pub(crate) mod prescan;
pub mod returns;
pub(crate) mod workbook;

pub use discover::{Discovered, InputFile, Skipped, discover};
pub use workbook::{
    Book, Grid, OpenFailure, SheetLimit, open_book, open_book_named, open_book_sheets,
};
