//! The registers (context issues, interested parties, risks, objectives): adding, editing and
//! removing entries, checked against the assessment's questionnaire (a risk links only to Annex A
//! controls that exist in it). Both shells call these.

use crate::model::Questionnaire;
use crate::model::registers::Registers;
use crate::store::{Entry, RegisterChange, Store};
use color_eyre::eyre::{Result, eyre};

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

/// Adds `entry` (its id is given by the store). Returns it as saved.
pub fn add<T: Entry + 'static>(
    store: &mut Store,
    questionnaire: &Questionnaire,
    assessment_id: i64,
    entry: &T,
) -> Result<T> {
    check_links(questionnaire, entry)?;
    Ok(store.add_entry(assessment_id, entry)?)
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
    Ok(store.set_entry(assessment_id, number, entry)?)
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

/// Removes entry `id`; returns what it held (the history keeps it too).
pub fn remove<T: Entry + 'static>(store: &mut Store, assessment_id: i64, id: &str) -> Result<T> {
    let number = number::<T>(id)?;
    Ok(store.remove_entry(assessment_id, number)?)
}
