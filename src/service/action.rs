//! Actions (add, change, remove: each checked against the questionnaire and the plan before
//! anything is written) and the audit-readiness verdict.

use crate::model::action::{Action, ActionChange, NewAction};
use crate::model::plan::PlanTemplate;
use crate::model::verdict::{self, Verdict};
use crate::model::{Answers, Questionnaire};
use crate::store::Store;
use color_eyre::eyre::{Result, eyre};

/// Checks that every item is in the questionnaire and the step (if any) in the plan.
fn check_links(questionnaire: &Questionnaire, items: &[u32], step: Option<u32>) -> Result<()> {
    if items.is_empty() {
        return Err(eyre!("an action needs at least one item (--item N[,N...])"));
    }
    for number in items {
        super::change::item(questionnaire, *number)?;
    }
    if let Some(step) = step {
        let plan = PlanTemplate::builtin();
        plan.step(step).ok_or_else(|| {
            eyre!(
                "step {step} is not in the plan (steps 1 to {})",
                plan.steps.len()
            )
        })?;
    }
    Ok(())
}

/// Adds an action to an assessment; returns it with its number.
pub fn add(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    new: NewAction,
) -> Result<Action> {
    check_links(questionnaire, &new.items, new.step)?;
    if new.title.trim().is_empty() {
        return Err(eyre!("an action needs a title"));
    }
    if !(1..=4).contains(&new.priority) {
        return Err(eyre!("priority {} is not 1 to 4 (1 highest)", new.priority));
    }
    Ok(store.add_action(assessment_id, new)?)
}

/// Applies `changes` to action `number`: all saved in one transaction, or none.
pub fn change(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    number: u32,
    changes: &[ActionChange],
) -> Result<Action> {
    for change in changes {
        match change {
            ActionChange::Items(items) => check_links(questionnaire, items, None)?,
            ActionChange::Step(step) => check_links(questionnaire, &[1], *step)?,
            ActionChange::Title(title) if title.trim().is_empty() => {
                return Err(eyre!("an action needs a title"));
            }
            ActionChange::Priority(p) if !(1..=4).contains(p) => {
                return Err(eyre!("priority {p} is not 1 to 4 (1 highest)"));
            }
            _ => {}
        }
    }
    Ok(store.apply_action_changes(assessment_id, number, changes)?)
}

/// Removes action `number`, unless a nonconformity or management review names it (issue 30:
/// a record never points at nothing).
pub fn remove(store: &mut Store, assessment_id: i64, number: u32) -> Result<Action> {
    let id = format!("ACT-{number}");
    let registers = store.registers(assessment_id)?;
    let linked: Vec<&str> = registers
        .nonconformities
        .iter()
        .filter(|n| n.actions.contains(&id))
        .map(|n| n.id.as_str())
        .chain(
            registers
                .reviews
                .iter()
                .filter(|r| r.actions.contains(&id))
                .map(|r| r.id.as_str()),
        )
        .collect();
    if !linked.is_empty() {
        return Err(color_eyre::eyre::eyre!(
            "action #{number} stays while {} name{} it as {id}: take it off there first",
            linked.join(", "),
            if linked.len() == 1 { "s" } else { "" }
        ));
    }
    Ok(store.remove_action(assessment_id, number)?)
}

/// The verdict of an assessment as stored.
pub fn verdict_of(
    store: &Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    answers: &Answers,
) -> Result<Verdict> {
    let actions = store.actions(assessment_id)?;
    let registers = store.registers(assessment_id)?;
    Ok(verdict::verdict_with(
        questionnaire,
        answers,
        &actions,
        &registers.risk_links(),
        &registers,
        crate::clock::today(),
    ))
}
