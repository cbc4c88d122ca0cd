//! One module per screen; popups (help, note editor, search, new assessment) in `popups`.

pub mod dashboard;
pub mod export;
pub mod picker;
pub mod plan;
pub mod popups;
pub mod questionnaire;
pub mod soa;
