//! Column widths planned for the printed page. Excel gives a column of
//! width `w` 7 pixels a character plus 5 (at 96 to the inch); LibreOffice
//! gives it `w` widths of the default font's digit plus the same padding,
//! about 6% wider. A sheet laid out for print counts the wider, so it fits
//! the page in both, and shares out the page's width between its columns
//! ([`share`]): each gets its least, then what is left goes to the columns
//! that hold most text, up to what they would like.

/// The width cells print across on landscape A4 inside half-inch side
/// margins, in points.
pub const A4_LANDSCAPE: f64 = 842.0 - 72.0;

/// The width of the default font's digit (Calibri 11) in points:
/// LibreOffice's unit of column width.
const DIGIT: f64 = 0.507 * 11.0;

/// The width in points a column `width` characters wide prints at, in
/// whichever of Excel and LibreOffice prints it wider.
pub fn printed_points(width: f64) -> f64 {
    let excel = (width * 7.0 + 5.0).floor() * 0.75;
    let libreoffice = (width + 5.0 / 7.0) * DIGIT;
    excel.max(libreoffice)
}

/// Printed width of a set of columns, in points.
pub fn printed_total(widths: &[f64]) -> f64 {
    widths.iter().map(|w| printed_points(*w)).sum()
}

/// What a column asks for: its least width, the width it would like, and
/// its share of any width beyond that (0 keeps it at `want`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Want {
    pub least: f64,
    pub want: f64,
    pub stretch: f64,
}

impl Want {
    pub const fn new(least: f64, want: f64, stretch: f64) -> Want {
        Want {
            least,
            want,
            stretch,
        }
    }

    /// A column of one width, whatever the room.
    pub const fn fixed(width: f64) -> Want {
        Want::new(width, width, 0.0)
    }
}

/// Widths (in characters) for `cols` that fill `room` printed points:
/// every column at least its least; the room left shared out towards each
/// column's wish in proportion to how far it is from it; and any room
/// beyond every wish shared by `stretch`. When even the least widths do not
/// fit, they are returned as they are (the sheet then prints smaller, or
/// across pages). Widths are rounded down to a quarter character.
pub fn share(cols: &[Want], room: f64) -> Vec<f64> {
    let at = |k: f64| -> Vec<f64> {
        cols.iter()
            .map(|c| c.least + (c.want - c.least).max(0.0) * k)
            .collect()
    };
    let least = at(0.0);
    if printed_total(&least) >= room {
        return least.into_iter().map(quarter).collect();
    }
    let wanted = at(1.0);
    let widths = if printed_total(&wanted) <= room {
        let spare = room - printed_total(&wanted);
        let weight: f64 = cols.iter().map(|c| c.stretch).sum();
        if weight > 0.0 {
            // Points to characters: each character of width adds at least
            // this much to the printed width.
            let per_char = printed_points(2.0) - printed_points(1.0);
            cols.iter()
                .zip(&wanted)
                .map(|(c, w)| w + spare * c.stretch / weight / per_char)
                .collect()
        } else {
            wanted
        }
    } else {
        // Between the least and the wish: find how far by halving.
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if printed_total(&at(mid)) <= room {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        at(lo)
    };
    let mut out: Vec<f64> = widths.into_iter().map(quarter).collect();
    // Rounding up a stretch can tip the total over: take it back.
    while printed_total(&out) > room {
        let Some(i) = (0..out.len())
            .filter(|&i| out[i] - 0.25 >= cols[i].least)
            .max_by(|&a, &b| out[a].total_cmp(&out[b]))
        else {
            break;
        };
        out[i] -= 0.25;
    }
    out
}

fn quarter(w: f64) -> f64 {
    (w * 4.0).floor() / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libreoffice_prints_columns_wider_than_excel() {
        // Measured from LibreOffice's PDF: a column of 20 prints 115.6 pt.
        assert!((printed_points(20.0) - 115.5).abs() < 0.5);
        assert!(printed_points(20.0) > (20.0 * 7.0 + 5.0) * 0.75);
    }

    #[test]
    fn room_is_shared_towards_each_wish_then_by_stretch() {
        let cols = [
            Want::fixed(8.0),
            Want::new(10.0, 30.0, 1.0),
            Want::new(10.0, 20.0, 0.0),
        ];
        // Room for the least only.
        let w = share(&cols, printed_total(&[8.0, 10.0, 10.0]));
        assert_eq!(w, vec![8.0, 10.0, 10.0]);
        // Halfway to the wishes.
        let w = share(&cols, printed_total(&[8.0, 20.0, 15.0]));
        assert_eq!(w[0], 8.0);
        assert!(
            (w[1] - 20.0).abs() <= 0.25 && (w[2] - 15.0).abs() <= 0.25,
            "{w:?}"
        );
        // More than every wish: the stretch takes the rest.
        let room = printed_total(&[8.0, 40.0, 20.0]);
        let w = share(&cols, room);
        assert_eq!((w[0], w[2]), (8.0, 20.0));
        assert!((w[1] - 40.0).abs() <= 0.5, "{w:?}");
        assert!(printed_total(&w) <= room);
        // Too little room: the least, as it is.
        assert_eq!(share(&cols, 10.0), vec![8.0, 10.0, 10.0]);
    }
}
