//! The assessment document: the whole assessment as JSON (`"format": "isms-ready/assessment"`,
//! `"version": 2`), written by `export --format json` and read back by `import`. Export, import
//! and export again give the same document. Version 1 files (before actions) are still read:
//! they are upgraded on read (a version 1 document is a version 2 document without actions, a
//! version 2 one a version 3 document without audit records). Its figures (`summary`) are filled in by
//! `export::json::document`, the only place that scores; the rest is pure model.

use super::HistoryEntry;
use super::plan::{PlanTemplate, StepProgress, StepStatus};
use super::questionnaire::{DataFileError, Place, parse_json};
use super::registers::{ContextIssue, InterestedParty, Objective, RegisterKind, Registers, Risk};
use super::{Answer, Answers, Assessment, Catalog, Questionnaire};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const ASSESSMENT_FORMAT: &str = "isms-ready/assessment";
pub const ASSESSMENT_VERSION: u32 = 3;
/// The versions import reads: 1 (before actions) is upgraded on read.
pub const READABLE_VERSIONS: [u32; 3] = [1, 2, 3];
/// Larger files are refused before they are read: a limit against a hostile file, far above any
/// document this tool writes (a full assessment with long notes and years of history is a few
/// tens of MiB; the limit was 32 MiB, and a deletion's backup of 36 MiB could not be imported
/// back). `delete` reads its backup back through the same check before it deletes anything.
pub const MAX_DOCUMENT_BYTES: usize = 512 * 1024 * 1024;

/// The limit in force: `MAX_DOCUMENT_BYTES`, or in debug builds the test hook
/// `ISMS_READY_TEST_MAX_DOCUMENT_BYTES` (so a test can see a backup refused without writing half
/// a gigabyte; the release binary holds no test hook).
pub fn max_document_bytes() -> usize {
    #[cfg(debug_assertions)]
    if let Some(limit) = std::env::var("ISMS_READY_TEST_MAX_DOCUMENT_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return limit;
    }
    MAX_DOCUMENT_BYTES
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentHeader {
    pub name: String,
    pub questionnaire: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub assessor: String,
    /// Left out when empty, so a file without a firm reads in builds that know no firm.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub firm: String,
    pub created_at: String,
    /// The assessment's UUID, the same in every copy (issue 18); older files have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

/// One answered item: the item's number and ref, then the fields of `Answer` (declared there
/// once). Fields left out read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRecord {
    pub item: u32,
    /// The item's ref, checked on import so a file is never read into the wrong items.
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(flatten)]
    pub answer: Answer,
}

/// One plan step that is not untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub step: u32,
    pub status: StepStatus,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRecord {
    pub changed_at: String,
    #[serde(default)]
    pub item: Option<u32>,
    #[serde(default)]
    pub step: Option<u32>,
    pub field: String,
    /// The workshop session open when the change was made (its number in `sessions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// On an undo: the position in `history` of the row it undid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<usize>,
    #[serde(default)]
    pub old_value: Option<String>,
    #[serde(default)]
    pub new_value: Option<String>,
    /// The action a row of an action change names (its number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<u32>,
    /// The change's unique id, kept through export, import and merge (issue 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_id: Option<String>,
    /// The action or register entry the row names, by its unique id (issue 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentDocument {
    pub format: String,
    pub version: u32,
    /// For an edition no longer used for certification (2013): what the reader should know.
    /// Written for readers; import ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    pub assessment: AssessmentHeader,
    pub answers: Vec<AnswerRecord>,
    /// The workshop sessions, oldest first (issue 14).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<super::session::WorkshopSession>,
    pub plan: Vec<StepRecord>,
    /// The actions (version 2), by number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<super::action::Action>,
    /// The registers (issue 17), each in its order; left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextIssue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<InterestedParty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<Objective>,
    /// The audit records (version 3, issue 30), each in its order; left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audits: Vec<super::audit::Audit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<super::audit::Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nonconformities: Vec<super::audit::Nonconformity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub management_reviews: Vec<super::audit::ManagementReview>,
    /// The figures as this build scores them (the shape of `summary --json`); for readers only:
    /// import ignores them and scores the answers again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryRecord>>,
    /// The change ids of other copies this one has merged in (issue 18), so a copy merging this
    /// one back knows which of its own changes were already seen here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
}

