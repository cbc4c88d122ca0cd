//! Issue 30: audits, findings, nonconformities and management reviews from the command line,
//! and what the verdict makes of them. The binary runs on the real clock, so dates are written
//! relative to today.

mod common;

use chrono::{Days, Local, NaiveDate};
use common::Sandbox;
use serde_json::Value;

const A: &str = "Acme";

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn days_ago(days: i64) -> String {
    let shifted = if days >= 0 {
        today() - Days::new(days.unsigned_abs())
    } else {
        today() + Days::new(days.unsigned_abs())
    };
    shifted.to_string()
}

fn acme(standard: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.create(A, standard, "", "");
    sandbox
}

/// The reasons of the stage 2 blockers under rule `rule`.
fn stage2_reasons(sandbox: &Sandbox, rule: &str) -> Vec<String> {
    let verdict = sandbox.json(&["verdict", "-a", A, "--json"]);
    verdict["stage2"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["rule"] == rule)
        .flat_map(|g| g["items"].as_array().unwrap().clone())
        .map(|item| item["reason"].as_str().unwrap().to_string())
        .collect()
}

fn nc(sandbox: &Sandbox, id: &str) -> Value {
    sandbox
        .json(&["nc", "list", "-a", A, "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|nc| nc["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id}"))
}

/// The error of a refused command (1: refused by the rules, 2: by the command line's syntax).
fn failed(sandbox: &Sandbox, args: &[&str]) -> String {
    let output = sandbox.run(args);
    assert!(
        matches!(output.status.code(), Some(1 | 2)),
        "{args:?} was accepted"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_major_finding_opens_a_nonconformity_that_blocks_stage_2_until_closed_and_not_effective_reopens_it()
 {
    let sandbox = acme("iso27001-2022");
    let out = sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "Internal audit",
        "--date",
        &days_ago(20),
        "--auditor",
        "Kim Roe (independent)",
        "--scope",
        "4,5,6.1,A.5",
    ]);
    assert!(out.contains("added AUD-1"), "{out}");
    sandbox.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "A.5.18",
        "--type",
        "observation",
        "--statement",
        "Reviews are late",
    ]);
    let out = sandbox.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "1",
        "--item",
        "160",
        "--type",
        "major",
        "--statement",
        "Access rights were never reviewed",
    ]);
    assert!(out.contains("added F-2"), "{out}");
    assert!(
        out.contains("opened NC-1"),
        "an observation opens none, a major one NC-1: {out}"
    );
    let opened = nc(&sandbox, "NC-1");
    assert_eq!(opened["finding"], "F-2");
    assert_eq!(opened["classification"], "major");
    assert_eq!(opened["status"], "open");
    assert_eq!(opened["requirement"][0], "A.5.18");
    assert_eq!(
        stage2_reasons(&sandbox, "stage2.nonconformities"),
        ["NC-1 (major, from F-2 in AUD-1) open"]
    );

    // Closing is refused until the loop of 10.2 is done.
    let error = failed(
        &sandbox,
        &["nc", "-a", A, "set", "NC-1", "--status", "closed"],
    );
    assert!(error.contains("no correction recorded"), "{error}");
    assert!(error.contains("not verified effective"), "{error}");
    sandbox.ok(&[
        "action",
        "-a",
        A,
        "add",
        "--item",
        "160",
        "--title",
        "Quarterly access review",
    ]);
    let close = [
        "nc",
        "-a",
        A,
        "set",
        "NC-1",
        "--correction",
        "Rights reviewed at once",
        "--root-cause",
        "why 1: no owner; why 2: role never assigned",
        "--action",
        "ACT-1",
        "--verified-on",
        &days_ago(1),
        "--verified-by",
        "Kim Roe",
        "--effective",
        "yes",
        "--status",
        "closed",
    ];
    let error = failed(&sandbox, &close);
    assert!(error.contains("no corrective action done"), "{error}");
    assert_eq!(
        nc(&sandbox, "NC-1")["status"],
        "open",
        "a refused change writes nothing"
    );
    sandbox.ok(&["action", "-a", A, "set", "1", "--status", "done"]);
    sandbox.ok(&close);
    assert_eq!(nc(&sandbox, "NC-1")["status"], "closed");
    assert!(stage2_reasons(&sandbox, "stage2.nonconformities").is_empty());

    // A later verification finds it did not work: reopened, and stage 2 is blocked again.
    sandbox.ok(&[
        "nc",
        "-a",
        A,
        "set",
        "NC-1",
        "--verified-on",
        &today().to_string(),
        "--effective",
        "no",
    ]);
    assert_eq!(nc(&sandbox, "NC-1")["status"], "reopened");
    assert_eq!(
        stage2_reasons(&sandbox, "stage2.nonconformities"),
        ["NC-1 (major, from F-2 in AUD-1) open"]
    );
}

