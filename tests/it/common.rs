//! Test helpers: write small returns the way officers' files look, run the
//! build, and read the committee workbook back as grids of text.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// A cell value in a fixture.
#[derive(Clone, Debug)]
pub enum V {
    S(String),
    N(f64),
    Date(u16, u8, u8),
    /// A formula whose cached value is an Excel error, e.g. "#N/A".
    Err(&'static str),
    /// A blank cell filled with a colour.
    Fill(&'static str),
    /// A formula with its cached result (what Excel saved), e.g.
    /// `=IF(A2="","","Amber")` showing "Amber".
    F(&'static str, &'static str),
    Blank,
}

pub fn s(x: &str) -> V {
    V::S(x.to_string())
}

/// A return to write: a details block on an Instructions sheet and a table.
#[derive(Clone)]
pub struct Ret {
    pub details: Vec<(String, V)>,
    pub sheet: String,
    pub header_row: u32,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<V>>,
    /// Hide the table's sheet.
    pub hidden: bool,
    /// Cells anywhere on the table's sheet: (row, column, value), 0-based.
    pub cells: Vec<(u32, u16, V)>,
}

impl Ret {
    /// An assessment return for `round`, with the usual headings.
    pub fn assessment(round: &str, themes: &str, officer: &str) -> Ret {
        Ret {
            details: vec![
                ("Return type".into(), s("Assessment")),
                ("Authority".into(), s("Testshire District Council")),
                ("Round".into(), s(round)),
                ("Themes".into(), s(themes)),
                ("Completed by".into(), s(officer)),
                ("Date completed".into(), V::Date(2025, 9, 30)),
            ],
            sheet: "Assessment".into(),
            header_row: 0,
            headings: [
                "Code",
                "Score",
                "Commentary",
                "Gaps / areas to address",
                "Reason (Grey or changed score)",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
            hidden: false,
            cells: Vec::new(),
        }
    }

    pub fn actions(area: &str) -> Ret {
        Ret {
            details: vec![
                ("Return type".into(), s("Action plan")),
                ("Authority".into(), s("Testshire District Council")),
                ("Service area".into(), s(area)),
                ("Completed by".into(), s("Pat Example")),
                ("Date completed".into(), V::Date(2025, 10, 31)),
            ],
            sheet: "Actions".into(),
            header_row: 0,
            headings: [
                "Action ID",
                "Code",
                "Gap",
                "Action",
                "Responsible officer",
                "Target date",
                "Status",
                "Progress note",
                "Date of update",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
            hidden: false,
            cells: Vec::new(),
        }
    }

    /// Adds a row of (code, score, commentary, gaps, reason).
    pub fn row(mut self, cells: &[V]) -> Ret {
        self.rows.push(cells.to_vec());
        self
    }

    /// Puts a value anywhere on the table's sheet.
    pub fn cell(mut self, row: u32, col: u16, v: V) -> Ret {
        self.cells.push((row, col, v));
        self
    }

    /// The workbook's bytes, as a file would hold them.
    pub fn bytes(&self) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.xlsx");
        self.write(&p);
        std::fs::read(&p).unwrap()
    }

    pub fn detail(mut self, key: &str, v: V) -> Ret {
        match self.details.iter_mut().find(|(k, _)| k == key) {
            Some(d) => d.1 = v,
            None => self.details.push((key.to_string(), v)),
        }
        self
    }

    pub fn without_detail(mut self, key: &str) -> Ret {
        self.details.retain(|(k, _)| k != key);
        self
    }

    pub fn write(&self, path: &Path) {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let ins = wb.add_worksheet().set_name("Instructions").unwrap();
        ins.write_string(0, 0, "Return for testing").unwrap();
        for (i, (k, v)) in self.details.iter().enumerate() {
            let r = 2 + i as u32;
            ins.write_string(r, 0, k).unwrap();
            put(ins, r, 1, v, &date);
        }
        let ws = wb.add_worksheet().set_name(&self.sheet).unwrap();
        ws.set_hidden(self.hidden);
        for (i, h) in self.headings.iter().enumerate() {
            ws.write_string(self.header_row, i as u16, h).unwrap();
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                put(ws, self.header_row + 1 + r as u32, c as u16, v, &date);
            }
        }
        for (r, c, v) in &self.cells {
            put(ws, *r, *c, v, &date);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        wb.save(path).unwrap();
    }
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &V, date: &Format) {
    match v {
        V::S(x) => {
            ws.write_string(r, c, x).unwrap();
        }
        V::N(n) => {
            ws.write_number(r, c, *n).unwrap();
        }
        V::Date(y, m, d) => {
            let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
            ws.write_datetime_with_format(r, c, &dt, date).unwrap();
        }
        V::Err(e) => {
            ws.write_formula(
                r,
                c,
                Formula::new("=VLOOKUP(A1,Z1:Z2,2,FALSE)").set_result(*e),
            )
            .unwrap();
        }
        V::F(formula, result) => {
            ws.write_formula(r, c, Formula::new(*formula).set_result(*result))
                .unwrap();
        }
        V::Fill(colour) => {
            ws.write_blank(r, c, &Format::new().set_background_color(*colour))
                .unwrap();
        }
        V::Blank => {}
    }
}

/// A temporary folder for one test.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }
    pub fn returns(&self) -> PathBuf {
        self.path("returns")
    }
    pub fn put(&self, name: &str, r: &Ret) -> PathBuf {
        let p = self.returns().join(name);
        r.write(&p);
        p
    }
}

/// Runs the build over `inputs`, writing `out`.
pub fn build(inputs: &[PathBuf], out: &Path) -> bestvalue::Outcome {
    bestvalue::build(&bestvalue::BuildConfig {
        inputs: inputs.to_vec(),
        output: out.to_path_buf(),
        framework: None,
        as_at: None,
        authority: None,
        ..Default::default()
    })
    .expect("build runs")
}

/// Reads a sheet of a workbook back as text, with absolute positions (A1 is
/// [0][0]); dates as dd/mm/yyyy.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    let (h, w) = match range.end() {
        Some((r, c)) => (r as usize + 1, c as usize + 1),
        None => (0, 0),
    };
    let mut grid = vec![vec![String::new(); w]; h];
    for (r, c, v) in range.used_cells() {
        let (r0, c0) = range.start().unwrap();
        grid[r0 as usize + r][c0 as usize + c] = match v {
            Data::DateTime(d) => {
                let (y, m, d, ..) = d.to_ymd_hms_milli();
                format!("{d:02}/{m:02}/{y}")
            }
            other => other.to_string(),
        };
    }
    grid
}

