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
    /// What takes back each change made in this run (answers, steps, actions, register entries,
    /// sessions), oldest first: `Ctrl-Z` carries out the last.
    pub undo: Vec<crate::service::undo::Reversal>,
    /// What redoes each undo of this run, newest last; a new change empties it.
    pub redo: Vec<crate::service::undo::Reversal>,
    /// What the History screen lists (read when it opens).
    pub history: crate::tui::screens::history::HistoryList,
    /// What the Compare screen shows (computed when it opens).
    pub compare: Option<crate::tui::screens::compare::CompareState>,
    /// The actions, by number, and what is derived from them and the answers.
    pub actions: Vec<crate::model::action::Action>,
    pub roadmap: crate::model::action::Roadmap,
    pub verdict: crate::model::verdict::Verdict,
    pub documents: Vec<crate::model::verdict::DocumentRow>,
    /// Per item (index = number - 1): whether an open action remedies it.
    pub open_action: Vec<bool>,
    /// Answered clause items at level 0-1 that no action takes on.
    pub no_action_yet: Vec<u32>,
    /// The day the roadmap is computed for.
    pub today: NaiveDate,
    /// The registers (context issues, interested parties, risks, objectives), each in its order,
    /// and which risks link to each control (they feed the SoA).
    pub registers: crate::model::registers::Registers,
    /// The merge conflicts waiting (issue 18), oldest first: marked in the questionnaire, shown
    /// on the Merge screen.
    pub conflicts: Vec<crate::store::StoredConflict>,
    pub risk_links: crate::model::registers::RiskLinks,
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
            actions: Vec::new(),
            roadmap: Default::default(),
            verdict: Default::default(),
            documents: Vec::new(),
            open_action: Vec::new(),
            no_action_yet: Vec::new(),
            today: crate::clock::today(),
            registers: Default::default(),
            conflicts: Vec::new(),
            risk_links: Default::default(),
            workshops: Vec::new(),
            trend: Vec::new(),
            last_changes: Default::default(),
            run_start_id: 0,
            undo: Vec::new(),
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
        self.risk_links = self.registers.risk_links();
        self.soa_findings = crate::model::soa::check(questionnaire, answers, &self.risk_links);
        self.soa_decisions = crate::model::soa::decisions(questionnaire, answers);
        let count = |keep: fn(&crate::model::Answer) -> bool| {
            questionnaire
                .items
                .iter()
                .filter(|item| keep(answers.get(item.number)))
                .count()
        };
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
        self.notes = count(|answer| !answer.note.is_empty());
        self.review_needed = count(|answer| answer.review_needed);
        self.recompute_actions();
    }

    /// What follows from the actions: the roadmap, the verdict, the item marks, the flags.
    pub fn recompute_actions(&mut self) {
        use crate::model::{action, verdict};
        let (questionnaire, answers) = (&self.questionnaire, &self.answers);
        self.roadmap = action::Roadmap::of(&self.actions, questionnaire, self.today);
        self.verdict = verdict::verdict(questionnaire, answers, &self.actions, &self.risk_links);
        self.documents = verdict::documents(questionnaire, answers);
        self.open_action = action::items_with_open_action(&self.actions, questionnaire.items.len());
        self.no_action_yet = action::no_action_yet(questionnaire, answers, &self.actions);
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
