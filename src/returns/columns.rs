//! Finds the heading row of a return sheet wherever it sits and works out
//! which column holds what, allowing for case, spacing, known synonyms,
//! reordered columns and extra columns.

use indexmap::IndexMap;

use crate::framework::{Framework, fold};
use crate::input::Grid;
use crate::input::cells;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Code,
    Label,
    Theme,
    Narrative,
    Evidence,
    Score,
    Commentary,
    Gaps,
    Reason,
    /// An earlier round's score or commentary shown for reference: known,
    /// not read.
    Reference,
    ActionId,
    Action,
    Owner,
    ServiceArea,
    TargetDate,
    Status,
    Progress,
    UpdateDate,
    PerfRef,
}

impl Field {
    /// The heading the tool's own templates use.
    pub fn heading(self) -> &'static str {
        match self {
            Field::Code => "Code",
            Field::Label => "Characteristic",
            Field::Theme => "Theme",
            Field::Narrative => "Position statement",
            Field::Evidence => "Evidence",
            Field::Score => "Score",
            Field::Commentary => "Commentary",
            Field::Gaps => "Gaps / areas to address",
            Field::Reason => "Reason (Grey or changed score)",
            Field::Reference => "Earlier round",
            Field::ActionId => "Action ID",
            Field::Action => "Action",
            Field::Owner => "Responsible officer",
            Field::ServiceArea => "Service area",
            Field::TargetDate => "Target date",
            Field::Status => "Status",
            Field::Progress => "Progress note",
            Field::UpdateDate => "Date of update",
            Field::PerfRef => "Performance system ref",
        }
    }
}

/// Headings recognised for each field, folded (lower case, letters and
/// digits only).
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Code,
        &[
            "code",
            "ref",
            "reference",
            "characteristiccode",
            "charcode",
            "characteristicref",
            "characteristicid",
        ],
    ),
    (
        Field::Label,
        &[
            "characteristic",
            "characteristicdescription",
            "description",
            "label",
            "characteristicofawellfunctioningauthority",
        ],
    ),
    (Field::Theme, &["theme", "themename"]),
    (
        Field::Narrative,
        &[
            "positionstatement",
            "narrative",
            "currentposition",
            "selfassessment",
            "position",
            "narrativepositionstatement",
        ],
    ),
    (
        Field::Evidence,
        &[
            "evidence",
            "evidencereferences",
            "evidencereference",
            "evidencerefs",
            "sourcesofevidence",
            "keyevidence",
        ],
    ),
    (
        Field::Score,
        &[
            "score",
            "rating",
            "rag",
            "ragrating",
            "colour",
            "color",
            "yourscore",
            "assessment",
            "scorecolour",
        ],
    ),
    (
        Field::Commentary,
        &[
            "commentary",
            "comment",
            "comments",
            "justification",
            "reviewercommentary",
            "justificationcommentary",
        ],
    ),
    (
        Field::Gaps,
        &[
            "gapsareastoaddress",
            "gaps",
            "gap",
            "areastoaddress",
            "areasforimprovement",
            "opportunitiesforimprovement",
            "gapidentified",
        ],
    ),
    (
        Field::Reason,
        &[
            "reasongreyorchangedscore",
            "reason",
            "reasonforchange",
            "reasonforscore",
            "reasonforgrey",
            "reasonforchangeorgrey",
            "reasonforchangedscore",
        ],
    ),
    (
        Field::Reference,
        &[
            "previousscore",
            "earlierscore",
            "earlierround",
            // Shown by action templates that list known actions.
            "previousprogressnote",
            "previousupdatedate",
        ],
    ),
    (
        Field::ActionId,
        &[
            "actionid",
            "actionref",
            "actionreference",
            "actionno",
            "actionnumber",
            "id",
        ],
    ),
    (
        Field::Action,
        &[
            "action",
            "actions",
            "actiontobetaken",
            "improvementaction",
            "actiondescription",
        ],
    ),
    (
        Field::Owner,
        &[
            "responsibleofficer",
            "owner",
            "actionowner",
            "leadofficer",
            "responsible",
            "lead",
        ],
    ),
    (
        Field::ServiceArea,
        &["servicearea", "service", "directorate", "department"],
    ),
    (
        Field::TargetDate,
        &[
            "targetdate",
            "target",
            "duedate",
            "deadline",
            "timeline",
            "indicativetimeline",
            "targetdateortimeline",
        ],
    ),
    (
        Field::Status,
        &["status", "actionstatus", "currentstatus", "ragstatus"],
    ),
    (
        Field::Progress,
        &[
            "progressnote",
            "progress",
            "latestprogress",
            "latestprogressnote",
            "update",
            "progressupdate",
        ],
    ),
    (
        Field::UpdateDate,
        &[
            "dateofupdate",
            "updatedate",
            "updated",
            "lastupdated",
            "dateupdated",
            "progressdate",
        ],
    ),
    (
        Field::PerfRef,
        &[
            "performancesystemref",
            "performancesystemreference",
            "perfref",
            "activityref",
            "activityreference",
            "systemref",
        ],
    ),
];

