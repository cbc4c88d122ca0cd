//! `merge` (another copy's changes in, conflicts listed and resolved) and `split` (a group's part).

use super::Context;
use crate::cli::{MergeArgs, MergeCommand};
use crate::model::Questionnaire;
use crate::model::merge::{FieldKey, Target};
use crate::service::merge::{self, MergeOutcome};
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use std::path::Path;

/// `item 12 (5.1) note`, `step 3 plan.status`.
pub fn describe(key: &FieldKey, questionnaire: &Questionnaire) -> String {
    match key.target {
        Target::Item(n) => {
            let reference = questionnaire
                .items
                .get(n as usize - 1)
                .map(|item| format!(" ({})", item.reference))
                .unwrap_or_default();
            format!("item {n}{reference} {}", inline(&key.field))
        }
        // A field name comes from the merged file: shown on one line, without controls.
        Target::Step(n) => format!("step {n} {}", inline(&key.field)),
        _ => format!("{} {}", inline(&key.target.label()), inline(&key.field)),
    }
}

/// For a whole action or register entry held on both sides: one line per field that differs,
/// mine and theirs side by side (issue 22), so every difference is seen before a side is taken.
fn field_lines(key: &FieldKey, mine: Option<&str>, theirs: Option<&str>) -> String {
    crate::model::merge::differences(key, mine, theirs)
        .into_iter()
        .map(|(field, m, t)| {
            format!(
                "    {}: mine \"{}\" | theirs \"{}\"\n",
                inline(&field),
                inline(&m),
                inline(&t)
            )
        })
        .collect()
}

/// A value of `key`: a whole action or register entry by its title (or `(removed)`).
fn value_of(key: &FieldKey, v: Option<&str>) -> String {
    match v {
        Some(v) if key.is_whole() => inline(&crate::model::merge::shown(key, v)).to_string(),
        None if key.is_whole() => "(removed)".into(),
        _ => value(v),
    }
}

fn value(v: Option<&str>) -> String {
    match v {
        Some(v) => format!("\"{}\"", inline(v)),
        None => "(empty)".into(),
    }
}

fn stamp(at: Option<&str>, session: Option<&str>) -> String {
    match (at, session) {
        (Some(at), Some(s)) => format!("{at}, session {}", inline(s)),
        (Some(at), None) => at.to_string(),
        (None, _) => "before the copies diverged".into(),
    }
}

fn waiting_error(waiting: usize, name: &str) -> color_eyre::Report {
    eyre!(
        "{waiting} conflict{} wait{} in \"{}\": resolve on the Merge screen or with `isms-ready merge resolve`",
        if waiting == 1 { "" } else { "s" },
        if waiting == 1 { "s" } else { "" },
        inline(name)
    )
}

pub fn run(context: &mut Context, args: MergeArgs) -> Result<()> {
    let assessment = super::resolve_for_write(context, args.assessment.as_deref())?;
    let questionnaire = context.questionnaire_of(&assessment)?;
    match args.command {
        Some(MergeCommand::Resolve { conflict, take }) => {
            let settled = merge::resolve(context, &assessment, conflict, take.into())?;
            let waiting = context.store.open_conflicts(assessment.id)?.len();
            outln!(
                "conflict {conflict} ({}) resolved: {}; {waiting} conflict{} left",
                describe(&settled.key, &questionnaire),
                crate::model::merge::Resolution::from(take).code(),
                if waiting == 1 { "" } else { "s" }
            );
            Ok(())
        }
        Some(MergeCommand::Conflicts { json }) => {
            let conflicts = context.store.open_conflicts(assessment.id)?;
            if json {
                super::print_json(&conflicts)?;
                return Ok(());
            }
            if conflicts.is_empty() {
                outln!("no conflict waits in \"{}\"", inline(&assessment.name));
            }
            for c in &conflicts {
                outln!(
                    "conflict {}: {} mine {} ({}) | theirs {} ({}) from {}",
                    c.id,
                    describe(&c.key, &questionnaire),
                    value_of(&c.key, c.mine.as_deref()),
                    stamp(c.mine_at.as_deref(), c.mine_session.as_deref()),
                    value_of(&c.key, c.theirs.as_deref()),
                    stamp(c.theirs_at.as_deref(), c.theirs_session.as_deref()),
                    inline(&c.source)
                );
                out!(
                    "{}",
                    field_lines(&c.key, c.mine.as_deref(), c.theirs.as_deref())
                );
            }
            Ok(())
        }
        None => {
            let file = args
                .file
                .clone()
                .expect("clap requires FILE without a subcommand");
            run_merge(context, &assessment, &questionnaire, &file, &args)
        }
    }
}

