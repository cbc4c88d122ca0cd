//! Issue 27: every statement the store prepares about one assessment finds that assessment's rows
//! through an index. A whole workload (every command that reads or writes one assessment, and the
//! app across its screens) runs with the store recording its SQL; each statement's
//! `EXPLAIN QUERY PLAN` must not `SCAN` a table that holds every assessment's rows.

mod common;
mod screen_kit;

use common::Sandbox;
use isms_ready::store::Store;
use isms_ready::tui::App;
use screen_kit::{app_on, draw, press};
use std::path::{Path, PathBuf};

/// The tables with one set of rows per assessment (all but `assessment` and `setting`).
const PER_ASSESSMENT: [&str; 14] = [
    "answer",
    "history",
    "plan_step",
    "action",
    "action_item",
    "context_issue",
    "interested_party",
    "risk",
    "risk_control",
    "objective",
    "workshop_session",
    "session_participant",
    "merge_applied",
    "merge_conflict",
];

/// Runs the real binary with the statement recorder on; it must succeed.
fn run(sandbox: &Sandbox, record: &Path, args: &[&str]) -> String {
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_RECORD_SQL", record)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every command about one assessment, on a file that holds three, plus the copy a merge reads.
fn command_workload(sandbox: &Sandbox, record: &Path) -> PathBuf {
    let run = |args: &[&str]| run(sandbox, record, args);
    let dir = sandbox.dir.path();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    run(&["new", "--name", "Acme", "--standard", "iso27001-2022"]);
    run(&["new", "--name", "Beta", "--standard", "iso27001-2013"]);
    run(&["new", "--name", "Gamma", "--standard", "iso27001-2022"]);
    run(&["session", "start", "-a", "Acme", "--title", "One"]);
    run(&[
        "answer", "-a", "Acme", "--item", "1", "--level", "2", "--note", "n",
    ]);
    run(&["answer", "-a", "Acme", "--item", "2", "--level", "3"]);
    run(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "150",
        "--exclude",
        "Not here",
    ]);
    run(&["answer", "-a", "Beta", "--item", "1", "--level", "1"]);
    run(&["session", "end", "-a", "Acme", "--notes", "scope agreed"]);
    run(&["session", "start", "-a", "Acme", "--title", "Two"]);
    run(&["answer", "-a", "Acme", "--item", "1", "--level", "4"]);
    run(&["undo", "-a", "Acme"]);
    run(&["session", "end", "-a", "Acme"]);
    run(&[
        "plan", "set", "-a", "Acme", "--step", "1", "--status", "done",
    ]);
    run(&[
        "action", "-a", "Acme", "add", "--item", "1", "--title", "Issues",
    ]);
    run(&[
        "action", "-a", "Acme", "add", "--item", "2", "--title", "More",
    ]);
    run(&[
        "action", "-a", "Acme", "set", "1", "--status", "done", "--owner", "Bob",
    ]);
    run(&["action", "-a", "Acme", "remove", "2"]);
    run(&["action", "-a", "Acme", "list", "--json"]);
    for (noun, args) in [
        (
            "context",
            &[
                "--title",
                "Market",
                "--kind",
                "external",
                "--influence",
                "2",
                "--control",
                "1",
            ][..],
        ),
        (
            "parties",
            &[
                "--name",
                "Customers",
                "--needs",
                "Uptime",
                "--influence",
                "2",
                "--control",
                "1",
            ][..],
        ),
        (
            "risks",
            &[
                "--title",
                "Data loss",
                "--likelihood",
                "3",
                "--impact",
                "4",
                "--owner",
                "IT",
            ][..],
        ),
        (
            "objectives",
            &[
                "--objective",
                "Fewer incidents",
                "--measure",
                "count",
                "--target",
                "20 % fewer",
                "--owner",
                "CISO",
                "--due",
                "2027-06-30",
            ][..],
        ),
    ] {
        let mut add = vec![noun, "add", "-a", "Acme"];
        add.extend_from_slice(args);
        run(&add);
        run(&[noun, "list", "-a", "Acme", "--json"]);
    }
    run(&[
        "risks",
        "set",
        "-a",
        "Acme",
        "R-1",
        "--controls",
        "A.8.8,A.8.12",
    ]);
    run(&["context", "set", "-a", "Acme", "C-1", "--influence", "3"]);
    run(&[
        "context",
        "add",
        "-a",
        "Acme",
        "--title",
        "Law",
        "--kind",
        "external",
        "--influence",
        "1",
        "--control",
        "1",
    ]);
    run(&["context", "remove", "-a", "Acme", "C-2"]);
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["summary", "-a", "Acme", "--json"],
        &["summary", "-a", "Acme"],
        &["verdict", "-a", "Acme", "--json"],
        &["soa", "-a", "Acme", "--json"],
        &["plan", "-a", "Acme", "--json"],
        &["history", "-a", "Acme", "--json"],
        &["history", "-a", "Acme", "--item", "1", "--json"],
        &["history", "-a", "Acme", "--session", "1", "--json"],
        &["compare", "-a", "Acme", "--since", "2", "--json"],
        &["compare", "-a", "Acme", "--with", "Gamma", "--json"],
        &["session", "list", "-a", "Acme", "--json"],
        &["session", "report", "-a", "Acme", "--session", "1"],
    ] {
        run(args);
    }
    for format in ["json", "html", "md", "csv", "xlsx", "docx"] {
        run(&[
            "export",
            "-a",
            "Acme",
            "--format",
            format,
            "-o",
            &path(&format!("acme.{format}")),
        ]);
    }
    run(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        &path("acme-history.json"),
    ]);
    run(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "ciso-assistant",
        "-o",
        &path("ciso"),
    ]);
    // A second laptop's copy with a change of its own and one that conflicts, merged back.
    let laptop = dir.join("laptop.db");
    let laptop_args = |args: &[&str]| {
        let mut all = vec!["--db", laptop.to_str().unwrap()];
        all.extend_from_slice(args);
        run(&all);
    };
    laptop_args(&["import", &path("acme-history.json")]);
    laptop_args(&["answer", "-a", "Acme", "--item", "1", "--note", "theirs"]);
    laptop_args(&["answer", "-a", "Acme", "--item", "3", "--level", "2"]);
    run(&["answer", "-a", "Acme", "--item", "1", "--note", "mine"]);
    laptop_args(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "--history",
        "-o",
        &path("laptop.json"),
    ]);
    // Exits 1: a conflict waits.
    let merged = sandbox
        .command()
        .env("ISMS_READY_TEST_RECORD_SQL", record)
        .args(["merge", "-a", "Acme", &path("laptop.json")])
        .output()
        .unwrap();
    let merged = String::from_utf8_lossy(&merged.stderr).into_owned();
    let conflicts: serde_json::Value =
        serde_json::from_str(&run(&["merge", "conflicts", "-a", "Acme", "--json"])).unwrap();
    let id = conflicts[0]["id"].to_string();
    assert_ne!(id, "null", "no conflict: {merged}");
    run(&[
        "merge",
        "resolve",
        "-a",
        "Acme",
        "--conflict",
        &id,
        "--take",
        "both",
    ]);
    run(&[
        "split",
        "-a",
        "Acme",
        "--items",
        "2-20",
        "-o",
        &path("part.json"),
    ]);
    run(&["merge", "-a", "Acme", &path("part.json")]);
    run(&["import", &path("acme-history.json"), "--as", "Copy"]);
    run(&["rename", "-a", "Copy", "--name", "Copy 2"]);
    run(&["edit", "-a", "Copy 2", "--scope", "HQ", "--assessor", "Ana"]);
    run(&["delete", "-a", "Copy 2", "--yes"]);
    run(&["migrate", "-a", "Beta", "--to", "iso27001-2022"]);
    laptop
}

