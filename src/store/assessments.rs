//! Queries on assessments.

use super::{Store, StoreError, StoreResult};
use crate::model::Assessment;
use rusqlite::{OptionalExtension, Row, params};

/// What a user gives to create an assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAssessment {
    pub name: String,
    pub questionnaire_id: String,
    pub scope: String,
    pub assessor: String,
    /// The assessor's consultancy; `service::assessment::create` fills it in from the file's
    /// newest assessment when left empty.
    pub firm: String,
}

/// What an edit changes: `None` keeps a field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssessmentEdit<'a> {
    pub name: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub assessor: Option<&'a str>,
    pub firm: Option<&'a str>,
}

impl AssessmentEdit<'_> {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.scope.is_none()
            && self.assessor.is_none()
            && self.firm.is_none()
    }
}

const COLUMNS: &str = "id, name, questionnaire_id, scope, assessor, created_at, firm";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Assessment> {
    Ok(Assessment {
        id: row.get(0)?,
        name: row.get(1)?,
        questionnaire_id: row.get(2)?,
        scope: row.get(3)?,
        assessor: row.get(4)?,
        created_at: row.get(5)?,
        firm: row.get(6)?,
    })
}

/// The current time as stored: RFC 3339 in UTC with milliseconds.
pub fn now() -> String {
    crate::clock::stamp()
}

impl Store {
    pub fn create_assessment(&mut self, new: &NewAssessment) -> StoreResult<Assessment> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an assessment needs a name".into()));
        }
        if self.find_assessment(name)?.is_some() {
            return Err(StoreError::Invalid(format!(
                "an assessment named \"{name}\" already exists; choose another name"
            )));
        }
        let created_at = now();
        self.connection()
            .execute(
                "INSERT INTO assessment (name, questionnaire_id, scope, assessor, firm, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    name,
                    new.questionnaire_id,
                    new.scope.trim(),
                    new.assessor.trim(),
                    new.firm.trim(),
                    created_at
                ],
            )
            .map_err(|e| self.fail(e))?;
        let id = self.connection().last_insert_rowid();
        self.assessment(id)
    }

    pub fn assessment(&self, id: i64) -> StoreResult<Assessment> {
        self.connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM assessment WHERE id = ?1"),
                [id],
                from_row,
            )
            .map_err(|e| self.fail(e))
    }

    /// All assessments: those opened in the app first, the most recent first; then the others,
    /// the newest first.
    pub fn assessments(&self) -> StoreResult<Vec<Assessment>> {
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assessment
                 ORDER BY opened_at IS NULL, opened_at DESC, id DESC"
            ))
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([], from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.fail(e))
    }

    /// Finds an assessment by exact name, or by id when `name_or_id` is a number.
    pub fn find_assessment(&self, name_or_id: &str) -> StoreResult<Option<Assessment>> {
        let by_name = self
            .connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM assessment WHERE name = ?1"),
                [name_or_id.trim()],
                from_row,
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        if by_name.is_some() {
            return Ok(by_name);
        }
        match name_or_id.trim().parse::<i64>() {
            Ok(id) => self
                .connection()
                .query_row(
                    &format!("SELECT {COLUMNS} FROM assessment WHERE id = ?1"),
                    [id],
                    from_row,
                )
                .optional()
                .map_err(|e| self.fail(e)),
            Err(_) => Ok(None),
        }
    }

    /// The firm of the newest assessment that names one ("" when none does): a practice's file
    /// holds one firm's work, so a new assessment starts with it.
    pub fn latest_firm(&self) -> StoreResult<String> {
        self.connection()
            .query_row(
                "SELECT firm FROM assessment WHERE firm <> '' ORDER BY id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| self.fail(e))
    }

    /// Changes the name, scope, assessor or firm of an assessment (`None` keeps a field). A name
    /// is refused when empty or when another assessment has it, as `create_assessment` refuses it.
    pub fn edit_assessment(
        &mut self,
        id: i64,
        edit: AssessmentEdit<'_>,
    ) -> StoreResult<Assessment> {
        let current = self.assessment(id)?;
        let name = match edit.name.map(str::trim) {
            None => current.name.clone(),
            Some("") => return Err(StoreError::Invalid("an assessment needs a name".into())),
            Some(name) => {
                if self
                    .find_assessment(name)?
                    .is_some_and(|other| other.id != id)
                {
                    return Err(StoreError::Invalid(format!(
                        "an assessment named \"{name}\" already exists; choose another name"
                    )));
                }
                name.to_string()
            }
        };
        let scope = edit.scope.map_or(current.scope, |s| s.trim().to_string());
        let assessor = edit
            .assessor
            .map_or(current.assessor, |a| a.trim().to_string());
        let firm = edit.firm.map_or(current.firm, |f| f.trim().to_string());
        self.connection()
            .execute(
                "UPDATE assessment SET name = ?2, scope = ?3, assessor = ?4, firm = ?5 WHERE id = ?1",
                params![id, name, scope, assessor, firm],
            )
            .map_err(|e| self.fail(e))?;
        self.assessment(id)
    }

    /// Deletes an assessment and everything of it (answers, plan, history) in one transaction.
    /// Callers keep a backup first (see `service::assessment::delete_with_backup`).
    pub fn delete_assessment(&mut self, id: i64) -> StoreResult<()> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        for table in [
            "answer",
            "plan_step",
            "action_item",
            "action",
            "history",
            "session_participant",
            "workshop_session",
        ] {
            transaction
                .execute(
                    &format!("DELETE FROM {table} WHERE assessment_id = ?1"),
                    [id],
                )
                .map_err(fail)?;
        }
        let deleted = transaction
            .execute("DELETE FROM assessment WHERE id = ?1", [id])
            .map_err(fail)?;
        if deleted == 0 {
            return Err(StoreError::Invalid(format!("no assessment with id {id}")));
        }
        transaction.commit().map_err(fail)
    }

    /// When the assessment last changed (its newest history row), else when it was created.
    pub fn last_change(&self, id: i64) -> StoreResult<String> {
        self.connection()
            .query_row(
                "SELECT coalesce((SELECT max(changed_at) FROM history WHERE assessment_id = ?1),
                                 created_at)
                 FROM assessment WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .map_err(|e| self.fail(e))
    }

    /// Remembers that the assessment was opened, and at which item the user stands.
    pub fn remember_position(&mut self, assessment_id: i64, item: u32) -> StoreResult<()> {
        self.connection()
            .execute(
                "UPDATE assessment SET last_item = ?2, opened_at = ?3 WHERE id = ?1",
                params![assessment_id, item, now()],
            )
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    /// The item the user last stood at in this assessment (1 for a new one).
    pub fn last_position(&self, assessment_id: i64) -> StoreResult<u32> {
        self.connection()
            .query_row(
                "SELECT last_item FROM assessment WHERE id = ?1",
                [assessment_id],
                |row| row.get(0),
            )
            .map_err(|e| self.fail(e))
    }
}
