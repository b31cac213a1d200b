//! The clerk's copy's Characteristics sheet: one block per characteristic,
//! printed on A4 portrait at full size. Each block has the code and label
//! as its heading, then the position statement, the evidence, each round's
//! score with its commentary, the final score, last year's score and the
//! gaps beneath, a label in the first column and the text beside it. Themes
//! are introduced by a banner; pages break between blocks, never between a
//! block's heading and its first lines.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::detail::colour_by_level;
use super::{Report, as_at_text, page_setup};
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::page::{Pager, Paper};
use crate::write::xlsx::style::{BODY_SIZE, Styles};
use crate::write::xlsx::text;

/// Column widths: the labels, the scores, the text.
const LABEL: f64 = 17.0;
const SCORE: f64 = 11.5;
const TEXT: f64 = 62.0;
/// The tallest row a piece of long text is given before it runs on into
/// the next row (a row cannot break across pages).
const MOST: f64 = 300.0;

struct Block<'a, 'b> {
    ws: &'a mut Worksheet,
    st: &'a Styles,
    row: u32,
    /// Each row written, with its height, for the page plan.
    heights: Vec<(u32, f64)>,
    _r: &'a Report<'b>,
}

impl Block<'_, '_> {
    fn height(&mut self, h: f64) -> Result<(), XlsxError> {
        self.ws.set_row_height(self.row, h)?;
        self.heights.push((self.row, h));
        self.row += 1;
        Ok(())
    }

    /// A label and text across the score and text columns, the text run on
    /// into further rows when too long for one.
    fn text(&mut self, label: &str, value: &str, f: &Format) -> Result<(), XlsxError> {
        let width = measure::column_points(SCORE) + measure::column_points(TEXT);
        let font = Font::regular(BODY_SIZE);
        for (i, part) in measure::split_to_fit(value, width, font, MOST)
            .iter()
            .enumerate()
        {
            let label = if i == 0 { label } else { "" };
            text(self.ws, self.row, 0, label, &self.st.label)?;
            self.ws.merge_range(self.row, 1, self.row, 2, "", f)?;
            text(self.ws, self.row, 1, part, f)?;
            let h = measure::fit_row(&[
                (part, width, font),
                (label, measure::column_points(LABEL), Font::bold(BODY_SIZE)),
            ]);
            self.height(h.max(15.0))?;
        }
        Ok(())
    }

