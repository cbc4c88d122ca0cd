//! Merging two copies of one assessment (issue 18), as pure functions over their histories.
//!
//! Each copy's history is a list of recorded changes, each with a unique change id (the same in
//! every copy it reached). The copies diverged where their change ids differ:
//! - an *incoming* change is one of theirs whose id this copy neither holds nor has merged;
//! - per field, the incoming changes take it from `from` (the first one's old value) to `to`
//!   (the last one's new value). It is applied when this copy's value is still `from`, or when
//!   the other copy had seen every change this copy made to the field (its value is the newer);
//! - otherwise the field was changed differently on both sides: a **conflict**, nothing is
//!   overwritten;
//! - every incoming id is recorded as merged, so merging the same copy again changes nothing.

use super::HistoryEntry;
use super::registers::RegisterKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a field belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "number")]
pub enum Target {
    /// An item of the questionnaire (its answer).
    Item(u32),
    /// A step of the certification plan.
    Step(u32),
    /// An action, by its number in this copy (matched across copies by its unique id).
    Action(u32),
    /// A context issue (`C-n`), a whole entry.
    Context(u32),
    /// An interested party (`P-n`), a whole entry.
    Party(u32),
    /// A risk (`R-n`), a whole entry.
    Risk(u32),
    /// An information security objective (`O-n`), a whole entry.
    Objective(u32),
    /// An audit (`AUD-n`), a whole entry (issue 30).
    Audit(u32),
    /// An audit finding (`F-n`), a whole entry.
    Finding(u32),
    /// A nonconformity (`NC-n`), a whole entry.
    Nonconformity(u32),
    /// A management review (`MR-n`), a whole entry.
    Review(u32),
}

impl Target {
    pub fn code(&self) -> &'static str {
        match self {
            Target::Item(_) => "item",
            Target::Step(_) => "step",
            Target::Action(_) => "action",
            Target::Context(_) => "context",
            Target::Party(_) => "party",
            Target::Risk(_) => "risk",
            Target::Objective(_) => "objective",
            Target::Audit(_) => "audit",
            Target::Finding(_) => "finding",
            Target::Nonconformity(_) => "nc",
            Target::Review(_) => "review",
        }
    }

    /// The register a whole register entry belongs to (none for items, steps, actions).
    pub fn register(&self) -> Option<RegisterKind> {
        Some(match self {
            Target::Context(_) => RegisterKind::Context,
            Target::Party(_) => RegisterKind::Parties,
            Target::Risk(_) => RegisterKind::Risks,
            Target::Objective(_) => RegisterKind::Objectives,
            Target::Audit(_) => RegisterKind::Audits,
            Target::Finding(_) => RegisterKind::Findings,
            Target::Nonconformity(_) => RegisterKind::Nonconformities,
            Target::Review(_) => RegisterKind::Reviews,
            Target::Item(_) | Target::Step(_) | Target::Action(_) => return None,
        })
    }

    /// The whole entry `number` of register `kind`.
    pub fn of_register(kind: RegisterKind, number: u32) -> Target {
        match kind {
            RegisterKind::Context => Target::Context(number),
            RegisterKind::Parties => Target::Party(number),
            RegisterKind::Risks => Target::Risk(number),
            RegisterKind::Objectives => Target::Objective(number),
            RegisterKind::Audits => Target::Audit(number),
            RegisterKind::Findings => Target::Finding(number),
            RegisterKind::Nonconformities => Target::Nonconformity(number),
            RegisterKind::Reviews => Target::Review(number),
        }
    }

    /// An action or a register entry: merged by its unique id, as a whole (see `plan_entries`).
    pub fn is_entry(&self) -> bool {
        !matches!(self, Target::Item(_) | Target::Step(_))
    }

    /// The same kind of target with another number.
    pub fn renumbered(&self, number: u32) -> Target {
        Target::from_code(self.code(), number).unwrap_or(Target::Item(number))
    }

    /// How a person names it: `item 12`, `step 3`, `action #4`, `R-5`.
    pub fn label(&self) -> String {
        match self {
            Target::Item(n) => format!("item {n}"),
            Target::Step(n) => format!("step {n}"),
            Target::Action(n) => format!("action #{n}"),
            Target::Context(n)
            | Target::Party(n)
            | Target::Risk(n)
            | Target::Objective(n)
            | Target::Audit(n)
            | Target::Finding(n)
            | Target::Nonconformity(n)
            | Target::Review(n) => self.register().map_or_else(String::new, |k| k.id(*n)),
        }
    }

    pub fn number(&self) -> u32 {
        match self {
            Target::Item(n)
            | Target::Step(n)
            | Target::Action(n)
            | Target::Context(n)
            | Target::Party(n)
            | Target::Risk(n)
            | Target::Objective(n)
            | Target::Audit(n)
            | Target::Finding(n)
            | Target::Nonconformity(n)
            | Target::Review(n) => *n,
        }
    }

    pub fn from_code(code: &str, number: u32) -> Option<Target> {
        match code {
            "item" => Some(Target::Item(number)),
            "step" => Some(Target::Step(number)),
            "action" => Some(Target::Action(number)),
            "context" => Some(Target::Context(number)),
            "party" => Some(Target::Party(number)),
            "risk" => Some(Target::Risk(number)),
            "objective" => Some(Target::Objective(number)),
            "audit" => Some(Target::Audit(number)),
            "finding" => Some(Target::Finding(number)),
            "nc" => Some(Target::Nonconformity(number)),
            "review" => Some(Target::Review(number)),
            _ => None,
        }
    }
}

