//! The registers the course teaches, one set per assessment: context issues (4.1), interested
//! parties (4.2), risks (6.1.2, 8.2) and objectives (6.2). Pure: what an entry holds, what is
//! derived from it (priority, risk level), how entries are ordered, and the risk -> control link
//! that feeds the Statement of Applicability.

pub use super::audit::{Audit, Finding, ManagementReview, Nonconformity};
use super::{Answer, ReasonCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which register an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    Context,
    Parties,
    Risks,
    Objectives,
    /// Audits `AUD-n` (9.2 and the certification body's visits; issue 30).
    Audits,
    /// Audit findings `F-n`.
    Findings,
    /// Nonconformities `NC-n` (10.2).
    Nonconformities,
    /// Management reviews `MR-n` (9.3).
    Reviews,
}

impl RegisterKind {
    pub const ALL: [RegisterKind; 4] = [
        RegisterKind::Context,
        RegisterKind::Parties,
        RegisterKind::Risks,
        RegisterKind::Objectives,
    ];

    /// The records of audits and reviews (issue 30), kept like the registers above but shown on
    /// their own (the audit screen, the audit report), not among the course's four registers.
    pub const AUDIT_RECORDS: [RegisterKind; 4] = [
        RegisterKind::Audits,
        RegisterKind::Findings,
        RegisterKind::Nonconformities,
        RegisterKind::Reviews,
    ];

    /// Every register, the four of `ALL` then the audit records: what the store, the JSON
    /// document, merge, history and undo carry.
    pub const EVERY: [RegisterKind; 8] = [
        RegisterKind::Context,
        RegisterKind::Parties,
        RegisterKind::Risks,
        RegisterKind::Objectives,
        RegisterKind::Audits,
        RegisterKind::Findings,
        RegisterKind::Nonconformities,
        RegisterKind::Reviews,
    ];

    /// The letter in front of an entry's number: `C-1`, `P-1`, `R-1`, `O-1`.
    pub fn prefix(self) -> &'static str {
        match self {
            RegisterKind::Context => "C",
            RegisterKind::Parties => "P",
            RegisterKind::Risks => "R",
            RegisterKind::Objectives => "O",
            RegisterKind::Audits => "AUD",
            RegisterKind::Findings => "F",
            RegisterKind::Nonconformities => "NC",
            RegisterKind::Reviews => "MR",
        }
    }

    /// The CLI noun and the history field prefix.
    pub fn noun(self) -> &'static str {
        match self {
            RegisterKind::Context => "context",
            RegisterKind::Parties => "parties",
            RegisterKind::Risks => "risks",
            RegisterKind::Objectives => "objectives",
            RegisterKind::Audits => "audit",
            RegisterKind::Findings => "finding",
            RegisterKind::Nonconformities => "nc",
            RegisterKind::Reviews => "review",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            RegisterKind::Context => "Context issues",
            RegisterKind::Parties => "Interested parties",
            RegisterKind::Risks => "Risks",
            RegisterKind::Objectives => "Objectives",
            RegisterKind::Audits => "Audits",
            RegisterKind::Findings => "Audit findings",
            RegisterKind::Nonconformities => "Nonconformities",
            RegisterKind::Reviews => "Management reviews",
        }
    }

    /// The short name: a tab on the screen, a sheet of the workbook.
    pub fn short_title(self) -> &'static str {
        match self {
            RegisterKind::Context => "Context",
            RegisterKind::Parties => "Parties",
            RegisterKind::Risks => "Risks",
            RegisterKind::Objectives => "Objectives",
            RegisterKind::Audits => "Audits",
            RegisterKind::Findings => "Findings",
            RegisterKind::Nonconformities => "NCs",
            RegisterKind::Reviews => "Reviews",
        }
    }

    /// The heading of its section in the reports, with its clauses.
    pub fn report_title(self) -> &'static str {
        match self {
            RegisterKind::Context => "Context issues (4.1)",
            RegisterKind::Parties => "Interested parties (4.2)",
            RegisterKind::Risks => "Risks (6.1.2, 8.2) and their treatment (6.1.3, 8.3)",
            RegisterKind::Objectives => "Objectives (6.2)",
            RegisterKind::Audits => "Audits (9.2)",
            RegisterKind::Findings => "Audit findings (9.2)",
            RegisterKind::Nonconformities => "Nonconformities and corrective action (10.2)",
            RegisterKind::Reviews => "Management reviews (9.3)",
        }
    }

    /// The clauses whose questionnaire items need this register.
    pub fn clauses(self) -> &'static [&'static str] {
        match self {
            RegisterKind::Context => &["4.1"],
            RegisterKind::Parties => &["4.2"],
            RegisterKind::Risks => &["6.1.2", "6.1.3", "8.2", "8.3"],
            RegisterKind::Objectives => &["6.2"],
            // The audit records are not what an item's answer needs to be filled in.
            RegisterKind::Audits
            | RegisterKind::Findings
            | RegisterKind::Nonconformities
            | RegisterKind::Reviews => &[],
        }
    }

    /// The register a questionnaire item's ref needs (`4.1`, `6.1.2 c)`, ...), if any.
    pub fn for_reference(reference: &str) -> Option<RegisterKind> {
        let head = reference.split_whitespace().next().unwrap_or("");
        RegisterKind::ALL
            .into_iter()
            .find(|kind| kind.clauses().contains(&head))
    }

    /// The entry id of number `n`: `R-3`.
    pub fn id(self, number: u32) -> String {
        format!("{}-{number}", self.prefix())
    }

    /// Reads `R-3`, `r3` or `3` as entry number 3 of this register (`NC-3`, `nc3` too).
    pub fn parse_id(self, text: &str) -> Option<u32> {
        let text = text.trim();
        let prefix = self.prefix();
        let digits = match text.get(..prefix.len()) {
            Some(first) if first.eq_ignore_ascii_case(prefix) => {
                text[prefix.len()..].trim_start_matches('-')
            }
            _ => text,
        };
        digits.parse::<u32>().ok().filter(|&n| n > 0)
    }
}

