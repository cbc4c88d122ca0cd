//! Identity and merge bookkeeping (issue 18): the assessment's UUID, the change ids merged in,
//! the conflicts waiting, and a merge written in one transaction.

use super::answers::{answer_from_row, upsert_answer};
use super::{Store, StoreError, StoreResult};
use crate::model::merge::{FieldKey, MergePlan, Target};
use crate::model::session::set_history_value;
use crate::model::{Answer, Answers};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashSet;

/// The other copy's workshop sessions as a merge brings them (issue 22): the ones this copy does
/// not hold yet (renumbered after its own), and the number here of each of theirs.
#[derive(Debug, Clone, Default)]
pub struct MergedSessions {
    pub new: Vec<crate::model::session::WorkshopSession>,
    /// (their number, number here).
    pub numbers: Vec<(u32, u32)>,
}

impl MergedSessions {
    pub fn here(&self, theirs: u32) -> Option<u32> {
        self.numbers
            .iter()
            .find(|(t, _)| *t == theirs)
            .map(|(_, h)| *h)
    }
}

/// A conflict as stored, open or resolved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredConflict {
    pub id: i64,
    pub key: FieldKey,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub mine_at: Option<String>,
    pub mine_session: Option<String>,
    pub theirs_at: Option<String>,
    pub theirs_session: Option<String>,
    pub source: String,
    pub resolution: Option<String>,
}

fn conflict_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredConflict> {
    let target: String = row.get(1)?;
    let number: u32 = row.get(2)?;
    Ok(StoredConflict {
        id: row.get(0)?,
        key: FieldKey {
            target: Target::from_code(&target, number).unwrap_or(Target::Item(number)),
            field: row.get(3)?,
        },
        mine: row.get(4)?,
        theirs: row.get(5)?,
        mine_at: row.get(6)?,
        mine_session: row.get(7)?,
        theirs_at: row.get(8)?,
        theirs_session: row.get(9)?,
        source: row.get(10)?,
        resolution: row.get(11)?,
    })
}

const CONFLICT_COLUMNS: &str = "id, target, number, field, mine, theirs, mine_at, mine_session,
    theirs_at, theirs_session, source, resolution";

/// Plan step fields as the history writes them (`plan.status` = `code` or `code: reason`).
fn set_step_value(
    step: &mut crate::model::plan::StepProgress,
    field: &str,
    value: Option<&str>,
    stamp: &str,
) -> bool {
    use crate::model::plan::StepStatus;
    let day = |v: Option<&str>| v.and_then(|v| v.parse().ok());
    let text = || value.unwrap_or_default().to_string();
    match field {
        "plan.status" => {
            let v = value.unwrap_or("todo");
            let (code, reason) = v.split_once(": ").unwrap_or((v, ""));
            match StepStatus::parse(code) {
                Some(status) => step.status = status,
                None => return false,
            }
            step.reason = reason.to_string();
            // As the status change did on the other copy: done is dated, leaving it undated.
            step.done_on = match step.status {
                StepStatus::Done => step
                    .done_on
                    .or_else(|| stamp.get(..10).and_then(|d| d.parse().ok())),
                _ => None,
            };
        }
        "plan.owner" => step.owner = text(),
        "plan.note" => step.note = text(),
        "plan.start" => step.start = day(value),
        "plan.due" => step.due = day(value),
        "plan.done_on" => {
            // A done date is set with the status done (`plan done --on`).
            step.done_on = day(value);
            if step.done_on.is_some() {
                step.status = StepStatus::Done;
                step.reason.clear();
            }
        }
        _ => return false,
    }
    true
}

fn read_answer(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    item: u32,
) -> rusqlite::Result<Answer> {
    Ok(transaction
        .query_row(
            &format!(
                "SELECT {} FROM answer WHERE assessment_id = ?1 AND item = ?2",
                super::answers::ANSWER_FIELDS.join(", ")
            ),
            params![assessment_id, item],
            answer_from_row,
        )
        .optional()?
        .unwrap_or_default())
}

