//! The state of the interactive app and the one place it changes: `App::update`.
//!
//! Keys are looked up in the keymap (popups and text fields first, then the screen, then global
//! keys) and become `Action`s; `update` hands each action to the popup or screen module that owns
//! it. Changes are saved through the store first, so the screen only ever shows what is on disk.

use super::keymap::{self, Action, Scope};
use super::screens;
use crate::model::plan::{PlanChange, PlanTemplate, StepProgress, StepStatus};
use crate::model::text::text_matches;
use crate::model::{
    Answers, Assessment, Catalog, Change, Item, ItemKind, Level, Questionnaire, ReasonCode,
};
use crate::score::{self, Summary};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::TextArea;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Questionnaire,
    Dashboard,
    Soa,
    Plan,
    Export,
}

impl Screen {
    /// The screens of an open assessment, in `Tab` order.
    pub const TABS: [Screen; 5] = [
        Screen::Questionnaire,
        Screen::Dashboard,
        Screen::Soa,
        Screen::Plan,
        Screen::Export,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Picker => "Assessments",
            Screen::Questionnaire => "Questionnaire",
            Screen::Dashboard => "Dashboard",
            Screen::Soa => "SoA",
            Screen::Plan => "Plan",
            Screen::Export => "Export",
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Screen::Picker => Scope::Picker,
            Screen::Questionnaire => Scope::Questionnaire,
            Screen::Dashboard => Scope::Dashboard,
            Screen::Soa => Scope::Soa,
            Screen::Plan => Scope::Plan,
            Screen::Export => Scope::Export,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// One row of the questionnaire's left pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Group(usize),
    Item(usize),
}

/// Which controls the SoA screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoaFilter {
    All,
    Included,
    Excluded,
    Undecided,
    /// Included, but no reason code (a justification text alone does not count).
    IncludedWithoutReason,
    /// Excluded, but no written justification.
    ExcludedWithoutJustification,
}

impl SoaFilter {
    pub const ALL: [SoaFilter; 6] = [
        SoaFilter::All,
        SoaFilter::Included,
        SoaFilter::Excluded,
        SoaFilter::Undecided,
        SoaFilter::IncludedWithoutReason,
        SoaFilter::ExcludedWithoutJustification,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SoaFilter::All => "all",
            SoaFilter::Included => "applicable",
            SoaFilter::Excluded => "excluded",
            SoaFilter::Undecided => "not decided",
            SoaFilter::IncludedWithoutReason => "included, no reason code",
            SoaFilter::ExcludedWithoutJustification => "excluded, no justification",
        }
    }

    pub fn keeps(self, answer: &crate::model::Answer) -> bool {
        match self {
            SoaFilter::All => true,
            SoaFilter::Included => answer.applicable == Some(true),
            SoaFilter::Excluded => answer.applicable == Some(false),
            SoaFilter::Undecided => answer.applicable.is_none(),
            SoaFilter::IncludedWithoutReason => {
                answer.applicable == Some(true) && answer.reasons.is_empty()
            }
            SoaFilter::ExcludedWithoutJustification => {
                answer.applicable == Some(false) && answer.justification.trim().is_empty()
            }
        }
    }
}

/// The open assessment and everything derived from it.
pub struct Session {
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Answers,
    /// Everything derived from the answers, recomputed once per change (never per frame).
    pub summary: Summary,
    pub soa_findings: Vec<crate::model::soa::Finding>,
    pub soa_decisions: crate::model::soa::Decisions,
    /// Items with a note, and carried-over answers not yet confirmed.
    pub notes: usize,
    pub review_needed: usize,
    /// Index into `questionnaire.items`.
    pub selected: usize,
    /// The left pane: group headers followed by their items.
    pub rows: Vec<Row>,
    /// Index into `rows` of each item, for scrolling.
    pub row_of_item: Vec<usize>,
    pub last_search: Option<String>,
    /// The dashboard's selected gap.
    pub gap_selected: usize,
    /// How many items changed since local midnight (from the history).
    pub changed_today: usize,
    /// How far the selected item's text is scrolled.
    pub detail_scroll: u16,
    /// How far the selected item's note is scrolled (clamped when drawn).
    pub note_scroll: u16,
    pub soa_filter: SoaFilter,
    /// Index into the filtered control list of the SoA screen.
    pub soa_selected: usize,
    /// The last search of the SoA screen (`/`, then `n`/`N`).
    pub soa_search: Option<String>,
    pub plan: &'static PlanTemplate,
    pub plan_progress: Vec<StepProgress>,
    pub plan_selected: usize,
    pub plan_timeline: bool,
    /// The step whose `Space` waits for a second press, because the first would drop its done
    /// date or its blocked/skipped reason. Any other key forgets it.
    pub plan_confirm: Option<u32>,
    /// Index into `ExportFormat::ALL`.
    pub export_selected: usize,
    /// What the Export screen last wrote: path and size.
    pub last_export: Option<String>,
}

