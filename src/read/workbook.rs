//! Opens one workbook (from its bytes, so the input file is only ever read)
//! and reads each sheet into a sparse grid. Sparse because one stray value in
//! XFD1048576 must not make us allocate a dense sheet of billions of cells.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

/// Files larger than this are not read: no officer's return is anywhere near
/// it, and calamine has no limit on how far a zip may expand.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Cells read from one sheet, at most. A full return has about 75 rows of 10
/// columns; this allows huge margins while bounding memory.
pub const MAX_CELLS_PER_SHEET: usize = 1_000_000;
/// Merged areas read from one sheet, at most. A return has a handful; each
/// empty cell looked up is checked against them, so an absurd number would
/// make reading crawl.
pub const MAX_MERGED_AREAS: usize = 10_000;

/// Which limit a sheet went over, with the count found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetLimit {
    /// More filled cells than [`MAX_CELLS_PER_SHEET`] (counting stopped).
    Cells(usize),
    /// More merged areas than [`MAX_MERGED_AREAS`].
    MergedAreas(usize),
}

type Bytes = Cursor<Vec<u8>>;

enum Format {
    Xlsx(Box<Xlsx<Bytes>>),
    Xls(Box<Xls<Bytes>>),
    Ods(Box<Ods<Bytes>>),
    Xlsb(Box<Xlsb<Bytes>>),
}

/// One sheet's cells, sparse. Positions are absolute and 0-based.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    /// Row → cells in column order.
    pub rows: BTreeMap<u32, Vec<(u16, Data)>>,
    /// Merged areas (xlsx and xls only). Left empty by `open_book`; filled
    /// by the reader, from `Book::merged_cells`, for the sheets whose rows
    /// it reads.
    pub merged: Vec<Dimensions>,
    /// Filled cells counted while reading (reading stops past the limit).
    pub cell_count: usize,
    /// The workbook counts dates from 1904 (old Mac Excel), not 1900.
    pub date1904: bool,
    /// The fill colour (`#RRGGBB`) of blank cells that have one: an officer
    /// may colour a score cell instead of choosing a score. Read with the
    /// cells, in the same pass (xlsx only; other formats do not expose
    /// cell styles).
    pub blank_fills: BTreeMap<(u32, u16), String>,
}

impl Grid {
    pub fn get(&self, row: u32, col: u16) -> Option<&Data> {
        let cells = self.rows.get(&row)?;
        cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &cells[i].1)
    }

    /// The value shown in a cell, taking merged areas into account: a cell
    /// inside a merged area shows the area's top-left value.
    /// The fill colour of a blank cell, as `#RRGGBB` (xlsx only).
    pub fn fill(&self, row: u32, col: u16) -> Option<&str> {
        self.blank_fills.get(&(row, col)).map(String::as_str)
    }

    pub fn shown(&self, row: u32, col: u16) -> Option<&Data> {
        match self.get(row, col) {
            Some(d) if !matches!(d, Data::Empty) => Some(d),
            _ => {
                let m = self.merged.iter().find(|m| m.contains(row, col as u32))?;
                self.get(m.start.0, m.start.1 as u16)
            }
        }
    }

    fn push(&mut self, row: u32, col: u32, value: Data) -> bool {
        if matches!(value, Data::Empty) || col > u16::MAX as u32 {
            return true;
        }
        self.cell_count += 1;
        if self.cell_count > MAX_CELLS_PER_SHEET {
            return false;
        }
        self.rows.entry(row).or_default().push((col as u16, value));
        true
    }
}

/// Why a workbook could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenFailure {
    Password,
    /// Damaged, truncated or not what its name says.
    Damaged(String),
    /// Not a spreadsheet at all (e.g. a text file renamed).
    NotSpreadsheet(String),
    TooLarge(String),
}

