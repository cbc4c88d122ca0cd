//! Merge you can trust (issue 22): copies made by copying the file, saves and merges at the same
//! time, the other file's WAL, all-or-nothing `--take`, crafted histories, pipes and devices.

mod common;

use common::{Sandbox, level, status, text};
use isms_ready::model::Change;
use isms_ready::model::action::{ActionChange, NewAction};
use isms_ready::model::plan::StepStatus;
use isms_ready::model::registers::Risk;
use isms_ready::store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const A: &str = "Acme";

fn merge(laptop: &Sandbox, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["merge", "-a", A, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    laptop.run(&args)
}

fn export(laptop: &Sandbox, name: &str) -> PathBuf {
    let path = laptop.dir.path().join(name);
    laptop.ok(&[
        "export",
        "-a",
        A,
        "--format",
        "json",
        "--history",
        "--force",
        "-o",
        path.to_str().unwrap(),
    ]);
    path
}

fn assessment_id(store: &Store) -> i64 {
    store.find_assessment(A).unwrap().unwrap().id
}

/// A laptop with items 1-3 answered, an action on item 1 and a risk.
fn base() -> Sandbox {
    let first = Sandbox::new();
    first.create(A, "iso27001-2022", "HQ", "J. Doe");
    first.answer_all(A, 1..=3, |n| {
        vec![level(1), Change::Note(format!("base {n}"))]
    });
    first.with_store(|store| {
        let a = assessment_id(store);
        store
            .add_action(a, NewAction::titled(vec![1], "Write the policy"))
            .unwrap();
        store
            .add_entry(
                a,
                &Risk {
                    title: "Laptop theft".into(),
                    likelihood: 3,
                    impact: 3,
                    ..Risk::default()
                },
            )
            .unwrap();
    });
    first
}

/// A second laptop whose database is a byte copy of `laptop`'s (`cp a.db laptop2.db`).
fn copy_of(laptop: &Sandbox) -> Sandbox {
    let second = Sandbox::new();
    std::fs::copy(laptop.db(), second.db()).unwrap();
    second
}

/// The assessment as a person reads it, numbers aside: answers, plan, actions and risks by title.
fn content(laptop: &Sandbox) -> Value {
    let path = laptop.dir.path().join("content.json");
    laptop.ok(&[
        "export",
        "-a",
        A,
        "--format",
        "json",
        "--force",
        "-o",
        path.to_str().unwrap(),
    ]);
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let by_title = |name: &str, number: &str| {
        let mut list = document[name].as_array().cloned().unwrap_or_default();
        for entry in &mut list {
            entry.as_object_mut().unwrap().remove(number);
            entry.as_object_mut().unwrap().remove("uid");
        }
        list.sort_by_key(|e| e["title"].to_string());
        Value::Array(list)
    };
    let actions = by_title("actions", "number");
    let risks = by_title("risks", "id");
    serde_json::json!({
        "answers": document["answers"].take(),
        "plan": document["plan"].take(),
        "actions": actions,
        "risks": risks,
    })
}

fn conflicts(laptop: &Sandbox) -> Vec<Value> {
    laptop
        .json(&["merge", "conflicts", "-a", A, "--json"])
        .as_array()
        .unwrap()
        .clone()
}

/// Everything a merge may write, times and new change ids aside (a merge stamps what it writes
/// with the time it runs): answers, plan, history, conflicts (open or not), merged ids, actions,
/// risks and sessions.
fn full_state(laptop: &Sandbox) -> String {
    let connection = rusqlite::Connection::open_with_flags(
        laptop.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut state = String::new();
    for query in [
        "SELECT item, level, note, evidence, owner, due, applicable, justification, reasons, risks, review_needed FROM answer ORDER BY item",
        "SELECT step, status, reason, owner, start, due, done_on, note FROM plan_step ORDER BY step",
        "SELECT item, step, action, field, old_value, new_value, session FROM history ORDER BY id",
        "SELECT target, number, field, mine, theirs, resolution FROM merge_conflict ORDER BY id",
        "SELECT change_id FROM merge_applied ORDER BY change_id",
        "SELECT number, title, owner FROM action ORDER BY number",
        "SELECT number, title, owner, likelihood FROM risk ORDER BY number",
        "SELECT number, title, started_at, ended_at FROM workshop_session ORDER BY number",
    ] {
        let mut statement = connection.prepare(query).unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            state += &format!("{}\n", row.unwrap().join(" | "));
        }
        state += "--\n";
    }
    state
}

/// Point 1: `cp a.db laptop2.db`, both change levels, notes, an action, a risk and a plan step;
/// merged each way and the conflicts resolved, both hold the same document.
#[test]
fn a_copied_database_file_merges_both_ways_and_converges() {
    let first = base();
    let second = copy_of(&first);
    first.answer(A, 1, &[Change::Note("first laptop".into())]);
    first.answer(A, 4, &[level(2)]);
    first.plan_set(A, 1, &[status(StepStatus::InProgress, "")]);
    first.with_store(|store| {
        let a = assessment_id(store);
        store
            .apply_action_changes(a, 1, &[ActionChange::Owner("Marc".into())])
            .unwrap();
    });
    second.answer(A, 1, &[Change::Note("second laptop".into())]);
    second.answer(A, 2, &[level(0), Change::Note("nothing yet".into())]);
    second.answer(A, 5, &[level(3)]);
    second.plan_set(A, 2, &[status(StepStatus::Done, "")]);
    second.with_store(|store| {
        let a = assessment_id(store);
        store
            .add_entry(
                a,
                &Risk {
                    title: "Flood".into(),
                    likelihood: 2,
                    impact: 4,
                    ..Risk::default()
                },
            )
            .unwrap();
        store
            .add_action(a, NewAction::titled(vec![5], "Back up the server"))
            .unwrap();
    });

    let output = merge(&first, &second.db(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let waiting = conflicts(&first);
    assert_eq!(
        waiting.len(),
        1,
        "only the note changed on both: {waiting:?}"
    );
    assert_eq!(waiting[0]["mine"], "first laptop");
    assert_eq!(waiting[0]["theirs"], "second laptop");
    let id = waiting[0]["id"].to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "both",
    ]);
    let output = merge(&second, &first.db(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(content(&first), content(&second));
    let mine = content(&first);
    let answers = mine["answers"].to_string();
    for expected in ["nothing yet", "first laptop\\n\\nsecond laptop"] {
        assert!(answers.contains(expected), "{expected}: {answers}");
    }
    assert!(mine["risks"].to_string().contains("Flood"));
    assert!(mine["actions"].to_string().contains("Back up the server"));
    assert!(mine["actions"].to_string().contains("Marc"));
    // Nothing left to bring either way.
    assert!(text(&merge(&first, &second.db(), &[]).stdout).contains("0 fields did change"));
    assert!(text(&merge(&second, &first.db(), &[]).stdout).contains("0 fields did change"));
}

/// Point 1: every way the README names to take an assessment to a second laptop gives copies
/// whose new changes never share an id: copying the file, `split`, an export with history.
#[test]
fn copies_made_by_copy_split_or_export_never_share_a_new_change_id() {
    let first = base();
    let by_copy = copy_of(&first);
    let part = first.dir.path().join("part.json");
    first.ok(&[
        "split",
        "-a",
        A,
        "--items",
        "1-3",
        "-o",
        part.to_str().unwrap(),
    ]);
    let by_split = Sandbox::new();
    by_split.ok(&["import", part.to_str().unwrap()]);
    let by_export = Sandbox::new();
    by_export.ok(&["import", export(&first, "base.json").to_str().unwrap()]);
    let mut ids = std::collections::HashSet::new();
    for (n, laptop) in [&first, &by_copy, &by_split, &by_export]
        .into_iter()
        .enumerate()
    {
        laptop.answer(A, 2, &[Change::Note(format!("laptop {n}"))]);
        let id = laptop.with_store(|store| {
            let a = assessment_id(store);
            store.history(a).unwrap().pop().unwrap().change_id
        });
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "a UUID: {id}");
        assert!(ids.insert(id), "a new change id is never shared");
    }
    // Each copy merges into the first: the note changed on all four is one conflict per copy.
    for laptop in [&by_copy, &by_split, &by_export] {
        let output = merge(&first, &laptop.db(), &["--take", "theirs"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(
            text(&output.stdout).contains("1 new conflict (1 settled by --take)"),
            "{}",
            text(&output.stdout)
        );
    }
}

/// Point 1: two copies of a file written before version 8 (one replica, so the same id for
/// different changes): merge refuses with one line and writes nothing.
#[test]
fn a_colliding_change_id_is_refused_and_nothing_is_written() {
    let first = Sandbox::new();
    {
        let mut connection = rusqlite::Connection::open(first.db()).unwrap();
        isms_ready::store::schema::migrations()
            .to_version(&mut connection, 7)
            .unwrap();
        connection
            .execute_batch(
                "INSERT INTO assessment (name, questionnaire_id, created_at)
                     VALUES ('Acme', 'iso27001-2022', '2026-01-01T00:00:00Z');
                 INSERT INTO history (assessment_id, item, field, new_value, changed_at)
                     VALUES (1, 1, 'note', 'base', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
    }
    let second = copy_of(&first);
    for (laptop, note) in [(&first, "first"), (&second, "second")] {
        let connection = rusqlite::Connection::open(laptop.db()).unwrap();
        connection
            .execute(
                "INSERT INTO history (assessment_id, item, field, old_value, new_value, changed_at)
                 VALUES (1, 2, 'note', NULL, ?1, '2026-01-02T00:00:00Z')",
                [note],
            )
            .unwrap();
    }
    let before = full_state(&first);
    let output = merge(&first, &second.db(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&second.db().display().to_string()),
        "{stderr}"
    );
    assert!(
        stderr.contains("holds for another change") && stderr.contains("Nothing was merged"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(full_state(&first), before);
}

/// Point 3: the other laptop's app is open on its file, its last changes still in the `-wal`:
/// merge reads them (through SQLite) and leaves the other file as it was.
#[test]
fn changes_still_in_the_other_files_wal_are_merged() {
    let first = base();
    let second = copy_of(&first);
    let mut open = Store::open(&second.db()).unwrap();
    let a = assessment_id(&open);
    open.apply_changes(a, 7, &[level(4), Change::Note("in the WAL".into())])
        .unwrap();
    let wal = PathBuf::from(format!("{}-wal", second.db().display()));
    assert!(
        wal.metadata().unwrap().len() > 0,
        "the change waits in the -wal"
    );
    let main_before = std::fs::read(second.db()).unwrap();
    let output = merge(&first, &second.db(), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let note = first.with_store(|store| {
        let a = assessment_id(store);
        store.answers(a, 200).unwrap().get(7).note.clone()
    });
    assert_eq!(note, "in the WAL");
    assert_eq!(
        std::fs::read(second.db()).unwrap(),
        main_before,
        "the other file is not written"
    );
    drop(open);
}

/// Point 11: errors name the user's file (never a temporary copy) and do not suggest `--db`.
#[test]
fn errors_about_the_other_file_name_it_and_the_right_option() {
    let first = base();
    let foreign = first.dir.path().join("other program.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let output = merge(&first, &foreign, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&foreign.display().to_string()), "{stderr}");
    assert!(
        !stderr.contains("other.db") && !stderr.contains("--db"),
        "{stderr}"
    );
    assert!(stderr.contains("--history"), "{stderr}");
}

/// Point 7: a FIFO or a link to a device is refused at once by merge and import.
#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_refused_not_read() {
    let first = base();
    let fifo = first.dir.path().join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let zero = first.dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for file in [&fifo, &zero] {
        for args in [
            vec!["merge", "-a", A, file.to_str().unwrap()],
            vec!["import", file.to_str().unwrap()],
        ] {
            let mut child = first
                .command()
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let started = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if started.elapsed() > Duration::from_secs(20) {
                    child.kill().unwrap();
                    panic!("{args:?} did not return");
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            assert_eq!(status.code(), Some(1), "{args:?}");
            assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
        }
    }
}

/// Point 6: a history row with a value the app would never write is refused, with one line naming
/// the file, the row and the rule, by merge and import alike; nothing is written.
#[test]
fn crafted_history_rows_are_refused_whole_by_merge_and_import() {
    let first = base();
    let good = export(&first, "good.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap()).unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "level 9",
            serde_json::json!({"item": 4, "field": "level", "new_value": "9"}),
            "not 0 to 4",
        ),
        (
            "level -1",
            serde_json::json!({"item": 4, "field": "level", "new_value": "-1"}),
            "not 0 to 4",
        ),
        (
            "banana",
            serde_json::json!({"item": 4, "field": "level", "new_value": "banana"}),
            "not 0 to 4",
        ),
        (
            "hacked",
            serde_json::json!({"step": 2, "field": "plan.status", "new_value": "hacked"}),
            "not a step status",
        ),
        (
            "excluded clause",
            serde_json::json!({"item": 1, "field": "applicability", "new_value": "excluded [BR] no"}),
            "clause",
        ),
        (
            "due",
            serde_json::json!({"step": 2, "field": "plan.due", "new_value": "31/31/2027"}),
            "not a date",
        ),
        (
            "time",
            serde_json::json!({"item": 4, "field": "note", "new_value": "x", "changed_at": "9999"}),
            "not a time",
        ),
        (
            "step",
            serde_json::json!({"step": 99, "field": "plan.note", "new_value": "x"}),
            "outside the plan",
        ),
    ];
    let before = full_state(&first);
    for (name, row, rule) in cases {
        let mut crafted = document.clone();
        let mut row = row.as_object().unwrap().clone();
        row.entry("changed_at")
            .or_insert("2026-05-01T10:00:00Z".into());
        row.insert("change_id".into(), format!("crafted-{name}").into());
        let history = crafted["history"].as_array_mut().unwrap();
        history.push(Value::Object(row));
        let index = history.len() - 1;
        let file = first.dir.path().join("crafted.json");
        std::fs::write(&file, crafted.to_string()).unwrap();
        for args in [
            vec!["merge", "-a", A, file.to_str().unwrap()],
            vec!["import", file.to_str().unwrap(), "--as", "Other"],
        ] {
            let output = first.run(&args);
            assert_eq!(output.status.code(), Some(1), "{name} {args:?}");
            let stderr = text(&output.stderr);
            assert_eq!(stderr.trim().lines().count(), 1, "{name}: {stderr}");
            assert!(
                stderr.contains("crafted.json")
                    && stderr.contains(&format!("history[{index}]"))
                    && stderr.contains(rule),
                "{name} {args:?}: {stderr}"
            );
        }
        assert_eq!(full_state(&first), before, "{name}: nothing written");
    }
}

/// Point 9: keep both on an action's owner stays on one line.
#[test]
fn keep_both_on_an_owner_joins_the_two_on_one_line() {
    let first = base();
    let second = copy_of(&first);
    for (laptop, owner) in [(&first, "Marc Lefevre (CEO)"), (&second, "Nadia Benali")] {
        laptop.with_store(|store| {
            let a = assessment_id(store);
            store
                .apply_action_changes(a, 1, &[ActionChange::Owner(owner.into())])
                .unwrap();
        });
    }
    let output = merge(&first, &second.db(), &["--take", "both"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let owner = first.with_store(|store| {
        store.actions(assessment_id(store)).unwrap()[0]
            .owner
            .clone()
    });
    assert_eq!(owner, "Marc Lefevre (CEO) / Nadia Benali");
}

/// A merge that pauses inside its transaction (the debug build's test hook).
fn paused_merge(
    laptop: &Sandbox,
    file: &Path,
    extra: &[&str],
    pause_ms: u64,
    flag: &Path,
) -> std::process::Child {
    let mut args = vec!["merge", "-a", A, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    laptop
        .command()
        .args(&args)
        .env("ISMS_READY_TEST_PAUSE_MS", pause_ms.to_string())
        .env("ISMS_READY_TEST_PAUSE_AT", flag)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(flag: &Path) {
    let started = Instant::now();
    while !flag.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the merge never reached its pause"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Point 2: a note saved while a merge runs (after it read its plan) is never overwritten: the
/// save waits for the merge's transaction and lands after it.
#[test]
fn a_note_saved_while_a_merge_runs_is_not_overwritten() {
    let first = base();
    let second = copy_of(&first);
    second.answer(A, 3, &[Change::Note("from the laptop".into())]);
    let flag = first.dir.path().join("paused");
    let child = paused_merge(&first, &second.db(), &[], 800, &flag);
    wait_for(&flag);
    // The merge has read and planned: it would set item 3's note. Save another note now.
    first.answer(A, 3, &[Change::Note("typed during the merge".into())]);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let note = first.with_store(|store| {
        store
            .answers(assessment_id(store), 200)
            .unwrap()
            .get(3)
            .note
            .clone()
    });
    assert_eq!(note, "typed during the merge", "the later save is kept");
}

/// Point 5: two merges of one file at the same time store each conflict once.
#[test]
fn two_merges_at_once_store_each_conflict_once() {
    let first = base();
    let second = copy_of(&first);
    first.answer(A, 1, &[Change::Note("mine".into())]);
    first.answer(A, 2, &[level(4)]);
    second.answer(A, 1, &[Change::Note("theirs".into())]);
    second.answer(A, 2, &[level(0)]);
    let flags = [first.dir.path().join("one"), first.dir.path().join("two")];
    let children: Vec<_> = flags
        .iter()
        .map(|f| paused_merge(&first, &second.db(), &[], 300, f))
        .collect();
    for child in children {
        child.wait_with_output().unwrap();
    }
    assert_eq!(conflicts(&first).len(), 2, "each conflict once");
}

/// Point 4 and the kill test: SIGKILL at random points of `merge` and `merge --take`; after each,
/// the assessment is exactly as before or exactly as after.
#[cfg(unix)]
#[test]
fn a_merge_killed_at_any_point_leaves_before_or_after() {
    let first = base();
    let second = copy_of(&first);
    for n in 1..=3 {
        first.answer(A, n, &[Change::Note(format!("mine {n}"))]);
        second.answer(A, n, &[Change::Note(format!("theirs {n}"))]);
    }
    second.answer(A, 8, &[level(3)]);
    let original = first.db();
    let saved = first.dir.path().join("saved.db");
    std::fs::copy(&original, &saved).unwrap();
    let before = full_state(&first);
    let mut afters = std::collections::HashMap::new();
    for take in [false, true] {
        let extra: &[&str] = if take { &["--take", "theirs"] } else { &[] };
        merge(&first, &second.db(), extra);
        afters.insert(take, full_state(&first));
        std::fs::copy(&saved, &original).unwrap();
    }
    // A fixed pseudo-random sequence (a linear congruential generator): the same kill points on
    // every run of the test.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut random = move |below: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % below
    };
    let (mut killed_between, mut runs) = (0, 0);
    for run in 0..24 {
        let take = run % 2 == 1;
        let extra: &[&str] = if take { &["--take", "theirs"] } else { &[] };
        let flag = first.dir.path().join(format!("flag{run}"));
        let mut child = paused_merge(&first, &second.db(), extra, 25, &flag);
        // Half the kills at a random time from the start (before, inside or after the merge),
        // half at a random time once the merge is inside its transaction.
        if run % 4 >= 2 {
            wait_for(&flag);
        }
        let delay = random(if run % 4 >= 2 { 150 } else { 400 });
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        runs += 1;
        let state = full_state(&first);
        if state != before && state != afters[&take] {
            panic!("run {run} (take {take}, killed after {delay} ms): half a merge\n{state}");
        }
        if flag.exists() && state == before {
            killed_between += 1;
        }
        std::fs::copy(&saved, &original).unwrap();
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", original.display()));
        }
    }
    eprintln!("{killed_between} of {runs} kills landed inside the merge's transaction");
    assert!(
        killed_between > 0,
        "some of the {runs} kills landed inside the transaction"
    );
}

/// Point 8: the other laptop's session arrives with its changes (title, participants, times), and
/// each merged change keeps its original time and session.
#[test]
fn sessions_travel_and_merged_changes_keep_their_time_and_session() {
    use isms_ready::model::session::{NewSession, Participant};
    let first = base();
    let second = copy_of(&first);
    first.with_store(|store| {
        let a = assessment_id(store);
        let new = NewSession {
            title: "Here".into(),
            date: "2026-05-01".into(),
            facilitator: "J. Doe".into(),
            participants: vec![],
            focus: String::new(),
        };
        store.start_session(a, &new).unwrap();
        store.end_session(a, None, &[]).unwrap();
    });
    let their_row = second.with_store(|store| {
        let a = assessment_id(store);
        let new = NewSession {
            title: "Group 2: access control".into(),
            date: "2026-05-02".into(),
            facilitator: "N. Benali".into(),
            participants: vec![Participant {
                name: "Marc Lefevre".into(),
                role: "CEO".into(),
            }],
            focus: "A.5".into(),
        };
        store.start_session(a, &new).unwrap();
        store
            .apply_changes(
                a,
                9,
                &[level(2), Change::Note("agreed in the workshop".into())],
            )
            .unwrap();
        let note = store.history(a).unwrap().pop().unwrap();
        store
            .apply_action_changes(a, 1, &[ActionChange::Owner("Nadia".into())])
            .unwrap();
        store
            .add_entry(
                a,
                &Risk {
                    title: "Flood".into(),
                    likelihood: 2,
                    impact: 4,
                    ..Risk::default()
                },
            )
            .unwrap();
        note
    });
    std::thread::sleep(Duration::from_millis(20));
    let output = merge(&first, &second.db(), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    first.with_store(|store| {
        let a = assessment_id(store);
        let sessions = store.sessions(a).unwrap();
        let titles: Vec<_> = sessions
            .iter()
            .map(|s| (s.number, s.title.as_str()))
            .collect();
        assert_eq!(titles, [(1, "Here"), (2, "Group 2: access control")]);
        let theirs = &sessions[1];
        assert_eq!(theirs.participants[0].name, "Marc Lefevre");
        assert_eq!(theirs.facilitator, "N. Benali");
        assert!(
            theirs.ended_at.is_some(),
            "added closed: this copy has its own sessions"
        );
        let history = store.history(a).unwrap();
        let note = history
            .iter()
            .rev()
            .find(|h| h.item == Some(9) && h.field == "note")
            .unwrap();
        assert_eq!(note.changed_at, their_row.changed_at, "the original time");
        assert_eq!(
            note.session,
            Some(2),
            "the session it was made in, numbered here"
        );
        // An action's and a register's change keep theirs too.
        let their_history = second.with_store(|s| s.history(assessment_id(s)).unwrap());
        for field in ["action.owner", "risks.add"] {
            let here = history.iter().rev().find(|h| h.field == field).unwrap();
            let there = their_history
                .iter()
                .rev()
                .find(|h| h.field == field)
                .unwrap();
            assert_eq!(here.session, Some(2), "{field}: its session, numbered here");
            assert_eq!(here.changed_at, there.changed_at, "{field}: its time");
        }
    });
    // Merging again adds no session twice.
    merge(&first, &second.db(), &[]);
    assert_eq!(
        first.with_store(|s| s.sessions(assessment_id(s)).unwrap().len()),
        2
    );
}

/// Point 10: a register entry changed on both sides merges field by field: a field changed on
/// one side only lands (this side's impact, their treatment), and the conflict shows, side by
/// side, every field changed differently on both (owner, likelihood); taking theirs for those
/// keeps this side's other change.
#[test]
fn a_risk_changed_on_both_sides_is_decided_field_by_field() {
    use isms_ready::model::registers::Treatment;
    let first = base();
    let second = copy_of(&first);
    let edit = |laptop: &Sandbox, change: &dyn Fn(&mut Risk)| {
        laptop.with_store(|store| {
            let a = assessment_id(store);
            let mut risk = store.registers(a).unwrap().risks[0].clone();
            change(&mut risk);
            store.set_entry(a, 1, &risk).unwrap();
        })
    };
    edit(&first, &|r| {
        r.owner = "Marc".into();
        r.likelihood = 5;
        r.impact = 1;
    });
    edit(&second, &|r| {
        r.owner = "Nadia".into();
        r.likelihood = 2;
        r.treatment = Some(Treatment::Mitigate);
    });
    let output = merge(&first, &second.db(), &[]);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("conflict R-1 entry"), "{stdout}");
    let fields: Vec<&str> = stdout.lines().filter(|l| l.starts_with("    ")).collect();
    assert_eq!(
        fields,
        [
            "    likelihood: mine \"5\" | theirs \"2\"",
            "    owner: mine \"Marc\" | theirs \"Nadia\""
        ],
        "{stdout}"
    );
    let listed = first.ok(&["merge", "conflicts", "-a", A]);
    assert!(
        listed.contains("    owner: mine \"Marc\" | theirs \"Nadia\""),
        "{listed}"
    );
    let id = conflicts(&first)[0]["id"].to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "theirs",
    ]);
    let risk =
        first.with_store(|store| store.registers(assessment_id(store)).unwrap().risks[0].clone());
    assert_eq!(
        (
            risk.owner.as_str(),
            risk.likelihood,
            risk.impact,
            risk.treatment
        ),
        ("Nadia", 2, 1, Some(Treatment::Mitigate)),
        "theirs for the conflicting fields, this side's impact kept, their treatment landed"
    );
    // Back the other way: the same risk on both.
    merge(&second, &first.db(), &[]);
    assert_eq!(content(&first), content(&second));
}

// The property (done-when of issue 22): copies made by copying the file, by `split` and by an
// export with history, changed at random, then merged in random orders, always converge, and
// every change is applied or reported as a conflict.

mod property {
    use super::*;
    use isms_ready::model::document::AssessmentDocument;
    use isms_ready::model::merge::Resolution;
    use isms_ready::model::plan::PlanTemplate;
    use isms_ready::model::{Catalog, Level};
    use isms_ready::service::Context;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// How a copy was made from the first laptop's file.
    #[derive(Debug, Clone, Copy)]
    enum Made {
        Copy,
        Split,
        Export,
    }

    const ITEMS: u32 = 6;

    fn context(path: &Path) -> Context {
        Context {
            store: Store::open(path).unwrap(),
            catalog: Catalog::builtin(),
            warnings: Vec::new(),
        }
    }

    fn import(document: &AssessmentDocument, path: &Path) {
        let mut store = Store::open(path).unwrap();
        store.import_document(document, A).unwrap();
    }

    fn export_document(path: &Path) -> AssessmentDocument {
        let context = context(path);
        let a = context.store.find_assessment(A).unwrap().unwrap();
        let bytes = isms_ready::service::export::render(
            &context.store,
            &context.catalog,
            &a,
            isms_ready::export::ExportFormat::Json,
            true,
        )
        .unwrap();
        AssessmentDocument::parse(
            "copy.json",
            std::str::from_utf8(&bytes).unwrap(),
            &context.catalog,
            PlanTemplate::builtin(),
        )
        .unwrap()
    }

    /// (item, field) -> value, for items 1..=ITEMS.
    fn values(path: &Path) -> BTreeMap<(u32, &'static str), String> {
        let store = Store::open(path).unwrap();
        let a = assessment_id(&store);
        let answers = store.answers(a, 200).unwrap();
        let mut out = BTreeMap::new();
        for item in 1..=ITEMS {
            let answer = answers.get(item);
            out.insert((item, "level"), format!("{:?}", answer.level));
            out.insert((item, "note"), answer.note.clone());
        }
        out
    }

    /// Merges `from` into `into`, settling conflicts with `take`; returns the conflicts' fields.
    fn merge_into(into: &Path, from: &Path, take: Resolution) -> Vec<(u32, String)> {
        let mut context = context(into);
        let a = context.store.find_assessment(A).unwrap().unwrap();
        let uid = context.store.assessment_uid(a.id).unwrap();
        let document = isms_ready::service::merge::read_other(&context, from, &uid).unwrap();
        let outcome = isms_ready::service::merge::merge(
            &mut context,
            &a,
            &document,
            "other.db",
            false,
            Some(take),
        )
        .unwrap();
        assert_eq!(outcome.waiting, 0, "every conflict settled by take");
        outcome
            .conflicts
            .iter()
            .map(|c| (c.key.target.number(), c.key.field.clone()))
            .collect()
    }

    fn made() -> impl Strategy<Value = Made> {
        prop_oneof![Just(Made::Copy), Just(Made::Split), Just(Made::Export)]
    }

    /// (copy, item, level or note, level value)
    fn edits() -> impl Strategy<Value = Vec<(usize, u32, bool, u8)>> {
        proptest::collection::vec((0usize..4, 1..=ITEMS, any::<bool>(), 0u8..5), 0..10)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
        #[test]
        fn copies_changed_at_random_and_merged_in_random_orders_converge(
            made in proptest::collection::vec(made(), 1..4),
            edits in edits(),
            order in proptest::collection::vec((0usize..4, 0usize..4, any::<bool>()), 0..8),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let paths: Vec<PathBuf> = (0..=made.len()).map(|n| dir.path().join(format!("copy{n}.db"))).collect();
            {
                let mut store = Store::open(&paths[0]).unwrap();
                let a = store
                    .create_assessment(&isms_ready::store::NewAssessment {
                        name: A.into(),
                        questionnaire_id: "iso27001-2022".into(),
                        scope: String::new(),
                        assessor: String::new(),
                        firm: String::new(),
                    })
                    .unwrap();
                for item in 1..=ITEMS {
                    store.apply_changes(a.id, item, &[level(1), Change::Note(format!("base {item}"))]).unwrap();
                }
            }
            for (n, how) in made.iter().enumerate() {
                let path = &paths[n + 1];
                match how {
                    Made::Copy => {
                        std::fs::copy(&paths[0], path).unwrap();
                    }
                    Made::Split => {
                        let context = context(&paths[0]);
                        let a = context.store.find_assessment(A).unwrap().unwrap();
                        let part = isms_ready::service::merge::split(&context, &a, 1..=ITEMS).unwrap();
                        import(&part, path);
                    }
                    Made::Export => import(&export_document(&paths[0]), path),
                }
            }
            let copies = paths.len();
            // Phase 1: every copy changes at random, on its own. Notes are unique per change.
            let mut set: BTreeMap<(u32, &'static str), BTreeMap<usize, String>> = BTreeMap::new();
            for (k, (copy, item, is_note, value)) in edits.into_iter().enumerate() {
                let copy = copy % copies;
                let mut store = Store::open(&paths[copy]).unwrap();
                let a = assessment_id(&store);
                let (change, field, shown) = if is_note {
                    let note = format!("copy {copy} change {k}");
                    (Change::Note(note.clone()), "note", note)
                } else {
                    let level = Level::from_u8(value);
                    (Change::Level(level), "level", format!("{level:?}"))
                };
                store.apply_changes(a, item, &[change]).unwrap();
                set.entry((item, field)).or_default().insert(copy, shown);
            }
            let base = values(&paths[0]);
            let mut conflicted: BTreeSet<(u32, String)> = BTreeSet::new();
            // Phase 2: merges in a random order, conflicts settled one way or the other.
            for (into, from, theirs) in order {
                let (into, from) = (into % copies, from % copies);
                if into == from {
                    continue;
                }
                let take = if theirs { Resolution::Theirs } else { Resolution::Mine };
                conflicted.extend(merge_into(&paths[into], &paths[from], take));
            }
            // Phase 3: every copy into every other until nothing changes.
            let mut rounds = 0;
            loop {
                let before: Vec<_> = paths.iter().map(|p| values(p)).collect();
                for into in 0..copies {
                    for from in 0..copies {
                        if into != from {
                            conflicted.extend(merge_into(&paths[into], &paths[from], Resolution::Theirs));
                        }
                    }
                }
                let after: Vec<_> = paths.iter().map(|p| values(p)).collect();
                if before == after {
                    break;
                }
                rounds += 1;
                prop_assert!(rounds < 6, "no convergence after {rounds} rounds");
            }
            let last = values(&paths[0]);
            for path in &paths[1..] {
                prop_assert_eq!(&values(path), &last, "the copies converge");
            }
            // Every change is applied, or a conflict was reported on its field.
            for ((item, field), by_copy) in &set {
                let final_value = &last[&(*item, *field)];
                let distinct: BTreeSet<&String> = by_copy.values().collect();
                if distinct.len() == 1 {
                    let only = distinct.into_iter().next().unwrap();
                    if *only != base[&(*item, *field)] || *field == "note" {
                        prop_assert_eq!(final_value, only, "item {} {}: a change nobody contradicted lands", item, field);
                    }
                } else if *field == "note" {
                    prop_assert!(
                        conflicted.contains(&(*item, field.to_string())),
                        "item {} note changed differently on {:?} without a conflict", item, by_copy
                    );
                    prop_assert!(distinct.contains(final_value), "item {} note: {} is one of the versions", item, final_value);
                }
            }
        }
    }
}

/// Point 3: merging a database file nobody has open reads it without leaving a `-wal` or `-shm`
/// beside it, and the file stays byte for byte (a path with a space and a `#`).
#[test]
fn merging_a_closed_database_file_leaves_it_and_its_folder_as_they_were() {
    let first = base();
    let second = Sandbox::new();
    let other = second.dir.path().join("laptop #2.db");
    std::fs::copy(first.db(), &other).unwrap();
    {
        let mut store = Store::open(&other).unwrap();
        let a = assessment_id(&store);
        store
            .apply_changes(a, 6, &[Change::Note("from laptop 2".into())])
            .unwrap();
    }
    let listing = |dir: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let (files, bytes) = (listing(second.dir.path()), std::fs::read(&other).unwrap());
    let output = merge(&first, &other, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("from laptop 2"));
    assert_eq!(listing(second.dir.path()), files, "nothing left beside it");
    assert_eq!(std::fs::read(&other).unwrap(), bytes);
}
