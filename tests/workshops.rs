//! Issue 14: a gap analysis is a series of workshops. Not assessed is not absent; sessions,
//! history, undo and compare, on the real binary.

mod common;
mod screen_kit;

use common::{Sandbox, level};
use serde_json::Value;

fn group<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == id)
        .unwrap_or_else(|| panic!("clause {id} missing"))
}

#[test]
fn a_fresh_assessment_rates_every_group_not_assessed_and_clause_4_alone_gets_its_figure() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    let fresh = sandbox.json(&["summary", "--assessment", "Acme", "--json"]);
    for clause in fresh["clauses"].as_array().unwrap() {
        assert_eq!(clause["rating"], "not_assessed", "{clause}");
        assert_eq!(clause["assessed_readiness"], Value::Null);
    }
    for domain in fresh["annex_a"]["domains"].as_array().unwrap() {
        assert_eq!(domain["rating"], "not_assessed");
    }
    assert_eq!(fresh["overall"]["rating"], "not_assessed");
    assert_eq!(fresh["overall"]["assessed_readiness"], Value::Null);
    // The overall figure keeps its meaning: unanswered counts as 0.
    assert_eq!(fresh["overall"]["readiness"], 0.0);

    // Clause 4 of 2022 is items 1-10; the room answers items 1-5 at 4, 3, 2, 1, 0.
    sandbox.answer_all("Acme", 1..=5, |n| vec![level(5 - n as u8)]);
    let after = sandbox.json(&["summary", "--assessment", "Acme", "--json"]);
    let four = group(&after, "4");
    // assessed = 100 x (4+3+2+1+0)/4 / 5 answered = 50.0; readiness = 100 x 2.5 / 10 items = 25.0
    assert_eq!(four["assessed_readiness"], 50.0);
    assert_eq!(four["readiness"], 25.0);
    assert_eq!(four["rating"], "below_50");
    for id in ["5", "6", "7", "8", "9", "10"] {
        assert_eq!(group(&after, id)["rating"], "not_assessed", "clause {id}");
        assert_eq!(group(&after, id)["assessed_readiness"], Value::Null);
    }
    // overall: 2.5 / 142 clause items = 1.76 -> 1.8; assessed over the 5 answered = 50.0
    assert_eq!(after["overall"]["readiness"], 1.8);
    assert_eq!(after["overall"]["assessed_readiness"], 50.0);
    assert_eq!(after["overall"]["rating"], "below_50");

    let text = sandbox.ok(&["summary", "--assessment", "Acme"]);
    assert!(
        text.contains("overall readiness 1.8 %, assessed readiness 50.0 %"),
        "{text}"
    );
    assert!(text.contains("not assessed"), "{text}");
}

#[test]
fn every_export_labels_both_figures_and_lists_unanswered_items_as_not_yet_discussed() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.answer_all("Acme", 1..=5, |n| vec![level(5 - n as u8)]);
    // The appendix (`--detail full`) lists what nobody discussed yet, item by item.
    let md = sandbox.ok(&[
        "export", "-a", "Acme", "--format", "md", "-o", "-", "--detail", "full",
    ]);
    assert!(md.contains("Assessed readiness"), "{md}");
    assert!(
        md.contains("| 4 | Context of the organization | 25.0 % | 50.0 % | below 50 % |"),
        "{md}"
    );
    assert!(
        md.contains("| 5 | Leadership | 0.0 % | not assessed | not assessed |"),
        "{md}"
    );
    assert!(md.contains("## Not yet discussed"), "{md}");
    // The largest gaps are answered items only: item 5 at 0 first, item 6 (unanswered) never.
    let gaps = md.split("## Largest gaps").nth(1).unwrap();
    let gaps = gaps.split("## ").next().unwrap();
    assert!(gaps.contains("| 5 |"), "{gaps}");
    assert!(!gaps.contains("| 6 |"), "{gaps}");
    assert!(!gaps.contains("not answered"), "{gaps}");
    let summary = sandbox.ok(&["export", "-a", "Acme", "--format", "html", "-o", "-"]);
    assert!(
        summary.contains("<li>5 Leadership: 18 of 18 items not yet answered</li>"),
        "the executive summary says what was not assessed"
    );
    let html = sandbox.ok(&[
        "export", "-a", "Acme", "--format", "html", "-o", "-", "--detail", "full",
    ]);
    assert!(html.contains("assessed readiness: 50.0 %"), "html tile");
    assert!(html.contains("rating-grey"), "html grey state");
    assert!(html.contains("id=\"not-discussed\""));
    let json = sandbox.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    assert_eq!(json["summary"]["clauses"][1]["rating"], "not_assessed");
    assert_eq!(json["summary"]["clauses"][0]["assessed_readiness"], 50.0);
}

