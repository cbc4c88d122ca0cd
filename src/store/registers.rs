//! Queries on the four registers (context issues, interested parties, risks, objectives). Every
//! add, edit and removal is one `IMMEDIATE` transaction with its history row: the field is
//! `<register>.add`, `<register>.set` or `<register>.remove`, the old and new values the entry as
//! JSON (so the history shows exactly what was there before).

use super::{Store, StoreError, StoreResult};
use crate::model::registers::{
    ContextIssue, InterestedParty, Objective, ObjectiveStatus, RegisterKind, Registers, Risk, Side,
    Swot, Treatment,
};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params_from_iter};

/// One register's entry type, as the store reads and writes it.
pub trait Entry: Clone + serde::Serialize + Sized + 'static {
    const KIND: RegisterKind;
    const TABLE: &'static str;
    /// The columns after `assessment_id, number`, in the order of `values`.
    const COLUMNS: &'static [&'static str];
    fn values(&self) -> Vec<Value>;
    /// Reads the entry from a row of `number, COLUMNS...` (without the id's links).
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
    fn id_mut(&mut self) -> &mut String;
    fn id(&self) -> &str;
    /// The entry's unique id (issue 18); empty until the store gives it.
    fn uid(&self) -> &str;
    fn uid_mut(&mut self) -> &mut String;
    /// The entry's own rules (see the model); the store refuses an entry that breaks them.
    fn check(&self) -> Result<(), String>;
}

/// The accessors every entry type implements the same way: its `id` and `uid` fields, and the
/// model's own `check`.
macro_rules! entry_fields {
    () => {
        fn id_mut(&mut self) -> &mut String {
            &mut self.id
        }
        fn id(&self) -> &str {
            &self.id
        }
        fn uid(&self) -> &str {
            &self.uid
        }
        fn uid_mut(&mut self) -> &mut String {
            &mut self.uid
        }
        fn check(&self) -> Result<(), String> {
            Self::check(self)
        }
    };
}

fn text(value: &str) -> Value {
    Value::Text(value.to_string())
}

fn optional<T: ToString>(value: Option<T>) -> Value {
    value.map_or(Value::Null, |v| Value::Text(v.to_string()))
}

fn small(value: u8) -> Value {
    Value::Integer(i64::from(value))
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn side(text: String) -> Side {
    Side::parse(&text).unwrap_or_default()
}

impl Entry for ContextIssue {
    const KIND: RegisterKind = RegisterKind::Context;
    const TABLE: &'static str = "context_issue";
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "kind",
        "category",
        "swot",
        "influence",
        "control",
        "owner",
        "risks",
        "note",
        "uid",
    ];
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.title),
            text(self.kind.code()),
            text(&self.category),
            optional(self.swot.map(|s| s.code())),
            small(self.influence),
            small(self.control),
            text(&self.owner),
            text(&self.risks),
            text(&self.note),
            text(&self.uid),
        ]
    }
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(ContextIssue {
            id: Self::KIND.id(row.get(0)?),
            title: row.get(1)?,
            kind: side(row.get(2)?),
            category: row.get(3)?,
            swot: row
                .get::<_, Option<String>>(4)?
                .and_then(|s| Swot::parse(&s)),
            influence: row.get(5)?,
            control: row.get(6)?,
            owner: row.get(7)?,
            risks: row.get(8)?,
            note: row.get(9)?,
            uid: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
        })
    }
    entry_fields!();
}

impl Entry for InterestedParty {
    const KIND: RegisterKind = RegisterKind::Parties;
    const TABLE: &'static str = "interested_party";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "kind",
        "needs",
        "addressed",
        "influence",
        "control",
        "contact",
        "note",
        "uid",
    ];
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.name),
            text(self.kind.code()),
            text(&self.needs),
            text(&self.addressed),
            small(self.influence),
            small(self.control),
            text(&self.contact),
            text(&self.note),
            text(&self.uid),
        ]
    }
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(InterestedParty {
            id: Self::KIND.id(row.get(0)?),
            name: row.get(1)?,
            kind: side(row.get(2)?),
            needs: row.get(3)?,
            addressed: row.get(4)?,
            influence: row.get(5)?,
            control: row.get(6)?,
            contact: row.get(7)?,
            note: row.get(8)?,
            uid: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
        })
    }
    entry_fields!();
}

