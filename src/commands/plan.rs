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
        let stored = context
            .store
            .plan_progress(assessment.id, template.steps.len())?
            .get(step as usize - 1)
            .cloned()
            .unwrap_or_default();
        // Both dates at once: set first the one that keeps the pair in order on the way (a later
        // start before a later due date would otherwise be refused against the old due date).
        let start = start.map(|d| PlanChange::Start(d.0));
        let due = due.map(|d| PlanChange::Due(d.0));
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
        if let Some(note) = note {
            changes.push(PlanChange::Note(note));
        }
        // Every change is checked against the step as it will be before anything is written, so
        // a refused `plan set` changes nothing at all.
        let mut preview = stored;
        for change in &changes {
            change
                .check_against(&preview)
                .map_err(|reason| eyre!("step {step}: {reason}"))?;
            change.apply(&mut preview);
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
        let day =
            |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
        let dates = if p.dates_inverted() {
            "  DUE BEFORE START"
        } else {
            ""
        };
        println!(
            "{} {:>2}  {:<50} {:<14} start {:<10} due {:<10} {}{overdue}{dates}",
            p.status.symbol(),
            step.number,
            inline(&step.title),
            inline(&p.owner),
            day(p.start),
            day(p.due),
            p.status
        );
    }
    Ok(())
}
