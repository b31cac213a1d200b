//! The console the program prints to. On Windows: the console is switched to
//! UTF-8 output for the run (and switched back after), so ▲ ▼ › arrive
//! intact even through a pipe; where they still could not be shown, they
//! are printed as plain words. It also tells whether this process owns its
//! console window, which is so when Explorer started it (a folder dropped
//! on the exe): the window closes when the program ends, so the summary
//! waits for Enter. Elsewhere terminals speak UTF-8 and own no window, and
//! none of this changes anything.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where one of the standard streams goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Only Windows tells files and pipes apart; elsewhere all shows as is.
#[cfg_attr(not(windows), allow(dead_code))]
pub enum Sink {
    /// A console window: Rust's standard library writes UTF-16 to it, so
    /// any character the font has is shown.
    Console,
    /// A file: the UTF-8 bytes are kept as they are (Notepad reads them).
    File,
    /// A pipe into another program, which reads our bytes in the console's
    /// code page.
    Pipe,
}

/// The UTF-8 code page.
const UTF8: u32 = 65001;

/// Whether ▲ ▼ › can be printed to `sink` as they are, given the console's
/// output code page (None when there is no console).
pub fn symbols_shown(sink: Sink, code_page: Option<u32>) -> bool {
    match sink {
        Sink::Console | Sink::File => true,
        // With no console, nothing recodes our bytes.
        Sink::Pipe => matches!(code_page, None | Some(UTF8)),
    }
}

/// The text with the symbols a legacy code page cannot show replaced by
/// plain words: `Assessment › E14` becomes `Assessment > E14`.
pub fn plain_words(text: &str) -> Cow<'_, str> {
    if !text.contains(['▲', '▼', '›']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('▲', "(better)")
            .replace('▼', "(worse)")
            .replace('›', ">"),
    )
}

/// Whether a run should wait for Enter before ending: only in a window of
/// its own, and only when someone can press Enter (standard input is a
/// terminal, not a file, a pipe or nothing).
pub fn should_wait(owns_window: bool, stdin_is_terminal: bool) -> bool {
    owns_window && stdin_is_terminal
}

static PLAIN_OUT: AtomicBool = AtomicBool::new(false);
static PLAIN_ERR: AtomicBool = AtomicBool::new(false);

/// Text for standard output (`err` false) or standard error (`err` true),
/// in plain words where the symbols cannot be shown.
pub fn printable(text: &str, err: bool) -> Cow<'_, str> {
    let plain = if err { &PLAIN_ERR } else { &PLAIN_OUT };
    if plain.load(Ordering::Relaxed) {
        plain_words(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// The console as the run found it; dropping it puts the code page back.
pub struct Session {
    restore: Option<u32>,
}

/// Prepares the console for the run: UTF-8 output where possible, plain
/// words where not. Keep the returned value alive until the program ends.
pub fn prepare() -> Session {
    let restore = os::console_code_page().filter(|&cp| cp != UTF8 && os::set_code_page(UTF8));
    let code_page = os::console_code_page();
    PLAIN_OUT.store(
        !symbols_shown(os::sink(&std::io::stdout()), code_page),
        Ordering::Relaxed,
    );
    PLAIN_ERR.store(
        !symbols_shown(os::sink(&std::io::stderr()), code_page),
        Ordering::Relaxed,
    );
    Session { restore }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(cp) = self.restore {
            os::set_code_page(cp);
        }
    }
}

/// Whether this process is the only one attached to its console, so the
/// window closes when it ends (started from Explorer, not from a prompt).
pub fn owns_window() -> bool {
    os::owns_window()
}

/// When the program owns its window and someone can answer, asks for Enter
/// so the window stays open until the officer has read it.
pub fn wait_if_own_window() {
    if should_wait(owns_window(), std::io::stdin().is_terminal()) {
        crate::cmd::say("\nPress Enter to close this window.\n");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}

#[cfg(windows)]
mod os {
    //! The Windows console calls, through Microsoft's bindings.
    use std::io::IsTerminal;
    use std::os::windows::io::AsRawHandle;

    use windows_sys::Win32::Storage::FileSystem::{FILE_TYPE_DISK, GetFileType};
    use windows_sys::Win32::System::Console::{
        GetConsoleOutputCP, GetConsoleProcessList, SetConsoleOutputCP,
    };

    use super::Sink;

    pub fn console_code_page() -> Option<u32> {
        // SAFETY: no arguments; returns 0 when there is no console.
        let cp = unsafe { GetConsoleOutputCP() };
        (cp != 0).then_some(cp)
    }

    pub fn set_code_page(cp: u32) -> bool {
        // SAFETY: takes a number; fails (returns 0) for an unknown code page.
        unsafe { SetConsoleOutputCP(cp) != 0 }
    }

    pub fn sink(stream: &(impl AsRawHandle + IsTerminal)) -> Sink {
        if stream.is_terminal() {
            return Sink::Console;
        }
        // SAFETY: the handle is the stream's own, valid for the process's
        // life; GetFileType only reads what kind of object it is.
        match unsafe { GetFileType(stream.as_raw_handle()) } {
            FILE_TYPE_DISK => Sink::File,
            _ => Sink::Pipe,
        }
    }

    pub fn owns_window() -> bool {
        let mut ids = [0u32; 2];
        // SAFETY: the buffer holds `ids.len()` process ids; the call returns
        // how many processes share the console (0 on failure).
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        n == 1
    }
}

#[cfg(not(windows))]
mod os {
    //! Not Windows: terminals take UTF-8 and no program owns its window.
    use super::Sink;

    pub fn console_code_page() -> Option<u32> {
        None
    }

    pub fn set_code_page(_: u32) -> bool {
        false
    }

    pub fn sink(_: &impl std::io::IsTerminal) -> Sink {
        Sink::Console
    }

    pub fn owns_window() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_console_window_or_a_file_shows_the_symbols_whatever_the_code_page() {
        for cp in [None, Some(850), Some(1252), Some(UTF8)] {
            assert!(symbols_shown(Sink::Console, cp));
            assert!(symbols_shown(Sink::File, cp));
        }
    }

    #[test]
    fn a_pipe_shows_them_only_in_utf8_or_with_no_console_to_recode() {
        assert!(symbols_shown(Sink::Pipe, Some(UTF8)));
        assert!(symbols_shown(Sink::Pipe, None));
        assert!(!symbols_shown(Sink::Pipe, Some(850)));
        assert!(!symbols_shown(Sink::Pipe, Some(437)));
    }

    #[test]
    fn plain_words_replace_every_symbol_and_keep_the_rest() {
        let text = "Review - Governance.xlsx › Assessment › E14: ▲ G003, ▼ L0010; Save As › .xlsx";
        let plain = plain_words(text);
        assert_eq!(
            plain,
            "Review - Governance.xlsx > Assessment > E14: (better) G003, (worse) L0010; Save As > .xlsx"
        );
        assert!(plain.is_ascii());
        assert!(matches!(plain_words("Wrote ŵ.xlsx."), Cow::Borrowed(_)));
    }

    #[test]
    fn waits_only_in_its_own_window_with_someone_to_press_enter() {
        assert!(should_wait(true, true));
        assert!(!should_wait(true, false));
        assert!(!should_wait(false, true));
        assert!(!should_wait(false, false));
    }
}
