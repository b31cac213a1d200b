//! The sizes an .xls file declares and uses, read from its BIFF records:
//! each sheet's Dimensions records and the extent of its cell records. The
//! workbook stream is taken out of its compound file with the cfb crate,
//! checked, and handed to calamine in a fresh container.

use std::io::{Cursor, Read};

use super::{Bounds, MAX_UNPACKED_BYTES, too_large_sheet};
use crate::read::workbook::{MAX_CELLS_PER_SHEET, OpenFailure};

/// What a compound file (the container of an .xls, and of an encrypted
/// .xlsx) holds, as far as reading it needs to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Compound {
    /// An encrypted Office document: an `EncryptedPackage` stream.
    Encrypted,
    /// Anything else: an .xls workbook, or something calamine will refuse.
    Other,
}

/// Opens a compound file's directory before calamine does. calamine 0.38
/// follows the directory's sector chain without a bound, so a chain that
/// loops back on itself grows a buffer until memory runs out (found by
/// fuzzing). The cfb crate checks every chain for loops and bounds, so a
/// file it cannot open is reported as damaged without calamine reading it.
pub fn check_compound(bytes: &[u8]) -> Result<Compound, OpenFailure> {
    let cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        OpenFailure::Damaged(format!(
            "the file is damaged or incomplete and could not be opened ({e}). Open it in Excel, save it again, and resend it."
        ))
    })?;
    if cf.is_stream("/EncryptedPackage") {
        return Ok(Compound::Encrypted);
    }
    Ok(Compound::Other)
}

/// Checks an .xls file and returns the bytes calamine should open: a fresh
/// compound file holding only the workbook stream that was checked.
///
/// The stream is read with the cfb crate; each sheet's Dimensions records
/// and the extent of its cells are checked (a sheet over the limit is too
/// large, an impossible size or position is damage). calamine then reads
/// that same stream from a well-formed container, so it never follows the
/// original file's sector chains (where fuzzing found loops and lenient
/// reads of streams cut short) and never sees bytes that were not checked.
/// calamine reads nothing else from an .xls that this tool uses.
pub fn prepare_xls(bytes: &[u8]) -> Result<Vec<u8>, OpenFailure> {
    let damaged = |why: String| {
        OpenFailure::Damaged(format!(
            "the file is damaged or incomplete and could not be opened ({why}). Open it in Excel, save it again, and resend it."
        ))
    };
    let stream = workbook_stream(bytes).map_err(damaged)?;
    check_xls_stream(&stream)?;
    let rebuilt = (|| -> std::io::Result<Vec<u8>> {
        // Version 3 (512-byte sectors), as Excel writes .xls: calamine 0.38
        // refuses a version 4 file whose root has no mini stream.
        let mut cf =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        std::io::Write::write_all(&mut cf.create_stream("/Workbook")?, &stream)?;
        cf.flush()?;
        Ok(cf.into_inner().into_inner())
    })();
    rebuilt.map_err(|e| damaged(e.to_string()))
}

/// Refuses an .xls file with a sheet whose declared dimension or used area
/// is over the limit, or whose size records are impossible.
#[cfg(test)]
pub fn check_xls(bytes: &[u8]) -> Result<(), OpenFailure> {
    prepare_xls(bytes).map(|_| ())
}

