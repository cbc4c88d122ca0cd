//! Audits, their findings, nonconformities and management reviews (issue 30): the records that
//! take an organisation from "ready" to certified. Pure: what each entry holds, the rules that
//! tie them (a major or minor finding opens a nonconformity, a verification "not effective"
//! reopens it, closing needs the whole 10.2 loop), the audit programme (9.2.2) and the coverage
//! of a management review's inputs (9.3.2).
//!
//! They are registers like the four of 4.1, 4.2, 6.1 and 6.2 (see `register_spec`): `AUD-n`,
//! `F-n`, `NC-n`, `MR-n`, each with a unique id, so the store, JSON, merge, history and undo
//! treat them the same way.

use super::action::Action;
use super::{Item, Questionnaire};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// An enum of codes whose default is the first variant listed.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $first:ident => $first_code:literal $(, $variant:ident => $code:literal)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            #[default]
            #[serde(rename = $first_code)]
            $first,
            $(#[serde(rename = $code)] $variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$name::$first, $($name::$variant),*];
            pub const CODES: &'static [&'static str] = &[$first_code, $($code),*];

            pub const fn code(self) -> &'static str {
                match self {
                    $name::$first => $first_code,
                    $($name::$variant => $code),*
                }
            }

            /// Reads a code as people type it (`pre audit`, `in-progress` too).
            pub fn parse(text: &str) -> Option<$name> {
                let wanted = text.trim().to_lowercase().replace([' ', '_'], "-");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().replace('_', "-") == wanted)
            }
        }
    };
}

code_enum! {
    /// Who audits, and for what: the organisation itself, a consultant before certification, the
    /// certification body's two stages, then its yearly visits.
    AuditType {
        Internal => "internal",
        PreAudit => "pre-audit",
        Stage1 => "stage1",
        Stage2 => "stage2",
        Surveillance => "surveillance",
    }
}

code_enum! {
    AuditStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
    }
}

code_enum! {
    /// What an auditor concluded on the items sampled.
    FindingType {
        Major => "major",
        Minor => "minor",
        Observation => "observation",
        Improvement => "improvement",
        Conformity => "conformity",
    }
}

code_enum! {
    /// Where a nonconformity came from (10.2 wants every kind handled the same way).
    NcSource {
        Audit => "audit",
        Incident => "incident",
        Complaint => "complaint",
        Monitoring => "monitoring",
        ManagementReview => "management-review",
        Other => "other",
    }
}

code_enum! {
    /// A major nonconformity puts certification in doubt; a minor one does not on its own.
    Classification {
        Minor => "minor",
        Major => "major",
    }
}

code_enum! {
    /// The result of verifying a nonconformity's corrective actions; `-` until verified.
    Effective {
        Unknown => "-",
        Yes => "yes",
        No => "no",
    }
}

code_enum! {
    /// A nonconformity's way to closure: corrected, corrective action under way, verified, closed;
    /// reopened when the verification found the actions did not work.
    NcStatus {
        Open => "open",
        CorrectionDone => "correction-done",
        ActionInProgress => "action-in-progress",
        VerifiedEffective => "verified-effective",
        Closed => "closed",
        Reopened => "reopened",
    }
}

impl NcStatus {
    /// Open in the sense of the verdict: anything but closed.
    pub fn is_open(self) -> bool {
        self != NcStatus::Closed
    }
}

fn not_empty(text: &str, what: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// Splits `4, 5,6.1 A.5` into refs (comma separated; an item ref keeps its inner spaces).
pub fn parse_refs(text: &str) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    for part in text.split(',') {
        let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if !part.is_empty() && !refs.contains(&part) {
            refs.push(part);
        }
    }
    refs
}

