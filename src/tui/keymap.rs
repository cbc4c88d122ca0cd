//! Every key binding, in one table. The handler, the footer and the help screen all read it, so
//! what a screen says it does is what it does.

use crate::model::Level;
use crate::model::audit::FindingType;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. Text fields and popups get keys before screens, screens before globals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Picker,
    Questionnaire,
    Dashboard,
    Soa,
    Plan,
    Export,
    Actions,
    NoteEditor,
    Prompt,
    SearchBar,
    NewForm,
    DecisionForm,
    Unsaved,
    Help,
    ConfirmDelete,
    Registers,
    EntryForm,
    ConfirmRemove,
    /// A yes/no question before a change one key would make (dropping an action...).
    Confirm,
    History,
    Compare,
    Merge,
    /// Audit mode: one audit walked item by item, findings recorded with one key each.
    AuditMode,
}

impl Scope {
    /// Every scope, in the order help lists them.
    pub const ALL: [Scope; 24] = [
        Scope::Global,
        Scope::Picker,
        Scope::Questionnaire,
        Scope::History,
        Scope::Compare,
        Scope::Merge,
        Scope::Dashboard,
        Scope::Soa,
        Scope::Plan,
        Scope::Actions,
        Scope::Export,
        Scope::Registers,
        Scope::AuditMode,
        Scope::NoteEditor,
        Scope::Prompt,
        Scope::SearchBar,
        Scope::NewForm,
        Scope::ConfirmDelete,
        Scope::DecisionForm,
        Scope::EntryForm,
        Scope::ConfirmRemove,
        Scope::Confirm,
        Scope::Unsaved,
        Scope::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Picker => "Assessments",
            Scope::Questionnaire => "Questionnaire",
            Scope::Dashboard => "Dashboard",
            Scope::Soa => "Statement of Applicability",
            Scope::Plan => "Certification plan",
            Scope::Export => "Export",
            Scope::History => "History",
            Scope::Compare => "Compare",
            Scope::Merge => "Merge (conflicts of merged copies)",
            Scope::Actions => "Actions and roadmap",
            Scope::NoteEditor => "Note editor",
            Scope::Prompt => "One-line field",
            Scope::DecisionForm => "Applicability decision",
            Scope::SearchBar => "Search",
            Scope::NewForm => "New assessment",
            Scope::Unsaved => "Unsaved text (after Esc or Ctrl-C in a changed field)",
            Scope::Help => "Help",
            Scope::ConfirmDelete => "Delete an assessment",
            Scope::Registers => {
                "Registers (context, interested parties, risks, objectives, audits, findings, nonconformities)"
            }
            Scope::AuditMode => "Audit mode (one audit, item by item)",
            Scope::EntryForm => "Register entry form",
            Scope::ConfirmRemove => "Remove a register entry",
            Scope::Confirm => "Confirm (before dropping an action)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    Quit,
    ForceQuit,
    ToggleHelp,
    NextScreen,
    PreviousScreen,
    Back,
    Up,
    Down,
    First,
    Last,
    PageUp,
    PageDown,
    Open,
    NewAssessment,
    SetLevel(Level),
    ClearLevel,
    EditNote,
    NextUnanswered,
    StartSearch,
    /// Go to a row by its number or ref (an item, a control, a step, an action, an entry).
    GoTo,
    SearchNext,
    SearchPrevious,
    ToggleApplicability,
    /// Undo the last change of this run (a recorded change); redo what was undone.
    Undo,
    Redo,
    /// Start a workshop session, or end the open one.
    Session,
    /// Insert who said it (the next participant of the session) into the note.
    TagSpeaker,
    /// The history of the selected item (questionnaire) or of the assessment (dashboard).
    History,
    /// Compare the assessment now with an earlier point or another assessment.
    Compare,
    /// The Merge screen: conflicts waiting after a merge of another copy.
    Merge,
    ScrollDown,
    ScrollUp,
    ScrollNoteDown,
    ScrollNoteUp,
    // SoA and plan screens:
    Decide,
    CycleFilter,
    EditEvidence,
    EditRisks,
    EditOwner,
    CycleStatus,
    BlockStep,
    SkipStep,
    EditStart,
    EditDue,
    EditDone,
    ToggleTimeline,
    Toggle,
    Migrate,
    Rename,
    EditDetails,
    Delete,
    // Actions:
    NewAction,
    EditTitle,
    CyclePriority,
    CycleEffort,
    HoldAction,
    DropAction,
    CycleView,
    CycleSort,
    // Inside text fields and forms:
    Save,
    Submit,
    NextField,
    PreviousField,
    ChoiceLeft,
    ChoiceRight,
    Discard,
    WriteToFile,
    // Registers:
    OpenRegister,
    NewEntry,
    NextRegister,
    PreviousRegister,
    /// Walk the selected audit item by item (audit mode).
    AuditMode,
    /// Record a finding of this type on the item of audit mode.
    RecordFinding(FindingType),
    /// A key typed into the focused text field (not in the table: any printable key while typing).
    Type(KeyEvent),
}

/// A key, as the table spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    pub fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        match self {
            Key::Char(c) => !ctrl && !alt && event.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && event.code == KeyCode::Char(c),
            Key::Code(code) => !ctrl && !alt && event.code == code,
        }
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    /// How the footer and help spell the keys.
    pub label: &'static str,
    pub action: KeyAction,
    pub help: &'static str,
    /// The footer's short word for it, when the footer shows it (help always lists everything).
    pub footer: Option<&'static str>,
}

