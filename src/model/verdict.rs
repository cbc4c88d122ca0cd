//! The audit-readiness verdict: is the organisation ready for the stage 1 and the stage 2 audit,
//! and if not, what blocks it. Derived from the answers, the questionnaire's mandatory documented
//! information marks, the SoA check (the same function as `soa --check`, with the risk register's
//! links) and the open actions; never stored.
//!
//! The rules follow how certification bodies run the two stages (ISO/IEC 17021-1 and 27006-1):
//! stage 1 reviews the documented information and whether the ISMS is defined and planned enough
//! to go on; stage 2 evaluates implementation and effectiveness, the controls of the SoA included.
//! Each rule has a stable id; the guide's rule table (docs/guide.md) has one row per id (a test checks it).

use super::action::Action;
use super::audit::{self, Classification, ManagementReview};
use super::count::{counted, counted_as};
use super::registers::Registers;
use super::registers::RiskLinks;
use super::{Answers, Item, Questionnaire};
use chrono::NaiveDate;
use serde::Serialize;

/// One verdict rule: what it asks, what it rests on, and how a group of its blockers is headed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable id (`stage1.documents`), as JSON and the guide's rule table name it.
    pub id: &'static str,
    /// The stage whose verdict the rule belongs to; stage 2 applies stage 1's rules too.
    pub stage: u8,
    /// The rule in words.
    pub text: &'static str,
    /// The clauses or controls it rests on.
    pub rests_on: &'static str,
    #[serde(skip)]
    singular: &'static str,
    #[serde(skip)]
    plural: &'static str,
    #[serde(skip)]
    predicate: &'static str,
}

impl Rule {
    /// The headline of a group of `count` blockers ("62 included controls below level 2").
    pub fn headline(&self, count: usize) -> String {
        format!(
            "{} {}",
            counted_as(count, self.singular, self.plural),
            self.predicate
        )
    }
}

