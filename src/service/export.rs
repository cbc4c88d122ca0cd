//! Exports (the bytes of a report in a format, and the file they go to) and imports.

use super::Context;
use crate::clock::today;
use crate::export::audit_report::{AuditReport, AuditSections};
use crate::export::ciso_assistant::{self, FolderFile};
use crate::export::json::AssessmentDocument;
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
    let options = ExportOptions {
        history,
        ..ExportOptions::default()
    };
    render_with(store, catalog, assessment, format, &options)
}

/// What an export may add to its format's defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// JSON: the history of every change.
    pub history: bool,
    /// Reports (HTML, Markdown, DOCX, XLSX): how much they list.
    pub detail: crate::export::report::Detail,
    /// CSV: a UTF-8 byte order mark first, so Excel reads accents right.
    pub excel: bool,
}

/// `render` with every option.
pub fn render_with(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<Vec<u8>> {
    let history = options.history;
    if format.writes_folder() {
        return Err(eyre!(
            "the {} export is a folder of files, not one file: give -o DIR",
            format.extension()
        ));
    }
    if format == ExportFormat::Json {
        return super::document::json(store, catalog, assessment, history);
    }
    let questionnaire = super::document::questionnaire_of(catalog, assessment)?;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let plan = PlanTemplate::builtin();
    let progress = store.plan_progress(assessment.id, plan.steps.len())?;
    let trend = super::workshop::trend(store, assessment, &questionnaire, &answers)?;
    let actions = store.actions(assessment.id)?;
    let registers = store.registers(assessment.id)?;
    let audits = AuditSections::build(&questionnaire, &registers, &actions, today());
    let report = Report::build(
        assessment,
        &questionnaire,
        &answers,
        plan,
        &progress,
        today(),
    )
    .with_actions(&actions, &questionnaire, &answers)
    .with_registers(registers, &questionnaire, &answers)
    .with_audits(audits)
    .with_trend(trend)
    .with_conflicts(super::document::conflict_rows(
        &store.open_conflicts(assessment.id)?,
        &questionnaire,
    ))
    .with_sessions(store.sessions(assessment.id)?)
    .with_detail(options.detail);
    let mut bytes = export::render(&report, format)
        .map_err(|error| eyre!("cannot write the {} export: {error}", format.extension()))?;
    if options.excel && format == ExportFormat::Csv {
        bytes.splice(0..0, crate::export::csv::UTF8_BOM);
    }
    Ok(bytes)
}

/// The report of one audit (`AUD-n`, or its number) of `assessment` in HTML, Markdown or DOCX
/// (issue 30): the audit's id and the bytes.
pub fn render_audit(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    audit: &str,
    format: ExportFormat,
) -> Result<(String, Vec<u8>)> {
    if !matches!(
        format,
        ExportFormat::Html | ExportFormat::Md | ExportFormat::Docx
    ) {
        return Err(eyre!(
            "--audit writes an audit report as html, docx or md, not {} (the {} export already holds every audit)",
            format.extension(),
            format.extension()
        ));
    }
    let questionnaire = super::document::questionnaire_of(catalog, assessment)?;
    let registers = store.registers(assessment.id)?;
    let kind = crate::model::registers::RegisterKind::Audits;
    let wanted = kind.parse_id(audit).map(|number| kind.id(number));
    let Some(found) = registers
        .audits
        .iter()
        .find(|a| Some(&a.id) == wanted.as_ref())
    else {
        let known: Vec<&str> = registers.audits.iter().map(|a| a.id.as_str()).collect();
        return Err(eyre!(
            "no audit {} in \"{}\" ({})",
            crate::text::inline(audit),
            crate::text::inline(&assessment.name),
            if known.is_empty() {
                "it has no audit yet: isms-ready audit add".to_string()
            } else {
                format!("its audits: {}", known.join(", "))
            }
        ));
    };
    let report = AuditReport::build(assessment, &questionnaire, found, &registers, today());
    let bytes = export::render_audit(&report, format)
        .map_err(|error| eyre!("cannot write the audit report: {error}"))?;
    Ok((found.id.clone(), bytes))
}

/// The file an audit report goes to when none is named: NAME-AUD-n-DATE.EXT in `dir`.
pub fn default_audit_path(
    dir: &Path,
    assessment: &Assessment,
    audit: &str,
    format: ExportFormat,
) -> PathBuf {
    let stem = format!(
        "{}-{}-{}",
        files::slug(&assessment.name),
        files::slug(audit),
        today()
    );
    dir.join(format!("{stem}.{}", format.extension()))
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
    write_into_dir_with(
        store,
        catalog,
        assessment,
        format,
        &ExportOptions::default(),
        dir,
    )
}

/// `write_into_dir` with the CLI's options (the Export screen offers full detail, history and
/// CSV for Excel).
pub fn write_into_dir_with(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    format: ExportFormat,
    options: &ExportOptions,
    dir: &Path,
) -> Result<(PathBuf, usize)> {
    if format.writes_folder() {
        return write_folder_into_dir(store, catalog, assessment, dir);
    }
    let bytes = render_with(store, catalog, assessment, format, options)?;
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

/// The files of the CISO Assistant hand-over of `assessment`: refused, before anything is read,
/// for any assessment but an iso27001-2022 one (a 2013 one is told to `migrate` first).
pub fn render_ciso_assistant(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
) -> Result<Vec<FolderFile>> {
    ciso_assistant::check_questionnaire(&assessment.questionnaire_id, &assessment.name)
        .map_err(|refusal| eyre!("{refusal}. Nothing was written."))?;
    let questionnaire = catalog.get(&assessment.questionnaire_id).ok_or_else(|| {
        eyre!(
            "questionnaire \"{}\" is not known to this build",
            assessment.questionnaire_id
        )
    })?;
    let answers = store.answers(assessment.id, questionnaire.items.len())?;
    let plan = PlanTemplate::builtin();
    let progress = store.plan_progress(assessment.id, plan.steps.len())?;
    let report = Report::build(
        assessment,
        &questionnaire,
        &answers,
        plan,
        &progress,
        today(),
    );
    // The actions become applied controls, the risk register risk scenarios.
    let actions = store.actions(assessment.id)?;
    let registers = store.registers(assessment.id)?;
    let mut handover = ciso_assistant::handover(&actions, &registers.risks, &questionnaire);
    // Each audit's findings become a findings assessment of their own (issue 30).
    handover.findings = ciso_assistant::findings_sheets(
        &registers.audits,
        &registers.findings,
        &registers.nonconformities,
        &actions,
    );
    ciso_assistant::files(&report, &questionnaire, &handover)
        .map_err(|error| eyre!("cannot write the ciso-assistant export: {error}"))
}

/// The folder a CISO Assistant hand-over goes to when none is named: NAME-DATE-ciso-assistant.
pub fn default_folder(dir: &Path, assessment: &Assessment) -> PathBuf {
    dir.join(format!(
        "{}-{}-{}",
        files::slug(&assessment.name),
        today(),
        ExportFormat::CisoAssistant.extension()
    ))
}

/// The names a hand-over folder may hold: the ones an export of any content writes (and the
/// CSV sheets earlier versions wrote, so that `--force` removes them).
fn handover_names() -> Vec<String> {
    let mut names = vec![
        ciso_assistant::README_FILE.to_string(),
        ciso_assistant::MATRIX_FILE.to_string(),
    ];
    for stem in [
        ciso_assistant::AUDIT_FILE,
        ciso_assistant::APPLIED_CONTROLS_FILE,
        ciso_assistant::RISKS_FILE,
    ] {
        names.push(format!("{stem}.xlsx"));
        names.push(format!("{stem}.csv"));
    }
    names
}

/// Writes the hand-over files into the folder `dir`, whole or not at all (`files::write_folder_whole`:
/// a temporary folder renamed into place). An existing file of ours in it is kept, and nothing
/// written, unless `force`; with `force`, files of an earlier hand-over that this one does not
/// write (a sheet that has no rows now) are removed, so the folder never mixes two exports. A
/// link, or anything but a folder, at `dir`, and a link or anything but a regular file at any of
/// the files, is refused before anything is written. Returns the bytes written.
pub fn write_folder(dir: &Path, folder_files: &[FolderFile], force: bool) -> Result<usize> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(eyre!(
                "{}: is a symbolic link; an export never writes through one. Nothing was written.",
                dir.display()
            ));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(eyre!(
                "{}: is not a folder; the ciso-assistant export writes a folder of files. Nothing was written.",
                dir.display()
            ));
        }
        Ok(_) if !force => {
            if let Some(name) = handover_names()
                .into_iter()
                .chain(findings_files_in(dir))
                .find(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
            {
                return Err(eyre!(
                    "{}: already exists; use --force to replace the hand-over in {}. Nothing was written.",
                    dir.join(name).display(),
                    dir.display()
                ));
            }
        }
        Ok(_) => {}
        Err(_) => {
            // The folders above it, owner-only like the folder itself.
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty())
                && std::fs::symlink_metadata(parent).is_err()
            {
                create_private_dir(parent)?;
            }
        }
    }
    let mut names = handover_names();
    names.extend(findings_files_in(dir));
    let stale: Vec<&str> = if force {
        names
            .iter()
            .map(String::as_str)
            .filter(|name| !folder_files.iter().any(|file| file.name == *name))
            .collect()
    } else {
        Vec::new()
    };
    let pairs: Vec<(&str, &[u8])> = folder_files
        .iter()
        .map(|file| (file.name.as_str(), file.bytes.as_slice()))
        .collect();
    files::write_folder_whole(dir, &pairs, &stale)?;
    Ok(folder_files.iter().map(|file| file.bytes.len()).sum())
}

