//! `isms-ready context|parties|risks|objectives`: the registers from the command line, for
//! scripts and tests. `list --json` gives the entries in priority order where there is one, with
//! their derived fields (`priority`, `level`, `rating`).

use super::{Context, resolve_for_write};
use crate::cli::{
    ContextAdd, ContextCommand, ContextMore, ContextSet, ObjectiveAdd, ObjectiveMore, ObjectiveSet,
    ObjectivesCommand, PartiesCommand, PartyAdd, PartyMore, PartySet, RegisterArgs,
    RegisterCommand, RiskAdd, RiskMore, RiskSet, RisksCommand,
};
use crate::model::registers::{
    ContextIssue, InterestedParty, Objective, RegisterKind, Registers, Risk, priority_score,
};
use crate::service::registers as service;
use crate::store::Entry;
use crate::text::inline;
use color_eyre::eyre::Result;
use serde_json::Value;

fn set_text(slot: &mut String, value: Option<String>) {
    if let Some(value) = value {
        *slot = value;
    }
}

fn apply_context(issue: &mut ContextIssue, more: ContextMore) {
    set_text(&mut issue.category, more.category);
    if let Some(swot) = more.swot {
        issue.swot = swot.0;
    }
    set_text(&mut issue.owner, more.owner);
    set_text(&mut issue.risks, more.risks);
    set_text(&mut issue.note, more.note);
}

fn apply_party(party: &mut InterestedParty, more: PartyMore) {
    set_text(&mut party.addressed, more.addressed);
    set_text(&mut party.contact, more.contact);
    set_text(&mut party.note, more.note);
}

fn apply_risk(risk: &mut Risk, more: RiskMore) {
    set_text(&mut risk.asset, more.asset);
    set_text(&mut risk.threat, more.threat);
    set_text(&mut risk.vulnerability, more.vulnerability);
    if let Some(controls) = more.controls {
        risk.controls = Risk::parse_controls(&controls);
    }
    if let Some(value) = more.residual_likelihood {
        risk.residual_likelihood = value.0;
    }
    if let Some(value) = more.residual_impact {
        risk.residual_impact = value.0;
    }
    if let Some(date) = more.accepted_on {
        risk.accepted_on = date.0;
    }
    set_text(&mut risk.note, more.note);
}

fn apply_objective(objective: &mut Objective, more: ObjectiveMore) {
    set_text(&mut objective.resources, more.resources);
    set_text(&mut objective.evaluation, more.evaluation);
    if let Some(status) = more.status {
        objective.status = status;
    }
    set_text(&mut objective.note, more.note);
}

/// An entry as `list --json` shows it: its fields and what is derived from them.
pub fn entry_json<T: Entry>(entry: &T) -> Value {
    let mut value = serde_json::to_value(entry).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        for (key, derived) in entry.derived() {
            map.insert(key.to_string(), derived);
        }
    }
    value
}

fn print_saved<T: Entry>(verb: &str, entry: &T, name: &str) {
    outln!(
        "{verb} {} {} in the {} register of \"{}\"",
        T::KIND.id(crate::model::registers::number_of(entry.id())),
        inline(&entry.summary()),
        T::KIND.noun(),
        inline(name)
    );
}

fn list_text(kind: RegisterKind, registers: &Registers, name: &str) {
    outln!(
        "{} - {}: {}",
        inline(name),
        kind.title(),
        registers.count(kind)
    );
    match kind {
        RegisterKind::Context => {
            for c in &registers.context {
                outln!(
                    "{:<5} {:<6} {} I{} C{} {:<8} {}",
                    c.id,
                    c.priority().code(),
                    priority_score(c.influence, c.control),
                    c.influence,
                    c.control,
                    c.kind.code(),
                    inline(&c.title)
                );
            }
        }
        RegisterKind::Parties => {
            for p in &registers.parties {
                outln!(
                    "{:<5} {:<6} {} I{} C{} {:<8} {}",
                    p.id,
                    p.priority().code(),
                    priority_score(p.influence, p.control),
                    p.influence,
                    p.control,
                    p.kind.code(),
                    inline(&p.name)
                );
            }
        }
        RegisterKind::Risks => {
            for r in &registers.risks {
                outln!(
                    "{:<5} {:>2} {:<8} L{} I{} {:<9} {:<20} {}",
                    r.id,
                    r.level(),
                    r.rating().code(),
                    r.likelihood,
                    r.impact,
                    r.treatment.map_or("-", |t| t.code()),
                    inline(&r.controls.join(",")),
                    inline(&r.title)
                );
            }
        }
        RegisterKind::Objectives => {
            for o in &registers.objectives {
                outln!(
                    "{:<5} {:<10} {:<11} {}",
                    o.id,
                    o.due.map_or_else(|| "-".to_string(), |d| d.to_string()),
                    o.status.code(),
                    inline(&o.objective)
                );
            }
        }
    }
}

fn list(context: &Context, assessment: Option<&str>, kind: RegisterKind, json: bool) -> Result<()> {
    let assessment = context.resolve_or_last(assessment)?;
    let registers = service::registers(&context.store, assessment.id)?;
    if json {
        fn all<T: Entry>(registers: &Registers) -> Vec<Value> {
            T::of(registers).iter().map(entry_json).collect()
        }
        let entries: Vec<Value> = match kind {
            RegisterKind::Context => all::<ContextIssue>(&registers),
            RegisterKind::Parties => all::<InterestedParty>(&registers),
            RegisterKind::Risks => all::<Risk>(&registers),
            RegisterKind::Objectives => all::<Objective>(&registers),
        };
        super::print_json(&entries)?;
    } else {
        list_text(kind, &registers, &assessment.name);
    }
    Ok(())
}

