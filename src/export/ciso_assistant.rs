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

use super::report::{ItemRow, Report};
pub use super::xlsx::Cell;
use super::xlsx::{CellFormats, write_cell};
use crate::model::{ItemKind, Questionnaire};
use chrono::NaiveDate;
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
    out.push(FolderFile {
        name: README_FILE.into(),
        bytes: readme(report, &audit, handover).into_bytes(),
    });
    Ok(out)
}

// ------------------------------------------------------------------------------ risk matrix

/// The risk matrix the hand-over ships, as CISO Assistant's catalogue will name it.
pub const MATRIX_NAME: &str = "isms-ready 5x5";
/// The urn of the library file, and of the matrix in it.
pub const MATRIX_LIBRARY_URN: &str = "urn:isms-ready:risk:library:isms-ready-5x5";
pub const MATRIX_URN: &str = "urn:isms-ready:risk:matrix:isms-ready-5x5";

/// The names a risk's likelihood and impact (1 to 5) take in the hand-over: the level names of
/// [`MATRIX_NAME`], whose levels carry the `id`s 0 to 4 CISO Assistant's import matches them to.
pub const FIVE_LEVELS: [&str; 5] = ["Very low", "Low", "Medium", "High", "Very high"];

/// The matrix's risk levels: our ratings (likelihood x impact: 1-4 low, 5-9 medium, 10-16 high,
/// 20-25 critical), with the colours of our reports.
const RISK_LEVELS: [(&str, &str, &str, &str); 4] = [
    (
        "L",
        "Low",
        "likelihood x impact 1-4: accept or treat at the next review",
        "#BBF7D0",
    ),
    (
        "M",
        "Medium",
        "likelihood x impact 5-9: treat within the year",
        "#FEF08A",
    ),
    (
        "H",
        "High",
        "likelihood x impact 10-16: treat as a priority",
        "#FBBF24",
    ),
    (
        "C",
        "Critical",
        "likelihood x impact 20-25: treat now, tell top management",
        "#F87171",
    ),
];

const LIKELIHOOD_TEXT: [&str; 5] = [
    "1: not expected in the next years",
    "2: could happen, has not so far",
    "3: expected to happen now and then",
    "4: expected to happen every year",
    "5: expected to happen several times a year",
];

const IMPACT_TEXT: [&str; 5] = [
    "1: barely noticed",
    "2: felt by one team, recovered within days",
    "3: felt by several teams or a client, recovered within weeks",
    "4: harms clients, revenue or compliance",
    "5: threatens the organisation",
];

const LEVEL_ABBREVIATIONS: [&str; 5] = ["VL", "L", "M", "H", "VH"];
const LEVEL_COLOURS: [&str; 5] = ["#BBF7D0", "#BEF264", "#FEF08A", "#FBBF24", "#F87171"];

/// The index in [`RISK_LEVELS`] of likelihood `l` x impact `i` (1-5 each): our rating.
pub fn matrix_cell(likelihood: u8, impact: u8) -> usize {
    use crate::model::registers::RiskRating;
    match RiskRating::of(likelihood.clamp(1, 5) * impact.clamp(1, 5)) {
        RiskRating::Low => 0,
        RiskRating::Medium => 1,
        RiskRating::High => 2,
        RiskRating::Critical => 3,
    }
}

