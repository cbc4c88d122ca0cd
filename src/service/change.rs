//! Validated changes: to one answer, to one plan step. Every change is checked before anything
//! is written, and one call is one transaction (an answer) or all-or-nothing (a plan step).

use crate::model::plan::{PlanChange, PlanTemplate, StepProgress, StepStatus};
use crate::model::{Answer, Change, Item, Questionnaire};
use crate::store::Store;
use chrono::NaiveDate;
use color_eyre::eyre::{Result, eyre};

/// The item numbered `number` of `questionnaire`, or an error naming the valid range.
pub fn item(questionnaire: &Questionnaire, number: u32) -> Result<&Item> {
    questionnaire.item(number).ok_or_else(|| {
        eyre!(
            "item {} is not in {} (items 1 to {})",
            number,
            questionnaire.id,
            questionnaire.items.len()
        )
    })
}

/// Applies `changes` to one item's answer: each is checked against the item first, then all are
/// saved in one transaction (every field or none). Returns the answer as saved, or `None` when
/// there was nothing to change.
pub fn answer(
    store: &mut Store,
    assessment_id: i64,
    item: &Item,
    changes: &[Change],
) -> Result<Option<Answer>> {
    for change in changes {
        change.check(item).map_err(|reason| eyre!(reason))?;
    }
    if changes.is_empty() {
        return Ok(None);
    }
    Ok(Some(store.apply_changes(
        assessment_id,
        item.number,
        changes,
    )?))
}

/// What to change in one plan step; `None` leaves a field as it is. A date of `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepEdit {
    pub status: Option<StepStatus>,
    /// Why the step is blocked or skipped (with `status`).
    pub reason: String,
    pub owner: Option<String>,
    pub start: Option<Option<NaiveDate>>,
    pub due: Option<Option<NaiveDate>>,
    pub note: Option<String>,
}

/// Applies `edit` to plan step `step` as of `today`. Every change is checked against the step as
/// it will be before anything is written, so a refused edit changes nothing at all. Returns the
/// step as saved.
pub fn plan_step(
    store: &mut Store,
    assessment_id: i64,
    step: u32,
    edit: StepEdit,
    today: NaiveDate,
) -> Result<StepProgress> {
    let template = PlanTemplate::builtin();
    template.step(step).ok_or_else(|| {
        eyre!(
            "step {step} is not in the plan (steps 1 to {})",
            template.steps.len()
        )
    })?;
    let mut changes = Vec::new();
    if let Some(status) = edit.status {
        changes.push(PlanChange::Status {
            status,
            reason: edit.reason,
            today,
        });
    }
    if let Some(owner) = edit.owner {
        changes.push(PlanChange::Owner(owner));
    }
    let stored = store
        .plan_progress(assessment_id, template.steps.len())?
        .get(step as usize - 1)
        .cloned()
        .unwrap_or_default();
    // Both dates at once: set first the one that keeps the pair in order on the way (a later
    // start before a later due date would otherwise be refused against the old due date).
    let start = edit.start.map(PlanChange::Start);
    let due = edit.due.map(PlanChange::Due);
    let start_first = match (&start, &stored.due) {
        (Some(PlanChange::Start(Some(new_start))), Some(old_due)) => new_start <= old_due,
        _ => true,
    };
    let dates = if start_first {
        [start, due]
    } else {
        [due, start]
    };
    changes.extend(dates.into_iter().flatten());
    if let Some(note) = edit.note {
        changes.push(PlanChange::Note(note));
    }
    let mut preview = stored;
    for change in &changes {
        change
            .check_against(&preview)
            .map_err(|reason| eyre!("step {step}: {reason}"))?;
        change.apply(&mut preview);
    }
    // One command, one transaction: every field or none.
    Ok(store.apply_plan_changes(assessment_id, step, &changes)?)
}

/// Applies one change to plan step `step` (the app's path: one key, one change). The change is
/// checked on its own first, then against the stored step inside the saving transaction.
pub fn step(
    store: &mut Store,
    assessment_id: i64,
    step: u32,
    change: &PlanChange,
) -> Result<StepProgress> {
    change
        .check()
        .map_err(|reason| eyre!("step {step}: {reason}"))?;
    Ok(store.apply_plan_change(assessment_id, step, change)?)
}
