//! The data stays true: a level never sits on an excluded control, one command is one
//! transaction, a damaged or newer file is refused untouched, and reading never creates a file.

mod common;

use common::pty::Terminal;
use common::{Sandbox, read_bytes};
use isms_ready::model::{Catalog, Change};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::{App, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The SoA row of control `item` in `soa --json`.
fn soa_row(sandbox: &Sandbox, name: &str, item: u64) -> Value {
    let soa = sandbox.json(&["soa", "-a", name, "--json"]);
    soa["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == item)
        .unwrap()
        .clone()
}

fn failure(output: &std::process::Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected exit 1: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    stderr
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

// Point 4: a level on an excluded control.

#[test]
fn a_level_on_an_excluded_control_is_refused_by_answer_and_nothing_moves() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "139",
        "--exclude",
        "No policy work here",
    ]);
    let stderr = failure(&sandbox.run(&["answer", "-a", "Acme", "--item", "139", "--level", "2"]));
    assert!(
        stderr.contains("include the control first") && stderr.contains("139"),
        "{stderr}"
    );
    let row = soa_row(&sandbox, "Acme", 139);
    assert_eq!(row["applicability"], "excluded");
    assert_eq!(row["level"], Value::Null);
    // Including it again in the same command makes the level welcome.
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "139",
        "--include",
        "risk_treatment",
        "--level",
        "2",
    ]);
    let row = soa_row(&sandbox, "Acme", 139);
    assert_eq!(row["applicability"], "included");
    assert_eq!(row["level"], 2);
}

#[test]
fn excluding_a_control_clears_its_level_so_no_report_shows_both() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "139", "--level", "2"]);
    let out = sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "139",
        "--exclude",
        "No policy work here",
    ]);
    assert!(out.contains("unanswered, excluded"), "{out}");
    let row = soa_row(&sandbox, "Acme", 139);
    assert_eq!(row["level"], Value::Null);
    let csv = sandbox.ok(&["soa", "-a", "Acme", "--csv"]);
    let line = csv.lines().find(|l| l.starts_with("139,")).unwrap();
    assert!(line.contains(",excluded,,No policy work here,,"), "{line}");
    // The level it had is kept in the history.
    let document = sandbox.json(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ]);
    let fields: Vec<(String, Value, Value)> = document["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["field"].as_str().unwrap().to_string(),
                h["old_value"].clone(),
                h["new_value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        fields[1..],
        [
            (
                "applicability".to_string(),
                Value::Null,
                Value::from("excluded [] No policy work here")
            ),
            ("level".to_string(), Value::from("2"), Value::Null),
        ]
    );
}

