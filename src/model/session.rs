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

/// A history value as shown: the level with its label, a text cut to `width`, "-" for none.
pub fn shown_value(field: &str, value: Option<&str>) -> String {
    match (field, value) {
        (_, None) => "-".to_string(),
        ("level", Some(v)) => match v.parse().ok().and_then(crate::model::Level::from_u8) {
            Some(level) => format!("{} {}", level.value(), level.label()),
            None => v.to_string(),
        },
        // "applicable [risk_treatment,legal_regulatory] justification": the reasons in words.
        ("applicability", Some(v)) => match v.split_once(" [").and_then(|(word, rest)| {
            let (codes, justification) = rest.split_once(']')?;
            Some((word, codes, justification.trim()))
        }) {
            Some((word, codes, justification)) => {
                let reasons = shown_value("reasons", Some(codes));
                [word, reasons.as_str(), justification]
                    .iter()
                    .filter(|part| !part.is_empty() && **part != "-")
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · ")
            }
            None => v.to_string(),
        },
        ("reasons", Some("")) => "-".to_string(),
        ("reasons", Some(v)) => {
            let words: Vec<&str> = crate::model::ReasonCode::split(v)
                .into_iter()
                .map(|code| code.label())
                .collect();
            if words.is_empty() {
                v.to_string()
            } else {
                words.join(", ")
            }
        }
        (_, Some(v)) => v.to_string(),
    }
}

/// One history row in words: what it changed (an item with its ref, a plan step, an action by
/// number and title, a register entry by id and title), which field, and the values before and
/// after (a register entry's changed fields one by one, never its raw JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownChange {
    pub what: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

pub fn shown_change(
    row: &crate::model::HistoryEntry,
    questionnaire: &crate::model::Questionnaire,
    actions: &[crate::model::action::Action],
) -> ShownChange {
    let value = |v: &Option<String>| shown_value(&row.field, v.as_deref()).replace('\n', " ");
    if let Some(item) = row.item {
        let reference = questionnaire
            .item(item)
            .map_or("", |i| i.reference.as_str());
        return ShownChange {
            what: format!("{item} {reference}"),
            field: row.field.clone(),
            old: value(&row.old_value),
            new: value(&row.new_value),
        };
    }
    if let Some(step) = row.step {
        return ShownChange {
            what: format!("step {step}"),
            field: row.field.trim_start_matches("plan.").to_string(),
            old: value(&row.old_value),
            new: value(&row.new_value),
        };
    }
    if let Some(number) = row.action {
        let field = row.field.trim_start_matches("action.").to_string();
        let title = actions
            .iter()
            .find(|a| a.number == number)
            .map(|a| a.title.clone())
            .or_else(|| match field.as_str() {
                "created" => row
                    .new_value
                    .as_deref()
                    .map(|v| v.split(" [items").next().unwrap_or(v).to_string()),
                "removed" => row.old_value.clone(),
                _ => None,
            })
            .unwrap_or_default();
        return ShownChange {
            what: format!("action #{number} {title}").trim_end().to_string(),
            field,
            old: value(&row.old_value),
            new: value(&row.new_value),
        };
    }
    // A register entry: the whole entry as JSON before and after.
    if let Some((noun, verb)) = row.field.split_once('.') {
        let parse = |v: &Option<String>| {
            v.as_deref()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .and_then(|v| v.as_object().cloned())
        };
        let (old, new) = (parse(&row.old_value), parse(&row.new_value));
        if old.is_some() || new.is_some() {
            let either = new.as_ref().or(old.as_ref()).cloned().unwrap_or_default();
            let text = |v: Option<&serde_json::Value>| match v {
                None | Some(serde_json::Value::Null) => "-".to_string(),
                Some(serde_json::Value::String(s)) if s.is_empty() => "-".to_string(),
                Some(serde_json::Value::String(s)) => s.replace('\n', " "),
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(other) => other.to_string(),
            };
            let title = ["title", "name", "objective"]
                .iter()
                .find_map(|key| either.get(*key).and_then(|v| v.as_str()))
                .unwrap_or_default();
            let id = either.get("id").and_then(|v| v.as_str()).unwrap_or(noun);
            let what = format!("{id} {title}");
            return match (old, new) {
                (None, Some(_)) => ShownChange {
                    what,
                    field: format!("{noun} added"),
                    old: "-".into(),
                    new: title.to_string(),
                },
                (Some(_), None) => ShownChange {
                    what,
                    field: format!("{noun} removed"),
                    old: title.to_string(),
                    new: "-".into(),
                },
                (Some(old), Some(new)) => {
                    let changed: Vec<&String> = new
                        .keys()
                        .chain(old.keys())
                        .filter(|key| !matches!(key.as_str(), "uid" | "id"))
                        .filter(|key| old.get(*key) != new.get(*key))
                        .fold(Vec::new(), |mut keys, key| {
                            if !keys.contains(&key) {
                                keys.push(key);
                            }
                            keys
                        });
                    ShownChange {
                        what,
                        field: changed
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        old: changed
                            .iter()
                            .map(|k| text(old.get(*k)))
                            .collect::<Vec<_>>()
                            .join("; "),
                        new: changed
                            .iter()
                            .map(|k| text(new.get(*k)))
                            .collect::<Vec<_>>()
                            .join("; "),
                    }
                }
                (None, None) => unreachable!("one side parsed"),
            };
        }
        let _ = verb;
    }
    ShownChange {
        what: String::new(),
        field: row.field.clone(),
        old: value(&row.old_value),
        new: value(&row.new_value),
    }
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
