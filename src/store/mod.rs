//! The SQLite file: opening it safely, its schema, and every query. No terminal, no printing.
//!
//! A file is only ever written once we know it is ours (or new): anything else is refused with a
//! message naming the file and what to do, and left byte-for-byte untouched.

mod actions;
mod answers;
mod assessments;
mod history;
mod import;
mod merge;
mod plan;
mod probe;
mod registers;
pub mod schema;
mod seal;
mod sessions;

pub use crate::model::HistoryEntry;
pub use assessments::{AssessmentEdit, NewAssessment, now};
pub use merge::{MergedSessions, StoredConflict};
pub use registers::{Entry, RegisterChange};
pub use sessions::Undone;

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
    #[error("{}: the database is damaged ({detail}). Nothing was changed; to recover, restore a backup copy of the file, or import your last JSON export into a new file: isms-ready --db NEW.db import EXPORT.json", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("no database at {} (nothing was created). Check the path given with --db or ISMS_READY_DB, or create an assessment there with `isms-ready new --name NAME`.", .0.display())]
    Missing(PathBuf),
    #[error("{}: an empty file, not an isms-ready database yet. Nothing was changed; choose another file with --db, or set it up with `isms-ready new --name NAME`.", .0.display())]
    Empty(PathBuf),
    #[error("{}: the disk or folder holding it is full, so the database cannot be opened or set up. Nothing was saved; free some space (or choose a file elsewhere with --db) and try again.", .path.display())]
    NoSpace { path: PathBuf },
    /// A change the rules do not allow for the answer as it stands (the reason, for the user).
    #[error("{0}")]
    Refused(String),
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
    // Declared first: closed before `recorded`, which its trace hook points into.
    connection: Connection,
    path: PathBuf,
    access: Access,
    /// The file was sealed by a clean close and unchanged since (see `seal`).
    sealed_at_open: bool,
    /// SQLite's whole-file check ran at open.
    checked_whole_file: bool,
    /// The migrations upgraded the file at open.
    migrated: bool,
    changes_at_open: u64,
    recorded: Option<Box<probe::Recorded>>,
}

impl Drop for Store {
    fn drop(&mut self) {
        #[cfg(debug_assertions)]
        if let Some(file) = std::env::var_os("ISMS_READY_TEST_RECORD_SQL") {
            self.append_recorded_statements(Path::new(&file));
        }
        self.seal_on_close();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// What a command may do to the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read and write; a missing file is created, an empty one set up (the app, `new`, `answer`,
    /// `import`, `plan set`, `migrate`).
    Write,
    /// Only an existing isms-ready database is opened; nothing is ever created or set up (`list`,
    /// `summary`, `soa`, `plan`, `export`).
    Existing,
}

impl Store {
    /// Opens (or creates, with owner-only permissions) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Store::open_for(path, Access::Write)
    }

    /// Opens an existing isms-ready database; a missing or empty file is refused, not created.
    pub fn open_existing(path: &Path) -> StoreResult<Store> {
        Store::open_for(path, Access::Existing)
    }

