//! Scale benchmark: how fast `build` and `compare` run, and how close to
//! the floor (the same files read by bare calamine, one thread); and the
//! peak memory of `build` and `check --feedback` on the worst case inside
//! the reading limits (one return at the cell limit).
//!
//!     cargo bench --bench scale
//!
//! The first run generates the data under `target/scale-data/` with the
//! hidden `bestvalue generate` command (a council's returns, and a sector of
//! 300 authorities' committee workbooks and returns); later runs reuse it.
//! Each workload runs the release binary as a child process, so wall time
//! includes starting it, and its peak memory is the child's own (maximum
//! resident set size from wait4, the child started by a small launcher
//! process: see `launch`). Settings, from the environment:
//!   BESTVALUE_BENCH_AUTHORITIES  sector size (default 300)
//!   BESTVALUE_BENCH_SEED         seed of the generated data (default 1)
//!   BESTVALUE_BENCH_RUNS         runs of each quick workload (default 5);
//!                                the 300-set workloads run ceil(runs/2) times
//!   BESTVALUE_BENCH_ONLY=limit   only the worst case inside the limits
//! Figures for several runs are medians.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::Reader;

#[path = "scale/data.rs"]
mod data;
#[path = "scale/launch.rs"]
mod launch;
#[path = "scale/limit.rs"]
mod limit;

const BIN: &str = env!("CARGO_BIN_EXE_bestvalue");

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The target folder this bench was built into.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("bench path");
    // target/<profile>/deps/scale-…
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// One run of a child process.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    /// User and system CPU time, all threads.
    cpu: Duration,
    peak_kb: u64,
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// CPU time (user and system) this process has used so far.
fn own_cpu() -> Duration {
    // SAFETY: rusage is plain data, filled in by getrusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

/// Runs bestvalue with `args` and waits for it, reading its resource usage.
fn run(args: &[&std::ffi::OsStr]) -> Run {
    run_ending(args, &[0])
}

/// [`run`], for a run that may end with any of the exit codes `ok` (1:
/// problems found in the returns). Started by the launcher, so that its
/// peak memory is its own (see `launch`).
fn run_ending(args: &[&std::ffi::OsStr], ok: &[i32]) -> Run {
    let r = launch::run(BIN, args);
    assert!(
        ok.contains(&r.code),
        "bestvalue {:?} exited with {}",
        args.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>(),
        r.code
    );
    Run {
        wall: r.wall,
        cpu: r.cpu,
        peak_kb: r.peak_kb,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Every workbook under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The floor: bare calamine, one thread, every cell of every used sheet.
struct Floor {
    wall: Duration,
    cpu: Duration,
    cells: usize,
}

fn floor(files: &[PathBuf]) -> Floor {
    let start = Instant::now();
    let cpu = own_cpu();
    let mut cells = 0;
    for f in files {
        let mut wb = calamine::open_workbook_auto(f).expect("calamine opens");
        for name in wb.sheet_names() {
            if let Ok(range) = wb.worksheet_range(&name) {
                cells += range.used_cells().count();
            }
        }
    }
    Floor {
        wall: start.elapsed(),
        cpu: own_cpu() - cpu,
        cells,
    }
}

/// The floor of writing: the cells of committee workbooks `build` wrote,
/// read back with calamine (not timed), then written again by bare
/// rust_xlsxwriter, values only, with its default settings, one thread,
/// and saved to a file (not synced). Their formats, links, charts and page
/// setup are not written: this is the least any writer of those cells
/// could do.
fn write_floor(outputs: &[PathBuf], scratch: &Path) -> Duration {
    let mut total = Duration::ZERO;
    for f in outputs {
        let mut wb = calamine::open_workbook_auto(f).expect("calamine opens our output");
        let sheets: Vec<(String, calamine::Range<calamine::Data>)> = wb
            .sheet_names()
            .into_iter()
            .filter_map(|n| wb.worksheet_range(&n).ok().map(|r| (n, r)))
            .collect();
        let start = Instant::now();
        let mut out = rust_xlsxwriter::Workbook::new();
        for (name, range) in &sheets {
            let ws = out.add_worksheet();
            ws.set_name(name).expect("sheet name");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, v) in range.used_cells() {
                let (row, col) = (r0 + r as u32, (c0 as usize + c) as u16);
                let _ = match v {
                    calamine::Data::Float(x) => ws.write_number(row, col, *x),
                    calamine::Data::Int(x) => ws.write_number(row, col, *x as f64),
                    calamine::Data::Bool(x) => ws.write_boolean(row, col, *x),
                    calamine::Data::DateTime(x) => ws.write_number(row, col, x.as_f64()),
                    other => ws.write_string(row, col, other.to_string()),
                };
            }
        }
        let bytes = out.save_to_buffer().expect("save");
        std::fs::write(scratch, bytes).expect("write scratch");
        total += start.elapsed();
    }
    total
}

struct Row {
    name: &'static str,
    /// The target applies (the three workloads); other rows are
    /// shown for comparison.
    target: bool,
    files: usize,
    cells: usize,
    runs: usize,
    wall: Duration,
    cpu: Duration,
    peak_kb: u64,
    floor: Duration,
    floor_cpu: Duration,
    /// For build: the floor of writing the same committee workbook(s).
    write_floor: Option<Duration>,
}

/// Repeated measurements of one workload and its floor.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    peak_kb: u64,
    floor: Vec<Duration>,
    floor_cpu: Vec<Duration>,
    write_floor: Vec<Duration>,
    cells: usize,
}

impl Samples {
    fn add(&mut self, r: Run) {
        self.wall.push(r.wall);
        self.cpu.push(r.cpu);
        self.peak_kb = self.peak_kb.max(r.peak_kb);
    }

    fn add_floor(&mut self, f: &Floor) {
        self.floor.push(f.wall);
        self.floor_cpu.push(f.cpu);
        self.cells = f.cells;
    }

    fn row(self, name: &'static str, files: usize) -> Row {
        Row {
            name,
            target: !name.starts_with("check") && !name.starts_with("limit"),
            files,
            cells: self.cells,
            runs: self.wall.len(),
            wall: median(self.wall),
            cpu: median(self.cpu),
            peak_kb: self.peak_kb,
            floor: median(self.floor),
            floor_cpu: median(self.floor_cpu),
            write_floor: (!self.write_floor.is_empty()).then(|| median(self.write_floor)),
        }
    }
}

fn args<'a>(command: &'a str, input: &'a Path, out: &'a Path) -> [&'a std::ffi::OsStr; 5] {
    [
        command.as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]
}

