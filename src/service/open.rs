//! The open assessment as the interactive shell sees it: every read and write the TUI makes goes
//! through these methods on `Context` (the store, the catalog), and what is derived from one
//! assessment lives in `OpenAssessment` (recomputed once per change, never per frame). The TUI
//! never holds or names the store.

use super::{AssessmentEdit, Context};
use crate::model::plan::{PlanChange, PlanTemplate, StepProgress};
use crate::model::registers::{
    Audit, ContextIssue, Finding, InterestedParty, ManagementReview, Nonconformity, Objective,
    RegisterKind, Registers, Risk,
};
use crate::model::session::WorkshopSession;
use crate::model::{
    Answer, Answers, Assessment, Change, HistoryEntry, Item, ItemKind, Questionnaire,
};
use crate::score::{self, Summary};
use crate::store::StoreError;
use chrono::NaiveDate;
use color_eyre::eyre::{Report, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::store::{NewAssessment, StoredConflict};

/// The open assessment and what is derived from it: recomputed once per change, never per frame.
pub struct OpenAssessment {
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
    pub workshops: Vec<WorkshopSession>,
    /// Readiness per clause at the end of each session (see `service::workshop::trend`).
    pub trend: Vec<super::workshop::TrendPoint>,
    /// Per item: when it last changed (RFC 3339, UTC) and in which session.
    pub last_changes: HashMap<u32, (String, Option<u32>)>,
    /// The newest history row when the assessment was opened: undo stops there (this run only).
    pub run_start_id: i64,
    /// What takes back each change made in this run (answers, steps, actions, register entries,
    /// sessions), oldest first: `Ctrl-Z` carries out the last.
    pub undo: Vec<super::undo::Reversal>,
    /// What redoes each undo of this run, newest last; a new change empties it.
    pub redo: Vec<super::undo::Reversal>,
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
    pub registers: Registers,
    /// The merge conflicts waiting (issue 18), oldest first: marked in the questionnaire, shown
    /// on the Merge screen.
    pub conflicts: Vec<StoredConflict>,
    pub risk_links: crate::model::registers::RiskLinks,
}

impl OpenAssessment {
    pub fn new(
        assessment: Assessment,
        questionnaire: Arc<Questionnaire>,
        answers: Answers,
        plan_progress: Vec<StepProgress>,
    ) -> OpenAssessment {
        let summary = score::summarize(&assessment, &questionnaire, &answers);
        let mut open = OpenAssessment {
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
        };
        open.recompute();
        open
    }

    /// The workshop session open on this assessment, if any.
    pub fn open_workshop(&self) -> Option<&WorkshopSession> {
        self.workshops.iter().find(|s| s.is_open())
    }

    pub fn recompute(&mut self) {
        let (questionnaire, answers) = (&self.questionnaire, &self.answers);
        self.summary = score::summarize(&self.assessment, questionnaire, answers);
        self.risk_links = self.registers.risk_links();
        self.soa_findings = crate::model::soa::check(questionnaire, answers, &self.risk_links);
        self.soa_decisions = crate::model::soa::decisions(questionnaire, answers);
        let count = |keep: fn(&Answer) -> bool| {
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
        self.verdict = verdict::verdict_with(
            questionnaire,
            answers,
            &self.actions,
            &self.risk_links,
            &self.registers,
            self.today,
        );
        self.documents = verdict::documents(questionnaire, answers);
        self.open_action = action::items_with_open_action(&self.actions, questionnaire.items.len());
        self.no_action_yet = action::no_action_yet(questionnaire, answers, &self.actions);
    }

    /// The lowest-scored clause items, for the dashboard.
    pub fn gaps(&self, limit: usize) -> Vec<&Item> {
        score::largest_gaps(&self.questionnaire, &self.answers, ItemKind::Clause, limit)
    }
}

/// What went wrong with a write, for the shell's status line.
pub enum Failure<'a> {
    /// A rule refused it (nothing written).
    Refused(&'a str),
    /// The value was not valid (nothing written).
    Invalid(&'a str),
    /// The file could not take it (a full disk, a lock...).
    File(String),
    /// Refused by the item's own rule before anything was written.
    Other,
}

/// Sorts an error of one of these methods for the shell.
pub fn failure(error: &Report) -> Failure<'_> {
    match error.downcast_ref::<StoreError>() {
        Some(StoreError::Refused(reason)) => Failure::Refused(reason),
        Some(StoreError::Invalid(reason)) => Failure::Invalid(reason),
        Some(other) => Failure::File(other.to_string()),
        None => Failure::Other,
    }
}

/// Reads and writes of the open file, for the interactive shell.
impl Context {
    pub fn database(&self) -> &Path {
        self.store.path()
    }

    pub fn assessments(&self) -> Result<Vec<Assessment>> {
        Ok(self.store.assessments()?)
    }

    pub fn find_assessment(&self, name_or_id: &str) -> Result<Option<Assessment>> {
        Ok(self.store.find_assessment(name_or_id)?)
    }

    pub fn assessment(&self, id: i64) -> Result<Assessment> {
        Ok(self.store.assessment(id)?)
    }

    pub fn answers(&self, assessment_id: i64, items: usize) -> Result<Answers> {
        Ok(self.store.answers(assessment_id, items)?)
    }

    pub fn plan_progress(&self, assessment_id: i64, steps: usize) -> Result<Vec<StepProgress>> {
        Ok(self.store.plan_progress(assessment_id, steps)?)
    }

    pub fn actions(&self, assessment_id: i64) -> Result<Vec<crate::model::action::Action>> {
        Ok(self.store.actions(assessment_id)?)
    }

    pub fn registers(&self, assessment_id: i64) -> Result<Registers> {
        Ok(self.store.registers(assessment_id)?)
    }

    pub fn sessions(&self, assessment_id: i64) -> Result<Vec<WorkshopSession>> {
        Ok(self.store.sessions(assessment_id)?)
    }

    pub fn open_conflicts(&self, assessment_id: i64) -> Result<Vec<StoredConflict>> {
        Ok(self.store.open_conflicts(assessment_id)?)
    }

    /// RFC 3339, UTC: the newest history row of the assessment, else its creation.
    pub fn last_change(&self, assessment_id: i64) -> Result<String> {
        Ok(self.store.last_change(assessment_id)?)
    }

    /// The data version of the file: it moves when another connection writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.store.data_version()?)
    }

    /// How many items of the assessment changed since local midnight.
    pub fn items_changed_today(&self, assessment_id: i64) -> Result<usize> {
        Ok(self
            .store
            .items_changed_since(assessment_id, &crate::clock::start_of_today())?)
    }

    pub fn last_change_per_item(
        &self,
        assessment_id: i64,
    ) -> Result<HashMap<u32, (String, Option<u32>)>> {
        Ok(self.store.last_change_per_item(assessment_id)?)
    }

    /// The newest page of the history (of `item`, of `session`) and how many rows match in all.
    pub fn history_page(
        &self,
        assessment_id: i64,
        item: Option<u32>,
        session: Option<u32>,
        limit: usize,
    ) -> Result<(Vec<HistoryEntry>, usize)> {
        Ok(self
            .store
            .history_page(assessment_id, item, session, None, limit)?)
    }

    /// Records the item the assessment was left at (and that it was opened now).
    pub fn remember_position(&mut self, assessment_id: i64, item: u32) -> Result<()> {
        Ok(self.store.remember_position(assessment_id, item)?)
    }

    /// Reads everything one assessment shows; `None` when its questionnaire is unknown to this
    /// build. Returns it with the item it was left at (1-based).
    pub fn open_assessment(
        &self,
        assessment: Assessment,
        today: NaiveDate,
    ) -> Result<Option<(OpenAssessment, u32)>> {
        let Some(questionnaire) = self.catalog.get(&assessment.questionnaire_id) else {
            return Ok(None);
        };
        let plan = PlanTemplate::builtin();
        let answers = self
            .store
            .answers(assessment.id, questionnaire.items.len())?;
        let progress = self.store.plan_progress(assessment.id, plan.steps.len())?;
        let position = self.store.last_position(assessment.id)?;
        let changed_today = self
            .store
            .items_changed_since(assessment.id, &crate::clock::start_of_today())?;
        let actions = self.store.actions(assessment.id)?;
        let mut open = OpenAssessment::new(assessment, questionnaire, answers, progress);
        open.changed_today = changed_today;
        open.today = today;
        open.actions = actions;
        open.recompute_actions();
        if let Ok(registers) = self.store.registers(open.assessment.id) {
            open.registers = registers;
            open.recompute();
        }
        open.run_start_id = self.store.last_history_id(open.assessment.id).unwrap_or(0);
        Ok(Some((open, position)))
    }

    /// Reads what the workshop features show: conflicts, sessions, trend, each item's last
    /// change. What cannot be read keeps its last value.
    pub fn load_workshops(&self, open: &mut OpenAssessment) {
        let id = open.assessment.id;
        if let Ok(conflicts) = self.store.open_conflicts(id) {
            open.conflicts = conflicts;
        }
        if let Ok(workshops) = self.store.sessions(id) {
            open.workshops = workshops;
        }
        if let Ok(last) = self.store.last_change_per_item(id) {
            open.last_changes = last;
        }
        open.trend = super::workshop::trend(
            &self.store,
            &open.assessment,
            &open.questionnaire,
            &open.answers,
        )
        .unwrap_or_default();
    }

    /// The trend per clause at the end of each session, now.
    pub fn trend(&self, open: &OpenAssessment) -> Result<Vec<super::workshop::TrendPoint>> {
        super::workshop::trend(
            &self.store,
            &open.assessment,
            &open.questionnaire,
            &open.answers,
        )
    }

    /// Creates an assessment (see `assessment::create`).
    pub fn create(&mut self, new: &NewAssessment) -> Result<Assessment> {
        super::assessment::create(self, new).map(|(assessment, _)| assessment)
    }

    /// Changes name, scope, assessor or firm of assessment `id`; returns it as saved.
    pub fn edit_assessment(&mut self, id: i64, edit: AssessmentEdit<'_>) -> Result<Assessment> {
        super::assessment::edit_by_id(self, id, edit)
    }

    pub fn backup_path(&self, assessment: &Assessment) -> PathBuf {
        super::assessment::backup_path(&self.store, assessment)
    }

    pub fn delete_with_backup(&mut self, assessment: &Assessment, backup: &Path) -> Result<()> {
        super::assessment::delete_with_backup(&mut self.store, &self.catalog, assessment, backup)
    }

    pub fn migrate(&mut self, from: &Assessment, to: &str, name: &str) -> Result<Assessment> {
        super::migrate::migrate(&mut self.store, &self.catalog, from, to, name)
    }

    pub fn export_into_dir(
        &self,
        assessment: &Assessment,
        format: crate::export::ExportFormat,
        options: &super::export::ExportOptions,
        dir: &Path,
    ) -> Result<(PathBuf, usize)> {
        super::export::write_into_dir_with(
            &self.store,
            &self.catalog,
            assessment,
            format,
            options,
            dir,
        )
    }

    pub fn compare_since(
        &self,
        assessment: &Assessment,
        since: &super::workshop::Since,
    ) -> Result<super::workshop::Compared> {
        super::workshop::compare_since(self, assessment, since)
    }

    pub fn compare_with(
        &self,
        assessment: &Assessment,
        other: &Assessment,
    ) -> Result<super::workshop::Compared> {
        super::workshop::compare_with(self, assessment, other)
    }

    pub fn start_workshop(
        &mut self,
        assessment: &Assessment,
        title: &str,
        participants: &str,
    ) -> Result<WorkshopSession> {
        super::workshop::start(
            &mut self.store,
            assessment,
            title,
            participants,
            "",
            "",
            None,
        )
    }

    pub fn end_workshop(
        &mut self,
        assessment: &Assessment,
        questionnaire: &Questionnaire,
        notes: Option<&str>,
    ) -> Result<WorkshopSession> {
        super::workshop::end(&mut self.store, assessment, questionnaire, notes)
    }

    /// Saves one change to an answer (see `change::answer`).
    pub fn answer(
        &mut self,
        assessment_id: i64,
        item: &Item,
        change: &Change,
    ) -> Result<Option<Answer>> {
        super::change::answer(
            &mut self.store,
            assessment_id,
            item,
            std::slice::from_ref(change),
        )
    }

    /// Saves one change to a plan step (see `change::step`).
    pub fn step(
        &mut self,
        assessment_id: i64,
        step: u32,
        change: &PlanChange,
    ) -> Result<StepProgress> {
        super::change::step(&mut self.store, assessment_id, step, change)
    }

    pub fn add_action(
        &mut self,
        questionnaire: &Questionnaire,
        assessment_id: i64,
        new: crate::model::action::NewAction,
    ) -> Result<crate::model::action::Action> {
        super::action::add(&mut self.store, questionnaire, assessment_id, new)
    }

    pub fn change_action(
        &mut self,
        questionnaire: &Questionnaire,
        assessment_id: i64,
        number: u32,
        change: &crate::model::action::ActionChange,
    ) -> Result<crate::model::action::Action> {
        super::action::change(
            &mut self.store,
            questionnaire,
            assessment_id,
            number,
            std::slice::from_ref(change),
        )
    }

    /// Adds (`id` None) or replaces a register entry; returns its id and, for a replacement that
    /// changed it, the entry as it was (JSON, what takes it back).
    pub fn save_entry<T: crate::store::Entry + PartialEq + serde::Serialize + 'static>(
        &mut self,
        questionnaire: &Questionnaire,
        assessment_id: i64,
        id: Option<&str>,
        entry: &T,
    ) -> Result<(String, Option<String>)> {
        use super::registers as service;
        Ok(match id {
            Some(id) => {
                let change =
                    service::replace(&mut self.store, questionnaire, assessment_id, id, entry)?;
                let before = change
                    .before
                    .filter(|b| change.after.as_ref() != Some(b))
                    .map(|b| serde_json::to_string(&b).unwrap_or_default());
                (id.to_string(), before)
            }
            None => (
                service::add(&mut self.store, questionnaire, assessment_id, entry)?
                    .id()
                    .to_string(),
                None,
            ),
        })
    }

    /// The nonconformity a finding opened, if any (issue 30).
    pub fn opened_by(
        &self,
        assessment_id: i64,
        finding: &str,
    ) -> Result<Option<crate::model::registers::Nonconformity>> {
        super::registers::opened_by(&self.store, assessment_id, finding)
    }

    /// Removes a register entry; returns it as JSON (what takes the removal back).
    pub fn remove_entry(
        &mut self,
        kind: RegisterKind,
        assessment_id: i64,
        id: &str,
    ) -> Result<String> {
        use super::registers::remove;
        let store = &mut self.store;
        let json = |entry: &dyn erased::Json| entry.json();
        match kind {
            RegisterKind::Context => {
                remove::<ContextIssue>(store, assessment_id, id).map(|e| json(&e))
            }
            RegisterKind::Parties => {
                remove::<InterestedParty>(store, assessment_id, id).map(|e| json(&e))
            }
            RegisterKind::Risks => remove::<Risk>(store, assessment_id, id).map(|e| json(&e)),
            RegisterKind::Objectives => {
                remove::<Objective>(store, assessment_id, id).map(|e| json(&e))
            }
            RegisterKind::Audits => remove::<Audit>(store, assessment_id, id).map(|e| json(&e)),
            RegisterKind::Findings => remove::<Finding>(store, assessment_id, id).map(|e| json(&e)),
            RegisterKind::Nonconformities => {
                remove::<Nonconformity>(store, assessment_id, id).map(|e| json(&e))
            }
            RegisterKind::Reviews => {
                remove::<ManagementReview>(store, assessment_id, id).map(|e| json(&e))
            }
        }
    }

    /// Carries out an undo or redo (see `undo::carry_out`).
    pub fn reverse(
        &mut self,
        assessment: &Assessment,
        questionnaire: &Questionnaire,
        reversal: super::undo::Reversal,
        after_id: i64,
    ) -> Result<Option<super::undo::Reversed>> {
        super::undo::carry_out(
            &mut self.store,
            assessment,
            questionnaire,
            reversal,
            after_id,
        )
    }

    /// Settles one merge conflict of the open assessment, then reads its answers, plan and
    /// conflicts again (see `merge::resolve`). Returns the conflict settled.
    pub fn resolve_conflict(
        &mut self,
        open: &mut OpenAssessment,
        id: i64,
        take: crate::model::merge::Resolution,
    ) -> Result<StoredConflict> {
        let assessment = open.assessment.clone();
        let conflict = super::merge::resolve(self, &assessment, id, take)?;
        let assessment_id = assessment.id;
        if let (Ok(answers), Ok(progress), Ok(conflicts)) = (
            self.store
                .answers(assessment_id, open.questionnaire.items.len()),
            self.store
                .plan_progress(assessment_id, open.plan.steps.len()),
            self.store.open_conflicts(assessment_id),
        ) {
            open.answers = answers;
            open.plan_progress = progress;
            open.conflicts = conflicts;
            open.recompute();
        }
        Ok(conflict)
    }
}

mod erased {
    /// A register entry as the JSON the history keeps.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