    /// Opens the database at `path` for `access`. An existing file is first checked on a
    /// read-only connection (ours, not newer, not damaged), so a refused file is never written.
    pub fn open_for(path: &Path, access: Access) -> StoreResult<Store> {
        let path = path.to_path_buf();
        let io = |detail: std::io::Error| StoreError::Io {
            path: path.clone(),
            detail: detail.to_string(),
        };
        let mut created = false;
        let mut needs_quick_check = false;
        let mut checked_whole_file = false;
        let mut sealed_at_open = false;
        let metadata = fs::metadata(&path);
        match metadata.as_ref() {
            Ok(metadata) if metadata.is_dir() => {
                return Err(StoreError::Io {
                    path,
                    detail: "is a folder, not a database file".into(),
                });
            }
            Ok(metadata) if metadata.len() > 0 => {
                match check_existing_file(&path, access, metadata)? {
                    Checked::Pending => needs_quick_check = true,
                    Checked::Sealed => sealed_at_open = true,
                    Checked::Whole => checked_whole_file = true,
                    Checked::Nothing => {}
                }
            }
            Ok(_) if access == Access::Existing => return Err(StoreError::Empty(path)),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if access == Access::Existing {
                    return Err(StoreError::Missing(path));
                }
                create_private_file(&path).map_err(|error| {
                    if is_no_space(error.raw_os_error()) {
                        StoreError::NoSpace { path: path.clone() }
                    } else {
                        io(error)
                    }
                })?;
                created = true;
            }
            Err(error) => {
                return Err(StoreError::Io {
                    path,
                    detail: error.to_string(),
                });
            }
        }
        let companions = ["-wal", "-shm"].map(|suffix| {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        });
        let had_companion = companions.clone().map(|c| c.exists());
        let opened = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| no_space_at_open(None, classify(&path, e)))
        .and_then(|connection| {
            if needs_quick_check {
                // Before any pragma that could write; closing this connection on a refusal
                // removes the -wal and -shm it made and leaves the file as it was.
                connection
                    .busy_timeout(std::time::Duration::from_secs(5))
                    .map_err(|e| classify(&path, e))?;
                // A file sealed by a clean close and unchanged since is not read whole.
                sealed_at_open = metadata
                    .as_ref()
                    .is_ok_and(|metadata| seal::is_sealed(&connection, metadata));
                if !sealed_at_open {
                    quick_check(&connection, &path)
                        .map_err(|error| no_space_at_open(Some(&connection), error))?;
                    checked_whole_file = true;
                }
            }
            Store::prepare(connection, path.clone(), access).map(|mut store| {
                store.sealed_at_open = sealed_at_open;
                store.checked_whole_file = checked_whole_file;
                store
            })
        });
        // A first read: on a full disk, a WAL database fails here (its index, the -shm file,
        // cannot grow), not at the open.
        let opened = opened.and_then(|store| {
            store
                .connection
                .query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
                    row.get::<_, i64>(0)
                })
                .map_err(|e| no_space_at_open(Some(&store.connection), classify(&path, e)))?;
            Ok(store)
        });
        if opened.is_err() && created {
            // Leave nothing behind: a half-made file would read as "empty" or "damaged" later.
            for (companion, had) in companions.iter().zip(had_companion) {
                if !had {
                    let _ = fs::remove_file(companion);
                }
            }
            let _ = fs::remove_file(&path);
        } else if matches!(opened, Err(StoreError::NoSpace { .. })) {
            // A full disk: remove the -wal and -shm this attempt made (a 3-byte -shm was left),
            // then read without them. A command that writes fails at its write, named as a full
            // disk; one that reads works.
            for (companion, had) in companions.iter().zip(had_companion) {
                if !had {
                    let _ = fs::remove_file(companion);
                }
            }
            return Store::open_on_full_disk(&path).map_err(|_| opened.unwrap_err());
        }
        opened
    }

    /// Opens an existing, up-to-date database on a full disk, to read: with exclusive locking set
    /// before the first access, SQLite keeps the WAL index in memory and needs no -shm file (it
    /// holds the file's lock until the command ends; the lock needs a read-write handle). A
    /// write then fails as a full disk, and SQLite rolls it back whole.
    fn open_on_full_disk(path: &Path) -> StoreResult<Store> {
        let fail = |e| no_space_at_open(None, classify(path, e));
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        connection
            .pragma_update_and_check(None, "locking_mode", "EXCLUSIVE", |_| Ok(()))
            .map_err(fail)?;
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        if version != schema::latest_version() {
            // An upgrade would have to write.
            return Err(StoreError::NoSpace {
                path: path.to_path_buf(),
            });
        }
        connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
                row.get::<_, i64>(0)
            })
            .map_err(fail)?;
        Ok(Store {
            changes_at_open: connection.total_changes(),
            connection,
            path: path.to_path_buf(),
            access: Access::Existing,
            // Nothing can be written on a full disk: no seal is taken at close.
            sealed_at_open: false,
            checked_whole_file: false,
            migrated: false,
            recorded: None,
        })
    }

    /// A throw-away database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> StoreResult<Store> {
        let path = PathBuf::from(":memory:");
        let connection = Connection::open_in_memory().map_err(|e| classify(&path, e))?;
        Store::prepare(connection, path, Access::Write)
    }

    fn prepare(mut connection: Connection, path: PathBuf, access: Access) -> StoreResult<Store> {
        match Store::set_up(&mut connection, &path) {
            Ok(migrated) => {
                #[allow(unused_mut)]
                let mut store = Store {
                    changes_at_open: connection.total_changes(),
                    connection,
                    path,
                    access,
                    sealed_at_open: false,
                    checked_whole_file: false,
                    migrated,
                    recorded: None,
                };
                // A test hook: record every statement the run prepares and append them to this
                // file on close (tests/query_plans.rs). Debug builds only, like the one above.
                #[cfg(debug_assertions)]
                if std::env::var_os("ISMS_READY_TEST_RECORD_SQL").is_some() {
                    store.record_statements();
                }
                Ok(store)
            }
            Err(error) => Err(no_space_at_open(Some(&connection), error)),
        }
    }

    /// The pragmas and migrations every connection gets; whether a migration ran.
    fn set_up(connection: &mut Connection, path: &Path) -> StoreResult<bool> {
        let path = path.to_path_buf();
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
        // Every b-tree page's cells are checked as the page is read: a damaged page that the
        // seal (see `seal`) cannot see is refused when read, before anything is written over it.
        connection
            .pragma_update(None, "cell_size_check", "ON")
            .map_err(fail)?;
        let version_before: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        // A test hook: cap the file's size so a test can see what a full disk does. Debug builds
        // only (`cargo test` runs the debug binary): the release binary holds no test hook.
        #[cfg(debug_assertions)]
        if let Some(pages) = std::env::var("ISMS_READY_TEST_MAX_PAGES")
            .ok()
            .and_then(|p| p.parse::<i64>().ok())
        {
            connection
                .pragma_update(None, "max_page_count", pages)
                .map_err(fail)?;
        }
        schema::migrations()
            .to_latest(connection)
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
        let version_after: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        Ok(version_after != version_before)
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

/// What `check_existing_file` found out about a file it let through.
enum Checked {
    /// Ours, by its header alone: the caller reads the seal and runs `quick_check` unless sealed.
    Pending,
    /// Ours, with a WAL, and sealed by a clean close (see `seal`): not read whole.
    Sealed,
    /// Ours, with a WAL, not sealed: `quick_check` ran and passed.
    Whole,
    /// An empty SQLite database, to be set up: nothing to check.
    Nothing,
}

/// Decides, without writing anything, whether an existing non-empty file may be opened: it must
/// be a SQLite file of ours (or, for writing, an empty SQLite database), not of a newer schema, and
/// pass SQLite's `quick_check` unless it is sealed (see `seal`).
///
/// Without a WAL the header says it all (application id, schema version). With a WAL, whose
/// frames may hold a newer schema version than the header, everything is read on a read-only
/// connection, which never checkpoints the WAL into the file. When no connection was needed
/// (`Checked::Pending`), the caller reads the seal and checks before writing anything.
fn check_existing_file(
    path: &Path,
    access: Access,
    metadata: &fs::Metadata,
) -> StoreResult<Checked> {
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
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let has_wal = fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let header_number =
        |at: usize| i64::from(i32::from_be_bytes(header[at..at + 4].try_into().unwrap()));
    if !has_wal && header_number(68) == i64::from(schema::APPLICATION_ID) {
        let version = header_number(60);
        if version > schema::latest_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest_version(),
            });
        }
        return Ok(Checked::Pending);
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
        if seal::is_sealed(&connection, metadata) {
            return Ok(Checked::Sealed);
        }
        quick_check(&connection, path).map(|()| Checked::Whole)
    } else if application_id == 0 && user_version == 0 && objects == 0 {
        // An empty SQLite database: safe to set up, but only by a command that writes.
        match access {
            Access::Write => Ok(Checked::Nothing),
            Access::Existing => Err(StoreError::Empty(path.to_path_buf())),
        }
    } else {
        Err(StoreError::Foreign(path.to_path_buf()))
    }
}