const fn rule(
    id: &'static str,
    stage: u8,
    text: &'static str,
    rests_on: &'static str,
    (singular, plural, predicate): (&'static str, &'static str, &'static str),
) -> Rule {
    Rule {
        id,
        stage,
        text,
        rests_on,
        singular,
        plural,
        predicate,
    }
}

const DEFINED: usize = 0;
const DOCUMENTS: usize = 1;
const SOA: usize = 2;
const PLANNED: usize = 3;
const ASSESSED: usize = 4;
const NONCONFORMITIES: usize = 5;
const CONTRADICTION: usize = 6;
const CONTROLS: usize = 7;
const PERFORMED: usize = 8;
const AUDIT_RECORDS: usize = 9;
const REVIEW_RECORDS: usize = 10;
const CLAUSES: usize = 11;
const PRIORITY_1: usize = 12;

/// Every verdict rule, most serious first: the blockers and their groups come in this order.
pub const RULES: [Rule; 13] = [
    rule(
        "stage1.isms-defined",
        1,
        "the ISMS is defined: every item of clauses 4 and 5 and of 6.1 (context, scope, leadership, policy, roles, risk method and criteria, risk assessment, risk treatment, SoA) at level 2 or above",
        "4, 5, 6.1",
        ("item of 4, 5, 6.1", "items of 4, 5, 6.1", "below level 2"),
    ),
    rule(
        "stage1.documents",
        1,
        "every mandatory documented information item at level 2 or above, the risk treatment plan (6.1.3 e) among them",
        "4.3, 5.2, 6.1.2, 6.1.3 d) e), 6.2, 7.2, 7.5.1 b), 8.1-8.3, 9.1-9.3, 10.1/10.2",
        ("mandatory document", "mandatory documents", "below level 2"),
    ),
    rule(
        "stage1.soa",
        1,
        "the SoA check (the same function as `soa --check`, with the risk register's links) flags nothing",
        "6.1.3 d)",
        ("control", "controls", "with an SoA finding"),
    ),
    rule(
        "stage1.audit-review-planned",
        1,
        "internal audit and management review at least planned: the item that says each is held (the first item of 9.2 and of 9.3) at level 1 or above",
        "9.2, 9.3",
        ("audit or review", "audits and reviews", "not planned yet"),
    ),
    rule(
        "stage1.assessed",
        1,
        "every clause item assessed",
        "4 to 10",
        ("clause item", "clause items", "not assessed"),
    ),
    rule(
        "stage2.nonconformities",
        2,
        "no open major nonconformity, and a corrective action on every open minor one; a certification audit's own findings count the same (a nonconformity is open until closed)",
        "10.2 (10.1 in 2013)",
        ("item", "items", "with a nonconformity that blocks"),
    ),
    rule(
        "stage2.contradiction",
        2,
        "no record contradicts its activity: the audit (9.2) or review (9.3) record item at level 2 or above while the item that says the audits or reviews are held is assessed below level 2",
        "9.2, 9.3",
        ("record", "records", "kept for audits or reviews never held"),
    ),
    rule(
        "stage2.controls",
        2,
        "every included Annex A control at level 2 or above, with an evidence reference (the SoA check flags a missing one)",
        "6.1.3 d), Annex A",
        ("included control", "included controls", "below level 2"),
    ),
    rule(
        "stage2.audit-review-performed",
        2,
        "internal audit and management review performed, with records: every 9.2 and 9.3 item at level 3 or above (where audits, or reviews, are recorded, the records decide for 9.2, or 9.3, instead: see the next two rules)",
        "9.2, 9.3",
        (
            "audit or review item",
            "audit and review items",
            "below level 3",
        ),
    ),
    rule(
        "stage2.audit-records",
        2,
        "where audits are recorded: done internal audits cover every clause 4 to 10 within the 12 months before today",
        "9.2",
        (
            "internal audit",
            "internal audits",
            "missing from the records",
        ),
    ),
    rule(
        "stage2.review-records",
        2,
        "where management reviews are recorded: one held within the 12 months before today that covers every input of 9.3.2 (of the assessment's edition)",
        "9.3",
        (
            "management review",
            "management reviews",
            "missing from the records",
        ),
    ),
    rule(
        "stage2.clauses",
        2,
        "every clause item at level 2 or above",
        "4 to 10",
        ("clause item", "clause items", "below level 2"),
    ),
    rule(
        "stage2.priority-1",
        2,
        "no open priority-1 action on any item, clause or included control",
        "10.2, 6.1.3",
        ("item", "items", "with an open priority-1 action"),
    ),
];

/// One item that stands between the organisation and an audit stage, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    /// Every reason this item blocks, joined with "; ".
    pub reason: String,
    /// The ids of the rules it breaks, most serious first.
    pub rules: Vec<&'static str>,
}

/// One item of a group, with the reason under that group's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupItem {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub reason: String,
}

/// The blockers of one rule: "62 included controls below level 2".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockerGroup {
    pub rule: &'static str,
    pub headline: String,
    pub items: Vec<GroupItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct StageVerdict {
    pub ready: bool,
    /// One per item, the item breaking the most serious rule first, then by item number.
    pub blockers: Vec<Blocker>,
    /// The blockers grouped by rule, most serious rule first.
    pub groups: Vec<BlockerGroup>,
}

impl StageVerdict {
    /// "READY", or "NOT READY" with the count of blockers ("1 blocker", "3 blockers").
    pub fn state(&self) -> String {
        if self.ready {
            "READY".into()
        } else {
            format!("NOT READY · {}", counted(self.blockers.len(), "blocker"))
        }
    }

