//! The non-interactive commands: thin shells that parse arguments, call the service, print.

// The one printer. Every line a command prints goes through `text::for_terminal_line` (a stored
// name, note or file field can hold escape sequences, bidi overrides and line breaks: `outln!`
// prints exactly one line), a block (`out!`) through `text::for_terminal`, JSON through
// `text::for_json`, a document through `print_document`: no command prints any other way
// (tests/architecture.rs checks that nothing under src/commands calls `println!` or writes to
// stdout or stderr itself).

/// `println!` through `text::for_terminal_line`: one line, whatever the values hold.
macro_rules! outln {
    () => { $crate::commands::print_out("", "\n", false, true) };
    ($($arg:tt)*) => { $crate::commands::print_out(&format!($($arg)*), "\n", false, true) };
}

/// `print!` of a block of lines (a table, a summary) through `text::for_terminal`.
macro_rules! out {
    ($($arg:tt)*) => { $crate::commands::print_out(&format!($($arg)*), "", false, false) };
}

/// `eprintln!` through `text::for_terminal_line`: one line, whatever the values hold.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::commands::print_out(&format!($($arg)*), "\n", true, true) };
}

pub mod action;
pub mod assessment;
pub mod audit;
pub mod export;
pub mod merge;
pub mod migrate;
pub mod plan;
pub mod registers;
mod soa;
pub mod workshop;

use crate::cli::{AnswerArgs, Cli, CliCommand, NewArgs, QuestionnaireCommand};
use crate::model::catalog::DEFAULT_QUESTIONNAIRE;
use crate::model::{Assessment, Catalog, Change, Level, Questionnaire};
use crate::score::{Figures, Summary};
pub use crate::service::Context;
use crate::service::open::NewAssessment;
use crate::service::{Access, AssessmentEdit, change, load_catalog};
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};

/// Prints `text` and `end` on stdout (or stderr): as one line (`text::for_terminal_line`), or as
/// a block (`text::for_terminal`: every control but newline and tab dropped). A closed pipe ends
/// the output quietly.
pub(crate) fn print_out(text: &str, end: &str, error: bool, one_line: bool) {
    use std::io::Write;
    let text = if one_line {
        crate::text::for_terminal_line(text)
    } else {
        crate::text::for_terminal(text)
    };
    let _ = if error {
        write!(std::io::stderr().lock(), "{text}{end}")
    } else {
        write!(std::io::stdout().lock(), "{text}{end}")
    };
}

/// Prints `value` as pretty JSON, DEL, C1 and bidi controls escaped (`text::for_json`).
pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let json = serde_json::to_string_pretty(value)?;
    out!("{}\n", crate::text::for_json(&json));
    Ok(())
}

/// Writes a whole document (an export, a session report) to stdout as its writer made it: each
/// writer has passed its text through its destination's function in `text` (the JSON export
/// through `text::for_json`).
pub(crate) fn print_document(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    std::io::stdout().lock().write_all(bytes)?;
    Ok(())
}

/// For a command that writes: like `resolve_or_last`, and when it chose for the user among
/// several assessments, a note on stderr names the one it took.
fn resolve_for_write(context: &Context, name_or_id: Option<&str>) -> Result<Assessment> {
    let (assessment, chosen) = context.resolve_for_write(name_or_id)?;
    if chosen {
        errln!(
            "isms-ready: note: no --assessment given: using \"{}\" (id {}), the assessment \
             opened last in the app (or else the newest); name another with --assessment",
            inline(&assessment.name),
            assessment.id
        );
    }
    Ok(assessment)
}