/// SQLite's `quick_check` (the page structure and every record, without cross-checking the
/// indexes): a damaged file is refused before anything reads wrong data from it or writes to it.
fn quick_check(connection: &Connection, path: &Path) -> StoreResult<()> {
    let first: String = connection
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(|e| classify(path, e))?;
    if first == "ok" {
        return Ok(());
    }
    let detail = first
        .replace("*** in database main ***", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let detail: String = detail.chars().take(120).collect();
    Err(StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    })
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

/// While opening, a full disk (or a failed write whose cause is a full disk or folder quota:
/// SQLite then says only "disk I/O error") is named as such, and not as a lost change.
fn no_space_at_open(connection: Option<&Connection>, error: StoreError) -> StoreError {
    match error {
        StoreError::DiskFull { path } => StoreError::NoSpace { path },
        StoreError::Io { path, detail } => {
            // SAFETY: the handle is alive while `connection` is borrowed; sqlite3_system_errno
            // only reads the error number the connection recorded.
            let errno =
                connection.map(|c| unsafe { rusqlite::ffi::sqlite3_system_errno(c.handle()) });
            if is_no_space(errno) || folder_is_full(&path) {
                StoreError::NoSpace { path }
            } else {
                StoreError::Io { path, detail }
            }
        }
        other => other,
    }
}

/// Whether an OS error number means "no space left" (the disk, or the user's quota).
fn is_no_space(errno: Option<i32>) -> bool {
    #[cfg(unix)]
    {
        matches!(errno, Some(libc::ENOSPC) | Some(libc::EDQUOT))
    }
    #[cfg(not(unix))]
    {
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        matches!(errno, Some(39) | Some(112))
    }
}

/// Whether the folder that holds `path` has (almost) no space left for a database to grow.
fn folder_is_full(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(name) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `name` is a valid C string and `stats` a properly sized, writable struct.
        let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(name.as_ptr(), &mut stats) } != 0 {
            return false;
        }
        // Less than 64 KiB: not enough for the WAL, its index and a few pages.
        (stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64) < 64 * 1024
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Turns a SQLite error into the message a user can act on.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    let code = error.sqlite_error_code();
    let detail = error.to_string();
    match code {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path),
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, detail },
        // A write refused on a full disk (SQLite says "disk I/O error", or "readonly" for a
        // database opened to read on a full disk) is named as a full disk.
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied)
        | Some(ErrorCode::SystemIoFailure)
            if folder_is_full(&path) =>
        {
            StoreError::DiskFull { path }
        }
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

