//! The command-line contract of DESIGN.md, run on the real binary.

mod common;

use common::{Sandbox, level, read_bytes};
use serde_json::Value;

fn clause<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == id)
        .unwrap_or_else(|| panic!("clause {id} missing"))
}

#[test]
fn answers_and_summary_follow_the_scoring_rule_on_hand_computed_cases() {
    let sandbox = Sandbox::new();
    sandbox.ok(&[
        "new",
        "--name",
        "Acme Ltd",
        "--standard",
        "iso27001-2013",
        "--scope",
        "HQ",
        "--assessor",
        "Jo",
    ]);
    // The answers are saved through the library (the calls `answer --level` makes); the summary
    // is the binary's.
    let mut levels = Vec::new();
    // Clause 4 (items 1-9): 4 + 2 + 0 + 3 = 9 of 36 points.
    levels.extend([(1, 4), (2, 2), (3, 0), (4, 3)]);
    // Clause 8 (items 89-97): eight at 2 and one at 3 = 19 of 36 points.
    levels.extend((89..=97).map(|item| (item, if item == 93 { 3 } else { 2 })));
    // Clause 10 (items 127-138): three at 1 = 3 of 48 points = 6.25 %, shown 6.3 (half away from zero).
    levels.extend([(127, 1), (128, 1), (129, 1)]);
    sandbox.answer_all("Acme Ltd", levels.iter().map(|(item, _)| *item), |item| {
        let (_, value) = levels.iter().find(|(i, _)| *i == item).unwrap();
        vec![level(*value)]
    });
    let summary = sandbox.json(&["summary", "--assessment", "Acme Ltd", "--json"]);

    assert_eq!(summary["assessment"]["name"], "Acme Ltd");
    assert_eq!(summary["assessment"]["standard"], "iso27001-2013");

    let c4 = clause(&summary, "4");
    assert_eq!(c4["readiness"], 25.0);
    assert_eq!(c4["gap"], 75.0);
    assert_eq!(c4["coverage"], 44.4); // 4 of 9
    assert_eq!(c4["answered"], 4);
    assert_eq!(c4["items"], 9);
    assert_eq!(c4["level_counts"], serde_json::json!([1, 0, 1, 1, 1]));
    assert_eq!(c4["pdca_reached"], "none"); // five items still unanswered
    assert_eq!(c4["pdca_phase"], "P");

    let c8 = clause(&summary, "8");
    assert_eq!(c8["readiness"], 52.8); // 19/36 = 52.77..
    assert_eq!(c8["coverage"], 100.0);
    assert_eq!(c8["pdca_reached"], "D"); // lowest level is 2
    assert_eq!(c8["pdca_phase"], "D");

    let c10 = clause(&summary, "10");
    assert_eq!(c10["readiness"], 6.3);
    assert_eq!(c10["gap"], 93.8); // 93.75
    assert_eq!(c10["pdca_phase"], "A");

    // Overall over the 138 clause items: 31 of 552 points; 16 of 138 answered.
    assert_eq!(summary["overall"]["readiness"], 5.6);
    assert_eq!(summary["overall"]["gap"], 94.4);
    assert_eq!(summary["overall"]["coverage"], 11.6);
    assert_eq!(summary["overall"]["answered"], 16);
    assert_eq!(summary["overall"]["items"], 138);

    let clause_ids: Vec<&str> = summary["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clause"].as_str().unwrap())
        .collect();
    assert_eq!(clause_ids, ["4", "5", "6", "7", "8", "9", "10"]);
}

#[test]
fn excluded_controls_leave_the_score_and_count_for_coverage() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Beta", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Beta",
        "--item",
        "139",
        "--exclude",
        "No policy work is outsourced",
    ]);
    sandbox.ok(&["answer", "-a", "Beta", "--item", "140", "--level", "4"]);
    let summary = sandbox.json(&["summary", "-a", "Beta", "--json"]);
    let annex = &summary["annex_a"];
    let a5 = annex["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["clause"] == "A.5")
        .unwrap();
    assert_eq!(a5["readiness"], 100.0); // the one applicable control is at 4
    assert_eq!(a5["coverage"], 100.0); // one answered + one excluded of two
    assert_eq!(a5["excluded"], 1);
    assert_eq!(annex["overall"]["readiness"], 0.9); // 4 of 113 x 4 points
    assert_eq!(annex["overall"]["coverage"], 1.8); // 2 of 114
    // Annex A never moves the clause figure.
    assert_eq!(summary["overall"]["readiness"], 0.0);
}

