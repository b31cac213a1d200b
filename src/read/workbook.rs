//! Opens one workbook (from its bytes, so the input file is only ever read)
//! and reads each sheet into a sparse grid. Sparse because one stray value in
//! XFD1048576 must not make us allocate a dense sheet of billions of cells.

use std::io::Cursor;

use calamine::{Data, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

pub use super::grid::{
    Budget, Grid, MAX_CELLS_PER_SHEET, MAX_TABLE_ROWS, MAX_TEXT_BYTES, SheetLimit,
};

/// Files larger than this are not read: no officer's return is anywhere near
/// it, and calamine has no limit on how far a zip may expand.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Merged areas read from one sheet, at most. A return has a handful; each
/// empty cell looked up is checked against them, so an absurd number would
/// make reading crawl.
pub const MAX_MERGED_AREAS: usize = 10_000;

type Bytes = Cursor<Vec<u8>>;

enum Format {
    Xlsx(Box<Xlsx<Bytes>>),
    Xls(Box<Xls<Bytes>>),
    Ods(Box<Ods<Bytes>>),
    Xlsb(Box<Xlsb<Bytes>>),
}

/// Why a sheet's merged areas could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum MergedFailure {
    TooMany(SheetLimit),
    /// The sheet's part is damaged where the merged areas are listed.
    Damaged(String),
}

