//! The correspondence between two editions (2013 -> 2022), and carrying an assessment across it.
//!
//! A 2022 item takes the lowest level among its 2013 sources; SoA decisions, notes (each prefixed
//! with its source), evidence, owners and risks are carried; every carried answer is marked
//! "review needed" until a person sets it again; items with no source stay unanswered.

use super::questionnaire::{DataFileError, parse_json};
use super::{Answer, Answers, Item, Questionnaire, ReasonCode};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const MAPPING_FORMAT: &str = "isms-ready/mapping";

/// The shipped mapping file.
pub const BUILTIN_MAPPING: (&str, &str) = (
    "questionnaires/map-iso27001-2013-2022.json",
    include_str!("../../questionnaires/map-iso27001-2013-2022.json"),
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correspondence {
    pub to: String,
    pub from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub format: String,
    pub version: u32,
    pub from: String,
    pub to: String,
    /// For every sub-clause of the newer edition, the sub-clauses of the older one it came from.
    pub sections: Vec<Correspondence>,
    /// For every control of the newer edition, the controls of the older one it came from.
    pub controls: Vec<Correspondence>,
    /// For clause items of the newer edition: the older clause items asking the same thing
    /// (empty for a requirement new in the newer edition). Items not listed follow `sections`.
    #[serde(default)]
    pub items: Vec<Correspondence>,
}

impl Mapping {
    /// The name a carried-over assessment gets by default (see `carried_name`).
    pub fn carried_name(&self, assessment: &super::Assessment) -> String {
        carried_name(&assessment.name, &self.to)
    }

    pub fn builtin() -> &'static Mapping {
        static MAPPING: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
        MAPPING.get_or_init(|| {
            parse_json(BUILTIN_MAPPING.0, BUILTIN_MAPPING.1).unwrap_or_else(
                |error: DataFileError| panic!("shipped mapping is invalid: {error}"),
            )
        })
    }

    /// Every rule the mapping breaks against the two questionnaires, as (JSON path, rule).
    pub fn problems(&self, from: &Questionnaire, to: &Questionnaire) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self.format != MAPPING_FORMAT || self.version != 1 {
            problems.push((
                "format".into(),
                format!("must be \"{MAPPING_FORMAT}\" version 1"),
            ));
        }
        if self.from != from.id || self.to != to.id {
            problems.push((
                "from".into(),
                format!(
                    "maps {} -> {}, not {} -> {}",
                    self.from, self.to, from.id, to.id
                ),
            ));
        }
        let to_controls: Vec<&str> = to
            .items
            .iter()
            .filter(|i| i.is_control())
            .map(|i| i.reference.as_str())
            .collect();
        let listed: Vec<&str> = self.controls.iter().map(|c| c.to.as_str()).collect();
        if listed != to_controls {
            problems.push((
                "controls".into(),
                format!(
                    "must list the {} controls of {} once each, in order",
                    to_controls.len(),
                    to.id
                ),
            ));
        }
        let mut covered = HashSet::new();
        for (index, entry) in self.controls.iter().enumerate() {
            for (n, source) in entry.from.iter().enumerate() {
                match from.item_by_ref(source) {
                    Some(item) if item.is_control() => {
                        covered.insert(source.as_str());
                    }
                    _ => problems.push((
                        format!("controls[{index}].from[{n}]"),
                        format!("unknown {} control \"{source}\"", from.id),
                    )),
                }
            }
        }
        for item in from.items.iter().filter(|i| i.is_control()) {
            if !covered.contains(item.reference.as_str()) {
                problems.push((
                    "controls".into(),
                    format!(
                        "{} control {} is not mapped to any {} control",
                        from.id, item.reference, to.id
                    ),
                ));
            }
        }
        let to_sections: Vec<&str> = to.sections.iter().map(|s| s.id.as_str()).collect();
        let listed: Vec<&str> = self.sections.iter().map(|s| s.to.as_str()).collect();
        if listed != to_sections {
            problems.push((
                "sections".into(),
                format!("must list the sections of {} once each, in order", to.id),
            ));
        }
        for (index, entry) in self.items.iter().enumerate() {
            if to
                .item_by_ref(&entry.to)
                .is_none_or(|item| item.is_control())
            {
                problems.push((
                    format!("items[{index}].to"),
                    format!("unknown {} clause item \"{}\"", to.id, entry.to),
                ));
            }
            for (n, source) in entry.from.iter().enumerate() {
                if from
                    .item_by_ref(source)
                    .is_none_or(|item| item.is_control())
                {
                    problems.push((
                        format!("items[{index}].from[{n}]"),
                        format!("unknown {} clause item \"{source}\"", from.id),
                    ));
                }
            }
        }
        for (index, entry) in self.sections.iter().enumerate() {
            for (n, source) in entry.from.iter().enumerate() {
                if from.section(source).is_none() {
                    problems.push((
                        format!("sections[{index}].from[{n}]"),
                        format!("unknown {} section \"{source}\"", from.id),
                    ));
                }
            }
        }
        problems
    }

    /// The older items a newer item takes its answer from.
    ///
    /// Controls follow the control table, clause items the item table. A clause item missing
    /// from it takes the older item with the same list point (the ref's suffix) in a
    /// corresponding sub-clause when there is one, else every item of those sub-clauses.
    pub fn sources<'q>(&self, item: &Item, from: &'q Questionnaire) -> Vec<&'q Item> {
        let table = if item.is_control() {
            &self.controls
        } else {
            &self.items
        };
        if let Some(entry) = table.iter().find(|c| c.to == item.reference) {
            return entry
                .from
                .iter()
                .filter_map(|r| from.item_by_ref(r))
                .collect();
        }
        if item.is_control() {
            return Vec::new();
        }
        let Some(entry) = self.sections.iter().find(|s| s.to == item.section()) else {
            return Vec::new();
        };
        let in_sections: Vec<&Item> = from
            .items
            .iter()
            .filter(|candidate| {
                !candidate.is_control() && entry.from.iter().any(|s| s == candidate.section())
            })
            .collect();
        let suffix = item.reference.split_once(' ').map(|(_, rest)| rest);
        let same_point: Vec<&Item> = match suffix {
            Some(suffix) => in_sections
                .iter()
                .copied()
                .filter(|candidate| {
                    candidate.reference.split_once(' ').map(|(_, rest)| rest) == Some(suffix)
                })
                .collect(),
            None => in_sections
                .iter()
                .copied()
                .filter(|candidate| !candidate.reference.contains(' '))
                .collect(),
        };
        if same_point.is_empty() {
            in_sections
        } else {
            same_point
        }
    }
}

