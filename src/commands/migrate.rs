//! `isms-ready migrate`: a new assessment on the newer edition, carried from an older one. The
//! older assessment is left untouched.

use super::Context;
use crate::export::json::AssessmentDocument;
use crate::model::mapping::{Mapping, carry_over};
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, Catalog};
use crate::store::Store;
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};

/// The name a migrated assessment gets when none is given: "Acme (2022)".
pub fn default_name(assessment: &Assessment, to: &str) -> String {
    crate::model::mapping::carried_name(&assessment.name, to)
}

/// Creates the carried-over assessment in one transaction and returns it.
pub fn migrate(
    store: &mut Store,
    catalog: &Catalog,
    assessment: &Assessment,
    to: &str,
    name: &str,
) -> Result<Assessment> {
    let mapping = Mapping::builtin();
    if assessment.questionnaire_id != mapping.from || to != mapping.to {
        return Err(eyre!(
            "\"{}\" is on {}; this build carries {} assessments over to {} only",
            assessment.name,
            assessment.questionnaire_id,
            mapping.from,
            mapping.to
        ));
    }
    let from_q = catalog
        .get(&mapping.from)
        .ok_or_else(|| eyre!("questionnaire {} is missing", mapping.from))?;
    let to_q = catalog
        .get(&mapping.to)
        .ok_or_else(|| eyre!("questionnaire {} is missing", mapping.to))?;
    let answers = store.answers(assessment.id, from_q.items.len())?;
    let plan = PlanTemplate::builtin();
    let progress = store.plan_progress(assessment.id, plan.steps.len())?;
    let carried = carry_over(mapping, &from_q, &answers, &to_q);
    let mut target = assessment.clone();
    target.questionnaire_id = to_q.id.clone();
    target.created_at = crate::store::now();
    let document = AssessmentDocument::build(&target, &to_q, &carried, &progress, None);
    Ok(store.import_document(&document, name)?)
}

pub fn run(context: &mut Context, assessment: &str, to: &str, name: Option<String>) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let name = name.unwrap_or_else(|| default_name(&assessment, to));
    let created = migrate(&mut context.store, &context.catalog, &assessment, to, &name)?;
    let (questionnaire, answers) = context.answers_of(&created)?;
    let review = questionnaire
        .items
        .iter()
        .filter(|i| answers.get(i.number).review_needed)
        .count();
    println!(
        "created \"{}\" (assessment {}) on {}: {review} carried answers marked review needed; \"{}\" is unchanged",
        inline(&created.name),
        created.id,
        inline(&created.questionnaire_id),
        inline(&assessment.name)
    );
    Ok(())
}
