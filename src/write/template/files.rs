//! Which workbooks a `template` command writes, and their names: one per
//! theme or one for all, one per service area, every round's set; file
//! names Windows accepts; the open actions each action template lists, the
//! characteristics it asks an action for (with the IDs they will take),
//! and the officer it is for.

use super::{Ctx, Known, Spec, TemplateConfig, TemplateKind, What};
use crate::error::Error;
use crate::framework::{Framework, fold};

/// Works out which workbooks to write.
pub(crate) fn plan(cfg: &TemplateConfig, fw: &Framework) -> Result<Vec<Spec>, Error> {
    let officer = cfg.officer.as_deref();
    let mut specs = Vec::new();
    match &cfg.kind {
        TemplateKind::Assessment {
            round,
            themes,
            all_in_one,
        } => {
            let r = fw.find_round(round).ok_or_else(|| Error::UnknownRound {
                round: round.clone(),
                framework: fw.name.clone(),
                rounds: list(fw.rounds.iter().map(|r| r.name.as_str())),
            })?;
            let mut chosen = Vec::new();
            for t in themes {
                let i = fw.find_theme(t).ok_or_else(|| Error::UnknownTheme {
                    theme: t.clone(),
                    framework: fw.name.clone(),
                    themes: list(fw.themes.iter().map(|t| t.name.as_str())),
                })?;
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
            }
            chosen.sort_unstable();
            if chosen.is_empty() {
                chosen = (0..fw.themes.len()).collect();
            }
            if *all_in_one {
                specs.push(assessment_spec(fw, r, chosen, officer));
            } else {
                for t in chosen {
                    specs.push(assessment_spec(fw, r, vec![t], officer));
                }
            }
        }
        TemplateKind::Actions { service_areas } => {
            if service_areas.is_empty() {
                specs.push(actions_spec(None, officer));
            }
            let mut seen = Vec::new();
            for s in service_areas {
                let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if s.is_empty() || seen.contains(&fold(&s)) {
                    continue;
                }
                seen.push(fold(&s));
                specs.push(actions_spec(Some(s), officer));
            }
        }
        TemplateKind::AllRounds => {
            let all: Vec<usize> = (0..fw.themes.len()).collect();
            for (r, round) in fw.rounds.iter().enumerate() {
                if round.scored && round.shows.is_empty() {
                    for &t in &all {
                        specs.push(assessment_spec(fw, r, vec![t], officer));
                    }
                } else {
                    specs.push(assessment_spec(fw, r, all.clone(), officer));
                }
            }
            specs.push(actions_spec(None, officer));
        }
    }
    // Two themes or areas that make the same file name would overwrite
    // each other.
    for (i, s) in specs.iter().enumerate() {
        if specs[..i]
            .iter()
            .any(|p| p.file_name.to_lowercase() == s.file_name.to_lowercase())
        {
            return Err(Error::SameTemplateName {
                name: s.file_name.clone(),
            });
        }
    }
    Ok(specs)
}

fn assessment_spec(
    fw: &Framework,
    round: usize,
    themes: Vec<usize>,
    officer: Option<&str>,
) -> Spec {
    let part = themes_title(fw, &themes);
    Spec {
        file_name: file_name(&[&fw.rounds[round].name, &part], officer),
        what: What::Assessment { round, themes },
    }
}

fn actions_spec(service_area: Option<String>, officer: Option<&str>) -> Spec {
    let mut parts = vec!["Actions"];
    if let Some(s) = &service_area {
        parts.push(s);
    }
    Spec {
        file_name: file_name(&parts, officer),
        what: What::Actions { service_area },
    }
}

/// "All themes", "Governance", "Governance and Culture", or the themes'
/// code letters when the names would make too long a title.
pub(crate) fn themes_title(fw: &Framework, themes: &[usize]) -> String {
    if themes.len() == fw.themes.len() {
        return "All themes".to_string();
    }
    let names: Vec<&str> = themes.iter().map(|t| fw.themes[*t].name.as_str()).collect();
    let joined = match names.as_slice() {
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        _ => names.join(", "),
    };
    if joined.chars().count() <= 60 {
        joined
    } else {
        list(themes.iter().map(|t| fw.themes[*t].prefix.as_str()))
    }
}