/// Runs a non-interactive command.
pub fn run(cli: Cli, command: CliCommand) -> Result<()> {
    if let CliCommand::Questionnaires(args) = command {
        // Needs no database at all.
        let (catalog, warnings) = load_catalog();
        for warning in &warnings {
            errln!("isms-ready: warning: {}", inline(warning));
        }
        return match args.show {
            None => questionnaires(&catalog, args.json),
            Some(QuestionnaireCommand::Show { id, json }) => {
                show_questionnaire(&catalog, &id, json || args.json)
            }
        };
    }
    let mut context = Context::open_for(cli.db, access(&command))?;
    for warning in &context.warnings {
        errln!("isms-ready: warning: {}", inline(warning));
    }
    match command {
        CliCommand::New(args) => new(&mut context, args),
        CliCommand::List { json } => list(&context, json),
        CliCommand::Questionnaires(_) => unreachable!("answered above without a database"),
        CliCommand::Answer(args) => answer(&mut context, args),
        CliCommand::Plan(args) => plan::run(&mut context, args),
        CliCommand::Soa(args) => soa::run(&context, args),
        CliCommand::Context(args) => registers::run_context(&mut context, args),
        CliCommand::Parties(args) => registers::run_parties(&mut context, args),
        CliCommand::Risks(args) => registers::run_risks(&mut context, args),
        CliCommand::Objectives(args) => registers::run_objectives(&mut context, args),
        CliCommand::Audit(args) => audit::run_audit(&mut context, args),
        CliCommand::Finding(args) => audit::run_finding(&mut context, args),
        CliCommand::Nc(args) => audit::run_nc(&mut context, args),
        CliCommand::Review(args) => audit::run_review(&mut context, args),
        CliCommand::Export(args) => export::run_export(&context, args),
        CliCommand::Migrate {
            assessment,
            to,
            name,
        } => migrate::run(&mut context, &assessment, &to, name),
        CliCommand::Import { file, name } => export::run_import(&mut context, &file, name),
        CliCommand::Rename { assessment, name } => {
            let edit = AssessmentEdit {
                name: Some(&name),
                ..AssessmentEdit::default()
            };
            assessment::run_edit(&mut context, &assessment, edit)
        }
        CliCommand::Edit {
            assessment,
            name,
            scope,
            assessor,
            firm,
        } => {
            let edit = AssessmentEdit {
                name: name.as_deref(),
                scope: scope.as_deref(),
                assessor: assessor.as_deref(),
                firm: firm.as_deref(),
            };
            assessment::run_edit(&mut context, &assessment, edit)
        }
        CliCommand::Delete { assessment, yes } => {
            assessment::run_delete(&mut context, &assessment, yes)
        }
        CliCommand::Action(args) => action::run(&mut context, args),
        CliCommand::Verdict {
            assessment,
            json,
            check,
        } => action::run_verdict(&context, assessment.as_deref(), json, check),
        CliCommand::Session(command) => workshop::run_session(&mut context, command),
        CliCommand::History {
            assessment,
            item,
            session,
            json,
        } => workshop::run_history(&context, &assessment, item, session, json),
        CliCommand::Undo { assessment } => workshop::run_undo(&mut context, &assessment),
        CliCommand::Compare {
            assessment,
            since,
            with,
            json,
        } => workshop::run_compare(&context, &assessment, since, with, json),
        CliCommand::Merge(args) => merge::run(&mut context, args),
        CliCommand::Split {
            assessment,
            items,
            output,
            force,
        } => merge::run_split(&context, &assessment, &items, &output, force),
        CliCommand::Summary { assessment, json } => {
            let assessment = context.resolve_or_last(assessment.as_deref())?;
            let summary = context.summary_of(&assessment)?;
            if json {
                print_json(&summary)?;
            } else {
                let questionnaire = context.questionnaire_of(&assessment)?;
                out!("{}", summary_text(&summary, &questionnaire));
            }
            Ok(())
        }
    }
}

/// Whether a command may create the database file: only those that write may.
fn access(command: &CliCommand) -> Access {
    match command {
        CliCommand::New(_)
        | CliCommand::Answer(_)
        | CliCommand::Import { .. }
        | CliCommand::Migrate { .. }
        | CliCommand::Plan(crate::cli::PlanArgs { set: Some(_), .. }) => Access::Write,
        CliCommand::Action(crate::cli::ActionArgs {
            command: crate::cli::ActionCommand::List { .. },
            ..
        }) => Access::Existing,
        CliCommand::Action(_) => Access::Write,
        CliCommand::Verdict { .. } => Access::Existing,
        CliCommand::Merge(_) => Access::Write,
        CliCommand::Split { .. } => Access::Existing,
        CliCommand::Context(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        })
        | CliCommand::Parties(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        })
        | CliCommand::Risks(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        })
        | CliCommand::Objectives(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        }) => Access::Existing,
        CliCommand::Audit(crate::cli::RegisterArgs {
            command:
                crate::cli::AuditCommand::Programme { .. }
                | crate::cli::AuditCommand::Register(crate::cli::RegisterCommand::List { .. }),
            ..
        })
        | CliCommand::Finding(crate::cli::RegisterArgs {
            command: crate::cli::FindingCommand::List { .. },
            ..
        })
        | CliCommand::Nc(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        })
        | CliCommand::Review(crate::cli::RegisterArgs {
            command: crate::cli::RegisterCommand::List { .. },
            ..
        }) => Access::Existing,
        CliCommand::Context(_)
        | CliCommand::Parties(_)
        | CliCommand::Risks(_)
        | CliCommand::Objectives(_)
        | CliCommand::Audit(_)
        | CliCommand::Finding(_)
        | CliCommand::Nc(_)
        | CliCommand::Review(_) => Access::Write,
        CliCommand::List { .. }
        | CliCommand::Questionnaires(_)
        | CliCommand::Plan(_)
        | CliCommand::Soa(_)
        | CliCommand::Export(_)
        | CliCommand::Summary { .. }
        | CliCommand::Rename { .. }
        | CliCommand::Edit { .. }
        | CliCommand::Delete { .. }
        | CliCommand::Session(_)
        | CliCommand::History { .. }
        | CliCommand::Undo { .. }
        | CliCommand::Compare { .. } => Access::Existing,
    }
}

