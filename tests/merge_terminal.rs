//! The Merge screen with the real binary in a pseudo-terminal (issue 18): two copies diverge from
//! one export, the merge leaves two conflicts, both are decided on the screen, and `summary
//! --json` and the export show the result.

mod common;

use common::pty::{ENTER, Terminal};
use common::{Sandbox, level};
use isms_ready::model::Change;

const RIGHT: &str = "\x1b[C";

#[test]
fn two_conflicts_are_decided_on_the_merge_screen() {
    let first = Sandbox::new();
    first.create("Acme", "iso27001-2022", "", "");
    first.answer("Acme", 1, &[level(1), Change::Note("base".into())]);
    let base = first.dir.path().join("base.json");
    let base = base.to_str().unwrap();
    first.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        base,
    ]);
    let second = Sandbox::new();
    second.ok(&["import", base]);
    first.answer("Acme", 1, &[level(2), Change::Note("ours".into())]);
    second.answer("Acme", 1, &[level(3), Change::Note("theirs".into())]);
    let theirs = second.dir.path().join("theirs.json");
    let theirs = theirs.to_str().unwrap();
    second.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        theirs,
    ]);
    let merged = first.run(&["merge", "-a", "Acme", theirs]);
    assert_eq!(merged.status.code(), Some(1), "two conflicts wait");

    let mut app = Terminal::spawn(&first.db(), first.dir.path(), &["-a", "Acme"], 100, 30);
    app.wait_for("Item 1 · 4.1");
    app.wait_for("MERGE CONFLICT (2; M decides)");
    app.send("M");
    app.wait_for("Merge: 2 conflicts left");
    app.wait_for("2 Implemented");
    // The level: take theirs.
    app.send(RIGHT);
    app.send(ENTER);
    app.wait_for("Merge: 1 conflict left");
    // The note: keep both.
    app.send(RIGHT);
    app.send(RIGHT);
    app.wait_for("[keep both]");
    app.send(ENTER);
    app.wait_for("No conflict waits");
    app.send("q");
    assert!(app.wait_exit().success());

    let summary = first.json(&["summary", "-a", "Acme", "--json"]);
    let clause4 = summary["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "4")
        .unwrap();
    assert_eq!(clause4["level_counts"], serde_json::json!([0, 0, 0, 1, 0]));
    let document = first.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    assert_eq!(document["answers"][0]["note"], "ours\n\ntheirs");
    assert_eq!(
        first.json(&["merge", "conflicts", "-a", "Acme", "--json"]),
        serde_json::json!([])
    );
}