#[test]
fn a_level_and_an_exclusion_stored_together_by_an_older_version_never_show_together() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "139",
        "--exclude",
        "No policy work here",
    ]);
    {
        // What an older build (or an old import) could leave: excluded and at level 2.
        let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
        connection
            .execute("UPDATE answer SET level = 2 WHERE item = 139", [])
            .unwrap();
    }
    assert_eq!(soa_row(&sandbox, "Acme", 139)["level"], Value::Null);
    let text = sandbox.ok(&["soa", "-a", "Acme"]);
    let line = text.lines().find(|l| l.starts_with("A.5.1.1")).unwrap();
    assert!(!line.contains('2'), "{line}");
    let html = sandbox.ok(&["export", "-a", "Acme", "--format", "html", "-o", "-"]);
    let row = html
        .split("<tr")
        .filter(|row| row.contains("A.5.1.1"))
        .collect::<Vec<_>>();
    assert!(!row.is_empty());
    assert!(
        row.iter().all(|r| !r.contains("Implemented")),
        "the HTML shows a level on an excluded control: {row:?}"
    );
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn the_app_refuses_a_level_on_an_excluded_control_and_says_why() {
    let mut store = Store::open_in_memory().unwrap();
    let acme = store
        .create_assessment(&NewAssessment {
            name: "Acme".into(),
            questionnaire_id: "iso27001-2013".into(),
            ..Default::default()
        })
        .unwrap();
    store
        .apply_change(
            acme.id,
            139,
            &Change::Applicability {
                applicable: Some(false),
                reasons: Vec::new(),
                justification: "No policy work here".into(),
            },
        )
        .unwrap();
    let mut app = App::new(store, Catalog::builtin()).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    // In the questionnaire.
    app.select(138);
    app.handle_key(key('3'));
    let status = app.status.clone().unwrap().text;
    assert!(status.contains("include the control first"), "{status}");
    assert!(!status.contains("NOT SAVED"), "{status}");
    assert_eq!(app.session.as_ref().unwrap().answers.get(139).level, None);
    // On the SoA screen, whose first row is that control.
    while app.screen != Screen::Soa {
        app.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    app.status = None;
    app.handle_key(key('2'));
    let status = app.status.clone().unwrap().text;
    assert!(status.contains("include the control first"), "{status}");
    assert_eq!(app.session.as_ref().unwrap().answers.get(139).level, None);
    assert_eq!(
        app.store.answers(acme.id, 252).unwrap().get(139).level,
        None
    );
}

// Point 13: one command, one transaction.

#[test]
fn answer_saves_all_its_fields_or_none_when_a_later_one_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    // The exclusion is applied first, then the level is refused: the exclusion is not kept.
    let stderr = failure(&sandbox.run(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "140",
        "--exclude",
        "Reviewed with the policy",
        "--level",
        "3",
        "--note",
        "From the workshop",
    ]));
    assert!(stderr.contains("include the control first"), "{stderr}");
    let row = soa_row(&sandbox, "Acme", 140);
    assert_eq!(row["applicability"], "undecided");
    assert_eq!(row["level"], Value::Null);
    let document = sandbox.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    assert_eq!(document["answers"].as_array().unwrap().len(), 0);
}

#[test]
fn answer_saves_all_its_fields_or_none_when_the_disk_fills() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "1"]);
    let pages: i64 = rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap();
    // The level fits on the disk, the long note does not: neither may be saved.
    let note = "n".repeat(20_000);
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_MAX_PAGES", pages.to_string())
        .args([
            "answer", "-a", "Acme", "--item", "5", "--level", "3", "--note", &note,
        ])
        .output()
        .unwrap();
    let stderr = failure(&output);
    assert!(stderr.contains("disk is full"), "{stderr}");
    let document = sandbox.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    let answers = document["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 1, "only item 1: {answers:?}");
    // Both fields together in one command: one history row each.
    sandbox.ok(&[
        "answer", "-a", "Acme", "--item", "5", "--level", "3", "--note", "Short",
    ]);
    let document = sandbox.json(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ]);
    let history = document["history"].as_array().unwrap();
    let fields: Vec<_> = history[1..].iter().map(|h| h["field"].clone()).collect();
    assert_eq!(fields, ["level", "note"]);
    assert_eq!(history[1]["changed_at"], history[2]["changed_at"]);
}

// Point 14: a damaged database.

/// A database holding "Acme" with 60 history rows (given short change ids, so that they fill the
/// history table's one page as before ids were stored), that page overwritten with garbage in the
/// middle. Reading the assessments does not touch that page:
/// only a check of the whole file finds the damage.
fn damaged_database(sandbox: &Sandbox) -> Vec<u8> {
    sandbox.ok(&["new", "--name", "Acme"]);
    {
        let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
        for n in 1..=60 {
            connection
                .execute(
                    "INSERT INTO history (assessment_id, item, field, old_value, new_value, changed_at, change_id)
                     VALUES (1, ?1, 'level', NULL, '2', '2026-01-01T00:00:00.000Z', ?1)",
                    [n],
                )
                .unwrap();
        }
    }
    let db = sandbox.db();
    assert!(!with_suffix(&db, "-wal").exists());
    let mut bytes = read_bytes(&db);
    let (page_size, root) = {
        let connection = rusqlite::Connection::open(&db).unwrap();
        let page_size: i64 = connection
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap();
        let root: i64 = connection
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'history'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        (page_size as usize, root as usize)
    };
    let middle = (root - 1) * page_size + page_size / 2;
    bytes[middle..middle + 32].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    // The damage is real: SQLite's own check sees it.
    let connection =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let check: String = connection
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .unwrap();
    assert_ne!(check, "ok");
    drop(connection);
    read_bytes(&db)
}