impl AssessmentDocument {
    /// The document of one assessment, with the figures `summary` as scored by the caller.
    /// Untouched answers and steps are left out.
    pub fn build(
        assessment: &Assessment,
        questionnaire: &Questionnaire,
        answers: &Answers,
        progress: &[StepProgress],
        history: Option<&[HistoryEntry]>,
        summary: Option<serde_json::Value>,
    ) -> AssessmentDocument {
        let answers_out = questionnaire
            .items
            .iter()
            .filter(|item| *answers.get(item.number) != Answer::default())
            .map(|item| AnswerRecord {
                item: item.number,
                reference: item.reference.clone(),
                answer: answers.get(item.number).clone(),
            })
            .collect();
        let plan = progress
            .iter()
            .enumerate()
            .filter(|(_, p)| **p != StepProgress::default())
            .map(|(index, p)| StepRecord {
                step: index as u32 + 1,
                status: p.status,
                reason: p.reason.clone(),
                owner: p.owner.clone(),
                start: p.start,
                due: p.due,
                done_on: p.done_on,
                note: p.note.clone(),
            })
            .collect();
        AssessmentDocument {
            format: ASSESSMENT_FORMAT.into(),
            version: ASSESSMENT_VERSION,
            notice: questionnaire.superseded.as_ref().map(|s| s.notice.clone()),
            assessment: AssessmentHeader {
                name: assessment.name.clone(),
                questionnaire: questionnaire.id.clone(),
                scope: assessment.scope.clone(),
                assessor: assessment.assessor.clone(),
                firm: assessment.firm.clone(),
                created_at: assessment.created_at.clone(),
                uuid: None,
            },
            answers: answers_out,
            plan,
            summary,
            history: history.map(|entries| {
                let position: std::collections::HashMap<i64, usize> = entries
                    .iter()
                    .enumerate()
                    .map(|(index, h)| (h.id, index))
                    .collect();
                entries
                    .iter()
                    .map(|h| HistoryRecord {
                        changed_at: h.changed_at.clone(),
                        item: h.item,
                        step: h.step,
                        field: h.field.clone(),
                        old_value: h.old_value.clone(),
                        new_value: h.new_value.clone(),
                        action: h.action,
                        session: h.session,
                        undoes: h.undoes.and_then(|id| position.get(&id).copied()),
                        change_id: Some(h.change_id.clone()).filter(|id| !id.is_empty()),
                        uid: h.uid.clone(),
                    })
                    .collect()
            }),
            actions: Vec::new(),
            context: Vec::new(),
            parties: Vec::new(),
            risks: Vec::new(),
            objectives: Vec::new(),
            audits: Vec::new(),
            findings: Vec::new(),
            nonconformities: Vec::new(),
            management_reviews: Vec::new(),
            sessions: Vec::new(),
            merged: Vec::new(),
        }
    }

    /// The document with the assessment's UUID and the change ids it merged in (issue 18).
    pub fn with_identity(mut self, uuid: String, merged: Vec<String>) -> Self {
        self.assessment.uuid = Some(uuid);
        self.merged = merged;
        self
    }

    /// The document with the assessment's workshop sessions.
    pub fn with_sessions(mut self, sessions: Vec<super::session::WorkshopSession>) -> Self {
        self.sessions = sessions;
        self
    }

    /// The same document with the assessment's registers.
    pub fn with_registers(mut self, registers: &Registers) -> AssessmentDocument {
        self.context = registers.context.clone();
        self.parties = registers.parties.clone();
        self.risks = registers.risks.clone();
        self.objectives = registers.objectives.clone();
        self.audits = registers.audits.clone();
        self.findings = registers.findings.clone();
        self.nonconformities = registers.nonconformities.clone();
        self.management_reviews = registers.reviews.clone();
        self
    }

