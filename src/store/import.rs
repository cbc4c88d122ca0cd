//! Reading an assessment document into the database: all of it in one transaction, or nothing.

use super::assessments::now;
use super::{Store, StoreError, StoreResult};
use crate::model::Assessment;
use crate::model::document::AssessmentDocument;
use crate::model::plan::PlanTemplate;
use rusqlite::{TransactionBehavior, params};

impl Store {
    /// Creates a new assessment named `name` from a checked document (see
    /// `AssessmentDocument::parse`). Writes nothing when any part fails.
    pub fn import_document(
        &mut self,
        document: &AssessmentDocument,
        name: &str,
    ) -> StoreResult<Assessment> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an assessment needs a name".into()));
        }
        if self.find_assessment(name)?.is_some() {
            return Err(StoreError::Invalid(format!(
                "an assessment named \"{name}\" already exists; import it under another name with --as NAME"
            )));
        }
        check_document(document)?;
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let header = &document.assessment;
        transaction
            .execute(
                "INSERT INTO assessment (name, questionnaire_id, scope, assessor, firm, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    name,
                    header.questionnaire,
                    header.scope,
                    header.assessor,
                    header.firm,
                    header.created_at
                ],
            )
            .map_err(fail)?;
        let id = transaction.last_insert_rowid();
        // A copy keeps the UUID of the assessment it copies (issue 18); a file without one, or
        // with one that is not a UUID, gets a new one (the insert trigger gave it).
        if let Some(uuid) = header
            .uuid
            .as_deref()
            .and_then(|u| uuid::Uuid::parse_str(u).ok())
        {
            transaction
                .execute(
                    "UPDATE assessment SET uid = ?2 WHERE id = ?1",
                    params![id, uuid.hyphenated().to_string()],
                )
                .map_err(fail)?;
        }
        for change_id in &document.merged {
            transaction
                .execute(
                    "INSERT OR IGNORE INTO merge_applied (assessment_id, change_id) VALUES (?1, ?2)",
                    params![id, change_id],
                )
                .map_err(fail)?;
        }
        let stamp = now();
        for record in &document.answers {
            // An excluded control has no level (older exports may carry one): `upsert_answer`
            // leaves it out.
            super::answers::upsert_answer(&transaction, id, record.item, &record.answer, &stamp)
                .map_err(fail)?;
        }
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        for s in &document.plan {
            transaction
                .execute(
                    "INSERT INTO plan_step (assessment_id, step, status, reason, owner, start, due, done_on, note, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![id, s.step, s.status.code(), s.reason, s.owner, day(s.start), day(s.due), day(s.done_on), s.note, stamp],
                )
                .map_err(fail)?;
        }
        for action in &document.actions {
            super::actions::write_action(&transaction, id, action, &stamp).map_err(fail)?;
        }
        let registers = document.registers();
        let write = |transaction: &rusqlite::Transaction<'_>| -> rusqlite::Result<()> {
            use crate::model::registers::RegisterKind;
            let number = |kind: RegisterKind, entry_id: &str| kind.parse_id(entry_id).unwrap_or(1);
            for kind in RegisterKind::EVERY {
                crate::with_register!(kind, T => {
                    use crate::model::register_spec::RegisterEntry;
                    for e in T::of(&registers) {
                        let n = number(kind, e.id());
                        super::registers::write_entry(transaction, id, n, e, &stamp)?;
                    }
                });
            }
            Ok(())
        };
        write(&transaction).map_err(fail)?;
        for session in &document.sessions {
            super::sessions::insert_session(&transaction, id, session).map_err(fail)?;
        }
        let mut ids: Vec<i64> = Vec::new();
        for h in document.history.iter().flatten() {
            let undoes = h.undoes.and_then(|index| ids.get(index).copied());
            let row = super::history::HistoryRow {
                item: h.item,
                step: h.step,
                action: h.action,
                field: &h.field,
                old_value: h.old_value.as_deref(),
                new_value: h.new_value.as_deref(),
                changed_at: &h.changed_at,
                session: Some(h.session),
                undoes,
                uid: h.uid.as_deref(),
                change_id: h.change_id.as_deref(),
            };
            ids.push(super::history::append(&transaction, id, &row).map_err(fail)?);
        }
        transaction.commit().map_err(fail)?;
        self.assessment(id)
    }
}

/// The rules every answer and history row obeys however it was made, checked before anything is
/// written: an exclusion has a written justification; a history row names a step of the plan.
fn check_document(document: &AssessmentDocument) -> StoreResult<()> {
    for (index, answer) in document.answers.iter().enumerate() {
        if answer.answer.applicable == Some(false) && answer.answer.justification.trim().is_empty()
        {
            return Err(StoreError::Invalid(format!(
                "answers[{index}].justification: item {} is excluded without a written justification; an exclusion needs one",
                answer.item
            )));
        }
    }
    let steps = PlanTemplate::builtin().steps.len();
    for (index, entry) in document.history.iter().flatten().enumerate() {
        if let Some(step) = entry
            .step
            .filter(|&step| step == 0 || step as usize > steps)
        {
            return Err(StoreError::Invalid(format!(
                "history[{index}].step: step {step} is outside the plan (steps 1 to {steps})"
            )));
        }
    }
    Ok(())
}
