//! Pure writers of reports and exports. No I/O here: callers write the bytes.
//!
//! Every format is written from one `Report` value (or, for JSON, from the assessment document
//! that `import` reads back), so the figures are those of the app and of `summary`.

pub mod csv;
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
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Html,
        ExportFormat::Md,
        ExportFormat::Xlsx,
        ExportFormat::Csv,
        ExportFormat::Json,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ExportFormat::Html => "HTML report: one self-contained file for screen and A4 print",
            ExportFormat::Md => "Markdown: the same report as tables, for a wiki or repository",
            ExportFormat::Xlsx => "Excel workbook: Summary, Clauses, SoA and Plan sheets",
            ExportFormat::Csv => "CSV: one row per item with every answer field",
            ExportFormat::Json => "JSON: the whole assessment, to import elsewhere",
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
        ExportFormat::Json => Err("JSON is written from the assessment document".into()),
    }
}
