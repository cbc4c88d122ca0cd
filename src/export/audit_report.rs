//! The audit report (issue 30): one audit, its scope, its findings by type and its conclusion,
//! as one value every format (HTML, DOCX, Markdown) is written from, like `Report` for the
//! readiness report. `AuditReport::outline` is the section list all three follow.

use super::report::{CONFIDENTIALITY, Section, day};
use crate::model::action::Action;
use crate::model::audit::{
    self as records, Audit, AuditStatus, AuditType, Finding, FindingType, ManagementReview,
    NcSource, NcStatus, Nonconformity,
};
use crate::model::count::{counted, counted_as};
use crate::model::registers::Registers;
use crate::model::{Assessment, Questionnaire};
use chrono::NaiveDate;

/// A ref of the audit's scope or of a finding, with its title from the questionnaire
/// ("A.5" Organizational controls, "6.1.2" Information security risk assessment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefRow {
    pub reference: String,
    /// "" when the questionnaire has no such ref (kept as typed).
    pub title: String,
}

impl RefRow {
    /// `reference` with its title from `questionnaire`: a clause or Annex A group, a sub-clause
    /// section, or an item's own ref (its first item when several share it).
    pub fn of(questionnaire: &Questionnaire, reference: &str) -> RefRow {
        let reference = reference.trim();
        let title = questionnaire
            .groups()
            .iter()
            .find(|group| group.id == reference)
            .map(|group| group.title.to_string())
            .or_else(|| questionnaire.section(reference).map(|s| s.title.clone()))
            .or_else(|| {
                questionnaire
                    .items
                    .iter()
                    .find(|item| item.reference == reference || item.section() == reference)
                    .map(|item| item.title.clone())
            })
            .unwrap_or_default();
        RefRow {
            reference: reference.to_string(),
            title,
        }
    }

    /// "6.1.2 Information security risk assessment", or the ref alone.
    pub fn line(&self) -> String {
        if self.title.is_empty() {
            self.reference.clone()
        } else {
            format!("{} {}", self.reference, self.title)
        }
    }
}

/// The five kinds of finding, in the order the report gives them: (type, heading, one, many).
pub const FINDING_TYPES: [(FindingType, &str, &str, &str); 5] = [
    (
        FindingType::Major,
        "Major nonconformities",
        "major nonconformity",
        "major nonconformities",
    ),
    (
        FindingType::Minor,
        "Minor nonconformities",
        "minor nonconformity",
        "minor nonconformities",
    ),
    (
        FindingType::Observation,
        "Observations",
        "observation",
        "observations",
    ),
    (
        FindingType::Improvement,
        "Opportunities for improvement",
        "opportunity for improvement",
        "opportunities for improvement",
    ),
    (
        FindingType::Conformity,
        "Conformities",
        "conformity",
        "conformities",
    ),
];

/// The nonconformity a finding opened, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcLine {
    pub id: String,
    /// "major" or "minor".
    pub classification: String,
    /// In words: "open", "corrective action in progress", "closed"...
    pub status: String,
    pub due: Option<NaiveDate>,
}

impl NcLine {
    /// "NC-1 (major), open, due 2026-04-30".
    pub fn text(&self) -> String {
        let due = match self.due {
            Some(due) => format!(", due {}", day(Some(due))),
            None => String::new(),
        };
        format!(
            "{} ({}), {}{due}",
            self.id, self.classification, self.status
        )
    }
}

/// One finding of the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub id: String,
    pub kind: FindingType,
    pub items: Vec<RefRow>,
    pub statement: String,
    pub evidence: String,
    pub auditee: String,
    pub note: String,
    /// The nonconformity it opened (a major or minor finding), if any.
    pub nc: Option<NcLine>,
}

