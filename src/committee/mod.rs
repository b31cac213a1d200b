//! The committee workbook as a file format the tool owns: read back as last
//! month's baseline, last year's scores, a template's pre-fill and a sector
//! comparison's source.

pub mod read;