/// Inside or outside the organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Internal,
    External,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Internal, Side::External];

    /// Every code, in the order of `ALL`: the one list a form or a check offers.
    pub const CODES: [&'static str; 2] = {
        let mut codes = [""; 2];
        let mut i = 0;
        while i < 2 {
            codes[i] = Side::ALL[i].code();
            i += 1;
        }
        codes
    };

    pub const fn code(self) -> &'static str {
        match self {
            Side::Internal => "internal",
            Side::External => "external",
        }
    }

    pub fn parse(text: &str) -> Option<Side> {
        match text.trim().to_lowercase().as_str() {
            "internal" | "int" | "i" => Some(Side::Internal),
            "external" | "ext" | "e" => Some(Side::External),
            _ => None,
        }
    }
}

/// Where a context issue sits in a SWOT analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Swot {
    Strength,
    Weakness,
    Opportunity,
    Threat,
}

impl Swot {
    pub const ALL: [Swot; 4] = [
        Swot::Strength,
        Swot::Weakness,
        Swot::Opportunity,
        Swot::Threat,
    ];

    /// Every code, in the order of `ALL`: the one list a form or a check offers.
    pub const CODES: [&'static str; 4] = {
        let mut codes = [""; 4];
        let mut i = 0;
        while i < 4 {
            codes[i] = Swot::ALL[i].code();
            i += 1;
        }
        codes
    };

    pub const fn code(self) -> &'static str {
        match self {
            Swot::Strength => "strength",
            Swot::Weakness => "weakness",
            Swot::Opportunity => "opportunity",
            Swot::Threat => "threat",
        }
    }

    pub fn parse(text: &str) -> Option<Swot> {
        let wanted = text.trim().to_lowercase();
        Swot::ALL
            .into_iter()
            .find(|s| s.code() == wanted || s.code()[..1] == wanted)
    }
}