impl Entry for Risk {
    const KIND: RegisterKind = RegisterKind::Risks;
    const TABLE: &'static str = "risk";
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "asset",
        "threat",
        "vulnerability",
        "owner",
        "likelihood",
        "impact",
        "treatment",
        "residual_likelihood",
        "residual_impact",
        "accepted_on",
        "note",
        "uid",
    ];
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.title),
            text(&self.asset),
            text(&self.threat),
            text(&self.vulnerability),
            text(&self.owner),
            small(self.likelihood),
            small(self.impact),
            optional(self.treatment.map(|t| t.code())),
            self.residual_likelihood.map_or(Value::Null, small),
            self.residual_impact.map_or(Value::Null, small),
            optional(self.accepted_on),
            text(&self.note),
            text(&self.uid),
        ]
    }
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Risk {
            id: Self::KIND.id(row.get(0)?),
            title: row.get(1)?,
            asset: row.get(2)?,
            threat: row.get(3)?,
            vulnerability: row.get(4)?,
            owner: row.get(5)?,
            likelihood: row.get(6)?,
            impact: row.get(7)?,
            treatment: row
                .get::<_, Option<String>>(8)?
                .and_then(|t| Treatment::parse(&t)),
            controls: Vec::new(),
            residual_likelihood: row.get(9)?,
            residual_impact: row.get(10)?,
            accepted_on: date(row.get(11)?),
            note: row.get(12)?,
            uid: row.get::<_, Option<String>>(13)?.unwrap_or_default(),
        })
    }
    entry_fields!();
}

impl Entry for Objective {
    const KIND: RegisterKind = RegisterKind::Objectives;
    const TABLE: &'static str = "objective";
    const COLUMNS: &'static [&'static str] = &[
        "objective",
        "measure",
        "target",
        "owner",
        "resources",
        "due",
        "evaluation",
        "status",
        "note",
        "uid",
    ];
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.objective),
            text(&self.measure),
            text(&self.target),
            text(&self.owner),
            text(&self.resources),
            optional(self.due),
            text(&self.evaluation),
            text(self.status.code()),
            text(&self.note),
            text(&self.uid),
        ]
    }
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Objective {
            id: Self::KIND.id(row.get(0)?),
            objective: row.get(1)?,
            measure: row.get(2)?,
            target: row.get(3)?,
            owner: row.get(4)?,
            resources: row.get(5)?,
            due: date(row.get(6)?),
            evaluation: row.get(7)?,
            status: ObjectiveStatus::parse(&row.get::<_, String>(8)?).unwrap_or_default(),
            note: row.get(9)?,
            uid: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
        })
    }
    entry_fields!();
}

fn select<T: Entry>() -> String {
    format!(
        "SELECT number, {} FROM {} WHERE assessment_id = ?1",
        T::COLUMNS.join(", "),
        T::TABLE
    )
}

fn read_all<T: Entry>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = connection.prepare_cached(&format!("{} ORDER BY number", select::<T>()))?;
    let rows = statement.query_map([assessment_id], T::from_row)?;
    rows.collect()
}

fn read_one<T: Entry>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<Option<T>> {
    connection
        .query_row(
            &format!("{} AND number = ?2", select::<T>()),
            rusqlite::params![assessment_id, number],
            T::from_row,
        )
        .optional()
}

fn read_entry<T: Entry + 'static>(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<Option<T>> {
    let mut entry = read_one::<T>(connection, assessment_id, number)?;
    if let Some(risk) = entry
        .as_mut()
        .and_then(|e| (e as &mut dyn std::any::Any).downcast_mut::<Risk>())
    {
        attach_controls(
            std::slice::from_mut(risk),
            controls_of(connection, assessment_id)?
                .into_iter()
                .filter(|(n, _)| *n == number)
                .collect(),
        );
    }
    Ok(entry)
}

