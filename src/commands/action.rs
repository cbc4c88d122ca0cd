//! `isms-ready action ...` (add, list, set, remove) and `isms-ready verdict`.

use super::{Context, resolve_for_write};
use crate::cli::{ActionArgs, ActionCommand};
use crate::export::report::ActionsReport;
use crate::model::action::{ActionChange, NewAction};
use crate::model::verdict::{self, StageVerdict};
use crate::service::{action, today};
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use serde_json::json;

pub fn run(context: &mut Context, args: ActionArgs) -> Result<()> {
    let writes = !matches!(args.command, ActionCommand::List { .. });
    let assessment = if writes {
        resolve_for_write(context, args.assessment.as_deref())?
    } else {
        context.resolve_or_last(args.assessment.as_deref())?
    };
    let (questionnaire, answers) = context.answers_of(&assessment)?;
    let today = today();
    match args.command {
        ActionCommand::Add {
            item,
            title,
            owner,
            due,
            effort,
            priority,
            step,
            description,
            note,
        } => {
            let added = action::add(
                &mut context.store,
                &questionnaire,
                assessment.id,
                NewAction {
                    items: item,
                    title,
                    description,
                    owner,
                    due,
                    effort,
                    priority,
                    step,
                    note,
                },
            )?;
            outln!(
                "{}: action #{} added on items {} ({}): {}",
                inline(&assessment.name),
                added.number,
                crate::model::action::join_numbers(&added.items),
                inline(&added.refs(&questionnaire)),
                inline(&added.title)
            );
        }
        ActionCommand::Set {
            id,
            status,
            owner,
            due,
            effort,
            priority,
            step,
            title,
            description,
            note,
            item,
        } => {
            let mut changes = Vec::new();
            changes.extend(title.map(ActionChange::Title));
            changes.extend(item.map(ActionChange::Items));
            changes.extend(status.map(|status| ActionChange::Status { status, today }));
            changes.extend(owner.map(ActionChange::Owner));
            changes.extend(due.map(|d| ActionChange::Due(d.0)));
            changes.extend(effort.map(|e| ActionChange::Effort(e.0)));
            changes.extend(priority.map(ActionChange::Priority));
            changes.extend(step.map(|s| ActionChange::Step(Some(s).filter(|s| *s > 0))));
            changes.extend(description.map(ActionChange::Description));
            changes.extend(note.map(ActionChange::Note));
            let saved = action::change(
                &mut context.store,
                &questionnaire,
                assessment.id,
                id,
                &changes,
            )?;
            outln!(
                "{}: action #{} ({}): {}, priority {}{}",
                inline(&assessment.name),
                saved.number,
                inline(&saved.title),
                saved.status,
                saved.priority,
                saved
                    .due
                    .map_or_else(String::new, |due| format!(", due {due}"))
            );
        }
        ActionCommand::Remove { id } => {
            let removed = action::remove(&mut context.store, assessment.id, id)?;
            outln!(
                "{}: action #{} removed ({}); its history stays",
                inline(&assessment.name),
                removed.number,
                inline(&removed.title)
            );
        }
        ActionCommand::List { json, csv } => {
            let actions = context.store.actions(assessment.id)?;
            let report = ActionsReport::build(&actions, &questionnaire, &answers, today);
            if csv {
                super::print_document(crate::export::csv::actions(&report.rows).as_bytes())?;
            } else if json {
                let document = json!({
                    "assessment": {"id": assessment.id, "name": assessment.name, "standard": assessment.questionnaire_id},
                    "today": today,
                    "figures": report.figures,
                    "actions": report.rows,
                    "no_action_yet": report.no_action_yet,
                });
                super::print_json(&document)?;
            } else {
                let f = report.figures;
                outln!(
                    "{} - {} actions: {} open ({} overdue), {} done, {} dropped; {} answered gaps with no action yet",
                    inline(&assessment.name),
                    f.total,
                    f.open,
                    f.overdue,
                    f.done,
                    f.dropped,
                    report.no_action_yet.len()
                );
                let mut heading = None;
                for row in &report.rows {
                    let group = if row.horizon.is_empty() {
                        "Closed"
                    } else {
                        row.horizon
                    };
                    if heading != Some(group) {
                        outln!("{group}:");
                        heading = Some(group);
                    }
                    let a = &row.action;
                    outln!(
                        "  #{:<3} {} P{} {:<2} {:<40} {:<14} due {:<10} items {}{}",
                        a.number,
                        a.status.symbol(),
                        a.priority,
                        row.effort(),
                        inline(&a.title),
                        inline(&a.owner),
                        a.due.map_or_else(|| "-".to_string(), |d| d.to_string()),
                        inline(&row.refs),
                        if row.overdue { "  OVERDUE" } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_stage(name: &str, stage: &StageVerdict) {
    outln!(
        "{name}: {} ({} blockers)",
        if stage.ready { "READY" } else { "NOT READY" },
        stage.blockers.len()
    );
    for blocker in &stage.blockers {
        outln!(
            "  {:>4} {:<12} {}: {}",
            blocker.number,
            inline(&blocker.reference),
            inline(&blocker.title),
            inline(&blocker.reason)
        );
    }
}

pub fn run_verdict(
    context: &Context,
    assessment: Option<&str>,
    json: bool,
    check: bool,
) -> Result<()> {
    let assessment = context.resolve_or_last(assessment)?;
    let (questionnaire, answers) = context.answers_of(&assessment)?;
    let verdict = action::verdict_of(&context.store, &questionnaire, assessment.id, &answers)?;
    if json {
        let document = json!({
            "assessment": {"id": assessment.id, "name": assessment.name, "standard": assessment.questionnaire_id},
            "stage1": verdict.stage1,
            "stage2": verdict.stage2,
            "documents": verdict::documents(&questionnaire, &answers),
            "rules": verdict::VERDICT_RULES,
        });
        super::print_json(&document)?;
    } else {
        outln!("{} - audit readiness", inline(&assessment.name));
        print_stage("Stage 1", &verdict.stage1);
        if !check {
            print_stage("Stage 2", &verdict.stage2);
        }
    }
    if check && !verdict.stage1.ready {
        return Err(eyre!(
            "stage 1 is not ready: {} blockers",
            verdict.stage1.blockers.len()
        ));
    }
    Ok(())
}
