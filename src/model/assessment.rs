//! Assessments and their answers.

use super::level::Level;
use serde::{Deserialize, Serialize};

/// One assessment of one organisation against one questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: i64,
    pub name: String,
    pub questionnaire_id: String,
    pub scope: String,
    pub assessor: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Everything recorded about one item of one assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub level: Option<Level>,
    pub note: String,
    pub evidence: String,
    pub owner: String,
    /// ISO 8601 date, e.g. 2027-03-31.
    pub due: Option<String>,
    /// Annex A controls only: `Some(false)` is an exclusion. Clause items are always applicable.
    pub applicable: Option<bool>,
    pub justification: String,
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
        static EMPTY: Answer = Answer {
            level: None,
            note: String::new(),
            evidence: String::new(),
            owner: String::new(),
            due: None,
            applicable: None,
            justification: String::new(),
        };
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| self.by_item.get(index))
            .unwrap_or(&EMPTY)
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
    Due(Option<String>),
    Applicability {
        applicable: Option<bool>,
        justification: String,
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
            Change::Due(_) => "due",
            Change::Applicability { .. } => "applicability",
        }
    }

    pub fn apply(&self, answer: &mut Answer) {
        match self {
            Change::Level(level) => answer.level = *level,
            Change::Note(text) => answer.note.clone_from(text),
            Change::Evidence(text) => answer.evidence.clone_from(text),
            Change::Owner(text) => answer.owner.clone_from(text),
            Change::Due(date) => answer.due.clone_from(date),
            Change::Applicability {
                applicable,
                justification,
            } => {
                answer.applicable = *applicable;
                answer.justification.clone_from(justification);
            }
        }
    }
}

/// Why clause items can never be marked "not applicable".
pub const NO_CLAUSE_EXCLUSION: &str = "clauses 4-10 cannot be excluded: every requirement of clauses 4 to 10 applies to any ISMS that claims conformity; only Annex A controls may be excluded, with a justification";

impl Change {
    /// Refuses a change the standard does not allow for this item.
    pub fn check(&self, item: &super::Item) -> Result<(), String> {
        if let Change::Applicability {
            applicable,
            justification,
        } = self
        {
            if !item.is_control() && *applicable == Some(false) {
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
