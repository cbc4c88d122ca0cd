//! What the views read: the open assessment with everything derived from it
//! (`service::open::OpenAssessment`), and the rest of the app's state a view may look at
//! (`ViewContext`). Views never change either: they return
//! a `Command`, which only `App::apply` carries out.

use super::theme::Theme;
use crate::model::{Assessment, Catalog};
use crate::score::Percent;
pub use crate::service::open::OpenAssessment;
use chrono::NaiveDate;
use std::path::Path;

/// One row of the assessment picker: the assessment, and its figures once they were read (only
/// for the rows near the selection: see `App::read_picker_figures`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerRow {
    pub assessment: Assessment,
    pub figures: Option<RowFigures>,
}

/// The figures of one picker row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowFigures {
    /// Overall readiness and coverage from `score::summarize`; `None` when the questionnaire is
    /// unknown to this build or the answers could not be read.
    pub readiness: Option<Percent>,
    /// The overall rating (not assessed while no clause item is answered).
    pub rating: Option<crate::score::Rating>,
    pub coverage: Option<Percent>,
    /// RFC 3339, UTC: the newest history row, else the creation.
    pub last_change: Option<String>,
}

/// What a view may read besides its own state. Built by the app for each update and frame.
#[derive(Clone, Copy)]
pub struct ViewContext<'a> {
    pub session: Option<&'a OpenAssessment>,
    pub assessments: &'a [PickerRow],
    pub catalog: &'a Catalog,
    pub theme: Theme,
    /// The day overdue steps are judged against (fixed at start, so a frame is a pure function).
    pub today: NaiveDate,
    pub database: &'a Path,
    /// Where the Export screen writes.
    pub export_dir: &'a Path,
}