/// Sets one field in the open transaction and records the change, made at `stamp` in `session`
/// (`None`: a change of this copy, in the session open here, if any).
fn write_field(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    key: &FieldKey,
    value: Option<&str>,
    stamp: &str,
    session: Option<Option<u32>>,
) -> rusqlite::Result<bool> {
    if key.target.is_entry() {
        return write_entry_field(transaction, assessment_id, key, value, stamp, session);
    }
    let old = match &key.target {
        Target::Item(item) => {
            let mut answer = read_answer(transaction, assessment_id, *item)?;
            let before = answer.clone();
            let old = super::answers::history_value_of(&answer, &key.field);
            if !set_history_value(&mut answer, &key.field, value) || answer == before {
                return Ok(false);
            }
            upsert_answer(transaction, assessment_id, *item, &answer, stamp)?;
            old
        }
        Target::Step(step) => {
            let mut progress = super::plan::read_step(transaction, assessment_id, *step)?;
            let old =
                super::plan::history_value_of(&progress, key.field.trim_start_matches("plan."));
            if old.as_deref() == value || !set_step_value(&mut progress, &key.field, value, stamp) {
                return Ok(false);
            }
            super::plan::write_step(transaction, assessment_id, *step, &progress, stamp)?;
            old
        }
        _ => return Ok(false),
    };
    let (item, step) = match key.target {
        Target::Item(n) => (Some(n), None),
        Target::Step(n) => (None, Some(n)),
        _ => return Ok(false),
    };
    let row = super::history::HistoryRow {
        item,
        step,
        field: &key.field,
        old_value: old.as_deref(),
        new_value: value,
        changed_at: stamp,
        session,
        ..Default::default()
    };
    super::history::append(transaction, assessment_id, &row)?;
    Ok(true)
}

/// Sets an action's field, or a whole action or register entry, as a change of this copy.
fn write_entry_field(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    key: &FieldKey,
    value: Option<&str>,
    stamp: &str,
    session: Option<Option<u32>>,
) -> rusqlite::Result<bool> {
    use super::registers::merge_write;
    let (id, n) = (assessment_id, key.target.number());
    if let Target::Action(_) = key.target {
        return super::actions::merge_write(transaction, id, n, &key.field, value, stamp, session);
    }
    match key.target.register() {
        Some(kind) => crate::with_register!(kind, T => {
            merge_write::<T>(transaction, id, n, value, stamp, session)
        }),
        None => Ok(false),
    }
}

impl Store {
    /// The assessment's UUID (the same in every copy).
    pub fn assessment_uid(&self, assessment_id: i64) -> StoreResult<String> {
        self.connection()
            .query_row(
                "SELECT uid FROM assessment WHERE id = ?1",
                [assessment_id],
                |row| row.get::<_, Option<String>>(0),
            )
            .map(Option::unwrap_or_default)
            .map_err(|e| self.fail(e))
    }

    /// The change ids of other copies merged into this one.
    pub fn merged_ids(&self, assessment_id: i64) -> StoreResult<HashSet<String>> {
        let mut statement = self
            .connection()
            .prepare_cached("SELECT change_id FROM merge_applied WHERE assessment_id = ?1")
            .map_err(|e| self.fail(e))?;
        statement
            .query_map([assessment_id], |row| row.get(0))
            .and_then(|rows| rows.collect::<Result<HashSet<String>, _>>())
            .map_err(|e| self.fail(e))
    }

    /// The current value of a field, as the history writes it.
    pub fn field_value(
        &self,
        assessment_id: i64,
        answers: &Answers,
        progress: &[crate::model::plan::StepProgress],
        key: &FieldKey,
    ) -> Option<String> {
        let _ = assessment_id;
        match key.target {
            Target::Item(item) if (item as usize) <= answers.len() && item >= 1 => {
                super::answers::history_value_of(answers.get(item), &key.field)
            }
            Target::Step(step) if step >= 1 && (step as usize) <= progress.len() => {
                super::plan::history_value_of(
                    &progress[step as usize - 1],
                    key.field.trim_start_matches("plan."),
                )
            }
            _ => None,
        }
    }

    /// Runs `f` in one `IMMEDIATE` transaction on this store's connection (issue 22): every read
    /// `f` makes through the store sees the file as it is while no other writer can change it, and
    /// what `f` writes through the transaction is committed when it returns `Ok`, rolled back
    /// otherwise. A merge reads, plans, writes and settles its conflicts inside one such call.
    pub fn in_transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let transaction = rusqlite::Transaction::new_unchecked(
            self.connection(),
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(|e| self.fail(e))?;
        let value = f(&transaction)?;
        transaction.commit().map_err(|e| self.fail(e))?;
        Ok(value)
    }

