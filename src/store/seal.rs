//! The seal: how a file closed cleanly by isms-ready is opened again without reading all of it.
//!
//! SQLite's `quick_check` reads every page of the file, so running it on every open makes a
//! command about one client pay for all the others (issue 27). What it protects against is a file
//! changed outside SQLite (a copy cut short, a sync tool, a disk or program writing into it) or a
//! crash. So the check runs only when one of those may have happened since isms-ready last closed
//! the file:
//!
//! - On a clean close after a write, the store records a fingerprint of the file in the `setting`
//!   row `file_seal` (a modification time it chooses, to the nanosecond, and the file's inode),
//!   closes the connection (the last one checkpoints the WAL into the file and removes it) and then
//!   sets the file's modification time to the recorded one.
//! - On open, the whole-file check is skipped only when the recorded fingerprint is the file's:
//!   any write to the file since (by any program, isms-ready included, that did not close cleanly
//!   and seal again) sets another modification time, and a copy or a restored backup has another
//!   inode. A WAL left by a crash is SQLite's own and checksummed frame by frame; the main file's
//!   pages are then the sealed ones if its time still matches, and checked otherwise.
//!
//! `PRAGMA cell_size_check` stays on for every connection: SQLite then checks the cells of each
//! b-tree page as it reads it, so a page damaged in a way the seal cannot see is still refused when
//! a command reads it, before anything is written over it.

use super::{Access, Store, StoreResult, classify};
use rusqlite::{Connection, OptionalExtension};
use std::fs::Metadata;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

const SEAL_KEY: &str = "file_seal";

/// The fingerprint a seal records: modification time (ns since the epoch) and inode.
fn fingerprint(modified: SystemTime, metadata: &Metadata) -> Option<String> {
    let since = modified.duration_since(UNIX_EPOCH).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(format!(
            "{}.{:09}/{}:{}",
            since.as_secs(),
            since.subsec_nanos(),
            metadata.dev(),
            metadata.ino()
        ))
    }
    #[cfg(not(unix))]
    {
        // No way to set a file's time by path here: a file is never sealed, always checked.
        let _ = (since, metadata);
        None
    }
}

/// Whether the file at `path` (whose metadata was read just before it was opened) is the one the
/// last clean close sealed. Reads one row of `setting`: a few pages, whatever the file's size.
pub(super) fn is_sealed(connection: &Connection, metadata: &Metadata) -> bool {
    let Some(current) = metadata
        .modified()
        .ok()
        .and_then(|modified| fingerprint(modified, metadata))
    else {
        return false;
    };
    let recorded: Option<String> = connection
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [SEAL_KEY],
            |row| row.get(0),
        )
        .optional()
        .unwrap_or(None);
    recorded.as_deref() == Some(current.as_str())
}

impl Store {
    /// Whether opening this store ran SQLite's whole-file `quick_check` (the file was not sealed
    /// by a clean close of isms-ready, or was changed since).
    pub fn checked_whole_file(&self) -> bool {
        self.checked_whole_file
    }

    /// On a clean close: record the seal, close the connection, give the file the recorded time.
    /// Nothing is done when nothing was written and the file was sealed already, for a read-only
    /// command on a file that was not sealed, nor inside an unfinished transaction.
    pub(super) fn seal_on_close(&mut self) {
        if self.path.as_os_str() == ":memory:" || !self.connection.is_autocommit() {
            return;
        }
        let wrote = self.connection.total_changes() > self.changes_at_open || self.migrated;
        let wanted = wrote || (self.access == Access::Write && !self.sealed_at_open);
        if !wanted {
            return;
        }
        let _ = self.seal();
    }

    fn seal(&mut self) -> StoreResult<()> {
        let metadata = std::fs::metadata(&self.path).map_err(|e| super::StoreError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        })?;
        // A time of our own choosing, to the nanosecond, that no other write will hit.
        let stamp = crate::clock::system_time();
        let Some(seal) = fingerprint(stamp, &metadata) else {
            return Ok(());
        };
        let fail = |e| classify(&self.path, e);
        // NORMAL: the seal's own commit need not wait for the disk; the checkpoint at close syncs
        // the WAL and then the file before the WAL is removed. A seal lost on a power cut only
        // means one whole-file check at the next open.
        self.connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        self.connection
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [SEAL_KEY, &seal],
            )
            .map_err(fail)?;
        let connection = std::mem::replace(
            &mut self.connection,
            Connection::open_in_memory().map_err(fail)?,
        );
        connection.close().map_err(|(_, e)| fail(e))?;
        set_modified(&self.path, stamp);
        Ok(())
    }
}

/// Sets the file's modification time by its path (no file descriptor is opened, so the POSIX
/// locks another connection of this process holds on the file stay in place).
#[cfg(unix)]
fn set_modified(path: &Path, time: SystemTime) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return;
    };
    let since = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or(std::time::Duration::ZERO);
    let times = [
        libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_OMIT,
        },
        libc::timespec {
            tv_sec: since.as_secs() as libc::time_t,
            tv_nsec: since.subsec_nanos() as _,
        },
    ];
    // SAFETY: `name` is a valid C string and `times` two initialised timespecs.
    unsafe {
        libc::utimensat(libc::AT_FDCWD, name.as_ptr(), times.as_ptr(), 0);
    }
}

#[cfg(not(unix))]
fn set_modified(_path: &Path, _time: SystemTime) {}
