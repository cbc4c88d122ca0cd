//! Our audits' findings as CISO Assistant findings: one findings assessment ("follow-up") per
//! audit that has findings, imported from `findings-AUD-n.xlsx` (its Data wizard model
//! "FindingsAssessment", `clica import-findings-assessments`). The import reads `ref_id`, `name`,
//! `description`, `severity`, `status`, `priority`, `due_date`, `observation` and
//! `filtering_labels` (its `backend/data_wizard/views.py`, `FindingsAssessmentRecordConsumer`);
//! it has no column for owners, items (requirement nodes) or linked applied controls, so those
//! go into the text.

use super::*;
use crate::model::action::Action;
use crate::model::audit::{Audit, Finding, FindingType, NcStatus, Nonconformity};

/// The findings sheet's columns, in order.
pub const FINDINGS_COLUMNS: [&str; 9] = [
    "ref_id",
    "name",
    "description",
    "severity",
    "status",
    "priority",
    "due_date",
    "observation",
    "filtering_labels",
];

/// A finding's `severity` in CISO Assistant (stored as -1..4; the import reads these words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The number CISO Assistant stores and its API returns.
    pub fn value(self) -> i8 {
        match self {
            Severity::Info => 0,
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 3,
            Severity::Critical => 4,
        }
    }

    /// The severity of a finding type.
    pub fn of(kind: FindingType) -> Severity {
        match kind {
            FindingType::Major => Severity::Critical,
            FindingType::Minor => Severity::High,
            FindingType::Observation => Severity::Low,
            FindingType::Improvement | FindingType::Conformity => Severity::Info,
        }
    }
}

/// A finding's `status` in CISO Assistant (the ones this hand-over writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingStatus {
    Identified,
    Confirmed,
    InProgress,
    Resolved,
    Closed,
}

impl FindingStatus {
    pub fn code(self) -> &'static str {
        match self {
            FindingStatus::Identified => "identified",
            FindingStatus::Confirmed => "confirmed",
            FindingStatus::InProgress => "in_progress",
            FindingStatus::Resolved => "resolved",
            FindingStatus::Closed => "closed",
        }
    }

    /// The status of a finding, from its nonconformity's status when it opened one.
    pub fn of(kind: FindingType, nc: Option<NcStatus>) -> FindingStatus {
        match (kind, nc) {
            (FindingType::Major | FindingType::Minor, Some(status)) => match status {
                NcStatus::Open => FindingStatus::Confirmed,
                NcStatus::CorrectionDone | NcStatus::ActionInProgress | NcStatus::Reopened => {
                    FindingStatus::InProgress
                }
                NcStatus::VerifiedEffective => FindingStatus::Resolved,
                NcStatus::Closed => FindingStatus::Closed,
            },
            (FindingType::Major | FindingType::Minor, None) => FindingStatus::Confirmed,
            (FindingType::Observation | FindingType::Improvement, _) => FindingStatus::Identified,
            (FindingType::Conformity, _) => FindingStatus::Closed,
        }
    }
}

/// A finding's `priority` (1 highest to 4), none for a conformity.
pub fn finding_priority(kind: FindingType) -> Option<u8> {
    match kind {
        FindingType::Major => Some(1),
        FindingType::Minor => Some(2),
        FindingType::Observation => Some(3),
        FindingType::Improvement => Some(4),
        FindingType::Conformity => None,
    }
}

/// How a finding type reads in a finding's name.
pub fn finding_type_name(kind: FindingType) -> &'static str {
    match kind {
        FindingType::Major => "Major nonconformity",
        FindingType::Minor => "Minor nonconformity",
        FindingType::Observation => "Observation",
        FindingType::Improvement => "Opportunity for improvement",
        FindingType::Conformity => "Conformity",
    }
}

/// The filtering label of a finding type (CISO Assistant's labels are 1-36 letters, digits,
/// `_` or `-`).
pub fn finding_label(kind: FindingType) -> &'static str {
    match kind {
        FindingType::Major => "major-nonconformity",
        FindingType::Minor => "minor-nonconformity",
        FindingType::Observation => "observation",
        FindingType::Improvement => "improvement",
        FindingType::Conformity => "conformity",
    }
}