/// The usual categories: PESTEL outside, the organisation's own make-up inside. Free text is
/// allowed too; these are what the app offers first.
pub const EXTERNAL_CATEGORIES: [&str; 6] = [
    "political",
    "economic",
    "social",
    "technological",
    "environmental",
    "legal",
];
pub const INTERNAL_CATEGORIES: [&str; 5] =
    ["culture", "structure", "resources", "systems", "skills"];

/// How a risk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    Mitigate,
    Accept,
    Avoid,
    Transfer,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [
        Treatment::Mitigate,
        Treatment::Accept,
        Treatment::Avoid,
        Treatment::Transfer,
    ];

    /// Every code, in the order of `ALL`: the one list a form or a check offers.
    pub const CODES: [&'static str; 4] = {
        let mut codes = [""; 4];
        let mut i = 0;
        while i < 4 {
            codes[i] = Treatment::ALL[i].code();
            i += 1;
        }
        codes
    };

    pub const fn code(self) -> &'static str {
        match self {
            Treatment::Mitigate => "mitigate",
            Treatment::Accept => "accept",
            Treatment::Avoid => "avoid",
            Treatment::Transfer => "transfer",
        }
    }

    pub fn parse(text: &str) -> Option<Treatment> {
        let wanted = text.trim().to_lowercase();
        Treatment::ALL.into_iter().find(|t| t.code() == wanted)
    }
}

/// Where an objective stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveStatus {
    #[default]
    Planned,
    InProgress,
    Achieved,
    Missed,
}

impl ObjectiveStatus {
    pub const ALL: [ObjectiveStatus; 4] = [
        ObjectiveStatus::Planned,
        ObjectiveStatus::InProgress,
        ObjectiveStatus::Achieved,
        ObjectiveStatus::Missed,
    ];

    /// Every code, in the order of `ALL`: the one list a form or a check offers.
    pub const CODES: [&'static str; 4] = {
        let mut codes = [""; 4];
        let mut i = 0;
        while i < 4 {
            codes[i] = ObjectiveStatus::ALL[i].code();
            i += 1;
        }
        codes
    };

    pub const fn code(self) -> &'static str {
        match self {
            ObjectiveStatus::Planned => "planned",
            ObjectiveStatus::InProgress => "in_progress",
            ObjectiveStatus::Achieved => "achieved",
            ObjectiveStatus::Missed => "missed",
        }
    }

    pub fn parse(text: &str) -> Option<ObjectiveStatus> {
        let wanted = text.trim().to_lowercase().replace([' ', '-'], "_");
        ObjectiveStatus::ALL
            .into_iter()
            .find(|s| s.code() == wanted)
    }
}

/// The priority of a context issue or interested party, derived from influence and control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    /// Very influential and poorly controlled comes first: the score is influence x (4 - control),
    /// from 1 (influence 1, control 3) to 9 (influence 3, control 1). 6 and above is high, 3 and
    /// 4 medium, 1 and 2 low.
    pub fn of(influence: u8, control: u8) -> Priority {
        match priority_score(influence, control) {
            6.. => Priority::High,
            3.. => Priority::Medium,
            _ => Priority::Low,
        }
    }
}

/// influence x (4 - control): 9 for an issue of high influence the organisation hardly controls.
pub fn priority_score(influence: u8, control: u8) -> u8 {
    influence.clamp(1, 3) * (4 - control.clamp(1, 3))
}

/// The rating of a risk, derived from likelihood x impact (1-25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskRating {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskRating {
    /// 1-4 low, 5-9 medium, 10-16 high, 20-25 critical.
    pub fn of(level: u8) -> RiskRating {
        match level {
            20.. => RiskRating::Critical,
            10.. => RiskRating::High,
            5.. => RiskRating::Medium,
            _ => RiskRating::Low,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RiskRating::Low => "low",
            RiskRating::Medium => "medium",
            RiskRating::High => "high",
            RiskRating::Critical => "critical",
        }
    }
}

/// The highest rating of influence and control (4.1, 4.2): they run from 1 to 3.
pub const INFLUENCE_SCALE: u8 = 3;
/// The highest rating of likelihood and impact (6.1.2), residual ones too: from 1 to 5.
pub const RISK_SCALE: u8 = 5;

