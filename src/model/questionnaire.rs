//! Questionnaires: the numbered requirements and controls an assessment walks through.
//!
//! A questionnaire is a JSON data file (format documented in `questionnaires/README.md`). The shipped
//! files are embedded in the binary; users may add their own. Every file is validated on load and a
//! broken one is reported with the file, the place (line and column, or the JSON path) and the rule.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

pub const QUESTIONNAIRE_FORMAT: &str = "isms-ready/questionnaire";
pub const QUESTIONNAIRE_VERSION: u32 = 1;

/// The PDCA phases a clause or item may belong to.
pub const PDCA_PHASES: [&str; 5] = ["P", "D", "C", "A", "PDCA"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A requirement of clauses 4-10: never excludable.
    Clause,
    /// An Annex A control: may be excluded with a justification.
    Control,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hints {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub good: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bad: Vec<String>,
}

impl Hints {
    pub fn is_empty(&self) -> bool {
        self.good.is_empty() && self.bad.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub clause: String,
    pub kind: ItemKind,
    pub pdca: String,
    pub title: String,
    pub question: String,
    pub guidance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    #[serde(default, skip_serializing_if = "Hints::is_empty")]
    pub hints: Hints,
    /// Set on an item that asks for documented information the standard requires (the scope,
    /// the policy, the SoA...): the document's short name. The audit-readiness verdict wants
    /// every such item at level 2 or above before stage 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory_document: Option<String>,
}

impl Item {
    /// The sub-clause or control id the item belongs to: its ref up to the first space.
    pub fn section(&self) -> &str {
        self.reference
            .split_once(' ')
            .map_or(self.reference.as_str(), |(head, _)| head)
    }

    pub fn is_control(&self) -> bool {
        self.kind == ItemKind::Control
    }

    /// Whether a search query (already lower-cased) occurs in the item's number, ref or texts.
    pub fn matches(&self, query_lower: &str) -> bool {
        if query_lower.is_empty() {
            return false;
        }
        self.number.to_string() == query_lower
            || [&self.reference, &self.title, &self.question, &self.guidance]
                .iter()
                .any(|text| text.to_lowercase().contains(query_lower))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseInfo {
    pub id: String,
    pub title: String,
    pub pdca: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub clause: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub domain: String,
    pub title: String,
}

/// A note about an edition that is no longer the one certification audits use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Superseded {
    pub by: String,
    pub since: String,
    pub notice: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub format: String,
    pub version: u32,
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded: Option<Superseded>,
    pub clauses: Vec<ClauseInfo>,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    pub items: Vec<Item>,
}

/// One group of items that gets its own score: a clause (4-10) or an Annex A domain or theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRef<'q> {
    pub id: &'q str,
    pub title: &'q str,
    pub kind: ItemKind,
    /// The clause's own PDCA phase ("D" for Annex A groups).
    pub pdca: &'q str,
}

impl Questionnaire {
    /// The item with this number, if the questionnaire has it (numbers are 1..=N without gaps).
    pub fn item(&self, number: u32) -> Option<&Item> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.items.get(index)
    }

    pub fn item_by_ref(&self, reference: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.reference == reference)
    }

    pub fn clause_items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| !item.is_control())
    }

    pub fn control_count(&self) -> usize {
        self.items.iter().filter(|item| item.is_control()).count()
    }

    /// Clauses first, in file order, then the Annex A domains.
    pub fn groups(&self) -> Vec<GroupRef<'_>> {
        let clauses = self.clauses.iter().map(|clause| GroupRef {
            id: &clause.id,
            title: &clause.title,
            kind: ItemKind::Clause,
            pdca: &clause.pdca,
        });
        let domains = self.domains.iter().map(|domain| GroupRef {
            id: &domain.id,
            title: &domain.title,
            kind: ItemKind::Control,
            pdca: "D",
        });
        clauses.chain(domains).collect()
    }

    pub fn group(&self, id: &str) -> Option<GroupRef<'_>> {
        self.groups().into_iter().find(|group| group.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives.iter().find(|objective| objective.id == id)
    }

    /// Parses and validates a questionnaire file. `source` names the file in messages.
    pub fn from_json(source: &str, text: &str) -> Result<Questionnaire, DataFileError> {
        let questionnaire: Questionnaire = parse_json(source, text)?;
        let problems = questionnaire.problems();
        match problems.into_iter().next() {
            None => Ok(questionnaire),
            Some((path, rule)) => Err(DataFileError::rule(source, path, rule)),
        }
    }

    /// Every rule the file breaks, as (JSON path, rule) pairs, in file order.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut problem = |path: String, rule: String| problems.push((path, rule));

        if self.format != QUESTIONNAIRE_FORMAT {
            problem(
                "format".into(),
                format!(
                    "must be \"{QUESTIONNAIRE_FORMAT}\", not \"{}\"",
                    self.format
                ),
            );
        }
        if self.version != QUESTIONNAIRE_VERSION {
            problem(
                "version".into(),
                format!(
                    "version {} is not supported (this build reads version {QUESTIONNAIRE_VERSION})",
                    self.version
                ),
            );
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problem(
                "id".into(),
                "must be lower-case letters, digits and '-' (e.g. \"my-controls\")".into(),
            );
        }
        for (field, value) in [("title", &self.title), ("description", &self.description)] {
            if value.trim().is_empty() {
                problem(field.into(), "must not be empty".into());
            }
        }

        let mut group_ids = HashSet::new();
        for (index, clause) in self.clauses.iter().enumerate() {
            if !group_ids.insert(clause.id.as_str()) {
                problem(
                    format!("clauses[{index}].id"),
                    format!("duplicate clause id \"{}\"", clause.id),
                );
            }
            if !PDCA_PHASES.contains(&clause.pdca.as_str()) {
                problem(
                    format!("clauses[{index}].pdca"),
                    format!("must be one of P, D, C, A, PDCA, not \"{}\"", clause.pdca),
                );
            }
            if clause.title.trim().is_empty() {
                problem(
                    format!("clauses[{index}].title"),
                    "must not be empty".into(),
                );
            }
        }
        for (index, domain) in self.domains.iter().enumerate() {
            if !group_ids.insert(domain.id.as_str()) {
                problem(
                    format!("domains[{index}].id"),
                    format!("duplicate group id \"{}\"", domain.id),
                );
            }
            if domain.title.trim().is_empty() {
                problem(
                    format!("domains[{index}].title"),
                    "must not be empty".into(),
                );
            }
        }
        let clause_ids: HashSet<&str> = self.clauses.iter().map(|c| c.id.as_str()).collect();
        let domain_ids: HashSet<&str> = self.domains.iter().map(|d| d.id.as_str()).collect();

        let mut section_ids = HashSet::new();
        let section_clause: HashMap<&str, &str> = self
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.clause.as_str()))
            .collect();
        for (index, section) in self.sections.iter().enumerate() {
            if !section_ids.insert(section.id.as_str()) {
                problem(
                    format!("sections[{index}].id"),
                    format!("duplicate section id \"{}\"", section.id),
                );
            }
            if !clause_ids.contains(section.clause.as_str()) {
                problem(
                    format!("sections[{index}].clause"),
                    format!("unknown clause \"{}\"", section.clause),
                );
            }
            if section.title.trim().is_empty() {
                problem(
                    format!("sections[{index}].title"),
                    "must not be empty".into(),
                );
            }
        }
        let mut objective_ids = HashMap::new();
        for (index, objective) in self.objectives.iter().enumerate() {
            if objective_ids
                .insert(objective.id.as_str(), objective.domain.as_str())
                .is_some()
            {
                problem(
                    format!("objectives[{index}].id"),
                    format!("duplicate objective id \"{}\"", objective.id),
                );
            }
            if !domain_ids.contains(objective.domain.as_str()) {
                problem(
                    format!("objectives[{index}].domain"),
                    format!("unknown domain \"{}\"", objective.domain),
                );
            }
        }

        if self.items.is_empty() {
            problem("items".into(), "must list at least one item".into());
        }
        let mut refs: HashMap<&str, u32> = HashMap::new();
        for (index, item) in self.items.iter().enumerate() {
            let at = |field: &str| format!("items[{index}].{field}");
            let expected = index as u64 + 1;
            if u64::from(item.number) != expected {
                problem(
                    at("number"),
                    format!(
                        "items must be numbered 1, 2, 3... without gaps: expected {expected}, found {}",
                        item.number
                    ),
                );
            }
            if let Some(first) = refs.insert(item.reference.as_str(), item.number) {
                problem(
                    at("ref"),
                    format!(
                        "duplicate ref \"{}\" (already used by item {first})",
                        item.reference
                    ),
                );
            }
            match item.kind {
                ItemKind::Clause => {
                    if !clause_ids.contains(item.clause.as_str()) {
                        problem(
                            at("clause"),
                            format!(
                                "unknown clause \"{}\" (not listed in \"clauses\")",
                                item.clause
                            ),
                        );
                    } else if !section_ids.contains(item.section()) {
                        problem(
                            at("ref"),
                            format!(
                                "ref \"{}\" does not start with a sub-clause listed in \"sections\"",
                                item.reference
                            ),
                        );
                    } else if let Some(clause) = section_clause.get(item.section())
                        && *clause != item.clause
                    {
                        problem(
                            at("clause"),
                            format!(
                                "sub-clause {} belongs to clause {clause}, not {}",
                                item.section(),
                                item.clause
                            ),
                        );
                    }
                    if item.objective.is_some() {
                        problem(
                            at("objective"),
                            "only Annex A controls have an objective".into(),
                        );
                    }
                }
                ItemKind::Control => {
                    if !domain_ids.contains(item.clause.as_str()) {
                        problem(
                            at("clause"),
                            format!(
                                "unknown Annex A domain \"{}\" (not listed in \"domains\")",
                                item.clause
                            ),
                        );
                    }
                    if let Some(objective) = &item.objective {
                        match objective_ids.get(objective.as_str()) {
                            None => problem(
                                at("objective"),
                                format!("unknown objective \"{objective}\""),
                            ),
                            Some(domain) if *domain != item.clause => problem(
                                at("objective"),
                                format!(
                                    "objective {objective} belongs to domain {domain}, not {}",
                                    item.clause
                                ),
                            ),
                            Some(_) => {}
                        }
                    }
                }
            }
            if !PDCA_PHASES.contains(&item.pdca.as_str()) {
                problem(
                    at("pdca"),
                    format!("must be one of P, D, C, A, PDCA, not \"{}\"", item.pdca),
                );
            }
            for (field, value) in [
                ("ref", &item.reference),
                ("title", &item.title),
                ("question", &item.question),
                ("guidance", &item.guidance),
            ] {
                if value.trim().is_empty() {
                    problem(at(field), "must not be empty".into());
                }
            }
            if let Some(document) = &item.mandatory_document
                && (document.trim().is_empty() || document.chars().count() > 60)
            {
                problem(
                    at("mandatory_document"),
                    "must name the document in 1 to 60 characters (or be left out)".into(),
                );
            }
        }
        problems
    }

    /// The items marked as mandatory documented information, in item order.
    pub fn mandatory_documents(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|item| item.mandatory_document.is_some())
    }
}