/// Reads `ACT-3`, `#3` or `3` as `ACT-3`; a list separated by commas or spaces.
pub fn parse_action_ids(text: &str) -> Result<Vec<String>, String> {
    let mut ids: Vec<String> = Vec::new();
    for part in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let upper = part.to_uppercase();
        let digits = upper
            .strip_prefix("ACT-")
            .or_else(|| upper.strip_prefix("ACT"))
            .or_else(|| upper.strip_prefix('#'))
            .unwrap_or(&upper);
        match digits.parse::<u32>() {
            Ok(n) if n > 0 => {
                let id = format!("ACT-{n}");
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => {
                return Err(format!(
                    "\"{part}\" is not an action id (they read like ACT-3)"
                ));
            }
        }
    }
    Ok(ids)
}

/// The number of `ACT-3`.
pub fn action_number(id: &str) -> Option<u32> {
    id.strip_prefix("ACT-")?.parse().ok()
}

/// An audit (9.2 internal audit, or a certification body's visit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// `AUD-1`, ... (set by the store).
    #[serde(default)]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub kind: AuditType,
    /// The first day of the audit.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The last day, when not the first.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Names, with independence noted: "Kim Roe (independent)".
    #[serde(default)]
    pub auditors: String,
    /// Clause refs, item refs and Annex A groups or controls: `4`, `6.1`, `9.2.2 a)`, `A.5`.
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub status: AuditStatus,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Audit {
    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.title, "the title")?;
        if self.date.is_none() {
            return Err("the audit needs its date (--date YYYY-MM-DD)".into());
        }
        if let (Some(start), Some(end)) = (self.date, self.end_date)
            && end < start
        {
            return Err(format!("the audit ends ({end}) before it starts ({start})"));
        }
        Ok(())
    }

    /// The day it was done: its end, else its start.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.end_date.or(self.date)
    }
}

/// What an auditor found on one or more items of an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// `F-1`, ... (set by the store).
    #[serde(default)]
    pub id: String,
    /// The audit it was found in, `AUD-n`.
    #[serde(default)]
    pub audit: String,
    /// The questionnaire items (refs) it is about; at least one.
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub kind: FindingType,
    /// The requirement, what was seen, and why it does not meet it.
    #[serde(default)]
    pub statement: String,
    /// The evidence sampled.
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub auditee: String,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Finding {
    pub fn check(&self) -> Result<(), String> {
        if self.audit.trim().is_empty() {
            return Err("a finding belongs to an audit (--audit AUD-n)".into());
        }
        if self.items.is_empty() {
            return Err("a finding names at least one item (--item)".into());
        }
        not_empty(&self.statement, "the statement")
    }

    /// Whether it is a nonconformity (major or minor), which opens an `NC-n`.
    pub fn is_nonconformity(&self) -> bool {
        matches!(self.kind, FindingType::Major | FindingType::Minor)
    }

    /// The nonconformity a major or minor finding opens (`raised_on`: its audit's last day, or the
    /// day it is recorded), linked to it; none for the other types. The finding must have its id already.
    pub fn opened_nonconformity(&self, raised_on: NaiveDate) -> Option<Nonconformity> {
        let classification = match self.kind {
            FindingType::Major => Classification::Major,
            FindingType::Minor => Classification::Minor,
            _ => return None,
        };
        Some(Nonconformity {
            finding: self.id.clone(),
            source: NcSource::Audit,
            raised_on: Some(raised_on),
            description: self.statement.clone(),
            requirement: self.items.clone(),
            classification,
            ..Nonconformity::default()
        })
    }
}

