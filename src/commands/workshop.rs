//! `session`, `history`, `undo` and `compare`: a gap analysis as a series of workshops.

use super::Context;
use crate::cli::SessionCommand;
use crate::export::session::SessionReport;
use crate::model::session::participants_text;
use crate::service::workshop::{self, Since};
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use serde_json::json;

pub fn run_session(context: &mut Context, command: SessionCommand) -> Result<()> {
    match command {
        SessionCommand::Start {
            assessment,
            title,
            participants,
            facilitator,
            focus,
            date,
        } => {
            let assessment = context.resolve(&assessment)?;
            let session = workshop::start(
                &mut context.store,
                &assessment,
                &title,
                &participants,
                &facilitator,
                &focus,
                date,
            )?;
            outln!(
                "{}: session {} started; every change is stamped with it until `session end`{}",
                inline(&assessment.name),
                inline(&session.label()),
                if session.participants.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (in the room: {})",
                        inline(&participants_text(&session.participants))
                    )
                }
            );
            Ok(())
        }
        SessionCommand::End { assessment, notes } => {
            let assessment = context.resolve(&assessment)?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let session = workshop::end(
                &mut context.store,
                &assessment,
                &questionnaire,
                notes.as_deref(),
            )?;
            let history = context.store.history(assessment.id)?;
            let changes = history
                .iter()
                .filter(|row| row.session == Some(session.number))
                .count();
            outln!(
                "{}: session {} ended ({changes} changes recorded in it)",
                inline(&assessment.name),
                inline(&session.label())
            );
            Ok(())
        }
        SessionCommand::List { assessment, json } => {
            let assessments = match assessment {
                Some(name) => vec![context.resolve(&name)?],
                None => context.store.assessments()?,
            };
            let mut rows = Vec::new();
            for assessment in &assessments {
                for session in workshop::sessions(&context.store, assessment)? {
                    if !json {
                        outln!(
                            "{:<20} {:>3}  {}  {:<24} {:<6} {}",
                            inline(&super::truncate(&assessment.name, 20)),
                            session.number,
                            session.date,
                            inline(&super::truncate(&session.title, 24)),
                            if session.is_open() { "OPEN" } else { "ended" },
                            inline(&participants_text(&session.participants))
                        );
                    }
                    rows.push(json!({
                        "assessment": assessment.name,
                        "assessment_id": assessment.id,
                        "session": session,
                    }));
                }
            }
            if json {
                super::print_json(&rows)?;
            } else if rows.is_empty() {
                outln!(
                    "no session yet; start one with `isms-ready session start --assessment A --title T`"
                );
            }
            Ok(())
        }
        SessionCommand::Report {
            assessment,
            session,
            format,
            output,
            force,
        } => {
            let assessment = context.resolve(&assessment)?;
            let questionnaire = context.questionnaire_of(&assessment)?;
            let sessions = workshop::sessions(&context.store, &assessment)?;
            let found = match session {
                Some(name) => workshop::find_session(&sessions, &name)
                    .ok_or_else(|| eyre!("no session \"{name}\" in \"{}\"", assessment.name))?,
                None => sessions
                    .last()
                    .cloned()
                    .ok_or_else(|| eyre!("\"{}\" has no session yet", assessment.name))?,
            };
            let history = context.store.history(assessment.id)?;
            let actions = context.store.actions(assessment.id)?;
            let report =
                SessionReport::build(&assessment.name, &found, &questionnaire, &history, &actions);
            let bytes = if format == "html" {
                report.html()
            } else {
                report.markdown()
            };
            match output {
                Some(path) if path.as_os_str() != "-" => {
                    crate::service::export::write_file(&path, bytes.as_bytes(), force)?;
                    outln!("wrote {}", path.display());
                }
                _ => super::print_document(bytes.as_bytes())?,
            }
            Ok(())
        }
    }
}

