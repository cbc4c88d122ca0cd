//! The hand-over to CISO Assistant: the sheets its data import (the "Data import wizard", and
//! the same requests through its `clica` command line) reads, as XLSX, a risk-matrix library
//! whose level labels are the ones the risk sheet uses, and a README saying how to import them.
//! Pure: the caller writes the files into one folder.
//!
//! - **Audit** (`audit.xlsx`): one row per requirement node of CISO Assistant's ISO/IEC 27001
//!   framework of the assessment's edition that can be assessed (2022: the 30 sub-clauses of
//!   clauses 4-10 and the 93 Annex A controls; 2013: 26 and 114), aggregated from our finer items
//!   by the rule in [`RULE`].
//! - **Applied controls** (`applied-controls.xlsx`) from [`AppliedControlRow`]s, **risk
//!   assessment** (`risk-assessment.xlsx`) from [`RiskRow`]s and the matrix they are rated on
//!   (`risk-matrix.yaml`), written only when rows are given.
//!
//! Column names and value lists are those CISO Assistant's import reads (its
//! `backend/data_wizard/views.py` and the frameworks `backend/library/libraries/iso27001-2022.yaml`,
//! library version 18, and `iso27001-2013.yaml`, version 1, at commit [`TESTED_COMMIT`]). No CSV
//! is written: the wizard takes only `.xls`/`.xlsx`, and a CSV's formula guard (a leading `'`)
//! would be stored as text.

mod findings;
mod handover;
mod matrix;
mod readme;

use super::report::{ItemRow, Report};
pub use super::xlsx::Cell;
use super::xlsx::{CellFormats, write_cell};
use crate::model::{ItemKind, Questionnaire};
use chrono::NaiveDate;
pub use findings::*;
pub use handover::*;
pub use matrix::*;
pub use readme::*;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The CISO Assistant commit the hand-over was imported into and read back from.
pub const TESTED_COMMIT: &str = "f990d7b1b9a9f56e391acbc247c9076262a11412";

/// A CISO Assistant framework one of our questionnaires maps onto, node for node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framework {
    /// Our questionnaire.
    pub questionnaire: &'static str,
    /// The framework's name in CISO Assistant's catalogue.
    pub name: &'static str,
    /// The framework's urn (the way to look up its id).
    pub urn: &'static str,
    /// Every requirement node's `urn` is this prefix followed by its lower-cased `ref_id`.
    pub node_prefix: &'static str,
    /// The sub-clauses of clauses 4-10 it assesses.
    pub clause_nodes: &'static [&'static str],
    /// How many Annex A controls it assesses.
    pub controls: usize,
}

/// ISO/IEC 27001:2022 (its nodes 6.1, 7.5, 9.2 and 9.3 only group the sub-clauses below them).
pub const ISO27001_2022: Framework = Framework {
    questionnaire: "iso27001-2022",
    name: "International standard ISO/IEC 27001:2022",
    urn: "urn:intuitem:risk:framework:iso27001-2022",
    node_prefix: "urn:intuitem:risk:req_node:iso27001-2022:",
    clause_nodes: &CLAUSE_NODES,
    controls: 93,
};

/// ISO/IEC 27001:2013 (its nodes 6.1 and 7.5 only group the sub-clauses below them).
pub const ISO27001_2013: Framework = Framework {
    questionnaire: "iso27001-2013",
    name: "International standard ISO/IEC 27001:2013",
    urn: "urn:intuitem:risk:framework:iso27001-2013",
    node_prefix: "urn:intuitem:risk:req_node:iso27001-2013:",
    clause_nodes: &CLAUSE_NODES_2013,
    controls: 114,
};

pub const FRAMEWORKS: [Framework; 2] = [ISO27001_2022, ISO27001_2013];

/// The framework a questionnaire maps onto.
pub fn framework(questionnaire_id: &str) -> Option<Framework> {
    FRAMEWORKS
        .into_iter()
        .find(|f| f.questionnaire == questionnaire_id)
}

/// The 2022 questionnaire (the current edition).
pub const QUESTIONNAIRE: &str = "iso27001-2022";

/// CISO Assistant's 2022 framework, as its catalogue names it.
pub const FRAMEWORK_NAME: &str = "International standard ISO/IEC 27001:2022";

/// Every 2022 requirement node's `urn` is this prefix followed by its lower-cased `ref_id`.
pub const URN_PREFIX: &str = "urn:intuitem:risk:req_node:iso27001-2022:";

