//! The summary: how many characteristics of each colour per theme and in
//! total, the share that is green, and the two readings committees make
//! ("mostly light green", "no theme wholly yellow or amber"); what moved
//! since last month; the direction of travel since last year; and a chart
//! of each year's colours. Laid out for A4 landscape at full size: each
//! table is a real table and starts on a page it fits on with its heading,
//! each chart prints whole, and no heading rows repeat over other tables.

use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartType, Format, Worksheet, XlsxError};

use super::{Report, as_at_text, page_setup};
use crate::framework::Cell;
use crate::write::xlsx::chart::{count_labels, finish, level_fill};
use crate::write::xlsx::measure::{self, Font};
use crate::write::xlsx::page::{Pager, Paper};
use crate::write::xlsx::style::{BODY_SIZE, Styles};
use crate::write::xlsx::table::table;

/// Counts per theme: [level counts..., not assessed].
pub fn counts(r: &Report) -> Vec<Vec<usize>> {
    let fw = r.fw;
    fw.themes
        .iter()
        .map(|t| {
            let mut c = vec![0; fw.scale.len() + 1];
            for cell in &t.cells {
                if let Cell::Own(ch) = cell {
                    match r.assessment.level(*ch) {
                        Some(l) => c[l] += 1,
                        None => c[fw.scale.len()] += 1,
                    }
                }
            }
            c
        })
        .collect()
}

/// Levels counted as "green" in the share: the scored levels that need no
/// action (Dark and Light green in the default scale).
fn is_green(r: &Report, level: usize) -> bool {
    let l = &r.fw.scale[level];
    l.scored && !l.needs_action
}

/// Row heights, in points.
const ROW: f64 = 15.0;
const HEADING_ROW: f64 = 30.0;
const SECTION_ROW: f64 = 22.0;
/// A chart's size in pixels, and the rows (of [`ROW`] points) it covers.
const CHART_WIDTH: u32 = 900;
const CHART_HEIGHT: u32 = 380;
const CHART_ROWS: u32 = 19;
/// Width of the first column (themes), and the widest and narrowest a
/// count column may be: a scale of more levels gets narrower columns, so
/// the tables still fit the page; past the narrowest, the sheet is shrunk
/// to the page's width instead.
const THEME_WIDTH: f64 = 36.0;
const COUNT_WIDTH: f64 = 11.5;
const NARROWEST_COUNT: f64 = 8.0;

/// What the sheet is being written with: the page plan grows as rows go
/// down.
struct Sheet<'a, 'b> {
    ws: &'a mut Worksheet,
    r: &'a Report<'b>,
    st: &'a Styles,
    pager: Pager,
    row: u32,
    /// The widest column written to, for the print area.
    last_col: u16,
    /// The width of each count column.
    count_width: f64,
}

impl Sheet<'_, '_> {
    /// A section's heading, ruled beneath across columns 0 to `across`,
    /// kept on the page with the `follows` points of rows written under it.
    fn section(&mut self, title: &str, across: u16, follows: f64) -> Result<(), XlsxError> {
        self.pager.keep(self.row, SECTION_ROW + follows);
        self.ws
            .write_string_with_format(self.row, 0, title, &self.st.section)?;
        // The rule under the heading runs the width of what follows.
        for c in 1..=across {
            self.ws.write_blank(self.row, c, &self.st.section)?;
        }
        self.ws.set_row_height(self.row, SECTION_ROW)?;
        self.row += 1;
        Ok(())
    }

    /// A paragraph across the table's width, wrapped, kept whole on a page.
    fn paragraph(&mut self, text: &str) -> Result<(), XlsxError> {
        let last = self.last_col.max(6);
        let width: f64 = measure::column_points(THEME_WIDTH)
            + f64::from(last) * measure::column_points(self.count_width);
        let h = measure::fit_row(&[(text, width, Font::regular(BODY_SIZE))]).max(ROW) + 4.0;
        self.pager.keep(self.row, h);
        self.ws
            .merge_range(self.row, 0, self.row, last, text, &self.st.wrap_middle)?;
        self.ws.set_row_height(self.row, h)?;
        self.row += 1;
        Ok(())
    }