/// The Themes cell: names, or code letters where a name has a comma (the
/// cell is a comma-separated list).
pub(crate) fn themes_cell(fw: &Framework, themes: &[usize]) -> String {
    if themes.len() == fw.themes.len() {
        return "All themes".to_string();
    }
    themes
        .iter()
        .map(|t| {
            let th = &fw.themes[*t];
            if th.name.contains([',', ';', '\n']) {
                th.prefix.clone()
            } else {
                th.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file name from parts joined by " - ", without characters Windows
/// refuses.
fn file_name(parts: &[&str], officer: Option<&str>) -> String {
    let mut all: Vec<&str> = parts.to_vec();
    if let Some(o) = officer.filter(|o| !o.trim().is_empty()) {
        all.push(o);
    }
    let joined = all
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| {
                    if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                        || c.is_control()
                    {
                        '-'
                    } else {
                        c
                    }
                })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" - ");
    let stem: String = joined.chars().take(150).collect();
    format!("{}.xlsx", stem.trim_end_matches(['.', ' ']))
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// Open actions that no action template will list, because their service
/// area was not asked for.
pub(super) fn left_out_actions(specs: &[Spec], fw: &Framework, known: &Known) -> Vec<String> {
    let areas: Vec<Option<String>> = specs
        .iter()
        .filter_map(|s| match &s.what {
            What::Actions { service_area } => Some(service_area.as_deref().map(fold)),
            What::Assessment { .. } => None,
        })
        .collect();
    if areas.is_empty() || areas.contains(&None) {
        return Vec::new();
    }
    let left: Vec<&str> = known
        .actions
        .iter()
        .filter(|a| a.is_open(fw))
        .filter(|a| !areas.contains(&Some(fold(&a.service_area))))
        .map(|a| a.id.as_str())
        .collect();
    if left.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "{} open action{} in no template because {} service area was not asked for: {}.",
        left.len(),
        if left.len() == 1 { " is" } else { "s are" },
        if left.len() == 1 { "its" } else { "their" },
        left.join(", ")
    )]
}

/// The open actions one action template lists.
pub(crate) fn actions_for<'a>(
    ctx: &'a Ctx,
    service_area: Option<&str>,
) -> Vec<&'a crate::assess::known::KnownAction> {
    ctx.known
        .actions
        .iter()
        .filter(|a| a.is_open(ctx.fw))
        .filter(|a| service_area.is_none_or(|s| fold(s) == fold(&a.service_area)))
        .collect()
}

/// A characteristic whose score needs an action and that has none, listed
/// as a row to complete in the action template of its service area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    pub characteristic: usize,
    /// The ID the action will take: the next free one.
    pub id: String,
    /// The service area responsible, when the known actions say.
    pub service_area: Option<String>,
}

/// Every characteristic that needs an action and has none, in framework
/// order, each with the next free action ID and its service area.
pub(crate) fn gaps(fw: &Framework, known: &Known) -> Vec<Gap> {
    let ids = next_ids(known, known.uncovered.len());
    known
        .uncovered
        .iter()
        .zip(ids)
        .map(|(&c, id)| Gap {
            characteristic: c,
            id,
            service_area: responsible_area(fw, known, c),
        })
        .collect()
}

/// `n` action IDs after the known ones, in their most common pattern
/// ("BV-024" after "BV-023"); "BV-001" onwards when none is known.
fn next_ids(known: &Known, n: usize) -> Vec<String> {
    let split = |id: &str| {
        let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, number) = id.split_at(id.len() - digits);
        (prefix.to_string(), number.to_string())
    };
    let mut patterns: Vec<(String, usize, u64, usize)> = Vec::new();
    for a in &known.actions {
        let (prefix, number) = split(&a.id);
        let Ok(k) = number.parse::<u64>() else {
            continue;
        };
        match patterns.iter_mut().find(|p| p.0 == prefix) {
            Some(p) => {
                p.1 = p.1.max(number.len());
                p.2 = p.2.max(k);
                p.3 += 1;
            }
            None => patterns.push((prefix, number.len(), k, 1)),
        }
    }
    // The most used prefix; on a tie, the first in order.
    patterns.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
    let (prefix, width, mut last) = patterns
        .first()
        .map(|p| (p.0.clone(), p.1, p.2))
        .unwrap_or(("BV-".to_string(), 3, 0));
    let taken = |id: &str| known.actions.iter().any(|a| a.id.eq_ignore_ascii_case(id));
    let mut out = Vec::new();
    while out.len() < n {
        last += 1;
        let id = format!("{prefix}{last:0width$}");
        if !taken(&id) {
            out.push(id);
        }
    }
    out
}

/// The service area responsible for a characteristic: the one area that
/// owns every known action in its theme.
fn responsible_area(fw: &Framework, known: &Known, c: usize) -> Option<String> {
    let theme = fw.characteristics[c].theme;
    let mut areas: Vec<&str> = Vec::new();
    for a in &known.actions {
        let Some(ac) = a.characteristic else { continue };
        if fw.characteristics[ac].theme != theme || a.service_area.trim().is_empty() {
            continue;
        }
        if !areas.iter().any(|x| fold(x) == fold(&a.service_area)) {
            areas.push(a.service_area.trim());
        }
    }
    match areas.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// The gaps one action template lists: all of them in the return for all
/// service areas, a service area's own in its return.
pub(crate) fn gaps_for<'a>(ctx: &'a Ctx, service_area: Option<&str>) -> Vec<&'a Gap> {
    ctx.gaps
        .iter()
        .filter(|g| match (service_area, &g.service_area) {
            (None, _) => true,
            (Some(s), Some(r)) => fold(s) == fold(r),
            (Some(_), None) => false,
        })
        .collect()
}

