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

/// A field's value as the history writes it (issue 18's merge compares and writes these).
pub(super) fn history_value_of(answer: &Answer, field: &str) -> Option<String> {
    history_value(answer, field)
}

/// Reads a history row selected as `changed_at, item, step, field, old_value, new_value, id,
/// session, undoes`.
pub(super) fn history_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryEntry> {
    Ok(HistoryEntry {
        changed_at: row.get(0)?,
        item: row.get(1)?,
        step: row.get(2)?,
        field: row.get(3)?,
        old_value: row.get(4)?,
        new_value: row.get(5)?,
        id: row.get(6)?,
        session: row.get(7)?,
        undoes: row.get(8)?,
        action: row.get(9)?,
        // Queries that leave the change id out read it as empty.
        change_id: row
            .get::<_, Option<String>>(10)
            .ok()
            .flatten()
            .unwrap_or_default(),
        uid: row.get::<_, Option<String>>(11).ok().flatten(),
    })
}

/// The history columns `history_from_row` reads, in its order.
pub(super) const HISTORY_COLUMNS: &str = "changed_at, item, step, field, old_value, new_value, id, session, undoes, action,
     coalesce(change_id, (SELECT replica FROM assessment WHERE assessment.id = history.assessment_id) || ':' || id),
     coalesce(uid, CASE
         WHEN action IS NOT NULL THEN (SELECT uid FROM assessment WHERE assessment.id = history.assessment_id) || ':action:' || action
         WHEN item IS NULL AND step IS NULL AND json_valid(coalesce(new_value, old_value))
              AND (field LIKE 'context.%' OR field LIKE 'parties.%' OR field LIKE 'risks.%' OR field LIKE 'objectives.%')
         THEN (SELECT uid FROM assessment WHERE assessment.id = history.assessment_id) || ':' ||
              substr(field, 1, instr(field, '.') - 1) || ':' ||
              CAST(substr(json_extract(coalesce(new_value, old_value), '$.id'), 3) AS INTEGER)
     END)";

/// The columns of the `answer` table that hold an `Answer`, one per field of `Answer`, named as
/// the fields are. Reading (`answer_from_row`) and writing (`upsert_answer`) both go by these names.
pub(super) const ANSWER_FIELDS: [&str; 10] = [
    "level",
    "note",
    "evidence",
    "owner",
    "due",
    "applicable",
    "reasons",
    "justification",
    "risks",
    "review_needed",
];

/// `level, note, ...`: the answer's columns for a `SELECT`.
fn answer_columns() -> String {
    ANSWER_FIELDS.join(", ")
}

/// Reads an answer from a row holding the `ANSWER_FIELDS` columns, by name.
pub(super) fn answer_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Answer> {
    read_answer(row, |field| ANSWER_FIELDS[field])
}

/// The same from a row whose columns from `first` on are the `ANSWER_FIELDS` in their order
/// (`answer_columns`), by position: looking every column up by name cost a third of reading 50
/// clients' answers for `list` and the picker (issue 27).
fn answer_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Answer> {
    read_answer(row, |field| first + field)
}

/// An answer from `row`, whose column for `ANSWER_FIELDS[n]` is `column(n)`.
fn read_answer<I: rusqlite::RowIndex>(
    row: &rusqlite::Row<'_>,
    column: impl Fn(usize) -> I,
) -> rusqlite::Result<Answer> {
    let level: Option<u8> = row.get(column(0))?;
    let applicable: Option<bool> = row.get(column(5))?;
    let reasons: String = row.get(column(6))?;
    Ok(Answer {
        // An excluded control has no level. Files of older versions (or imports) may hold one
        // anyway; it is not read, so no report shows a control both excluded and at a level.
        level: level
            .and_then(Level::from_u8)
            .filter(|_| applicable != Some(false)),
        note: row.get(column(1))?,
        evidence: row.get(column(2))?,
        owner: row.get(column(3))?,
        due: row.get(column(4))?,
        applicable,
        reasons: ReasonCode::split(&reasons),
        justification: row.get(column(7))?,
        risks: row.get(column(8))?,
        review_needed: row.get(column(9))?,
    })
}

/// Writes `answer` as the answer of `item` in `assessment_id`, inserting or replacing the row:
/// the one place an answer row is written (a change, an import, a migration). An excluded control
/// is written without a level.
pub(super) fn upsert_answer(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    item: u32,
    answer: &Answer,
    updated_at: &str,
) -> rusqlite::Result<()> {
    let names = ANSWER_FIELDS.map(|field| format!(":{field}"));
    let updates = ANSWER_FIELDS.map(|field| format!("{field} = excluded.{field}"));
    let sql = format!(
        "INSERT INTO answer (assessment_id, item, {}, updated_at)
         VALUES (:assessment_id, :item, {}, :updated_at)
         ON CONFLICT (assessment_id, item) DO UPDATE SET {}, updated_at = excluded.updated_at",
        answer_columns(),
        names.join(", "),
        updates.join(", ")
    );
    let level = answer
        .level
        .filter(|_| answer.applicable != Some(false))
        .map(Level::value);
    connection
        .prepare_cached(&sql)?
        .execute(rusqlite::named_params! {
            ":assessment_id": assessment_id,
            ":item": item,
            ":level": level,
            ":note": answer.note,
            ":evidence": answer.evidence,
            ":owner": answer.owner,
            ":due": answer.due,
            ":applicable": answer.applicable,
            ":reasons": ReasonCode::join(&answer.reasons),
            ":justification": answer.justification,
            ":risks": answer.risks,
            ":review_needed": answer.review_needed,
            ":updated_at": updated_at,
        })
        .map(|_| ())
}