#[test]
fn clause_items_cannot_be_excluded() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Gamma", "--standard", "iso27001-2013"]);
    let output = sandbox.run(&[
        "answer",
        "-a",
        "Gamma",
        "--item",
        "12",
        "--exclude",
        "not relevant",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot be excluded"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one clear line: {stderr}");
    let summary = sandbox.json(&["summary", "-a", "Gamma", "--json"]);
    assert_eq!(summary["overall"]["answered"], 0);
}

#[test]
fn usage_errors_exit_2_and_other_errors_exit_1() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Delta", "--standard", "iso27001-2013"]);
    assert_eq!(
        sandbox
            .run(&["answer", "-a", "Delta", "--item", "1", "--level", "5"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        sandbox
            .run(&["answer", "-a", "Delta", "--item", "1"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(sandbox.run(&["frobnicate"]).status.code(), Some(2));
    let missing = sandbox.run(&["answer", "-a", "Nobody", "--item", "1", "--level", "1"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no assessment named \"Nobody\""));
    let beyond = sandbox.run(&["answer", "-a", "Delta", "--item", "999", "--level", "1"]);
    assert_eq!(beyond.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&beyond.stderr).contains("items 1 to 252"));
    let duplicate = sandbox.run(&["new", "--name", "Delta", "--standard", "iso27001-2013"]);
    assert_eq!(duplicate.status.code(), Some(1));
    let unknown = sandbox.run(&["new", "--name", "Eps", "--standard", "iso9001"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown questionnaire"));
}

#[test]
fn clear_and_note_are_saved_and_listed() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Zeta", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Zeta",
        "--item",
        "5",
        "--level",
        "3",
        "--note",
        "Scope signed by the CEO",
    ]);
    sandbox.ok(&["answer", "-a", "Zeta", "--item", "5", "--clear"]);
    let summary = sandbox.json(&["summary", "-a", "Zeta", "--json"]);
    assert_eq!(summary["overall"]["answered"], 0);
    let list = sandbox.json(&["list", "--json"]);
    assert_eq!(list[0]["name"], "Zeta");
    assert_eq!(list[0]["standard"], "iso27001-2013");
    let text = sandbox.ok(&["summary"]);
    assert!(text.contains("Zeta"), "{text}");
    assert!(text.contains("Context of the organization"), "{text}");
}

#[test]
fn questionnaire_2013_lists_clause_requirements_then_controls_with_the_course_numbering() {
    let sandbox = Sandbox::new();
    let shown = sandbox.json(&["questionnaires", "show", "iso27001-2013", "--json"]);
    let items = shown["items"].as_array().unwrap();
    assert_eq!(items.len(), 252);
    for (index, item) in items.iter().enumerate() {
        assert_eq!(item["number"], index as u64 + 1);
        for key in ["ref", "clause", "kind", "pdca", "title"] {
            assert!(item[key].is_string(), "item {index} lacks {key}");
        }
    }
    let ranges = [
        ("4", 1, 9),
        ("5", 10, 27),
        ("6", 28, 63),
        ("7", 64, 88),
        ("8", 89, 97),
        ("9", 98, 126),
        ("10", 127, 138),
    ];
    for (clause, first, last) in ranges {
        let numbers: Vec<u64> = items
            .iter()
            .filter(|i| i["clause"] == clause)
            .map(|i| i["number"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers.first(), Some(&first), "clause {clause}");
        assert_eq!(numbers.last(), Some(&last), "clause {clause}");
        assert_eq!(numbers.len() as u64, last - first + 1, "clause {clause}");
    }
    assert!(items[..138].iter().all(|i| i["kind"] == "clause"));
    assert!(items[138..].iter().all(|i| i["kind"] == "control"));
    let listed = sandbox.json(&["questionnaires", "--json"]);
    let known: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert!(known.contains(&"iso27001-2013"));
}

#[test]
fn foreign_and_newer_databases_are_refused_and_left_untouched() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();

    // A file that is not SQLite at all.
    std::fs::write(&db, b"name,level\nA.5.1.1,3\n").unwrap();
    let before = read_bytes(&db);
    let output = sandbox.run(&["list"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not a SQLite file") && stderr.contains("test.db"),
        "{stderr}"
    );
    assert_eq!(read_bytes(&db), before);

    // A SQLite database of another program.
    std::fs::remove_file(&db).unwrap();
    {
        let other = rusqlite::Connection::open(&db).unwrap();
        other.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);").unwrap();
    }
    let before = read_bytes(&db);
    let output = sandbox.run(&["new", "--name", "X", "--standard", "iso27001-2013"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another program"), "{stderr}");
    assert_eq!(read_bytes(&db), before, "the foreign file was modified");

    // Our own database, but written by a newer build.
    std::fs::remove_file(&db).unwrap();
    sandbox.ok(&["new", "--name", "Future", "--standard", "iso27001-2013"]);
    {
        let ours = rusqlite::Connection::open(&db).unwrap();
        ours.pragma_update(None, "journal_mode", "DELETE").unwrap();
        ours.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = read_bytes(&db);
    let output = sandbox.run(&["list"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("newer isms-ready") && stderr.contains("schema 99"),
        "{stderr}"
    );
    assert_eq!(read_bytes(&db), before, "the newer file was modified");
}

#[test]
#[cfg(unix)]
fn a_new_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let nested = sandbox.dir.path().join("deep").join("er").join("file.db");
    let output = sandbox
        .command()
        .env("ISMS_READY_DB", &nested)
        .args(["new", "--name", "P"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mode = std::fs::metadata(&nested).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // --db wins over the environment.
    let other = sandbox.dir.path().join("other.db");
    sandbox.ok(&["--db", other.to_str().unwrap(), "new", "--name", "Q"]);
    assert!(other.exists());
}

// Issue 12, point 3: the assessment a command takes without --assessment is the one open in the
// app, recorded when it is opened (not when it is left).
#[test]
fn plan_set_without_assessment_acts_on_the_one_open_in_the_app_and_names_it() {
    use common::pty::{ENTER, ESC, Terminal};
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Alpha Ltd"]);
    sandbox.ok(&["new", "--name", "Beta GmbH"]);
    let mut app = Terminal::spawn(
        &sandbox.db(),
        sandbox.dir.path(),
        &["-a", "Alpha Ltd"],
        100,
        30,
    );
    app.wait_for("Opened \"Alpha Ltd\"");
    app.send(ESC);
    app.wait_for("Beta GmbH");
    // Alpha was left last, so it heads the list; Beta is below it.
    app.send("j");
    app.send(ENTER);
    app.wait_for("Opened \"Beta GmbH\"");
    // A key handled after the first frame of Beta: the "opened" record is flushed by now.
    app.send("j");
    app.wait_for("Item 2");

    // The app is still running, on Beta.
    let output = sandbox.run(&["plan", "set", "--step", "1", "--status", "done"]);
    assert!(output.status.success(), "{output:?}");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("Beta GmbH"), "{said}");
    assert!(!said.contains("Alpha Ltd"), "{said}");
    // The note says which assessment was chosen and why.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no --assessment given") && stderr.contains("\"Beta GmbH\""),
        "{stderr}"
    );
    let beta = sandbox.json(&["plan", "-a", "Beta GmbH", "--json"]);
    assert_eq!(beta["steps"][0]["status"], "done");
    let alpha = sandbox.json(&["plan", "-a", "Alpha Ltd", "--json"]);
    assert_eq!(alpha["steps"][0]["status"], "todo");
    // Read commands take the same one.
    let summary = sandbox.json(&["summary", "--json"]);
    assert_eq!(summary["assessment"]["name"], "Beta GmbH");
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn a_write_command_on_the_only_assessment_needs_no_note() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Solo"]);
    let output = sandbox.run(&["plan", "set", "--step", "2", "--status", "in_progress"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Solo step 2"));
    assert!(output.stderr.is_empty(), "{output:?}");
}

/// Text with every kind of terminal control a crafted file could carry: a title change (OSC 0), a
/// clipboard write (OSC 52), a screen clear (CSI), a bell, DEL and a C1 CSI.
const EVIL: &str =
    "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{7f}\r\u{8}Co";

/// The characters a terminal would act on: C0 controls other than newline and tab, DEL, C1.
fn terminal_controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect()
}

fn assert_clean(sandbox: &Sandbox, args: &[&str]) -> String {
    let output = sandbox.run(args);
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let found = terminal_controls(bytes);
        assert!(
            found.is_empty(),
            "isms-ready {args:?} wrote {found:?} to {stream}: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// Issue 12, point 10: names, notes and owners from a crafted file never reach the terminal as
// control sequences; JSON output keeps them exact.
#[test]
fn control_characters_from_a_crafted_file_never_reach_the_terminal() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Seed"]);
    // Item 143 is the first Annex A control of the 2022 questionnaire.
    sandbox.ok(&[
        "answer",
        "-a",
        "Seed",
        "--item",
        "143",
        "--exclude",
        "x",
        "--owner",
        "o",
        "--note",
        "n",
        "--evidence",
        "e",
        "--risks",
        "r",
    ]);
    sandbox.ok(&[
        "answer", "-a", "Seed", "--item", "1", "--level", "2", "--note", "n",
    ]);
    sandbox.ok(&[
        "plan", "set", "-a", "Seed", "--step", "1", "--status", "blocked", "--reason", "r",
        "--owner", "o", "--note", "n",
    ]);
    let mut document: Value =
        serde_json::from_str(&sandbox.ok(&["export", "-a", "Seed", "--format", "json", "-o", "-"]))
            .unwrap();
    for field in ["name", "scope", "assessor"] {
        document["assessment"][field] = Value::from(EVIL);
    }
    for answer in document["answers"].as_array_mut().unwrap() {
        for field in ["note", "owner", "evidence", "risks"] {
            answer[field] = Value::from(EVIL);
        }
        if answer["applicable"] == false {
            answer["justification"] = Value::from(EVIL);
        }
    }
    for step in document["plan"].as_array_mut().unwrap() {
        for field in ["owner", "note", "reason"] {
            step[field] = Value::from(EVIL);
        }
    }
    let crafted = sandbox.dir.path().join("crafted.json");
    std::fs::write(&crafted, serde_json::to_string(&document).unwrap()).unwrap();
    let imported = assert_clean(&sandbox, &["import", crafted.to_str().unwrap()]);
    assert!(
        imported.contains("EvilCo") || imported.contains("Evil"),
        "{imported}"
    );

    // The imported assessment is the newest, so commands without --assessment take it too.
    let list = assert_clean(&sandbox, &["list"]);
    assert!(list.contains("Evil"), "{list}");
    let summary = assert_clean(&sandbox, &["summary", "-a", "2"]);
    assert!(summary.contains("Evil"), "{summary}");
    assert_clean(&sandbox, &["summary"]);
    let soa = assert_clean(&sandbox, &["soa", "-a", "2"]);
    assert!(soa.contains("excluded"), "{soa}");
    assert_clean(&sandbox, &["soa", "-a", "2", "--check"]);
    let plan = assert_clean(&sandbox, &["plan", "-a", "2"]);
    assert!(plan.contains("Evil"), "{plan}");
    assert_clean(
        &sandbox,
        &["plan", "set", "--step", "2", "--status", "done"],
    );
    assert_clean(
        &sandbox,
        &["answer", "-a", "2", "--item", "1", "--level", "3"],
    );
    assert_clean(&sandbox, &["migrate", "-a", "2", "--to", "iso27001-2013"]);
    // An error quoting crafted text is clean too.
    let mut broken = document.clone();
    broken["assessment"]["questionnaire"] = Value::from(EVIL);
    std::fs::write(&crafted, serde_json::to_string(&broken).unwrap()).unwrap();
    assert_clean(&sandbox, &["import", crafted.to_str().unwrap()]);
    assert_clean(&sandbox, &["summary", "-a", EVIL]);

    // JSON keeps the exact strings.
    let list = sandbox.json(&["list", "--json"]);
    assert_eq!(list[0]["name"], EVIL);
    assert_eq!(list[0]["scope"], EVIL);
    let plan = sandbox.json(&["plan", "-a", "2", "--json"]);
    assert_eq!(plan["assessment"]["name"], EVIL);
    assert_eq!(plan["steps"][0]["owner"], EVIL);
    assert_eq!(plan["steps"][0]["note"], EVIL);
    let soa = sandbox.json(&["soa", "-a", "2", "--json"]);
    assert_eq!(soa["controls"][0]["justification"], EVIL);
    assert_eq!(soa["controls"][0]["owner"], EVIL);
}

/// Issue 26: the debug binary reads the one clock from `ISMS_READY_TEST_NOW` (the release binary
/// has no such hook: `.ci/run` checks it), so a test of the real binary can fix "now": the
/// creation time is stored in UTC, a session's default date is today in the offset given.
#[test]
fn the_debug_binary_runs_at_the_time_isms_ready_test_now_sets() {
    let sandbox = Sandbox::new();
    let at = |args: &[&str]| {
        let output = sandbox
            .command()
            .env("ISMS_READY_TEST_NOW", "2026-03-01T23:30:00-02:00")
            .args(args)
            .output()
            .expect("run isms-ready");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("utf-8 output")
    };
    at(&["new", "--name", "Acme"]);
    at(&["session", "start", "-a", "Acme", "--title", "Late"]);
    let list: Value = serde_json::from_str(&at(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["created_at"], "2026-03-02T01:30:00.000Z", "{list}");
    let sessions = at(&["session", "list", "-a", "Acme"]);
    assert!(sessions.contains("2026-03-01"), "{sessions}");
    assert!(!sessions.contains("2026-03-02"), "{sessions}");
}
