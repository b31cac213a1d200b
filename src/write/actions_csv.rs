//! The action plan as CSV for the council's performance system, where
//! actions live as in-year activities: UTF-8 with a byte-order mark so Excel
//! opens it with the right characters, one row per action, dates as
//! yyyy-mm-dd so no system can read them month first. Officers' text goes
//! through `csv_field`, so none of it can run as a formula.

use std::path::Path;

use super::csv::csv_field as field;
use crate::assess::plan::ActionPlan;
use crate::error::Error;
use crate::framework::Framework;

pub const HEADINGS: [&str; 13] = [
    "Action ID",
    "Theme",
    "Code",
    "Gap",
    "Action",
    "Responsible officer",
    "Service area",
    "Target date",
    "Target (as written)",
    "Status",
    "Overdue",
    "Latest progress",
    "Date of update",
];

pub fn render(plan: &ActionPlan, fw: &Framework) -> String {
    let mut out = String::from('\u{feff}');
    let mut headings: Vec<&str> = HEADINGS.to_vec();
    headings.push("Performance system ref");
    out.push_str(
        &headings
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for a in &plan.actions {
        let (theme, code) = match a.characteristic {
            Some(c) => {
                let ch = &fw.characteristics[c];
                (fw.themes[ch.theme].name.as_str(), ch.code.as_str())
            }
            None => ("", ""),
        };
        let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let row = [
            a.id.clone(),
            theme.to_string(),
            code.to_string(),
            a.gap.clone(),
            a.action.clone(),
            a.owner.clone(),
            a.service_area.clone(),
            a.target.as_ref().map(|t| iso(t.date)).unwrap_or_default(),
            a.target
                .as_ref()
                .and_then(|t| t.timeline.clone())
                .unwrap_or_default(),
            a.status
                .map(|s| fw.statuses[s].label.clone())
                .unwrap_or_default(),
            if a.overdue { "Yes" } else { "No" }.to_string(),
            a.progress.clone(),
            a.updated.map(iso).unwrap_or_default(),
            a.perf_ref.clone(),
        ];
        out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn write(path: &Path, plan: &ActionPlan, fw: &Framework) -> Result<(), Error> {
    crate::write::guard::write_atomically(path, render(plan, fw).as_bytes())
}