#[test]
fn a_damaged_database_is_refused_by_list_new_and_the_app_and_left_untouched() {
    let sandbox = Sandbox::new();
    let before = damaged_database(&sandbox);
    let db = sandbox.db();
    let expect_refusal = |stderr: &str| {
        assert!(
            stderr.contains("test.db") && stderr.contains("damaged") && stderr.contains("import"),
            "{stderr}"
        );
    };
    expect_refusal(&failure(&sandbox.run(&["list"])));
    assert_eq!(read_bytes(&db), before);
    expect_refusal(&failure(&sandbox.run(&["new", "--name", "Beta"])));
    assert_eq!(read_bytes(&db), before);
    // The app, started in a terminal, refuses before drawing anything.
    let mut app = Terminal::spawn(&db, sandbox.dir.path(), &[], 120, 30);
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 1);
    app.wait_for("damaged");
    app.wait_for("test.db");
    assert!(!app.in_alternate_screen());
    assert_eq!(read_bytes(&db), before);
    assert!(!with_suffix(&db, "-wal").exists());
}

// Point 15: newer schema in a WAL, disk full at start, no file created by reading.

#[test]
fn a_newer_schema_waiting_in_the_wal_is_refused_and_file_and_wal_stay_byte_for_byte() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let db = sandbox.db();
    let wal = with_suffix(&db, "-wal");
    // A newer build wrote user_version 99 and stopped before its WAL was merged: copy the file
    // and its WAL while that build still holds them open.
    let (main_bytes, wal_bytes) = {
        let newer = rusqlite::Connection::open(&db).unwrap();
        newer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        newer.pragma_update(None, "user_version", 99).unwrap();
        let copy = (read_bytes(&db), read_bytes(&wal));
        drop(newer);
        copy
    };
    assert!(!wal_bytes.is_empty());
    for args in [&["list"][..], &["new", "--name", "Beta"][..]] {
        std::fs::write(&db, &main_bytes).unwrap();
        std::fs::write(&wal, &wal_bytes).unwrap();
        let _ = std::fs::remove_file(with_suffix(&db, "-shm"));
        let stderr = failure(&sandbox.run(args));
        assert!(
            stderr.contains("newer isms-ready") && stderr.contains("schema 99"),
            "{args:?}: {stderr}"
        );
        assert_eq!(read_bytes(&db), main_bytes, "{args:?} changed the file");
        assert_eq!(read_bytes(&wal), wal_bytes, "{args:?} changed the WAL");
    }
}

#[test]
fn a_full_disk_at_start_says_so_names_the_file_and_leaves_nothing_behind() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_MAX_PAGES", "2")
        .args(["new", "--name", "Acme"])
        .output()
        .unwrap();
    let stderr = failure(&output);
    assert!(
        stderr.contains("test.db") && stderr.contains("disk or folder holding it is full"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("last change"),
        "nothing was being changed: {stderr}"
    );
    for suffix in ["", "-wal", "-shm"] {
        assert!(!with_suffix(&db, suffix).exists(), "left {suffix}");
    }
}

#[test]
fn read_only_commands_never_create_a_file() {
    let sandbox = Sandbox::new();
    let typo = sandbox.dir.path().join("tset.db");
    let path = typo.to_str().unwrap();
    for args in [
        &["list"][..],
        &["summary"][..],
        &["soa"][..],
        &["soa", "--check"][..],
        &["plan"][..],
        &["export", "--format", "md", "-o", "-"][..],
    ] {
        let mut command = sandbox.command();
        let output = command.arg("--db").arg(&typo).args(args).output().unwrap();
        let stderr = failure(&output);
        assert!(
            stderr.contains(&format!("no database at {path}")),
            "{args:?}: {stderr}"
        );
        assert!(!typo.exists(), "{args:?} created the file");
    }
    // Listing the questionnaires needs no database at all.
    sandbox.ok(&["questionnaires"]);
    sandbox.ok(&["questionnaires", "show", "iso27001-2022"]);
    assert!(!sandbox.db().exists());
    assert_eq!(std::fs::read_dir(sandbox.dir.path()).unwrap().count(), 0);
}