/// A test hook (debug builds only, like `ISMS_READY_TEST_MAX_PAGES`): with
/// `ISMS_READY_TEST_PAUSE_MS=N`, a merge sleeps N ms at each of its named points inside its
/// transaction, so a test can kill it or write beside it there; `ISMS_READY_TEST_PAUSE_AT` names
/// a file created when the first point is reached.
pub(crate) fn test_pause(point: &str) {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("ISMS_READY_TEST_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok())
    {
        if let Some(flag) = std::env::var_os("ISMS_READY_TEST_PAUSE_AT") {
            let _ = fs::write(flag, point);
        }
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// A new random unique id for an action or register entry (issue 18).
pub(crate) fn new_uid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The unique id of entry `number` of `table` (`noun` as the history names it): the stored one,
/// else one made of the assessment's UUID, the noun and the number, so that two copies imported
/// from one file without ids agree on it (as the upgrade to version 7 does).
pub(crate) fn entry_uid(
    connection: &rusqlite::Connection,
    assessment_id: i64,
    table: &str,
    noun: &str,
    number: u32,
) -> rusqlite::Result<String> {
    connection.query_row(
        &format!(
            "SELECT coalesce((SELECT uid FROM {table} WHERE assessment_id = ?1 AND number = ?2),
                 (SELECT uid FROM assessment WHERE id = ?1) || ':' || ?3 || ':' || ?2)"
        ),
        rusqlite::params![assessment_id, number, noun],
        |row| row.get(0),
    )
}
