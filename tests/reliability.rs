//! Nothing typed in a workshop is lost: crashes, closed terminals, two windows, full disks,
//! broken files and panics.

mod common;

use common::Sandbox;
use common::pty::{CTRL_C, CTRL_S, ESC, Terminal};
use serde_json::Value;

fn levels(sandbox: &Sandbox, name: &str) -> Vec<Option<u64>> {
    let document: Value =
        serde_json::from_str(&sandbox.ok(&["export", "-a", name, "--format", "json", "-o", "-"]))
            .unwrap();
    let mut levels = vec![None; 236];
    for answer in document["answers"].as_array().unwrap() {
        levels[answer["item"].as_u64().unwrap() as usize] = answer["level"].as_u64();
    }
    levels
}

fn integrity(sandbox: &Sandbox) -> String {
    let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
    connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// A small deterministic generator, so a failing run can be repeated.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn sigkill_at_any_moment_loses_nothing_the_screen_showed_as_saved() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut random = Lcg(27001);
    let mut expected: Vec<Option<u64>> = vec![None; 236];
    for round in 0..6 {
        let mut app = sandbox.start(&["-a", "Acme"]);
        app.wait_for("Item ");
        // The app reopens where it was left; find which item that is.
        let screen = app.screen();
        let mut current: usize = screen
            .split("Item ")
            .find_map(|rest| rest.split(" · ").next()?.parse().ok())
            .expect("the selected item is shown");
        let changes = 3 + random.next(6);
        for _ in 0..changes {
            // Move a few items on (sometimes none) and set a level; wait for the screen to say saved.
            let moves = random.next(4) as usize;
            for _ in 0..moves {
                app.send("j");
            }
            current = (current + moves).min(235);
            app.wait_for(&format!(" Item {current} · "));
            let level = random.next(5);
            app.send(&level.to_string());
            app.wait_for(&format!("Item {current}: level {level} "));
            expected[current] = Some(level);
        }
        // One more key in flight, then the power goes.
        app.send(&random.next(5).to_string());
        if round % 2 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(random.next(20)));
        }
        app.signal(libc::SIGKILL);
        app.reap();
        assert_eq!(integrity(&sandbox), "ok", "round {round}");
        let saved = levels(&sandbox, "Acme");
        for (item, level) in expected.iter().enumerate() {
            if level.is_some() && saved[item] != *level {
                // Only the item the in-flight key hit may differ, and only by that key.
                let in_flight = saved.iter().zip(&expected).filter(|(s, e)| s != e).count();
                assert!(
                    in_flight <= 1,
                    "round {round}: item {item} was shown saved as {level:?} but is {:?}",
                    saved[item]
                );
            }
        }
        expected = saved;
    }
}

#[test]
fn a_note_being_edited_is_saved_when_the_terminal_closes() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut app = sandbox.start(&["-a", "Acme"]);
    app.wait_for("Item 1");
    app.send("e");
    app.wait_for("Note for item 1");
    app.type_keys("Half a sentence the room was still");
    app.wait_for("still");
    app.signal(libc::SIGHUP);
    app.reap();
    let document: Value =
        serde_json::from_str(&sandbox.ok(&["export", "-a", "Acme", "--format", "json", "-o", "-"]))
            .unwrap();
    assert_eq!(
        document["answers"][0]["note"],
        "Half a sentence the room was still"
    );
}

#[test]
fn ctrl_c_in_the_note_editor_saves_the_note_and_quits() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut app = sandbox.start(&["-a", "Acme"]);
    app.wait_for("Item 1");
    app.send("e");
    app.wait_for("Note for item 1");
    app.type_keys("Typed before Ctrl-C");
    app.send(CTRL_C);
    assert!(app.wait_exit().success());
    assert!(!app.in_alternate_screen());
    let document: Value =
        serde_json::from_str(&sandbox.ok(&["export", "-a", "Acme", "--format", "json", "-o", "-"]))
            .unwrap();
    assert_eq!(document["answers"][0]["note"], "Typed before Ctrl-C");
}

#[test]
fn two_instances_on_one_file_both_keep_working_and_see_each_other() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut first = sandbox.start(&["-a", "Acme"]);
    let mut second = sandbox.start(&["-a", "Acme"]);
    first.wait_for("Item 1");
    second.wait_for("Item 1");
    first.send("3");
    first.wait_for("Item 1: level 3 Checked saved.");
    // The second window notices within a moment and shows the level.
    second.wait_for("Updated: another isms-ready changed this assessment.");
    second.wait_for("Level 3 Checked");
    second.send("j");
    second.send("2");
    second.wait_for("Item 2: level 2 Implemented saved.");
    first.wait_for("Updated: another isms-ready changed this assessment.");
    // A third writer, the CLI, at the same time.
    for item in 10..20 {
        sandbox.ok(&[
            "answer",
            "-a",
            "Acme",
            "--item",
            &item.to_string(),
            "--level",
            "1",
        ]);
    }
    first.send("jj4");
    first.wait_for(" Item 3 · ");
    first.wait_for("Level 4 Improving");
    // The CLI's changes reach the first window too.
    first.wait_for("4/10");
    first.send("q");
    second.send("q");
    assert!(first.wait_exit().success());
    assert!(second.wait_exit().success());
    let saved = levels(&sandbox, "Acme");
    assert_eq!(&saved[1..4], &[Some(3), Some(2), Some(4)]);
    assert!(saved[10..20].iter().all(|l| *l == Some(1)));
    assert_eq!(integrity(&sandbox), "ok");
}

