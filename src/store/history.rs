//! The one way a history row is written (issue 26): every write path of the store (answers, plan
//! steps, actions, registers, undo, merge, import) appends through [`append`], so the rule "a
//! change made here is stamped with the workshop session open here" is written once. The change
//! id is not written here unless the row already has one (an import, a merge): the trigger
//! `history_change_id` of schema version 8 draws a fresh one for every row inserted without.

use rusqlite::{Connection, params};

/// One history row, as the write path knows it. Unset parts stay `NULL`.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct HistoryRow<'a> {
    pub item: Option<u32>,
    pub step: Option<u32>,
    pub action: Option<u32>,
    pub field: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub changed_at: &'a str,
    /// `None`: the workshop session open in this file, if any (every change made here); `Some(s)`:
    /// exactly `s` (a merge keeps the session of the change it brings, an import the document's).
    pub session: Option<Option<u32>>,
    /// The history row this one takes back.
    pub undoes: Option<i64>,
    /// The unique id of the entry the row is about (actions and registers).
    pub uid: Option<&'a str>,
    /// `None`: a fresh change id, drawn by the trigger.
    pub change_id: Option<&'a str>,
}

/// Appends `row` to the history of `assessment_id` and returns its row id.
pub(super) fn append(
    connection: &Connection,
    assessment_id: i64,
    row: &HistoryRow<'_>,
) -> rusqlite::Result<i64> {
    connection
        .prepare_cached(
            "INSERT INTO history (assessment_id, item, step, action, field, old_value, new_value,
                 changed_at, session, undoes, uid, change_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                 CASE WHEN ?9 THEN ?10 ELSE (SELECT number FROM workshop_session
                     WHERE assessment_id = ?1 AND ended_at IS NULL) END,
                 ?11, ?12, ?13)",
        )?
        .execute(params![
            assessment_id,
            row.item,
            row.step,
            row.action,
            row.field,
            row.old_value,
            row.new_value,
            row.changed_at,
            row.session.is_some(),
            row.session.flatten(),
            row.undoes,
            row.uid,
            row.change_id,
        ])?;
    Ok(connection.last_insert_rowid())
}