fn rating_in(value: u8, low: u8, high: u8, what: &str) -> Result<(), String> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(format!("{what} must be {low} to {high}, not {value}"))
    }
}

fn not_empty(text: &str, what: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// An issue of the organisation's context (4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextIssue {
    /// `C-1`, ... (set by the store; ignored when adding).
    #[serde(default)]
    pub id: String,
    pub title: String,
    pub kind: Side,
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swot: Option<Swot>,
    pub influence: u8,
    pub control: u8,
    #[serde(default)]
    pub owner: String,
    /// Risks this issue gives rise to (free text, e.g. `R-2, R-5`).
    #[serde(default)]
    pub risks: String,
    #[serde(default)]
    pub note: String,
    /// A unique id, the same in every copy of the assessment (issue 18); given by the store.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Default for ContextIssue {
    fn default() -> Self {
        ContextIssue {
            id: String::new(),
            title: String::new(),
            kind: Side::Internal,
            category: String::new(),
            swot: None,
            influence: 2,
            control: 2,
            owner: String::new(),
            risks: String::new(),
            note: String::new(),
            uid: String::new(),
        }
    }
}

impl ContextIssue {
    pub fn priority(&self) -> Priority {
        Priority::of(self.influence, self.control)
    }

    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.title, "the title")?;
        rating_in(self.influence, 1, INFLUENCE_SCALE, "influence")?;
        rating_in(self.control, 1, INFLUENCE_SCALE, "control")
    }
}

/// An interested party (4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterestedParty {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub kind: Side,
    /// Their needs and expectations.
    #[serde(default)]
    pub needs: String,
    /// Which of those needs the ISMS addresses.
    #[serde(default)]
    pub addressed: String,
    pub influence: u8,
    pub control: u8,
    /// Contact person or owner of the relationship.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub note: String,
    /// A unique id, the same in every copy of the assessment (issue 18); given by the store.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Default for InterestedParty {
    fn default() -> Self {
        InterestedParty {
            id: String::new(),
            name: String::new(),
            kind: Side::External,
            needs: String::new(),
            addressed: String::new(),
            influence: 2,
            control: 2,
            contact: String::new(),
            note: String::new(),
            uid: String::new(),
        }
    }
}

impl InterestedParty {
    pub fn priority(&self) -> Priority {
        Priority::of(self.influence, self.control)
    }

    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.name, "the name")?;
        rating_in(self.influence, 1, INFLUENCE_SCALE, "influence")?;
        rating_in(self.control, 1, INFLUENCE_SCALE, "control")
    }
}

/// A risk of the risk assessment (6.1.2, 8.2) and its treatment (6.1.3, 8.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    #[serde(default)]
    pub id: String,
    pub title: String,
    /// The asset or process at risk.
    #[serde(default)]
    pub asset: String,
    #[serde(default)]
    pub threat: String,
    #[serde(default)]
    pub vulnerability: String,
    #[serde(default)]
    pub owner: String,
    pub likelihood: u8,
    pub impact: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<Treatment>,
    /// Annex A controls that treat it (`A.8.8`), in the order given.
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_likelihood: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_impact: Option<u8>,
    /// The day the owner accepted the residual risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
    /// A unique id, the same in every copy of the assessment (issue 18); given by the store.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Default for Risk {
    fn default() -> Self {
        Risk {
            id: String::new(),
            title: String::new(),
            asset: String::new(),
            threat: String::new(),
            vulnerability: String::new(),
            owner: String::new(),
            likelihood: 3,
            impact: 3,
            treatment: None,
            controls: Vec::new(),
            residual_likelihood: None,
            residual_impact: None,
            accepted_on: None,
            note: String::new(),
            uid: String::new(),
        }
    }
}

impl Risk {
    /// likelihood x impact, 1 to 25.
    pub fn level(&self) -> u8 {
        self.likelihood.clamp(1, 5) * self.impact.clamp(1, 5)
    }

