//! Sharing a page's width between columns: each column asks for a least
//! width, the width it would like, and a share of any width beyond
//! ([`Want`]); [`share`] gives each its least, then what is left to the
//! columns that hold most text, up to what they would like. Widths are
//! measured as they print ([`super::measure::column_print_points`]: the
//! wider of Excel and LibreOffice), so a sheet laid out to fit the page
//! fits it in both.

use super::measure::columns_print_points;

/// The share of the paper's width a row of columns is planned to fill.
/// LibreOffice rounds each column to whole units of its own, so a row of
/// columns prints up to about 1.5% wider than measured (a page's last
/// column then moves to a page of its own).
pub const SLACK: f64 = 0.985;

/// The width, in points, that columns laid out across `paper_width`
/// should fill: see [`SLACK`].
pub fn room(paper_width: f64) -> f64 {
    paper_width * SLACK
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
    if columns_print_points(&least) >= room {
        return least.into_iter().map(quarter).collect();
    }
    let wanted = at(1.0);
    let widths = if columns_print_points(&wanted) <= room {
        let spare = room - columns_print_points(&wanted);
        let weight: f64 = cols.iter().map(|c| c.stretch).sum();
        if weight > 0.0 {
            // Points to characters: each character of width adds at least
            // this much to the printed width.
            let per_char = columns_print_points(&[2.0]) - columns_print_points(&[1.0]);
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
            if columns_print_points(&at(mid)) <= room {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        at(lo)
    };
    let mut out: Vec<f64> = widths.into_iter().map(quarter).collect();
    // Rounding up a stretch can tip the total over: take it back.
    while columns_print_points(&out) > room {
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
    fn room_is_shared_towards_each_wish_then_by_stretch() {
        let cols = [
            Want::fixed(8.0),
            Want::new(10.0, 30.0, 1.0),
            Want::new(10.0, 20.0, 0.0),
        ];
        // Room for the least only.
        let w = share(&cols, columns_print_points(&[8.0, 10.0, 10.0]));
        assert_eq!(w, vec![8.0, 10.0, 10.0]);
        // Halfway to the wishes.
        let w = share(&cols, columns_print_points(&[8.0, 20.0, 15.0]));
        assert_eq!(w[0], 8.0);
        assert!(
            (w[1] - 20.0).abs() <= 0.25 && (w[2] - 15.0).abs() <= 0.25,
            "{w:?}"
        );
        // More than every wish: the stretch takes the rest.
        let room = columns_print_points(&[8.0, 40.0, 20.0]);
        let w = share(&cols, room);
        assert_eq!((w[0], w[2]), (8.0, 20.0));
        assert!((w[1] - 40.0).abs() <= 0.5, "{w:?}");
        assert!(columns_print_points(&w) <= room);
        // Too little room: the least, as it is.
        assert_eq!(share(&cols, 10.0), vec![8.0, 10.0, 10.0]);
    }
}
