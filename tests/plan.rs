//! The 26-step certification plan: the shipped file, and progress saved through the CLI.

mod common;

use common::Sandbox;
use isms_ready::model::Catalog;
use isms_ready::model::plan::{BUILTIN_PLAN, PlanTemplate};

#[test]
fn the_shipped_plan_has_26_complete_steps_with_valid_clause_refs() {
    let catalog = Catalog::builtin();
    let questionnaires = catalog.all();
    // Refs must be valid in every shipped edition.
    let mut known: Vec<&str> = Vec::new();
    for section in &questionnaires[0].sections {
        if questionnaires
            .iter()
            .all(|q| q.section(&section.id).is_some())
        {
            known.push(&section.id);
        }
    }
    let plan = PlanTemplate::from_json(BUILTIN_PLAN.0, BUILTIN_PLAN.1, &known)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.steps.len(), 26);
    for (index, step) in plan.steps.iter().enumerate() {
        assert_eq!(step.number as usize, index + 1);
        assert!(!step.title.is_empty() && !step.description.is_empty());
        assert!(!step.outputs.is_empty() && !step.clauses.is_empty());
        assert!(step.weeks >= 1);
    }
    assert_eq!(plan.steps.first().unwrap().phase, "preparation");
    assert_eq!(plan.steps.last().unwrap().phase, "certification");
    let phases: Vec<&str> = plan.steps.iter().map(|s| s.phase.as_str()).collect();
    let mut sorted = phases.clone();
    sorted.sort_by_key(|p| {
        ["preparation", "implementation", "certification"]
            .iter()
            .position(|q| q == p)
    });
    assert_eq!(phases, sorted, "phases run in order");
    assert!(
        plan.steps
            .iter()
            .any(|s| s.title.to_lowercase().contains("stage 1"))
    );
    assert!(
        plan.steps
            .iter()
            .any(|s| s.title.to_lowercase().contains("stage 2"))
    );
    // The work fits the course's 12-24 month horizon.
    assert!(
        (52..=104).contains(&plan.total_weeks()),
        "{} weeks",
        plan.total_weeks()
    );
    assert_eq!((plan.horizon_months.min, plan.horizon_months.max), (12, 24));
}

#[test]
fn a_broken_plan_file_names_the_place_and_the_rule() {
    let mut value: serde_json::Value = serde_json::from_str(BUILTIN_PLAN.1).unwrap();
    value["steps"][4]["clauses"][0] = serde_json::json!("11.9");
    let questionnaire = Catalog::builtin().get("iso27001-2013").unwrap();
    let known: Vec<&str> = questionnaire
        .sections
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let error = PlanTemplate::from_json("plan.json", &value.to_string(), &known).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plan.json: at steps[4].clauses[0]: unknown clause ref \"11.9\""
    );
    value["steps"][4]["clauses"][0] = serde_json::json!("4.1");
    value["steps"][7]["number"] = serde_json::json!(9);
    let error = PlanTemplate::from_json("plan.json", &value.to_string(), &[]).unwrap_err();
    assert!(error.to_string().contains("steps[7].number"), "{error}");
}

#[test]
fn plan_set_saves_status_owner_dates_and_note_and_refuses_bad_input() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "plan",
        "set",
        "--step",
        "2",
        "--status",
        "in progress",
        "--owner",
        "CISO",
        "--start",
        "2020-01-01",
        "--due",
        "2020-02-01",
        "--note",
        "Workshop booked",
    ]);
    sandbox.ok(&["plan", "set", "--step", "1", "--status", "done"]);
    sandbox.ok(&[
        "plan",
        "set",
        "--step",
        "5",
        "--status",
        "skipped",
        "--reason",
        "Done last year",
    ]);

    let plan = sandbox.json(&["plan", "--json"]);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 26);
    assert_eq!(steps[0]["status"], "done");
    assert!(steps[0]["done_on"].is_string(), "done records the day");
    assert_eq!(steps[1]["status"], "in_progress");
    assert_eq!(steps[1]["owner"], "CISO");
    assert_eq!(steps[1]["start"], "2020-01-01");
    assert_eq!(steps[1]["due"], "2020-02-01");
    assert_eq!(steps[1]["note"], "Workshop booked");
    assert_eq!(steps[1]["overdue"], true);
    assert_eq!(steps[4]["status"], "skipped");
    assert_eq!(steps[4]["reason"], "Done last year");
    assert_eq!(plan["progress"]["done"], 1);
    assert_eq!(plan["progress"]["overdue"], 1);
    assert_eq!(plan["progress"]["progress"], 4.0); // 1 of 25 (the skipped step is left out)

    // A bad date is refused with a clear message and nothing changes.
    let bad = sandbox.run(&["plan", "set", "--step", "3", "--due", "2027-02-30"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
    let blocked = sandbox.run(&["plan", "set", "--step", "3", "--status", "blocked"]);
    assert_eq!(blocked.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("with a reason"));
    let beyond = sandbox.run(&["plan", "set", "--step", "27", "--status", "done"]);
    assert_eq!(beyond.status.code(), Some(1));
    let plan = sandbox.json(&["plan", "--json"]);
    assert_eq!(plan["steps"][2]["status"], "todo");
    assert!(plan["steps"][2]["due"].is_null());
    // Clearing a date.
    sandbox.ok(&["plan", "set", "--step", "2", "--due", ""]);
    assert!(sandbox.json(&["plan", "--json"])["steps"][1]["due"].is_null());
}

#[test]
fn plan_set_refuses_a_due_date_before_the_start_either_way_and_changes_nothing() {
    // Guards issue 12 point 5: a due date before the start date was accepted.
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    let set = |args: &[&str]| {
        let mut all = vec!["plan", "set", "--step", "4"];
        all.extend_from_slice(args);
        sandbox.run(&all)
    };
    assert!(
        set(&["--start", "2027-03-01", "--due", "2027-04-01"])
            .status
            .success()
    );
    let early_due = set(&["--due", "2027-02-01", "--owner", "CISO"]);
    assert_eq!(early_due.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&early_due.stderr);
    assert!(
        stderr.contains("step 4: the due date 2027-02-01 is before the start date 2027-03-01"),
        "{stderr}"
    );
    let late_start = set(&["--start", "2027-05-01"]);
    assert_eq!(late_start.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&late_start.stderr).contains("after the due date 2027-04-01"));
    let inverted = set(&["--start", "2027-09-01", "--due", "2027-08-01"]);
    assert_eq!(inverted.status.code(), Some(1));
    let step = &sandbox.json(&["plan", "--json"])["steps"][3];
    assert_eq!(
        (&step["start"], &step["due"], &step["owner"]),
        (
            &serde_json::json!("2027-03-01"),
            &serde_json::json!("2027-04-01"),
            &serde_json::json!("")
        ),
        "a refused plan set changes nothing"
    );
    // Moving both dates later in one call works, whichever way they are ordered on the way.
    assert!(
        set(&["--start", "2027-06-01", "--due", "2027-07-01"])
            .status
            .success()
    );
    assert!(
        set(&["--due", "2027-01-15", "--start", "2027-01-01"])
            .status
            .success()
    );
    let step = &sandbox.json(&["plan", "--json"])["steps"][3];
    assert_eq!(
        (step["start"].as_str(), step["due"].as_str()),
        (Some("2027-01-01"), Some("2027-01-15"))
    );
}