    pub fn rating(&self) -> RiskRating {
        RiskRating::of(self.level())
    }

    /// The residual level, once both residual ratings are given.
    pub fn residual_level(&self) -> Option<u8> {
        Some(self.residual_likelihood?.clamp(1, 5) * self.residual_impact?.clamp(1, 5))
    }

    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.title, "the title")?;
        rating_in(self.likelihood, 1, RISK_SCALE, "likelihood")?;
        rating_in(self.impact, 1, RISK_SCALE, "impact")?;
        if let Some(value) = self.residual_likelihood {
            rating_in(value, 1, RISK_SCALE, "residual likelihood")?;
        }
        if let Some(value) = self.residual_impact {
            rating_in(value, 1, RISK_SCALE, "residual impact")?;
        }
        for control in &self.controls {
            if !control.starts_with("A.") {
                return Err(format!(
                    "\"{control}\" is not an Annex A control (they read like A.8.8)"
                ));
            }
        }
        Ok(())
    }

    /// Reads `A.8.8, a.8.13 A.5.1` as control refs, upper-casing the `A`, without duplicates.
    pub fn parse_controls(text: &str) -> Vec<String> {
        let mut controls: Vec<String> = Vec::new();
        for part in text.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
            let part = part.trim();
            let control = match part.strip_prefix(['a', 'A']) {
                Some(rest) if rest.starts_with('.') => format!("A{rest}"),
                _ => part.to_string(),
            };
            if !controls.contains(&control) {
                controls.push(control);
            }
        }
        controls
    }
}

/// An information security objective (6.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    #[serde(default)]
    pub id: String,
    pub objective: String,
    /// The measure or indicator.
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub resources: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// How results are evaluated.
    #[serde(default)]
    pub evaluation: String,
    #[serde(default)]
    pub status: ObjectiveStatus,
    /// The day top management last reviewed how the objective is going (it monitors objectives
    /// regularly; 6.2, 9.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
    /// A unique id, the same in every copy of the assessment (issue 18); given by the store.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Objective {
    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.objective, "the objective")
    }
}

/// The four registers of one assessment, each in priority order where there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registers {
    pub context: Vec<ContextIssue>,
    pub parties: Vec<InterestedParty>,
    pub risks: Vec<Risk>,
    pub objectives: Vec<Objective>,
    /// The audit records (issue 30), by date (audits, reviews) or number.
    pub audits: Vec<Audit>,
    pub findings: Vec<Finding>,
    pub nonconformities: Vec<Nonconformity>,
    pub reviews: Vec<ManagementReview>,
}

/// The number inside an id (`R-12` -> 12), for ordering by creation.
pub fn number_of(id: &str) -> u32 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

impl Registers {
    /// Puts every register in its order: context issues and parties by priority (score, then
    /// influence, then oldest first), risks by level (then impact, then oldest first),
    /// objectives by due date (undated last), then oldest first.
    pub fn sort(&mut self) {
        sort_by_priority(&mut self.context, |c| (c.influence, c.control, &c.id));
        sort_by_priority(&mut self.parties, |p| (p.influence, p.control, &p.id));
        self.risks.sort_by(|a, b| {
            b.level()
                .cmp(&a.level())
                .then(b.impact.cmp(&a.impact))
                .then(number_of(&a.id).cmp(&number_of(&b.id)))
        });
        self.objectives.sort_by(|a, b| {
            (a.due.is_none(), a.due, number_of(&a.id)).cmp(&(
                b.due.is_none(),
                b.due,
                number_of(&b.id),
            ))
        });
        self.audits.sort_by_key(|a| (a.date, number_of(&a.id)));
        self.findings.sort_by_key(|f| number_of(&f.id));
        self.nonconformities.sort_by_key(|n| number_of(&n.id));
        self.reviews.sort_by_key(|r| (r.date, number_of(&r.id)));
    }