fn check_xls_stream(stream: &[u8]) -> Result<(), OpenFailure> {
    for s in xls_stream_sheets(stream) {
        match s.declared {
            Some(Declared::Impossible) => {
                return Err(OpenFailure::Damaged(format!(
                    "the records of its sheet \"{}\" give an impossible size or position (the file is damaged). Open it in Excel, save it again, and resend it.",
                    s.name
                )));
            }
            Some(Declared::Box(b)) if b.cells() > MAX_CELLS_PER_SHEET as u64 => {
                return Err(too_large_sheet(&s.name, &b, "is declared to span"));
            }
            _ => {}
        }
        if let Some(b) = s.used
            && b.cells() > MAX_CELLS_PER_SHEET as u64
        {
            return Err(too_large_sheet(&s.name, &b, "has values across"));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Declared {
    Box(Bounds),
    /// A last row before the first, or a sheet placed past the end of the
    /// stream: calamine would fail on it (a panic, or a huge allocation).
    Impossible,
}

/// One sheet of an .xls file, as its records describe it.
#[derive(Debug, Clone)]
pub struct XlsSheet {
    pub name: String,
    pub declared: Option<Declared>,
    pub used: Option<Bounds>,
}

/// The workbook stream of an .xls file. An error when it cannot be read
/// whole: calamine might read part of it leniently, but what was not read
/// could not be checked.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut stream = Vec::new();
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or("it has no workbook stream")?;
    cf.open_stream(name)
        .map_err(|e| e.to_string())?
        .take(MAX_UNPACKED_BYTES)
        .read_to_end(&mut stream)
        .map_err(|e| format!("its workbook stream is cut short: {e}"))?;
    Ok(stream)
}

/// The sheets of an .xls file with their declared and used areas.
#[cfg(test)]
pub fn xls_sheets(bytes: &[u8]) -> Result<Vec<XlsSheet>, String> {
    Ok(xls_stream_sheets(&workbook_stream(bytes)?))
}

/// The sheets described by a workbook stream.
fn xls_stream_sheets(stream: &[u8]) -> Vec<XlsSheet> {
    // Globals: the BoundSheet8 records give each sheet's offset and name.
    let mut sheets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 if data.len() >= 8 => {
                let pos = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                // Every sheet, as calamine reads every one; the name is for
                // messages (8-bit or UTF-16, the encoding is not followed).
                let n = data[6] as usize;
                let name = if data.get(7) == Some(&1) {
                    let units: Vec<u16> = data[8..]
                        .chunks_exact(2)
                        .take(n)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    data[8.min(data.len())..]
                        .iter()
                        .take(n)
                        .map(|b| *b as char)
                        .collect()
                };
                sheets.push((pos, name));
            }
            0x000A => break,
            _ => {}
        }
    }

    let mut out = Vec::new();
    for (pos, name) in sheets {
        let mut sheet = XlsSheet {
            name,
            declared: None,
            used: None,
        };
        let Some(sub) = stream.get(pos..) else {
            // The sheet starts past the end of the workbook stream.
            sheet.declared = Some(Declared::Impossible);
            out.push(sheet);
            continue;
        };
        let mut seen_bof = false;
        let mut nested = 0usize;
        for (typ, d) in records(sub) {
            if nested > 0 {
                match typ {
                    0x0809 => nested += 1,
                    0x000A => nested -= 1,
                    _ => {}
                }
                continue;
            }
            let u16_at = |i: usize| {
                d.get(i..i + 2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
            };
            match typ {
                0x0809 => {
                    if seen_bof {
                        nested += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x000A => break,
                // calamine sizes a grid from every Dimensions record: keep
                // the worst one.
                0x0200 => {
                    sheet.declared = match (sheet.declared, declared(d)) {
                        (Some(Declared::Impossible), _) | (_, Some(Declared::Impossible)) => {
                            Some(Declared::Impossible)
                        }
                        (Some(Declared::Box(a)), Some(Declared::Box(b))) => {
                            Some(Declared::Box(if b.cells() > a.cells() { b } else { a }))
                        }
                        (a, b) => b.or(a),
                    }
                }
                // Number, Label, RString, BoolErr, RK, LabelSst, Formula.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                        Bounds::add(&mut sheet.used, (r, r), (c, c));
                    }
                }
                // MulRk: a run of cells in one row.
                0x00BD if d.len() >= 6 => {
                    if let (Some(r), Some(c0), Some(c1)) =
                        (u16_at(0), u16_at(2), u16_at(d.len() - 2))
                    {
                        Bounds::add(&mut sheet.used, (r, r), (c0.min(c1), c0.max(c1)));
                    }
                }
                _ => {}
            }
        }
        out.push(sheet);
    }
    out
}

/// A Dimensions record read the way calamine 0.38 reads it (its
/// `parse_dimensions`), so the grid it would reserve is known.
fn declared(r: &[u8]) -> Option<Declared> {
    let u16_at = |i: usize| u16::from_le_bytes([r[i], r[i + 1]]) as u64;
    let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]) as u64;
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return None, // calamine refuses the record itself.
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (first, last) = if rl >= 1 && cl >= 1 {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    if last.0 < first.0 || last.1 < first.1 {
        return Some(Declared::Impossible);
    }
    Some(Declared::Box(Bounds { first, last }))
}

