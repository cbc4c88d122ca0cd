//! Actions: the remedies for gaps, and the roadmap (Now / Next / Later) they make.
//!
//! An action belongs to one assessment and to one or more of its items, optionally to a plan step.
//! It is numbered within its assessment (`#1`, `#2`...; a number is never given again, even after
//! a removal, so the history always names one action). The roadmap is computed, never stored.

use super::{Item, Questionnaire};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Effort {
    XS,
    S,
    M,
    L,
    XL,
}

impl Effort {
    pub const ALL: [Effort; 5] = [Effort::XS, Effort::S, Effort::M, Effort::L, Effort::XL];

    pub fn code(self) -> &'static str {
        match self {
            Effort::XS => "XS",
            Effort::S => "S",
            Effort::M => "M",
            Effort::L => "L",
            Effort::XL => "XL",
        }
    }

    pub fn parse(text: &str) -> Option<Effort> {
        let wanted = text.trim().to_uppercase();
        Effort::ALL.into_iter().find(|e| e.code() == wanted)
    }

    /// What the effort key moves to: none -> XS -> S -> M -> L -> XL -> none.
    pub fn cycled(effort: Option<Effort>) -> Option<Effort> {
        match effort {
            None => Some(Effort::XS),
            Some(Effort::XL) => None,
            Some(e) => Effort::ALL
                .iter()
                .position(|x| *x == e)
                .map(|i| Effort::ALL[i + 1]),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Todo,
    InProgress,
    OnHold,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Todo,
        ActionStatus::InProgress,
        ActionStatus::OnHold,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Todo => "todo",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::OnHold => "on_hold",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Todo => "to do",
            ActionStatus::InProgress => "in progress",
            ActionStatus::OnHold => "on hold",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    /// A symbol that reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            ActionStatus::Todo => "[ ]",
            ActionStatus::InProgress => "[~]",
            ActionStatus::OnHold => "[=]",
            ActionStatus::Done => "[x]",
            ActionStatus::Dropped => "[-]",
        }
    }

    /// Parses a status as typed ("in progress", "in-progress", "in_progress", "to do").
    pub fn parse(text: &str) -> Option<ActionStatus> {
        let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
        ActionStatus::ALL.into_iter().find(|s| {
            s.code() == wanted
                || (wanted == "to_do" && *s == ActionStatus::Todo)
                || (wanted == "hold" && *s == ActionStatus::OnHold)
        })
    }

    /// Whether the action still waits for work (to do, in progress, on hold).
    pub fn is_open(self) -> bool {
        !matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }

    /// What `Space` moves to: to do -> in progress -> done -> to do (on hold and dropped resume).
    pub fn cycled(self) -> ActionStatus {
        match self {
            ActionStatus::Todo => ActionStatus::InProgress,
            ActionStatus::InProgress => ActionStatus::Done,
            ActionStatus::Done => ActionStatus::Todo,
            ActionStatus::OnHold | ActionStatus::Dropped => ActionStatus::InProgress,
        }
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The priority a new action gets when none is given (1 highest, 4 lowest).
pub const DEFAULT_PRIORITY: u8 = 2;

/// One action. Its fields are declared once here: the store, the document and every output read
/// them from this struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action's number within its assessment (`#3`).
    pub number: u32,
    /// The items (clause requirements or controls) whose gap it remedies, by number, ascending.
    pub items: Vec<u32>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub effort: Option<Effort>,
    #[serde(default = "default_priority")]
    pub priority: u8,
    #[serde(default)]
    pub status: ActionStatus,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// The plan step it serves, when it serves one.
    #[serde(default)]
    pub step: Option<u32>,
    #[serde(default)]
    pub note: String,
    /// A unique id, the same in every copy of the assessment (issue 18); given by the store.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

fn default_priority() -> u8 {
    DEFAULT_PRIORITY
}

impl Action {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due.is_some_and(|due| due < today)
    }

    /// Sets one field from its value as the history records it (the inverse of
    /// `history_value`); false when the field is unknown or the value unreadable.
    pub fn set_history_value(&mut self, field: &str, value: Option<&str>) -> bool {
        let text = || value.unwrap_or_default().to_string();
        let day = || value.and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
        match field {
            "title" => self.title = text(),
            "description" => self.description = text(),
            "owner" => self.owner = text(),
            "note" => self.note = text(),
            "due" => self.due = day(),
            "done_on" => self.done_on = day(),
            "effort" => self.effort = value.and_then(Effort::parse),
            "priority" => match value.and_then(|v| v.parse().ok()) {
                Some(p) => self.priority = p,
                None => return false,
            },
            "status" => match value.and_then(ActionStatus::parse) {
                Some(s) => self.status = s,
                None => return false,
            },
            "step" => self.step = value.and_then(|v| v.parse().ok()),
            "items" => {
                let mut items: Vec<u32> = text()
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                items.sort_unstable();
                items.dedup();
                self.items = items;
            }
            _ => return false,
        }
        true
    }

    /// The fields `history_value` knows, in the order the history lists them.
    pub const HISTORY_FIELDS: [&'static str; 11] = [
        "title",
        "description",
        "owner",
        "due",
        "effort",
        "priority",
        "status",
        "done_on",
        "step",
        "items",
        "note",
    ];

    /// The value of one field as the history records it (`None`: no value).
    pub fn history_value(&self, field: &str) -> Option<String> {
        let text = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
        match field {
            "title" => text(&self.title),
            "description" => text(&self.description),
            "owner" => text(&self.owner),
            "due" => self.due.map(|d| d.to_string()),
            "effort" => self.effort.map(|e| e.code().to_string()),
            "priority" => Some(self.priority.to_string()),
            "status" => Some(self.status.code().to_string()),
            "done_on" => self.done_on.map(|d| d.to_string()),
            "step" => self.step.map(|s| s.to_string()),
            "items" => Some(join_numbers(&self.items)),
            "note" => text(&self.note),
            _ => None,
        }
    }

    /// Whether one of its items is a clause requirement (not an Annex A control).
    pub fn touches_clause(&self, questionnaire: &Questionnaire) -> bool {
        self.items
            .iter()
            .filter_map(|n| questionnaire.item(*n))
            .any(|item| !item.is_control())
    }

    /// The refs of its items, as "6.1.2 a), A.5.1".
    pub fn refs(&self, questionnaire: &Questionnaire) -> String {
        self.items
            .iter()
            .map(|n| {
                questionnaire
                    .item(*n)
                    .map_or_else(|| n.to_string(), |i| i.reference.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the action matches a filter text: one of its items' clause or domain ids (`6`,
    /// `A.5`), the start of one of their refs (`6.1`), or a part of its owner or title (case
    /// ignored).
    pub fn matches(&self, questionnaire: &Questionnaire, filter: &str) -> bool {
        let wanted = filter.trim().to_lowercase();
        if wanted.is_empty() {
            return true;
        }
        let by_item = self
            .items
            .iter()
            .filter_map(|n| questionnaire.item(*n))
            .any(|item| {
                item.clause.to_lowercase() == wanted
                    || item.reference.to_lowercase().starts_with(&wanted)
            });
        by_item
            || self.owner.to_lowercase().contains(&wanted)
            || self.title.to_lowercase().contains(&wanted)
    }
}

pub fn join_numbers(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A new action, before it has a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub items: Vec<u32>,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub effort: Option<Effort>,
    pub priority: u8,
    pub step: Option<u32>,
    pub note: String,
}

impl NewAction {
    /// A new action on `items` with a title and the default priority, nothing else set.
    pub fn titled(items: Vec<u32>, title: impl Into<String>) -> NewAction {
        NewAction {
            items,
            title: title.into(),
            description: String::new(),
            owner: String::new(),
            due: None,
            effort: None,
            priority: DEFAULT_PRIORITY,
            step: None,
            note: String::new(),
        }
    }

    pub fn into_action(self, number: u32) -> Action {
        let mut items = self.items;
        items.sort_unstable();
        items.dedup();
        Action {
            number,
            items,
            title: self.title.trim().to_string(),
            description: self.description,
            owner: self.owner.trim().to_string(),
            due: self.due,
            effort: self.effort,
            priority: self.priority,
            status: ActionStatus::Todo,
            done_on: None,
            step: self.step,
            note: self.note,
            uid: String::new(),
        }
    }
}

/// The rules every action obeys, however it was made (CLI, app, import): a title, at least one
/// item, a priority from 1 to 4, a done date only when done. Items and steps are checked against
/// the questionnaire and plan by the caller.
pub fn check(action: &Action) -> Result<(), String> {
    if action.title.trim().is_empty() {
        return Err("an action needs a title".into());
    }
    if action.items.is_empty() {
        return Err("an action needs at least one item".into());
    }
    if !(1..=4).contains(&action.priority) {
        return Err(format!(
            "priority {} is not 1 to 4 (1 highest)",
            action.priority
        ));
    }
    if action.done_on.is_some() && action.status != ActionStatus::Done {
        return Err("only a done action has a done date".into());
    }
    Ok(())
}

/// One change to one action; each is its own history row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionChange {
    Title(String),
    Description(String),
    Owner(String),
    Due(Option<NaiveDate>),
    Effort(Option<Effort>),
    Priority(u8),
    /// The status; `done` sets the done date to `today` (kept when already done), any other
    /// status clears it.
    Status {
        status: ActionStatus,
        today: NaiveDate,
    },
    Step(Option<u32>),
    Items(Vec<u32>),
    Note(String),
}

impl ActionChange {
    /// The field it changes, as the history names it (after `action.`).
    pub fn field(&self) -> &'static str {
        match self {
            ActionChange::Title(_) => "title",
            ActionChange::Description(_) => "description",
            ActionChange::Owner(_) => "owner",
            ActionChange::Due(_) => "due",
            ActionChange::Effort(_) => "effort",
            ActionChange::Priority(_) => "priority",
            ActionChange::Status { .. } => "status",
            ActionChange::Step(_) => "step",
            ActionChange::Items(_) => "items",
            ActionChange::Note(_) => "note",
        }
    }

    pub fn apply(&self, action: &mut Action) {
        match self {
            ActionChange::Title(t) => action.title = t.trim().to_string(),
            ActionChange::Description(t) => action.description = t.clone(),
            ActionChange::Owner(t) => action.owner = t.trim().to_string(),
            ActionChange::Due(d) => action.due = *d,
            ActionChange::Effort(e) => action.effort = *e,
            ActionChange::Priority(p) => action.priority = *p,
            ActionChange::Status { status, today } => {
                if *status == ActionStatus::Done {
                    if action.status != ActionStatus::Done || action.done_on.is_none() {
                        action.done_on = Some(*today);
                    }
                } else {
                    action.done_on = None;
                }
                action.status = *status;
            }
            ActionChange::Step(s) => action.step = *s,
            ActionChange::Items(items) => {
                let mut items = items.clone();
                items.sort_unstable();
                items.dedup();
                action.items = items;
            }
            ActionChange::Note(t) => action.note = t.clone(),
        }
    }
}

/// The three horizons of the roadmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    Now,
    Next,
    Later,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::Now, Horizon::Next, Horizon::Later];

    pub fn label(self) -> &'static str {
        match self {
            Horizon::Now => "Now",
            Horizon::Next => "Next",
            Horizon::Later => "Later",
        }
    }

    fn earlier(self) -> Horizon {
        match self {
            Horizon::Later => Horizon::Next,
            _ => Horizon::Now,
        }
    }
}

