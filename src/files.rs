//! Writing output files so that a reader never sees half a file: write a temporary file beside the
//! target, flush it to disk, then rename it into place.
//!
//! The temporary file is created with `O_EXCL` under an unpredictable name (`tempfile`), readable by
//! its owner only (0600, like the database: an export holds a client's security gaps). Nothing is
//! ever written through a symbolic link at the final path, and only a regular file is replaced.
//! A folder (the CISO Assistant hand-over) is written whole the same way: into a temporary folder,
//! then renamed into place (`write_folder_whole`). Temporary files and folders a killed export
//! left behind (`.isms-ready-export-*`, older than an hour) are removed by the next export into
//! the same folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The start of every temporary file name: how an export recognises its own leftovers.
pub const TEMPORARY_PREFIX: &str = ".isms-ready-export-";
const TEMPORARY_SUFFIX: &str = ".tmp";
/// A temporary file older than this is a leftover of an export that was killed.
const STALE_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: already exists; use --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error(
        "{}: is a symbolic link; an export never writes through or replaces one. Nothing was written.",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error(
        "{}: is not a regular file; an export replaces regular files only, even with --force. Nothing was written.",
        .0.display()
    )]
    NotRegular(PathBuf),
    #[error("{}: {detail}", .path.display())]
    Io { path: PathBuf, detail: String },
}

/// Whether a write failed for want of space (the disk, or the user's quota). `tempfile` wraps the
/// OS error with the path, so the kind is looked at, not only the error number.
fn is_disk_full(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || error.raw_os_error() == Some(28)
}

/// Writes `bytes` to `path` atomically, owner-only. An existing regular file is kept unless
/// `replace`; a symbolic link, device, FIFO or folder at `path` is never written to nor replaced.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        detail: if is_disk_full(&error) {
            "the disk is full; nothing was written".to_string()
        } else {
            error.to_string()
        },
    };
    check_target(path, replace)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    remove_stale_temporaries(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    // Created with O_EXCL under a random name; removed when dropped on any error below.
    let mut temporary = builder.tempfile_in(dir).map_err(io)?;
    temporary.write_all(bytes).map_err(io)?;
    temporary.as_file().sync_all().map_err(io)?;
    if replace {
        // The target may have changed since the check: look again just before the rename. A
        // rename replaces the directory entry itself, never what a link points to.
        check_target(path, true)?;
        temporary.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Fails if anything (a file, a link) appeared meanwhile: never replace by accident.
        temporary.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io(e.error)
            }
        })?;
    }
    // The rename is durable once the folder is flushed too.
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Writes the files `files` (name, bytes) into the folder `dir` whole or not at all, and then
/// removes the files named in `remove` (an earlier hand-over's sheets that this one does not
/// write). Before anything is written, every target is checked: a symbolic link or anything but
/// a regular file at any of them refuses the whole folder. The files are written and flushed in
/// a temporary folder (`.isms-ready-export-XXXXXX.tmp`, owner-only): when `dir` does not exist,
/// beside it, and the temporary folder is renamed into place; when it does, inside it, and each
/// file is renamed over its target only once all are on disk. A failure (a full disk) removes the
/// temporary folder and leaves `dir` as it was. Existing files are the caller's to refuse.
pub fn write_folder_whole(
    dir: &Path,
    files: &[(&str, &[u8])],
    remove: &[&str],
) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error: std::io::Error| WriteError::Io {
            path: path.clone(),
            detail: if is_disk_full(&error) {
                "the disk is full; nothing was written".to_string()
            } else {
                format!("{error}; nothing was written")
            },
        }
    };
    let check_all = || {
        for name in files
            .iter()
            .map(|(name, _)| *name)
            .chain(remove.iter().copied())
        {
            check_target(&dir.join(name), true)?;
        }
        Ok::<(), WriteError>(())
    };
    let exists = fs::symlink_metadata(dir).is_ok();
    if exists {
        check_all()?;
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let stage_in = if exists { dir } else { parent };
    remove_stale_temporaries(stage_in);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o700));
    }
    // Removed with everything in it when dropped on any error below.
    let staging = builder.tempdir_in(stage_in).map_err(io(dir))?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io(&dir.join(name)))?;
        file.write_all(bytes).map_err(io(&dir.join(name)))?;
        file.sync_all().map_err(io(&dir.join(name)))?;
    }
    if let Ok(folder) = fs::File::open(staging.path()) {
        let _ = folder.sync_all();
    }
    if exists {
        // The targets may have changed since the check: look again just before the renames.
        check_all()?;
        for (name, _) in files {
            fs::rename(staging.path().join(name), dir.join(name)).map_err(io(&dir.join(name)))?;
        }
        for name in remove {
            let path = dir.join(name);
            if fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file()) {
                fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        drop(staging);
        if let Ok(folder) = fs::File::open(dir) {
            let _ = folder.sync_all();
        }
    } else {
        if fs::symlink_metadata(dir).is_ok() {
            return Err(WriteError::Exists(dir.to_path_buf()));
        }
        fs::rename(staging.path(), dir).map_err(io(dir))?;
        let _ = staging.keep();
        if let Ok(folder) = fs::File::open(parent) {
            let _ = folder.sync_all();
        }
    }
    Ok(())
}

