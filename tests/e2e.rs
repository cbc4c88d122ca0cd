//! The real binary in a pseudo-terminal: keys in, screen out, data on disk.

mod common;

use common::Sandbox;
use common::pty::{CTRL_S, ENTER, TAB, Terminal};

#[test]
fn a_workshop_session_is_saved_and_resumed_where_it_was_left() {
    let sandbox = Sandbox::new();

    let mut app = sandbox.start(&[]);
    app.wait_for("No assessment yet");
    app.send("n");
    app.wait_for("New assessment");
    app.type_keys("Acme Ltd");
    app.send(TAB);
    app.type_keys("Head office");
    app.send(ENTER);
    app.wait_for("Opened \"Acme Ltd\"");
    app.send("3");
    app.wait_for("Item 1: level 3 Checked saved.");
    app.send("j");
    app.send("2");
    app.wait_for("Item 2: level 2 Implemented saved.");
    app.send("e");
    app.wait_for("Note for item 2");
    app.type_keys("Register of interested parties seen");
    app.send(CTRL_S);
    app.wait_for("Item 2: note saved.");
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(!app.in_alternate_screen(), "the terminal was not restored");

    // The answers are on disk, as the CLI sees them; new assessments use the 2022 edition.
    let summary = sandbox.json(&["summary", "--json"]);
    assert_eq!(summary["assessment"]["standard"], "iso27001-2022");
    assert_eq!(summary["overall"]["answered"], 2);
    assert_eq!(
        summary["clauses"][0]["level_counts"],
        serde_json::json!([0, 0, 1, 1, 0])
    );

    // Next morning: the app reopens at item 2 with its note.
    let mut app = sandbox.start(&[]);
    app.wait_for("Acme Ltd");
    app.send(ENTER);
    app.wait_for("Item 2 · 4.1 #2");
    app.wait_for("Register of interested parties seen");
    app.wait_for("Level 2 Implemented");
    // The dashboard shows the changed figures.
    app.send(TAB);
    app.wait_for("answered 2 · unanswered 140");
    app.wait_for("0.9 %"); // 5 of 568 points over the 142 clause items
    app.wait_for("12.5"); // clause 4: 5 of 40 points
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn the_assessment_option_opens_it_directly_and_ctrl_c_quits_cleanly() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Beta", "--standard", "iso27001-2013"]);
    let mut app = sandbox.start(&["--assessment", "Beta"]);
    app.wait_for("Item 1 · 4.1");
    app.send("4");
    app.wait_for("level 4 Improving saved");
    app.send("\x03");
    assert!(app.wait_exit().success());
    assert!(!app.in_alternate_screen());
    let summary = sandbox.json(&["summary", "-a", "Beta", "--json"]);
    assert_eq!(summary["overall"]["answered"], 1);
}

#[test]
fn an_unknown_assessment_is_refused_with_one_line_and_the_terminal_untouched() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--assessment", "Nobody"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no assessment named \"Nobody\""),
        "{stderr}"
    );
}

#[test]
fn a_terminal_too_small_gets_a_message_not_a_panic() {
    let sandbox = Sandbox::new();
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &[], 40, 10);
    app.wait_for("Terminal too small");
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn a_plan_status_cycled_in_the_app_is_saved() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    let mut app = sandbox.start(&["-a", "Acme"]);
    app.wait_for("Item 1 · 4.1");
    app.send(TAB);
    app.send(TAB);
    app.send(TAB);
    app.wait_for("Certification plan");
    app.send("j");
    app.send(" ");
    app.wait_for("Step 2: in progress.");
    app.send(" ");
    app.wait_for("Step 2: done.");
    app.send("q");
    assert!(app.wait_exit().success());
    let plan = sandbox.json(&["plan", "-a", "Acme", "--json"]);
    assert_eq!(plan["steps"][1]["status"], "done");
    assert_eq!(plan["steps"][0]["status"], "todo");
}

#[test]
fn a_control_excluded_in_the_app_shows_in_soa_json_with_its_justification() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    let mut app = sandbox.start(&["-a", "Acme"]);
    app.wait_for("Item 1 · 4.1");
    app.send(TAB);
    app.send(TAB);
    app.wait_for("Statement of Applicability");
    app.send("j");
    app.send("a");
    app.wait_for("Applicability of A.5.1.2");
    app.send(" "); // included -> excluded
    app.send(TAB);
    app.send(TAB);
    app.type_keys("Only one policy, reviewed with it");
    app.send(ENTER);
    app.wait_for("Item 140: excluded, justification saved.");
    app.send("q");
    assert!(app.wait_exit().success());
    let soa = sandbox.json(&["soa", "-a", "Acme", "--json"]);
    let control = &soa["controls"][1];
    assert_eq!(control["control"], "A.5.1.2");
    assert_eq!(control["applicability"], "excluded");
    assert_eq!(
        control["justification"],
        "Only one policy, reviewed with it"
    );
}

#[test]
fn a_2013_assessment_is_migrated_from_the_picker_and_opened() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Legacy", "--standard", "iso27001-2013"]);
    sandbox.ok(&["answer", "-a", "Legacy", "--item", "1", "--level", "3"]);
    let mut app = sandbox.start(&[]);
    app.wait_for("Legacy");
    app.send("m");
    app.wait_for("Carry \"Legacy\" over to iso27001-2022 as");
    app.send(ENTER);
    app.wait_for("Carried over to iso27001-2022");
    // At 100 columns the header keeps the name; the edition is checked by `summary` below.
    app.wait_for("Legacy (2022)");
    app.wait_for("REVIEW NEEDED");
    app.send("q");
    assert!(app.wait_exit().success());
    let list = sandbox.json(&["list", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Legacy") && names.contains(&"Legacy (2022)"),
        "{names:?}"
    );
    let summary = sandbox.json(&["summary", "-a", "Legacy (2022)", "--json"]);
    assert_eq!(summary["assessment"]["standard"], "iso27001-2022");
    assert_eq!(summary["clauses"][0]["level_counts"][3], 1);
}
