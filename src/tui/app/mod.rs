//! The app: routes keys to the open popup, the screen's view or the global keys (`handle_key`),
//! turns them into actions (`update`), and carries out what views and popups ask for
//! (`apply`). `apply` is the only TUI code that writes to the store or the disk, and it changes
//! the screen only once a change is saved, so the screen shows what is on disk.

use super::command::{AssessmentField, Command};
use super::keymap::{self, KeyAction, Scope};
pub use super::popups::Popup;
pub use super::popups::{DecisionForm, NewForm, NoteTarget, PromptFor};
use super::popups::{DeleteConfirm, Outcome, Unsaved};
pub use super::screens::Screen;
use super::screens::Views;
use super::view_context::{PickerRow, RowFigures, ViewContext};
use crate::model::plan::PlanChange;
use crate::model::{Assessment, Change, Item};
use crate::score;
pub use crate::service::open::OpenAssessment;
use crate::service::open::{Failure, failure};
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
    /// The file and the catalog: every read and write goes through it (`service::open`).
    pub service: crate::service::Context,
    pub theme: super::theme::Theme,
    /// The day overdue steps are judged against (fixed at start, so a frame is a pure function).
    pub today: NaiveDate,
    pub screen: Screen,
    /// The screens under the one shown, nearest last: `Esc` goes back to the last (History,
    /// Compare and Merge open over the screen they were opened from); a tab empties it.
    pub back: Vec<Screen>,
    pub popup: Option<Popup>,
    pub session: Option<OpenAssessment>,
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

/// The `ViewContext` of an app, from its fields (a macro, so that `views` can be borrowed mutably
/// beside it).
macro_rules! context_of {
    ($app:expr) => {
        ViewContext {
            session: $app.session.as_ref(),
            assessments: &$app.assessments,
            catalog: &$app.service.catalog,
            theme: $app.theme,
            today: $app.today,
            database: $app.service.database(),
            export_dir: &$app.export_dir,
        }
    };
}

mod apply;

/// How many picker rows around the selection have their figures read (more than a screen shows).
const PICKER_FIGURES_AROUND: usize = 64;

impl App {
    pub fn new(service: crate::service::Context) -> color_eyre::eyre::Result<App> {
        let mut app = App::without_picker_figures(service)?;
        app.read_picker_figures();
        Ok(app)
    }