fn main() {
    if std::env::args().any(|a| a == launch::LAUNCHER) {
        launch::serve();
        return;
    }
    // `cargo bench` passes --bench. Without it (cargo test --all-targets)
    // this is only a check that the bench builds: minutes of work are not
    // what a test run is for.
    if !std::env::args().any(|a| a == "--bench") {
        println!("scale: run with cargo bench --bench scale");
        return;
    }
    launch::start();
    let authorities = env_or("BESTVALUE_BENCH_AUTHORITIES", 300);
    let seed = env_or("BESTVALUE_BENCH_SEED", 1);
    let runs = env_or("BESTVALUE_BENCH_RUNS", 5).max(1) as usize;
    let big_runs = runs.div_ceil(2);
    let data = target_dir().join("scale-data");
    std::fs::create_dir_all(&data).expect("data folder");
    let out = data.join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    let mut rows = Vec::new();

    // BESTVALUE_BENCH_ONLY=limit runs only the worst case inside the
    // limits (section 5), which needs none of the generated sets.
    let only_limit = std::env::var("BESTVALUE_BENCH_ONLY").as_deref() == Ok("limit");
    let mut sets_read = 0;
    if !only_limit {
        let (council, sector) = data::generate(&data, authorities, seed);
        // 1. build on one council's returns.
        let council_files = files(&council);
        let council_out = out.join("council.xlsx");
        let _ = std::fs::remove_file(&council_out);
        let mut m = Samples::default();
        let scratch = out.join("write-floor.xlsx");
        for _ in 0..runs {
            m.add(run(&args("build", &council, &council_out)));
            m.add_floor(&floor(&council_files));
            m.write_floor
                .push(write_floor(std::slice::from_ref(&council_out), &scratch));
        }
        rows.push(m.row("build: one council's returns", council_files.len()));

        // For comparison: check reads and validates the same files and writes
        // nothing, so it is the workload most like the floor.
        let mut m = Samples::default();
        for _ in 0..runs {
            m.add(run(&[
                "check".as_ref(),
                council.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
            ]));
            m.add_floor(&floor(&council_files));
        }
        rows.push(m.row("check: one council's returns", council_files.len()));

        // 2. compare on the sector's committee workbooks.
        let committee = sector.join("committee");
        let committee_files = files(&committee);
        let sector_out = out.join("sector.xlsx");
        let mut m = Samples::default();
        for _ in 0..runs {
            m.add(run(&args("compare", &committee, &sector_out)));
            m.add_floor(&floor(&committee_files));
        }
        rows.push(m.row("compare: committee workbooks", committee_files.len()));

        // 3. compare on the sector's return sets, and 4. build on each set in
        // turn: the same files, so the same floor.
        let returns = sector.join("returns");
        let return_files = files(&returns);
        let mut floors = Vec::new();
        let mut m = Samples::default();
        for _ in 0..big_runs {
            let f = floor(&return_files);
            m.add_floor(&f);
            floors.push(f);
            m.add(run(&args("compare", &returns, &sector_out)));
        }
        rows.push(m.row("compare: return sets", return_files.len()));

        let mut sets: Vec<PathBuf> = std::fs::read_dir(&returns)
            .expect("returns")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        sets.sort();
        // Each set's workbook is kept, for the write floor.
        let many = out.join("many");
        let _ = std::fs::remove_dir_all(&many);
        std::fs::create_dir_all(&many).expect("output folder");
        let outputs: Vec<PathBuf> = (0..sets.len())
            .map(|i| many.join(format!("set-{i:03}.xlsx")))
            .collect();
        let mut m = Samples::default();
        for f in &floors {
            let mut total = Run {
                wall: Duration::ZERO,
                cpu: Duration::ZERO,
                peak_kb: 0,
            };
            for (set, output) in sets.iter().zip(&outputs) {
                let r = run(&args("build", set, output));
                total.wall += r.wall;
                total.cpu += r.cpu;
                total.peak_kb = total.peak_kb.max(r.peak_kb);
            }
            m.add(total);
            m.add_floor(f);
            m.write_floor.push(write_floor(&outputs, &scratch));
        }
        rows.push(m.row("build: each council set in turn", return_files.len()));
        sets_read = sets.len();
    }

    // 5. The worst case inside the limits: one return at the cell limit,
    // every cell a different text, the text near its limit too.
    let limit = data.join("at-the-limit");
    let _ = std::fs::remove_dir_all(&limit);
    std::fs::create_dir_all(&limit).expect("limit folder");
    let one = limit.join("Review - at the limit.xlsx");
    limit::at_the_limit(&one);
    let limit_files = vec![one];
    let limit_out = out.join("limit.xlsx");
    let feedback = out.join("limit-feedback");
    let mut m = Samples::default();
    for _ in 0..big_runs {
        m.add(run_ending(&args("build", &limit, &limit_out), &[0, 1]));
        m.add_floor(&floor(&limit_files));
    }
    rows.push(m.row("limit: build, one return", 1));
    let mut m = Samples::default();
    for _ in 0..big_runs {
        let _ = std::fs::remove_dir_all(&feedback);
        m.add(run_ending(
            &[
                "check".as_ref(),
                limit.as_os_str(),
                "--feedback".as_ref(),
                feedback.as_os_str(),
            ],
            &[0, 1],
        ));
        m.add_floor(&floor(&limit_files));
    }
    rows.push(m.row("limit: check --feedback, one return", 1));

    report(&rows, authorities, sets_read);
}

