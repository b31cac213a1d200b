//! The action plan as CSV for the council's performance system, where
//! actions live as in-year activities: UTF-8 with a byte-order mark so Excel
//! opens it with the right characters, one row per action, dates as
//! yyyy-mm-dd so no system can read them month first. Written through
//! [`super::csv`], so none of the officers' text can run as a formula.

use std::path::Path;

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

/// The CSV's records: the headings, then one row per action.
fn records(plan: &ActionPlan, fw: &Framework) -> Vec<Vec<String>> {
    let mut headings: Vec<String> = HEADINGS.iter().map(|h| h.to_string()).collect();
    headings.push("Performance system ref".to_string());
    let mut out = vec![headings];
    for a in &plan.actions {
        let (theme, code) = match a.characteristic {
            Some(c) => {
                let ch = &fw.characteristics[c];
                (fw.themes[ch.theme].name.as_str(), ch.code.as_str())
            }
            None => ("", ""),
        };
        let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        out.push(vec![
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
        ]);
    }
    out
}

pub fn write(path: &Path, plan: &ActionPlan, fw: &Framework) -> Result<(), Error> {
    let bytes = super::csv::render(records(plan, fw)).map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}