impl FindingRow {
    /// The finding's facts, label and text, as every format lists them under its heading
    /// (a missing one is "not recorded", the nonconformity line only for a major or minor one).
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let or_none = |text: &str| {
            if text.trim().is_empty() {
                "not recorded".to_string()
            } else {
                text.trim().to_string()
            }
        };
        let mut out = vec![
            (
                "Items",
                self.items
                    .iter()
                    .map(RefRow::line)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ("Statement", or_none(&self.statement)),
            ("Evidence sampled", or_none(&self.evidence)),
            ("Auditee", or_none(&self.auditee)),
        ];
        if !self.note.trim().is_empty() {
            out.push(("Note", self.note.trim().to_string()));
        }
        if matches!(self.kind, FindingType::Major | FindingType::Minor) {
            out.push((
                "Nonconformity",
                self.nc
                    .as_ref()
                    .map_or_else(|| "none opened".to_string(), NcLine::text),
            ));
        }
        out
    }

    /// The heading of the finding: "F-3: 6.1.2 Information security risk assessment" (its
    /// first item; "and 2 more" when it has more).
    pub fn heading(&self) -> String {
        let first = self.items.first().map_or_else(String::new, RefRow::line);
        match self.items.len() {
            0 => self.id.clone(),
            1 => format!("{}: {first}", self.id),
            n => format!("{}: {first} and {} more", self.id, n - 1),
        }
    }
}

/// The audit itself, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditHead {
    pub id: String,
    pub title: String,
    /// In words: "internal audit", "certification stage 2 audit"...
    pub kind: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// As recorded, one auditor a line, independence noted ("Kim Roe (independent)").
    pub auditors: Vec<String>,
    pub criteria: String,
    /// In words: "planned", "in progress", "done".
    pub status: String,
    pub note: String,
}

/// Everything the audit report shows, for one audit on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditReport {
    /// The day the report was made.
    pub date: NaiveDate,
    pub assessment: Assessment,
    pub standard_id: String,
    pub standard_title: String,
    pub audit: AuditHead,
    /// The audit's scope, ref by ref, as recorded.
    pub scope: Vec<RefRow>,
    /// Its findings, in the order they were recorded.
    pub findings: Vec<FindingRow>,
}

impl AuditReport {
    /// The cover's facts, label and plain text, as every format prints them.
    pub fn cover(&self) -> Vec<(&'static str, Vec<String>)> {
        let or_none = |text: &str| {
            if text.trim().is_empty() {
                vec!["not recorded".to_string()]
            } else {
                vec![text.trim().to_string()]
            }
        };
        let a = &self.audit;
        let dates = match (a.start, a.end) {
            (Some(start), Some(end)) if end != start => {
                format!("{} to {}", day(Some(start)), day(Some(end)))
            }
            (Some(start), _) => day(Some(start)),
            (None, _) => "not recorded".to_string(),
        };
        let auditors = if a.auditors.iter().all(|l| l.trim().is_empty()) {
            vec!["not recorded".to_string()]
        } else {
            a.auditors
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        };
        let prepared_by: Vec<String> = [&self.assessment.assessor, &self.assessment.firm]
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        vec![
            ("Audit", vec![format!("{}: {}", a.id, a.title.trim())]),
            ("Type", vec![a.kind.clone()]),
            ("Dates", vec![dates]),
            ("Status", vec![a.status.clone()]),
            ("Auditors", auditors),
            ("Organisation", vec![self.assessment.name.clone()]),
            ("ISMS scope", or_none(&self.assessment.scope)),
            ("Audit criteria", or_none(&a.criteria)),
            (
                "Standard",
                vec![format!("{} ({})", self.standard_title, self.standard_id)],
            ),
            (
                "Prepared by",
                if prepared_by.is_empty() {
                    vec!["not recorded".to_string()]
                } else {
                    prepared_by
                },
            ),
            (
                "Version",
                vec![format!(
                    "{}, from isms-ready {}",
                    day(Some(self.date)),
                    env!("CARGO_PKG_VERSION")
                )],
            ),
            ("Classification", vec![CONFIDENTIALITY.to_string()]),
        ]
    }

    /// The report's title: "Audit report: AUD-1 Internal audit 2026".
    pub fn title(&self) -> String {
        format!(
            "Audit report: {} {}",
            self.audit.id,
            self.audit.title.trim()
        )
    }

