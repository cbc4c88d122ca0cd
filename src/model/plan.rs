//! The certification project plan: the step templates (a data file) and each assessment's progress.

use super::assessment::keep_both;
use super::questionnaire::{DataFileError, parse_json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const PLAN_FORMAT: &str = "isms-ready/plan";
pub const PLAN_VERSION: u32 = 1;
pub const PLAN_PHASES: [&str; 3] = ["preparation", "implementation", "certification"];

/// The shipped plan file.
pub const BUILTIN_PLAN: (&str, &str) = (
    "questionnaires/plan-iso27001.json",
    include_str!("../../questionnaires/plan-iso27001.json"),
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    pub number: u32,
    pub title: String,
    pub description: String,
    pub phase: String,
    pub pdca: String,
    pub clauses: Vec<String>,
    pub outputs: Vec<String>,
    pub weeks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTemplate {
    pub format: String,
    pub version: u32,
    pub id: String,
    pub title: String,
    pub description: String,
    pub horizon_months: Horizon,
    pub steps: Vec<PlanStep>,
}

impl PlanTemplate {
    /// The shipped plan, parsed once per process.
    pub fn builtin() -> &'static PlanTemplate {
        static PLAN: std::sync::OnceLock<PlanTemplate> = std::sync::OnceLock::new();
        PLAN.get_or_init(|| {
            PlanTemplate::from_json(BUILTIN_PLAN.0, BUILTIN_PLAN.1, &[])
                .unwrap_or_else(|error| panic!("shipped plan is invalid: {error}"))
        })
    }

    /// Parses and validates a plan file. `known_sections` lists the clause refs steps may name
    /// (empty: any ref shaped like a sub-clause id).
    pub fn from_json(
        source: &str,
        text: &str,
        known_sections: &[&str],
    ) -> Result<PlanTemplate, DataFileError> {
        let plan: PlanTemplate = parse_json(source, text)?;
        match plan.problems(known_sections).into_iter().next() {
            None => Ok(plan),
            Some((path, rule)) => Err(DataFileError::rule(source, path, rule)),
        }
    }

    pub fn problems(&self, known_sections: &[&str]) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self.format != PLAN_FORMAT {
            problems.push(("format".into(), format!("must be \"{PLAN_FORMAT}\"")));
        }
        if self.version != PLAN_VERSION {
            problems.push((
                "version".into(),
                format!("version {} is not supported", self.version),
            ));
        }
        if self.horizon_months.min == 0 || self.horizon_months.min > self.horizon_months.max {
            problems.push((
                "horizon_months".into(),
                "min must be at least 1 and not above max".into(),
            ));
        }
        for (index, step) in self.steps.iter().enumerate() {
            let at = |field: &str| format!("steps[{index}].{field}");
            if step.number as usize != index + 1 {
                problems.push((
                    at("number"),
                    format!(
                        "steps must be numbered 1, 2, 3... without gaps: expected {}, found {}",
                        index + 1,
                        step.number
                    ),
                ));
            }
            if !PLAN_PHASES.contains(&step.phase.as_str()) {
                problems.push((
                    at("phase"),
                    format!(
                        "must be preparation, implementation or certification, not \"{}\"",
                        step.phase
                    ),
                ));
            }
            if !["P", "D", "C", "A"].contains(&step.pdca.as_str()) {
                problems.push((
                    at("pdca"),
                    format!("must be P, D, C or A, not \"{}\"", step.pdca),
                ));
            }
            for (field, value) in [("title", &step.title), ("description", &step.description)] {
                if value.trim().is_empty() {
                    problems.push((at(field), "must not be empty".into()));
                }
            }
            if step.clauses.is_empty() {
                problems.push((at("clauses"), "must name at least one clause".into()));
            }
            for (n, clause) in step.clauses.iter().enumerate() {
                let shaped = clause.split('.').all(|part| part.parse::<u8>().is_ok());
                let known = known_sections.is_empty() || known_sections.contains(&clause.as_str());
                if !shaped || !known {
                    problems.push((
                        format!("steps[{index}].clauses[{n}]"),
                        format!("unknown clause ref \"{clause}\""),
                    ));
                }
            }
            if step.outputs.is_empty() || step.outputs.iter().any(|o| o.trim().is_empty()) {
                problems.push((
                    at("outputs"),
                    "must list the documented information it produces".into(),
                ));
            }
            if step.weeks == 0 {
                problems.push((at("weeks"), "must be at least 1".into()));
            }
        }
        if self.steps.is_empty() {
            problems.push(("steps".into(), "must list at least one step".into()));
        }
        problems
    }

    pub fn step(&self, number: u32) -> Option<&PlanStep> {
        self.steps.get((number as usize).checked_sub(1)?)
    }

    pub fn total_weeks(&self) -> u32 {
        self.steps.iter().map(|s| s.weeks).sum()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    #[default]
    Todo,
    InProgress,
    Done,
    Blocked,
    Skipped,
}

impl StepStatus {
    pub const ALL: [StepStatus; 5] = [
        StepStatus::Todo,
        StepStatus::InProgress,
        StepStatus::Done,
        StepStatus::Blocked,
        StepStatus::Skipped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepStatus::Todo => "todo",
            StepStatus::InProgress => "in_progress",
            StepStatus::Done => "done",
            StepStatus::Blocked => "blocked",
            StepStatus::Skipped => "skipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StepStatus::Todo => "to do",
            StepStatus::InProgress => "in progress",
            StepStatus::Done => "done",
            StepStatus::Blocked => "blocked",
            StepStatus::Skipped => "skipped",
        }
    }

    /// A symbol that reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            StepStatus::Todo => "[ ]",
            StepStatus::InProgress => "[~]",
            StepStatus::Done => "[x]",
            StepStatus::Blocked => "[!]",
            StepStatus::Skipped => "[-]",
        }
    }

    /// Parses a status as typed on the command line ("in progress", "in-progress", "in_progress").
    pub fn parse(text: &str) -> Option<StepStatus> {
        let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
        StepStatus::ALL
            .into_iter()
            .find(|s| s.code() == wanted || (wanted == "to_do" && *s == StepStatus::Todo))
    }

    pub fn needs_reason(self) -> bool {
        matches!(self, StepStatus::Blocked | StepStatus::Skipped)
    }

    /// Whether a step in this state no longer waits for work.
    pub fn is_closed(self) -> bool {
        matches!(self, StepStatus::Done | StepStatus::Skipped)
    }

    /// What `Space` moves to: to do -> in progress -> done -> to do (blocked and skipped resume as in progress).
    pub fn cycled(self) -> StepStatus {
        match self {
            StepStatus::Todo => StepStatus::InProgress,
            StepStatus::InProgress => StepStatus::Done,
            StepStatus::Done => StepStatus::Todo,
            StepStatus::Blocked | StepStatus::Skipped => StepStatus::InProgress,
        }
    }
}