/// The sub-clauses of clauses 4-10 CISO Assistant assesses in its 2022 framework.
pub const CLAUSE_NODES: [&str; 30] = [
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2", "8.3", "9.1", "9.2.1",
    "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
];

/// The sub-clauses of clauses 4-10 CISO Assistant assesses in its 2013 framework.
pub const CLAUSE_NODES_2013: [&str; 26] = [
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "7.1",
    "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2", "8.3", "9.1", "9.2", "9.3",
    "10.1", "10.2",
];

/// The audit sheet's columns, in order.
pub const AUDIT_COLUMNS: [&str; 9] = [
    "urn",
    "assessable",
    "ref_id",
    "name",
    "description",
    "compliance_result",
    "requirement_progress",
    "score",
    "observations",
];

/// The applied-controls sheet's columns, in order.
pub const APPLIED_CONTROL_COLUMNS: [&str; 11] = [
    "ref_id",
    "name",
    "description",
    "status",
    "category",
    "csf_function",
    "priority",
    "effort",
    "eta",
    "owner",
    "observation",
];

/// The risk-assessment sheet's columns, in order.
pub const RISK_COLUMNS: [&str; 12] = [
    "ref_id",
    "name",
    "description",
    "inherent_impact",
    "inherent_proba",
    "current_impact",
    "current_proba",
    "residual_impact",
    "residual_proba",
    "treatment",
    "existing_applied_controls",
    "additional_controls",
];

/// An item counts as meeting its requirement from this level on (Implemented: done in practice,
/// documented information exists).
pub const MET_FROM_LEVEL: u8 = 2;

/// The rule from our levels to `compliance_result`, `requirement_progress` and `score`, in words:
/// the folder's README and the repository's README print it as it is.
pub const RULE: [&str; 8] = [
    "A node's items are our items whose ref starts with the node's ref_id (the sub-clause: `4.1 #1` and `4.1 #2` fall into `4.1`, `6.1.2 c) 1)` into `6.1.2`), or the control itself (`A.5.1`).",
    "An excluded Annex A control is left out of its node; a node whose items are all excluded is `not_applicable`, without a score.",
    "A node with no answered applicable item is `not_assessed`, without a score (unanswered is never counted as non-compliant).",
    "Otherwise, counting the answered applicable items: all at level 2 (Implemented) or above -> `compliant`; none at level 2 or above -> `non_compliant`; some -> `partially_compliant`.",
    "`score` = the readiness of the node's applicable items as isms-ready computes it (100 x sum of level / 4 over the applicable items, an unanswered item counting 0), rounded to a whole number, half away from zero.",
    "`requirement_progress`: `to_do` when no applicable item is answered, `in_progress` while some are not, `in_review` when all are answered but one carries a migrated answer still marked review needed, `done` when all are answered (or all excluded).",
    "`observations`: the level of each item, then each note with its item ref in brackets, then the evidence references, the exclusion justifications and what still needs review.",
    "`assessable` is TRUE on every row (CISO Assistant skips a row that is not); `name` and `description` are only a guide for the reader, the import matches rows on `ref_id`, then `urn`.",
];

/// CISO Assistant's `compliance_result` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplianceResult {
    NotAssessed,
    PartiallyCompliant,
    NonCompliant,
    Compliant,
    NotApplicable,
}

impl ComplianceResult {
    pub const ALL: [ComplianceResult; 5] = [
        ComplianceResult::NotAssessed,
        ComplianceResult::PartiallyCompliant,
        ComplianceResult::NonCompliant,
        ComplianceResult::Compliant,
        ComplianceResult::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ComplianceResult::NotAssessed => "not_assessed",
            ComplianceResult::PartiallyCompliant => "partially_compliant",
            ComplianceResult::NonCompliant => "non_compliant",
            ComplianceResult::Compliant => "compliant",
            ComplianceResult::NotApplicable => "not_applicable",
        }
    }
}

/// CISO Assistant's `requirement_progress` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementProgress {
    ToDo,
    InProgress,
    InReview,
    Done,
}

impl RequirementProgress {
    pub const ALL: [RequirementProgress; 4] = [
        RequirementProgress::ToDo,
        RequirementProgress::InProgress,
        RequirementProgress::InReview,
        RequirementProgress::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequirementProgress::ToDo => "to_do",
            RequirementProgress::InProgress => "in_progress",
            RequirementProgress::InReview => "in_review",
            RequirementProgress::Done => "done",
        }
    }
}

