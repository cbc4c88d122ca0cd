//! Merging another copy of an assessment into this one (issue 18), and taking a group's part of
//! it (`split`). The algorithm is `model::merge::plan`; here the copies are read and the result
//! written, in one transaction.

use super::Context;
use super::document::{Input, as_text, read_input, sorted};
use crate::model::document::AssessmentDocument;
use crate::model::merge::{self, Conflict, Planned, Recorded, Resolution, Side};
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, HistoryEntry};
use crate::store::{Access, Store, StoredConflict};
use crate::text::inline;
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

/// Reads the other copy: a JSON document exported with history, or another isms-ready database,
/// whose assessment with the same UUID as `uid` is taken (or its only assessment). A database is
/// read through a read-only SQLite connection, so the changes still in its `-wal` (the app open
/// on it) are read too and the file is never written; SQLite copies it (`VACUUM INTO`) into a
/// temporary file, which is brought to this build's schema and exported with its history.
pub fn read_other(context: &Context, file: &Path, uid: &str) -> Result<AssessmentDocument> {
    let source = file.display().to_string();
    let text = match read_input(file)? {
        Input::Bytes(bytes) => as_text(file, bytes)?,
        Input::Database => return read_other_database(context, file, uid),
    };
    AssessmentDocument::parse(&source, &text, &context.catalog, PlanTemplate::builtin())
        .map_err(|e| eyre!("{e}"))
}

