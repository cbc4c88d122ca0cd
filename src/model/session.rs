//! Workshop sessions: a gap analysis runs over several workshops, each with its own people in
//! the room. Every change made while a session is open is stamped with its number.

use super::{Answer, Answers, HistoryEntry, Level, ReasonCode};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One person in the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

impl Participant {
    /// "Name (role)", or "Name" without a role.
    pub fn label(&self) -> String {
        if self.role.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.role)
        }
    }
}

/// Reads "Ann Lee (CEO), Bo Ek (risk owner), Cy" into participants: names separated by commas,
/// each with an optional role in brackets. Blank entries are dropped.
pub fn parse_participants(text: &str) -> Vec<Participant> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut push = |entry: &str| {
        let entry = entry.trim();
        if entry.is_empty() {
            return;
        }
        let (name, role) = match (entry.find('('), entry.rfind(')')) {
            (Some(open), Some(close)) if close > open => (
                entry[..open].trim().to_string(),
                entry[open + 1..close].trim().to_string(),
            ),
            _ => (entry.to_string(), String::new()),
        };
        if !name.is_empty() {
            out.push(Participant { name, role });
        }
    };
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' | '\n' if depth == 0 => {
                push(&current);
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    push(&current);
    out
}

/// The participants as "Name (role), Name (role)".
pub fn participants_text(participants: &[Participant]) -> String {
    participants
        .iter()
        .map(Participant::label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One workshop of an assessment. `number` counts the assessment's sessions from 1; history rows
/// name their session by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopSession {
    pub number: u32,
    pub title: String,
    /// The day it was held, YYYY-MM-DD (local).
    pub date: String,
    #[serde(default)]
    pub facilitator: String,
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// What it covers: clauses or domains, as typed ("4, 5" or "A.5-A.8").
    #[serde(default)]
    pub focus: String,
    #[serde(default)]
    pub notes: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC; `None` while the session is open.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// Readiness when the session ended, in tenths of a percent: the clause items overall
    /// (group "4-10") and each clause, as the trend shows them. Empty while open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub end_readiness: Vec<(String, u64)>,
}

impl WorkshopSession {
    pub fn is_open(&self) -> bool {
        self.ended_at.is_none()
    }

    /// "2 Risk owners (2027-03-03)".
    pub fn label(&self) -> String {
        format!("{} {} ({})", self.number, self.title, self.date)
    }
}

/// Readiness per clause at the end of one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub session: u32,
    pub title: String,
    pub date: String,
    pub overall: super::Percent,
    /// (clause, readiness), in questionnaire order.
    pub clauses: Vec<(String, super::Percent)>,
}

/// What a new session starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSession {
    pub title: String,
    pub date: String,
    pub facilitator: String,
    pub participants: Vec<Participant>,
    pub focus: String,
}

/// Sets `field` of `answer` back to a value as the history wrote it (the inverse of
/// the store's `history_value`). Returns false for a field that is not an answer's.
pub fn set_history_value(answer: &mut Answer, field: &str, value: Option<&str>) -> bool {
    let text = || value.unwrap_or_default().to_string();
    match field {
        "level" => answer.level = value.and_then(|v| v.parse().ok()).and_then(Level::from_u8),
        "note" => answer.note = text(),
        "evidence" => answer.evidence = text(),
        "owner" => answer.owner = text(),
        "due" => answer.due = value.map(str::to_string),
        "risks" => answer.risks = text(),
        "review_needed" => answer.review_needed = value == Some("true"),
        "applicability" => match value {
            None => {
                answer.applicable = None;
                answer.reasons.clear();
                answer.justification.clear();
            }
            Some(v) => {
                let (word, rest) = v.split_once(' ').unwrap_or((v, ""));
                answer.applicable = Some(word == "applicable");
                let rest = rest.trim_start();
                let (codes, justification) = match rest.strip_prefix('[') {
                    Some(inner) => inner.split_once(']').unwrap_or((inner, "")),
                    None => ("", rest),
                };
                answer.reasons = ReasonCode::split(codes);
                answer.justification = justification.trim_start().to_string();
            }
        },
        _ => return false,
    }
    true
}

/// The answers as they stood before the history row `after_id` + 1: every item change after it is
/// rolled back, newest first. `current` are the answers now.
pub fn answers_at(current: &Answers, history: &[HistoryEntry], after_id: i64) -> Answers {
    let mut answers = current.clone();
    for row in history.iter().rev().take_while(|row| row.id > after_id) {
        if let Some(item) = row.item
            && (item as usize) <= answers.len()
        {
            set_history_value(answers.get_mut(item), &row.field, row.old_value.as_deref());
        }
    }
    answers
}

/// The id of the last history row written at or before `moment` (RFC 3339, UTC; ids follow time).
pub fn last_id_at(history: &[HistoryEntry], moment: &str) -> i64 {
    history
        .iter()
        .take_while(|row| row.changed_at.as_str() <= moment)
        .last()
        .map_or(0, |row| row.id)
}

/// Which history rows are undos (an undo of an ordinary change; an undo of an undo is a redo,
/// an ordinary change again), and which rows have been undone. Indexed like `history`.
fn undo_marks(history: &[HistoryEntry]) -> (Vec<bool>, HashSet<i64>) {
    let mut is_undo_by_id: HashMap<i64, bool> = HashMap::with_capacity(history.len());
    let mut is_undo = Vec::with_capacity(history.len());
    let mut undone = HashSet::new();
    for row in history {
        let undo = row.undoes.is_some_and(|target| {
            let target_is_undo = is_undo_by_id.get(&target).copied().unwrap_or(false);
            !target_is_undo
        });
        if undo && let Some(target) = row.undoes {
            undone.insert(target);
        }
        is_undo_by_id.insert(row.id, undo);
        is_undo.push(undo);
    }
    (is_undo, undone)
}

/// The newest answer change (the rows one transaction wrote for one item) that is neither an undo
/// nor undone, among the rows after `after_id`; oldest row first. Plan rows are left out.
pub fn last_undoable(history: &[HistoryEntry], after_id: i64) -> Option<Vec<HistoryEntry>> {
    let (is_undo, undone) = undo_marks(history);
    let candidate = |index: usize| {
        let row = &history[index];
        row.id > after_id && row.item.is_some() && !is_undo[index] && !undone.contains(&row.id)
    };
    let newest = (0..history.len()).rev().find(|&index| candidate(index))?;
    let (at, item) = (&history[newest].changed_at, history[newest].item);
    let mut rows: Vec<HistoryEntry> = (0..=newest)
        .rev()
        .take_while(|&index| history[index].changed_at == *at)
        .filter(|&index| history[index].item == item && candidate(index))
        .map(|index| history[index].clone())
        .collect();
    rows.reverse();
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_are_read_with_optional_roles() {
        let people = parse_participants("Ann Lee (CEO), Bo Ek (risk owner, IT) ;  Cy,, ");
        assert_eq!(
            people,
            vec![
                Participant {
                    name: "Ann Lee".into(),
                    role: "CEO".into()
                },
                Participant {
                    name: "Bo Ek".into(),
                    role: "risk owner, IT".into()
                },
                Participant {
                    name: "Cy".into(),
                    role: String::new()
                },
            ]
        );
        assert_eq!(
            participants_text(&people),
            "Ann Lee (CEO), Bo Ek (risk owner, IT), Cy"
        );
    }
}