/// Refuses a symbolic link or anything but a regular file at `path`, and an existing file unless
/// `replace`. Looks at the entry itself, never at what a link points to.
fn check_target(path: &Path, replace: bool) -> Result<(), WriteError> {
    match fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Symlink(path.to_path_buf())),
        Ok(meta) if !meta.is_file() => Err(WriteError::NotRegular(path.to_path_buf())),
        Ok(_) if !replace => Err(WriteError::Exists(path.to_path_buf())),
        Ok(_) => Ok(()),
    }
}

/// Removes this program's temporary files and folders older than an hour from `dir`: leftovers of
/// an export that was killed. Only regular files and folders with our prefix and owned by this
/// user; errors are ignored.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = crate::clock::system_time();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX)) {
            continue;
        }
        // DirEntry::metadata does not follow a symbolic link.
        let Ok(meta) = entry.metadata() else { continue };
        if !(meta.is_file() || meta.is_dir()) || !owned_by_me(&meta) {
            continue;
        }
        let stale = meta
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale && meta.is_dir() {
            // A folder export's temporary folder: only our own files are in it.
            let _ = fs::remove_dir_all(entry.path());
        } else if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn owned_by_me(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned_by_me(_meta: &fs::Metadata) -> bool {
    true
}

/// A file name made from an assessment name: letters and digits kept, the rest turned into '-'.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "assessment".into()
    } else {
        slug
    }
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, `-3`... when that exists: a path that is free now.
pub fn free_path(dir: &Path, stem: &str, extension: &str) -> PathBuf {
    // A dangling symbolic link is not free: `symlink_metadata` sees the link itself.
    let free = |p: &PathBuf| fs::symlink_metadata(p).is_err();
    let first = dir.join(format!("{stem}.{extension}"));
    if free(&first) {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{extension}")))
        .find(free)
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Acme Ltd"), "acme-ltd");
        assert_eq!(slug("  ../../etc/passwd "), "etc-passwd");
        assert_eq!(slug("Café & Co."), "café-co");
        assert_eq!(slug("///"), "assessment");
    }

    #[test]
    fn an_existing_file_is_kept_unless_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        write_atomically(&path, b"first", false).unwrap();
        assert!(matches!(
            write_atomically(&path, b"second", false),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"first");
        write_atomically(&path, b"second", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(
            free_path(dir.path(), "out", "md"),
            dir.path().join("out-2.md")
        );
    }

    // Issue 12, point 11: the old temporary name was predictable (".NAME.PID.tmp"); a symlink
    // planted there made the export overwrite the file it pointed to.
    #[test]
    #[cfg(unix)]
    fn a_symlink_planted_at_a_guessable_temporary_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep me").unwrap();
        let guessed = dir
            .path()
            .join(format!(".out.md.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &guessed).unwrap();
        write_atomically(&dir.path().join("out.md"), b"report", false).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(fs::read(dir.path().join("out.md")).unwrap(), b"report");
    }
}
