//! Test helpers for templates: find cells by their headings, type values
//! into a template's unlocked cells as an officer would (by editing the
//! cells in the .xlsx itself, or with openpyxl), convert with LibreOffice,
//! and the skip rule for tools that may be missing.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx};
use regex::Regex;

/// A value an officer types.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    Text(String),
    Date(i32, u32, u32),
}

pub fn text(s: &str) -> Typed {
    Typed::Text(s.to_string())
}

/// Cells to type into: (sheet, A1 cell, value).
#[derive(Clone, Debug, Default)]
pub struct Edits(pub Vec<(String, String, Typed)>);

impl Edits {
    pub fn set(&mut self, sheet: &str, cell: &str, v: Typed) {
        self.0.push((sheet.to_string(), cell.to_string(), v));
    }
}

/// A template read back with calamine, to find where things are.
pub struct Template {
    pub path: PathBuf,
    pub sheets: HashMap<String, Vec<Vec<String>>>,
    pub names: Vec<String>,
}

impl Template {
    pub fn open(path: &Path) -> Template {
        let wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
        let names = wb.sheet_names();
        let mut sheets = HashMap::new();
        for n in &names {
            // The same read-back as every other test: absolute positions, dates dd/mm/yyyy.
            let grid = super::common::sheet(path, n);
            sheets.insert(n.clone(), grid);
        }
        Template {
            path: path.to_path_buf(),
            sheets,
            names,
        }
    }

    pub fn grid(&self, sheet: &str) -> &Vec<Vec<String>> {
        self.sheets
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet} in {}", self.path.display()))
    }

    /// The value cell beside a details label on the Instructions sheet.
    pub fn detail(&self, label: &str) -> String {
        let g = self.grid("Instructions");
        let r = g
            .iter()
            .position(|row| row.first().map(String::as_str) == Some(label))
            .unwrap_or_else(|| panic!("no detail {label}"));
        a1(r as u32, 1)
    }

    pub fn detail_value(&self, label: &str) -> String {
        let g = self.grid("Instructions");
        g.iter()
            .find(|row| row.first().map(String::as_str) == Some(label))
            .and_then(|row| row.get(1).cloned())
            .unwrap_or_default()
    }

    pub fn col(&self, sheet: &str, heading: &str) -> usize {
        let g = self.grid(sheet);
        g[0].iter()
            .position(|h| h == heading)
            .unwrap_or_else(|| panic!("no column {heading} in {:?}", g[0]))
    }

    pub fn has_col(&self, sheet: &str, heading: &str) -> bool {
        self.grid(sheet)[0].iter().any(|h| h == heading)
    }

    /// The row (0-based) whose `key_heading` column holds `key`.
    pub fn row_of(&self, sheet: &str, key_heading: &str, key: &str) -> usize {
        let c = self.col(sheet, key_heading);
        self.grid(sheet)
            .iter()
            .position(|r| r.get(c).map(String::as_str) == Some(key))
            .unwrap_or_else(|| panic!("no row with {key_heading} = {key}"))
    }

    /// The cell in row `key` (found in `key_heading`) and column `heading`.
    pub fn cell(&self, sheet: &str, key_heading: &str, key: &str, heading: &str) -> String {
        a1(
            self.row_of(sheet, key_heading, key) as u32,
            self.col(sheet, heading) as u16,
        )
    }

    /// The value in row `key` and column `heading`.
    pub fn value(&self, sheet: &str, key_heading: &str, key: &str, heading: &str) -> String {
        let r = self.row_of(sheet, key_heading, key);
        let c = self.col(sheet, heading);
        self.grid(sheet)[r].get(c).cloned().unwrap_or_default()
    }

    /// Values of a column below the heading, down to the last filled row.
    pub fn column(&self, sheet: &str, heading: &str) -> Vec<String> {
        let c = self.col(sheet, heading);
        self.grid(sheet)
            .iter()
            .skip(1)
            .map(|r| r.get(c).cloned().unwrap_or_default())
            .collect()
    }

    /// The first row below the heading whose `heading` cell is empty.
    pub fn first_empty(&self, sheet: &str, heading: &str) -> u32 {
        let c = self.col(sheet, heading);
        let g = self.grid(sheet);
        (1..)
            .find(|r| {
                g.get(*r as usize)
                    .and_then(|row| row.get(c))
                    .is_none_or(|v| v.is_empty())
            })
            .unwrap()
    }
}

