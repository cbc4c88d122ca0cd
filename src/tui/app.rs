//! The state of the interactive app and the one place it changes: `App::update`.
//!
//! Keys are looked up in the keymap (popups and text fields first, then the screen, then global
//! keys) and become `Action`s; `update` applies an action, saving through the store first so the
//! screen only ever shows what is on disk.

use super::keymap::{self, Action, Scope};
use crate::model::catalog::DEFAULT_QUESTIONNAIRE;
use crate::model::{Answers, Assessment, Catalog, Change, Item, ItemKind, Level, Questionnaire};
use crate::score::{self, Summary};
use crate::store::{NewAssessment, Store, StoreError};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui_textarea::TextArea;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Questionnaire,
    Dashboard,
}

impl Screen {
    /// The screens of an open assessment, in `Tab` order.
    pub const TABS: [Screen; 2] = [Screen::Questionnaire, Screen::Dashboard];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Picker => "Assessments",
            Screen::Questionnaire => "Questionnaire",
            Screen::Dashboard => "Dashboard",
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Screen::Picker => Scope::Picker,
            Screen::Questionnaire => Scope::Questionnaire,
            Screen::Dashboard => Scope::Dashboard,
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

/// The open assessment and everything derived from it.
pub struct Session {
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Answers,
    pub summary: Summary,
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
}

impl Session {
    fn new(
        assessment: Assessment,
        questionnaire: Arc<Questionnaire>,
        answers: Answers,
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
        Session {
            assessment,
            questionnaire,
            answers,
            summary,
            selected,
            rows,
            row_of_item,
            last_search: None,
            gap_selected: 0,
            changed_today: 0,
            detail_scroll: 0,
        }
    }

    pub fn item(&self) -> &Item {
        &self.questionnaire.items[self.selected]
    }

    pub fn recompute(&mut self) {
        self.summary = score::summarize(&self.assessment, &self.questionnaire, &self.answers);
    }

    /// The lowest-scored clause items, for the dashboard.
    pub fn gaps(&self, limit: usize) -> Vec<&Item> {
        score::largest_gaps(&self.questionnaire, &self.answers, ItemKind::Clause, limit)
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

    fn new(default_standard: usize) -> NewForm {
        NewForm {
            name: single_line(),
            scope: single_line(),
            assessor: single_line(),
            standard: default_standard,
            focus: 0,
        }
    }

    fn field_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            0 => Some(&mut self.name),
            1 => Some(&mut self.scope),
            2 => Some(&mut self.assessor),
            _ => None,
        }
    }
}

fn single_line() -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(ratatui::style::Style::default());
    area
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    Note {
        item: u32,
        editor: Box<TextArea<'static>>,
    },
    Search {
        query: String,
    },
    New(Box<NewForm>),
}

pub struct App {
    pub store: Store,
    pub theme: super::theme::Theme,
    pub catalog: Catalog,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub session: Option<Session>,
    pub assessments: Vec<Assessment>,
    pub picker_selected: usize,
    pub status: Option<Status>,
    pub should_quit: bool,
}

