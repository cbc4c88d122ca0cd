//! What the app does with a command from a view or a popup (`App::apply`): the only TUI code
//! that writes, each write through the service (`service::open`), the screen changed only once
//! the change is saved.

use super::*;

impl App {
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
            Command::Create(new) => match self.service.create(&new) {
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
                let backup = self.service.backup_path(&assessment);
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
            Command::ShowAudit(id) => {
                if self.session.is_none() {
                    return false;
                }
                self.views.audit.ask(&id);
                let opened = self.open_over(Screen::Audit);
                if opened
                    && let Some(walk) = self.session.as_ref().and_then(|s| self.views.audit.walk(s))
                {
                    let said = format!(
                        "Audit mode on {}, {} item{}: c, m, X, o or i records a finding.",
                        walk.id,
                        walk.items.len(),
                        if walk.items.len() == 1 { "" } else { "s" },
                    );
                    self.info(said);
                }
                opened
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
        match self.service.open_conflicts(session.assessment.id) {
            Ok(conflicts) => session.conflicts = conflicts,
            Err(error) => {
                self.error(error.to_string());
                return false;
            }
        }
        if self.screen != Screen::Merge {
            self.views.merge = Default::default();
        }
        self.open_over(Screen::Merge)
    }

    /// Settles one merge conflict: the field takes the chosen value (a change of this copy), in
    /// one transaction; then the session reads the answers, the plan and the conflicts again.
    fn resolve_conflict(&mut self, id: i64, take: crate::model::merge::Resolution) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let Some(conflict) = session.conflicts.iter().find(|c| c.id == id).cloned() else {
            return false;
        };
        // The choice is checked before anything is written (a text kept both ways only).
        if let Err(reason) = take.value(
            &conflict.key,
            conflict.mine.as_deref(),
            conflict.theirs.as_deref(),
        ) {
            self.error(reason);
            return false;
        }
        if let Err(error) = self.service.resolve_conflict(session, id, take) {
            self.error(not_saved(&error));
            return false;
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
    pub(super) fn load_workshops(&mut self) {
        if let Some(session) = &mut self.session {
            self.service.load_workshops(session);
        }
    }

    fn start_workshop(&mut self, title: &str, participants: &str) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let assessment = session.assessment.clone();
        match self
            .service
            .start_workshop(&assessment, title, participants)
        {
            Ok(started) => {
                self.done(crate::service::undo::Reversal::SessionStarted(
                    started.number,
                ));
                self.load_workshops();
                self.info(format!(
                    "Session {} started: every change is stamped with it until {} ends it.",
                    started.label(),
                    keymap::label(Scope::Dashboard, KeyAction::Session)
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
        match self
            .service
            .end_workshop(&assessment, &questionnaire, notes)
        {
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
        if self.session.is_none() {
            return false;
        }
        let fresh = self.screen != Screen::History;
        self.views.history.ask(item, session_filter);
        let opened = self.open_over(Screen::History);
        if opened && fresh {
            self.views.history.selected = 0;
        }
        opened
    }

    /// Compares the open assessment with point `point` and shows it.
    fn show_compare(&mut self, point: usize) -> bool {
        if self.session.is_none() {
            return false;
        }
        self.views.compare.ask(point);
        self.open_over(Screen::Compare)
    }

    /// After an undo or redo: the saved answer into the session, figures and last changes again.
    fn reread_item(&mut self, item: u32) {
        let Some(session) = &mut self.session else {
            return;
        };
        let id = session.assessment.id;
        if let Ok(answers) = self.service.answers(id, session.questionnaire.items.len()) {
            *session.answers.get_mut(item) = answers.get(item).clone();
            session.recompute();
        }
        if let Ok(last) = self.service.last_change_per_item(id) {
            session.last_changes = last;
        }
        if let Ok(trend) = self.service.trend(session) {
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
        if let Ok(answers) = self.service.answers(id, session.questionnaire.items.len()) {
            session.answers = answers;
        }
        if let Ok(progress) = self.service.plan_progress(id, session.plan.steps.len()) {
            session.plan_progress = progress;
        }
        if let Ok(actions) = self.service.actions(id) {
            session.actions = actions;
        }
        if let Ok(registers) = self.service.registers(id) {
            session.registers = registers;
        }
        session.recompute();
        session.recompute_actions();
        self.load_workshops();
        self.seen_data_version = self.service.data_version().unwrap_or(0);
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
        use crate::service::undo::Reversal;
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
        match self
            .service
            .reverse(&assessment, &questionnaire, reversal.clone(), after)
        {
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
                        keymap::label(Scope::Global, KeyAction::Redo)
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
    fn save_entry(
        &mut self,
        id: Option<String>,
        entry: crate::tui::register_form::EntryValue,
    ) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let (assessment_id, questionnaire) = (session.assessment.id, session.questionnaire.clone());
        let id = id.as_deref();
        let service = &mut self.service;
        let saved = crate::with_entry!(&entry, e => service.save_entry(&questionnaire, assessment_id, id, e));
        match saved {
            Ok((saved_id, before)) => {
                // What takes it back: the entry as it was, or (a new one) its removal.
                let taken_back = crate::service::undo::Reversal::Entry {
                    kind: entry.kind(),
                    number: entry_number(&saved_id),
                    id: saved_id.clone(),
                    to: before.clone(),
                };
                let ncs_before = self
                    .session
                    .as_ref()
                    .map(|s| s.registers.nonconformities.len())
                    .unwrap_or(0);
                self.reload_registers();
                // A finding that opened its nonconformity: one Ctrl-Z takes back both.
                let opened = self.session.as_ref().and_then(|s| {
                    (s.registers.nonconformities.len() > ncs_before)
                        .then(|| {
                            s.registers
                                .nonconformities
                                .iter()
                                .find(|nc| nc.finding == saved_id)
                        })
                        .flatten()
                        .map(|nc| nc.id.clone())
                });
                if id.is_none() || before.is_some() {
                    let reversal = match opened {
                        Some(nc) => crate::service::undo::Reversal::Together(vec![
                            crate::service::undo::Reversal::Entry {
                                kind: crate::model::registers::RegisterKind::Nonconformities,
                                number: entry_number(&nc),
                                id: nc,
                                to: None,
                            },
                            taken_back,
                        ]),
                        None => taken_back,
                    };
                    self.done(reversal);
                }
                if let Some(session) = &self.session
                    && self.screen == Screen::Registers
                {
                    self.views.registers.show(entry.kind());
                    self.views
                        .registers
                        .select_id(session, self.today, &saved_id);
                }
                self.seen_data_version = self.service.data_version().unwrap_or(0);
                let message = match &entry {
                    // A finding says what it is, and the nonconformity it opened.
                    crate::tui::register_form::EntryValue::Finding(finding) => {
                        let opened = self.session.as_ref().and_then(|s| {
                            s.registers
                                .nonconformities
                                .iter()
                                .find(|nc| nc.finding == saved_id)
                                .map(|nc| nc.id.clone())
                        });
                        format!(
                            "Saved {saved_id}: {} on {} (audit {}){}.",
                            crate::tui::screens::audit::finding_type_name(finding.kind)
                                .to_lowercase(),
                            finding.items.join(", "),
                            finding.audit,
                            opened.map_or_else(String::new, |nc| format!(
                                "; nonconformity {nc} is open in the Nonconformities register"
                            ))
                        )
                    }
                    _ => format!(
                        "Saved {saved_id} \"{}\" in {}.",
                        entry.label(),
                        entry.kind().title()
                    ),
                };
                self.info(message);
                true
            }
            Err(error) => {
                self.error(not_saved(&error));
                false
            }
        }
    }

    fn remove_entry(&mut self, kind: crate::model::registers::RegisterKind, id: &str) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        let removed = self.service.remove_entry(kind, session.assessment.id, id);
        match removed {
            Ok(held) => {
                self.done(crate::service::undo::Reversal::Entry {
                    kind,
                    number: entry_number(id),
                    id: id.to_string(),
                    to: Some(held),
                });
                self.reload_registers();
                self.seen_data_version = self.service.data_version().unwrap_or(0);
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
        match self.service.registers(session.assessment.id) {
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
        let saved = self.service.answer(session.assessment.id, item, &change);
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
                if let Ok(last) = self.service.last_change_per_item(id) {
                    session.last_changes = last;
                }
                session.changed_today = self
                    .service
                    .items_changed_today(id)
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
        match self
            .service
            .add_action(&session.questionnaire, session.assessment.id, new)
        {
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
                self.views.actions.view = crate::tui::screens::actions::View::List;
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
        match self.service.change_action(
            &session.questionnaire,
            session.assessment.id,
            number,
            &change,
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
                let message = match failure(&error) {
                    Failure::Refused(reason) | Failure::Invalid(reason) => {
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
        match self.service.step(session.assessment.id, step, &change) {
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
                let message = match failure(&error) {
                    Failure::Refused(reason) => format!("Step {step} not changed: {reason}."),
                    _ => not_saved(&error),
                };
                self.error(message);
                false
            }
        }
    }

    fn migrate(&mut self, from: &Assessment, name: &str) -> bool {
        let to = crate::model::mapping::Mapping::builtin().to.clone();
        match self.service.migrate(from, &to, name) {
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

    /// Saves a rename or a scope, assessor or firm change; after the scope the assessor is asked,
    /// after the assessor the firm.
    fn edit_assessment(&mut self, id: i64, field: AssessmentField, value: &str) -> bool {
        let old_name = self
            .assessments
            .iter()
            .find(|row| row.assessment.id == id)
            .map(|row| row.assessment.name.clone())
            .unwrap_or_default();
        match self.service.edit_assessment(id, field.edit(value)) {
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
                        self.info(format!("\"{}\": assessor saved.", saved.name));
                        // Then the firm the report's cover names beside the assessor.
                        self.popup = Some(Popup::prompt(
                            PromptFor::Assessment(id, AssessmentField::Firm),
                            format!("Firm of the assessor of \"{}\"", saved.name),
                            &saved.firm,
                        ));
                    }
                    AssessmentField::Firm => self.info(format!("\"{}\": firm saved.", saved.name)),
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
        match self.service.delete_with_backup(assessment, backup) {
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
        let result = self
            .service
            .export_into_dir(&assessment, format, &options, &dir)
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
}

/// What the status line says when a change was not saved: a rule's refusal plainly (e.g. a level
/// on an excluded control), anything else (a full disk...) as NOT SAVED.
fn not_saved(error: &color_eyre::eyre::Report) -> String {
    match failure(error) {
        Failure::Refused(reason) => reason.to_string(),
        Failure::Invalid(_) | Failure::File(_) => format!("NOT SAVED: {error}"),
        // Refused by the item's own rule before anything was written (`Change::check`).
        Failure::Other => error.to_string(),
    }
}

/// The number in a register entry's id (`R-3` -> 3).
fn entry_number(id: &str) -> u32 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The text a typed plan change writes, for the message after saving it.
fn edited_text(change: &PlanChange) -> Option<&str> {
    match change {
        PlanChange::Note(text) | PlanChange::Owner(text) => Some(text),
        _ => None,
    }
}
