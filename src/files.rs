//! Writing output files so that a reader never sees half a file: write a temporary file beside the
//! target, flush it to disk, then rename it into place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: already exists; use --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{}: {detail}", .path.display())]
    Io { path: PathBuf, detail: String },
}

/// Writes `bytes` to `path` atomically. An existing file is kept unless `replace`.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        detail: match error.raw_os_error() {
            Some(28) => "the disk is full; nothing was written".to_string(),
            _ => error.to_string(),
        },
    };
    if !replace && path.exists() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if !replace {
            // A hard link fails if the target appeared meanwhile: never replace by accident.
            fs::hard_link(&temporary, path)?;
            fs::remove_file(&temporary)
        } else {
            fs::rename(&temporary, path)
        }
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_path_buf())
        } else {
            io(error)
        }
    })
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
    let first = dir.join(format!("{stem}.{extension}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{extension}")))
        .find(|p| !p.exists())
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
}