    /// The headlines of the `count` most serious groups, joined with "; ".
    pub fn first_groups(&self, count: usize) -> String {
        self.groups
            .iter()
            .take(count)
            .map(|g| g.headline.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Verdict {
    pub stage1: StageVerdict,
    pub stage2: StageVerdict,
}

/// Whether an item belongs to the internal audit (9.2) or management review (9.3) sub-clauses.
pub fn is_audit_or_review(item: &Item) -> bool {
    !item.is_control() && (in_section(item, "9.2") || in_section(item, "9.3"))
}

fn in_section(item: &Item, section: &str) -> bool {
    let own = item.section();
    own == section
        || own
            .strip_prefix(section)
            .is_some_and(|r| r.starts_with('.'))
}

/// Whether a clause item defines the ISMS: clauses 4 and 5, and 6.1.
fn defines_the_isms(item: &Item) -> bool {
    !item.is_control() && (item.clause == "4" || item.clause == "5" || in_section(item, "6.1"))
}

/// An activity the standard wants held (internal audit, management review) and its record.
#[derive(Debug, Clone, Copy)]
pub struct Activity<'q> {
    pub name: &'static str,
    /// The item that says the activity is held: the first item of its sub-clause.
    pub held: &'q Item,
    /// The item marked as its mandatory record, if the questionnaire marks one.
    pub record: Option<&'q Item>,
}

/// Internal audit (9.2) and management review (9.3), as far as the questionnaire has them.
pub fn activities(questionnaire: &Questionnaire) -> Vec<Activity<'_>> {
    [("internal audit", "9.2"), ("management review", "9.3")]
        .into_iter()
        .filter_map(|(name, section)| {
            let mut items = questionnaire
                .clause_items()
                .filter(|item| in_section(item, section));
            let held = items.next()?;
            let record = std::iter::once(held)
                .chain(items)
                .find(|item| item.mandatory_document.is_some());
            Some(Activity { name, held, record })
        })
        .collect()
}

/// Collects reasons per item and rule, then lists blockers and groups.
#[derive(Clone)]
struct Collector<'a> {
    questionnaire: &'a Questionnaire,
    reasons: Vec<Vec<(usize, String)>>,
}