fn compare_group<'a>(compare: &'a Value, id: &str) -> &'a Value {
    compare["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["clause"] == id)
        .unwrap_or_else(|| panic!("group {id} missing"))
}

/// Two workshops with different people; the CLI's `undo`, `history` and `compare --since` against
/// hand-computed figures.
#[test]
fn sessions_stamp_changes_and_undo_history_and_compare_agree_with_hand_figures() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "Jo");
    let started = sandbox.ok(&[
        "session",
        "start",
        "-a",
        "Acme",
        "--title",
        "Top management",
        "--participants",
        "Ann Lee (CEO), Bo Ek (CISO)",
        "--focus",
        "4, 5",
    ]);
    assert!(started.contains("session 1 Top management"), "{started}");
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "3"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "2", "--level", "1"]);
    // A second session cannot start while one is open.
    let refused = sandbox.run(&["session", "start", "-a", "Acme", "--title", "Too early"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("still open"));
    sandbox.ok(&["session", "end", "-a", "Acme", "--notes", "scope agreed"]);
    sandbox.ok(&[
        "session",
        "start",
        "-a",
        "Acme",
        "--title",
        "Risk owners",
        "--participants",
        "Cy Ng (risk owner)",
    ]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "4"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "3", "--level", "2"]);
    let undone = sandbox.ok(&["undo", "-a", "Acme"]);
    assert!(
        undone.contains("undid item 3") && undone.contains("level 2 Implemented -> -"),
        "{undone}"
    );

    let sessions = sandbox.json(&["session", "list", "-a", "Acme", "--json"]);
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["session"]["participants"][1]["name"], "Bo Ek");
    assert_eq!(sessions[0]["session"]["notes"], "scope agreed");
    assert_eq!(
        sessions[1]["session"]["participants"][0]["role"],
        "risk owner"
    );
    assert_eq!(sessions[1]["session"]["ended_at"], Value::Null);

    // History, newest first: the undo, item 3 set, item 1 raised (session 2), then session 1.
    let history = sandbox.json(&["history", "-a", "Acme", "--json"]);
    let rows = history.as_array().unwrap();
    let brief: Vec<(u64, &str, Value, Value, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["item"].as_u64().unwrap(),
                r["field"].as_str().unwrap(),
                r["old"].clone(),
                r["new"].clone(),
                r["session"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        vec![
            (3, "level", "2".into(), Value::Null, 2),
            (3, "level", Value::Null, "2".into(), 2),
            (1, "level", "3".into(), "4".into(), 2),
            (2, "level", Value::Null, "1".into(), 1),
            (1, "level", Value::Null, "3".into(), 1),
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r["at"].as_str().is_some_and(|at| at.ends_with('Z')))
    );
    let item_1 = sandbox.json(&["history", "-a", "Acme", "--item", "1", "--json"]);
    assert_eq!(item_1.as_array().unwrap().len(), 2);

    // Before session 2: item 1 at 3, item 2 at 1 -> clause 4 = 100 x (3+1)/4 / 10 = 10.0.
    // Now: item 1 at 4, item 2 at 1 -> 100 x 5/4 / 10 = 12.5; delta +2.5. Item 3 was undone.
    let compare = sandbox.json(&["compare", "-a", "Acme", "--since", "2", "--json"]);
    let four = compare_group(&compare, "4");
    assert_eq!(four["from"], 10.0);
    assert_eq!(four["to"], 12.5);
    assert_eq!(four["delta"], 2.5);
    assert_eq!(compare_group(&compare, "5")["delta"], 0.0);
    let items = compare["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["number"], 1);
    assert_eq!(items[0]["ref"], "4.1 #1");
    assert_eq!(items[0]["from_level"], 3);
    assert_eq!(items[0]["to_level"], 4);
    // Since session 1 (the start): everything is newly assessed.
    let from_start = sandbox.json(&[
        "compare",
        "-a",
        "Acme",
        "--since",
        "Top management",
        "--json",
    ]);
    assert_eq!(compare_group(&from_start, "4")["from"], 0.0);
    assert_eq!(from_start["items"].as_array().unwrap().len(), 2);
    assert_eq!(from_start["items"][0]["change"], "newly_assessed");

    // The session report lists attendees, what was covered and every answer set in it.
    let report = sandbox.ok(&["session", "report", "-a", "Acme", "--session", "1"]);
    assert!(report.contains("Ann Lee (CEO), Bo Ek (CISO)"), "{report}");
    assert!(
        report.contains("| 4 | Context of the organization | 2 |"),
        "{report}"
    );
    assert!(report.contains("| level | - | 3 Checked |"), "{report}");
    assert!(report.contains("scope agreed"));
}

#[test]
fn compare_with_another_assessment_and_a_2013_baseline_through_the_mapping() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Last year", "iso27001-2022", "", "");
    sandbox.create("This year", "iso27001-2022", "", "");
    sandbox.answer("Last year", 1, &[level(1)]);
    sandbox.answer("This year", 1, &[level(3)]);
    sandbox.answer("This year", 2, &[level(2)]);
    let compare = sandbox.json(&[
        "compare",
        "-a",
        "This year",
        "--with",
        "Last year",
        "--json",
    ]);
    // 1/4/10 = 2.5 -> (3+2)/4/10 = 12.5
    let four = compare_group(&compare, "4");
    assert_eq!(
        (
            four["from"].clone(),
            four["to"].clone(),
            four["delta"].clone()
        ),
        (2.5.into(), 12.5.into(), 10.0.into())
    );
    let changes: Vec<&str> = compare["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["up", "newly_assessed"]);

    // A 2013 baseline against its 2022 assessment: through the mapping.
    sandbox.create("Baseline", "iso27001-2013", "", "");
    sandbox.answer("Baseline", 1, &[level(2)]);
    sandbox.ok(&["migrate", "-a", "Baseline", "--name", "Migrated"]);
    sandbox.answer("Migrated", 1, &[level(4)]);
    let compare = sandbox.json(&["compare", "-a", "Migrated", "--with", "Baseline", "--json"]);
    let items = compare["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["number"] == 1 && i["from_level"] == 2 && i["to_level"] == 4),
        "{items:?}"
    );
    // Unrelated questionnaires the other way round are refused with a reason.
    let refused = sandbox.run(&["compare", "-a", "Baseline", "--with", "This year"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot be compared"));
}

#[test]
fn sessions_and_the_session_of_each_change_survive_export_and_import() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.ok(&[
        "session",
        "start",
        "-a",
        "Acme",
        "--title",
        "Kick-off",
        "--participants",
        "Ann (CEO)",
    ]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "3"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "2"]);
    sandbox.ok(&["undo", "-a", "Acme"]);
    sandbox.ok(&["session", "end", "-a", "Acme"]);
    let path = sandbox.dir.path().join("acme.json");
    let path = path.to_str().unwrap();
    sandbox.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        path,
    ]);
    let first = std::fs::read_to_string(path).unwrap();
    let document: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(document["sessions"][0]["title"], "Kick-off");
    assert_eq!(document["history"][0]["session"], 1);
    assert_eq!(document["history"][2]["undoes"], 1);
    sandbox.ok(&["import", path, "--as", "Copy"]);
    let again = sandbox.dir.path().join("copy.json");
    let again = again.to_str().unwrap();
    sandbox.ok(&[
        "export",
        "-a",
        "Copy",
        "--format",
        "json",
        "--history",
        "-o",
        again,
    ]);
    let mut second: Value = serde_json::from_str(&std::fs::read_to_string(again).unwrap()).unwrap();
    let mut first = document;
    for doc in [&mut first, &mut second] {
        doc["summary"] = Value::Null;
        doc["assessment"]["name"] = "-".into();
    }
    assert!(
        first == second,
        "sessions, history and undo links come back as they were"
    );
    // The undo chain came along: the next undo in the copy undoes item 1's first level.
    let undone = sandbox.ok(&["undo", "-a", "Copy"]);
    assert!(undone.contains("level 3 Checked -> -"), "{undone}");
}

