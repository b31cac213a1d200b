//! Word banks for synthetic returns: names, documents and sentences in the
//! register officers write in. Invented for this tool; any resemblance to a
//! real council or officer is accidental.

use super::Rng;

pub const PLACE_STEMS: &[&str] = &[
    "Ash", "Brack", "Calder", "Dun", "Elm", "Fen", "Gran", "Hart", "Ivel", "Kings", "Lang",
    "Marsh", "Nor", "Oak", "Pen", "Red", "Stan", "Thorn", "Wey", "Wold", "Bram", "Cran", "Hal",
    "Mel", "Rother", "Stow", "Tam", "Wend", "Yar", "Ald", "Bel", "Chal", "Dray", "Eden", "Fair",
    "Glen",
];

pub const PLACE_ENDINGS: &[&str] = &[
    "ford", "moor", "dale", "bury", "ton", "field", "wick", "ham", "ley", "mouth", "stead",
    "bridge", "worth", "combe",
];

pub const AUTHORITY_TYPES: &[&str] = &[
    "Borough Council",
    "District Council",
    "City Council",
    "County Council",
    "Metropolitan Borough Council",
];

pub const FIRST_NAMES: &[&str] = &[
    "Aisha", "Alan", "Amira", "Bethan", "Brian", "Carys", "Chloe", "Daniel", "Deborah", "Eleanor",
    "Farid", "Fiona", "Gareth", "Grace", "Harriet", "Imran", "Joanne", "Kamal", "Kirsty", "Laura",
    "Leon", "Louise", "Malcolm", "Margaret", "Nadia", "Neil", "Olivia", "Owen", "Priya", "Rachel",
    "Rebecca", "Rhys", "Sanjay", "Simon", "Sophie", "Tariq", "Tom", "Una", "Victoria", "Yusuf",
];

pub const SURNAMES: &[&str] = &[
    "Ashdown",
    "Bailey",
    "Carradine",
    "Choudhury",
    "Dunmore",
    "Evans",
    "Ferreira",
    "Gallagher",
    "Halloran",
    "Hussain",
    "Iqbal",
    "Jenkins",
    "Kowalski",
    "Lomax",
    "Mensah",
    "Nolan",
    "Okafor",
    "Patel",
    "Pettifer",
    "Quinn",
    "Reid",
    "Sheridan",
    "Thwaite",
    "Turner",
    "Underwood",
    "Varga",
    "Whitfield",
    "Wright",
    "Yates",
    "Zielinski",
];

pub const SERVICE_AREAS: &[&str] = &[
    "Corporate Strategy",
    "Finance",
    "Legal and Democratic Services",
    "People and Organisational Development",
    "Communities and Neighbourhoods",
    "Housing",
    "Planning and Regeneration",
    "Environmental Services",
    "Customer Services",
    "Digital and ICT",
    "Adult Social Care",
    "Children's Services",
];

const DOCUMENTS: &[&str] = &[
    "Corporate Plan 2024-28",
    "Medium Term Financial Strategy 2025-30",
    "Annual Governance Statement 2024/25",
    "Quarterly performance report Q1 2025/26",
    "Quarterly performance report Q2 2025/26",
    "Cabinet minutes",
    "Full Council minutes",
    "Audit and Governance Committee minutes",
    "Overview and Scrutiny work programme 2025/26",
    "Staff survey results 2025",
    "Workforce Strategy 2024-27",
    "Peer challenge report and action plan",
    "External auditor's annual report 2024/25",
    "Risk management framework and strategic risk register",
    "Residents' survey 2025",
    "Complaints annual report 2024/25",
    "Digital Strategy 2024-27",
    "Partnership board terms of reference",
    "Member development programme 2025",
    "Constitution, Part 3: scheme of delegation",
    "Capital Strategy 2025/26",
    "Procurement Strategy 2024-28",
    "Service plans 2025/26",
    "Internal audit annual opinion 2024/25",
];

const OPENINGS: &[&str] = &[
    "The council has",
    "Since 2023 the council has",
    "Over the last two years the authority has",
    "Following the peer challenge, the council has",
    "Working with partners, the council has",
    "The Corporate Leadership Team has",
];

const ACTIVITIES: &[&str] = &[
    "agreed a clear set of priorities with named owners and annual milestones",
    "introduced a quarterly review of performance against targets at Cabinet",
    "refreshed its governance arrangements and published a revised scheme of delegation",
    "established a cross-party working group to oversee the improvement programme",
    "commissioned an independent review of its decision-making arrangements",
    "strengthened the link between service plans and the medium term financial strategy",
    "set up a programme board that meets monthly to track delivery",
    "invested in a performance dashboard available to every member",
    "run workshops with heads of service to test the evidence behind each priority",
    "aligned its workforce plan with the skills the council will need by 2028",
    "adopted a risk appetite statement and reviews strategic risks every quarter",
    "brought together partners in a place board with a shared delivery plan",
];

