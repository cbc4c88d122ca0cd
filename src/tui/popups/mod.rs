//! Popups drawn over a screen: help, the note editor, one-line fields, the search bar, the
//! new-assessment and decision forms, the delete confirmation, and the question about unsaved
//! text. A popup never reaches into the app: `update` returns an `Outcome`, and what is to be
//! saved travels as a `Command` for `App::apply`.

use super::command::{AssessmentField, Command};
use super::keymap::{self, KeyAction, Scope};
use super::register_form::EntryForm;
use super::theme::{AMBER_FROM, GREEN_FROM};
use super::view_context::ViewContext;
use crate::model::action::ActionChange;
use crate::model::plan::{PlanChange, StepStatus, parse_date};
use crate::model::registers::RegisterKind;
use crate::model::{Answer, Assessment, Change, Level, ReasonCode};
use crate::score;
use crate::service::open::NewAssessment;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;
use std::path::PathBuf;

mod render;
use render::note_owner;
pub use render::{help_lines, note_area, render, render_note_editor};

/// What a note editor writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteTarget {
    Item(u32),
    Step(u32),
    /// An action, by its number.
    Action(u32),
}

/// What a one-line prompt sets when submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptFor {
    StepOwner(u32),
    StepStart(u32),
    StepDue(u32),
    /// The day a step was done (marks it done).
    StepDone(u32),
    StepReason(u32, StepStatus),
    Evidence(u32),
    Risks(u32),
    /// The title of a new workshop session; its participants are asked next.
    SessionTitle,
    /// The participants of a new workshop session ("Name (role), ..."), with its title.
    SessionParticipants(String),
    /// The closing notes of the open session (its number): Enter ends the session.
    SessionEnd(u32),
    Owner(u32),
    /// The name of the 2022 assessment carried over from this 2013 assessment.
    MigrateName(Box<Assessment>),
    /// A detail of an assessment, edited from the picker.
    Assessment(i64, AssessmentField),
    /// The title of a new action on this item (prefilled with the item's title).
    NewAction(u32),
    /// The title, owner or due date of an action (by number).
    ActionTitle(u32),
    ActionOwner(u32),
    ActionDue(u32),
    /// The Actions screen's filter text (owner, clause or ref, or words of the title).
    ActionFilter,
    /// Where to go on the current screen: a number or a ref.
    GoTo,
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
        /// Set right after a speaker tag was inserted: which participant it named (the next
        /// tag key replaces it with the next participant).
        tag: Option<usize>,
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
    New(Box<NewForm>),
    Decision(Box<DecisionForm>),
    ConfirmDelete(Box<DeleteConfirm>),
    /// The form of one register entry (new or edited).
    Entry(Box<EntryForm>),
    /// Asks before a register entry is removed.
    ConfirmRemove(Box<RemoveConfirm>),
    /// Asks before a change one key would make (dropping an action): `y` carries it out.
    Confirm(Box<Confirm>),
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

/// The delete confirmation: which assessment, and where its backup goes.
pub struct DeleteConfirm {
    pub assessment: Assessment,
    pub backup: PathBuf,
}

/// A yes/no question and what `y` does.
pub struct Confirm {
    pub question: String,
    pub command: Command,
}

/// The register entry to remove, once confirmed.
pub struct RemoveConfirm {
    pub kind: RegisterKind,
    pub id: String,
    pub label: String,
}

/// The fields of the new-assessment form.
pub struct NewForm {
    pub name: TextArea<'static>,
    pub scope: TextArea<'static>,
    pub assessor: TextArea<'static>,
    /// Index into the catalog's questionnaires.
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
    pub fn new(item: u32, answer: &Answer) -> DecisionForm {
        let applicable = answer.applicable != Some(false);
        DecisionForm {
            item,
            applicable,
            reasons: answer.reasons.clone(),
            cursor: 0,
            justification: soft_wrapped(&answer.justification),
            focus: if answer.applicable.is_none() { 0 } else { 2 },
            opened: (
                applicable,
                answer.reasons.clone(),
                answer.justification.clone(),
            ),
        }
    }