    fn gap(&mut self) -> Result<(), XlsxError> {
        self.ws.set_row_height(self.row, 8.0)?;
        self.pager.keep(self.row, 8.0);
        self.row += 1;
        Ok(())
    }
}

pub fn write(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    let fw = r.fw;
    let n = fw.scale.len();
    ws.write_string_with_format(0, 0, format!("Summary: {}", r.authority), &st.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{}. Characteristics by final score and theme.",
            as_at_text(r)
        ),
        &st.subtitle,
    )?;
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, 16)?;
    ws.set_row_height(2, 8)?;
    let room = Paper::LANDSCAPE.width() - measure::column_print_points(THEME_WIDTH);
    let count_width =
        measure::column_width_for(room / (n + 3) as f64).clamp(NARROWEST_COUNT, COUNT_WIDTH);
    ws.set_column_width(0, THEME_WIDTH)?;
    for c in 1..=n as u16 + 3 {
        ws.set_column_width(c, count_width)?;
    }
    let mut pager = Pager::new(Paper::LANDSCAPE);
    pager.keep(0, 24.0 + 16.0 + 8.0);
    let mut s = Sheet {
        ws,
        r,
        st,
        pager,
        row: 3,
        last_col: n as u16 + 3,
        count_width,
    };

    let counts = counts(r);
    let head = counts_table(&mut s, &counts)?;

    // The readings a committee makes.
    let lines = readings(r, &counts, &totals(&counts));
    s.gap()?;
    s.section("What this shows", n as u16 + 3, ROW * 2.0)?;
    for line in &lines {
        s.paragraph(line)?;
    }
    if let Some(prev) = r.previous {
        s.gap()?;
        let when = prev
            .as_at
            .map(|d| format!(" ({})", crate::dates::long(d)))
            .unwrap_or_default();
        s.section(&format!("Since last month{when}"), n as u16 + 3, ROW * 2.0)?;
        for line in since_last_month(r, prev) {
            s.paragraph(&line)?;
        }
    }
    let mut last_year_head = None;
    if let Some(t) = r.travel {
        s.gap()?;
        direction_table(&mut s, t)?;
        s.gap()?;
        last_year_head = Some(last_year_table(&mut s, t)?);
    }

    // The charts, each whole on a page.
    s.gap()?;
    let this_year = year_name(r.as_at, "this year");
    let mut charts = vec![(
        head,
        format!("Final scores by theme, {this_year}"),
        counts.clone(),
    )];
    if let (Some(h), Some(t)) = (last_year_head, r.travel) {
        let last_year = year_name(t.as_at, "last year");
        charts.push((
            h,
            format!("Last year's final scores by theme, {last_year}"),
            t.last_counts(fw),
        ));
    }
    for (h, title, c) in charts {
        let height = f64::from(CHART_HEIGHT) * 0.75 + 6.0;
        s.pager.keep(s.row, height);
        let chart = chart(r, h, &title, &c);
        // A few pixels down from its row, so no edge of its frame prints
        // at the foot of the page before.
        s.ws.insert_chart_with_offset(s.row, 0, &chart, 0, 4)?;
        for k in 0..CHART_ROWS {
            s.ws.set_row_height(s.row + k, ROW)?;
        }
        s.row += CHART_ROWS + 1;
    }
    let (last_row, last_col) = (s.row - 1, s.last_col);
    s.pager.apply(s.ws)?;
    let ws = s.ws;
    ws.set_freeze_panes(3, 0)?;
    page_setup(ws, r, None, last_row, last_col, true)?;
    Ok(())
}

/// Totals over all themes.
fn totals(counts: &[Vec<usize>]) -> Vec<usize> {
    let mut sums = vec![0usize; counts.first().map_or(0, Vec::len)];
    for c in counts {
        for (i, v) in c.iter().enumerate() {
            sums[i] += v;
        }
    }
    sums
}

/// Each level's column heading format: its own fill, bold, wrapped.
fn level_heads(st: &Styles, fw: &crate::framework::Framework) -> Vec<Format> {
    fw.scale
        .iter()
        .map(|l| st.fill(&l.fill).set_bold().set_text_wrap())
        .collect()
}