const FINDINGS: &[&str] = &[
    "Progress is reported openly and members challenge it at scrutiny.",
    "Evidence shows the arrangements are understood across the organisation.",
    "Members report that the information they receive is timely and clear.",
    "The approach is embedded in most services but not yet in all.",
    "Staff survey results show improving confidence in senior leadership.",
    "Benchmarking places the council in the middle of its comparator group.",
    "Audit findings from the last two years have been addressed on time.",
    "Some recommendations remain open and are being tracked by the programme board.",
    "Residents' satisfaction has improved for three consecutive years.",
    "The arrangements are new and their impact is not yet fully evidenced.",
];

const COMMENTS: &[&str] = &[
    "The evidence is strong and consistently applied across services.",
    "Arrangements are in place and working; a few services are still catching up.",
    "The position statement is fair, though evidence of impact is limited so far.",
    "Plans are credible but implementation has only recently started.",
    "The reviewer found clear ownership and regular reporting to members.",
    "Evidence was tested in interviews with two heads of service and confirmed.",
    "Progress depends on a restructure that is not yet complete.",
    "Reporting exists but members do not yet use it to challenge performance.",
];

const GAPS: &[&str] = &[
    "Outcome measures are not yet reported for every priority.",
    "Recommendations from service reviews are not tracked centrally.",
    "Member training on the new arrangements has reached only half of councillors.",
    "Benchmarking data is not included in reports to members.",
    "Partners' contributions to shared outcomes are not measured.",
    "Risk registers are not consistently reviewed at service level.",
    "The workforce plan has no agreed funding beyond next year.",
    "Residents' feedback is gathered but not fed into service planning.",
];

const CHANGE_REASONS: &[&str] = &[
    "The panel compared this score with similar characteristics in other themes and found the evidence supports a different level.",
    "Further evidence was provided after the review, showing the arrangements are working in all services.",
    "The evidence cited relates to plans rather than delivery, so a lower score is consistent with the rest of the assessment.",
    "Leadership confirmed that the action plan agreed in September addresses the gap, but delivery has not started.",
    "An internal audit report published after the review found weaknesses that the original score did not reflect.",
];

const GREY_REASONS: &[&str] = &[
    "Depends on a national funding decision outside the council's control.",
    "The partnership arrangement is led by the county and was not assessed by this council.",
    "Responsibility transferred to a combined authority during the year.",
];

const ACTIONS: &[&str] = &[
    "Agree outcome measures for each priority and add them to the quarterly performance report.",
    "Set up a central tracker for review recommendations, reported to the programme board monthly.",
    "Deliver a member development session on the new arrangements and record attendance.",
    "Add benchmarking against the comparator group to the quarterly performance report.",
    "Agree shared outcome measures with partners through the place board.",
    "Introduce a quarterly review of service risk registers by directorate management teams.",
    "Secure funding for the workforce plan through the budget process.",
    "Build residents' feedback into the service planning template for 2026/27.",
];

const PROGRESS: &[&str] = &[
    "Scoping complete; proposals go to the Corporate Leadership Team next month.",
    "First draft shared with heads of service for comment.",
    "Delayed by staff vacancies; a revised timetable has been agreed.",
    "Completed and reported to the Audit and Governance Committee.",
    "Work under way; two of four milestones met.",
    "Not yet started: depends on the restructure due to complete in the spring.",
];

pub fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES))
}

fn sentence_list(rng: &mut Rng, bank: &[&str], n: usize) -> String {
    let start = rng.below(bank.len());
    (0..n)
        .map(|i| bank[(start + i * 3) % bank.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A position statement: two to four sentences, a few hundred characters.
pub fn narrative(rng: &mut Rng, label: &str) -> String {
    let opening = rng.pick(OPENINGS);
    let a = rng.pick(ACTIVITIES);
    let b = rng.pick(ACTIVITIES);
    let findings = 1 + rng.below(2);
    format!(
        "On \"{}\": {opening} {a}, and has {b}. {}",
        label.to_lowercase(),
        sentence_list(rng, FINDINGS, findings)
    )
}

pub fn evidence(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    let start = rng.below(DOCUMENTS.len());
    (0..n)
        .map(|i| DOCUMENTS[(start + i * 5) % DOCUMENTS.len()])
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn commentary(rng: &mut Rng) -> String {
    let n = 1 + rng.below(2);
    sentence_list(rng, COMMENTS, n)
}

pub fn gap(rng: &mut Rng) -> String {
    rng.pick(GAPS).to_string()
}

pub fn change_reason(rng: &mut Rng) -> String {
    rng.pick(CHANGE_REASONS).to_string()
}

pub fn grey_reason(rng: &mut Rng) -> String {
    rng.pick(GREY_REASONS).to_string()
}

pub fn action(rng: &mut Rng) -> String {
    rng.pick(ACTIONS).to_string()
}

pub fn progress(rng: &mut Rng) -> String {
    rng.pick(PROGRESS).to_string()
}