/// One field of one target, named as the history names it (`note`, `plan.status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FieldKey {
    pub target: Target,
    pub field: String,
}

impl FieldKey {
    pub fn new(target: Target, field: &str) -> FieldKey {
        FieldKey {
            target,
            field: field.to_string(),
        }
    }

    /// A free-text field, whose two versions can both be kept.
    pub fn is_text(&self) -> bool {
        matches!(
            self.field.as_str(),
            "note"
                | "evidence"
                | "owner"
                | "risks"
                | "plan.note"
                | "plan.owner"
                | "action.note"
                | "action.owner"
                | "action.description"
        )
    }

    /// A one-line text (an owner, the linked risks): "keep both" joins the two with ` / `, so
    /// every report still prints it on one line (issue 22); a multi-line text keeps a blank line
    /// between them.
    pub fn is_one_line(&self) -> bool {
        matches!(
            self.field.as_str(),
            "owner" | "risks" | "plan.owner" | "action.owner" | "action.title"
        )
    }

    /// The key of a whole action or register entry (its value the entry as JSON, `None` when
    /// the copy does not hold it).
    pub fn whole(target: Target) -> FieldKey {
        FieldKey::new(target, WHOLE)
    }

    /// Whether this key is a whole action or register entry.
    pub fn is_whole(&self) -> bool {
        self.field == WHOLE
    }

    /// `item 12 note`, `step 3 plan.status`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.target.code(),
            self.target.number(),
            self.field
        )
    }
}

/// The field name of a whole action or register entry.
pub const WHOLE: &str = "entry";

/// One recorded change of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub id: String,
    pub key: FieldKey,
    pub old: Option<String>,
    pub new: Option<String>,
    pub changed_at: String,
    pub session: Option<u32>,
}

impl Recorded {
    /// The change a history row records, when it is one merge carries (answers and plan steps).
    pub fn from_history(row: &HistoryEntry) -> Option<Recorded> {
        if row.change_id.is_empty() {
            return None;
        }
        let target = match (row.item, row.step) {
            (Some(item), _) => Target::Item(item),
            (None, Some(step)) if row.field.starts_with("plan.") => Target::Step(step),
            _ => return None,
        };
        Some(Recorded {
            id: row.change_id.clone(),
            key: FieldKey::new(target, &row.field),
            old: row.old_value.clone(),
            new: row.new_value.clone(),
            changed_at: row.changed_at.clone(),
            session: row.session,
        })
    }
}

impl Recorded {
    /// The change a history row of a document records (see `from_history`).
    pub fn from_record(row: &super::document::HistoryRecord) -> Option<Recorded> {
        Recorded::from_history(&HistoryEntry {
            id: 0,
            session: row.session,
            undoes: None,
            changed_at: row.changed_at.clone(),
            item: row.item,
            step: row.step,
            field: row.field.clone(),
            old_value: row.old_value.clone(),
            new_value: row.new_value.clone(),
            action: row.action,
            change_id: row.change_id.clone().unwrap_or_default(),
            uid: row.uid.clone(),
        })
    }
}

/// One copy as merge sees it: its recorded changes, oldest first, and the ids it merged in.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub changes: &'a [Recorded],
    pub merged: &'a HashSet<String>,
}

/// Who changed a field last on one side, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stamp {
    pub changed_at: String,
    pub session: Option<u32>,
}

/// A field to set to the other copy's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    pub key: FieldKey,
    pub from: Option<String>,
    pub to: Option<String>,
    /// When and in which session (the other copy's number) the change it brings was made: the
    /// change keeps them here (issue 22).
    #[serde(skip)]
    pub stamp: Option<Stamp>,
}

/// A field changed differently on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub key: FieldKey,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub mine_stamp: Option<Stamp>,
    pub theirs_stamp: Stamp,
}

