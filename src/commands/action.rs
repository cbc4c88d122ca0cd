//! `isms-ready action ...` (add, list, set, remove) and `isms-ready verdict`.

use super::{Context, resolve_for_write};
use crate::cli::{ActionArgs, ActionCommand};
use crate::clock::today;
use crate::export::report::ActionsReport;
use crate::model::action::{ActionChange, NewAction};
use crate::model::count::counted;
use crate::model::verdict::{self, StageVerdict};
use crate::service::action;
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
                "{}: action #{} added on {} {} ({}): {}",
                inline(&assessment.name),
                added.number,
                if added.items.len() == 1 {
                    "item"
                } else {
                    "items"
                },
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
                outln!("{}", serde_json::to_string_pretty(&document)?);
            } else {
                let f = report.figures;
                outln!(
                    "{} - {}: {} open ({} overdue), {} done, {} dropped; {} with no action yet",
                    inline(&assessment.name),
                    counted(f.total, "action"),
                    f.open,
                    f.overdue,
                    f.done,
                    f.dropped,
                    counted(report.no_action_yet.len(), "answered gap")
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

/// Items sharing one reason from this many on are printed as one line of refs under the reason.
const SHARED_REASON_FROM: usize = 3;

/// A stage's verdict, its blockers grouped by rule, the most serious group first. Within a group,
/// items with the same reason are listed by ref under it ("applicability not decided (93): A.5.1,
/// A.5.2, ..."), not one line each; `--json` has every item with its title.
fn print_stage(name: &str, stage: &StageVerdict) {
    if stage.ready {
        outln!("{name}: READY (0 blockers)");
        return;
    }
    outln!(
        "{name}: NOT READY ({})",
        counted(stage.blockers.len(), "blocker")
    );
    for group in &stage.groups {
        outln!("  {} [{}]", group.headline, group.rule);
        let mut reasons: Vec<(&str, Vec<&verdict::GroupItem>)> = Vec::new();
        for item in &group.items {
            match reasons.iter_mut().find(|(r, _)| *r == item.reason) {
                Some((_, items)) => items.push(item),
                None => reasons.push((&item.reason, vec![item])),
            }
        }
        for (reason, items) in reasons {
            if items.len() >= SHARED_REASON_FROM {
                outln!("    {} ({}):", inline(reason), items.len());
                let refs: Vec<String> = items
                    .iter()
                    .map(|i| inline(&i.reference).into_owned())
                    .collect();
                for line in wrap_refs(&refs, 92) {
                    outln!("      {line}");
                }
            } else {
                for item in items {
                    outln!(
                        "    {:>4} {:<12} {}: {}",
                        item.number,
                        inline(&item.reference),
                        inline(&item.title),
                        inline(&item.reason)
                    );
                }
            }
        }
    }
}

/// Refs joined with ", " in lines of at most `width` characters.
fn wrap_refs(refs: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (index, reference) in refs.iter().enumerate() {
        let piece = if index + 1 < refs.len() {
            format!("{reference},")
        } else {
            reference.clone()
        };
        if !line.is_empty() && line.chars().count() + 1 + piece.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
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
            "rules": verdict::RULES,
        });
        outln!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        outln!("{} - audit readiness", inline(&assessment.name));
        print_stage("Stage 1", &verdict.stage1);
        if !check {
            print_stage("Stage 2", &verdict.stage2);
        }
    }
    if check && !verdict.stage1.ready {
        return Err(eyre!(
            "stage 1 is not ready: {}",
            counted(verdict.stage1.blockers.len(), "blocker")
        ));
    }
    Ok(())
}
