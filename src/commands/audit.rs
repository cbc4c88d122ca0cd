//! `isms-ready audit|finding|nc|review` (issue 30): audits, their findings, nonconformities and
//! management reviews from the command line, on the register machinery (`registers::run_noun`);
//! `audit programme` prints what each audit covered and what no audit covered in the last 12
//! months (9.2.2).

use super::Context;
use super::registers::{entry_json, list_text, run_noun};
use crate::cli::{
    AuditCommand, FindingCommand, NcCommand, RegisterArgs, RegisterCommand, ReviewCommand,
};
use crate::model::audit;
use crate::model::registers::{Audit, Finding, ManagementReview, Nonconformity, RegisterKind};
use crate::service::registers as service;
use crate::text::inline;
use color_eyre::eyre::Result;

pub fn run_audit(context: &mut Context, args: RegisterArgs<AuditCommand>) -> Result<()> {
    match args.command {
        AuditCommand::Register(command) => run_noun::<_, _, Audit>(
            context,
            RegisterArgs {
                assessment: args.assessment,
                command,
            },
        ),
        AuditCommand::Programme { json } => programme(context, args.assessment.as_deref(), json),
    }
}

pub fn run_finding(context: &mut Context, args: RegisterArgs<FindingCommand>) -> Result<()> {
    let command = match args.command {
        FindingCommand::List { audit, json } => {
            return list_findings(context, args.assessment.as_deref(), audit.as_deref(), json);
        }
        FindingCommand::Add(add) => RegisterCommand::Add(add),
        FindingCommand::Set(set) => RegisterCommand::Set(set),
        FindingCommand::Remove { id } => RegisterCommand::Remove { id },
    };
    run_noun::<_, _, Finding>(
        context,
        RegisterArgs {
            assessment: args.assessment,
            command,
        },
    )
}

pub fn run_nc(context: &mut Context, args: RegisterArgs<NcCommand>) -> Result<()> {
    run_noun::<_, _, Nonconformity>(context, args)
}

pub fn run_review(context: &mut Context, args: RegisterArgs<ReviewCommand>) -> Result<()> {
    run_noun::<_, _, ManagementReview>(context, args)
}

/// The findings, all of them or those of one audit.
fn list_findings(
    context: &Context,
    assessment: Option<&str>,
    audit: Option<&str>,
    json: bool,
) -> Result<()> {
    let assessment = context.resolve_or_last(assessment)?;
    let mut registers = service::registers(&context.store, assessment.id)?;
    if let Some(audit) = audit {
        let audit: Audit = service::get(&context.store, assessment.id, audit)?;
        registers.findings.retain(|f| f.audit == audit.id);
    }
    if json {
        let entries: Vec<serde_json::Value> = registers.findings.iter().map(entry_json).collect();
        super::print_json(&entries)
    } else {
        list_text(RegisterKind::Findings, &registers, &assessment.name);
        Ok(())
    }
}

fn programme(context: &Context, assessment: Option<&str>, json: bool) -> Result<()> {
    let assessment = context.resolve_or_last(assessment)?;
    let questionnaire = context.questionnaire_of(&assessment)?;
    let registers = service::registers(&context.store, assessment.id)?;
    let programme = audit::programme(&questionnaire, &registers.audits, crate::clock::today());
    if json {
        return super::print_json(&programme);
    }
    outln!(
        "{} - audit programme (9.2.2), {} to {}",
        inline(&assessment.name),
        programme.since,
        programme.today
    );
    if programme.audits.is_empty() {
        outln!("no audit recorded (see `isms-ready audit add`)");
    }
    for row in &programme.audits {
        outln!(
            "{:<6} {:<10} {:<12} {:<11} {} - covers {}",
            row.id,
            row.date.map_or_else(|| "-".to_string(), |d| d.to_string()),
            row.kind.code(),
            row.status.code(),
            inline(&row.title),
            if row.covered.is_empty() {
                "nothing".to_string()
            } else {
                row.covered.join(", ")
            }
        );
    }
    let none = |list: &[String]| {
        if list.is_empty() {
            "none".to_string()
        } else {
            list.join(", ")
        }
    };
    outln!(
        "not audited in the last 12 months: clauses {}; Annex A groups {}",
        none(&programme.clauses_not_audited),
        none(&programme.groups_not_audited)
    );
    Ok(())
}