#[test]
fn the_store_refuses_a_due_date_before_the_stored_start_date() {
    // The rule sits where the change meets the stored step, so every caller is held to it.
    use isms_ready::model::plan::{PlanChange, parse_date};
    use isms_ready::store::{NewAssessment, Store, StoreError};
    let mut store = Store::open_in_memory().unwrap();
    let assessment = store
        .create_assessment(&NewAssessment {
            name: "Acme".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: String::new(),
            assessor: String::new(),
            firm: String::new(),
        })
        .unwrap();
    let day = |text: &str| Some(parse_date(text).unwrap());
    store
        .apply_plan_change(assessment.id, 3, &PlanChange::Start(day("2027-03-01")))
        .unwrap();
    let refused = store.apply_plan_change(assessment.id, 3, &PlanChange::Due(day("2027-02-28")));
    assert!(
        matches!(refused, Err(StoreError::Invalid(ref m)) if m.contains("before the start")),
        "{refused:?}"
    );
    let saved = store
        .apply_plan_change(assessment.id, 3, &PlanChange::Due(day("2027-03-01")))
        .unwrap();
    assert_eq!(saved.due, day("2027-03-01"));
    let progress = store.plan_progress(assessment.id, 26).unwrap();
    assert_eq!(progress[2].due, day("2027-03-01"));
}

#[test]
fn the_plan_text_output_shows_start_and_due_dates() {
    // Guards issue 12 point 17: `plan` printed the due date but not the start date.
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "plan",
        "set",
        "--step",
        "2",
        "--start",
        "2027-01-04",
        "--due",
        "2027-02-01",
    ]);
    let text = sandbox.ok(&["plan"]);
    let line = text
        .lines()
        .find(|l| l.contains("Identify interested parties"))
        .unwrap();
    assert!(
        line.contains("start 2027-01-04") && line.contains("due 2027-02-01"),
        "{line}"
    );
}

// Issue 24, point 6: `plan set` with several fields is one transaction. A write that fails part
// way (here a trigger refusing the note's history row; a kill or a full disk in real life) leaves
// the step as it was, never done without its note. The old code saved the status, the owner and
// the note in three transactions, so the status and owner stayed.
#[test]
fn plan_set_with_several_fields_saves_all_or_nothing() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme"]);
    let connection = rusqlite::Connection::open(sandbox.db()).unwrap();
    connection
        .execute_batch(
            "CREATE TRIGGER refuse_plan_note BEFORE INSERT ON history
             WHEN NEW.field = 'plan.note'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    drop(connection);
    let before = sandbox.state();
    let output = sandbox.run(&[
        "plan",
        "set",
        "-a",
        "Acme",
        "--step",
        "1",
        "--status",
        "done",
        "--owner",
        "Ann",
        "--note",
        "signed by the board",
    ]);
    assert!(!output.status.success());
    assert_eq!(sandbox.state(), before, "a part of the command was saved");
    // Without the note the same command goes through, every field in it.
    sandbox.ok(&[
        "plan", "set", "-a", "Acme", "--step", "1", "--status", "done", "--owner", "Ann",
    ]);
    let plan = sandbox.json(&["plan", "-a", "Acme", "--json"]);
    assert_eq!(plan["steps"][0]["status"], "done");
    assert_eq!(plan["steps"][0]["owner"], "Ann");
}