impl Session {
    fn new(
        assessment: Assessment,
        questionnaire: Arc<Questionnaire>,
        answers: Answers,
        plan_progress: Vec<StepProgress>,
        selected: usize,
    ) -> Session {
        let summary = score::summarize(&assessment, &questionnaire, &answers);
        let mut rows = Vec::new();
        let mut row_of_item = vec![0; questionnaire.items.len()];
        for (group_index, group) in questionnaire.groups().iter().enumerate() {
            rows.push(Row::Group(group_index));
            for (index, item) in questionnaire.items.iter().enumerate() {
                if item.clause == group.id {
                    row_of_item[index] = rows.len();
                    rows.push(Row::Item(index));
                }
            }
        }
        let selected = selected.min(questionnaire.items.len().saturating_sub(1));
        let mut session = Session {
            assessment,
            questionnaire,
            answers,
            summary,
            soa_findings: Vec::new(),
            soa_decisions: Default::default(),
            notes: 0,
            review_needed: 0,
            selected,
            rows,
            row_of_item,
            last_search: None,
            gap_selected: 0,
            changed_today: 0,
            detail_scroll: 0,
            note_scroll: 0,
            soa_filter: SoaFilter::All,
            soa_selected: 0,
            soa_search: None,
            plan: PlanTemplate::builtin(),
            plan_progress,
            plan_selected: 0,
            plan_timeline: false,
            plan_confirm: None,
            export_selected: 0,
            last_export: None,
        };
        session.recompute();
        session
    }

    pub fn item(&self) -> &Item {
        &self.questionnaire.items[self.selected]
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
    }

    /// The lowest-scored clause items, for the dashboard.
    pub fn gaps(&self, limit: usize) -> Vec<&Item> {
        score::largest_gaps(&self.questionnaire, &self.answers, ItemKind::Clause, limit)
    }

    /// Indices (into the items) of the controls the SoA screen shows under its filter.
    pub fn soa_rows(&self) -> Vec<usize> {
        self.questionnaire
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.is_control())
            .filter(|(_, item)| self.soa_filter.keeps(self.answers.get(item.number)))
            .map(|(index, _)| index)
            .collect()
    }

    /// The control selected on the SoA screen.
    pub fn soa_item(&self) -> Option<&Item> {
        let rows = self.soa_rows();
        rows.get(self.soa_selected.min(rows.len().saturating_sub(1)))
            .map(|&index| &self.questionnaire.items[index])
    }
}

/// The fields of the new-assessment form.
pub struct NewForm {
    pub name: TextArea<'static>,
    pub scope: TextArea<'static>,
    pub assessor: TextArea<'static>,
    pub standard: usize,
    pub focus: usize,
}

impl NewForm {
    pub const FIELDS: [&'static str; 4] = ["Name", "Scope", "Assessor", "Standard"];

    pub fn new(default_standard: usize) -> NewForm {
        NewForm {
            name: single_line(""),
            scope: single_line(""),
            assessor: single_line(""),
            standard: default_standard,
            focus: 0,
        }
    }

    pub fn field_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            0 => Some(&mut self.name),
            1 => Some(&mut self.scope),
            2 => Some(&mut self.assessor),
            _ => None,
        }
    }

    /// Whether the focused field takes typed text (the Standard field is a choice).
    pub fn typing(&self) -> bool {
        self.focus < 3
    }
}

/// The Statement of Applicability decision of one control, being edited.
pub struct DecisionForm {
    pub item: u32,
    pub applicable: bool,
    pub reasons: Vec<ReasonCode>,
    /// Which reason the cursor is on (field 1).
    pub cursor: usize,
    pub justification: TextArea<'static>,
    /// 0 applicability, 1 reasons, 2 justification.
    pub focus: usize,
    /// What the form opened with, to tell a changed form from an untouched one.
    pub opened: (bool, Vec<ReasonCode>, String),
}

