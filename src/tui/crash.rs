//! A crash report file, so a panic in a workshop leaves something to send to the developers.
//! It holds the program's version, where it failed and the backtrace; never text the user typed.
//! The report is readable by its owner only (0600), in a folder of the owner's (0700); folders it
//! creates on the way (the data folder) are 0700 too, and an existing data folder is left as it is.

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_report(info: &std::panic::PanicHookInfo<'_>) -> Option<PathBuf> {
    let dir = crate::paths::crash_dir();
    create_private_dir(&dir).ok()?;
    let stamp = crate::clock::now_utc().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!("crash-{stamp}.txt"));
    let mut options = std::fs::OpenOptions::new();
    // create_new: never write through a link or into a file someone else placed there.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).ok()?;
    let location = info.location().map_or_else(
        || "unknown".to_string(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let backtrace = std::backtrace::Backtrace::force_capture();
    writeln!(
        file,
        "isms-ready {}\nat {location}\n{message}\n\n{backtrace}",
        env!("CARGO_PKG_VERSION")
    )
    .ok()?;
    Some(path)
}

/// Creates `dir` and any missing parent with mode 0700. An existing `crash-reports` folder (an older
/// version made it 0755) is tightened to 0700; existing parents are never changed.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        if !meta.is_dir() {
            return Err(std::io::Error::other(
                "the crash report folder is not a folder",
            ));
        }
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}