/// A nonconformity (10.2), from a finding or another source, followed to its verified closure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nonconformity {
    /// `NC-1`, ... (set by the store).
    #[serde(default)]
    pub id: String,
    /// The finding that opened it, `F-n` (empty for another source).
    #[serde(default)]
    pub finding: String,
    #[serde(default)]
    pub source: NcSource,
    #[serde(default)]
    pub raised_on: Option<NaiveDate>,
    #[serde(default)]
    pub description: String,
    /// The requirements not met (refs).
    #[serde(default)]
    pub requirement: Vec<String>,
    #[serde(default)]
    pub classification: Classification,
    /// What was done at once to contain it.
    #[serde(default)]
    pub correction: String,
    /// Why it happened (room for five whys).
    #[serde(default)]
    pub root_cause: String,
    /// The corrective actions, `ACT-n` (actions of the assessment).
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub verified_on: Option<NaiveDate>,
    #[serde(default)]
    pub verified_by: String,
    #[serde(default)]
    pub effective: Effective,
    #[serde(default)]
    pub status: NcStatus,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Nonconformity {
    /// The rules it must obey on its own; closing needs the actions too (see `closure_gaps`).
    pub fn check(&self) -> Result<(), String> {
        not_empty(&self.description, "the description")?;
        if self.effective != Effective::Unknown && self.verified_on.is_none() {
            return Err("a verification needs its date (--verified-on YYYY-MM-DD)".into());
        }
        if self.status == NcStatus::Closed {
            let gaps = self.own_closure_gaps();
            if !gaps.is_empty() {
                return Err(format!(
                    "{} cannot be closed: {}",
                    self.name(),
                    gaps.join("; ")
                ));
            }
        }
        Ok(())
    }

    fn name(&self) -> &str {
        if self.id.is_empty() {
            "the nonconformity"
        } else {
            &self.id
        }
    }

    fn own_closure_gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        if self.correction.trim().is_empty() {
            gaps.push("no correction recorded".to_string());
        }
        if self.root_cause.trim().is_empty() {
            gaps.push("no root cause recorded".to_string());
        }
        if self.actions.is_empty() {
            gaps.push("no corrective action".to_string());
        }
        if self.effective != Effective::Yes {
            gaps.push("not verified effective".to_string());
        }
        gaps
    }

    /// Why it cannot be closed yet (empty: it can): a correction, a root cause, at least one
    /// corrective action done (of `actions`, the assessment's) and a verification "effective".
    pub fn closure_gaps(&self, actions: &[Action]) -> Vec<String> {
        let mut gaps = self.own_closure_gaps();
        if !self.actions.is_empty() && self.done_actions(actions) == 0 {
            gaps.push("no corrective action done".to_string());
        }
        gaps
    }

    fn done_actions(&self, actions: &[Action]) -> usize {
        self.actions
            .iter()
            .filter_map(|id| action_number(id))
            .filter(|n| {
                actions
                    .iter()
                    .any(|a| a.number == *n && a.status == super::action::ActionStatus::Done)
            })
            .count()
    }

    /// The nonconformity after an edit from `before`: a verification "not effective" newly
    /// recorded reopens it (whatever status the edit asked); closing is refused unless the whole
    /// loop is done (`closure_gaps`).
    pub fn edited(
        before: &Nonconformity,
        mut after: Nonconformity,
        actions: &[Action],
    ) -> Result<Nonconformity, String> {
        let newly_not_effective = after.effective == Effective::No
            && (before.effective != Effective::No || before.verified_on != after.verified_on);
        if newly_not_effective {
            after.status = NcStatus::Reopened;
        }
        if after.status == NcStatus::Closed && before.status != NcStatus::Closed {
            let gaps = after.closure_gaps(actions);
            if !gaps.is_empty() {
                return Err(format!(
                    "{} cannot be closed: {}",
                    after.name(),
                    gaps.join("; ")
                ));
            }
        }
        after.check()?;
        Ok(after)
    }

    /// How the verdict names it: `NC-2 (major, from F-3 in AUD-1)`.
    pub fn described(&self, findings: &[Finding]) -> String {
        let origin = if self.finding.is_empty() {
            self.source.code().to_string()
        } else {
            match findings.iter().find(|f| f.id == self.finding) {
                Some(f) => format!("from {} in {}", f.id, f.audit),
                None => format!("from {}", self.finding),
            }
        };
        format!("{} ({}, {origin})", self.id, self.classification.code())
    }
}

