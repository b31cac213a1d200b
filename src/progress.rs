//! Progress on long runs: "Reading 1234 of 7500: Review - Culture.xlsx",
//! redrawn in place on the terminal. Silent when standard error is not a
//! terminal (a log file, a pipe, a scheduled job) or with `--quiet`, so it
//! never gets into anything a program reads. It only ever writes to standard
//! error, never to the outputs.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How often the line is redrawn at most: often enough to look alive,
/// rarely enough to cost nothing on a run of thousands of small files.
const REDRAW: Duration = Duration::from_millis(80);
/// Longest line drawn (file names can be long; a wrapped line cannot be
/// redrawn in place).
const WIDTH: usize = 78;

struct Sink {
    out: Box<dyn Write + Send>,
    last: Option<Instant>,
    drawn: bool,
}

/// A progress line. Shared by the reading threads.
pub struct Progress {
    verb: &'static str,
    total: AtomicUsize,
    done: AtomicUsize,
    sink: Option<Mutex<Sink>>,
}

impl Progress {
    /// Shows nothing.
    pub fn hidden() -> Progress {
        Progress {
            verb: "",
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            sink: None,
        }
    }

    /// Shows progress on standard error when it is a terminal and `quiet`
    /// is not set.
    pub fn on_terminal(verb: &'static str, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        Progress::to_writer(verb, Box::new(std::io::stderr()))
    }

    /// Draws to any writer (for tests).
    pub fn to_writer(verb: &'static str, out: Box<dyn Write + Send>) -> Progress {
        Progress {
            verb,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            sink: Some(Mutex::new(Sink {
                out,
                last: None,
                drawn: false,
            })),
        }
    }

    pub fn is_shown(&self) -> bool {
        self.sink.is_some()
    }

    /// Sets how many items the run will go through.
    pub fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Marks the start of the next item, named `name`.
    pub fn step(&self, name: &str) {
        let Some(sink) = &self.sink else { return };
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed).max(n);
        // Another thread drawing right now: skip this one, not wait.
        let Ok(mut s) = sink.try_lock() else { return };
        let now = Instant::now();
        if n != total && s.last.is_some_and(|t| now.duration_since(t) < REDRAW) {
            return;
        }
        s.last = Some(now);
        s.drawn = true;
        // The name comes from the folder: nothing in it may move the cursor.
        let text = line(self.verb, n, total, &crate::text::escaped(name, &[]));
        // Progress is a courtesy: a failed write to the terminal is ignored.
        let _ = write!(s.out, "\r\x1b[2K{text}");
        let _ = s.out.flush();
    }

    /// Clears the line, leaving the terminal as it was.
    pub fn finish(&self) {
        let Some(sink) = &self.sink else { return };
        let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
        if s.drawn {
            let _ = write!(s.out, "\r\x1b[2K");
            let _ = s.out.flush();
            s.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// "Reading 12 of 300: Review - Culture.xlsx", cut to fit one line.
pub fn line(verb: &str, n: usize, total: usize, name: &str) -> String {
    let head = format!("{verb} {n} of {total}: ");
    let room = WIDTH.saturating_sub(head.chars().count()).max(10);
    let count = name.chars().count();
    if count <= room {
        format!("{head}{name}")
    } else {
        // Keep the end of the name: it is the part that differs.
        let tail: String = name.chars().skip(count - (room - 1)).collect();
        format!("{head}…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_line_names_the_count_and_the_file() {
        assert_eq!(
            line("Reading", 1234, 7500, "Review - Culture.xlsx"),
            "Reading 1234 of 7500: Review - Culture.xlsx"
        );
        let long = format!("{}end.xlsx", "x".repeat(200));
        let l = line("Reading", 1, 2, &long);
        assert_eq!(l.chars().count(), WIDTH);
        assert!(l.ends_with("end.xlsx"));
    }

    #[test]
    fn draws_in_place_and_clears_at_the_end() {
        let buf = Shared::default();
        let p = Progress::to_writer("Reading", Box::new(buf.clone()));
        p.set_total(2);
        p.step("a.xlsx");
        p.step("b.xlsx"); // the last item is always drawn
        p.finish();
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        assert!(
            text.starts_with("\r\x1b[2KReading 1 of 2: a.xlsx"),
            "{text:?}"
        );
        assert!(text.contains("Reading 2 of 2: b.xlsx"), "{text:?}");
        assert!(text.ends_with("\r\x1b[2K"));
    }

    #[test]
    fn hidden_progress_does_nothing() {
        let p = Progress::hidden();
        p.set_total(3);
        p.step("a.xlsx");
        p.finish();
        assert!(!p.is_shown());
    }
}