    pub fn justification_text(&self) -> String {
        crate::text::for_field_line(&self.justification.lines().join("\n"))
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

pub fn single_line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// A field of one paragraph that wraps over as many rows as its box has, as the note editor
/// does: a long justification is read whole instead of scrolling sideways.
pub fn soft_wrapped(text: &str) -> TextArea<'static> {
    let mut area = single_line(text);
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area
}

/// What the app does once a popup handled a key.
pub enum Outcome {
    /// The popup stays (perhaps changed); the command, if any, runs (a status message...).
    Keep(Popup, Option<Command>),
    /// The popup closes; the command, if any, runs.
    Close(Option<Command>),
    /// Save: the popup closes once `command` is carried out, else it stays (a field that still
    /// cannot be saved gets the unsaved-text question). Quit afterwards when `quit_after`.
    Save {
        field: Popup,
        command: Command,
        quit_after: bool,
    },
    /// Write what the field holds to a file (it cannot be saved, or the user chose so).
    Rescue { field: Popup, quit_after: bool },
}

impl Popup {
    pub fn note(target: NoteTarget, note: &str) -> Popup {
        let mut editor = TextArea::new(note.lines().map(String::from).collect());
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        Popup::Note {
            target,
            editor: Box::new(editor),
            base: note.to_string(),
            tag: None,
        }
    }

    /// A one-line field. A value it opens with is selected: the first typed character replaces
    /// it, while an arrow key (or End) keeps it for editing.
    pub fn prompt(purpose: PromptFor, title: impl Into<String>, value: &str) -> Popup {
        let mut input = single_line(value);
        if !value.is_empty() {
            input.set_selection_style(Style::default().add_modifier(Modifier::REVERSED));
            input.select_all();
        }
        Popup::Prompt {
            purpose,
            title: title.into(),
            input: Box::new(input),
            base: value.to_string(),
        }
    }

    /// The scope whose keys apply while this popup is open.
    pub fn scope(&self) -> Scope {
        match self {
            Popup::Help { .. } => Scope::Help,
            Popup::Unsaved(_) => Scope::Unsaved,
            Popup::Note { .. } => Scope::NoteEditor,
            Popup::Prompt { .. } => Scope::Prompt,
            Popup::Search { .. } => Scope::SearchBar,
            Popup::New(_) => Scope::NewForm,
            Popup::Decision(_) => Scope::DecisionForm,
            Popup::ConfirmDelete(_) => Scope::ConfirmDelete,
            Popup::Entry(_) => Scope::EntryForm,
            Popup::ConfirmRemove(_) => Scope::ConfirmRemove,
            Popup::Confirm(_) => Scope::Confirm,
        }
    }

    /// Whether a text field has the keyboard: then every printable key is text.
    pub fn typing(&self) -> bool {
        match self {
            Popup::Note { .. } | Popup::Prompt { .. } | Popup::Search { .. } => true,
            Popup::New(form) => form.typing(),
            Popup::Decision(form) => form.typing(),
            Popup::Entry(form) => form.typing(),
            _ => false,
        }
    }

    /// Whether the field holds text or choices that are not saved yet.
    pub fn changed(&self) -> bool {
        match self {
            Popup::Note { editor, base, .. } => {
                editor.lines().join("\n").trim_end() != base.trim_end()
            }
            Popup::Prompt { input, base, .. } => {
                crate::text::for_field_line(&input.lines().join("\n")).trim() != base.trim()
            }
            Popup::New(form) => [&form.name, &form.scope, &form.assessor]
                .iter()
                .any(|field| !field.lines().join("").trim().is_empty()),
            Popup::Decision(form) => form.changed(),
            Popup::Entry(form) => form.changed(),
            Popup::Unsaved(_) => true,
            Popup::Help { .. }
            | Popup::Search { .. }
            | Popup::ConfirmDelete(_)
            | Popup::Confirm(_)
            | Popup::ConfirmRemove(_) => false,
        }
    }

    /// Whether saving this field would create something new (an entry, an action, an
    /// assessment, a session) rather than change what exists. Such a form, opened perhaps by a
    /// stray key, is never saved without its confirming key: Ctrl-C asks instead.
    pub fn creates(&self) -> bool {
        match self {
            Popup::New(_) => true,
            Popup::Entry(form) => form.id.is_none(),
            Popup::Prompt { purpose, .. } => matches!(
                purpose,
                PromptFor::NewAction(_)
                    | PromptFor::SessionTitle
                    | PromptFor::SessionParticipants(_)
                    | PromptFor::SessionEnd(_)
                    | PromptFor::MigrateName(_)
            ),
            Popup::Unsaved(question) => question.field.creates(),
            _ => false,
        }
    }