/// One row of the audit sheet: one requirement node.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub urn: String,
    pub ref_id: String,
    pub name: String,
    pub description: String,
    pub compliance_result: ComplianceResult,
    pub requirement_progress: RequirementProgress,
    /// 0-100; `None` for `not_assessed` and `not_applicable` (the cell stays blank).
    pub score: Option<u8>,
    pub observations: String,
    /// Our item refs aggregated into this node.
    pub items: Vec<String>,
}

/// Why no hand-over can be made for this assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The framework of a questionnaire, or why there is none: CISO Assistant ships both editions
/// of ISO/IEC 27001 and our two questionnaires match their nodes; a questionnaire of our own
/// matches no framework of the platform.
pub fn check_questionnaire(
    questionnaire_id: &str,
    assessment_name: &str,
) -> Result<Framework, Refusal> {
    framework(questionnaire_id).ok_or_else(|| {
        Refusal(format!(
            "the ciso-assistant export needs an iso27001-2022 or iso27001-2013 assessment, and \"{assessment_name}\" is on {questionnaire_id}: only those two questionnaires match a framework CISO Assistant ships (\"{}\" and \"{}\") node for node",
            ISO27001_2022.name, ISO27001_2013.name
        ))
    })
}

/// The requirement node an item falls into: its sub-clause, or the control itself.
pub fn node_of(row: &ItemRow) -> &str {
    ref_node(&row.reference)
}

/// The node of an item ref: `6.1.2 c) 1)` -> `6.1.2`, `A.5.1` -> `A.5.1`.
pub fn ref_node(reference: &str) -> &str {
    reference
        .split_once(' ')
        .map_or(reference, |(head, _)| head)
}

/// The urn of a 2022 node.
pub fn urn(ref_id: &str) -> String {
    ISO27001_2022.node_urn(ref_id)
}

impl Framework {
    /// The urn of one of its nodes.
    pub fn node_urn(&self, ref_id: &str) -> String {
        format!("{}{}", self.node_prefix, ref_id.to_lowercase())
    }

    /// How many rows its audit sheet has.
    pub fn rows(&self) -> usize {
        self.clause_nodes.len() + self.controls
    }
}

/// The audit rows: the sub-clauses, then the controls, in the framework's order.
pub fn audit_rows(
    report: &Report,
    questionnaire: &Questionnaire,
) -> Result<Vec<AuditRow>, Refusal> {
    let framework = check_questionnaire(&report.standard_id, &report.assessment.name)?;
    let controls = report
        .controls()
        .map(|row| row.reference.as_str())
        .collect::<Vec<_>>();
    let nodes = framework.clause_nodes.iter().copied().chain(controls);
    let mut rows = Vec::with_capacity(framework.rows());
    for node in nodes {
        let items: Vec<&ItemRow> = report.items.iter().filter(|r| node_of(r) == node).collect();
        if items.is_empty() {
            return Err(Refusal(format!(
                "no item of {} falls into CISO Assistant's node {node}",
                report.standard_id
            )));
        }
        let name = match items[0].kind {
            ItemKind::Control => items[0].title.clone(),
            ItemKind::Clause => questionnaire
                .section(node)
                .map_or_else(String::new, |section| section.title.clone()),
        };
        rows.push(aggregate(&framework, node, name, &items));
    }
    let mapped: usize = rows.iter().map(|row| row.items.len()).sum();
    if mapped != report.items.len() {
        return Err(Refusal(format!(
            "{} of the {} items of {} fall into no node of CISO Assistant's framework",
            report.items.len() - mapped,
            report.items.len(),
            report.standard_id
        )));
    }
    Ok(rows)
}

fn is_excluded(row: &ItemRow) -> bool {
    row.kind == ItemKind::Control && row.answer.applicable == Some(false)
}

