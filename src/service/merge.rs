//! Merging another copy of an assessment into this one (issue 18), and taking a group's part of
//! it (`split`). The algorithm is `model::merge::plan`; here the copies are read and the result
//! written, in one transaction.

use super::Context;
use crate::model::document::AssessmentDocument;
use crate::model::merge::{self, Conflict, Planned, Recorded, Resolution, Side};
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, HistoryEntry};
use crate::store::{Access, Store, StoredConflict};
use color_eyre::eyre::{Result, eyre};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// What a merge did (or, dry, would do).
#[derive(Debug, Clone, Serialize)]
pub struct MergeOutcome {
    pub assessment: String,
    pub source: String,
    pub dry_run: bool,
    /// Changes of the other copy this one had not seen.
    pub incoming: usize,
    /// Fields set to the other copy's value.
    pub applied: Vec<Planned>,
    /// Fields changed differently on both sides, found by this merge.
    pub conflicts: Vec<Conflict>,
    /// Conflicts settled at once by `--take`.
    pub resolved: usize,
    /// Conflicts waiting once the merge is done (this one's and earlier ones).
    pub waiting: usize,
}

/// Reads the other copy: a JSON document exported with history, or another isms-ready database
/// (read from a temporary copy, so the other file is never touched), whose assessment with the
/// same UUID as `uid` is taken (or its only assessment).
pub fn read_other(context: &Context, file: &Path, uid: &str) -> Result<AssessmentDocument> {
    let source = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| eyre!("{source}: {e}"))?;
    if bytes.starts_with(b"SQLite format 3\0") {
        let folder = tempfile::tempdir().map_err(|e| eyre!("a temporary folder: {e}"))?;
        let copy = folder.path().join("other.db");
        std::fs::write(&copy, &bytes).map_err(|e| eyre!("{source}: {e}"))?;
        let store = Store::open_for(&copy, Access::Existing).map_err(|e| eyre!("{source}: {e}"))?;
        let assessments = store.assessments()?;
        let mut same = Vec::new();
        for a in &assessments {
            if store.assessment_uid(a.id)? == uid {
                same.push(a.clone());
            }
        }
        let chosen = match (same.as_slice(), assessments.as_slice()) {
            ([one], _) | ([], [one]) => one.clone(),
            ([], []) => return Err(eyre!("{source}: the database holds no assessment")),
            ([], _) => {
                return Err(eyre!(
                    "{source}: no assessment in this database is a copy of this one (none has its UUID {uid})"
                ));
            }
            _ => {
                return Err(eyre!(
                    "{source}: several assessments in this database are copies of this one; export the one to merge with `export --format json --history`"
                ));
            }
        };
        let other = Context {
            store,
            catalog: context.catalog.clone(),
            warnings: Vec::new(),
        };
        let bytes = super::export::render(
            &other.store,
            &other.catalog,
            &chosen,
            crate::export::ExportFormat::Json,
            true,
        )?;
        let text = String::from_utf8(bytes).expect("JSON is UTF-8");
        return AssessmentDocument::parse(
            &source,
            &text,
            &context.catalog,
            PlanTemplate::builtin(),
        )
        .map_err(|e| eyre!("{e}"));
    }
    let text = String::from_utf8(bytes).map_err(|_| eyre!("{source}: not UTF-8 text"))?;
    AssessmentDocument::parse(&source, &text, &context.catalog, PlanTemplate::builtin())
        .map_err(|e| eyre!("{e}"))
}

/// Whether `document` is a copy of `assessment` (same UUID).
pub fn is_copy_of(document: &AssessmentDocument, uid: &str) -> bool {
    document.assessment.uuid.as_deref() == Some(uid)
}