impl DecisionForm {
    pub const FIELDS: [&'static str; 3] = ["Applicable", "Reasons", "Justification"];

    /// The form for one control, filled with what is saved.
    pub fn new(item: u32, answer: &crate::model::Answer) -> DecisionForm {
        let applicable = answer.applicable != Some(false);
        DecisionForm {
            item,
            applicable,
            reasons: answer.reasons.clone(),
            cursor: 0,
            justification: single_line(&answer.justification),
            focus: if answer.applicable.is_none() { 0 } else { 2 },
            opened: (
                applicable,
                answer.reasons.clone(),
                answer.justification.clone(),
            ),
        }
    }

    pub fn justification_text(&self) -> String {
        one_line(&self.justification.lines().join("\n"))
    }

    pub fn changed(&self) -> bool {
        let (applicable, reasons, justification) = &self.opened;
        self.applicable != *applicable
            || self.reasons != *reasons
            || self.justification_text().trim() != justification.trim()
    }

    pub fn typing(&self) -> bool {
        self.focus == 2
    }
}

/// Pasted or typed text made fit for a one-line field: line breaks and tabs become spaces, other
/// control characters are dropped, and trailing line breaks go.
pub fn one_line(text: &str) -> String {
    let text = clean_text(text);
    text.trim_end_matches('\n')
        .split('\n')
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pasted text made fit for a multi-line field: Windows and old Mac line ends become `\n`, a tab
/// becomes four spaces, and other control characters (escape sequences among them) are dropped.
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

pub fn single_line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// What a note editor writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteTarget {
    Item(u32),
    Step(u32),
}

/// What a one-line prompt sets when submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptFor {
    StepOwner(u32),
    StepStart(u32),
    StepDue(u32),
    /// The day a step was done (marks it done).
    StepDone(u32),
    StepReason(u32, StepStatus),
    Evidence(u32),
    Risks(u32),
    Owner(u32),
    /// The name of the 2022 assessment carried over from this (2013) assessment id.
    MigrateName(i64),
    /// The new name, scope or assessor of this assessment id (in the picker).
    Rename(i64),
    Scope(i64),
    Assessor(i64),
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    Note {
        target: NoteTarget,
        editor: Box<TextArea<'static>>,
        /// The note as it was when the editor opened (see `Change::Edited`).
        base: String,
    },
    Prompt {
        purpose: PromptFor,
        title: String,
        input: Box<TextArea<'static>>,
        /// The value the field opened with.
        base: String,
    },
    Search {
        query: String,
    },
    /// "Delete this assessment?", naming it and where its backup goes.
    ConfirmDelete(Box<screens::picker::DeleteConfirm>),
    New(Box<NewForm>),
    Decision(Box<DecisionForm>),
    /// A field with unsaved changes that the user tried to leave, or that could not be saved:
    /// the question "save, discard, back to editing, or write it to a file?".
    Unsaved(Box<Unsaved>),
}

pub struct Unsaved {
    /// The field, kept whole: going back to it loses nothing.
    pub field: Popup,
    /// Why it could not be saved, when it was tried.
    pub reason: Option<String>,
    /// Quit once the question is answered (it was asked by Ctrl-C or a signal).
    pub quit_after: bool,
}

impl Popup {
    /// Whether the field holds text or choices that are not saved yet.
    pub fn changed(&self) -> bool {
        match self {
            Popup::Note { editor, base, .. } => {
                editor.lines().join("\n").trim_end() != base.trim_end()
            }
            Popup::Prompt { input, base, .. } => {
                one_line(&input.lines().join("\n")).trim() != base.trim()
            }
            Popup::New(form) => [&form.name, &form.scope, &form.assessor]
                .iter()
                .any(|field| !field.lines().join("").trim().is_empty()),
            Popup::Decision(form) => form.changed(),
            Popup::Unsaved(_) => true,
            Popup::Help { .. } | Popup::Search { .. } | Popup::ConfirmDelete(_) => false,
        }
    }

    /// The action that saves this field.
    pub fn save_action(&self) -> Option<Action> {
        match self {
            Popup::Note { .. } => Some(Action::Save),
            Popup::Prompt { .. } | Popup::New(_) | Popup::Decision(_) => Some(Action::Submit),
            _ => None,
        }
    }

    /// What the user typed, named, for a file when it cannot be saved.
    pub fn typed_text(&self) -> Option<(String, String)> {
        match self {
            Popup::Note { target, editor, .. } => {
                let whose = match target {
                    NoteTarget::Item(item) => format!("note-item-{item}"),
                    NoteTarget::Step(step) => format!("note-step-{step}"),
                };
                Some((whose, editor.lines().join("\n")))
            }
            Popup::Prompt { title, input, .. } => {
                Some((crate::files::slug(title), input.lines().join(" ")))
            }
            Popup::New(form) => Some((
                "new-assessment".into(),
                format!(
                    "Name: {}\nScope: {}\nAssessor: {}",
                    form.name.lines().join(" "),
                    form.scope.lines().join(" "),
                    form.assessor.lines().join(" ")
                ),
            )),
            Popup::Decision(form) => Some((
                format!("applicability-item-{}", form.item),
                format!(
                    "{}\nReasons: {}\nJustification: {}",
                    if form.applicable {
                        "Included"
                    } else {
                        "Excluded"
                    },
                    ReasonCode::join(&form.reasons),
                    form.justification_text()
                ),
            )),
            Popup::Unsaved(question) => question.field.typed_text(),
            Popup::Help { .. } | Popup::Search { .. } | Popup::ConfirmDelete(_) => None,
        }
    }
}