/// Undo restores every field one change touched (an exclusion clears the level: undo brings back
/// the decision and the level together), and a redo of that undo applies the change again.
#[test]
fn undo_restores_an_exclusion_and_its_cleared_level_and_redo_applies_it_again() {
    screen_kit::at_test_time();
    use isms_ready::model::{Change, ReasonCode};
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    let control = 143; // the first Annex A control of 2022
    sandbox.answer(
        "Acme",
        control,
        &[
            Change::Applicability {
                applicable: Some(true),
                reasons: vec![ReasonCode::RiskTreatment, ReasonCode::Contractual],
                justification: "needed for R1".into(),
            },
            level(3),
        ],
    );
    sandbox.answer(
        "Acme",
        control,
        &[Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: "no such systems".into(),
        }],
    );
    sandbox.with_store(|store| {
        let id = store.find_assessment("Acme").unwrap().unwrap().id;
        let before_undo = store.answers(id, 235).unwrap().get(control).clone();
        assert_eq!(before_undo.applicable, Some(false));
        assert_eq!(before_undo.level, None);
        let undone = store.undo_last(id, 0).unwrap().expect("something to undo");
        let answer = store.answers(id, 235).unwrap().get(control).clone();
        assert_eq!(answer.applicable, Some(true));
        assert_eq!(
            answer.reasons,
            vec![ReasonCode::RiskTreatment, ReasonCode::Contractual]
        );
        assert_eq!(answer.justification, "needed for R1");
        assert_eq!(answer.level.map(|l| l.value()), Some(3));
        store.redo(id, &undone.undo_rows).unwrap().expect("redone");
        assert_eq!(store.answers(id, 235).unwrap().get(control), &before_undo);
        // The history only grew: 4 rows of the two changes, 2 of the undo, 2 of the redo.
        assert_eq!(store.history(id).unwrap().len(), 8);
    });
}