    /// Writes a planned merge in the open transaction: the fields set (each a change stamped with
    /// the time and session of the change it brings, `stamp_of`), the conflicts stored, the
    /// incoming ids recorded. Returns the ids of the conflicts stored.
    #[allow(clippy::too_many_arguments)]
    pub fn write_merge(
        &self,
        transaction: &Transaction<'_>,
        assessment_id: i64,
        planned: &MergePlan,
        source: &str,
        sessions: &MergedSessions,
        my_session: &dyn Fn(Option<u32>) -> Option<String>,
        their_session: &dyn Fn(Option<u32>) -> Option<String>,
    ) -> StoreResult<Vec<i64>> {
        let fail = |e| self.fail(e);
        let stamp = super::now();
        for session in &sessions.new {
            super::sessions::insert_session(transaction, assessment_id, session).map_err(fail)?;
        }
        for set in &planned.apply {
            let (at, session) = match &set.stamp {
                Some(s) => (
                    s.changed_at.as_str(),
                    Some(s.session.and_then(|n| sessions.here(n))),
                ),
                None => (stamp.as_str(), None),
            };
            write_field(
                transaction,
                assessment_id,
                &set.key,
                set.to.as_deref(),
                at,
                session,
            )
            .map_err(fail)?;
        }
        let mut ids = Vec::new();
        for c in &planned.conflicts {
            transaction
                .execute(
                    "INSERT INTO merge_conflict (assessment_id, target, number, field, mine, theirs,
                         mine_at, mine_session, theirs_at, theirs_session, source, found_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        assessment_id,
                        c.key.target.code(),
                        c.key.target.number(),
                        c.key.field,
                        c.mine,
                        c.theirs,
                        c.mine_stamp.as_ref().map(|s| s.changed_at.clone()),
                        c.mine_stamp.as_ref().and_then(|s| my_session(s.session)),
                        c.theirs_stamp.changed_at,
                        their_session(c.theirs_stamp.session),
                        source,
                        stamp
                    ],
                )
                .map_err(fail)?;
            ids.push(transaction.last_insert_rowid());
            super::test_pause("merge");
        }
        for id in &planned.incoming {
            transaction
                .execute(
                    "INSERT OR IGNORE INTO merge_applied (assessment_id, change_id) VALUES (?1, ?2)",
                    params![assessment_id, id],
                )
                .map_err(fail)?;
        }
        Ok(ids)
    }

    /// Settles conflict `id` with `value` in the open transaction (the field set to it, a change
    /// of this copy).
    pub fn resolve_in(
        &self,
        transaction: &Transaction<'_>,
        assessment_id: i64,
        id: i64,
        resolution: &str,
        value: Option<&str>,
    ) -> StoreResult<()> {
        let fail = |e| self.fail(e);
        let key = transaction
            .query_row(
                &format!(
                    "SELECT {CONFLICT_COLUMNS} FROM merge_conflict
                     WHERE assessment_id = ?1 AND id = ?2 AND resolved_at IS NULL"
                ),
                params![assessment_id, id],
                conflict_from_row,
            )
            .optional()
            .map_err(fail)?
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "no open conflict {id} in this assessment (see `isms-ready merge conflicts`)"
                ))
            })?
            .key;
        let stamp = super::now();
        write_field(transaction, assessment_id, &key, value, &stamp, None).map_err(fail)?;
        transaction
            .execute(
                "UPDATE merge_conflict SET resolved_at = ?2, resolution = ?3 WHERE id = ?1",
                params![id, stamp, resolution],
            )
            .map_err(fail)?;
        super::test_pause("resolve");
        Ok(())
    }

    /// The conflicts of an assessment still waiting, oldest first.
    pub fn open_conflicts(&self, assessment_id: i64) -> StoreResult<Vec<StoredConflict>> {
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT {CONFLICT_COLUMNS} FROM merge_conflict
                 WHERE assessment_id = ?1 AND resolved_at IS NULL ORDER BY id"
            ))
            .map_err(|e| self.fail(e))?;
        statement
            .query_map([assessment_id], conflict_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.fail(e))
    }

    /// Settles conflict `id` with `value` (the field set to it, a change of this copy), in one
    /// transaction.
    pub fn resolve_conflict(
        &mut self,
        assessment_id: i64,
        id: i64,
        resolution: &str,
        value: Option<&str>,
    ) -> StoreResult<()> {
        self.in_transaction(|transaction| {
            self.resolve_in(transaction, assessment_id, id, resolution, value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written before migration 6: its assessments get distinct UUIDs in the upgrade, its
    /// history rows change ids of their copy; a second opening keeps them.
    #[test]
    fn the_upgrade_gives_existing_assessments_and_changes_their_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut connection = rusqlite::Connection::open(&path).unwrap();
            super::super::schema::migrations()
                .to_version(&mut connection, 5)
                .unwrap();
            for name in ["A", "B"] {
                connection
                    .execute(
                        "INSERT INTO assessment (name, questionnaire_id, created_at)
                         VALUES (?1, 'iso27001-2022', '2026-01-01T00:00:00Z')",
                        [name],
                    )
                    .unwrap();
            }
            connection
                .execute(
                    "INSERT INTO history (assessment_id, item, field, new_value, changed_at)
                     VALUES (1, 1, 'level', '2', '2026-01-01T00:00:00Z')",
                    [],
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let (a, b) = (
            store.assessment_uid(1).unwrap(),
            store.assessment_uid(2).unwrap(),
        );
        assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
        assert_ne!(a, b);
        let history = store.history(1).unwrap();
        assert!(history[0].change_id.ends_with(":1"), "{history:?}");
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.assessment_uid(1).unwrap(),
            a,
            "the UUID is stored once"
        );
    }

    /// A file written before version 7: its actions, risks and their history rows get the unique
    /// id made of the assessment's UUID, the kind and the number; entries added later get random
    /// ones, and an edit keeps the entry's id.
    #[test]
    fn the_upgrade_to_version_7_gives_entries_and_their_history_rows_unique_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v6.db");
        {
            let mut connection = rusqlite::Connection::open(&path).unwrap();
            super::super::schema::migrations()
                .to_version(&mut connection, 6)
                .unwrap();
            connection
                .execute_batch(
                    "INSERT INTO assessment (name, questionnaire_id, created_at, uid)
                         VALUES ('A', 'iso27001-2022', '2026-01-01T00:00:00Z', 'u-1');
                     INSERT INTO action (assessment_id, number, title, updated_at)
                         VALUES (1, 1, 'Write the policy', '2026-01-01T00:00:00Z');
                     INSERT INTO history (assessment_id, action, field, new_value, changed_at)
                         VALUES (1, 1, 'action.created', 'Write the policy [items 5]', '2026-01-01T00:00:00Z');
                     INSERT INTO risk (assessment_id, number, title, likelihood, impact, updated_at)
                         VALUES (1, 2, 'Laptop theft', 3, 3, '2026-01-01T00:00:00Z');
                     INSERT INTO history (assessment_id, field, new_value, changed_at)
                         VALUES (1, 'risks.add', '{\"id\":\"R-2\",\"title\":\"Laptop theft\"}', '2026-01-01T00:00:00Z');",
                )
                .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.actions(1).unwrap()[0].uid, "u-1:action:1");
        let risk = store.registers(1).unwrap().risks[0].clone();
        assert_eq!(risk.uid, "u-1:risks:2");
        let history = store.history(1).unwrap();
        assert_eq!(history[0].uid.as_deref(), Some("u-1:action:1"));
        assert_eq!(history[1].uid.as_deref(), Some("u-1:risks:2"));
        let added = store
            .add_entry(
                1,
                &crate::model::registers::Risk {
                    title: "Phishing".into(),
                    ..risk.clone()
                },
            )
            .unwrap();
        assert_eq!(added.uid.len(), 32, "a new entry gets a random id");
        assert_ne!(added.uid, risk.uid);
        let mut edited = risk.clone();
        edited.title = "Theft of a laptop".into();
        edited.uid = String::new();
        store.set_entry(1, 2, &edited).unwrap();
        assert_eq!(
            store.registers(1).unwrap().risks[0].uid,
            risk.uid,
            "an edit keeps the id"
        );
        let last = store.history(1).unwrap().pop().unwrap();
        assert_eq!(last.uid.as_deref(), Some(risk.uid.as_str()));
    }
}