/// What a merge does: the fields it sets, the conflicts it lists, and the incoming change ids it
/// records as merged (all of them, applied or not).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergePlan {
    pub apply: Vec<Planned>,
    pub conflicts: Vec<Conflict>,
    pub incoming: Vec<String>,
}

impl MergePlan {
    pub fn is_noop(&self) -> bool {
        self.apply.is_empty() && self.conflicts.is_empty() && self.incoming.is_empty()
    }
}

/// Plans the merge of `theirs` into `mine`, whose current value of a field is `current(key)`.
pub fn plan(
    mine: Side<'_>,
    theirs: Side<'_>,
    current: impl Fn(&FieldKey) -> Option<String>,
) -> MergePlan {
    let known_here: HashSet<&str> = mine
        .changes
        .iter()
        .map(|c| c.id.as_str())
        .chain(mine.merged.iter().map(String::as_str))
        .collect();
    let known_there: HashSet<&str> = theirs
        .changes
        .iter()
        .map(|c| c.id.as_str())
        .chain(theirs.merged.iter().map(String::as_str))
        .collect();
    let mut incoming_ids = Vec::new();
    let mut seen_incoming = HashSet::new();
    // Per field: the first and the last incoming change.
    let mut incoming: BTreeMap<&FieldKey, (&Recorded, &Recorded)> = BTreeMap::new();
    for change in theirs.changes {
        if known_here.contains(change.id.as_str()) || !seen_incoming.insert(change.id.as_str()) {
            continue;
        }
        incoming_ids.push(change.id.clone());
        incoming
            .entry(&change.key)
            .and_modify(|(_, last)| *last = change)
            .or_insert((change, change));
    }
    // Per field: my last change the other copy has not seen.
    let mut unseen_mine: HashMap<&FieldKey, &Recorded> = HashMap::new();
    for change in mine.changes {
        if !known_there.contains(change.id.as_str()) && incoming.contains_key(&change.key) {
            unseen_mine.insert(&change.key, change);
        }
    }
    let mut result = MergePlan {
        incoming: incoming_ids,
        ..MergePlan::default()
    };
    for (key, (first, last)) in incoming {
        let now = current(key);
        if now == last.new {
            continue;
        }
        match unseen_mine.get(key) {
            Some(mine_last) if now != first.old => result.conflicts.push(Conflict {
                key: key.clone(),
                mine: now,
                theirs: last.new.clone(),
                mine_stamp: Some(Stamp {
                    changed_at: mine_last.changed_at.clone(),
                    session: mine_last.session,
                }),
                theirs_stamp: Stamp {
                    changed_at: last.changed_at.clone(),
                    session: last.session,
                },
            }),
            _ => result.apply.push(Planned {
                key: key.clone(),
                from: now,
                to: last.new.clone(),
                stamp: Some(Stamp {
                    changed_at: last.changed_at.clone(),
                    session: last.session,
                }),
            }),
        }
    }
    result
}

/// The whole value of an action or register entry in both copies (JSON normalised to this copy's
/// number, `None` where the copy does not hold it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wholes {
    pub mine: Option<String>,
    pub theirs: Option<String>,
}