/// The headings "Theme" then one per level, for a table counting levels by
/// theme; `level_heads` from [`level_heads`].
fn theme_and_level_heads<'a>(
    st: &'a Styles,
    fw: &'a crate::framework::Framework,
    level_heads: &'a [Format],
) -> Vec<(&'a str, &'a Format)> {
    let mut heads = vec![("Theme", &st.header)];
    heads.extend(
        fw.scale
            .iter()
            .zip(level_heads)
            .map(|(l, f)| (l.label.as_str(), f)),
    );
    heads
}

/// The counts per theme and level, the total and the share green, as a
/// table. Returns its heading row.
fn counts_table(s: &mut Sheet, counts: &[Vec<usize>]) -> Result<u32, XlsxError> {
    let (r, st) = (s.r, s.st);
    let fw = r.fw;
    let n = fw.scale.len();
    let rows = fw.themes.len() as f64 + 1.0;
    s.section(
        "Characteristics by final score and theme",
        n as u16 + 3,
        HEADING_ROW + rows * ROW,
    )?;
    let head = s.row;
    let level_heads = level_heads(st, fw);
    let mut heads = theme_and_level_heads(st, fw, &level_heads);
    heads.extend([
        ("Not assessed", &st.header_centre),
        ("Total", &st.header_centre),
        ("Share green", &st.header_centre),
    ]);
    let (total, share) = (n as u16 + 2, n as u16 + 3);
    s.ws.set_row_height(head, HEADING_ROW)?;
    let mut row = head + 1;
    let green = |c: &[usize]| {
        (0..n)
            .filter(|l| is_green(r, *l))
            .map(|l| c[l])
            .sum::<usize>()
    };
    for (t, th) in fw.themes.iter().enumerate() {
        let c = &counts[t];
        s.ws.write_string_with_format(row, 0, format!("{}  {}", t + 1, th.name), &st.text)?;
        for (i, v) in c.iter().enumerate() {
            s.ws.write_number_with_format(row, 1 + i as u16, *v as f64, &st.number)?;
        }
        let all: usize = c.iter().sum();
        s.ws.write_number_with_format(row, total, all as f64, &st.number)?;
        s.ws.write_number_with_format(row, share, ratio(green(c), all), &st.percent)?;
        s.ws.set_row_height(row, ROW)?;
        row += 1;
    }
    let sums = totals(counts);
    s.ws.write_string_with_format(row, 0, "All themes", &st.total_label)?;
    for (i, v) in sums.iter().enumerate() {
        s.ws.write_number_with_format(row, 1 + i as u16, *v as f64, &st.total_number)?;
    }
    let all: usize = sums.iter().sum();
    s.ws.write_number_with_format(row, total, all as f64, &st.total_number)?;
    s.ws.write_number_with_format(row, share, ratio(green(&sums), all), &st.total_percent)?;
    s.ws.set_row_height(row, ROW)?;
    table(
        s.ws,
        (head, 0),
        row,
        &heads,
        "Scores by theme",
        "Characteristics by final score and theme: one row per theme and a last row for all themes, with the number at each level, not assessed, the total and the share green.",
    )?;
    s.row = row + 1;
    Ok(head)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The financial year a date falls in ("2025-26"), or `otherwise`.
pub fn year_name(d: Option<chrono::NaiveDate>, otherwise: &str) -> String {
    use chrono::Datelike;
    let Some(d) = d else {
        return otherwise.to_string();
    };
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!(
        "{start}-{:02} (as at {})",
        (start + 1).rem_euclid(100),
        crate::dates::long(d)
    )
}

/// Plain-English readings of the counts.
pub fn readings(r: &Report, counts: &[Vec<usize>], sums: &[usize]) -> Vec<String> {
    let fw = r.fw;
    let n = fw.scale.len();
    let all: usize = sums.iter().sum();
    let mut out = Vec::new();
    if let Some((top, most)) = sums[..n]
        .iter()
        .enumerate()
        .max_by_key(|(i, v)| (**v, std::cmp::Reverse(*i)))
    {
        out.push(format!(
            "The most common score is {}: {most} of {all} characteristics ({:.0}%).",
            fw.scale[top].label,
            100.0 * ratio(*most, all)
        ));
    }
    let green: usize = (0..n).filter(|l| is_green(r, *l)).map(|l| sums[l]).sum();
    out.push(format!(
        "{green} of {all} characteristics ({:.0}%) are green ({}).",
        100.0 * ratio(green, all),
        (0..n)
            .filter(|l| is_green(r, *l))
            .map(|l| fw.scale[l].label.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    let action_levels: Vec<usize> = (0..n).filter(|l| fw.scale[*l].needs_action).collect();
    let names = action_levels
        .iter()
        .map(|l| fw.scale[*l].label.as_str())
        .collect::<Vec<_>>()
        .join(" or ");
    let wholly: Vec<&str> = fw
        .themes
        .iter()
        .enumerate()
        .filter(|(t, _)| {
            let c = &counts[*t];
            let scored: usize = c[..n].iter().sum();
            scored > 0 && action_levels.iter().map(|l| c[*l]).sum::<usize>() == scored
        })
        .map(|(_, th)| th.name.as_str())
        .collect();
    if wholly.is_empty() {
        out.push(format!("No theme is wholly {names}: no thematic concern."));
    } else {
        out.push(format!(
            "Wholly {names}: {} — a thematic concern.",
            wholly.join(", ")
        ));
    }
    let missing = sums[n];
    if missing > 0 {
        out.push(format!(
            "{missing} characteristics have no score yet and are shown as Not assessed."
        ));
    }
    out
}

/// What moved since last month: actions and scores.
fn since_last_month(r: &Report, prev: &crate::committee::read::Committee) -> Vec<String> {
    use crate::assess::plan::Since;
    let fw = r.fw;
    let p = r.plan;
    let mut out = vec![format!(
        "Actions: {} new, {} completed, {} newly overdue, {} changed status, {} not updated this month.",
        p.count(&Since::New),
        p.count(&Since::Completed),
        p.count(&Since::NewlyOverdue),
        p.status_changes(),
        p.count(&Since::NoUpdate)
    )];
    let moved: Vec<String> = fw
        .characteristics
        .iter()
        .enumerate()
        .filter_map(|(c, ch)| {
            let now = r.assessment.level(c);
            let before = prev.level_of(fw, &ch.code);
            (now != before).then(|| {
                let name = |l: Option<usize>| {
                    l.map(|l| fw.scale[l].label.as_str())
                        .unwrap_or("not assessed")
                };
                format!("{} {} → {}", ch.code, name(before), name(now))
            })
        })
        .collect();
    out.push(if moved.is_empty() {
        "Scores: none moved.".to_string()
    } else {
        format!("Scores moved ({}): {}.", moved.len(), moved.join("; "))
    });
    out
}

/// A stacked bar per theme, one colour (and every other one hatched) per
/// scale level, its counts on the bars, drawn from the table whose heading
/// row is `head`; described in words for screen readers from `counts`.
fn chart(r: &Report, head: u32, title: &str, counts: &[Vec<usize>]) -> Chart {
    let fw = r.fw;
    let sheet = "Summary";
    let first = head + 1;
    let last = head + fw.themes.len() as u32;
    let mut chart = Chart::new(ChartType::BarStacked);
    for (l, level) in fw.scale.iter().enumerate() {
        let col = 1 + l as u16;
        chart
            .add_series()
            .set_name((sheet, head, col))
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, col, last, col))
            .set_format(&mut level_fill(l, &level.fill))
            .set_data_label(&count_labels())
            .set_gap(40);
    }
    // Excel keeps at most 255 characters of alt text: say what the chart
    // shows and where its figures are; the table gives them all.
    let all = totals(counts);
    let (top, most) = all[..fw.scale.len()]
        .iter()
        .enumerate()
        .max_by_key(|(i, v)| (**v, std::cmp::Reverse(*i)))
        .map(|(i, v)| (fw.scale[i].label.as_str(), *v))
        .unwrap_or(("", 0));
    let alt = format!(
        "{title}: a bar per theme, split by score, with counts. Most common: {top} ({most} of {}). Figures in the table above.",
        all.iter().sum::<usize>()
    );
    let alt: String = alt.chars().take(255).collect();
    finish(&mut chart, title, &alt);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    // On a bar chart the x axis is the one along the bars.
    chart
        .x_axis()
        .set_name("Number of characteristics")
        .set_name_font(&crate::write::xlsx::chart::axis_font());
    // Bars are drawn bottom-up; reverse so themes read in table order.
    chart.y_axis().set_reverse();
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    chart
}

/// Improved, same, declined, new and not compared per theme, since last
/// year, as a table, with the codes retired since.
fn direction_table(s: &mut Sheet, t: &crate::assess::travel::Travel) -> Result<(), XlsxError> {
    use crate::assess::travel::Direction;
    let (r, st) = (s.r, s.st);
    let fw = r.fw;
    let when = t
        .as_at
        .map(|d| format!(" (as at {})", crate::dates::long(d)))
        .unwrap_or_default();
    let rows = fw.themes.len() as f64 + 1.0;
    s.section(
        &format!("Direction of travel since last year{when}"),
        Direction::ALL.len() as u16,
        HEADING_ROW + rows * ROW,
    )?;
    let head = s.row;
    let mut heads: Vec<(&str, &Format)> = vec![("Theme", &st.header)];
    heads.extend(
        Direction::ALL
            .iter()
            .map(|d| (d.label(), &st.header_centre)),
    );
    s.ws.set_row_height(head, HEADING_ROW)?;
    let mut row = head + 1;
    for (ti, th) in fw.themes.iter().enumerate() {
        s.ws.write_string_with_format(row, 0, format!("{}  {}", ti + 1, th.name), &st.text)?;
        for (i, d) in Direction::ALL.iter().enumerate() {
            let v = t.count(Some(ti), fw, *d) as f64;
            s.ws.write_number_with_format(row, 1 + i as u16, v, &st.number)?;
        }
        s.ws.set_row_height(row, ROW)?;
        row += 1;
    }
    s.ws.write_string_with_format(row, 0, "All themes", &st.total_label)?;
    for (i, d) in Direction::ALL.iter().enumerate() {
        let v = t.count(None, fw, *d) as f64;
        s.ws.write_number_with_format(row, 1 + i as u16, v, &st.total_number)?;
    }
    s.ws.set_row_height(row, ROW)?;
    table(
        s.ws,
        (head, 0),
        row,
        &heads,
        "Direction of travel",
        "Direction of travel since last year: one row per theme and a last row for all themes, with how many characteristics improved, stayed the same, declined, are new, or could not be compared.",
    )?;
    s.row = row + 1;
    let retired = if t.retired.is_empty() {
        "No characteristic of last year's framework was retired.".to_string()
    } else {
        format!(
            "Retired since last year (in last year's framework, not this year's): {}.",
            t.retired.join(", ")
        )
    };
    s.paragraph(&retired)?;
    s.paragraph(
        "Not compared: Grey (not scored) or without a score in either year, so no direction can be given.",
    )?;
    Ok(())
}

/// Last year's final scores counted per this year's theme (after mapping
/// the codes), laid out like the table at the top, for the second chart.
/// Returns its heading row.
fn last_year_table(s: &mut Sheet, t: &crate::assess::travel::Travel) -> Result<u32, XlsxError> {
    let (r, st) = (s.r, s.st);
    let fw = r.fw;
    let file = if r.published() {
        String::new()
    } else {
        format!(" ({})", t.file)
    };
    let rows = fw.themes.len() as f64;
    s.section(
        &format!("Last year, by this year's themes{file}"),
        fw.scale.len() as u16 + 1,
        HEADING_ROW + rows * ROW,
    )?;
    let head = s.row;
    let level_heads = level_heads(st, fw);
    let mut heads = theme_and_level_heads(st, fw, &level_heads);
    heads.push(("No score", &st.header_centre));
    s.ws.set_row_height(head, HEADING_ROW)?;
    let mut row = head + 1;
    for (ti, counts) in t.last_counts(fw).iter().enumerate() {
        s.ws.write_string_with_format(
            row,
            0,
            format!("{}  {}", ti + 1, fw.themes[ti].name),
            &st.text,
        )?;
        for (i, v) in counts.iter().enumerate() {
            s.ws.write_number_with_format(row, 1 + i as u16, *v as f64, &st.number)?;
        }
        s.ws.set_row_height(row, ROW)?;
        row += 1;
    }
    table(
        s.ws,
        (head, 0),
        row - 1,
        &heads,
        "Last year by theme",
        "Last year's final scores counted under this year's themes: one row per theme, with the number at each level and without a score.",
    )?;
    s.row = row;
    Ok(head)
}