/// `file:PATH?immutable=1`, the path percent-encoded as a URI needs.
fn immutable_uri(file: &Path) -> String {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let mut uri = String::from("file:");
    for byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(*byte as char)
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn read_other_database(context: &Context, file: &Path, uid: &str) -> Result<AssessmentDocument> {
    use rusqlite::{Connection, OpenFlags};
    let source = file.display().to_string();
    let nothing = "nothing was merged";
    let sqlite =
        |e: rusqlite::Error| eyre!("{source}: cannot be read as a database ({e}); {nothing}");
    // With changes waiting in a `-wal` (the app open on it), a read-only connection reads them.
    // Without one, the file holds everything: it is opened immutable, so SQLite creates no `-wal`
    // or `-shm` beside the other laptop's file.
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let other = if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        Connection::open_with_flags(file, flags)
    } else {
        Connection::open_with_flags(immutable_uri(file), flags | OpenFlags::SQLITE_OPEN_URI)
    }
    .map_err(sqlite)?;
    other
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sqlite)?;
    let number = |pragma: &str| -> Result<i64> {
        other
            .pragma_query_value(None, pragma, |row| row.get(0))
            .map_err(sqlite)
    };
    if number("application_id")? != i64::from(crate::store::schema::APPLICATION_ID) {
        return Err(eyre!(
            "{source}: not an isms-ready database (a SQLite file of another program); {nothing}. Give an isms-ready database file or an export written by `isms-ready export --format json --history`"
        ));
    }
    let version = number("user_version")?;
    if version > crate::store::schema::latest_version() {
        return Err(eyre!(
            "{source}: written by a newer isms-ready (schema {version}, this build reads up to {}); {nothing}. Upgrade isms-ready, or export it there with `export --format json --history` and merge the export",
            crate::store::schema::latest_version()
        ));
    }
    let check: String = other
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(sqlite)?;
    if check != "ok" {
        return Err(eyre!(
            "{source}: the database is damaged; {nothing}. Merge its last export (`export --format json --history`) instead"
        ));
    }
    let folder = tempfile::tempdir().map_err(|e| eyre!("a temporary folder: {e}"))?;
    let copy = folder.path().join("other.db");
    let copy_text = copy
        .to_str()
        .ok_or_else(|| eyre!("the temporary folder has a name SQLite cannot take"))?;
    other
        .execute("VACUUM INTO ?1", [copy_text])
        .map_err(sqlite)?;
    drop(other);
    // Errors below would name the temporary copy: they name the user's file instead.
    let named = |e: &dyn std::fmt::Display| {
        let text = e.to_string().replace(copy_text, &source);
        eyre!("{text}")
    };
    let store = Store::open_for(&copy, Access::Existing).map_err(|e| named(&e))?;
    let assessments = store.assessments().map_err(|e| named(&e))?;
    let mut same = Vec::new();
    for a in &assessments {
        if store.assessment_uid(a.id).map_err(|e| named(&e))? == uid {
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
                "{source}: several assessments in this database are copies of this one; export the one to merge with `export --format json --history` and merge the export"
            ));
        }
    };
    let bytes =
        super::document::json(&store, &context.catalog, &chosen, true).map_err(|e| named(&e))?;
    let text = String::from_utf8(bytes).expect("JSON is UTF-8");
    AssessmentDocument::parse(&source, &text, &context.catalog, PlanTemplate::builtin())
        .map_err(|e| named(&e))
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
    // Read, plan and write in one IMMEDIATE transaction (issue 22): no save of this copy can come
    // between the plan and its writing, and a second merge of the same file waits for this one
    // and then finds its changes already merged.
    store.in_transaction(|transaction| -> Result<MergeOutcome> {
        let my_history = store.history(assessment.id)?;
        refuse_colliding_ids(&my_history, their_history, source)?;
        let mine: Vec<Recorded> = my_history
            .iter()
            .filter_map(Recorded::from_history)
            .collect();
        let theirs: Vec<Recorded> = their_history
            .iter()
            .filter_map(Recorded::from_record)
            .collect();
        let my_merged = store.merged_ids(assessment.id)?;
        let their_merged: HashSet<String> = document.merged.iter().cloned().collect();
        let answers = store.answers(assessment.id, questionnaire.items.len())?;
        let progress = store.plan_progress(assessment.id, PlanTemplate::builtin().steps.len())?;
        let mut planned = merge::plan(
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
        // Actions and register entries, matched by unique id (issue 18).
        let entries = EntrySides::new(store, assessment.id, &uid, &my_history, document)?;
        let entry_plan = merge::plan_entries(
            Side {
                changes: &entries.mine,
                merged: &my_merged,
            },
            Side {
                changes: &entries.theirs,
                merged: &their_merged,
            },
            |key| entries.current(key),
            |target| entries.wholes(target),
        );
        planned.apply.extend(entry_plan.apply);
        planned.conflicts.extend(entry_plan.conflicts);
        planned.incoming.extend(entry_plan.incoming);
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
        crate::store::test_pause("plan");
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
        let sessions = merged_sessions(&my_sessions, document);
        let ids = store.write_merge(
            transaction,
            assessment.id,
            &planned,
            source,
            &sessions,
            &my_session,
            &their_session,
        )?;
        // `--take`: every conflict found is settled in the same transaction (issue 22).
        if let Some(take) = take {
            for (id, conflict) in ids.iter().zip(&planned.conflicts) {
                let take = if take == Resolution::Both && !conflict.key.is_text() {
                    Resolution::Theirs
                } else {
                    take
                };
                let value = take
                    .value(
                        &conflict.key,
                        conflict.mine.as_deref(),
                        conflict.theirs.as_deref(),
                    )
                    .map_err(|e| eyre!("conflict {id}: {e}"))?;
                store.resolve_in(
                    transaction,
                    assessment.id,
                    *id,
                    take.code(),
                    value.as_deref(),
                )?;
                outcome.resolved += 1;
            }
        }
        outcome.waiting = store.open_conflicts(assessment.id)?.len();
        Ok(outcome)
    })
}

/// The other copy's sessions as they arrive here (issue 22): one this copy holds (the same start
/// and title: both copies hold it since they parted) keeps its number here; any other is added
/// after this copy's sessions, with its title, participants and times. One still open there is
/// added closed, at its last change (or its start): this copy has its own open session.
fn merged_sessions(
    mine: &[crate::model::session::WorkshopSession],
    document: &AssessmentDocument,
) -> crate::store::MergedSessions {
    let mut merged = crate::store::MergedSessions::default();
    let mut next = mine.iter().map(|s| s.number).max().unwrap_or(0);
    for theirs in &document.sessions {
        if let Some(here) = mine
            .iter()
            .find(|s| s.started_at == theirs.started_at && s.title == theirs.title)
        {
            merged.numbers.push((theirs.number, here.number));
            continue;
        }
        next += 1;
        let mut session = theirs.clone();
        session.number = next;
        if session.ended_at.is_none() {
            let last = document
                .history
                .iter()
                .flatten()
                .filter(|h| h.session == Some(theirs.number))
                .map(|h| h.changed_at.clone())
                .max();
            session.ended_at = Some(last.unwrap_or_else(|| theirs.started_at.clone()));
        }
        merged.numbers.push((theirs.number, next));
        merged.new.push(session);
    }
    merged
}

