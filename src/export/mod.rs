//! Pure writers of reports and exports. No I/O here: callers write the bytes.
//!
//! Every format is written from one `Report` value (or, for JSON, from the assessment document
//! that `import` reads back), so the figures are those of the app and of `summary`.

pub mod audit_report;
pub mod ciso_assistant;
pub mod ciso_audit;
pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod report;
pub mod session;
pub mod xlsx;

pub use report::Report;

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Md,
    Html,
    Json,
    Csv,
    Xlsx,
    /// An editable Word document of the report.
    Docx,
    /// A folder of sheets CISO Assistant imports (audit, applied controls, risks) and a README.
    CisoAssistant,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Html,
        ExportFormat::Md,
        ExportFormat::Docx,
        ExportFormat::Xlsx,
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::CisoAssistant,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Docx => "docx",
            ExportFormat::CisoAssistant => "ciso-assistant",
        }
    }

    /// Whether the format is a folder of files rather than one file.
    pub fn writes_folder(self) -> bool {
        self == ExportFormat::CisoAssistant
    }

    /// The name shown on the Export screen (the extension, or the folder's suffix).
    pub fn short_name(self) -> &'static str {
        match self {
            ExportFormat::CisoAssistant => "ciso",
            other => other.extension(),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ExportFormat::Html => "HTML report: one self-contained file for screen and A4 print",
            ExportFormat::Md => "Markdown: the same report as tables, for a wiki or repository",
            ExportFormat::Xlsx => "Excel workbook: Summary, Clauses, SoA, Plan and Actions sheets",
            ExportFormat::Csv => "CSV: one row per item with every answer field",
            ExportFormat::Docx => "Word document: the report to edit before sending it",
            ExportFormat::Json => "JSON: the whole assessment, to import elsewhere",
            ExportFormat::CisoAssistant => {
                "CISO Assistant: audit, actions, risks as XLSX, in a folder"
            }
        }
    }
}

/// The bytes of a report in one of the report formats (JSON is the assessment document instead).
pub fn render(report: &Report, format: ExportFormat) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Csv => Ok(csv::items(report).into_bytes()),
        ExportFormat::Md => Ok(markdown::write(report).into_bytes()),
        ExportFormat::Html => Ok(html::write(report).into_bytes()),
        ExportFormat::Xlsx => xlsx::write(report).map_err(|error| error.to_string()),
        ExportFormat::Docx => docx::write(report),
        ExportFormat::Json => Err("JSON is written from the assessment document".into()),
        ExportFormat::CisoAssistant => {
            Err("the ciso-assistant export is a folder of files: see ciso_assistant::files".into())
        }
    }
}

/// The bytes of an audit report (issue 30) in HTML, Markdown or DOCX, the formats a report of one
/// audit is read in.
pub fn render_audit(
    report: &audit_report::AuditReport,
    format: ExportFormat,
) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Html => Ok(html::audit::write(report).into_bytes()),
        ExportFormat::Md => Ok(markdown::audit::write(report).into_bytes()),
        ExportFormat::Docx => docx::audit::write(report),
        other => Err(format!(
            "an audit report is written as html, docx or md, not {}",
            other.extension()
        )),
    }
}
