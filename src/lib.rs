//! isms-ready: ISO/IEC 27001 certification readiness, assessed in the terminal.
//!
//! The pure core is `model` (questionnaires, answers, levels) and `score` (the one scoring rule);
//! `store` keeps everything in one SQLite file; `export` writes the reports; `service` is what
//! both shells do; `cli`/`commands` and `tui` are thin shells over it. Dependencies run one way:
//! shells -> service -> store / export -> score -> model (see `tests/architecture.rs`).

pub mod cli;
pub mod clock;
pub mod commands;
pub mod export;
pub mod files;
pub mod model;
pub mod paths;
pub mod score;
pub mod service;
pub mod store;
pub mod text;
pub mod tui;
