//! Assessments and their answers.

use super::level::Level;
use serde::{Deserialize, Serialize};

/// One row of the append-only history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    /// The row's id in the history table (its order).
    pub id: i64,
    /// The workshop session open when the change was made (its number), if any.
    pub session: Option<u32>,
    /// Set on an undo: the id of the history row it undid.
    pub undoes: Option<i64>,
    pub changed_at: String,
    pub item: Option<u32>,
    pub step: Option<u32>,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The action a row of an action change names (its number in the assessment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<u32>,
    /// The change's unique id, the same in every copy of the assessment (issue 18).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub change_id: String,
    /// The action or register entry a row names, by its unique id (issue 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// One assessment of one organisation against one questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: i64,
    pub name: String,
    pub questionnaire_id: String,
    pub scope: String,
    pub assessor: String,
    /// The consultancy the assessor works for, named on the report's cover ("" when none).
    pub firm: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Everything recorded about one item of one assessment. The one declaration of an answer's
/// fields: the store's columns are named as they are, and the JSON document and the reports embed
/// this struct (`#[serde(flatten)]`). Fields left out of a document read as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answer {
    pub level: Option<Level>,
    pub note: String,
    pub evidence: String,
    pub owner: String,
    /// ISO 8601 date, e.g. 2027-03-31.
    pub due: Option<String>,
    /// Annex A controls only: `Some(true)` included, `Some(false)` excluded, `None` not decided yet.
    /// Clause items are always applicable.
    pub applicable: Option<bool>,
    /// Why a control is included or excluded: reason codes plus text.
    pub reasons: Vec<ReasonCode>,
    pub justification: String,
    /// Risks (free-text references) the control treats.
    pub risks: String,
    /// Carried over from another edition: a person should look at it again.
    pub review_needed: bool,
}

/// Why a control is in the Statement of Applicability (or out of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    RiskTreatment,
    LegalRegulatory,
    Contractual,
    BusinessRequirement,
    GoodPractice,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 5] = [
        ReasonCode::RiskTreatment,
        ReasonCode::LegalRegulatory,
        ReasonCode::Contractual,
        ReasonCode::BusinessRequirement,
        ReasonCode::GoodPractice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::RiskTreatment => "risk_treatment",
            ReasonCode::LegalRegulatory => "legal_regulatory",
            ReasonCode::Contractual => "contractual",
            ReasonCode::BusinessRequirement => "business_requirement",
            ReasonCode::GoodPractice => "good_practice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReasonCode::RiskTreatment => "risk treatment",
            ReasonCode::LegalRegulatory => "legal or regulatory",
            ReasonCode::Contractual => "contractual",
            ReasonCode::BusinessRequirement => "business requirement",
            ReasonCode::GoodPractice => "good practice",
        }
    }

    /// A two-letter tag for narrow tables.
    pub fn short(self) -> &'static str {
        match self {
            ReasonCode::RiskTreatment => "RT",
            ReasonCode::LegalRegulatory => "LR",
            ReasonCode::Contractual => "CO",
            ReasonCode::BusinessRequirement => "BR",
            ReasonCode::GoodPractice => "GP",
        }
    }

    /// Parses a code or label as people type them ("risk", "legal", "contract", "business", "practice" too).
    pub fn parse(text: &str) -> Option<ReasonCode> {
        let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
        ReasonCode::ALL.into_iter().find(|code| {
            code.code() == wanted
                || code.short().eq_ignore_ascii_case(&wanted)
                || code.code().split('_').next() == Some(wanted.as_str())
                || (wanted == "contract" && *code == ReasonCode::Contractual)
                || (wanted == "practice" && *code == ReasonCode::GoodPractice)
                || (wanted == "regulatory" && *code == ReasonCode::LegalRegulatory)
        })
    }

    /// Stored as a comma-separated list of codes.
    pub fn join(codes: &[ReasonCode]) -> String {
        codes.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
    }

    pub fn split(text: &str) -> Vec<ReasonCode> {
        let mut codes: Vec<ReasonCode> = text.split(',').filter_map(ReasonCode::parse).collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

impl Answer {
    pub fn is_excluded(&self) -> bool {
        self.applicable == Some(false)
    }

    pub fn is_answered(&self) -> bool {
        self.level.is_some()
    }
}

/// The answers of one assessment, indexed by item number - 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    by_item: Vec<Answer>,
}

impl Answers {
    pub fn new(item_count: usize) -> Answers {
        Answers {
            by_item: vec![Answer::default(); item_count],
        }
    }