    /// The registers of the document, in their order.
    pub fn registers(&self) -> Registers {
        let mut registers = Registers {
            context: self.context.clone(),
            parties: self.parties.clone(),
            risks: self.risks.clone(),
            objectives: self.objectives.clone(),
            audits: self.audits.clone(),
            findings: self.findings.clone(),
            nonconformities: self.nonconformities.clone(),
            reviews: self.management_reviews.clone(),
        };
        registers.sort();
        registers
    }

    /// Every register entry obeys its rules and has a distinct id of its register.
    fn check_registers(&self) -> Result<(), (String, String)> {
        fn each<'a>(
            name: &str,
            kind: RegisterKind,
            entries: impl Iterator<Item = (&'a str, Result<(), String>)>,
        ) -> Result<(), (String, String)> {
            let mut seen = HashSet::new();
            for (index, (id, rule)) in entries.enumerate() {
                let at = |field: &str| format!("{name}[{index}].{field}");
                let number = kind
                    .parse_id(id)
                    .filter(|&n| kind.id(n) == id)
                    .ok_or_else(|| {
                        (
                            at("id"),
                            format!(
                                "\"{id}\" is not an id of this register (they read like {})",
                                kind.id(1)
                            ),
                        )
                    })?;
                if !seen.insert(number) {
                    return Err((at("id"), format!("{id} is listed twice")));
                }
                rule.map_err(|rule| (format!("{name}[{index}]"), rule))?;
            }
            Ok(())
        }
        each(
            "context",
            RegisterKind::Context,
            self.context.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "parties",
            RegisterKind::Parties,
            self.parties.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "risks",
            RegisterKind::Risks,
            self.risks.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "objectives",
            RegisterKind::Objectives,
            self.objectives.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "audits",
            RegisterKind::Audits,
            self.audits.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "findings",
            RegisterKind::Findings,
            self.findings.iter().map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "nonconformities",
            RegisterKind::Nonconformities,
            self.nonconformities
                .iter()
                .map(|e| (e.id.as_str(), e.check())),
        )?;
        each(
            "management_reviews",
            RegisterKind::Reviews,
            self.management_reviews
                .iter()
                .map(|e| (e.id.as_str(), e.check())),
        )
    }

    pub fn to_json(&self) -> String {
        let text = serde_json::to_string_pretty(self).expect("documents always serialise");
        // DEL, C1 and bidi controls as `\uXXXX`: the data is unchanged, the file safe to `cat`.
        let mut text = crate::text::for_json(&text).into_owned();
        text.push('\n');
        text
    }

