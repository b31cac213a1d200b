//! The vocabulary of a return's headings: what a column can hold ([`Field`]),
//! the heading the tool's templates give it, and every other heading
//! officers are known to write for it.

use std::collections::HashMap;
use std::sync::LazyLock;

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
pub(super) const SYNONYMS: &[(Field, &[&str])] = &[
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
            // Shown by a template that starts a new cycle from last year's
            // committee workbook.
            "lastyearsscore",
            "lastyearscore",
            "lastyearsfinalscore",
            "lastyearspositionstatement",
            "lastyearsevidence",
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
pub(super) static SYNONYM_INDEX: LazyLock<HashMap<&'static str, Field>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for (field, names) in SYNONYMS {
        for n in *names {
            index.entry(*n).or_insert(*field);
        }
    }
    index
});