impl fmt::Display for StepStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One assessment's progress on one step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    pub status: StepStatus,
    /// Why a step is blocked or skipped.
    pub reason: String,
    pub owner: String,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub note: String,
}

impl StepProgress {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_closed() && self.due.is_some_and(|due| due < today)
    }

    /// Whether the due date is before the start date. Refused when set; a file written before
    /// that rule (or edited by hand) may still hold such a pair, and the screens flag it.
    pub fn dates_inverted(&self) -> bool {
        matches!((self.start, self.due), (Some(start), Some(due)) if due < start)
    }
}

/// A change to one field of one step's progress: the unit of saving and of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChange {
    Status {
        status: StepStatus,
        reason: String,
        today: NaiveDate,
    },
    Owner(String),
    Start(Option<NaiveDate>),
    Due(Option<NaiveDate>),
    Note(String),
    /// The step was done on `date` (not after `today`): marks it done on that day.
    DoneOn {
        date: NaiveDate,
        today: NaiveDate,
    },
    /// A note or owner typed in a field that opened on `base`: another window's text saved
    /// meanwhile is kept after this one (see `keep_both`).
    Edited {
        base: String,
        edit: Box<PlanChange>,
    },
}

impl PlanChange {
    pub fn field(&self) -> &'static str {
        match self {
            PlanChange::Status { .. } => "status",
            PlanChange::Owner(_) => "owner",
            PlanChange::Start(_) => "start",
            PlanChange::Due(_) => "due",
            PlanChange::Note(_) => "note",
            PlanChange::DoneOn { .. } => "done_on",
            PlanChange::Edited { edit, .. } => edit.field(),
        }
    }

    /// Refuses a blocked or skipped status without a reason.
    pub fn check(&self) -> Result<(), String> {
        match self {
            PlanChange::Edited { edit, .. } => edit.check(),
            PlanChange::Status { status, reason, .. }
                if status.needs_reason() && reason.trim().is_empty() =>
            {
                Err(format!(
                    "a step can only be {} with a reason",
                    status.label()
                ))
            }
            PlanChange::DoneOn { date, today } if date > today => Err(format!(
                "the done date {date} is in the future (today is {today})"
            )),
            _ => Ok(()),
        }
    }

    /// Refuses a change that would contradict the step as stored: a due date before the start
    /// date (whichever of the two is being set), or a done date before the start.
    pub fn check_against(&self, current: &StepProgress) -> Result<(), String> {
        self.check()?;
        let mut new = current.clone();
        self.apply(&mut new);
        let (Some(start), Some(due)) = (new.start, new.due) else {
            return match (self, new.start) {
                (PlanChange::DoneOn { date, .. }, Some(start)) if *date < start => Err(format!(
                    "the done date {date} is before the step's start date {start}"
                )),
                _ => Ok(()),
            };
        };
        match self {
            PlanChange::Start(Some(_)) if due < start => Err(format!(
                "the start date {start} is after the due date {due}: set a later due date first, or clear it"
            )),
            PlanChange::Due(Some(_)) if due < start => Err(format!(
                "the due date {due} is before the start date {start}"
            )),
            PlanChange::DoneOn { date, .. } if *date < start => Err(format!(
                "the done date {date} is before the step's start date {start}"
            )),
            _ => Ok(()),
        }
    }

    pub fn apply(&self, progress: &mut StepProgress) {
        match self {
            PlanChange::Status {
                status,
                reason,
                today,
            } => {
                progress.status = *status;
                progress.reason = if status.needs_reason() {
                    reason.trim().to_string()
                } else {
                    String::new()
                };
                progress.done_on = match status {
                    StepStatus::Done => progress.done_on.or(Some(*today)),
                    _ => None,
                };
            }
            PlanChange::Owner(owner) => progress.owner = owner.trim().to_string(),
            PlanChange::Start(date) => progress.start = *date,
            PlanChange::Due(date) => progress.due = *date,
            PlanChange::Note(note) => progress.note.clone_from(note),
            PlanChange::DoneOn { date, .. } => {
                progress.status = StepStatus::Done;
                progress.reason = String::new();
                progress.done_on = Some(*date);
            }
            PlanChange::Edited { base, edit } => match &**edit {
                PlanChange::Note(mine) => {
                    progress.note = keep_both(base, mine, &progress.note, true);
                }
                PlanChange::Owner(mine) => {
                    progress.owner = keep_both(base, mine.trim(), &progress.owner, false);
                }
                other => other.apply(progress),
            },
        }
    }
}

