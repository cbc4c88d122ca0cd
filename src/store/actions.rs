//! Queries on actions. Like answers and plan steps: one transaction per change, and every change
//! appended to the history (with the action's number instead of an item).

use super::{Store, StoreError, StoreResult};
use crate::model::action::{self, Action, ActionChange, ActionStatus, Effort, NewAction};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

const COLUMNS: &str =
    "number, title, description, owner, due, effort, priority, status, done_on, step, note, uid";

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn day(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn action_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Action> {
    let effort: Option<String> = row.get(5)?;
    let status: String = row.get(7)?;
    Ok(Action {
        number: row.get(0)?,
        items: Vec::new(),
        title: row.get(1)?,
        description: row.get(2)?,
        owner: row.get(3)?,
        due: date(row.get(4)?),
        effort: effort.as_deref().and_then(Effort::parse),
        priority: row.get(6)?,
        status: ActionStatus::parse(&status).unwrap_or_default(),
        done_on: date(row.get(8)?),
        step: row.get(9)?,
        note: row.get(10)?,
        uid: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
    })
}

fn read_items(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<Vec<u32>> {
    let mut statement = connection.prepare_cached(
        "SELECT item FROM action_item WHERE assessment_id = ?1 AND action = ?2 ORDER BY item",
    )?;
    statement
        .query_map(params![assessment_id, number], |row| row.get(0))?
        .collect()
}

/// Writes an action and its items (replacing what was stored under its number).
pub(super) fn write_action(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    action: &Action,
    stamp: &str,
) -> rusqlite::Result<()> {
    let uid = if action.uid.is_empty() {
        super::entry_uid(
            transaction,
            assessment_id,
            "action",
            "action",
            action.number,
        )?
    } else {
        action.uid.clone()
    };
    transaction.execute(
        &format!(
            "INSERT INTO action (assessment_id, {COLUMNS}, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14, ?13)
             ON CONFLICT (assessment_id, number) DO UPDATE SET
                 title = excluded.title, description = excluded.description,
                 owner = excluded.owner, due = excluded.due, effort = excluded.effort,
                 priority = excluded.priority, status = excluded.status,
                 done_on = excluded.done_on, step = excluded.step, note = excluded.note,
                 updated_at = excluded.updated_at"
        ),
        params![
            assessment_id,
            action.number,
            action.title,
            action.description,
            action.owner,
            day(action.due),
            action.effort.map(Effort::code),
            action.priority,
            action.status.code(),
            day(action.done_on),
            action.step,
            action.note,
            stamp,
            uid
        ],
    )?;
    transaction.execute(
        "DELETE FROM action_item WHERE assessment_id = ?1 AND action = ?2",
        params![assessment_id, action.number],
    )?;
    for item in &action.items {
        transaction.execute(
            "INSERT INTO action_item (assessment_id, action, item) VALUES (?1, ?2, ?3)",
            params![assessment_id, action.number, item],
        )?;
    }
    Ok(())
}

fn history_row(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    stamp: &str,
) -> rusqlite::Result<()> {
    history_row_in(
        transaction,
        assessment_id,
        number,
        field,
        (old, new),
        stamp,
        None,
    )
}

/// `history_row` for a change made in `session` (`None`: the session open here, if any); a merge
/// keeps the session of the change it brings (issue 22).
fn history_row_in(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    field: &str,
    (old, new): (Option<String>, Option<String>),
    stamp: &str,
    session: Option<Option<u32>>,
) -> rusqlite::Result<()> {
    // The action's unique id: its row's, else (a removed action) the one its history carries.
    let uid: String = transaction
        .prepare_cached(
            "SELECT coalesce((SELECT uid FROM action WHERE assessment_id = ?1 AND number = ?2),
                 (SELECT uid FROM history WHERE assessment_id = ?1 AND action = ?2
                      AND uid IS NOT NULL ORDER BY id DESC LIMIT 1),
                 (SELECT uid FROM assessment WHERE id = ?1) || ':action:' || ?2)",
        )?
        .query_row(params![assessment_id, number], |row| row.get(0))?;
    let row = super::history::HistoryRow {
        action: Some(number),
        field: &format!("action.{field}"),
        old_value: old.as_deref(),
        new_value: new.as_deref(),
        changed_at: stamp,
        session,
        uid: Some(&uid),
        ..Default::default()
    };
    super::history::append(transaction, assessment_id, &row)?;
    Ok(())
}

impl Store {
    /// Every action of an assessment, by number, with its items.
    pub fn actions(&self, assessment_id: i64) -> StoreResult<Vec<Action>> {
        let read = || -> rusqlite::Result<Vec<Action>> {
            let connection = self.connection();
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM action WHERE assessment_id = ?1 ORDER BY number"
            ))?;
            let mut actions = statement
                .query_map([assessment_id], action_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            let mut items = connection.prepare_cached(
                "SELECT action, item FROM action_item WHERE assessment_id = ?1 ORDER BY action, item",
            )?;
            let links = items
                .query_map([assessment_id], |row| {
                    Ok((row.get::<_, u32>(0)?, row.get::<_, u32>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            for (number, item) in links {
                if let Ok(index) = actions.binary_search_by_key(&number, |a| a.number) {
                    actions[index].items.push(item);
                }
            }
            Ok(actions)
        };
        read().map_err(|e| self.fail(e))
    }

    /// Adds an action under the next free number (never one used before in this assessment,
    /// even by a removed action), with its history row. Returns it as saved.
    pub fn add_action(&mut self, assessment_id: i64, new: NewAction) -> StoreResult<Action> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let number: u32 = transaction
            .query_row(
                "SELECT 1 + max(coalesce((SELECT max(number) FROM action WHERE assessment_id = ?1), 0),
                                coalesce((SELECT max(action) FROM history WHERE assessment_id = ?1 AND action IS NOT NULL), 0))",
                [assessment_id],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let mut action = new.into_action(number);
        action.uid = super::new_uid();
        action::check(&action).map_err(StoreError::Invalid)?;
        let stamp = super::now();
        write_action(&transaction, assessment_id, &action, &stamp).map_err(fail)?;
        history_row(
            &transaction,
            assessment_id,
            number,
            "created",
            None,
            Some(format!(
                "{} [items {}]",
                action.title,
                action::join_numbers(&action.items)
            )),
            &stamp,
        )
        .map_err(fail)?;
        for field in [
            "owner",
            "due",
            "effort",
            "priority",
            "step",
            "description",
            "note",
        ] {
            if let Some(value) = action.history_value(field)
                && !(field == "priority" && action.priority == action::DEFAULT_PRIORITY)
            {
                history_row(
                    &transaction,
                    assessment_id,
                    number,
                    field,
                    None,
                    Some(value),
                    &stamp,
                )
                .map_err(fail)?;
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(action)
    }

    /// Applies `changes` to action `number` in one transaction, one history row per field that
    /// moved; when any change breaks a rule, nothing is saved. Returns the action as saved.
    pub fn apply_action_changes(
        &mut self,
        assessment_id: i64,
        number: u32,
        changes: &[ActionChange],
    ) -> StoreResult<Action> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let stored = transaction
            .query_row(
                &format!("SELECT {COLUMNS} FROM action WHERE assessment_id = ?1 AND number = ?2"),
                params![assessment_id, number],
                action_from_row,
            )
            .optional()
            .map_err(fail)?;
        let Some(mut old) = stored else {
            return Err(StoreError::Invalid(format!(
                "no action #{number} in this assessment (see `isms-ready action list`)"
            )));
        };
        old.items = read_items(&transaction, assessment_id, number).map_err(fail)?;
        let mut new = old.clone();
        let mut moved: Vec<&'static str> = Vec::new();
        for change in changes {
            let before = new.clone();
            change.apply(&mut new);
            for field in [change.field(), "done_on"] {
                if before.history_value(field) != new.history_value(field)
                    && !moved.contains(&field)
                {
                    moved.push(field);
                }
            }
        }
        action::check(&new)
            .map_err(|reason| StoreError::Refused(format!("action #{number}: {reason}")))?;
        if new == old {
            return Ok(new);
        }
        let stamp = super::now();
        write_action(&transaction, assessment_id, &new, &stamp).map_err(fail)?;
        for field in moved {
            let (was, is) = (old.history_value(field), new.history_value(field));
            if was != is {
                history_row(&transaction, assessment_id, number, field, was, is, &stamp)
                    .map_err(fail)?;
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(new)
    }

    /// Removes action `number` (its history stays, with a row saying it was removed).
    pub fn remove_action(&mut self, assessment_id: i64, number: u32) -> StoreResult<Action> {
        let removed = self
            .actions(assessment_id)?
            .into_iter()
            .find(|a| a.number == number)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "no action #{number} in this assessment (see `isms-ready action list`)"
                ))
            })?;
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        transaction
            .execute(
                "DELETE FROM action WHERE assessment_id = ?1 AND number = ?2",
                params![assessment_id, number],
            )
            .map_err(fail)?;
        transaction
            .execute(
                "DELETE FROM action_item WHERE assessment_id = ?1 AND action = ?2",
                params![assessment_id, number],
            )
            .map_err(fail)?;
        history_row(
            &transaction,
            assessment_id,
            number,
            "removed",
            Some(removed.title.clone()),
            None,
            &super::now(),
        )
        .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(removed)
    }
}

/// Writes what a merge decided for action `number` in the open transaction, as a change of this
/// copy with its history rows: `entry` (the whole action as JSON, or `None` to remove it) or one
/// field (`action.owner`...) as the history writes it. False when nothing changed.
pub(super) fn merge_write(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    field: &str,
    value: Option<&str>,
    stamp: &str,
    session: Option<Option<u32>>,
) -> rusqlite::Result<bool> {
    let stored = transaction
        .query_row(
            &format!("SELECT {COLUMNS} FROM action WHERE assessment_id = ?1 AND number = ?2"),
            params![assessment_id, number],
            action_from_row,
        )
        .optional()?;
    let old = match stored {
        Some(mut a) => {
            a.items = read_items(transaction, assessment_id, number)?;
            Some(a)
        }
        None => None,
    };
    if field == crate::model::merge::WHOLE {
        let new: Option<Action> = match value {
            Some(json) => match serde_json::from_str::<Action>(json) {
                Ok(mut a) => {
                    a.number = number;
                    Some(a)
                }
                Err(_) => return Ok(false),
            },
            None => None,
        };
        return match (old, new) {
            (None, None) => Ok(false),
            (Some(old), None) => {
                history_row_in(
                    transaction,
                    assessment_id,
                    number,
                    "removed",
                    (Some(old.title.clone()), None),
                    stamp,
                    session,
                )?;
                transaction.execute(
                    "DELETE FROM action_item WHERE assessment_id = ?1 AND action = ?2",
                    params![assessment_id, number],
                )?;
                transaction.execute(
                    "DELETE FROM action WHERE assessment_id = ?1 AND number = ?2",
                    params![assessment_id, number],
                )?;
                Ok(true)
            }
            (old, Some(new)) => {
                if old.as_ref() == Some(&new) {
                    return Ok(false);
                }
                write_action(transaction, assessment_id, &new, stamp)?;
                if old.is_none() {
                    history_row_in(
                        transaction,
                        assessment_id,
                        number,
                        "created",
                        (
                            None,
                            Some(format!(
                                "{} [items {}]",
                                new.title,
                                action::join_numbers(&new.items)
                            )),
                        ),
                        stamp,
                        session,
                    )?;
                }
                for f in Action::HISTORY_FIELDS {
                    let was = old.as_ref().and_then(|o| o.history_value(f));
                    let is = new.history_value(f);
                    if was != is && (old.is_some() || !matches!(f, "title" | "items" | "status")) {
                        history_row_in(
                            transaction,
                            assessment_id,
                            number,
                            f,
                            (was, is),
                            stamp,
                            session,
                        )?;
                    }
                }
                Ok(true)
            }
        };
    }
    let Some(old) = old else {
        return Ok(false);
    };
    let name = field.trim_start_matches("action.");
    let mut new = old.clone();
    if !new.set_history_value(name, value) || new == old {
        return Ok(false);
    }
    write_action(transaction, assessment_id, &new, stamp)?;
    history_row_in(
        transaction,
        assessment_id,
        number,
        name,
        (old.history_value(name), new.history_value(name)),
        stamp,
        session,
    )?;
    Ok(true)
}

impl Store {
    /// Puts action `number` back as `action` (`None`: removes it), in one transaction with its
    /// history rows, and returns what it was before (`None`: there was none). Undo and redo in
    /// the app go through it, so an undone action comes back under its own number.
    pub fn put_action(
        &mut self,
        assessment_id: i64,
        number: u32,
        action: Option<&Action>,
    ) -> StoreResult<Option<Action>> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let json = action.map(|a| serde_json::to_string(a).unwrap_or_default());
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let before = transaction
            .query_row(
                &format!("SELECT {COLUMNS} FROM action WHERE assessment_id = ?1 AND number = ?2"),
                params![assessment_id, number],
                action_from_row,
            )
            .optional()
            .map_err(fail)?;
        let before = match before {
            Some(mut a) => {
                a.items = read_items(&transaction, assessment_id, number).map_err(fail)?;
                Some(a)
            }
            None => None,
        };
        merge_write(
            &transaction,
            assessment_id,
            number,
            crate::model::merge::WHOLE,
            json.as_deref(),
            &super::now(),
            None,
        )
        .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(before)
    }
}