/// The main flow in the real app: two sessions started and ended from the dashboard with
/// different people, levels set, one undone with Ctrl-Z; then `history`, `undo` and
/// `compare --since` agree with hand-computed figures.
#[test]
fn two_sessions_in_the_app_with_ctrl_z_then_history_undo_and_compare_agree() {
    screen_kit::at_test_time();
    use common::pty::{ENTER, TAB, Terminal};
    const BACKTAB: &str = "\x1b[Z";
    const CTRL_Z: &str = "\x1a";
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "Jo");
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 100, 30);
    app.wait_for("Item 1 · 4.1");
    let start = |app: &mut Terminal, title: &str, people: &str| {
        app.send(TAB);
        app.wait_for("Assess%");
        app.send("S");
        app.wait_for("New workshop session: title");
        app.type_keys(title);
        app.send(ENTER);
        app.wait_for("Participants");
        app.type_keys(people);
        app.send(ENTER);
        app.wait_for(&format!("Session {} (", title_number(title)));
        app.wait_for("started: every change is stamped");
        app.send(BACKTAB);
        app.wait_for("Item ");
    };
    fn title_number(title: &str) -> &str {
        if title == "Top management" {
            "1 Top management"
        } else {
            "2 Risk owners"
        }
    }
    start(&mut app, "Top management", "Ann Lee (CEO), Bo Ek (CISO)");
    app.send("g3");
    app.wait_for("Item 1: level 3");
    app.send("j1");
    app.wait_for("Item 2: level 1");
    app.send(TAB);
    app.wait_for("Sessions");
    app.send("S");
    app.wait_for("End session 1");
    app.send(ENTER);
    app.wait_for("Session 1 Top management");
    app.wait_for("ended");
    app.send(BACKTAB);
    start(&mut app, "Risk owners", "Cy Ng (risk owner)");
    app.send("g4");
    app.wait_for("Item 1: level 4");
    app.send("jj2");
    app.wait_for("Item 3: level 2");
    app.send(CTRL_Z);
    app.wait_for("Undone: item 3");
    // The item panel says when and in which session the item last changed.
    app.send("gjj");
    app.wait_for("session 2");
    // Its history: the undo on top, in session 2.
    app.send("H");
    app.wait_for("History of item 3");
    app.wait_for("level (undo)");
    app.send("\x1b");
    app.wait_for("Item 3 ·");
    // The Compare screen: now against before session 2 (clause 4: 10.0 -> 12.5).
    app.send(TAB);
    app.wait_for("Assess%");
    app.send("C");
    app.wait_for("Compare: before session 2 Risk owners");
    app.wait_for("10.0   12.5   +2.5");
    app.send("\x1b");
    app.wait_for("Assess%");
    app.send("q");
    assert!(app.wait_exit().success());

    let sessions = sandbox.json(&["session", "list", "-a", "Acme", "--json"]);
    assert_eq!(sessions[0]["session"]["participants"][0]["name"], "Ann Lee");
    assert_eq!(
        sessions[1]["session"]["participants"][0]["role"],
        "risk owner"
    );
    let history = sandbox.json(&["history", "-a", "Acme", "--item", "3", "--json"]);
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0]["old"].clone(), rows[0]["new"].clone()),
        ("2".into(), Value::Null)
    );
    assert_eq!(rows[0]["session"], 2);
    assert_eq!(rows[0]["undo"], true);
    // Before session 2: item 1 at 3, item 2 at 1 -> clause 4 = 10.0; now item 1 at 4 -> 12.5.
    let compare = sandbox.json(&["compare", "-a", "Acme", "--since", "2", "--json"]);
    let four = compare_group(&compare, "4");
    assert_eq!(
        (
            four["from"].clone(),
            four["to"].clone(),
            four["delta"].clone()
        ),
        (10.0.into(), 12.5.into(), 2.5.into())
    );
    assert_eq!(compare["items"].as_array().unwrap().len(), 1);
    assert_eq!(compare["items"][0]["to_level"], 4);
    // The CLI undo skips what the app already undid: it takes item 1 back to 3.
    let undone = sandbox.ok(&["undo", "-a", "Acme"]);
    assert!(
        undone.contains("item 1") && undone.contains("level 4 Improving -> 3 Checked"),
        "{undone}"
    );
    let after = sandbox.json(&["compare", "-a", "Acme", "--since", "2", "--json"]);
    assert_eq!(compare_group(&after, "4")["delta"], 0.0);
}

