//! The workshop-proof rules of issue 12 with the real binary in a pseudo-terminal: pastes, a
//! terminal that is too small, Esc and Ctrl-C in changed fields, two windows on one note, long
//! notes, large pastes, long messages and a stop signal with text that cannot be saved.

mod common;

use common::Sandbox;
use common::pty::{CTRL_C, CTRL_S, ENTER, ESC, TAB, Terminal};

const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

fn acme(sandbox: &Sandbox) {
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2022"]);
}

fn open(sandbox: &Sandbox, cols: u16, rows: u16) -> Terminal {
    let app = Terminal::spawn(
        &sandbox.db(),
        sandbox.dir.path(),
        &["-a", "Acme"],
        cols,
        rows,
    );
    app.wait_for("Item 1 · 4.1");
    app
}

/// The saved answer of an item, from the JSON document the CLI exports.
fn saved(sandbox: &Sandbox, item: usize) -> serde_json::Value {
    let document = sandbox.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    document["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|answer| answer["item"] == item)
        .cloned()
        .unwrap_or_default()
}

fn answered(sandbox: &Sandbox) -> u64 {
    sandbox.json(&["summary", "-a", "Acme", "--json"])["overall"]["answered"]
        .as_u64()
        .unwrap()
}

fn quit(app: &mut Terminal) {
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn a_pasted_line_break_in_the_search_bar_runs_nothing_bracketed_or_not() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = open(&sandbox, 100, 30);
    // A terminal with bracketed paste: the whole paste is one event.
    app.send("/");
    app.wait_for("Search: number");
    app.send(&format!("{PASTE_START}Climate change\r4{PASTE_END}"));
    app.wait_for("/Climate change 4");
    app.send(ESC);
    app.wait_for("0-4 level");
    // A terminal without it: the line break comes as Enter with the rest right behind it.
    app.send("/");
    app.wait_for("Search: number");
    app.send("Climate\r4");
    app.wait_for("/Climate 4");
    app.send(ESC);
    app.wait_for("0-4 level");
    quit(&mut app);
    assert_eq!(answered(&sandbox), 0, "a pasted byte set a level");
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small_but_q_quits() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 60, 15);
    app.wait_for("Terminal too small");
    app.send("0");
    app.send(TAB);
    app.send("4");
    app.wait_for("Terminal too small");
    quit(&mut app);
    assert_eq!(answered(&sandbox), 0, "a key acted behind the message");
}

#[test]
fn ctrl_c_in_a_changed_one_line_field_saves_it_before_quitting() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = open(&sandbox, 100, 30);
    app.send(TAB);
    app.send(TAB);
    app.wait_for("Statement of Applicability");
    app.send("o");
    app.wait_for("Owner");
    app.type_keys("CISO office");
    app.send(CTRL_C);
    assert!(app.wait_exit().success());
    assert_eq!(saved(&sandbox, 143)["owner"], "CISO office");
}

#[test]
fn esc_in_the_decision_form_asks_before_a_typed_justification_goes() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = open(&sandbox, 100, 30);
    app.send(TAB);
    app.send(TAB);
    app.wait_for("Statement of Applicability");
    app.send("a");
    app.wait_for("Applicability of A.5.1");
    app.send(" ");
    app.send(TAB);
    app.send(TAB);
    app.type_keys("No policy set yet");
    app.send(ESC);
    app.wait_for("You changed this field and have not saved it.");
    app.send(ENTER);
    app.wait_for("excluded, justification saved");
    quit(&mut app);
    assert_eq!(saved(&sandbox, 143)["applicable"], false);
    assert_eq!(saved(&sandbox, 143)["justification"], "No policy set yet");
}

#[test]
fn two_windows_editing_one_note_keep_both_texts() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut first = open(&sandbox, 100, 30);
    let mut second = open(&sandbox, 100, 30);
    first.send("e");
    first.wait_for("Note for item 1");
    second.send("e");
    second.wait_for("Note for item 1");
    second.type_keys("Ann owns the list");
    second.send(CTRL_S);
    second.wait_for("Item 1: note saved.");
    first.type_keys("Review in May");
    first.send(CTRL_S);
    first.wait_for("both texts are kept");
    quit(&mut first);
    second.wait_for("saved meanwhile in another window");
    quit(&mut second);
    assert_eq!(
        saved(&sandbox, 1)["note"],
        "Review in May\n\n--- saved meanwhile in another window ---\nAnn owns the list"
    );
}

#[test]
fn a_long_note_is_readable_at_120x40() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let note: Vec<String> = (1..=40)
        .map(|n| format!("Point {n} raised by the room"))
        .collect();
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "1",
        "--level",
        "1",
        "--note",
        &note.join("\n"),
    ]);
    let mut app = open(&sandbox, 120, 40);
    app.wait_for("Point 15 raised");
    for _ in 0..10 {
        app.send("}");
    }
    app.wait_for("Point 40 raised");
    app.wait_for("of 40");
    quit(&mut app);
}

#[test]
fn a_100_kb_paste_into_the_note_is_saved_whole() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = open(&sandbox, 100, 30);
    app.send("e");
    app.wait_for("Note for item 1");
    let text = "Workshop minutes, item by item. ".repeat(3200);
    assert!(text.len() > 100_000);
    app.send(&format!("{PASTE_START}{text}{PASTE_END}"));
    app.send(CTRL_S);
    app.wait_for("Item 1: note saved.");
    quit(&mut app);
    assert_eq!(saved(&sandbox, 1)["note"], text.trim_end());
}

#[test]
fn a_long_message_wraps_instead_of_being_cut_at_120_columns() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let mut app = open(&sandbox, 120, 40);
    app.send("x");
    app.wait_for("only Annex A controls may be");
    app.wait_for("excluded, with a justification");
    quit(&mut app);
}

#[test]
fn a_stop_signal_with_a_note_that_cannot_be_saved_writes_it_to_a_file_and_says_so() {
    let sandbox = Sandbox::new();
    acme(&sandbox);
    let pages: i64 = rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap();
    let rescue_dir = sandbox.dir.path().join("exports");
    let mut app = Terminal::spawn_with_env(
        &sandbox.db(),
        sandbox.dir.path(),
        &["-a", "Acme"],
        100,
        30,
        &[
            ("ISMS_READY_TEST_MAX_PAGES", &pages.to_string()),
            ("ISMS_READY_EXPORT_DIR", rescue_dir.to_str().unwrap()),
        ],
    );
    app.wait_for("Item 1 · 4.1");
    app.send("e");
    app.wait_for("Note for item 1");
    let long = "y".repeat(9000);
    app.send(&format!("{PASTE_START}{long} last words{PASTE_END}"));
    app.wait_for("last words");
    app.signal(libc::SIGTERM);
    app.reap();
    app.wait_for("could not be saved");
    app.wait_for("What you typed was written to");
    let files: Vec<_> = std::fs::read_dir(&rescue_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        format!("{long} last words")
    );
}
