//! The measured runs are started by a small process of the benchmark's own,
//! started before the benchmark holds any data. On Linux a child's peak
//! memory (the maximum resident set that wait4 reports) starts from the
//! peak of the process that started it (checked: a child doing nothing,
//! started by a process holding 300 MB, reports 302 MB). The benchmark
//! itself grows to hundreds of megabytes (it writes the limit case, and
//! reads every workload with bare calamine for the floor), so a child it
//! started would report the benchmark's peak whenever that was the larger.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The argument that makes the benchmark's executable the launcher.
pub const LAUNCHER: &str = "--launcher";

pub struct Launcher {
    _child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
}

/// One finished run: exit code, wall time, CPU time, peak memory in KB.
pub struct Ran {
    pub code: i32,
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_kb: u64,
}

static LAUNCHER_PROCESS: Mutex<Option<Launcher>> = Mutex::new(None);

/// Starts the launcher; call first thing, while this process is small.
pub fn start() {
    let mut child = Command::new(std::env::current_exe().expect("bench path"))
        .arg(LAUNCHER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the launcher");
    let to = child.stdin.take().expect("launcher stdin");
    let from = BufReader::new(child.stdout.take().expect("launcher stdout"));
    *LAUNCHER_PROCESS.lock().unwrap() = Some(Launcher {
        _child: child,
        to,
        from,
    });
}

/// Runs `bin` with `args` through the launcher.
pub fn run(bin: &str, args: &[&std::ffi::OsStr]) -> Ran {
    let mut guard = LAUNCHER_PROCESS.lock().unwrap();
    let l = guard.as_mut().expect("launch::start first");
    let line: Vec<String> = std::iter::once(std::ffi::OsStr::new(bin))
        .chain(args.iter().copied())
        .map(|a| hex(a.as_bytes()))
        .collect();
    writeln!(l.to, "{}", line.join(" ")).expect("ask the launcher");
    let mut answer = String::new();
    l.from.read_line(&mut answer).expect("launcher answer");
    let n: Vec<i64> = answer
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    Ran {
        code: n[0] as i32,
        wall: Duration::from_micros(n[1] as u64),
        cpu: Duration::from_micros(n[2] as u64),
        peak_kb: n[3] as u64,
    }
}

/// The launcher: each line in is a command (arguments in hex); each line
/// out is its exit code, wall and CPU microseconds and peak KB.
pub fn serve() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let args: Vec<OsString> = line
            .split_whitespace()
            .map(|h| OsString::from_vec(unhex(h)))
            .collect();
        let Some((bin, rest)) = args.split_first() else {
            continue;
        };
        let start = Instant::now();
        let child = Command::new(bin)
            .args(rest)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bestvalue");
        let mut status = 0;
        // SAFETY: rusage is plain data; wait4 fills it in for our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
        let wall = start.elapsed();
        assert!(pid > 0, "wait4 failed");
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        };
        let micros = |t: libc::timeval| t.tv_sec * 1_000_000 + t.tv_usec;
        let cpu = micros(usage.ru_utime) + micros(usage.ru_stime);
        // Linux reports kilobytes.
        writeln!(out, "{code} {} {cpu} {}", wall.as_micros(), usage.ru_maxrss)
            .and_then(|_| out.flush())
            .expect("answer the benchmark");
        drop(child);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}
