//! The sector's figures: how many authorities gave each characteristic each
//! colour, each characteristic's and theme's typical colour, and where each
//! authority's themes sit against the sector's. Pure functions of the
//! scores, so the workbook only lays them out.
//!
//! "Typical" is the median of the scored levels (a level that is not scored,
//! such as Grey, and characteristics not assessed are left out). The scale
//! runs best first; when the count is even, the weaker of the two middle
//! levels is taken, so "typical" never flatters.

use crate::framework::Framework;

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// `counts[characteristic][level]`: authorities that gave it that level.
    pub counts: Vec<Vec<usize>>,
    /// `not_assessed[characteristic]`: authorities that did not assess it.
    pub not_assessed: Vec<usize>,
    /// `typical[characteristic]`: the typical level across authorities.
    pub typical: Vec<Option<usize>>,
    /// `sector_theme[theme]`: the sector's typical level (all authorities' scored
    /// characteristics in the theme, pooled).
    pub sector_theme: Vec<Option<usize>>,
    /// `theme_typical[authority][theme]`: the authority's typical level in
    /// the theme.
    pub theme_typical: Vec<Vec<Option<usize>>>,
}

/// An authority's theme against the sector's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Above,
    Same,
    Below,
}

impl Position {
    pub fn label(self) -> &'static str {
        match self {
            Position::Above => "Above",
            Position::Same => "Same",
            Position::Below => "Below",
        }
    }
}

/// The typical level of `levels` (see the module notes).
pub fn typical(levels: impl IntoIterator<Item = usize>, fw: &Framework) -> Option<usize> {
    let mut v: Vec<usize> = levels
        .into_iter()
        .filter(|&l| fw.scale.get(l).is_some_and(|x| x.scored))
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

/// Where `own` sits against `sector` (levels are best first).
pub fn position(own: Option<usize>, sector: Option<usize>) -> Option<Position> {
    let (o, s) = (own?, sector?);
    Some(match o.cmp(&s) {
        std::cmp::Ordering::Less => Position::Above,
        std::cmp::Ordering::Equal => Position::Same,
        std::cmp::Ordering::Greater => Position::Below,
    })
}

/// Computes the figures. `levels[a][c]` is authority `a`'s final level for
/// characteristic `c`.
pub fn compute(fw: &Framework, levels: &[Vec<Option<usize>>]) -> Stats {
    let n = fw.characteristics.len();
    let mut counts = vec![vec![0usize; fw.scale.len()]; n];
    let mut not_assessed = vec![0usize; n];
    for a in levels {
        for c in 0..n {
            match a.get(c).copied().flatten() {
                Some(l) if l < fw.scale.len() => counts[c][l] += 1,
                _ => not_assessed[c] += 1,
            }
        }
    }
    let typical_of = |c: usize| {
        typical(
            counts[c]
                .iter()
                .enumerate()
                .flat_map(|(l, &k)| std::iter::repeat_n(l, k)),
            fw,
        )
    };
    let typical_all: Vec<Option<usize>> = (0..n).map(typical_of).collect();
    let in_theme = |t: usize| (0..n).filter(move |&c| fw.characteristics[c].theme == t);
    let sector_theme = (0..fw.themes.len())
        .map(|t| {
            typical(
                in_theme(t).flat_map(|c| {
                    counts[c]
                        .iter()
                        .enumerate()
                        .flat_map(|(l, &k)| std::iter::repeat_n(l, k))
                }),
                fw,
            )
        })
        .collect();
    let theme_typical = levels
        .iter()
        .map(|a| {
            (0..fw.themes.len())
                .map(|t| typical(in_theme(t).filter_map(|c| a.get(c).copied().flatten()), fw))
                .collect()
        })
        .collect();
    Stats {
        counts,
        not_assessed,
        typical: typical_all,
        sector_theme,
        theme_typical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Default scale: Dark green 0, Light green 1, Yellow 2, Amber 3, Grey 4.
    #[test]
    fn typical_is_the_weaker_middle_of_the_scored_levels() {
        let fw = Framework::default_framework();
        assert_eq!(typical([0, 1, 2], &fw), Some(1));
        assert_eq!(typical([0, 1, 2, 3], &fw), Some(2));
        assert_eq!(typical([1, 4, 4, 4], &fw), Some(1), "Grey is left out");
        assert_eq!(typical([4], &fw), None);
        assert_eq!(typical([], &fw), None);
    }

    #[test]
    fn positions_compare_best_first() {
        assert_eq!(position(Some(0), Some(1)), Some(Position::Above));
        assert_eq!(position(Some(1), Some(1)), Some(Position::Same));
        assert_eq!(position(Some(2), Some(1)), Some(Position::Below));
        assert_eq!(position(None, Some(1)), None);
    }

    #[test]
    fn counts_and_typicals_over_authorities() {
        let fw = Framework::default_framework();
        let n = fw.characteristics.len();
        let a = vec![Some(1); n];
        let mut b = vec![Some(2); n];
        b[0] = None;
        let mut c = vec![Some(2); n];
        c[0] = Some(4);
        let s = compute(&fw, &[a, b, c]);
        assert_eq!(s.counts[0], vec![0, 1, 0, 0, 1]);
        assert_eq!(s.not_assessed[0], 1);
        assert_eq!(s.counts[1], vec![0, 1, 2, 0, 0]);
        assert_eq!(s.typical[0], Some(1));
        assert_eq!(s.typical[1], Some(2));
        assert_eq!(s.sector_theme[0], Some(2));
        assert_eq!(s.theme_typical[0][0], Some(1));
        assert_eq!(s.theme_typical[1][1], Some(2));
        assert_eq!(
            position(s.theme_typical[0][0], s.sector_theme[0]),
            Some(Position::Above)
        );
    }
}
