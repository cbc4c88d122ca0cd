//! The hand-over to CISO Assistant: the sheets its data import (the "Data import wizard", and
//! the same formats through its `clica` command line) reads, each as XLSX and CSV, and a README
//! saying how to import them. Pure: the caller writes the files into one folder.
//!
//! - **Audit** (`audit.xlsx`, `audit.csv`): one row per requirement node of CISO Assistant's
//!   ISO/IEC 27001:2022 framework that can be assessed, the 30 sub-clauses of clauses 4-10 and the
//!   93 Annex A controls, aggregated from our finer items by the rule in [`RULE`].
//! - **Applied controls** (`applied-controls.*`) from [`AppliedControlRow`]s, and **risk
//!   assessment** (`risk-assessment.*`) from [`RiskRow`]s, written only when rows are given.
//!
//! Column names and value lists are those CISO Assistant's import reads (its
//! `backend/data_wizard/views.py` and the framework `backend/library/libraries/iso27001-2022.yaml`,
//! library version 18). Its CSV reader uses commas; an XLSX is read from its first sheet.

use super::csv;
use super::report::{ItemRow, Report};
use super::xlsx::fit_in_cell;
use crate::model::{ItemKind, Questionnaire};
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The only questionnaire whose items map onto CISO Assistant's ISO/IEC 27001:2022 framework.
pub const QUESTIONNAIRE: &str = "iso27001-2022";

/// CISO Assistant's framework, as its catalogue names it.
pub const FRAMEWORK_NAME: &str = "International standard ISO/IEC 27001:2022";

/// Every requirement node's `urn` is this prefix followed by its lower-cased `ref_id`.
pub const URN_PREFIX: &str = "urn:intuitem:risk:req_node:iso27001-2022:";

/// The sub-clauses of clauses 4-10 CISO Assistant assesses (its nodes 6.1, 7.5, 9.2 and 9.3 only
/// group the sub-clauses below them and are not assessable).
pub const CLAUSE_NODES: [&str; 30] = [
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2", "8.3", "9.1", "9.2.1",
    "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
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
pub const APPLIED_CONTROL_COLUMNS: [&str; 10] = [
    "ref_id",
    "name",
    "description",
    "status",
    "category",
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

/// Refuses any questionnaire but the shipped 2022 one: CISO Assistant's current ISO/IEC 27001
/// framework is the 2022 edition, so a 2013 assessment is migrated first.
pub fn check_questionnaire(questionnaire_id: &str, assessment_name: &str) -> Result<(), Refusal> {
    if questionnaire_id == QUESTIONNAIRE {
        return Ok(());
    }
    let hint = if questionnaire_id == "iso27001-2013" {
        format!(
            "run `isms-ready migrate --assessment \"{assessment_name}\"` first (or `m` in the picker) and export the 2022 assessment it creates"
        )
    } else {
        "only an iso27001-2022 assessment maps onto it".to_string()
    };
    Err(Refusal(format!(
        "the ciso-assistant export needs an {QUESTIONNAIRE} assessment, and \"{assessment_name}\" is on {questionnaire_id}: CISO Assistant's ISO/IEC 27001 framework is the 2022 edition; {hint}"
    )))
}

/// The requirement node an item falls into: its sub-clause, or the control itself.
pub fn node_of(row: &ItemRow) -> &str {
    row.reference
        .split_once(' ')
        .map_or(row.reference.as_str(), |(head, _)| head)
}

/// The urn of a node.
pub fn urn(ref_id: &str) -> String {
    format!("{URN_PREFIX}{}", ref_id.to_lowercase())
}

/// The audit rows: the 30 sub-clauses, then the 93 controls, in the framework's order.
pub fn audit_rows(
    report: &Report,
    questionnaire: &Questionnaire,
) -> Result<Vec<AuditRow>, Refusal> {
    check_questionnaire(&report.standard_id, &report.assessment.name)?;
    let controls = report
        .controls()
        .map(|row| row.reference.as_str())
        .collect::<Vec<_>>();
    let nodes = CLAUSE_NODES.iter().copied().chain(controls);
    let mut rows = Vec::with_capacity(CLAUSE_NODES.len() + 93);
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
        rows.push(aggregate(node, name, &items));
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
fn aggregate(node: &str, name: String, items: &[&ItemRow]) -> AuditRow {
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
        urn: urn(node),
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
    /// 1 (highest) to 4; anything else is left blank.
    pub priority: Option<u8>,
    pub effort: Option<Effort>,
    pub eta: Option<NaiveDate>,
    /// User e-mails or team names, separated by `;` (CISO Assistant resolves them; unknown ones
    /// are skipped with a warning).
    pub owner: String,
    pub observation: String,
}

/// One risk scenario of the register. Impact and probability are labels of the risk matrix
/// chosen at import (CISO Assistant maps a label it does not know to "not rated").
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
    /// Names of applied controls already in place (created by the import when unknown).
    pub existing_controls: Vec<String>,
    /// Names of the applied controls the treatment adds.
    pub additional_controls: Vec<String>,
}

/// What goes into the hand-over besides the audit: empty lists write no sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handover {
    pub applied_controls: Vec<AppliedControlRow>,
    pub risks: Vec<RiskRow>,
}

/// One sheet cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(value) => format!("{value}"),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Empty => String::new(),
        }
    }
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