/// Days ahead within which a due date puts an action in Now, and in Next.
pub const NOW_DAYS: i64 = 30;
pub const NEXT_DAYS: i64 = 90;

/// The roadmap rule in words, as help, README and reports state it.
pub const ROADMAP_RULES: [&str; 4] = [
    "only open actions (to do, in progress, on hold) are on the roadmap",
    "Now: priority 1, overdue, or due within 30 days; Next: priority 2 or due within 90 days; Later: the rest",
    "an action on a plan-phase item (P, or clause 5's PDCA) moves one horizon earlier: the ISMS is planned before it is run and checked",
    "within a horizon: plan-phase before do-phase before check- and act-phase items, then priority, then due date, then number",
];

/// The PDCA rank of an item: plan first (P and clause 5's PDCA), then D, C, A.
fn phase_rank(item: &Item) -> u8 {
    match item.pdca.as_str() {
        "P" | "PDCA" => 0,
        "D" => 1,
        "C" => 2,
        _ => 3,
    }
}

/// The earliest PDCA rank among an action's items (3 when none is known).
pub fn action_phase(action: &Action, questionnaire: &Questionnaire) -> u8 {
    action
        .items
        .iter()
        .filter_map(|n| questionnaire.item(*n))
        .map(phase_rank)
        .min()
        .unwrap_or(3)
}