/// Refuses a file that holds a change id this copy holds for a different change (issue 22).
/// Ids are random UUIDs since version 8, so this means two copies of a file made before it both
/// changed after the copy; merging them would drop changes without a word.
fn refuse_colliding_ids(
    mine: &[HistoryEntry],
    theirs: &[crate::model::document::HistoryRecord],
    source: &str,
) -> Result<()> {
    let by_id: std::collections::HashMap<&str, &HistoryEntry> = mine
        .iter()
        .filter(|h| !h.change_id.is_empty())
        .map(|h| (h.change_id.as_str(), h))
        .collect();
    for (index, row) in theirs.iter().enumerate() {
        let Some(here) = row.change_id.as_deref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        let same = here.item == row.item
            && here.step == row.step
            && here.field == row.field
            && here.old_value == row.old_value
            && here.new_value == row.new_value
            && here.changed_at == row.changed_at;
        if !same {
            return Err(eyre!(
                "{source}: history[{index}] has change id {}, which this copy holds for another change ({} here, {} there): the two files were copied from one before this version and both changed since, so their changes cannot be told apart. Nothing was merged: keep the copy you trust and enter the other's changes again, then copy that file afresh (copies made from now on never share a change id)",
                here.change_id,
                inline(&format!("{} {:?}", here.field, here.new_value)),
                inline(&format!("{} {:?}", row.field, row.new_value)),
            ));
        }
    }
    Ok(())
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

/// The target code of a history row's prefix (`action`, `risks`...), for entries.
fn code_of_noun(noun: &str) -> Option<&'static str> {
    use crate::model::registers::RegisterKind;
    if noun == "action" {
        return Some("action");
    }
    RegisterKind::EVERY
        .into_iter()
        .find(|kind| kind.noun() == noun)
        .map(|kind| merge::Target::of_register(kind, 0).code())
}

/// An entry's JSON with its number in this copy.
fn renumbered_json<T: Serialize>(entry: &T, code: &str, number: u32, uid: &str) -> Option<String> {
    let mut value = serde_json::to_value(entry).ok()?;
    let object = value.as_object_mut()?;
    object.insert("uid".into(), uid.into());
    if code == "action" {
        object.insert("number".into(), number.into());
    } else {
        let kind = merge::Target::from_code(code, number).and_then(|t| t.register());
        let id = kind.map_or_else(|| format!("O-{number}"), |kind| kind.id(number));
        object.insert("id".into(), id.into());
    }
    serde_json::to_string(&value).ok()
}

/// An entry of the other copy (JSON) with its links to other entries renumbered as this copy
/// numbers them (`here_of`: (code, their number) -> number here): a finding's audit, a
/// nonconformity's finding, the actions of a nonconformity or review. Other entries are
/// unchanged.
fn relinked(json: &str, here_of: &std::collections::HashMap<(&'static str, u32), u32>) -> String {
    use crate::model::registers::RegisterKind;
    let Ok(serde_json::Value::Object(mut entry)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return json.to_string();
    };
    let map = |code: &'static str, prefix: &str, id: &str| -> Option<String> {
        let n: u32 = id.strip_prefix(prefix)?.strip_prefix('-')?.parse().ok()?;
        let here = here_of.get(&(code, n))?;
        Some(format!("{prefix}-{here}"))
    };
    let mut changed = false;
    for (key, code, prefix) in [
        ("audit", "audit", RegisterKind::Audits.prefix()),
        ("finding", "finding", RegisterKind::Findings.prefix()),
    ] {
        if let Some(serde_json::Value::String(id)) = entry.get(key)
            && let Some(new) = map(code, prefix, id)
        {
            changed |= new != *id;
            entry.insert(key.into(), new.into());
        }
    }
    if let Some(serde_json::Value::Array(ids)) = entry.get_mut("actions") {
        for id in ids.iter_mut() {
            if let serde_json::Value::String(text) = id
                && let Some(new) = map("action", "ACT", text)
            {
                changed |= new != *text;
                *text = new;
            }
        }
    }
    if changed {
        serde_json::to_string(&entry).unwrap_or_else(|_| json.to_string())
    } else {
        json.to_string()
    }
}

