//! What a reader of the paper and of the file meets: a workbook printed to
//! PDF by LibreOffice and measured (the size of the body text on each page,
//! text printed over other text, the page header), and the file itself
//! checked for what the accessibility regulations ask (4.5:1 contrast of
//! text on its fill, alt text on charts) and for parts Excel would repair.
//!
//! Printing needs LibreOffice; measuring the PDF needs python3 with PyMuPDF
//! (`tests/tools/pdf_spans.py`); the schema check needs openxml-audit. The
//! contrast, alt-text and XML checks need nothing but the file.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A run of text on a printed page: its size in points and its box
/// (x0, y0, x1, y1, points from the top left).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Span {
    pub text: String,
    pub size: f64,
    #[serde(rename = "box")]
    pub bbox: [f64; 4],
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Page {
    pub height: f64,
    pub spans: Vec<Span>,
}

#[derive(serde::Deserialize)]
struct Pdf {
    pages: Vec<Page>,
}

/// The page margins every sheet is printed with: the page header and
/// footer print inside the top and bottom margins (0.75 inch), the cells
/// between them.
const MARGIN: f64 = 0.75 * 72.0;

impl Page {
    /// Text in the top margin: the page header.
    pub fn header(&self) -> Vec<&Span> {
        self.spans.iter().filter(|s| s.bbox[3] <= MARGIN).collect()
    }

    /// Text in the bottom margin: the page footer.
    pub fn footer(&self) -> Vec<&Span> {
        self.spans
            .iter()
            .filter(|s| s.bbox[1] >= self.height - MARGIN)
            .collect()
    }

    /// Text printed from the cells.
    pub fn body(&self) -> Vec<&Span> {
        self.spans
            .iter()
            .filter(|s| s.bbox[3] > MARGIN && s.bbox[1] < self.height - MARGIN)
            .collect()
    }

    pub fn header_text(&self) -> String {
        join(&self.header())
    }

    pub fn footer_text(&self) -> String {
        join(&self.footer())
    }

    pub fn body_text(&self) -> String {
        join(&self.body())
    }