/// Where in a data file something is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    LineColumn { line: usize, column: usize },
    Path(String),
    Whole,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
            Place::Path(path) => write!(f, "at {path}"),
            Place::Whole => write!(f, "whole file"),
        }
    }
}

/// A data file that cannot be used: which file, where, and which rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {place}: {rule}")]
pub struct DataFileError {
    pub file: String,
    pub place: Place,
    pub rule: String,
}

impl DataFileError {
    pub fn rule(file: &str, path: String, rule: String) -> DataFileError {
        DataFileError {
            file: file.to_string(),
            place: Place::Path(path),
            rule,
        }
    }
}

/// Deserialises JSON, reporting syntax errors by line and column and type errors by JSON path too.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    source: &str,
    text: &str,
) -> Result<T, DataFileError> {
    // The plain parser is several times faster; the path-tracking one runs only to explain an error.
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let rule = strip_position(&inner.to_string());
        let rule = if path.is_empty() || path == "." {
            rule
        } else {
            format!("{rule} (at {path})")
        };
        located(source, &inner, rule)
    })?;
    deserializer.end().map_err(|error| {
        let rule = strip_position(&error.to_string());
        located(source, &error, rule)
    })?;
    Ok(value)
}

fn located(source: &str, error: &serde_json::Error, rule: String) -> DataFileError {
    let place = if error.line() > 0 {
        Place::LineColumn {
            line: error.line(),
            column: error.column(),
        }
    } else {
        Place::Whole
    };
    DataFileError {
        file: source.to_string(),
        place,
        rule,
    }
}

/// serde_json appends " at line L column C" to its messages; we print the place ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message.to_string(),
    }
}