    /// The sections, in the order every format writes them.
    pub fn outline(&self) -> Vec<Section> {
        vec![
            Section {
                id: "audit-scope",
                title: "Audit scope".into(),
            },
            Section {
                id: "audit-findings",
                title: "Findings by type".into(),
            },
            Section {
                id: "audit-conclusion",
                title: "Conclusion".into(),
            },
        ]
    }

    /// The findings by type, in the order of `FINDING_TYPES`: (heading, findings), every type
    /// listed (an empty one says so).
    pub fn by_type(&self) -> Vec<(&'static str, Vec<&FindingRow>)> {
        FINDING_TYPES
            .iter()
            .map(|(kind, heading, _, _)| {
                (
                    *heading,
                    self.findings.iter().filter(|f| f.kind == *kind).collect(),
                )
            })
            .collect()
    }

    /// The conclusion, sentence by sentence: the counts by type, then whether a major
    /// nonconformity was found (and which), then the nonconformities opened and their status.
    pub fn conclusion(&self) -> Vec<String> {
        let count = |kind: FindingType| self.findings.iter().filter(|f| f.kind == kind).count();
        let mut out = Vec::new();
        if self.findings.is_empty() {
            out.push("No finding was recorded in this audit.".to_string());
        } else {
            let counts: Vec<String> = FINDING_TYPES
                .iter()
                .map(|(kind, _, one, many)| {
                    let n = count(*kind);
                    format!("{n} {}", if n == 1 { one } else { many })
                })
                .collect();
            out.push(format!(
                "{} recorded: {}.",
                counted(self.findings.len(), "finding"),
                counts.join(", ")
            ));
        }
        let majors: Vec<&FindingRow> = self
            .findings
            .iter()
            .filter(|f| f.kind == FindingType::Major)
            .collect();
        if majors.is_empty() {
            out.push("No major nonconformity was found.".to_string());
        } else {
            let list: Vec<String> = majors.iter().map(|f| f.heading()).collect();
            out.push(format!(
                "{} found: {}.",
                if majors.len() == 1 {
                    "One major nonconformity was".to_string()
                } else {
                    format!("{} major nonconformities were", majors.len())
                },
                list.join("; ")
            ));
        }
        let ncs: Vec<String> = self
            .findings
            .iter()
            .filter_map(|f| f.nc.as_ref())
            .map(NcLine::text)
            .collect();
        if !ncs.is_empty() {
            out.push(format!("Nonconformities opened: {}.", ncs.join("; ")));
        }
        out
    }
}

// ----- The readiness report's audit sections (issue 30): the programme, the open
// nonconformities, the last management review -----

/// One audit as the programme lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeAudit {
    pub id: String,
    pub title: String,
    /// In words: "internal audit"...
    pub kind: String,
    /// "2026-03-02" or "2026-03-02 to 2026-03-04".
    pub dates: String,
    pub status: String,
    /// Its scope as recorded, compacted: "4, 5, 6.1, A.5".
    pub scope: String,
    /// Its findings by type, as counts in `FINDING_TYPES` order.
    pub findings: [usize; 5],
}

impl ProgrammeAudit {
    /// "1 major nonconformity, 2 conformities": each type found, in the report's order, or
    /// "none".
    pub fn findings_words(&self) -> String {
        let words: Vec<String> = FINDING_TYPES
            .iter()
            .zip(self.findings)
            .filter(|(_, n)| *n > 0)
            .map(|((_, _, one, many), n)| format!("{n} {}", if n == 1 { one } else { many }))
            .collect();
        if words.is_empty() {
            "none".to_string()
        } else {
            words.join(", ")
        }
    }
}

/// A clause (4 to 10) or an Annex A group, and the audits that covered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub reference: String,
    pub title: String,
    /// The last day an audit covering it was held (its end, else its start), if any.
    pub last: Option<NaiveDate>,
    /// The audits that covered it, oldest first.
    pub audits: Vec<String>,
    /// Not covered by an audit held in the 12 months before the report's day (9.2.2).
    pub due: bool,
}