/// Plans the merge of actions and register entries, whose changes name their target by this
/// copy's number (the service matches the other copy's entries by unique id). Per target that
/// the other copy changed since the copies diverged:
/// - both copies hold the same value: nothing to do;
/// - this copy did not change it since: it takes the other copy's whole value (added, replaced
///   or removed);
/// - both changed it: removal on one side is a conflict on the whole entry; a register entry's
///   fields are merged against the version the other copy changed from (a field changed on one
///   side is taken; fields changed differently on both are one conflict on the whole entry, each
///   side holding every other change); an action is merged field by field like an answer
///   (`action.owner` changed differently on both sides is a conflict, a field changed on one side
///   only is applied).
pub fn plan_entries(
    mine: Side<'_>,
    theirs: Side<'_>,
    current: impl Fn(&FieldKey) -> Option<String>,
    whole: impl Fn(&Target) -> Wholes,
) -> MergePlan {
    let known_here: HashSet<&str> = mine
        .changes
        .iter()
        .map(|c| c.id.as_str())
        .chain(mine.merged.iter().map(String::as_str))
        .collect();
    let known_there: HashSet<&str> = theirs
        .changes
        .iter()
        .map(|c| c.id.as_str())
        .chain(theirs.merged.iter().map(String::as_str))
        .collect();
    let mut result = MergePlan::default();
    let mut seen = HashSet::new();
    let mut incoming: BTreeMap<&Target, Vec<&Recorded>> = BTreeMap::new();
    for change in theirs.changes {
        if known_here.contains(change.id.as_str()) || !seen.insert(change.id.as_str()) {
            continue;
        }
        result.incoming.push(change.id.clone());
        incoming.entry(&change.key.target).or_default().push(change);
    }
    let mut unseen_mine: HashMap<&Target, Vec<&Recorded>> = HashMap::new();
    for change in mine.changes {
        if !known_there.contains(change.id.as_str()) && incoming.contains_key(&change.key.target) {
            unseen_mine
                .entry(&change.key.target)
                .or_default()
                .push(change);
        }
    }
    let stamp = |r: &Recorded| Stamp {
        changed_at: r.changed_at.clone(),
        session: r.session,
    };
    for (target, theirs_changes) in incoming {
        let Wholes {
            mine: mine_whole,
            theirs: theirs_whole,
        } = whole(target);
        if mine_whole == theirs_whole {
            continue;
        }
        let key = FieldKey::whole(target.clone());
        let Some(mine_changes) = unseen_mine.get(target) else {
            result.apply.push(Planned {
                key,
                from: mine_whole,
                to: theirs_whole,
                stamp: theirs_changes.last().map(|r| stamp(r)),
            });
            continue;
        };
        let last_theirs = theirs_changes.last().expect("a target has a change");
        let last_mine = mine_changes.last().expect("a target has a change");
        // A register entry both copies hold and both changed: field by field against the version
        // the other copy changed from (issue 22). Fields changed on one side only are taken from
        // it; only fields changed differently on both sides remain in the conflict, whose two
        // versions then each hold every other change.
        if let (false, Some(m), Some(t)) = (
            matches!(target, Target::Action(_)),
            mine_whole.as_deref(),
            theirs_whole.as_deref(),
        ) {
            let base = theirs_changes.first().and_then(|c| c.old.as_deref());
            match merge_entry_fields(base, m, t) {
                Some(EntryMerge::Clean(merged)) => {
                    if Some(&merged) != mine_whole.as_ref() {
                        result.apply.push(Planned {
                            key,
                            from: mine_whole,
                            to: Some(merged),
                            stamp: Some(stamp(last_theirs)),
                        });
                    }
                    continue;
                }
                Some(EntryMerge::Conflict { mine, theirs }) => {
                    result.conflicts.push(Conflict {
                        key,
                        mine: Some(mine),
                        theirs: Some(theirs),
                        mine_stamp: Some(stamp(last_mine)),
                        theirs_stamp: stamp(last_theirs),
                    });
                    continue;
                }
                None => {}
            }
        }
        if mine_whole.is_none() || theirs_whole.is_none() || !matches!(target, Target::Action(_)) {
            result.conflicts.push(Conflict {
                key,
                mine: mine_whole,
                theirs: theirs_whole,
                mine_stamp: Some(stamp(last_mine)),
                theirs_stamp: stamp(last_theirs),
            });
            continue;
        }
        // An action both copies hold and both changed: field by field.
        let mut fields: BTreeMap<&FieldKey, (&Recorded, &Recorded)> = BTreeMap::new();
        for change in theirs_changes.iter().filter(|c| !c.key.is_whole()) {
            fields
                .entry(&change.key)
                .and_modify(|(_, last)| *last = change)
                .or_insert((change, change));
        }
        for (field, (first, last)) in fields {
            let now = current(field);
            if now == last.new {
                continue;
            }
            match mine_changes.iter().rev().find(|c| &c.key == field) {
                Some(mine_last) if now != first.old => result.conflicts.push(Conflict {
                    key: field.clone(),
                    mine: now,
                    theirs: last.new.clone(),
                    mine_stamp: Some(stamp(mine_last)),
                    theirs_stamp: stamp(last),
                }),
                _ => result.apply.push(Planned {
                    key: field.clone(),
                    from: now,
                    to: last.new.clone(),
                    stamp: Some(stamp(last)),
                }),
            }
        }
    }
    result
}

/// The three-way merge of a register entry's fields (JSON objects), against `base`, the version
/// the other copy changed from.
enum EntryMerge {
    /// No field changed differently on both sides: the merged entry.
    Clean(String),
    /// Some did: the entry with every other change, those fields taken from mine, and from theirs.
    Conflict { mine: String, theirs: String },
}

fn merge_entry_fields(base: Option<&str>, mine: &str, theirs: &str) -> Option<EntryMerge> {
    use serde_json::{Map, Value};
    let object = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    let (base, mine, theirs) = (object(base?)?, object(mine)?, object(theirs)?);
    let mut with_mine: Map<String, Value> = mine.clone();
    let mut with_theirs: Map<String, Value> = mine.clone();
    let mut conflicting = false;
    for (name, their_value) in &theirs {
        if matches!(name.as_str(), "uid" | "id" | "number" | "updated_at") {
            continue;
        }
        let my_value = mine.get(name);
        if my_value == Some(their_value) || base.get(name) == Some(their_value) {
            continue;
        }
        if my_value == base.get(name) {
            with_mine.insert(name.clone(), their_value.clone());
            with_theirs.insert(name.clone(), their_value.clone());
        } else {
            conflicting = true;
            with_theirs.insert(name.clone(), their_value.clone());
        }
    }
    let text = |map: Map<String, Value>| serde_json::to_string(&Value::Object(map)).ok();
    Some(if conflicting {
        EntryMerge::Conflict {
            mine: text(with_mine)?,
            theirs: text(with_theirs)?,
        }
    } else {
        EntryMerge::Clean(text(with_mine)?)
    })
}

