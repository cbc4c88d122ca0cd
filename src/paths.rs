//! Where files live: the default database, and the folder for the user's own questionnaires.

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "isms-ready")
}

/// The database used when neither `--db` nor `ISMS_READY_DB` names one.
pub fn default_database() -> PathBuf {
    project_dirs()
        .map(|dirs| dirs.data_dir().join("isms-ready.db"))
        .unwrap_or_else(|| PathBuf::from("isms-ready.db"))
}

/// The folder whose `*.json` files are loaded as extra questionnaires.
pub fn user_questionnaire_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join("questionnaires"))
}

/// Reads every `*.json` file of the user's questionnaire folder as (path, text), sorted by name.
/// A file that cannot be read comes back as an error message naming it.
pub fn read_user_questionnaires() -> (Vec<(String, String)>, Vec<String>) {
    let Some(dir) = user_questionnaire_dir() else {
        return (Vec::new(), Vec::new());
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((path.display().to_string(), text)),
            Err(error) => errors.push(format!("{}: cannot read: {error}", path.display())),
        }
    }
    (files, errors)
}

/// The folder the app writes exports to: `ISMS_READY_EXPORT_DIR`, else `isms-ready` in the user's
/// documents folder, else in the home folder.
pub fn export_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ISMS_READY_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let user = directories::UserDirs::new();
    user.as_ref()
        .and_then(|u| u.document_dir().map(|d| d.join("isms-ready")))
        .or_else(|| {
            user.as_ref()
                .map(|u| u.home_dir().join("isms-ready-exports"))
        })
        .unwrap_or_else(|| PathBuf::from("isms-ready-exports"))
}

/// Where crash reports are written: `crash-reports/` in the platform data folder.
pub fn crash_dir() -> PathBuf {
    project_dirs()
        .map(|dirs| dirs.data_dir().join("crash-reports"))
        .unwrap_or_else(|| std::env::temp_dir().join("isms-ready-crash-reports"))
}
