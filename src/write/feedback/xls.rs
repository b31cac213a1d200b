//! The column widths of an .xls return, so its Excel copy keeps them: the
//! spreadsheet reader gives values only, so each sheet's ColInfo records
//! are read from the workbook stream (BIFF8, taken out of its compound file
//! with the cfb crate, bounded like the reader). Sheets are matched to the
//! reader's by position, which is the order of their BoundSheet records.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::ods::SheetLook;

/// More than any real workbook stream; a return is smaller still.
const MAX_STREAM: u64 = 256 << 20;

/// The widths of each sheet, in workbook order; empty when the file cannot
/// be read this way (the copy then falls back to widths that fit the text).
pub fn widths(bytes: &[u8]) -> Vec<BTreeMap<u16, f64>> {
    stream(bytes).map(|s| sheets(&s)).unwrap_or_default()
}

/// The looks to give the copy, by the names the reader gave the sheets.
pub fn looks(bytes: &[u8], names: &[String]) -> BTreeMap<String, SheetLook> {
    names
        .iter()
        .zip(widths(bytes))
        .filter(|(_, w)| !w.is_empty())
        .map(|(n, widths)| {
            (
                n.clone(),
                SheetLook {
                    widths,
                    ..SheetLook::default()
                },
            )
        })
        .collect()
}

fn stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))?;
    let mut out = Vec::new();
    cf.open_stream(name)
        .ok()?
        .take(MAX_STREAM)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// BIFF records: (type, data), stopping at the first incomplete one.
fn records(mut s: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16::from_le_bytes([*s.first()?, *s.get(1)?]);
        let len = u16::from_le_bytes([*s.get(2)?, *s.get(3)?]) as usize;
        let data = s.get(4..4 + len)?;
        s = &s[4 + len..];
        Some((typ, data))
    })
}

/// A ColInfo's width (in 256ths of a character, padding included) as the
/// width to give rust_xlsxwriter, which adds Excel's padding itself.
fn excel_width(coldx: u16) -> f64 {
    let w = coldx as f64 / 256.0 - 0.7109375;
    (w.max(0.0) * 100.0).round() / 100.0
}

fn sheets(stream: &[u8]) -> Vec<BTreeMap<u16, f64>> {
    // Globals: each BoundSheet8 gives where its sheet's records start.
    let mut starts = Vec::new();
    let mut encrypted = false;
    for (typ, d) in records(stream) {
        match typ {
            0x0085 if d.len() >= 4 => {
                starts.push(u32::from_le_bytes([d[0], d[1], d[2], d[3]]) as usize)
            }
            // FilePass: the rest is encrypted.
            0x002F => encrypted = true,
            0x000A => break,
            _ => {}
        }
    }
    if encrypted {
        return Vec::new();
    }
    starts
        .into_iter()
        .map(|at| {
            let mut widths = BTreeMap::new();
            let Some(sub) = stream.get(at..) else {
                return widths;
            };
            for (typ, d) in records(sub).skip(1) {
                match typ {
                    // A nested substream (a chart) or the sheet's end.
                    0x0809 | 0x000A => break,
                    // ColInfo: first and last column, width, format, flags.
                    0x007D if d.len() >= 10 => {
                        let u16_at = |i: usize| u16::from_le_bytes([d[i], d[i + 1]]);
                        let (first, last, coldx) = (u16_at(0), u16_at(2), u16_at(4));
                        let hidden = u16_at(8) & 1 == 1;
                        // Columns to the sheet's edge are filler.
                        for c in first..=last.min(first.saturating_add(255)).min(16_383) {
                            widths.insert(c, if hidden { 0.0 } else { excel_width(coldx) });
                        }
                    }
                    _ => {}
                }
            }
            widths
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn colinfo(first: u16, last: u16, coldx: u16, flags: u16) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [first, last, coldx, 15, flags, 0] {
            d.extend(v.to_le_bytes());
        }
        rec(0x007D, &d)
    }

    /// A workbook stream of two sheets in a compound file.
    fn xls(sheet1: &[Vec<u8>], sheet2: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0; 16]);
        let eof = rec(0x000A, &[]);
        let bound = |at: u32| {
            let mut d = at.to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0, b'A']);
            rec(0x0085, &d)
        };
        let globals_len = (bof.len() + 2 * bound(0).len() + eof.len()) as u32;
        let one: Vec<u8> = [vec![bof.clone()], sheet1.to_vec(), vec![eof.clone()]]
            .concat()
            .concat();
        let mut s = [
            bof.clone(),
            bound(globals_len),
            bound(globals_len + one.len() as u32),
            eof.clone(),
        ]
        .concat();
        s.extend(&one);
        s.extend([vec![bof], sheet2.to_vec(), vec![eof]].concat().concat());
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Workbook")
            .unwrap()
            .write_all(&s)
            .unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    #[test]
    fn widths_are_read_from_each_sheet_s_column_records() {
        // 22.71 characters wide (Excel stores 23.42 with the padding).
        let wide = (23.421875 * 256.0) as u16;
        let file = xls(
            &[colinfo(0, 0, wide, 0), colinfo(2, 3, 12 * 256, 0)],
            &[colinfo(1, 1, 10 * 256, 1), colinfo(4, 16_383, 9 * 256, 0)],
        );
        let w = widths(&file);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0], BTreeMap::from([(0, 22.71), (2, 11.29), (3, 11.29)]));
        assert_eq!(w[1][&1], 0.0, "a hidden column");
        assert_eq!(w[1].len(), 257, "filler to the edge is not expanded");
        let names = ["One".to_string(), "Two".to_string()];
        assert_eq!(looks(&file, &names)["One"].widths[&0], 22.71);
        assert!(widths(b"not a compound file").is_empty());
    }
}
