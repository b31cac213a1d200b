//! The main job end to end: the samples, each validation rule, the round
//! merge, and the committee workbook read back.

use crate::common::*;
use std::collections::BTreeMap;

/// Final score per code, worked out from the samples' source text, not by
/// the tool: final, else moderation, else review.
fn expected_scores() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(samples().join("../content.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for c in v["characteristics"].as_array().unwrap() {
        let pick = |k: &str| c[k]["score"].as_str().map(String::from);
        let score = pick("final")
            .or_else(|| pick("moderation"))
            .unwrap_or_else(|| c["review_score"].as_str().unwrap().to_string());
        out.insert(c["code"].as_str().unwrap().to_string(), score);
    }
    out
}

fn build_samples() -> (Dir, std::path::PathBuf, bestvalue::Outcome) {
    let d = Dir::new();
    let out = d.path("committee.xlsx");
    let o = build(&[samples()], &out);
    (d, out, o)
}

#[test]
fn samples_heat_map_has_the_published_layout() {
    let (_d, out, o) = build_samples();
    assert!(!o.problems.has_errors(), "{:#?}", codes(&o));
    let g = sheet(&out, "Heat map");
    let titles: Vec<usize> = (0..g.len())
        .filter(|&r| {
            g[r].first().is_some_and(|s| {
                s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.contains("  ")
            })
        })
        .collect();
    assert_eq!(titles.len(), 7, "seven theme title rows");
    assert_eq!(g[titles[2]][0], "3  Governance");
    let expected = expected_scores();
    let mut cells = Vec::new();
    for (t, &start) in titles.iter().enumerate() {
        // A theme's rows of cells end at the next title, or (the last
        // theme) where its cells do: the key is below.
        let pairs = o.framework.themes[t].cells.len().div_ceil(6);
        let end = titles.get(t + 1).copied().unwrap_or(start + 1 + 2 * pairs);
        let mut r = start + 1;
        while r + 1 < end + 1 && r < g.len() {
            for c in 0..6 {
                let code = g[r].get(c).cloned().unwrap_or_default();
                let score = g
                    .get(r + 1)
                    .and_then(|row| row.get(c))
                    .cloned()
                    .unwrap_or_default();
                cells.push((t, code, score));
            }
            r += 2;
        }
    }
    let filled: Vec<_> = cells.iter().filter(|(_, c, _)| !c.is_empty()).collect();
    assert_eq!(filled.len(), 75, "75 heat-map cells");
    // G002's place holds the cross-reference, coloured as CI012.
    let gov: Vec<_> = cells.iter().filter(|(t, ..)| *t == 2).collect();
    assert_eq!(gov[1].1, "See CI012");
    assert_eq!(gov[1].2, expected["CI012"]);
    assert_eq!(gov[0].1, "G001");
    assert_eq!(gov[10].1, "G0011");
    // Blanks pad the last row: Governance has 11 cells in rows of 6.
    assert_eq!(gov.len(), 12);
    assert_eq!(gov[11].1, "");
    // Every code shows its final score beneath it.
    for (_, code, score) in filled.iter().filter(|(_, c, _)| !c.starts_with("See")) {
        assert_eq!(score, &expected[code.as_str()], "{code}");
    }
    let leadership: Vec<&str> = cells
        .iter()
        .filter(|(t, ..)| *t == 1)
        .map(|(_, c, _)| c.as_str())
        .collect();
    assert_eq!(&leadership[9..12], &["L0010", "L0011", "L0012"]);
}