/// An open workbook with all its sheets read.
pub struct Book {
    format: Format,
    pub sheets: Vec<Grid>,
    /// Sheets too large to read, with the limit they went over.
    pub too_large: Vec<(String, SheetLimit)>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens a workbook from its bytes. `ext` is the file's extension, used only
/// as a tie-breaker: the content decides the format.
pub fn open_book(bytes: Vec<u8>, ext: &str) -> Result<Book, OpenFailure> {
    open_book_sheets(bytes, ext, usize::MAX)
}

/// [`open_book`], reading only the first `sheets` sheets' cells (for a quick
/// look at a workbook, such as whether it is one this tool wrote).
pub fn open_book_sheets(bytes: Vec<u8>, ext: &str, sheets: usize) -> Result<Book, OpenFailure> {
    open_selected(bytes, ext, &|i, _| i < sheets)
}

/// [`open_book`], reading only the sheets named (for a workbook whose
/// layout is known, such as a committee workbook this tool wrote).
pub fn open_book_named(bytes: Vec<u8>, ext: &str, names: &[&str]) -> Result<Book, OpenFailure> {
    open_selected(bytes, ext, &|_, name| names.contains(&name))
}

/// Opens a workbook, reading the cells of the sheets `keep` picks (by
/// position among the worksheets, and name).
fn open_selected(
    bytes: Vec<u8>,
    ext: &str,
    keep: &dyn Fn(usize, &str) -> bool,
) -> Result<Book, OpenFailure> {
    if bytes.is_empty() {
        return Err(OpenFailure::Damaged(
            "the file is empty (0 bytes). It was probably not saved or copied properly.".into(),
        ));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(OpenFailure::TooLarge(format!(
            "the file is {} MB; the largest return read is {} MB.",
            bytes.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let format = if bytes.starts_with(ZIP_MAGIC) {
        // ODS files start with an uncompressed `mimetype` entry.
        let is_ods = bytes
            .get(30..90)
            .is_some_and(|h| h.windows(11).any(|w| w == b"opendocumen"));
        super::prescan::check_zip(&bytes)?;
        if is_ods || ext == "ods" {
            super::prescan::check_ods(&bytes)?;
            open_ods(bytes)?
        } else if ext == "xlsb" {
            Format::Xlsb(Box::new(
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
            ))
        } else {
            Format::Xlsx(Box::new(
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(
                    |e: calamine::XlsxError| {
                        if matches!(e, calamine::XlsxError::Password) {
                            OpenFailure::Password
                        } else {
                            damaged(&e)
                        }
                    },
                )?,
            ))
        }
    } else if bytes.starts_with(CFB_MAGIC) {
        // Either a legacy .xls, or an encrypted .xlsx (which is stored in a
        // compound file). The compound file is checked first: see prescan.
        if super::prescan::check_compound(&bytes)? == super::prescan::Compound::Encrypted {
            return Err(OpenFailure::Password);
        }
        // calamine reads every sheet densely as it opens the file: it
        // opens the checked workbook stream in a fresh container.
        let bytes = super::prescan::prepare_xls(&bytes)?;
        Format::Xls(Box::new(
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(
                |e: calamine::XlsError| {
                    if matches!(e, calamine::XlsError::Password) {
                        OpenFailure::Password
                    } else {
                        damaged(&e)
                    }
                },
            )?,
        ))
    } else {
        let looks_text = bytes.iter().take(512).all(|b| *b >= 9 && (*b != 0x7f));
        return Err(OpenFailure::NotSpreadsheet(if looks_text {
            "the file is plain text, not a spreadsheet, although its name ends in a spreadsheet extension.".into()
        } else {
            "the file is not a spreadsheet that Excel or LibreOffice writes.".into()
        }));
    };
    let mut book = Book {
        format,
        sheets: Vec::new(),
        too_large: Vec::new(),
    };
    book.read_sheets(keep)?;
    Ok(book)
}

fn open_ods(bytes: Vec<u8>) -> Result<Format, OpenFailure> {
    let open = |bytes: Vec<u8>| {
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map(|o| Format::Ods(Box::new(o)))
    };
    match open(bytes.clone()) {
        Ok(f) => Ok(f),
        Err(calamine::OdsError::Password) => Err(OpenFailure::Password),
        // Written by another program (Gnumeric indents its XML): read
        // again without the layout spaces before calling it damaged.
        Err(e) => {
            super::gnumeric::without_layout_spaces(&bytes, super::prescan::MAX_UNPACKED_BYTES)
                .and_then(|tidy| open(tidy).ok())
                .ok_or_else(|| damaged(&e))
        }
    }
}

/// A file the spreadsheet reader refused. The reader's own words name its
/// internals (XML events, zip records), which mean nothing to an officer:
/// the message says what it means in plain words instead.
fn damaged(_e: &dyn std::fmt::Display) -> OpenFailure {
    OpenFailure::Damaged(
        "the file is damaged or incomplete (often a file cut short while being copied or downloaded), so it could not be opened. Open it in Excel or LibreOffice, save it again as an Excel workbook (.xlsx), and resend it.".into(),
    )
}

impl Book {
    fn reader(&mut self) -> &mut dyn SheetSource {
        match &mut self.format {
            Format::Xlsx(x) => x.as_mut(),
            Format::Xls(x) => x.as_mut(),
            Format::Ods(x) => x.as_mut(),
            Format::Xlsb(x) => x.as_mut(),
        }
    }

    fn read_sheets(&mut self, keep: &dyn Fn(usize, &str) -> bool) -> Result<(), OpenFailure> {
        let meta: Vec<(String, bool)> = {
            let r = self.reader();
            r.meta()
        };
        let date1904 = match &self.format {
            Format::Xlsx(x) => x.has_1904_epoch(),
            Format::Xls(x) => x.has_1904_epoch(),
            Format::Xlsb(x) => x.has_1904_epoch(),
            Format::Ods(_) => false, // dates are written as ISO text
        };
        for (i, (name, hidden)) in meta.into_iter().enumerate() {
            if !keep(i, &name) {
                continue;
            }
            let mut grid = Grid {
                name: name.clone(),
                hidden,
                date1904,
                ..Grid::default()
            };
            let complete = match &mut self.format {
                Format::Xlsx(x) => read_xlsx_sheet(x, &name, &mut grid),
                Format::Xlsb(x) => read_xlsb_sheet(x, &name, &mut grid),
                // .xls and .ods: read whole by calamine as the file opened,
                // after prescan checked every sheet's size.
                _ => {
                    let range = self.reader().range(&name);
                    match range {
                        Some(range) => {
                            let mut ok = true;
                            for (r, c, v) in range.used_cells() {
                                let (r0, c0) = range.start().unwrap_or((0, 0));
                                if !grid.push(r0 + r as u32, c0 + c as u32, v.clone()) {
                                    ok = false;
                                    break;
                                }
                            }
                            ok
                        }
                        None => true,
                    }
                }
            };
            if !complete {
                self.too_large
                    .push((name, SheetLimit::Cells(grid.cell_count.saturating_sub(1))));
                continue;
            }
            // A damaged file may list a row's cells out of order, or one
            // cell twice: keep each row sorted by column, first value kept,
            // so that looking a cell up always finds the same value.
            for cells in grid.rows.values_mut() {
                cells.sort_by_key(|(c, _)| *c);
                cells.dedup_by_key(|(c, _)| *c);
            }
            self.sheets.push(grid);
        }
        Ok(())
    }

    /// A sheet's merged areas (xlsx and xls only). Not read with the cells:
    /// for xlsx it means parsing the sheet a second time, and only the sheets
    /// whose rows are read need it (see [`Grid::merged`]).
    ///
    /// More than [`MAX_MERGED_AREAS`] is refused: every empty cell looked up
    /// searches them, so an absurd number would make reading crawl.
    pub fn merged_cells(&mut self, sheet: &str) -> Result<Vec<Dimensions>, SheetLimit> {
        let merged = match &mut self.format {
            Format::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            Format::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        if merged.len() > MAX_MERGED_AREAS {
            return Err(SheetLimit::MergedAreas(merged.len()));
        }
        Ok(merged)
    }

    /// Whether cell styles can be read (colour-only scores need them).
    pub fn has_styles(&self) -> bool {
        matches!(self.format, Format::Xlsx(_))
    }

    /// The file's format as a user would name it.
    pub fn format_name(&self) -> &'static str {
        match self.format {
            Format::Xlsx(_) => "Excel workbook",
            Format::Xls(_) => "Excel 97-2003 workbook",
            Format::Ods(_) => "OpenDocument spreadsheet",
            Format::Xlsb(_) => "Excel binary workbook",
        }
    }
}

/// Streams an xlsx sheet cell by cell so memory follows the cells present,
/// not the sheet's declared size, keeping the fill colour of blank cells
/// from the same pass. Returns false when the sheet is too large.
fn read_xlsx_sheet(x: &mut Xlsx<Bytes>, name: &str, grid: &mut Grid) -> bool {
    let Ok(mut reader) = x.worksheet_cells_reader(name) else {
        return true;
    };
    loop {
        match reader.next_cell_with_style_id() {
            Ok(Some((cell, style))) => {
                let (r, c) = cell.get_position();
                let v: Data = cell.get_value().clone().into();
                if style > 0
                    && crate::read::cells::is_blank(Some(&v))
                    && c <= u16::MAX as u32
                    && let Some(fill) = reader.styles().get(style).and_then(fill_colour)
                {
                    grid.blank_fills.insert((r, c as u16), fill);
                }
                if !grid.push(r, c, v) {
                    return false;
                }
            }
            // A damaged sheet stops at the damage; what was read is kept.
            Ok(None) | Err(_) => return true,
        }
    }
}

/// Streams an xlsb sheet cell by cell, like [`read_xlsx_sheet`]:
/// `worksheet_range` would build a dense grid from the sheet's extent.
fn read_xlsb_sheet(x: &mut Xlsb<Bytes>, name: &str, grid: &mut Grid) -> bool {
    let Ok(mut reader) = x.worksheet_cells_reader(name) else {
        return true;
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                let v: Data = cell.get_value().clone().into();
                if !grid.push(r, c, v) {
                    return false;
                }
            }
            Ok(None) | Err(_) => return true,
        }
    }
}

/// A style's visible fill colour as `#RRGGBB`.
fn fill_colour(style: &calamine::Style) -> Option<String> {
    let fill = style.fill.as_ref()?;
    if !fill.is_visible() {
        return None;
    }
    let c = fill.get_color()?;
    Some(format!("#{:02X}{:02X}{:02X}", c.red, c.green, c.blue))
}

/// What the reading code needs from every calamine reader.
trait SheetSource {
    fn meta(&self) -> Vec<(String, bool)>;
    fn range(&mut self, name: &str) -> Option<calamine::Range<Data>>;
}

impl<R: Reader<Bytes>> SheetSource for R {
    fn meta(&self) -> Vec<(String, bool)> {
        self.sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect()
    }

    fn range(&mut self, name: &str) -> Option<calamine::Range<Data>> {
        self.worksheet_range(name).ok()
    }
}