    pub fn count(&self, kind: RegisterKind) -> usize {
        match kind {
            RegisterKind::Context => self.context.len(),
            RegisterKind::Parties => self.parties.len(),
            RegisterKind::Risks => self.risks.len(),
            RegisterKind::Objectives => self.objectives.len(),
            RegisterKind::Audits => self.audits.len(),
            RegisterKind::Findings => self.findings.len(),
            RegisterKind::Nonconformities => self.nonconformities.len(),
            RegisterKind::Reviews => self.reviews.len(),
        }
    }

    /// Whether the four registers of `ALL` are empty (the audit records aside).
    pub fn is_empty(&self) -> bool {
        RegisterKind::ALL
            .into_iter()
            .all(|kind| self.count(kind) == 0)
    }

    /// Which risks link to each control ref.
    pub fn risk_links(&self) -> RiskLinks {
        RiskLinks::of(&self.risks)
    }
}

fn sort_by_priority<T>(entries: &mut [T], key: impl Fn(&T) -> (u8, u8, &String)) {
    entries.sort_by(|a, b| {
        let (ia, ca, ida) = key(a);
        let (ib, cb, idb) = key(b);
        priority_score(ib, cb)
            .cmp(&priority_score(ia, ca))
            .then(ib.cmp(&ia))
            .then(number_of(ida).cmp(&number_of(idb)))
    });
}

/// For each Annex A control ref, the ids of the risks linked to it (in risk number order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskLinks {
    by_control: BTreeMap<String, Vec<String>>,
}

impl RiskLinks {
    pub fn of(risks: &[Risk]) -> RiskLinks {
        let mut ordered: Vec<&Risk> = risks.iter().collect();
        ordered.sort_by_key(|r| number_of(&r.id));
        let mut by_control: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for risk in ordered {
            for control in &risk.controls {
                let ids = by_control.entry(control.clone()).or_default();
                if !ids.contains(&risk.id) {
                    ids.push(risk.id.clone());
                }
            }
        }
        RiskLinks { by_control }
    }

    /// The risk ids linked to `control` (empty when none).
    pub fn risks_of(&self, control: &str) -> &[String] {
        self.by_control.get(control).map_or(&[], Vec::as_slice)
    }

    pub fn is_linked(&self, control: &str) -> bool {
        !self.risks_of(control).is_empty()
    }

    /// A control's reasons as the SoA shows them: the ones the user ticked, plus risk treatment
    /// while a risk links to it. The automatic reason is never stored, so removing the last link
    /// removes it, and never a reason the user ticked.
    pub fn reasons(&self, control: &str, answer: &Answer) -> Vec<ReasonCode> {
        let mut reasons = answer.reasons.clone();
        if self.is_linked(control) && !reasons.contains(&ReasonCode::RiskTreatment) {
            reasons.push(ReasonCode::RiskTreatment);
            reasons.sort();
        }
        reasons
    }
}

