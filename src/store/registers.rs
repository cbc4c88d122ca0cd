//! Queries on the registers (context issues, interested parties, risks, objectives, and the audit
//! records of issue 30: audits, findings, nonconformities, management reviews). Every
//! add, edit and removal is one `IMMEDIATE` transaction with its history row: the field is
//! `<register>.add`, `<register>.set` or `<register>.remove`, the old and new values the entry as
//! JSON (so the history shows exactly what was there before).

use super::{Store, StoreError, StoreResult};
pub use crate::model::register_spec::RegisterEntry as Entry;
use crate::model::register_spec::{FieldKind, FieldSpec};
use crate::model::registers::{RegisterKind, Registers};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params_from_iter};

/// The fields of `T` kept in its own table (link lists live in a table of their own).
fn column_fields<T: Entry>() -> Vec<FieldSpec<T>> {
    T::fields()
        .into_iter()
        .filter(|f| !matches!(f.kind, FieldKind::Links { .. }))
        .collect()
}

/// The columns after `assessment_id, number`: the fields', then `uid`.
fn columns<T: Entry>() -> Vec<&'static str> {
    let mut names: Vec<&str> = column_fields::<T>().iter().map(|f| f.name).collect();
    names.push("uid");
    names
}

/// A field's text as its column value: NULL for "none", an integer for a rating.
fn to_value(kind: FieldKind, text: String) -> Value {
    if kind.none() == Some(text.as_str()) {
        return Value::Null;
    }
    match kind {
        FieldKind::Rating(..) | FieldKind::OptionalRating(..) => text
            .parse::<i64>()
            .map_or(Value::Text(text), Value::Integer),
        _ => Value::Text(text),
    }
}

/// A column value as the field's text (see `to_value`).
fn from_value(kind: FieldKind, value: Value) -> String {
    match value {
        Value::Null => kind.none().unwrap_or("").to_string(),
        Value::Integer(n) => n.to_string(),
        Value::Real(n) => n.to_string(),
        Value::Text(text) => text,
        Value::Blob(_) => String::new(),
    }
}

fn values<T: Entry>(entry: &T) -> Vec<Value> {
    let mut values: Vec<Value> = column_fields::<T>()
        .into_iter()
        .map(|f| to_value(f.kind, (f.get)(entry)))
        .collect();
    values.push(Value::Text(entry.uid().to_string()));
    values
}

/// Reads the entry from a row of `number, columns...` (without its link lists).
fn from_row<T: Entry>(row: &Row<'_>) -> rusqlite::Result<T> {
    let mut entry = T::default();
    *entry.id_mut() = T::KIND.id(row.get("number")?);
    for field in column_fields::<T>() {
        let text = from_value(field.kind, row.get(field.name)?);
        // A value the app would refuse (a hand-edited file) reads as the field's default.
        let _ = (field.set)(&mut entry, &text);
    }
    *entry.uid_mut() = row.get::<_, Option<String>>("uid")?.unwrap_or_default();
    Ok(entry)
}

fn select<T: Entry>() -> String {
    format!(
        "SELECT number, {} FROM {} WHERE assessment_id = ?1",
        columns::<T>().join(", "),
        T::TABLE
    )
}

fn read_all<T: Entry>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
) -> rusqlite::Result<Vec<T>> {
    let mut entries = {
        let mut statement =
            connection.prepare_cached(&format!("{} ORDER BY number", select::<T>()))?;
        let rows = statement.query_map([assessment_id], from_row::<T>)?;
        rows.collect::<rusqlite::Result<Vec<T>>>()?
    };
    attach_links(connection, assessment_id, None, &mut entries)?;
    Ok(entries)
}

fn read_entry<T: Entry>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<Option<T>> {
    let entry = connection
        .query_row(
            &format!("{} AND number = ?2", select::<T>()),
            rusqlite::params![assessment_id, number],
            from_row::<T>,
        )
        .optional()?;
    let mut entries: Vec<T> = entry.into_iter().collect();
    attach_links(connection, assessment_id, Some(number), &mut entries)?;
    Ok(entries.pop())
}

