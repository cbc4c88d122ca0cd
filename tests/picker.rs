//! Issue 12, points 19 and 20: the picker (Tab, figures, rename, edit, delete with a backup) and
//! the accent-blind search with its highlight. Screens through `TestBackend`, the store through
//! its API, the CLI through the real binary.

mod common;
mod screen_kit;

use common::{Sandbox, level};
use isms_ready::model::{Catalog, Change};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::Screen;
use isms_ready::tui::app::Popup;
use screen_kit::{app_on, draw, draw_with_marks, press};

fn new_assessment(store: &mut Store, name: &str, standard: &str) -> i64 {
    store
        .create_assessment(&NewAssessment {
            name: name.into(),
            questionnaire_id: standard.into(),
            scope: format!("{name} head office"),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap()
        .id
}

/// Three assessments with different figures: "Acme Ltd" (2022) half of clause 4 answered,
/// "Beta GmbH" (2013) with no answer, "Ça Va SARL" (2022) one item at 4 and a control excluded.
fn three_assessments() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let acme = new_assessment(&mut store, "Acme Ltd", "iso27001-2022");
    new_assessment(&mut store, "Beta GmbH", "iso27001-2013");
    let cava = new_assessment(&mut store, "Ça Va SARL", "iso27001-2022");
    for (item, value) in [(1, 4), (2, 3), (3, 2), (4, 1)] {
        store.apply_change(acme, item, &level(value)).unwrap();
    }
    store.apply_change(cava, 1, &level(4)).unwrap();
    store
}

#[test]
fn picker_rows_show_readiness_coverage_and_last_change_from_the_scoring_function() {
    screen_kit::at_test_time();
    let store = three_assessments();
    let app = app_on(store);
    // The figures are those of `score::summarize`, as `summary` prints them.
    let catalog = Catalog::builtin();
    for row in &app.assessments {
        let assessment = &row.assessment;
        let questionnaire = catalog.get(&assessment.questionnaire_id).unwrap();
        let answers = app
            .service
            .answers(assessment.id, questionnaire.items.len())
            .unwrap();
        let summary = isms_ready::score::summarize(assessment, &questionnaire, &answers);
        let screen = draw(&app, 160, 48);
        let row = screen
            .lines()
            .find(|line| line.contains(&assessment.name))
            .unwrap();
        for figure in [summary.overall.readiness, summary.overall.coverage] {
            assert!(
                row.contains(&format!("{figure} %")),
                "{figure} not in {row}"
            );
        }
    }
    snapshot!("picker_figures_80x24", draw(&app, 80, 24));
    snapshot!("picker_figures_160x48", draw(&app, 160, 48));
}

#[test]
fn tab_in_the_picker_opens_the_highlighted_assessment_not_the_one_open_before() {
    screen_kit::at_test_time();
    let mut app = app_on(three_assessments());
    // Open the first ("Ça Va SARL", the newest), go back, highlight another one, press Tab.
    press(&mut app, "<Enter>");
    let first = app.session.as_ref().unwrap().assessment.name.clone();
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Picker);
    press(&mut app, "j");
    let highlighted = app.assessments[app.views.picker.selected]
        .assessment
        .name
        .clone();
    assert_ne!(first, highlighted);
    press(&mut app, "<Tab>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(app.session.as_ref().unwrap().assessment.name, highlighted);
    // Shift-Tab from the picker opens the highlighted one on its last screen.
    press(&mut app, "<Esc>G<BackTab>");
    assert_eq!(app.screen, Screen::Export);
    let third = app.session.as_ref().unwrap().assessment.name.clone();
    assert!(third != first && third != highlighted, "{third}");
}

#[test]
fn rename_refuses_an_empty_or_taken_name_and_keeps_the_prompt_open() {
    screen_kit::at_test_time();
    let mut app = app_on(three_assessments());
    let target = app.assessments[app.views.picker.selected]
        .assessment
        .clone();
    press(&mut app, "r");
    assert!(matches!(app.popup, Some(Popup::Prompt { .. })));
    // Clear the field (the old name is prefilled), then try an empty name.
    for _ in 0..target.name.chars().count() {
        press(&mut app, "<Bs>");
    }
    press(&mut app, "<Enter>");
    assert!(matches!(app.popup, Some(Popup::Prompt { .. })));
    assert!(
        app.status.as_ref().unwrap().text.contains("needs a name"),
        "{:?}",
        app.status
    );
    press(&mut app, "Beta GmbH<Enter>");
    assert!(matches!(app.popup, Some(Popup::Prompt { .. })));
    assert!(
        app.status.as_ref().unwrap().text.contains("already exists"),
        "{:?}",
        app.status
    );
    for _ in 0.."Beta GmbH".len() {
        press(&mut app, "<Bs>");
    }
    press(&mut app, "  Zeta Sp. z o.o.  <Enter>");
    assert!(app.popup.is_none());
    let renamed = app.service.assessment(target.id).unwrap();
    assert_eq!(renamed.name, "Zeta Sp. z o.o.");
    assert_eq!(renamed.scope, target.scope);
    // The highlight stays on the renamed assessment.
    assert_eq!(
        app.assessments[app.views.picker.selected].assessment.id,
        target.id
    );
}

#[test]
fn e_edits_the_scope_the_assessor_and_the_firm_and_an_open_assessment_follows() {
    screen_kit::at_test_time();
    let mut app = app_on(three_assessments());
    press(&mut app, "<Enter><Esc>");
    let id = app.session.as_ref().unwrap().assessment.id;
    press(&mut app, "e");
    for _ in 0..40 {
        press(&mut app, "<Bs>");
    }
    press(&mut app, "Paris and Lyon sites<Enter>");
    assert!(
        matches!(app.popup, Some(Popup::Prompt { .. })),
        "assessor next"
    );
    press(&mut app, "<Bs><Bs><Bs><Bs><Bs><Bs>A. Müller<Enter>");
    assert!(
        matches!(app.popup, Some(Popup::Prompt { .. })),
        "the firm next"
    );
    press(&mut app, "Harbour Risk Partners<Enter>");
    assert!(app.popup.is_none());
    let saved = app.service.assessment(id).unwrap();
    assert_eq!(saved.scope, "Paris and Lyon sites");
    assert_eq!(saved.assessor, "A. Müller");
    assert_eq!(saved.firm, "Harbour Risk Partners");
    assert_eq!(app.session.as_ref().unwrap().assessment, saved);
    // Esc on a prompt changes nothing.
    press(&mut app, "eXYZ<Esc>");
    assert_eq!(app.service.assessment(id).unwrap(), saved);
}

#[test]
fn delete_asks_first_naming_the_assessment_and_the_backup_and_n_keeps_it() {
    screen_kit::at_test_time();
    let mut app = app_on(three_assessments());
    let name = app.assessments[0].assessment.name.clone();
    press(&mut app, "D");
    let Some(Popup::ConfirmDelete(confirm)) = &app.popup else {
        panic!("no confirmation");
    };
    let backup = confirm.backup.display().to_string();
    let screen = draw(&app, 80, 24);
    assert!(screen.contains(&format!("\"{name}\"")), "{screen}");
    assert!(
        screen.contains("isms-ready-deleted-ca-va-sarl-"),
        "{screen}"
    );
    assert!(backup.ends_with(".json"), "{backup}");
    snapshot!("picker_delete_confirmation_80x24", screen);
    press(&mut app, "n");
    assert!(app.popup.is_none());
    press(&mut app, "D<Esc>");
    assert!(app.popup.is_none());
    assert_eq!(app.assessments.len(), 3, "nothing was deleted");
}

#[test]
fn delete_writes_an_owner_only_backup_then_removes_everything_of_that_assessment() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Keep", "--standard", "iso27001-2013"]);
    sandbox.ok(&["new", "--name", "Gone", "--standard", "iso27001-2022"]);
    for args in [
        ["answer", "-a", "Gone", "--item", "1", "--level", "3"],
        ["answer", "-a", "Gone", "--item", "2", "--note", "Réunion"],
        ["answer", "-a", "Keep", "--item", "1", "--level", "2"],
    ] {
        sandbox.ok(&args);
    }
    sandbox.ok(&[
        "plan", "-a", "Gone", "set", "--step", "1", "--status", "done",
    ]);
    sandbox.ok(&[
        "plan", "-a", "Keep", "set", "--step", "1", "--status", "done",
    ]);
    let before = sandbox.json(&[
        "export",
        "-a",
        "Gone",
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ]);

    let mut app = app_on(Store::open(&sandbox.db()).unwrap());
    let index = app
        .assessments
        .iter()
        .position(|a| a.assessment.name == "Gone")
        .unwrap();
    app.views.picker.selected = index;
    press(&mut app, "Dy");
    assert!(app.popup.is_none());
    let status = app.status.clone().unwrap().text;
    assert!(status.starts_with("Deleted \"Gone\". Backup: "), "{status}");
    let names: Vec<_> = app
        .assessments
        .iter()
        .map(|a| a.assessment.name.as_str())
        .collect();
    assert_eq!(names, ["Keep"]);
    drop(app);

    let backups: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("isms-ready-deleted-gone-") && name.ends_with(".json")
        })
        .collect();
    assert_eq!(backups.len(), 1, "one backup beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backups[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The backup is the document `export --format json --history` writes.
    let backup: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&backups[0]).unwrap()).unwrap();
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    assert_eq!(strip(backup.clone()), strip(before.clone()));

    // Nothing of "Gone" is left in any table; "Keep" is whole.
    let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
    for table in ["assessment", "answer", "plan_step", "history"] {
        let column = if table == "assessment" {
            "id"
        } else {
            "assessment_id"
        };
        let keep: i64 = connection
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} = 1"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        let all: i64 = connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(keep > 0, "{table} of Keep");
        assert_eq!(
            keep, all,
            "{table} still holds rows of the deleted assessment"
        );
    }
    drop(connection);

    // `import` takes the backup back, answers and all.
    let path = backups[0].to_str().unwrap();
    let out = sandbox.ok(&["import", path]);
    assert!(out.contains("imported \"Gone\""), "{out}");
    let summary = sandbox.json(&["summary", "-a", "Gone", "--json"]);
    assert_eq!(summary["overall"]["answered"], 1);
}