pub struct App {
    pub store: Store,
    pub theme: super::theme::Theme,
    pub catalog: Catalog,
    /// The day overdue steps are judged against (fixed at start, so a frame is a pure function).
    pub today: NaiveDate,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub session: Option<Session>,
    pub assessments: Vec<Assessment>,
    pub picker_selected: usize,
    /// The picker's figures per assessment id, computed for the rows shown only and dropped when
    /// the list is read again.
    pub picker_rows:
        std::cell::RefCell<std::collections::HashMap<i64, screens::picker::RowFigures>>,
    pub status: Option<Status>,
    pub should_quit: bool,
    /// Where the Export screen writes.
    pub export_dir: std::path::PathBuf,
    /// The file's data version when this instance last read it (see `reload_if_changed_elsewhere`).
    pub seen_data_version: i64,
    /// The terminal's size in cells, as last reported; keys do nothing while it is too small.
    pub size: (u16, u16),
    /// An assessment was opened and the file does not say so yet: the event loop records it right
    /// after drawing the next frame (`record_opened`), so the CLI's default follows the app.
    pub open_to_record: bool,
}

impl App {
    pub fn new(store: Store, catalog: Catalog) -> Result<App, StoreError> {
        let assessments = store.assessments()?;
        Ok(App {
            store,
            theme: super::theme::Theme::from_env(),
            catalog,
            today: chrono::Local::now().date_naive(),
            screen: Screen::Picker,
            popup: None,
            session: None,
            assessments,
            picker_selected: 0,
            picker_rows: Default::default(),
            status: None,
            should_quit: false,
            export_dir: crate::paths::export_dir(),
            seen_data_version: 0,
            size: (u16::MAX, u16::MAX),
            open_to_record: false,
        })
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            kind: StatusKind::Info,
            text: text.into(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            kind: StatusKind::Error,
            text: text.into(),
        });
    }

    /// Whether the terminal is below the smallest size the screens are laid out for: then only
    /// quit and resize act, since the user cannot see what a key would do.
    pub fn too_small(&self) -> bool {
        self.size.0 < super::widgets::MIN_WIDTH || self.size.1 < super::widgets::MIN_HEIGHT
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    /// The scope whose keys apply now: the open popup's, else the screen's.
    pub fn scope(&self) -> Scope {
        match &self.popup {
            Some(Popup::Help { .. }) => Scope::Help,
            Some(Popup::Unsaved(_)) => Scope::Unsaved,
            Some(Popup::Note { .. }) => Scope::NoteEditor,
            Some(Popup::Prompt { .. }) => Scope::Prompt,
            Some(Popup::Search { .. }) => Scope::SearchBar,
            Some(Popup::New(_)) => Scope::NewForm,
            Some(Popup::Decision(_)) => Scope::DecisionForm,
            Some(Popup::ConfirmDelete(_)) => Scope::ConfirmDelete,
            None => self.screen.scope(),
        }
    }

    /// Whether a text field has the keyboard: then every printable key is text.
    fn typing(&self) -> bool {
        match &self.popup {
            Some(Popup::Note { .. } | Popup::Prompt { .. } | Popup::Search { .. }) => true,
            Some(Popup::New(form)) => form.typing(),
            Some(Popup::Decision(form)) => form.typing(),
            _ => false,
        }
    }

    /// Whether a one-line text field has the keyboard (where Enter submits rather than breaks a line).
    pub fn typing_one_line(&self) -> bool {
        self.typing() && !matches!(self.popup, Some(Popup::Note { .. }))
    }

    /// Routes one key: to the popup or text field first, then the screen, then global keys.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if self.too_small() {
            // The screen shows only "too small": a key the user cannot see the effect of must
            // not change anything. Quit still works (and still keeps what was typed).
            if is_ctrl_c(&key) || (key.code == KeyCode::Char('q') && key.modifiers.is_empty()) {
                self.update(Action::ForceQuit);
            }
            return;
        }
        let scope = self.scope();
        let typing = self.typing();
        let mut action = keymap::lookup(
            scope,
            &key,
            !typing && self.popup.is_none() || is_ctrl_c(&key),
        );
        if typing && is_printable(&key) && !matches!(action, Some(Action::Submit | Action::Save)) {
            // A printable key in a text field is text, whatever the popup binds it to.
            action = None;
        }
        if action.is_none() && self.popup.is_some() && !typing {
            // Popups that are not typing still answer the global quit and help keys.
            action = keymap::lookup(Scope::Global, &key, false)
                .filter(|a| matches!(a, Action::ForceQuit | Action::ToggleHelp));
        }
        match action {
            Some(action) => self.update(action),
            None if typing => self.type_into_field(key),
            None => {}
        }
    }

    /// A paste (bracketed by the terminal) goes whole to the focused text field, in one insert;
    /// no pasted byte is ever taken as a key. A one-line field takes it with line breaks turned
    /// into spaces; with no text field open the paste is ignored, and the status line says so.
    pub fn handle_paste(&mut self, text: &str) {
        if self.too_small() {
            return;
        }
        match &mut self.popup {
            Some(Popup::Note { editor, .. }) => {
                editor.insert_str(clean_text(text));
            }
            Some(Popup::Prompt { input, .. }) => {
                input.insert_str(one_line(text));
            }
            Some(Popup::Search { query }) => query.push_str(&one_line(text)),
            Some(Popup::New(form)) => match form.field_mut() {
                Some(field) => {
                    field.insert_str(one_line(text));
                }
                None => self.info("Paste ignored: the Standard field is a choice (Left/Right)."),
            },
            Some(Popup::Decision(form)) if form.typing() => {
                form.justification.insert_str(one_line(text));
            }
            _ => self.info("Paste ignored: no text field is open (e opens the note)."),
        }
    }

    fn type_into_field(&mut self, key: KeyEvent) {
        match &mut self.popup {
            Some(Popup::Note { editor, .. }) => {
                editor.input(key);
            }
            Some(Popup::Prompt { input, .. }) if key.code != KeyCode::Enter => {
                input.input(key);
            }
            Some(Popup::Search { query }) => match key.code {
                KeyCode::Char(c) => query.push(c),
                KeyCode::Backspace => {
                    query.pop();
                }
                _ => {}
            },
            Some(Popup::New(form)) => {
                if key.code != KeyCode::Enter
                    && let Some(field) = form.field_mut()
                {
                    field.input(key);
                }
            }
            Some(Popup::Decision(form)) if key.code != KeyCode::Enter => {
                form.justification.input(key);
            }
            _ => {}
        }
    }

    /// Applies one action. The single way the app's state changes.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::ForceQuit => {
                self.force_quit();
                return;
            }
            Action::ToggleHelp => {
                match self.popup {
                    Some(Popup::Help { .. }) => self.popup = None,
                    None => self.popup = Some(Popup::Help { scroll: 0 }),
                    // Help never replaces an open field: what it holds would be lost.
                    Some(_) => {}
                }
                return;
            }
            _ => {}
        }
        let confirming =
            self.popup.is_none() && self.screen == Screen::Plan && action == Action::CycleStatus;
        if !confirming && let Some(session) = &mut self.session {
            session.plan_confirm = None;
        }
        match self.popup.take() {
            // Esc in a field with unsaved changes asks before anything typed is dropped.
            Some(popup)
                if action == Action::Back
                    && popup.changed()
                    && !matches!(popup, Popup::Unsaved(_)) =>
            {
                self.popup = Some(Popup::Unsaved(Box::new(Unsaved {
                    field: popup,
                    reason: None,
                    quit_after: false,
                })));
            }
            Some(popup) => screens::popups::update(self, popup, action),
            None => self.update_screen(action),
        }
    }

    /// Saves the open field; false (and the field stays open) when it could not be saved.
    pub fn save_field(&mut self, popup: Popup) -> bool {
        let Some(action) = popup.save_action() else {
            return true;
        };
        screens::popups::update(self, popup, action);
        self.popup.is_none()
    }

    /// Ctrl-C, or a signal: quit, but never drop what was typed. A changed field is saved when it
    /// can be; when it cannot, the question appears instead of quitting. Ctrl-C at that question
    /// writes the text to a file and quits.
    fn force_quit(&mut self) {
        match self.popup.take() {
            Some(Popup::Unsaved(question)) => {
                match self.rescue(&question.field) {
                    Ok(message) => self.info(message),
                    Err(message) => self.error(message),
                }
                self.quit();
            }
            Some(popup) if popup.changed() => {
                if self.save_field(popup) {
                    self.quit();
                } else if let Some(field) = self.popup.take() {
                    self.ask_unsaved(field, true);
                }
            }
            _ => self.quit(),
        }
    }

    /// Puts the "not saved" question over a field, with the reason the status line gave.
    pub fn ask_unsaved(&mut self, field: Popup, quit_after: bool) {
        let reason = self.status.as_ref().map(|status| status.text.clone());
        self.popup = Some(Popup::Unsaved(Box::new(Unsaved {
            field,
            reason,
            quit_after,
        })));
    }

    /// Writes what a field holds to a file of its own (owner-only), so nothing typed is lost when
    /// the database cannot take it. Returns the message to show.
    pub fn rescue(&self, field: &Popup) -> Result<String, String> {
        let Some((what, text)) = field.typed_text() else {
            return Ok("Nothing typed to keep.".into());
        };
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let mut tried = Vec::new();
        for dir in [self.export_dir.clone(), std::env::temp_dir()] {
            let path =
                crate::files::free_path(&dir, &format!("isms-ready-unsaved-{what}-{stamp}"), "txt");
            let written = std::fs::create_dir_all(&dir)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    crate::files::write_atomically(&path, text.as_bytes(), false)
                        .map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => {
                    return Ok(format!("What you typed was written to {}.", path.display()));
                }
                Err(error) => tried.push(format!("{}: {error}", dir.display())),
            }
        }
        Err(format!(
            "Could not write what you typed anywhere ({}).",
            tried.join("; ")
        ))
    }

    /// What must be said on the terminal after the app closed: text that could not be saved and
    /// was written to a file instead. Called when the process is told to stop (SIGTERM, SIGHUP).
    pub fn stop(&mut self) -> Option<String> {
        self.update(Action::ForceQuit);
        let field = self.popup.take()?;
        let field = match field {
            Popup::Unsaved(question) => question.field,
            other => other,
        };
        field.changed().then(|| {
            let reason = self
                .status
                .as_ref()
                .map_or_else(String::new, |s| format!(" ({})", s.text));
            let outcome = self.rescue(&field).unwrap_or_else(|message| message);
            format!("isms-ready: an open field could not be saved{reason}. {outcome}")
        })
    }

    fn update_screen(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit(),
            Action::NextScreen | Action::PreviousScreen => {
                self.switch_screen(action == Action::NextScreen)
            }
            Action::Back if self.screen != Screen::Picker => {
                self.remember_position();
                self.refresh_assessments();
                self.screen = Screen::Picker;
            }
            _ => {
                if self.session.is_none() && self.screen != Screen::Picker {
                    self.screen = Screen::Picker;
                }
                match self.screen {
                    Screen::Picker => screens::picker::update(self, action),
                    Screen::Questionnaire => screens::questionnaire::update(self, action),
                    Screen::Dashboard => screens::dashboard::update(self, action),
                    Screen::Soa => screens::soa::update(self, action),
                    Screen::Plan => screens::plan::update(self, action),
                    Screen::Export => screens::export::update(self, action),
                }
            }
        }
    }

    fn switch_screen(&mut self, forward: bool) {
        if self.screen == Screen::Picker {
            // From the picker, Tab opens the highlighted assessment (not the one open before).
            let tabs = Screen::TABS;
            let screen = if forward {
                tabs[0]
            } else {
                tabs[tabs.len() - 1]
            };
            screens::picker::open_selected(self, screen);
            return;
        }
        if self.session.is_none() {
            self.info("Open an assessment first (Enter), or create one (n).");
            return;
        }
        let tabs = Screen::TABS;
        let position = tabs.iter().position(|s| *s == self.screen).unwrap_or(0);
        let next = if forward {
            (position + 1) % tabs.len()
        } else {
            (position + tabs.len() - 1) % tabs.len()
        };
        self.screen = tabs[next];
    }

    /// Selects a questionnaire item by index.
    pub fn select(&mut self, index: usize) {
        if let Some(session) = &mut self.session {
            session.selected = index.min(session.questionnaire.items.len().saturating_sub(1));
            session.detail_scroll = 0;
            session.note_scroll = 0;
        }
    }

    /// Saves a change to one item; the screen changes only once the change is on disk.
    pub fn apply_change(&mut self, item_number: u32, change: Change) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let Some(item) = session.questionnaire.item(item_number) else {
            return false;
        };
        if let Err(reason) = change.check(item) {
            self.error(reason);
            return false;
        }
        let level_before = session.answers.get(item_number).level;
        match self
            .store
            .apply_change(session.assessment.id, item_number, &change)
        {
            Ok(saved) => {
                let level_cleared = level_before.filter(|_| saved.level.is_none());
                *session.answers.get_mut(item_number) = saved;
                session.recompute();
                let id = session.assessment.id;
                session.changed_today = self
                    .store
                    .items_changed_since(id, &local_midnight_utc())
                    .unwrap_or(session.changed_today);
                let shown = match &change {
                    Change::Edited { edit, .. } => &**edit,
                    change => change,
                };
                let message = match shown {
                    Change::Level(Some(level)) => {
                        format!("Item {item_number}: level {level} saved.")
                    }
                    Change::Level(None) => format!("Item {item_number}: level cleared."),
                    Change::Applicability {
                        applicable: Some(false),
                        ..
                    } => match level_cleared {
                        Some(level) => format!(
                            "Item {item_number}: excluded, justification saved; its level {level} was cleared (kept in the history)."
                        ),
                        None => format!("Item {item_number}: excluded, justification saved."),
                    },
                    Change::Applicability { .. } => {
                        format!("Item {item_number}: applicability saved.")
                    }
                    other => format!("Item {item_number}: {} saved.", other.field()),
                };
                self.info(message);
                true
            }
            // A rule refused it (e.g. a level on an excluded control): say why, plainly.
            Err(StoreError::Refused(reason)) => {
                self.error(reason);
                false
            }
            Err(error) => {
                self.error(format!("NOT SAVED: {error}"));
                false
            }
        }
    }

    /// Saves a change to one plan step.
    pub fn apply_plan_change(&mut self, step: u32, change: PlanChange) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let stored = session.plan_progress.get(step as usize - 1);
        if let Err(reason) = change.check_against(&stored.cloned().unwrap_or_default()) {
            self.error(format!("Step {step} not changed: {reason}."));
            return false;
        }
        match self
            .store
            .apply_plan_change(session.assessment.id, step, &change)
        {
            Ok(saved) => {
                let status = saved.status;
                if let Some(slot) = session.plan_progress.get_mut(step as usize - 1) {
                    *slot = saved;
                }
                let message = match change {
                    PlanChange::Status { .. } => format!("Step {step}: {status}."),
                    PlanChange::DoneOn { date, .. } => format!("Step {step}: done on {date}."),
                    other => format!("Step {step}: {} saved.", other.field()),
                };
                self.info(message);
                true
            }
            Err(error) => {
                self.error(format!("NOT SAVED: {error}"));
                false
            }
        }
    }

    /// Saves the text of a note editor that opened on `base`; false (and the editor stays open)
    /// when it could not be. Another window's text saved meanwhile is kept, after this one.
    pub fn save_note(&mut self, target: NoteTarget, base: &str, text: String) -> bool {
        let text = text.trim_end().to_string();
        match target {
            NoteTarget::Item(item) => self.apply_edit(item, base, Change::Note(text)),
            NoteTarget::Step(step) => self.apply_plan_edit(step, base, PlanChange::Note(text)),
        }
    }

    /// Saves a step's note or owner typed in a field that opened on `base`, keeping another
    /// window's text saved meanwhile (see `apply_edit`).
    pub fn apply_plan_edit(&mut self, step: u32, base: &str, change: PlanChange) -> bool {
        let (typed, note) = match &change {
            PlanChange::Note(text) => (text.trim_end().to_string(), true),
            PlanChange::Owner(text) => (text.trim().to_string(), false),
            _ => return self.apply_plan_change(step, change),
        };
        let field = change.field();
        let edited = PlanChange::Edited {
            base: base.to_string(),
            edit: Box::new(change),
        };
        if !self.apply_plan_change(step, edited) {
            return false;
        }
        let saved = self
            .session
            .as_ref()
            .and_then(|s| s.plan_progress.get(step as usize - 1))
            .map(|p| {
                if note {
                    p.note.clone()
                } else {
                    p.owner.clone()
                }
            });
        if saved.is_some_and(|saved| saved.trim_end() != typed) {
            self.info(format!(
                "Step {step}: {field} saved. Another window changed it while you typed: both texts are kept, yours first."
            ));
        }
        true
    }

    /// Saves a free-text change typed in a field that opened on `base`: if another window saved
    /// a different text meanwhile, both are kept (`Change::Edited`) and the status line says so.
    pub fn apply_edit(&mut self, item: u32, base: &str, change: Change) -> bool {
        let typed = change.text().unwrap_or_default().trim_end().to_string();
        let edited = Change::Edited {
            base: base.to_string(),
            edit: Box::new(change),
        };
        if !self.apply_change(item, edited.clone()) {
            return false;
        }
        let saved = self
            .session
            .as_ref()
            .and_then(|s| edited.stored_text(s.answers.get(item)).map(str::to_string));
        if saved.is_some_and(|saved| saved.trim_end() != typed) {
            self.info(format!(
                "Item {item}: {} saved. Another window changed it while you typed: both texts are kept, yours first.",
                edited.field()
            ));
        }
        true
    }

    pub fn open_note(&mut self, target: NoteTarget) {
        let Some(session) = &self.session else { return };
        let note = match target {
            NoteTarget::Item(item) => session.answers.get(item).note.clone(),
            NoteTarget::Step(step) => session
                .plan_progress
                .get(step as usize - 1)
                .map(|p| p.note.clone())
                .unwrap_or_default(),
        };
        let mut editor = TextArea::new(note.lines().map(String::from).collect());
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        self.popup = Some(Popup::Note {
            target,
            editor: Box::new(editor),
            base: note,
        });
    }

    pub fn open_prompt(&mut self, purpose: PromptFor, title: impl Into<String>, value: &str) {
        self.popup = Some(Popup::Prompt {
            purpose,
            title: title.into(),
            input: Box::new(single_line(value)),
            base: value.to_string(),
        });
    }

    pub fn quit(&mut self) {
        if self.popup.as_ref().is_some_and(Popup::changed) {
            // A field could not be saved: stay, so the text is not lost.
            return;
        }
        self.remember_position();
        self.should_quit = true;
    }

    fn remember_position(&mut self) {
        if let Some(session) = &self.session {
            let item = session.item().number;
            let id = session.assessment.id;
            if let Err(error) = self.store.remember_position(id, item) {
                self.error(format!("Could not remember the position: {error}"));
            }
        }
    }

    /// Records the open assessment as the one opened last (the default of the command line), once
    /// per opening. The event loop calls it after drawing a frame.
    pub fn record_opened(&mut self) {
        if std::mem::take(&mut self.open_to_record) {
            self.remember_position();
        }
    }

    pub fn refresh_assessments(&mut self) {
        self.picker_rows.get_mut().clear();
        match self.store.assessments() {
            Ok(list) => {
                let current = self.session.as_ref().map(|s| s.assessment.id);
                self.picker_selected = current
                    .and_then(|id| list.iter().position(|a| a.id == id))
                    .unwrap_or(0);
                self.assessments = list;
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Opens an assessment at the item where it was left.
    pub fn open_assessment(&mut self, assessment: Assessment) {
        let Some(questionnaire) = self.catalog.get(&assessment.questionnaire_id) else {
            self.error(format!(
                "\"{}\" uses questionnaire \"{}\", which this build does not know.",
                assessment.name, assessment.questionnaire_id
            ));
            return;
        };
        let plan = PlanTemplate::builtin();
        let loaded = (|| {
            Ok::<_, StoreError>((
                self.store
                    .answers(assessment.id, questionnaire.items.len())?,
                self.store.plan_progress(assessment.id, plan.steps.len())?,
                self.store.last_position(assessment.id)?,
                self.store
                    .items_changed_since(assessment.id, &local_midnight_utc())?,
            ))
        })();
        match loaded {
            Ok((answers, progress, position, changed_today)) => {
                let selected = (position as usize).saturating_sub(1);
                let name = assessment.name.clone();
                let mut session =
                    Session::new(assessment, questionnaire, answers, progress, selected);
                session.changed_today = changed_today;
                let notice = session
                    .questionnaire
                    .superseded
                    .as_ref()
                    .map(|s| s.notice.clone());
                self.session = Some(session);
                self.screen = Screen::Questionnaire;
                // Recorded as opened after the next frame is drawn (`record_opened`): a commit
                // here would put a disk flush on the path to the first frame.
                self.open_to_record = true;
                self.refresh_assessments();
                match notice {
                    Some(notice) => self.error(notice),
                    None => self.info(format!("Opened \"{name}\". Press ? for every key.")),
                }
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Reads the answers and plan again when another instance changed the file, so two windows on
    /// one file both show what is saved. The selection and any open popup stay as they are.
    pub fn reload_if_changed_elsewhere(&mut self) {
        let Ok(version) = self.store.data_version() else {
            return;
        };
        if version == self.seen_data_version {
            return;
        }
        let first_look = self.seen_data_version == 0;
        self.seen_data_version = version;
        if first_look {
            return;
        }
        self.refresh_assessments();
        let Some(session) = &mut self.session else {
            return;
        };
        let id = session.assessment.id;
        let reloaded = self
            .store
            .answers(id, session.questionnaire.items.len())
            .and_then(|answers| {
                Ok((
                    answers,
                    self.store.plan_progress(id, session.plan.steps.len())?,
                ))
            });
        if let Ok((answers, progress)) = reloaded
            && (answers != session.answers || progress != session.plan_progress)
        {
            session.answers = answers;
            session.plan_progress = progress;
            session.recompute();
            session.changed_today = self
                .store
                .items_changed_since(id, &local_midnight_utc())
                .unwrap_or(session.changed_today);
            self.info("Updated: another isms-ready changed this assessment.");
        }
    }

    /// Moves to the next (or previous) item matching the last search, wrapping around.
    pub fn search(&mut self, forward: bool, from_current: bool) {
        let Some(session) = &mut self.session else {
            return;
        };
        let Some(query) = session.last_search.clone() else {
            self.info("No search yet: press / to search.");
            return;
        };
        let count = session.questionnaire.items.len();
        // Case and accents are ignored (`equipe` finds `équipe`), in the texts and the note.
        let matches = |index: usize| {
            let item = &session.questionnaire.items[index];
            item.number.to_string() == query.trim()
                || [
                    &item.reference,
                    &item.title,
                    &item.question,
                    &item.guidance,
                    &session.answers.get(item.number).note,
                ]
                .iter()
                .any(|text| text_matches(text, &query))
        };
        let total = (0..count).filter(|&i| matches(i)).count();
        let first_offset = if from_current { 0 } else { 1 };
        let found = (first_offset..count + first_offset)
            .map(|offset| {
                if forward {
                    (session.selected + offset) % count
                } else {
                    (session.selected + count * 2 - offset) % count
                }
            })
            .find(|&index| matches(index));
        match found {
            Some(index) => {
                let position = (0..=index).filter(|&i| matches(i)).count();
                self.select(index);
                self.info(format!(
                    "\"{query}\": match {position} of {total} (n next, N previous)"
                ));
            }
            None => self.error(format!("\"{query}\": no match")),
        }
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

fn is_printable(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The level shown for an answer, as a one-character mark.
pub fn level_mark(level: Option<Level>) -> char {
    match level {
        Some(level) => char::from(b'0' + level.value()),
        None => '.',
    }
}

/// The start of today in local time, as the UTC timestamp the history uses.
fn local_midnight_utc() -> String {
    use chrono::{Local, TimeZone, Utc};
    let midnight = Local::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