/// Fills the link-list fields of `entries` (all of the assessment's, or entry `number`) from
/// their link tables, in the order given.
fn attach_links<T: Entry>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: Option<u32>,
    entries: &mut [T],
) -> rusqlite::Result<()> {
    for field in T::fields() {
        let FieldKind::Links {
            table,
            owner,
            column,
        } = field.kind
        else {
            continue;
        };
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {owner}, {column} FROM {table} WHERE assessment_id = ?1 \
             AND (?2 IS NULL OR {owner} = ?2) ORDER BY {owner}, position"
        ))?;
        let rows = statement.query_map(rusqlite::params![assessment_id, number], |row| {
            Ok((row.get::<_, u32>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut links: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows {
            let (owner_number, link) = row?;
            let id = T::KIND.id(owner_number);
            match links.last_mut() {
                Some((last, list)) if *last == id => list.push(link),
                _ => links.push((id, vec![link])),
            }
        }
        for (id, list) in links {
            if let Some(entry) = entries.iter_mut().find(|e| e.id() == id) {
                let _ = (field.set)(entry, &list.join(", "));
            }
        }
    }
    Ok(())
}

/// Writes the entry's row (insert or replace) and, for a risk, its control links.
pub(super) fn write_entry<T: Entry + 'static>(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    entry: &T,
    stamp: &str,
) -> rusqlite::Result<()> {
    let columns = columns::<T>();
    let placeholders: Vec<String> = (0..columns.len() + 3)
        .map(|i| format!("?{}", i + 1))
        .collect();
    let mut values = vec![Value::Integer(assessment_id), Value::Integer(number.into())];
    values.extend(self::values(entry));
    if entry.uid().is_empty()
        && let Some(last) = values.last_mut()
    {
        *last = Value::Text(super::entry_uid(
            transaction,
            assessment_id,
            T::TABLE,
            T::KIND.noun(),
            number,
        )?);
    }
    values.push(Value::Text(stamp.to_string()));
    transaction.execute(
        &format!(
            "INSERT OR REPLACE INTO {} (assessment_id, number, {}, updated_at) VALUES ({})",
            T::TABLE,
            columns.join(", "),
            placeholders.join(", ")
        ),
        params_from_iter(values),
    )?;
    for field in T::fields() {
        let FieldKind::Links {
            table,
            owner,
            column,
        } = field.kind
        else {
            continue;
        };
        transaction.execute(
            &format!("DELETE FROM {table} WHERE assessment_id = ?1 AND {owner} = ?2"),
            rusqlite::params![assessment_id, number],
        )?;
        let text = (field.get)(entry);
        let links = text.split(", ").filter(|l| !l.is_empty());
        for (position, link) in links.enumerate() {
            transaction.execute(
                &format!(
                    "INSERT OR IGNORE INTO {table} (assessment_id, {owner}, position, {column})
                     VALUES (?1, ?2, ?3, ?4)"
                ),
                rusqlite::params![assessment_id, number, position as i64, link],
            )?;
        }
    }
    Ok(())
}

fn as_json<T: serde::Serialize>(entry: &T) -> String {
    serde_json::to_string(entry).unwrap_or_default()
}

fn history(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    field: String,
    old: Option<String>,
    new: Option<String>,
    stamp: &str,
    uid: &str,
) -> rusqlite::Result<()> {
    history_in(
        transaction,
        assessment_id,
        field,
        (old, new),
        (stamp, None),
        uid,
    )
}

/// `history` for a change made in `session` (`None`: the session open here, if any); a merge
/// keeps the session of the change it brings (issue 22).
fn history_in(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    field: String,
    (old, new): (Option<String>, Option<String>),
    (stamp, session): (&str, Option<Option<u32>>),
    uid: &str,
) -> rusqlite::Result<()> {
    let row = super::history::HistoryRow {
        field: &field,
        old_value: old.as_deref(),
        new_value: new.as_deref(),
        changed_at: stamp,
        session,
        uid: Some(uid),
        ..Default::default()
    };
    super::history::append(transaction, assessment_id, &row)?;
    Ok(())
}

/// What a register change did: the entry before and after (`None` when added or removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterChange<T> {
    pub before: Option<T>,
    pub after: Option<T>,
}

/// Writes `entry` under the register's next free number in the open transaction, with its
/// history row (see `Store::add_entry`).
fn insert_new<T: Entry>(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    entry: &T,
    stamp: &str,
) -> rusqlite::Result<T> {
    let highest: Option<u32> = transaction.query_row(
        &format!(
            "SELECT max(number) FROM {} WHERE assessment_id = ?1",
            T::TABLE
        ),
        [assessment_id],
        |row| row.get(0),
    )?;
    // Numbers of removed entries live on in the history: never reuse them.
    let removed: Option<u32> = transaction.query_row(
        "SELECT max(CAST(substr(json_extract(old_value, '$.id'), ?3) AS INTEGER))
         FROM history WHERE assessment_id = ?1 AND field = ?2",
        rusqlite::params![
            assessment_id,
            format!("{}.remove", T::KIND.noun()),
            T::KIND.prefix().len() as i64 + 2
        ],
        |row| row.get(0),
    )?;
    let number = highest.unwrap_or(0).max(removed.unwrap_or(0)) + 1;
    let mut saved = entry.clone();
    *saved.id_mut() = T::KIND.id(number);
    *saved.uid_mut() = super::new_uid();
    write_entry(transaction, assessment_id, number, &saved, stamp)?;
    history(
        transaction,
        assessment_id,
        format!("{}.add", T::KIND.noun()),
        None,
        Some(as_json(&saved)),
        stamp,
        saved.uid(),
    )?;
    Ok(saved)
}