/// The horizon of one open action as of `today`.
pub fn horizon(action: &Action, questionnaire: &Questionnaire, today: NaiveDate) -> Horizon {
    let days = action.due.map(|due| (due - today).num_days());
    let base = if action.priority <= 1 || days.is_some_and(|d| d <= NOW_DAYS) {
        Horizon::Now
    } else if action.priority == 2 || days.is_some_and(|d| d <= NEXT_DAYS) {
        Horizon::Next
    } else {
        Horizon::Later
    };
    if action_phase(action, questionnaire) == 0 {
        base.earlier()
    } else {
        base
    }
}

/// The open actions grouped Now / Next / Later, each group in roadmap order (indexes into
/// `actions`). Pure: computed from priority, due date and the PDCA phase of the items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roadmap {
    pub now: Vec<usize>,
    pub next: Vec<usize>,
    pub later: Vec<usize>,
}

impl Roadmap {
    pub fn of(actions: &[Action], questionnaire: &Questionnaire, today: NaiveDate) -> Roadmap {
        let mut keyed: Vec<(Horizon, u8, u8, Option<NaiveDate>, u32, usize)> = actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.is_open())
            .map(|(index, a)| {
                (
                    horizon(a, questionnaire, today),
                    action_phase(a, questionnaire),
                    a.priority,
                    a.due,
                    a.number,
                    index,
                )
            })
            .collect();
        // Dated before undated within a priority.
        keyed.sort_by_key(|k| (k.0, k.1, k.2, k.3.is_none(), k.3, k.4));
        let mut roadmap = Roadmap::default();
        for (h, .., index) in keyed {
            match h {
                Horizon::Now => roadmap.now.push(index),
                Horizon::Next => roadmap.next.push(index),
                Horizon::Later => roadmap.later.push(index),
            }
        }
        roadmap
    }

    pub fn group(&self, horizon: Horizon) -> &[usize] {
        match horizon {
            Horizon::Now => &self.now,
            Horizon::Next => &self.next,
            Horizon::Later => &self.later,
        }
    }
}

