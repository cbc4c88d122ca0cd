//! `isms-ready export` and `isms-ready import`.

use super::{Context, resolve_for_write};
use crate::cli::ExportArgs;
use crate::export::ExportFormat;
use crate::service::export::{
    ExportOptions, default_audit_path, default_folder, default_path, import, render_audit,
    render_ciso_assistant, render_with, write_file, write_folder,
};
use crate::text::inline;
use color_eyre::eyre::Result;
use std::path::Path;

pub fn run_export(context: &Context, args: ExportArgs) -> Result<()> {
    let assessment = resolve_for_write(context, args.assessment.as_deref())?;
    let format = ExportFormat::from(args.format);
    if let Some(audit) = &args.audit {
        // Issue 30: the report of one audit.
        let (id, bytes) =
            render_audit(&context.store, &context.catalog, &assessment, audit, format)?;
        let path = args
            .output
            .clone()
            .unwrap_or_else(|| default_audit_path(Path::new("."), &assessment, &id, format));
        return write_export(&path, &bytes, args.force);
    }
    if format.writes_folder() {
        return run_folder_export(context, &assessment, args);
    }
    let options = ExportOptions {
        history: args.history,
        detail: args.detail.into(),
        excel: args.excel,
    };
    let bytes = render_with(
        &context.store,
        &context.catalog,
        &assessment,
        format,
        &options,
    )?;
    let path = args
        .output
        .unwrap_or_else(|| default_path(Path::new("."), &assessment, format));
    write_export(&path, &bytes, args.force)
}

/// Writes an export's bytes to `path` (`-`: standard output) and says where.
fn write_export(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if path.as_os_str() == "-" {
        super::print_document(bytes)?;
        return Ok(());
    }
    write_file(path, bytes, force)?;
    outln!(
        "wrote {} ({} bytes)",
        inline(&path.display().to_string()),
        bytes.len()
    );
    Ok(())
}

/// `export --format ciso-assistant`: a folder of files, never standard output.
fn run_folder_export(
    context: &Context,
    assessment: &crate::model::Assessment,
    args: ExportArgs,
) -> Result<()> {
    if args.output.as_deref() == Some(Path::new("-")) {
        return Err(color_eyre::eyre::eyre!(
            "the ciso-assistant export is a folder of files and cannot go to standard output: give -o DIR"
        ));
    }
    let folder_files = render_ciso_assistant(&context.store, &context.catalog, assessment)?;
    let dir = args
        .output
        .unwrap_or_else(|| default_folder(Path::new("."), assessment));
    let written = write_folder(&dir, &folder_files, args.force)?;
    let names: Vec<&str> = folder_files.iter().map(|f| f.name.as_str()).collect();
    outln!(
        "wrote {}/ ({}; {written} bytes)",
        inline(&dir.display().to_string()),
        names.join(", ")
    );
    Ok(())
}

pub fn run_import(context: &mut Context, file: &Path, name: Option<String>) -> Result<()> {
    let (assessment, document) = import(context, file, name)?;
    outln!(
        "imported \"{}\" as assessment {} ({} answers, {} plan steps)",
        inline(&assessment.name),
        assessment.id,
        document.answers.len(),
        document.plan.len()
    );
    Ok(())
}
