//! Queries on answers and their history. Every change is one transaction that updates the answer
//! and appends the old and new value to the history.

use super::assessments::now;
use super::{Store, StoreResult};
use crate::model::{Answer, Answers, Change, Level};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// One row of the append-only history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub changed_at: String,
    pub item: Option<u32>,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// How a field's value is written in the history: `None` for "no value".
fn history_value(answer: &Answer, field: &str) -> Option<String> {
    match field {
        "level" => answer.level.map(|level| level.value().to_string()),
        "note" => Some(answer.note.clone()).filter(|s| !s.is_empty()),
        "evidence" => Some(answer.evidence.clone()).filter(|s| !s.is_empty()),
        "owner" => Some(answer.owner.clone()).filter(|s| !s.is_empty()),
        "due" => answer.due.clone(),
        "applicability" => answer.applicable.map(|applicable| {
            let word = if applicable { "applicable" } else { "excluded" };
            if answer.justification.is_empty() {
                word.to_string()
            } else {
                format!("{word}: {}", answer.justification)
            }
        }),
        _ => None,
    }
}

impl Store {
    /// The answers of an assessment, for a questionnaire of `item_count` items.
    pub fn answers(&self, assessment_id: i64, item_count: usize) -> StoreResult<Answers> {
        let mut answers = Answers::new(item_count);
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT item, level, note, evidence, owner, due, applicable, justification
                 FROM answer WHERE assessment_id = ?1",
            )
            .map_err(|e| self.fail(e))?;
        let mut rows = statement.query([assessment_id]).map_err(|e| self.fail(e))?;
        while let Some(row) = rows.next().map_err(|e| self.fail(e))? {
            let read = || -> rusqlite::Result<(u32, Answer)> {
                let level: Option<u8> = row.get(1)?;
                Ok((
                    row.get(0)?,
                    Answer {
                        level: level.and_then(Level::from_u8),
                        note: row.get(2)?,
                        evidence: row.get(3)?,
                        owner: row.get(4)?,
                        due: row.get(5)?,
                        applicable: row.get(6)?,
                        justification: row.get(7)?,
                    },
                ))
            };
            let (item, answer) = read().map_err(|e| self.fail(e))?;
            *answers.get_mut(item) = answer;
        }
        Ok(answers)
    }

    /// Saves one change durably and records it in the history. Returns the answer as saved.
    /// A change that leaves the value as it was writes nothing.
    pub fn apply_change(
        &mut self,
        assessment_id: i64,
        item: u32,
        change: &Change,
    ) -> StoreResult<Answer> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let old = transaction
            .query_row(
                "SELECT level, note, evidence, owner, due, applicable, justification
                 FROM answer WHERE assessment_id = ?1 AND item = ?2",
                params![assessment_id, item],
                |row| {
                    let level: Option<u8> = row.get(0)?;
                    Ok(Answer {
                        level: level.and_then(Level::from_u8),
                        note: row.get(1)?,
                        evidence: row.get(2)?,
                        owner: row.get(3)?,
                        due: row.get(4)?,
                        applicable: row.get(5)?,
                        justification: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(fail)?
            .unwrap_or_default();
        let mut new = old.clone();
        change.apply(&mut new);
        if new == old {
            return Ok(new);
        }
        let changed_at = now();
        transaction
            .execute(
                "INSERT INTO answer (assessment_id, item, level, note, evidence, owner, due,
                                     applicable, justification, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (assessment_id, item) DO UPDATE SET
                     level = excluded.level, note = excluded.note, evidence = excluded.evidence,
                     owner = excluded.owner, due = excluded.due, applicable = excluded.applicable,
                     justification = excluded.justification, updated_at = excluded.updated_at",
                params![
                    assessment_id,
                    item,
                    new.level.map(Level::value),
                    new.note,
                    new.evidence,
                    new.owner,
                    new.due,
                    new.applicable,
                    new.justification,
                    changed_at
                ],
            )
            .map_err(fail)?;
        let field = change.field();
        transaction
            .execute(
                "INSERT INTO history (assessment_id, item, field, old_value, new_value, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    assessment_id,
                    item,
                    field,
                    history_value(&old, field),
                    history_value(&new, field),
                    changed_at
                ],
            )
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(new)
    }

    /// The history of an assessment, oldest first.
    pub fn history(&self, assessment_id: i64) -> StoreResult<Vec<HistoryEntry>> {
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT changed_at, item, field, old_value, new_value FROM history
                 WHERE assessment_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok(HistoryEntry {
                    changed_at: row.get(0)?,
                    item: row.get(1)?,
                    field: row.get(2)?,
                    old_value: row.get(3)?,
                    new_value: row.get(4)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.fail(e))
    }

    /// How many distinct items changed at or after `since` (RFC 3339, UTC).
    pub fn items_changed_since(&self, assessment_id: i64, since: &str) -> StoreResult<usize> {
        self.connection()
            .query_row(
                "SELECT count(DISTINCT item) FROM history
                 WHERE assessment_id = ?1 AND changed_at >= ?2 AND item IS NOT NULL",
                params![assessment_id, since],
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count as usize)
            .map_err(|e| self.fail(e))
    }
}