/// How findings are mapped, in words (the READMEs print it).
pub const FINDINGS_RULE: [&str; 5] = [
    "`severity`: a major nonconformity `critical`, a minor one `high` (so CISO Assistant's count of unresolved high and critical findings counts the nonconformities not yet resolved), an observation `low`, an opportunity for improvement and a conformity `info`; `priority`: major 1, minor 2, observation 3, improvement 4, conformity none.",
    "`status` of a major or minor finding, from its nonconformity: open -> `confirmed`; correction done, corrective action in progress, reopened -> `in_progress`; verified effective -> `resolved`; closed -> `closed`. An observation or an opportunity for improvement is `identified`, a conformity `closed`.",
    "`ref_id` is the finding's id (`F-n`); `name` is its type, its items and the start of its statement; `description` the statement, the items, the evidence sampled, the auditee and the note; `due_date` the nonconformity's due date.",
    "`observation` carries the nonconformity (CISO Assistant's findings have no field of their own for it): its id, classification, source, date raised, status in isms-ready, requirement, correction, root cause, corrective actions (`ACT-n` and title), verification (date, by whom, effective or not) and note.",
    "`filtering_labels`: `isms-ready`, the audit's id and the finding type (`major-nonconformity`, `minor-nonconformity`, `observation`, `improvement`, `conformity`).",
];

/// One finding, as the findings sheet writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub ref_id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub status: FindingStatus,
    pub priority: Option<u8>,
    pub due_date: Option<NaiveDate>,
    pub observation: String,
    pub labels: Vec<String>,
}

/// The findings of one audit: `findings-<audit id>.xlsx`, imported as a findings assessment of
/// [`Self::assessment_name`].
#[derive(Debug, Clone, PartialEq)]
pub struct FindingsSheet {
    pub audit_id: String,
    pub audit_title: String,
    pub rows: Vec<FindingRow>,
}

impl FindingsSheet {
    /// The file's name: `findings-AUD-1.xlsx` (only letters, digits, `-` and `_` from the id).
    pub fn file_name(&self) -> String {
        let stem: String = self
            .audit_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        format!("{FINDINGS_FILE_PREFIX}{stem}.xlsx")
    }

    /// The findings assessment's name in CISO Assistant: the audit's id and title.
    pub fn assessment_name(&self) -> String {
        let title = crate::text::for_terminal_line(&self.audit_title);
        format!("{} {}", self.audit_id, title.trim())
    }
}

/// Every findings sheet starts with this.
pub const FINDINGS_FILE_PREFIX: &str = "findings-";

/// Whether `name` is a findings sheet of a hand-over (`findings-….xlsx`).
pub fn is_findings_file(name: &str) -> bool {
    name.starts_with(FINDINGS_FILE_PREFIX) && name.ends_with(".xlsx")
}

const NAME_LIMIT: usize = 160;

/// One sheet per audit that has findings, audits in the register's order, findings by number.
pub fn findings_sheets(
    audits: &[Audit],
    findings: &[Finding],
    nonconformities: &[Nonconformity],
    actions: &[Action],
) -> Vec<FindingsSheet> {
    audits
        .iter()
        .filter_map(|audit| {
            let rows: Vec<FindingRow> = findings
                .iter()
                .filter(|f| f.audit == audit.id)
                .map(|f| {
                    let nc = nonconformities
                        .iter()
                        .find(|nc| !f.id.is_empty() && nc.finding == f.id);
                    finding_row(audit, f, nc, actions)
                })
                .collect();
            (!rows.is_empty()).then(|| FindingsSheet {
                audit_id: audit.id.clone(),
                audit_title: audit.title.clone(),
                rows,
            })
        })
        .collect()
}

fn finding_row(
    audit: &Audit,
    finding: &Finding,
    nc: Option<&Nonconformity>,
    actions: &[Action],
) -> FindingRow {
    let items = finding.items.join(", ");
    let first_line = finding.statement.lines().next().unwrap_or("").trim();
    let mut name = format!("{}: {items}", finding_type_name(finding.kind));
    if !first_line.is_empty() {
        name.push_str(" - ");
        name.push_str(first_line);
    }
    if name.chars().count() > NAME_LIMIT {
        name = name.chars().take(NAME_LIMIT - 3).collect::<String>() + "...";
    }
    let description = labelled(&[
        ("", finding.statement.as_str()),
        ("Items", items.as_str()),
        ("Evidence", finding.evidence.as_str()),
        ("Auditee", finding.auditee.as_str()),
        ("Note", finding.note.as_str()),
    ]);
    let observation = nc.map_or_else(String::new, |nc| nc_text(nc, actions));
    let mut labels = vec!["isms-ready".to_string()];
    let audit_label: String = audit
        .id
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .take(36)
        .collect();
    if !audit_label.is_empty() {
        labels.push(audit_label);
    }
    labels.push(finding_label(finding.kind).to_string());
    FindingRow {
        ref_id: finding.id.clone(),
        name,
        description,
        severity: Severity::of(finding.kind),
        status: FindingStatus::of(finding.kind, nc.map(|nc| nc.status)),
        priority: finding_priority(finding.kind),
        due_date: nc.and_then(|nc| nc.due),
        observation,
        labels,
    }
}