    /// The smallest body text on the page, with the text itself.
    pub fn smallest(&self) -> Option<(f64, String)> {
        self.body()
            .into_iter()
            .map(|s| (s.size, s.text.clone()))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// Pairs of body text runs printed over each other: their boxes cross
    /// by more than a third of the shorter one's height and by more than a
    /// sliver across (runs side by side on one line only touch).
    pub fn overprints(&self) -> Vec<(String, String)> {
        let body = self.body();
        let mut out = Vec::new();
        for (i, a) in body.iter().enumerate() {
            for b in &body[i + 1..] {
                let across = a.bbox[2].min(b.bbox[2]) - a.bbox[0].max(b.bbox[0]);
                let down = a.bbox[3].min(b.bbox[3]) - a.bbox[1].max(b.bbox[1]);
                let shorter = (a.bbox[3] - a.bbox[1]).min(b.bbox[3] - b.bbox[1]);
                if across > 1.5 && down > shorter / 3.0 {
                    out.push((a.text.clone(), b.text.clone()));
                }
            }
        }
        out
    }
}

fn join(spans: &[&Span]) -> String {
    spans
        .iter()
        .map(|s| s.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn works(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn have_soffice() -> bool {
    works("soffice", &["--version"])
}

pub fn have_pymupdf() -> bool {
    works("python3", &["-c", "import pymupdf"])
}

pub fn have_openxml_audit() -> bool {
    works("python3", &["-c", "import openxml_audit"])
}

/// True when every tool is there; otherwise says which are missing, loudly,
/// and fails under CI (CI=true), where they are required.
pub fn tools(test: &str, needs: &[(&str, bool)]) -> bool {
    let missing: Vec<&str> = needs
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "{test}: SKIPPED because {} {} not installed (apt-get install libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito; pip install openpyxl pymupdf openxml-audit)",
        missing.join(", "),
        if missing.len() == 1 { "is" } else { "are" }
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; under CI these checks are required");
    }
    eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
    false
}

fn tool(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(name)
}

/// Prints `book` to PDF with LibreOffice (a private profile, so parallel
/// tests do not share one) and reads the pages back.
pub fn print(book: &Path, dir: &Path) -> Vec<Page> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("soffice")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(book)
        .output()
        .unwrap();
    let pdf = dir.join(book.with_extension("pdf").file_name().unwrap());
    assert!(
        pdf.exists(),
        "LibreOffice did not print {}: {}",
        book.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("python3")
        .arg(tool("pdf_spans.py"))
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf: Pdf = serde_json::from_slice(&out.stdout).unwrap();
    pdf.pages
}

/// What the printed pages of a workbook must be: body text of `least`
/// points or more, nothing printed over anything else, and every page
/// headed with `heading` and footed with its page number. Returns every
/// failure, page by page.
pub fn page_faults(pages: &[Page], least: f64, heading: &str) -> Vec<String> {
    faults_where(pages, least, heading, |_| true)
}

/// [`page_faults`] on the pages `which` picks (numbered among all pages).
pub fn faults_where(
    pages: &[Page],
    least: f64,
    heading: &str,
    which: impl Fn(&Page) -> bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if !which(p) {
            continue;
        }
        let n = i + 1;
        if let Some((size, text)) = p.smallest()
            && size < least - 0.05
        {
            out.push(format!(
                "page {n}: body text at {size} pt, under {least} pt (\"{text}\")"
            ));
        }
        for (a, b) in p.overprints().into_iter().take(3) {
            out.push(format!("page {n}: \"{a}\" prints over \"{b}\""));
        }
        if !p.header_text().contains(heading) {
            out.push(format!(
                "page {n}: not headed \"{heading}\" (header: \"{}\")",
                p.header_text()
            ));
        }
        if !p
            .footer_text()
            .contains(&format!("Page {n} of {}", pages.len()))
        {
            out.push(format!(
                "page {n}: no page number in the footer (\"{}\")",
                p.footer_text()
            ));
        }
    }
    out
}

/// The name of the sheet a page was printed from: the footer starts with it.
pub fn sheet_of(p: &Page) -> String {
    let mut foot = p.footer();
    foot.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
    foot.first()
        .map(|s| s.text.trim().to_string())
        .unwrap_or_default()
}

// ---- The file ----

/// Every part of an .xlsx package, by name.
pub fn parts(book: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// An XML element: local name, attributes by local name, children.
#[derive(Debug, Default, Clone)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<El>,
    pub text: String,
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    /// Every element below this one with the name, in document order.
    pub fn find(&self, name: &str) -> Vec<&El> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.find(name));
        }
        out
    }

    /// Parses a whole document strictly: a mismatched or missing end tag,
    /// a duplicate attribute or text outside the root is an error.
    pub fn parse(xml: &str) -> Result<El, String> {
        use quick_xml::events::{BytesStart, Event};
        let mut r = quick_xml::Reader::from_str(xml);
        let open = |e: &BytesStart| -> Result<El, String> {
            let mut attrs = Vec::new();
            for a in e.attributes().with_checks(true) {
                let a = a.map_err(|e| e.to_string())?;
                let key = local(a.key.as_ref());
                if attrs.iter().any(|(k, _): &(String, String)| *k == key)
                    && !a.key.as_ref().starts_with("xmlns")
                {
                    return Err(format!("duplicate attribute {key}"));
                }
                attrs.push((key, a.value.into_owned()));
            }
            Ok(El {
                name: local(e.name().as_ref()),
                attrs,
                ..El::default()
            })
        };
        let mut stack: Vec<El> = vec![El::default()];
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) => stack.push(open(&e)?),
                Event::Empty(e) => {
                    let el = open(&e)?;
                    stack.last_mut().unwrap().children.push(el);
                }
                Event::End(e) => {
                    let el = stack.pop().unwrap();
                    if stack.is_empty() || el.name != local(e.name().as_ref()) {
                        return Err(format!("unexpected end tag {}", e.name().as_ref()));
                    }
                    stack.last_mut().unwrap().children.push(el);
                }
                Event::Text(t) => {
                    if stack.len() == 1 && !t.as_ref().trim().is_empty() {
                        return Err("text outside the root element".into());
                    }
                    stack.last_mut().unwrap().text.push_str(t.as_ref());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if stack.len() != 1 {
            return Err(format!("{} elements not closed", stack.len() - 1));
        }
        let mut doc = stack.pop().unwrap();
        match doc.children.len() {
            1 => Ok(doc.children.remove(0)),
            n => Err(format!("{n} root elements")),
        }
    }
}

