//! Workshop sessions and undo. A session is opened and ended per assessment; while one is open
//! every history row is stamped with its number (the stamping is in the history inserts). An undo
//! is itself a change: it restores the old values and appends history rows that name the rows they
//! undid, so the history stays append-only.

use super::answers::{history_from_row, upsert_answer};
use super::assessments::now;
use super::{Store, StoreError, StoreResult};
use crate::model::session::set_history_value;
use crate::model::session::{NewSession, Participant, WorkshopSession};
use crate::model::{Answer, HistoryEntry};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// One change as the history holds it: the rows one transaction wrote for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub item: u32,
    /// The rows undone, in the order they were written.
    pub rows: Vec<HistoryEntry>,
    /// The history rows the undo itself wrote (what a redo undoes).
    pub undo_rows: Vec<i64>,
}

fn read_session(
    transaction: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<WorkshopSession> {
    let mut session = transaction.query_row(
        "SELECT number, title, held_on, facilitator, focus, notes, started_at, ended_at, end_readiness
         FROM workshop_session WHERE assessment_id = ?1 AND number = ?2",
        params![assessment_id, number],
        session_from_row,
    )?;
    session.participants = participants(transaction, assessment_id, number)?;
    Ok(session)
}

fn session_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<WorkshopSession> {
    Ok(WorkshopSession {
        number: row.get(0)?,
        title: row.get(1)?,
        date: row.get(2)?,
        facilitator: row.get(3)?,
        participants: Vec::new(),
        focus: row.get(4)?,
        notes: row.get(5)?,
        started_at: row.get(6)?,
        ended_at: row.get(7)?,
        end_readiness: parse_readiness(&row.get::<_, String>(8)?),
    })
}

/// "4-10=18;4=278" -> [("4-10", 18), ("4", 278)]; unreadable parts are skipped.
fn parse_readiness(text: &str) -> Vec<(String, u64)> {
    text.split(';')
        .filter_map(|part| {
            let (group, tenths) = part.split_once('=')?;
            Some((group.to_string(), tenths.parse().ok()?))
        })
        .collect()
}

fn readiness_text(figures: &[(String, u64)]) -> String {
    figures
        .iter()
        .map(|(group, tenths)| format!("{group}={tenths}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn participants(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    number: u32,
) -> rusqlite::Result<Vec<Participant>> {
    let mut statement = connection.prepare_cached(
        "SELECT name, role FROM session_participant
         WHERE assessment_id = ?1 AND session = ?2 ORDER BY position",
    )?;
    statement
        .query_map(params![assessment_id, number], |row| {
            Ok(Participant {
                name: row.get(0)?,
                role: row.get(1)?,
            })
        })?
        .collect()
}

/// Writes a whole session with its participants (a new one, or one read from a document).
pub(super) fn insert_session(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    session: &WorkshopSession,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO workshop_session
         (assessment_id, number, title, held_on, facilitator, focus, notes, started_at, ended_at, end_readiness)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            assessment_id,
            session.number,
            session.title,
            session.date,
            session.facilitator,
            session.focus,
            session.notes,
            session.started_at,
            session.ended_at,
            readiness_text(&session.end_readiness)
        ],
    )?;
    for (position, person) in session.participants.iter().enumerate() {
        connection.execute(
            "INSERT INTO session_participant (assessment_id, session, position, name, role)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                assessment_id,
                session.number,
                position as i64,
                person.name,
                person.role
            ],
        )?;
    }
    Ok(())
}