#[test]
fn a_minor_nonconformity_blocks_stage_2_only_without_a_corrective_action() {
    let sandbox = acme("iso27001-2022");
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "stage1",
        "--title",
        "Stage 1",
        "--date",
        &days_ago(5),
    ]);
    let out = sandbox.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "9.2.2 a)",
        "--type",
        "minor",
        "--statement",
        "Audit criteria not defined",
    ]);
    assert!(out.contains("opened NC-1"), "{out}");
    assert_eq!(
        stage2_reasons(&sandbox, "stage2.nonconformities"),
        ["NC-1 (minor, from F-1 in AUD-1) open without a corrective action"]
    );
    let error = failed(
        &sandbox,
        &["nc", "-a", A, "set", "NC-1", "--action", "ACT-7"],
    );
    assert!(error.contains("no action ACT-7"), "{error}");
    sandbox.ok(&[
        "action",
        "-a",
        A,
        "add",
        "--item",
        "114",
        "--title",
        "Define criteria",
    ]);
    sandbox.ok(&["nc", "-a", A, "set", "NC-1", "--action", "ACT-1"]);
    assert!(stage2_reasons(&sandbox, "stage2.nonconformities").is_empty());
    // A nonconformity from another source, by hand, blocks the same way.
    sandbox.ok(&[
        "nc",
        "-a",
        A,
        "add",
        "--source",
        "incident",
        "--classification",
        "major",
        "--description",
        "Backup restore failed",
        "--requirement",
        "A.8.13",
    ]);
    assert_eq!(
        stage2_reasons(&sandbox, "stage2.nonconformities"),
        ["NC-2 (major, incident) open"]
    );
}

#[test]
fn references_are_checked_against_the_questionnaire_and_the_other_records() {
    let sandbox = acme("iso27001-2022");
    let error = failed(
        &sandbox,
        &[
            "audit",
            "-a",
            A,
            "add",
            "--type",
            "internal",
            "--title",
            "IA",
            "--date",
            &days_ago(1),
            "--scope",
            "4,Z.9",
        ],
    );
    assert!(error.contains("\"Z.9\" is not a clause"), "{error}");
    let error = failed(
        &sandbox,
        &[
            "finding",
            "-a",
            A,
            "add",
            "--audit",
            "AUD-4",
            "--item",
            "4.1 #1",
            "--type",
            "minor",
            "--statement",
            "s",
        ],
    );
    assert!(error.contains("no entry AUD-4"), "{error}");
    let error = failed(
        &sandbox,
        &[
            "audit",
            "-a",
            A,
            "add",
            "--type",
            "final",
            "--title",
            "IA",
            "--date",
            &days_ago(1),
        ],
    );
    assert!(
        error.contains("internal, pre-audit, stage1, stage2, surveillance"),
        "{error}"
    );
}