/// The inputs a management review considers (9.3.2), by edition: their letters and a short name
/// of each (paraphrased). The 2022 edition (with Amendment 1) adds c), changes in the needs and
/// expectations of interested parties, and letters the later inputs one further.
pub fn review_inputs(edition_2013: bool) -> &'static [(&'static str, &'static str)] {
    const INPUTS_2022: [(&str, &str); 7] = [
        ("a", "what became of the actions of earlier reviews"),
        ("b", "changes in external and internal issues"),
        (
            "c",
            "changes in the needs and expectations of interested parties",
        ),
        (
            "d",
            "performance: nonconformities and corrective actions, monitoring and measurement, audit results, objectives met",
        ),
        ("e", "feedback from interested parties"),
        (
            "f",
            "risk assessment results and progress of the risk treatment plan",
        ),
        ("g", "opportunities to improve"),
    ];
    const INPUTS_2013: [(&str, &str); 6] = [
        ("a", "what became of the actions of earlier reviews"),
        ("b", "changes in external and internal issues"),
        (
            "c",
            "performance: nonconformities and corrective actions, monitoring and measurement, audit results, objectives met",
        ),
        ("d", "feedback from interested parties"),
        (
            "e",
            "risk assessment results and progress of the risk treatment plan",
        ),
        ("f", "opportunities to improve"),
    ];
    if edition_2013 {
        &INPUTS_2013
    } else {
        &INPUTS_2022
    }
}

/// Whether a questionnaire follows the 2013 edition (its ids say so: `iso27001-2013`).
pub fn is_2013(questionnaire: &Questionnaire) -> bool {
    questionnaire.id.contains("2013")
}

/// A management review (9.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementReview {
    /// `MR-1`, ... (set by the store).
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub attendees: String,
    /// What was presented for each input of 9.3.2, by the letter of the assessment's edition
    /// (empty: not covered).
    #[serde(default)]
    pub input_a: String,
    #[serde(default)]
    pub input_b: String,
    #[serde(default)]
    pub input_c: String,
    #[serde(default)]
    pub input_d: String,
    #[serde(default)]
    pub input_e: String,
    #[serde(default)]
    pub input_f: String,
    #[serde(default)]
    pub input_g: String,
    /// Decisions and changes (9.3.3).
    #[serde(default)]
    pub outputs: String,
    /// The actions raised, `ACT-n`.
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl ManagementReview {
    pub fn check(&self) -> Result<(), String> {
        if self.date.is_none() {
            return Err("the review needs its date (--date YYYY-MM-DD)".into());
        }
        Ok(())
    }

    /// What was presented for input `letter` (`a` to `g`).
    pub fn input(&self, letter: &str) -> Option<&String> {
        Some(match letter {
            "a" => &self.input_a,
            "b" => &self.input_b,
            "c" => &self.input_c,
            "d" => &self.input_d,
            "e" => &self.input_e,
            "f" => &self.input_f,
            "g" => &self.input_g,
            _ => return None,
        })
    }

    pub fn input_mut(&mut self, letter: &str) -> Option<&mut String> {
        Some(match letter {
            "a" => &mut self.input_a,
            "b" => &mut self.input_b,
            "c" => &mut self.input_c,
            "d" => &mut self.input_d,
            "e" => &mut self.input_e,
            "f" => &mut self.input_f,
            "g" => &mut self.input_g,
            _ => return None,
        })
    }

    /// The letters of the edition's inputs with nothing presented.
    pub fn missing_inputs(&self, edition_2013: bool) -> Vec<&'static str> {
        review_inputs(edition_2013)
            .iter()
            .filter(|(letter, _)| self.input(letter).is_none_or(|t| t.trim().is_empty()))
            .map(|(letter, _)| *letter)
            .collect()
    }

    /// Moves the inputs from the 2013 lettering to the 2022 one (c-f become d-g; c, the
    /// interested parties' needs, is new and empty), for a migration between editions.
    pub fn to_2022(&self) -> ManagementReview {
        ManagementReview {
            input_c: String::new(),
            input_d: self.input_c.clone(),
            input_e: self.input_d.clone(),
            input_f: self.input_e.clone(),
            input_g: self.input_f.clone(),
            ..self.clone()
        }
    }
}