    /// Reads and checks a document; nothing in it is trusted before every rule holds.
    pub fn parse(
        source: &str,
        text: &str,
        catalog: &Catalog,
        plan: &PlanTemplate,
    ) -> Result<AssessmentDocument, DataFileError> {
        let refuse = |path: &str, rule: String| DataFileError::rule(source, path.to_string(), rule);
        if text.len() > max_document_bytes() {
            return Err(DataFileError {
                file: source.into(),
                place: Place::Whole,
                rule: format!(
                    "the file is {} MiB; an assessment document is at most {} MiB",
                    text.len() / (1024 * 1024),
                    max_document_bytes() / (1024 * 1024)
                ),
            });
        }
        // Check the format before the shape, so a file of another kind says so. Only these two
        // fields are kept: the rest is skipped, not held in memory as a tree.
        #[derive(Deserialize)]
        struct Probe {
            format: Option<serde_json::Value>,
            version: Option<serde_json::Value>,
        }
        let probe: Probe = match serde_json::from_str(text) {
            Ok(probe) => probe,
            // Not an object, or malformed: read as a tree, as before, for the same message.
            Err(_) => {
                let tree: serde_json::Value = parse_json(source, text)?;
                Probe {
                    format: tree.get("format").cloned(),
                    version: tree.get("version").cloned(),
                }
            }
        };
        match (probe.format.as_ref(), probe.version.as_ref()) {
            (Some(serde_json::Value::String(format)), _) if format != ASSESSMENT_FORMAT => {
                return Err(refuse(
                    "format",
                    format!("unknown format \"{format}\"; expected \"{ASSESSMENT_FORMAT}\""),
                ));
            }
            (None, _) => {
                return Err(refuse(
                    "format",
                    format!("missing; expected \"{ASSESSMENT_FORMAT}\""),
                ));
            }
            (_, Some(version))
                if !READABLE_VERSIONS
                    .iter()
                    .any(|v| version.as_u64() == Some(u64::from(*v))) =>
            {
                return Err(refuse(
                    "version",
                    format!(
                        "version {version} is not supported; this build reads versions 1 to {ASSESSMENT_VERSION}"
                    ),
                ));
            }
            _ => {}
        }
        let mut document: AssessmentDocument = parse_json(source, text).map_err(|error| {
            // Only to explain an error: the whole file as a tree, to name the answer.
            match parse_json::<serde_json::Value>(source, text) {
                Ok(tree) => locate_in_answer(error, &tree),
                Err(_) => error,
            }
        })?;
        if document.version == 1 && !document.actions.is_empty() {
            return Err(refuse(
                "actions",
                "a version 1 document has no actions; actions need version 2".into(),
            ));
        }
        let has_audit_records = !(document.audits.is_empty()
            && document.findings.is_empty()
            && document.nonconformities.is_empty()
            && document.management_reviews.is_empty());
        if document.version < 3 && has_audit_records {
            return Err(refuse(
                "version",
                format!(
                    "a version {} document has no audits, findings, nonconformities or management reviews; they need version 3",
                    document.version
                ),
            ));
        }
        // Upgrade on read: what import keeps is a document of this version.
        document.version = ASSESSMENT_VERSION;
        if document.assessment.name.trim().is_empty() {
            return Err(refuse("assessment.name", "must not be empty".into()));
        }
        let Some(questionnaire) = catalog.get(&document.assessment.questionnaire) else {
            return Err(refuse(
                "assessment.questionnaire",
                format!(
                    "questionnaire \"{}\" is not known to this build (known: {})",
                    document.assessment.questionnaire,
                    catalog.ids().join(", ")
                ),
            ));
        };
        let mut seen = HashSet::new();
        for (index, answer) in document.answers.iter().enumerate() {
            let at = |field: &str| format!("answers[{index}].{field}");
            let Some(item) = questionnaire.item(answer.item) else {
                return Err(refuse(
                    &at("item"),
                    format!(
                        "item {} is outside {} (items 1 to {})",
                        answer.item,
                        questionnaire.id,
                        questionnaire.items.len()
                    ),
                ));
            };
            if !seen.insert(answer.item) {
                return Err(refuse(
                    &at("item"),
                    format!("item {} is answered twice", answer.item),
                ));
            }
            if answer.reference != item.reference {
                return Err(refuse(
                    &at("ref"),
                    format!(
                        "item {} is {} in {}, not {}",
                        item.number, item.reference, questionnaire.id, answer.reference
                    ),
                ));
            }
            if !item.is_control() && answer.answer.applicable.is_some() {
                return Err(refuse(
                    &at("applicable"),
                    format!(
                        "item {} is a clause requirement: {}",
                        item.number,
                        super::assessment::NO_CLAUSE_EXCLUSION
                    ),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (index, step) in document.plan.iter().enumerate() {
            let at = |field: &str| format!("plan[{index}].{field}");
            if plan.step(step.step).is_none() {
                return Err(refuse(
                    &at("step"),
                    format!(
                        "step {} is outside the plan (steps 1 to {})",
                        step.step,
                        plan.steps.len()
                    ),
                ));
            }
            if !seen.insert(step.step) {
                return Err(refuse(
                    &at("step"),
                    format!("step {} is listed twice", step.step),
                ));
            }
            if step.status.needs_reason() && step.reason.trim().is_empty() {
                return Err(refuse(
                    &at("reason"),
                    format!("a {} step needs a reason", step.status.label()),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (index, action) in document.actions.iter().enumerate() {
            let at = |field: &str| format!("actions[{index}].{field}");
            if action.number == 0 || !seen.insert(action.number) {
                return Err(refuse(
                    &at("number"),
                    format!("action number {} is 0 or listed twice", action.number),
                ));
            }
            if let Some(item) = action
                .items
                .iter()
                .find(|n| questionnaire.item(**n).is_none())
            {
                return Err(refuse(
                    &at("items"),
                    format!(
                        "item {item} is outside {} (items 1 to {})",
                        questionnaire.id,
                        questionnaire.items.len()
                    ),
                ));
            }
            if let Some(step) = action.step.filter(|s| plan.step(*s).is_none()) {
                return Err(refuse(
                    &at("step"),
                    format!(
                        "step {step} is outside the plan (steps 1 to {})",
                        plan.steps.len()
                    ),
                ));
            }
            let mut sorted = action.items.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted != action.items {
                return Err(refuse(
                    &at("items"),
                    "items must be listed once each, ascending".into(),
                ));
            }
            if let Err(rule) = super::action::check(action) {
                return Err(refuse(&at("title"), rule));
            }
        }
        if let Err((path, rule)) = document.check_registers() {
            return Err(refuse(&path, rule));
        }
        for (index, risk) in document.risks.iter().enumerate() {
            for control in &risk.controls {
                let known = questionnaire
                    .items
                    .iter()
                    .any(|item| item.is_control() && item.reference == *control);
                if !known {
                    return Err(refuse(
                        &format!("risks[{index}].controls"),
                        format!(
                            "{control} is not an Annex A control of {}",
                            questionnaire.id
                        ),
                    ));
                }
            }
        }
        let mut numbers = HashSet::new();
        for (index, session) in document.sessions.iter().enumerate() {
            let at = |field: &str| format!("sessions[{index}].{field}");
            if session.number == 0 || !numbers.insert(session.number) {
                return Err(refuse(
                    &at("number"),
                    format!("session number {} is 0 or listed twice", session.number),
                ));
            }
            if session.title.trim().is_empty() {
                return Err(refuse(&at("title"), "a session needs a title".into()));
            }
        }
        if document.sessions.iter().filter(|s| s.is_open()).count() > 1 {
            return Err(refuse("sessions", "more than one session is open".into()));
        }
        if let Some(history) = &document.history {
            for (index, entry) in history.iter().enumerate() {
                if entry.session.is_some_and(|n| !numbers.contains(&n)) {
                    return Err(refuse(
                        &format!("history[{index}].session"),
                        "a session not in sessions".into(),
                    ));
                }
                if entry.undoes.is_some_and(|undone| undone >= index) {
                    return Err(refuse(
                        &format!("history[{index}].undoes"),
                        "an undo names a row that is not before it".into(),
                    ));
                }
                if entry
                    .item
                    .is_some_and(|item| questionnaire.item(item).is_none())
                {
                    return Err(refuse(
                        &format!("history[{index}].item"),
                        "item outside the questionnaire".into(),
                    ));
                }
                if let Err((field, rule)) = check_history_record(entry, &questionnaire, plan) {
                    return Err(refuse(&format!("history[{index}].{field}"), rule));
                }
            }
        }
        Ok(document)
    }

    /// The answers as the model holds them, for a questionnaire of `item_count` items.
    pub fn answers(&self, item_count: usize) -> Answers {
        let mut answers = Answers::new(item_count);
        for record in &self.answers {
            *answers.get_mut(record.item) = record.answer.clone();
        }
        answers
    }

    /// The plan progress, for a plan of `step_count` steps.
    pub fn progress(&self, step_count: usize) -> Vec<StepProgress> {
        let mut progress = vec![StepProgress::default(); step_count];
        for record in &self.plan {
            if let Some(slot) = progress.get_mut(record.step as usize - 1) {
                *slot = StepProgress {
                    status: record.status,
                    reason: record.reason.clone(),
                    owner: record.owner.clone(),
                    start: record.start,
                    due: record.due,
                    done_on: record.done_on,
                    note: record.note.clone(),
                };
            }
        }
        progress
    }
}

/// A type error inside one answer of a document names the answer only (`answers[3]`): its fields
/// are read through `#[serde(flatten)]`, which hides them from the path. This reads that answer
/// again on its own to name the field too (`answers[3].level`), as for every other field.
/// Checks one history row as the app would have written it (issue 22): its time, what it names
/// (an item of the questionnaire, a step of the plan, an action, a register entry) and each of
/// its values by the rules a change of that field obeys (`Change::check`, `PlanChange::check`,
/// the action and register rules, dates as YYYY-MM-DD). Import and merge both read documents
/// through `parse`, so a row merge would bring in is checked exactly as import checks it.
/// Returns the field of the row at fault and the rule.
pub fn check_history_record(
    row: &HistoryRecord,
    questionnaire: &Questionnaire,
    plan: &PlanTemplate,
) -> Result<(), (&'static str, String)> {
    use super::Level;
    use super::action::{ActionStatus, Effort};
    use super::assessment::{Change, ReasonCode};
    use super::plan::{PlanChange, parse_date};
    if chrono::DateTime::parse_from_rfc3339(&row.changed_at).is_err() {
        return Err((
            "changed_at",
            format!(
                "\"{}\" is not a time (RFC 3339, like 2026-03-01T09:30:00Z)",
                crate::text::inline(&row.changed_at)
            ),
        ));
    }
    if let Some(step) = row.step.filter(|s| plan.step(*s).is_none()) {
        return Err((
            "step",
            format!(
                "step {step} is outside the plan (steps 1 to {})",
                plan.steps.len()
            ),
        ));
    }
    let field = row.field.as_str();
    let unknown = || {
        Err((
            true,
            format!(
                "\"{}\" is not a field isms-ready records",
                crate::text::inline(field)
            ),
        ))
    };
    let date = |v: &str| parse_date(v).map(|_| ());
    // Each value the row holds (a value absent, before the field was first set or after an entry
    // was removed, is fine); the field name is checked even when both are absent.
    let check = |value: Option<&str>| -> Result<(), (bool, String)> {
        let checked: Result<(), String> = if let Some(number) = row.item {
            let Some(item) = questionnaire.item(number) else {
                return Err((false, "item outside the questionnaire".into()));
            };
            let change = match (field, value) {
                ("level", None) => Change::Level(None),
                ("level", Some(v)) => match v.parse::<u8>().ok().and_then(Level::from_u8) {
                    Some(level) => Change::Level(Some(level)),
                    None => {
                        return Err((
                            false,
                            format!("level \"{}\" is not 0 to 4", crate::text::inline(v)),
                        ));
                    }
                },
                ("note", v) => Change::Note(v.unwrap_or_default().into()),
                ("evidence", v) => Change::Evidence(v.unwrap_or_default().into()),
                ("owner", v) => Change::Owner(v.unwrap_or_default().into()),
                ("risks", v) => Change::Risks(v.unwrap_or_default().into()),
                ("review_needed", None | Some("true" | "false")) => {
                    Change::ReviewNeeded(value == Some("true"))
                }
                ("due", None) => Change::Note(String::new()),
                ("due", Some(v)) => {
                    date(v).map_err(|rule| (false, rule))?;
                    Change::Note(String::new())
                }
                ("applicability", None) => Change::Applicability {
                    applicable: None,
                    reasons: Vec::new(),
                    justification: String::new(),
                },
                ("applicability", Some(v)) => {
                    let (word, rest) = v.split_once(' ').unwrap_or((v, ""));
                    let applicable = match word {
                        "applicable" => true,
                        "excluded" => false,
                        _ => {
                            return Err((
                                false,
                                format!(
                                    "\"{}\" is not a decision (applicable or excluded)",
                                    crate::text::inline(v)
                                ),
                            ));
                        }
                    };
                    let rest = rest.trim_start();
                    let (codes, justification) = match rest.strip_prefix('[') {
                        Some(inner) => inner.split_once(']').unwrap_or((inner, "")),
                        None => ("", rest),
                    };
                    if let Some(code) = codes
                        .split(',')
                        .map(str::trim)
                        .find(|c| !c.is_empty() && ReasonCode::parse(c).is_none())
                    {
                        return Err((
                            false,
                            format!("\"{}\" is not a reason code", crate::text::inline(code)),
                        ));
                    }
                    Change::Applicability {
                        applicable: Some(applicable),
                        reasons: ReasonCode::split(codes),
                        justification: justification.trim_start().to_string(),
                    }
                }
                ("review_needed", Some(v)) => {
                    return Err((
                        false,
                        format!("\"{}\" is not true or false", crate::text::inline(v)),
                    ));
                }
                _ => return unknown(),
            };
            change.check(item)
        } else if row.step.is_some() {
            match (field, value) {
                ("plan.status", None) => Ok(()),
                ("plan.status", Some(v)) => {
                    let (code, reason) = v.split_once(": ").unwrap_or((v, ""));
                    match StepStatus::parse(code) {
                        Some(status) => PlanChange::Status {
                            status,
                            reason: reason.to_string(),
                            today: chrono::NaiveDate::MAX,
                        }
                        .check(),
                        None => Err(format!(
                            "\"{}\" is not a step status",
                            crate::text::inline(code)
                        )),
                    }
                }
                ("plan.owner" | "plan.note", _) => Ok(()),
                ("plan.start" | "plan.due" | "plan.done_on", v) => v.map_or(Ok(()), date),
                _ => return unknown(),
            }
        } else if let Some(name) = field.strip_prefix("action.") {
            match (name, value) {
                ("created" | "removed" | "title" | "description" | "owner" | "note", _) => Ok(()),
                ("due" | "done_on", v) => v.map_or(Ok(()), date),
                ("effort", Some(v)) if Effort::parse(v).is_none() => Err(format!(
                    "\"{}\" is not an effort (XS to XL)",
                    crate::text::inline(v)
                )),
                ("effort", _) => Ok(()),
                ("priority", v) => match v.and_then(|v| v.parse::<u8>().ok()) {
                    Some(1..=4) => Ok(()),
                    _ => Err(format!(
                        "priority \"{}\" is not 1 to 4",
                        crate::text::inline(v.unwrap_or_default())
                    )),
                },
                ("status", v) => match v.and_then(ActionStatus::parse) {
                    Some(_) => Ok(()),
                    None => Err(format!(
                        "\"{}\" is not an action status",
                        crate::text::inline(v.unwrap_or_default())
                    )),
                },
                ("step", None) => Ok(()),
                ("step", Some(v)) => match v.parse::<u32>().ok().and_then(|s| plan.step(s)) {
                    Some(_) => Ok(()),
                    None => Err(format!(
                        "step \"{}\" is outside the plan",
                        crate::text::inline(v)
                    )),
                },
                ("items", v) => match v
                    .unwrap_or_default()
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|n| !n.is_empty())
                    .find(|n| n.parse().ok().and_then(|n| questionnaire.item(n)).is_none())
                {
                    Some(n) => Err(format!("item {n} is outside {}", questionnaire.id)),
                    None => Ok(()),
                },
                _ => return unknown(),
            }
        } else {
            let Some((noun, verb)) = field.split_once('.') else {
                return unknown();
            };
            if !matches!(verb, "add" | "set" | "remove") {
                return unknown();
            }
            fn entry<T: serde::de::DeserializeOwned>(
                json: Option<&str>,
                check: impl Fn(&T) -> Result<(), String>,
            ) -> Result<(), String> {
                let Some(json) = json else { return Ok(()) };
                let entry: T = serde_json::from_str(json)
                    .map_err(|e| format!("not an entry of the register ({e})"))?;
                check(&entry)
            }
            match noun {
                "context" => entry::<ContextIssue>(value, ContextIssue::check),
                "parties" => entry::<InterestedParty>(value, InterestedParty::check),
                "risks" => entry::<Risk>(value, Risk::check),
                "objectives" => entry::<Objective>(value, Objective::check),
                "audit" => entry::<super::audit::Audit>(value, super::audit::Audit::check),
                "finding" => entry::<super::audit::Finding>(value, super::audit::Finding::check),
                "nc" => {
                    entry::<super::audit::Nonconformity>(value, super::audit::Nonconformity::check)
                }
                "review" => entry::<super::audit::ManagementReview>(
                    value,
                    super::audit::ManagementReview::check,
                ),
                _ => return unknown(),
            }
        };
        checked.map_err(|rule| (false, rule))
    };
    let mut present: Vec<(&'static str, Option<&str>)> = [
        ("old_value", row.old_value.as_deref()),
        ("new_value", row.new_value.as_deref()),
    ]
    .into_iter()
    .filter(|(_, value)| value.is_some())
    .collect();
    if present.is_empty() {
        present.push(("new_value", None));
    }
    for (column, value) in present {
        check(value).map_err(|(is_field, rule)| (if is_field { "field" } else { column }, rule))?;
    }
    Ok(())
}

fn locate_in_answer(error: DataFileError, probe: &serde_json::Value) -> DataFileError {
    let Some(answers) = probe.get("answers").and_then(serde_json::Value::as_array) else {
        return error;
    };
    for (index, value) in answers.iter().enumerate() {
        let at = format!("answers[{index}]");
        if !error.rule.ends_with(&format!("(at {at})")) {
            continue;
        }
        if let Err(inner) = serde_path_to_error::deserialize::<_, Answer>(value) {
            let rule = inner.inner().to_string();
            return DataFileError {
                rule: format!("{rule} (at {at}.{})", inner.path()),
                ..error
            };
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(answer: &str) -> Result<AssessmentDocument, DataFileError> {
        let text = format!(
            r#"{{"format": "isms-ready/assessment", "version": 1,
                "assessment": {{"name": "A", "questionnaire": "iso27001-2022", "created_at": "2026-01-01T00:00:00Z"}},
                "answers": [{{"item": 1, "ref": "4.1"}}, {answer}], "plan": []}}"#
        );
        AssessmentDocument::parse(
            "in.json",
            &text,
            &Catalog::builtin(),
            PlanTemplate::builtin(),
        )
    }

    /// The answer's fields are read through `#[serde(flatten)]`; a wrong value still names its
    /// field, as it did when the document spelled the fields out (guards `locate_in_answer`).
    #[test]
    fn a_wrong_value_in_an_answer_names_its_field() {
        for (field, value) in [
            ("applicable", "\"yes\""),
            ("level", "\"three\""),
            ("level", "7"),
            ("note", "1"),
            ("reasons", "[\"because\"]"),
            ("review_needed", "\"no\""),
        ] {
            let error = parse(&format!(
                r#"{{"item": 2, "ref": "4.2", "{field}": {value}}}"#
            ))
            .expect_err(field);
            assert!(
                error.rule.contains(&format!("(at answers[1].{field}")),
                "{field}: {}",
                error.rule
            );
        }
        let unknown = parse(r#"{"item": 2, "ref": "4.2", "colour": "red"}"#).unwrap_err();
        assert!(
            unknown.rule.contains("unknown field `colour`"),
            "{}",
            unknown.rule
        );
    }

    /// Every field of `Answer` is written, in its declared order, after `item` and `ref`.
    #[test]
    fn an_answer_record_lists_the_answer_fields_in_order() {
        let record = AnswerRecord {
            item: 1,
            reference: "4.1".into(),
            answer: Answer::default(),
        };
        let text = serde_json::to_string(&record).unwrap();
        assert_eq!(
            text,
            r#"{"item":1,"ref":"4.1","level":null,"note":"","evidence":"","owner":"","due":null,"applicable":null,"reasons":[],"justification":"","risks":"","review_needed":false}"#
        );
        let back: AnswerRecord = serde_json::from_str(r#"{"item":1,"ref":"4.1"}"#).unwrap();
        assert_eq!(back, record);
    }
}
