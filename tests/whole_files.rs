//! Issue 24, points 3, 4 and 5: whatever the tool writes it reads back, a folder is written whole
//! or not at all, and a full disk is named as such.

mod common;

use common::Sandbox;
use isms_ready::model::Change;

/// The path `delete` printed for its backup.
fn backup_of(delete_output: &str) -> String {
    delete_output
        .split("backup: ")
        .nth(1)
        .and_then(|rest| rest.split(" (").next())
        .expect("the backup path")
        .to_string()
}

// Point 3: a backup over the old 32 MiB limit (long notes and their history) imports back.
#[test]
fn a_deleted_assessment_of_more_than_32_mib_imports_back() {
    let sandbox = Sandbox::new();
    sandbox.create("Big", "iso27001-2022", "", "");
    // 20 notes of 1 MiB: 20 MiB of answers and as much again in their history.
    let note = "n".repeat(1024 * 1024);
    sandbox.answer_all("Big", 1..=20, |item| {
        vec![Change::Note(format!("{item}{note}"))]
    });
    let before = sandbox.json(&["export", "-a", "Big", "--format", "json", "-o", "-"]);
    let deleted = sandbox.ok(&["delete", "-a", "Big", "--yes"]);
    let backup = backup_of(&deleted);
    let size = std::fs::metadata(&backup).unwrap().len();
    assert!(size > 33 * 1024 * 1024, "the backup is only {size} bytes");
    sandbox.ok(&["import", &backup]);
    let after = sandbox.json(&["export", "-a", "Big", "--format", "json", "-o", "-"]);
    assert_eq!(after["answers"], before["answers"]);
}

// Point 3: `delete` reads its backup back as import would, and deletes nothing when it would not
// import (here the debug binary's test hook lowers the size limit below the backup's size).
#[test]
fn delete_keeps_the_assessment_when_its_backup_would_not_import() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.answer("Acme", 1, &[Change::Note("x".repeat(4096))]);
    let before = sandbox.state();
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_MAX_DOCUMENT_BYTES", "2048")
        .args(["delete", "-a", "Acme", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("would not import"), "{stderr}");
    assert!(stderr.contains("nothing was deleted"), "{stderr}");
    assert_eq!(sandbox.state(), before, "the assessment was deleted");
}