/// The dashboard with workshop sessions: the open session and who is in the room, the overall
/// trend, and (from 120 columns) a trend mark per clause and session; grey rows stay grey.
#[test]
fn the_dashboard_shows_sessions_and_the_trend_per_clause() {
    screen_kit::at_test_time();
    use isms_ready::tui::Screen;
    use screen_kit::{acme_on, draw, on_screen, press, status};
    let mut app = acme_on(Screen::Questionnaire);
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S");
    press(
        &mut app,
        "Top management<Enter>Ann Lee (CEO), Bo Ek (CISO)<Enter>",
    );
    assert!(
        status(&app).contains("Session 1 Top management"),
        "{}",
        status(&app)
    );
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "4j4j2j0");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S<Enter>");
    assert!(status(&app).contains("ended"), "{}", status(&app));
    press(&mut app, "S");
    press(&mut app, "Risk owners<Enter>Cy Ng (risk owner)<Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    // Clause 5 of 2013 starts at item 10.
    press(&mut app, "jjjjjj3");
    on_screen(&mut app, Screen::Dashboard);
    snapshot!("dashboard_sessions_80x24", draw(&app, 80, 24));
    snapshot!("dashboard_sessions_160x48", draw(&app, 160, 48));
}

/// The History screen: the selected item's changes (`H` in the questionnaire), every change (`i`),
/// one session's (`f`), newest first, with the session of each; `Esc` goes back.
#[test]
fn the_history_screen_lists_changes_newest_first_by_item_and_session() {
    screen_kit::at_test_time();
    use isms_ready::tui::Screen;
    use screen_kit::{acme_on, draw, on_screen, press};
    let mut app = acme_on(Screen::Questionnaire);
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S");
    press(&mut app, "Top management<Enter>Ann Lee (CEO)<Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "3j1");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S<Enter>");
    press(&mut app, "S");
    press(&mut app, "Risk owners<Enter>Cy Ng (risk owner)<Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "k4");
    app.handle_key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('z'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    press(&mut app, "H");
    assert_eq!(app.screen, Screen::History);
    // Item 1: set to 3 in session 1, raised to 4 and undone in session 2.
    let fields: Vec<(Option<u32>, Option<String>)> = app
        .views
        .history
        .list
        .rows
        .iter()
        .map(|r| (r.session, r.new_value.clone()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (Some(2), Some("3".into())),
            (Some(2), Some("4".into())),
            (Some(1), Some("3".into()))
        ]
    );
    snapshot!("history_item_80x24", draw(&app, 80, 24));
    press(&mut app, "i");
    assert_eq!(app.views.history.list.total, 4);
    press(&mut app, "f");
    let list = &app.views.history.list;
    assert_eq!((list.session, list.total), (Some(1), 2));
    snapshot!("history_session_1_160x48", draw(&app, 160, 48));
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Questionnaire);
}

/// The reports show readiness per clause at the end of each session: a line chart (inline SVG,
/// no script) in HTML and a table in Markdown, with hand-computed figures.
#[test]
fn reports_show_the_trend_per_clause_over_the_sessions() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.ok(&["session", "start", "-a", "Acme", "--title", "One"]);
    sandbox.answer_all("Acme", 1..=10, |_| vec![level(2)]);
    sandbox.ok(&["session", "end", "-a", "Acme"]);
    sandbox.ok(&["session", "start", "-a", "Acme", "--title", "Two"]);
    sandbox.answer_all("Acme", 1..=10, |_| vec![level(4)]);
    let html = sandbox.ok(&["export", "-a", "Acme", "--format", "html", "-o", "-"]);
    let trend = &html[html
        .find("<section id=\"trend\">")
        .expect("a trend section")..];
    let trend = &trend[..trend.find("</section>").unwrap()];
    assert_eq!(trend.matches("<polyline").count(), 7, "one line per clause");
    assert!(!html.contains("<script"));
    // Clause 4: 50.0 % at the end of session 1 (10 items at 2), 100.0 % now (session 2 open).
    assert!(trend.contains("<td class=\"num\">50.0 %</td>"), "{trend}");
    assert!(trend.contains("<td class=\"num\">100.0 %</td>"), "{trend}");
    let md = sandbox.ok(&["export", "-a", "Acme", "--format", "md", "-o", "-"]);
    // Clauses 4-10 overall: 10 x 2/4 / 142 = 3.5 % then 10 / 142 = 7.0 %.
    assert!(md.contains("| 1 | One | "), "{md}");
    assert!(md.contains(" | 3.5 % | 50.0 % | 0.0 % |"), "{md}");
    assert!(md.contains(" | 7.0 % | 100.0 % | 0.0 % |"), "{md}");
}