/// `risk-matrix.yaml`: a CISO Assistant library holding one risk matrix, [`MATRIX_NAME`]: five
/// likelihood and five impact levels named as the risk sheet names them, each with its `id`
/// (0-4, which the import needs to match a name), our four risk ratings, and the grid
/// (`grid[likelihood][impact]`) that gives each pair our rating.
pub fn risk_matrix_yaml() -> String {
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let mut out = String::new();
    out.push_str(&format!(
        "urn: {MATRIX_LIBRARY_URN}\nlocale: en\nref_id: isms-ready-5x5\nname: {}\n\
         description: {}\ncopyright: isms-ready (MIT)\nversion: 1\npublication_date: 2026-08-01\n\
         provider: isms-ready\npackager: isms-ready\nobjects:\n  risk_matrix:\n  - urn: {MATRIX_URN}\n    \
         ref_id: isms-ready-5x5\n    name: {}\n    description: {}\n",
        quote(MATRIX_NAME),
        quote("The five-level likelihood and impact scales of an isms-ready risk register, and its four ratings"),
        quote(MATRIX_NAME),
        quote("Likelihood and impact 1-5 as rated in an isms-ready workshop; the rating is likelihood x impact")
    ));
    let scale = |out: &mut String, key: &str, texts: &[&str; 5]| {
        out.push_str(&format!("    {key}:\n"));
        for (id, name) in FIVE_LEVELS.iter().enumerate() {
            out.push_str(&format!(
                "    - abbreviation: {}\n      name: {}\n      description: {}\n      hexcolor: {}\n      id: {id}\n",
                LEVEL_ABBREVIATIONS[id],
                quote(name),
                quote(texts[id]),
                quote(LEVEL_COLOURS[id])
            ));
        }
    };
    scale(&mut out, "probability", &LIKELIHOOD_TEXT);
    scale(&mut out, "impact", &IMPACT_TEXT);
    out.push_str("    risk:\n");
    for (id, (abbreviation, name, description, colour)) in RISK_LEVELS.iter().enumerate() {
        out.push_str(&format!(
            "    - abbreviation: {abbreviation}\n      name: {}\n      description: {}\n      hexcolor: {}\n      id: {id}\n",
            quote(name),
            quote(description),
            quote(colour)
        ));
    }
    out.push_str("    grid:\n");
    for likelihood in 1..=5u8 {
        let row = (1..=5u8)
            .map(|impact| matrix_cell(likelihood, impact).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!("    - [{row}]\n"));
    }
    out
}

// ------------------------------------------------------------------------------------ README

/// The owners named in the applied controls, each once, in order: CISO Assistant matches an
/// entry with `@` to a user's e-mail, any other to a team's name, and drops one it does not find.
pub fn owners(handover: &Handover) -> (Vec<String>, Vec<String>) {
    let mut users: Vec<String> = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    for control in &handover.applied_controls {
        for owner in control
            .owner
            .split(';')
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            let list = if owner.contains('@') {
                &mut users
            } else {
                &mut teams
            };
            if !list.iter().any(|known| known.eq_ignore_ascii_case(owner)) {
                list.push(owner.to_string());
            }
        }
    }
    (users, teams)
}

