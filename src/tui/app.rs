//! The app: routes keys to the open popup, the screen's view or the global keys (`handle_key`),
//! turns them into actions (`update`), and carries out what views and popups ask for
//! (`apply`). `apply` is the only TUI code that writes to the store or the disk, and it changes
//! the screen only once a change is saved, so the screen shows what is on disk.

use super::command::{AssessmentField, Command};
use super::keymap::{self, Action, Scope};
pub use super::popups::Popup;
pub use super::popups::{DecisionForm, NewForm, NoteTarget, PromptFor};
use super::popups::{DeleteConfirm, Outcome, Unsaved};
pub use super::screens::Screen;
use super::screens::Views;
pub use super::session::Session;
use super::session::{Context, PickerRow, RowFigures};
use crate::model::plan::{PlanChange, PlanTemplate};
use crate::model::{Assessment, Catalog, Change, Item};
use crate::score;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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

pub struct App {
    pub store: Store,
    pub theme: super::theme::Theme,
    pub catalog: Catalog,
    /// The day overdue steps are judged against (fixed at start, so a frame is a pure function).
    pub today: NaiveDate,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub session: Option<Session>,
    /// The state of every screen.
    pub views: Views,
    /// The assessments in the file, for the picker (figures read near the selection only).
    pub assessments: Vec<PickerRow>,
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

/// The `Context` of an app, from its fields (a macro, so that `views` can be borrowed mutably
/// beside it).
macro_rules! context_of {
    ($app:expr) => {
        Context {
            session: $app.session.as_ref(),
            assessments: &$app.assessments,
            catalog: &$app.catalog,
            theme: $app.theme,
            today: $app.today,
            database: $app.store.path(),
            export_dir: &$app.export_dir,
        }
    };
}

/// How many picker rows around the selection have their figures read (more than a screen shows).
const PICKER_FIGURES_AROUND: usize = 64;

impl App {
    pub fn new(store: Store, catalog: Catalog) -> Result<App, StoreError> {
        let mut app = App::without_picker_figures(store, catalog)?;
        app.read_picker_figures();
        Ok(app)
    }

    /// Like `new`, but the picker's figures (a summary of every assessment) are read only when
    /// the picker is shown: for a start that opens one assessment at once (`-a NAME`), whose
    /// first frame then costs the same in a file of 50 clients as in a file of one (issue 27).
    pub fn without_picker_figures(store: Store, catalog: Catalog) -> Result<App, StoreError> {
        let assessments = store
            .assessments()?
            .into_iter()
            .map(|assessment| PickerRow {
                assessment,
                figures: None,
            })
            .collect();
        Ok(App {
            store,
            theme: super::theme::Theme::from_env(),
            catalog,
            today: crate::clock::today(),
            screen: Screen::Picker,
            popup: None,
            session: None,
            views: Views::new(),
            assessments,
            status: None,
            should_quit: false,
            export_dir: crate::paths::export_dir(),
            seen_data_version: 0,
            size: (u16::MAX, u16::MAX),
            open_to_record: false,
        })
    }

    /// What the views may read.
    pub fn context(&self) -> Context<'_> {
        context_of!(self)
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

    /// The item selected in the questionnaire.
    pub fn selected_item(&self) -> Option<&Item> {
        self.session
            .as_ref()
            .map(|session| self.views.questionnaire.item(session))
    }

    /// Selects a questionnaire item by index.
    pub fn select(&mut self, index: usize) {
        self.views.questionnaire.select(index);
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
            Some(popup) => popup.scope(),
            None => self.screen.scope(),
        }
    }