#[test]
fn samples_summary_counts_match_the_source() {
    let (_d, out, o) = build_samples();
    let g = sheet(&out, "Summary");
    let expected = expected_scores();
    let fw = &o.framework;
    let labels: Vec<&str> = fw.scale.iter().map(|l| l.label.as_str()).collect();
    let head = g
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Theme"))
        .unwrap();
    for (t, theme) in fw.themes.iter().enumerate() {
        let row = &g[head + 1 + t];
        assert_eq!(row[0], format!("{}  {}", t + 1, theme.name));
        for (l, label) in labels.iter().enumerate() {
            let want = expected
                .iter()
                .filter(|(code, s)| {
                    code.starts_with(&theme.prefix)
                        && code[theme.prefix.len()..]
                            .chars()
                            .all(|c| c.is_ascii_digit())
                        && s == label
                })
                .count();
            assert_eq!(row[1 + l], want.to_string(), "{} {}", theme.name, label);
        }
    }
    let total = &g[head + 1 + fw.themes.len()];
    assert_eq!(total[0], "All themes");
    for (l, label) in labels.iter().enumerate() {
        let want = expected.values().filter(|s| s == label).count();
        assert_eq!(total[1 + l], want.to_string(), "{label}");
    }
    assert_eq!(total[1 + labels.len()], "0", "none not assessed");
    assert_eq!(total[2 + labels.len()], "74");
    assert!(
        g.iter()
            .flatten()
            .any(|c| c.contains("No theme is wholly Yellow or Amber"))
    );
}

