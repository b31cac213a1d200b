//! Reads one officer's return: opens the workbook, works out what it is from
//! its own content, finds its table, and turns each row into checked records.
//! Every row read is either used or reported: the accounting is kept in
//! `ReturnInfo`.

mod actions;
mod assessment;
pub mod columns;
pub mod details;
mod row;
mod unread;

use calamine::Data;

use crate::dates;
use crate::framework::{Framework, fold};
use crate::problems::{Kind, Location, Problem, Problems};
use crate::read::workbook::MergedFailure;
use crate::read::{Book, InputFile, OpenFailure, cells, open_book};
use crate::records::{ActionUpdate, Entry, ReturnInfo, ReturnKind};
use columns::{Header, TableKind};
use details::{Detail, Key};
use unread::{failed, not_a_return, too_large};

/// Everything read from one workbook.
#[derive(Debug)]
pub struct ReadReturn {
    pub info: ReturnInfo,
    pub entries: Vec<Entry>,
    pub actions: Vec<ActionUpdate>,
    pub problems: Problems,
}

/// Reads a return from disk. The file is opened read-only and read whole
/// into memory; it is never written.
pub fn read_file(file: &InputFile, fw: &Framework) -> ReadReturn {
    use crate::read::workbook::MAX_FILE_BYTES;
    let bytes = crate::files::read_limited(&file.path, MAX_FILE_BYTES).map_err(|e| {
        let why = crate::files::why_unreadable(&e);
        match e.kind() {
            std::io::ErrorKind::FileTooLarge => OpenFailure::TooLarge(format!(
                "the file is larger than the {} MB limit for one return.",
                MAX_FILE_BYTES / (1024 * 1024)
            )),
            std::io::ErrorKind::InvalidInput => {
                OpenFailure::NotSpreadsheet(format!("it is {why}, so it was not opened."))
            }
            _ => OpenFailure::Unreadable(format!("the file could not be read: {why}.")),
        }
    });
    let ext = file
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match bytes {
        Ok(bytes) => read_bytes(&file.display, bytes, &ext, fw),
        Err(f) => failed(&file.display, f),
    }
}

thread_local! {
    /// Set while this thread reads a file inside `read_bytes`.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps a reader's panic (caught by `read_bytes`, the file reported as
/// damaged) to one line on stderr instead of a backtrace. Any other panic
/// is shown as usual. For the command line; tests and the fuzzer keep
/// their own hooks.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if READING.with(|r| r.get()) {
            let at = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "bestvalue: the spreadsheet reader failed on a file{at}; it is listed as damaged and the other files are read."
            );
        } else {
            default(info);
        }
    }));
}

/// Whether a sheet is the list of corrections of a feedback workbook: not
/// data, so that an officer can correct the return and send the workbook
/// back with the list still in it.
pub fn is_feedback_sheet(grid: &crate::read::Grid) -> bool {
    let a1 = match grid.get(0, 0) {
        Some(Data::String(s)) => Some(s.as_str()),
        _ => None,
    };
    crate::marks::is_feedback_list(&grid.name, a1)
}

/// Reads a return from its bytes (also the entry point for fuzzing).
///
/// A damaged file must never stop the run. Sizes are checked before any
/// dense read (see `input::prescan`), and the readers' own checks catch the
/// rest; should a reader still fail on bytes nobody foresaw, the panic is
/// caught here and the file reported as damaged, so the other returns are
/// still read.
/// A workbook bigger than this, unpacked, is read while no other big one is:
/// reading takes a few times a workbook's unpacked size at its peak, and
/// returns are read on every core at once, so two at the limits side by
/// side would double the most memory a run takes. Real returns are far
/// smaller and still read side by side.
const HEAVY_BYTES: u64 = 16 * 1024 * 1024;
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Hands memory freed after a big read back to the system. The C library's
/// allocator keeps what each thread freed for that thread to use again, so
/// big workbooks read one after another on different threads would each
/// leave their peak behind: the run's memory would add them up.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim(3) only returns free memory to the system; it
    // takes no pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

