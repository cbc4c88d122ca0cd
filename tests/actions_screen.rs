//! Issue 16 in the app: an action created from the questionnaire (one key, the title prefilled),
//! the Actions screen (list, filter, sort, edit, roadmap, verdict blockers, documents checklist),
//! the dashboard's verdict lines, and the mark on items with an open action. In-process
//! (`TestBackend`) with snapshots at 80x24 and 160x48, and the real binary in a pseudo-terminal.

mod common;
mod screen_kit;

use common::Sandbox;
use common::pty::{ENTER, TAB, Terminal};
use isms_ready::model::action::{ActionStatus, Effort};
use isms_ready::tui::{App, Screen};
use screen_kit::{acme_on, draw, on_screen, press, status};

fn actions_of(app: &App) -> &[isms_ready::model::action::Action] {
    &app.session.as_ref().unwrap().actions
}

/// "Acme Ltd" (2013) with three actions made in the app: on items 8 (scope statement), 106
/// (internal audits) and 1 (issues), with owners, due dates, efforts and priorities.
fn with_actions() -> App {
    let mut app = acme_on(Screen::Questionnaire);
    // Item 8: the documented scope statement; title kept as prefilled.
    press(&mut app, "jjjjjjj");
    press(&mut app, "a<Enter>");
    // Item 1, with a title of its own.
    press(&mut app, "g");
    press(&mut app, "a");
    for _ in 0.."External and internal issues".len() {
        press(&mut app, "<BS>");
    }
    press(&mut app, "List the context issues<Enter>");
    on_screen(&mut app, Screen::Actions);
    press(&mut app, "g");
    app
}

#[test]
fn a_key_in_the_questionnaire_creates_an_action_titled_after_the_item() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "jjjjjjj");
    press(&mut app, "a");
    // The prompt opens with the item's title, ready to keep or change.
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("New action on item 8 (4.3 #2)"), "{screen}");
    assert!(screen.contains("Documented scope statement"), "{screen}");
    press(&mut app, "<Enter>");
    let actions = actions_of(&app);
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].items, vec![8]);
    assert_eq!(actions[0].title, "Documented scope statement");
    assert!(
        status(&app).starts_with("Action #1 added on item 8"),
        "{}",
        status(&app)
    );
    // The item list marks the item with an open action.
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("   8 . A Documented scope"), "{screen}");
    // Esc on the untouched prompt adds nothing.
    press(&mut app, "a<Esc>");
    assert_eq!(actions_of(&app).len(), 1);
}

#[test]
fn the_actions_screen_edits_filters_sorts_and_shows_the_roadmap() {
    screen_kit::at_test_time();
    let mut app = with_actions();
    // Sorted by priority (both 2) then number: #1 scope, #2 issues.
    press(&mut app, "o");
    press(&mut app, "Ann<Enter>");
    press(&mut app, "d2020-01-31<Enter>");
    press(&mut app, "ppp"); // 2 -> 3 -> 4 -> 1
    press(&mut app, "zz"); // XS -> S
    let actions = actions_of(&app);
    let scope = actions.iter().find(|a| a.number == 1).unwrap();
    assert_eq!(scope.owner, "Ann");
    assert_eq!(scope.priority, 1);
    assert_eq!(scope.effort, Some(Effort::S));
    assert!(scope.due.is_some());
    // The second action: in progress, due far ahead.
    press(&mut app, "j");
    press(&mut app, " d2099-12-31<Enter>");
    let issues = actions_of(&app).iter().find(|a| a.number == 2).unwrap();
    assert_eq!(issues.status, ActionStatus::InProgress);
    for (width, height) in [(80, 24), (160, 48)] {
        snapshot!(
            format!("actions_list_{width}x{height}"),
            draw(&app, width, height)
        );
    }
    // Filter by status: overdue lists only #1; by owner text: only Ann's.
    press(&mut app, "fffffff");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("filter overdue"), "{screen}");
    assert!(
        screen.contains("#1   [") && !screen.contains("#2   ["),
        "{screen}"
    );
    press(&mut app, "f/ann<Enter>");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("\"ann\""), "{screen}");
    assert!(
        screen.contains("#1   [") && !screen.contains("#2   ["),
        "{screen}"
    );
    // By clause: "4" matches both (4.3 and 4.1).
    press(&mut app, "/<BS><BS><BS>4<Enter>");
    let screen = draw(&app, 160, 48);
    assert!(
        screen.contains("#1   [") && screen.contains("#2   ["),
        "{screen}"
    );
    // The roadmap: #1 overdue and priority 1 in Now, #2 (plan phase, priority 2) in Now too.
    press(&mut app, "v");
    for (width, height) in [(80, 24), (160, 48)] {
        snapshot!(
            format!("actions_roadmap_{width}x{height}"),
            draw(&app, width, height)
        );
    }
    // Enter opens the action's item in the questionnaire.
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
}

