//! Finds the heading row of a return sheet wherever it sits and works out
//! which column holds what, allowing for case, spacing, known synonyms,
//! reordered columns and extra columns.

use std::collections::HashMap;
use std::sync::LazyLock;

use calamine::Data;
use indexmap::IndexMap;

use crate::framework::{Framework, fold};
use crate::read::Grid;
use crate::read::cells;

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

/// `SYNONYMS` as a lookup table. A heading listed twice keeps its first
/// field, as a search of the list in order would.
static SYNONYM_INDEX: LazyLock<HashMap<&'static str, Field>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for (field, names) in SYNONYMS {
        for n in *names {
            index.entry(*n).or_insert(*field);
        }
    }
    index
});

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

/// How a heading reads before the return's round is known: a round-named
/// heading ("Moderation score") is this round's field in that round's
/// return and an earlier round's, for reference, in any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Field(Field),
    Round(usize, Field),
    Unknown,
}

impl Seen {
    fn resolve(self, round: Option<usize>) -> Option<Field> {
        match self {
            Seen::Field(f) => Some(f),
            Seen::Round(i, f) => Some(if round == Some(i) {
                f
            } else {
                Field::Reference
            }),
            Seen::Unknown => None,
        }
    }
}

/// The framework's round names in the forms headings use, worked out once
/// per sheet rather than once per cell.
struct Forms {
    /// Per round: the name, the name as "…ed" ("Moderated"), its stem.
    rounds: Vec<[String; 3]>,
    /// No heading that matches exactly folds to more characters than this;
    /// longer text can only match the prefix fall-backs.
    limit: usize,
}

/// The words after a round's name in a round-named heading.
const ROUND_REST_MAX: usize = "reasonforchange".len();

impl Forms {
    fn new(fw: &Framework) -> Forms {
        let rounds: Vec<[String; 3]> = fw
            .rounds
            .iter()
            .map(|r| {
                let name = fold(&r.name);
                let stem = name
                    .trim_end_matches("ion")
                    .trim_end_matches('e')
                    .to_string();
                [name, format!("{stem}ed"), stem]
            })
            .collect();
        let longest_synonym = SYNONYMS
            .iter()
            .flat_map(|(_, names)| names.iter().map(|n| n.len()))
            .max()
            .unwrap_or(0);
        let longest_round = rounds
            .iter()
            .flat_map(|forms| forms.iter().map(|f| f.len()))
            .max()
            .unwrap_or(0);
        Forms {
            rounds,
            limit: longest_synonym.max(longest_round + ROUND_REST_MAX),
        }
    }

    /// Classifies folded heading text. `complete` is false when `f` is only
    /// the first `limit` characters of a longer heading.
    fn classify(&self, f: &str, complete: bool) -> Seen {
        if f.is_empty() {
            return Seen::Unknown;
        }
        if complete {
            if let Some(field) = SYNONYM_INDEX.get(f) {
                return Seen::Field(*field);
            }
            // "<Round> score", "<Round> commentary", "Moderated score".
            for (i, [name, ed, stem]) in self.rounds.iter().enumerate() {
                let Some(rest) = f
                    .strip_prefix(name.as_str())
                    .or_else(|| f.strip_prefix(ed.as_str()))
                    .or_else(|| f.strip_prefix(stem.as_str()))
                else {
                    continue;
                };
                let field = match rest {
                    "score" | "rating" | "colour" => Field::Score,
                    "commentary" | "comment" | "comments" | "justification" => Field::Commentary,
                    "reason" | "reasonforchange" => Field::Reason,
                    _ => continue,
                };
                return Seen::Round(i, field);
            }
        }
        // Generous fall-backs for long headings officers write themselves.
        if f.starts_with("reasonfor") {
            return Seen::Field(Field::Reason);
        }
        if f.starts_with("gaps") || f.starts_with("areastoaddress") {
            return Seen::Field(Field::Gaps);
        }
        if f.starts_with("evidence") {
            return Seen::Field(Field::Evidence);
        }
        Seen::Unknown
    }

    /// Classifies a cell, folding no more of it than can matter (a long
    /// narrative in the first rows is folded only as far as `limit`).
    fn classify_cell(&self, d: &Data) -> Seen {
        let shown;
        let text = match d {
            Data::String(s) => s.as_str(),
            // Numbers and dates show as digits and separators, which fold
            // to digits: no heading is only digits.
            Data::Float(_) | Data::Int(_) | Data::DateTime(_) => return Seen::Unknown,
            other => {
                shown = cells::shown(other);
                shown.as_str()
            }
        };
        let mut f = String::with_capacity(self.limit.min(text.len()) + 4);
        let mut complete = true;
        for c in text.chars() {
            if f.len() > self.limit {
                complete = false;
                break;
            }
            // As `fold`, with a quick path for plain ASCII.
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    f.push(c.to_ascii_lowercase());
                }
            } else if c.is_alphanumeric() {
                f.extend(c.to_lowercase());
            }
        }
        if f.len() > self.limit {
            complete = false;
        }
        self.classify(&f, complete)
    }
}

