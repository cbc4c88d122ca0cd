//! Workshop sessions, history, undo, compare and trend: what both shells do with them.

use super::Context;
use crate::model::mapping::{Mapping, carry_over};
use crate::model::session::{
    self, NewSession, WorkshopSession, answers_at, last_id_at, parse_participants,
};
use crate::model::{Answers, Assessment, HistoryEntry};
use crate::score::{self, Comparison, Percent};
use crate::store::{Store, Undone};
use color_eyre::eyre::{Result, eyre};

/// Opens a session on `assessment`: participants as "Name (role), Name (role)"; the date is today
/// unless given.
pub fn start(
    store: &mut Store,
    assessment: &Assessment,
    title: &str,
    participants: &str,
    facilitator: &str,
    focus: &str,
    date: Option<chrono::NaiveDate>,
) -> Result<WorkshopSession> {
    let facilitator = if facilitator.trim().is_empty() {
        assessment.assessor.clone()
    } else {
        facilitator.to_string()
    };
    Ok(store.start_session(
        assessment.id,
        &NewSession {
            title: title.to_string(),
            date: date.unwrap_or_else(crate::clock::today).to_string(),
            facilitator,
            participants: parse_participants(participants),
            focus: focus.to_string(),
        },
    )?)
}

/// Ends the open session, adding `notes` to its notes; the readiness it ended on is kept for
/// the trend.
pub fn end(
    store: &mut Store,
    assessment: &Assessment,
    questionnaire: &crate::model::Questionnaire,
    notes: Option<&str>,
) -> Result<WorkshopSession> {
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let summary = score::summarize(assessment, questionnaire, &answers);
    let figures: Vec<(String, u64)> =
        std::iter::once(("4-10".to_string(), summary.overall.readiness.tenths()))
            .chain(
                summary
                    .clauses
                    .iter()
                    .map(|g| (g.clause.clone(), g.figures.readiness.tenths())),
            )
            .collect();
    Ok(store.end_session(assessment.id, notes, &figures)?)
}

/// A session named on the command line: its number, or its title (case ignored).
pub fn find_session(sessions: &[WorkshopSession], name: &str) -> Option<WorkshopSession> {
    let name = name.trim();
    sessions
        .iter()
        .find(|s| name.parse::<u32>().is_ok_and(|n| n == s.number))
        .or_else(|| sessions.iter().find(|s| s.title.eq_ignore_ascii_case(name)))
        .cloned()
}

/// The history of an assessment, newest first; only `item`'s rows and only `session`'s when given.
pub fn history(
    store: &Store,
    assessment: &Assessment,
    item: Option<u32>,
    session: Option<u32>,
) -> Result<Vec<HistoryEntry>> {
    let mut rows = match item {
        Some(item) => store.item_history(assessment.id, item)?,
        None => store.history(assessment.id)?,
    };
    if let Some(number) = session {
        rows.retain(|row| row.session == Some(number));
    }
    rows.reverse();
    Ok(rows)
}

/// Undoes the last answer change of `assessment` made after history row `after_id` (0: any).
pub fn undo(store: &mut Store, assessment: &Assessment, after_id: i64) -> Result<Option<Undone>> {
    Ok(store.undo_last(assessment.id, after_id)?)
}

pub use crate::model::session::{ShownChange, shown_change, shown_value};

/// One line saying what an undo (or redo) did: "item 7 (4.3 c)): level 3 Checked -> 1 Planned".
pub fn describe_undo(undone: &Undone, reference: &str) -> String {
    let fields: Vec<String> = undone
        .rows
        .iter()
        .map(|row| {
            let (from, to) = (&row.new_value, &row.old_value);
            format!(
                "{} {} -> {}",
                row.field,
                shown_value(&row.field, from.as_deref()),
                shown_value(&row.field, to.as_deref())
            )
        })
        .collect();
    format!("item {} ({reference}): {}", undone.item, fields.join("; "))
}

/// The point an assessment is compared from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// The start of a session (its number or title).
    Session(String),
    /// The start of a day (local midnight).
    Date(chrono::NaiveDate),
}

impl Since {
    pub fn parse(text: &str) -> Since {
        match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) => Since::Date(date),
            Err(_) => Since::Session(text.trim().to_string()),
        }
    }
}

/// The comparison, and what it compared in words ("session 1 Top management (2027-03-01)").
pub struct Compared {
    pub from_label: String,
    pub to_label: String,
    pub comparison: Comparison,
}

/// `assessment` now against itself at an earlier point.
pub fn compare_since(
    context: &Context,
    assessment: &Assessment,
    since: &Since,
) -> Result<Compared> {
    compare_since_in(&context.store, &context.catalog, assessment, since)
}

/// The answers of `assessment` with its questionnaire, from `store` and `catalog`.
fn answers_in(
    store: &Store,
    catalog: &crate::model::Catalog,
    assessment: &Assessment,
) -> Result<(std::sync::Arc<crate::model::Questionnaire>, Answers)> {
    let questionnaire = catalog.get(&assessment.questionnaire_id).ok_or_else(|| {
        eyre!(
            "questionnaire \"{}\" is not known to this build",
            assessment.questionnaire_id
        )
    })?;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    Ok((questionnaire, answers))
}