/// What the office should know about the gaps: where each is asked for,
/// with its new ID, or why no template asks for it.
pub(super) fn gap_notes(specs: &[Spec], fw: &Framework, gaps: &[Gap]) -> Vec<String> {
    let mut notes = Vec::new();
    for g in gaps {
        let code = &fw.characteristics[g.characteristic].code;
        let files: Vec<&str> = specs
            .iter()
            .filter(|s| match &s.what {
                What::Actions { service_area } => match (service_area, &g.service_area) {
                    (None, _) => true,
                    (Some(s), Some(r)) => fold(s) == fold(r),
                    (Some(_), None) => false,
                },
                What::Assessment { .. } => false,
            })
            .map(|s| s.file_name.as_str())
            .collect();
        if specs
            .iter()
            .all(|s| matches!(s.what, What::Assessment { .. }))
        {
            continue;
        }
        notes.push(match (files.as_slice(), &g.service_area) {
            ([], Some(area)) => format!(
                "{code} needs an action and has none; no template asks for it because its service area ({area}) was not asked for."
            ),
            ([], None) => format!(
                "{code} needs an action and has none; no template asks for it because its service area is not known (its theme's actions belong to several). Write the return for all service areas (leave out --service-area) to ask for it."
            ),
            (files, _) => format!(
                "{code} needs an action and has none: asked for in {} as {}. Give that ID to no other action.",
                files.join(", "),
                g.id
            ),
        });
    }
    notes
}

/// The officer an action template is for, when the command line does not
/// say: the one officer who owns every open action it lists.
pub(crate) fn area_officer(ctx: &Ctx, service_area: Option<&str>) -> Option<String> {
    let mut owners: Vec<&str> = Vec::new();
    for a in actions_for(ctx, service_area) {
        let o = a.owner.trim();
        if o.is_empty() {
            return None;
        }
        if !owners.iter().any(|x| fold(x) == fold(o)) {
            owners.push(o);
        }
    }
    match owners.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(
            file_name(&["Review", "Governance"], None),
            "Review - Governance.xlsx"
        );
        assert_eq!(
            file_name(&["Actions", "Housing/Planning"], Some(" Jo  Bloggs ")),
            "Actions - Housing-Planning - Jo Bloggs.xlsx"
        );
    }

    #[test]
    fn plans_one_file_per_theme_or_one_for_all() {
        let fw = Framework::default_framework();
        let kind = |themes: &[&str], all_in_one| TemplateKind::Assessment {
            round: "review".into(),
            themes: themes.iter().map(|s| s.to_string()).collect(),
            all_in_one,
        };
        let names = |k| -> Vec<String> {
            plan(&TemplateConfig::new(k, "x"), &fw)
                .unwrap()
                .into_iter()
                .map(|s| s.file_name)
                .collect()
        };
        assert_eq!(names(kind(&[], false)).len(), 7);
        assert_eq!(names(kind(&[], true)), vec!["Review - All themes.xlsx"]);
        assert_eq!(
            names(kind(&["G", "culture", "3"], true)),
            vec!["Review - Governance and Culture.xlsx"]
        );
        assert_eq!(
            names(kind(&["Culture", "Governance"], false)),
            vec!["Review - Governance.xlsx", "Review - Culture.xlsx"]
        );
        let all = names(TemplateKind::AllRounds);
        assert_eq!(all.len(), 1 + 7 + 1 + 1 + 1);
        assert!(all.contains(&"Draft - All themes.xlsx".to_string()));
        assert!(all.contains(&"Actions.xlsx".to_string()));
        let bad = plan(&TemplateConfig::new(kind(&["Housing"], false), "x"), &fw);
        assert!(
            matches!(bad, Err(e @ Error::UnknownTheme { .. }) if e.to_string().contains("\"Housing\" is not a theme"))
        );
        let bad_round = TemplateKind::Assessment {
            round: "Peer review".into(),
            themes: vec![],
            all_in_one: false,
        };
        let bad = plan(&TemplateConfig::new(bad_round, "x"), &fw);
        assert!(
            matches!(bad, Err(e @ Error::UnknownRound { .. }) if e.to_string().contains("Draft, Review, Moderation, Final"))
        );
    }

    #[test]
    fn new_action_ids_follow_the_known_pattern() {
        let mut known = Known::default();
        assert_eq!(next_ids(&known, 2), vec!["BV-001", "BV-002"]);
        for id in ["BV-009", "BV-023", "HSG-7", "bv-024x"] {
            known.actions.push(crate::assess::known::KnownAction {
                id: id.into(),
                ..Default::default()
            });
        }
        assert_eq!(next_ids(&known, 2), vec!["BV-024", "BV-025"]);
        known.actions[0].id = "BV-024".into();
        assert_eq!(next_ids(&known, 1), vec!["BV-025"]);
    }
}