/// One nonconformity as the readiness report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcRow {
    pub id: String,
    /// "major" or "minor".
    pub classification: String,
    /// Where it came from: "audit: F-3 in AUD-1", "incident"...
    pub source: String,
    pub raised_on: Option<NaiveDate>,
    pub description: String,
    /// In words: "open", "corrective action in progress"...
    pub status: String,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// Its corrective actions with their status: "#2 done, #4 open" ("none" when none).
    pub actions: String,
}

/// One input of the management review (9.3.2) and what was presented on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    /// "a", "b", ... "d 1"...
    pub letter: String,
    pub label: String,
    /// What was presented ("" when the input was not covered).
    pub presented: String,
}

/// The last management review held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSummary {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub attendees: String,
    pub inputs: Vec<ReviewInput>,
    pub decisions: String,
    /// The actions it raised, "#3, #5" ("none" when none).
    pub actions: String,
}

impl ReviewSummary {
    /// The inputs not covered, by letter: "c, g".
    pub fn missing(&self) -> Vec<&ReviewInput> {
        self.inputs
            .iter()
            .filter(|input| input.presented.trim().is_empty())
            .collect()
    }
}

/// What the readiness report shows of the audits, nonconformities and reviews (empty: nothing
/// recorded, and the three sections are left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditSections {
    /// Every audit, by date.
    pub audits: Vec<ProgrammeAudit>,
    /// Every clause 4 to 10 and Annex A group, with the audits that covered it.
    pub coverage: Vec<CoverageRow>,
    /// The nonconformities not closed, oldest first.
    pub open_ncs: Vec<NcRow>,
    /// How many nonconformities are recorded in all (closed ones included).
    pub nc_count: usize,
    /// The last management review, if one is recorded.
    pub review: Option<ReviewSummary>,
    /// How many reviews are recorded.
    pub review_count: usize,
}

impl AuditSections {
    /// The clauses and groups no audit covered in the last 12 months.
    pub fn not_audited(&self) -> Vec<&CoverageRow> {
        self.coverage.iter().filter(|row| row.due).collect()
    }

    /// The programme's sentence under its table: what was not audited in the last 12 months.
    pub fn not_audited_line(&self) -> String {
        let due = self.not_audited();
        if due.is_empty() {
            "Every clause 4 to 10 and Annex A group was covered by an audit in the last 12 months."
                .to_string()
        } else {
            let refs: Vec<&str> = due.iter().map(|r| r.reference.as_str()).collect();
            format!(
                "Not audited in the last 12 months (9.2.2): {}.",
                refs.join(", ")
            )
        }
    }

    /// The sentence over the nonconformities table.
    pub fn nc_line(&self) -> String {
        let closed = self.nc_count - self.open_ncs.len();
        if self.open_ncs.is_empty() {
            format!(
                "No nonconformity is open; {} closed.",
                counted_as(closed, "nonconformity", "nonconformities")
            )
        } else {
            format!(
                "{} open of {} recorded ({} closed).",
                self.open_ncs.len(),
                self.nc_count,
                closed
            )
        }
    }

    /// The sentence under the review's heading: its date, then what it did not cover.
    pub fn review_line(&self) -> String {
        let Some(review) = &self.review else {
            return String::new();
        };
        let when = match review.date {
            Some(date) => format!("{} held on {}", review.id, day(Some(date))),
            None => format!("{} (no date recorded)", review.id),
        };
        let missing = review.missing();
        if missing.is_empty() {
            format!("{when}; every input of 9.3.2 was covered.")
        } else {
            let letters: Vec<&str> = missing.iter().map(|i| i.letter.as_str()).collect();
            format!("{when}; inputs not covered: {}.", letters.join(", "))
        }
    }
}

// ----- From the records (issue 30's model) to the reports' rows -----