/// A value as a person reads it: a whole action or register entry (JSON) by its title, name or
/// objective and id; any other value as it is.
pub fn shown(key: &FieldKey, value: &str) -> String {
    if !key.is_whole() {
        return value.to_string();
    }
    let Ok(serde_json::Value::Object(entry)) = serde_json::from_str::<serde_json::Value>(value)
    else {
        return value.to_string();
    };
    let text = |name: &str| entry.get(name).and_then(|v| v.as_str()).unwrap_or_default();
    let title = [
        "title",
        "name",
        "objective",
        "statement",
        "description",
        "attendees",
    ]
    .iter()
    .map(|n| text(n))
    .find(|t| !t.is_empty())
    .unwrap_or_default();
    format!("{} \"{title}\" ({})", key.target.label(), {
        let owner = text("owner");
        if owner.is_empty() {
            "no owner".to_string()
        } else {
            format!("owner {owner}")
        }
    })
}

/// The fields in which the two versions of a whole action or register entry differ (issue 22),
/// by field name: (field, mine, theirs), each value as a person reads it. Empty for
/// any other key, or when one side removed the entry.
pub fn differences(
    key: &FieldKey,
    mine: Option<&str>,
    theirs: Option<&str>,
) -> Vec<(String, String, String)> {
    use serde_json::Value;
    let object = |v: Option<&str>| match v.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(map))) => Some(map),
        _ => None,
    };
    let (Some(mine), Some(theirs)) = (object(mine), object(theirs)) else {
        return Vec::new();
    };
    if !key.is_whole() {
        return Vec::new();
    }
    let read = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "(empty)".to_string(),
        Some(Value::String(s)) if s.is_empty() => "(empty)".to_string(),
        Some(Value::Array(items)) if items.is_empty() => "(empty)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    };
    let mut names: Vec<&String> = mine.keys().collect();
    names.extend(theirs.keys().filter(|k| !mine.contains_key(*k)));
    names
        .into_iter()
        .filter(|name| !matches!(name.as_str(), "uid" | "id" | "number" | "updated_at"))
        .filter(|name| mine.get(*name) != theirs.get(*name))
        .map(|name| (name.clone(), read(mine.get(name)), read(theirs.get(name))))
        .collect()
}

/// How a conflict is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Mine,
    Theirs,
    /// Both texts, mine first (free-text fields only).
    Both,
}

