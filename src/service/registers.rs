//! The registers (context issues, interested parties, risks, objectives, and the audit records
//! of issue 30): adding, editing and removing entries, checked against the assessment's
//! questionnaire (a risk links only to Annex A controls that exist in it, an audit's scope and a
//! finding's items name its clauses, items and groups) and against each other (a finding's audit,
//! a nonconformity's finding and actions exist). Both shells call these.

use crate::model::Questionnaire;
use crate::model::audit;
use crate::model::registers::{
    Audit, Finding, ManagementReview, Nonconformity, RegisterKind, Registers,
};
use crate::store::{Entry, RegisterChange, Store};
use color_eyre::eyre::{Result, eyre};
use std::any::Any;

pub use crate::store::Entry as RegisterEntry;

/// The registers of an assessment, each in its order.
pub fn registers(store: &Store, assessment_id: i64) -> Result<Registers> {
    Ok(store.registers(assessment_id)?)
}

/// A risk may link only to Annex A controls of the assessment's questionnaire.
fn check_links<T: Entry + 'static>(questionnaire: &Questionnaire, entry: &T) -> Result<()> {
    for control in entry.controls() {
        let known = questionnaire
            .items
            .iter()
            .any(|item| item.is_control() && item.reference == *control);
        if !known {
            return Err(eyre!(
                "{control} is not an Annex A control of {} (see `isms-ready soa`)",
                questionnaire.id
            ));
        }
    }
    Ok(())
}

fn number<T: Entry>(id: &str) -> Result<u32> {
    T::KIND.parse_id(id).ok_or_else(|| {
        eyre!(
            "\"{id}\" is not an id of the {} register (they read like {})",
            T::KIND.noun(),
            T::KIND.id(1)
        )
    })
}

/// The audit records' references (issue 30): an audit's scope and a finding's items name
/// things of the questionnaire, a finding's audit, a nonconformity's finding and the actions of
/// both exist, and a review of the 2013 edition has no input g).
fn check_records<T: Entry + 'static>(
    store: &Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    entry: &T,
) -> Result<()> {
    let any = entry as &dyn Any;
    let known = |refs: &[String], what: &str| -> Result<()> {
        match audit::unknown_refs(questionnaire, refs).first() {
            Some(unknown) => Err(eyre!(
                "{what}: \"{unknown}\" is not a clause, item or Annex A group of {}",
                questionnaire.id
            )),
            None => Ok(()),
        }
    };
    let actions_exist = |ids: &[String]| -> Result<()> {
        let actions = store.actions(assessment_id)?;
        for id in ids {
            let number = audit::action_number(id).unwrap_or(0);
            if !actions.iter().any(|a| a.number == number) {
                return Err(eyre!("no action {id} (see `isms-ready action list`)"));
            }
        }
        Ok(())
    };
    if let Some(audit) = any.downcast_ref::<Audit>() {
        known(&audit.scope, "scope")?;
    } else if let Some(finding) = any.downcast_ref::<Finding>() {
        get::<Audit>(store, assessment_id, &finding.audit)?;
        known(&finding.items, "items")?;
    } else if let Some(nc) = any.downcast_ref::<Nonconformity>() {
        if !nc.finding.is_empty() {
            get::<Finding>(store, assessment_id, &nc.finding)?;
        }
        known(&nc.requirement, "requirement")?;
        actions_exist(&nc.actions)?;
    } else if let Some(review) = any.downcast_ref::<ManagementReview>() {
        actions_exist(&review.actions)?;
        let letters = audit::review_inputs(audit::is_2013(questionnaire));
        for letter in ["a", "b", "c", "d", "e", "f", "g"] {
            let given = review.input(letter).is_some_and(|t| !t.trim().is_empty());
            if given && !letters.iter().any(|(l, _)| *l == letter) {
                return Err(eyre!(
                    "{} has no input {letter}) in 9.3.2 (its inputs are a to {})",
                    questionnaire.id,
                    letters.last().map_or("g", |(l, _)| *l)
                ));
            }
        }
    }
    Ok(())
}

/// Reads item numbers among refs (`12, A.5.18`) as the items' refs, for a finding's items or a
/// nonconformity's requirement given by number.
pub fn refs_of(questionnaire: &Questionnaire, text: &str) -> Result<String> {
    let mut refs = Vec::new();
    for part in audit::parse_refs(text) {
        match part.parse::<u32>() {
            Ok(number) => {
                let item = questionnaire
                    .item(number)
                    .ok_or_else(|| eyre!("item {number} is outside {}", questionnaire.id))?;
                refs.push(item.reference.clone());
            }
            Err(_) => refs.push(part),
        }
    }
    Ok(refs.join(", "))
}

/// Adds `entry` (its id is given by the store). Returns it as saved. A major or minor finding
/// opens its nonconformity in the same transaction (see `add_finding`).
pub fn add<T: Entry + 'static>(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    entry: &T,
) -> Result<T> {
    check_links(questionnaire, entry)?;
    check_records(store, questionnaire, assessment_id, entry)?;
    let raised_on = raised_on(store, assessment_id, entry)?;
    let (saved, _) = store.add_entry_and(assessment_id, entry, |saved: &T| {
        (saved as &dyn Any)
            .downcast_ref::<Finding>()
            .and_then(|finding| finding.opened_nonconformity(raised_on))
    })?;
    Ok(saved)
}

