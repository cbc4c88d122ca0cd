//! Undo and redo of every kind of change the app makes: answers (levels, notes, SoA decisions...),
//! plan steps, actions, register entries and workshop sessions. The app keeps, per open
//! assessment, a stack of `Reversal`s in the order the changes were made; carrying one out makes
//! a recorded change (the history stays append-only) and gives back the reversal that redoes it.

use crate::model::Assessment;
use crate::model::action::Action;
use crate::model::plan::StepProgress;
use crate::model::registers::RegisterKind;
use crate::model::session::Participant;
use crate::store::Store;
use color_eyre::eyre::Result;

/// What takes one change back (or, on the redo stack, makes it again).
#[derive(Debug, Clone, PartialEq)]
pub enum Reversal {
    /// Undo the newest answer change (through the history: every field it touched).
    Answer,
    /// Redo an answer undo: reverse the history rows it wrote.
    AnswerRedo(Vec<i64>),
    /// Put a plan step back to `to`.
    Step { step: u32, to: StepProgress },
    /// Put action `number` back to `to` (`None`: remove it).
    Action { number: u32, to: Option<Action> },
    /// Put entry `number` of a register back (JSON; `None`: remove it). `id` as shown (`R-3`).
    Entry {
        kind: RegisterKind,
        number: u32,
        id: String,
        to: Option<String>,
    },
    /// Take back the start of session `number`.
    SessionStarted(u32),
    /// Start a session again (the redo of a start taken back).
    StartSession {
        title: String,
        participants: Vec<Participant>,
    },
    /// Open ended session `number` again, its notes as they were (`notes`); `closing`: the
    /// notes its end added (a redo adds them again).
    SessionEnded {
        number: u32,
        notes: String,
        closing: String,
    },
    /// End the open session again, adding `closing`.
    EndSession { closing: String },
    /// Several reversals taken as one change, carried out in their order (a finding and the
    /// nonconformity it opened, issue 30).
    Together(Vec<Reversal>),
}

/// What carrying out a reversal did: a line for the status bar, the reversal that takes it back,
/// and the item whose answer changed (to read again), if any.
pub struct Reversed {
    pub said: String,
    pub back: Reversal,
    pub item: Option<u32>,
}

/// Carries out `reversal` on `assessment`; `None` when there is nothing left to take back.
pub fn carry_out(
    store: &mut Store,
    assessment: &Assessment,
    questionnaire: &crate::model::Questionnaire,
    reversal: Reversal,
    after_id: i64,
) -> Result<Option<Reversed>> {
    let id = assessment.id;
    let reference = |item: u32| {
        questionnaire
            .item(item)
            .map_or_else(String::new, |i| i.reference.clone())
    };
    Ok(Some(match reversal {
        Reversal::Answer => {
            let Some(undone) = super::workshop::undo(store, assessment, after_id)? else {
                return Ok(None);
            };
            Reversed {
                said: super::workshop::describe_undo(&undone, &reference(undone.item)),
                back: Reversal::AnswerRedo(undone.undo_rows.clone()),
                item: Some(undone.item),
            }
        }
        Reversal::AnswerRedo(rows) => {
            let Some(redone) = store.redo(id, &rows)? else {
                return Ok(None);
            };
            Reversed {
                said: super::workshop::describe_undo(&redone, &reference(redone.item)),
                back: Reversal::Answer,
                item: Some(redone.item),
            }
        }
        Reversal::Step { step, to } => {
            let before = store.put_step(id, step, &to)?;
            Reversed {
                said: format!("plan step {step}: {} -> {}", before.status, to.status),
                back: Reversal::Step { step, to: before },
                item: None,
            }
        }
        Reversal::Action { number, to } => {
            let before = store.put_action(id, number, to.as_ref())?;
            let said = match (&before, &to) {
                (_, None) => format!(
                    "action #{number} \"{}\" removed",
                    before.as_ref().map_or("", |a| a.title.as_str())
                ),
                (None, Some(a)) => format!("action #{number} \"{}\" back", a.title),
                (Some(_), Some(a)) => format!("action #{number} \"{}\" as it was", a.title),
            };
            Reversed {
                said,
                back: Reversal::Action { number, to: before },
                item: None,
            }
        }
        Reversal::Entry {
            kind,
            number,
            id: shown,
            to,
        } => {
            let before = store.put_entry(id, kind, number, to.as_deref())?;
            let said = match (&before, &to) {
                (_, None) => format!("{shown} removed from {}", kind.title()),
                (None, Some(_)) => format!("{shown} back in {}", kind.title()),
                (Some(_), Some(_)) => format!("{shown} in {} as it was", kind.title()),
            };
            Reversed {
                said,
                back: Reversal::Entry {
                    kind,
                    number,
                    id: shown,
                    to: before,
                },
                item: None,
            }
        }
        Reversal::SessionStarted(number) => {
            let session = store.sessions(id)?.into_iter().find(|s| s.number == number);
            let removed = store.take_back_session_start(id, number)?;
            let title = session
                .as_ref()
                .map_or_else(String::new, |s| s.title.clone());
            if removed {
                Reversed {
                    said: format!(
                        "session {number} \"{title}\" removed (nothing was stamped with it)"
                    ),
                    back: Reversal::StartSession {
                        title,
                        participants: session.map(|s| s.participants).unwrap_or_default(),
                    },
                    item: None,
                }
            } else {
                Reversed {
                    said: format!(
                        "session {number} \"{title}\" ended (changes are stamped with it, so it stays)"
                    ),
                    back: Reversal::SessionEnded {
                        number,
                        notes: session.map(|s| s.notes).unwrap_or_default(),
                        closing: String::new(),
                    },
                    item: None,
                }
            }
        }
        Reversal::StartSession {
            title,
            participants,
        } => {
            let people = participants
                .iter()
                .map(Participant::label)
                .collect::<Vec<_>>()
                .join(", ");
            let started = super::workshop::start(store, assessment, &title, &people, "", "", None)?;
            Reversed {
                said: format!("session {} started again", started.label()),
                back: Reversal::SessionStarted(started.number),
                item: None,
            }
        }
        Reversal::SessionEnded {
            number,
            notes,
            closing,
        } => {
            let session = store.reopen_session(id, number, &notes)?;
            Reversed {
                said: format!("session {} open again", session.label()),
                back: Reversal::EndSession { closing },
                item: None,
            }
        }
        Reversal::Together(reversals) => {
            let mut said = Vec::new();
            let mut backs = Vec::new();
            let mut item = None;
            for reversal in reversals {
                if let Some(done) = carry_out(store, assessment, questionnaire, reversal, after_id)?
                {
                    said.push(done.said);
                    backs.push(done.back);
                    item = item.or(done.item);
                }
            }
            if said.is_empty() {
                return Ok(None);
            }
            // The way back takes the last one back first.
            backs.reverse();
            Reversed {
                said: said.join("; "),
                back: Reversal::Together(backs),
                item,
            }
        }
        Reversal::EndSession { closing } => {
            let before = store.open_session(id)?;
            let notes = Some(closing.as_str()).filter(|c| !c.trim().is_empty());
            let ended = super::workshop::end(store, assessment, questionnaire, notes)?;
            Reversed {
                said: format!("session {} ended again", ended.label()),
                back: Reversal::SessionEnded {
                    number: ended.number,
                    notes: before.map(|s| s.notes).unwrap_or_default(),
                    closing,
                },
                item: None,
            }
        }
    }))
}