// ----- Scope, coverage and the audit programme -----

/// Whether `reference` names something of the questionnaire an audit can cover: a clause
/// (`4`), a sub-clause (`6.1`, `9.2.2`), an item ref (`9.2.2 a)`), an Annex A group (`A.5`) or
/// control (`A.5.1`).
pub fn is_known_ref(questionnaire: &Questionnaire, reference: &str) -> bool {
    questionnaire.items.iter().any(|item| {
        item.reference == reference
            || item.clause == reference
            || item.section() == reference
            || section_within(item.section(), reference)
    })
}

/// Whether sub-clause `section` lies within `prefix` (`6.1.2` within `6.1`).
fn section_within(section: &str, prefix: &str) -> bool {
    section
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// The refs of `refs` the questionnaire does not know (see `is_known_ref`).
pub fn unknown_refs<'a>(questionnaire: &Questionnaire, refs: &'a [String]) -> Vec<&'a str> {
    refs.iter()
        .filter(|r| !is_known_ref(questionnaire, r))
        .map(String::as_str)
        .collect()
}

/// The clause (`4` to `10`) or Annex A group (`A.5`) an item belongs to.
pub fn area_of(item: &Item) -> &str {
    &item.clause
}

/// The clauses and Annex A groups a scope covers, each once, in the questionnaire's order.
pub fn covered_areas(questionnaire: &Questionnaire, scope: &[String]) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    for item in &questionnaire.items {
        let covered = scope.iter().any(|r| {
            item.reference == *r
                || item.clause == *r
                || item.section() == r
                || section_within(item.section(), r)
        });
        let area = area_of(item).to_string();
        if covered && !areas.contains(&area) {
            areas.push(area);
        }
    }
    areas
}

/// Every clause and Annex A group of the questionnaire, in its order.
pub fn all_areas(questionnaire: &Questionnaire) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    for item in &questionnaire.items {
        if !areas.contains(&item.clause) {
            areas.push(item.clause.clone());
        }
    }
    areas
}

/// The day twelve months before `today`: an audit or review on or after it is recent enough.
pub fn year_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12)).unwrap_or(today)
}

/// One audit's row of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeRow {
    pub id: String,
    pub title: String,
    pub kind: AuditType,
    pub date: Option<NaiveDate>,
    pub status: AuditStatus,
    /// The clauses and Annex A groups it covered.
    pub covered: Vec<String>,
    /// Done within the last 12 months.
    pub recent: bool,
}

/// The audit programme over the cycle (9.2.2): what each audit covered, and which clauses and
/// Annex A groups no done audit covered in the 12 months before `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Programme {
    pub today: NaiveDate,
    pub since: NaiveDate,
    pub audits: Vec<ProgrammeRow>,
    /// Clauses 4 to 10 not audited in the last 12 months.
    pub clauses_not_audited: Vec<String>,
    /// Annex A groups not audited in the last 12 months.
    pub groups_not_audited: Vec<String>,
}

/// Whether an audit was done within the 12 months before `today`.
pub fn is_recent_done(audit: &Audit, today: NaiveDate) -> bool {
    audit.status == AuditStatus::Done
        && audit
            .last_day()
            .is_some_and(|day| day >= year_before(today) && day <= today)
}