fn controls_of(
    connection: &rusqlite::Connection,
    assessment_id: i64,
) -> rusqlite::Result<Vec<(u32, String)>> {
    let mut statement = connection.prepare_cached(
        "SELECT risk, control FROM risk_control WHERE assessment_id = ?1 ORDER BY risk, position",
    )?;
    let rows = statement.query_map([assessment_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

fn attach_controls(risks: &mut [Risk], links: Vec<(u32, String)>) {
    for (number, control) in links {
        let id = RegisterKind::Risks.id(number);
        if let Some(risk) = risks.iter_mut().find(|r| r.id == id) {
            risk.controls.push(control);
        }
    }
}

/// Writes the entry's row (insert or replace) and, for a risk, its control links.
pub(super) fn write_entry<T: Entry + 'static>(
    transaction: &Transaction<'_>,
    assessment_id: i64,
    number: u32,
    entry: &T,
    stamp: &str,
) -> rusqlite::Result<()> {
    let columns = T::COLUMNS.join(", ");
    let placeholders: Vec<String> = (0..T::COLUMNS.len() + 3)
        .map(|i| format!("?{}", i + 1))
        .collect();
    let mut values = vec![Value::Integer(assessment_id), Value::Integer(number.into())];
    values.extend(entry.values());
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
            "INSERT OR REPLACE INTO {} (assessment_id, number, {columns}, updated_at) VALUES ({})",
            T::TABLE,
            placeholders.join(", ")
        ),
        params_from_iter(values),
    )?;
    if let Some(risk) = (entry as &dyn std::any::Any).downcast_ref::<Risk>() {
        transaction.execute(
            "DELETE FROM risk_control WHERE assessment_id = ?1 AND risk = ?2",
            rusqlite::params![assessment_id, number],
        )?;
        for (position, control) in risk.controls.iter().enumerate() {
            transaction.execute(
                "INSERT OR IGNORE INTO risk_control (assessment_id, risk, position, control)
                 VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![assessment_id, number, position as i64, control],
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

impl Store {
    /// The four registers of an assessment, each in its order (see `Registers::sort`).
    pub fn registers(&self, assessment_id: i64) -> StoreResult<Registers> {
        let connection = self.connection();
        let read = || -> rusqlite::Result<Registers> {
            let mut risks: Vec<Risk> = read_all(connection, assessment_id)?;
            attach_controls(&mut risks, controls_of(connection, assessment_id)?);
            Ok(Registers {
                context: read_all(connection, assessment_id)?,
                parties: read_all(connection, assessment_id)?,
                risks,
                objectives: read_all(connection, assessment_id)?,
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
        entry.check().map_err(StoreError::Refused)?;
        self.register_write(|transaction, stamp| {
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
                "SELECT max(CAST(substr(json_extract(old_value, '$.id'), 3) AS INTEGER))
                 FROM history WHERE assessment_id = ?1 AND field = ?2",
                rusqlite::params![assessment_id, format!("{}.remove", T::KIND.noun())],
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
        entry.check().map_err(StoreError::Refused)?;
        self.register_write(|transaction, stamp| {
            let Some(before) = read_entry::<T>(transaction, assessment_id, number)? else {
                return Ok(None);
            };
            let mut after = entry.clone();
            *after.id_mut() = T::KIND.id(number);
            *after.uid_mut() = before.uid().to_string();
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
            }
            Ok(Some(RegisterChange {
                before: Some(before),
                after: Some(after),
            }))
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
        self.register_write(|transaction, stamp| match kind {
            RegisterKind::Context => {
                put::<ContextIssue>(transaction, assessment_id, number, entry, stamp)
            }
            RegisterKind::Parties => {
                put::<InterestedParty>(transaction, assessment_id, number, entry, stamp)
            }
            RegisterKind::Risks => put::<Risk>(transaction, assessment_id, number, entry, stamp),
            RegisterKind::Objectives => {
                put::<Objective>(transaction, assessment_id, number, entry, stamp)
            }
        })
    }
}