pub fn read_bytes(display: &str, bytes: Vec<u8>, ext: &str, fw: &Framework) -> ReadReturn {
    if is_published_copy(&bytes) {
        let mut info = ReturnInfo::new(display);
        info.kind = ReturnKind::Published;
        return ReadReturn {
            info,
            entries: Vec::new(),
            actions: Vec::new(),
            problems: Problems::default(),
        };
    }
    // A big workbook is read alone, not beside another (see HEAVY).
    let heavy = crate::read::prescan::unpacked_size(&bytes)
        .unwrap_or(0)
        .max(bytes.len() as u64)
        > HEAVY_BYTES;
    let _alone = heavy.then(|| HEAVY.lock().unwrap_or_else(|p| p.into_inner()));
    READING.with(|r| r.set(true));
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match open_book(bytes, ext) {
            Ok(book) => read_book(display, book, fw),
            Err(f) => failed(display, f),
        }
    }));
    READING.with(|r| r.set(false));
    if heavy {
        give_back_freed_memory();
    }
    read.unwrap_or_else(|_| {
        failed(
            display,
            OpenFailure::Damaged(
                "the file is damaged in a way the spreadsheet reader could not handle. Open it in Excel, save it again, and resend it.".into(),
            ),
        )
    })
}

/// Whether the bytes are the clerk's copy of a committee workbook (`build
/// --publish`), known by its document properties' comment: it has no
/// "Produced by" on its Cover to be known by, as the working copy has.
fn is_published_copy(bytes: &[u8]) -> bool {
    use std::io::Read;
    if !bytes.starts_with(b"PK") {
        return false;
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let Ok(core) = zip.by_name("docProps/core.xml") else {
        return false;
    };
    // The properties part is a few hundred bytes; read no more than 64 KB.
    let mut text = String::new();
    core.take(64 * 1024).read_to_string(&mut text).is_ok()
        && text.contains(crate::marks::PUBLISHED_COMMENT_XML)
}

fn read_book(display: &str, mut book: Book, fw: &Framework) -> ReadReturn {
    let mut out = ReadReturn {
        info: ReturnInfo::new(display),
        entries: Vec::new(),
        actions: Vec::new(),
        problems: Problems::default(),
    };
    out.info.format = book.format_name();
    // A corrected feedback workbook keeps our list of corrections: not data.
    book.sheets.retain(|g| !is_feedback_sheet(g));
    for (sheet, limit) in &book.too_large {
        out.problems.push(too_large(display, sheet, limit));
    }

    // First look for tables without knowing the round, to know where the
    // details block ends; then read the details; then the tables again with
    // the round known (round-named headings depend on it).
    // The sheets' cells, taken out of the book so that cell colours can
    // still be read from it while the rows are read (no copy of a sheet).
    let sheets = std::mem::take(&mut book.sheets);
    // Each sheet's first rows are classified once; the heading row is then
    // chosen without the round, and again with it.
    let scans: Vec<columns::Scan> = sheets.iter().map(|g| columns::scan(g, fw)).collect();
    let first: Vec<Option<Header>> = scans.iter().map(|s| columns::choose(s, None)).collect();
    let mut found: Vec<Detail> = Vec::new();
    for (g, h) in sheets.iter().zip(&first) {
        if g.hidden {
            continue;
        }
        for d in details::read(g, h.as_ref().map(|h| h.row)) {
            if !found.iter().any(|f| f.key == d.key) {
                found.push(d);
            }
        }
    }
    let get = |k: Key| found.iter().find(|d| d.key == k);

    if let Some(d) = get(Key::ProducedBy)
        && crate::marks::names_us(&cells::text(&d.value))
    {
        out.info.kind = ReturnKind::Committee;
        return out;
    }

    let loc_of = |d: &Detail| Location::cell(display, &d.sheet, d.row, d.col);
    let round = match get(Key::Round) {
        Some(d) if !cells::is_blank(Some(&d.value)) => {
            let text = cells::squeezed(&d.value);
            let r = fw.find_round(&text);
            if r.is_none() {
                out.problems.push(
                    Problem::new(
                        Kind::UnknownRound,
                        loc_of(d),
                        "This return names a round the framework does not have, so none of its scores can be used.",
                    )
                    .column(details::label(Key::Round))
                    .found(text)
                    .hint(format!("Write one of the rounds: {}.", round_names(fw))),
                );
            }
            r
        }
        _ => None,
    };
    out.info.round = round;

    let headers: Vec<Option<Header>> = scans.iter().map(|s| columns::choose(s, round)).collect();
    let declared = get(Key::ReturnType).map(|d| fold(&cells::text(&d.value)));
    let visible_kinds: Vec<TableKind> = sheets
        .iter()
        .zip(&headers)
        .filter(|(g, _)| !g.hidden)
        .filter_map(|(_, h)| h.as_ref().map(|h| h.kind))
        .collect();
    let kind = match declared.as_deref() {
        Some(t) if t.contains("action") => Some(TableKind::Actions),
        Some(t) if t.contains("assess") || t.contains("score") => Some(TableKind::Assessment),
        _ => visible_kinds.first().copied(),
    };
    // Hidden sheets are never read, but one that looks like a return's
    // table may hold what the officer meant to send: say so.
    for (g, h) in sheets.iter().zip(&headers) {
        if g.hidden && h.is_some() {
            out.problems.push(
                Problem::new(
                    Kind::HiddenSheet,
                    Location {
                        file: display.to_string(),
                        sheet: Some(g.name.clone()),
                        ..Location::default()
                    },
                    "This sheet looks like the return's table but is hidden, so it was not read.",
                )
                .hint("If it holds what was meant to be sent, unhide it (right-click a sheet tab › Unhide) and send the return again; if it is an old copy, nothing to do."),
            );
        }
    }
    let Some(kind) = kind.filter(|k| visible_kinds.contains(k)) else {
        out.problems
            .push(not_a_return(display, &sheets, &book, fw, round));
        return out;
    };
    out.info.kind = match kind {
        TableKind::Assessment => ReturnKind::Assessment,
        TableKind::Actions => ReturnKind::Actions,
    };

    // Who, when, which themes.
    // Names are printed in titles and page headers: an absurdly long one
    // is cut, and the cut reported.
    let mut name = |key: Key| {
        let d = get(key)?;
        let text = cells::squeezed(&d.value);
        if text.is_empty() {
            return None;
        }
        let Some(cut) = cells::cut_name(&text) else {
            return Some(text);
        };
        out.problems.push(
            Problem::new(
                Kind::TextTruncated,
                loc_of(d),
                format!(
                    "This name has {} characters; it was cut to the first {}, as names are printed in titles and page headers.",
                    cells::thousands(text.chars().count() as u64),
                    cells::MAX_NAME_CHARS
                ),
            )
            .column(details::label(key))
            .found(problems_short(&text))
            .hint("Give the name alone, without a description."),
        );
        Some(cut)
    };
    out.info.officer = name(Key::CompletedBy);
    out.info.authority = name(Key::Authority);
    // A cell naming several service areas names none (see details).
    out.info.service_area =
        name(Key::ServiceArea).filter(|s| details::one_service_area(s).is_some());
    out.info.framework_version = get(Key::FrameworkVersion)
        .map(|d| cells::squeezed(&d.value))
        .filter(|s| !s.is_empty());
    if let Some(d) = get(Key::DateCompleted) {
        let date1904 = sheets.first().is_some_and(|g| g.date1904);
        out.info.completed_at = Some(loc_of(d));
        match dates::parse_in(&d.value, date1904) {
            Ok(v) => out.info.completed = v.map(|v| v.date),
            Err(e) => out.problems.push(
                Problem::new(Kind::BadDate, loc_of(d), e.message)
                    .column(details::label(Key::DateCompleted))
                    .found(cells::shown(&d.value))
                    .hint(e.hint),
            ),
        }
    }
    if let Some(d) = get(Key::Themes) {
        let text = cells::squeezed(&d.value);
        let f = fold(&text);
        if f.is_empty() || f == "all" || f == "allthemes" {
            out.info.themes = Vec::new();
        } else {
            for part in text
                .split([',', ';', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match fw.find_theme(part) {
                    Some(t) => out.info.themes.push(t),
                    None => out.problems.push(
                        Problem::new(
                            Kind::UnknownTheme,
                            loc_of(d),
                            "This return names a theme the framework does not have.",
                        )
                        .column(details::label(Key::Themes))
                        .found(part)
                        .hint(format!(
                            "Write the theme's name as in the framework, for example \"{}\".",
                            fw.themes.first().map(|t| t.name.as_str()).unwrap_or("")
                        )),
                    ),
                }
            }
        }
    }
    if out.info.officer.is_none() {
        let loc = get(Key::CompletedBy)
            .map(loc_of)
            .unwrap_or_else(|| Location::file(display));
        out.problems.push(
            Problem::new(Kind::MissingOfficer, loc, "The return does not say who completed it.")
                .column(details::label(Key::CompletedBy))
                .hint("Type your name in the \"Completed by\" cell so the score trail can say who gave each score."),
        );
    }
    if kind == TableKind::Assessment
        && round.is_none()
        && get(Key::Round).is_none_or(|d| cells::is_blank(Some(&d.value)))
    {
        out.problems.push(
            Problem::new(
                Kind::UnknownRound,
                get(Key::Round).map(loc_of).unwrap_or_else(|| Location::file(display)),
                "The return does not say which round it is for, so its scores cannot be placed.",
            )
            .column(details::label(Key::Round))
            .hint(format!(
                "Add a cell labelled \"Round\" with one of {} beside it, or use the template issued for this round.",
                round_names(fw)
            )),
        );
    }

    let tables: Vec<usize> = (0..sheets.len())
        .filter(|&i| !sheets[i].hidden)
        .filter(|&i| headers[i].as_ref().is_some_and(|h| h.kind == kind))
        .collect();
    // A merged cell shows its area's value in every cell of it: needed
    // where rows are read, and only there.
    drop(scans);
    let mut sheets = sheets;
    let mut refused = Vec::new();
    for &i in &tables {
        let rows = headers[i].as_ref().map_or(0, |h| table_rows(&sheets[i], h));
        if rows > crate::read::workbook::MAX_TABLE_ROWS {
            out.problems.push(too_large(
                display,
                &sheets[i].name,
                &crate::read::SheetLimit::TableRows(rows),
            ));
            refused.push(i);
            continue;
        }
        // Reading merged areas parses the sheet again; skip it when every
        // cell the rows will look up has a value of its own.
        if headers[i]
            .as_ref()
            .is_some_and(|h| !all_filled(&sheets[i], h))
        {
            match book.merged_cells(&sheets[i].name) {
                Ok(m) => sheets[i].merged = m,
                Err(MergedFailure::TooMany(limit)) => {
                    out.problems
                        .push(too_large(display, &sheets[i].name, &limit));
                    refused.push(i);
                }
                Err(MergedFailure::Damaged(why)) => {
                    return failed(
                        display,
                        OpenFailure::DamagedSheet {
                            sheet: sheets[i].name.clone(),
                            last: sheets[i].last_cell,
                            inside: false,
                            why: crate::read::workbook::plain_reader_words(&why),
                        },
                    );
                }
            }
        }
    }
    let tables: Vec<usize> = tables
        .into_iter()
        .filter(|i| !refused.contains(i))
        .collect();
    let mut styles = StyleSource { sheets: &sheets };
    for i in tables {
        let grid = &sheets[i];
        let Some(header) = &headers[i] else { continue };
        let mut ctx = row::SheetCtx::new(display, grid, header, fw, &mut out);
        ctx.report_columns();
        match kind {
            TableKind::Assessment => assessment::read_rows(&mut ctx, &mut styles),
            TableKind::Actions => actions::read_rows(&mut ctx),
        }
    }
    out
}

/// Rows with something in them below the heading row (each one is read).
fn table_rows(grid: &crate::read::Grid, h: &Header) -> usize {
    grid.rows
        .range(h.row + 1..)
        .filter(|(_, cells)| cells.iter().any(|(_, v)| filled(Some(v))))
        .count()
}

/// Whether every row below the heading that has anything in it has a value
/// in every column the heading names: then no cell the reader looks up can
/// fall inside a merged area (those cells are empty), so merged areas need
/// not be read.
fn all_filled(grid: &crate::read::Grid, h: &Header) -> bool {
    grid.rows.range(h.row + 1..).all(|(row, cells)| {
        cells.iter().all(|(_, v)| cells::is_blank(Some(v)))
            || h.columns
                .values()
                .all(|(c, _)| grid.get(*row, *c).is_some())
    })
}

/// Gives the assessment reader the fill colour of blank cells.
pub struct StyleSource<'a> {
    sheets: &'a [crate::read::Grid],
}

impl StyleSource<'_> {
    pub fn fill(&mut self, sheet: &str, row: u32, col: u16) -> Option<String> {
        let grid = self.sheets.iter().find(|g| g.name == sheet)?;
        grid.fill(row, col).map(str::to_string)
    }
}

fn round_names(fw: &Framework) -> String {
    fw.rounds
        .iter()
        .map(|r| format!("\"{}\"", r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A long value shortened for a problem's "found".
fn problems_short(text: &str) -> String {
    crate::problems::short(text, 200)
}

/// True when a value has something in it.
pub(crate) fn filled(d: Option<&Data>) -> bool {
    !cells::is_blank(d)
}