/// The newer-edition controls that an older control became (a risk linked to A.12.6.1 in 2013
/// is linked to A.8.8 in 2022), in the mapping's order, without duplicates.
pub fn carried_controls(mapping: &Mapping, old: &[String]) -> Vec<String> {
    let mut carried: Vec<String> = Vec::new();
    for reference in old {
        for entry in mapping
            .controls
            .iter()
            .filter(|c| c.from.contains(reference))
        {
            if !carried.contains(&entry.to) {
                carried.push(entry.to.clone());
            }
        }
    }
    carried
}

fn join_unique(values: impl Iterator<Item = String>) -> String {
    let mut seen = Vec::new();
    for value in values {
        if !value.trim().is_empty() && !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen.join("; ")
}

/// The answers of a new assessment on `to`, carried from an assessment on `from`.
pub fn carry_over(
    mapping: &Mapping,
    from: &Questionnaire,
    answers: &Answers,
    to: &Questionnaire,
) -> Answers {
    let mut carried = Answers::new(to.items.len());
    for item in &to.items {
        let sources: Vec<(&Item, &Answer)> = mapping
            .sources(item, from)
            .into_iter()
            .map(|source| (source, answers.get(source.number)))
            .filter(|(_, answer)| **answer != Answer::default())
            .collect();
        if sources.is_empty() {
            continue;
        }
        let applicable: Vec<&(&Item, &Answer)> =
            sources.iter().filter(|(_, a)| !a.is_excluded()).collect();
        let level = applicable.iter().filter_map(|(_, a)| a.level).min();
        let mut answer = Answer {
            level,
            review_needed: true,
            ..Answer::default()
        };
        answer.note = sources
            .iter()
            .filter(|(_, a)| !a.note.trim().is_empty())
            .map(|(source, a)| format!("[{} {}] {}", from.id, source.reference, a.note))
            .collect::<Vec<_>>()
            .join("\n\n");
        answer.evidence = join_unique(sources.iter().map(|(_, a)| a.evidence.clone()));
        answer.owner = join_unique(sources.iter().map(|(_, a)| a.owner.clone()));
        if item.is_control() {
            answer.risks = join_unique(sources.iter().map(|(_, a)| a.risks.clone()));
            let decided: Vec<&(&Item, &Answer)> = sources
                .iter()
                .filter(|(_, a)| a.applicable.is_some())
                .collect();
            if !decided.is_empty() {
                // Included when any source is included; excluded only when every decided source is.
                let included = decided.iter().any(|(_, a)| a.applicable == Some(true));
                answer.applicable = Some(included);
                let mut reasons: Vec<ReasonCode> = decided
                    .iter()
                    .filter(|(_, a)| a.applicable == Some(included))
                    .flat_map(|(_, a)| a.reasons.iter().copied())
                    .collect();
                reasons.sort();
                reasons.dedup();
                answer.reasons = reasons;
                answer.justification = decided
                    .iter()
                    .filter(|(_, a)| {
                        a.applicable == Some(included) && !a.justification.trim().is_empty()
                    })
                    .map(|(source, a)| format!("[{}] {}", source.reference, a.justification))
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        *carried.get_mut(item.number) = answer;
    }
    carried
}

/// The name an assessment carried over to questionnaire `to` gets by default: the old name with
/// the target edition's year, e.g. `Acme (2022)`.
pub fn carried_name(name: &str, to: &str) -> String {
    let year = to.rsplit('-').next().unwrap_or(to);
    format!("{name} ({year})")
}