/// The app on "Acme": every tab, the History, Compare and Merge screens, a level key and an undo.
fn app_workload(db: &Path) -> Vec<String> {
    let mut store = Store::open(db).unwrap();
    store.record_statements();
    let mut app = app_on(store);
    let assessment = app.service.find_assessment("Acme").unwrap().unwrap();
    app.open_assessment(assessment);
    let frame = |app: &App| {
        draw(app, 160, 50);
    };
    frame(&app);
    for _ in 0..isms_ready::tui::Screen::TABS.len() {
        press(&mut app, "<Tab>");
        frame(&app);
    }
    app.screen = isms_ready::tui::Screen::Questionnaire;
    for keys in ["3", "H"] {
        press(&mut app, keys);
        frame(&app);
    }
    press(&mut app, "<Esc><C-z>");
    frame(&app);
    app.screen = isms_ready::tui::Screen::Dashboard;
    for keys in ["H", "C", "M"] {
        press(&mut app, keys);
        frame(&app);
        press(&mut app, "<Esc>");
    }
    app.service.store.recorded_statements()
}

/// The statements of a workload that read or write rows (not pragmas, not the schema).
fn data_statements(statements: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut statements: Vec<String> = statements
        .into_iter()
        .filter(|sql| {
            let head = sql.trim_start().to_ascii_uppercase();
            ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"]
                .iter()
                .any(|verb| head.starts_with(verb))
        })
        .collect();
    statements.sort();
    statements.dedup();
    statements
}

/// The plan lines of `sql` that read a whole per-assessment table.
fn scans(store: &Store, sql: &str) -> Vec<String> {
    store
        .query_plan(sql)
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .into_iter()
        .filter(|line| {
            let Some(rest) = line.strip_prefix("SCAN ") else {
                return false;
            };
            let table = rest.split_whitespace().next().unwrap_or("");
            PER_ASSESSMENT.contains(&table)
        })
        .collect()
}

#[test]
fn every_statement_about_one_assessment_uses_an_index() {
    let sandbox = Sandbox::new();
    let record = sandbox.dir.path().join("statements.jsonl");
    command_workload(&sandbox, &record);
    let mut statements: Vec<String> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<String>(line).unwrap())
        .collect();
    statements.extend(app_workload(&sandbox.db()));
    let statements = data_statements(statements);
    // The workload reached every per-assessment table (a test that checks nothing fails).
    for table in PER_ASSESSMENT {
        assert!(
            statements.iter().any(|sql| sql.contains(table)),
            "no statement of the workload touches {table}"
        );
    }
    let store = Store::open(&sandbox.db()).unwrap();
    if std::env::var_os("SHOW_PLANS").is_some() {
        for sql in &statements {
            eprintln!(
                "{}\n  => {:?}\n",
                sql.trim(),
                store.query_plan(sql).unwrap()
            );
        }
    }
    let offenders: Vec<String> = statements
        .iter()
        .filter_map(|sql| {
            let scans = scans(&store, sql);
            (!scans.is_empty()).then(|| format!("{}\n    {}", sql.trim(), scans.join("; ")))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "{} of {} statements scan a table of every assessment:\n{}",
        offenders.len(),
        statements.len(),
        offenders.join("\n\n")
    );
}