    pub fn get(&self, number: u32) -> &Answer {
        static EMPTY: std::sync::OnceLock<Answer> = std::sync::OnceLock::new();
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| self.by_item.get(index))
            .unwrap_or_else(|| EMPTY.get_or_init(Answer::default))
    }

    /// The answer for an item, growing the table if a questionnaire has more items than expected.
    pub fn get_mut(&mut self, number: u32) -> &mut Answer {
        let index = (number as usize).saturating_sub(1);
        if index >= self.by_item.len() {
            self.by_item.resize(index + 1, Answer::default());
        }
        &mut self.by_item[index]
    }

    pub fn len(&self) -> usize {
        self.by_item.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_item.is_empty()
    }
}

/// A change to one field of one answer: the unit of saving and of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Level(Option<Level>),
    Note(String),
    Evidence(String),
    Owner(String),
    /// The Statement of Applicability decision of a control.
    Applicability {
        applicable: Option<bool>,
        reasons: Vec<ReasonCode>,
        justification: String,
    },
    Risks(String),
    /// Set when an answer is carried over from another edition; a person setting the level clears it.
    ReviewNeeded(bool),
    /// A free-text change typed in an editor that opened when the field held `base`. Applied
    /// against the stored answer (inside the saving transaction): when another window saved a
    /// different text meanwhile, both texts are kept (see `keep_both`), never one over the other.
    Edited {
        base: String,
        edit: Box<Change>,
    },
}

impl Change {
    /// The history's name for the field this change touches.
    pub fn field(&self) -> &'static str {
        match self {
            Change::Level(_) => "level",
            Change::Note(_) => "note",
            Change::Evidence(_) => "evidence",
            Change::Owner(_) => "owner",
            Change::Applicability { .. } => "applicability",
            Change::Risks(_) => "risks",
            Change::ReviewNeeded(_) => "review_needed",
            Change::Edited { edit, .. } => edit.field(),
        }
    }

    /// The free text this change writes, for the changes that write one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Change::Note(text)
            | Change::Evidence(text)
            | Change::Owner(text)
            | Change::Risks(text) => Some(text),
            Change::Applicability { justification, .. } => Some(justification),
            Change::Edited { edit, .. } => edit.text(),
            _ => None,
        }
    }

    /// The stored text of the field this change writes.
    pub fn stored_text<'a>(&self, answer: &'a Answer) -> Option<&'a str> {
        match self {
            Change::Note(_) => Some(&answer.note),
            Change::Evidence(_) => Some(&answer.evidence),
            Change::Owner(_) => Some(&answer.owner),
            Change::Risks(_) => Some(&answer.risks),
            Change::Applicability { .. } => Some(&answer.justification),
            Change::Edited { edit, .. } => edit.stored_text(answer),
            _ => None,
        }
    }

    /// The same change writing `text` instead.
    fn with_text(&self, text: String) -> Change {
        match self {
            Change::Note(_) => Change::Note(text),
            Change::Evidence(_) => Change::Evidence(text),
            Change::Owner(_) => Change::Owner(text),
            Change::Risks(_) => Change::Risks(text),
            Change::Applicability {
                applicable,
                reasons,
                ..
            } => Change::Applicability {
                applicable: *applicable,
                reasons: reasons.clone(),
                justification: text,
            },
            other => other.clone(),
        }
    }

    /// Other fields this change may move as a side effect, each recorded in the history when it
    /// does: excluding a control clears its level.
    pub fn side_fields(&self) -> &'static [&'static str] {
        match self {
            Change::Applicability {
                applicable: Some(false),
                ..
            } => &["level"],
            _ => &[],
        }
    }

    /// Why this change cannot be made to the answer as it stands now (read in the same
    /// transaction that writes it), or `None` when it can.
    pub fn refusal(&self, item: u32, current: &Answer) -> Option<String> {
        match self {
            Change::Level(Some(_)) if current.is_excluded() => Some(format!(
                "Item {item} is excluded from the Statement of Applicability: include the control first, then set its level."
            )),
            _ => None,
        }
    }

    pub fn apply(&self, answer: &mut Answer) {
        match self {
            Change::Level(level) => {
                answer.level = *level;
                answer.review_needed = false;
            }
            Change::Note(text) => answer.note.clone_from(text),
            Change::Evidence(text) => answer.evidence.clone_from(text),
            Change::Owner(text) => answer.owner.clone_from(text),
            Change::Applicability {
                applicable,
                reasons,
                justification,
            } => {
                answer.applicable = *applicable;
                answer.reasons.clone_from(reasons);
                answer.justification = justification.trim().to_string();
                // An excluded control has no level: it leaves the score, and no report may show
                // it both excluded and at a level. The level it had stays in the history.
                if *applicable == Some(false) {
                    answer.level = None;
                }
            }
            Change::Risks(text) => answer.risks = text.trim().to_string(),
            Change::ReviewNeeded(flag) => answer.review_needed = *flag,
            Change::Edited { base, edit } => {
                let (Some(mine), Some(stored)) = (edit.text(), edit.stored_text(answer)) else {
                    return edit.apply(answer);
                };
                let multi_line = matches!(**edit, Change::Note(_));
                let kept = keep_both(base, mine, stored, multi_line);
                edit.with_text(kept).apply(answer);
            }
        }
    }
}