fn run_merge(
    context: &mut Context,
    assessment: &crate::model::Assessment,
    questionnaire: &Questionnaire,
    file: &Path,
    args: &MergeArgs,
) -> Result<()> {
    let source = file.display().to_string();
    let uid = context.store.assessment_uid(assessment.id)?;
    let document = merge::read_other(context, file, &uid)?;
    if !merge::is_copy_of(&document, &uid) && args.as_new {
        if args.dry_run {
            outln!(
                "would import \"{}\" from {} as a new assessment (another UUID); nothing was changed",
                inline(&document.assessment.name),
                inline(&source)
            );
            return Ok(());
        }
        let base = document.assessment.name.clone();
        let mut name = base.clone();
        let mut n = 2;
        while context.store.find_assessment(&name)?.is_some() {
            name = format!("{base} ({n})");
            n += 1;
        }
        let imported = context
            .store
            .import_document(&document, &name)
            .map_err(|e| eyre!("{source}: {e}. Nothing was imported."))?;
        outln!(
            "{} is another assessment (another UUID): imported as the new assessment \"{}\" (id {})",
            inline(&source),
            inline(&imported.name),
            imported.id
        );
        return Ok(());
    }
    let outcome = merge::merge(
        context,
        assessment,
        &document,
        &source,
        args.dry_run,
        args.take.map(Into::into),
    )?;
    if args.json {
        super::print_json(&outcome)?;
    } else {
        out!("{}", summary_text(&outcome, questionnaire));
    }
    if outcome.waiting > 0 && !outcome.dry_run {
        return Err(waiting_error(outcome.waiting, &assessment.name));
    }
    if outcome.dry_run && !outcome.conflicts.is_empty() {
        return Err(eyre!(
            "{} conflict{} would wait (dry run: nothing was changed)",
            outcome.conflicts.len(),
            if outcome.conflicts.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    Ok(())
}

/// The summary a merge prints: the counts, each field set, each conflict (with the word).
pub fn summary_text(outcome: &MergeOutcome, questionnaire: &Questionnaire) -> String {
    let mut out = String::new();
    let verb = if outcome.dry_run { "would" } else { "did" };
    out.push_str(&format!(
        "{}merge of {} into \"{}\": {} change{} came in, {} field{} {} change, {} new conflict{}{}\n",
        if outcome.dry_run { "dry run: " } else { "" },
        inline(&outcome.source),
        inline(&outcome.assessment),
        outcome.incoming,
        if outcome.incoming == 1 { "" } else { "s" },
        outcome.applied.len(),
        if outcome.applied.len() == 1 { "" } else { "s" },
        verb,
        outcome.conflicts.len(),
        if outcome.conflicts.len() == 1 { "" } else { "s" },
        if outcome.resolved > 0 {
            format!(" ({} settled by --take)", outcome.resolved)
        } else {
            String::new()
        }
    ));
    for planned in &outcome.applied {
        out.push_str(&format!(
            "  set {}: {} -> {}\n",
            describe(&planned.key, questionnaire),
            if planned.key.is_whole() && planned.from.is_none() {
                "(new)".to_string()
            } else {
                value_of(&planned.key, planned.from.as_deref())
            },
            value_of(&planned.key, planned.to.as_deref())
        ));
    }
    for c in &outcome.conflicts {
        out.push_str(&format!(
            "  conflict {}: mine {} | theirs {}\n",
            describe(&c.key, questionnaire),
            value_of(&c.key, c.mine.as_deref()),
            value_of(&c.key, c.theirs.as_deref())
        ));
        out.push_str(&field_lines(&c.key, c.mine.as_deref(), c.theirs.as_deref()));
    }
    if outcome.dry_run {
        out.push_str("nothing was changed (dry run)\n");
    } else {
        out.push_str(&format!(
            "{} conflict{} wait{}\n",
            outcome.waiting,
            if outcome.waiting == 1 { "" } else { "s" },
            if outcome.waiting == 1 { "s" } else { "" }
        ));
    }
    out
}

/// Parses `N-M` or `N`.
fn item_range(text: &str) -> Result<std::ops::RangeInclusive<u32>> {
    let bad = || eyre!("--items {text}: give a range of item numbers, like 4-28");
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if a > b {
        return Err(bad());
    }
    Ok(a..=b)
}

pub fn run_split(
    context: &Context,
    assessment: &str,
    items: &str,
    output: &Path,
    force: bool,
) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let range = item_range(items)?;
    let document = merge::split(context, &assessment, range.clone())?;
    if output.as_os_str() == "-" {
        return super::print_document(document.to_json().as_bytes());
    }
    crate::service::export::write_file(output, document.to_json().as_bytes(), force)?;
    outln!(
        "wrote items {}-{} of \"{}\" ({} answered, {} changes) to {}; merge it back with `isms-ready merge --assessment ... FILE`",
        range.start(),
        range.end(),
        inline(&assessment.name),
        document.answers.len(),
        document.history.as_ref().map_or(0, Vec::len),
        inline(&output.display().to_string())
    );
    Ok(())
}
