//! Dates as officers write them: real Excel dates, serial numbers, UK
//! day-first text, ISO text, "31 March 2025", and financial-year quarters
//! such as "Q4 2024/25" (an indicative timeline, read as the quarter's end).

use std::sync::LazyLock;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// A date read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct DateValue {
    pub date: NaiveDate,
    /// The officer's own words when they gave a timeline rather than a date
    /// ("Q4 2024/25"); shown instead of the date.
    pub timeline: Option<String>,
}

impl DateValue {
    pub fn plain(date: NaiveDate) -> DateValue {
        DateValue {
            date,
            timeline: None,
        }
    }
}

/// Why a date could not be read: the message and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct DateProblem {
    pub message: String,
    pub hint: String,
}

const FIX: &str = "Type the date as day/month/year, for example 31/03/2026.";

/// `31/03/2025`
pub fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `31 March 2025`
pub fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn from_excel(dt: &ExcelDateTime) -> Option<NaiveDate> {
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
}

/// A serial number typed in a cell without a date format: calamine counts
/// it from the workbook's day 0 (1900, with Excel's phantom 29/02/1900, or
/// 1904 for old Mac Excel) as it does for a formatted date.
fn from_serial(v: f64, date1904: bool) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    from_excel(&ExcelDateTime::new(
        v,
        ExcelDateTimeType::DateTime,
        date1904,
    ))
}