/// One node from its items, by [`RULE`].
fn aggregate(framework: &Framework, node: &str, name: String, items: &[&ItemRow]) -> AuditRow {
    let applicable: Vec<&ItemRow> = items.iter().copied().filter(|r| !is_excluded(r)).collect();
    let levels: Vec<u8> = applicable
        .iter()
        .filter_map(|r| r.answer.level.map(|l| l.value()))
        .collect();
    let met = levels.iter().filter(|&&l| l >= MET_FROM_LEVEL).count();
    let answered = levels.len();
    let review = applicable
        .iter()
        .any(|r| r.answer.level.is_some() && r.answer.review_needed);
    let (compliance_result, requirement_progress, score) = if applicable.is_empty() {
        (
            ComplianceResult::NotApplicable,
            RequirementProgress::Done,
            None,
        )
    } else if answered == 0 {
        (
            ComplianceResult::NotAssessed,
            RequirementProgress::ToDo,
            None,
        )
    } else {
        let result = if met == answered {
            ComplianceResult::Compliant
        } else if met == 0 {
            ComplianceResult::NonCompliant
        } else {
            ComplianceResult::PartiallyCompliant
        };
        let progress = if answered < applicable.len() {
            RequirementProgress::InProgress
        } else if review {
            RequirementProgress::InReview
        } else {
            RequirementProgress::Done
        };
        let sum: u64 = levels.iter().map(|&l| u64::from(l)).sum();
        (result, progress, Some(score_of(sum, applicable.len())))
    };
    AuditRow {
        urn: framework.node_urn(node),
        ref_id: node.to_string(),
        name,
        description: items
            .iter()
            .map(|r| format!("{} {}", r.reference, r.title))
            .collect::<Vec<_>>()
            .join("; "),
        compliance_result,
        requirement_progress,
        score,
        observations: observations(items),
        items: items.iter().map(|r| r.reference.clone()).collect(),
    }
}

/// 100 x sum of levels / (4 x applicable items), rounded half away from zero.
pub fn score_of(level_sum: u64, applicable: usize) -> u8 {
    let denominator = 4 * applicable as u64;
    if denominator == 0 {
        return 0;
    }
    let numerator = 100 * level_sum;
    let rounded = (2 * numerator + denominator) / (2 * denominator);
    u8::try_from(rounded.min(100)).unwrap_or(100)
}

fn observations(items: &[&ItemRow]) -> String {
    let mut lines = Vec::new();
    let levels = items
        .iter()
        .map(|r| {
            let level = if is_excluded(r) {
                "excluded".to_string()
            } else {
                r.answer.level.map_or_else(
                    || "not answered".to_string(),
                    |l| format!("{} {}", l.value(), l.label()),
                )
            };
            format!("{} {level}", r.reference)
        })
        .collect::<Vec<_>>()
        .join("; ");
    lines.push(format!("isms-ready levels: {levels}"));
    for row in items.iter().filter(|r| !r.answer.note.trim().is_empty()) {
        lines.push(format!(
            "[{}] {}",
            row.reference,
            row.answer.note.trim_end()
        ));
    }
    let evidence = items
        .iter()
        .filter(|r| !r.answer.evidence.trim().is_empty())
        .map(|r| format!("[{}] {}", r.reference, r.answer.evidence.trim()))
        .collect::<Vec<_>>();
    if !evidence.is_empty() {
        lines.push(format!("Evidence: {}", evidence.join("; ")));
    }
    for row in items.iter().filter(|r| is_excluded(r)) {
        lines.push(format!(
            "Excluded [{}]: {}",
            row.reference,
            row.answer.justification.trim()
        ));
    }
    let review = items
        .iter()
        .filter(|r| r.answer.level.is_some() && r.answer.review_needed)
        .map(|r| r.reference.as_str())
        .collect::<Vec<_>>();
    if !review.is_empty() {
        lines.push(format!(
            "Review needed (carried over from 2013): {}",
            review.join(", ")
        ));
    }
    lines.join("\n")
}

// ------------------------------------------------------------------ applied controls and risks

/// An applied control's `status` (always written: the import takes a blank cell as a value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ControlStatus {
    #[default]
    ToDo,
    InProgress,
    OnHold,
    Active,
    Deprecated,
}

impl ControlStatus {
    pub fn code(self) -> &'static str {
        match self {
            ControlStatus::ToDo => "to_do",
            ControlStatus::InProgress => "in_progress",
            ControlStatus::OnHold => "on_hold",
            ControlStatus::Active => "active",
            ControlStatus::Deprecated => "deprecated",
        }
    }
}

/// An applied control's `category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlCategory {
    Policy,
    Process,
    Technical,
    Physical,
    Procedure,
}

