//! `isms-ready export` and `isms-ready import`.

use super::Context;
use super::plan::today;
use crate::cli::{ExportArgs, ExportFormat};
use crate::export::json::AssessmentDocument;
use crate::export::{self, Report};
use crate::files;
use crate::model::plan::PlanTemplate;
use crate::model::{Assessment, Catalog};
use crate::store::Store;
use crate::text::inline;
use color_eyre::eyre::{Result, eyre};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The bytes of one export of one assessment.
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
        let document = AssessmentDocument::build(
            assessment,
            &questionnaire,
            &answers,
            &progress,
            history.as_deref(),
        );
        return Ok(document.to_json().into_bytes());
    }
    let report = Report::build(
        assessment,
        &questionnaire,
        &answers,
        plan,
        &progress,
        today(),
    );
    export::render(&report, format)
        .map_err(|error| eyre!("cannot write the {} export: {error}", format.extension()))
}

/// The file an export goes to when none is named: NAME-DATE.EXT in `dir`.
pub fn default_path(dir: &Path, assessment: &Assessment, format: ExportFormat) -> PathBuf {
    let stem = format!("{}-{}", files::slug(&assessment.name), today());
    dir.join(format!("{stem}.{}", format.extension()))
}

pub fn run_export(context: &Context, args: ExportArgs) -> Result<()> {
    let assessment = context.resolve_for_write(args.assessment.as_deref())?;
    let bytes = render(
        &context.store,
        &context.catalog,
        &assessment,
        args.format,
        args.history,
    )?;
    let path = args
        .output
        .unwrap_or_else(|| default_path(Path::new("."), &assessment, args.format));
    if path.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
        return Ok(());
    }
    files::write_atomically(&path, &bytes, args.force)?;
    println!(
        "wrote {} ({} bytes)",
        inline(&path.display().to_string()),
        bytes.len()
    );
    Ok(())
}

pub fn run_import(context: &mut Context, file: &Path, name: Option<String>) -> Result<()> {
    let source = file.display().to_string();
    let metadata = std::fs::metadata(file).map_err(|e| eyre!("{source}: {e}"))?;
    if metadata.len() > crate::export::json::MAX_DOCUMENT_BYTES as u64 {
        return Err(eyre!(
            "{source}: the file is {} MiB; an assessment document is at most {} MiB. Nothing was imported.",
            metadata.len() / (1024 * 1024),
            crate::export::json::MAX_DOCUMENT_BYTES / (1024 * 1024)
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
    println!(
        "imported \"{}\" as assessment {} ({} answers, {} plan steps)",
        inline(&assessment.name),
        assessment.id,
        document.answers.len(),
        document.plan.len()
    );
    Ok(())
}
