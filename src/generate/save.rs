//! Writing a planned council's returns as officers send them: an
//! Instructions sheet with the details block and a table sheet, written
//! with rust_xlsxwriter, byte for byte the same for the same seed.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Council, PlannedAction, Rng, YEAR, derive, ymd};
use crate::error::Error;
use crate::framework::{Cell, Framework};
use crate::write::xlsx::{self, properties, style};

impl Council {
    /// Writes the council's returns under `dir`, in the layout of
    /// `samples/returns`. Returns the files written.
    pub fn write_returns(&self, fw: &Framework, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let mut rng = Rng::new(derive(self.seed, 0x5752_4954));
        let mut files = Vec::new();
        let first_scored = fw.rounds.iter().position(|r| r.scored);
        for (r, round) in fw.rounds.iter().enumerate() {
            let folder = dir.join(format!("{} {}", r + 1, round.name));
            let date = ymd(YEAR, 7 + (r as u32).min(3), 10 + (r as u32 * 3).min(15));
            let per_theme = !round.scored || Some(r) == first_scored;
            if per_theme {
                for (t, theme) in fw.themes.iter().enumerate() {
                    let officer = if round.scored {
                        &self.reviewers[t]
                    } else {
                        &self.draft_officer
                    };
                    let sheet = self.assessment_sheet(fw, r, Some(t), &mut rng);
                    let path = folder.join(format!("{} - {}.xlsx", round.name, theme.name));
                    let details = self.details(
                        fw,
                        "Assessment",
                        Some(&round.name),
                        &theme.name,
                        officer,
                        date,
                    );
                    write_return(&path, &details, &sheet, &mut rng)?;
                    files.push(path);
                }
            } else {
                let sheet = self.assessment_sheet(fw, r, None, &mut rng);
                let path = folder.join(format!("{} - All themes.xlsx", round.name));
                let details = self.details(
                    fw,
                    "Assessment",
                    Some(&round.name),
                    "All themes",
                    &self.later_officers[r],
                    date,
                );
                write_return(&path, &details, &sheet, &mut rng)?;
                files.push(path);
            }
        }
        files.extend(self.write_action_returns(fw, dir, &mut rng)?);
        Ok(files)
    }

    /// One action-plan return per service area, with its actions.
    fn write_action_returns(
        &self,
        fw: &Framework,
        dir: &Path,
        rng: &mut Rng,
    ) -> Result<Vec<PathBuf>, Error> {
        let mut files = Vec::new();
        let folder = dir.join(format!("Actions {YEAR}-10"));
        for area in &self.areas {
            let acts: Vec<&PlannedAction> =
                self.actions.iter().filter(|a| &a.area == area).collect();
            let last = acts
                .iter()
                .map(|a| a.updated)
                .max()
                .unwrap_or(ymd(YEAR, 10, 31));
            let mut details = self.details(fw, "Action plan", None, "", &acts[0].owner, last);
            details.retain(|(k, _)| *k != "Themes");
            details.insert(4, ("Service area", Value::Text(area.clone())));
            let headings = [
                "Action ID",
                "Theme",
                "Code",
                "Gap",
                "Action",
                "Responsible officer",
                "Service area",
                "Target date",
                "Status",
                "Progress note",
                "Date of update",
                "Performance system ref",
            ];
            let rows = acts
                .iter()
                .map(|a| {
                    let ch = &fw.characteristics[a.characteristic];
                    vec![
                        Value::Text(a.id.clone()),
                        Value::Text(fw.themes[ch.theme].name.clone()),
                        Value::Text(ch.code.clone()),
                        Value::Text(a.gap.clone()),
                        Value::Text(a.action.clone()),
                        Value::Text(a.owner.clone()),
                        Value::Text(a.area.clone()),
                        Value::Date(a.target),
                        Value::Text(
                            fw.statuses
                                .get(a.status)
                                .map(|s| s.label.clone())
                                .unwrap_or_default(),
                        ),
                        Value::Text(a.progress.clone()),
                        Value::Date(a.updated),
                        Value::Text(a.perf_ref.clone()),
                    ]
                })
                .collect();
            let sheet = Table {
                name: "Actions",
                headings: headings.iter().map(|h| h.to_string()).collect(),
                rows,
            };
            let path = folder.join(format!("Actions - {area}.xlsx"));
            write_return(&path, &details, &sheet, rng)?;
            files.push(path);
        }
        Ok(files)
    }

    fn details(
        &self,
        fw: &Framework,
        kind: &str,
        round: Option<&str>,
        themes: &str,
        officer: &str,
        date: NaiveDate,
    ) -> Vec<(&'static str, Value)> {
        let mut d = vec![
            ("Return type", Value::Text(kind.to_string())),
            ("Authority", Value::Text(self.name.clone())),
            ("Framework", Value::Text(fw.name.clone())),
            ("Framework version", Value::Text(fw.version.clone())),
        ];
        if let Some(r) = round {
            d.push(("Round", Value::Text(r.to_string())));
        }
        d.push(("Themes", Value::Text(themes.to_string())));
        d.push(("Completed by", Value::Text(officer.to_string())));
        d.push(("Date completed", Value::Date(date)));
        d
    }