impl ControlCategory {
    pub fn code(self) -> &'static str {
        match self {
            ControlCategory::Policy => "policy",
            ControlCategory::Process => "process",
            ControlCategory::Technical => "technical",
            ControlCategory::Physical => "physical",
            ControlCategory::Procedure => "procedure",
        }
    }
}

/// An applied control's `csf_function` (NIST CSF 2.0 function; CISO Assistant's import takes
/// `govern` when the column is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsfFunction {
    Govern,
    Identify,
    Protect,
    Detect,
    Respond,
    Recover,
}

impl CsfFunction {
    pub fn code(self) -> &'static str {
        match self {
            CsfFunction::Govern => "govern",
            CsfFunction::Identify => "identify",
            CsfFunction::Protect => "protect",
            CsfFunction::Detect => "detect",
            CsfFunction::Respond => "respond",
            CsfFunction::Recover => "recover",
        }
    }

    /// The function of one item ref, by [`CSF_RULE`].
    pub fn of_ref(reference: &str) -> CsfFunction {
        let node = ref_node(reference);
        let Some(control) = node.strip_prefix("A.") else {
            return CsfFunction::Govern;
        };
        let parts: Vec<u32> = control.split('.').filter_map(|p| p.parse().ok()).collect();
        match parts.as_slice() {
            // 2013: A.5-A.18 with three numbers.
            [16, _, _] => CsfFunction::Respond,
            [17, _, _] => CsfFunction::Recover,
            [12, 4, _] => CsfFunction::Detect,
            [8, 1 | 2, _] | [12, 6, _] => CsfFunction::Identify,
            [5 | 15 | 18, _, _] | [6, 1, _] => CsfFunction::Govern,
            [_, _, _] => CsfFunction::Protect,
            // 2022: A.5-A.8 with two numbers.
            [5, 24..=28] => CsfFunction::Respond,
            [5, 29 | 30] | [8, 13 | 14] => CsfFunction::Recover,
            [7, 4] | [8, 15 | 16] | [6, 8] => CsfFunction::Detect,
            [5, 7 | 9 | 12] | [8, 8] => CsfFunction::Identify,
            [5, _] => CsfFunction::Govern,
            _ => CsfFunction::Protect,
        }
    }
}

/// How an action's `csf_function` is chosen, in words (the READMEs print it).
pub const CSF_RULE: &str = "`csf_function`: from the first Annex A control the action remedies (an action on clauses 4-10 only is `govern`): 2022 incident management A.5.24-A.5.28 `respond`; continuity, backup and redundancy A.5.29, A.5.30, A.8.13, A.8.14 `recover`; physical monitoring, logging, monitoring and event reporting A.7.4, A.8.15, A.8.16, A.6.8 `detect`; threat intelligence, inventory, classification and technical vulnerabilities A.5.7, A.5.9, A.5.12, A.8.8 `identify`; the other organisational controls A.5 `govern`; people, physical and technological controls `protect` (2013: A.16 `respond`, A.17 `recover`, A.12.4 `detect`, A.8.1, A.8.2 and A.12.6 `identify`, A.5, A.6.1, A.15 and A.18 `govern`, the others `protect`).";

/// An applied control's `effort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Xs,
    S,
    M,
    L,
    Xl,
}

impl Effort {
    pub fn code(self) -> &'static str {
        match self {
            Effort::Xs => "XS",
            Effort::S => "S",
            Effort::M => "M",
            Effort::L => "L",
            Effort::Xl => "XL",
        }
    }
}

/// A risk scenario's `treatment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    Open,
    Mitigate,
    Accept,
    Avoid,
    Transfer,
}

impl Treatment {
    pub fn code(self) -> &'static str {
        match self {
            Treatment::Open => "open",
            Treatment::Mitigate => "mitigate",
            Treatment::Accept => "accept",
            Treatment::Avoid => "avoid",
            Treatment::Transfer => "transfer",
        }
    }
}

/// One applied control (one of our actions).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppliedControlRow {
    pub ref_id: String,
    pub name: String,
    pub description: String,
    pub status: ControlStatus,
    pub category: Option<ControlCategory>,
    pub csf_function: Option<CsfFunction>,
    /// 1 (highest) to 4; anything else is left blank.
    pub priority: Option<u8>,
    pub effort: Option<Effort>,
    pub eta: Option<NaiveDate>,
    /// User e-mails or team names, separated by `;` (CISO Assistant resolves them; unknown ones
    /// are skipped with a warning).
    pub owner: String,
    pub observation: String,
}