fn new(context: &mut Context, args: NewArgs) -> Result<()> {
    let questionnaire_id = args
        .standard
        .unwrap_or_else(|| DEFAULT_QUESTIONNAIRE.to_string());
    let (assessment, superseded) = crate::service::assessment::create(
        context,
        &NewAssessment {
            name: args.name,
            questionnaire_id,
            scope: args.scope,
            assessor: args.assessor,
            firm: args.firm,
        },
    )?;
    outln!(
        "created assessment {} \"{}\" ({})",
        assessment.id,
        inline(&assessment.name),
        inline(&assessment.questionnaire_id)
    );
    if let Some(notice) = superseded {
        errln!("isms-ready: note: {}", inline(&notice));
    }
    Ok(())
}

fn list(context: &Context, json: bool) -> Result<()> {
    let assessments = context.store.assessments()?;
    let mut rows = Vec::new();
    for assessment in &assessments {
        let summary = context.summary_of(assessment).ok();
        rows.push(serde_json::json!({
            "id": assessment.id,
            "name": assessment.name,
            "standard": assessment.questionnaire_id,
            "scope": assessment.scope,
            "assessor": assessment.assessor,
            "firm": assessment.firm,
            "created_at": assessment.created_at,
            "readiness": summary.as_ref().map(|s| s.overall.readiness.shown()),
            "coverage": summary.as_ref().map(|s| s.overall.coverage.shown()),
        }));
        if !json {
            let figures = summary
                .map(|s| {
                    format!(
                        "readiness {:>5} %  coverage {:>5} %",
                        s.overall.readiness, s.overall.coverage
                    )
                })
                .unwrap_or_else(|| "questionnaire unknown to this build".into());
            outln!(
                "{:>4}  {:<30}  {:<14}  {}",
                assessment.id,
                truncate(&inline(&assessment.name), 30),
                inline(&assessment.questionnaire_id),
                figures
            );
        }
    }
    if json {
        print_json(&rows)?;
    } else if assessments.is_empty() {
        outln!("no assessments yet; create one with `isms-ready new --name NAME` or in the app");
    }
    Ok(())
}

fn questionnaires(catalog: &Catalog, json: bool) -> Result<()> {
    let rows: Vec<_> = catalog
        .all()
        .iter()
        .map(|q| {
            serde_json::json!({
                "id": q.id,
                "title": q.title,
                "items": q.items.len(),
                "clause_items": q.items.len() - q.control_count(),
                "controls": q.control_count(),
            })
        })
        .collect();
    if json {
        print_json(&rows)?;
    } else {
        for q in catalog.all() {
            outln!(
                "{:<16}  {:<36}  {:>4} items ({} clause requirements, {} controls)",
                inline(&q.id),
                inline(&q.title),
                q.items.len(),
                q.items.len() - q.control_count(),
                q.control_count()
            );
        }
    }
    Ok(())
}

fn show_questionnaire(catalog: &Catalog, id: &str, json: bool) -> Result<()> {
    let questionnaire = catalog.get(id).ok_or_else(|| {
        eyre!(
            "unknown questionnaire \"{id}\" (known: {})",
            catalog.ids().join(", ")
        )
    })?;
    if json {
        let items: Vec<_> = questionnaire
            .items
            .iter()
            .map(|item| {
                serde_json::json!({
                    "number": item.number,
                    "ref": item.reference,
                    "clause": item.clause,
                    "kind": item.kind,
                    "pdca": item.pdca,
                    "title": item.title,
                })
            })
            .collect();
        print_json(&serde_json::json!({
            "id": questionnaire.id,
            "title": questionnaire.title,
            "items": items,
        }))?;
    } else {
        outln!(
            "{} - {}",
            inline(&questionnaire.id),
            inline(&questionnaire.title)
        );
        for item in &questionnaire.items {
            outln!(
                "{:>4}  {:<10}  {:<5}  {:<4}  {}",
                item.number,
                inline(&item.reference),
                inline(&item.clause),
                inline(&item.pdca),
                inline(&item.title)
            );
        }
    }
    Ok(())
}

