//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_isms-ready");

/// A scratch folder with a database path inside it; XDG folders point into it too, so a test never
/// touches the user's real files.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command
            .env("ISMS_READY_DB", self.db())
            .env("XDG_CONFIG_HOME", self.config_dir())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR");
        command
    }

    /// Runs the binary with these arguments; panics with its output when it does not exit 0.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "isms-ready {args:?} failed ({:?}): {}{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run isms-ready")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON output")
    }
}

pub fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}