/// In the note editor, Ctrl-T tags who said it with a participant of the session; pressed again
/// right away it names the next participant instead.
#[test]
fn the_note_editor_tags_who_said_it_from_the_sessions_participants() {
    screen_kit::at_test_time();
    use isms_ready::tui::Screen;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use screen_kit::{acme_on, on_screen, press, status};
    let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
    let mut app = acme_on(Screen::Questionnaire);
    // Without a session there is nobody to tag, and the status line says how to start one.
    press(&mut app, "e");
    app.handle_key(ctrl_t);
    assert!(
        status(&app).contains("start a session with S"),
        "{}",
        status(&app)
    );
    press(&mut app, "<Esc>");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S");
    press(&mut app, "Board<Enter>Ann Lee (CEO), Bo Ek (CISO)<Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "e");
    app.handle_key(ctrl_t);
    press(&mut app, "scope agreed ");
    app.handle_key(ctrl_t);
    app.handle_key(ctrl_t);
    press(&mut app, "budget is tight<C-s>");
    let note = &app.session.as_ref().unwrap().answers.get(1).note;
    assert_eq!(
        note,
        "[Ann Lee (CEO)] scope agreed [Bo Ek (CISO)] budget is tight"
    );
}

/// The Compare screen: `C` on the dashboard compares now with before the last session; `f` moves
/// to before the first session, then to another assessment of the questionnaire.
#[test]
fn the_compare_screen_shows_then_now_and_delta_per_clause_and_the_items_that_moved() {
    screen_kit::at_test_time();
    use isms_ready::tui::Screen;
    use screen_kit::{acme_into, app_on, draw, on_screen, press};
    let mut store = isms_ready::store::Store::open_in_memory().unwrap();
    acme_into(&mut store);
    store
        .create_assessment(&isms_ready::store::NewAssessment {
            name: "Last year".into(),
            questionnaire_id: "iso27001-2013".into(),
            ..Default::default()
        })
        .unwrap();
    let mut app = app_on(store);
    // The picker lists the newest first: open "Acme Ltd".
    while app.context().assessments[app.views.picker.selected]
        .assessment
        .name
        != "Acme Ltd"
    {
        press(&mut app, "j");
    }
    press(&mut app, "<Enter>");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "C");
    assert_eq!(
        app.screen,
        Screen::Compare,
        "only another assessment to compare with"
    );
    press(&mut app, "<Esc>S");
    press(&mut app, "One<Enter><Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "2j2j2");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S<Enter>S");
    press(&mut app, "Two<Enter><Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "g4jj0j3");
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "C");
    assert_eq!(app.screen, Screen::Compare);
    let state = app.views.compare.state.clone().unwrap();
    assert_eq!(
        state.points, 3,
        "before session 2, before session 1, Last year"
    );
    let four = &state.comparison.groups[0];
    // Clause 4 of 2013 has 9 items: (2+2+2)/4/9 = 16.7 -> (4+2+0+3)/4/9 = 25.0.
    assert_eq!(
        (four.from.to_string(), four.to.to_string(), four.delta),
        ("16.7".into(), "25.0".into(), 8.3)
    );
    let moved: Vec<(u32, Option<u8>, Option<u8>)> = state
        .comparison
        .items
        .iter()
        .map(|i| (i.number, i.from_level, i.to_level))
        .collect();
    assert_eq!(
        moved,
        vec![
            (1, Some(2), Some(4)),
            (3, Some(2), Some(0)),
            (4, None, Some(3))
        ]
    );
    snapshot!("compare_80x24", draw(&app, 80, 24));
    snapshot!("compare_160x48", draw(&app, 160, 48));
    press(&mut app, "f");
    let state = app.views.compare.state.clone().unwrap();
    assert!(
        state.from_label.contains("before session 1 One"),
        "{}",
        state.from_label
    );
    press(&mut app, "f");
    let state = app.views.compare.state.clone().unwrap();
    assert!(
        state.from_label.contains("Last year"),
        "{}",
        state.from_label
    );
    // Against "Last year" (nothing answered) items 1-4 are all newly assessed; the third is 3.
    assert_eq!(state.comparison.items.len(), 4);
    press(&mut app, "jj<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(app.selected_item().unwrap().number, 3);
}

/// The History and Compare screens render at every small size without a panic.
#[test]
fn history_and_compare_render_at_every_small_size() {
    screen_kit::at_test_time();
    use isms_ready::tui::Screen;
    use screen_kit::{acme_on, draw, on_screen, press};
    let mut app = acme_on(Screen::Questionnaire);
    on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "S");
    press(&mut app, "One<Enter>Ann (CEO)<Enter>");
    on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "3j2");
    for open in ["H", "C"] {
        on_screen(&mut app, Screen::Dashboard);
        press(&mut app, open);
        for width in (1..=90).step_by(7) {
            for height in (1..=40).step_by(3) {
                draw(&app, width, height);
            }
        }
        press(&mut app, "<Esc>");
    }
}