#[test]
fn audit_programme_lists_what_was_not_audited_in_the_last_12_months_and_the_verdict_uses_it() {
    let sandbox = acme("iso27001-2022");
    // No audit recorded: the verdict judges 9.2 by its level alone.
    assert!(stage2_reasons(&sandbox, "stage2.audit-records").is_empty());
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "Last year",
        "--date",
        &days_ago(400),
        "--scope",
        "9,10",
        "--status",
        "done",
    ]);
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "Spring",
        "--date",
        &days_ago(60),
        "--end",
        &days_ago(58),
        "--scope",
        "4,5,6.1,7,8.1,A.5",
        "--status",
        "done",
    ]);
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "Autumn",
        "--date",
        &days_ago(-30),
        "--scope",
        "9,10,A.6",
    ]);
    let programme = sandbox.json(&["audit", "programme", "-a", A, "--json"]);
    assert_eq!(
        programme["clauses_not_audited"],
        serde_json::json!(["9", "10"])
    );
    assert_eq!(
        programme["groups_not_audited"],
        serde_json::json!(["A.6", "A.7", "A.8"])
    );
    let audits = programme["audits"].as_array().unwrap();
    assert_eq!(audits.len(), 3);
    assert_eq!(audits[0]["id"], "AUD-1");
    assert_eq!(
        audits[0]["recent"], false,
        "400 days ago is outside the 12 months"
    );
    assert_eq!(
        audits[1]["covered"],
        serde_json::json!(["4", "5", "6", "7", "8", "A.5"])
    );
    assert_eq!(audits[2]["recent"], false, "planned, not done");
    let text = sandbox.ok(&["audit", "programme", "-a", A]);
    assert!(
        text.contains(
            "not audited in the last 12 months: clauses 9, 10; Annex A groups A.6, A.7, A.8"
        ),
        "{text}"
    );
    let reasons = stage2_reasons(&sandbox, "stage2.audit-records");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains("clauses 9, 10 not covered"),
        "{reasons:?}"
    );
    // The autumn audit done: every clause is covered within 12 months.
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "set",
        "AUD-3",
        "--date",
        &days_ago(2),
        "--status",
        "done",
    ]);
    assert!(stage2_reasons(&sandbox, "stage2.audit-records").is_empty());
    let findings = sandbox.json(&["finding", "list", "-a", A, "--audit", "AUD-3", "--json"]);
    assert_eq!(findings, serde_json::json!([]));
}

#[test]
fn a_management_review_counts_when_it_covers_every_input_of_the_edition() {
    let sandbox = acme("iso27001-2022");
    let mut add = vec![
        "review".to_string(),
        "-a".into(),
        A.into(),
        "add".into(),
        "--date".into(),
        days_ago(30),
        "--attendees".into(),
        "CEO, CISO".into(),
    ];
    for letter in ["a", "b", "d", "e", "f", "g"] {
        add.extend([
            "--input".to_string(),
            format!("{letter}=presented {letter}"),
        ]);
    }
    let args: Vec<&str> = add.iter().map(String::as_str).collect();
    assert!(sandbox.ok(&args).contains("added MR-1"));
    let reasons = stage2_reasons(&sandbox, "stage2.review-records");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains("does not cover input c)"),
        "{reasons:?}"
    );
    sandbox.ok(&[
        "review",
        "-a",
        A,
        "set",
        "MR-1",
        "--input",
        "c=New customer demands",
    ]);
    assert!(stage2_reasons(&sandbox, "stage2.review-records").is_empty());
    let error = failed(
        &sandbox,
        &["review", "-a", A, "set", "MR-1", "--input", "h=x"],
    );
    assert!(error.contains("not an input of 9.3.2"), "{error}");

    // The 2013 edition has six inputs, a) to f).
    let old = Sandbox::new();
    old.create(A, "iso27001-2013", "", "");
    let error = failed(
        &old,
        &[
            "review",
            "-a",
            A,
            "add",
            "--date",
            &days_ago(3),
            "--input",
            "g=ideas",
        ],
    );
    assert!(error.contains("has no input g)"), "{error}");
}

fn export_json(sandbox: &Sandbox) -> String {
    sandbox.ok(&[
        "export",
        "-a",
        A,
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ])
}

fn record_an_audit(sandbox: &Sandbox) {
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "pre-audit",
        "--title",
        "Pre-audit",
        "--date",
        &days_ago(10),
        "--scope",
        "4,9.2,A.8",
        "--criteria",
        "ISO/IEC 27001:2022",
    ]);
    sandbox.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "A.8.13",
        "--type",
        "major",
        "--statement",
        "No restore test",
        "--evidence",
        "backup logs",
        "--auditee",
        "Ops",
    ]);
    sandbox.ok(&[
        "action",
        "-a",
        A,
        "add",
        "--item",
        "214",
        "--title",
        "Restore test",
    ]);
    sandbox.ok(&[
        "nc",
        "-a",
        A,
        "set",
        "NC-1",
        "--correction",
        "Tested once",
        "--action",
        "ACT-1",
    ]);
    sandbox.ok(&[
        "review",
        "-a",
        A,
        "add",
        "--date",
        &days_ago(3),
        "--input",
        "a=all done",
    ]);
}