/// A sheet as CSV: RFC 4180 with commas (CISO Assistant's CSV reader), user text neutralised
/// against formulas as in every other CSV export.
pub fn csv_sheet(columns: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = csv::row(columns.iter().copied());
    for cells in rows {
        out.push_str(&csv::row(cells.iter().map(Cell::csv)));
    }
    out
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
    let plain = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let quoted = plain.clone().set_quote_prefix();
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
            match cell {
                Cell::Text(value) => {
                    let format = if csv::starts_like_formula(value) {
                        &quoted
                    } else {
                        &plain
                    };
                    sheet.write_string_with_format(row, col, fit_in_cell(value), format)?;
                }
                Cell::Number(value) => {
                    sheet.write_number_with_format(row, col, *value, &plain)?;
                }
                Cell::Bool(value) => {
                    sheet.write_boolean_with_format(row, col, *value, &plain)?;
                }
                Cell::Empty => {}
            }
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// The file names in the folder.
pub const AUDIT_FILE: &str = "audit";
pub const APPLIED_CONTROLS_FILE: &str = "applied-controls";
pub const RISKS_FILE: &str = "risk-assessment";
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
        out.push(FolderFile {
            name: format!("{stem}.csv"),
            bytes: csv_sheet(columns, &rows).into_bytes(),
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
    }
    out.push(FolderFile {
        name: README_FILE.into(),
        bytes: readme(report, &audit, handover).into_bytes(),
    });
    Ok(out)
}

/// The folder's README: what is in it, how to import each sheet, and the rule.
pub fn readme(report: &Report, audit: &[AuditRow], handover: &Handover) -> String {
    let mut out = String::new();
    let name = crate::text::for_markdown(&report.assessment.name);
    out.push_str(&format!(
        "# Hand-over of \"{name}\" to CISO Assistant\n\n\
         Written by isms-ready on {} from the assessment \"{name}\" ({}).\n\n",
        report.date.format("%Y-%m-%d"),
        report.standard_id
    ));
    out.push_str("## Files\n\n");
    out.push_str(&format!(
        "- `audit.xlsx` / `audit.csv` - the audit (compliance assessment) of CISO Assistant's framework \"{FRAMEWORK_NAME}\": {} rows, the {} sub-clauses of clauses 4-10 and the {} Annex A controls. The two files hold the same rows; import one of them.\n",
        audit.len(),
        CLAUSE_NODES.len(),
        audit.len() - CLAUSE_NODES.len()
    ));
    if handover.applied_controls.is_empty() {
        out.push_str("- no applied-controls sheet: the assessment has no actions yet.\n");
    } else {
        out.push_str(&format!(
            "- `applied-controls.xlsx` / `applied-controls.csv` - {} applied controls (our actions).\n",
            handover.applied_controls.len()
        ));
    }
    if handover.risks.is_empty() {
        out.push_str("- no risk-assessment sheet: the assessment has no risk register yet.\n");
    } else {
        out.push_str(&format!(
            "- `risk-assessment.xlsx` / `risk-assessment.csv` - {} risk scenarios.\n",
            handover.risks.len()
        ));
    }
    out.push_str(IMPORT_STEPS);
    out.push_str("\n## From isms-ready levels to CISO Assistant results\n\n");
    for line in RULE {
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

/// How to import each sheet into a running CISO Assistant, step by step.
pub const IMPORT_STEPS: &str = "
## Importing into CISO Assistant

Before you start: a user allowed to import into the target domain, and a perimeter in that domain
(Organization -> Perimeters) for the audit and the risk assessment.

### 1. The audit

1. Load the framework: Catalog -> Frameworks (or Libraries) -> \"International standard ISO/IEC
   27001:2022\" -> Load, if it is not loaded yet.
2. Import the sheet, either way:
   - Data import wizard (Pro edition): Extra -> Data wizard, choose the model \"Audit\"
     (compliance assessment), the domain, the perimeter and the framework \"International standard
     ISO/IEC 27001:2022\", then upload `audit.xlsx` (or `audit.csv`).
   - `clica` (Community and Pro; in CISO Assistant's `cli/` folder, with a personal access token in
     `.clica.env`): `uv run clica.py import-compliance-assessments --file audit.xlsx --framework
     \"International standard ISO/IEC 27001:2022\" --name \"<audit name>\"` (see its `--help` for
     the perimeter of your version).
3. The import creates a new audit and fills each requirement's result, progress, score and
   observation from the row with the same `ref_id` (else the same `urn`). Open it and check the
   count of rows imported: 123.
4. Rename the audit if the import named it (`Assessment_<timestamp>`), and attach evidence: the
   evidence references are in each requirement's observation.

### 2. The applied controls (when `applied-controls.xlsx` is here)

1. Data wizard -> \"Applied controls\", choose the domain, upload `applied-controls.xlsx`; or
   `uv run clica.py import-applied-controls --file applied-controls.xlsx --folder \"<domain>\"`.
2. Owners are matched to existing users (by e-mail) and teams (by name): create them first, or
   set owners after the import. A control whose name already exists in the domain stops the import
   unless you choose to skip or update it.

### 3. The risk assessment (when `risk-assessment.xlsx` is here)

1. Choose the risk matrix whose impact and probability labels the sheet uses (Catalog -> Risk
   matrices); a label the matrix does not know is left unrated.
2. Data wizard -> \"Risk assessment\", choose the perimeter and that matrix, upload
   `risk-assessment.xlsx`; or `uv run clica.py import-risk-assessment --file risk-assessment.xlsx
   --perimeter \"<perimeter>\" --matrix \"<matrix>\"`.
3. The import creates a new risk assessment; the applied controls named in
   `existing_applied_controls` and `additional_controls` are linked, and created when missing.

Cells that start with `=`, `+`, `-` or `@` carry a leading `'` in the CSV files (and a quote prefix
in the XLSX files) so that no spreadsheet runs them as formulas.
";

/// The labels a risk's likelihood and impact (1 to 5) take in the hand-over: those of a five-level
/// matrix. CISO Assistant rates a scenario against the matrix chosen at import; a label that
/// matrix does not have is left unrated, to be set there.
pub const FIVE_LEVELS: [&str; 5] = ["Very low", "Low", "Medium", "High", "Very high"];

fn five_level(value: u8) -> String {
    FIVE_LEVELS
        .get(usize::from(value).wrapping_sub(1))
        .map_or_else(String::new, |label| (*label).to_string())
}

/// What the hand-over carries besides the audit: each action as an applied control (`ACT-n`),
/// each risk of the register as a risk scenario (its id), its Annex A controls named as the
/// applied controls that treat it.
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
            .join(", ")
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
                description.push_str(&format!("Remedies: {items}"));
            }
            let mut observation = action.note.trim().to_string();
            if let Some(done) = action.done_on {
                if !observation.is_empty() {
                    observation.push('\n');
                }
                observation.push_str(&format!("Done on {done}"));
            }
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
            let description = [
                ("Asset or process", &risk.asset),
                ("Threat", &risk.threat),
                ("Vulnerability", &risk.vulnerability),
                ("Owner", &risk.owner),
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
                existing_controls: Vec::new(),
                additional_controls: risk.controls.clone(),
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
    fn a_2013_assessment_is_refused_with_the_migrate_hint() {
        let refusal = check_questionnaire("iso27001-2013", "Acme").unwrap_err();
        assert!(
            refusal
                .0
                .contains("isms-ready migrate --assessment \"Acme\""),
            "{refusal}"
        );
        assert!(check_questionnaire("iso27001-2022", "Acme").is_ok());
        assert!(check_questionnaire("my-own", "Acme").is_err());
    }

    fn control(ref_id: &str) -> AppliedControlRow {
        AppliedControlRow {
            ref_id: ref_id.into(),
            name: format!("Control {ref_id}"),
            description: "What it does".into(),
            status: ControlStatus::InProgress,
            category: Some(ControlCategory::Technical),
            priority: Some(2),
            effort: Some(Effort::Xl),
            eta: NaiveDate::from_ymd_opt(2027, 3, 31),
            owner: "ciso@example.com;Security team".into(),
            observation: "=cmd|' /C calc'!A0".into(),
        }
    }

    #[test]
    fn applied_controls_are_written_with_the_platform_codes() {
        let rows = [
            control("ACT-1"),
            AppliedControlRow {
                name: "Bare".into(),
                priority: Some(7),
                ..AppliedControlRow::default()
            },
        ];
        let cells: Vec<Vec<Cell>> = rows.iter().map(applied_control_cells).collect();
        let text = csv_sheet(&APPLIED_CONTROL_COLUMNS, &cells);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "ref_id,name,description,status,category,priority,effort,eta,owner,observation"
        );
        assert_eq!(
            lines[1],
            "ACT-1,Control ACT-1,What it does,in_progress,technical,2,XL,2027-03-31,ciso@example.com;Security team,'=cmd|' /C calc'!A0"
        );
        // A priority outside 1-4 and unset fields stay blank.
        assert_eq!(lines[2], ",Bare,,to_do,,,,,,");
        let xlsx = xlsx_sheet("Applied controls", &APPLIED_CONTROL_COLUMNS, &cells).unwrap();
        assert_eq!(&xlsx[..2], b"PK");
    }

    #[test]
    fn risks_are_written_with_treatment_codes_and_controls_one_per_line() {
        let row = RiskRow {
            ref_id: "R-1".into(),
            name: "Ransomware on the file server".into(),
            description: "Encrypts shared drives".into(),
            inherent_impact: "High".into(),
            inherent_proba: "Likely".into(),
            current_impact: "High".into(),
            current_proba: "Likely".into(),
            residual_impact: "Medium".into(),
            residual_proba: "Unlikely".into(),
            treatment: Some(Treatment::Mitigate),
            existing_controls: vec!["Backups".into()],
            additional_controls: vec!["Offline backups".into(), "EDR".into()],
        };
        let cells = risk_cells(&row);
        assert_eq!(cells[9], Cell::Text("mitigate".into()));
        assert_eq!(cells[11], Cell::Text("Offline backups\nEDR".into()));
        let text = csv_sheet(&RISK_COLUMNS, &[cells]);
        assert!(text.starts_with(
            "ref_id,name,description,inherent_impact,inherent_proba,current_impact,current_proba,residual_impact,residual_proba,treatment,existing_applied_controls,additional_controls\r\n"
        ));
        assert!(
            text.contains(",mitigate,Backups,\"Offline backups\nEDR\"\r\n"),
            "{text}"
        );
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