/// The day a finding's nonconformity is raised: the last day of its audit (the day the auditor
/// raised it) when that is known and not after today; else today, the day it is recorded.
fn raised_on<T: Entry + 'static>(
    store: &Store,
    assessment_id: i64,
    entry: &T,
) -> Result<chrono::NaiveDate> {
    let today = crate::clock::today();
    let Some(finding) = (entry as &dyn Any).downcast_ref::<Finding>() else {
        return Ok(today);
    };
    let audit_day = store
        .registers(assessment_id)?
        .audits
        .into_iter()
        .find(|audit| audit.id == finding.audit)
        .and_then(|audit| audit.end_date.or(audit.date));
    Ok(audit_day.filter(|day| *day <= today).unwrap_or(today))
}

/// The nonconformity a finding opened, if any.
pub fn opened_by(
    store: &Store,
    assessment_id: i64,
    finding: &str,
) -> Result<Option<Nonconformity>> {
    Ok(store
        .registers(assessment_id)?
        .nonconformities
        .into_iter()
        .find(|nc| nc.finding == finding))
}

/// The entry `id` (`R-3`, `3`) of register `T`.
pub fn get<T: Entry + 'static>(store: &Store, assessment_id: i64, id: &str) -> Result<T> {
    let number = number::<T>(id)?;
    store.entry(assessment_id, number)?.ok_or_else(|| {
        eyre!(
            "no entry {} in the {} register (see `isms-ready {} list`)",
            T::KIND.id(number),
            T::KIND.noun(),
            T::KIND.noun()
        )
    })
}

/// Replaces entry `id` with `entry`; nothing is written when nothing changed.
pub fn replace<T: Entry + PartialEq + 'static>(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    id: &str,
    entry: &T,
) -> Result<RegisterChange<T>> {
    let number = number::<T>(id)?;
    check_links(questionnaire, entry)?;
    check_records(store, questionnaire, assessment_id, entry)?;
    // A nonconformity's edit follows the rules of 10.2 (see `Nonconformity::edited`).
    if let Some(after) = (entry as &dyn Any).downcast_ref::<Nonconformity>() {
        let before: Nonconformity = get(store, assessment_id, id)?;
        let actions = store.actions(assessment_id)?;
        let edited =
            Nonconformity::edited(&before, after.clone(), &actions).map_err(|e| eyre!(e))?;
        if let Some(entry) = (&edited as &dyn Any).downcast_ref::<T>() {
            return Ok(store.set_entry(assessment_id, number, entry)?);
        }
    }
    // A finding that becomes a major or minor one opens its nonconformity, unless one came
    // from it already.
    let has_nc = T::KIND != RegisterKind::Findings
        || opened_by(store, assessment_id, &T::KIND.id(number))?.is_some();
    let raised_on = raised_on(store, assessment_id, entry)?;
    let (change, _) =
        store.set_entry_and(assessment_id, number, entry, |before: &T, after: &T| {
            let before = (before as &dyn Any).downcast_ref::<Finding>()?;
            let after = (after as &dyn Any).downcast_ref::<Finding>()?;
            (!has_nc && !before.is_nonconformity())
                .then(|| after.opened_nonconformity(raised_on))
                .flatten()
        })?;
    Ok(change)
}

/// Changes entry `id` with `edit`, checked before anything is written.
pub fn set<T: Entry + PartialEq + 'static>(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    id: &str,
    edit: impl FnOnce(&mut T),
) -> Result<RegisterChange<T>> {
    let mut entry: T = get(store, assessment_id, id)?;
    edit(&mut entry);
    replace(store, questionnaire, assessment_id, id, &entry)
}

/// Removes entry `id`; returns what it held (the history keeps it too). An audit with findings,
/// or a finding a nonconformity came from, stays until they are removed (a record never points
/// at nothing).
pub fn remove<T: Entry + 'static>(store: &mut Store, assessment_id: i64, id: &str) -> Result<T> {
    let number = number::<T>(id)?;
    let shown = T::KIND.id(number);
    let registers = store.registers(assessment_id)?;
    let linked: Vec<&str> = match T::KIND {
        RegisterKind::Audits => registers
            .findings
            .iter()
            .filter(|f| f.audit == shown)
            .map(|f| f.id.as_str())
            .collect(),
        RegisterKind::Findings => registers
            .nonconformities
            .iter()
            .filter(|n| n.finding == shown)
            .map(|n| n.id.as_str())
            .collect(),
        _ => Vec::new(),
    };
    if !linked.is_empty() {
        return Err(eyre!(
            "{shown} stays while {} name{} it: remove {} first",
            linked.join(", "),
            if linked.len() == 1 { "s" } else { "" },
            if linked.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(store.remove_entry(assessment_id, number)?)
}