    /// The assessment table of round `r`, for one theme or all.
    fn assessment_sheet(
        &self,
        fw: &Framework,
        r: usize,
        theme: Option<usize>,
        rng: &mut Rng,
    ) -> Table {
        let round = &fw.rounds[r];
        let first_scored = fw.rounds.iter().position(|x| x.scored);
        let mut headings: Vec<String> =
            vec!["Theme".into(), "Code".into(), "Characteristic".into()];
        if !round.scored {
            headings.extend(["Position statement".into(), "Evidence".into()]);
        } else {
            for &s in &round.shows {
                headings.push(format!("{} score", fw.rounds[s].name));
            }
            headings.extend([
                "Score".into(),
                "Commentary".into(),
                "Gaps / areas to address".into(),
                "Reason (Grey or changed score)".into(),
            ]);
        }
        let mut rows = Vec::new();
        for t in &fw.themes {
            for cell in &t.cells {
                let Cell::Own(c) = cell else { continue };
                let ch = &fw.characteristics[*c];
                if theme.is_some_and(|th| th != ch.theme) {
                    continue;
                }
                let p = &self.chars[*c];
                let mut row = vec![
                    Value::Text(fw.themes[ch.theme].name.clone()),
                    Value::Text(p.written.clone()),
                    Value::Text(ch.label.clone()),
                ];
                if !round.scored {
                    row.push(Value::Text(p.narrative.clone()));
                    row.push(Value::Text(p.evidence.clone()));
                } else {
                    for &s in &round.shows {
                        let shown = p.rounds[..=s].iter().rev().flatten().next();
                        row.push(match shown {
                            Some(g) => Value::Text(fw.scale[g.level].label.clone()),
                            None => Value::Blank,
                        });
                    }
                    let given = p.rounds[r].as_ref();
                    let score = match given {
                        Some(g) => {
                            let label = fw.scale[g.level].label.clone();
                            // Typed rather than chosen: read fine.
                            if rng.chance(0.02) {
                                Value::Text(format!("{} ", label.to_lowercase()))
                            } else {
                                Value::Text(label)
                            }
                        }
                        None => Value::Blank,
                    };
                    row.push(score);
                    row.push(Value::Text(
                        given.map(|g| g.commentary.clone()).unwrap_or_default(),
                    ));
                    let gaps = if Some(r) == first_scored {
                        p.gaps.clone()
                    } else {
                        String::new()
                    };
                    row.push(Value::Text(gaps));
                    row.push(Value::Text(
                        given.map(|g| g.reason.clone()).unwrap_or_default(),
                    ));
                }
                rows.push(row);
            }
        }
        Table {
            name: "Assessment",
            headings,
            rows,
        }
    }
}

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Date(NaiveDate),
    Blank,
}

struct Table {
    name: &'static str,
    headings: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// Writes one return: an Instructions sheet with the details block, and the
/// table sheet, formatted the way the issued templates are.
fn write_return(
    path: &Path,
    details: &[(&str, Value)],
    table: &Table,
    rng: &mut Rng,
) -> Result<(), Error> {
    let mut build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        wb.set_properties(
            &properties::dated(Some(ymd(YEAR, 10, 31)))?.set_author("bestvalue generate"),
        );
        // Excel's default font, as an officer's own workbook has.
        let bold = Format::new().set_bold();
        let date = style::uk_date(Format::new());
        let wrap = style::wrap(Format::new());
        let header = style::banner(Format::new());
        let ins = wb.add_worksheet().set_name("Instructions")?;
        ins.write_string_with_format(
            0,
            0,
            "Best Value self-assessment return",
            &bold.clone().set_font_size(14),
        )?;
        let mut row = 2;
        for (label, value) in details {
            ins.write_string_with_format(row, 0, *label, &bold)?;
            put(ins, row, 1, value, &Format::new(), &date)?;
            row += 1;
        }
        ins.write_string(
            row + 1,
            0,
            "Fill in the table on the next sheet and send the workbook back by the date above.",
        )?;
        ins.set_column_width(0, 22)?;
        ins.set_column_width(1, 40)?;

        let ws = wb.add_worksheet().set_name(table.name)?;
        // Now and then an officer adds a title above the headings.
        let top = if rng.chance(0.08) {
            ws.write_string_with_format(0, 0, format!("{}: return", table.name), &bold)?;
            2
        } else {
            0
        };
        let headings: Vec<(&str, f64)> =
            table.headings.iter().map(|h| (h.as_str(), 18.0)).collect();
        xlsx::headings(ws, top, &headings, &header, None)?;
        for (i, values) in table.rows.iter().enumerate() {
            for (c, v) in values.iter().enumerate() {
                put(ws, top + 1 + i as u32, c as u16, v, &wrap, &date)?;
            }
        }
        ws.set_freeze_panes(top + 1, 0)?;
        wb.save_to_buffer()
    };
    let bytes = build().map_err(|e| Error::write(path, e))?;
    crate::write::guard::write_atomically(path, &bytes)
}

fn put(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    text: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    match v {
        Value::Text(s) if s.is_empty() => {}
        Value::Text(s) => xlsx::text(ws, row, col, s, text)?,
        Value::Date(d) => xlsx::date(ws, row, col, *d, date)?,
        Value::Blank => {}
    }
    Ok(())
}
