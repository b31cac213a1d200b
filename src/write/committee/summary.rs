//! The summary: how many characteristics of each colour per theme and in
//! total, the share that is green, and the two readings committees make
//! ("mostly light green", "no theme wholly yellow or amber").

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Worksheet, XlsxError,
};

use super::{Report, as_at_text, page_setup};
use crate::framework::Cell;
use crate::write::xlsx::count;
use crate::write::xlsx::style::Styles;

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

    let head = 3;
    ws.write_string_with_format(head, 0, "Theme", &st.header)?;
    ws.set_column_width(0, 40)?;
    for (l, level) in fw.scale.iter().enumerate() {
        ws.write_string_with_format(
            head,
            1 + l as u16,
            &level.label,
            &st.fill(&level.fill).set_bold().set_text_wrap(),
        )?;
        ws.set_column_width(1 + l as u16, 11)?;
    }
    let na = 1 + n as u16;
    let total = na + 1;
    let share = total + 1;
    ws.write_string_with_format(head, na, "Not assessed", &st.header)?;
    ws.write_string_with_format(head, total, "Total", &st.header)?;
    ws.write_string_with_format(head, share, "Share green", &st.header)?;
    for c in [na, total, share] {
        ws.set_column_width(c, 11)?;
    }
    ws.set_row_height(head, 30)?;

    let Counted {
        counts,
        sums,
        mut row,
    } = counts_table(ws, r, st, head, (total, share))?;
    let table_end = row;

    row = what_it_shows(ws, r, st, (&counts, &sums), share, row)?;
    let mut last_year_head = None;
    if let Some(t) = r.travel {
        row += 1;
        row = direction_table(ws, r, st, t, row)?;
        row += 1;
        last_year_head = Some(row + 1);
        row = last_year_table(ws, r, st, t, row)?;
    }
    row += 1;
    // Each chart starts a page, so it prints whole.
    let mut breaks = vec![row];
    let (this_year, chart_rows) = chart(
        r,
        head,
        "Characteristics by final score and theme: this year",
    );
    ws.insert_chart(row, 0, &this_year)?;
    row += chart_rows;
    if let Some(h) = last_year_head {
        row += 1;
        breaks.push(row);
        let (last_year, chart_rows) = chart(r, h, "Last year");
        ws.insert_chart(row, 0, &last_year)?;
        row += chart_rows;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_freeze_panes(head + 1, 1)?;
    page_setup(
        ws,
        r,
        "Best Value self-assessment: summary",
        Some(head),
        row.max(table_end),
        share,
        true,
    )?;
    Ok(())
}

/// What the counts table holds, and its total row.
struct Counted {
    /// Per theme: level counts, then not assessed.
    counts: Vec<Vec<usize>>,
    /// The same over all themes.
    sums: Vec<usize>,
    row: u32,
}

/// The counts per theme and in total, with the share that is green.
fn counts_table(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    head: u32,
    (total, share): (u16, u16),
) -> Result<Counted, XlsxError> {
    let fw = r.fw;
    let n = fw.scale.len();
    let counts = counts(r);
    let mut sums = vec![0usize; n + 1];
    let mut row = head + 1;
    for (t, th) in fw.themes.iter().enumerate() {
        let c = &counts[t];
        ws.write_string_with_format(row, 0, format!("{}  {}", t + 1, th.name), &st.text)?;
        for (i, v) in c.iter().enumerate() {
            count(ws, row, 1 + i as u16, *v, &st.number)?;
            sums[i] += v;
        }
        let all: usize = c.iter().sum();
        let green: usize = (0..n).filter(|l| is_green(r, *l)).map(|l| c[l]).sum();
        count(ws, row, total, all, &st.number)?;
        ws.write_number_with_format(row, share, ratio(green, all), &st.percent)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "All themes", &st.total_label)?;
    for (i, v) in sums.iter().enumerate() {
        count(ws, row, 1 + i as u16, *v, &st.total_number)?;
    }
    let all: usize = sums.iter().sum();
    let green: usize = (0..n).filter(|l| is_green(r, *l)).map(|l| sums[l]).sum();
    count(ws, row, total, all, &st.total_number)?;
    ws.write_number_with_format(row, share, ratio(green, all), &st.total_percent)?;
    Ok(Counted { counts, sums, row })
}

