//! The questionnaires a run of the program knows: the shipped ones plus the user's own files.

use super::questionnaire::{DataFileError, Place, Questionnaire};
use std::sync::{Arc, OnceLock};

/// The questionnaire files embedded in the binary, as (file name, text).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "questionnaires/iso27001-2022.json",
        include_str!("../../questionnaires/iso27001-2022.json"),
    ),
    (
        "questionnaires/iso27001-2013.json",
        include_str!("../../questionnaires/iso27001-2013.json"),
    ),
];

/// The id new assessments use when none is given: the edition certification audits use today.
pub const DEFAULT_QUESTIONNAIRE: &str = "iso27001-2022";

#[derive(Debug, Clone)]
pub struct Catalog {
    questionnaires: Vec<Arc<Questionnaire>>,
}

impl Catalog {
    /// The shipped questionnaires, parsed once per process.
    pub fn builtin() -> Catalog {
        static BUILTIN: OnceLock<Vec<Arc<Questionnaire>>> = OnceLock::new();
        let questionnaires = BUILTIN.get_or_init(|| {
            BUILTIN_FILES
                .iter()
                .map(|(name, text)| {
                    let questionnaire =
                        Questionnaire::from_json(name, text).unwrap_or_else(|error| {
                            panic!("shipped questionnaire is invalid: {error}")
                        });
                    Arc::new(questionnaire)
                })
                .collect()
        });
        Catalog {
            questionnaires: questionnaires.clone(),
        }
    }

    /// The shipped questionnaires plus user files given as (path, text). A broken user file is left
    /// out and reported; the shipped questionnaires always stay available.
    pub fn with_user_files(files: Vec<(String, String)>) -> (Catalog, Vec<DataFileError>) {
        let mut catalog = Catalog::builtin();
        let mut errors = Vec::new();
        for (path, text) in files {
            match Questionnaire::from_json(&path, &text) {
                Ok(questionnaire) => {
                    if catalog.get(&questionnaire.id).is_some() {
                        errors.push(DataFileError {
                            file: path,
                            place: Place::Path("id".into()),
                            rule: format!(
                                "id \"{}\" is already used by another questionnaire; choose another id",
                                questionnaire.id
                            ),
                        });
                    } else {
                        catalog.questionnaires.push(Arc::new(questionnaire));
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        (catalog, errors)
    }

    pub fn get(&self, id: &str) -> Option<Arc<Questionnaire>> {
        self.questionnaires.iter().find(|q| q.id == id).cloned()
    }

    pub fn all(&self) -> &[Arc<Questionnaire>] {
        &self.questionnaires
    }

    pub fn ids(&self) -> Vec<&str> {
        self.questionnaires.iter().map(|q| q.id.as_str()).collect()
    }
}
