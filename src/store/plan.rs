//! Queries on the certification plan's progress. Like answers: one transaction per change, and
//! every change appended to the history (with the step number instead of an item).

use super::{Store, StoreResult};
use crate::model::plan::{PlanChange, StepProgress, StepStatus};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

const COLUMNS: &str = "status, reason, owner, start, due, done_on, note";

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn progress_from_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<StepProgress> {
    let status: String = row.get(first)?;
    Ok(StepProgress {
        status: StepStatus::parse(&status).unwrap_or_default(),
        reason: row.get(first + 1)?,
        owner: row.get(first + 2)?,
        start: date(row.get(first + 3)?),
        due: date(row.get(first + 4)?),
        done_on: date(row.get(first + 5)?),
        note: row.get(first + 6)?,
    })
}

fn history_value(progress: &StepProgress, field: &str) -> Option<String> {
    let text = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    match field {
        "status" if progress.reason.is_empty() => Some(progress.status.code().to_string()),
        "status" => Some(format!("{}: {}", progress.status.code(), progress.reason)),
        "owner" => text(&progress.owner),
        "start" => progress.start.map(|d| d.to_string()),
        "due" => progress.due.map(|d| d.to_string()),
        "note" => text(&progress.note),
        "done_on" => progress.done_on.map(|d| d.to_string()),
        _ => None,
    }
}

impl Store {
    /// The progress of every step of a plan of `step_count` steps (untouched steps are "to do").
    pub fn plan_progress(
        &self,
        assessment_id: i64,
        step_count: usize,
    ) -> StoreResult<Vec<StepProgress>> {
        let mut progress = vec![StepProgress::default(); step_count];
        let mut statement = self
            .connection()
            .prepare_cached(&format!(
                "SELECT step, {COLUMNS} FROM plan_step WHERE assessment_id = ?1"
            ))
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok((row.get::<_, u32>(0)? as usize, progress_from_row(row, 1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.fail(e))?;
        for (step, saved) in rows {
            if let Some(slot) = step.checked_sub(1).and_then(|i| progress.get_mut(i)) {
                *slot = saved;
            }
        }
        Ok(progress)
    }

    /// Saves one change to one step durably, with its history row. Returns the step as saved.
    pub fn apply_plan_change(
        &mut self,
        assessment_id: i64,
        step: u32,
        change: &PlanChange,
    ) -> StoreResult<StepProgress> {
        self.apply_plan_changes(assessment_id, step, std::slice::from_ref(change))
    }

    /// Saves several changes to one step in one transaction, each with its history row: all of
    /// them or, when one is refused or the write fails, none (one command, one transaction).
    /// Each change is checked against the step as stored plus the changes before it, inside the
    /// transaction, so the app and `plan set` are held to the same rules (e.g. a due date not
    /// before the start date). Returns the step as saved.
    pub fn apply_plan_changes(
        &mut self,
        assessment_id: i64,
        step: u32,
        changes: &[PlanChange],
    ) -> StoreResult<StepProgress> {
        for change in changes {
            if let Err(reason) = change.check() {
                return Err(super::StoreError::Invalid(format!("step {step}: {reason}")));
            }
        }
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let mut current = transaction
            .query_row(
                &format!("SELECT {COLUMNS} FROM plan_step WHERE assessment_id = ?1 AND step = ?2"),
                params![assessment_id, step],
                |row| progress_from_row(row, 0),
            )
            .optional()
            .map_err(fail)?
            .unwrap_or_default();
        let changed_at = super::assessments::now();
        let mut moved = false;
        for change in changes {
            if let Err(reason) = change.check_against(&current) {
                // Dropping the transaction rolls back the changes before this one.
                return Err(super::StoreError::Invalid(format!("step {step}: {reason}")));
            }
            let old = current.clone();
            change.apply(&mut current);
            if current == old {
                continue;
            }
            moved = true;
            let field = change.field();
            let (was, is) = (history_value(&old, field), history_value(&current, field));
            let row = super::history::HistoryRow {
                step: Some(step),
                field: &format!("plan.{field}"),
                old_value: was.as_deref(),
                new_value: is.as_deref(),
                changed_at: &changed_at,
                ..Default::default()
            };
            super::history::append(&transaction, assessment_id, &row).map_err(fail)?;
        }
        if moved {
            write_step(&transaction, assessment_id, step, &current, &changed_at).map_err(fail)?;
            transaction.commit().map_err(fail)?;
        }
        Ok(current)
    }
}

/// A step's field as the history writes it (issue 18's merge reads and writes through these).
pub(super) fn history_value_of(progress: &StepProgress, field: &str) -> Option<String> {
    history_value(progress, field)
}

/// The stored progress of one step (untouched: "to do").
pub(super) fn read_step(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    step: u32,
) -> rusqlite::Result<StepProgress> {
    Ok(connection
        .query_row(
            &format!("SELECT {COLUMNS} FROM plan_step WHERE assessment_id = ?1 AND step = ?2"),
            params![assessment_id, step],
            |row| progress_from_row(row, 0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Writes the progress of one step, inserting or replacing its row.
pub(super) fn write_step(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    step: u32,
    progress: &StepProgress,
    updated_at: &str,
) -> rusqlite::Result<()> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    connection.execute(
        &format!(
            "INSERT INTO plan_step (assessment_id, step, {COLUMNS}, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (assessment_id, step) DO UPDATE SET
                 status = excluded.status, reason = excluded.reason, owner = excluded.owner,
                 start = excluded.start, due = excluded.due, done_on = excluded.done_on,
                 note = excluded.note, updated_at = excluded.updated_at"
        ),
        params![
            assessment_id,
            step,
            progress.status.code(),
            progress.reason,
            progress.owner,
            day(progress.start),
            day(progress.due),
            day(progress.done_on),
            progress.note,
            updated_at
        ],
    )?;
    Ok(())
}

impl Store {
    /// Puts step `step` back to `progress`, in one transaction with a history row per field that
    /// moves, and returns what it was before. Undo and redo in the app go through it (the rules
    /// of `apply_plan_change` judged the state being put back when it was first saved).
    pub fn put_step(
        &mut self,
        assessment_id: i64,
        step: u32,
        progress: &StepProgress,
    ) -> StoreResult<StepProgress> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let before = read_step(&transaction, assessment_id, step).map_err(fail)?;
        let stamp = super::now();
        write_step(&transaction, assessment_id, step, progress, &stamp).map_err(fail)?;
        for field in ["status", "owner", "start", "due", "done_on", "note"] {
            let (was, is) = (
                history_value(&before, field),
                history_value(progress, field),
            );
            if was != is {
                let row = super::history::HistoryRow {
                    step: Some(step),
                    field: &format!("plan.{field}"),
                    old_value: was.as_deref(),
                    new_value: is.as_deref(),
                    changed_at: &stamp,
                    ..Default::default()
                };
                super::history::append(&transaction, assessment_id, &row).map_err(fail)?;
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(before)
    }
}
