//! The lengths of the strings in an .xls file's shared string table (the
//! SST record and the CONTINUE records after it). calamine copies a shared
//! string into every cell that uses it (a LabelSst record, 14 bytes), so
//! one long string used by a million cells would ask for gigabytes: the
//! text each sheet would hold is worked out from these lengths before
//! calamine reads the file.

/// The SST's payload, split where its records split it: a string's
/// characters may run on into the next record, which then starts with a
/// byte saying how wide the rest of them are.
pub struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl<'a> Segments<'a> {
    pub fn new(segs: Vec<&'a [u8]>) -> Segments<'a> {
        Segments {
            segs,
            seg: 0,
            pos: 0,
        }
    }

    /// Moves to the next record when this one is used up.
    fn settle(&mut self) -> Option<()> {
        while self.pos >= self.segs.get(self.seg)?.len() {
            self.seg += 1;
            self.pos = 0;
        }
        Some(())
    }

    fn byte(&mut self) -> Option<u8> {
        self.settle()?;
        let b = self.segs[self.seg][self.pos];
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u64> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]) as u64)
    }

    fn u32(&mut self) -> Option<u64> {
        Some(u32::from_le_bytes([self.byte()?, self.byte()?, self.byte()?, self.byte()?]) as u64)
    }

    fn skip(&mut self, mut n: u64) -> Option<()> {
        while n > 0 {
            self.settle()?;
            let here = (self.segs[self.seg].len() - self.pos) as u64;
            let step = here.min(n);
            self.pos += step as usize;
            n -= step;
        }
        Some(())
    }

    /// Skips `cch` characters, `wide` (two bytes) or not; at a record's
    /// end the next record's first byte gives the width of the rest.
    /// Whether any were wide.
    fn chars(&mut self, mut cch: u64, mut wide: bool) -> Option<bool> {
        let mut any_wide = wide;
        while cch > 0 {
            let seg = self.segs.get(self.seg)?;
            let width = if wide { 2 } else { 1 };
            let here = ((seg.len() - self.pos) / width) as u64;
            let step = here.min(cch);
            self.pos += (step as usize) * width;
            cch -= step;
            if cch > 0 {
                self.seg += 1;
                self.pos = 0;
                wide = self.byte()? & 1 == 1;
                any_wide |= wide;
            }
        }
        Some(any_wide)
    }
}

/// The bytes each shared string takes once read (its characters, two
/// bytes each where stored wide), in table order, as far as the table
/// could be read.
pub fn lengths(mut s: Segments) -> Vec<u64> {
    let mut out = Vec::new();
    // cstTotal, then cstUnique: how many strings follow.
    let Some(unique) = s.u32().and_then(|_| s.u32()) else {
        return out;
    };
    for _ in 0..unique {
        let Some(len) = one(&mut s) else { break };
        out.push(len);
    }
    out
}

/// One XLUnicodeRichExtendedString, skipped; its length once read.
fn one(s: &mut Segments) -> Option<u64> {
    let cch = s.u16()?;
    let flags = s.byte()?;
    let runs = if flags & 0x08 != 0 { s.u16()? } else { 0 };
    let ext = if flags & 0x04 != 0 { s.u32()? } else { 0 };
    let wide = s.chars(cch, flags & 1 == 1)?;
    s.skip(runs * 4)?;
    s.skip(ext)?;
    Some(if wide { cch * 2 } else { cch })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_across_records_are_measured() {
        // Two strings: "abc" (8-bit), then 4 characters of which 2 are in
        // this record (8-bit) and 2 in the next, stored wide.
        let first: Vec<u8> = [
            &2u32.to_le_bytes()[..],
            &2u32.to_le_bytes(),
            &3u16.to_le_bytes(),
            &[0],
            b"abc",
            &4u16.to_le_bytes(),
            &[0],
            b"de",
        ]
        .concat();
        let second: Vec<u8> = [&[1u8][..], &[b'f', 0, b'g', 0]].concat();
        let lens = lengths(Segments::new(vec![&first, &second]));
        assert_eq!(lens, vec![3, 8]);
    }
}