/// Actions and register entries of both copies, numbered as this copy numbers them: an entry of
/// the other copy keeps its number here when it is free (never used here), else takes the next
/// free one; entries are matched by unique id.
struct EntrySides {
    mine: Vec<Recorded>,
    theirs: Vec<Recorded>,
    /// (code, number here) -> JSON, per side.
    my_wholes: std::collections::HashMap<(&'static str, u32), String>,
    their_wholes: std::collections::HashMap<(&'static str, u32), String>,
    my_actions: Vec<crate::model::action::Action>,
}

/// An entry as one side lists it: (code, uid, number on that side, JSON).
type Listed = (&'static str, String, u32, String);

fn listed(
    actions: &[crate::model::action::Action],
    registers: &crate::model::registers::Registers,
    assessment_uid: &str,
) -> Vec<Listed> {
    use crate::model::registers::RegisterKind;
    let uid = |u: &str, noun: &str, n: u32| {
        if u.is_empty() {
            format!("{assessment_uid}:{noun}:{n}")
        } else {
            u.to_string()
        }
    };
    let mut out: Vec<Listed> = Vec::new();
    for a in actions {
        let u = uid(&a.uid, "action", a.number);
        let json = renumbered_json(a, "action", a.number, &u).unwrap_or_default();
        out.push(("action", u, a.number, json));
    }
    for kind in RegisterKind::EVERY {
        let code = merge::Target::of_register(kind, 0).code();
        crate::with_register!(kind, T => {
            use crate::model::register_spec::RegisterEntry;
            for e in T::of(registers) {
                let n = kind.parse_id(e.id()).unwrap_or(0);
                let u = uid(e.uid(), kind.noun(), n);
                let json = renumbered_json(e, code, n, &u).unwrap_or_default();
                out.push((code, u, n, json));
            }
        });
    }
    out
}

/// A history row of an action or register entry: (code, uid, number on its side, field).
fn entry_row(
    h: &HistoryEntry,
    assessment_uid: &str,
) -> Option<(&'static str, String, u32, String)> {
    let (noun, rest) = h.field.split_once('.')?;
    let code = code_of_noun(noun)?;
    let number = if code == "action" {
        h.action?
    } else {
        let json = h.new_value.as_deref().or(h.old_value.as_deref())?;
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let id = value.get("id")?.as_str()?;
        id.rsplit('-').next()?.parse().ok()?
    };
    let uid = h
        .uid
        .clone()
        .unwrap_or_else(|| format!("{assessment_uid}:{noun}:{number}"));
    let field = if code == "action" && !matches!(rest, "created" | "removed") {
        h.field.clone()
    } else {
        merge::WHOLE.to_string()
    };
    Some((code, uid, number, field))
}

impl EntrySides {
    fn new(
        store: &Store,
        assessment_id: i64,
        assessment_uid: &str,
        my_history: &[HistoryEntry],
        document: &AssessmentDocument,
    ) -> Result<EntrySides> {
        use std::collections::{BTreeSet, HashMap};
        let my_actions = store.actions(assessment_id)?;
        let my_registers = store.registers(assessment_id)?;
        let mine_listed = listed(&my_actions, &my_registers, assessment_uid);
        let their_uid = document.assessment.uuid.clone().unwrap_or_default();
        let theirs_listed = listed(&document.actions, &document.registers(), &their_uid);
        // uid -> number here, and the numbers used here (by entries and by the history).
        let mut here: HashMap<(&'static str, String), u32> = HashMap::new();
        let mut used: HashMap<&'static str, BTreeSet<u32>> = HashMap::new();
        let mut my_wholes = HashMap::new();
        for (code, uid, n, json) in &mine_listed {
            here.insert((*code, uid.clone()), *n);
            used.entry(*code).or_default().insert(*n);
            my_wholes.insert((*code, *n), json.clone());
        }
        let mut mine = Vec::new();
        for h in my_history {
            if let Some((code, uid, n, field)) = entry_row(h, assessment_uid) {
                here.entry((code, uid)).or_insert(n);
                used.entry(code).or_default().insert(n);
                if let Some(target) = merge::Target::from_code(code, n) {
                    mine.push(Recorded {
                        id: h.change_id.clone(),
                        key: merge::FieldKey::new(target, &field),
                        old: h.old_value.clone(),
                        new: h.new_value.clone(),
                        changed_at: h.changed_at.clone(),
                        session: h.session,
                    });
                }
            }
        }
        // The other copy's entries, by their number there, then their history rows.
        let their_rows: Vec<(
            &'static str,
            String,
            u32,
            String,
            &crate::model::document::HistoryRecord,
        )> = document
            .history
            .iter()
            .flatten()
            .filter_map(|r| {
                let h = HistoryEntry {
                    id: 0,
                    session: r.session,
                    undoes: None,
                    changed_at: r.changed_at.clone(),
                    item: r.item,
                    step: r.step,
                    field: r.field.clone(),
                    old_value: r.old_value.clone(),
                    new_value: r.new_value.clone(),
                    action: r.action,
                    change_id: r.change_id.clone().unwrap_or_default(),
                    uid: r.uid.clone(),
                };
                if h.item.is_some() || h.step.is_some() || h.change_id.is_empty() {
                    return None;
                }
                entry_row(&h, &their_uid).map(|(c, u, n, f)| (c, u, n, f, r))
            })
            .collect();
        let mut wanted: Vec<(&'static str, u32, String)> = theirs_listed
            .iter()
            .map(|(c, u, n, _)| (*c, *n, u.clone()))
            .chain(their_rows.iter().map(|(c, u, n, _, _)| (*c, *n, u.clone())))
            .collect();
        wanted.sort();
        let mut local: HashMap<(&'static str, String), u32> = HashMap::new();
        for (code, their_number, uid) in wanted {
            let key = (code, uid);
            if local.contains_key(&key) {
                continue;
            }
            let number = match here.get(&key) {
                Some(n) => *n,
                None => {
                    let taken = used.entry(code).or_default();
                    let n = if taken.contains(&their_number) {
                        taken.last().copied().unwrap_or(0) + 1
                    } else {
                        their_number
                    };
                    taken.insert(n);
                    n
                }
            };
            local.insert(key, number);
        }
        // Their numbers as this copy numbers them, for the links between entries (issue 30).
        let mut here_of: HashMap<(&'static str, u32), u32> = HashMap::new();
        for (code, uid, their_number, _) in &theirs_listed {
            here_of.insert((*code, *their_number), local[&(*code, uid.clone())]);
        }
        for (code, uid, their_number, _, _) in &their_rows {
            here_of
                .entry((*code, *their_number))
                .or_insert(local[&(*code, uid.clone())]);
        }
        let relink = |code: &str, json: Option<&String>| -> Option<String> {
            let json = json?;
            Some(if code == "action" {
                json.clone()
            } else {
                relinked(json, &here_of)
            })
        };
        let mut their_wholes = HashMap::new();
        for (code, uid, _, json) in &theirs_listed {
            let n = local[&(*code, uid.clone())];
            let value: Option<serde_json::Value> = serde_json::from_str(json).ok();
            let renumbered = value.and_then(|v| renumbered_json(&v, code, n, uid));
            if let Some(json) = renumbered {
                their_wholes.insert((*code, n), relinked(&json, &here_of));
            }
        }
        let theirs = their_rows
            .into_iter()
            .filter_map(|(code, uid, _, field, r)| {
                let n = local[&(code, uid)];
                Some(Recorded {
                    id: r.change_id.clone()?,
                    key: merge::FieldKey::new(merge::Target::from_code(code, n)?, &field),
                    old: relink(code, r.old_value.as_ref()),
                    new: relink(code, r.new_value.as_ref()),
                    changed_at: r.changed_at.clone(),
                    session: r.session,
                })
            })
            .collect();
        Ok(EntrySides {
            mine,
            theirs,
            my_wholes,
            their_wholes,
            my_actions,
        })
    }

    /// This copy's value of an action's field, as the history writes it.
    fn current(&self, key: &merge::FieldKey) -> Option<String> {
        let number = key.target.number();
        self.my_actions
            .iter()
            .find(|a| a.number == number)
            .and_then(|a| a.history_value(key.field.trim_start_matches("action.")))
    }

    fn wholes(&self, target: &merge::Target) -> merge::Wholes {
        let key = (target.code(), target.number());
        merge::Wholes {
            mine: self.my_wholes.get(&key).cloned(),
            theirs: self.their_wholes.get(&key).cloned(),
        }
    }
}