#[test]
fn an_empty_file_is_not_a_database_to_read_but_a_write_sets_it_up() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    std::fs::write(&db, b"").unwrap();
    let stderr = failure(&sandbox.run(&["list"]));
    assert!(
        stderr.contains("test.db") && stderr.contains("empty file"),
        "{stderr}"
    );
    assert_eq!(read_bytes(&db).len(), 0);
    assert!(!with_suffix(&db, "-wal").exists());
    // Creating an assessment in it is a deliberate write: the file is set up.
    sandbox.ok(&["new", "--name", "Acme"]);
    assert!(sandbox.ok(&["list"]).contains("Acme"));
}

// Issue 27: no whole-file check on every open, yet a damaged file is refused before any write.

/// A file of `clients` assessments with `changes` history rows each, written in one transaction
/// by another program (so not sealed by isms-ready).
fn practice(sandbox: &Sandbox, clients: u32, changes: u32) {
    for client in 0..clients {
        sandbox.create(&format!("Client {client}"), "iso27001-2022", "", "");
    }
    let mut connection = rusqlite::Connection::open(sandbox.db()).unwrap();
    let transaction = connection.transaction().unwrap();
    for client in 1..=i64::from(clients) {
        for n in 0..changes {
            transaction
                .execute(
                    "INSERT INTO history (assessment_id, item, field, old_value, new_value, changed_at)
                     VALUES (?1, ?2, 'note', NULL, ?3, ?4)",
                    rusqlite::params![
                        client,
                        n % 93 + 1,
                        format!("What the room said, take {n}."),
                        format!(
                            "2026-01-{:02}T{:02}:{:02}:{:02}.000Z",
                            1 + n / 86_400,
                            n / 3600 % 24,
                            n / 60 % 60,
                            n % 60
                        )
                    ],
                )
                .unwrap();
        }
    }
    transaction.commit().unwrap();
}

fn page_count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap()
}

/// Opens the file as a read command does and reads one client's answers and newest changes;
/// returns how many pages that read and whether the whole file was checked.
fn read_one_client(db: &Path) -> (i64, bool) {
    let store = Store::open_existing(db).unwrap();
    let client = store.find_assessment("Client 7").unwrap().unwrap();
    store.answers(client.id, 93).unwrap();
    let (newest, count) = store.history_page(client.id, None, None, None, 50).unwrap();
    assert_eq!((newest.len(), count), (50, 2_000));
    (store.pages_read(), store.checked_whole_file())
}

#[test]
fn a_file_isms_ready_closed_cleanly_is_not_read_whole_to_open_it() {
    let sandbox = Sandbox::new();
    practice(&sandbox, 20, 2_000);
    let db = sandbox.db();
    let pages = page_count(&db);
    assert!(pages > 1_000, "{pages} pages");
    // Written by another program: checked whole, every page read.
    let (read, checked) = read_one_client(&db);
    assert!(checked && read >= pages, "{read} of {pages} pages read");
    // A write through isms-ready, closed cleanly, seals the file ...
    sandbox.ok(&["answer", "-a", "Client 3", "--item", "1", "--level", "2"]);
    // ... and the next command reads what it needs, not the file.
    let (read, checked) = read_one_client(&db);
    assert!(!checked, "the sealed file was checked whole");
    assert!(read * 20 < pages, "{read} of {pages} pages read");
    // Still sealed after a command that only read.
    assert!(!read_one_client(&db).1);
    // Any change from outside (here one row by another program) breaks the seal.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE assessment SET scope = 'HQ' WHERE id = 1", [])
        .unwrap();
    assert!(read_one_client(&db).1);
    // A copy is another file (another inode): checked once.
    let copy = sandbox.dir.path().join("copy.db");
    sandbox.ok(&["answer", "-a", "Client 3", "--item", "1", "--level", "3"]);
    std::fs::copy(&db, &copy).unwrap();
    assert!(read_one_client(&copy).1);
    assert!(!read_one_client(&db).1);
}

