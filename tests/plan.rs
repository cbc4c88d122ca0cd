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