impl Resolution {
    pub fn code(self) -> &'static str {
        match self {
            Resolution::Mine => "mine",
            Resolution::Theirs => "theirs",
            Resolution::Both => "both",
        }
    }

    pub fn parse(code: &str) -> Option<Resolution> {
        match code {
            "mine" => Some(Resolution::Mine),
            "theirs" => Some(Resolution::Theirs),
            "both" => Some(Resolution::Both),
            _ => None,
        }
    }

    /// The value a field takes, or why this resolution does not fit the field.
    pub fn value(
        self,
        key: &FieldKey,
        mine: Option<&str>,
        theirs: Option<&str>,
    ) -> Result<Option<String>, String> {
        Ok(match self {
            Resolution::Mine => mine.map(str::to_string),
            Resolution::Theirs => theirs.map(str::to_string),
            Resolution::Both if !key.is_text() => {
                return Err(format!(
                    "{} is not a text: keep mine or take theirs",
                    key.field
                ));
            }
            Resolution::Both => match (mine, theirs) {
                (Some(m), Some(t)) if m != t && key.is_one_line() => Some(format!("{m} / {t}")),
                (Some(m), Some(t)) if m != t => Some(format!("{m}\n\n{t}")),
                (Some(m), _) => Some(m.to_string()),
                (None, t) => t.map(str::to_string),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A copy in memory: its values, history and merged ids. Writes go through `set`, which
    /// records a change with a new id of this copy.
    #[derive(Debug, Clone)]
    struct Copy {
        origin: &'static str,
        counter: usize,
        values: BTreeMap<FieldKey, Option<String>>,
        history: Vec<Recorded>,
        merged: HashSet<String>,
        conflicts: Vec<Conflict>,
    }

    fn key(n: u32) -> FieldKey {
        FieldKey::new(
            Target::Item(n % 4 + 1),
            if n < 4 { "note" } else { "level" },
        )
    }

    impl Copy {
        fn new(origin: &'static str) -> Copy {
            Copy {
                origin,
                counter: 0,
                values: BTreeMap::new(),
                history: Vec::new(),
                merged: HashSet::new(),
                conflicts: Vec::new(),
            }
        }

        fn get(&self, key: &FieldKey) -> Option<String> {
            self.values.get(key).cloned().flatten()
        }

        fn set(&mut self, key: FieldKey, value: Option<String>) {
            let old = self.get(&key);
            if old == value {
                return;
            }
            self.counter += 1;
            self.history.push(Recorded {
                id: format!("{}:{}", self.origin, self.counter),
                key: key.clone(),
                old,
                new: value.clone(),
                changed_at: format!("t{}", self.counter),
                session: None,
            });
            self.values.insert(key, value);
        }

        fn side(&self) -> Side<'_> {
            Side {
                changes: &self.history,
                merged: &self.merged,
            }
        }

        /// Merges `other` in and settles each conflict with `resolution`.
        fn merge(&mut self, other: &Copy, resolution: Option<Resolution>) -> MergePlan {
            let planned = plan(self.side(), other.side(), |k| self.get(k));
            for p in &planned.apply {
                self.set(p.key.clone(), p.to.clone());
            }
            self.merged.extend(planned.incoming.iter().cloned());
            for c in &planned.conflicts {
                match resolution {
                    Some(r) => {
                        let value = r
                            .value(&c.key, c.mine.as_deref(), c.theirs.as_deref())
                            .unwrap_or_else(|_| c.theirs.clone());
                        self.set(c.key.clone(), value);
                    }
                    None => self.conflicts.push(c.clone()),
                }
            }
            planned
        }
    }

    fn diverged(base: &[(u32, u8)], a: &[(u32, u8)], b: &[(u32, u8)]) -> (Copy, Copy) {
        let mut origin = Copy::new("o");
        for &(k, v) in base {
            origin.set(key(k), Some(v.to_string()));
        }
        let mut first = origin.clone();
        first.origin = "a";
        let mut second = origin;
        second.origin = "b";
        for &(k, v) in a {
            first.set(key(k), Some(v.to_string()));
        }
        for &(k, v) in b {
            second.set(key(k), Some(format!("{v}")));
        }
        (first, second)
    }

    #[test]
    fn disjoint_changes_both_land_and_same_field_changes_conflict() {
        let (mut a, b) = diverged(&[(0, 1)], &[(1, 2), (0, 3)], &[(2, 4), (0, 5)]);
        let planned = a.merge(&b, None);
        assert_eq!(a.get(&key(1)), Some("2".into()));
        assert_eq!(a.get(&key(2)), Some("4".into()), "their change lands");
        assert_eq!(planned.conflicts.len(), 1);
        let conflict = &planned.conflicts[0];
        assert_eq!(conflict.key, key(0));
        assert_eq!(
            (conflict.mine.as_deref(), conflict.theirs.as_deref()),
            (Some("3"), Some("5"))
        );
        assert_eq!(a.get(&key(0)), Some("3".into()), "nothing is overwritten");
    }

    #[test]
    fn a_second_merge_of_the_same_copy_is_a_noop() {
        let (mut a, b) = diverged(&[], &[(1, 2), (0, 3)], &[(2, 4), (0, 5)]);
        a.merge(&b, None);
        assert!(a.merge(&b, None).is_noop());
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let (mut a, b) = diverged(&[(0, 1)], &[(0, 7)], &[(0, 7)]);
        let planned = a.merge(&b, None);
        assert!(planned.conflicts.is_empty() && planned.apply.is_empty());
    }

    #[test]
    fn a_register_conflict_lists_every_field_that_differs() {
        let key = FieldKey::whole(Target::Risk(1));
        let mine = r#"{"id":"R-1","uid":"u","title":"Theft","owner":"Marc","likelihood":4,"impact":3,"controls":["A.8.1"]}"#;
        let theirs = r#"{"id":"R-1","uid":"u","title":"Theft","owner":"Nadia","likelihood":2,"impact":3,"controls":[]}"#;
        let fields: Vec<String> = differences(&key, Some(mine), Some(theirs))
            .into_iter()
            .map(|(f, m, t)| format!("{f}: {m} | {t}"))
            .collect();
        assert_eq!(
            fields,
            [
                "controls: A.8.1 | (empty)",
                "likelihood: 4 | 2",
                "owner: Marc | Nadia"
            ]
        );
        assert!(differences(&key, Some(mine), None).is_empty());
    }

    #[test]
    fn both_keeps_both_texts_and_refuses_a_level() {
        let note = FieldKey::new(Target::Item(1), "note");
        assert_eq!(
            Resolution::Both.value(&note, Some("ours"), Some("theirs")),
            Ok(Some("ours\n\ntheirs".into()))
        );
        let owner = FieldKey::new(Target::Action(2), "action.owner");
        assert_eq!(
            Resolution::Both.value(&owner, Some("Marc Lefevre (CEO)"), Some("Nadia Benali")),
            Ok(Some("Marc Lefevre (CEO) / Nadia Benali".into())),
            "a one-line field stays on one line"
        );
        for field in ["owner", "risks"] {
            let key = FieldKey::new(Target::Item(1), field);
            let both = Resolution::Both.value(&key, Some("a"), Some("b")).unwrap();
            assert_eq!(both.as_deref(), Some("a / b"), "{field}");
        }
        let step_owner = FieldKey::new(Target::Step(2), "plan.owner");
        assert_eq!(
            Resolution::Both.value(&step_owner, Some("a"), Some("b")),
            Ok(Some("a / b".into()))
        );
        let level = FieldKey::new(Target::Item(1), "level");
        assert!(
            Resolution::Both
                .value(&level, Some("1"), Some("2"))
                .is_err()
        );
    }

    fn changes() -> impl Strategy<Value = Vec<(u32, u8)>> {
        proptest::collection::vec((0u32..8, 0u8..5), 0..12)
    }

    proptest! {
        /// A into B... then B into A: once A settled its conflicts (either way), both copies hold
        /// the same values, and merging again changes nothing on either side.
        #[test]
        fn merging_both_ways_converges(
            base in changes(), ours in changes(), theirs in changes(), take_theirs in any::<bool>()
        ) {
            let (mut a, mut b) = diverged(&base, &ours, &theirs);
            let resolution = if take_theirs { Resolution::Theirs } else { Resolution::Mine };
            a.merge(&b, Some(resolution));
            let back = b.merge(&a, None);
            prop_assert!(back.conflicts.is_empty(), "B has nothing left to decide: {:?}", back.conflicts);
            for k in 0..8 {
                prop_assert_eq!(a.get(&key(k)), b.get(&key(k)));
            }
            prop_assert!(a.merge(&b, None).apply.is_empty());
            prop_assert!(b.merge(&a, None).apply.is_empty());
        }

        /// Merging the same copy twice: the second merge plans nothing.
        #[test]
        fn merging_twice_is_a_noop(base in changes(), ours in changes(), theirs in changes()) {
            let (mut a, b) = diverged(&base, &ours, &theirs);
            a.merge(&b, None);
            prop_assert!(a.merge(&b, None).is_noop());
        }

        /// Disjoint changes (different fields) never conflict, and every one lands.
        #[test]
        fn disjoint_changes_never_conflict(ours in changes(), theirs in changes()) {
            let ours: Vec<_> = ours.into_iter().map(|(k, v)| (k % 4, v)).collect();
            let theirs: Vec<_> = theirs.into_iter().map(|(k, v)| (k % 4 + 4, v)).collect();
            let (mut a, b) = diverged(&[], &ours, &theirs);
            let planned = a.merge(&b, None);
            prop_assert!(planned.conflicts.is_empty());
            for k in 4..8 {
                prop_assert_eq!(a.get(&key(k)), b.get(&key(k)));
            }
        }
    }

    fn rec(
        id: &str,
        target: Target,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Recorded {
        Recorded {
            id: id.into(),
            key: FieldKey::new(target, field),
            old: old.map(Into::into),
            new: new.map(Into::into),
            changed_at: id.into(),
            session: None,
        }
    }

    fn entries_plan(
        mine: &[Recorded],
        theirs: &[Recorded],
        wholes: &[(Target, Option<&str>, Option<&str>)],
        current: &[(FieldKey, &str)],
    ) -> MergePlan {
        let none = HashSet::new();
        plan_entries(
            Side {
                changes: mine,
                merged: &none,
            },
            Side {
                changes: theirs,
                merged: &none,
            },
            |k| {
                current
                    .iter()
                    .find(|(c, _)| c == k)
                    .map(|(_, v)| v.to_string())
            },
            |t| {
                let (_, m, th) = wholes.iter().find(|(w, _, _)| w == t).cloned().unwrap_or((
                    t.clone(),
                    None,
                    None,
                ));
                Wholes {
                    mine: m.map(Into::into),
                    theirs: th.map(Into::into),
                }
            },
        )
    }

    #[test]
    fn an_entry_added_or_changed_only_there_is_taken_whole() {
        let theirs = [rec("b:1", Target::Risk(3), WHOLE, None, Some("r3"))];
        let planned = entries_plan(&[], &theirs, &[(Target::Risk(3), None, Some("r3"))], &[]);
        assert_eq!(
            planned.apply,
            [Planned {
                key: FieldKey::whole(Target::Risk(3)),
                from: None,
                to: Some("r3".into()),
                stamp: Some(Stamp {
                    changed_at: "b:1".into(),
                    session: None
                })
            }]
        );
        assert!(planned.conflicts.is_empty());
        assert_eq!(planned.incoming, ["b:1"]);
    }

    #[test]
    fn removal_on_one_side_and_change_on_the_other_is_a_conflict_on_the_whole_entry() {
        let mine = [rec(
            "a:1",
            Target::Action(1),
            "action.owner",
            None,
            Some("Alice"),
        )];
        let theirs = [rec("b:1", Target::Action(1), WHOLE, Some("x"), None)];
        let planned = entries_plan(
            &mine,
            &theirs,
            &[(Target::Action(1), Some("a1"), None)],
            &[],
        );
        assert!(planned.apply.is_empty());
        assert_eq!(planned.conflicts.len(), 1);
        assert!(planned.conflicts[0].key.is_whole());
        assert_eq!(planned.conflicts[0].theirs, None);
    }

    #[test]
    fn an_action_merges_field_by_field_and_a_register_entry_as_one_unit() {
        let o = FieldKey::new(Target::Action(1), "action.owner");
        let d = FieldKey::new(Target::Action(1), "action.due");
        let mine = [rec(
            "a:1",
            Target::Action(1),
            "action.owner",
            None,
            Some("Alice"),
        )];
        let theirs = [
            rec("b:1", Target::Action(1), "action.owner", None, Some("Bob")),
            rec(
                "b:2",
                Target::Action(1),
                "action.due",
                None,
                Some("2027-01-01"),
            ),
        ];
        let planned = entries_plan(
            &mine,
            &theirs,
            &[(Target::Action(1), Some("mine"), Some("theirs"))],
            &[(o.clone(), "Alice")],
        );
        assert_eq!(planned.conflicts.len(), 1, "the owner differs");
        assert_eq!(planned.conflicts[0].key, o);
        assert_eq!(planned.apply.len(), 1, "the due date lands");
        assert_eq!(planned.apply[0].key, d);
        // The same two edits on a risk: one conflict on the whole entry.
        let mine = [rec(
            "a:1",
            Target::Risk(1),
            WHOLE,
            Some("r"),
            Some("r mine"),
        )];
        let theirs = [rec(
            "b:1",
            Target::Risk(1),
            WHOLE,
            Some("r"),
            Some("r theirs"),
        )];
        let planned = entries_plan(
            &mine,
            &theirs,
            &[(Target::Risk(1), Some("r mine"), Some("r theirs"))],
            &[],
        );
        assert_eq!(planned.conflicts.len(), 1);
        assert!(planned.apply.is_empty());
        // Equal on both sides: nothing.
        let planned = entries_plan(
            &mine,
            &theirs,
            &[(Target::Risk(1), Some("same"), Some("same"))],
            &[],
        );
        assert!(planned.conflicts.is_empty() && planned.apply.is_empty());
    }

    #[test]
    fn a_register_entry_changed_in_different_fields_on_each_side_merges_without_conflict() {
        let base = r#"{"id":"R-1","uid":"u","likelihood":3,"owner":""}"#;
        let mine_v = r#"{"id":"R-1","uid":"u","likelihood":5,"owner":""}"#;
        let theirs_v = r#"{"id":"R-1","uid":"u","likelihood":3,"owner":"Nadia"}"#;
        let mine = [rec("a:1", Target::Risk(1), WHOLE, Some(base), Some(mine_v))];
        let theirs = [rec(
            "b:1",
            Target::Risk(1),
            WHOLE,
            Some(base),
            Some(theirs_v),
        )];
        let planned = entries_plan(
            &mine,
            &theirs,
            &[(Target::Risk(1), Some(mine_v), Some(theirs_v))],
            &[],
        );
        assert!(planned.conflicts.is_empty(), "{planned:?}");
        assert_eq!(
            planned.apply[0].to.as_deref(),
            Some(r#"{"id":"R-1","likelihood":5,"owner":"Nadia","uid":"u"}"#)
        );
    }

    #[test]
    fn merging_entries_twice_plans_nothing_the_second_time() {
        let theirs = [rec("b:1", Target::Risk(3), WHOLE, None, Some("r3"))];
        let merged: HashSet<String> = ["b:1".to_string()].into();
        let planned = plan_entries(
            Side {
                changes: &[],
                merged: &merged,
            },
            Side {
                changes: &theirs,
                merged: &HashSet::new(),
            },
            |_| None,
            |_| Wholes {
                mine: None,
                theirs: Some("r3".into()),
            },
        );
        assert!(planned.is_noop());
    }
}