    /// The command that saves what this field holds, or why it cannot be saved as it is.
    pub fn save_command(&self, ctx: &ViewContext) -> Result<Command, String> {
        match self {
            Popup::Note {
                target,
                editor,
                base,
                ..
            } => {
                let text = editor.lines().join("\n").trim_end().to_string();
                Ok(match *target {
                    NoteTarget::Item(item) => Command::Answer {
                        item,
                        change: edited(base, Change::Note(text)),
                    },
                    NoteTarget::Step(step) => Command::Step {
                        step,
                        change: PlanChange::Edited {
                            base: base.clone(),
                            edit: Box::new(PlanChange::Note(text)),
                        },
                    },
                    NoteTarget::Action(number) => Command::ChangeAction {
                        number,
                        change: ActionChange::Note(text),
                    },
                })
            }
            Popup::Prompt {
                purpose,
                input,
                base,
                ..
            } => prompt_command(
                ctx,
                purpose,
                base,
                crate::text::for_field_line(&input.lines().join("\n")).trim(),
            ),
            Popup::New(form) => {
                let questionnaire = ctx
                    .catalog
                    .all()
                    .get(form.standard)
                    .map(|q| q.id.clone())
                    .ok_or("choose a questionnaire")?;
                Ok(Command::Create(NewAssessment {
                    name: crate::text::for_field_line(&form.name.lines().join("\n")),
                    questionnaire_id: questionnaire,
                    scope: crate::text::for_field_line(&form.scope.lines().join("\n")),
                    assessor: crate::text::for_field_line(&form.assessor.lines().join("\n")),
                    // The service fills in the firm of the file's newest assessment.
                    firm: String::new(),
                }))
            }
            Popup::Decision(form) => Ok(Command::Answer {
                item: form.item,
                change: edited(
                    &form.opened.2,
                    Change::Applicability {
                        applicable: Some(form.applicable),
                        reasons: form.reasons.clone(),
                        justification: form.justification_text(),
                    },
                ),
            }),
            Popup::Entry(form) => Ok(Command::SaveEntry {
                id: form.id.clone(),
                entry: form.entry()?,
            }),
            Popup::Unsaved(question) => question.field.save_command(ctx),
            Popup::Help { .. }
            | Popup::Search { .. }
            | Popup::ConfirmDelete(_)
            | Popup::Confirm(_)
            | Popup::ConfirmRemove(_) => Err("nothing to save".into()),
        }
    }

