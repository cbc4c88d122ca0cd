//! Popups drawn over a screen: help, the note editor, one-line fields, the search bar, the
//! new-assessment and decision forms, the delete confirmation, and the question about unsaved
//! text. A popup never reaches into the app: `update` returns an `Outcome`, and what is to be
//! saved travels as a `Command` for `App::apply`.

use super::command::{AssessmentField, Command};
use super::keymap::{self, Action, Scope};
use super::register_form::EntryForm;
use super::session::Context;
use super::theme::{AMBER_FROM, GREEN_FROM};
use crate::model::action::ActionChange;
use crate::model::plan::{PlanChange, StepStatus, parse_date};
use crate::model::registers::RegisterKind;
use crate::model::{Answer, Assessment, Change, Level, ReasonCode};
use crate::score;
use crate::store::NewAssessment;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;
use std::path::PathBuf;

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
    pub fn save_command(&self, ctx: &Context) -> Result<Command, String> {
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
    pub fn update(mut self, ctx: &Context, action: Action) -> Outcome {
        if let Action::Type(key) = action {
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
            } if action == Action::TagSpeaker => {
                // Who said it: the participants of the open session (else of the last one).
                let people = ctx.session.map_or_else(Vec::new, |s| {
                    s.open_workshop()
                        .or(s.workshops.last())
                        .map_or_else(Vec::new, |w| w.participants.clone())
                });
                if people.is_empty() {
                    let message = format!(
                        "No participants to tag: start a session with {} on the dashboard.",
                        crate::tui::keymap::label(Scope::Dashboard, Action::Session)
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
                Action::Down => Outcome::Keep(
                    Popup::Help {
                        scroll: scroll.saturating_add(1),
                    },
                    None,
                ),
                Action::Up => Outcome::Keep(
                    Popup::Help {
                        scroll: scroll.saturating_sub(1),
                    },
                    None,
                ),
                _ => Outcome::Keep(Popup::Help { scroll }, None),
            },
            Popup::Note { target, .. }
                if matches!(action, Action::Save | Action::Submit) && !self.changed() =>
            {
                Outcome::Close(Some(Command::Info(format!(
                    "Nothing changed: the note of {} is as it was.",
                    note_owner(target)
                ))))
            }
            field @ (Popup::Note { .. } | Popup::Prompt { .. })
                if matches!(action, Action::Save | Action::Submit) =>
            {
                submit(ctx, field, false)
            }
            Popup::Prompt { .. } if action == Action::Back => Outcome::Close(None),
            Popup::Search { query } => match action {
                Action::Submit => Outcome::Close(Some(Command::Search(query.trim().to_string()))),
                Action::Back => Outcome::Close(None),
                _ => Outcome::Keep(Popup::Search { query }, None),
            },
            Popup::New(mut form) => match action {
                Action::Back => Outcome::Close(None),
                Action::NextField | Action::PreviousField => {
                    form.focus = cycle(
                        form.focus,
                        NewForm::FIELDS.len(),
                        action == Action::NextField,
                    );
                    Outcome::Keep(Popup::New(form), None)
                }
                Action::ChoiceLeft | Action::ChoiceRight => {
                    let count = ctx.catalog.all().len().max(1);
                    form.standard = cycle(form.standard, count, action == Action::ChoiceRight);
                    Outcome::Keep(Popup::New(form), None)
                }
                Action::Submit => submit(ctx, Popup::New(form), false),
                _ => Outcome::Keep(Popup::New(form), None),
            },
            Popup::Decision(mut form) => match action {
                Action::Back => Outcome::Close(None),
                Action::NextField | Action::PreviousField => {
                    form.focus = cycle(
                        form.focus,
                        DecisionForm::FIELDS.len(),
                        action == Action::NextField,
                    );
                    Outcome::Keep(Popup::Decision(form), None)
                }
                Action::Toggle | Action::ChoiceLeft | Action::ChoiceRight => {
                    match (form.focus, action) {
                        (0, _) => form.applicable = !form.applicable,
                        (_, Action::ChoiceLeft) => form.cursor = form.cursor.saturating_sub(1),
                        (_, Action::ChoiceRight) => {
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
                Action::Submit => submit(ctx, Popup::Decision(form), false),
                _ => Outcome::Keep(Popup::Decision(form), None),
            },
            Popup::Entry(mut form) => match action {
                Action::Back => Outcome::Close(None),
                Action::NextField | Action::PreviousField => {
                    form.next_field(action == Action::NextField);
                    Outcome::Keep(Popup::Entry(form), None)
                }
                Action::ChoiceLeft | Action::ChoiceRight => {
                    match form.text_mut() {
                        Some(field) => field.move_cursor(if action == Action::ChoiceRight {
                            ratatui_textarea::CursorMove::Forward
                        } else {
                            ratatui_textarea::CursorMove::Back
                        }),
                        None => form.choose(action == Action::ChoiceRight),
                    }
                    Outcome::Keep(Popup::Entry(form), None)
                }
                Action::Submit => submit(ctx, Popup::Entry(form), false),
                _ => Outcome::Keep(Popup::Entry(form), None),
            },
            Popup::Confirm(confirm) => match action {
                Action::Submit => Outcome::Close(Some(confirm.command)),
                Action::Back => Outcome::Close(Some(Command::Info("Nothing changed.".into()))),
                _ => Outcome::Keep(Popup::Confirm(confirm), None),
            },
            Popup::ConfirmRemove(confirm) => match action {
                Action::Submit => Outcome::Close(Some(Command::RemoveEntry {
                    kind: confirm.kind,
                    id: confirm.id.clone(),
                })),
                Action::Back => {
                    Outcome::Close(Some(Command::Info(format!("Kept {}.", confirm.id))))
                }
                _ => Outcome::Keep(Popup::ConfirmRemove(confirm), None),
            },
            Popup::ConfirmDelete(confirm) => match action {
                Action::Submit => {
                    let DeleteConfirm { assessment, backup } = *confirm;
                    Outcome::Close(Some(Command::Delete { assessment, backup }))
                }
                Action::Back => Outcome::Close(Some(Command::Info(format!(
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
                    Action::Submit => submit(ctx, field, quit_after),
                    Action::Discard => Outcome::Close(Some(if quit_after {
                        Command::Quit
                    } else {
                        Command::Info(
                            "Discarded what you typed; the saved value is unchanged.".into(),
                        )
                    })),
                    Action::WriteToFile => Outcome::Rescue { field, quit_after },
                    Action::Back => Outcome::Keep(field, None),
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
fn submit(ctx: &Context, field: Popup, quit_after: bool) -> Outcome {
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
    ctx: &Context,
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

/// Where a note editor goes when the screen does not place it itself: the lower part of the
/// body, so what the note is about stays in view above it.
pub fn note_area(area: Rect) -> Rect {
    let height = (area.height * 3 / 5).max(8).min(area.height);
    Rect {
        y: area.bottom() - height,
        height,
        ..area
    }
}

/// What a note belongs to, as titles and messages name it.
fn note_owner(target: NoteTarget) -> String {
    match target {
        NoteTarget::Item(item) => format!("item {item}"),
        NoteTarget::Step(step) => format!("plan step {step}"),
        NoteTarget::Action(number) => format!("action #{number}"),
    }
}

/// Draws a note editor in `area`: soft-wrapped, its keys in the footer.
pub fn render_note_editor(frame: &mut Frame, area: Rect, target: NoteTarget, editor: &TextArea) {
    frame.render_widget(Clear, area);
    let whose = note_owner(target);
    let row = editor.cursor().0;
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Note for {whose} · editing, line {} of {} ",
        row + 1,
        editor.lines().len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(editor, inner);
}

/// Draws a popup over `area`. `editor_in_screen`: the screen below draws this note editor itself.
pub fn render(frame: &mut Frame, area: Rect, ctx: &Context, popup: &Popup, editor_in_screen: bool) {
    match popup {
        Popup::Help { scroll } => render_help(frame, area, ctx, *scroll),
        Popup::Note { target, editor, .. } => {
            if !editor_in_screen {
                render_note_editor(frame, note_area(area), *target, editor);
            }
        }
        Popup::Search { query } => {
            let popup = Rect {
                x: area.x,
                y: area.bottom().saturating_sub(3),
                width: area.width,
                height: 3.min(area.height),
            };
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(format!("/{query}█")).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" Search: number, ref or words "),
                ),
                popup,
            );
        }
        Popup::New(form) => render_new_form(frame, area, ctx, form),
        Popup::Prompt { title, input, .. } => {
            let (_, inner) = titled_box(frame, area, title, 70, 1);
            frame.render_widget(&**input, inner);
        }
        Popup::Decision(form) => render_decision(frame, area, ctx, form),
        Popup::ConfirmDelete(confirm) => render_confirm_delete(frame, area, ctx, confirm),
        Popup::Entry(form) => render_entry_form(frame, area, ctx, form),
        Popup::ConfirmRemove(confirm) => render_confirm_remove(frame, area, ctx, confirm),
        Popup::Confirm(confirm) => render_confirm(frame, area, ctx, confirm),
        Popup::Unsaved(question) => {
            render(frame, area, ctx, &question.field, editor_in_screen);
            render_unsaved(frame, area, ctx, question);
        }
    }
}

fn render_unsaved(frame: &mut Frame, area: Rect, ctx: &Context, question: &Unsaved) {
    let theme = ctx.theme;
    let mut lines = vec![Line::from(Span::styled(
        match &question.reason {
            Some(_) => "What you typed could not be saved.",
            None => "You changed this field and have not saved it.",
        },
        theme.title(),
    ))];
    if let Some(reason) = &question.reason {
        lines.push(Line::from(Span::styled(reason.clone(), theme.error())));
    }
    lines.push(Line::default());
    for (label, help) in keymap::hints(Scope::Unsaved) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {label:<6}"), theme.key()),
            Span::raw(help),
        ]));
    }
    let width = area.width.saturating_sub(4).min(76);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: true });
    let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        paragraph.block(Block::default().borders(Borders::ALL).title(" Not saved ")),
        popup,
    );
}

/// Draws a bordered box of at least `width` columns (wider when the title needs it and the area
/// allows), centred, with room for `body_rows` rows below its title. A title that still does not
/// fit the border is written inside, wrapped, so it is never cut. Returns the box and its body.
fn titled_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    width: u16,
    body_rows: u16,
) -> (Rect, Rect) {
    let wanted = (title.chars().count() as u16).saturating_add(6).max(width);
    let width = wanted
        .min(area.width.saturating_sub(2))
        .max(width.min(area.width));
    let fits = title.chars().count() as u16 + 4 <= width;
    let title_paragraph = Paragraph::new(title.to_string()).wrap(Wrap { trim: true });
    let title_rows = if fits {
        0
    } else {
        title_paragraph.line_count(width.saturating_sub(2)) as u16
    };
    let popup = area.centered(
        Constraint::Length(width),
        Constraint::Length(body_rows + title_rows + 2),
    );
    frame.render_widget(Clear, popup);
    let mut block = Block::default().borders(Borders::ALL);
    if fits {
        block = block.title(format!(" {title} "));
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [title_area, body] =
        Layout::vertical([Constraint::Length(title_rows), Constraint::Min(0)]).areas(inner);
    if !fits {
        frame.render_widget(title_paragraph, title_area);
    }
    (popup, body)
}

fn render_decision(frame: &mut Frame, area: Rect, ctx: &Context, form: &DecisionForm) {
    let theme = ctx.theme;
    let title = ctx
        .session
        .and_then(|s| s.questionnaire.item(form.item))
        .map_or_else(String::new, |item| {
            format!("{} {}", item.reference, item.title)
        });
    let (_, inner) = titled_box(frame, area, &format!("Applicability of {title}"), 80, 12);
    let rows = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Min(1),
    ])
    .split(inner);
    let label = |index: usize| {
        let focused = form.focus == index;
        Span::styled(
            format!(
                "{}{:<14}",
                if focused { ">" } else { " " },
                DecisionForm::FIELDS[index]
            ),
            if focused {
                theme.accent()
            } else {
                theme.title()
            },
        )
    };
    let choice = if form.applicable {
        "(x) included   ( ) excluded"
    } else {
        "( ) included   (x) excluded"
    };
    frame.render_widget(Line::from(vec![label(0), Span::raw(choice)]), rows[0]);
    let mut spans = vec![label(1)];
    for (index, code) in ReasonCode::ALL.iter().enumerate() {
        let ticked = if form.reasons.contains(code) {
            "[x]"
        } else {
            "[ ]"
        };
        let style = if form.focus == 1 && form.cursor == index {
            theme.selected()
        } else {
            Style::default()
        };
        spans.push(Span::styled(format!("{ticked} {}", code.short()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), rows[1]);
    let legend = ReasonCode::ALL
        .iter()
        .map(|c| format!("{} {}", c.short(), c.label()))
        .collect::<Vec<_>>()
        .join(" · ");
    frame.render_widget(
        Paragraph::new(legend)
            .style(theme.dim())
            .wrap(Wrap { trim: true }),
        rows[2],
    );
    let [text_label, text] =
        Layout::horizontal([Constraint::Length(15), Constraint::Min(1)]).areas(rows[3]);
    frame.render_widget(label(2), text_label);
    frame.render_widget(&form.justification, text);
}

fn render_new_form(frame: &mut Frame, area: Rect, ctx: &Context, form: &NewForm) {
    let theme = ctx.theme;
    let popup = area.centered(Constraint::Length(70), Constraint::Length(12));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" New assessment ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = Layout::vertical([Constraint::Length(2); 4]).split(inner);
    let fields = [&form.name, &form.scope, &form.assessor];
    for (index, label) in NewForm::FIELDS.iter().enumerate() {
        let [label_area, field_area] =
            Layout::horizontal([Constraint::Length(11), Constraint::Min(1)]).areas(rows[index]);
        let focused = form.focus == index;
        let style = if focused {
            theme.accent()
        } else {
            theme.title()
        };
        let marker = if focused { ">" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker}{label}:")).style(style),
            label_area,
        );
        if let Some(field) = fields.get(index) {
            let line_area = Rect {
                height: 1,
                ..field_area
            };
            if focused {
                frame.render_widget(*field, line_area);
            } else {
                frame.render_widget(Paragraph::new(field.lines().join(" ")), line_area);
            }
        } else {
            let standard = ctx
                .catalog
                .all()
                .get(form.standard)
                .map_or("-", |q| q.title.as_str());
            frame.render_widget(
                Paragraph::new(format!(
                    "< {standard} >  ({} to change)",
                    keymap::label(Scope::NewForm, Action::ChoiceLeft)
                ))
                .wrap(Wrap { trim: true }),
                field_area,
            );
        }
    }
}

fn render_confirm_delete(frame: &mut Frame, area: Rect, ctx: &Context, confirm: &DeleteConfirm) {
    let theme = ctx.theme;
    let popup = area.centered(Constraint::Length(76), Constraint::Length(11));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(" Delete an assessment ");
    let standard = ctx
        .catalog
        .get(&confirm.assessment.questionnaire_id)
        .map_or_else(
            || confirm.assessment.questionnaire_id.clone(),
            |q| q.title.clone(),
        );
    let mut lines = vec![
        Line::from(vec![
            Span::raw("Delete "),
            Span::styled(format!("\"{}\"", confirm.assessment.name), theme.title()),
            Span::raw(format!(
                " ({standard}) with all its answers, notes, plan and history?"
            )),
        ]),
        Line::default(),
        Line::from("A backup (JSON, with the history) is written first, to:"),
        Line::from(Span::styled(
            confirm.backup.display().to_string(),
            theme.accent(),
        )),
        Line::from("`isms-ready import FILE` brings it back."),
        Line::default(),
    ];
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::ConfirmDelete) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    lines.push(Line::from(keys));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

fn render_entry_form(frame: &mut Frame, area: Rect, ctx: &Context, form: &EntryForm) {
    use super::register_form::FieldValue;
    let theme = ctx.theme;
    let height = (form.fields.len() as u16 + 5).min(area.height);
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).min(100)),
        Constraint::Length(height),
    );
    frame.render_widget(Clear, popup);
    let title = match &form.id {
        Some(id) => format!(" {} {id} · edit ", form.kind.title()),
        None => format!(" {} · new entry ", form.kind.title()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_width = 14u16;
    for (index, field) in form.fields.iter().enumerate() {
        let y = inner.y + index as u16;
        if y >= inner.bottom().saturating_sub(2) {
            break;
        }
        let focused = index == form.focus;
        let label_style = if focused {
            theme.selected()
        } else {
            theme.accent()
        };
        let row = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{:<13}", field.label), label_style)),
            Rect {
                width: label_width.min(row.width),
                ..row
            },
        );
        let value_area = Rect {
            x: row.x + label_width.min(row.width),
            width: row.width.saturating_sub(label_width),
            ..row
        };
        match &field.value {
            FieldValue::Text(area) if focused => frame.render_widget(&**area, value_area),
            FieldValue::Text(_) => frame.render_widget(Paragraph::new(field.text()), value_area),
            FieldValue::Choice { options, index } => {
                let mut spans = Vec::new();
                for (i, option) in options.iter().enumerate() {
                    let text = if i == *index {
                        format!("[{option}]")
                    } else {
                        format!(" {option} ")
                    };
                    let style = if i == *index {
                        theme.title()
                    } else {
                        theme.dim()
                    };
                    spans.push(Span::styled(text, style));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
            }
        }
    }
    let focused = &form.fields[form.focus.min(form.fields.len() - 1)];
    let mut hint = focused.hint.to_string();
    if form.kind == RegisterKind::Context && focused.label == "Category" {
        hint = format!("e.g. {}", form.categories().join(", "));
    }
    let keys = format!(
        "{} save · {} next field · {} choose · {} leave",
        keymap::label(Scope::EntryForm, Action::Submit),
        keymap::label(Scope::EntryForm, Action::NextField),
        keymap::label(Scope::EntryForm, Action::ChoiceLeft),
        keymap::label(Scope::EntryForm, Action::Back),
    );
    let foot = Rect {
        x: inner.x,
        y: inner.bottom().saturating_sub(2),
        width: inner.width,
        height: 2.min(inner.height),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(hint, theme.dim())),
            Line::from(Span::styled(keys, theme.dim())),
        ]),
        foot,
    );
}