impl Store {
    /// The four registers of an assessment, each in its order (see `Registers::sort`).
    pub fn registers(&self, assessment_id: i64) -> StoreResult<Registers> {
        let connection = self.connection();
        let read = || -> rusqlite::Result<Registers> {
            Ok(Registers {
                context: read_all(connection, assessment_id)?,
                parties: read_all(connection, assessment_id)?,
                risks: read_all(connection, assessment_id)?,
                objectives: read_all(connection, assessment_id)?,
                audits: read_all(connection, assessment_id)?,
                findings: read_all(connection, assessment_id)?,
                nonconformities: read_all(connection, assessment_id)?,
                reviews: read_all(connection, assessment_id)?,
            })
        };
        let mut registers = read().map_err(|e| self.fail(e))?;
        registers.sort();
        Ok(registers)
    }

    /// The entry numbered `number` of register `T`, if there is one.
    pub fn entry<T: Entry + 'static>(
        &self,
        assessment_id: i64,
        number: u32,
    ) -> StoreResult<Option<T>> {
        read_entry(self.connection(), assessment_id, number).map_err(|e| self.fail(e))
    }

    /// Adds an entry under the next free number (one more than the highest ever used by this
    /// assessment's register, so a removed id is never given to another entry). Returns it as
    /// saved, with its id.
    pub fn add_entry<T: Entry + 'static>(
        &mut self,
        assessment_id: i64,
        entry: &T,
    ) -> StoreResult<T> {
        self.add_entry_and(assessment_id, entry, |_| None::<T>)
            .map(|(saved, _)| saved)
    }

    /// Adds an entry as `add_entry` does and, in the same transaction, the entry `follow` makes
    /// of it once it has its id (a major finding's nonconformity, issue 30), each with its
    /// history row. Returns both as saved.
    pub fn add_entry_and<T: Entry + 'static, U: Entry + 'static>(
        &mut self,
        assessment_id: i64,
        entry: &T,
        follow: impl FnOnce(&T) -> Option<U>,
    ) -> StoreResult<(T, Option<U>)> {
        entry.check().map_err(StoreError::Refused)?;
        self.register_write(|transaction, stamp| {
            let saved = insert_new(transaction, assessment_id, entry, stamp)?;
            let followed = match follow(&saved) {
                Some(next) => Some(insert_new(transaction, assessment_id, &next, stamp)?),
                None => None,
            };
            Ok((saved, followed))
        })
    }

    /// Replaces the entry numbered `number` with `entry` (its id is kept). Nothing is written
    /// when nothing changed.
    pub fn set_entry<T: Entry + PartialEq + 'static>(
        &mut self,
        assessment_id: i64,
        number: u32,
        entry: &T,
    ) -> StoreResult<RegisterChange<T>> {
        self.set_entry_and(assessment_id, number, entry, |_, _| None::<T>)
            .map(|(change, _)| change)
    }

    /// Replaces an entry as `set_entry` does and, in the same transaction, adds the entry
    /// `follow` makes of it (from the entry before and after; a finding turned major opens its
    /// nonconformity, issue 30), with its history row.
    pub fn set_entry_and<T: Entry + PartialEq + 'static, U: Entry + 'static>(
        &mut self,
        assessment_id: i64,
        number: u32,
        entry: &T,
        follow: impl FnOnce(&T, &T) -> Option<U>,
    ) -> StoreResult<(RegisterChange<T>, Option<U>)> {
        entry.check().map_err(StoreError::Refused)?;
        self.register_write(|transaction, stamp| {
            let Some(before) = read_entry::<T>(transaction, assessment_id, number)? else {
                return Ok(None);
            };
            let mut after = entry.clone();
            *after.id_mut() = T::KIND.id(number);
            *after.uid_mut() = before.uid().to_string();
            let mut followed = None;
            if after != before {
                write_entry(transaction, assessment_id, number, &after, stamp)?;
                history(
                    transaction,
                    assessment_id,
                    format!("{}.set", T::KIND.noun()),
                    Some(as_json(&before)),
                    Some(as_json(&after)),
                    stamp,
                    before.uid(),
                )?;
                if let Some(next) = follow(&before, &after) {
                    followed = Some(insert_new(transaction, assessment_id, &next, stamp)?);
                }
            }
            Ok(Some((
                RegisterChange {
                    before: Some(before),
                    after: Some(after),
                },
                followed,
            )))
        })?
        .ok_or_else(|| missing(T::KIND, number))
    }

    /// Removes the entry numbered `number` (and, for a risk, its links to controls).
    pub fn remove_entry<T: Entry + 'static>(
        &mut self,
        assessment_id: i64,
        number: u32,
    ) -> StoreResult<T> {
        let Some(before) = self.entry::<T>(assessment_id, number)? else {
            return Err(missing(T::KIND, number));
        };
        self.register_write(|transaction, stamp| {
            transaction.execute(
                &format!(
                    "DELETE FROM {} WHERE assessment_id = ?1 AND number = ?2",
                    T::TABLE
                ),
                rusqlite::params![assessment_id, number],
            )?;
            history(
                transaction,
                assessment_id,
                format!("{}.remove", T::KIND.noun()),
                Some(as_json(&before)),
                None,
                stamp,
                before.uid(),
            )?;
            Ok(before.clone())
        })
    }

    fn register_write<R>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>, &str) -> rusqlite::Result<R>,
    ) -> StoreResult<R> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let result = work(&transaction, &super::now()).map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(result)
    }
}