/// One risk scenario of the register. Impact and probability are level names of the risk matrix
/// chosen at import, [`MATRIX_NAME`] (CISO Assistant matches them to its levels' `id`s and
/// stores a name it does not know as "not rated").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RiskRow {
    pub ref_id: String,
    pub name: String,
    pub description: String,
    pub inherent_impact: String,
    pub inherent_proba: String,
    pub current_impact: String,
    pub current_proba: String,
    pub residual_impact: String,
    pub residual_proba: String,
    pub treatment: Option<Treatment>,
    /// The `ref_id`s of the applied controls already in place (our done actions).
    pub existing_controls: Vec<String>,
    /// The `ref_id`s of the applied controls the treatment adds (our open actions).
    pub additional_controls: Vec<String>,
}

/// What goes into the hand-over besides the audit: empty lists write no sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handover {
    pub applied_controls: Vec<AppliedControlRow>,
    pub risks: Vec<RiskRow>,
    /// One findings sheet per audit that has findings.
    pub findings: Vec<FindingsSheet>,
}

fn text(value: impl Into<String>) -> Cell {
    let value = crate::text::for_xml(&value.into()).into_owned();
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(value)
    }
}

pub fn audit_cells(row: &AuditRow) -> Vec<Cell> {
    vec![
        text(&row.urn),
        Cell::Bool(true),
        text(&row.ref_id),
        text(&row.name),
        text(&row.description),
        text(row.compliance_result.code()),
        text(row.requirement_progress.code()),
        row.score
            .map_or(Cell::Empty, |s| Cell::Number(f64::from(s))),
        text(&row.observations),
    ]
}

pub fn applied_control_cells(row: &AppliedControlRow) -> Vec<Cell> {
    vec![
        text(&row.ref_id),
        text(&row.name),
        text(&row.description),
        text(row.status.code()),
        row.category.map_or(Cell::Empty, |c| text(c.code())),
        row.csf_function.map_or(Cell::Empty, |c| text(c.code())),
        row.priority
            .filter(|p| (1..=4).contains(p))
            .map_or(Cell::Empty, |p| Cell::Number(f64::from(p))),
        row.effort.map_or(Cell::Empty, |e| text(e.code())),
        row.eta
            .map_or(Cell::Empty, |d| text(d.format("%Y-%m-%d").to_string())),
        text(&row.owner),
        text(&row.observation),
    ]
}

pub fn risk_cells(row: &RiskRow) -> Vec<Cell> {
    vec![
        text(&row.ref_id),
        text(&row.name),
        text(&row.description),
        text(&row.inherent_impact),
        text(&row.inherent_proba),
        text(&row.current_impact),
        text(&row.current_proba),
        text(&row.residual_impact),
        text(&row.residual_proba),
        row.treatment.map_or(Cell::Empty, |t| text(t.code())),
        text(row.existing_controls.join("\n")),
        text(row.additional_controls.join("\n")),
    ]
}

/// A sheet as an XLSX workbook of one sheet (the import reads the first sheet).
pub fn xlsx_sheet(
    sheet_name: &str,
    columns: &[&str],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    write_sheet(sheet, sheet_name, columns, rows)?;
    workbook.save_to_buffer()
}