/// `Label: text` lines for the fields that are not empty (an empty label: the text alone).
fn labelled(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| {
            if label.is_empty() {
                text.trim().to_string()
            } else {
                format!("{label}: {}", text.trim())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A nonconformity's follow-up, in words.
pub fn nc_text(nc: &Nonconformity, actions: &[Action]) -> String {
    let raised = nc
        .raised_on
        .map_or_else(String::new, |d| format!(", raised {d}"));
    let head = format!(
        "Nonconformity {} ({}, from {}{raised}), status in isms-ready: {}",
        nc.id,
        nc.classification.code(),
        nc.source.code(),
        nc.status.code()
    );
    let corrective = nc
        .actions
        .iter()
        .map(|id| {
            let title = crate::model::audit::action_number(id)
                .and_then(|n| actions.iter().find(|a| a.number == n))
                .map(|a| a.title.trim().to_string());
            match title {
                Some(title) if !title.is_empty() => format!("{id} {title}"),
                _ => id.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let verification = match nc.verified_on {
        None => String::new(),
        Some(day) => {
            let by = if nc.verified_by.trim().is_empty() {
                String::new()
            } else {
                format!(" by {}", nc.verified_by.trim())
            };
            format!("{day}{by}, effective: {}", nc.effective.code())
        }
    };
    let requirement = nc.requirement.join(", ");
    let due = nc.due.map_or_else(String::new, |d| d.to_string());
    let body = labelled(&[
        ("Description", nc.description.as_str()),
        ("Requirement", requirement.as_str()),
        ("Correction", nc.correction.as_str()),
        ("Root cause", nc.root_cause.as_str()),
        ("Corrective actions", corrective.as_str()),
        ("Due", due.as_str()),
        ("Verification", verification.as_str()),
        ("Note", nc.note.as_str()),
    ]);
    if body.is_empty() {
        head
    } else {
        format!("{head}\n{body}")
    }
}

pub fn finding_cells(row: &FindingRow) -> Vec<Cell> {
    vec![
        text(&row.ref_id),
        text(&row.name),
        text(&row.description),
        text(row.severity.code()),
        text(row.status.code()),
        row.priority
            .map_or(Cell::Empty, |p| Cell::Number(f64::from(p))),
        row.due_date
            .map_or(Cell::Empty, |d| text(d.format("%Y-%m-%d").to_string())),
        text(&row.observation),
        text(row.labels.join("|")),
    ]
}

/// What does not reach CISO Assistant with the findings, in words (the READMEs print it).
pub const FINDINGS_NOT_CARRIED: &str = "The audits themselves (type, dates, auditors, scope, criteria, status) have no place in CISO Assistant's findings import: each becomes only the findings assessment's name (`AUD-n` and title). A finding's items are not linked to requirement nodes, its auditee to no actor, and a nonconformity's corrective actions to no applied control (the import has no column for these links): they are written in the text. Nonconformities opened by hand (no finding) and management reviews do not reach CISO Assistant.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nonconformity_status_maps_to_a_platform_status() {
        let of = |status| FindingStatus::of(FindingType::Major, Some(status)).code();
        assert_eq!(
            NcStatus::ALL.iter().map(|s| of(*s)).collect::<Vec<_>>(),
            [
                "confirmed",
                "in_progress",
                "in_progress",
                "resolved",
                "closed",
                "in_progress"
            ]
        );
        assert_eq!(
            FindingStatus::of(FindingType::Minor, None),
            FindingStatus::Confirmed
        );
        // An observation's status does not follow a nonconformity it cannot have.
        assert_eq!(
            FindingStatus::of(FindingType::Observation, Some(NcStatus::Closed)),
            FindingStatus::Identified
        );
    }

    #[test]
    fn labels_are_valid_platform_labels_and_names_stay_short() {
        for kind in FindingType::ALL {
            let label = finding_label(*kind);
            assert!(
                (1..=36).contains(&label.len())
                    && label
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-')),
                "{label}"
            );
        }
        let audit = Audit {
            id: "AUD-3".into(),
            title: "Stage 1".into(),
            ..Audit::default()
        };
        let finding = Finding {
            id: "F-1".into(),
            audit: "AUD-3".into(),
            items: vec!["A.5.1".into()],
            kind: FindingType::Observation,
            statement: "x".repeat(400),
            ..Finding::default()
        };
        let sheets = findings_sheets(&[audit], &[finding], &[], &[]);
        assert_eq!(sheets[0].file_name(), "findings-AUD-3.xlsx");
        assert_eq!(sheets[0].assessment_name(), "AUD-3 Stage 1");
        assert_eq!(sheets[0].rows[0].name.chars().count(), NAME_LIMIT);
        assert!(is_findings_file("findings-AUD-3.xlsx") && !is_findings_file("audit.xlsx"));
    }
}
