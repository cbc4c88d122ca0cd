//! isms-ready: ISO/IEC 27001 certification readiness, assessed in the terminal.
//!
//! The pure core is `model` (questionnaires, answers, levels) and `score` (the one scoring rule);
//! `store` keeps everything in one SQLite file; `cli`/`commands` and `tui` are thin shells.

pub mod cli;
pub mod commands;
pub mod export;
pub mod files;
pub mod model;
pub mod paths;
pub mod score;
pub mod store;
pub mod text;
pub mod tui;