#[test]
fn a_full_disk_is_reported_and_the_screen_keeps_what_is_really_saved() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "2"]);
    let pages: i64 = {
        let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
        connection
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .unwrap()
    };
    let before = levels(&sandbox, "Acme");
    let mut command = sandbox.command();
    command.env("ISMS_READY_TEST_MAX_PAGES", pages.to_string());
    let note = "n".repeat(20_000);
    let output = command
        .args(["answer", "-a", "Acme", "--item", "5", "--note", &note])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("disk is full") && stderr.contains("test.db"),
        "{stderr}"
    );

    // In the app: the note editor stays open with the text, and says why.
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
    app.wait_for("Item 1");
    app.send("e");
    app.wait_for("Note for item 1");
    // About 9 KB, more than a page, in pieces a terminal's input buffer takes.
    for round in 0..3 {
        for _ in 0..30 {
            app.send(&format!("{}\r", "x".repeat(99)));
        }
        app.send(&format!("end of part {round}"));
        app.wait_for(&format!("end of part {round}"));
    }
    app.send(CTRL_S);
    app.wait_for("NOT SAVED");
    app.wait_for("disk is full");
    // The question comes up over the editor; Esc goes back to the text, kept whole.
    app.wait_for("What you typed could not be saved");
    app.send(ESC);
    app.wait_for("Note for item 1");
    app.wait_for("end of part 2");
    // Esc (which saves) fails again: the question again, and w writes the note to a file.
    app.send(ESC);
    app.wait_for("What you typed could not be saved");
    app.send("w");
    app.wait_for("What you typed was written to");
    let rescued: Vec<_> = std::fs::read_dir(&rescue_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(rescued.len(), 1, "{rescued:?}");
    let text = std::fs::read_to_string(&rescued[0]).unwrap();
    assert!(text.ends_with("end of part 2"), "{text}");
    assert_eq!(text.matches(&"x".repeat(99)).count(), 90);
    app.signal(libc::SIGKILL);
    app.reap();
    assert_eq!(levels(&sandbox, "Acme"), before);
    assert_eq!(integrity(&sandbox), "ok");
}