/// Runs one register command: add, list, set, remove.
fn run_noun<A, S, T>(
    context: &mut Context,
    args: RegisterArgs<RegisterCommand<A, S>>,
    new: impl FnOnce(A) -> T,
    edit: impl FnOnce(S) -> (String, Box<dyn FnOnce(&mut T)>),
) -> Result<()>
where
    A: clap::Args,
    S: clap::Args,
    T: Entry + PartialEq + 'static,
{
    let kind = T::KIND;
    match args.command {
        RegisterCommand::List { json } => list(context, args.assessment.as_deref(), kind, json),
        RegisterCommand::Add(add) => {
            let assessment = resolve_for_write(context, args.assessment.as_deref())?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let saved = service::add(&mut context.store, &questionnaire, assessment.id, &new(add))?;
            print_saved("added", &saved, &assessment.name);
            Ok(())
        }
        RegisterCommand::Set(set) => {
            let assessment = resolve_for_write(context, args.assessment.as_deref())?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let (id, change) = edit(set);
            let saved = service::set(
                &mut context.store,
                &questionnaire,
                assessment.id,
                &id,
                change,
            )?;
            match (&saved.before, &saved.after) {
                (Some(before), Some(after)) if before == after => {
                    outln!("nothing to change in {}", after.id())
                }
                (_, Some(after)) => print_saved("saved", after, &assessment.name),
                _ => {}
            }
            Ok(())
        }
        RegisterCommand::Remove { id } => {
            let assessment = resolve_for_write(context, args.assessment.as_deref())?;
            let removed: T = service::remove(&mut context.store, assessment.id, &id)?;
            print_saved("removed", &removed, &assessment.name);
            Ok(())
        }
    }
}

pub fn run_context(context: &mut Context, args: RegisterArgs<ContextCommand>) -> Result<()> {
    run_noun(
        context,
        args,
        |add: ContextAdd| {
            let mut issue = ContextIssue {
                title: add.title,
                kind: add.kind,
                influence: add.influence,
                control: add.control,
                ..ContextIssue::default()
            };
            apply_context(&mut issue, add.more);
            issue
        },
        |set: ContextSet| {
            (
                set.id,
                Box::new(move |issue: &mut ContextIssue| {
                    set_text(&mut issue.title, set.title);
                    if let Some(kind) = set.kind {
                        issue.kind = kind;
                    }
                    if let Some(v) = set.influence {
                        issue.influence = v;
                    }
                    if let Some(v) = set.control {
                        issue.control = v;
                    }
                    apply_context(issue, set.more);
                }),
            )
        },
    )
}

pub fn run_parties(context: &mut Context, args: RegisterArgs<PartiesCommand>) -> Result<()> {
    run_noun(
        context,
        args,
        |add: PartyAdd| {
            let mut party = InterestedParty {
                name: add.name,
                kind: add.kind,
                needs: add.needs,
                influence: add.influence,
                control: add.control,
                ..InterestedParty::default()
            };
            apply_party(&mut party, add.more);
            party
        },
        |set: PartySet| {
            (
                set.id,
                Box::new(move |party: &mut InterestedParty| {
                    set_text(&mut party.name, set.name);
                    if let Some(kind) = set.kind {
                        party.kind = kind;
                    }
                    set_text(&mut party.needs, set.needs);
                    if let Some(v) = set.influence {
                        party.influence = v;
                    }
                    if let Some(v) = set.control {
                        party.control = v;
                    }
                    apply_party(party, set.more);
                }),
            )
        },
    )
}

pub fn run_risks(context: &mut Context, args: RegisterArgs<RisksCommand>) -> Result<()> {
    run_noun(
        context,
        args,
        |add: RiskAdd| {
            let mut risk = Risk {
                title: add.title,
                likelihood: add.likelihood,
                impact: add.impact,
                owner: add.owner,
                treatment: add.treatment,
                ..Risk::default()
            };
            apply_risk(&mut risk, add.more);
            risk
        },
        |set: RiskSet| {
            (
                set.id,
                Box::new(move |risk: &mut Risk| {
                    set_text(&mut risk.title, set.title);
                    if let Some(v) = set.likelihood {
                        risk.likelihood = v;
                    }
                    if let Some(v) = set.impact {
                        risk.impact = v;
                    }
                    set_text(&mut risk.owner, set.owner);
                    if let Some(t) = set.treatment {
                        risk.treatment = t.0;
                    }
                    apply_risk(risk, set.more);
                }),
            )
        },
    )
}

pub fn run_objectives(context: &mut Context, args: RegisterArgs<ObjectivesCommand>) -> Result<()> {
    run_noun(
        context,
        args,
        |add: ObjectiveAdd| {
            let mut objective = Objective {
                objective: add.objective,
                measure: add.measure,
                target: add.target,
                owner: add.owner,
                due: Some(add.due),
                ..Objective::default()
            };
            apply_objective(&mut objective, add.more);
            objective
        },
        |set: ObjectiveSet| {
            (
                set.id,
                Box::new(move |objective: &mut Objective| {
                    set_text(&mut objective.objective, set.objective);
                    set_text(&mut objective.measure, set.measure);
                    set_text(&mut objective.target, set.target);
                    set_text(&mut objective.owner, set.owner);
                    if let Some(due) = set.due {
                        objective.due = due.0;
                    }
                    apply_objective(objective, set.more);
                }),
            )
        },
    )
}
