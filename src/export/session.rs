//! The session report: who was in the room, what was covered, every answer set or changed in the
//! session, and its notes. Markdown or one self-contained HTML file. Pure: bytes from values.

use crate::model::session::{WorkshopSession, participants_text};
use crate::model::{HistoryEntry, Level, Questionnaire};
use serde::Serialize;

/// One change made in the session, with its item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionChange {
    pub at: String,
    pub item: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub clause: String,
    pub title: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub undo: bool,
}

/// One change to an action, a plan step or a register entry made in the session, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherChange {
    pub at: String,
    /// "action #3 Write the scope statement", "R-2 Ransomware", "step 4".
    pub what: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub undo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionReport {
    pub assessment: String,
    pub session: WorkshopSession,
    /// Clauses and domains touched, with how many of their items changed: ("4", "Context ...", 5).
    pub covered: Vec<(String, String, usize)>,
    pub changes: Vec<SessionChange>,
    /// The actions, plan steps and register entries added or changed in the session.
    pub others: Vec<OtherChange>,
}

/// An RFC 3339 time (UTC, as the history keeps it) in local time to the second, as a reader of
/// the report expects it ("2026-12-04 14:05:09"); anything unreadable as it is.
pub fn local_time(stamp: &str) -> String {
    crate::clock::local_text(stamp, "%Y-%m-%d %H:%M:%S").unwrap_or_else(|| stamp.to_string())
}

fn shown(field: &str, value: Option<&str>) -> String {
    match (field, value) {
        (_, None) => "-".into(),
        ("level", Some(v)) => v
            .parse()
            .ok()
            .and_then(Level::from_u8)
            .map_or_else(|| v.to_string(), |l| format!("{} {}", l.value(), l.label())),
        (_, Some(v)) => v.to_string(),
    }
}

impl SessionReport {
    /// The report of `session` from the assessment's history (any order).
    pub fn build(
        assessment: &str,
        session: &WorkshopSession,
        questionnaire: &Questionnaire,
        history: &[HistoryEntry],
        actions: &[crate::model::action::Action],
    ) -> SessionReport {
        let others = history
            .iter()
            .filter(|row| row.session == Some(session.number) && row.item.is_none())
            .map(|row| {
                let shown = crate::model::session::shown_change(row, questionnaire, actions);
                OtherChange {
                    at: local_time(&row.changed_at),
                    what: shown.what,
                    field: shown.field,
                    old: shown.old,
                    new: shown.new,
                    undo: row.undoes.is_some(),
                }
            })
            .collect();
        let changes: Vec<SessionChange> = history
            .iter()
            .filter(|row| row.session == Some(session.number))
            .filter_map(|row| {
                let item = questionnaire.item(row.item?)?;
                Some(SessionChange {
                    at: local_time(&row.changed_at),
                    item: item.number,
                    reference: item.reference.clone(),
                    clause: item.clause.clone(),
                    title: item.title.clone(),
                    field: row.field.clone(),
                    old: shown(&row.field, row.old_value.as_deref()),
                    new: shown(&row.field, row.new_value.as_deref()),
                    undo: row.undoes.is_some(),
                })
            })
            .collect();
        let covered = questionnaire
            .groups()
            .iter()
            .filter_map(|group| {
                let mut items: Vec<u32> = changes
                    .iter()
                    .filter(|c| c.clause == group.id)
                    .map(|c| c.item)
                    .collect();
                items.sort_unstable();
                items.dedup();
                (!items.is_empty())
                    .then(|| (group.id.to_string(), group.title.to_string(), items.len()))
            })
            .collect();
        SessionReport {
            assessment: assessment.to_string(),
            session: session.clone(),
            covered,
            changes,
            others,
        }
    }

    fn facts(&self) -> Vec<(&'static str, String)> {
        let s = &self.session;
        vec![
            ("Assessment", self.assessment.clone()),
            ("Date", s.date.clone()),
            ("Facilitator", s.facilitator.clone()),
            ("Participants", participants_text(&s.participants)),
            ("Focus", s.focus.clone()),
            ("Started", local_time(&s.started_at)),
            (
                "Ended",
                s.ended_at
                    .as_deref()
                    .map_or_else(|| "still open".into(), local_time),
            ),
        ]
    }

