//! Editing and deleting an assessment, for the app and for `isms-ready rename`, `edit` and
//! `delete`. A deletion first writes the assessment's JSON document (with its history) beside
//! the database, so `isms-ready import` can bring it back.

use super::Context;
use crate::export::ExportFormat;
use crate::files;
use crate::model::{Assessment, Catalog};
use crate::store::AssessmentEdit;
use crate::store::{NewAssessment, Store};
use color_eyre::eyre::{Result, bail, eyre};
use std::fs;
use std::path::{Path, PathBuf};

/// Where the backup of a deleted assessment goes: beside the database file, as
/// `isms-ready-deleted-<slug>-<local time>.json` (with `-2`, `-3`... when taken); the slug drops
/// accents, so `Ça Va` gives `ca-va`.
pub fn backup_path(store: &Store, assessment: &Assessment) -> PathBuf {
    let dir = store
        .path()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let stem = format!(
        "isms-ready-deleted-{}-{}",
        files::slug(&crate::model::text::fold(&assessment.name)),
        crate::clock::now().format("%Y%m%d-%H%M%S")
    );
    files::free_path(dir, &stem, "json")
}

/// Writes the backup of `assessment` to `backup` (the document `export --format json --history`
/// writes, owner-only), and only once it is on disk, reads back whole and passes import's checks,
/// deletes the assessment in one transaction. Nothing is deleted when the backup cannot be written
/// or would not import.
pub fn delete_with_backup(
    store: &mut Store,
    catalog: &Catalog,
    assessment: &Assessment,
    backup: &Path,
) -> Result<()> {
    let bytes = super::export::render(store, catalog, assessment, ExportFormat::Json, true)
        .map_err(|error| eyre!("cannot write the backup ({error}); nothing was deleted"))?;
    write_private(backup, &bytes).map_err(|error| {
        eyre!(
            "{}: cannot write the backup ({error}); nothing was deleted",
            backup.display()
        )
    })?;
    // Whatever is written must read back: the backup goes through import's own reading and
    // checks (size limit included) before anything is deleted.
    super::export::read_document(backup, catalog).map_err(|error| {
        eyre!(
            "the backup {} would not import ({error}); it is kept, and nothing was deleted",
            backup.display()
        )
    })?;
    store.delete_assessment(assessment.id)?;
    Ok(())
}

/// Writes a new file readable by its owner only (0600), durably, through the one atomic writer
/// (`files::write_atomically`: never over an existing file nor through a link), then reads it back.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    files::write_atomically(path, bytes, false).map_err(|error| match error {
        // The caller names the path.
        files::WriteError::Io { detail, .. } => std::io::Error::other(detail),
        other => std::io::Error::other(other.to_string()),
    })?;
    if fs::read(path)? != bytes {
        return Err(std::io::Error::other("the file read back differs"));
    }
    Ok(())
}

/// Creates an assessment on a questionnaire this build knows; returns it with the notice of
/// its edition when that edition is no longer used for certification. Without a firm, it takes
/// the firm of the file's newest assessment that names one.
pub fn create(context: &mut Context, new: &NewAssessment) -> Result<(Assessment, Option<String>)> {
    let Some(questionnaire) = context.catalog.get(&new.questionnaire_id) else {
        bail!(
            "unknown questionnaire \"{}\" (known: {})",
            new.questionnaire_id,
            context.catalog.ids().join(", ")
        );
    };
    let mut new = new.clone();
    if new.firm.trim().is_empty() {
        new.firm = context.store.latest_firm()?;
    }
    let assessment = context.store.create_assessment(&new)?;
    Ok((
        assessment,
        questionnaire.superseded.clone().map(|s| s.notice),
    ))
}

/// Changes name, scope, assessor or firm of the assessment named `assessment` (name or id);
/// returns it as saved.
pub fn edit(
    context: &mut Context,
    assessment: &str,
    edit: AssessmentEdit<'_>,
) -> Result<Assessment> {
    if edit.is_empty() {
        bail!("nothing to change: give --name, --scope, --assessor or --firm");
    }
    let assessment = context.resolve(assessment)?;
    edit_by_id(context, assessment.id, edit)
}

/// Changes name, scope, assessor or firm of assessment `id`; returns it as saved.
pub fn edit_by_id(context: &mut Context, id: i64, edit: AssessmentEdit<'_>) -> Result<Assessment> {
    Ok(context.store.edit_assessment(id, edit)?)
}
