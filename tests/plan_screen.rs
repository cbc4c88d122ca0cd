//! The plan screen (issue 12, points 5 and 17): start dates shown, the status column not cut, a
//! stray Space that does not erase a done date or a reason, the done date entered with `D`, and
//! a due date before the start refused (and flagged when an older file holds one). In-process
//! (`TestBackend`) and with the real binary in a pseudo-terminal.

mod common;
mod screen_kit;

use chrono::NaiveDate;
use common::Sandbox;
use common::pty::{ENTER, TAB, Terminal};
use isms_ready::model::plan::StepStatus;
use isms_ready::store::Store;
use isms_ready::tui::{App, Screen};
use screen_kit::{acme_on, draw, press, status};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn plan_app() -> App {
    let mut app = acme_on(Screen::Plan);
    app.today = day("2026-06-01");
    // Step 1 done, step 2 in progress with dates and an owner, step 3 blocked.
    press(&mut app, "s2026-01-05<Enter>d2026-01-20<Enter>  ");
    press(
        &mut app,
        "js2026-05-21<Enter>d2026-08-01<Enter>oCISO<Enter> ",
    );
    press(&mut app, "jbWaiting for the board<Enter>");
    app
}

fn step(app: &App, number: usize) -> isms_ready::model::plan::StepProgress {
    app.session.as_ref().unwrap().plan_progress[number - 1].clone()
}

#[test]
fn the_list_shows_start_dates_and_the_whole_status_at_120x40() {
    screen_kit::at_test_time();
    // Guards: the status column read "in progres" at every width, and the start date was shown
    // nowhere (neither in the list nor, at 120x40, in the detail).
    let mut app = plan_app();
    press(&mut app, "k"); // step 2
    let screen = draw(&app, 120, 40);
    assert!(screen.contains("Start      Due        Status"), "{screen}");
    assert!(
        screen.contains("CISO            2026-05-21 2026-08-01 in progress"),
        "{screen}"
    );
    assert!(
        screen.contains("start 2026-05-21 · due 2026-08-01"),
        "{screen}"
    );
    for width in [80, 100, 160] {
        let screen = draw(&app, width, 30);
        assert!(screen.contains("in progress "), "{width}: {screen}");
    }
    snapshot!("plan_list_120x40", screen);
}

#[test]
fn a_stray_space_on_a_done_step_keeps_it_done_with_its_date() {
    screen_kit::at_test_time();
    // Guards: one Space on a done step set it back to "to do" and erased its done date.
    let mut app = plan_app();
    press(&mut app, "g");
    let done = step(&app, 1);
    assert_eq!(done.status, StepStatus::Done);
    press(&mut app, " ");
    assert_eq!(step(&app, 1), done, "one Space changes nothing");
    assert!(
        status(&app).contains("a second Space reopens it"),
        "{}",
        status(&app)
    );
    // Another key in between: the next Space asks again.
    press(&mut app, "jk ");
    assert_eq!(step(&app, 1), done);
    press(&mut app, " ");
    assert_eq!(step(&app, 1).status, StepStatus::Todo);
    assert_eq!(step(&app, 1).done_on, None);
}

#[test]
fn space_on_a_blocked_step_names_the_reason_before_dropping_it() {
    screen_kit::at_test_time();
    // Guards: Space on a blocked step dropped its reason silently.
    let mut app = plan_app();
    press(&mut app, "G");
    press(&mut app, "kkkkkkkkkkkkkkkkkkkkkkk"); // step 3
    assert_eq!(step(&app, 3).status, StepStatus::Blocked);
    press(&mut app, " ");
    assert_eq!(step(&app, 3).reason, "Waiting for the board");
    assert!(
        status(&app).contains("\"Waiting for the board\""),
        "{}",
        status(&app)
    );
    press(&mut app, " ");
    assert_eq!(step(&app, 3).status, StepStatus::InProgress);
}

#[test]
fn d_records_the_done_date_not_in_the_future_nor_before_the_start() {
    screen_kit::at_test_time();
    let mut app = plan_app();
    press(&mut app, "k"); // step 2, started 2026-05-21, today 2026-06-01
    press(&mut app, "D");
    assert!(app.popup.is_some());
    // Refused: in the future, before the start; the prompt stays open.
    press(
        &mut app,
        "<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-06-02<Enter>",
    );
    assert!(app.popup.is_some());
    assert!(status(&app).contains("in the future"), "{}", status(&app));
    press(
        &mut app,
        "<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-05-20<Enter>",
    );
    assert!(
        status(&app).contains("before the step's start"),
        "{}",
        status(&app)
    );
    assert_eq!(step(&app, 2).status, StepStatus::InProgress);
    press(
        &mut app,
        "<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-05-30<Enter>",
    );
    assert!(app.popup.is_none());
    assert_eq!(step(&app, 2).status, StepStatus::Done);
    assert_eq!(step(&app, 2).done_on, Some(day("2026-05-30")));
    assert_eq!(status(&app), "Step 2: done on 2026-05-30.");
}