impl App {
    pub fn new(store: Store, catalog: Catalog) -> Result<App, StoreError> {
        let assessments = store.assessments()?;
        Ok(App {
            store,
            theme: super::theme::Theme::from_env(),
            catalog,
            screen: Screen::Picker,
            popup: None,
            session: None,
            assessments,
            picker_selected: 0,
            status: None,
            should_quit: false,
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

    /// The scope whose keys apply now: the open popup's, else the screen's.
    pub fn scope(&self) -> Scope {
        match &self.popup {
            Some(Popup::Help { .. }) => Scope::Help,
            Some(Popup::Note { .. }) => Scope::NoteEditor,
            Some(Popup::Search { .. }) => Scope::SearchBar,
            Some(Popup::New(_)) => Scope::NewForm,
            None => self.screen.scope(),
        }
    }

    /// Routes one key: to the popup or text field first, then the screen, then global keys.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let scope = self.scope();
        let typing = matches!(scope, Scope::NoteEditor | Scope::SearchBar | Scope::NewForm);
        let action = keymap::lookup(scope, &key, !typing || is_ctrl_c(&key));
        match action {
            Some(action) => self.update(action),
            None if typing => self.type_into_field(key),
            None => {}
        }
    }

    fn type_into_field(&mut self, key: KeyEvent) {
        match &mut self.popup {
            Some(Popup::Note { editor, .. }) => {
                editor.input(key);
            }
            Some(Popup::Search { query }) => {
                use ratatui::crossterm::event::KeyCode;
                match key.code {
                    KeyCode::Char(c) => query.push(c),
                    KeyCode::Backspace => {
                        query.pop();
                    }
                    _ => {}
                }
            }
            Some(Popup::New(form)) => {
                use ratatui::crossterm::event::KeyCode;
                // Single-line fields: Enter submits (handled by the keymap), never breaks a line.
                if key.code != KeyCode::Enter
                    && let Some(field) = form.field_mut()
                {
                    field.input(key);
                }
            }
            _ => {}
        }
    }

    /// Applies one action. The single way the app's state changes.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::ForceQuit => {
                self.save_open_note();
                self.quit();
                return;
            }
            Action::ToggleHelp => {
                self.popup = match self.popup {
                    Some(Popup::Help { .. }) => None,
                    _ => Some(Popup::Help { scroll: 0 }),
                };
                return;
            }
            _ => {}
        }
        match self.popup.take() {
            Some(popup) => self.update_popup(popup, action),
            None => self.update_screen(action),
        }
    }

    fn update_popup(&mut self, popup: Popup, action: Action) {
        match popup {
            Popup::Help { scroll } => {
                let scroll = match action {
                    Action::Down => scroll.saturating_add(1),
                    Action::Up => scroll.saturating_sub(1),
                    _ => scroll,
                };
                self.popup = Some(Popup::Help { scroll });
            }
            Popup::Note { item, editor } => match action {
                Action::Save => {
                    let text = editor.lines().join("\n");
                    if !self.save_note(item, text) {
                        // Keep the editor open with the text: nothing typed is dropped.
                        self.popup = Some(Popup::Note { item, editor });
                    }
                }
                _ => self.popup = Some(Popup::Note { item, editor }),
            },
            Popup::Search { query } => match action {
                Action::Submit => {
                    let query = query.trim().to_string();
                    if !query.is_empty()
                        && let Some(session) = &mut self.session
                    {
                        session.last_search = Some(query);
                    }
                    self.search(true, true);
                }
                Action::Back => {}
                _ => self.popup = Some(Popup::Search { query }),
            },
            Popup::New(mut form) => match action {
                Action::Back => {}
                Action::NextField => {
                    form.focus = (form.focus + 1) % NewForm::FIELDS.len();
                    self.popup = Some(Popup::New(form));
                }
                Action::PreviousField => {
                    form.focus = (form.focus + NewForm::FIELDS.len() - 1) % NewForm::FIELDS.len();
                    self.popup = Some(Popup::New(form));
                }
                Action::ChoiceLeft | Action::ChoiceRight if form.focus == 3 => {
                    let count = self.catalog.all().len();
                    form.standard = if action == Action::ChoiceRight {
                        (form.standard + 1) % count
                    } else {
                        (form.standard + count - 1) % count
                    };
                    self.popup = Some(Popup::New(form));
                }
                Action::ChoiceLeft | Action::ChoiceRight => {
                    // Left/Right move the cursor inside a text field.
                    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
                    let code = if action == Action::ChoiceLeft {
                        KeyCode::Left
                    } else {
                        KeyCode::Right
                    };
                    if let Some(field) = form.field_mut() {
                        field.input(KeyEvent::new(code, KeyModifiers::NONE));
                    }
                    self.popup = Some(Popup::New(form));
                }
                Action::Submit => self.create_assessment(form),
                _ => self.popup = Some(Popup::New(form)),
            },
        }
    }

    fn update_screen(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit(),
            Action::NextScreen | Action::PreviousScreen => {
                self.switch_screen(action == Action::NextScreen)
            }
            _ => match self.screen {
                Screen::Picker => self.update_picker(action),
                Screen::Questionnaire => self.update_questionnaire(action),
                Screen::Dashboard => self.update_dashboard(action),
            },
        }
    }

    fn switch_screen(&mut self, forward: bool) {
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

    fn update_picker(&mut self, action: Action) {
        let count = self.assessments.len();
        match action {
            Action::Down => {
                self.picker_selected = (self.picker_selected + 1).min(count.saturating_sub(1))
            }
            Action::Up => self.picker_selected = self.picker_selected.saturating_sub(1),
            Action::First => self.picker_selected = 0,
            Action::Last => self.picker_selected = count.saturating_sub(1),
            Action::Open => {
                if let Some(assessment) = self.assessments.get(self.picker_selected).cloned() {
                    self.open_assessment(assessment);
                } else {
                    self.info("No assessment yet: press n to create one.");
                }
            }
            Action::NewAssessment => {
                let default = self
                    .catalog
                    .all()
                    .iter()
                    .position(|q| q.id == DEFAULT_QUESTIONNAIRE)
                    .unwrap_or(0);
                self.popup = Some(Popup::New(Box::new(NewForm::new(default))));
            }
            Action::Back if self.session.is_some() => self.screen = Screen::Questionnaire,
            _ => {}
        }
    }

    fn update_questionnaire(&mut self, action: Action) {
        let Some(session) = &self.session else {
            self.screen = Screen::Picker;
            return;
        };
        let count = session.questionnaire.items.len();
        let selected = session.selected;
        match action {
            Action::Down => self.select((selected + 1).min(count - 1)),
            Action::Up => self.select(selected.saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(count - 1),
            Action::PageDown | Action::PageUp => {
                let target = clause_jump(
                    &session.questionnaire.items,
                    selected,
                    action == Action::PageDown,
                );
                self.select(target);
            }
            Action::ScrollDown | Action::ScrollUp => {
                if let Some(session) = &mut self.session {
                    session.detail_scroll = if action == Action::ScrollDown {
                        session.detail_scroll.saturating_add(2)
                    } else {
                        session.detail_scroll.saturating_sub(2)
                    };
                }
            }
            Action::SetLevel(level) => self.change_selected(Change::Level(Some(level))),
            Action::ClearLevel => self.change_selected(Change::Level(None)),
            Action::EditNote => {
                let item = session.item().number;
                let note = session.answers.get(item).note.clone();
                let mut editor = TextArea::new(note.lines().map(String::from).collect());
                editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
                editor.move_cursor(ratatui_textarea::CursorMove::End);
                self.popup = Some(Popup::Note {
                    item,
                    editor: Box::new(editor),
                });
            }
            Action::NextUnanswered => {
                let answers = &session.answers;
                let items = &session.questionnaire.items;
                let start = session.selected + 1;
                let found = (0..count)
                    .map(|offset| (start + offset) % count)
                    .find(|&index| {
                        let answer = answers.get(items[index].number);
                        answer.level.is_none() && !answer.is_excluded()
                    });
                match found {
                    Some(index) => self.select(index),
                    None => self.info("Every item is answered."),
                }
            }
            Action::StartSearch => {
                self.popup = Some(Popup::Search {
                    query: String::new(),
                })
            }
            Action::SearchNext => self.search(true, false),
            Action::SearchPrevious => self.search(false, false),
            Action::ToggleApplicability => {
                let item = session.item();
                if item.is_control() {
                    self.info("Exclusions of Annex A controls are made in the Statement of Applicability.");
                } else {
                    let reason = format!(
                        "Refused: {}.",
                        crate::model::assessment::NO_CLAUSE_EXCLUSION
                    );
                    self.error(reason);
                }
            }
            Action::Back => {
                self.remember_position();
                self.refresh_assessments();
                self.screen = Screen::Picker;
            }
            _ => {}
        }
    }

    fn update_dashboard(&mut self, action: Action) {
        let Some(session) = &mut self.session else {
            self.screen = Screen::Picker;
            return;
        };
        let gaps = session.gaps(super::screens::dashboard::GAP_ROWS).len();
        match action {
            Action::Down => {
                session.gap_selected = (session.gap_selected + 1).min(gaps.saturating_sub(1))
            }
            Action::Up => session.gap_selected = session.gap_selected.saturating_sub(1),
            Action::First => session.gap_selected = 0,
            Action::Last => session.gap_selected = gaps.saturating_sub(1),
            Action::Open => {
                let target = session
                    .gaps(super::screens::dashboard::GAP_ROWS)
                    .get(session.gap_selected)
                    .map(|item| item.number as usize - 1);
                if let Some(index) = target {
                    self.screen = Screen::Questionnaire;
                    self.select(index);
                }
            }
            Action::Back => {
                self.remember_position();
                self.refresh_assessments();
                self.screen = Screen::Picker;
            }
            _ => {}
        }
    }

    fn select(&mut self, index: usize) {
        if let Some(session) = &mut self.session {
            session.selected = index.min(session.questionnaire.items.len().saturating_sub(1));
            session.detail_scroll = 0;
        }
    }

    /// Moves to the next (or previous) item matching the last search, wrapping around.
    fn search(&mut self, forward: bool, from_current: bool) {
        let Some(session) = &mut self.session else {
            return;
        };
        let Some(query) = session.last_search.clone() else {
            self.info("No search yet: press / to search.");
            return;
        };
        let needle = query.to_lowercase();
        let count = session.questionnaire.items.len();
        let matches = |index: usize| {
            let item = &session.questionnaire.items[index];
            item.matches(&needle)
                || session
                    .answers
                    .get(item.number)
                    .note
                    .to_lowercase()
                    .contains(&needle)
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
                session.selected = index;
                let position = (0..=index).filter(|&i| matches(i)).count();
                self.info(format!(
                    "\"{query}\": match {position} of {total} (n next, N previous)"
                ));
            }
            None => self.error(format!("\"{query}\": no match")),
        }
    }

    /// Saves a change to the selected item; the screen changes only once the change is on disk.
    fn change_selected(&mut self, change: Change) {
        let Some(session) = &self.session else { return };
        let item = session.item().number;
        self.apply_change(item, change);
    }

    fn apply_change(&mut self, item_number: u32, change: Change) -> bool {
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
        match self
            .store
            .apply_change(session.assessment.id, item_number, &change)
        {
            Ok(saved) => {
                *session.answers.get_mut(item_number) = saved;
                session.recompute();
                let id = session.assessment.id;
                session.changed_today = self
                    .store
                    .items_changed_since(id, &local_midnight_utc())
                    .unwrap_or(session.changed_today);
                let message = match &change {
                    Change::Level(Some(level)) => {
                        format!("Item {item_number}: level {level} saved.")
                    }
                    Change::Level(None) => format!("Item {item_number}: level cleared."),
                    Change::Note(_) => format!("Item {item_number}: note saved."),
                    other => format!("Item {item_number}: {} saved.", other.field()),
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

    fn save_note(&mut self, item: u32, text: String) -> bool {
        let text = text.trim_end().to_string();
        self.apply_change(item, Change::Note(text))
    }

    fn save_open_note(&mut self) {
        if let Some(Popup::Note { item, editor }) = self.popup.take() {
            let text = editor.lines().join("\n");
            if !self.save_note(item, text) {
                self.popup = Some(Popup::Note { item, editor });
            }
        }
    }

    fn quit(&mut self) {
        if matches!(self.popup, Some(Popup::Note { .. })) {
            // The note could not be saved: stay, so the text is not lost.
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

    fn refresh_assessments(&mut self) {
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
        let loaded = self
            .store
            .answers(assessment.id, questionnaire.items.len())
            .and_then(|answers| Ok((answers, self.store.last_position(assessment.id)?)));
        match loaded {
            Ok((answers, position)) => {
                let selected = (position as usize).saturating_sub(1);
                let name = assessment.name.clone();
                let changed_today = self
                    .store
                    .items_changed_since(assessment.id, &local_midnight_utc())
                    .unwrap_or(0);
                let mut session = Session::new(assessment, questionnaire, answers, selected);
                session.changed_today = changed_today;
                self.session = Some(session);
                self.screen = Screen::Questionnaire;
                self.remember_position();
                self.refresh_assessments();
                self.info(format!("Opened \"{name}\". Press ? for every key."));
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    fn create_assessment(&mut self, form: Box<NewForm>) {
        let questionnaire_id = self
            .catalog
            .all()
            .get(form.standard)
            .map(|q| q.id.clone())
            .unwrap_or_else(|| DEFAULT_QUESTIONNAIRE.to_string());
        let new = NewAssessment {
            name: form.name.lines().join(" "),
            questionnaire_id,
            scope: form.scope.lines().join(" "),
            assessor: form.assessor.lines().join(" "),
        };
        match self.store.create_assessment(&new) {
            Ok(assessment) => self.open_assessment(assessment),
            Err(error) => {
                self.error(error.to_string());
                self.popup = Some(Popup::New(form));
            }
        }
    }
}

/// The item index PgDn/PgUp moves to: the first item of the next group, or of this group (of the
/// previous one when already at its first item).
fn clause_jump(items: &[Item], selected: usize, forward: bool) -> usize {
    let group = &items[selected].clause;
    if forward {
        return items
            .iter()
            .skip(selected)
            .position(|item| &item.clause != group)
            .map_or(items.len() - 1, |offset| selected + offset);
    }
    let start_of = |index: usize| {
        let group = &items[index].clause;
        items[..index]
            .iter()
            .rposition(|item| &item.clause != group)
            .map_or(0, |i| i + 1)
    };
    let start = start_of(selected);
    if start == selected && start > 0 {
        start_of(start - 1)
    } else {
        start
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
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