/// Merges `document` into `assessment`: plans it, and unless `dry_run` writes it in one
/// transaction; with `take`, every conflict found is settled that way at once.
pub fn merge(
    context: &mut Context,
    assessment: &Assessment,
    document: &AssessmentDocument,
    source: &str,
    dry_run: bool,
    take: Option<Resolution>,
) -> Result<MergeOutcome> {
    let uid = context.store.assessment_uid(assessment.id)?;
    if !is_copy_of(document, &uid) {
        return Err(eyre!(
            "{source} is not a copy of \"{}\": its assessment \"{}\" has another UUID ({}, this one {uid}); nothing was merged. Import it as a new assessment with --as-new",
            assessment.name,
            document.assessment.name,
            document.assessment.uuid.as_deref().unwrap_or("none")
        ));
    }
    if document.assessment.questionnaire != assessment.questionnaire_id {
        return Err(eyre!(
            "{source} answers {} and this assessment {}; migrate one first. Nothing was merged.",
            document.assessment.questionnaire,
            assessment.questionnaire_id
        ));
    }
    let Some(their_history) = document.history.as_ref() else {
        return Err(eyre!(
            "{source} has no history, so its changes cannot be told apart: export it with `export --format json --history`. Nothing was merged."
        ));
    };
    let questionnaire = context.questionnaire_of(assessment)?;
    let store = &context.store;
    let mine: Vec<Recorded> = store
        .history(assessment.id)?
        .iter()
        .filter_map(Recorded::from_history)
        .collect();
    let theirs: Vec<Recorded> = their_history
        .iter()
        .filter_map(Recorded::from_record)
        .filter(|r| match r.key.target {
            merge::Target::Item(n) => n >= 1 && n as usize <= questionnaire.items.len(),
            merge::Target::Step(n) => n >= 1 && n as usize <= PlanTemplate::builtin().steps.len(),
        })
        .collect();
    let my_merged = store.merged_ids(assessment.id)?;
    let their_merged: HashSet<String> = document.merged.iter().cloned().collect();
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let progress = store.plan_progress(assessment.id, PlanTemplate::builtin().steps.len())?;
    let planned = merge::plan(
        Side {
            changes: &mine,
            merged: &my_merged,
        },
        Side {
            changes: &theirs,
            merged: &their_merged,
        },
        |key| store.field_value(assessment.id, &answers, &progress, key),
    );
    let waiting_before = store.open_conflicts(assessment.id)?.len();
    let mut outcome = MergeOutcome {
        assessment: assessment.name.clone(),
        source: source.to_string(),
        dry_run,
        incoming: planned.incoming.len(),
        applied: planned.apply.clone(),
        conflicts: planned.conflicts.clone(),
        resolved: 0,
        waiting: waiting_before + planned.conflicts.len(),
    };
    if dry_run {
        return Ok(outcome);
    }
    let their_session = |n: Option<u32>| {
        n.map(|n| match document.sessions.iter().find(|s| s.number == n) {
            Some(s) => format!("S{n} {}", s.title),
            None => format!("S{n}"),
        })
    };
    let my_sessions = store.sessions(assessment.id)?;
    let my_session = |n: Option<u32>| {
        n.map(|n| match my_sessions.iter().find(|s| s.number == n) {
            Some(s) => format!("S{n} {}", s.title),
            None => format!("S{n}"),
        })
    };
    let ids =
        context
            .store
            .write_merge(assessment.id, &planned, source, &my_session, &their_session)?;
    if let Some(take) = take {
        for id in ids {
            let conflict = context
                .store
                .open_conflicts(assessment.id)?
                .into_iter()
                .find(|c| c.id == id);
            if let Some(conflict) = conflict {
                let take = if take == Resolution::Both && !conflict.key.is_text() {
                    Resolution::Theirs
                } else {
                    take
                };
                resolve_stored(context, assessment, &conflict, take)?;
                outcome.resolved += 1;
            }
        }
    }
    outcome.waiting = context.store.open_conflicts(assessment.id)?.len();
    Ok(outcome)
}

fn resolve_stored(
    context: &mut Context,
    assessment: &Assessment,
    conflict: &StoredConflict,
    take: Resolution,
) -> Result<()> {
    let value = take
        .value(
            &conflict.key,
            conflict.mine.as_deref(),
            conflict.theirs.as_deref(),
        )
        .map_err(|e| eyre!("conflict {}: {e}", conflict.id))?;
    context
        .store
        .resolve_conflict(assessment.id, conflict.id, take.code(), value.as_deref())?;
    Ok(())
}

/// Settles one waiting conflict: the field takes mine, theirs, or (a text) both.
pub fn resolve(
    context: &mut Context,
    assessment: &Assessment,
    id: i64,
    take: Resolution,
) -> Result<StoredConflict> {
    let conflict = context
        .store
        .open_conflicts(assessment.id)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            eyre!(
                "no conflict {id} waits in \"{}\" (see `isms-ready merge conflicts`)",
                assessment.name
            )
        })?;
    resolve_stored(context, assessment, &conflict, take)?;
    Ok(conflict)
}

/// The document of a group's part: the answers of `items` with their history (the change ids
/// kept, so the part merges back), the sessions for their names, and the ids merged so far.
/// The plan, actions and registers stay with the whole assessment.
pub fn split(
    context: &Context,
    assessment: &Assessment,
    items: std::ops::RangeInclusive<u32>,
) -> Result<AssessmentDocument> {
    let questionnaire = context.questionnaire_of(assessment)?;
    let count = questionnaire.items.len() as u32;
    if *items.start() < 1 || *items.end() > count || items.is_empty() {
        return Err(eyre!(
            "items {}-{} are not in \"{}\" (it has items 1-{count})",
            items.start(),
            items.end(),
            assessment.name
        ));
    }
    let store = &context.store;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let history: Vec<HistoryEntry> = store
        .history(assessment.id)?
        .into_iter()
        .filter(|h| h.item.is_some_and(|n| items.contains(&n)))
        .collect();
    let mut document =
        crate::export::json::document(assessment, &questionnaire, &answers, &[], Some(&history))
            .with_sessions(store.sessions(assessment.id)?)
            .with_identity(
                store.assessment_uid(assessment.id)?,
                sorted(store.merged_ids(assessment.id)?),
            );
    document.answers.retain(|a| items.contains(&a.item));
    document.summary = None;
    Ok(document)
}

/// The ids merged in, in a stable order (so an export is the same twice).
pub fn sorted(ids: HashSet<String>) -> Vec<String> {
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    ids
}

/// The conflicts waiting, as the reports list them.
pub fn conflict_rows(
    conflicts: &[StoredConflict],
    questionnaire: &crate::model::Questionnaire,
) -> Vec<crate::export::report::ConflictRow> {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "(empty)".into());
    conflicts
        .iter()
        .map(|c| crate::export::report::ConflictRow {
            place: match c.key.target {
                merge::Target::Item(n) => questionnaire.item(n).map_or_else(
                    || format!("item {n}"),
                    |i| format!("{} (item {n})", i.reference),
                ),
                merge::Target::Step(n) => format!("plan step {n}"),
            },
            field: c.key.field.clone(),
            mine: text(&c.mine),
            theirs: text(&c.theirs),
            source: c.source.clone(),
        })
        .collect()
}