/// `compare_since` on a store and catalog (what the app holds).
pub fn compare_since_in(
    store: &Store,
    catalog: &crate::model::Catalog,
    assessment: &Assessment,
    since: &Since,
) -> Result<Compared> {
    let (questionnaire, now) = answers_in(store, catalog, assessment)?;
    let history = store.history(assessment.id)?;
    let (cut, label) = match since {
        Since::Session(name) => {
            let sessions = store.sessions(assessment.id)?;
            let found = find_session(&sessions, name).ok_or_else(|| {
                eyre!(
                    "no session \"{name}\" in \"{}\" (see `isms-ready session list`)",
                    assessment.name
                )
            })?;
            (
                last_id_before_session(&history, &found),
                format!("before session {}", found.label()),
            )
        }
        Since::Date(date) => {
            let midnight = crate::clock::local_midnight(*date)
                .ok_or_else(|| eyre!("{date} has no local midnight"))?;
            let moment = midnight.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            // Rows strictly before midnight.
            let cut = history
                .iter()
                .take_while(|row| row.changed_at < moment)
                .last()
                .map_or(0, |row| row.id);
            (cut, format!("at the start of {date}"))
        }
    };
    let then = answers_at(&now, &history, cut);
    Ok(Compared {
        from_label: label,
        to_label: "now".into(),
        comparison: score::compare(assessment, &questionnaire, &then, &now),
    })
}

/// The last history row written before `session` started.
fn last_id_before_session(history: &[HistoryEntry], session: &WorkshopSession) -> i64 {
    history
        .iter()
        .take_while(|row| match row.session {
            // Stamped rows say which session they belong to; the others go by time.
            Some(number) => number < session.number,
            None => row.changed_at < session.started_at,
        })
        .last()
        .map_or(0, |row| row.id)
}

/// `assessment` against `other`: of the same questionnaire, or a 2013 baseline against its 2022
/// assessment through the mapping (either way round: the older is "then").
pub fn compare_with(
    context: &Context,
    assessment: &Assessment,
    other: &Assessment,
) -> Result<Compared> {
    compare_with_in(&context.store, &context.catalog, assessment, other)
}

/// Whether `other` can be compared with `assessment` (`compare_with` accepts the pair).
pub fn comparable(assessment: &Assessment, other: &Assessment) -> bool {
    let mapping = Mapping::builtin();
    other.id != assessment.id
        && (other.questionnaire_id == assessment.questionnaire_id
            || (other.questionnaire_id == mapping.from
                && assessment.questionnaire_id == mapping.to))
}

/// `compare_with` on a store and catalog (what the app holds).
pub fn compare_with_in(
    store: &Store,
    catalog: &crate::model::Catalog,
    assessment: &Assessment,
    other: &Assessment,
) -> Result<Compared> {
    let (questionnaire, now) = answers_in(store, catalog, assessment)?;
    let (other_q, other_answers) = answers_in(store, catalog, other)?;
    let then: Answers = if other_q.id == questionnaire.id {
        other_answers
    } else {
        let mapping = Mapping::builtin();
        if other_q.id == mapping.from && questionnaire.id == mapping.to {
            carry_over(mapping, &other_q, &other_answers, &questionnaire)
        } else {
            return Err(eyre!(
                "\"{}\" ({}) and \"{}\" ({}) cannot be compared: compare assessments of one questionnaire, or a {} baseline with a {} assessment",
                assessment.name,
                questionnaire.id,
                other.name,
                other_q.id,
                mapping.from,
                mapping.to
            ));
        }
    };
    Ok(Compared {
        from_label: format!("\"{}\" ({})", other.name, other_q.id),
        to_label: format!("\"{}\"", assessment.name),
        comparison: score::compare(assessment, &questionnaire, &then, &now),
    })
}

pub use crate::model::session::TrendPoint;

/// Readiness per clause at the end of each session (an open session: now), oldest first.
pub fn trend(
    store: &Store,
    assessment: &Assessment,
    questionnaire: &crate::model::Questionnaire,
    now: &Answers,
) -> Result<Vec<TrendPoint>> {
    let sessions = store.sessions(assessment.id)?;
    // Sessions ended by this build keep the figures they ended on: no history needed.
    let history = if sessions
        .iter()
        .any(|s| !s.is_open() && s.end_readiness.is_empty())
    {
        store.history(assessment.id)?
    } else {
        Vec::new()
    };
    Ok(trend_of(
        assessment,
        questionnaire,
        now,
        &history,
        &sessions,
    ))
}

/// The pure part of `trend`.
pub fn trend_of(
    assessment: &Assessment,
    questionnaire: &crate::model::Questionnaire,
    now: &Answers,
    history: &[HistoryEntry],
    sessions: &[WorkshopSession],
) -> Vec<TrendPoint> {
    sessions
        .iter()
        .map(|s| {
            if !s.is_open() && !s.end_readiness.is_empty() {
                let tenths = |group: &str| {
                    s.end_readiness
                        .iter()
                        .find(|(g, _)| g == group)
                        .map_or(Percent::of(0, 1), |(_, t)| Percent::of(*t, 1000))
                };
                return TrendPoint {
                    session: s.number,
                    title: s.title.clone(),
                    date: s.date.clone(),
                    overall: tenths("4-10"),
                    clauses: questionnaire
                        .groups()
                        .iter()
                        .filter(|g| g.kind == crate::model::ItemKind::Clause)
                        .map(|g| (g.id.to_string(), tenths(g.id)))
                        .collect(),
                };
            }
            let answers = match &s.ended_at {
                Some(end) => answers_at(now, history, last_id_at(history, end)),
                None => now.clone(),
            };
            let summary = score::summarize(assessment, questionnaire, &answers);
            TrendPoint {
                session: s.number,
                title: s.title.clone(),
                date: s.date.clone(),
                overall: summary.overall.readiness,
                clauses: summary
                    .clauses
                    .iter()
                    .map(|g| (g.clause.clone(), g.figures.readiness))
                    .collect(),
            }
        })
        .collect()
}

/// Every session of an assessment with its participants, for `session list`.
pub fn sessions(store: &Store, assessment: &Assessment) -> Result<Vec<WorkshopSession>> {
    Ok(store.sessions(assessment.id)?)
}

pub use session::participants_text;