/// Dates outside this window are almost certainly typing mistakes.
fn plausible(d: NaiveDate) -> bool {
    (1990..=2100).contains(&d.year())
}

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})$")
        .expect("fixed")
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+Z?)?$").expect("fixed")
});
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:([0-9]{1,2})(?:st|nd|rd|th)?\s+)?([a-z]{3,9})\.?,?\s+([0-9]{4})$")
        .expect("fixed")
});
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^Q\s*([1-4])\s*(?:of\s+)?(?:FY\s*)?([0-9]{4})\s*[/\-]\s*([0-9]{2}|[0-9]{4})$")
        .expect("fixed")
});

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let n = name.to_ascii_lowercase();
    if n.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&n) || (n == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// Reads a date from a cell. `Ok(None)` for a blank cell.
pub fn parse(d: &Data) -> Result<Option<DateValue>, DateProblem> {
    parse_in(d, false)
}

/// Reads a date from a cell of a workbook using the 1900 or, when
/// `date1904` is set (old Mac Excel), the 1904 date system. Cells formatted
/// as dates carry their system already; a serial number typed in a General
/// cell does not, so it is counted from the workbook's day 0.
pub fn parse_in(d: &Data, date1904: bool) -> Result<Option<DateValue>, DateProblem> {
    let bad = |message: String| DateProblem {
        message,
        hint: FIX.to_string(),
    };
    let date = match d {
        Data::Empty => return Ok(None),
        Data::DateTime(dt) => from_excel(dt),
        Data::Float(f) => from_serial(*f, date1904),
        Data::Int(i) => from_serial(*i as f64, date1904),
        Data::DateTimeIso(s) => return parse_text(s),
        Data::String(s) => return parse_text(s),
        Data::Error(e) => {
            return Err(DateProblem {
                message: format!("The cell shows the formula error {e} instead of a date."),
                hint: "Replace the formula with the date itself, e.g. 31/03/2026.".into(),
            });
        }
        Data::Bool(_) | Data::DurationIso(_) => None,
    };
    match date {
        Some(d) if plausible(d) => Ok(Some(DateValue::plain(d))),
        Some(d) => Err(bad(format!(
            "{} is not a plausible date for this work.",
            uk(d)
        ))),
        None => Err(bad("This is not a date.".into())),
    }
}

/// Reads a date typed as text.
pub fn parse_text(raw: &str) -> Result<Option<DateValue>, DateProblem> {
    let s = crate::text::clean(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let bad = |message: String| DateProblem {
        message,
        hint: FIX.to_string(),
    };
    let check = |d: Option<NaiveDate>, timeline: Option<String>| match d {
        Some(d) if plausible(d) => Ok(Some(DateValue { date: d, timeline })),
        Some(d) => Err(bad(format!(
            "{} is not a plausible date for this work.",
            uk(d)
        ))),
        None => Err(bad("There is no such date.".into())),
    };
    if let Some(c) = DMY.captures(&s) {
        let day: u32 = c[1].parse().unwrap_or(0);
        let month: u32 = c[2].parse().unwrap_or(0);
        let mut year: i32 = c[3].parse().unwrap_or(0);
        if c[3].len() == 2 {
            year += 2000;
        }
        if month > 12 && day <= 12 {
            // 12/31/2025: written month first, American style.
            return Err(DateProblem {
                message: format!(
                    "This looks like a month-first date ({month} is not a month), so it could be misread."
                ),
                hint: format!(
                    "Dates are read day first. If you meant {}, type it as {:02}/{:02}/{year}.",
                    NaiveDate::from_ymd_opt(year, day, month)
                        .map(long)
                        .unwrap_or_default(),
                    month,
                    day
                ),
            });
        }
        return check(NaiveDate::from_ymd_opt(year, month, day), None);
    }
    if let Some(c) = ISO.captures(&s) {
        let y = c[1].parse().unwrap_or(0);
        let m = c[2].parse().unwrap_or(0);
        let d = c[3].parse().unwrap_or(0);
        return check(NaiveDate::from_ymd_opt(y, m, d), None);
    }
    if let Some(c) = WORDS.captures(&s)
        && let Some(month) = month_number(&c[2])
    {
        {
            let year: i32 = c[3].parse().unwrap_or(0);
            return match c.get(1) {
                Some(day) => check(
                    NaiveDate::from_ymd_opt(year, month, day.as_str().parse().unwrap_or(0)),
                    None,
                ),
                // "March 2026": a timeline, read as the month's end.
                None => check(month_end(year, month), Some(s.clone())),
            };
        }
    }
    if let Some(c) = QUARTER.captures(&s) {
        let q: u32 = c[1].parse().unwrap_or(1);
        let start: i32 = c[2].parse().unwrap_or(0);
        // The council's financial year runs April to March: Q1 ends 30 June
        // of its first year, Q4 ends 31 March of its second.
        let (y, m) = match q {
            1 => (start, 6),
            2 => (start, 9),
            3 => (start, 12),
            _ => (start + 1, 3),
        };
        return check(month_end(y, m), Some(s.clone()));
    }
    if let Ok(v) = s.parse::<f64>() {
        return match from_serial(v, false) {
            Some(d) if plausible(d) => Ok(Some(DateValue::plain(d))),
            _ => Err(bad("This number is not a date.".into())),
        };
    }
    Err(bad("This is not a date that can be read.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_the_ways_officers_write_dates() {
        let ok = |s: &str| parse_text(s).unwrap().unwrap().date;
        assert_eq!(ok("31/03/2025"), ymd(2025, 3, 31));
        assert_eq!(ok(" 1/4/25 "), ymd(2025, 4, 1));
        assert_eq!(ok("2025-03-31"), ymd(2025, 3, 31));
        assert_eq!(ok("31 March 2025"), ymd(2025, 3, 31));
        assert_eq!(ok("1st Sept 2025"), ymd(2025, 9, 1));
        assert_eq!(ok("March 2026"), ymd(2026, 3, 31));
        assert_eq!(ok("Q4 2024/25"), ymd(2025, 3, 31));
        assert_eq!(ok("Q1 2025/26"), ymd(2025, 6, 30));
        assert_eq!(ok("45747"), ymd(2025, 3, 31));
        assert_eq!(
            parse(&Data::Float(45747.0)).unwrap().unwrap().date,
            ymd(2025, 3, 31)
        );
    }

    #[test]
    fn refuses_what_cannot_be_read() {
        assert!(
            parse_text("12/31/2025")
                .unwrap_err()
                .message
                .contains("month-first")
        );
        assert!(parse_text("31/02/2025").is_err());
        assert!(parse_text("next spring").is_err());
        assert!(parse(&Data::Float(12.0)).is_err());
        assert_eq!(parse_text("  ").unwrap(), None);
    }
}