#[test]
fn the_verdict_and_documents_views_list_blockers_and_the_dashboard_opens_them() {
    screen_kit::at_test_time();
    let mut app = with_actions();
    on_screen(&mut app, Screen::Dashboard);
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("Stage 1    NOT READY"), "{screen}");
    assert!(screen.contains("Actions    2 open"), "{screen}");
    // k above the first gap selects the Stage 2 line, then Stage 1; Enter lists its blockers.
    press(&mut app, "kk<Enter>");
    assert_eq!(app.screen, Screen::Actions);
    for (width, height) in [(80, 24), (160, 48)] {
        snapshot!(
            format!("actions_stage1_{width}x{height}"),
            draw(&app, width, height)
        );
    }
    // The documents checklist: the 2013 edition's 16 documents with their status.
    press(&mut app, "vv");
    for (width, height) in [(80, 24), (160, 48)] {
        snapshot!(
            format!("actions_documents_{width}x{height}"),
            draw(&app, width, height)
        );
    }
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("Statement of Applicability"), "{screen}");
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(app.selected_item().unwrap().number, 8);
}

/// The main flow with the real binary: create an action from an item, find it on the Actions
/// screen, set it done, and see the roadmap and the dashboard change.
#[test]
fn an_action_made_in_the_room_is_done_on_the_actions_screen_and_the_roadmap_and_dashboard_follow() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2022"]);
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 120, 40);
    app.wait_for("Item 1 · 4.1");
    // Item 9: the written scope; the title comes prefilled.
    app.send("jjjjjjjj");
    app.wait_for("Item 9 · 4.3 #2");
    app.send("a");
    app.wait_for("New action on item 9");
    app.send(ENTER);
    app.wait_for("Action #1 added on item 9");
    // Dashboard: one open action, Now.
    app.send(TAB);
    app.wait_for("Actions    1 open · 0 done · now 1");
    // Actions screen (Tab: SoA, Plan, Actions).
    app.send(&format!("{TAB}{TAB}{TAB}"));
    app.wait_for("#1   [ ] P2");
    app.wait_for("Scope written down and available");
    app.send("v");
    app.wait_for("Roadmap");
    app.send("vvvv");
    app.wait_for("Actions · filter all");
    // Space twice: in progress, then done.
    app.send(" ");
    app.wait_for("Action #1: in progress.");
    app.send(" ");
    app.wait_for("Action #1: done on ");
    app.send("v");
    app.wait_for("No open action: the roadmap is empty.");
    // Actions -> Export -> Registers -> Questionnaire -> Dashboard.
    app.send(&format!("{TAB}{TAB}{TAB}{TAB}"));
    app.wait_for("Actions    0 open · 1 done · now 0");
    app.send("q");
    assert!(app.wait_exit().success());
    let listed = sandbox.json(&["action", "-a", "Acme", "list", "--json"]);
    assert_eq!(listed["actions"][0]["status"], "done");
    assert_eq!(listed["actions"][0]["items"], serde_json::json!([9]));
}