/// Counts for the dashboard and reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionFigures {
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    pub dropped: usize,
}

pub fn figures(actions: &[Action], today: NaiveDate) -> ActionFigures {
    ActionFigures {
        total: actions.len(),
        open: actions.iter().filter(|a| a.is_open()).count(),
        overdue: actions.iter().filter(|a| a.is_overdue(today)).count(),
        done: actions
            .iter()
            .filter(|a| a.status == ActionStatus::Done)
            .count(),
        dropped: actions
            .iter()
            .filter(|a| a.status == ActionStatus::Dropped)
            .count(),
    }
}

/// Whether each item (index = number - 1) has an open action.
pub fn items_with_open_action(actions: &[Action], item_count: usize) -> Vec<bool> {
    let mut marked = vec![false; item_count];
    for action in actions.iter().filter(|a| a.is_open()) {
        for number in &action.items {
            if let Some(slot) = (*number as usize)
                .checked_sub(1)
                .and_then(|i| marked.get_mut(i))
            {
                *slot = true;
            }
        }
    }
    marked
}

/// Answered clause items at level 0 or 1 with no action at all (open or closed): the gaps the
/// room found but nobody took on. Item numbers, ascending.
pub fn no_action_yet(
    questionnaire: &Questionnaire,
    answers: &super::Answers,
    actions: &[Action],
) -> Vec<u32> {
    let mut has_action = vec![false; questionnaire.items.len()];
    for action in actions.iter().filter(|a| a.status != ActionStatus::Dropped) {
        for number in &action.items {
            if let Some(slot) = (*number as usize)
                .checked_sub(1)
                .and_then(|i| has_action.get_mut(i))
            {
                *slot = true;
            }
        }
    }
    questionnaire
        .clause_items()
        .filter(|item| {
            answers
                .get(item.number)
                .level
                .is_some_and(|level| level.value() <= 1)
                && !has_action[item.number as usize - 1]
        })
        .map(|item| item.number)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn action(number: u32, item: u32, priority: u8, due: Option<&str>) -> Action {
        let mut a = NewAction::titled(vec![item], format!("a{number}")).into_action(number);
        a.priority = priority;
        a.due = due.map(day);
        a
    }

    #[test]
    fn the_roadmap_follows_priority_due_date_and_pdca_order() {
        let catalog = Catalog::builtin();
        let q = catalog.get("iso27001-2022").unwrap();
        let today = day("2027-01-01");
        // 6 = 4.3 (P), 92 = 8.1 (D), 109 = 9.2.1 (C)
        let actions = vec![
            action(1, 109, 1, None),              // check phase, priority 1: Now
            action(2, 92, 3, Some("2027-01-20")), // due within 30 days: Now
            action(3, 6, 3, None),                // plan phase, priority 3: Later -> Next
            action(4, 92, 4, None),               // Later
            action(5, 6, 2, None),                // plan phase, priority 2: Next -> Now
            action(6, 109, 2, Some("2027-03-01")),
        ];
        let mut closed = action(7, 6, 1, None);
        closed.status = ActionStatus::Done;
        let mut all = actions.clone();
        all.push(closed);
        let roadmap = Roadmap::of(&all, &q, today);
        let numbers = |group: &[usize]| group.iter().map(|i| all[*i].number).collect::<Vec<_>>();
        // Now: plan phase first (5), then do (2), then check (1).
        assert_eq!(numbers(&roadmap.now), vec![5, 2, 1]);
        assert_eq!(numbers(&roadmap.next), vec![3, 6]);
        assert_eq!(numbers(&roadmap.later), vec![4]);
    }

    #[test]
    fn done_sets_the_done_date_and_leaving_done_clears_it() {
        let mut a = action(1, 1, 2, None);
        let today = day("2027-02-03");
        ActionChange::Status {
            status: ActionStatus::Done,
            today,
        }
        .apply(&mut a);
        assert_eq!(a.done_on, Some(today));
        assert!(check(&a).is_ok());
        ActionChange::Status {
            status: ActionStatus::InProgress,
            today,
        }
        .apply(&mut a);
        assert_eq!(a.done_on, None);
        assert_eq!(
            ActionStatus::parse("in progress"),
            Some(ActionStatus::InProgress)
        );
        assert_eq!(Effort::parse("xl"), Some(Effort::XL));
        assert_eq!(Effort::cycled(Some(Effort::XL)), None);
    }
}