/// The findings sheets (`findings-….xlsx`) an earlier hand-over left in `dir`: their names
/// depend on the audits, so they are found in the folder rather than listed.
fn findings_files_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| ciso_assistant::is_findings_file(name))
        .collect();
    names.sort();
    names
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| eyre!("{}: {e}. Nothing was written.", dir.display()))
}

/// The app's CISO Assistant hand-over: a new folder NAME-DATE-ciso-assistant in `dir` (`-2`,
/// `-3`... when taken). Returns the folder and the bytes written.
pub fn write_folder_into_dir(
    store: &Store,
    catalog: &Catalog,
    assessment: &Assessment,
    dir: &Path,
) -> Result<(PathBuf, usize)> {
    let folder_files = render_ciso_assistant(store, catalog, assessment)?;
    std::fs::create_dir_all(dir).map_err(|e| eyre!("{}: {e}", dir.display()))?;
    let first = default_folder(dir, assessment);
    let free = |p: &PathBuf| std::fs::symlink_metadata(p).is_err();
    let folder = if free(&first) {
        first
    } else {
        let base = first.display().to_string();
        (2..)
            .map(|n| PathBuf::from(format!("{base}-{n}")))
            .find(free)
            .expect("some number is free")
    };
    let written = write_folder(&folder, &folder_files, false)?;
    Ok((folder, written))
}

