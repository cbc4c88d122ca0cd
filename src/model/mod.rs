//! The pure domain: questionnaires, assessments, answers, levels. No I/O, no terminal.

pub mod action;
pub mod assessment;
pub mod audit;
pub mod catalog;
pub mod count;
pub mod document;
pub mod level;
pub mod mapping;
pub mod merge;
pub mod percent;
pub mod plan;
pub mod questionnaire;
pub mod register_spec;
pub mod registers;
pub mod session;
pub mod soa;
pub mod text;
pub mod verdict;

pub use assessment::{Answer, Answers, Assessment, Change, HistoryEntry, ReasonCode};
pub use catalog::Catalog;
pub use level::Level;
pub use percent::Percent;
pub use questionnaire::{DataFileError, Item, ItemKind, Questionnaire};