/// The cells of an influence x control matrix (3x3): `cells[influence - 1][control - 1]` holds
/// the ids of the entries rated so.
pub fn influence_matrix<'a>(
    entries: impl Iterator<Item = (u8, u8, &'a str)>,
) -> [[Vec<&'a str>; 3]; 3] {
    let mut cells: [[Vec<&str>; 3]; 3] = Default::default();
    for (influence, control, id) in entries {
        let (i, c) = (influence.clamp(1, 3) - 1, control.clamp(1, 3) - 1);
        cells[i as usize][c as usize].push(id);
    }
    cells
}

/// The cells of the likelihood x impact heat map (5x5): `cells[likelihood - 1][impact - 1]`.
pub fn risk_matrix(risks: &[Risk]) -> [[Vec<&str>; 5]; 5] {
    let mut cells: [[Vec<&str>; 5]; 5] = Default::default();
    for risk in risks {
        let (l, i) = (risk.likelihood.clamp(1, 5) - 1, risk.impact.clamp(1, 5) - 1);
        cells[l as usize][i as usize].push(risk.id.as_str());
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(id: &str, influence: u8, control: u8) -> ContextIssue {
        ContextIssue {
            id: id.into(),
            title: id.into(),
            influence,
            control,
            ..ContextIssue::default()
        }
    }

    #[test]
    fn high_influence_and_low_control_is_the_highest_priority() {
        assert_eq!(priority_score(3, 1), 9);
        assert_eq!(priority_score(1, 3), 1);
        assert_eq!(Priority::of(3, 1), Priority::High);
        assert_eq!(Priority::of(2, 2), Priority::Medium);
        assert_eq!(Priority::of(3, 3), Priority::Medium);
        assert_eq!(Priority::of(1, 2), Priority::Low);
        assert_eq!(Priority::of(2, 1), Priority::High);
    }

    #[test]
    fn context_issues_are_sorted_by_priority_then_influence_then_age() {
        let mut registers = Registers {
            context: vec![
                issue("C-1", 1, 3),
                issue("C-2", 2, 2),
                issue("C-3", 3, 1),
                issue("C-4", 2, 1),
                issue("C-5", 3, 2),
                issue("C-6", 3, 1),
            ],
            ..Registers::default()
        };
        registers.sort();
        let ids: Vec<&str> = registers.context.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["C-3", "C-6", "C-5", "C-4", "C-2", "C-1"]);
    }

    #[test]
    fn risk_level_is_likelihood_times_impact_and_rated() {
        let risk = |l, i| Risk {
            likelihood: l,
            impact: i,
            ..Risk::default()
        };
        assert_eq!(risk(4, 5).level(), 20);
        assert_eq!(risk(4, 5).rating(), RiskRating::Critical);
        assert_eq!(risk(3, 4).rating(), RiskRating::High);
        assert_eq!(risk(3, 3).rating(), RiskRating::Medium);
        assert_eq!(risk(2, 2).rating(), RiskRating::Low);
        assert_eq!(risk(1, 1).level(), 1);
        assert!(risk(6, 1).check().is_err());
        assert!(
            Risk {
                title: "x".into(),
                ..risk(5, 5)
            }
            .check()
            .is_ok()
        );
    }

    #[test]
    fn ids_read_with_or_without_their_prefix() {
        assert_eq!(RegisterKind::Risks.parse_id("R-12"), Some(12));
        assert_eq!(RegisterKind::Risks.parse_id("r3"), Some(3));
        assert_eq!(RegisterKind::Risks.parse_id("7"), Some(7));
        assert_eq!(RegisterKind::Risks.parse_id("C-7"), None);
        assert_eq!(RegisterKind::Risks.parse_id("R-0"), None);
        assert_eq!(
            RegisterKind::for_reference("6.1.2 c)"),
            Some(RegisterKind::Risks)
        );
        assert_eq!(
            RegisterKind::for_reference("4.1"),
            Some(RegisterKind::Context)
        );
        assert_eq!(RegisterKind::for_reference("4.3"), None);
    }

    #[test]
    fn a_linked_risk_adds_risk_treatment_and_unlinking_keeps_ticked_reasons() {
        let mut risk = Risk {
            id: "R-1".into(),
            title: "Unpatched servers".into(),
            controls: Risk::parse_controls("a.8.8, A.8.13"),
            ..Risk::default()
        };
        assert_eq!(risk.controls, ["A.8.8", "A.8.13"]);
        let ticked = Answer {
            reasons: vec![ReasonCode::LegalRegulatory],
            ..Answer::default()
        };
        let links = RiskLinks::of(std::slice::from_ref(&risk));
        assert_eq!(links.risks_of("A.8.8"), ["R-1"]);
        assert_eq!(
            links.reasons("A.8.8", &ticked),
            [ReasonCode::RiskTreatment, ReasonCode::LegalRegulatory]
        );
        risk.controls.clear();
        let links = RiskLinks::of(std::slice::from_ref(&risk));
        assert_eq!(
            links.reasons("A.8.8", &ticked),
            [ReasonCode::LegalRegulatory]
        );
        let user_ticked_risk = Answer {
            reasons: vec![ReasonCode::RiskTreatment],
            ..Answer::default()
        };
        assert_eq!(
            links.reasons("A.8.8", &user_ticked_risk),
            [ReasonCode::RiskTreatment]
        );
    }
}