#[test]
fn actions_and_register_entries_made_during_a_session_are_stamped_with_it() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "Jo");
    sandbox.ok(&[
        "action",
        "-a",
        "Acme",
        "add",
        "--item",
        "1",
        "--title",
        "Before any session",
    ]);
    sandbox.ok(&["session", "start", "-a", "Acme", "--title", "Risk owners"]);
    sandbox.ok(&[
        "action",
        "-a",
        "Acme",
        "add",
        "--item",
        "2",
        "--title",
        "Agreed in the room",
    ]);
    sandbox.ok(&[
        "risks",
        "add",
        "-a",
        "Acme",
        "--title",
        "Lost laptop",
        "--likelihood",
        "3",
        "--impact",
        "3",
        "--owner",
        "IT",
        "--treatment",
        "mitigate",
    ]);
    let history: Value = sandbox.json(&["history", "-a", "Acme", "--json"]);
    let rows = history.as_array().expect("an array of changes");
    let session_of = |needle: &str| {
        rows.iter()
            .find(|row| row.to_string().contains(needle))
            .unwrap_or_else(|| panic!("no history row with {needle}: {history}"))["session"]
            .clone()
    };
    assert_eq!(session_of("Before any session"), Value::Null);
    assert_eq!(session_of("Agreed in the room"), 1);
    assert_eq!(session_of("Lost laptop"), 1);
}
