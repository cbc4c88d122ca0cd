//! `isms-ready plan`: the certification plan's progress, and `plan set` to change a step.

use super::Context;
use crate::cli::{PlanArgs, PlanCommand};
use crate::model::plan::{self, PlanChange, PlanTemplate, StepProgress};
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use serde_json::json;

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn run(context: &mut Context, args: PlanArgs) -> Result<()> {
    let assessment = if args.set.is_some() {
        context.resolve_for_write(args.assessment.as_deref())?
    } else {
        context.resolve_or_last(args.assessment.as_deref())?
    };
    let template = PlanTemplate::builtin();
    let today = today();
    if let Some(PlanCommand::Set {
        step,
        status,
        reason,
        owner,
        start,
        due,
        note,
    }) = args.set
    {
        let found = template.step(step).ok_or_else(|| {
            eyre!(
                "step {step} is not in the plan (steps 1 to {})",
                template.steps.len()
            )
        })?;
        let mut changes = Vec::new();
        if let Some(status) = status {
            changes.push(PlanChange::Status {
                status,
                reason,
                today,
            });
        }
        if let Some(owner) = owner {
            changes.push(PlanChange::Owner(owner));
        }
        if let Some(start) = start {
            changes.push(PlanChange::Start(start.0));
        }
        if let Some(due) = due {
            changes.push(PlanChange::Due(due.0));
        }
        if let Some(note) = note {
            changes.push(PlanChange::Note(note));
        }
        for change in &changes {
            change
                .check()
                .map_err(|reason| eyre!("step {step}: {reason}"))?;
        }
        let mut saved = StepProgress::default();
        for change in &changes {
            saved = context
                .store
                .apply_plan_change(assessment.id, step, change)?;
        }
        println!(
            "{} step {step} ({}): {}{}",
            inline(&assessment.name),
            inline(&found.title),
            saved.status,
            saved
                .due
                .map_or_else(String::new, |due| format!(", due {due}"))
        );
        return Ok(());
    }
    let progress = context
        .store
        .plan_progress(assessment.id, template.steps.len())?;
    let figures = plan::plan_figures(&progress, today);
    if args.json {
        let steps: Vec<_> = template
            .steps
            .iter()
            .zip(&progress)
            .map(|(step, p)| {
                json!({
                    "number": step.number,
                    "title": step.title,
                    "phase": step.phase,
                    "pdca": step.pdca,
                    "clauses": step.clauses,
                    "weeks": step.weeks,
                    "status": p.status,
                    "reason": p.reason,
                    "owner": p.owner,
                    "start": p.start,
                    "due": p.due,
                    "done_on": p.done_on,
                    "note": p.note,
                    "overdue": p.is_overdue(today),
                })
            })
            .collect();
        let document = json!({
            "assessment": {"id": assessment.id, "name": assessment.name, "standard": assessment.questionnaire_id},
            "plan": {"id": template.id, "title": template.title},
            "today": today,
            "progress": figures,
            "steps": steps,
        });
        println!("{}", serde_json::to_string_pretty(&document)?);
        return Ok(());
    }
    println!("{} - {}", inline(&assessment.name), inline(&template.title));
    println!(
        "{} of {} steps done ({} %), {} in progress, {} blocked, {} skipped, {} overdue",
        figures.done,
        figures.steps,
        figures.progress,
        figures.in_progress,
        figures.blocked,
        figures.skipped,
        figures.overdue
    );
    for (step, p) in template.steps.iter().zip(&progress) {
        let overdue = if p.is_overdue(today) { "  OVERDUE" } else { "" };
        println!(
            "{} {:>2}  {:<50} {:<14} {:<10} {}{overdue}",
            p.status.symbol(),
            step.number,
            inline(&step.title),
            inline(&p.owner),
            p.due.map_or_else(|| "-".to_string(), |d| d.to_string()),
            p.status
        );
    }
    Ok(())
}