/// Why a workbook could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenFailure {
    Password,
    /// Damaged, truncated or not what its name says.
    Damaged(String),
    /// Not a spreadsheet at all (e.g. a text file renamed).
    NotSpreadsheet(String),
    /// The file could not be read (permission, a lock): it may be fine.
    Unreadable(String),
    /// A sheet is damaged part-way through: what it holds after the damage
    /// cannot be read, so nothing in the file is used.
    DamagedSheet {
        sheet: String,
        /// The last cell read before the damage (row, column), if any, or
        /// the cell the damage is in (`inside`).
        last: Option<(u32, u16)>,
        inside: bool,
        why: String,
    },
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
        super::integrity::check_zip_parts(&bytes)?;
        super::integrity::check_holds_a_workbook(&bytes)?;
        if is_ods || ext == "ods" {
            super::prescan::check_ods(&bytes)?;
            super::wellformed::check_ods(&bytes)?;
            open_ods(bytes)?
        } else if ext == "xlsb" {
            super::prescan::check_xlsb(&bytes)?;
            Format::Xlsb(Box::new(
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
            ))
        } else {
            super::prescan::check_shared_strings(&bytes)?;
            super::prescan::check_styles(&bytes)?;
            super::wellformed::check_xlsx(&bytes, keep)?;
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
        if super::prescan::check_compound(&bytes)? == super::prescan::Compound::Encrypted
            || super::integrity::xls_encrypted(&bytes)
        {
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
        return Err(OpenFailure::NotSpreadsheet(what_else(&bytes)));
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

/// What a file that is not a spreadsheet seems to be, as the officer would
/// know it: systems export reports as web pages or CSV named `.xls`, and
/// Excel opens those without a word.
fn what_else(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(1024)];
    let text = bytes.iter().take(512).all(|b| *b >= 9 && *b != 0x7f);
    let unicode = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let lower = String::from_utf8_lossy(head).to_lowercase();
    if text
        && ["<html", "<!doctype html", "<table"]
            .iter()
            .any(|t| lower.contains(t))
    {
        "the file is a web page (HTML) with a spreadsheet's name, as some systems export their reports: Excel opens it, but it is not a workbook.".into()
    } else if text
        && lower
            .lines()
            .next()
            .is_some_and(|l| l.contains(',') || l.contains('\t'))
    {
        "the file is text with its values separated by commas or tabs (CSV), not a workbook, although its name ends in a spreadsheet extension.".into()
    } else if text || unicode {
        "the file is plain text, not a spreadsheet, although its name ends in a spreadsheet extension.".into()
    } else {
        "the file is not a spreadsheet that Excel or LibreOffice writes.".into()
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

    /// Reads the sheets `keep` chooses (by position and name). Damage met
    /// in a sheet is an error for the whole file: the rows after it cannot
    /// be read, and a return read in part would lose them in silence.
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
        let mut budget = Budget::default();
        for (i, (name, hidden)) in meta.into_iter().enumerate() {
            if !keep(i, &name) {
                continue;
            }
            let mut grid = Grid::new(&name, hidden, date1904);
            let read = match &mut self.format {
                Format::Xlsx(x) => read_xlsx_sheet(x, &mut grid, &mut budget),
                Format::Xlsb(x) => read_xlsb_sheet(x, &mut grid, &mut budget),
                // .xls and .ods: read whole by calamine as the file opened,
                // after prescan checked every sheet's size.
                _ => match self.reader().range(&name) {
                    Ok(range) => {
                        let (r0, c0) = range.start().unwrap_or((0, 0));
                        let mut read = SheetRead::Complete;
                        for (r, c, v) in range.used_cells() {
                            let (r, c) = (r0 + r as u32, c0 + c as u32);
                            if let Err(limit) = grid.push(&mut budget, r, c, v.clone()) {
                                read = SheetRead::TooLarge(limit);
                                break;
                            }
                        }
                        read
                    }
                    Err(why) => SheetRead::Damaged(why),
                },
            };
            match read {
                SheetRead::Complete => {}
                SheetRead::TooLarge(limit) => {
                    self.too_large.push((name, limit));
                    continue;
                }
                SheetRead::Damaged(why) => {
                    return Err(OpenFailure::DamagedSheet {
                        sheet: name,
                        last: grid.last_cell,
                        inside: false,
                        why: plain_reader_words(&why),
                    });
                }
            }
            if let Err(limit) = grid.finish() {
                self.too_large.push((name, limit));
                continue;
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
    /// searches them, so an absurd number would make reading crawl. Damage
    /// met while reading them is damage to the file, as in the cells.
    pub fn merged_cells(&mut self, sheet: &str) -> Result<Vec<Dimensions>, MergedFailure> {
        let damaged = |e: &dyn std::fmt::Display| MergedFailure::Damaged(e.to_string());
        let merged = match &mut self.format {
            Format::Xlsx(x) => x
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| damaged(&e))?,
            Format::Xls(x) => x
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| damaged(&e))?,
            _ => Vec::new(),
        };
        if merged.len() > MAX_MERGED_AREAS {
            return Err(MergedFailure::TooMany(SheetLimit::MergedAreas(
                merged.len(),
            )));
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

/// What the spreadsheet reader said about a damaged sheet, in plain words
/// (its own name its internals). Most damage is found first, strictly, by
/// `wellformed`; this is what is left to the reader.
pub fn plain_reader_words(why: &str) -> String {
    let w = why.to_lowercase();
    if w.contains("shared strings") {
        "a cell refers to an entry of the shared text that is not there"
    } else if w.contains("not found") {
        "its contents are missing from the file"
    } else if w.contains("unexpected end") || w.contains("eof") {
        "it ends part-way through (it was cut short)"
    } else if w.contains("utf-8") || w.contains("utf8") {
        "it holds bytes that are not text (not UTF-8)"
    } else if w.contains("entity") || w.contains("reference") {
        "it uses a name XML does not define, or an & that was not escaped"
    } else {
        "it is not in the form a spreadsheet program writes"
    }
    .to_string()
}

/// How reading one sheet's cells ended.
enum SheetRead {
    Complete,
    /// Over a limit (see [`Budget`]): reading stopped.
    TooLarge(SheetLimit),
    /// The sheet's part is damaged; reading stopped there.
    Damaged(String),
}

/// Streams an xlsx sheet cell by cell so memory follows the cells present,
/// not the sheet's declared size, keeping the fill colour of blank cells
/// from the same pass.
fn read_xlsx_sheet(x: &mut Xlsx<Bytes>, grid: &mut Grid, budget: &mut Budget) -> SheetRead {
    let mut reader = match x.worksheet_cells_reader(&grid.name) {
        Ok(r) => r,
        Err(e) => return SheetRead::Damaged(e.to_string()),
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
                if let Err(limit) = grid.push(budget, r, c, v) {
                    return SheetRead::TooLarge(limit);
                }
            }
            Ok(None) => return SheetRead::Complete,
            Err(e) => return SheetRead::Damaged(e.to_string()),
        }
    }
}

/// Streams an xlsb sheet cell by cell, like [`read_xlsx_sheet`]:
/// `worksheet_range` would build a dense grid from the sheet's extent.
fn read_xlsb_sheet(x: &mut Xlsb<Bytes>, grid: &mut Grid, budget: &mut Budget) -> SheetRead {
    let mut reader = match x.worksheet_cells_reader(&grid.name) {
        Ok(r) => r,
        Err(e) => return SheetRead::Damaged(e.to_string()),
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                let v: Data = cell.get_value().clone().into();
                if let Err(limit) = grid.push(budget, r, c, v) {
                    return SheetRead::TooLarge(limit);
                }
            }
            Ok(None) => return SheetRead::Complete,
            Err(e) => return SheetRead::Damaged(e.to_string()),
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
    fn range(&mut self, name: &str) -> Result<calamine::Range<Data>, String>;
}

impl<R: Reader<Bytes>> SheetSource for R
where
    R::Error: std::fmt::Display,
{
    fn meta(&self) -> Vec<(String, bool)> {
        self.sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect()
    }

    fn range(&mut self, name: &str) -> Result<calamine::Range<Data>, String> {
        self.worksheet_range(name).map_err(|e| e.to_string())
    }
}