/// BIFF records: (type, data), stopping at the first incomplete one.
fn records(mut s: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if s.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([s[0], s[1]]);
        let len = u16::from_le_bytes([s[2], s[3]]) as usize;
        let data = s.get(4..4 + len)?;
        s = &s[4 + len..];
        Some((typ, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_records_are_read_as_calamine_reads_them() {
        // BIFF8: rows 0..65536, columns 0..256.
        let mut r = Vec::new();
        r.extend(0u32.to_le_bytes());
        r.extend(65_536u32.to_le_bytes());
        r.extend(0u16.to_le_bytes());
        r.extend(256u16.to_le_bytes());
        r.extend(0u16.to_le_bytes());
        let Some(Declared::Box(b)) = declared(&r) else {
            panic!()
        };
        assert_eq!(b.cells(), 16_777_216);
        // First row after the last: calamine would underflow.
        r[0..4].copy_from_slice(&10u32.to_le_bytes());
        r[4..8].copy_from_slice(&5u32.to_le_bytes());
        assert_eq!(declared(&r), Some(Declared::Impossible));
        assert_eq!(declared(&r[..3]), None);
    }

    /// A minimal BIFF8 .xls: one sheet whose Dimensions record says rows
    /// `first..last` (last exclusive, as the record stores it).
    fn xls_with_dimensions(first: u32, last: u32) -> Vec<u8> {
        fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
            let mut r = typ.to_le_bytes().to_vec();
            r.extend((data.len() as u16).to_le_bytes());
            r.extend(data);
            r
        }
        let bof = |dt: u16| {
            let mut d = vec![0u8; 16];
            d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
            d[2..4].copy_from_slice(&dt.to_le_bytes());
            rec(0x0809, &d)
        };
        let sheet_record = |pos: u32| {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend([0, 0, 6, 0]); // visible worksheet, 6 8-bit characters
            d.extend(b"Scores");
            rec(0x0085, &d)
        };
        let globals_len = (bof(5).len() + sheet_record(0).len() + rec(0x000A, &[]).len()) as u32;
        let mut stream = bof(5);
        stream.extend(sheet_record(globals_len));
        stream.extend(rec(0x000A, &[]));
        stream.extend(bof(0x10));
        let mut dim = first.to_le_bytes().to_vec();
        dim.extend(last.to_le_bytes());
        dim.extend([0, 0, 2, 0, 0, 0]); // columns 0..2, reserved
        stream.extend(rec(0x0200, &dim));
        stream.extend(rec(0x000A, &[]));
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        std::io::Write::write_all(&mut cf.create_stream("/Workbook").unwrap(), &stream).unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    #[test]
    fn xls_sizes_are_checked_before_calamine_reads_the_file() {
        // An ordinary sheet: 20 rows of 2 columns.
        let ok = xls_with_dimensions(0, 20);
        assert_eq!(check_xls(&ok), Ok(()));
        // calamine opens the rebuilt container and finds the sheet.
        let book = crate::read::workbook::open_book(ok.clone(), "xls")
            .ok()
            .unwrap();
        assert_eq!(book.sheets[0].name, "Scores");
        let sheets = xls_sheets(&ok).unwrap();
        assert_eq!(sheets[0].name, "Scores");
        // Declared as 2 million rows: too large, before any grid is built.
        let big = xls_with_dimensions(0, 2_000_000);
        match check_xls(&big) {
            Err(OpenFailure::TooLarge(m)) => {
                assert!(m.contains("\"Scores\" is declared to span A1:"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        // Last row before the first: calamine would overflow (a panic, or
        // in a release build a reservation of petabytes and an abort).
        let bad = xls_with_dimensions(10, 5);
        match check_xls(&bad) {
            Err(OpenFailure::Damaged(m)) => assert!(m.contains("impossible size"), "{m}"),
            other => panic!("{other:?}"),
        }
        // Through the whole reader, the same.
        assert!(matches!(
            crate::read::workbook::open_book(bad, "xls"),
            Err(OpenFailure::Damaged(m)) if m.contains("impossible size")
        ));
    }

    #[test]
    fn records_stop_at_an_incomplete_record() {
        let s = [0x0A, 0x00, 0x01, 0x00, 0xFF, 0x09, 0x08, 0x10, 0x00];
        let r: Vec<_> = records(&s).collect();
        assert_eq!(r, vec![(0x000A, &[0xFF][..])]);
    }
}
