//! Planning a council's assessment from a seed: every characteristic's
//! score in each round (with reasons for changes and for Grey), the text
//! officers write, and the action plan.

use super::{Council, Given, Planned, PlannedAction, Rng, YEAR, derive, words, ymd};
use crate::framework::Framework;

impl Council {
    /// Plans a council's assessment from a seed.
    pub fn plan(fw: &Framework, name: &str, seed: u64) -> Council {
        let mut rng = Rng::new(seed);
        let scored: Vec<usize> = (0..fw.scale.len())
            .filter(|&l| fw.scale[l].scored)
            .collect();
        let unscored: Vec<usize> = (0..fw.scale.len())
            .filter(|&l| !fw.scale[l].scored)
            .collect();
        let first_scored = fw.rounds.iter().position(|r| r.scored);
        // How well the council does overall, and theme by theme.
        let strength = rng.normal() * 0.3;
        let theme_strength: Vec<f64> = fw
            .themes
            .iter()
            .map(|_| strength + rng.normal() * 0.2)
            .collect();
        let centre = (scored.len() as f64 - 1.0) * 0.35;
        let mut chars = Vec::with_capacity(fw.characteristics.len());
        for (ci, ch) in fw.characteristics.iter().enumerate() {
            // Some characteristics are harder for every council.
            let difficulty = Rng::new(derive(0xC4A2, ci as u64)).normal() * 0.3;
            let mut rounds: Vec<Option<Given>> = vec![None; fw.rounds.len()];
            let mut gaps = String::new();
            if let Some(first) = first_scored {
                let grey = !unscored.is_empty() && rng.chance(0.04);
                let level = if grey {
                    unscored[0]
                } else {
                    let x = centre + difficulty - theme_strength[ch.theme] + rng.normal() * 0.45;
                    let i = x.round().clamp(0.0, (scored.len() - 1) as f64) as usize;
                    scored[i]
                };
                let rank = scored.iter().position(|&l| l == level);
                if rank.is_some_and(|r| r > 0) {
                    gaps = words::gap(&mut rng);
                }
                rounds[first] = Some(Given {
                    level,
                    commentary: words::commentary(&mut rng),
                    reason: if grey {
                        words::grey_reason(&mut rng)
                    } else {
                        String::new()
                    },
                });
                let mut current = level;
                for r in first + 1..fw.rounds.len() {
                    if !fw.rounds[r].scored {
                        continue;
                    }
                    let last = r + 1 == fw.rounds.len();
                    let p = if last { 0.04 } else { 0.12 };
                    let pos = scored.iter().position(|&l| l == current);
                    let change = match pos {
                        Some(i) if rng.chance(p) => {
                            // Moderation more often marks down than up.
                            let down = rng.chance(0.7);
                            let j = if down && i + 1 < scored.len() {
                                i + 1
                            } else if i > 0 {
                                i - 1
                            } else {
                                i + 1
                            };
                            scored.get(j).copied()
                        }
                        _ => None,
                    };
                    match change {
                        Some(l) => {
                            current = l;
                            rounds[r] = Some(Given {
                                level: l,
                                commentary: String::new(),
                                reason: words::change_reason(&mut rng),
                            });
                        }
                        None if !fw.rounds[r].blank_keeps_previous => {
                            rounds[r] = Some(Given {
                                level: current,
                                commentary: "Agreed.".to_string(),
                                reason: String::new(),
                            });
                        }
                        None => {}
                    }
                }
            }
            let mut written = ch.code.clone();
            if rng.chance(0.01)
                && let Some((prefix, number)) = crate::framework::code_key(&ch.code)
            {
                // A slip the tool reads with a warning: "L10" for "L0010".
                written = format!("{prefix}{number}");
            }
            chars.push(Planned {
                narrative: words::narrative(&mut rng, &ch.label),
                evidence: words::evidence(&mut rng),
                gaps,
                rounds,
                written,
            });
        }
        let finals: Vec<Option<usize>> = chars
            .iter()
            .map(|p| p.rounds.iter().rev().flatten().next().map(|g| g.level))
            .collect();

        // Service areas and officers.
        let mut areas: Vec<String> = words::SERVICE_AREAS.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut areas);
        areas.truncate(7 + rng.below(4));
        let owners: Vec<String> = areas.iter().map(|_| words::person(&mut rng)).collect();
        let draft_officer = words::person(&mut rng);
        let reviewers: Vec<String> = fw.themes.iter().map(|_| words::person(&mut rng)).collect();
        let later_officers: Vec<String> =
            fw.rounds.iter().map(|_| words::person(&mut rng)).collect();

        // Actions: every gap that needs one, and some that do not.
        let mut actions = Vec::new();
        for (c, p) in chars.iter().enumerate() {
            let needs = finals[c].is_some_and(|l| fw.scale[l].needs_action);
            let n = if needs {
                1 + usize::from(rng.chance(0.2))
            } else if !p.gaps.is_empty() && rng.chance(0.35) {
                1
            } else {
                0
            };
            for _ in 0..n {
                let a = actions.len() % areas.len().max(1);
                let area = if actions.len() < areas.len() {
                    a
                } else {
                    rng.below(areas.len())
                };
                let target = if rng.chance(0.15) {
                    ymd(YEAR, 6 + rng.below(4) as u32, 30)
                } else {
                    ymd(YEAR + 1, 1 + rng.below(9) as u32, 28)
                };
                actions.push(PlannedAction {
                    id: format!("BV-{:03}", actions.len() + 1),
                    characteristic: c,
                    gap: if p.gaps.is_empty() {
                        words::gap(&mut rng)
                    } else {
                        p.gaps.clone()
                    },
                    action: words::action(&mut rng),
                    owner: owners[area].clone(),
                    area: areas[area].clone(),
                    target,
                    status: rng.below(fw.statuses.len().max(1)),
                    progress: words::progress(&mut rng),
                    updated: ymd(YEAR, 10, 1 + rng.below(28) as u32),
                    perf_ref: format!("PERF-{}", 1000 + rng.below(9000)),
                });
            }
        }
        // Areas with no action send no return.
        areas.retain(|a| actions.iter().any(|x| &x.area == a));

        Council {
            name: name.to_string(),
            finals,
            seed,
            chars,
            actions,
            areas,
            draft_officer,
            reviewers,
            later_officers,
        }
    }
}