/// Finds the row whose column `col` equals `value`.
pub fn row_with<'a>(grid: &'a [Vec<String>], col: usize, value: &str) -> Option<&'a Vec<String>> {
    grid.iter()
        .find(|r| r.get(col).map(String::as_str) == Some(value))
}

/// Column index of a heading in row `row`.
pub fn col(grid: &[Vec<String>], row: usize, heading: &str) -> usize {
    grid[row]
        .iter()
        .position(|h| h == heading)
        .unwrap_or_else(|| panic!("no column {heading:?} in {:?}", grid[row]))
}

/// The XML of one part of an .xlsx (e.g. the heat map's sheet).
pub fn part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The XML part of a sheet by its name.
pub fn sheet_xml(path: &Path, sheet: &str) -> String {
    let n = bestvalue::write::committee::SHEETS
        .iter()
        .position(|s| *s == sheet)
        .unwrap()
        + 1;
    part(path, &format!("xl/worksheets/sheet{n}.xml"))
}

/// Copies a folder and everything in it (a working copy of the samples).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/returns")
}

/// Problem codes in an outcome, with the location as text.
pub fn codes(o: &bestvalue::Outcome) -> Vec<(String, String)> {
    o.problems
        .iter()
        .map(|p| (p.kind.code().to_string(), p.location.to_string()))
        .collect()
}

pub fn has(o: &bestvalue::Outcome, code: &str, at: &str) -> bool {
    o.problems
        .iter()
        .any(|p| p.kind.code() == code && p.location.to_string() == at)
}

pub fn find<'a>(o: &'a bestvalue::Outcome, code: &str) -> &'a bestvalue::problems::Problem {
    o.problems
        .iter()
        .find(|p| p.kind.code() == code)
        .unwrap_or_else(|| panic!("no {code} problem in {:#?}", codes(o)))
}

/// Runs the built command as a user would: (exit code, stdout, stderr).
pub fn cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bestvalue"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
