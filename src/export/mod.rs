//! Pure writers of reports and exports. No I/O here: callers write the bytes.
//!
//! Every format is written from one `Report` value (or, for JSON, from the assessment document
//! that `import` reads back), so the figures are those of the app and of `summary`.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod report;
pub mod xlsx;

pub use report::Report;
