//! `isms-ready export` and `isms-ready import`.

use super::{Context, resolve_for_write};
use crate::cli::ExportArgs;
use crate::export::ExportFormat;
use crate::service::export::{default_path, import, render, write_file};
use crate::text::inline;
use color_eyre::eyre::Result;
use std::io::Write;
use std::path::Path;

pub fn run_export(context: &Context, args: ExportArgs) -> Result<()> {
    let assessment = resolve_for_write(context, args.assessment.as_deref())?;
    let format = ExportFormat::from(args.format);
    let bytes = render(
        &context.store,
        &context.catalog,
        &assessment,
        format,
        args.history,
    )?;
    let path = args
        .output
        .unwrap_or_else(|| default_path(Path::new("."), &assessment, format));
    if path.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
        return Ok(());
    }
    write_file(&path, &bytes, args.force)?;
    println!(
        "wrote {} ({} bytes)",
        inline(&path.display().to_string()),
        bytes.len()
    );
    Ok(())
}

pub fn run_import(context: &mut Context, file: &Path, name: Option<String>) -> Result<()> {
    let (assessment, document) = import(context, file, name)?;
    println!(
        "imported \"{}\" as assessment {} ({} answers, {} plan steps)",
        inline(&assessment.name),
        assessment.id,
        document.answers.len(),
        document.plan.len()
    );
    Ok(())
}
