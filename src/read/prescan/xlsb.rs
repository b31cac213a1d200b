//! The shared text of an .xlsb, counted before calamine reads it: calamine
//! keeps every entry of `xl/sharedStrings.bin` for as long as the workbook
//! is open, and a part of twenty million empty entries (140 MB unpacked, a
//! few hundred kilobytes zipped) would take gigabytes. Records are read one
//! after another and skipped; nothing is held.

use std::io::{BufReader, Cursor, Read};

use super::MAX_UNPACKED_BYTES;
use super::xlsx::MAX_SHARED_STRINGS;
use crate::read::cells::thousands;
use crate::read::grid::MAX_TEXT_BYTES;
use crate::read::workbook::OpenFailure;

/// A BrtSSTItem record: one entry of the shared text.
const SST_ITEM: u16 = 0x0013;

/// Refuses an .xlsb whose shared text has more entries, or more text, than
/// is read from one workbook. Records that cannot be read are left to the
/// reader, which reports the damage.
pub fn check_xlsb(bytes: &[u8]) -> Result<(), OpenFailure> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(part) = zip.by_name("xl/sharedStrings.bin") else {
        return Ok(());
    };
    let mut r = BufReader::new(part.take(MAX_UNPACKED_BYTES));
    let (mut entries, mut text) = (0u64, 0u64);
    while let Some((typ, size)) = record_header(&mut r) {
        if typ == SST_ITEM {
            entries += 1;
            // Text is stored as UTF-16: two bytes a character.
            text += size / 2;
        }
        if entries > MAX_SHARED_STRINGS {
            return Err(OpenFailure::TooLarge(format!(
                "its shared text has more than {} entries, more than its sheets could use.",
                thousands(MAX_SHARED_STRINGS)
            )));
        }
        if text > MAX_TEXT_BYTES as u64 {
            return Err(OpenFailure::TooLarge(format!(
                "its cells' text comes to more than {} MB, the most read from one workbook.",
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        let skipped = std::io::copy(&mut (&mut r).take(size), &mut std::io::sink());
        if skipped.ok() != Some(size) {
            break;
        }
    }
    Ok(())
}

/// A record's type and size (MS-XLSB 2.1.4): the type in one or two bytes,
/// the size in one to four, seven bits to a byte.
fn record_header(r: &mut impl Read) -> Option<(u16, u64)> {
    let mut byte = || {
        let mut b = [0u8];
        r.read_exact(&mut b).ok().map(|_| b[0])
    };
    let first = byte()?;
    let typ = if first & 0x80 != 0 {
        ((byte()? as u16 & 0x7F) << 7) | (first as u16 & 0x7F)
    } else {
        first as u16
    };
    let mut size = 0u64;
    for i in 0..4 {
        let b = byte()?;
        size |= ((b & 0x7F) as u64) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    Some((typ, size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = if typ >= 0x80 {
            vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
        } else {
            vec![typ as u8]
        };
        let mut size = data.len();
        loop {
            let b = (size & 0x7F) as u8;
            size >>= 7;
            out.push(if size > 0 { b | 0x80 } else { b });
            if size == 0 {
                break;
            }
        }
        out.extend_from_slice(data);
        out
    }

    fn xlsb_with_items(n: u64) -> Vec<u8> {
        let empty = record(SST_ITEM, &[0, 0, 0, 0, 0]);
        let mut part = record(0x9F, &[0; 8]);
        for _ in 0..n {
            part.extend_from_slice(&empty);
        }
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            "xl/sharedStrings.bin",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&part).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_counted_from_the_records() {
        assert_eq!(
            record_header(&mut &record(0x9F, &[1, 2])[..]),
            Some((0x9F, 2))
        );
        assert_eq!(
            record_header(&mut &record(SST_ITEM, &vec![0; 300])[..]),
            Some((SST_ITEM, 300))
        );
        assert_eq!(check_xlsb(&xlsb_with_items(1_000)), Ok(()));
        assert!(matches!(
            check_xlsb(&xlsb_with_items(MAX_SHARED_STRINGS + 1)),
            Err(OpenFailure::TooLarge(m)) if m.contains("more than 2,000,000 entries")
        ));
    }
}