fn answer(context: &mut Context, args: AnswerArgs) -> Result<()> {
    let assessment = context.resolve(&args.assessment)?;
    let questionnaire = context.questionnaire_of(&assessment)?;
    let item = change::item(&questionnaire, args.item)?;
    let mut changes = Vec::new();
    if let Some(justification) = args.exclude {
        changes.push(Change::Applicability {
            applicable: Some(false),
            reasons: Vec::new(),
            justification,
        });
    }
    if let Some(reasons) = args.include {
        changes.push(Change::Applicability {
            applicable: Some(true),
            reasons,
            justification: args.justification,
        });
    }
    if let Some(evidence) = args.evidence {
        changes.push(Change::Evidence(evidence));
    }
    if let Some(owner) = args.owner {
        changes.push(Change::Owner(owner));
    }
    if let Some(risks) = args.risks {
        changes.push(Change::Risks(risks));
    }
    if let Some(level) = args.level {
        changes.push(Change::Level(Level::from_u8(level)));
    }
    if args.clear {
        changes.push(Change::Level(None));
    }
    if let Some(note) = args.note {
        changes.push(Change::Note(note));
    }
    // One command, one transaction: every field or none.
    if let Some(answer) = change::answer(&mut context.store, assessment.id, item, &changes)? {
        let level = answer
            .level
            .map_or_else(|| "unanswered".to_string(), |level| level.to_string());
        let excluded = if answer.is_excluded() {
            ", excluded"
        } else {
            ""
        };
        outln!(
            "{} item {} ({}): {level}{excluded}",
            inline(&assessment.name),
            item.number,
            inline(&item.reference)
        );
    }
    Ok(())
}

fn figures_line(figures: &Figures) -> String {
    format!(
        "overall readiness {} %, assessed readiness {}, rated {}, gap {} %, coverage {} % ({} of {} answered{})",
        figures.readiness,
        figures
            .assessed_readiness
            .map_or_else(|| "-".to_string(), |p| format!("{p} %")),
        figures.rating.words(),
        figures.gap,
        figures.coverage,
        figures.answered,
        figures.items,
        if figures.excluded > 0 {
            format!(", {} excluded", figures.excluded)
        } else {
            String::new()
        }
    )
}

/// The plain-text summary printed by `isms-ready summary`.
pub fn summary_text(summary: &Summary, questionnaire: &Questionnaire) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} - {} ({})",
        inline(&summary.assessment.name),
        inline(&questionnaire.title),
        inline(&questionnaire.id)
    );
    if let Some(superseded) = &questionnaire.superseded {
        let _ = writeln!(out, "NOTE: {}", inline(&superseded.notice));
    }
    let _ = writeln!(out, "Clauses 4-10: {}", figures_line(&summary.overall));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<6} {:<34} {:>6} {:>8} {:>6} {:>6} {:>9} {:>8}  {:<7} {:<6} {:<16} levels 0/1/2/3/4",
        "clause",
        "title",
        "ready",
        "assessed",
        "gap",
        "cover",
        "answered",
        "excluded",
        "reached",
        "phase",
        "rating",
    );
    let groups = summary.clauses.iter().chain(
        summary
            .annex_a
            .iter()
            .flat_map(|annex| annex.domains.iter()),
    );
    for group in groups {
        let f = &group.figures;
        let _ = writeln!(
            out,
            "{:<6} {:<34} {:>6} {:>8} {:>6} {:>6} {:>9} {:>8}  {:<7} {:<6} {:<16} {}",
            inline(&group.clause),
            truncate(&inline(&group.title), 34),
            f.readiness.to_string(),
            f.assessed_readiness
                .map_or_else(|| "-".to_string(), |p| p.to_string()),
            f.gap.to_string(),
            f.coverage.to_string(),
            format!("{}/{}", f.answered, f.items),
            f.excluded,
            f.pdca_reached,
            inline(&group.pdca_phase),
            f.rating.words(),
            f.level_counts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("/")
        );
    }
    if let Some(annex) = &summary.annex_a {
        let _ = writeln!(out);
        let _ = writeln!(out, "Annex A: {}", figures_line(&annex.overall));
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('~');
        cut
    }
}