    /// Whether a text field has the keyboard: then every printable key is text.
    fn typing(&self) -> bool {
        self.popup.as_ref().is_some_and(Popup::typing)
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
            None if typing => self.update(Action::Type(key)),
            // A letter that does nothing here says so, rather than nothing happening.
            None if self.popup.is_none() && is_printable(&key) => self.unbound(&key),
            None => {}
        }
    }

    /// Says on the status line that a key does nothing on this screen, and where it does.
    fn unbound(&mut self, key: &KeyEvent) {
        let KeyCode::Char(c) = key.code else { return };
        let here = self.screen.title();
        let elsewhere: Vec<&str> = keymap::KEYMAP
            .iter()
            .filter(|b| b.keys.iter().any(|k| k.matches(key)))
            .map(|b| b.scope.title())
            .filter(|title| *title != here)
            .collect::<Vec<_>>();
        let mut places: Vec<&str> = Vec::new();
        for place in elsewhere {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        let crossed = match self.screen {
            Screen::Plan if c == 'x' => format!(
                " Here {} skips the step (it asks why).",
                keymap::label(Scope::Plan, Action::SkipStep)
            ),
            Screen::Actions if c == 'x' => format!(
                " Here {} drops the action (it asks first).",
                keymap::label(Scope::Actions, Action::DropAction)
            ),
            _ => String::new(),
        };
        let said = if places.is_empty() {
            format!("{c} does nothing here.")
        } else {
            format!("{c} does nothing here; it works in: {}.", places.join(", "))
        };
        self.info(format!(
            "{said}{crossed} {} lists this screen's keys.",
            keymap::label(Scope::Global, Action::ToggleHelp)
        ));
    }

    /// A paste (bracketed by the terminal) goes whole to the focused text field, in one insert;
    /// no pasted byte is ever taken as a key. A one-line field takes it with line breaks turned
    /// into spaces; with no text field open the paste is ignored, and the status line says so.
    pub fn handle_paste(&mut self, text: &str) {
        if self.too_small() {
            return;
        }
        let pasted = self.popup.as_mut().is_some_and(|popup| popup.paste(text));
        if !pasted {
            self.info(format!(
                "Paste ignored: no text field is open ({} opens the note).",
                keymap::label(Scope::Questionnaire, Action::EditNote)
            ));
        }
    }

    /// Applies one action. The single way the app's state changes in answer to a key.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::ForceQuit => return self.force_quit(),
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
            Some(popup) => {
                let outcome = popup.update(&self.context(), action);
                self.settle(outcome);
            }
            None => self.update_screen(action),
        }
    }

    /// Carries out what a popup answered.
    fn settle(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Keep(popup, command) => {
                self.popup = Some(popup);
                if let Some(command) = command {
                    self.apply(command);
                }
            }
            Outcome::Close(command) => {
                if let Some(command) = command {
                    self.apply(command);
                }
            }
            Outcome::Save {
                field,
                command,
                quit_after,
            } => {
                if self.apply(command) {
                    if quit_after {
                        self.quit();
                    }
                } else if quit_after || matches!(field, Popup::Note { .. } | Popup::Unsaved(_)) {
                    // Nothing typed is dropped: the field stays, under the question.
                    self.ask_unsaved(field, quit_after);
                } else if self.popup.is_none() {
                    self.popup = Some(field);
                }
            }
            Outcome::Rescue { field, quit_after } => match self.rescue(&field) {
                Ok(message) => {
                    self.info(message);
                    if quit_after {
                        self.quit();
                    }
                }
                Err(message) => {
                    self.error(message);
                    self.ask_unsaved(field, quit_after);
                }
            },
        }
    }

    fn update_screen(&mut self, action: Action) {
        match action {
            Action::Quit => return self.quit(),
            Action::NextScreen | Action::PreviousScreen if self.screen != Screen::Picker => {
                return self.switch_screen(action == Action::NextScreen);
            }
            Action::Back if self.screen == Screen::Merge => {
                let from = self.views.merge.from.unwrap_or(Screen::Dashboard);
                return self.show(from);
            }
            Action::Back if self.screen == Screen::Compare => {
                return self.show(Screen::Dashboard);
            }
            Action::Back if self.screen == Screen::History => {
                let from = self.views.history.from;
                return self.show(from);
            }
            Action::Back if self.screen != Screen::Picker => return self.back_to_picker(),
            Action::Session | Action::Compare | Action::Merge
                if self.screen != Screen::Dashboard =>
            {
                let Some(session) = self
                    .session
                    .as_ref()
                    .filter(|_| self.screen != Screen::Picker)
                else {
                    return self.info(format!(
                        "{} (session), {} (compare) and {} (merge) act on an open assessment: open one first ({}).",
                        keymap::label(Scope::Global, Action::Session),
                        keymap::label(Scope::Global, Action::Compare),
                        keymap::label(Scope::Global, Action::Merge),
                        keymap::label(Scope::Picker, Action::Open)
                    ));
                };
                let command = match action {
                    Action::Session => super::screens::dashboard::session_command(session),
                    Action::Compare => Command::ShowCompare(0),
                    _ => Command::ShowMerge,
                };
                self.apply(command);
                return;
            }
            Action::GoTo => {
                let what = match self.screen {
                    Screen::Picker => "an assessment's row number or name",
                    Screen::Soa => "a control's ref or item number (A.5.10, 95)",
                    Screen::Plan => "a step number (1-26)",
                    Screen::Actions => "an action number (#3)",
                    Screen::Registers => "an entry id (C-2, P-1, R-3, O-1) or its number",
                    _ => "an item number or ref (28, 5.3 b), A.5.10)",
                };
                self.popup = Some(Popup::prompt(PromptFor::GoTo, format!("Go to: {what}"), ""));
                return;
            }
            Action::Undo if self.session.is_some() => {
                self.apply(Command::Undo);
                return;
            }
            Action::Redo if self.session.is_some() => {
                self.apply(Command::Redo);
                return;
            }
            _ => {}
        }
        if self.session.is_none() && self.screen != Screen::Picker {
            self.screen = Screen::Picker;
        }
        let ctx = context_of!(self);
        let command = self.views.update(self.screen, &ctx, action);
        if let Some(command) = command {
            self.apply(command);
        }
        if self.screen == Screen::Picker {
            self.read_picker_figures();
        }
    }

    fn switch_screen(&mut self, forward: bool) {
        let tabs = Screen::TABS;
        let position = tabs.iter().position(|s| *s == self.screen).unwrap_or(0);
        let next = if forward {
            (position + 1) % tabs.len()
        } else {
            (position + tabs.len() - 1) % tabs.len()
        };
        self.show(tabs[next]);
    }

    fn show(&mut self, screen: Screen) {
        // A pending second Space on the plan is cancelled by leaving it.
        self.views.plan.confirm = None;
        self.screen = screen;
        if screen == Screen::Picker {
            self.read_picker_figures();
        }
    }

    fn back_to_picker(&mut self) {
        self.remember_position();
        self.refresh_assessments();
        self.show(Screen::Picker);
    }

    /// Carries out a command from a view or a popup; false when it could not be (the status line
    /// says why). The only TUI code that writes to the store or the disk.
    pub fn apply(&mut self, command: Command) -> bool {
        match command {
            Command::Answer { item, change } => self.apply_answer(item, change),
            Command::Step { step, change } => self.apply_step(step, change),
            Command::Popup(popup) => {
                self.popup = Some(popup);
                true
            }
            Command::Info(text) => {
                self.info(text);
                true
            }
            Command::Error(text) => {
                self.error(text);
                false
            }
            Command::ShowItem(number) => {
                if let Some(session) = &self.session {
                    self.views.questionnaire.show(session, number);
                }
                self.show(Screen::Questionnaire);
                true
            }
            Command::Show(screen) => {
                if self.session.is_some() || screen == Screen::Picker {
                    self.show(screen);
                }
                true
            }
            Command::Open { assessment, screen } => {
                if self.session.as_ref().map(|s| s.assessment.id) != Some(assessment.id) {
                    self.open_assessment(assessment);
                }
                if self.session.is_some() {
                    self.show(screen);
                }
                self.session.is_some()
            }
            Command::Create(new) => match self.store.create_assessment(&new) {
                Ok(assessment) => {
                    self.open_assessment(assessment);
                    true
                }
                Err(error) => {
                    self.error(error.to_string());
                    false
                }
            },
            Command::Migrate { from, name } => self.migrate(&from, &name),
            Command::EditAssessment { id, field, value } => self.edit_assessment(id, field, &value),
            Command::AskDelete(assessment) => {
                let backup = crate::service::assessment::backup_path(&self.store, &assessment);
                self.popup = Some(Popup::ConfirmDelete(Box::new(DeleteConfirm {
                    assessment,
                    backup,
                })));
                true
            }
            Command::Delete { assessment, backup } => self.delete(&assessment, &backup),
            Command::Export(format, options) => self.export(format, options),
            Command::AddAction { items, title } => self.add_action(items, title),
            Command::ChangeAction { number, change } => self.change_action(number, change),
            Command::FilterActions(text) => {
                self.views.actions.filter_text = text;
                self.views.actions.selected = 0;
                true
            }
            Command::ShowVerdict(stage) => {
                self.views.actions.show_stage(stage);
                self.show(Screen::Actions);
                true
            }
            Command::GoTo(target) => {
                let ctx = context_of!(self);
                // The field closes either way: the status line says when nothing has that name.
                if let Some(command) = self.views.go_to(self.screen, &ctx, &target) {
                    self.apply(command);
                }
                true
            }
            Command::Search(query) => {
                let ctx = context_of!(self);
                match self.views.search(self.screen, &ctx, query) {
                    Some(command) => self.apply(command),
                    None => true,
                }
            }
            Command::Quit => {
                self.quit();
                true
            }
            Command::SaveEntry { id, entry } => self.save_entry(id, entry),
            Command::RemoveEntry { kind, id } => self.remove_entry(kind, &id),
            Command::OpenRegister(kind) => {
                self.views.registers.show(kind);
                if self.session.is_some() {
                    self.show(Screen::Registers);
                }
                true
            }
            Command::StartSession {
                title,
                participants,
            } => self.start_workshop(&title, &participants),
            Command::EndSession { notes } => self.end_workshop(&notes),
            Command::ShowHistory { item, session } => self.show_history(item, session),
            Command::ShowCompare(point) => self.show_compare(point),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::ShowMerge => self.show_merge(),
            Command::ResolveConflict { id, take } => self.resolve_conflict(id, take),
        }
    }

    /// Opens the Merge screen with the conflicts read again.
    fn show_merge(&mut self) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        match self.store.open_conflicts(session.assessment.id) {
            Ok(conflicts) => session.conflicts = conflicts,
            Err(error) => {
                self.error(error.to_string());
                return false;
            }
        }
        if self.screen != Screen::Merge {
            self.views.merge = Default::default();
            self.views.merge.from = Some(self.screen);
        }
        self.show(Screen::Merge);
        true
    }

    /// Settles one merge conflict: the field takes the chosen value (a change of this copy), in
    /// one transaction; then the session reads the answers, the plan and the conflicts again.
    fn resolve_conflict(&mut self, id: i64, take: crate::model::merge::Resolution) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let assessment_id = session.assessment.id;
        let Some(conflict) = session.conflicts.iter().find(|c| c.id == id).cloned() else {
            return false;
        };
        let value = match take.value(
            &conflict.key,
            conflict.mine.as_deref(),
            conflict.theirs.as_deref(),
        ) {
            Ok(value) => value,
            Err(reason) => {
                self.error(reason);
                return false;
            }
        };
        if let Err(error) =
            self.store
                .resolve_conflict(assessment_id, id, take.code(), value.as_deref())
        {
            self.error(not_saved(&color_eyre::eyre::eyre!(error)));
            return false;
        }
        let items = session.questionnaire.items.len();
        let steps = session.plan.steps.len();
        if let (Ok(answers), Ok(progress), Ok(conflicts)) = (
            self.store.answers(assessment_id, items),
            self.store.plan_progress(assessment_id, steps),
            self.store.open_conflicts(assessment_id),
        ) {
            session.answers = answers;
            session.plan_progress = progress;
            session.conflicts = conflicts;
            session.recompute();
        }
        let left = session.conflicts.len();
        self.info(format!(
            "Conflict {id} ({}) decided: {}. {left} conflict{} left.",
            conflict.key.field,
            take.code(),
            if left == 1 { "" } else { "s" }
        ));
        true
    }

    /// Reads what the workshop features show: sessions, trend, each item's last change.
    fn load_workshops(&mut self) {
        let Some(session) = &mut self.session else {
            return;
        };
        let id = session.assessment.id;
        if let Ok(conflicts) = self.store.open_conflicts(id) {
            session.conflicts = conflicts;
        }
        if let Ok(workshops) = self.store.sessions(id) {
            session.workshops = workshops;
        }
        if let Ok(last) = self.store.last_change_per_item(id) {
            session.last_changes = last;
        }
        session.trend = crate::service::workshop::trend(
            &self.store,
            &session.assessment,
            &session.questionnaire,
            &session.answers,
        )
        .unwrap_or_default();
    }

    fn start_workshop(&mut self, title: &str, participants: &str) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let assessment = session.assessment.clone();
        match crate::service::workshop::start(
            &mut self.store,
            &assessment,
            title,
            participants,
            "",
            "",
            None,
        ) {
            Ok(started) => {
                self.done(crate::service::undo::Reversal::SessionStarted(
                    started.number,
                ));
                self.load_workshops();
                self.info(format!(
                    "Session {} started: every change is stamped with it until {} ends it.",
                    started.label(),
                    keymap::label(Scope::Dashboard, Action::Session)
                ));
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    fn end_workshop(&mut self, notes: &str) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let assessment = session.assessment.clone();
        let questionnaire = session.questionnaire.clone();
        let notes_before = session
            .open_workshop()
            .map_or_else(String::new, |w| w.notes.clone());
        let notes = Some(notes.trim()).filter(|n| !n.is_empty());
        match crate::service::workshop::end(&mut self.store, &assessment, &questionnaire, notes) {
            Ok(ended) => {
                self.done(crate::service::undo::Reversal::SessionEnded {
                    number: ended.number,
                    notes: notes_before,
                    closing: notes.unwrap_or_default().to_string(),
                });
                self.load_workshops();
                self.info(format!(
                    "Session {} ended{}.",
                    ended.label(),
                    if notes.is_some() {
                        ", its closing notes saved"
                    } else {
                        ""
                    }
                ));
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    /// Reads the newest page of the history (of `item`, of `session`) and shows it.
    fn show_history(&mut self, item: Option<u32>, session_filter: Option<u32>) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        match self.store.history_page(
            session.assessment.id,
            item,
            session_filter,
            None,
            super::screens::history::HISTORY_PAGE,
        ) {
            Ok((rows, total)) => {
                let opened_item = item.or(session.history.opened_item);
                session.history = super::screens::history::HistoryList {
                    item,
                    session: session_filter,
                    rows,
                    total,
                    opened_item,
                };
                if self.screen != Screen::History {
                    self.views.history.from = self.screen;
                    self.views.history.selected = 0;
                }
                self.show(Screen::History);
                true
            }
            Err(error) => {
                self.error(error.to_string());
                false
            }
        }
    }

    /// What the Compare screen can compare with, in order: before each workshop session (newest
    /// first), then each other assessment that can be compared (same questionnaire, or the 2013
    /// baseline of a 2022 one).
    fn compare_points(&self) -> Vec<ComparePoint> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let mut points: Vec<ComparePoint> = session
            .workshops
            .iter()
            .rev()
            .map(|w| ComparePoint::Before(w.number))
            .collect();
        points.extend(
            self.assessments
                .iter()
                .filter(|row| {
                    crate::service::workshop::comparable(&session.assessment, &row.assessment)
                })
                .map(|row| ComparePoint::With(row.assessment.clone())),
        );
        points
    }

    fn show_compare(&mut self, point: usize) -> bool {
        let points = self.compare_points();
        let Some(session) = &self.session else {
            return false;
        };
        let Some(chosen) = points.get(point) else {
            self.info(format!(
                "Nothing to compare with yet: start a session ({} on the dashboard) or create another assessment of this questionnaire.",
                keymap::label(Scope::Dashboard, Action::Session)
            ));
            return false;
        };
        let assessment = session.assessment.clone();
        let compared = match chosen {
            ComparePoint::Before(number) => crate::service::workshop::compare_since_in(
                &self.store,
                &self.catalog,
                &assessment,
                &crate::service::workshop::Since::Session(number.to_string()),
            ),
            ComparePoint::With(other) => crate::service::workshop::compare_with_in(
                &self.store,
                &self.catalog,
                &assessment,
                other,
            ),
        };
        match compared {
            Ok(compared) => {
                if let Some(session) = &mut self.session {
                    session.compare = Some(super::screens::compare::CompareState {
                        point,
                        points: points.len(),
                        from_label: compared.from_label,
                        to_label: compared.to_label,
                        comparison: compared.comparison,
                    });
                }
                self.views.compare.selected = 0;
                self.show(Screen::Compare);
                true
            }
            Err(error) => {
                self.error(error.to_string());
                false
            }
        }
    }

    /// After an undo or redo: the saved answer into the session, figures and last changes again.
    fn reread_item(&mut self, item: u32) {
        let Some(session) = &mut self.session else {
            return;
        };
        let id = session.assessment.id;
        if let Ok(answers) = self.store.answers(id, session.questionnaire.items.len()) {
            *session.answers.get_mut(item) = answers.get(item).clone();
            session.recompute();
        }
        if let Ok(last) = self.store.last_change_per_item(id) {
            session.last_changes = last;
        }
        if let Ok(trend) = crate::service::workshop::trend(
            &self.store,
            &session.assessment,
            &session.questionnaire,
            &session.answers,
        ) {
            session.trend = trend;
        }
    }

    /// Records a change just made (what takes it back); what was undone before it can no longer
    /// be redone.
    fn done(&mut self, reversal: crate::service::undo::Reversal) {
        if let Some(session) = &mut self.session {
            session.undo.push(reversal);
            session.redo.clear();
        }
    }

    /// Reads everything the open assessment shows again, after an undo or redo.
    fn reread_all(&mut self) {
        let Some(session) = &mut self.session else {
            return;
        };
        let id = session.assessment.id;
        if let Ok(answers) = self.store.answers(id, session.questionnaire.items.len()) {
            session.answers = answers;
        }
        if let Ok(progress) = self.store.plan_progress(id, session.plan.steps.len()) {
            session.plan_progress = progress;
        }
        if let Ok(actions) = self.store.actions(id) {
            session.actions = actions;
        }
        if let Ok(registers) = self.store.registers(id) {
            session.registers = registers;
        }
        session.recompute();
        session.recompute_actions();
        self.load_workshops();
        self.seen_data_version = self.store.data_version().unwrap_or(0);
    }

    /// Takes back the last change made in this run, whatever its kind (`Ctrl-Z`).
    fn undo(&mut self) -> bool {
        self.reverse(true)
    }

    /// Makes again what the last undo took back (`Ctrl-Y`).
    fn redo(&mut self) -> bool {
        self.reverse(false)
    }

    fn reverse(&mut self, undo: bool) -> bool {
        use crate::service::undo::{Reversal, carry_out};
        let Some(session) = &mut self.session else {
            return false;
        };
        let stack = if undo {
            &mut session.undo
        } else {
            &mut session.redo
        };
        let reversal = match stack.pop() {
            Some(reversal) => reversal,
            // An answer changed in this run by another way (a merge decided here) still goes.
            None if undo => Reversal::Answer,
            None => {
                self.info("Nothing to redo.");
                return false;
            }
        };
        let (assessment, questionnaire, after) = (
            session.assessment.clone(),
            session.questionnaire.clone(),
            session.run_start_id,
        );
        match carry_out(
            &mut self.store,
            &assessment,
            &questionnaire,
            reversal.clone(),
            after,
        ) {
            Ok(Some(reversed)) => {
                if let Some(session) = &mut self.session {
                    if undo {
                        session.redo.push(reversed.back);
                    } else {
                        session.undo.push(reversed.back);
                    }
                }
                self.reread_all();
                if let Some(item) = reversed.item {
                    self.reread_item(item);
                }
                if undo {
                    self.info(format!(
                        "Undone: {} ({} redoes).",
                        reversed.said,
                        keymap::label(Scope::Global, Action::Redo)
                    ));
                } else {
                    self.info(format!("Redone: {}.", reversed.said));
                }
                true
            }
            Ok(None) => {
                self.info(if undo {
                    "Nothing to undo: no change made in this run is left."
                } else {
                    "Nothing to redo."
                });
                false
            }
            Err(error) => {
                if let Some(session) = &mut self.session
                    && reversal != Reversal::Answer
                {
                    if undo {
                        session.undo.push(reversal);
                    } else {
                        session.redo.push(reversal);
                    }
                }
                self.error(not_saved(&error));
                false
            }
        }
    }

    /// Adds or replaces a register entry; the screen shows it once it is saved.
    fn save_entry(&mut self, id: Option<String>, entry: super::register_form::EntryValue) -> bool {
        use super::register_form::EntryValue;
        use crate::service::registers as service;
        let Some(session) = &self.session else {
            return false;
        };
        let (assessment_id, questionnaire) = (session.assessment.id, session.questionnaire.clone());
        let store = &mut self.store;
        fn save<T: crate::store::Entry + PartialEq>(
            store: &mut Store,
            questionnaire: &crate::model::Questionnaire,
            assessment_id: i64,
            id: Option<&str>,
            entry: &T,
        ) -> color_eyre::eyre::Result<(String, Option<String>)> {
            Ok(match id {
                Some(id) => {
                    let change = service::replace(store, questionnaire, assessment_id, id, entry)?;
                    let before = change
                        .before
                        .filter(|b| change.after.as_ref() != Some(b))
                        .map(|b| serde_json::to_string(&b).unwrap_or_default());
                    (id.to_string(), before)
                }
                None => (
                    service::add(store, questionnaire, assessment_id, entry)?
                        .id()
                        .to_string(),
                    None,
                ),
            })
        }
        let id = id.as_deref();
        let saved = match &entry {
            EntryValue::Context(e) => save(store, &questionnaire, assessment_id, id, e),
            EntryValue::Party(e) => save(store, &questionnaire, assessment_id, id, e),
            EntryValue::Risk(e) => save(store, &questionnaire, assessment_id, id, e),
            EntryValue::Objective(e) => save(store, &questionnaire, assessment_id, id, e),
        };
        match saved {
            Ok((saved_id, before)) => {
                // What takes it back: the entry as it was, or (a new one) its removal.
                if id.is_none() || before.is_some() {
                    self.done(crate::service::undo::Reversal::Entry {
                        kind: entry.kind(),
                        number: entry_number(&saved_id),
                        id: saved_id.clone(),
                        to: before,
                    });
                }
                self.reload_registers();
                if let Some(session) = &self.session {
                    self.views.registers.show(entry.kind());
                    self.views
                        .registers
                        .select_id(session, self.today, &saved_id);
                }
                self.seen_data_version = self.store.data_version().unwrap_or(0);
                self.info(format!(
                    "Saved {saved_id} \"{}\" in {}.",
                    entry.label(),
                    entry.kind().title()
                ));
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    fn remove_entry(&mut self, kind: crate::model::registers::RegisterKind, id: &str) -> bool {
        use crate::model::registers::{
            ContextIssue, InterestedParty, Objective, RegisterKind, Risk,
        };
        use crate::service::registers::remove;
        let Some(session) = &self.session else {
            return false;
        };
        let assessment_id = session.assessment.id;
        let store = &mut self.store;
        let json = |entry: &dyn erased::Json| entry.json();
        let removed = match kind {
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
        };
        match removed {
            Ok(held) => {
                self.done(crate::service::undo::Reversal::Entry {
                    kind,
                    number: entry_number(id),
                    id: id.to_string(),
                    to: Some(held),
                });
                self.reload_registers();
                self.seen_data_version = self.store.data_version().unwrap_or(0);
                self.info(format!(
                    "Removed {id} from {} (the history keeps it).",
                    kind.title()
                ));
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    /// Reads the registers of the open assessment again and recomputes what depends on them.
    fn reload_registers(&mut self) {
        let Some(session) = &mut self.session else {
            return;
        };
        match self.store.registers(session.assessment.id) {
            Ok(registers) => {
                session.registers = registers;
                session.recompute();
            }
            Err(error) => {
                let message = error.to_string();
                self.error(message);
            }
        }
    }

    /// Saves a change to one item; the screen changes only once the change is on disk.
    fn apply_answer(&mut self, item_number: u32, change: Change) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let Some(item) = session.questionnaire.item(item_number) else {
            return false;
        };
        let level_before = session.answers.get(item_number).level;
        let answer_before = session.answers.get(item_number).clone();
        let saved = crate::service::change::answer(
            &mut self.store,
            session.assessment.id,
            item,
            std::slice::from_ref(&change),
        );
        match saved {
            Ok(saved) => {
                let saved = saved.unwrap_or_else(|| session.answers.get(item_number).clone());
                let level_cleared = level_before.filter(|_| saved.level.is_none());
                *session.answers.get_mut(item_number) = saved;
                session.recompute();
                // A new change: what was undone before it can no longer be redone. Only a change
                // that moved something is one to take back (a level set again is not).
                if *session.answers.get(item_number) != answer_before {
                    session.redo.clear();
                    session.undo.push(crate::service::undo::Reversal::Answer);
                }
                let id = session.assessment.id;
                if let Ok(last) = self.store.last_change_per_item(id) {
                    session.last_changes = last;
                }
                session.changed_today = self
                    .store
                    .items_changed_since(id, &crate::clock::start_of_today())
                    .unwrap_or(session.changed_today);
                let (shown, typed) = match &change {
                    Change::Edited { edit, .. } => (&**edit, edit.text()),
                    change => (change, None),
                };
                let kept_both = typed.is_some_and(|typed| {
                    change
                        .stored_text(session.answers.get(item_number))
                        .is_some_and(|saved| saved.trim_end() != typed.trim_end())
                });
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
                if kept_both {
                    self.info(format!(
                        "Item {item_number}: {} saved. Another window changed it while you typed: both texts are kept, yours first.",
                        change.field()
                    ));
                } else {
                    self.info(message);
                }
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    /// Adds an action on items of the open assessment; the screen shows it once it is saved.
    fn add_action(&mut self, items: Vec<u32>, title: String) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let new = crate::model::action::NewAction::titled(items, title);
        match crate::service::action::add(
            &mut self.store,
            &session.questionnaire,
            session.assessment.id,
            new,
        ) {
            Ok(saved) => {
                let message = format!(
                    "Action #{} added on item {}: {} (priority {}; the Actions screen sets owner, due date, effort).",
                    saved.number,
                    crate::model::action::join_numbers(&saved.items),
                    saved.title,
                    saved.priority
                );
                let number = saved.number;
                session
                    .undo
                    .push(crate::service::undo::Reversal::Action { number, to: None });
                session.redo.clear();
                session.actions.push(saved);
                session.recompute_actions();
                self.views.actions.view = super::screens::actions::View::List;
                self.views
                    .actions
                    .select_action(session, self.today, number);
                self.info(message);
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    /// Saves a change to one action.
    fn change_action(&mut self, number: u32, change: crate::model::action::ActionChange) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let field = change.field();
        let before = session.actions.iter().find(|a| a.number == number).cloned();
        match crate::service::action::change(
            &mut self.store,
            &session.questionnaire,
            session.assessment.id,
            number,
            std::slice::from_ref(&change),
        ) {
            Ok(saved) => {
                let message = match field {
                    "status" => match saved.done_on {
                        Some(done) => format!("Action #{number}: done on {done}."),
                        None => format!("Action #{number}: {}.", saved.status),
                    },
                    "priority" => format!("Action #{number}: priority {}.", saved.priority),
                    "effort" => format!(
                        "Action #{number}: effort {}.",
                        saved.effort.map_or("none", |e| e.code())
                    ),
                    other => format!("Action #{number}: {other} saved."),
                };
                if before.as_ref() != Some(&saved) {
                    session
                        .undo
                        .push(crate::service::undo::Reversal::Action { number, to: before });
                    session.redo.clear();
                }
                if let Some(slot) = session.actions.iter_mut().find(|a| a.number == number) {
                    *slot = saved;
                }
                let row_before = self.views.actions.selected;
                session.recompute_actions();
                // The rule: the list re-sorts and the selection follows the action just changed,
                // and the status line says where it went (or that the filter now hides it).
                let moved = self
                    .views
                    .actions
                    .follow_action(session, self.today, number, row_before);
                self.info(format!("{message}{moved}"));
                true
            }
            Err(error) => {
                let message = match error.downcast_ref::<StoreError>() {
                    Some(StoreError::Refused(reason)) | Some(StoreError::Invalid(reason)) => {
                        format!("Action #{number} not changed: {reason}.")
                    }
                    _ => not_saved(&error),
                };
                self.error(message);
                false
            }
        }
    }

    /// Saves a change to one plan step.
    fn apply_step(&mut self, step: u32, change: PlanChange) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let before = session.plan_progress.get(step as usize - 1).cloned();
        match crate::service::change::step(&mut self.store, session.assessment.id, step, &change) {
            Ok(saved) => {
                if let Some(before) = before.filter(|b| *b != saved) {
                    session
                        .undo
                        .push(crate::service::undo::Reversal::Step { step, to: before });
                    session.redo.clear();
                }
                let status = saved.status;
                let (shown, typed) = match &change {
                    PlanChange::Edited { edit, .. } => (&**edit, edited_text(edit)),
                    change => (change, None),
                };
                let kept_both = typed.is_some_and(|typed| {
                    let saved_text = match shown {
                        PlanChange::Note(_) => saved.note.trim_end(),
                        _ => saved.owner.trim(),
                    };
                    saved_text != typed.trim()
                });
                let message = match shown {
                    _ if kept_both => format!(
                        "Step {step}: {} saved. Another window changed it while you typed: both texts are kept, yours first.",
                        shown.field()
                    ),
                    PlanChange::Status { .. } => format!("Step {step}: {status}."),
                    PlanChange::DoneOn { date, .. } => format!("Step {step}: done on {date}."),
                    other => format!("Step {step}: {} saved.", other.field()),
                };
                if let Some(slot) = session.plan_progress.get_mut(step as usize - 1) {
                    *slot = saved;
                }
                self.info(message);
                true
            }
            Err(error) => {
                let message = match error.downcast_ref::<StoreError>() {
                    Some(StoreError::Refused(reason)) => {
                        format!("Step {step} not changed: {reason}.")
                    }
                    _ => not_saved(&error),
                };
                self.error(message);
                false
            }
        }
    }

    fn migrate(&mut self, from: &Assessment, name: &str) -> bool {
        let to = crate::model::mapping::Mapping::builtin().to.clone();
        match crate::service::migrate::migrate(&mut self.store, &self.catalog, from, &to, name) {
            Ok(created) => {
                self.open_assessment(created);
                self.info(format!(
                    "Carried over to {to}: every carried answer is marked R (review needed) until you set its level again; \"{}\" is unchanged.",
                    from.name
                ));
                true
            }
            Err(error) => {
                self.error(format!("NOT MIGRATED: {error}"));
                false
            }
        }
    }

    /// Saves a rename or a scope/assessor change; after the scope, the assessor is asked next.
    fn edit_assessment(&mut self, id: i64, field: AssessmentField, value: &str) -> bool {
        let old_name = self
            .assessments
            .iter()
            .find(|row| row.assessment.id == id)
            .map(|row| row.assessment.name.clone())
            .unwrap_or_default();
        let (name, scope, assessor) = match field {
            AssessmentField::Name => (Some(value), None, None),
            AssessmentField::Scope => (None, Some(value), None),
            AssessmentField::Assessor => (None, None, Some(value)),
        };
        match self.store.edit_assessment(id, name, scope, assessor) {
            Ok(saved) => {
                if let Some(session) = self.session.as_mut().filter(|s| s.assessment.id == id) {
                    session.assessment = saved.clone();
                    session.recompute();
                }
                self.refresh_assessments();
                if let Some(index) = self.assessments.iter().position(|r| r.assessment.id == id) {
                    self.views.picker.selected = index;
                }
                match field {
                    AssessmentField::Name => {
                        self.info(format!("Renamed \"{old_name}\" to \"{}\".", saved.name))
                    }
                    AssessmentField::Scope => {
                        self.info(format!("\"{}\": scope saved.", saved.name));
                        // The assessor comes next, in the same stride.
                        self.popup = Some(Popup::prompt(
                            PromptFor::Assessment(id, AssessmentField::Assessor),
                            format!("Assessor of \"{}\"", saved.name),
                            &saved.assessor,
                        ));
                    }
                    AssessmentField::Assessor => {
                        self.info(format!("\"{}\": assessor saved.", saved.name))
                    }
                }
                true
            }
            Err(error) => {
                self.error(format!("NOT SAVED: {error}"));
                false
            }
        }
    }

    fn delete(&mut self, assessment: &Assessment, backup: &std::path::Path) -> bool {
        let index = self.views.picker.selected;
        match crate::service::assessment::delete_with_backup(
            &mut self.store,
            &self.catalog,
            assessment,
            backup,
        ) {
            Ok(()) => {
                if self.session.as_ref().map(|s| s.assessment.id) == Some(assessment.id) {
                    self.session = None;
                }
                self.refresh_assessments();
                self.views.picker.selected = index.min(self.assessments.len().saturating_sub(1));
                self.read_picker_figures();
                self.info(format!(
                    "Deleted \"{}\". Backup: {}",
                    assessment.name,
                    backup.display()
                ));
                true
            }
            Err(error) => {
                self.error(format!("NOT DELETED: {error}"));
                false
            }
        }
    }

    /// Writes the open assessment in `format` to the export folder, never over another file.
    fn export(
        &mut self,
        format: crate::export::ExportFormat,
        options: crate::service::export::ExportOptions,
    ) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let assessment = session.assessment.clone();
        let dir = self.export_dir.clone();
        let result = crate::service::export::write_into_dir_with(
            &self.store,
            &self.catalog,
            &assessment,
            format,
            &options,
            &dir,
        )
        .map(|(path, len)| format!("{} ({len} bytes)", path.display()));
        match result {
            Ok(written) => {
                self.views.export.last_export = Some(written.clone());
                self.info(format!("Wrote {written}"));
                true
            }
            Err(error) => {
                self.error(format!("NOT WRITTEN: {error}"));
                false
            }
        }
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
            Some(popup) if popup.changed() && popup.creates() => {
                // Nothing new is created without its confirming key: ask what to do with it.
                self.info(format!(
                    "Not created: this form was never confirmed ({} creates it).",
                    keymap::label(popup.scope(), Action::Submit)
                ));
                self.ask_unsaved(popup, true);
            }
            Some(popup) if popup.changed() => match popup.save_command(&self.context()) {
                Ok(command) => {
                    if self.apply(command) {
                        self.quit();
                    } else {
                        self.ask_unsaved(popup, true);
                    }
                }
                Err(reason) => {
                    self.error(reason);
                    self.ask_unsaved(popup, true);
                }
            },
            _ => self.quit(),
        }
    }

    /// Puts the "not saved" question over a field, with the reason the status line gave.
    pub fn ask_unsaved(&mut self, field: Popup, quit_after: bool) {
        let field = match field {
            Popup::Unsaved(question) => question.field,
            field => field,
        };
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
        let stamp = crate::clock::now().format("%Y%m%d-%H%M%S");
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
            let item = self.views.questionnaire.item(session).number;
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

    /// Reads the list of assessments again; the highlight goes to the open one.
    pub fn refresh_assessments(&mut self) {
        match self.store.assessments() {
            Ok(list) => {
                let current = self.session.as_ref().map(|s| s.assessment.id);
                self.views.picker.selected = current
                    .and_then(|id| list.iter().position(|a| a.id == id))
                    .unwrap_or(0);
                self.assessments = list
                    .into_iter()
                    .map(|assessment| PickerRow {
                        assessment,
                        figures: None,
                    })
                    .collect();
                if self.screen == Screen::Picker {
                    self.read_picker_figures();
                }
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Reads the figures of the picker rows around the selection that do not have them yet: only
    /// those, so a file of a thousand assessments opens as fast as one of two.
    pub fn read_picker_figures(&mut self) {
        let selected = self.views.picker.selected;
        let start = selected.saturating_sub(PICKER_FIGURES_AROUND);
        let end = (selected + PICKER_FIGURES_AROUND).min(self.assessments.len());
        for index in start..end {
            if self.assessments[index].figures.is_some() {
                continue;
            }
            let assessment = &self.assessments[index].assessment;
            let summary = self
                .catalog
                .get(&assessment.questionnaire_id)
                .and_then(|q| {
                    let answers = self.store.answers(assessment.id, q.items.len()).ok()?;
                    Some(score::summarize(assessment, &q, &answers))
                });
            let figures = RowFigures {
                readiness: summary.as_ref().map(|s| s.overall.readiness),
                rating: summary.as_ref().map(|s| s.overall.rating),
                coverage: summary.as_ref().map(|s| s.overall.coverage),
                last_change: self.store.last_change(assessment.id).ok(),
            };
            self.assessments[index].figures = Some(figures);
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
                    .items_changed_since(assessment.id, &crate::clock::start_of_today())?,
                self.store.actions(assessment.id)?,
            ))
        })();
        match loaded {
            Ok((answers, progress, position, changed_today, actions)) => {
                let selected = (position as usize).saturating_sub(1);
                let name = assessment.name.clone();
                let mut session = Session::new(assessment, questionnaire, answers, progress);
                session.changed_today = changed_today;
                session.today = self.today;
                session.actions = actions;
                session.recompute_actions();
                if let Ok(registers) = self.store.registers(session.assessment.id) {
                    session.registers = registers;
                    session.recompute();
                }
                let notice = session
                    .questionnaire
                    .superseded
                    .as_ref()
                    .map(|s| s.notice.clone());
                session.run_start_id = self
                    .store
                    .last_history_id(session.assessment.id)
                    .unwrap_or(0);
                self.views.opened(&session, selected);
                self.session = Some(session);
                self.load_workshops();
                self.screen = Screen::Questionnaire;
                // Recorded as opened after the next frame is drawn (`record_opened`): a commit
                // here would put a disk flush on the path to the first frame.
                self.open_to_record = true;
                self.refresh_assessments();
                match notice {
                    Some(notice) => self.error(notice),
                    None => self.info(format!(
                        "Opened \"{name}\". Press {} for every key.",
                        keymap::label(Scope::Global, Action::ToggleHelp)
                    )),
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
        let picker_selected = self.views.picker.selected;
        self.refresh_assessments();
        if self.session.is_none() {
            self.views.picker.selected =
                picker_selected.min(self.assessments.len().saturating_sub(1));
        }
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
                    self.store.actions(id)?,
                ))
            });
        let registers = self.store.registers(id).unwrap_or_default();
        if let Ok((answers, progress, actions)) = reloaded
            && (answers != session.answers
                || progress != session.plan_progress
                || actions != session.actions
                || registers != session.registers)
        {
            session.answers = answers;
            session.plan_progress = progress;
            session.actions = actions;
            session.registers = registers;
            if let Ok(conflicts) = self.store.open_conflicts(id) {
                session.conflicts = conflicts;
            }
            session.recompute();
            session.changed_today = self
                .store
                .items_changed_since(id, &crate::clock::start_of_today())
                .unwrap_or(session.changed_today);
            self.info("Updated: another isms-ready changed this assessment.");
        }
    }
}

/// What the status line says when a change was not saved: a rule's refusal plainly (e.g. a level
/// on an excluded control), anything else (a full disk...) as NOT SAVED.
fn not_saved(error: &color_eyre::eyre::Report) -> String {
    match error.downcast_ref::<StoreError>() {
        Some(StoreError::Refused(reason)) => reason.clone(),
        Some(other) => format!("NOT SAVED: {other}"),
        // Refused by the item's own rule before anything was written (`Change::check`).
        None => error.to_string(),
    }
}

/// The number in a register entry's id (`R-3` -> 3).
fn entry_number(id: &str) -> u32 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
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

/// The text a typed plan change writes, for the message after saving it.
fn edited_text(change: &PlanChange) -> Option<&str> {
    match change {
        PlanChange::Note(text) | PlanChange::Owner(text) => Some(text),
        _ => None,
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

/// A point the Compare screen compares the open assessment with.
enum ComparePoint {
    /// Before the session with this number began.
    Before(u32),
    /// Another assessment.
    With(Assessment),
}