#[test]
fn samples_action_plan_lists_every_action_and_the_gap_without_one() {
    let (_d, out, o) = build_samples();
    let g = sheet(&out, "Action plan");
    let text = std::fs::read_to_string(samples().join("../content.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let actions = v["actions"].as_array().unwrap();
    let id = col(&g, 0, "Action ID");
    let status = col(&g, 0, "Status");
    let overdue = col(&g, 0, "Overdue");
    let target = col(&g, 0, "Target date");
    for a in actions {
        let row = row_with(&g, id, a["id"].as_str().unwrap()).expect("action listed");
        assert_eq!(row[status], a["status"].as_str().unwrap());
        let t = a["target_date"].as_str().unwrap();
        assert_eq!(
            row[target],
            format!("{}/{}/{}", &t[8..10], &t[5..7], &t[0..4])
        );
        let late = t < "2025-10-24" && a["status"] != "Complete";
        assert_eq!(row[overdue] == "Overdue", late, "{}", a["id"]);
    }
    // SD009 is Yellow with no action: listed, and reported.
    let sd009 = row_with(&g, col(&g, 0, "Code"), "SD009").unwrap();
    assert_eq!(sd009[status], "No action");
    assert!(has(&o, "no-action-for-gap", "All returns"));
    assert_eq!(g.len() - 1, actions.len() + 1);
}

#[test]
fn samples_score_trail_and_characteristics() {
    let (_d, out, _o) = build_samples();
    let trail = sheet(&out, "Score trail");
    // Five moderation changes and one at sign-off, each with its reason.
    assert_eq!(trail.len() - 1, 6);
    let reason = col(&trail, 0, "Reason");
    assert!(trail[1..].iter().all(|r| !r[reason].is_empty()));
    let at = col(&trail, 0, "Changed at");
    assert_eq!(
        trail[1..].iter().filter(|r| r[at] == "Moderation").count(),
        5
    );
    assert_eq!(trail[1..].iter().filter(|r| r[at] == "Final").count(), 1);

    let ch = sheet(&out, "Characteristics");
    assert_eq!(ch.len() - 1, 74);
    let fin = col(&ch, 0, "Final score");
    let expected = expected_scores();
    for row in &ch[1..] {
        assert_eq!(row[fin], expected[&row[1]], "{}", row[1]);
    }
    let narrative = col(&ch, 0, "Position statement");
    assert!(
        ch[1..].iter().all(|r| !r[narrative].is_empty()),
        "draft narratives arrive"
    );
}

/// Each characteristic the samples score Grey, with its reason, from the
/// samples' source text.
fn grey_reasons() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(samples().join("../content.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["characteristics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["review_score"] == "Grey")
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["grey_reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn samples_show_l009_grey_with_its_reason_on_the_heat_map_and_in_characteristics() {
    let (_d, out, o) = build_samples();
    let greys = grey_reasons();
    // The real pattern: L009, the decision on moving to all-out elections,
    // is Grey as a decision for members, not officers. R009, SD007 and
    // PCE005 stay Grey (decisions for central government or the NHS), as
    // last year, so the direction of travel has its "not compared" cases.
    assert_eq!(
        greys.keys().collect::<Vec<_>>(),
        ["L009", "PCE005", "R009", "SD007"]
    );
    let reason = &greys["L009"];
    assert!(reason.contains("all-out elections"), "{reason}");
    let fw = &o.framework;
    let l009 = fw.find_code("L009").unwrap();
    assert!(
        fw.characteristics[l009].label.contains("all-out elections"),
        "{}",
        fw.characteristics[l009].label
    );

    // Heat map: L009's cell says Grey, and beside the key, the reason.
    let g = sheet(&out, "Heat map");
    let (r, c) = (0..g.len())
        .find_map(|r| g[r].iter().position(|v| v == "L009").map(|c| (r, c)))
        .expect("L009 on the heat map");
    assert!(c < 6, "L009 in the grid");
    assert_eq!(g[r + 1][c], "Grey");
    let head = (0..g.len())
        .find_map(|r| {
            g[r].iter()
                .position(|v| v == "Not scored (Grey), and why:")
                .map(|c| (r, c))
        })
        .expect("the reasons for Grey on the heat map");
    // Each Grey characteristic in the framework's order, with its reason.
    for (i, code) in ["L009", "R009", "SD007", "PCE005"].iter().enumerate() {
        let row = &g[head.0 + 1 + i];
        assert_eq!(row[head.1], *code);
        assert_eq!(row[head.1 + 1], greys[*code], "{code}");
    }
    // The reason prints: it is inside the print area.
    let xml = part(&out, "xl/workbook.xml");
    let area = xml
        .split("<definedName ")
        .filter(|d| d.contains("_xlnm.Print_Area"))
        .find_map(|d| d.split("'Heat map'!").nth(1))
        .and_then(|s| s.split('<').next())
        .expect("the heat map's print area");
    let last: usize = area.rsplit('$').next().unwrap().parse().unwrap();
    assert!(
        last > head.0 + 4,
        "print area {area} ends above the reasons"
    );

    // Characteristics: the label, the final score and the reason.
    let ch = sheet(&out, "Characteristics");
    let row = row_with(&ch, 1, "L009").unwrap();
    assert_eq!(row[col(&ch, 0, "Final score")], "Grey");
    assert_eq!(row[2], fw.characteristics[l009].label);
    let review = col(&ch, 0, "Review round commentary and reason");
    assert!(
        row[review].ends_with(&format!("Reason: {reason}")),
        "{}",
        row[review]
    );
}

#[test]
fn samples_cover_lists_inputs_and_problems_sheet_links() {
    let (_d, out, o) = build_samples();
    let cover = sheet(&out, "Cover");
    assert_eq!(cover[0][0], "Eastmoor Borough Council");
    assert!(
        cover
            .iter()
            .any(|r| r[0] == "2 Review/Review - Governance.xlsx"
                && r[2] == "Review"
                && r[4] == "Simon Ashdown")
    );
    let p = sheet(&out, "Problems");
    assert_eq!(
        p[0][..8],
        [
            "Severity",
            "File",
            "Sheet",
            "Cell",
            "Column",
            "Value found",
            "Problem",
            "How to fix"
        ]
    );
    assert_eq!(p.len() - 1, o.problems.len());
    let spelled = row_with(&p, 9, "code-spelling").unwrap();
    assert_eq!(spelled[1], "2 Review/Review - Leadership.xlsx");
    assert_eq!(spelled[3], "B11");
    assert_eq!(spelled[5], "L010");
    // The link goes to the characteristic's row.
    let xml = sheet_xml(&out, "Problems");
    assert!(xml.contains("<hyperlink"), "links written");
    let rels = part(&out, "xl/worksheets/sheet7.xml");
    assert!(rels.contains("Characteristics"), "internal link target");
}

#[test]
fn heat_map_colours_come_from_conditional_formats_on_the_score() {
    let (_d, out, _o) = build_samples();
    let xml = sheet_xml(&out, "Heat map");
    // First theme: codes in row 5, scores in row 6 (1-based).
    assert!(
        xml.contains(r#"<conditionalFormatting sqref="A5:F6">"#),
        "{}",
        &xml[..500.min(xml.len())]
    );
    assert!(xml.contains(r#"<formula>A$6="Dark green"</formula>"#));
    assert!(xml.contains(r#"<formula>A$6="Grey"</formula>"#));
    let styles = part(&out, "xl/styles.xml");
    for fill in ["FF00B050", "FF92D050", "FFFFFF00", "FFFFC000", "FFBFBFBF"] {
        assert!(styles.contains(fill), "dxf fill {fill}");
    }
    // The cross-reference cell is a formula pointing at CI012's score.
    assert!(xml.contains("<f>F8</f>"), "See CI012 follows CI012 (F8)");
}

#[test]
fn output_is_byte_identical_and_independent_of_input_order() {
    let d = Dir::new();
    let a = d.path("a.xlsx");
    let b = d.path("b.xlsx");
    let c = d.path("c.xlsx");
    let dirs: Vec<_> = [
        "4 Final",
        "2 Review",
        "Actions 2025-10",
        "1 Draft",
        "3 Moderation",
    ]
    .iter()
    .map(|x| samples().join(x))
    .collect();
    build(&[samples()], &a);
    build(&[samples()], &b);
    let mut reversed = dirs.clone();
    reversed.reverse();
    build(&reversed, &c);
    let (a, b, c) = (
        std::fs::read(a).unwrap(),
        std::fs::read(b).unwrap(),
        std::fs::read(c).unwrap(),
    );
    assert_eq!(a, b, "same inputs, same bytes");
    // Display names differ (relative to each folder) so compare the scores.
    let ga = sheet(&d.path("a.xlsx"), "Heat map");
    let gc = sheet(&d.path("c.xlsx"), "Heat map");
    assert_eq!(ga, gc);
    assert_eq!(
        sheet(&d.path("a.xlsx"), "Score trail").len(),
        sheet(&d.path("c.xlsx"), "Score trail").len()
    );
    let _ = c;
}

/// The clerk's copy prints the heat map on one page at full size: with the
/// samples' four Grey characteristics their reasons do not fit below the
/// key, so it names them and says where the reasons are, and the clerk's
/// Characteristics pages give each one's reason. The working copy of the
/// same run lists the reasons in full.
#[test]
fn clerks_heat_map_names_the_grey_characteristics_and_where_their_reasons_are() {
    let d = Dir::new();
    let (out, clerk, o) = crate::publish::published(&d);
    let fw = &o.framework;
    let greys = grey_reasons();
    let mut codes: Vec<&str> = greys.keys().map(String::as_str).collect();
    codes.sort_by_key(|c| fw.find_code(c));
    let g = sheet(&clerk, "Heat map");
    let line = g
        .iter()
        .flatten()
        .find(|v| v.starts_with("Not scored (Grey): "))
        .expect("the Grey characteristics named on the clerk's heat map");
    assert_eq!(
        line,
        &format!(
            "Not scored (Grey): {}; the reason for each is under Characteristics.",
            codes.join(", ")
        )
    );
    assert!(!g.iter().flatten().any(|v| v.ends_with(", and why:")));
    let blocks: Vec<String> = sheet(&clerk, "Characteristics")
        .into_iter()
        .flatten()
        .collect();
    for (code, reason) in &greys {
        assert!(
            blocks.iter().any(|v| v.contains(reason.as_str())),
            "{code}'s reason in the clerk's Characteristics"
        );
    }
    let working = sheet(&out, "Heat map");
    let head = working
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Not scored (Grey), and why:"))
        .expect("the reasons in the working copy");
    for (code, reason) in &greys {
        let row = working[head..]
            .iter()
            .find(|r| r.first() == Some(code))
            .unwrap_or_else(|| panic!("{code} listed with its reason"));
        assert_eq!(&row[1], reason);
    }
}
