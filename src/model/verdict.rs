//! The audit-readiness verdict: is the organisation ready for the stage 1 and the stage 2 audit,
//! and if not, what blocks it. Derived from the answers, the questionnaire's mandatory documented
//! information marks, the SoA check and the open actions; never stored.

use super::action::Action;
use super::{Answers, Item, Questionnaire};
use serde::Serialize;

/// The verdict rule in words, as help, README and reports state it.
pub const VERDICT_RULES: [&str; 2] = [
    "stage 1 ready: every mandatory documented information item at level 2 or above, no SoA finding, every clause item assessed",
    "stage 2 ready: stage 1 ready, every clause item at level 2 or above, internal audit (9.2) and management review (9.3) items at level 3 or above, no open priority-1 action on a clause item",
];

/// One thing that stands between the organisation and an audit stage: an item and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    /// Every reason this item blocks, joined with "; ".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct StageVerdict {
    pub ready: bool,
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Verdict {
    pub stage1: StageVerdict,
    pub stage2: StageVerdict,
}

/// Whether an item belongs to the internal audit (9.2) or management review (9.3) sub-clauses.
pub fn is_audit_or_review(item: &Item) -> bool {
    !item.is_control() && {
        let section = item.section();
        section == "9.2"
            || section.starts_with("9.2.")
            || section == "9.3"
            || section.starts_with("9.3.")
    }
}

/// Collects reasons per item, then lists the items in questionnaire order.
struct Collector<'a> {
    questionnaire: &'a Questionnaire,
    reasons: Vec<Vec<String>>,
}

impl<'a> Collector<'a> {
    fn new(questionnaire: &'a Questionnaire) -> Collector<'a> {
        Collector {
            questionnaire,
            reasons: vec![Vec::new(); questionnaire.items.len()],
        }
    }

    fn add(&mut self, number: u32, reason: String) {
        if let Some(slot) = (number as usize)
            .checked_sub(1)
            .and_then(|i| self.reasons.get_mut(i))
            && !slot.contains(&reason)
        {
            slot.push(reason);
        }
    }

    fn finish(&self) -> StageVerdict {
        let blockers: Vec<Blocker> = self
            .questionnaire
            .items
            .iter()
            .zip(&self.reasons)
            .filter(|(_, reasons)| !reasons.is_empty())
            .map(|(item, reasons)| Blocker {
                number: item.number,
                reference: item.reference.clone(),
                title: item.title.clone(),
                reason: reasons.join("; "),
            })
            .collect();
        StageVerdict {
            ready: blockers.is_empty(),
            blockers,
        }
    }
}

fn level_text(level: Option<super::Level>) -> String {
    match level {
        Some(level) => format!("at level {}", level.value()),
        None => "not assessed".into(),
    }
}

/// The verdict of one assessment.
pub fn verdict(questionnaire: &Questionnaire, answers: &Answers, actions: &[Action]) -> Verdict {
    let mut stage1 = Collector::new(questionnaire);
    for item in questionnaire.items.iter() {
        let answer = answers.get(item.number);
        if item.is_control() && answer.is_excluded() {
            continue;
        }
        if let Some(document) = &item.mandatory_document
            && answer.level.is_none_or(|l| l.value() < 2)
        {
            stage1.add(
                item.number,
                format!(
                    "mandatory documented information ({document}) {}; needs level 2",
                    level_text(answer.level)
                ),
            );
        }
        if !item.is_control() && answer.level.is_none() {
            stage1.add(item.number, "clause item not assessed".into());
        }
    }
    for finding in super::soa::check(questionnaire, answers) {
        stage1.add(finding.item, format!("SoA: {}", finding.message));
    }
    let mut stage2 = Collector::new(questionnaire);
    stage2.reasons = stage1.reasons.clone();
    for item in questionnaire.clause_items() {
        let level = answers.get(item.number).level;
        if is_audit_or_review(item) && level.is_some_and(|l| l.value() < 3) {
            stage2.add(
                item.number,
                format!(
                    "internal audit / management review {}; needs level 3",
                    level_text(level)
                ),
            );
        } else if level.is_some_and(|l| l.value() < 2) {
            stage2.add(
                item.number,
                format!("clause item {}; needs level 2", level_text(level)),
            );
        }
    }
    for action in actions.iter().filter(|a| a.is_open() && a.priority == 1) {
        for number in &action.items {
            if questionnaire.item(*number).is_some_and(|i| !i.is_control()) {
                stage2.add(
                    *number,
                    format!(
                        "open priority-1 action #{} \"{}\"",
                        action.number, action.title
                    ),
                );
            }
        }
    }
    Verdict {
        stage1: stage1.finish(),
        stage2: stage2.finish(),
    }
}

/// The status of one mandatory document, for the documents checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRow {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub document: String,
    pub level: Option<u8>,
    /// "missing" (not assessed or level 0), "planned" (1), "in place" (2 or above), "excluded".
    pub status: &'static str,
    pub evidence: String,
}

/// The mandatory documented information of a questionnaire with each item's status.
pub fn documents(questionnaire: &Questionnaire, answers: &Answers) -> Vec<DocumentRow> {
    questionnaire
        .mandatory_documents()
        .map(|item| {
            let answer = answers.get(item.number);
            let level = answer.level.map(|l| l.value());
            let status = match level {
                _ if item.is_control() && answer.is_excluded() => "excluded",
                Some(l) if l >= 2 => "in place",
                Some(1) => "planned",
                _ => "missing",
            };
            DocumentRow {
                number: item.number,
                reference: item.reference.clone(),
                document: item.mandatory_document.clone().unwrap_or_default(),
                level,
                status,
                evidence: answer.evidence.clone(),
            }
        })
        .collect()
}
