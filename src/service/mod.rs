//! The service layer: what both shells do, written once. The CLI (`commands`) parses arguments,
//! calls these functions and prints; the TUI calls them from its key handlers. Neither shell calls
//! the other. Dependencies run one way: shells -> service -> store / export -> score -> model.
//!
//! - `Context`: the store, the questionnaires and the warnings of one run; resolving assessments.
//! - `change`: a validated change to an answer or to a plan step.
//! - `export`: the bytes of an export, its default file name, writing it; importing a document.
//! - `migrate`: carrying an assessment over to the newer edition.
//! - `assessment`: editing an assessment; deleting it after a backup.
//! - `merge`: merging another copy of an assessment, its conflicts, and a group's part (split).
//! - `open`: the open assessment (`OpenAssessment`) and every read and write the TUI makes.
//! - `registers`: the context, interested parties, risk and objectives registers.

pub mod action;
pub mod assessment;
pub mod change;
pub mod document;
pub mod export;
pub mod merge;
pub mod migrate;
pub mod open;
pub mod registers;
pub mod undo;
pub mod workshop;

use crate::model::{Assessment, Catalog, Questionnaire};
use crate::score::{self, Summary};
use crate::store::Store;
/// How a shell opens the file: to write, or only an existing one to read (the CLI's choice).
pub use crate::store::{Access, AssessmentEdit};
use color_eyre::eyre::{Result, eyre};
use std::path::PathBuf;
use std::sync::Arc;

/// What every command needs: the database and the questionnaires.
pub struct Context {
    pub store: Store,
    pub catalog: Catalog,
    /// Problems with the user's own data files, one line each; the program works on without them.
    pub warnings: Vec<String>,
}

/// The shipped questionnaires and the user's own, with a warning line per file skipped.
pub fn load_catalog() -> (Catalog, Vec<String>) {
    let (files, mut warnings) = crate::paths::read_user_questionnaires();
    let (catalog, errors) = Catalog::with_user_files(files);
    warnings.extend(errors.iter().map(|error| format!("skipped {error}")));
    (catalog, warnings)
}

impl Context {
    /// A context over an open store and a catalog, with no warnings (tests, embedding).
    pub fn with(store: Store, catalog: Catalog) -> Context {
        Context {
            store,
            catalog,
            warnings: Vec::new(),
        }
    }

    /// Opens the database for writing: a missing file is created (the app and write commands).
    pub fn open(db: Option<PathBuf>) -> Result<Context> {
        Context::open_for(db, Access::Write)
    }

    /// Opens the database for `access`; read-only commands use `Access::Existing`, so a
    /// mistyped path says "no database at PATH" instead of creating one.
    pub fn open_for(db: Option<PathBuf>, access: Access) -> Result<Context> {
        let path = db.unwrap_or_else(crate::paths::default_database);
        let store = Store::open_for(&path, access).map_err(|e| eyre!(e))?;
        let (catalog, warnings) = load_catalog();
        Ok(Context {
            store,
            catalog,
            warnings,
        })
    }

    pub fn questionnaire_of(&self, assessment: &Assessment) -> Result<Arc<Questionnaire>> {
        self.catalog.get(&assessment.questionnaire_id).ok_or_else(|| {
            eyre!(
                "assessment \"{}\" uses questionnaire \"{}\", which this build does not know (known: {})",
                assessment.name,
                assessment.questionnaire_id,
                self.catalog.ids().join(", ")
            )
        })
    }

    pub fn resolve(&self, name_or_id: &str) -> Result<Assessment> {
        self.store
            .find_assessment(name_or_id)?
            .ok_or_else(|| eyre!("no assessment named \"{name_or_id}\" (see `isms-ready list`)"))
    }

    /// The named assessment, or else the one opened last in the app (or the only one).
    pub fn resolve_or_last(&self, name_or_id: Option<&str>) -> Result<Assessment> {
        match name_or_id {
            Some(name) => self.resolve(name),
            None => self.store.assessments()?.into_iter().next().ok_or_else(|| {
                eyre!("the database has no assessment yet; create one with `isms-ready new --name NAME`")
            }),
        }
    }

    /// Like `resolve_or_last`; the flag tells whether it chose for the user among several
    /// assessments (a shell that writes then says which one it took).
    pub fn resolve_for_write(&self, name_or_id: Option<&str>) -> Result<(Assessment, bool)> {
        let assessment = self.resolve_or_last(name_or_id)?;
        let chosen = name_or_id.is_none() && self.store.assessments()?.len() > 1;
        Ok((assessment, chosen))
    }

    pub fn answers_of(
        &self,
        assessment: &Assessment,
    ) -> Result<(Arc<Questionnaire>, crate::model::Answers)> {
        let questionnaire = self.questionnaire_of(assessment)?;
        let answers = self
            .store
            .answers(assessment.id, questionnaire.items.len())?;
        Ok((questionnaire, answers))
    }

    pub fn summary_of(&self, assessment: &Assessment) -> Result<Summary> {
        let (questionnaire, answers) = self.answers_of(assessment)?;
        Ok(score::summarize(assessment, &questionnaire, &answers))
    }
}
