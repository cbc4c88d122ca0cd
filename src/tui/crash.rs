//! A crash report file, so a panic in a workshop leaves something to send to the developers.
//! It holds the program's version, where it failed and the backtrace; never text the user typed.

use std::io::Write;
use std::path::PathBuf;

pub fn write_report(info: &std::panic::PanicHookInfo<'_>) -> Option<PathBuf> {
    let dir = crate::paths::crash_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!("crash-{stamp}.txt"));
    let mut file = std::fs::File::create(&path).ok()?;
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
