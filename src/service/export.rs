//! Exports (the bytes of a report in a format, and the file they go to) and imports.

use super::{Context, today};
use crate::export::json::{self, AssessmentDocument, MAX_DOCUMENT_BYTES};
use crate::export::{self, ExportFormat, Report};
use crate::files;
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, Catalog};
use crate::store::Store;
use color_eyre::eyre::{Result, eyre};
use std::path::{Path, PathBuf};

/// The bytes of one export of one assessment; `history` adds the history to the JSON document.
pub fn render(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    format: ExportFormat,
    history: bool,
) -> Result<Vec<u8>> {
    let questionnaire = catalog.get(&assessment.questionnaire_id).ok_or_else(|| {
        eyre!(
            "questionnaire \"{}\" is not known to this build",
            assessment.questionnaire_id
        )
    })?;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let plan = PlanTemplate::builtin();
    let progress = store.plan_progress(assessment.id, plan.steps.len())?;
    if format == ExportFormat::Json {
        let history = if history {
            Some(store.history(assessment.id)?)
        } else {
            None
        };
        let document = json::document(
            assessment,
            &questionnaire,
            &answers,
            &progress,
            history.as_deref(),
        )
        .with_sessions(store.sessions(assessment.id)?);
        return Ok(document.to_json().into_bytes());
    }
    let trend = super::workshop::trend(store, assessment, &questionnaire, &answers)?;
    let report = Report::build(
        assessment,
        &questionnaire,
        &answers,
        plan,
        &progress,
        today(),
    )
    .with_trend(trend);
    export::render(&report, format)
        .map_err(|error| eyre!("cannot write the {} export: {error}", format.extension()))
}

/// The file an export goes to when none is named: NAME-DATE.EXT in `dir`.
pub fn default_path(dir: &Path, assessment: &Assessment, format: ExportFormat) -> PathBuf {
    let stem = format!("{}-{}", files::slug(&assessment.name), today());
    dir.join(format!("{stem}.{}", format.extension()))
}

/// Writes `bytes` to `path` atomically; an existing file is replaced only with `force`.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    files::write_atomically(path, bytes, force)?;
    Ok(())
}

/// The app's export: writes the export of `assessment` into `dir` (created if need be) under
/// its default name, or `-2`, `-3`... when taken; never replaces a file. Returns the path written
/// and its size in bytes.
pub fn write_into_dir(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    format: ExportFormat,
    dir: &Path,
) -> Result<(PathBuf, usize)> {
    let bytes = render(store, catalog, assessment, format, false)?;
    std::fs::create_dir_all(dir).map_err(|e| eyre!("{}: {e}", dir.display()))?;
    let default = default_path(dir, assessment, format);
    let stem = default
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = files::free_path(dir, &stem, format.extension());
    files::write_atomically(&path, &bytes, false)?;
    Ok((path, bytes.len()))
}

/// Reads the assessment document in `file` and creates it as a new assessment, named `name` or
/// else as in the file; all of it or nothing. Returns the assessment and the document read.
pub fn import(
    context: &mut Context,
    file: &Path,
    name: Option<String>,
) -> Result<(Assessment, AssessmentDocument)> {
    let source = file.display().to_string();
    let metadata = std::fs::metadata(file).map_err(|e| eyre!("{source}: {e}"))?;
    if metadata.len() > MAX_DOCUMENT_BYTES as u64 {
        return Err(eyre!(
            "{source}: the file is {} MiB; an assessment document is at most {} MiB. Nothing was imported.",
            metadata.len() / (1024 * 1024),
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| eyre!("{source}: {e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| eyre!("{source}: not UTF-8 text. Nothing was imported."))?;
    let document =
        AssessmentDocument::parse(&source, &text, &context.catalog, PlanTemplate::builtin())
            .map_err(|error| eyre!("{error}. Nothing was imported."))?;
    let name = name.unwrap_or_else(|| document.assessment.name.clone());
    let assessment = context
        .store
        .import_document(&document, &name)
        .map_err(|error| eyre!("{source}: {error}. Nothing was imported."))?;
    Ok((assessment, document))
}
