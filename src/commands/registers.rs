//! `isms-ready context|parties|risks|objectives`: the registers from the command line, for
//! scripts and tests. `list --json` gives the entries in priority order where there is one, with
//! their derived fields (`priority`, `level`, `rating`).

use super::{Context, resolve_for_write};
use crate::cli::{
    ContextCommand, FieldArgs, ObjectivesCommand, PartiesCommand, RegisterArgs, RegisterCommand,
    RisksCommand, SetArgs,
};
use crate::model::register_spec::field;
use crate::model::registers::{
    ContextIssue, InterestedParty, Objective, RegisterKind, Registers, Risk, priority_score,
};
use crate::service::registers as service;
use crate::service::registers::RegisterEntry as Entry;
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use serde_json::Value;

/// Sets the fields given on the command line through the register's spec. Items given by
/// number among refs (a finding's items, a nonconformity's requirement) are read as their refs.
fn apply<T: Entry>(
    entry: &mut T,
    texts: Vec<(&'static str, Option<String>)>,
    questionnaire: &crate::model::Questionnaire,
) -> Result<()> {
    for (name, text) in texts {
        let Some(mut text) = text else { continue };
        if matches!(name, "items" | "requirement") {
            text = service::refs_of(questionnaire, &text)?;
        }
        let field = field::<T>(name)
            .ok_or_else(|| eyre!("the {} register has no field {name}", T::KIND.noun()))?;
        (field.set)(entry, &text).map_err(|e| eyre!(e))?;
    }
    Ok(())
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

pub(super) fn list_text(kind: RegisterKind, registers: &Registers, name: &str) {
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
        RegisterKind::Audits
        | RegisterKind::Findings
        | RegisterKind::Nonconformities
        | RegisterKind::Reviews => {
            crate::with_register!(kind, T => list_columns::<T>(T::of(registers)))
        }
    }
}

/// One line per entry, in the columns of its list on the screen (the audit records).
fn list_columns<T: Entry>(entries: &[T]) {
    let columns = T::list();
    for entry in entries {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| c.pad(&inline(&(c.value)(entry))))
            .collect();
        outln!("{}", cells.join(" ").trim_end());
    }
}

pub(super) fn list(
    context: &Context,
    assessment: Option<&str>,
    kind: RegisterKind,
    json: bool,
) -> Result<()> {
    let assessment = context.resolve_or_last(assessment)?;
    let registers = service::registers(&context.store, assessment.id)?;
    if json {
        let entries: Vec<Value> = crate::with_register!(kind, T => {
            T::of(&registers).iter().map(entry_json).collect()
        });
        super::print_json(&entries)?;
    } else {
        list_text(kind, &registers, &assessment.name);
    }
    Ok(())
}

/// Runs one register command: add, list, set, remove; the flags are read through the register's
/// spec, so this is the same for every register.
pub(super) fn run_noun<A: FieldArgs + clap::Args, S: SetArgs + clap::Args, T: Entry>(
    context: &mut Context,
    args: RegisterArgs<RegisterCommand<A, S>>,
) -> Result<()> {
    let kind = T::KIND;
    match args.command {
        RegisterCommand::List { json } => list(context, args.assessment.as_deref(), kind, json),
        RegisterCommand::Add(add) => {
            let assessment = resolve_for_write(context, args.assessment.as_deref())?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let mut entry = T::default();
            // A nonconformity is raised today unless told otherwise.
            if let Some(raised_on) = field::<T>("raised_on") {
                (raised_on.set)(&mut entry, &crate::clock::today().to_string())
                    .map_err(|e| eyre!(e))?;
            }
            apply(&mut entry, add.texts(), &questionnaire)?;
            let saved = service::add(&mut context.store, &questionnaire, assessment.id, &entry)?;
            print_saved("added", &saved, &assessment.name);
            if kind == RegisterKind::Findings
                && let Some(nc) = service::opened_by(&context.store, assessment.id, saved.id())?
            {
                print_saved("opened", &nc, &assessment.name);
            }
            Ok(())
        }
        RegisterCommand::Set(set) => {
            let assessment = resolve_for_write(context, args.assessment.as_deref())?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let id = set.id().to_string();
            let mut entry: T = service::get(&context.store, assessment.id, &id)?;
            let had_nc = kind == RegisterKind::Findings
                && service::opened_by(&context.store, assessment.id, entry.id())?.is_some();
            apply(&mut entry, set.texts(), &questionnaire)?;
            let saved = service::replace(
                &mut context.store,
                &questionnaire,
                assessment.id,
                &id,
                &entry,
            )?;
            match (&saved.before, &saved.after) {
                (Some(before), Some(after)) if before == after => {
                    outln!("nothing to change in {}", after.id())
                }
                (_, Some(after)) => print_saved("saved", after, &assessment.name),
                _ => {}
            }
            if kind == RegisterKind::Findings
                && !had_nc
                && let Some(nc) = service::opened_by(
                    &context.store,
                    assessment.id,
                    saved.after.as_ref().map_or("", |e| e.id()),
                )?
            {
                print_saved("opened", &nc, &assessment.name);
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
    run_noun::<_, _, ContextIssue>(context, args)
}

pub fn run_parties(context: &mut Context, args: RegisterArgs<PartiesCommand>) -> Result<()> {
    run_noun::<_, _, InterestedParty>(context, args)
}

pub fn run_risks(context: &mut Context, args: RegisterArgs<RisksCommand>) -> Result<()> {
    run_noun::<_, _, Risk>(context, args)
}

pub fn run_objectives(context: &mut Context, args: RegisterArgs<ObjectivesCommand>) -> Result<()> {
    run_noun::<_, _, Objective>(context, args)
}
