//! `isms-ready migrate`: a new assessment on the newer edition, carried from an older one (see
//! `service::migrate`). The older assessment is left untouched.

use super::Context;
use crate::service::migrate::{default_name, migrate};
use crate::text::inline;
use color_eyre::eyre::Result;

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
    outln!(
        "created \"{}\" (assessment {}) on {}: {review} carried answers marked review needed; \"{}\" is unchanged",
        inline(&created.name),
        created.id,
        inline(&created.questionnaire_id),
        inline(&assessment.name)
    );
    Ok(())
}