fn write_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE3EC))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let formats = CellFormats::alike(Format::new().set_align(FormatAlign::Top).set_text_wrap());
    sheet.set_name(name)?;
    for (col, title) in (0..).zip(columns) {
        sheet.write_string_with_format(0, col, *title, &header)?;
        let width = match *title {
            "urn" => 48.0,
            "name" | "description" | "observations" | "observation" => 50.0,
            _ => 16.0,
        };
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, cells) in (1..).zip(rows) {
        for (col, cell) in (0..).zip(cells) {
            write_cell(sheet, row, col, cell, &formats)?;
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// The file names in the folder (sheets without their `.xlsx`).
pub const AUDIT_FILE: &str = "audit";
pub const APPLIED_CONTROLS_FILE: &str = "applied-controls";
pub const RISKS_FILE: &str = "risk-assessment";
pub const MATRIX_FILE: &str = "risk-matrix.yaml";
pub const README_FILE: &str = "README.md";

/// One file of the hand-over folder.
#[derive(Debug, Clone, PartialEq)]
pub struct FolderFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every file of the hand-over folder, the README last.
pub fn files(
    report: &Report,
    questionnaire: &Questionnaire,
    handover: &Handover,
) -> Result<Vec<FolderFile>, String> {
    let audit = audit_rows(report, questionnaire).map_err(|refusal| refusal.0)?;
    let mut out = Vec::new();
    let mut sheet = |stem: &str, sheet_name: &str, columns: &[&str], rows: Vec<Vec<Cell>>| {
        let xlsx = xlsx_sheet(sheet_name, columns, &rows).map_err(|e| e.to_string())?;
        out.push(FolderFile {
            name: format!("{stem}.xlsx"),
            bytes: xlsx,
        });
        Ok::<(), String>(())
    };
    sheet(
        AUDIT_FILE,
        "Audit",
        &AUDIT_COLUMNS,
        audit.iter().map(audit_cells).collect(),
    )?;
    if !handover.applied_controls.is_empty() {
        sheet(
            APPLIED_CONTROLS_FILE,
            "Applied controls",
            &APPLIED_CONTROL_COLUMNS,
            handover
                .applied_controls
                .iter()
                .map(applied_control_cells)
                .collect(),
        )?;
    }
    if !handover.risks.is_empty() {
        sheet(
            RISKS_FILE,
            "Risk assessment",
            &RISK_COLUMNS,
            handover.risks.iter().map(risk_cells).collect(),
        )?;
        out.push(FolderFile {
            name: MATRIX_FILE.into(),
            bytes: risk_matrix_yaml().into_bytes(),
        });
    }
    for findings in &handover.findings {
        let rows: Vec<Vec<Cell>> = findings.rows.iter().map(finding_cells).collect();
        let xlsx = xlsx_sheet("Findings", &FINDINGS_COLUMNS, &rows).map_err(|e| e.to_string())?;
        out.push(FolderFile {
            name: findings.file_name(),
            bytes: xlsx,
        });
    }
    out.push(FolderFile {
        name: README_FILE.into(),
        bytes: readme(report, &audit, handover).into_bytes(),
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_half_away_from_zero() {
        assert_eq!(score_of(0, 3), 0);
        assert_eq!(score_of(12, 3), 100);
        // 100 x 1 / 8 = 12.5 -> 13
        assert_eq!(score_of(1, 2), 13);
        // 100 x 5 / 12 = 41.67 -> 42
        assert_eq!(score_of(5, 3), 42);
        assert_eq!(score_of(0, 0), 0);
    }

    #[test]
    fn urns_are_the_prefix_and_the_lower_cased_ref() {
        assert_eq!(urn("4.1"), "urn:intuitem:risk:req_node:iso27001-2022:4.1");
        assert_eq!(
            urn("A.8.34"),
            "urn:intuitem:risk:req_node:iso27001-2022:a.8.34"
        );
    }

    #[test]
    fn both_editions_map_onto_a_platform_framework_and_nothing_else_does() {
        assert_eq!(
            check_questionnaire("iso27001-2022", "Acme").unwrap(),
            ISO27001_2022
        );
        assert_eq!(
            check_questionnaire("iso27001-2013", "Acme").unwrap(),
            ISO27001_2013
        );
        assert_eq!(ISO27001_2013.rows(), 140);
        assert_eq!(ISO27001_2022.rows(), 123);
        assert_eq!(
            ISO27001_2013.node_urn("A.18.2.3"),
            "urn:intuitem:risk:req_node:iso27001-2013:a.18.2.3"
        );
        let refusal = check_questionnaire("my-own", "Acme").unwrap_err();
        assert!(refusal.0.contains("iso27001-2013"), "{refusal}");
    }

    #[test]
    fn csf_functions_follow_the_documented_rule() {
        for (reference, function) in [
            ("4.1 #1", CsfFunction::Govern),
            ("A.5.1", CsfFunction::Govern),
            ("A.5.26", CsfFunction::Respond),
            ("A.8.13", CsfFunction::Recover),
            ("A.8.16", CsfFunction::Detect),
            ("A.8.8", CsfFunction::Identify),
            ("A.8.24", CsfFunction::Protect),
            ("A.6.3", CsfFunction::Protect),
            ("A.16.1.5", CsfFunction::Respond),
            ("A.17.1.1", CsfFunction::Recover),
            ("A.12.4.1", CsfFunction::Detect),
            ("A.12.6.1", CsfFunction::Identify),
            ("A.18.1.1", CsfFunction::Govern),
            ("A.9.2.1", CsfFunction::Protect),
        ] {
            assert_eq!(CsfFunction::of_ref(reference), function, "{reference}");
        }
    }

    fn control(ref_id: &str) -> AppliedControlRow {
        AppliedControlRow {
            ref_id: ref_id.into(),
            name: format!("Control {ref_id}"),
            description: "What it does".into(),
            status: ControlStatus::InProgress,
            category: Some(ControlCategory::Technical),
            csf_function: Some(CsfFunction::Detect),
            priority: Some(2),
            effort: Some(Effort::Xl),
            eta: NaiveDate::from_ymd_opt(2027, 3, 31),
            owner: "ciso@example.com;Security team".into(),
            observation: "=cmd|' /C calc'!A0".into(),
        }
    }

    #[test]
    fn applied_controls_are_written_with_the_platform_codes() {
        let bare = AppliedControlRow {
            name: "Bare".into(),
            priority: Some(7),
            ..AppliedControlRow::default()
        };
        assert_eq!(
            applied_control_cells(&control("ACT-1")),
            vec![
                Cell::Text("ACT-1".into()),
                Cell::Text("Control ACT-1".into()),
                Cell::Text("What it does".into()),
                Cell::Text("in_progress".into()),
                Cell::Text("technical".into()),
                Cell::Text("detect".into()),
                Cell::Number(2.0),
                Cell::Text("XL".into()),
                Cell::Text("2027-03-31".into()),
                Cell::Text("ciso@example.com;Security team".into()),
                // The value itself, unguarded: the XLSX marks it as text by its style.
                Cell::Text("=cmd|' /C calc'!A0".into()),
            ]
        );
        // A priority outside 1-4 and unset fields stay blank.
        let cells = applied_control_cells(&bare);
        assert_eq!(cells[3], Cell::Text("to_do".into()));
        assert!(
            cells
                .iter()
                .enumerate()
                .all(|(i, c)| matches!(i, 1 | 3) || *c == Cell::Empty)
        );
        let xlsx = xlsx_sheet("Applied controls", &APPLIED_CONTROL_COLUMNS, &[cells]).unwrap();
        assert_eq!(&xlsx[..2], b"PK");
        let (users, teams) = owners(&Handover {
            applied_controls: vec![control("ACT-1"), control("ACT-2")],
            ..Handover::default()
        });
        assert_eq!(users, ["ciso@example.com"]);
        assert_eq!(teams, ["Security team"]);
    }

    #[test]
    fn the_matrix_rates_each_pair_as_the_register_does() {
        use crate::model::registers::RiskRating;
        assert_eq!(matrix_cell(1, 4), 0);
        assert_eq!(matrix_cell(3, 3), 1);
        assert_eq!(matrix_cell(4, 4), 2);
        assert_eq!(matrix_cell(4, 5), 3);
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let rating = RiskRating::of(l * i);
                assert_eq!(
                    RISK_LEVELS[matrix_cell(l, i)].1.to_lowercase(),
                    rating.code()
                );
            }
        }
    }

    #[test]
    fn risks_are_written_with_treatment_codes_and_controls_one_per_line() {
        let row = RiskRow {
            ref_id: "R-1".into(),
            name: "Ransomware on the file server".into(),
            description: "Encrypts shared drives".into(),
            inherent_impact: "High".into(),
            inherent_proba: "Very high".into(),
            current_impact: "High".into(),
            current_proba: "Very high".into(),
            residual_impact: "Medium".into(),
            residual_proba: "Low".into(),
            treatment: Some(Treatment::Mitigate),
            existing_controls: vec!["ACT-2".into()],
            additional_controls: vec!["ACT-3".into(), "ACT-4".into()],
        };
        let cells = risk_cells(&row);
        assert_eq!(cells[9], Cell::Text("mitigate".into()));
        assert_eq!(cells[10], Cell::Text("ACT-2".into()));
        assert_eq!(cells[11], Cell::Text("ACT-3\nACT-4".into()));
        let empty = RiskRow {
            name: "Open one".into(),
            ..RiskRow::default()
        };
        assert_eq!(risk_cells(&empty)[9], Cell::Empty);
        assert_eq!(
            [
                Treatment::Open,
                Treatment::Accept,
                Treatment::Avoid,
                Treatment::Transfer
            ]
            .map(Treatment::code),
            ["open", "accept", "avoid", "transfer"]
        );
    }
}