fn thousands(n: f64) -> String {
    let s = format!("{n:.0}");
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn report(rows: &[Row], authorities: u64, sets: usize) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!();
    println!(
        "bestvalue {} scale benchmark: {cores} cores; sector of {authorities} authorities ({sets} return sets)",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "{:<32} {:>5} {:>8} {:>8} {:>7} {:>9} {:>8} {:>8} {:>6} {:>8} {:>6} {:>4} {:>8} {:>6}",
        "workload",
        "files",
        "cells",
        "wall",
        "files/s",
        "cells/s",
        "peak",
        "floor",
        "ratio",
        "cpu",
        "cpu r.",
        "runs",
        "r+w fl.",
        "r+w r."
    );
    for r in rows {
        let secs = r.wall.as_secs_f64();
        let (rw_floor, rw_ratio) = match r.write_floor {
            Some(w) => {
                let both = (r.floor + w).as_secs_f64();
                (format!("{both:>7.3}s"), format!("{:>5.2}x", secs / both))
            }
            None => (String::new(), String::new()),
        };
        println!(
            "{:<32} {:>5} {:>8} {:>7.3}s {:>7} {:>9} {:>5.1} MB {:>7.3}s {:>5.2}x {:>7.3}s {:>5.2}x {:>4} {:>8} {:>6}",
            r.name,
            r.files,
            thousands(r.cells as f64),
            secs,
            thousands(r.files as f64 / secs),
            thousands(r.cells as f64 / secs),
            r.peak_kb as f64 / 1024.0,
            r.floor.as_secs_f64(),
            secs / r.floor.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.cpu.as_secs_f64() / r.floor_cpu.as_secs_f64(),
            r.runs,
            rw_floor,
            rw_ratio
        );
    }
    println!();
    println!(
        "floor: the same files read by bare calamine (open_workbook_auto, worksheet_range of every sheet), one thread, in this process."
    );
    println!(
        "ratio: our wall time / the floor's. cpu: our CPU time (user + system, all threads); cpu r.: / the floor's CPU time."
    );
    println!(
        "Wall times include starting the process; peak is the child's maximum resident set (wait4). compare on committee"
    );
    println!(
        "workbooks reads 2 of their 7 sheets, the floor all 7. build also writes the committee workbook. Medians of the runs."
    );
    println!(
        "r+w fl.: for build, the floor plus writing the same workbook's cells with bare rust_xlsxwriter (values only,"
    );
    println!(
        "default settings, one thread, not synced); r+w r.: our wall time / that. check is shown for comparison (no target)."
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average at the end (1, 5, 15 min): {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!();
    if let Some(r) = rows
        .iter()
        .find(|r| r.name.starts_with("build: one council"))
    {
        let council = r.wall.as_secs_f64();
        println!(
            "target build on the council set < 0.2 s: {} ({council:.3} s)",
            verdict(council < 0.2)
        );
    }
    for r in rows.iter().filter(|r| r.target) {
        let ratio = r.wall.as_secs_f64() / r.floor.as_secs_f64();
        println!(
            "target {} within 1.2x the floor: {} ({ratio:.2}x)",
            r.name,
            verdict(ratio <= 1.2)
        );
    }
    for r in rows.iter().filter(|r| r.write_floor.is_some()) {
        let both = r.floor + r.write_floor.unwrap_or_default();
        let ratio = r.wall.as_secs_f64() / both.as_secs_f64();
        println!(
            "(not the issue's target) {} within 1.2x the read + write floor: {} ({ratio:.2}x)",
            r.name,
            verdict(ratio <= 1.2)
        );
    }
    let sector_peak = rows
        .iter()
        .filter(|r| r.name.starts_with("compare") || r.name.contains("each council"))
        .map(|r| r.peak_kb)
        .max()
        .unwrap_or(0) as f64
        / 1024.0;
    if sets > 0 {
        println!(
            "target peak memory < 300 MB on the sector sets: {} ({sector_peak:.1} MB)",
            verdict(sector_peak < 300.0)
        );
    }
    for (name, target) in [
        ("limit: build, one return", 400.0),
        ("limit: check --feedback, one return", 800.0),
    ] {
        if let Some(r) = rows.iter().find(|r| r.name == name) {
            let peak = r.peak_kb as f64 / 1024.0;
            println!(
                "target peak memory < {target:.0} MB for {name} at the cell limit: {} ({peak:.1} MB)",
                verdict(peak < target)
            );
        }
    }
}
