//! The SQLite file: opening it safely, its schema, and every query. No terminal, no printing.
//!
//! A file is only ever written once we know it is ours (or new): anything else is refused with a
//! message naming the file and what to do, and left byte-for-byte untouched.

mod answers;
mod assessments;
mod import;
mod plan;
pub mod schema;

pub use answers::HistoryEntry;
pub use assessments::{NewAssessment, now};

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{}: not an isms-ready database (not a SQLite file). Nothing was changed; choose another file with --db.",
        .0.display()
    )]
    NotSqlite(PathBuf),
    #[error(
        "{}: a SQLite database of another program, not of isms-ready. Nothing was changed; choose another file with --db.",
        .0.display()
    )]
    Foreign(PathBuf),
    #[error(
        "{}: written by a newer isms-ready (schema {found}, this build reads up to {supported}). Nothing was changed; upgrade isms-ready to open it.",
        .path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}: the database is damaged ({detail}). Nothing was changed; restore a backup or choose another file with --db.", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: cannot write ({detail}). Check the permissions of the file and its folder.", .path.display())]
    ReadOnly { path: PathBuf, detail: String },
    #[error("{}: the disk is full; the last change was not saved. Free some space and try again.", .path.display())]
    DiskFull { path: PathBuf },
    #[error("{}: the file is busy in another isms-ready or program; the last change was not saved. Try again in a moment.", .path.display())]
    Busy { path: PathBuf },
    #[error("{}: {detail}", .path.display())]
    Io { path: PathBuf, detail: String },
    #[error("{}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An open isms-ready database.
pub struct Store {
    connection: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates, with owner-only permissions) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let path = path.to_path_buf();
        let io = |detail: std::io::Error| StoreError::Io {
            path: path.clone(),
            detail: detail.to_string(),
        };
        match fs::metadata(&path) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(StoreError::Io {
                    path,
                    detail: "is a folder, not a database file".into(),
                });
            }
            Ok(metadata) => {
                if metadata.len() > 0 {
                    check_existing_file(&path)?;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                create_private_file(&path).map_err(io)?;
            }
            Err(error) => return Err(io(error)),
        }
        let connection = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        Store::prepare(connection, path)
    }

    /// A throw-away database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> StoreResult<Store> {
        let path = PathBuf::from(":memory:");
        let connection = Connection::open_in_memory().map_err(|e| classify(&path, e))?;
        Store::prepare(connection, path)
    }

    fn prepare(mut connection: Connection, path: PathBuf) -> StoreResult<Store> {
        let fail = |e| classify(&path, e);
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        // WAL keeps readers and one writer apart; synchronous=FULL makes every commit survive a power
        // cut, not only a crash of the process.
        connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .map_err(fail)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        // A test hook: cap the file's size so a test can see what a full disk does.
        if let Some(pages) = std::env::var("ISMS_READY_TEST_MAX_PAGES")
            .ok()
            .and_then(|p| p.parse::<i64>().ok())
        {
            connection
                .pragma_update(None, "max_page_count", pages)
                .map_err(fail)?;
        }
        schema::migrations()
            .to_latest(&mut connection)
            .map_err(|error| match error {
                rusqlite_migration::Error::RusqliteError { err, .. } => classify(&path, err),
                // Only possible when the header was stale (a WAL not yet checkpointed).
                rusqlite_migration::Error::MigrationDefinition(
                    rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
                ) => StoreError::TooNew {
                    path: path.clone(),
                    found: connection
                        .pragma_query_value(None, "user_version", |row| row.get(0))
                        .unwrap_or(0),
                    supported: schema::latest_version(),
                },
                other => StoreError::Invalid(format!("{}: {other}", path.display())),
            })?;
        Ok(Store { connection, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(crate) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    pub(crate) fn fail(&self, error: rusqlite::Error) -> StoreError {
        classify(&self.path, error)
    }

    /// Makes one change to one row the way every edit is made: in one `IMMEDIATE` transaction, read
    /// the row (its default when absent), apply the change, and only when the value moved, write it
    /// and its history row (`write` gets old, new and the time). Returns the value as saved.
    pub(crate) fn change_row<T: Clone + PartialEq + Default>(
        &mut self,
        read: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<Option<T>>,
        apply: impl FnOnce(&mut T),
        write: impl FnOnce(&rusqlite::Transaction<'_>, &T, &T, &str) -> rusqlite::Result<()>,
    ) -> StoreResult<T> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let transaction = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let old = read(&transaction).map_err(fail)?.unwrap_or_default();
        let mut new = old.clone();
        apply(&mut new);
        if new == old {
            return Ok(new);
        }
        write(&transaction, &old, &new, &assessments::now()).map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(new)
    }

    /// A number that changes whenever another connection (another isms-ready) commits to the file.
    pub fn data_version(&self) -> StoreResult<i64> {
        self.connection
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(|e| self.fail(e))
    }

    /// SQLite's own consistency check: "ok" when the file is sound.
    pub fn integrity_check(&self) -> StoreResult<String> {
        self.connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|e| self.fail(e))
    }

    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        use rusqlite::OptionalExtension;
        self.connection
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.fail(e))
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.connection
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }
}

/// Decides, without writing anything, whether an existing non-empty file may be opened.
fn check_existing_file(path: &Path) -> StoreResult<()> {
    let mut header = [0u8; 100];
    let read = fs::File::open(path)
        .and_then(|mut file| {
            let mut total = 0;
            loop {
                let n = file.read(&mut header[total..])?;
                if n == 0 || total + n == header.len() {
                    return Ok(total + n);
                }
                total += n;
            }
        })
        .map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    if read < header.len() || &header[..16] != SQLITE_HEADER {
        return Err(StoreError::NotSqlite(path.to_path_buf()));
    }
    // The header holds the application id (offset 68) and schema version (offset 60). When it
    // already names us at a version we read, no second connection is needed to be sure.
    let header_number =
        |at: usize| i64::from(i32::from_be_bytes(header[at..at + 4].try_into().unwrap()));
    let header_version = header_number(60);
    if header_number(68) == i64::from(schema::APPLICATION_ID)
        && header_version <= schema::latest_version()
    {
        return Ok(());
    }
    if header_number(68) == i64::from(schema::APPLICATION_ID) {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: header_version,
            supported: schema::latest_version(),
        });
    }
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    let read_pragma = |name: &str| -> StoreResult<i64> {
        connection
            .pragma_query_value(None, name, |row| row.get(0))
            .map_err(|e| classify(path, e))
    };
    let application_id = read_pragma("application_id")?;
    let user_version = read_pragma("user_version")?;
    let objects: i64 = connection
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(|e| classify(path, e))?;
    if application_id == i64::from(schema::APPLICATION_ID) {
        if user_version > schema::latest_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: user_version,
                supported: schema::latest_version(),
            });
        }
        Ok(())
    } else if application_id == 0 && user_version == 0 && objects == 0 {
        Ok(()) // an empty SQLite database: safe to set up
    } else {
        Err(StoreError::Foreign(path.to_path_buf()))
    }
}

fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Turns a SQLite error into the message a user can act on.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    let code = error.sqlite_error_code();
    let detail = error.to_string();
    match code {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path),
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, detail },
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly { path, detail },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            StoreError::Busy { path }
        }
        Some(ErrorCode::SystemIoFailure) => StoreError::Io { path, detail },
        _ => StoreError::Sqlite {
            path,
            source: error,
        },
    }
}