#[test]
#[cfg(unix)]
fn a_read_only_file_or_folder_gets_one_clear_line() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let db = sandbox.db();
    let before = std::fs::read(&db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let output = sandbox.run(&["answer", "-a", "Acme", "--item", "1", "--level", "3"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Root ignores file modes; then the write goes through, which is right for root.
    if output.status.success() {
        assert!(is_root());
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("test.db") && stderr.contains("cannot write"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }
    // A folder that does not exist and cannot be made.
    let output = sandbox
        .command()
        .env("ISMS_READY_DB", "/proc/isms-ready/x.db")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/proc/isms-ready/x.db"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
#[cfg(unix)]
fn the_database_and_its_wal_and_shm_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut app = sandbox.start(&["-a", "Acme"]);
    app.wait_for("Item 1");
    app.send("2");
    app.wait_for("saved.");
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", sandbox.db().display());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{path}");
    }
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn a_panic_restores_the_terminal_and_leaves_a_crash_report() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let mut app = Terminal::spawn_with_env(
        &sandbox.db(),
        sandbox.dir.path(),
        &["-a", "Acme"],
        100,
        30,
        &[("ISMS_READY_TEST_PANIC", "1")],
    );
    app.wait_for("Item 1");
    app.send("j");
    let status = app.wait_exit();
    assert!(!status.success());
    assert!(!app.in_alternate_screen(), "the terminal was not restored");
    app.wait_for("a crash report was written to");
    let reports: Vec<_> =
        std::fs::read_dir(sandbox.dir.path().join("data/isms-ready/crash-reports"))
            .unwrap()
            .collect();
    assert_eq!(reports.len(), 1);
    let report = std::fs::read_to_string(reports[0].as_ref().unwrap().path()).unwrap();
    assert!(report.contains("ISMS_READY_TEST_PANIC"), "{report}");
}

#[test]
fn a_broken_custom_questionnaire_is_named_and_the_shipped_ones_keep_working() {
    let sandbox = Sandbox::new();
    let dir = sandbox.config_dir().join("isms-ready/questionnaires");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mine.json"), "{\n  \"format\": \"isms-ready/questionnaire\",\n  \"id\": \"mine\"\n  \"title\": \"x\"\n}\n").unwrap();
    let output = sandbox.run(&["questionnaires"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mine.json: line 4, column 3"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("iso27001-2022") && stdout.contains("iso27001-2013"));
}

// Issue 12, points 11, 12, 15: exports never write through or replace anything but a regular file
// of their own, are owner-only, and clean up temporary files a killed export left behind.
#[cfg(unix)]
mod export_files {
    use super::common::Sandbox;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    use std::path::Path;

    fn export(sandbox: &Sandbox, path: &Path, force: bool) -> std::process::Output {
        let mut args = vec!["export", "--format", "md", "-o", path.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        sandbox.run(&args)
    }

    #[test]
    fn an_export_never_follows_a_symlink_at_its_path() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["new", "--name", "Acme"]);
        let victim = sandbox.dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let link = sandbox.dir.path().join("report.md");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        for force in [false, true] {
            let output = export(&sandbox, &link, force);
            assert_eq!(output.status.code(), Some(1), "force {force}: {output:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("symbolic link"), "{stderr}");
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
            assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        }
        // A dangling link is refused too: the export would create the file it points to.
        let dangling = sandbox.dir.path().join("dangling.md");
        let target = sandbox.dir.path().join("created-elsewhere.md");
        std::os::unix::fs::symlink(&target, &dangling).unwrap();
        assert_eq!(export(&sandbox, &dangling, false).status.code(), Some(1));
        assert!(!target.exists());
    }

    #[test]
    fn force_replaces_regular_files_only_never_a_fifo() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["new", "--name", "Acme"]);
        let fifo = sandbox.dir.path().join("pipe.md");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) on a NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let output = export(&sandbox, &fifo, true);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("not a regular file"), "{stderr}");
        assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
        // A regular file is replaced with --force, and kept without it.
        let file = sandbox.dir.path().join("old.md");
        std::fs::write(&file, "old").unwrap();
        assert_eq!(export(&sandbox, &file, false).status.code(), Some(1));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
        assert!(export(&sandbox, &file, true).status.success());
        assert!(std::fs::read_to_string(&file).unwrap().contains("Acme"));
    }

    #[test]
    fn exports_are_readable_by_their_owner_only() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["new", "--name", "Acme"]);
        for format in ["md", "json", "csv", "html", "xlsx"] {
            let path = sandbox.dir.path().join(format!("acme.{format}"));
            sandbox.ok(&["export", "--format", format, "-o", path.to_str().unwrap()]);
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{format}");
        }
        // Replacing a world-readable file leaves an owner-only one.
        let path = sandbox.dir.path().join("acme.md");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        sandbox.ok(&[
            "export",
            "--format",
            "md",
            "-o",
            path.to_str().unwrap(),
            "--force",
        ]);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn stale_temporary_files_of_a_killed_export_are_removed_by_the_next_one() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["new", "--name", "Acme"]);
        let dir = sandbox.dir.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        let plant = |name: &str, old: bool| {
            let path = dir.join(name);
            let file = std::fs::File::create(&path).unwrap();
            if old {
                file.set_modified(two_hours_ago).unwrap();
            }
            path
        };
        let stale = plant(".isms-ready-export-Ab3dE9.tmp", true);
        let running = plant(".isms-ready-export-Zy7xW1.tmp", false);
        let foreign = plant(".someone-else.tmp", true);
        sandbox.ok(&[
            "export",
            "--format",
            "md",
            "-o",
            dir.join("a.md").to_str().unwrap(),
        ]);
        assert!(!stale.exists(), "a stale temporary file was left");
        assert!(running.exists(), "an export still running lost its file");
        assert!(foreign.exists(), "a file that is not ours was removed");
        // The export left no temporary file of its own.
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut left = left;
        left.sort();
        assert_eq!(
            left,
            [".isms-ready-export-Zy7xW1.tmp", ".someone-else.tmp", "a.md"]
        );
    }
}

// Issue 12, point 15: a crash report is owner-only, in an owner-only folder, and writing it never
// creates the data folder world-readable.
#[test]
#[cfg(unix)]
fn a_crash_report_is_owner_only_in_an_owner_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    // The database lives elsewhere, so the crash report creates the data folder.
    sandbox.ok(&["new", "--name", "Acme"]);
    let data = sandbox.dir.path().join("data/isms-ready");
    assert!(!data.exists());
    let mut app = Terminal::spawn_with_env(
        &sandbox.db(),
        sandbox.dir.path(),
        &["-a", "Acme"],
        100,
        30,
        &[("ISMS_READY_TEST_PANIC", "1")],
    );
    app.wait_for("Item 1");
    app.send("j");
    assert!(!app.wait_exit().success());
    app.wait_for("a crash report was written to");
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder");
    let reports = data.join("crash-reports");
    assert_eq!(mode(&reports), 0o700, "the crash-reports folder");
    let report = std::fs::read_dir(&reports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(mode(&report), 0o600, "the crash report");
}