    /// Like `new`, but the picker's figures (a summary of every assessment) are read only when
    /// the picker is shown: for a start that opens one assessment at once (`-a NAME`), whose
    /// first frame then costs the same in a file of 50 clients as in a file of one (issue 27).
    pub fn without_picker_figures(
        service: crate::service::Context,
    ) -> color_eyre::eyre::Result<App> {
        let assessments = service
            .assessments()?
            .into_iter()
            .map(|assessment| PickerRow {
                assessment,
                figures: None,
            })
            .collect();
        Ok(App {
            service,
            theme: super::theme::Theme::from_env(),
            today: crate::clock::today(),
            screen: Screen::Picker,
            back: Vec::new(),
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
    pub fn context(&self) -> ViewContext<'_> {
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
            None => self.views.get(self.screen).scope(),
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
                self.update(KeyAction::ForceQuit);
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
        if typing
            && is_printable(&key)
            && !matches!(action, Some(KeyAction::Submit | KeyAction::Save))
        {
            // A printable key in a text field is text, whatever the popup binds it to.
            action = None;
        }
        if action.is_none() && self.popup.is_some() && !typing {
            // Popups that are not typing still answer the global quit and help keys.
            action = keymap::lookup(Scope::Global, &key, false)
                .filter(|a| matches!(a, KeyAction::ForceQuit | KeyAction::ToggleHelp));
        }
        match action {
            Some(action) => self.update(action),
            None if typing => self.update(KeyAction::Type(key)),
            // A letter that does nothing here says so, rather than nothing happening.
            None if self.popup.is_none() && is_printable(&key) => self.unbound(&key),
            None => {}
        }
    }

    /// Says on the status line that a key does nothing on this screen, and where it does.
    fn unbound(&mut self, key: &KeyEvent) {
        let KeyCode::Char(c) = key.code else { return };
        let here = self.views.get(self.screen).title();
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
                keymap::label(Scope::Plan, KeyAction::SkipStep)
            ),
            Screen::Actions if c == 'x' => format!(
                " Here {} drops the action (it asks first).",
                keymap::label(Scope::Actions, KeyAction::DropAction)
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
            keymap::label(Scope::Global, KeyAction::ToggleHelp)
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
                keymap::label(Scope::Questionnaire, KeyAction::EditNote)
            ));
        }
    }

    /// Applies one action. The single way the app's state changes in answer to a key.
    pub fn update(&mut self, action: KeyAction) {
        match action {
            KeyAction::ForceQuit => return self.force_quit(),
            KeyAction::ToggleHelp => {
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
                if action == KeyAction::Back
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

    fn update_screen(&mut self, action: KeyAction) {
        match action {
            KeyAction::Quit => return self.quit(),
            KeyAction::NextScreen | KeyAction::PreviousScreen if self.screen != Screen::Picker => {
                return self.switch_screen(action == KeyAction::NextScreen);
            }
            KeyAction::Back if self.screen != Screen::Picker => {
                return match self.back.pop() {
                    Some(under) => self.show_over(under),
                    None => self.back_to_picker(),
                };
            }
            KeyAction::Session | KeyAction::Compare | KeyAction::Merge
                if self.screen != Screen::Dashboard =>
            {
                let Some(session) = self
                    .session
                    .as_ref()
                    .filter(|_| self.screen != Screen::Picker)
                else {
                    return self.info(format!(
                        "{} (session), {} (compare) and {} (merge) act on an open assessment: open one first ({}).",
                        keymap::label(Scope::Global, KeyAction::Session),
                        keymap::label(Scope::Global, KeyAction::Compare),
                        keymap::label(Scope::Global, KeyAction::Merge),
                        keymap::label(Scope::Picker, KeyAction::Open)
                    ));
                };
                let command = match action {
                    KeyAction::Session => super::screens::dashboard::session_command(session),
                    KeyAction::Compare => Command::ShowCompare(0),
                    _ => Command::ShowMerge,
                };
                self.apply(command);
                return;
            }
            KeyAction::GoTo => {
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
            KeyAction::Undo if self.session.is_some() => {
                self.apply(Command::Undo);
                return;
            }
            KeyAction::Redo if self.session.is_some() => {
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

    /// Shows a tab (or the picker): the screens it was over are left.
    fn show(&mut self, screen: Screen) {
        self.back.clear();
        self.show_over(screen);
    }

    /// Shows `screen` keeping the navigation stack as it is.
    fn show_over(&mut self, screen: Screen) {
        // A pending second Space on the plan is cancelled by leaving it.
        self.views.plan.confirm = None;
        self.screen = screen;
        if screen == Screen::Picker {
            self.read_picker_figures();
        }
    }

    /// Opens `screen` over the one shown (`Esc` comes back), reading what it shows through the
    /// service (`View::on_open`); false, with the reason on the status line, when it cannot.
    fn open_over(&mut self, screen: Screen) -> bool {
        let ctx = context_of!(self);
        if let Err(said) = self.views.get_mut(screen).on_open(&self.service, &ctx) {
            self.apply(*said);
            return false;
        }
        if self.screen != screen {
            self.back.push(self.screen);
        }
        self.show_over(screen);
        true
    }

    fn back_to_picker(&mut self) {
        self.remember_position();
        self.refresh_assessments();
        self.show(Screen::Picker);
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
                    keymap::label(popup.scope(), KeyAction::Submit)
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
        self.update(KeyAction::ForceQuit);
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
            if let Err(error) = self.service.remember_position(id, item) {
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
        match self.service.assessments() {
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
                .service
                .catalog
                .get(&assessment.questionnaire_id)
                .and_then(|q| {
                    let answers = self.service.answers(assessment.id, q.items.len()).ok()?;
                    Some(score::summarize(assessment, &q, &answers))
                });
            let figures = RowFigures {
                readiness: summary.as_ref().map(|s| s.overall.readiness),
                rating: summary.as_ref().map(|s| s.overall.rating),
                coverage: summary.as_ref().map(|s| s.overall.coverage),
                last_change: self.service.last_change(assessment.id).ok(),
            };
            self.assessments[index].figures = Some(figures);
        }
    }

    /// Opens an assessment at the item where it was left.
    pub fn open_assessment(&mut self, assessment: Assessment) {
        let name = assessment.name.clone();
        match self.service.open_assessment(assessment.clone(), self.today) {
            Ok(None) => self.error(format!(
                "\"{}\" uses questionnaire \"{}\", which this build does not know.",
                assessment.name, assessment.questionnaire_id
            )),
            Ok(Some((session, position))) => {
                let selected = (position as usize).saturating_sub(1);
                let notice = session
                    .questionnaire
                    .superseded
                    .as_ref()
                    .map(|s| s.notice.clone());
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
                        keymap::label(Scope::Global, KeyAction::ToggleHelp)
                    )),
                }
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Reads the answers and plan again when another instance changed the file, so two windows on
    /// one file both show what is saved. The selection and any open popup stay as they are.
    pub fn reload_if_changed_elsewhere(&mut self) {
        let Ok(version) = self.service.data_version() else {
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
            .service
            .answers(id, session.questionnaire.items.len())
            .and_then(|answers| {
                Ok((
                    answers,
                    self.service.plan_progress(id, session.plan.steps.len())?,
                    self.service.actions(id)?,
                ))
            });
        let registers = self.service.registers(id).unwrap_or_default();
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
            if let Ok(conflicts) = self.service.open_conflicts(id) {
                session.conflicts = conflicts;
            }
            session.recompute();
            session.changed_today = self
                .service
                .items_changed_today(id)
                .unwrap_or(session.changed_today);
            self.info("Updated: another isms-ready changed this assessment.");
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