pub fn a1(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

// ---------------------------------------------------------------------------
// Typing into the .xlsx itself.

/// The zip's parts, in order.
pub fn read_zip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().unwrap().to_string(), b)
        })
        .collect()
}

pub fn write_zip(path: &Path, parts: &[(String, Vec<u8>)]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

static SHEET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<(?:\w+:)?sheet [^>]*>"#).unwrap());
static REL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<Relationship [^>]*>"#).unwrap());
/// An attribute's value in a tag, in whatever order the writer put them
/// (openpyxl writes a relationship's Id last).
fn attr_of(tag: &str, key: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"\s{key}="([^"]*)""#)).unwrap();
    re.captures(tag).map(|c| {
        c[1].replace("&amp;", "&")
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
    })
}
static XF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<xf [^>]*?(?:/>|>.*?</xf>)"#).unwrap());

/// Sheet name → part name (`xl/worksheets/sheet2.xml`).
pub fn sheet_parts(parts: &[(String, Vec<u8>)]) -> HashMap<String, String> {
    let get =
        |n: &str| String::from_utf8(parts.iter().find(|(p, _)| p == n).unwrap().1.clone()).unwrap();
    let wb = get("xl/workbook.xml");
    let rels = get("xl/_rels/workbook.xml.rels");
    let targets: HashMap<String, String> = REL
        .find_iter(&rels)
        .filter_map(|m| Some((attr_of(m.as_str(), "Id")?, attr_of(m.as_str(), "Target")?)))
        .collect();
    SHEET
        .find_iter(&wb)
        .filter_map(|m| {
            let target = &targets[&attr_of(m.as_str(), "r:id")?];
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            Some((attr_of(m.as_str(), "name")?, part))
        })
        .collect()
}

/// Whether each cell format (`s="N"`) is locked.
pub fn locked_styles(styles: &str) -> Vec<bool> {
    let start = styles.find("<cellXfs").unwrap();
    let end = styles[start..].find("</cellXfs>").unwrap() + start;
    XF.find_iter(&styles[start..end])
        .map(|m| !m.as_str().contains(r#"locked="0""#) && !m.as_str().contains(r#"locked="false""#))
        .collect()
}

/// The `<c r="B3" …>` element of a cell, if written.
pub fn cell_element<'a>(sheet: &'a str, cell: &str) -> Option<(usize, usize, &'a str)> {
    let open = format!(r#"<c r="{cell}""#);
    let start = sheet.find(&open)?;
    let rest = &sheet[start..];
    let head_end = rest.find('>').unwrap();
    let end = if rest[..head_end].ends_with('/') {
        head_end + 1
    } else {
        rest.find("</c>").unwrap() + 4
    };
    Some((start, start + end, &sheet[start..start + end]))
}

/// The style index of a cell (0 when it has none).
pub fn style_of(element: &str) -> usize {
    static S: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#" s="(\d+)""#).unwrap());
    let head = &element[..element.find('>').unwrap()];
    S.captures(head).map(|c| c[1].parse().unwrap()).unwrap_or(0)
}

/// Whether a cell of a written template is locked (cells never written
/// take the default format, which is locked).
pub fn is_locked(path: &Path, sheet: &str, cell: &str) -> bool {
    let parts = read_zip(path);
    let names = sheet_parts(&parts);
    let get =
        |n: &str| String::from_utf8(parts.iter().find(|(p, _)| p == n).unwrap().1.clone()).unwrap();
    let locked = locked_styles(&get("xl/styles.xml"));
    let xml = get(&names[sheet]);
    match cell_element(&xml, cell) {
        Some((_, _, e)) => locked[style_of(e)],
        None => true,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn serial(y: i32, m: u32, d: u32) -> i64 {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap() - base).num_days()
}

/// Types values into a template, as an officer would in Excel: only into
/// cells that are unlocked on a protected sheet (it panics otherwise), each
/// keeping its format. Works on the cells of the .xlsx directly.
pub fn fill(template: &Path, out: &Path, edits: &Edits) {
    let mut parts = read_zip(template);
    let names = sheet_parts(&parts);
    let styles = String::from_utf8(
        parts
            .iter()
            .find(|(p, _)| p == "xl/styles.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let locked = locked_styles(&styles);
    for (sheet, cell, value) in &edits.0 {
        let part = names
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        let slot = parts.iter_mut().find(|(p, _)| p == part).unwrap();
        let mut xml = String::from_utf8(slot.1.clone()).unwrap();
        assert!(xml.contains("<sheetProtection"), "{sheet} is not protected");
        let (start, end, element) = cell_element(&xml, cell).unwrap_or_else(|| {
            panic!(
                "{sheet}!{cell} was never written, so it is locked: an officer could not type there"
            )
        });
        let s = style_of(element);
        assert!(
            !locked[s],
            "{sheet}!{cell} is locked: an officer could not type {value:?} there"
        );
        let new = match value {
            Typed::Text(t) => format!(
                r#"<c r="{cell}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                escape(t)
            ),
            Typed::Date(y, m, d) => {
                format!(r#"<c r="{cell}" s="{s}"><v>{}</v></c>"#, serial(*y, *m, *d))
            }
        };
        xml.replace_range(start..end, &new);
        slot.1 = xml.into_bytes();
    }
    write_zip(out, &parts);
}

// ---------------------------------------------------------------------------
// Other tools, and the rule for when they are missing.

/// True when the tool can be used. When it cannot: under `CI=true` the test
/// fails (CI must install it); otherwise it prints a loud SKIP and the
/// caller returns early.
pub fn available(tool: &str, ok: bool, install: &str) -> bool {
    if ok {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{tool} is needed for this test under CI=true. Install it: {install}");
    }
    // Written to stderr directly, not with eprintln!, so the test harness
    // does not swallow it: a skipped check must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n************************************************************\n\
         SKIPPED: {tool} is not installed, so this check did not run.\n\
         Install it ({install}) to run it; under CI=true it is required.\n\
         ************************************************************\n"
    );
    false
}

pub fn has_openpyxl() -> bool {
    available(
        "python3 with openpyxl",
        Command::new("python3")
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success()),
        "apt-get install python3 python3-pip && python3 -m pip install openpyxl",
    )
}

pub fn has_soffice() -> bool {
    available(
        "LibreOffice (soffice)",
        Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "apt-get install libreoffice-calc-nogui",
    )
}

pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// Runs a command, failing the test with its output if it fails or takes
/// longer than two minutes.
pub fn run(cmd: &mut Command) -> String {
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let err_file = tempfile::NamedTempFile::new().unwrap();
    let mut child = cmd
        .stdout(out_file.reopen().unwrap())
        .stderr(err_file.reopen().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!("{cmd:?} took more than two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = std::fs::read_to_string(out_file.path()).unwrap_or_default();
    let err = std::fs::read_to_string(err_file.path()).unwrap_or_default();
    assert!(status.success(), "{cmd:?} failed:\n{out}\n{err}");
    out + &err
}

/// Types values into a template with openpyxl (a different writer), as
/// `fill` does; the script refuses locked cells too.
pub fn fill_with_openpyxl(template: &Path, out: &Path, edits: &Edits) {
    let mut tsv = String::new();
    for (sheet, cell, v) in &edits.0 {
        let (kind, value) = match v {
            Typed::Text(t) => ("text", t.replace('\\', "\\\\").replace('\n', "\\n")),
            Typed::Date(y, m, d) => ("date", format!("{y:04}-{m:02}-{d:02}")),
        };
        assert!(!value.contains('\t') && !sheet.contains('\t'));
        tsv.push_str(&format!("{sheet}\t{cell}\t{kind}\t{value}\n"));
    }
    let plan = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(plan.path(), tsv).unwrap();
    run(Command::new("python3")
        .arg(script("fill_template.py"))
        .arg(template)
        .arg(out)
        .arg(plan.path()));
}

/// Converts a workbook with LibreOffice into `outdir` (format "ods", "xls"
/// or "xlsx"), with a private profile so runs never share one.
pub fn convert(src: &Path, to: &str, outdir: &Path) -> PathBuf {
    let profile = tempfile::tempdir().unwrap();
    let filter = match to {
        "xls" => "xls:MS Excel 97",
        "xlsx" => "xlsx:Calc MS Excel 2007 XML",
        other => other,
    };
    std::fs::create_dir_all(outdir).unwrap();
    run(Command::new("soffice")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .arg("--convert-to")
        .arg(filter)
        .arg("--outdir")
        .arg(outdir)
        .arg(src));
    let out = outdir.join(src.with_extension(to).file_name().unwrap());
    assert!(out.exists(), "LibreOffice did not write {}", out.display());
    out
}

/// Converts several workbooks in one LibreOffice run.
pub fn convert_all(files: &[PathBuf], to: &str, outdir: &Path) -> Vec<PathBuf> {
    let profile = tempfile::tempdir().unwrap();
    let filter = match to {
        "xls" => "xls:MS Excel 97",
        "xlsx" => "xlsx:Calc MS Excel 2007 XML",
        other => other,
    };
    std::fs::create_dir_all(outdir).unwrap();
    run(Command::new("soffice")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .arg("--convert-to")
        .arg(filter)
        .arg("--outdir")
        .arg(outdir)
        .args(files));
    files
        .iter()
        .map(|src| {
            let out = outdir.join(src.with_extension(to).file_name().unwrap());
            assert!(out.exists(), "LibreOffice did not write {}", out.display());
            out
        })
        .collect()
}

/// Rewrites a filled return the way an officer might rearrange it: a title
/// row inserted above the table, the columns in reverse order, headings
/// retyped in other cases and spacing. Values are copied as they are.
pub fn rewrite_with_moved_columns(src: &Path, dst: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let t = Template::open(src);
    let mut wb: Xlsx<_> = calamine::open_workbook(src).unwrap();
    let mut out = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let themes = t.detail_value("Themes");
    for name in &t.names {
        let range = wb.worksheet_range(name).unwrap();
        let ws = out.add_worksheet().set_name(name).unwrap();
        let table = name == "Assessment" || name == "Actions";
        let width = range.end().map(|e| e.1 as u16 + 1).unwrap_or(0);
        if table {
            let title = if name == "Actions" {
                "Actions: my working copy".to_string()
            } else {
                format!("{themes} review: my working copy")
            };
            ws.write_string(0, 0, title).unwrap();
        }
        for (r, c, v) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            let (mut r, mut c) = (r0 + r as u32, c0 as u16 + c as u16);
            if table {
                c = width - 1 - c;
                if r == 0 {
                    let h = v.to_string();
                    let h = if h == "Score" {
                        "  SCORE ".to_string()
                    } else if c % 2 == 0 {
                        h.to_uppercase()
                    } else {
                        format!(" {} ", h.to_lowercase().replace(' ', "  "))
                    };
                    ws.write_string(1, c, h).unwrap();
                    continue;
                }
                r += 1;
            }
            match v {
                Data::String(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                Data::Float(f) => {
                    ws.write_number(r, c, *f).unwrap();
                }
                Data::DateTime(d) => {
                    let (y, m, dd, ..) = d.to_ymd_hms_milli();
                    let x = ExcelDateTime::from_ymd(y, m, dd).unwrap();
                    ws.write_datetime_with_format(r, c, &x, &date).unwrap();
                }
                Data::Empty => {}
                other => {
                    ws.write_string(r, c, other.to_string()).unwrap();
                }
            }
        }
    }
    std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
    out.save(dst).unwrap();
}