/// The readings a committee makes, and what moved since last month.
/// Returns the last row written.
fn what_it_shows(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    (counts, sums): (&[Vec<usize>], &[usize]),
    share: u16,
    mut row: u32,
) -> Result<u32, XlsxError> {
    // The readings a committee makes.
    row += 2;
    ws.write_string_with_format(row, 0, "What this shows", &st.label)?;
    row += 1;
    for line in readings(r, counts, sums) {
        ws.merge_range(row, 0, row, share, &line, &st.wrap)?;
        ws.set_row_height(row, 28)?;
        row += 1;
    }
    if let Some(prev) = r.previous {
        row += 1;
        let when = prev
            .as_at
            .map(|d| format!(" ({})", crate::dates::long(d)))
            .unwrap_or_default();
        ws.write_string_with_format(row, 0, format!("Since last month{when}"), &st.label)?;
        row += 1;
        for line in since_last_month(r, prev) {
            ws.merge_range(row, 0, row, share, &line, &st.wrap)?;
            crate::write::xlsx::fit_height(ws, row, &[(line.as_str(), 100.0)])?;
            row += 1;
        }
    }
    Ok(row)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
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

/// A stacked bar per theme, one colour per scale level, drawn from the
/// table above. Returns the chart and the rows it covers.
fn chart(r: &Report, head: u32, title: &str) -> (Chart, u32) {
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
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(level.fill.as_str())),
            )
            .set_gap(40);
    }
    chart.title().set_name(title);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    // Bars are drawn bottom-up; reverse so themes read in table order.
    chart.y_axis().set_reverse();
    chart.set_width(760).set_height(340);
    // 340 pixels at 20 pixels a row.
    (chart, 18)
}

/// Improved, same, declined, new and not compared per theme, since last
/// year. Returns the next free row.
fn direction_table(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    t: &crate::assess::travel::Travel,
    mut row: u32,
) -> Result<u32, XlsxError> {
    use crate::assess::travel::Direction;
    let fw = r.fw;
    let when = t
        .as_at
        .map(|d| format!(" (as at {})", crate::dates::long(d)))
        .unwrap_or_default();
    ws.write_string_with_format(
        row,
        0,
        format!("Direction of travel since last year{when}"),
        &st.label,
    )?;
    row += 1;
    ws.write_string_with_format(row, 0, "Theme", &st.header)?;
    for (i, d) in Direction::ALL.iter().enumerate() {
        ws.write_string_with_format(row, 1 + i as u16, d.label(), &st.header)?;
    }
    row += 1;
    for (ti, th) in fw.themes.iter().enumerate() {
        ws.write_string_with_format(row, 0, format!("{}  {}", ti + 1, th.name), &st.text)?;
        for (i, d) in Direction::ALL.iter().enumerate() {
            ws.write_number_with_format(
                row,
                1 + i as u16,
                t.count(Some(ti), fw, *d) as f64,
                &st.number,
            )?;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "All themes", &st.total_label)?;
    let total = &st.total_number;
    for (i, d) in Direction::ALL.iter().enumerate() {
        count(ws, row, 1 + i as u16, t.count(None, fw, *d), total)?;
    }
    row += 1;
    let retired = if t.retired.is_empty() {
        "No characteristic of last year's framework was retired.".to_string()
    } else {
        format!(
            "Retired since last year (in last year's framework, not this year's): {}.",
            t.retired.join(", ")
        )
    };
    ws.merge_range(row, 0, row, 8, &retired, &st.wrap)?;
    crate::write::xlsx::fit_height(ws, row, &[(retired.as_str(), 100.0)])?;
    Ok(row + 1)
}

/// Last year's final scores counted per this year's theme (after mapping
/// the codes), laid out like the table at the top, for the second chart.
fn last_year_table(
    ws: &mut Worksheet,
    r: &Report,
    st: &Styles,
    t: &crate::assess::travel::Travel,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let fw = r.fw;
    ws.write_string_with_format(
        row,
        0,
        format!("Last year, by this year's themes ({})", t.file),
        &st.label,
    )?;
    row += 1;
    ws.write_string_with_format(row, 0, "Theme", &st.header)?;
    for (l, level) in fw.scale.iter().enumerate() {
        ws.write_string_with_format(
            row,
            1 + l as u16,
            &level.label,
            &st.fill(&level.fill).set_bold().set_text_wrap(),
        )?;
    }
    ws.write_string_with_format(row, 1 + fw.scale.len() as u16, "No score", &st.header)?;
    row += 1;
    for (ti, counts) in t.last_counts(fw).iter().enumerate() {
        ws.write_string_with_format(
            row,
            0,
            format!("{}  {}", ti + 1, fw.themes[ti].name),
            &st.text,
        )?;
        for (i, v) in counts.iter().enumerate() {
            count(ws, row, 1 + i as u16, *v, &st.number)?;
        }
        row += 1;
    }
    Ok(row)
}