pub fn programme(questionnaire: &Questionnaire, audits: &[Audit], today: NaiveDate) -> Programme {
    let mut ordered: Vec<&Audit> = audits.iter().collect();
    ordered.sort_by_key(|a| (a.date, super::registers::number_of(&a.id)));
    let rows: Vec<ProgrammeRow> = ordered
        .iter()
        .map(|a| ProgrammeRow {
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind,
            date: a.date,
            status: a.status,
            covered: covered_areas(questionnaire, &a.scope),
            recent: is_recent_done(a, today),
        })
        .collect();
    let recent: BTreeSet<&String> = rows
        .iter()
        .filter(|r| r.recent)
        .flat_map(|r| r.covered.iter())
        .collect();
    let (clauses, groups): (Vec<String>, Vec<String>) = all_areas(questionnaire)
        .into_iter()
        .filter(|area| !recent.contains(area))
        .partition(|area| !area.starts_with('A'));
    Programme {
        today,
        since: year_before(today),
        audits: rows,
        clauses_not_audited: clauses,
        groups_not_audited: groups,
    }
}

/// The clauses 4 to 10 that no done internal audit covered in the 12 months before `today`
/// (what "internal audit performed" asks of the records).
pub fn clauses_not_internally_audited(
    questionnaire: &Questionnaire,
    audits: &[Audit],
    today: NaiveDate,
) -> Vec<String> {
    let internal: Vec<Audit> = audits
        .iter()
        .filter(|a| a.kind == AuditType::Internal)
        .cloned()
        .collect();
    programme(questionnaire, &internal, today).clauses_not_audited
}