#[test]
fn a_due_date_before_the_start_is_refused_in_the_app_both_ways() {
    screen_kit::at_test_time();
    // Guards issue 12 point 5: such a due date was accepted and drawn as a normal bar.
    let mut app = plan_app();
    press(&mut app, "k"); // step 2: 2026-05-21 to 2026-08-01
    press(
        &mut app,
        "d<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-05-01<Enter>",
    );
    assert!(app.popup.is_some(), "the prompt stays open");
    assert!(
        status(&app).contains("the due date 2026-05-01 is before the start date 2026-05-21"),
        "{}",
        status(&app)
    );
    // Esc on the changed field asks; d discards what was typed.
    press(&mut app, "<Esc>d");
    press(
        &mut app,
        "s<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-09-01<Enter>",
    );
    assert!(
        status(&app).contains("after the due date 2026-08-01"),
        "{}",
        status(&app)
    );
    press(&mut app, "<Esc>d");
    assert_eq!(step(&app, 2).start, Some(day("2026-05-21")));
    assert_eq!(step(&app, 2).due, Some(day("2026-08-01")));
}

#[test]
fn a_due_date_before_the_start_in_an_older_file_is_flagged_not_drawn_as_a_normal_bar() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    screen_kit::acme_into(&mut store);
    drop(store);
    // Written by hand, as an older build (or an edited file) could have it.
    let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
    connection
        .execute(
            "INSERT INTO plan_step (assessment_id, step, status, reason, owner, start, due, done_on, note, updated_at)
             VALUES (1, 1, 'in_progress', '', '', '2026-05-01', '2026-03-01', NULL, '', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    drop(connection);
    let mut app = screen_kit::app_on(Store::open(&sandbox.db()).unwrap());
    press(&mut app, "<Enter>");
    screen_kit::on_screen(&mut app, Screen::Plan);
    app.today = day("2026-02-01");
    let list = draw(&app, 120, 40);
    assert!(list.contains("2026-05-01 2026-03-01 DUE<START"), "{list}");
    assert!(
        list.contains("The due date is before the start date"),
        "{list}"
    );
    press(&mut app, "t");
    let timeline = draw(&app, 120, 40);
    let row = timeline
        .lines()
        .find(|line| line.contains(" 1 Top management"))
        .unwrap();
    assert!(row.contains('X') && !row.contains('█'), "{row}");
    // The step can still be corrected (and given an owner) in the app.
    press(
        &mut app,
        "toCISO<Enter>d<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>2026-06-01<Enter>",
    );
    assert!(status(&app).contains("due saved"), "{}", status(&app));
}

// The real binary in a pseudo-terminal.

#[test]
fn in_a_terminal_a_done_step_survives_a_stray_space_and_the_start_date_is_visible() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "plan",
        "set",
        "--step",
        "1",
        "--start",
        "2026-01-05",
        "--status",
        "done",
    ]);
    sandbox.ok(&[
        "plan",
        "set",
        "--step",
        "2",
        "--start",
        "2026-02-02",
        "--due",
        "2026-03-30",
    ]);
    let done_on = sandbox.json(&["plan", "--json"])["steps"][0]["done_on"].clone();
    assert!(done_on.is_string());
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 120, 40);
    app.wait_for("Item 1 · 4.1");
    for _ in 0..3 {
        app.send(TAB);
    }
    app.wait_for("Start      Due        Status");
    app.wait_for("2026-02-02 2026-03-30");
    app.wait_for("start 2026-01-05");
    app.send(" ");
    app.wait_for("a second Space reopens it");
    app.send("j");
    app.wait_for("Step 2 · Identify interested parties");
    app.send("D");
    app.wait_for("Step 2 was done on");
    app.send(&"\x7f".repeat(10));
    app.type_keys("2026-03-01");
    app.send(ENTER);
    app.wait_for("Step 2: done on 2026-03-01.");
    app.send("q");
    assert!(app.wait_exit().success());
    let plan = sandbox.json(&["plan", "--json"]);
    assert_eq!(plan["steps"][0]["status"], "done");
    assert_eq!(plan["steps"][0]["done_on"], done_on);
    assert_eq!(plan["steps"][1]["status"], "done");
    assert_eq!(plan["steps"][1]["done_on"], "2026-03-01");
}
