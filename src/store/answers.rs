//! Queries on answers and their history. Every change is one transaction that updates the answer
//! and appends the old and new value to the history.

use super::{Store, StoreError, StoreResult};
use crate::model::{Answer, Answers, Change, HistoryEntry, Level, ReasonCode};
use rusqlite::{OptionalExtension, params};

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
            let reasons = ReasonCode::join(&answer.reasons);
            format!("{word} [{reasons}] {}", answer.justification)
                .trim_end()
                .to_string()
        }),
        "risks" => Some(answer.risks.clone()).filter(|s| !s.is_empty()),
        "review_needed" => Some(answer.review_needed.to_string()),
        _ => None,
    }
}

const ANSWER_COLUMNS: &str =
    "level, note, evidence, owner, due, applicable, reasons, justification, risks, review_needed";

/// Reads an answer from a row whose columns start at `first` in `ANSWER_COLUMNS` order.
fn answer_from_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Answer> {
    let level: Option<u8> = row.get(first)?;
    let reasons: String = row.get(first + 6)?;
    let applicable: Option<bool> = row.get(first + 5)?;
    Ok(Answer {
        // An excluded control has no level. Files of older versions (or imports) may hold one
        // anyway; it is not read, so no report shows a control both excluded and at a level.
        level: level
            .and_then(Level::from_u8)
            .filter(|_| applicable != Some(false)),
        note: row.get(first + 1)?,
        evidence: row.get(first + 2)?,
        owner: row.get(first + 3)?,
        due: row.get(first + 4)?,
        applicable,
        reasons: ReasonCode::split(&reasons),
        justification: row.get(first + 7)?,
        risks: row.get(first + 8)?,
        review_needed: row.get(first + 9)?,
    })
}

impl Store {
    /// The answers of an assessment, for a questionnaire of `item_count` items.
    pub fn answers(&self, assessment_id: i64, item_count: usize) -> StoreResult<Answers> {
        let mut answers = Answers::new(item_count);
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT item, {ANSWER_COLUMNS} FROM answer WHERE assessment_id = ?1"
            ))
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok((row.get::<_, u32>(0)?, answer_from_row(row, 1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.fail(e))?;
        for (item, answer) in rows {
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
        self.apply_changes(assessment_id, item, std::slice::from_ref(change))
    }

    /// Saves several changes to one item as one: in one `IMMEDIATE` transaction, read the answer,
    /// apply the changes in order (each checked against the answer as it stands then), and write
    /// the answer with one history row per field changed. When any change is refused, nothing is
    /// written. Returns the answer as saved.
    pub fn apply_changes(
        &mut self,
        assessment_id: i64,
        item: u32,
        changes: &[Change],
    ) -> StoreResult<Answer> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let old = transaction
            .query_row(
                &format!(
                    "SELECT {ANSWER_COLUMNS} FROM answer WHERE assessment_id = ?1 AND item = ?2"
                ),
                params![assessment_id, item],
                |row| answer_from_row(row, 0),
            )
            .optional()
            .map_err(fail)?
            .unwrap_or_default();
        let mut new = old.clone();
        // (field, old value, new value), in the order the changes were made.
        let mut rows = Vec::new();
        for change in changes {
            if let Some(reason) = change.refusal(item, &new) {
                // Dropping the transaction rolls back: nothing of this command is saved.
                return Err(StoreError::Refused(reason));
            }
            let before = new.clone();
            change.apply(&mut new);
            if new == before {
                continue;
            }
            let field = change.field();
            rows.push((
                field,
                history_value(&before, field),
                history_value(&new, field),
            ));
            for &side in change.side_fields() {
                let (was, is) = (history_value(&before, side), history_value(&new, side));
                if was != is {
                    rows.push((side, was, is));
                }
            }
        }
        if new == old {
            return Ok(new);
        }
        let changed_at = super::now();
        transaction
            .execute(
                &format!(
                    "INSERT INTO answer (assessment_id, item, {ANSWER_COLUMNS}, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                     ON CONFLICT (assessment_id, item) DO UPDATE SET
                         level = excluded.level, note = excluded.note,
                         evidence = excluded.evidence, owner = excluded.owner,
                         due = excluded.due, applicable = excluded.applicable,
                         reasons = excluded.reasons, justification = excluded.justification,
                         risks = excluded.risks, review_needed = excluded.review_needed,
                         updated_at = excluded.updated_at"
                ),
                params![
                    assessment_id,
                    item,
                    new.level.map(Level::value),
                    new.note,
                    new.evidence,
                    new.owner,
                    new.due,
                    new.applicable,
                    ReasonCode::join(&new.reasons),
                    new.justification,
                    new.risks,
                    new.review_needed,
                    changed_at
                ],
            )
            .map_err(fail)?;
        for (field, old_value, new_value) in rows {
            transaction
                .execute(
                    "INSERT INTO history (assessment_id, item, field, old_value, new_value, changed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![assessment_id, item, field, old_value, new_value, changed_at],
                )
                .map_err(fail)?;
        }
        transaction.commit().map_err(fail)?;
        Ok(new)
    }

    /// The history of an assessment, oldest first.
    pub fn history(&self, assessment_id: i64) -> StoreResult<Vec<HistoryEntry>> {
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT changed_at, item, step, field, old_value, new_value FROM history
                 WHERE assessment_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok(HistoryEntry {
                    changed_at: row.get(0)?,
                    item: row.get(1)?,
                    step: row.get(2)?,
                    field: row.get(3)?,
                    old_value: row.get(4)?,
                    new_value: row.get(5)?,
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