/// Parts that are not well-formed XML, and what openxml-audit (the OOXML
/// schema) finds wrong, when it is installed.
pub fn package_faults(book: &Path) -> Vec<String> {
    let mut out: Vec<String> = parts(book)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xml") || n.ends_with(".rels") || n.ends_with(".vml"))
        .filter_map(|(n, b)| {
            let text = String::from_utf8(b).map_err(|e| e.to_string());
            text.and_then(|t| El::parse(&t).map(|_| ()))
                .err()
                .map(|e| format!("{n}: {e}"))
        })
        .collect();
    if have_openxml_audit() {
        let o = Command::new("python3")
            .args(["-m", "openxml_audit", "-m", "0"])
            .arg(book)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let last = text.lines().last().unwrap_or("").trim();
        if last != "Errors: 0" {
            out.push(format!(
                "schema: {last}: {}",
                text.lines().take(6).collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    out
}

/// Charts with no alternative text (a description on the drawing's frame).
pub fn charts_without_alt_text(book: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (name, bytes) in parts(book) {
        if !name.starts_with("xl/drawings/drawing") || !name.ends_with(".xml") {
            continue;
        }
        let d = El::parse(&String::from_utf8(bytes).unwrap()).unwrap();
        for frame in d.find("graphicFrame") {
            let props = frame.find("cNvPr");
            let descr = props.first().and_then(|p| p.attr("descr")).unwrap_or("");
            if descr.trim().len() < 20 {
                out.push(format!("{name}: a chart described as \"{descr}\""));
            }
        }
    }
    out
}

/// WCAG 2 relative luminance of `RRGGBB` (an `AARRGGBB` value is cut).
fn luminance(rgb: &str) -> f64 {
    let hex = &rgb[rgb.len().saturating_sub(6)..];
    let v = u32::from_str_radix(hex, 16).unwrap_or(0xFFFFFF);
    let ch = |s: u32| {
        let c = f64::from((v >> s) & 255) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(16) + 0.7152 * ch(8) + 0.0722 * ch(0)
}

pub fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn rgb(el: Option<&El>) -> Option<String> {
    el.and_then(|c| c.attr("rgb"))
        .map(|v| v[v.len().saturating_sub(6)..].to_uppercase())
}

/// Text under 4.5:1 contrast with what it is printed on: every cell that
/// holds a value (its font colour on its fill, or on white), every
/// conditional format that sets a fill (its font colour, or black, on
/// it) and the strongest colour of every colour scale (under black text).
pub fn contrast_faults(book: &Path) -> Vec<String> {
    let parts: HashMap<String, Vec<u8>> = parts(book).into_iter().collect();
    let xml = |n: &str| El::parse(&String::from_utf8(parts[n].clone()).unwrap()).unwrap();
    let styles = xml("xl/styles.xml");
    let fonts: Vec<Option<String>> = styles
        .child("fonts")
        .map(|f| {
            f.all("font")
                .iter()
                .map(|f| rgb(f.child("color")))
                .collect()
        })
        .unwrap_or_default();
    let solid = |fill: &El| -> Option<String> {
        let p = fill.child("patternFill")?;
        if p.attr("patternType") != Some("solid") {
            return None;
        }
        rgb(p.child("fgColor")).or_else(|| rgb(p.child("bgColor")))
    };
    let fills: Vec<Option<String>> = styles
        .child("fills")
        .map(|f| f.all("fill").iter().map(|f| solid(f)).collect())
        .unwrap_or_default();
    let xfs: Vec<(usize, usize)> = styles
        .child("cellXfs")
        .map(|x| {
            x.all("xf")
                .iter()
                .map(|x| {
                    let n = |a: &str| x.attr(a).and_then(|v| v.parse().ok()).unwrap_or(0);
                    (n("fontId"), n("fillId"))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut check = |text: &str, on: &str, what: String| {
        let c = contrast(text, on);
        if c < 4.5 {
            out.push(format!("{what}: #{text} on #{on} is {c:.2}:1"));
        }
    };
    // Cells with a value.
    let mut seen = std::collections::BTreeSet::new();
    for (name, bytes) in &parts {
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        let ws = El::parse(&String::from_utf8(bytes.clone()).unwrap()).unwrap();
        for c in ws.find("c") {
            if c.child("v").is_none() && c.child("is").is_none() {
                continue;
            }
            let s: usize = c.attr("s").and_then(|v| v.parse().ok()).unwrap_or(0);
            if !seen.insert((name.clone(), s)) {
                continue;
            }
            let (font, fill) = xfs.get(s).copied().unwrap_or((0, 0));
            let text = fonts
                .get(font)
                .cloned()
                .flatten()
                .unwrap_or("000000".into());
            let on = fills
                .get(fill)
                .cloned()
                .flatten()
                .unwrap_or("FFFFFF".into());
            check(
                &text,
                &on,
                format!("{name} cell {}", c.attr("r").unwrap_or("")),
            );
        }
        for scale in ws.find("colorScale") {
            if let Some(top) = scale.all("color").last() {
                let on = rgb(Some(top)).unwrap_or("FFFFFF".into());
                check("000000", &on, format!("{name}: a colour scale"));
            }
        }
    }
    // Conditional formats that set a fill.
    if let Some(dxfs) = styles.child("dxfs") {
        for (i, d) in dxfs.all("dxf").iter().enumerate() {
            let Some(on) = d
                .child("fill")
                .and_then(|f| f.child("patternFill"))
                .and_then(|p| rgb(p.child("bgColor")).or_else(|| rgb(p.child("fgColor"))))
            else {
                continue;
            };
            let text =
                rgb(d.child("font").and_then(|f| f.child("color"))).unwrap_or("000000".into());
            check(&text, &on, format!("conditional format {i}"));
        }
    }
    out
}
