//! What the views read: the open assessment with everything derived from it (`Session`), and the
//! rest of the app's state a view may look at (`Context`). Views never change either: they return
//! a `Command`, which only `App::apply` carries out.

use super::theme::Theme;
use crate::model::plan::{PlanTemplate, StepProgress};
use crate::model::{Answers, Assessment, Catalog, Item, ItemKind, Questionnaire};
use crate::score::{self, Percent, Summary};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Arc;

/// The open assessment and what is derived from it: recomputed once per change, never per frame.
pub struct Session {
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Answers,
    pub summary: Summary,
    pub soa_findings: Vec<crate::model::soa::Finding>,
    pub soa_decisions: crate::model::soa::Decisions,
    /// Items with a note, and carried-over answers not yet confirmed.
    pub notes: usize,
    pub review_needed: usize,
    pub plan: &'static PlanTemplate,
    pub plan_progress: Vec<StepProgress>,
    /// How many items changed since local midnight (from the history).
    pub changed_today: usize,
    /// The assessment's workshop sessions, oldest first (the open one last).
    pub workshops: Vec<crate::model::session::WorkshopSession>,
    /// Readiness per clause at the end of each session (see `service::workshop::trend`).
    pub trend: Vec<crate::service::workshop::TrendPoint>,
    /// Per item: when it last changed (RFC 3339, UTC) and in which session.
    pub last_changes: std::collections::HashMap<u32, (String, Option<u32>)>,
    /// The newest history row when the assessment was opened: undo stops there (this run only).
    pub run_start_id: i64,
    /// Undos of this run that a redo may reverse, newest last (the history rows each wrote).
    pub redo: Vec<Vec<i64>>,
    /// What the History screen lists (read when it opens).
    pub history: crate::tui::screens::history::HistoryList,
    /// What the Compare screen shows (computed when it opens).
    pub compare: Option<crate::tui::screens::compare::CompareState>,
}

impl Session {
    pub fn new(
        assessment: Assessment,
        questionnaire: Arc<Questionnaire>,
        answers: Answers,
        plan_progress: Vec<StepProgress>,
    ) -> Session {
        let summary = score::summarize(&assessment, &questionnaire, &answers);
        let mut session = Session {
            assessment,
            questionnaire,
            answers,
            summary,
            soa_findings: Vec::new(),
            soa_decisions: Default::default(),
            notes: 0,
            review_needed: 0,
            plan: PlanTemplate::builtin(),
            plan_progress,
            changed_today: 0,
            workshops: Vec::new(),
            trend: Vec::new(),
            last_changes: Default::default(),
            run_start_id: 0,
            redo: Vec::new(),
            history: Default::default(),
            compare: None,
        };
        session.recompute();
        session
    }

    /// The workshop session open on this assessment, if any.
    pub fn open_workshop(&self) -> Option<&crate::model::session::WorkshopSession> {
        self.workshops.iter().find(|s| s.is_open())
    }

    pub fn recompute(&mut self) {
        let (questionnaire, answers) = (&self.questionnaire, &self.answers);
        self.summary = score::summarize(&self.assessment, questionnaire, answers);
        self.soa_findings = crate::model::soa::check(questionnaire, answers);
        self.soa_decisions = crate::model::soa::decisions(questionnaire, answers);
        let count = |keep: fn(&crate::model::Answer) -> bool| {
            questionnaire
                .items
                .iter()
                .filter(|item| keep(answers.get(item.number)))
                .count()
        };
        self.notes = count(|answer| !answer.note.is_empty());
        self.review_needed = count(|answer| answer.review_needed);
        // The open session's trend point is "now": it follows every change.
        let open = self
            .workshops
            .iter()
            .find(|s| s.is_open())
            .map(|s| s.number);
        if let Some(point) = self.trend.last_mut()
            && Some(point.session) == open
        {
            point.overall = self.summary.overall.readiness;
            point.clauses = self
                .summary
                .clauses
                .iter()
                .map(|g| (g.clause.clone(), g.figures.readiness))
                .collect();
        }
    }

    /// The lowest-scored clause items, for the dashboard.
    pub fn gaps(&self, limit: usize) -> Vec<&Item> {
        score::largest_gaps(&self.questionnaire, &self.answers, ItemKind::Clause, limit)
    }
}

/// One row of the assessment picker: the assessment, and its figures once they were read (only
/// for the rows near the selection: see `App::read_picker_figures`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerRow {
    pub assessment: Assessment,
    pub figures: Option<RowFigures>,
}

/// The figures of one picker row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowFigures {
    /// Overall readiness and coverage from `score::summarize`; `None` when the questionnaire is
    /// unknown to this build or the answers could not be read.
    pub readiness: Option<Percent>,
    /// The overall rating (not assessed while no clause item is answered).
    pub rating: Option<crate::score::Rating>,
    pub coverage: Option<Percent>,
    /// RFC 3339, UTC: the newest history row, else the creation.
    pub last_change: Option<String>,
}

/// What a view may read besides its own state. Built by the app for each update and frame.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub session: Option<&'a Session>,
    pub assessments: &'a [PickerRow],
    pub catalog: &'a Catalog,
    pub theme: Theme,
    /// The day overdue steps are judged against (fixed at start, so a frame is a pure function).
    pub today: NaiveDate,
    pub database: &'a Path,
    /// Where the Export screen writes.
    pub export_dir: &'a Path,
}