fn missing(kind: RegisterKind, number: u32) -> StoreError {
    StoreError::Invalid(format!(
        "no entry {} in the {} register (see `isms-ready {} list`)",
        kind.id(number),
        kind.noun(),
        kind.noun()
    ))
}

/// Writes what a merge decided for entry `number` of register `T` in the open transaction: the
/// whole entry (JSON) or its removal (`None`), with its history row. False when nothing changed.
pub(super) fn merge_write<T: Entry + PartialEq + serde::de::DeserializeOwned>(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    value: Option<&str>,
    stamp: &str,
    session: Option<Option<u32>>,
) -> rusqlite::Result<bool> {
    let old = read_entry::<T>(transaction, assessment_id, number)?;
    let new = match value {
        Some(json) => match serde_json::from_str::<T>(json) {
            Ok(mut entry) => {
                *entry.id_mut() = T::KIND.id(number);
                Some(entry)
            }
            Err(_) => return Ok(false),
        },
        None => None,
    };
    let noun = T::KIND.noun();
    match (old, new) {
        (None, None) => Ok(false),
        (Some(old), None) => {
            transaction.execute(
                &format!(
                    "DELETE FROM {} WHERE assessment_id = ?1 AND number = ?2",
                    T::TABLE
                ),
                rusqlite::params![assessment_id, number],
            )?;
            history_in(
                transaction,
                assessment_id,
                format!("{noun}.remove"),
                (Some(as_json(&old)), None),
                (stamp, session),
                old.uid(),
            )?;
            Ok(true)
        }
        (old, Some(new)) => {
            if old.as_ref() == Some(&new) {
                return Ok(false);
            }
            write_entry(transaction, assessment_id, number, &new, stamp)?;
            let saved = read_entry::<T>(transaction, assessment_id, number)?.unwrap_or(new);
            history_in(
                transaction,
                assessment_id,
                format!("{noun}.{}", if old.is_some() { "set" } else { "add" }),
                (old.as_ref().map(as_json), Some(as_json(&saved))),
                (stamp, session),
                saved.uid(),
            )?;
            Ok(true)
        }
    }
}

impl Store {
    /// Puts entry `number` of register `kind` back as `entry` (its JSON; `None`: removes it), in
    /// one transaction with its history row, and returns what it held before (JSON). Undo and
    /// redo in the app go through it, so an undone removal comes back under its own id.
    pub fn put_entry(
        &mut self,
        assessment_id: i64,
        kind: RegisterKind,
        number: u32,
        entry: Option<&str>,
    ) -> StoreResult<Option<String>> {
        fn put<T: Entry + PartialEq + serde::de::DeserializeOwned>(
            transaction: &Transaction<'_>,
            assessment_id: i64,
            number: u32,
            entry: Option<&str>,
            stamp: &str,
        ) -> rusqlite::Result<Option<String>> {
            let before = read_entry::<T>(transaction, assessment_id, number)?.map(|e| as_json(&e));
            merge_write::<T>(transaction, assessment_id, number, entry, stamp, None)?;
            Ok(before)
        }
        self.register_write(|transaction, stamp| {
            crate::with_register!(kind, T => put::<T>(transaction, assessment_id, number, entry, stamp))
        })
    }
}