fn render_confirm(frame: &mut Frame, area: Rect, ctx: &Context, confirm: &Confirm) {
    let theme = ctx.theme;
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::Confirm) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    let width = area.width.saturating_sub(4).min(70);
    let paragraph = Paragraph::new(vec![
        Line::from(Span::styled(confirm.question.clone(), theme.title())),
        Line::default(),
        Line::from(keys),
    ])
    .wrap(Wrap { trim: false });
    let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        paragraph.block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.error())
                .title(" Are you sure? "),
        ),
        popup,
    );
}

fn render_confirm_remove(frame: &mut Frame, area: Rect, ctx: &Context, confirm: &RemoveConfirm) {
    let theme = ctx.theme;
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).min(70)),
        Constraint::Length(7),
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(format!(" Remove from {} ", confirm.kind.title()));
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::ConfirmRemove) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    let lines = vec![
        Line::from(vec![
            Span::raw("Remove "),
            Span::styled(
                format!("{} \"{}\"", confirm.id, confirm.label),
                theme.title(),
            ),
            Span::raw("?"),
        ]),
        Line::from("The history keeps what it held; its id is never given again."),
        Line::default(),
        Line::from(keys),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// Words of `text` in lines of at most `width` characters (a longer word gets a line of its own).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The column where help texts start, after the key labels.
const HELP_INDENT: usize = 18;

/// Help is built from the keymap table plus the rules the screens apply, for a box `width`
/// columns wide inside: a text that wraps goes on under itself, not under the keys.
pub fn help_lines(ctx: &Context, width: u16) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let mut lines = Vec::new();
    for scope in Scope::ALL {
        lines.push(Line::from(Span::styled(scope.title(), theme.accent())));
        for (label, help) in keymap::hints(scope) {
            let keys = format!("  {label:<16}");
            let first = keys.chars().count().max(HELP_INDENT);
            let room = (width as usize).saturating_sub(first).max(20);
            for (index, text) in wrap_words(help, room).into_iter().enumerate() {
                lines.push(if index == 0 {
                    Line::from(vec![
                        Span::styled(keys.clone(), theme.key()),
                        Span::raw(text),
                    ])
                } else {
                    Line::from(format!("{}{text}", " ".repeat(first)))
                });
            }
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "Levels (the PDCA ladder)",
        theme.accent(),
    )));
    for level in Level::ALL {
        lines.push(Line::from(format!(
            "  {} {:<12} {}",
            level.value(),
            level.label(),
            level.meaning()
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Scoring", theme.accent())));
    for rule in score::RULES {
        lines.push(Line::from(format!("  {rule}")));
    }
    lines.push(Line::from(format!(
        "  Dashboard colours: red !! below {AMBER_FROM} %, amber ~ from {AMBER_FROM} %, green ok from {GREEN_FROM} % readiness."
    )));
    lines.push(Line::default());
    lines.push(Line::from(format!("Database: {}", ctx.database.display())));
    lines
}

fn render_help(frame: &mut Frame, area: Rect, ctx: &Context, scroll: u16) {
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).max(1)),
        Constraint::Length(area.height.saturating_sub(2).max(1)),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(help_lines(ctx, popup.width.saturating_sub(2)))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::ALL).title(" Help ")),
        popup,
    );
}