    pub fn markdown(&self) -> String {
        use super::markdown::escape;
        let mut out = format!(
            "# Session {}: {}\n\n| | |\n|---|---|\n",
            self.session.number,
            escape(&self.session.title)
        );
        for (label, value) in self.facts() {
            out.push_str(&format!("| {label} | {} |\n", escape(&value)));
        }
        out.push_str("\n## Covered\n\n");
        if self.covered.is_empty() {
            out.push_str("No answer was set or changed in this session.\n");
        } else {
            out.push_str("| Clause | Title | Items changed |\n|---|---|---|\n");
            for (clause, title, count) in &self.covered {
                out.push_str(&format!(
                    "| {} | {} | {count} |\n",
                    escape(clause),
                    escape(title)
                ));
            }
        }
        out.push_str(&format!(
            "\n## Answers set or changed ({})\n\n",
            self.changes.len()
        ));
        if !self.changes.is_empty() {
            out.push_str("| When (local time) | No. | Ref | Title | Field | Old | New |\n|---|---|---|---|---|---|---|\n");
            for c in &self.changes {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {}{} | {} | {} |\n",
                    escape(&c.at),
                    c.item,
                    escape(&c.reference),
                    escape(&c.title),
                    escape(&c.field),
                    if c.undo { " (undo)" } else { "" },
                    escape(&c.old),
                    escape(&c.new)
                ));
            }
        }
        out.push_str(&format!(
            "\n## Actions, plan steps and register entries ({})\n\n",
            self.others.len()
        ));
        if !self.others.is_empty() {
            out.push_str(
                "| When (local time) | What | Field | Old | New |\n|---|---|---|---|---|\n",
            );
            for c in &self.others {
                out.push_str(&format!(
                    "| {} | {} | {}{} | {} | {} |\n",
                    escape(&c.at),
                    escape(&c.what),
                    escape(&c.field),
                    if c.undo { " (undo)" } else { "" },
                    escape(&c.old),
                    escape(&c.new)
                ));
            }
        }
        out.push_str("\n## Notes\n\n");
        if self.session.notes.trim().is_empty() {
            out.push_str("No notes.\n");
        } else {
            out.push_str(&escape(&self.session.notes));
            out.push('\n');
        }
        out
    }

    pub fn html(&self) -> String {
        use super::html::escape;
        let facts: String = self
            .facts()
            .iter()
            .map(|(label, value)| {
                format!("<dt>{label}</dt><dd dir=\"auto\">{}</dd>\n", escape(value))
            })
            .collect();
        let covered: String = self
            .covered
            .iter()
            .map(|(clause, title, count)| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{count}</td></tr>\n",
                    escape(clause),
                    escape(title)
                )
            })
            .collect();
        let changes: String = self
            .changes
            .iter()
            .map(|c| {
                format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td dir=\"auto\">{}</td><td>{}{}</td><td dir=\"auto\">{}</td><td dir=\"auto\">{}</td></tr>\n",
                    escape(&c.at),
                    c.item,
                    escape(&c.reference),
                    escape(&c.title),
                    escape(&c.field),
                    if c.undo { " (undo)" } else { "" },
                    escape(&c.old),
                    escape(&c.new)
                )
            })
            .collect();
        let others: String = self
            .others
            .iter()
            .map(|c| {
                format!(
                    "<tr><td>{}</td><td dir=\"auto\">{}</td><td>{}{}</td><td dir=\"auto\">{}</td><td dir=\"auto\">{}</td></tr>\n",
                    escape(&c.at),
                    escape(&c.what),
                    escape(&c.field),
                    if c.undo { " (undo)" } else { "" },
                    escape(&c.old),
                    escape(&c.new)
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Session {n}: {title}</title>\n\
             <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}table{{border-collapse:collapse}}\
             td,th{{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}}dt{{font-weight:600}}</style>\n</head>\n<body>\n\
             <h1>Session {n}: {title}</h1>\n<dl>\n{facts}</dl>\n<h2>Covered</h2>\n<table><tr><th>Clause</th><th>Title</th><th>Items changed</th></tr>\n{covered}</table>\n\
             <h2>Answers set or changed ({count})</h2>\n<table><tr><th>When (local time)</th><th>No.</th><th>Ref</th><th>Title</th><th>Field</th><th>Old</th><th>New</th></tr>\n{changes}</table>\n\
             <h2>Actions, plan steps and register entries ({other_count})</h2>\n<table><tr><th>When (local time)</th><th>What</th><th>Field</th><th>Old</th><th>New</th></tr>\n{others}</table>\n\
             <h2>Notes</h2>\n<p dir=\"auto\" style=\"white-space:pre-wrap\">{notes}</p>\n</body>\n</html>\n",
            n = self.session.number,
            title = escape(&self.session.title),
            count = self.changes.len(),
            other_count = self.others.len(),
            notes = escape(&self.session.notes),
        )
    }
}