#[test]
fn export_import_export_keeps_the_audit_records_exactly() {
    let sandbox = acme("iso27001-2022");
    record_an_audit(&sandbox);
    let first = export_json(&sandbox);
    let document: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(document["version"], 3);
    assert_eq!(document["audits"][0]["id"], "AUD-1");
    assert_eq!(document["findings"][0]["kind"], "major");
    assert_eq!(document["nonconformities"][0]["finding"], "F-1");
    assert_eq!(document["management_reviews"][0]["input_a"], "all done");
    let file = sandbox.dir.path().join("acme.json");
    std::fs::write(&file, &first).unwrap();
    let elsewhere = Sandbox::new();
    elsewhere.ok(&["import", file.to_str().unwrap()]);
    let second = export_json(&elsewhere);
    assert!(
        first == second,
        "export, import and export again must give the same document"
    );

    // A version 2 document has no audit records.
    let mut old: Value = serde_json::from_str(&first).unwrap();
    old["version"] = 2.into();
    std::fs::write(&file, old.to_string()).unwrap();
    let error = failed(&Sandbox::new(), &["import", file.to_str().unwrap()]);
    assert!(error.contains("they need version 3"), "{error}");
}

#[test]
fn every_change_is_in_the_history_and_a_merge_of_two_copies_brings_both_sides_findings() {
    let office = acme("iso27001-2022");
    record_an_audit(&office);
    let history = office.json(&["history", "-a", A, "--json"]);
    let fields: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["field"].as_str())
        .collect();
    for field in ["audit.add", "finding.add", "nc.add", "nc.set", "review.add"] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    // A copy of the file goes on site; both sides record findings.
    let laptop = Sandbox::new();
    std::fs::copy(office.db(), laptop.db()).unwrap();
    laptop.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "A.8.8",
        "--type",
        "minor",
        "--statement",
        "Patching late on site",
    ]);
    office.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "9.2.2 a)",
        "--type",
        "observation",
        "--statement",
        "Criteria thin",
    ]);
    office.ok(&["merge", "-a", A, laptop.db().to_str().unwrap()]);
    let findings = office.json(&["finding", "list", "-a", A, "--json"]);
    let statements: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["statement"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statements,
        [
            ("F-1", "No restore test"),
            ("F-2", "Criteria thin"),
            ("F-3", "Patching late on site")
        ]
    );
    // The laptop's nonconformity came along, linked to its finding as numbered here.
    let ncs = office.json(&["nc", "list", "-a", A, "--json"]);
    let links: Vec<(&str, &str)> = ncs
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["finding"].as_str().unwrap()))
        .collect();
    assert_eq!(links, [("NC-1", "F-1"), ("NC-2", "F-3")]);
    // Merging again changes nothing.
    let before = office.state();
    office.ok(&["merge", "-a", A, laptop.db().to_str().unwrap()]);
    assert_eq!(office.state(), before);
}

#[test]
fn undo_takes_back_a_nonconformity_change_and_redo_makes_it_again() {
    use isms_ready::model::Catalog;
    use isms_ready::model::registers::RegisterKind;
    use isms_ready::service::undo::{Reversal, carry_out};
    let sandbox = acme("iso27001-2022");
    record_an_audit(&sandbox);
    sandbox.ok(&["nc", "-a", A, "set", "NC-1", "--root-cause", "no test plan"]);
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let before = nc(&sandbox, "NC-1");
    let reversal = |to: Value| Reversal::Entry {
        kind: RegisterKind::Nonconformities,
        number: 1,
        id: "NC-1".into(),
        to: Some(to.to_string()),
    };
    let mut as_it_was = before.clone();
    as_it_was["root_cause"] = "".into();
    let back = sandbox.with_store(|store| {
        let assessment = store.assessments().unwrap().remove(0);
        let done = carry_out(store, &assessment, &questionnaire, reversal(as_it_was), 0)
            .unwrap()
            .unwrap();
        assert_eq!(done.said, "NC-1 in Nonconformities as it was");
        done.back
    });
    assert_eq!(nc(&sandbox, "NC-1")["root_cause"], "");
    sandbox.with_store(|store| {
        let assessment = store.assessments().unwrap().remove(0);
        carry_out(store, &assessment, &questionnaire, back, 0).unwrap();
    });
    assert_eq!(nc(&sandbox, "NC-1"), before);
    let history = sandbox.json(&["history", "-a", A, "--json"]);
    let nc_sets = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["field"] == "nc.set")
        .count();
    assert_eq!(
        nc_sets, 4,
        "the undo and the redo are changes in the history too"
    );
}