/// Recognises one heading. `round` is the return's round, so that
/// "Moderation score" is this round's score in a moderation return but an
/// earlier round's for reference in a final return.
pub fn recognise(text: &str, fw: &Framework, round: Option<usize>) -> Option<Field> {
    let forms = Forms::new(fw);
    let f = fold(text);
    forms.classify(&f, true).resolve(round)
}

/// Rows searched for a heading row, from the top of the sheet.
const HEADER_SEARCH_ROWS: u32 = 60;

/// The first rows of a sheet, each cell's heading classified once, so the
/// heading row can be chosen before and after the round is known without
/// reading the cells twice.
pub struct Scan<'g> {
    rows: Vec<(u32, Vec<ScannedCell<'g>>)>,
}

/// A cell of a possible heading row: column, how it reads, its value.
type ScannedCell<'g> = (u16, Seen, &'g Data);

/// Reads the cells where a heading row could be.
pub fn scan<'g>(grid: &'g Grid, fw: &Framework) -> Scan<'g> {
    let forms = Forms::new(fw);
    let rows = grid
        .rows
        .range(..HEADER_SEARCH_ROWS)
        .map(|(&row, cells)| {
            let seen = cells
                .iter()
                .filter(|(_, v)| !heading_blank(v))
                .map(|(col, v)| (*col, forms.classify_cell(v), v))
                .collect();
            (row, seen)
        })
        .collect();
    Scan { rows }
}

/// A cell that reads as no heading at all (its squeezed text is empty).
fn heading_blank(v: &Data) -> bool {
    match v {
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            cells::is_blank(Some(&Data::String(s.clone())))
        }
        other => cells::is_blank(Some(other)),
    }
}

/// Finds the best heading row in a sheet, if any.
pub fn find_header(grid: &Grid, fw: &Framework, round: Option<usize>) -> Option<Header> {
    choose(&scan(grid, fw), round)
}

/// Chooses the heading row from a scan, for a return of `round`: the row
/// that names the most different fields, the first such row on a tie.
pub fn choose(scan: &Scan, round: Option<usize>) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (row, cells) in &scan.rows {
        // Count first, without building anything: most rows are data.
        let mut fields: u32 = 0;
        for (_, seen, _) in cells {
            match seen.resolve(round) {
                Some(Field::Reference) | None => {}
                Some(f) => fields |= 1 << (f as u32),
            }
        }
        let has = |f: Field| fields & (1 << (f as u32)) != 0;
        let kind = if has(Field::ActionId) && (has(Field::Action) || has(Field::Status)) {
            TableKind::Actions
        } else if has(Field::Code)
            && [
                Field::Narrative,
                Field::Evidence,
                Field::Score,
                Field::Commentary,
                Field::Label,
            ]
            .iter()
            .any(|f| has(*f))
        {
            TableKind::Assessment
        } else {
            continue;
        };
        let strength = fields.count_ones() as usize;
        if best.as_ref().is_some_and(|(s, _)| strength <= *s) {
            continue;
        }
        let mut columns: IndexMap<Field, (u16, String)> = IndexMap::new();
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        let mut references = Vec::new();
        for (col, seen, value) in cells {
            let heading = cells::squeezed(value);
            match seen.resolve(round) {
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
        columns.sort_by(|_, a, _, b| a.0.cmp(&b.0));
        best = Some((
            strength,
            Header {
                kind,
                row: *row,
                columns,
                unknown,
                duplicates,
                references,
            },
        ));
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

    #[test]
    fn long_cells_are_folded_only_as_far_as_can_matter() {
        let fw = Framework::default_framework();
        let forms = Forms::new(&fw);
        let cell = |s: &str| forms.classify_cell(&Data::String(s.to_string()));
        // Every heading the tool knows fits within the folding limit.
        for (field, names) in SYNONYMS {
            for n in *names {
                assert_eq!(cell(n), Seen::Field(*field), "{n}");
            }
        }
        assert_eq!(cell("Moderated score"), Seen::Round(2, Field::Score));
        assert_eq!(cell("Final sign-off  Reason for change"), Seen::Unknown);
        let long = format!("Reason for change or Grey: {}", "explain why ".repeat(50));
        assert_eq!(cell(&long), Seen::Field(Field::Reason));
        assert_eq!(recognise(&long, &fw, None), Some(Field::Reason));
        let narrative = "The council has agreed a clear set of priorities. ".repeat(20);
        assert_eq!(cell(&narrative), Seen::Unknown);
        assert_eq!(forms.classify_cell(&Data::Float(3.0)), Seen::Unknown);
    }
}