/// An audit's type in words, as the reports name it.
pub fn audit_type_words(kind: AuditType) -> &'static str {
    match kind {
        AuditType::Internal => "internal audit",
        // Its code reads as words already (and is written out once, in the model).
        AuditType::PreAudit => AuditType::PreAudit.code(),
        AuditType::Stage1 => "certification stage 1 audit",
        AuditType::Stage2 => "certification stage 2 audit",
        AuditType::Surveillance => "surveillance audit",
    }
}

/// An audit's status in words.
pub fn audit_status_words(status: AuditStatus) -> &'static str {
    match status {
        AuditStatus::Planned => "planned",
        AuditStatus::InProgress => "in progress",
        AuditStatus::Done => "done",
    }
}

/// A nonconformity's status in words.
pub fn nc_status_words(status: NcStatus) -> &'static str {
    match status {
        NcStatus::Open => "open",
        NcStatus::CorrectionDone => "correction done",
        NcStatus::ActionInProgress => "corrective action in progress",
        NcStatus::VerifiedEffective => "verified effective",
        NcStatus::Closed => "closed",
        NcStatus::Reopened => "reopened (not effective)",
    }
}

/// Where a nonconformity came from, in words: "audit: F-3 in AUD-1", "incident".
fn nc_source_words(nc: &Nonconformity, findings: &[Finding]) -> String {
    if !nc.finding.is_empty() {
        return match findings.iter().find(|f| f.id == nc.finding) {
            Some(f) => format!("audit: {} in {}", f.id, f.audit),
            None => format!("audit: {}", nc.finding),
        };
    }
    match nc.source {
        NcSource::ManagementReview => "management review".to_string(),
        other => other.code().to_string(),
    }
}

/// An audit's dates: "2026-03-02", or "2026-03-02 to 2026-03-04".
fn audit_dates(audit: &Audit) -> String {
    match (audit.date, audit.end_date) {
        (Some(start), Some(end)) if end != start => {
            format!("{} to {}", day(Some(start)), day(Some(end)))
        }
        (Some(start), _) => day(Some(start)),
        (None, _) => String::new(),
    }
}