#[test]
fn migrating_to_2022_carries_the_records_with_their_refs_and_review_letters() {
    let old = Sandbox::new();
    old.create(A, "iso27001-2013", "", "");
    old.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "IA",
        "--date",
        &days_ago(9),
        "--scope",
        "4,9.3,A.12",
    ]);
    old.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "9.3 a)",
        "--type",
        "minor",
        "--statement",
        "Earlier actions not followed up",
    ]);
    old.ok(&[
        "review",
        "-a",
        A,
        "add",
        "--date",
        &days_ago(8),
        "--input",
        "c=KPI trend",
        "--input",
        "f=ideas",
    ]);
    old.ok(&["migrate", "--assessment", A, "--name", "New"]);
    let finding = &old.json(&["finding", "list", "-a", "New", "--json"])[0];
    assert_eq!(finding["items"], serde_json::json!(["9.3.2 a)"]));
    let nc = &old.json(&["nc", "list", "-a", "New", "--json"])[0];
    assert_eq!(nc["requirement"], serde_json::json!(["9.3.2 a)"]));
    let review = &old.json(&["review", "list", "-a", "New", "--json"])[0];
    assert_eq!(review["input_c"], "", "c) of 2022 is new");
    assert_eq!(review["input_d"], "KPI trend");
    assert_eq!(review["input_g"], "ideas");
    let audit = &old.json(&["audit", "list", "-a", "New", "--json"])[0];
    let scope: Vec<&str> = audit["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(&scope[..2], ["4", "9.3"], "both editions know 4 and 9.3");
    assert!(!scope.contains(&"A.12"), "2022 has no A.12: {scope:?}");
}

#[test]
fn an_audit_finding_or_action_that_others_name_is_not_removed_before_them() {
    let sandbox = acme("iso27001-2022");
    record_an_audit(&sandbox);
    let error = failed(&sandbox, &["audit", "-a", A, "remove", "AUD-1"]);
    assert!(error.contains("AUD-1 stays while F-1 names it"), "{error}");
    let error = failed(&sandbox, &["finding", "-a", A, "remove", "F-1"]);
    assert!(error.contains("F-1 stays while NC-1 names it"), "{error}");
    let error = failed(&sandbox, &["action", "-a", A, "remove", "1"]);
    assert!(error.contains("NC-1 names it as ACT-1"), "{error}");
    sandbox.ok(&["nc", "-a", A, "remove", "NC-1"]);
    sandbox.ok(&["action", "-a", A, "remove", "1"]);
    sandbox.ok(&["finding", "-a", A, "remove", "F-1"]);
    let out = sandbox.ok(&["audit", "-a", A, "remove", "AUD-1"]);
    assert!(out.contains("removed AUD-1"), "{out}");
}