use Key::{Char, Code, Ctrl};
use KeyAction as A;
use Scope as S;

const fn bind(
    scope: Scope,
    keys: &'static [Key],
    label: &'static str,
    action: KeyAction,
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        scope,
        keys,
        label,
        action,
        help,
        footer,
    }
}

const LEVEL_HELP: &str =
    "set the level: 0 Absent, 1 Planned, 2 Implemented, 3 Checked, 4 Improving";

#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    // Popups and text fields first: they own the keyboard while open.
    bind(S::NoteEditor, &[Ctrl('s')], "Ctrl-S", A::Save, "save the note and close", Some("save")),
    bind(S::NoteEditor, &[Code(KeyCode::Esc)], "Esc", A::Save, "close; what you typed is saved", Some("close (saves)")),
    bind(S::NoteEditor, &[], "Ctrl-U / Ctrl-R", A::Save, "undo / redo inside the note", None),
    bind(S::NoteEditor, &[Ctrl('t')], "Ctrl-T", A::TagSpeaker, "tag who said it: inserts [Name (role)] of the session's first participant; again right away: the next one", Some("who said it")),
    bind(S::Prompt, &[Code(KeyCode::Enter)], "Enter", A::Submit, "save", Some("save")),
    bind(S::Prompt, &[Code(KeyCode::Esc)], "Esc", A::Back, "leave; if you changed the text, asks whether to save it", Some("leave")),
    bind(S::DecisionForm, &[Code(KeyCode::Enter)], "Enter", A::Submit, "save the decision", Some("save")),
    bind(S::DecisionForm, &[Code(KeyCode::Tab), Code(KeyCode::Down)], "Tab/Down", A::NextField, "next field", Some("next field")),
    bind(S::DecisionForm, &[Code(KeyCode::BackTab), Code(KeyCode::Up)], "Shift-Tab/Up", A::PreviousField, "previous field", None),
    bind(S::DecisionForm, &[Char(' ')], "Space", A::Toggle, "include/exclude, or tick the reason under the cursor", Some("toggle")),
    bind(S::DecisionForm, &[Code(KeyCode::Left)], "Left/Right", A::ChoiceLeft, "move between reasons", None),
    bind(S::DecisionForm, &[Code(KeyCode::Right)], "Left/Right", A::ChoiceRight, "move between reasons", None),
    bind(S::DecisionForm, &[Code(KeyCode::Esc)], "Esc", A::Back, "leave; if you changed anything, asks whether to save it", Some("leave")),
    bind(S::SearchBar, &[Code(KeyCode::Enter)], "Enter", A::Submit, "go to the next match", Some("go")),
    bind(S::SearchBar, &[Code(KeyCode::Esc)], "Esc", A::Back, "cancel the search", Some("cancel")),
    bind(S::NewForm, &[Code(KeyCode::Enter)], "Enter", A::Submit, "create the assessment and open it", Some("create")),
    bind(S::NewForm, &[Code(KeyCode::Tab), Code(KeyCode::Down)], "Tab/Down", A::NextField, "next field", Some("next field")),
    bind(S::NewForm, &[Code(KeyCode::BackTab), Code(KeyCode::Up)], "Shift-Tab/Up", A::PreviousField, "previous field", None),
    bind(S::NewForm, &[Code(KeyCode::Left)], "Left/Right", A::ChoiceLeft, "choose the questionnaire (on the Standard field)", Some("standard")),
    bind(S::NewForm, &[Code(KeyCode::Right)], "Left/Right", A::ChoiceRight, "choose the questionnaire (on the Standard field)", None),
    bind(S::NewForm, &[Code(KeyCode::Esc)], "Esc", A::Back, "leave; if you typed anything, asks whether to create it", Some("leave")),
    bind(S::Unsaved, &[Code(KeyCode::Enter), Char('s')], "Enter", A::Submit, "save what you typed", Some("save")),
    bind(S::Unsaved, &[Char('d')], "d", A::Discard, "discard what you typed (the saved value stays)", Some("discard")),
    bind(S::Unsaved, &[Char('w')], "w", A::WriteToFile, "write what you typed to a text file in the export folder", Some("write to file")),
    bind(S::Unsaved, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to editing", Some("back to editing")),
    bind(S::Help, &[Code(KeyCode::Esc), Char('?'), Char('q')], "Esc/?", A::ToggleHelp, "close help", Some("close")),
    bind(S::Help, &[Char('j'), Code(KeyCode::Down)], "j/Down", A::Down, "scroll down", Some("scroll")),
    bind(S::Help, &[Char('k'), Code(KeyCode::Up)], "k/Up", A::Up, "scroll up", None),
    bind(S::ConfirmDelete, &[Char('y')], "y", A::Submit, "delete, after writing the backup", Some("delete")),
    bind(S::ConfirmDelete, &[Char('n'), Code(KeyCode::Esc)], "n/Esc", A::Back, "keep the assessment", Some("keep")),
    bind(S::EntryForm, &[Code(KeyCode::Enter)], "Enter", A::Submit, "save the entry", Some("save")),
    bind(S::EntryForm, &[Ctrl('s')], "Ctrl-S", A::Submit, "save the entry (as Enter)", None),
    bind(S::EntryForm, &[Code(KeyCode::Tab), Code(KeyCode::Down)], "Tab/Down", A::NextField, "next field", Some("next field")),
    bind(S::EntryForm, &[Code(KeyCode::BackTab), Code(KeyCode::Up)], "Shift-Tab/Up", A::PreviousField, "previous field", None),
    bind(S::EntryForm, &[Code(KeyCode::Left)], "Left/Right", A::ChoiceLeft, "choose (kind, ratings, SWOT, treatment, status); in a text field, move the cursor", Some("choose")),
    bind(S::EntryForm, &[Code(KeyCode::Right)], "Left/Right", A::ChoiceRight, "choose (kind, ratings, SWOT, treatment, status); in a text field, move the cursor", None),
    bind(S::EntryForm, &[Code(KeyCode::Esc)], "Esc", A::Back, "leave; if you changed anything, asks whether to save it", Some("leave")),
    bind(S::ConfirmRemove, &[Char('y')], "y", A::Submit, "remove the entry (the history keeps it)", Some("remove")),
    bind(S::ConfirmRemove, &[Char('n'), Code(KeyCode::Esc)], "n/Esc", A::Back, "keep it", Some("keep")),
    bind(S::Confirm, &[Char('y')], "y", A::Submit, "yes, do it (Ctrl-Z takes it back)", Some("yes")),
    bind(S::Confirm, &[Char('n'), Code(KeyCode::Esc)], "n/Esc", A::Back, "no, leave it as it is", Some("no")),
    // Screens.
    bind(S::Registers, &[Char('n')], "n", A::NewEntry, "new entry in the register shown", Some("new")),
    bind(S::Registers, &[Code(KeyCode::Enter)], "Enter", A::Open, "edit the selected entry", Some("edit")),
    bind(S::Registers, &[Code(KeyCode::Delete), Code(KeyCode::Backspace)], "Del", A::Delete, "remove the selected entry (asks first)", Some("remove")),
    bind(S::Registers, &[Char(']'), Code(KeyCode::Right)], "]/[", A::NextRegister, "next / previous register (context, parties, risks, objectives, audits, findings, NCs, reviews)", Some("register")),
    bind(S::Registers, &[Char('['), Code(KeyCode::Left)], "]/[", A::PreviousRegister, "next / previous register (context, parties, risks, objectives, audits, findings, NCs, reviews)", None),
    bind(S::Registers, &[Char('f')], "f", A::CycleFilter, "filter the register (e.g. high priority, external, untreated risks, open objectives)", Some("filter")),
    bind(S::Registers, &[Char('/')], "/", A::StartSearch, "search the register's texts (an empty search shows all)", Some("search")),
    bind(S::Registers, &[Char('a')], "a", A::AuditMode, "audit mode: walk the selected audit item by item and record findings (on Audits; on a finding, its audit)", None),
    bind(S::AuditMode, &[Char('c')], "c", A::RecordFinding(FindingType::Conformity), "record a conformity on the item (statement, evidence)", Some("conformity")),
    bind(S::AuditMode, &[Char('m')], "m", A::RecordFinding(FindingType::Minor), "record a minor nonconformity: it opens a nonconformity (NC)", Some("minor")),
    bind(S::AuditMode, &[Char('X')], "X", A::RecordFinding(FindingType::Major), "record a major nonconformity: it opens an NC, which blocks stage 2 until closed", Some("major")),
    bind(S::AuditMode, &[Char('o')], "o", A::RecordFinding(FindingType::Observation), "record an observation", Some("observation")),
    bind(S::AuditMode, &[Char('i')], "i", A::RecordFinding(FindingType::Improvement), "record an opportunity for improvement (OFI)", Some("OFI")),
    bind(S::AuditMode, &[Char('u')], "u", A::NextUnanswered, "next item without a finding", Some("next open")),
    bind(S::AuditMode, &[Code(KeyCode::Enter)], "Enter", A::Open, "edit the newest finding on the item (the whole entry form)", None),
    bind(S::AuditMode, &[Char('J')], "J/K", A::ScrollDown, "scroll the item's text down / up", None),
    bind(S::AuditMode, &[Char('K')], "J/K", A::ScrollUp, "scroll the item's text down / up", None),
    bind(S::AuditMode, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to the Registers screen", Some("back")),
    bind(S::Picker, &[Code(KeyCode::Enter)], "Enter", A::Open, "open the selected assessment", Some("open")),
    bind(S::Picker, &[Char('n')], "n", A::NewAssessment, "new assessment", Some("new")),
    bind(S::Picker, &[Code(KeyCode::Tab)], "Tab", A::NextScreen, "open the selected assessment (Shift-Tab: on its Export screen)", None),
    bind(S::Picker, &[Char('r')], "r", A::Rename, "rename the selected assessment", None),
    bind(S::Picker, &[Char('e')], "e", A::EditDetails, "edit its scope, its assessor, then the firm", None),
    bind(S::Picker, &[Char('D'), Code(KeyCode::Delete)], "D/Del", A::Delete, "delete, after confirmation (a JSON backup is kept beside the database)", Some("delete")),
    bind(S::Picker, &[Char('m')], "m", A::Migrate, "carry a 2013 assessment over to 2022 (a new assessment; the old one stays)", None),
    bind(S::Questionnaire, &[Char('0'), Char('1'), Char('2'), Char('3'), Char('4')], "0-4", A::SetLevel(Level::Absent), LEVEL_HELP, Some("level")),
    bind(S::Dashboard, &[Char('H')], "H", A::History, "history of every change, newest first", Some("history")),
    bind(S::Questionnaire, &[Char('H')], "H", A::History, "history of the selected item: when, session, field, old -> new", None),
    bind(S::History, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to the screen it was opened from", Some("back")),
    bind(S::History, &[Char('f')], "f", A::CycleFilter, "filter by session: all, then each session in turn", Some("session")),
    bind(S::History, &[Char('i')], "i", A::Toggle, "this item only / every item", Some("item/all")),
    bind(S::History, &[Code(KeyCode::Enter)], "Enter", A::Open, "open the item of the selected change", Some("open item")),
    bind(S::Dashboard, &[Char('C')], "C", A::Compare, "compare now with before the last session (f: other points, other assessments)", Some("compare")),
    bind(S::Compare, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to the dashboard", Some("back")),
    bind(S::Compare, &[Char('f')], "f", A::CycleFilter, "next point: before each session (newest first), then each comparable assessment", Some("next point")),
    bind(S::Compare, &[Code(KeyCode::Enter)], "Enter", A::Open, "open the selected item in the questionnaire", Some("open item")),
    bind(S::Dashboard, &[Char('M')], "M", A::Merge, "conflicts waiting from merges of other copies (the Merge screen)", Some("merge")),
    bind(S::Questionnaire, &[Char('M')], "M", A::Merge, "conflicts waiting from merges (the Merge screen)", None),
    bind(S::Merge, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to the screen it was opened from", Some("back")),
    bind(S::Merge, &[Code(KeyCode::Right)], "Left/Right", A::ChoiceRight, "choose: keep mine, take theirs, or for a text keep both", Some("choose")),
    bind(S::Merge, &[Code(KeyCode::Left)], "Left/Right", A::ChoiceLeft, "choose: keep mine, take theirs, or for a text keep both", None),
    bind(S::Merge, &[Code(KeyCode::Enter)], "Enter", A::Open, "decide the selected conflict as chosen", Some("decide")),
    bind(S::Dashboard, &[Char('S')], "S", A::Session, "start a workshop session (title, then participants), or end the open one (asks first, with its closing notes)", Some("session")),
    bind(S::Questionnaire, &[Code(KeyCode::Backspace), Code(KeyCode::Delete)], "Del", A::ClearLevel, "clear the level (unanswered)", None),
    bind(S::Questionnaire, &[Char('e')], "e", A::EditNote, "edit the note (multi-line)", Some("note")),
    bind(S::Questionnaire, &[Char('u')], "u", A::NextUnanswered, "next unanswered item", Some("unanswered")),
    bind(S::Questionnaire, &[Char('/')], "/", A::StartSearch, "search numbers, refs, texts and notes (case and accents ignored)", Some("search")),
    bind(S::Questionnaire, &[Char('n')], "n", A::SearchNext, "next match of the last search", None),
    bind(S::Questionnaire, &[Char('N')], "N", A::SearchPrevious, "previous match of the last search", None),
    bind(S::Questionnaire, &[Char('x')], "x", A::ToggleApplicability, "not applicable: refused for clauses 4-10; controls open the decision", None),
    bind(S::Questionnaire, &[Char('J')], "J/K", A::ScrollDown, "scroll the item's text down / up", None),
    bind(S::Questionnaire, &[Char('K')], "J/K", A::ScrollUp, "scroll the item's text down / up", None),
    bind(S::Questionnaire, &[Char('}')], "}/{", A::ScrollNoteDown, "scroll the note down / up", None),
    bind(S::Questionnaire, &[Char('{')], "}/{", A::ScrollNoteUp, "scroll the note down / up", None),
    bind(S::Questionnaire, &[Char('a')], "a", A::NewAction, "new action on this item (the title starts as the item's; Enter saves)", Some("action")),
    bind(S::Questionnaire, &[Code(KeyCode::PageDown)], "PgDn", A::PageDown, "next clause", None),
    bind(S::Questionnaire, &[Code(KeyCode::PageUp)], "PgUp", A::PageUp, "previous clause", None),
    bind(S::Questionnaire, &[Char('R')], "R", A::OpenRegister, "open the register the item needs (4.1, 4.2, 6.1.2, 6.1.3, 8.2, 8.3, 6.2)", None),
    bind(S::Export, &[Code(KeyCode::Enter)], "Enter", A::Open, "write the selected format to the export folder", Some("write")),
    bind(S::Dashboard, &[Code(KeyCode::Enter)], "Enter", A::Open, "open the selected gap in the questionnaire; on a Stage line (k above the first gap), list its blockers", Some("open item")),
    bind(S::Soa, &[Char('0'), Char('1'), Char('2'), Char('3'), Char('4')], "0-4", A::SetLevel(Level::Absent), LEVEL_HELP, Some("level")),
    bind(S::Soa, &[Code(KeyCode::Backspace), Code(KeyCode::Delete)], "Del", A::ClearLevel, "clear the level (unanswered)", None),
    bind(S::Soa, &[Char('a')], "a", A::Decide, "decide applicability: include or exclude, reasons, justification", Some("decide")),
    bind(S::Soa, &[Char('f')], "f", A::CycleFilter, "filter: all, applicable, excluded, undecided, no reason, no justification", Some("filter")),
    bind(S::Soa, &[Char('o')], "o", A::EditOwner, "owner", Some("owner")),
    bind(S::Soa, &[Char('e')], "e", A::EditNote, "edit the note", Some("note")),
    bind(S::Soa, &[Char('v')], "v", A::EditEvidence, "evidence reference", Some("evidence")),
    bind(S::Soa, &[Char('r')], "r", A::EditRisks, "linked risks", Some("risks")),
    bind(S::Soa, &[Char('/')], "/", A::StartSearch, "search refs, titles, notes, owners, evidence and justifications", Some("search")),
    bind(S::Soa, &[Char('n')], "n", A::SearchNext, "next match of the last search", None),
    bind(S::Soa, &[Char('N')], "N", A::SearchPrevious, "previous match of the last search", None),
    bind(S::Soa, &[Code(KeyCode::PageDown)], "PgDn", A::PageDown, "first control of the next domain", None),
    bind(S::Soa, &[Code(KeyCode::PageUp)], "PgUp", A::PageUp, "first control of this (or the previous) domain", None),
    bind(S::Plan, &[Char(' ')], "Space", A::CycleStatus, "status: to do, in progress, done; leaving done/blocked/skipped asks twice", Some("status")),
    bind(S::Plan, &[Char('b')], "b", A::BlockStep, "blocked (asks why)", None),
    bind(S::Plan, &[Char('X')], "X", A::SkipStep, "skipped: crossed out of the plan (asks why)", None),
    bind(S::Plan, &[Char('o')], "o", A::EditOwner, "owner", Some("owner")),
    bind(S::Plan, &[Char('s')], "s", A::EditStart, "start date (YYYY-MM-DD; not after the due date)", None),
    bind(S::Plan, &[Char('d')], "d", A::EditDue, "due date (YYYY-MM-DD; not before the start date)", Some("due")),
    bind(S::Plan, &[Char('D')], "D", A::EditDone, "done on a date (YYYY-MM-DD; not in the future, not before the start): marks the step done", None),
    bind(S::Plan, &[Char('e')], "e", A::EditNote, "edit the note", None),
    bind(S::Plan, &[Char('t')], "t", A::ToggleTimeline, "list / timeline view", Some("timeline")),
    bind(S::Actions, &[Char(' ')], "Space", A::CycleStatus, "status: to do, in progress, done (done records today)", Some("status")),
    bind(S::Actions, &[Char('h')], "h", A::HoldAction, "on hold", None),
    bind(S::Actions, &[Char('X')], "X", A::DropAction, "dropped: crossed out (asks first)", None),
    bind(S::Actions, &[Char('p')], "p", A::CyclePriority, "priority 1 (highest) to 4", Some("priority")),
    bind(S::Actions, &[Char('z')], "z", A::CycleEffort, "effort: XS, S, M, L, XL, none", None),
    bind(S::Actions, &[Char('T')], "T", A::EditTitle, "title", None),
    bind(S::Actions, &[Char('o')], "o", A::EditOwner, "owner", Some("owner")),
    bind(S::Actions, &[Char('d')], "d", A::EditDue, "due date (YYYY-MM-DD; empty clears)", Some("due")),
    bind(S::Actions, &[Char('e')], "e", A::EditNote, "edit the note", None),
    bind(S::Actions, &[Char('f')], "f", A::CycleFilter, "filter by status: open, all, to do, in progress, on hold, done, dropped, overdue", Some("filter")),
    bind(S::Actions, &[Char('/')], "/", A::StartSearch, "filter by owner, clause or ref (6, 6.1.2, A.5), or words of the title; empty clears", None),
    bind(S::Actions, &[Char('s')], "s", A::CycleSort, "sort by priority or by due date", None),
    bind(S::Actions, &[Char('v')], "v", A::CycleView, "view: list, roadmap (Now/Next/Later), verdict blockers, documents checklist", Some("view")),
    bind(S::Actions, &[Code(KeyCode::Enter)], "Enter", A::Open, "open the action's first item (in the verdict and documents views: the item; on a blocker group: show or hide its items)", Some("open item")),
    // Everywhere else.
    bind(S::Global, &[Char('j'), Code(KeyCode::Down)], "j/k", A::Down, "move down / up", Some("move")),
    bind(S::Global, &[Char('k'), Code(KeyCode::Up)], "j/k", A::Up, "move down / up", None),
    bind(S::Global, &[Char('g'), Code(KeyCode::Home)], "g/G", A::First, "first / last", None),
    bind(S::Global, &[Char('G'), Code(KeyCode::End)], "g/G", A::Last, "first / last", None),
    bind(S::Global, &[Code(KeyCode::Tab)], "Tab", A::NextScreen, "next screen", Some("screen")),
    bind(S::Global, &[Code(KeyCode::BackTab)], "Shift-Tab", A::PreviousScreen, "previous screen", None),
    bind(S::Global, &[Code(KeyCode::Esc)], "Esc", A::Back, "back to the assessments", None),
    bind(S::Global, &[Ctrl('z')], "Ctrl-Z", A::Undo, "undo the last change made in this run, of any kind (answer, SoA decision, plan step, action, register entry, session); the undo is itself recorded", None),
    bind(S::Global, &[Ctrl('y')], "Ctrl-Y", A::Redo, "redo what Ctrl-Z undid", None),
    bind(S::Global, &[Char(':')], ":", A::GoTo, "go to: an item's number or ref (5.3 b), A.5.10); on the SoA a control, on the plan a step, on Actions an action (#3), on Registers an entry (R-3), in the picker a row", None),
    bind(S::Global, &[Char('S')], "S", A::Session, "on any screen of an open assessment: start a workshop session, or end the open one (asks first)", None),
    bind(S::Global, &[Char('C')], "C", A::Compare, "on any screen of an open assessment: compare now with before the last session", None),
    bind(S::Global, &[Char('M')], "M", A::Merge, "on any screen of an open assessment: the Merge screen (conflicts waiting from merges)", None),
    bind(S::Global, &[Char('?'), Code(KeyCode::F(1))], "?", A::ToggleHelp, "help: every key", Some("help")),
    bind(S::Global, &[Char('q')], "q", A::Quit, "quit (everything is already saved)", Some("quit")),
    bind(S::Global, &[Ctrl('c')], "Ctrl-C", A::ForceQuit, "quit from anywhere; a changed field is saved first, or you are asked", None),
];

/// The action a key triggers in `scope`, falling back to global keys when `with_global`.
pub fn lookup(scope: Scope, key: &KeyEvent, with_global: bool) -> Option<KeyAction> {
    let find = |wanted: Scope| {
        KEYMAP
            .iter()
            .filter(|binding| binding.scope == wanted)
            .find_map(|binding| {
                let position = binding.keys.iter().position(|k| k.matches(key))?;
                Some(match binding.action {
                    // One row binds the five level digits; the digit says which level.
                    KeyAction::SetLevel(_) => KeyAction::SetLevel(Level::ALL[position]),
                    action => action,
                })
            })
    };
    find(scope).or_else(|| {
        if with_global {
            find(Scope::Global)
        } else {
            None
        }
    })
}

/// The (label, help) pairs of a scope, each once, in table order: what help lists.
pub fn hints(scope: Scope) -> Vec<(&'static str, &'static str)> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for binding in KEYMAP.iter().filter(|b| b.scope == scope) {
        if !seen.iter().any(|(label, _)| *label == binding.label) {
            seen.push((binding.label, binding.help));
        }
    }
    seen
}

/// How the table spells the key of `action` in `scope`, for titles and messages.
pub fn label(scope: Scope, action: KeyAction) -> &'static str {
    KEYMAP
        .iter()
        .find(|b| b.scope == scope && b.action == action)
        .map_or("?", |b| b.label)
}

/// The (label, short word) pairs the footer of a scope shows, in table order.
pub fn footer_hints(scope: Scope) -> Vec<(&'static str, &'static str)> {
    KEYMAP
        .iter()
        .filter(|b| b.scope == scope)
        .filter_map(|b| b.footer.map(|word| (b.label, word)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn digits_set_their_own_level() {
        for level in Level::ALL {
            let digit = char::from(b'0' + level.value());
            assert_eq!(
                lookup(Scope::Questionnaire, &key(KeyCode::Char(digit)), true),
                Some(KeyAction::SetLevel(level))
            );
        }
    }

    #[test]
    fn screen_keys_win_over_global_keys_and_globals_apply_when_allowed() {
        assert_eq!(
            lookup(Scope::Picker, &key(KeyCode::Char('n')), true),
            Some(KeyAction::NewAssessment)
        );
        assert_eq!(
            lookup(Scope::Picker, &key(KeyCode::Char('q')), true),
            Some(KeyAction::Quit)
        );
        assert_eq!(
            lookup(Scope::NoteEditor, &key(KeyCode::Char('q')), false),
            None
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(Scope::Questionnaire, &ctrl_c, true),
            Some(KeyAction::ForceQuit)
        );
    }

    #[test]
    fn every_scope_has_footer_hints_and_labels_are_not_repeated() {
        for scope in [
            Scope::Global,
            Scope::Picker,
            Scope::Questionnaire,
            Scope::NoteEditor,
        ] {
            let hints = footer_hints(scope);
            assert!(!hints.is_empty(), "{scope:?} has no footer");
            let mut labels: Vec<_> = hints.iter().map(|(label, _)| *label).collect();
            labels.dedup();
            assert_eq!(labels.len(), hints.len());
        }
    }
}