pub fn run_history(
    context: &Context,
    assessment: &str,
    item: Option<u32>,
    session: Option<String>,
    json: bool,
) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let questionnaire = context.questionnaire_of(&assessment)?;
    if let Some(number) = item
        && questionnaire.item(number).is_none()
    {
        return Err(eyre!(
            "item {number} is not in {} (items 1 to {})",
            questionnaire.id,
            questionnaire.items.len()
        ));
    }
    let sessions = workshop::sessions(&context.store, &assessment)?;
    let session = match session {
        Some(name) => Some(
            workshop::find_session(&sessions, &name)
                .ok_or_else(|| eyre!("no session \"{name}\" in \"{}\"", assessment.name))?
                .number,
        ),
        None => None,
    };
    let rows = workshop::history(&context.store, &assessment, item, session)?;
    if json {
        let out: Vec<_> = rows
            .iter()
            .map(|row| {
                json!({
                    "at": row.changed_at,
                    "item": row.item,
                    "ref": row.item.and_then(|n| questionnaire.item(n)).map(|i| i.reference.clone()),
                    "step": row.step,
                    "field": row.field,
                    "old": row.old_value,
                    "new": row.new_value,
                    "session": row.session,
                    "undo": row.undoes.is_some(),
                })
            })
            .collect();
        super::print_json(&out)?;
        return Ok(());
    }
    if rows.is_empty() {
        outln!("no change recorded");
    }
    for row in &rows {
        let what = match (row.item, row.step) {
            (Some(n), _) => format!(
                "item {n} ({})",
                questionnaire
                    .item(n)
                    .map_or_else(String::new, |i| inline(&i.reference).to_string())
            ),
            (None, Some(step)) => format!("plan step {step}"),
            _ => String::new(),
        };
        let session = row
            .session
            .and_then(|n| sessions.iter().find(|s| s.number == n))
            .map_or_else(String::new, |s| {
                format!("  [session {}]", inline(&s.label()))
            });
        outln!(
            "{}  {what}  {}{}: {} -> {}{session}",
            local_time(&row.changed_at),
            row.field,
            if row.undoes.is_some() { " (undo)" } else { "" },
            inline(&super::truncate(
                &workshop::shown_value(&row.field, row.old_value.as_deref()),
                40
            )),
            inline(&super::truncate(
                &workshop::shown_value(&row.field, row.new_value.as_deref()),
                40
            )),
        );
    }
    Ok(())
}

fn local_time(rfc3339: &str) -> String {
    crate::clock::local_text(rfc3339, "%Y-%m-%d %H:%M:%S").unwrap_or_else(|| rfc3339.to_string())
}

pub fn run_undo(context: &mut Context, assessment: &str) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let questionnaire = context.questionnaire_of(&assessment)?;
    match workshop::undo(&mut context.store, &assessment, 0)? {
        Some(undone) => {
            let reference = questionnaire
                .item(undone.item)
                .map_or_else(String::new, |i| i.reference.clone());
            outln!(
                "{}: undid {}",
                inline(&assessment.name),
                inline(&workshop::describe_undo(&undone, &reference))
            );
            Ok(())
        }
        None => Err(eyre!(
            "nothing to undo in \"{}\": no answer change left that is not undone",
            assessment.name
        )),
    }
}

pub fn run_compare(
    context: &Context,
    assessment: &str,
    since: Option<String>,
    with: Option<String>,
    json: bool,
) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let compared = match (since, with) {
        (Some(since), _) => workshop::compare_since(context, &assessment, &Since::parse(&since))?,
        (None, Some(other)) => {
            let other = context.resolve(&other)?;
            workshop::compare_with(context, &assessment, &other)?
        }
        (None, None) => return Err(eyre!("give --since SESSION|DATE or --with B")),
    };
    let c = &compared.comparison;
    if json {
        let out = json!({
            "assessment": assessment.name,
            "from": compared.from_label,
            "to": compared.to_label,
            "overall": c.overall,
            "annex_a": c.annex_a,
            "groups": c.groups,
            "items": c.items,
        });
        super::print_json(&out)?;
        return Ok(());
    }
    outln!(
        "{}: {} -> {}",
        inline(&assessment.name),
        inline(&compared.from_label),
        inline(&compared.to_label)
    );
    outln!(
        "{:<6} {:<34} {:>6} {:>6} {:>7}",
        "group",
        "title",
        "then",
        "now",
        "delta"
    );
    for g in std::iter::once(&c.overall)
        .chain(&c.groups)
        .chain(c.annex_a.iter())
    {
        outln!(
            "{:<6} {:<34} {:>6} {:>6} {:>+7.1}",
            inline(&g.clause),
            inline(&super::truncate(&g.title, 34)),
            g.from.to_string(),
            g.to.to_string(),
            g.delta
        );
    }
    let level = |l: Option<u8>| l.map_or_else(|| ".".to_string(), |l| l.to_string());
    for (word, change) in [
        ("up", crate::score::ItemMove::Up),
        ("down", crate::score::ItemMove::Down),
        ("newly assessed", crate::score::ItemMove::NewlyAssessed),
        ("cleared", crate::score::ItemMove::Cleared),
    ] {
        let items: Vec<_> = c.items.iter().filter(|i| i.change == change).collect();
        if items.is_empty() {
            continue;
        }
        outln!();
        outln!("{word} ({}):", items.len());
        for i in items {
            outln!(
                "  {:>4} {:<10} {} -> {}  {}",
                i.number,
                inline(&i.reference),
                level(i.from_level),
                level(i.to_level),
                inline(&i.title)
            );
        }
    }
    Ok(())
}