#[test]
fn a_damaged_page_in_a_sealed_file_is_refused_before_any_write() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    for item in 1..=60 {
        let level = (item % 5).to_string();
        sandbox.ok(&[
            "answer",
            "-a",
            "Acme",
            "--item",
            &item.to_string(),
            "--level",
            &level,
        ]);
    }
    let db = sandbox.db();
    assert!(!with_suffix(&db, "-wal").exists());
    // Sealed by the last clean close: the next open does not read the file whole.
    assert!(!Store::open_existing(&db).unwrap().checked_whole_file());
    let (page_size, root) = {
        let connection =
            rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let page_size: i64 = connection
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap();
        let root: i64 = connection
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'history'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        (page_size as usize, root as usize)
    };
    // A disk or a program writes garbage over the header of the history's root page (its middle
    // may be free space once the rows, with their change ids, fill more than one page).
    let mut bytes = read_bytes(&db);
    let start = (root - 1) * page_size;
    bytes[start..start + 12].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    let before = read_bytes(&db);
    for args in [
        &["answer", "-a", "Acme", "--item", "7", "--level", "4"][..],
        &["undo", "-a", "Acme"],
        &["new", "--name", "Beta"],
        &["list"],
    ] {
        let stderr = failure(&sandbox.run(args));
        assert!(
            stderr.contains("test.db") && stderr.contains("damaged"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            read_bytes(&db),
            before,
            "{args:?} wrote to the damaged file"
        );
        assert!(!with_suffix(&db, "-wal").exists(), "{args:?} left a WAL");
    }
}

/// Opens the app on "Client 7" as `isms-ready -a "Client 7"` does and draws its first frame;
/// returns the pages that read.
fn first_frame_pages(db: &Path) -> i64 {
    let store = Store::open(db).unwrap();
    let mut app = App::without_picker_figures(store, Catalog::builtin()).unwrap();
    let client = app.store.find_assessment("Client 7").unwrap().unwrap();
    app.open_assessment(client);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 50)).unwrap();
    terminal
        .draw(|frame| isms_ready::tui::render(frame, &app))
        .unwrap();
    assert_eq!(app.screen, Screen::Questionnaire);
    let pages = app.store.pages_read();
    // Back on the picker, every client's figures are read.
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    if app.screen == Screen::Picker {
        assert!(app.assessments.iter().all(|row| row.figures.is_some()));
    }
    pages
}

#[test]
fn the_apps_first_frame_on_one_client_reads_what_a_file_of_that_client_alone_needs() {
    let alone = Sandbox::new();
    practice(&alone, 8, 2_000);
    let many = Sandbox::new();
    practice(&many, 40, 2_000);
    for sandbox in [&alone, &many] {
        // Sealed by a clean write.
        sandbox.ok(&["answer", "-a", "Client 3", "--item", "1", "--level", "2"]);
    }
    let (few, more) = (
        first_frame_pages(&alone.db()),
        first_frame_pages(&many.db()),
    );
    assert!(
        more * 10 <= few * 12,
        "{more} pages with 40 clients, {few} with 8 (files of {} and {} pages)",
        page_count(&alone.db()),
        page_count(&many.db())
    );
}

#[test]
fn an_undo_reads_the_newest_changes_not_the_whole_history() {
    let sandbox = Sandbox::new();
    practice(&sandbox, 2, 30_000);
    sandbox.ok(&["answer", "-a", "Client 1", "--item", "5", "--level", "2"]);
    sandbox.ok(&["undo", "-a", "Client 1"]);
    sandbox.ok(&["answer", "-a", "Client 1", "--item", "6", "--level", "3"]);
    let db = sandbox.db();
    let mut store = Store::open(&db).unwrap();
    let id = store.find_assessment("Client 1").unwrap().unwrap().id;
    let before = store.pages_read();
    let undone = store.undo_last(id, 0).unwrap().unwrap();
    assert_eq!(undone.item, 6);
    let second = store.undo_last(id, 0).unwrap().unwrap();
    // Item 5's change was undone already: the next change to undo is the newest of the rest.
    assert_eq!(second.rows[0].field, "note");
    let read = store.pages_read() - before;
    let pages = page_count(&db);
    assert!(
        read * 50 < pages,
        "{read} of {pages} pages read by two undos"
    );
}