/// The auditors as recorded, one a line (split at `;` or a line break; a comma may be inside a
/// name: "Roe, Kim").
fn auditor_lines(auditors: &str) -> Vec<String> {
    auditors
        .split([';', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn nc_line(nc: &Nonconformity) -> NcLine {
    NcLine {
        id: nc.id.clone(),
        classification: nc.classification.code().to_string(),
        status: nc_status_words(nc.status).to_string(),
        due: nc.due,
    }
}

/// A nonconformity's corrective actions with their status: "ACT-2 (done), ACT-4 (to do)".
fn nc_actions(nc: &Nonconformity, actions: &[Action]) -> String {
    if nc.actions.is_empty() {
        return "none".to_string();
    }
    nc.actions
        .iter()
        .map(|id| {
            let status = records::action_number(id)
                .and_then(|n| actions.iter().find(|a| a.number == n))
                .map(|a| a.status.label());
            match status {
                Some(status) => format!("{id} ({status})"),
                None => id.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl AuditReport {
    /// The report of `audit`, with its findings and the nonconformities they opened, from the
    /// assessment's records.
    pub fn build(
        assessment: &Assessment,
        questionnaire: &Questionnaire,
        audit: &Audit,
        registers: &Registers,
        today: NaiveDate,
    ) -> AuditReport {
        let refs = |list: &[String]| {
            list.iter()
                .map(|r| RefRow::of(questionnaire, r))
                .collect::<Vec<_>>()
        };
        let findings = registers
            .findings
            .iter()
            .filter(|f| f.audit == audit.id)
            .map(|f| FindingRow {
                id: f.id.clone(),
                kind: f.kind,
                items: refs(&f.items),
                statement: f.statement.clone(),
                evidence: f.evidence.clone(),
                auditee: f.auditee.clone(),
                note: f.note.clone(),
                nc: registers
                    .nonconformities
                    .iter()
                    .find(|nc| !f.id.is_empty() && nc.finding == f.id)
                    .map(nc_line),
            })
            .collect();
        AuditReport {
            date: today,
            assessment: assessment.clone(),
            standard_id: questionnaire.id.clone(),
            standard_title: questionnaire.title.clone(),
            audit: AuditHead {
                id: audit.id.clone(),
                title: audit.title.clone(),
                kind: audit_type_words(audit.kind).to_string(),
                start: audit.date,
                end: audit.end_date,
                auditors: auditor_lines(&audit.auditors),
                criteria: audit.criteria.clone(),
                status: audit_status_words(audit.status).to_string(),
                note: audit.note.clone(),
            },
            scope: refs(&audit.scope),
            findings,
        }
    }
}

impl AuditSections {
    /// The readiness report's audit sections from the assessment's records: the programme and
    /// its coverage over the 12 months before `today`, the nonconformities not closed (with
    /// their actions' status from `actions`), the last management review.
    pub fn build(
        questionnaire: &Questionnaire,
        registers: &Registers,
        actions: &[Action],
        today: NaiveDate,
    ) -> AuditSections {
        let programme = records::programme(questionnaire, &registers.audits, today);
        let audits = programme
            .audits
            .iter()
            .filter_map(|row| registers.audits.iter().find(|a| a.id == row.id))
            .map(|audit| {
                let mut findings = [0; 5];
                for f in registers.findings.iter().filter(|f| f.audit == audit.id) {
                    if let Some(i) = FINDING_TYPES.iter().position(|t| t.0 == f.kind) {
                        findings[i] += 1;
                    }
                }
                ProgrammeAudit {
                    id: audit.id.clone(),
                    title: audit.title.clone(),
                    kind: audit_type_words(audit.kind).to_string(),
                    dates: audit_dates(audit),
                    status: audit_status_words(audit.status).to_string(),
                    scope: audit.scope.join(", "),
                    findings,
                }
            })
            .collect();
        let groups = questionnaire.groups();
        let coverage = records::all_areas(questionnaire)
            .into_iter()
            .map(|area| {
                let covering: Vec<&crate::model::audit::ProgrammeRow> = programme
                    .audits
                    .iter()
                    .filter(|row| row.status == AuditStatus::Done && row.covered.contains(&area))
                    .collect();
                let last = covering
                    .iter()
                    .filter_map(|row| registers.audits.iter().find(|a| a.id == row.id))
                    .filter_map(Audit::last_day)
                    .filter(|d| *d <= today)
                    .max();
                let due = programme.clauses_not_audited.contains(&area)
                    || programme.groups_not_audited.contains(&area);
                CoverageRow {
                    title: groups
                        .iter()
                        .find(|g| g.id == area)
                        .map_or_else(String::new, |g| g.title.to_string()),
                    reference: area,
                    last,
                    audits: covering.iter().map(|row| row.id.clone()).collect(),
                    due,
                }
            })
            .collect();
        let mut open: Vec<&Nonconformity> = registers
            .nonconformities
            .iter()
            .filter(|nc| nc.status.is_open())
            .collect();
        open.sort_by_key(|nc| (nc.raised_on, crate::model::registers::number_of(&nc.id)));
        let open_ncs = open
            .into_iter()
            .map(|nc| NcRow {
                id: nc.id.clone(),
                classification: nc.classification.code().to_string(),
                source: nc_source_words(nc, &registers.findings),
                raised_on: nc.raised_on,
                description: nc.description.clone(),
                status: nc_status_words(nc.status).to_string(),
                due: nc.due,
                overdue: nc.due.is_some_and(|due| due < today),
                actions: nc_actions(nc, actions),
            })
            .collect();
        let edition_2013 = records::is_2013(questionnaire);
        let review = registers
            .reviews
            .iter()
            .max_by_key(|r| (r.date, crate::model::registers::number_of(&r.id)))
            .map(|r: &ManagementReview| ReviewSummary {
                id: r.id.clone(),
                date: r.date,
                attendees: r.attendees.clone(),
                inputs: records::review_inputs(edition_2013)
                    .iter()
                    .map(|(letter, label)| ReviewInput {
                        letter: letter.to_string(),
                        label: label.to_string(),
                        presented: r.input(letter).cloned().unwrap_or_default(),
                    })
                    .collect(),
                decisions: r.outputs.clone(),
                actions: if r.actions.is_empty() {
                    "none".to_string()
                } else {
                    r.actions.join(", ")
                },
            });
        AuditSections {
            audits,
            coverage,
            open_ncs,
            nc_count: registers.nonconformities.len(),
            review,
            review_count: registers.reviews.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, kind: FindingType, nc: Option<NcLine>) -> FindingRow {
        FindingRow {
            id: id.into(),
            kind,
            items: vec![RefRow {
                reference: "6.1.2".into(),
                title: "Information security risk assessment".into(),
            }],
            statement: "s".into(),
            evidence: String::new(),
            auditee: String::new(),
            note: String::new(),
            nc,
        }
    }

    fn report(findings: Vec<FindingRow>) -> AuditReport {
        AuditReport {
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            assessment: Assessment {
                id: 1,
                name: "Nordwind".into(),
                questionnaire_id: "iso27001-2022".into(),
                scope: String::new(),
                assessor: String::new(),
                firm: String::new(),
                created_at: String::new(),
            },
            standard_id: "iso27001-2022".into(),
            standard_title: "ISO/IEC 27001:2022".into(),
            audit: AuditHead {
                id: "AUD-1".into(),
                ..AuditHead::default()
            },
            scope: Vec::new(),
            findings,
        }
    }

    #[test]
    fn the_conclusion_counts_every_type_and_names_the_major_ones() {
        let nc = NcLine {
            id: "NC-1".into(),
            classification: "major".into(),
            status: "open".into(),
            due: NaiveDate::from_ymd_opt(2026, 4, 30),
        };
        let r = report(vec![
            finding("F-1", FindingType::Conformity, None),
            finding("F-2", FindingType::Major, Some(nc)),
            finding("F-3", FindingType::Observation, None),
        ]);
        assert_eq!(
            r.conclusion(),
            vec![
                "3 findings recorded: 1 major nonconformity, 0 minor nonconformities, 1 observation, \
                 0 opportunities for improvement, 1 conformity."
                    .to_string(),
                "One major nonconformity was found: F-2: 6.1.2 Information security risk assessment."
                    .to_string(),
                "Nonconformities opened: NC-1 (major), open, due 2026-04-30.".to_string(),
            ]
        );
        let clean = report(vec![finding("F-1", FindingType::Conformity, None)]);
        assert_eq!(clean.conclusion()[1], "No major nonconformity was found.");
        assert_eq!(
            report(Vec::new()).conclusion()[0],
            "No finding was recorded in this audit."
        );
    }

    #[test]
    fn findings_come_by_type_in_the_report_order_and_only_nonconformities_name_an_nc() {
        let r = report(vec![
            finding("F-1", FindingType::Conformity, None),
            finding("F-2", FindingType::Minor, None),
        ]);
        let by_type = r.by_type();
        assert_eq!(by_type.len(), 5);
        assert_eq!(by_type[1].0, "Minor nonconformities");
        assert_eq!(by_type[1].1[0].id, "F-2");
        assert_eq!(by_type[4].1[0].id, "F-1");
        let minor = by_type[1].1[0].facts();
        assert_eq!(
            minor.last().unwrap(),
            &("Nonconformity", "none opened".into())
        );
        assert!(
            !by_type[4].1[0]
                .facts()
                .iter()
                .any(|(label, _)| *label == "Nonconformity")
        );
    }

    #[test]
    fn with_every_nonconformity_closed_the_section_says_so_in_one_line() {
        let closed = AuditSections {
            nc_count: 2,
            ..AuditSections::default()
        };
        assert_eq!(
            closed.nc_line(),
            "No nonconformity is open; 2 nonconformities closed."
        );
        let one = AuditSections {
            nc_count: 1,
            ..AuditSections::default()
        };
        assert_eq!(
            one.nc_line(),
            "No nonconformity is open; 1 nonconformity closed."
        );
    }
}