/// How a text typed in one window and a text saved meanwhile by another are kept together.
pub const OTHER_WINDOW_MARK: &str = "saved meanwhile in another window";

/// The text to save from an editor that opened on `base`, when the field now holds `stored`:
/// `mine` when nobody else changed it; `stored` when this editor changed nothing; otherwise both,
/// mine first, then theirs after a clear mark (a line of its own in a note, a bracket in a
/// one-line field). Nothing either window typed is lost.
pub fn keep_both(base: &str, mine: &str, stored: &str, multi_line: bool) -> String {
    let (base, mine, stored) = (base.trim_end(), mine.trim_end(), stored.trim_end());
    if stored == base || stored == mine || stored.is_empty() {
        return mine.to_string();
    }
    if mine == base {
        return stored.to_string();
    }
    if multi_line {
        format!("{mine}\n\n--- {OTHER_WINDOW_MARK} ---\n{stored}")
    } else {
        format!("{mine} [{OTHER_WINDOW_MARK}: {stored}]")
    }
}

/// Why clause items can never be marked "not applicable".
pub const NO_CLAUSE_EXCLUSION: &str = "clauses 4-10 cannot be excluded: every requirement of clauses 4 to 10 applies to any ISMS that claims conformity; only Annex A controls may be excluded, with a justification";

impl Change {
    /// Refuses a change the standard does not allow for this item.
    pub fn check(&self, item: &super::Item) -> Result<(), String> {
        if let Change::Edited { edit, .. } = self {
            return edit.check(item);
        }
        if !item.is_control() && matches!(self, Change::Risks(_)) {
            return Err(format!(
                "Item {} ({}): risk links belong to Annex A controls.",
                item.number, item.reference
            ));
        }
        if let Change::Applicability {
            applicable,
            justification,
            ..
        } = self
        {
            if !item.is_control() && applicable.is_some() {
                return Err(format!(
                    "Item {} ({}): {NO_CLAUSE_EXCLUSION}.",
                    item.number, item.reference
                ));
            }
            if *applicable == Some(false) && justification.trim().is_empty() {
                return Err(format!(
                    "Item {} ({}): an exclusion needs a written justification.",
                    item.number, item.reference
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod concurrent_edit_tests {
    use super::*;

    #[test]
    fn a_text_nobody_else_changed_is_saved_as_typed() {
        assert_eq!(keep_both("old", "mine", "old", true), "mine");
        assert_eq!(keep_both("", "mine", "", false), "mine");
    }

    #[test]
    fn an_editor_that_changed_nothing_keeps_the_other_windows_text() {
        assert_eq!(keep_both("old", "old", "theirs", true), "theirs");
    }

    #[test]
    fn two_different_texts_are_both_kept_mine_first_and_marked() {
        let note = keep_both("old", "mine", "theirs", true);
        assert_eq!(note, format!("mine\n\n--- {OTHER_WINDOW_MARK} ---\ntheirs"));
        let owner = keep_both("", "Ann", "Bob", false);
        assert_eq!(owner, format!("Ann [{OTHER_WINDOW_MARK}: Bob]"));
    }

    #[test]
    fn an_edited_note_is_applied_against_the_stored_answer() {
        let edit = Change::Edited {
            base: "agreed".into(),
            edit: Box::new(Change::Note("agreed, owner Ann".into())),
        };
        let mut answer = Answer {
            note: "agreed; due in May".into(),
            ..Answer::default()
        };
        edit.apply(&mut answer);
        assert!(answer.note.starts_with("agreed, owner Ann\n\n---"));
        assert!(answer.note.ends_with("agreed; due in May"));
        assert_eq!(edit.field(), "note");
        let mut untouched = Answer {
            note: "agreed".into(),
            ..Answer::default()
        };
        edit.apply(&mut untouched);
        assert_eq!(untouched.note, "agreed, owner Ann");
    }
}
