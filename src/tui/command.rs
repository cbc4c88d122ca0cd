//! What views and popups ask the app to do. `App::apply` is the only code that carries a command
//! out, and the only TUI code that touches the store or the disk.

use super::popups::Popup;
use super::register_form::EntryValue;
use super::screens::Screen;
use crate::export::ExportFormat;
use crate::model::plan::PlanChange;
use crate::model::registers::RegisterKind;
use crate::model::{Assessment, Change};
use crate::service::open::NewAssessment;
use std::path::PathBuf;

/// Which detail of an assessment a picker prompt edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentField {
    Name,
    Scope,
    Assessor,
    Firm,
}

impl AssessmentField {
    /// The edit that sets this field to `value`.
    pub fn edit(self, value: &str) -> crate::service::AssessmentEdit<'_> {
        let mut edit = crate::service::AssessmentEdit::default();
        match self {
            AssessmentField::Name => edit.name = Some(value),
            AssessmentField::Scope => edit.scope = Some(value),
            AssessmentField::Assessor => edit.assessor = Some(value),
            AssessmentField::Firm => edit.firm = Some(value),
        }
        edit
    }
}

pub enum Command {
    /// Save a change to one answer of the open assessment. A typed text arrives as
    /// `Change::Edited`, carrying what the field held when it opened.
    Answer {
        item: u32,
        change: Change,
    },
    /// Save a change to one step of the plan (typed texts as `PlanChange::Edited`).
    Step {
        step: u32,
        change: PlanChange,
    },
    /// Open a popup (a form, a text field, a question, help).
    Popup(Popup),
    Info(String),
    Error(String),
    /// Show an item (by number) in the questionnaire.
    ShowItem(u32),
    /// Open an assessment on a screen (the one already open is shown as it was left).
    Open {
        assessment: Assessment,
        screen: Screen,
    },
    Create(NewAssessment),
    /// Carry a 2013 assessment over to 2022 under a new name, then open it.
    Migrate {
        from: Assessment,
        name: String,
    },
    EditAssessment {
        id: i64,
        field: AssessmentField,
        value: String,
    },
    /// Ask before deleting an assessment (the app names the backup file).
    AskDelete(Assessment),
    /// Delete an assessment once its backup is written to `backup`.
    Delete {
        assessment: Assessment,
        backup: PathBuf,
    },
    /// Write the open assessment in a format, with the CLI's options, to the export folder.
    Export(ExportFormat, crate::service::export::ExportOptions),
    /// Add an action on these items, with this title.
    AddAction {
        items: Vec<u32>,
        title: String,
    },
    /// Save a change to one action (by number).
    ChangeAction {
        number: u32,
        change: crate::model::action::ActionChange,
    },
    /// Set the Actions screen's filter text.
    FilterActions(String),
    /// Show the Actions screen's verdict view (the blockers of stage 1 or 2).
    ShowVerdict(u8),
    /// Search the current screen for `query` (from the search bar).
    Search(String),
    /// Go to the row `target` names on the current screen (from the go-to field).
    GoTo(String),
    /// Show a screen of the open assessment (the picker: back to the assessments).
    Show(Screen),
    /// Add a register entry (`id` none) or replace entry `id`.
    SaveEntry {
        id: Option<String>,
        entry: EntryValue,
    },
    /// Remove a register entry (after the confirmation).
    RemoveEntry {
        kind: RegisterKind,
        id: String,
    },
    /// Show one register on the Registers screen.
    OpenRegister(RegisterKind),
    /// Walk an audit (by id) in audit mode, over the screen shown.
    ShowAudit(String),
    Quit,
    /// Open a workshop session on the open assessment.
    StartSession {
        title: String,
        participants: String,
    },
    /// End the open workshop session, adding its closing notes (asked first).
    EndSession {
        notes: String,
    },
    /// Read and show the history (of one item, of one session when given).
    ShowHistory {
        item: Option<u32>,
        session: Option<u32>,
    },
    /// Compare the open assessment with the `n`th point (see `App::compare_points`) and show it.
    ShowCompare(usize),
    /// Undo the last change of this run; redo the last undo.
    Undo,
    Redo,
    /// Show the Merge screen (the waiting conflicts, read again).
    ShowMerge,
    /// Settle a merge conflict.
    ResolveConflict {
        id: i64,
        take: crate::model::merge::Resolution,
    },
}
