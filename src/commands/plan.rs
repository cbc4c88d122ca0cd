//! `isms-ready plan`: the certification plan's progress, and `plan set` to change a step.

use super::{Context, resolve_for_write};
use crate::cli::{PlanArgs, PlanCommand};
use crate::clock::today;
use crate::model::plan::{self, PlanTemplate};
use crate::service::change::{self, StepEdit};
use crate::text::inline;
use color_eyre::eyre::Result;
use serde_json::json;

pub fn run(context: &mut Context, args: PlanArgs) -> Result<()> {
    let assessment = if args.set.is_some() {
        resolve_for_write(context, args.assessment.as_deref())?
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
        let saved = change::plan_step(
            &mut context.store,
            assessment.id,
            step,
            StepEdit {
                status,
                reason,
                owner,
                start: start.map(|d| d.0),
                due: due.map(|d| d.0),
                note,
            },
            today,
        )?;
        let found = template.step(step).expect("checked by plan_step");
        outln!(
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
        super::print_json(&document)?;
        return Ok(());
    }
    outln!("{} - {}", inline(&assessment.name), inline(&template.title));
    outln!(
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
        outln!(
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