    /// A label, a score in words (coloured by its level) and a note beside.
    fn score(&mut self, label: &str, score: &str, note: &str) -> Result<(), XlsxError> {
        let width = measure::column_points(TEXT);
        let font = Font::regular(BODY_SIZE);
        let parts = measure::split_to_fit(note, width, font, MOST);
        for (i, part) in parts.iter().enumerate() {
            let (label, score) = if i == 0 { (label, score) } else { ("", "") };
            text(self.ws, self.row, 0, label, &self.st.label)?;
            text(self.ws, self.row, 1, score, &self.st.number)?;
            text(self.ws, self.row, 2, part, &self.st.wrap)?;
            let h = measure::fit_row(&[
                (part, width, font),
                (label, measure::column_points(LABEL), Font::bold(BODY_SIZE)),
            ]);
            self.height(h.max(16.0))?;
        }
        Ok(())
    }
}

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    debug_assert!(
        Pager::fits(Paper::PORTRAIT, &[LABEL, SCORE, TEXT]),
        "the columns fit A4"
    );
    ws.set_column_width(0, LABEL)?;
    ws.set_column_width(1, SCORE)?;
    ws.set_column_width(2, TEXT)?;
    ws.write_string_with_format(0, 0, format!("Characteristics: {}", r.authority), &st.title)?;
    ws.set_row_height(0, 24)?;
    let intro = format!(
        "{}. Each characteristic by theme: its position statement and evidence, each round's score and commentary, the final score and the gaps to address.",
        as_at_text(r)
    );
    ws.merge_range(1, 0, 1, 2, &intro, &st.subtitle.clone().set_text_wrap())?;
    let all = measure::column_points(LABEL)
        + measure::column_points(SCORE)
        + measure::column_points(TEXT);
    let intro_h = measure::fit_row(&[(intro.as_str(), all, Font::regular(11.0))]);
    ws.set_row_height(1, intro_h)?;
    ws.set_row_height(2, 6)?;
    let mut pager = Pager::new(Paper::PORTRAIT);
    pager.keep(0, 24.0 + intro_h + 6.0);

    let mut b = Block {
        ws,
        st,
        row: 3,
        heights: Vec::new(),
        _r: r,
    };
    let scored: Vec<usize> = (0..fw.rounds.len())
        .filter(|i| fw.rounds[*i].scored)
        .collect();
    let heading_font = Font::bold(12.0);
    let label_width = measure::column_points(SCORE) + measure::column_points(TEXT);
    for (t, th) in fw.themes.iter().enumerate() {
        let banner = b.row;
        b.ws.write_string_with_format(
            banner,
            0,
            format!("{}  {}", t + 1, th.name),
            &st.theme_title,
        )?;
        for c in 1..=2 {
            b.ws.write_blank(banner, c, &st.theme_title)?;
        }
        b.height(20.0)?;
        for (c, ch) in fw
            .characteristics
            .iter()
            .enumerate()
            .filter(|(_, ch)| ch.theme == t)
        {
            let m = &r.assessment.characteristics[c];
            let first = b.row;
            // The heading: code, and the label beside it.
            b.ws.write_string_with_format(first, 0, &ch.code, &st.section)?;
            b.ws.merge_range(first, 1, first, 2, "", &st.section.clone().set_text_wrap())?;
            text(
                b.ws,
                first,
                1,
                &ch.label,
                &st.section.clone().set_text_wrap(),
            )?;
            let h = measure::fit_row(&[(ch.label.as_str(), label_width, heading_font)]).max(22.0);
            b.height(h)?;
            b.text("Position statement", or_none(&m.narrative), &st.wrap)?;
            b.text("Evidence", or_none(&m.evidence), &st.wrap)?;
            for &ri in &scored {
                let Some(e) = &m.rounds[ri] else { continue };
                let score = match (e.score, e.conflict) {
                    (Some(l), _) => fw.scale[l].label.clone(),
                    (None, true) => "Conflict".to_string(),
                    (None, false) => String::new(),
                };
                let note = match (e.commentary.is_empty(), e.reason.is_empty()) {
                    (_, true) => e.commentary.clone(),
                    (true, false) => format!("Reason: {}", e.reason),
                    (false, false) => format!("{}\nReason: {}", e.commentary, e.reason),
                };
                if score.is_empty() && note.is_empty() {
                    continue;
                }
                b.score(&format!("{} round", fw.rounds[ri].name), &score, &note)?;
            }
            match &m.result {
                Some(s) => {
                    let by = s
                        .officer
                        .as_deref()
                        .map(|o| format!(" by {o}"))
                        .unwrap_or_default();
                    let set = format!("Set at the {} round{by}.", fw.rounds[s.round].name);
                    b.score("Final score", &fw.scale[s.level].label, &set)?;
                }
                None => b.score("Final score", super::NOT_ASSESSED, "No round gave a score.")?,
            }
            if let Some(t) = r.travel {
                let (then, dir) = t.per_characteristic[c];
                let then = then.map(|l| fw.scale[l].label.as_str()).unwrap_or("");
                b.score(
                    "Last year",
                    then,
                    &format!("{} since last year.", dir.label()),
                )?;
            }
            b.text("Gaps to address", or_none(&m.gaps), &st.wrap)?;
            b.ws.set_row_height(b.row, 8)?;
            b.heights.push((b.row, 8.0));
            b.row += 1;
            // A block stays whole on a page when it can; a longer one
            // starts a page, its heading with its first lines. A theme's
            // banner goes with its first block.
            let start = if first == banner + 1 { banner } else { first };
            let rows: Vec<(u32, f64)> = b
                .heights
                .iter()
                .copied()
                .filter(|(row, _)| *row >= start)
                .collect();
            let whole: f64 = rows.iter().map(|(_, h)| h).sum();
            if whole <= pager.page_room() {
                pager.keep(start, whole);
            } else {
                let lead = rows.iter().take_while(|(row, _)| *row < first + 3);
                pager.keep(start, lead.map(|(_, h)| h).sum());
                let rest: Vec<f64> = rows
                    .iter()
                    .filter(|(row, _)| *row >= first + 3)
                    .map(|(_, h)| *h)
                    .collect();
                pager.rows(first + 3, &rest);
            }
        }
    }
    let last = b.row - 1;
    colour_by_level(b.ws, r, 3, last, 1)?;
    pager.apply(b.ws)?;
    page_setup(b.ws, r, None, last, 2, false)?;
    Ok(())
}

fn or_none(s: &str) -> &str {
    if s.trim().is_empty() {
        "None given."
    } else {
        s
    }
}
