//! Everything the tool writes: the committee workbook, the sector workbook,
//! officers' templates, feedback workbooks, the chase list and the actions
//! CSV. Each output has its own module; they share the xlsx toolkit and the
//! output guard.

pub(crate) mod actions_csv;
pub mod chase;
pub mod committee;
pub(crate) mod csv;
pub mod feedback;
pub mod guard;
pub mod in_use;
pub mod markup;
pub mod sector;
pub mod template;
pub(crate) mod xlsx;