impl<'a> Collector<'a> {
    fn new(questionnaire: &'a Questionnaire) -> Collector<'a> {
        Collector {
            questionnaire,
            reasons: vec![Vec::new(); questionnaire.items.len()],
        }
    }

    fn add(&mut self, number: u32, rule: usize, reason: String) {
        if let Some(slot) = (number as usize)
            .checked_sub(1)
            .and_then(|i| self.reasons.get_mut(i))
            && !slot.iter().any(|(r, text)| *r == rule && *text == reason)
        {
            slot.push((rule, reason));
        }
    }

    fn finish(&self) -> StageVerdict {
        let items = &self.questionnaire.items;
        let mut blockers: Vec<(usize, Blocker)> = items
            .iter()
            .zip(&self.reasons)
            .filter(|(_, reasons)| !reasons.is_empty())
            .map(|(item, reasons)| {
                let mut sorted = reasons.clone();
                sorted.sort_by_key(|(rule, _)| *rule);
                let mut rules: Vec<&'static str> = Vec::new();
                for (rule, _) in &sorted {
                    if !rules.contains(&RULES[*rule].id) {
                        rules.push(RULES[*rule].id);
                    }
                }
                (
                    sorted[0].0,
                    Blocker {
                        number: item.number,
                        reference: item.reference.clone(),
                        title: item.title.clone(),
                        reason: sorted
                            .iter()
                            .map(|(_, text)| text.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                        rules,
                    },
                )
            })
            .collect();
        blockers.sort_by_key(|(rule, b)| (*rule, b.number));
        let groups = RULES
            .iter()
            .enumerate()
            .filter_map(|(index, rule)| {
                let members: Vec<GroupItem> = items
                    .iter()
                    .zip(&self.reasons)
                    .flat_map(|(item, reasons)| {
                        reasons
                            .iter()
                            .filter(|(r, _)| *r == index)
                            .map(|(_, text)| GroupItem {
                                number: item.number,
                                reference: item.reference.clone(),
                                title: item.title.clone(),
                                reason: text.clone(),
                            })
                    })
                    .collect();
                // One item may break a rule twice (two SoA findings): count it once.
                let mut numbers: Vec<u32> = members.iter().map(|m| m.number).collect();
                numbers.dedup();
                (!members.is_empty()).then(|| BlockerGroup {
                    rule: rule.id,
                    headline: rule.headline(numbers.len()),
                    items: members,
                })
            })
            .collect();
        StageVerdict {
            ready: blockers.is_empty(),
            blockers: blockers.into_iter().map(|(_, b)| b).collect(),
            groups,
        }
    }
}

fn level_text(level: Option<super::Level>) -> String {
    match level {
        Some(level) => format!("at level {}", level.value()),
        None => "not assessed".into(),
    }
}

fn below(level: Option<super::Level>, wanted: u8) -> bool {
    level.is_none_or(|l| l.value() < wanted)
}

/// The verdict of one assessment without audit records (see `verdict_with`).
pub fn verdict(
    questionnaire: &Questionnaire,
    answers: &Answers,
    actions: &[Action],
    links: &RiskLinks,
) -> Verdict {
    verdict_with(
        questionnaire,
        answers,
        actions,
        links,
        &Registers::default(),
        NaiveDate::MIN,
    )
}

/// The verdict of one assessment: the one function every screen, report and command reads.
/// `links` are the risk register's links (empty without a register), for the SoA check;
/// `registers` hold the audit records (issue 30), judged against `today`.
pub fn verdict_with(
    questionnaire: &Questionnaire,
    answers: &Answers,
    actions: &[Action],
    links: &RiskLinks,
    registers: &Registers,
    today: NaiveDate,
) -> Verdict {
    let audits_recorded = !registers.audits.is_empty();
    let reviews_recorded = !registers.reviews.is_empty();
    let mut stage1 = Collector::new(questionnaire);
    for item in questionnaire.items.iter() {
        let answer = answers.get(item.number);
        if item.is_control() && answer.is_excluded() {
            continue;
        }
        if defines_the_isms(item) && below(answer.level, 2) {
            stage1.add(
                item.number,
                DEFINED,
                format!(
                    "ISMS not defined: {}; items of 4, 5 and 6.1 need level 2",
                    level_text(answer.level)
                ),
            );
        }
        if let Some(document) = &item.mandatory_document
            && below(answer.level, 2)
        {
            stage1.add(
                item.number,
                DOCUMENTS,
                format!(
                    "mandatory documented information ({document}) {}; needs level 2",
                    level_text(answer.level)
                ),
            );
        }
        if !item.is_control() && answer.level.is_none() {
            stage1.add(item.number, ASSESSED, "clause item not assessed".into());
        }
    }
    for finding in super::soa::check(questionnaire, answers, links) {
        stage1.add(finding.item, SOA, format!("SoA: {}", finding.message));
    }
    let activities = activities(questionnaire);
    for activity in &activities {
        let level = answers.get(activity.held.number).level;
        if below(level, 1) {
            stage1.add(
                activity.held.number,
                PLANNED,
                format!(
                    "{} not planned: {}; needs level 1",
                    activity.name,
                    level_text(level)
                ),
            );
        }
    }

    let mut stage2 = stage1.clone();
    for activity in &activities {
        let held = answers.get(activity.held.number).level;
        if let Some(record) = activity.record
            && let Some(recorded) = answers.get(record.number).level
            && recorded.value() >= 2
            && held.is_some_and(|l| l.value() < 2)
        {
            stage2.add(
                record.number,
                CONTRADICTION,
                format!(
                    "contradiction: records at level {} but the {} ({}) is {}, never held",
                    recorded.value(),
                    activity.name,
                    activity.held.reference,
                    level_text(held)
                ),
            );
        }
    }
    for item in questionnaire.items.iter() {
        let answer = answers.get(item.number);
        let level = answer.level;
        if item.is_control() {
            if answer.applicable == Some(true) && below(level, 2) {
                stage2.add(
                    item.number,
                    CONTROLS,
                    format!("included control {}; needs level 2", level_text(level)),
                );
            }
        } else if is_audit_or_review(item) {
            // Where the records exist, they decide (the rules `audit-records`, `review-records`).
            let recorded = if in_section(item, "9.2") {
                audits_recorded
            } else {
                reviews_recorded
            };
            if !recorded && level.is_some_and(|l| l.value() < 3) {
                stage2.add(
                    item.number,
                    PERFORMED,
                    format!(
                        "internal audit / management review {}; needs level 3",
                        level_text(level)
                    ),
                );
            }
        } else if level.is_some_and(|l| l.value() < 2)
            && !defines_the_isms(item)
            && item.mandatory_document.is_none()
        {
            // Items of 4, 5, 6.1 and mandatory documents already block at stage 1 below level 2.
            stage2.add(
                item.number,
                CLAUSES,
                format!("clause item {}; needs level 2", level_text(level)),
            );
        }
    }
    for action in actions.iter().filter(|a| a.is_open() && a.priority == 1) {
        for number in &action.items {
            let excluded = answers.get(*number).is_excluded();
            if questionnaire
                .item(*number)
                .is_some_and(|i| !(i.is_control() && excluded))
            {
                stage2.add(
                    *number,
                    PRIORITY_1,
                    format!(
                        "open priority-1 action #{} \"{}\"",
                        action.number, action.title
                    ),
                );
            }
        }
    }
    records(questionnaire, registers, today, &mut stage2);
    Verdict {
        stage1: stage1.finish(),
        stage2: stage2.finish(),
    }
}

/// The stage 2 rules on the audit records: nonconformities, internal audits, reviews.
fn records(
    questionnaire: &Questionnaire,
    registers: &Registers,
    today: NaiveDate,
    stage2: &mut Collector<'_>,
) {
    // The item a blocker without its own item sits on: the first of a sub-clause.
    let first_of = |section: &str| {
        questionnaire
            .clause_items()
            .find(|item| in_section(item, section))
            .map(|item| item.number)
    };
    let nc_section = if audit::is_2013(questionnaire) {
        "10.1"
    } else {
        "10.2"
    };
    for nc in registers
        .nonconformities
        .iter()
        .filter(|nc| nc.status.is_open())
    {
        let reason = match nc.classification {
            Classification::Major => format!("{} open", nc.described(&registers.findings)),
            Classification::Minor if nc.actions.is_empty() => format!(
                "{} open without a corrective action",
                nc.described(&registers.findings)
            ),
            Classification::Minor => continue,
        };
        let mut numbers: Vec<u32> = nc
            .requirement
            .iter()
            .filter_map(|r| questionnaire.item_by_ref(r).map(|item| item.number))
            .collect();
        if numbers.is_empty() {
            numbers.extend(first_of(nc_section));
        }
        for number in numbers {
            stage2.add(number, NONCONFORMITIES, reason.clone());
        }
    }
    if !registers.audits.is_empty()
        && let Some(held) = first_of("9.2")
    {
        let missing =
            audit::clauses_not_internally_audited(questionnaire, &registers.audits, today);
        if !missing.is_empty() {
            stage2.add(
                held,
                AUDIT_RECORDS,
                format!(
                    "internal audit records: clause{} {} not covered by a done internal audit since {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    audit::year_before(today)
                ),
            );
        }
    }
    if !registers.reviews.is_empty()
        && let Some(held) = first_of("9.3")
    {
        let edition_2013 = audit::is_2013(questionnaire);
        let since = audit::year_before(today);
        let recent: Vec<&ManagementReview> = registers
            .reviews
            .iter()
            .filter(|r| r.date.is_some_and(|d| d >= since && d <= today))
            .collect();
        let complete = recent
            .iter()
            .any(|r| r.missing_inputs(edition_2013).is_empty());
        if !complete {
            let reason = match recent.last() {
                None => format!("management review records: none held since {since}"),
                Some(last) => format!(
                    "management review records: {} ({}) does not cover input{} {} of 9.3.2",
                    last.id,
                    last.date.map_or_else(String::new, |d| d.to_string()),
                    if last.missing_inputs(edition_2013).len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    last.missing_inputs(edition_2013)
                        .iter()
                        .map(|l| format!("{l})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            stage2.add(held, REVIEW_RECORDS, reason);
        }
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
