//! Carrying an assessment over to the newer edition: a new assessment, the older one untouched.

use crate::model::document::AssessmentDocument;
use crate::model::mapping::{Mapping, carry_over};
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, Catalog};
use crate::store::Store;
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
    // The figures of a document are for readers; the import does not read them.
    // The registers are carried whole; a risk's links follow the control mapping.
    let mut registers = store.registers(assessment.id)?;
    for risk in &mut registers.risks {
        risk.controls = crate::model::mapping::carried_controls(mapping, &risk.controls);
    }
    // The audit records' refs follow the mapping too; a review's inputs take the newer letters.
    use crate::model::audit::carried_refs;
    for audit in &mut registers.audits {
        audit.scope = carried_refs(mapping, &to_q, &audit.scope);
    }
    for finding in &mut registers.findings {
        finding.items = carried_refs(mapping, &to_q, &finding.items);
    }
    for nc in &mut registers.nonconformities {
        nc.requirement = carried_refs(mapping, &to_q, &nc.requirement);
    }
    if crate::model::audit::is_2013(&from_q) && !crate::model::audit::is_2013(&to_q) {
        for review in &mut registers.reviews {
            *review = review.to_2022();
        }
    }
    let document = AssessmentDocument::build(&target, &to_q, &carried, &progress, None, None)
        .with_registers(&registers);
    Ok(store.import_document(&document, name)?)
}