/// Refs of the older edition as the newer one names them, for a migration (`mapping`): a ref the
/// newer questionnaire knows stays; another follows the mapping's items, sections and controls.
/// A list that would end up empty keeps its old refs (a record never loses what it was about).
pub fn carried_refs(
    mapping: &super::mapping::Mapping,
    to: &Questionnaire,
    refs: &[String],
) -> Vec<String> {
    let mut carried: Vec<String> = Vec::new();
    for reference in refs {
        let mapped: Vec<String> = if is_known_ref(to, reference) {
            vec![reference.clone()]
        } else {
            mapping
                .items
                .iter()
                .chain(&mapping.sections)
                .chain(&mapping.controls)
                .filter(|c| c.from.contains(reference))
                .map(|c| c.to.clone())
                .collect()
        };
        for r in mapped {
            if !carried.contains(&r) {
                carried.push(r);
            }
        }
    }
    if carried.is_empty() {
        refs.to_vec()
    } else {
        carried
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::action::ActionStatus;

    fn day(text: &str) -> NaiveDate {
        crate::model::plan::parse_date(text).unwrap()
    }

    fn nc() -> Nonconformity {
        Nonconformity {
            id: "NC-1".into(),
            description: "no access reviews".into(),
            classification: Classification::Major,
            ..Nonconformity::default()
        }
    }

    fn action(number: u32, status: ActionStatus) -> Action {
        Action {
            number,
            items: vec![1],
            title: "t".into(),
            description: String::new(),
            owner: String::new(),
            due: None,
            effort: None,
            priority: 2,
            status,
            done_on: None,
            step: None,
            note: String::new(),
            uid: String::new(),
        }
    }

    #[test]
    fn a_major_or_minor_finding_opens_a_nonconformity_and_the_others_do_not() {
        let mut finding = Finding {
            id: "F-3".into(),
            audit: "AUD-1".into(),
            items: vec!["A.5.18".into()],
            kind: FindingType::Major,
            statement: "access rights never reviewed".into(),
            ..Finding::default()
        };
        let opened = finding.opened_nonconformity(day("2027-01-10")).unwrap();
        assert_eq!(opened.finding, "F-3");
        assert_eq!(opened.classification, Classification::Major);
        assert_eq!(opened.source, NcSource::Audit);
        assert_eq!(opened.requirement, ["A.5.18"]);
        assert_eq!(opened.status, NcStatus::Open);
        finding.kind = FindingType::Minor;
        assert_eq!(
            finding
                .opened_nonconformity(day("2027-01-10"))
                .unwrap()
                .classification,
            Classification::Minor
        );
        for kind in [
            FindingType::Observation,
            FindingType::Improvement,
            FindingType::Conformity,
        ] {
            finding.kind = kind;
            assert_eq!(finding.opened_nonconformity(day("2027-01-10")), None);
        }
    }

    #[test]
    fn closing_needs_correction_root_cause_a_done_action_and_an_effective_verification() {
        let before = nc();
        let mut after = nc();
        after.status = NcStatus::Closed;
        let error = Nonconformity::edited(&before, after.clone(), &[]).unwrap_err();
        assert!(error.contains("no correction recorded"), "{error}");
        assert!(error.contains("no root cause recorded"), "{error}");
        assert!(error.contains("no corrective action"), "{error}");
        assert!(error.contains("not verified effective"), "{error}");
        after.correction = "reviewed now".into();
        after.root_cause = "why 1: no owner; why 2: ...".into();
        after.actions = vec!["ACT-4".into()];
        after.verified_on = Some(day("2027-03-01"));
        after.verified_by = "Kim".into();
        after.effective = Effective::Yes;
        let open_action = [action(4, ActionStatus::InProgress)];
        let error = Nonconformity::edited(&before, after.clone(), &open_action).unwrap_err();
        assert_eq!(error, "NC-1 cannot be closed: no corrective action done");
        let done = [action(4, ActionStatus::Done)];
        let closed = Nonconformity::edited(&before, after, &done).unwrap();
        assert_eq!(closed.status, NcStatus::Closed);
    }

    #[test]
    fn a_verification_not_effective_reopens_it() {
        let mut before = nc();
        before.status = NcStatus::VerifiedEffective;
        let mut after = before.clone();
        after.verified_on = Some(day("2027-03-01"));
        after.effective = Effective::No;
        after.status = NcStatus::Closed;
        let edited = Nonconformity::edited(&before, after, &[]).unwrap();
        assert_eq!(edited.status, NcStatus::Reopened);
        // A verification needs its date.
        let mut undated = nc();
        undated.effective = Effective::Yes;
        assert!(undated.check().is_err());
    }

    #[test]
    fn codes_read_as_people_type_them() {
        assert_eq!(AuditType::parse("pre audit"), Some(AuditType::PreAudit));
        assert_eq!(AuditType::parse("Stage2"), Some(AuditType::Stage2));
        assert_eq!(
            AuditStatus::parse("in-progress"),
            Some(AuditStatus::InProgress)
        );
        assert_eq!(
            NcStatus::parse("verified effective"),
            Some(NcStatus::VerifiedEffective)
        );
        assert_eq!(
            NcSource::parse("management review"),
            Some(NcSource::ManagementReview)
        );
        assert_eq!(Effective::parse("-"), Some(Effective::Unknown));
        assert_eq!(FindingType::parse("bogus"), None);
        assert_eq!(
            parse_action_ids("ACT-3, #4 5").unwrap(),
            ["ACT-3", "ACT-4", "ACT-5"]
        );
        assert!(parse_action_ids("R-3").is_err());
        assert_eq!(
            parse_refs("4, 5,6.1 ,  9.2.2  a)"),
            ["4", "5", "6.1", "9.2.2 a)"]
        );
    }

    #[test]
    fn review_inputs_follow_the_edition_and_a_2013_review_moves_to_the_2022_letters() {
        assert_eq!(review_inputs(false).len(), 7);
        assert_eq!(review_inputs(true).len(), 6);
        assert!(review_inputs(false)[2].1.contains("interested parties"));
        let review = ManagementReview {
            date: Some(day("2027-01-01")),
            input_a: "a".into(),
            input_b: "b".into(),
            input_c: "perf".into(),
            input_d: "feedback".into(),
            input_e: "risks".into(),
            input_f: "ideas".into(),
            ..ManagementReview::default()
        };
        assert!(review.missing_inputs(true).is_empty());
        assert_eq!(review.missing_inputs(false), ["g"]);
        let moved = review.to_2022();
        assert_eq!(moved.input_d, "perf");
        assert_eq!(moved.input_g, "ideas");
        assert_eq!(moved.missing_inputs(false), ["c"]);
    }
}