    /// What the user typed, named, for a file when it cannot be saved.
    pub fn typed_text(&self) -> Option<(String, String)> {
        match self {
            Popup::Note { target, editor, .. } => {
                let whose = match target {
                    NoteTarget::Item(item) => format!("note-item-{item}"),
                    NoteTarget::Step(step) => format!("note-step-{step}"),
                    NoteTarget::Action(number) => format!("note-action-{number}"),
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
            Popup::Entry(form) => Some((
                format!(
                    "{}-{}",
                    form.kind.noun(),
                    form.id.as_deref().unwrap_or("new")
                ),
                form.as_text(),
            )),
            Popup::Unsaved(question) => question.field.typed_text(),
            Popup::Help { .. }
            | Popup::Search { .. }
            | Popup::ConfirmDelete(_)
            | Popup::Confirm(_)
            | Popup::ConfirmRemove(_) => None,
        }
    }

    /// A key typed into the focused text field.
    fn type_key(&mut self, key: KeyEvent) {
        match self {
            Popup::Note { editor, .. } => {
                editor.input(key);
            }
            Popup::Prompt { input, .. } if key.code != KeyCode::Enter => {
                // A pre-filled value is selected: a character or Backspace replaces it, any
                // other key (an arrow, Home, End) keeps it for editing.
                if input.is_selecting()
                    && !matches!(
                        key.code,
                        KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
                    )
                {
                    input.cancel_selection();
                }
                input.input(key);
            }
            Popup::Search { query } => match key.code {
                KeyCode::Char(c) => query.push(c),
                KeyCode::Backspace => {
                    query.pop();
                }
                _ => {}
            },
            Popup::New(form) => {
                if key.code != KeyCode::Enter
                    && let Some(field) = form.field_mut()
                {
                    field.input(key);
                }
            }
            Popup::Decision(form) if key.code != KeyCode::Enter && form.typing() => {
                form.justification.input(key);
            }
            Popup::Entry(form) if key.code != KeyCode::Enter => {
                if let Some(field) = form.text_mut() {
                    field.input(key);
                }
            }
            _ => {}
        }
    }

    /// A paste into the focused text field, in one insert; false when no text field has focus.
    pub fn paste(&mut self, text: &str) -> bool {
        match self {
            Popup::Note { editor, .. } => {
                editor.insert_str(crate::text::for_field(text));
            }
            Popup::Prompt { input, .. } => {
                input.insert_str(crate::text::for_field_line(text));
            }
            Popup::Search { query } => query.push_str(&crate::text::for_field_line(text)),
            Popup::New(form) => match form.field_mut() {
                Some(field) => {
                    field.insert_str(crate::text::for_field_line(text));
                }
                None => return false,
            },
            Popup::Decision(form) if form.typing() => {
                form.justification
                    .insert_str(crate::text::for_field_line(text));
            }
            Popup::Entry(form) => match form.text_mut() {
                Some(field) => {
                    field.insert_str(crate::text::for_field_line(text));
                }
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// Applies an action to the popup, which the app took out of its slot.
    pub fn update(mut self, ctx: &ViewContext, action: KeyAction) -> Outcome {
        if let KeyAction::Type(key) = action {
            if let Popup::Note { tag, .. } = &mut self {
                *tag = None;
            }
            self.type_key(key);
            return Outcome::Keep(self, None);
        }
        match self {
            Popup::Note {
                target,
                mut editor,
                base,
                tag,
            } if action == KeyAction::TagSpeaker => {
                // Who said it: the participants of the open session (else of the last one).
                let people = ctx.session.map_or_else(Vec::new, |s| {
                    s.open_workshop()
                        .or(s.workshops.last())
                        .map_or_else(Vec::new, |w| w.participants.clone())
                });
                if people.is_empty() {
                    let message = format!(
                        "No participants to tag: start a session with {} on the dashboard.",
                        crate::tui::keymap::label(Scope::Dashboard, KeyAction::Session)
                    );
                    return Outcome::Keep(
                        Popup::Note {
                            target,
                            editor,
                            base,
                            tag: None,
                        },
                        Some(Command::Info(message)),
                    );
                }
                let next = match tag {
                    Some(index) => {
                        editor.undo();
                        (index + 1) % people.len()
                    }
                    None => 0,
                };
                editor.insert_str(format!("[{}] ", people[next].label()));
                Outcome::Keep(
                    Popup::Note {
                        target,
                        editor,
                        base,
                        tag: Some(next),
                    },
                    None,
                )
            }
            Popup::Help { scroll } => match action {
                KeyAction::Down => Outcome::Keep(
                    Popup::Help {
                        scroll: scroll.saturating_add(1),
                    },
                    None,
                ),
                KeyAction::Up => Outcome::Keep(
                    Popup::Help {
                        scroll: scroll.saturating_sub(1),
                    },
                    None,
                ),
                _ => Outcome::Keep(Popup::Help { scroll }, None),
            },
            Popup::Note { target, .. }
                if matches!(action, KeyAction::Save | KeyAction::Submit) && !self.changed() =>
            {
                Outcome::Close(Some(Command::Info(format!(
                    "Nothing changed: the note of {} is as it was.",
                    note_owner(target)
                ))))
            }
            field @ (Popup::Note { .. } | Popup::Prompt { .. })
                if matches!(action, KeyAction::Save | KeyAction::Submit) =>
            {
                submit(ctx, field, false)
            }
            Popup::Prompt { .. } if action == KeyAction::Back => Outcome::Close(None),
            Popup::Search { query } => match action {
                KeyAction::Submit => {
                    Outcome::Close(Some(Command::Search(query.trim().to_string())))
                }
                KeyAction::Back => Outcome::Close(None),
                _ => Outcome::Keep(Popup::Search { query }, None),
            },
            Popup::New(mut form) => match action {
                KeyAction::Back => Outcome::Close(None),
                KeyAction::NextField | KeyAction::PreviousField => {
                    form.focus = cycle(
                        form.focus,
                        NewForm::FIELDS.len(),
                        action == KeyAction::NextField,
                    );
                    Outcome::Keep(Popup::New(form), None)
                }
                KeyAction::ChoiceLeft | KeyAction::ChoiceRight => {
                    let count = ctx.catalog.all().len().max(1);
                    form.standard = cycle(form.standard, count, action == KeyAction::ChoiceRight);
                    Outcome::Keep(Popup::New(form), None)
                }
                KeyAction::Submit => submit(ctx, Popup::New(form), false),
                _ => Outcome::Keep(Popup::New(form), None),
            },
            Popup::Decision(mut form) => match action {
                KeyAction::Back => Outcome::Close(None),
                KeyAction::NextField | KeyAction::PreviousField => {
                    form.focus = cycle(
                        form.focus,
                        DecisionForm::FIELDS.len(),
                        action == KeyAction::NextField,
                    );
                    Outcome::Keep(Popup::Decision(form), None)
                }
                KeyAction::Toggle | KeyAction::ChoiceLeft | KeyAction::ChoiceRight => {
                    match (form.focus, action) {
                        (0, _) => form.applicable = !form.applicable,
                        (_, KeyAction::ChoiceLeft) => form.cursor = form.cursor.saturating_sub(1),
                        (_, KeyAction::ChoiceRight) => {
                            form.cursor = (form.cursor + 1).min(ReasonCode::ALL.len() - 1)
                        }
                        _ => {
                            let code = ReasonCode::ALL[form.cursor];
                            if let Some(position) = form.reasons.iter().position(|c| *c == code) {
                                form.reasons.remove(position);
                            } else {
                                form.reasons.push(code);
                                form.reasons.sort();
                            }
                        }
                    }
                    Outcome::Keep(Popup::Decision(form), None)
                }
                KeyAction::Submit => submit(ctx, Popup::Decision(form), false),
                _ => Outcome::Keep(Popup::Decision(form), None),
            },
            Popup::Entry(mut form) => match action {
                KeyAction::Back => Outcome::Close(None),
                KeyAction::NextField | KeyAction::PreviousField => {
                    form.next_field(action == KeyAction::NextField);
                    Outcome::Keep(Popup::Entry(form), None)
                }
                KeyAction::ChoiceLeft | KeyAction::ChoiceRight => {
                    match form.text_mut() {
                        Some(field) => field.move_cursor(if action == KeyAction::ChoiceRight {
                            ratatui_textarea::CursorMove::Forward
                        } else {
                            ratatui_textarea::CursorMove::Back
                        }),
                        None => form.choose(action == KeyAction::ChoiceRight),
                    }
                    Outcome::Keep(Popup::Entry(form), None)
                }
                KeyAction::Submit => submit(ctx, Popup::Entry(form), false),
                _ => Outcome::Keep(Popup::Entry(form), None),
            },
            Popup::Confirm(confirm) => match action {
                KeyAction::Submit => Outcome::Close(Some(confirm.command)),
                KeyAction::Back => Outcome::Close(Some(Command::Info("Nothing changed.".into()))),
                _ => Outcome::Keep(Popup::Confirm(confirm), None),
            },
            Popup::ConfirmRemove(confirm) => match action {
                KeyAction::Submit => Outcome::Close(Some(Command::RemoveEntry {
                    kind: confirm.kind,
                    id: confirm.id.clone(),
                })),
                KeyAction::Back => {
                    Outcome::Close(Some(Command::Info(format!("Kept {}.", confirm.id))))
                }
                _ => Outcome::Keep(Popup::ConfirmRemove(confirm), None),
            },
            Popup::ConfirmDelete(confirm) => match action {
                KeyAction::Submit => {
                    let DeleteConfirm { assessment, backup } = *confirm;
                    Outcome::Close(Some(Command::Delete { assessment, backup }))
                }
                KeyAction::Back => Outcome::Close(Some(Command::Info(format!(
                    "Kept \"{}\".",
                    confirm.assessment.name
                )))),
                _ => Outcome::Keep(Popup::ConfirmDelete(confirm), None),
            },
            Popup::Unsaved(question) => {
                let Unsaved {
                    field, quit_after, ..
                } = *question;
                match action {
                    KeyAction::Submit => submit(ctx, field, quit_after),
                    KeyAction::Discard => Outcome::Close(Some(if quit_after {
                        Command::Quit
                    } else {
                        Command::Info(
                            "Discarded what you typed; the saved value is unchanged.".into(),
                        )
                    })),
                    KeyAction::WriteToFile => Outcome::Rescue { field, quit_after },
                    KeyAction::Back => Outcome::Keep(field, None),
                    _ => Outcome::Keep(
                        Popup::Unsaved(Box::new(Unsaved {
                            field,
                            reason: None,
                            quit_after,
                        })),
                        None,
                    ),
                }
            }
            other => Outcome::Keep(other, None),
        }
    }
}

/// Saves a field: its command goes to the app, or it stays open with the reason it cannot.
fn submit(ctx: &ViewContext, field: Popup, quit_after: bool) -> Outcome {
    match field.save_command(ctx) {
        Ok(command) => Outcome::Save {
            field,
            command,
            quit_after,
        },
        Err(reason) if quit_after => Outcome::Keep(
            Popup::Unsaved(Box::new(Unsaved {
                field,
                reason: Some(reason),
                quit_after,
            })),
            None,
        ),
        Err(reason) => Outcome::Keep(field, Some(Command::Error(reason))),
    }
}

fn cycle(value: usize, count: usize, forward: bool) -> usize {
    if forward {
        (value + 1) % count
    } else {
        (value + count - 1) % count
    }
}

fn edited(base: &str, change: Change) -> Change {
    Change::Edited {
        base: base.to_string(),
        edit: Box::new(change),
    }
}

/// The command a one-line prompt's text stands for, or why the text is not acceptable.
fn prompt_command(
    ctx: &ViewContext,
    purpose: &PromptFor,
    base: &str,
    text: &str,
) -> Result<Command, String> {
    let optional_date = |text: &str| -> Result<Option<chrono::NaiveDate>, String> {
        if text.is_empty() {
            Ok(None)
        } else {
            parse_date(text).map(Some)
        }
    };
    let step = |step: u32, change: PlanChange| Ok(Command::Step { step, change });
    let today = ctx.today;
    match purpose {
        PromptFor::StepOwner(number) => step(
            *number,
            PlanChange::Edited {
                base: base.to_string(),
                edit: Box::new(PlanChange::Owner(text.into())),
            },
        ),
        PromptFor::StepDone(number) => step(
            *number,
            PlanChange::DoneOn {
                date: parse_date(text)?,
                today,
            },
        ),
        PromptFor::StepStart(number) => step(*number, PlanChange::Start(optional_date(text)?)),
        PromptFor::SessionTitle if text.trim().is_empty() => {
            Err("a session needs a title".to_string())
        }
        PromptFor::SessionTitle => Ok(Command::Popup(Popup::prompt(
            PromptFor::SessionParticipants(text.trim().to_string()),
            "Participants: Name (role), Name (role), ... (Enter: none)",
            "",
        ))),
        PromptFor::SessionParticipants(title) => Ok(Command::StartSession {
            title: title.clone(),
            participants: text.to_string(),
        }),
        PromptFor::SessionEnd(_) => Ok(Command::EndSession {
            notes: text.to_string(),
        }),
        PromptFor::StepDue(number) => step(*number, PlanChange::Due(optional_date(text)?)),
        PromptFor::StepReason(number, status) => step(
            *number,
            PlanChange::Status {
                status: *status,
                reason: text.into(),
                today,
            },
        ),
        PromptFor::Evidence(item) => Ok(Command::Answer {
            item: *item,
            change: edited(base, Change::Evidence(text.into())),
        }),
        PromptFor::Risks(item) => Ok(Command::Answer {
            item: *item,
            change: edited(base, Change::Risks(text.into())),
        }),
        PromptFor::Owner(item) => Ok(Command::Answer {
            item: *item,
            change: edited(base, Change::Owner(text.into())),
        }),
        PromptFor::MigrateName(from) => Ok(Command::Migrate {
            from: (**from).clone(),
            name: text.to_string(),
        }),
        PromptFor::Assessment(id, field) => Ok(Command::EditAssessment {
            id: *id,
            field: *field,
            value: text.to_string(),
        }),
        PromptFor::NewAction(item) => {
            if text.is_empty() {
                return Err("an action needs a title".into());
            }
            Ok(Command::AddAction {
                items: vec![*item],
                title: text.to_string(),
            })
        }
        PromptFor::ActionTitle(number) => {
            if text.is_empty() {
                return Err("an action needs a title".into());
            }
            Ok(Command::ChangeAction {
                number: *number,
                change: ActionChange::Title(text.into()),
            })
        }
        PromptFor::ActionOwner(number) => Ok(Command::ChangeAction {
            number: *number,
            change: ActionChange::Owner(text.into()),
        }),
        PromptFor::ActionDue(number) => Ok(Command::ChangeAction {
            number: *number,
            change: ActionChange::Due(optional_date(text)?),
        }),
        PromptFor::ActionFilter => Ok(Command::FilterActions(text.to_string())),
        PromptFor::GoTo => Ok(Command::GoTo(text.to_string())),
    }
}