impl Store {
    fn immediate(&mut self) -> StoreResult<Transaction<'_>> {
        let path = self.path().to_path_buf();
        self.connection_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| super::classify(&path, e))
    }

    /// The sessions of an assessment, oldest first, with their participants.
    pub fn sessions(&self, assessment_id: i64) -> StoreResult<Vec<WorkshopSession>> {
        let connection = self.connection();
        let read = || -> rusqlite::Result<Vec<WorkshopSession>> {
            let mut statement = connection.prepare_cached(
                "SELECT number, title, held_on, facilitator, focus, notes, started_at, ended_at, end_readiness
                 FROM workshop_session WHERE assessment_id = ?1 ORDER BY number",
            )?;
            let mut sessions = statement
                .query_map([assessment_id], session_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for session in &mut sessions {
                session.participants = participants(connection, assessment_id, session.number)?;
            }
            Ok(sessions)
        };
        read().map_err(|e| self.fail(e))
    }

    /// The session open on an assessment, if any.
    pub fn open_session(&self, assessment_id: i64) -> StoreResult<Option<WorkshopSession>> {
        Ok(self
            .sessions(assessment_id)?
            .into_iter()
            .find(WorkshopSession::is_open))
    }

    /// Opens a session. Refused while another is open (end it first) or without a title.
    pub fn start_session(
        &mut self,
        assessment_id: i64,
        new: &NewSession,
    ) -> StoreResult<WorkshopSession> {
        let title = new.title.trim();
        if title.is_empty() {
            return Err(StoreError::Refused("a session needs a title".into()));
        }
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self.immediate()?;
        let open: Option<(u32, String)> = transaction
            .query_row(
                "SELECT number, title FROM workshop_session
                 WHERE assessment_id = ?1 AND ended_at IS NULL",
                [assessment_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(fail)?;
        if let Some((number, title)) = open {
            return Err(StoreError::Refused(format!(
                "session {number} \"{title}\" is still open: end it first"
            )));
        }
        let number: u32 = transaction
            .query_row(
                "SELECT coalesce(max(number), 0) + 1 FROM workshop_session WHERE assessment_id = ?1",
                [assessment_id],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let session = WorkshopSession {
            number,
            title: title.to_string(),
            date: new.date.clone(),
            facilitator: new.facilitator.trim().to_string(),
            participants: new.participants.clone(),
            focus: new.focus.trim().to_string(),
            notes: String::new(),
            started_at: now(),
            ended_at: None,
            end_readiness: Vec::new(),
        };
        insert_session(&transaction, assessment_id, &session).map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(session)
    }

    /// Ends the open session, adding `notes` (when given) to its notes and keeping the readiness
    /// figures it ended on (for the trend). Refused when none is open.
    pub fn end_session(
        &mut self,
        assessment_id: i64,
        notes: Option<&str>,
        end_readiness: &[(String, u64)],
    ) -> StoreResult<WorkshopSession> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self.immediate()?;
        let number: Option<u32> = transaction
            .query_row(
                "SELECT number FROM workshop_session WHERE assessment_id = ?1 AND ended_at IS NULL",
                [assessment_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(fail)?;
        let Some(number) = number else {
            return Err(StoreError::Refused("no session is open".into()));
        };
        transaction
            .execute(
                "UPDATE workshop_session SET ended_at = ?3, end_readiness = ?5,
                     notes = CASE WHEN ?4 IS NULL OR ?4 = '' THEN notes
                                  WHEN notes = '' THEN ?4 ELSE notes || char(10) || ?4 END
                 WHERE assessment_id = ?1 AND number = ?2",
                params![
                    assessment_id,
                    number,
                    now(),
                    notes.map(str::trim),
                    readiness_text(end_readiness)
                ],
            )
            .map_err(fail)?;
        let session = read_session(&transaction, assessment_id, number).map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(session)
    }

    /// One page of an assessment's history, newest first: at most `limit` rows older than
    /// `before_id` (none: from the newest), only `item`'s and only `session`'s when given; and
    /// how many rows match in all.
    pub fn history_page(
        &self,
        assessment_id: i64,
        item: Option<u32>,
        session: Option<u32>,
        before_id: Option<i64>,
        limit: usize,
    ) -> StoreResult<(Vec<HistoryEntry>, usize)> {
        let filter =
            "assessment_id = ?1 AND (?2 IS NULL OR item = ?2) AND (?3 IS NULL OR session = ?3)";
        let connection = self.connection();
        let read = || -> rusqlite::Result<(Vec<HistoryEntry>, usize)> {
            let rows = connection
                .prepare_cached(&format!(
                    "SELECT changed_at, item, step, field, old_value, new_value, id, session, undoes, action
                     FROM history WHERE {filter} AND id < ?4 ORDER BY id DESC LIMIT ?5"
                ))?
                .query_map(
                    params![
                        assessment_id,
                        item,
                        session,
                        before_id.unwrap_or(i64::MAX),
                        limit as i64
                    ],
                    history_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total: i64 = connection.query_row(
                &format!("SELECT count(*) FROM history WHERE {filter}"),
                params![assessment_id, item, session],
                |row| row.get(0),
            )?;
            Ok((rows, total as usize))
        };
        read().map_err(|e| self.fail(e))
    }

    /// The history of one item, oldest first.
    pub fn item_history(&self, assessment_id: i64, item: u32) -> StoreResult<Vec<HistoryEntry>> {
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT changed_at, item, step, field, old_value, new_value, id, session, undoes, action
                 FROM history WHERE assessment_id = ?1 AND item = ?2 ORDER BY id",
            )
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map(params![assessment_id, item], history_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.fail(e))
    }

    /// Per item: when its answer last changed (RFC 3339, UTC) and in which session.
    pub fn last_change_per_item(
        &self,
        assessment_id: i64,
    ) -> StoreResult<std::collections::HashMap<u32, (String, Option<u32>)>> {
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT item, changed_at, session FROM history WHERE id IN
                     (SELECT max(id) FROM history
                      WHERE assessment_id = ?1 AND item IS NOT NULL GROUP BY item)",
            )
            .map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([assessment_id], |row| {
                Ok((row.get::<_, u32>(0)?, (row.get(1)?, row.get(2)?)))
            })
            .and_then(|rows| rows.collect::<Result<_, _>>());
        rows.map_err(|e| self.fail(e))
    }

    /// The newest history row id of an assessment (0 when none): a run's undo stops there.
    pub fn last_history_id(&self, assessment_id: i64) -> StoreResult<i64> {
        self.connection()
            .query_row(
                "SELECT coalesce(max(id), 0) FROM history WHERE assessment_id = ?1",
                [assessment_id],
                |row| row.get(0),
            )
            .map_err(|e| self.fail(e))
    }

    /// Undoes the newest answer change not yet undone (among rows after `after_id`): restores the
    /// old value of every field it changed, in one transaction, and records the undo as a change.
    /// Plan changes are not undone. `None` when there is nothing left to undo.
    pub fn undo_last(&mut self, assessment_id: i64, after_id: i64) -> StoreResult<Option<Undone>> {
        let Some(rows) = self.last_undoable(assessment_id, after_id)? else {
            return Ok(None);
        };
        self.restore(assessment_id, &rows).map(Some)
    }

    /// `model::session::last_undoable` over the newest rows only (issue 27: an undo costs the same
    /// on a history of 100,000 changes as on one of 100). Which rows are undos depends only on
    /// the rows that name a row they undo, so those are read whole (few, by their own index),
    /// with a window of the newest rows, widened until it holds the change to undo and every row
    /// of its transaction, or the whole history.
    fn last_undoable(
        &self,
        assessment_id: i64,
        after_id: i64,
    ) -> StoreResult<Option<Vec<HistoryEntry>>> {
        const COLUMNS: &str =
            "changed_at, item, step, field, old_value, new_value, id, session, undoes, action";
        let connection = self.connection();
        let read = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> StoreResult<Vec<HistoryEntry>> {
            connection
                .prepare_cached(sql)
                .and_then(|mut statement| {
                    statement
                        .query_map(params, history_from_row)?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(|e| self.fail(e))
        };
        let undos = read(
            &format!(
                // `undoes > 0` (row ids start at 1), not `IS NOT NULL`: the range makes SQLite
                // take the partial index of undos rather than every row of the assessment.
                "SELECT {COLUMNS} FROM history
                 WHERE assessment_id = ?1 AND undoes > 0 ORDER BY id"
            ),
            &[&assessment_id],
        )?;
        let mut window: i64 = 256;
        loop {
            let mut newest = read(
                &format!(
                    "SELECT {COLUMNS} FROM history
                     WHERE assessment_id = ?1 AND id > ?2 ORDER BY id DESC LIMIT ?3"
                ),
                &[&assessment_id, &after_id, &window],
            )?;
            let whole = (newest.len() as i64) < window;
            newest.reverse();
            let oldest = newest.first().map(|row| (row.id, row.changed_at.clone()));
            let mut rows: Vec<HistoryEntry> = undos
                .iter()
                .filter(|row| oldest.as_ref().is_none_or(|(id, _)| row.id < *id))
                .cloned()
                .collect();
            rows.extend(newest);
            let found = crate::model::session::last_undoable(&rows, after_id);
            let complete = match (&found, &oldest) {
                // Its transaction may go on below the window: widen it.
                (Some(change), Some((_, at))) => change[0].changed_at != *at,
                _ => false,
            };
            if whole || complete {
                return Ok(found);
            }
            window *= 4;
        }
    }

    /// Redoes an undo: undoes the rows it wrote (`undo_rows` of an `Undone`), recorded as a change.
    pub fn redo(&mut self, assessment_id: i64, undo_rows: &[i64]) -> StoreResult<Option<Undone>> {
        let history = self.history(assessment_id)?;
        let rows: Vec<HistoryEntry> = history
            .into_iter()
            .filter(|h| undo_rows.contains(&h.id))
            .collect();
        if rows.is_empty() {
            return Ok(None);
        }
        self.restore(assessment_id, &rows).map(Some)
    }

    /// Writes the old values of `rows` (one item's) back, newest row first, with history rows
    /// naming the rows they reverse.
    fn restore(&mut self, assessment_id: i64, rows: &[HistoryEntry]) -> StoreResult<Undone> {
        let item = rows[0].item.expect("answer rows name an item");
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self.immediate()?;
        let old: Answer = transaction
            .query_row(
                &format!(
                    "SELECT {} FROM answer WHERE assessment_id = ?1 AND item = ?2",
                    super::answers::ANSWER_FIELDS.join(", ")
                ),
                params![assessment_id, item],
                super::answers::answer_from_row,
            )
            .optional()
            .map_err(fail)?
            .unwrap_or_default();
        let mut new = old.clone();
        for row in rows.iter().rev() {
            set_history_value(&mut new, &row.field, row.old_value.as_deref());
        }
        let changed_at = now();
        upsert_answer(&transaction, assessment_id, item, &new, &changed_at).map_err(fail)?;
        let mut undo_rows = Vec::new();
        for row in rows.iter().rev() {
            let undo = super::history::HistoryRow {
                item: Some(item),
                field: &row.field,
                old_value: row.new_value.as_deref(),
                new_value: row.old_value.as_deref(),
                changed_at: &changed_at,
                undoes: Some(row.id),
                ..Default::default()
            };
            undo_rows
                .push(super::history::append(&transaction, assessment_id, &undo).map_err(fail)?);
        }
        transaction.commit().map_err(fail)?;
        Ok(Undone {
            item,
            rows: rows.to_vec(),
            undo_rows,
        })
    }
}

impl Store {
    /// Takes back the start of session `number`: it is removed when no change is stamped with it,
    /// else ended (the history names it). True when it was removed.
    pub fn take_back_session_start(
        &mut self,
        assessment_id: i64,
        number: u32,
    ) -> StoreResult<bool> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self.immediate()?;
        let stamped: i64 = transaction
            .query_row(
                "SELECT count(*) FROM history WHERE assessment_id = ?1 AND session = ?2",
                params![assessment_id, number],
                |row| row.get(0),
            )
            .map_err(fail)?;
        if stamped == 0 {
            for sql in [
                "DELETE FROM session_participant WHERE assessment_id = ?1 AND session = ?2",
                "DELETE FROM workshop_session WHERE assessment_id = ?1 AND number = ?2",
            ] {
                transaction
                    .execute(sql, params![assessment_id, number])
                    .map_err(fail)?;
            }
        } else {
            transaction
                .execute(
                    "UPDATE workshop_session SET ended_at = ?3
                     WHERE assessment_id = ?1 AND number = ?2 AND ended_at IS NULL",
                    params![assessment_id, number, now()],
                )
                .map_err(fail)?;
        }
        transaction.commit().map_err(fail)?;
        Ok(stamped == 0)
    }

    /// Opens ended session `number` again, its notes back to `notes` (what they were before it
    /// ended). Refused while another session is open.
    pub fn reopen_session(
        &mut self,
        assessment_id: i64,
        number: u32,
        notes: &str,
    ) -> StoreResult<WorkshopSession> {
        let path = self.path().to_path_buf();
        let fail = |e| super::classify(&path, e);
        let transaction = self.immediate()?;
        let open: Option<u32> = transaction
            .query_row(
                "SELECT number FROM workshop_session WHERE assessment_id = ?1 AND ended_at IS NULL",
                [assessment_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(fail)?;
        if let Some(open) = open.filter(|n| *n != number) {
            return Err(StoreError::Refused(format!(
                "session {open} is open: end it first"
            )));
        }
        transaction
            .execute(
                "UPDATE workshop_session SET ended_at = NULL, end_readiness = '', notes = ?3
                 WHERE assessment_id = ?1 AND number = ?2",
                params![assessment_id, number, notes],
            )
            .map_err(fail)?;
        let session = read_session(&transaction, assessment_id, number).map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Change, Level};
    use crate::store::NewAssessment;

    /// The windowed search for the change to undo finds what the whole history says, through
    /// long runs of changes, undos, redos and undos of several fields written together.
    #[test]
    fn the_change_to_undo_is_found_in_the_newest_rows_as_in_the_whole_history() {
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .create_assessment(&NewAssessment {
                name: "A".into(),
                questionnaire_id: "iso27001-2022".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let mut seed: u64 = 7;
        let mut random = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut redoable: Vec<Vec<i64>> = Vec::new();
        let mut after_id = 0;
        for round in 0..800 {
            match random(10) {
                0..=4 => {
                    let item = random(90) as u32 + 1;
                    let level = Level::from_u8(random(5) as u8);
                    store.apply_change(id, item, &Change::Level(level)).unwrap();
                    if random(3) == 0 {
                        // Two fields of one item in one transaction.
                        store
                            .apply_changes(
                                id,
                                item,
                                &[
                                    Change::Level(Level::from_u8(random(5) as u8)),
                                    Change::Note(format!("note {round}")),
                                ],
                            )
                            .unwrap();
                    }
                }
                5..=7 => {
                    if let Some(undone) = store.undo_last(id, after_id).unwrap() {
                        redoable.push(undone.undo_rows);
                    }
                }
                8 => {
                    if let Some(rows) = redoable.pop() {
                        store.redo(id, &rows).unwrap();
                    }
                }
                _ => after_id = store.last_history_id(id).unwrap() - random(50) as i64,
            }
            let whole = crate::model::session::last_undoable(&store.history(id).unwrap(), after_id);
            let windowed = store.last_undoable(id, after_id).unwrap();
            let ids = |rows: &Option<Vec<HistoryEntry>>| {
                rows.as_ref()
                    .map(|rows| rows.iter().map(|row| row.id).collect::<Vec<_>>())
            };
            assert_eq!(ids(&windowed), ids(&whole), "round {round}");
        }
    }
}