impl Store {
    /// The answers of an assessment, for a questionnaire of `item_count` items.
    pub fn answers(&self, assessment_id: i64, item_count: usize) -> StoreResult<Answers> {
        let mut answers = Answers::new(item_count);
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT item, {} FROM answer WHERE assessment_id = ?1",
                answer_columns()
            ))
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok((row.get::<_, u32>(0)?, answer_at(row, 1)?))
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
                    "SELECT {} FROM answer WHERE assessment_id = ?1 AND item = ?2",
                    answer_columns()
                ),
                params![assessment_id, item],
                answer_from_row,
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
        upsert_answer(&transaction, assessment_id, item, &new, &changed_at).map_err(fail)?;
        for (field, old_value, new_value) in rows {
            let row = super::history::HistoryRow {
                item: Some(item),
                field,
                old_value: old_value.as_deref(),
                new_value: new_value.as_deref(),
                changed_at: &changed_at,
                ..Default::default()
            };
            super::history::append(&transaction, assessment_id, &row).map_err(fail)?;
        }
        transaction.commit().map_err(fail)?;
        Ok(new)
    }

    /// The history of an assessment, oldest first.
    pub fn history(&self, assessment_id: i64) -> StoreResult<Vec<HistoryEntry>> {
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT {HISTORY_COLUMNS} FROM history WHERE assessment_id = ?1 ORDER BY id"
            ))
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], history_from_row)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::AssessmentDocument;
    use crate::model::{Catalog, Level};
    use crate::store::NewAssessment;

    fn full_answer() -> Answer {
        Answer {
            level: Some(Level::from_u8(3).unwrap()),
            note: "note".into(),
            evidence: "evidence".into(),
            owner: "owner".into(),
            due: Some("2027-03-31".into()),
            applicable: Some(true),
            reasons: vec![ReasonCode::RiskTreatment, ReasonCode::Contractual],
            justification: "justification".into(),
            risks: "R1".into(),
            review_needed: true,
        }
    }

    /// Rows are read by column name: a row whose columns come in another order reads the same
    /// (guards against a mapping by position, which would mix up fields).
    #[test]
    fn an_answer_is_read_by_column_name() {
        let store = Store::open_in_memory().unwrap();
        let connection = store.connection();
        connection
            .execute(
                "INSERT INTO assessment (name, questionnaire_id, scope, assessor, created_at)
                 VALUES ('A', 'iso27001-2022', '', '', '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        upsert_answer(connection, 1, 94, &full_answer(), "2026-01-01T00:00:00Z").unwrap();
        let mut reversed = ANSWER_FIELDS;
        reversed.reverse();
        let read = connection
            .query_row(
                &format!("SELECT {} FROM answer WHERE item = 94", reversed.join(", ")),
                [],
                answer_from_row,
            )
            .unwrap();
        assert_eq!(read, full_answer());
    }

    /// A change and an import write an answer through the same upsert: the same answer reads
    /// back the same either way, and an excluded control is stored without a level.
    #[test]
    fn a_change_and_an_import_store_the_same_answer() {
        let mut store = Store::open_in_memory().unwrap();
        let catalog = Catalog::builtin();
        let questionnaire = catalog.get("iso27001-2022").unwrap();
        let a = store
            .create_assessment(&NewAssessment {
                name: "A".into(),
                questionnaire_id: questionnaire.id.clone(),
                ..Default::default()
            })
            .unwrap();
        let item = questionnaire
            .items
            .iter()
            .find(|i| i.is_control())
            .unwrap()
            .number;
        let changes = [
            Change::Level(Level::from_u8(3)),
            Change::Note("note".into()),
            Change::Evidence("evidence".into()),
            Change::Owner("owner".into()),
            Change::Risks("R1".into()),
        ];
        let changed = store.apply_changes(a.id, item, &changes).unwrap();
        let mut answers = store.answers(a.id, questionnaire.items.len()).unwrap();
        let mut excluded = full_answer();
        excluded.applicable = Some(false);
        *answers.get_mut(item + 1) = excluded.clone();
        let document = AssessmentDocument::build(&a, &questionnaire, &answers, &[], None, None);
        let b = store.import_document(&document, "B").unwrap();
        let imported = store.answers(b.id, questionnaire.items.len()).unwrap();
        assert_eq!(imported.get(item), &changed);
        excluded.level = None;
        assert_eq!(imported.get(item + 1), &excluded);
        let stored: Option<u8> = store
            .connection()
            .query_row(
                "SELECT level FROM answer WHERE assessment_id = ?1 AND item = ?2",
                params![b.id, item + 1],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(
            stored, None,
            "an excluded control is stored without a level"
        );
    }
}
