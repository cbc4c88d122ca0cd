//! What export, import and merge share, below all three (issue 26: `service::export` and
//! `service::merge` used each other): reading a file given to `import`, `merge` or a deletion's
//! read-back (`read_input`), the assessment's JSON document as `export --format json` writes it
//! (`json`), the order of the merged ids, and the waiting merge conflicts as the reports list them.

use crate::export::json;
use crate::model::merge;
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, Catalog, Questionnaire};
use crate::store::{Store, StoredConflict};
use color_eyre::eyre::{Result, eyre};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The questionnaire of `assessment`, or the error an export gives when this build lacks it.
pub fn questionnaire_of(catalog: &Catalog, assessment: &Assessment) -> Result<Arc<Questionnaire>> {
    catalog.get(&assessment.questionnaire_id).ok_or_else(|| {
        eyre!(
            "questionnaire \"{}\" is not known to this build",
            assessment.questionnaire_id
        )
    })
}

/// The bytes of the assessment's JSON document, as `export --format json` writes it; `history`
/// adds every change (what merge and a deletion's backup need).
pub fn json(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    history: bool,
) -> Result<Vec<u8>> {
    let questionnaire = questionnaire_of(catalog, assessment)?;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let progress = store.plan_progress(assessment.id, PlanTemplate::builtin().steps.len())?;
    let history = if history {
        Some(store.history(assessment.id)?)
    } else {
        None
    };
    let actions = store.actions(assessment.id)?;
    let document = json::document_with_actions(
        assessment,
        &questionnaire,
        &answers,
        &progress,
        history.as_deref(),
        &actions,
    )
    .with_registers(&store.registers(assessment.id)?)
    .with_sessions(store.sessions(assessment.id)?)
    .with_identity(
        store.assessment_uid(assessment.id)?,
        sorted(store.merged_ids(assessment.id)?),
    );
    Ok(document.to_json().into_bytes())
}

/// The first bytes of a SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// What `read_input` found in a file: a database (not read: SQLite reads it) or a document's
/// bytes (JSON text, or a CISO Assistant audit export for `import`).
pub enum Input {
    Database,
    Bytes(Vec<u8>),
}

/// A document's bytes as text, or the error naming `file`.
pub fn as_text(file: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| eyre!("{}: not UTF-8 text", file.display()))
}

/// Reads a file given to `merge` or `import` (issue 22): only a regular file is opened (a FIFO,
/// a device, a folder or a link to one is refused before it is opened, so nothing blocks or reads
/// without end), a SQLite database is recognised by its first bytes and left to SQLite, and a
/// document is read up to its size limit and no further. Errors name `file` as the user gave it.
pub fn read_input(file: &Path) -> Result<Input> {
    use std::io::Read;
    let source = file.display().to_string();
    let not_regular = || {
        eyre!(
            "{source}: not a regular file (a pipe, a device or a folder); give an export written by `isms-ready export --format json --history` or an isms-ready database file"
        )
    };
    let metadata = std::fs::metadata(file).map_err(|e| eyre!("{source}: {e}"))?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Never wait on a file swapped for a pipe after the check above.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let opened = options.open(file).map_err(|e| eyre!("{source}: {e}"))?;
    if !opened
        .metadata()
        .map_err(|e| eyre!("{source}: {e}"))?
        .is_file()
    {
        return Err(not_regular());
    }
    let limit = crate::model::document::max_document_bytes() as u64;
    let mut bytes = Vec::new();
    let read = |most: u64, bytes: &mut Vec<u8>| {
        (&opened)
            .take(most)
            .read_to_end(bytes)
            .map_err(|e| eyre!("{source}: {e}"))
    };
    // The first bytes tell a database (left to SQLite, whatever its size) from a document.
    read(SQLITE_HEADER.len() as u64, &mut bytes)?;
    if bytes.starts_with(SQLITE_HEADER) {
        return Ok(Input::Database);
    }
    read(limit + 1 - bytes.len() as u64, &mut bytes)?;
    let limit = limit as usize;
    if bytes.len() > limit {
        return Err(eyre!(
            "{source}: the file is larger than an assessment document may be (at most {} MiB)",
            limit / (1024 * 1024)
        ));
    }
    Ok(Input::Bytes(bytes))
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
                _ => c.key.target.label(),
            },
            field: c.key.field.clone(),
            mine: text(&c.mine),
            theirs: text(&c.theirs),
            source: c.source.clone(),
        })
        .collect()
}