/// The folder's README: what is in it, how to import it step by step, and the rules.
pub fn readme(report: &Report, audit: &[AuditRow], handover: &Handover) -> String {
    let framework = framework(&report.standard_id).unwrap_or(ISO27001_2022);
    let mut out = String::new();
    let name = crate::text::for_markdown(&report.assessment.name);
    out.push_str(&format!(
        "# Hand-over of \"{name}\" to CISO Assistant\n\n\
         Written by isms-ready on {} from the assessment \"{name}\" ({}). Tested by importing it into\n\
         CISO Assistant Community at commit {} (August 2026) as written here, and reading it back.\n\n",
        report.date.format("%Y-%m-%d"),
        report.standard_id,
        &TESTED_COMMIT[..8]
    ));
    if framework.questionnaire != QUESTIONNAIRE {
        out.push_str(
            "This is a 2013 assessment: it goes to CISO Assistant's 2013 framework. Certification to\n\
             ISO/IEC 27001:2013 ended in October 2025; `isms-ready migrate` makes the 2022 assessment\n\
             whose hand-over goes to the 2022 framework.\n\n",
        );
    }
    out.push_str("## Files\n\n");
    out.push_str(&format!(
        "- `audit.xlsx` - the audit (compliance assessment) of CISO Assistant's framework \"{}\": {} rows, the {} sub-clauses of clauses 4-10 and the {} Annex A controls.\n",
        framework.name,
        audit.len(),
        framework.clause_nodes.len(),
        audit.len() - framework.clause_nodes.len()
    ));
    if handover.applied_controls.is_empty() {
        out.push_str("- no applied-controls sheet: the assessment has no actions yet.\n");
    } else {
        out.push_str(&format!(
            "- `applied-controls.xlsx` - {} applied controls, our actions (`ACT-1` ...).\n",
            handover.applied_controls.len()
        ));
    }
    if handover.risks.is_empty() {
        out.push_str(
            "- no risk-assessment sheet and no matrix: the assessment has no risk register yet.\n",
        );
    } else {
        out.push_str(&format!(
            "- `{MATRIX_FILE}` - a CISO Assistant library holding the risk matrix \"{MATRIX_NAME}\": likelihood and impact levels `Very low` ... `Very high` (with the level ids the import needs) and our ratings low, medium, high, critical.\n\
             - `risk-assessment.xlsx` - {} risk scenarios rated on that matrix, each linked to the applied controls (`ACT-n`) that treat it.\n",
            handover.risks.len()
        ));
    }
    out.push_str(
        "\nOnly `.xlsx`: CISO Assistant's Data wizard reads only `.xls`/`.xlsx`, and its CSV import would keep a\n\
         spreadsheet's formula guard (a leading `'`) as text. A cell that looks like a formula is marked as text\n\
         in the XLSX files by the cell's quote-prefix style, not by a character in its value.\n",
    );
    out.push_str(&before_you_start(handover));
    out.push_str(&import_steps(framework, audit, handover));
    out.push_str(UPDATING);
    out.push_str("\n## From isms-ready levels to CISO Assistant results\n\n");
    for line in RULE {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str(&format!("- {CSF_RULE}\n"));
    for line in RISK_RULE {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str("\n## Which isms-ready items fall into each sub-clause\n\n");
    out.push_str("| ref_id | isms-ready items |\n|---|---|\n");
    for row in audit.iter().filter(|row| !row.ref_id.starts_with("A.")) {
        out.push_str(&format!(
            "| {} | {} |\n",
            row.ref_id,
            row.items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str("\nEach Annex A control `A.x.y` is one isms-ready item with the same ref.\n");
    out
}

fn before_you_start(handover: &Handover) -> String {
    let mut out = String::from(
        "\n## Before you start\n\n\
         - A CISO Assistant user allowed to import into the target domain, and a perimeter in that domain\n\
         \x20 (Organization -> Perimeters). Applied controls go into the perimeter's domain, so the risk\n\
         \x20 scenarios (imported into the perimeter) find them.\n\
         - For `clica` (CISO Assistant's command line, `cli/clica.py` in its repository): a personal access\n\
         \x20 token, and a `.clica.env` in the folder you run it from with `API_URL=https://<host>/api` and\n\
         \x20 `TOKEN=<token>`. The `curl` commands below use the same two values as `$API_URL` and `$TOKEN`.\n",
    );
    let (users, teams) = owners(handover);
    if users.is_empty() && teams.is_empty() {
        out.push_str("- No owners: no applied control names an owner.\n");
    } else {
        out.push_str(
            "- The owners the applied controls name, created before step 4 (an owner CISO Assistant does\n\
             \x20 not know is dropped without a message in the import's answer):\n",
        );
        for user in &users {
            out.push_str(&format!(
                "  - user with the e-mail `{}` (Organization -> Users)\n",
                crate::text::for_terminal_line(user).replace('`', "'")
            ));
        }
        for team in &teams {
            out.push_str(&format!(
                "  - team named `{}` (Organization -> Teams), or change the owner in the sheet to a user's e-mail or a team's name\n",
                crate::text::for_terminal_line(team).replace('`', "'")
            ));
        }
    }
    out
}

fn import_steps(framework: Framework, audit: &[AuditRow], handover: &Handover) -> String {
    let not_assessed: Vec<&str> = audit
        .iter()
        .filter(|row| row.compliance_result == ComplianceResult::NotAssessed)
        .map(|row| row.ref_id.as_str())
        .collect();
    let scored = audit.iter().filter(|row| row.score.is_some()).count();
    let mut out = format!(
        "
## Importing into CISO Assistant, in this order

### 1. The framework and its id

Load the framework if it is not loaded: Catalog -> Libraries -> \"{name}\" -> Load. The audit import
needs the framework's id (a UUID): `clica` at this version does not take its name (it asks an endpoint
that does not exist, and answers `something went wrong. check authentication.`). Either open the
framework in Catalog -> Frameworks, its id is the last part of the page's address, or ask the API:

```sh
curl -s -H \"Authorization: Token $TOKEN\" \"$API_URL/frameworks/?search=27001\" | python3 -c 'import json,sys; print(next(f[\"id\"] for f in json.load(sys.stdin)[\"results\"] if f[\"urn\"] == \"{urn}\"))'
```

### 2. The audit

```sh
python3 clica.py import-compliance-assessments --file audit.xlsx --framework <framework id> --perimeter \"<perimeter>\" --name \"<audit name>\"
```

`--perimeter` is required although `clica --help` does not list it: without it the server creates
nothing and answers `A folder must be specified when there's no perimeter!`. `clica` exits 0 even when
rows fail: check that the answer says `\"successful\": {rows}` and `\"failed\": 0`. (Data wizard, Pro
edition: Extra -> Data wizard, model \"Audit\", the perimeter and the framework, upload `audit.xlsx`.)

### 3. Show the scores, and keep the not-assessed rows out of them

A new audit hides the Score field: the {scored} scores are stored but read as empty. Edit the audit
and make Score visible (field visibility: auditor edit), or through the API:

```sh
curl -s -X PATCH -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \"$API_URL/compliance-assessments/<audit id>/\" \\
  -d '{{\"field_visibility\": {{\"score\": {{\"auditor\": \"edit\", \"respondent\": \"hidden\"}}, \"is_scored\": {{\"auditor\": \"edit\", \"respondent\": \"hidden\"}}}}}}'
```

Showing the scores marks every row scored and gives the rows without a score the minimum, 0, which
would count the not-assessed rows as failed. Untick \"Scored\" on each `not_assessed` row",
        name = framework.name,
        urn = framework.urn,
        rows = audit.len(),
    );
    if not_assessed.is_empty() {
        out.push_str(" (this audit has none).\n");
    } else {
        out.push_str(&format!(
            " ({}: {}), or through the API:\n\n\
             ```sh\n\
             curl -s -H \"Authorization: Token $TOKEN\" \"$API_URL/requirement-assessments/?compliance_assessment=<audit id>&result=not_assessed&page_size=500\" \\\n\
             \x20 | python3 -c 'import json,sys; print(\"\\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"results\"] if r[\"assessable\"]))' \\\n\
             \x20 | while read id; do curl -s -o /dev/null -X PATCH -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \\\n\
             \x20     \"$API_URL/requirement-assessments/$id/\" -d '{{\"is_scored\": false}}'; done\n\
             ```\n",
            not_assessed.len(),
            not_assessed.join(", ")
        ));
    }
    if handover.applied_controls.is_empty() {
        out.push_str("\n### 4. The applied controls\n\nNone in this hand-over.\n");
    } else {
        out.push_str(&format!(
            "\n### 4. The applied controls\n\n\
             ```sh\n\
             python3 clica.py import-applied-controls --file applied-controls.xlsx --folder \"<domain of the perimeter>\"\n\
             ```\n\n\
             Check `\"successful\": {}`. A control whose name already exists in the domain stops the import:\n\
             add `--on-conflict skip` or `--on-conflict update`. (Data wizard: model \"Applied controls\", the domain.)\n",
            handover.applied_controls.len()
        ));
    }
    if handover.risks.is_empty() {
        out.push_str(
            "\n### 5. and 6. The risk matrix and the risk assessment\n\nNone in this hand-over.\n",
        );
    } else {
        out.push_str(&format!(
            "\n### 5. The risk matrix\n\n\
             Catalog -> Libraries -> Upload library -> `{MATRIX_FILE}`, then Load the library \"{MATRIX_NAME}\"; or:\n\n\
             ```sh\n\
             curl -s -X POST -H \"Authorization: Token $TOKEN\" -H 'Content-Disposition: attachment; filename=\"{MATRIX_FILE}\"' --data-binary @{MATRIX_FILE} \"$API_URL/stored-libraries/upload/\"\n\
             curl -s -X POST -H \"Authorization: Token $TOKEN\" \"$API_URL/stored-libraries/{MATRIX_LIBRARY_URN}/import/\"\n\
             ```\n\n\
             An answer `This library has already been loaded` means an earlier hand-over loaded it: go on.\n\
             Without it the ratings are lost: the import matches `Very low` ... `Very high` to a matrix level's\n\
             `id`, and the matrices CISO Assistant ships with these names have none, so every rating would be\n\
             stored as not rated, with no error.\n\n\
             ### 6. The risk assessment\n\n\
             ```sh\n\
             python3 clica.py import-risk-assessment --file risk-assessment.xlsx --perimeter \"<perimeter>\" --matrix \"{MATRIX_NAME}\" --name \"<risk assessment name>\"\n\
             ```\n\n\
             Check `\"successful\": {}` and no warning `Could not resolve controls`. The import links each scenario\n\
             to the applied controls named by `ref_id` in `existing_applied_controls` (done actions) and\n\
             `additional_controls` (open ones), found in the perimeter's domain: import step 4 first, or the\n\
             import creates empty controls named `ACT-n` instead. (Data wizard: model \"Risk assessment\", the\n\
             perimeter and the matrix \"{MATRIX_NAME}\".)\n",
            handover.risks.len()
        ));
    }
    out
}

/// Importing a later hand-over of the same assessment into the audit made by the first one.
pub const UPDATING: &str = "
### Later: updating the same audit

After the next workshop, export the hand-over again and import its `audit.xlsx` into the audit you
already have instead of making a second one: CISO Assistant's import takes the audit's id in the
header `X-Target-Id` (the Data wizard and `clica` at this version do not offer it):

```sh
curl -s -X POST -H \"Authorization: Token $TOKEN\" -H 'X-Model-Type: ComplianceAssessment' -H 'X-Target-Id: <audit id>' \\
  -H 'Content-Disposition: attachment; filename=\"audit.xlsx\"' --data-binary @audit.xlsx \"$API_URL/data-wizard/load-file/\"
```

Each row updates the requirement with the same `ref_id`: its result, progress, score and observation.
An empty cell changes nothing, so a row that lost its score (now not assessed or not applicable) keeps
the old one: untick Scored on it as in step 3. Applied controls: step 4 again with `--on-conflict update`
(matched by name in the domain). Risk scenarios: the same request with `X-Model-Type: RiskAssessment`
and the risk assessment's id in `X-Target-Id` updates the scenarios with the same `ref_id`.
";

/// How risks are rated and linked, in words (the READMEs print it).
pub const RISK_RULE: [&str; 3] = [
    "A risk's likelihood and impact 1-5 become the levels `Very low`, `Low`, `Medium`, `High`, `Very high` (ids 0-4) of the matrix \"isms-ready 5x5\" for the inherent and current ratings, its residual likelihood and impact for the residual rating; the matrix rates each pair as isms-ready does (likelihood x impact 1-4 low, 5-9 medium, 10-16 high, 20-25 critical).",
    "A risk's Annex A controls link it to the actions that remedy one of them: a done action as an existing applied control, an open one (to do, in progress, on hold) as an additional one, by `ref_id` (`ACT-n`); a dropped action is not linked. An Annex A control no action remedies yet is named in the scenario's description (`Annex A controls without an action yet`) and creates no applied control.",
    "An applied control's owner is our action's owner: CISO Assistant keeps it only when it is a user's e-mail or a team's name (several separated by `;`).",
];

/// Links a risk to the actions that remedy one of its Annex A controls: `(existing, additional,
/// controls no action remedies)`.
fn risk_links(
    risk: &crate::model::registers::Risk,
    actions: &[crate::model::action::Action],
    questionnaire: &Questionnaire,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    use crate::model::action::ActionStatus;
    let mut existing = Vec::new();
    let mut additional = Vec::new();
    let mut uncovered = Vec::new();
    for control in &risk.controls {
        let control = control.trim();
        let mut covered = false;
        for action in actions {
            let remedies = action.items.iter().any(|n| {
                questionnaire
                    .item(*n)
                    .is_some_and(|item| ref_node(&item.reference).eq_ignore_ascii_case(control))
            });
            if !remedies || action.status == ActionStatus::Dropped {
                continue;
            }
            covered = true;
            let list = if action.status == ActionStatus::Done {
                &mut existing
            } else {
                &mut additional
            };
            let reference = format!("ACT-{}", action.number);
            if !list.contains(&reference) {
                list.push(reference);
            }
        }
        if !covered && !uncovered.iter().any(|c: &String| c == control) {
            uncovered.push(control.to_string());
        }
    }
    (existing, additional, uncovered)
}

fn five_level(value: u8) -> String {
    FIVE_LEVELS
        .get(usize::from(value).wrapping_sub(1))
        .map_or_else(String::new, |label| (*label).to_string())
}

/// What the hand-over carries besides the audit: each action as an applied control (`ACT-n`),
/// each risk of the register as a risk scenario (its id), linked to the actions that treat it.
pub fn handover(
    actions: &[crate::model::action::Action],
    risks: &[crate::model::registers::Risk],
    questionnaire: &Questionnaire,
) -> Handover {
    use crate::model::action::{ActionStatus, Effort as OurEffort};
    use crate::model::registers::Treatment as OurTreatment;
    let refs = |items: &[u32]| {
        items
            .iter()
            .filter_map(|n| questionnaire.item(*n))
            .map(|item| item.reference.clone())
            .collect::<Vec<_>>()
    };
    let applied_controls = actions
        .iter()
        .map(|action| {
            let mut description = action.description.trim().to_string();
            let items = refs(&action.items);
            if !items.is_empty() {
                if !description.is_empty() {
                    description.push('\n');
                }
                description.push_str(&format!("Remedies: {}", items.join(", ")));
            }
            let mut observation = action.note.trim().to_string();
            if let Some(done) = action.done_on {
                if !observation.is_empty() {
                    observation.push('\n');
                }
                observation.push_str(&format!("Done on {done}"));
            }
            let csf_function = items
                .iter()
                .find(|r| r.starts_with("A."))
                .map_or(CsfFunction::Govern, |r| CsfFunction::of_ref(r));
            AppliedControlRow {
                ref_id: format!("ACT-{}", action.number),
                name: action.title.clone(),
                description,
                status: match action.status {
                    ActionStatus::Todo => ControlStatus::ToDo,
                    ActionStatus::InProgress => ControlStatus::InProgress,
                    ActionStatus::OnHold => ControlStatus::OnHold,
                    ActionStatus::Done => ControlStatus::Active,
                    ActionStatus::Dropped => ControlStatus::Deprecated,
                },
                category: None,
                csf_function: Some(csf_function),
                priority: Some(action.priority).filter(|p| (1..=4).contains(p)),
                effort: action.effort.map(|effort| match effort {
                    OurEffort::XS => Effort::Xs,
                    OurEffort::S => Effort::S,
                    OurEffort::M => Effort::M,
                    OurEffort::L => Effort::L,
                    OurEffort::XL => Effort::Xl,
                }),
                eta: action.due,
                owner: action.owner.clone(),
                observation,
            }
        })
        .collect();
    let risks = risks
        .iter()
        .map(|risk| {
            let (existing, additional, uncovered) = risk_links(risk, actions, questionnaire);
            let controls = risk.controls.join(", ");
            let uncovered = uncovered.join(", ");
            let description = [
                ("Asset or process", &risk.asset),
                ("Threat", &risk.threat),
                ("Vulnerability", &risk.vulnerability),
                ("Owner", &risk.owner),
                ("Annex A controls", &controls),
                ("Annex A controls without an action yet", &uncovered),
                ("Note", &risk.note),
            ]
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(label, text)| format!("{label}: {}", text.trim()))
            .collect::<Vec<_>>()
            .join("\n");
            RiskRow {
                ref_id: risk.id.clone(),
                name: risk.title.clone(),
                description,
                inherent_impact: five_level(risk.impact),
                inherent_proba: five_level(risk.likelihood),
                current_impact: five_level(risk.impact),
                current_proba: five_level(risk.likelihood),
                residual_impact: risk.residual_impact.map(five_level).unwrap_or_default(),
                residual_proba: risk.residual_likelihood.map(five_level).unwrap_or_default(),
                treatment: Some(match risk.treatment {
                    None => Treatment::Open,
                    Some(OurTreatment::Mitigate) => Treatment::Mitigate,
                    Some(OurTreatment::Accept) => Treatment::Accept,
                    Some(OurTreatment::Avoid) => Treatment::Avoid,
                    Some(OurTreatment::Transfer) => Treatment::Transfer,
                }),
                existing_controls: existing,
                additional_controls: additional,
            }
        })
        .collect();
    Handover {
        applied_controls,
        risks,
    }
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
            risks: Vec::new(),
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