#[test]
fn one_undo_takes_back_a_finding_and_the_nonconformity_it_opened_and_one_redo_brings_both() {
    use isms_ready::model::Catalog;
    use isms_ready::model::registers::{Finding, RegisterKind};
    use isms_ready::service::undo::{Reversal, carry_out};
    let sandbox = acme("iso27001-2022");
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "internal",
        "--title",
        "IA",
        "--date",
        &days_ago(3),
    ]);
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    sandbox.with_store(|store| {
        let assessment = store.assessments().unwrap().remove(0);
        let finding = Finding {
            audit: "AUD-1".into(),
            items: vec!["A.5.18".into()],
            kind: isms_ready::model::audit::FindingType::Major,
            statement: "No review".into(),
            ..Finding::default()
        };
        let saved =
            isms_ready::service::registers::add(store, &questionnaire, assessment.id, &finding)
                .unwrap();
        assert_eq!(saved.id, "F-1");
        // What the app pushes on its undo stack for a new finding that opened NC-1.
        let undo = Reversal::Together(vec![
            Reversal::Entry {
                kind: RegisterKind::Nonconformities,
                number: 1,
                id: "NC-1".into(),
                to: None,
            },
            Reversal::Entry {
                kind: RegisterKind::Findings,
                number: 1,
                id: "F-1".into(),
                to: None,
            },
        ]);
        let done = carry_out(store, &assessment, &questionnaire, undo, 0)
            .unwrap()
            .unwrap();
        assert_eq!(
            done.said,
            "NC-1 removed from Nonconformities; F-1 removed from Audit findings"
        );
        let registers = store.registers(assessment.id).unwrap();
        assert!(registers.findings.is_empty() && registers.nonconformities.is_empty());
        carry_out(store, &assessment, &questionnaire, done.back, 0).unwrap();
        let registers = store.registers(assessment.id).unwrap();
        assert_eq!(registers.findings[0].id, "F-1");
        assert_eq!(registers.nonconformities[0].finding, "F-1");
    });
}

#[test]
fn a_finding_that_becomes_major_opens_its_nonconformity_once() {
    let sandbox = acme("iso27001-2022");
    sandbox.ok(&[
        "audit",
        "-a",
        A,
        "add",
        "--type",
        "stage2",
        "--title",
        "Stage 2",
        "--date",
        &days_ago(1),
    ]);
    sandbox.ok(&[
        "finding",
        "-a",
        A,
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "A.5.18",
        "--type",
        "observation",
        "--statement",
        "Reviews late",
    ]);
    assert_eq!(
        sandbox.json(&["nc", "list", "-a", A, "--json"]),
        serde_json::json!([])
    );
    let out = sandbox.ok(&["finding", "-a", A, "set", "F-1", "--type", "major"]);
    assert!(out.contains("opened NC-1"), "{out}");
    let out = sandbox.ok(&["finding", "-a", A, "set", "F-1", "--type", "minor"]);
    assert!(!out.contains("opened"), "{out}");
    assert_eq!(
        sandbox
            .json(&["nc", "list", "-a", A, "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        stage2_reasons(&sandbox, "stage2.nonconformities"),
        ["NC-1 (major, from F-1 in AUD-1) open"],
        "a certification audit's own findings are tracked the same way"
    );
}

/// A finding's nonconformity is raised on its audit's last day (when the auditor raised it), not
/// on the day the finding is typed in; an audit dated in the future gives today.
#[test]
fn a_finding_s_nonconformity_is_raised_on_its_audit_s_last_day() {
    let sandbox = acme("iso27001-2022");
    let (start, end) = (days_ago(20), days_ago(18));
    sandbox.ok(&[
        "audit",
        "add",
        "-a",
        A,
        "--type",
        "internal",
        "--title",
        "Internal audit",
        "--date",
        &start,
        "--end",
        &end,
        "--scope",
        "4",
    ]);
    sandbox.ok(&[
        "finding",
        "add",
        "-a",
        A,
        "--audit",
        "AUD-1",
        "--item",
        "4.1",
        "--type",
        "minor",
        "--statement",
        "Issues list out of date",
    ]);
    assert_eq!(nc(&sandbox, "NC-1")["raised_on"], end.as_str());
    sandbox.ok(&[
        "audit",
        "add",
        "-a",
        A,
        "--type",
        "stage1",
        "--title",
        "Stage 1",
        "--date",
        &days_ago(-30),
    ]);
    sandbox.ok(&[
        "finding",
        "add",
        "-a",
        A,
        "--audit",
        "AUD-2",
        "--item",
        "4.1",
        "--type",
        "major",
        "--statement",
        "No scope document",
    ]);
    assert_eq!(
        nc(&sandbox, "NC-2")["raised_on"],
        today().to_string().as_str()
    );
}