/// Which kind of table a heading row introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Assessment,
    Actions,
}

/// A heading row and its columns.
#[derive(Debug, Clone)]
pub struct Header {
    pub kind: TableKind,
    pub row: u32,
    /// Field → (column, heading as written). The first column of a field wins.
    pub columns: IndexMap<Field, (u16, String)>,
    /// Columns with a heading the tool does not know.
    pub unknown: Vec<(u16, String)>,
    /// A second column with the same meaning as an earlier one.
    pub duplicates: Vec<(u16, String, Field)>,
    /// Earlier rounds' columns shown for reference: known, not read.
    pub references: Vec<(u16, String)>,
}

impl Header {
    pub fn col(&self, f: Field) -> Option<u16> {
        self.columns.get(&f).map(|(c, _)| *c)
    }

    pub fn heading(&self, f: Field) -> String {
        self.columns
            .get(&f)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| f.heading().to_string())
    }

    /// The last column with a known or unknown heading.
    pub fn last_col(&self) -> u16 {
        self.columns
            .values()
            .map(|(c, _)| *c)
            .chain(self.unknown.iter().map(|(c, _)| *c))
            .chain(self.duplicates.iter().map(|(c, ..)| *c))
            .chain(self.references.iter().map(|(c, _)| *c))
            .max()
            .unwrap_or(0)
    }
}

/// Recognises one heading. `round` is the return's round, so that
/// "Moderation score" is this round's score in a moderation return but an
/// earlier round's for reference in a final return.
pub fn recognise(text: &str, fw: &Framework, round: Option<usize>) -> Option<Field> {
    let f = fold(text);
    if f.is_empty() {
        return None;
    }
    for (field, names) in SYNONYMS {
        if names.contains(&f.as_str()) {
            return Some(*field);
        }
    }
    // "<Round> score", "<Round> commentary", "Moderated score".
    for (i, r) in fw.rounds.iter().enumerate() {
        let name = fold(&r.name);
        let stem = name.trim_end_matches("ion").trim_end_matches('e');
        let Some(rest) = f
            .strip_prefix(name.as_str())
            .or_else(|| f.strip_prefix(&format!("{stem}ed")))
            .or_else(|| f.strip_prefix(stem))
        else {
            continue;
        };
        let field = match rest {
            "score" | "rating" | "colour" => Field::Score,
            "commentary" | "comment" | "comments" | "justification" => Field::Commentary,
            "reason" | "reasonforchange" => Field::Reason,
            _ => continue,
        };
        return Some(if round == Some(i) {
            field
        } else {
            Field::Reference
        });
    }
    // Generous fall-backs for long headings officers write themselves.
    if f.starts_with("reasonfor") {
        return Some(Field::Reason);
    }
    if f.starts_with("gaps") || f.starts_with("areastoaddress") {
        return Some(Field::Gaps);
    }
    if f.starts_with("evidence") {
        return Some(Field::Evidence);
    }
    None
}

/// Rows searched for a heading row, from the top of the sheet.
const HEADER_SEARCH_ROWS: u32 = 60;