/// Reads and checks the assessment document in `file`, as import reads it: a file over the limit
/// is refused before it is read, and never more than the limit is read (a file growing meanwhile
/// cannot fill the memory). `delete` reads its backup back through this before it deletes.
pub fn read_document(file: &Path, catalog: &Catalog) -> Result<AssessmentDocument> {
    match super::document::read_input(file)? {
        super::document::Input::Bytes(bytes) => parse_document(file, bytes, catalog),
        super::document::Input::Database => Err(not_a_document(file)),
    }
}

fn not_a_document(file: &Path) -> color_eyre::Report {
    eyre!(
        "{}: an isms-ready database, not an exported document; open it with --db, or bring its assessment in with `isms-ready merge`",
        file.display()
    )
}

fn parse_document(file: &Path, bytes: Vec<u8>, catalog: &Catalog) -> Result<AssessmentDocument> {
    let source = file.display().to_string();
    let text = super::document::as_text(file, bytes)?;
    AssessmentDocument::parse(&source, &text, catalog, PlanTemplate::builtin())
        .map_err(|error| eyre!("{error}"))
}

/// Reads the assessment document in `file` and creates it as a new assessment, named `name` or
/// else as in the file; all of it or nothing. Returns the assessment and the document read.
pub fn import(
    context: &mut Context,
    file: &Path,
    name: Option<String>,
) -> Result<(Assessment, AssessmentDocument)> {
    let source = file.display().to_string();
    // The reader merge uses (issue 22): a regular file only, read up to the size limit.
    let bytes = match super::document::read_input(file)
        .map_err(|error| eyre!("{error}. Nothing was imported."))?
    {
        super::document::Input::Bytes(bytes) => bytes,
        super::document::Input::Database => {
            return Err(eyre!("{}. Nothing was imported.", not_a_document(file)));
        }
    };
    if crate::export::ciso_audit::looks_like_export(&bytes) {
        return import_ciso_audit(context, file, &bytes, name);
    }
    let document = parse_document(file, bytes, &context.catalog)
        .map_err(|error| eyre!("{error}. Nothing was imported."))?;
    let name = name.unwrap_or_else(|| document.assessment.name.clone());
    let assessment = context
        .store
        .import_document(&document, &name)
        .map_err(|error| eyre!("{source}: {error}. Nothing was imported."))?;
    Ok((assessment, document))
}

/// `import` of an audit exported from CISO Assistant (XLSX or CSV): a new assessment whose
/// answers come from its results, scores and observations by `ciso_audit::BACK_RULE`, named
/// `name` or else after the file (CISO Assistant names it after the audit).
fn import_ciso_audit(
    context: &mut Context,
    file: &Path,
    bytes: &[u8],
    name: Option<String>,
) -> Result<(Assessment, AssessmentDocument)> {
    use crate::export::ciso_audit;
    let source = file.display().to_string();
    let refuse = |error: String| eyre!("{source}: {error}. Nothing was imported.");
    let rows = ciso_audit::read_rows(bytes).map_err(refuse)?;
    let name = name.unwrap_or_else(|| {
        file.file_stem()
            .map(|stem| stem.to_string_lossy().trim().to_string())
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| "CISO Assistant audit".into())
    });
    let (document, _) = ciso_audit::document(&rows, &context.catalog, &name, &crate::store::now())
        .map_err(refuse)?;
    let assessment = context
        .store
        .import_document(&document, &name)
        .map_err(|error| eyre!("{source}: {error}. Nothing was imported."))?;
    Ok((assessment, document))
}
