//! The workbook part and the document's extended properties, for a sheet
//! put in front: the sheet list, defined names local to a sheet (they
//! count sheets by position, so each moves up by one), which tab is open
//! and first shown, and the list of sheet titles in `docProps/app.xml`.

use super::MarkupError;
use super::package::REL_NS;
use super::xml::{Document, Element, Node, escape_text, local, prefix_of};

/// The order of a workbook's children in the schema.
const ORDER: &[&str] = &[
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
    "definedNames",
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
];

#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    /// The relationship id that names its part.
    pub rid: String,
}

/// The sheets in workbook order.
pub fn sheets(wb: &Document) -> Vec<SheetEntry> {
    wb.root
        .child("sheets")
        .map(|s| {
            s.elements()
                .filter(|e| local(&e.name) == "sheet")
                .map(|e| SheetEntry {
                    name: e.attr("name").unwrap_or_default().to_string(),
                    rid: e
                        .attrs
                        .iter()
                        .find(|(k, _)| local(k) == "id" && k.contains(':'))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether Excel accepts a sheet name.
pub fn valid_sheet_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 31
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
}

/// Puts a new sheet first: `replaces` is the position of a sheet it takes
/// the place of. `print_titles` is the row (from zero) to repeat on every
/// printed page.
pub fn insert_first(
    wb: &mut Document,
    name: &str,
    rid: &str,
    replaces: Option<usize>,
    print_titles: u32,
) -> Result<(), MarkupError> {
    let existing = sheets(wb);
    let clash = existing
        .iter()
        .enumerate()
        .any(|(i, s)| Some(i) != replaces && s.name.to_lowercase() == name.to_lowercase());
    if clash || !valid_sheet_name(name) {
        return Err(MarkupError::SheetName(name.to_string()));
    }
    let p = prefix_of(&wb.root.name).to_string();
    let rel_prefix = match wb
        .root
        .attrs
        .iter()
        .find(|(k, v)| v == REL_NS && k.starts_with("xmlns:"))
    {
        Some((k, _)) => k["xmlns:".len()..].to_string(),
        None => {
            wb.root.set_attr("xmlns:r", REL_NS);
            "r".to_string()
        }
    };
    let sheet_list = wb
        .root
        .child_mut("sheets")
        .ok_or_else(|| MarkupError::Missing("the workbook's list of sheets".into()))?;
    let max_id = sheet_list
        .elements()
        .filter_map(|e| e.attr("sheetId")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    if let Some(k) = replaces {
        let mut seen = 0;
        sheet_list.children.retain(|n| match n {
            Node::Element(e) if local(&e.name) == "sheet" => {
                seen += 1;
                seen - 1 != k
            }
            _ => true,
        });
    }
    let entry = Element::new(format!("{p}sheet"))
        .with_attr("name", name)
        .with_attr("sheetId", (max_id + 1).to_string())
        .with_attr(&format!("{rel_prefix}:id"), rid);
    let first = sheet_list
        .children
        .iter()
        .position(|n| matches!(n, Node::Element(_)))
        .unwrap_or(0);
    sheet_list.children.insert(first, Node::Element(entry));

    // Old position → new position (None: the sheet replaced).
    let moved = |i: usize| match replaces {
        Some(k) if i == k => None,
        Some(k) if i > k => Some(i),
        _ => Some(i + 1),
    };
    if let Some(names) = wb.root.child_mut("definedNames") {
        names.children.retain_mut(|n| {
            let Node::Element(e) = n else { return true };
            let Some(id) = e.attr("localSheetId").and_then(|v| v.parse::<usize>().ok()) else {
                return true;
            };
            match moved(id) {
                Some(new) => {
                    e.set_attr("localSheetId", new.to_string());
                    true
                }
                None => false,
            }
        });
    }
    if wb.root.child("definedNames").is_none() {
        wb.root
            .insert_in_order(Element::new(format!("{p}definedNames")), ORDER);
    }
    let mut titles = Element::new(format!("{p}definedName"))
        .with_attr("name", "_xlnm.Print_Titles")
        .with_attr("localSheetId", "0");
    titles.children.push(Node::Text(escape_text(&format!(
        "'{}'!${r}:${r}",
        name.replace('\'', "''"),
        r = print_titles + 1
    ))));
    let names = wb.root.child_mut("definedNames").expect("added above");
    names.children.insert(0, Node::Element(titles));

    // The new sheet opens first, and its tab is in view.
    if let Some(views) = wb.root.child_mut("bookViews") {
        for v in views.elements_mut() {
            v.remove_attr("activeTab");
            v.remove_attr("firstSheet");
        }
    }
    Ok(())
}

/// The sheet titles in `docProps/app.xml`, with the new sheet first among
/// the worksheets. Left as it was when its lists do not line up with the
/// workbook's (the part is informative only).
pub fn update_app(app: &mut Document, name: &str, first_old: Option<&str>, replaced: Option<&str>) {
    let Some(first_old) = first_old.or(replaced) else {
        return;
    };
    let vector =
        |root: &Element, which: &str| root.child(which).and_then(|e| e.child("vector")).cloned();
    let (Some(pairs), Some(titles)) = (
        vector(&app.root, "HeadingPairs"),
        vector(&app.root, "TitlesOfParts"),
    ) else {
        return;
    };
    let title_texts: Vec<String> = titles.elements().map(|e| e.text()).collect();
    // Each heading is a pair of variants: its label, then its count.
    let counts: Vec<usize> = pairs
        .elements()
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|pair| {
            pair.get(1)
                .and_then(|v| v.elements().next())
                .and_then(|n| n.text().trim().parse().ok())
                .unwrap_or(usize::MAX / 4)
        })
        .collect();
    if counts.iter().sum::<usize>() != title_texts.len() {
        return;
    }
    let Some(at) = title_texts.iter().position(|t| t == first_old) else {
        return;
    };
    let mut group_start = 0;
    let mut group = 0;
    while group < counts.len() && group_start + counts[group] <= at {
        group_start += counts[group];
        group += 1;
    }
    let mut new_count = counts[group] + 1;
    let mut titles = titles;
    if let Some(old) = replaced
        && let Some(i) = title_texts.iter().position(|t| t == old)
        && (group_start..group_start + counts[group]).contains(&i)
    {
        let mut seen = 0;
        titles.children.retain(|n| match n {
            Node::Element(_) => {
                seen += 1;
                seen - 1 != i
            }
            _ => true,
        });
        new_count -= 1;
    }
    let mut t = Element::new(format!("{}lpstr", prefix_of(&titles.name)));
    t.children.push(Node::Text(escape_text(name)));
    let pos = titles
        .children
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, Node::Element(_)))
        .nth(group_start)
        .map_or(titles.children.len(), |(i, _)| i);
    titles.children.insert(pos, Node::Element(t));
    let n_titles = titles.elements().count();
    titles.set_attr("size", n_titles.to_string());
    let mut pairs = pairs;
    if let Some(num) = pairs
        .elements_mut()
        .nth(group * 2 + 1)
        .and_then(|variant| variant.elements_mut().next())
    {
        num.children = vec![Node::Text(new_count.to_string())];
    }
    for (which, new) in [("HeadingPairs", pairs), ("TitlesOfParts", titles)] {
        if let Some(v) = app
            .root
            .child_mut(which)
            .and_then(|e| e.child_mut("vector"))
        {
            *v = new;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WB: &str = r#"<workbook xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="1" firstSheet="1"/></bookViews><sheets><sheet name="Instructions" sheetId="1" r:id="rId1"/><sheet name="Actions" sheetId="4" r:id="rId2"/><sheet name="Lists" sheetId="3" state="hidden" r:id="rId3"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">Actions!$A$1:$L$41</definedName><definedName name="Codes">Lists!$A$1:$A$74</definedName></definedNames><calcPr calcId="1"/></workbook>"#;

    #[test]
    fn a_sheet_put_first_moves_the_local_names_and_opens_first() {
        let mut wb = Document::parse(WB, "w").unwrap();
        insert_first(&mut wb, "Problems", "rId9", None, 5).unwrap();
        let s: Vec<String> = sheets(&wb)
            .into_iter()
            .map(|s| format!("{}:{}", s.name, s.rid))
            .collect();
        assert_eq!(
            s,
            [
                "Problems:rId9",
                "Instructions:rId1",
                "Actions:rId2",
                "Lists:rId3"
            ]
        );
        let first = wb.root.child("sheets").unwrap().elements().next().unwrap();
        assert_eq!(first.attr("sheetId"), Some("5"));
        let names: Vec<(Option<&str>, String)> = wb
            .root
            .child("definedNames")
            .unwrap()
            .elements()
            .map(|e| (e.attr("localSheetId"), e.text()))
            .collect();
        assert_eq!(
            names,
            [
                (Some("0"), "'Problems'!$6:$6".to_string()),
                (Some("2"), "Actions!$A$1:$L$41".to_string()),
                (None, "Lists!$A$1:$A$74".to_string())
            ]
        );
        let view = wb
            .root
            .child("bookViews")
            .unwrap()
            .child("workbookView")
            .unwrap();
        assert!(view.attrs.is_empty());
        assert!(
            insert_first(&mut wb, "problems", "rId10", None, 5).is_err(),
            "names are unique"
        );
        assert!(insert_first(&mut wb, "A/B", "rId10", None, 5).is_err());
    }

    #[test]
    fn a_sheet_can_take_an_earlier_one_s_place() {
        let mut wb = Document::parse(WB, "w").unwrap();
        insert_first(&mut wb, "Actions", "rId9", Some(1), 5).unwrap();
        let s: Vec<String> = sheets(&wb).into_iter().map(|s| s.name).collect();
        assert_eq!(s, ["Actions", "Instructions", "Lists"]);
        let locals: Vec<Option<&str>> = wb
            .root
            .child("definedNames")
            .unwrap()
            .elements()
            .map(|e| e.attr("localSheetId"))
            .collect();
        assert_eq!(
            locals,
            [Some("0"), None],
            "the replaced sheet's own names go with it"
        );
    }

    #[test]
    fn a_workbook_without_names_gets_them_in_schema_order() {
        let mut wb = Document::parse("<workbook xmlns=\"m\"><sheets><sheet name=\"A\" sheetId=\"1\"/></sheets><calcPr/></workbook>", "w").unwrap();
        insert_first(&mut wb, "Problems", "rId2", None, 0).unwrap();
        let order: Vec<&str> = wb.root.elements().map(|e| local(&e.name)).collect();
        assert_eq!(order, ["sheets", "definedNames", "calcPr"]);
        assert_eq!(wb.root.attr("xmlns:r"), Some(REL_NS));
    }

    #[test]
    fn the_titles_list_gains_the_sheet() {
        let mut app = Document::parse(
            r#"<Properties xmlns:vt="v"><HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>3</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="4" baseType="lpstr"><vt:lpstr>Instructions</vt:lpstr><vt:lpstr>Actions</vt:lpstr><vt:lpstr>Lists</vt:lpstr><vt:lpstr>Actions!Print_Titles</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#,
            "a",
        )
        .unwrap();
        update_app(&mut app, "Problems", Some("Instructions"), None);
        let titles: Vec<String> = app
            .root
            .child("TitlesOfParts")
            .unwrap()
            .child("vector")
            .unwrap()
            .elements()
            .map(|e| e.text())
            .collect();
        assert_eq!(
            titles,
            [
                "Problems",
                "Instructions",
                "Actions",
                "Lists",
                "Actions!Print_Titles"
            ]
        );
        let v = app
            .root
            .child("TitlesOfParts")
            .unwrap()
            .child("vector")
            .unwrap();
        assert_eq!(v.attr("size"), Some("5"));
        assert_eq!(
            app.root.child("HeadingPairs").unwrap().text(),
            "Worksheets4Named Ranges1"
        );
        // Lists that do not add up are left alone.
        let mut odd = Document::parse("<Properties><TitlesOfParts/></Properties>", "a").unwrap();
        update_app(&mut odd, "Problems", Some("A"), None);
        assert_eq!(
            odd.root.child("TitlesOfParts").unwrap().elements().count(),
            0
        );
    }
}
