//! Reading: find the returns in the folders given, open each workbook and
//! turn its sheets into sparse grids of cells. Nothing here knows about
//! codes or scores.

pub mod cells;
pub mod discover;
pub mod gnumeric;
pub mod prescan;
pub mod returns;
pub mod workbook;

pub use discover::{Discovered, InputFile, Skipped, discover};
pub use workbook::{Book, Grid, OpenFailure, SheetLimit, open_book, open_book_sheets};