#[test]
fn nothing_is_deleted_when_the_backup_cannot_be_written() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Precious"]);
    sandbox.ok(&["answer", "-a", "Precious", "--item", "1", "--level", "4"]);
    let mut app = app_on(Store::open(&sandbox.db()).unwrap());
    press(&mut app, "D");
    let Some(Popup::ConfirmDelete(confirm)) = &app.popup else {
        panic!("no confirmation");
    };
    // Something already sits where the backup goes: it is neither replaced nor deleted after.
    std::fs::write(&confirm.backup, "someone else's file").unwrap();
    let taken = confirm.backup.clone();
    press(&mut app, "y");
    let status = app.status.clone().unwrap().text;
    assert!(status.starts_with("NOT DELETED"), "{status}");
    assert_eq!(
        std::fs::read_to_string(&taken).unwrap(),
        "someone else's file"
    );
    assert_eq!(app.assessments.len(), 1);
    drop(app);
    let summary = sandbox.json(&["summary", "-a", "Precious", "--json"]);
    assert_eq!(summary["overall"]["answered"], 1);
}

#[test]
fn the_cli_renames_edits_and_deletes_with_the_same_rules() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "One"]);
    sandbox.ok(&["new", "--name", "Two"]);
    let out = sandbox.run(&["rename", "-a", "One", "--name", "Two"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = sandbox.run(&["rename", "-a", "One", "--name", "  "]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a name"));
    sandbox.ok(&["rename", "-a", "One", "--name", "Uno"]);
    sandbox.ok(&["edit", "-a", "Uno", "--scope", "HQ", "--assessor", "Ana"]);
    let list = sandbox.json(&["list", "--json"]);
    let uno = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Uno")
        .unwrap();
    assert_eq!(
        (uno["scope"].as_str(), uno["assessor"].as_str()),
        (Some("HQ"), Some("Ana"))
    );
    // Delete wants --yes, and says where the backup goes.
    let out = sandbox.run(&["delete", "-a", "Uno"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    let out = sandbox.ok(&["delete", "-a", "Uno", "--yes"]);
    assert!(out.contains("isms-ready-deleted-uno-"), "{out}");
    assert_eq!(
        sandbox.json(&["list", "--json"]).as_array().unwrap().len(),
        1
    );
}

#[test]
fn search_ignores_accents_and_highlights_the_match() {
    screen_kit::at_test_time();
    let mut store = Store::open_in_memory().unwrap();
    let id = new_assessment(&mut store, "Acme Ltd", "iso27001-2013");
    store
        .apply_change(
            id,
            7,
            &Change::Note("Réunion avec l'équipe sécurité".into()),
        )
        .unwrap();
    let mut app = app_on(store);
    press(&mut app, "<Enter>/EQUIPE<Enter>");
    assert_eq!(app.selected_item().unwrap().number, 7, "{:?}", app.status);
    snapshot!(
        "search_highlight_note_100x30",
        draw_with_marks(&app, 100, 30)
    );
    // A match in a title is marked in the list and in the detail pane.
    press(&mut app, "g/INTERESTED<Enter>");
    assert_eq!(app.selected_item().unwrap().number, 2);
    snapshot!(
        "search_highlight_title_100x30",
        draw_with_marks(&app, 100, 30)
    );
}

// The real binary in a pseudo-terminal.

use common::pty::{self, ENTER, ESC, TAB};

const BACKSPACE: &str = "\x7f";

#[test]
fn pty_tab_opens_the_highlighted_assessment_and_rename_edit_delete_work_with_an_importable_backup()
{
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Alpha"]);
    sandbox.ok(&["new", "--name", "Beta"]);
    sandbox.ok(&["answer", "-a", "Beta", "--item", "1", "--level", "3"]);
    let mut app = pty::Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &[], 100, 30);
    app.wait_for("Alpha");
    app.send(ENTER); // the newest, "Beta"
    app.wait_for("Opened \"Beta\"");
    app.send(ESC);
    app.wait_for("Assessments in");
    app.send("j"); // "Alpha"
    app.send(TAB);
    app.wait_for("Opened \"Alpha\"");
    app.wait_for("Alpha · ISO/IEC 27001:2022");

    app.send(ESC); // Alpha (open last) is listed first and highlighted
    app.wait_for("Assessments in");
    app.wait_for("Last change");
    app.send("r");
    app.wait_for("New name for \"Alpha\"");
    app.send(&BACKSPACE.repeat(5));
    app.type_keys("Gamma");
    app.send(ENTER);
    app.wait_for("Renamed \"Alpha\" to \"Gamma\".");
    app.send("e");
    app.wait_for("Scope of \"Gamma\"");
    app.type_keys("Head office");
    app.send(ENTER);
    app.wait_for("Assessor of \"Gamma\"");
    app.type_keys("J. Doe");
    app.send(ENTER);
    app.wait_for("\"Gamma\": assessor saved.");
    app.wait_for("Firm of the assessor of \"Gamma\"");
    app.type_keys("Harbour Risk Partners");
    app.send(ENTER);
    app.wait_for("\"Gamma\": firm saved.");

    app.send("j"); // "Beta"
    app.send("D");
    app.wait_for("Delete an assessment");
    app.wait_for("Delete \"Beta\"");
    app.wait_for("isms-ready-deleted-beta-");
    app.send("y");
    app.wait_for("Deleted \"Beta\". Backup: ");
    app.send("q");
    assert!(app.wait_exit().success());

    let list = sandbox.json(&["list", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(rows[0]["name"], "Gamma");
    assert_eq!(rows[0]["scope"], "Head office");
    assert_eq!(rows[0]["assessor"], "J. Doe");
    assert_eq!(rows[0]["firm"], "Harbour Risk Partners");
    let backup = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("isms-ready-deleted-beta-")
        })
        .expect("a backup beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = sandbox.ok(&["import", backup.to_str().unwrap()]);
    assert!(out.contains("imported \"Beta\""), "{out}");
    let summary = sandbox.json(&["summary", "-a", "Beta", "--json"]);
    assert_eq!(summary["overall"]["answered"], 1);
}

#[test]
fn pty_search_for_equipe_lands_on_the_note_that_says_equipe_with_its_accent() {
    screen_kit::at_test_time();
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "7",
        "--note",
        "Réunion avec l'équipe sécurité",
    ]);
    let mut app = pty::Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 100, 30);
    app.wait_for("Item 1 · 4.1");
    app.type_keys("/equipe");
    app.send(ENTER);
    app.wait_for("\"equipe\": match 1 of 1");
    app.wait_for("Item 7 · 4.3");
    assert!(
        app.screen().contains("l'équipe sécurité"),
        "{}",
        app.screen()
    );
    app.send("q");
    assert!(app.wait_exit().success());
}

/// Issue 26: the picker shows the day an assessment was created in local time. Created at
/// 00:30 at +01:00, it is stored as the day before in UTC (23:30Z), and was shown as that day.
#[test]
fn the_creation_date_is_the_local_day() {
    isms_ready::clock::set(Some(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T00:30:00+01:00").unwrap(),
    ));
    let mut store = Store::open_in_memory().unwrap();
    let id = new_assessment(&mut store, "Night owl", "iso27001-2022");
    let created = &store.assessment(id).unwrap().created_at;
    assert!(created.starts_with("2026-03-01T23:30"), "{created}");
    let screen = draw(&app_on(store), 80, 24);
    assert!(screen.contains("Created: 2026-03-02"), "{screen}");
    assert!(screen.contains("2026-03-02 00:30"), "{screen}");
}