/// Parses an ISO 8601 calendar date, with a message that says what is expected.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "\"{}\" is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31",
            text.trim()
        )
    })
}

/// Progress figures of a plan: counts per status and the share done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFigures {
    pub steps: usize,
    pub done: usize,
    pub in_progress: usize,
    pub blocked: usize,
    pub skipped: usize,
    pub todo: usize,
    pub overdue: usize,
    /// 100 x done / (steps - skipped).
    pub progress: super::Percent,
}

pub fn plan_figures(progress: &[StepProgress], today: NaiveDate) -> PlanFigures {
    let count = |status: StepStatus| progress.iter().filter(|p| p.status == status).count();
    let skipped = count(StepStatus::Skipped);
    let done = count(StepStatus::Done);
    PlanFigures {
        steps: progress.len(),
        done,
        in_progress: count(StepStatus::InProgress),
        blocked: count(StepStatus::Blocked),
        skipped,
        todo: count(StepStatus::Todo),
        overdue: progress.iter().filter(|p| p.is_overdue(today)).count(),
        progress: super::Percent::of(done as u64, (progress.len() - skipped) as u64),
    }
}

/// The steps still open that come due first (by due date, then number), at most `limit`.
pub fn next_due(progress: &[StepProgress], limit: usize) -> Vec<usize> {
    let mut open: Vec<usize> = (0..progress.len())
        .filter(|&i| !progress[i].status.is_closed())
        .collect();
    open.sort_by_key(|&i| (progress[i].due.is_none(), progress[i].due, i));
    open.truncate(limit);
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_in_the_spellings_people_type() {
        assert_eq!(
            StepStatus::parse("in progress"),
            Some(StepStatus::InProgress)
        );
        assert_eq!(
            StepStatus::parse("In-Progress"),
            Some(StepStatus::InProgress)
        );
        assert_eq!(StepStatus::parse("to do"), Some(StepStatus::Todo));
        assert_eq!(StepStatus::parse("DONE"), Some(StepStatus::Done));
        assert_eq!(StepStatus::parse("finished"), None);
    }

    #[test]
    fn done_records_the_day_and_other_statuses_clear_it() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let mut progress = StepProgress::default();
        PlanChange::Status {
            status: StepStatus::Done,
            reason: String::new(),
            today,
        }
        .apply(&mut progress);
        assert_eq!(progress.done_on, Some(today));
        PlanChange::Status {
            status: StepStatus::Todo,
            reason: "ignored".into(),
            today,
        }
        .apply(&mut progress);
        assert_eq!(progress.done_on, None);
        assert_eq!(progress.reason, "");
        assert!(
            PlanChange::Status {
                status: StepStatus::Blocked,
                reason: " ".into(),
                today
            }
            .check()
            .is_err()
        );
    }

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn a_due_date_before_the_start_is_refused_whichever_is_set_last() {
        // Guards issue 12 point 5: such a pair used to be saved and drawn as a normal bar.
        let step = StepProgress {
            start: Some(day("2027-03-01")),
            due: Some(day("2027-04-01")),
            ..Default::default()
        };
        let due = PlanChange::Due(Some(day("2027-02-01")));
        assert!(
            due.check_against(&step)
                .unwrap_err()
                .contains("before the start")
        );
        let start = PlanChange::Start(Some(day("2027-05-01")));
        assert!(
            start
                .check_against(&step)
                .unwrap_err()
                .contains("after the due")
        );
        assert!(
            PlanChange::Due(Some(day("2027-03-01")))
                .check_against(&step)
                .is_ok()
        );
        assert!(PlanChange::Start(None).check_against(&step).is_ok());
        assert!(PlanChange::Due(None).check_against(&step).is_ok());
        // A step already holding a bad pair can still get an owner.
        let bad = StepProgress {
            start: Some(day("2027-05-01")),
            due: Some(day("2027-04-01")),
            ..Default::default()
        };
        assert!(bad.dates_inverted() && !step.dates_inverted());
        assert!(PlanChange::Owner("CISO".into()).check_against(&bad).is_ok());
    }

    #[test]
    fn a_done_date_is_neither_in_the_future_nor_before_the_start() {
        let today = day("2027-01-15");
        let step = StepProgress {
            start: Some(day("2027-01-01")),
            reason: "old".into(),
            status: StepStatus::Blocked,
            ..Default::default()
        };
        let future = PlanChange::DoneOn {
            date: day("2027-01-16"),
            today,
        };
        assert!(future.check_against(&step).unwrap_err().contains("future"));
        let early = PlanChange::DoneOn {
            date: day("2026-12-31"),
            today,
        };
        assert!(
            early
                .check_against(&step)
                .unwrap_err()
                .contains("before the step's start")
        );
        let good = PlanChange::DoneOn {
            date: day("2027-01-10"),
            today,
        };
        assert!(good.check_against(&step).is_ok());
        let mut done = step.clone();
        good.apply(&mut done);
        assert_eq!(
            (done.status, done.done_on, done.reason.as_str()),
            (StepStatus::Done, Some(day("2027-01-10")), "")
        );
    }

    #[test]
    fn dates_must_be_iso_8601() {
        assert_eq!(parse_date("2027-03-31").unwrap().to_string(), "2027-03-31");
        assert!(parse_date("31/03/2027").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2027-02-30").is_err());
    }

    #[test]
    fn overdue_means_open_and_past_due() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let late = StepProgress {
            due: NaiveDate::from_ymd_opt(2027, 1, 14),
            ..Default::default()
        };
        assert!(late.is_overdue(today));
        let done = StepProgress {
            status: StepStatus::Done,
            ..late.clone()
        };
        assert!(!done.is_overdue(today));
        let due_today = StepProgress {
            due: Some(today),
            ..Default::default()
        };
        assert!(!due_today.is_overdue(today));
    }
}