/// Finds the best heading row in a sheet, if any.
pub fn find_header(grid: &Grid, fw: &Framework, round: Option<usize>) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (&row, cells) in grid.rows.range(..HEADER_SEARCH_ROWS) {
        let mut columns: IndexMap<Field, (u16, String)> = IndexMap::new();
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        let mut references = Vec::new();
        for (col, value) in cells {
            let heading = cells::squeezed(value);
            if heading.is_empty() {
                continue;
            }
            match recognise(&heading, fw, round) {
                Some(Field::Reference) => references.push((*col, heading)),
                Some(field) => {
                    if columns.contains_key(&field) {
                        duplicates.push((*col, heading, field));
                    } else {
                        columns.insert(field, (*col, heading));
                    }
                }
                None => unknown.push((*col, heading)),
            }
        }
        let kind = if columns.contains_key(&Field::ActionId)
            && (columns.contains_key(&Field::Action) || columns.contains_key(&Field::Status))
        {
            TableKind::Actions
        } else if columns.contains_key(&Field::Code)
            && [
                Field::Narrative,
                Field::Evidence,
                Field::Score,
                Field::Commentary,
                Field::Label,
            ]
            .iter()
            .any(|f| columns.contains_key(f))
        {
            TableKind::Assessment
        } else {
            continue;
        };
        let strength = columns.len();
        if best.as_ref().is_none_or(|(s, _)| strength > *s) {
            columns.sort_by(|_, a, _, b| a.0.cmp(&b.0));
            best = Some((
                strength,
                Header {
                    kind,
                    row,
                    columns,
                    unknown,
                    duplicates,
                    references,
                },
            ));
        }
    }
    best.map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headings_as_officers_write_them() {
        let fw = Framework::default_framework();
        assert_eq!(recognise("  CODE ", &fw, None), Some(Field::Code));
        assert_eq!(
            recognise("Position  statement", &fw, None),
            Some(Field::Narrative)
        );
        assert_eq!(recognise("RAG rating", &fw, None), Some(Field::Score));
        assert_eq!(
            recognise("Gaps / areas to address", &fw, None),
            Some(Field::Gaps)
        );
        assert_eq!(
            recognise("Moderated score", &fw, Some(2)),
            Some(Field::Score)
        );
        assert_eq!(
            recognise("Moderation score", &fw, Some(3)),
            Some(Field::Reference)
        );
        assert_eq!(
            recognise("Review score", &fw, Some(2)),
            Some(Field::Reference)
        );
        assert_eq!(
            recognise("Review commentary", &fw, Some(1)),
            Some(Field::Commentary)
        );
        assert_eq!(recognise("Officer's favourite colour?", &fw, None), None);
    }

    /// Every heading `bestvalue template` writes, for each round it is
    /// written in (`None`: before the return's round is known).
    #[test]
    fn recognises_every_template_heading() {
        let fw = Framework::default_framework();
        let (review, moderation, fin) = (Some(1), Some(2), Some(3));
        for round in [None, Some(0), review, moderation, fin] {
            for (heading, field) in [
                ("Theme", Field::Theme),
                ("Code", Field::Code),
                ("Characteristic", Field::Label),
                ("Position statement", Field::Narrative),
                ("Evidence", Field::Evidence),
                ("Score", Field::Score),
                ("Commentary", Field::Commentary),
                ("Gaps / areas to address", Field::Gaps),
                ("Reason (Grey or changed score)", Field::Reason),
                ("Action ID", Field::ActionId),
                ("Gap", Field::Gaps),
                ("Action", Field::Action),
                ("Responsible officer", Field::Owner),
                ("Service area", Field::ServiceArea),
                ("Target date", Field::TargetDate),
                ("Status", Field::Status),
                ("Previous progress note", Field::Reference),
                ("Previous update date", Field::Reference),
                ("Progress note", Field::Progress),
                ("Date of update", Field::UpdateDate),
                ("Performance system ref", Field::PerfRef),
            ] {
                assert_eq!(recognise(heading, &fw, round), Some(field), "{heading}");
            }
        }
        // Earlier rounds shown for reference in later rounds' templates.
        for (heading, round) in [
            ("Review score", moderation),
            ("Review commentary", moderation),
            ("Review score", fin),
            ("Review commentary", fin),
            ("Moderation score", fin),
            ("Moderation commentary", fin),
            ("Moderation reason", fin),
        ] {
            assert_eq!(
                recognise(heading, &fw, round),
                Some(Field::Reference),
                "{heading}"
            );
        }
    }
}
