//! Issue 23: the stage 1 / stage 2 verdict as certification bodies judge it. A fully ready
//! assessment, then one change each, with the verdict of both stages and the blocker's reason;
//! through the library (the one verdict function) and through `verdict --json` / `soa --check`.
//! And the guide's rule table (docs/guide.md): one row per rule of the code.

mod common;
mod screen_kit;

use common::{Sandbox, level};
use isms_ready::model::action::{Action, NewAction};
use isms_ready::model::registers::{Risk, RiskLinks};
use isms_ready::model::verdict::{self, RULES, StageVerdict, Verdict};
use isms_ready::model::{Answers, Catalog, Change, Level, Questionnaire, ReasonCode};
use isms_ready::tui::Screen;
use screen_kit::{acme_on, draw, press};

const EDITIONS: [&str; 2] = ["iso27001-2022", "iso27001-2013"];

fn questionnaire(id: &str) -> Questionnaire {
    Catalog::builtin().get(id).unwrap().as_ref().clone()
}

fn at(value: u8) -> Option<Level> {
    Level::from_u8(value)
}

/// Every clause item at 3, every control included for risk treatment at 3 with an evidence
/// reference, and one risk linking every control.
fn ready(questionnaire: &Questionnaire) -> (Answers, RiskLinks) {
    let mut answers = Answers::new(questionnaire.items.len());
    for item in &questionnaire.items {
        let answer = answers.get_mut(item.number);
        answer.level = at(3);
        if item.is_control() {
            answer.applicable = Some(true);
            answer.reasons = vec![ReasonCode::RiskTreatment];
            answer.evidence = format!("EV-{}", item.reference);
        }
    }
    (answers, links(questionnaire, &[]))
}

/// One risk that links every control but `except`.
fn links(questionnaire: &Questionnaire, except: &[&str]) -> RiskLinks {
    let risk: Risk = serde_json::from_value(serde_json::json!({
        "id": "R-1",
        "title": "Everything at once",
        "likelihood": 3,
        "impact": 3,
        "controls": questionnaire
            .items
            .iter()
            .filter(|i| i.is_control() && !except.contains(&i.reference.as_str()))
            .map(|i| i.reference.clone())
            .collect::<Vec<_>>(),
    }))
    .unwrap();
    RiskLinks::of(&[risk])
}

/// The first Annex A control's ref (A.5.1 in 2022, A.5.1.1 in 2013).
fn first_control(questionnaire: &Questionnaire) -> String {
    questionnaire
        .items
        .iter()
        .find(|i| i.is_control())
        .unwrap()
        .reference
        .clone()
}

fn number(questionnaire: &Questionnaire, reference: &str) -> u32 {
    questionnaire
        .item_by_ref(reference)
        .unwrap_or_else(|| panic!("{} has no {reference}", questionnaire.id))
        .number
}

/// The blocker of `reference` in a stage, with its reason.
fn reason_of(stage: &StageVerdict, reference: &str) -> String {
    stage
        .blockers
        .iter()
        .find(|b| b.reference == reference)
        .unwrap_or_else(|| panic!("{reference} does not block: {:#?}", stage.blockers))
        .reason
        .clone()
}

fn rules_of(stage: &StageVerdict) -> Vec<&'static str> {
    stage.groups.iter().map(|g| g.rule).collect()
}

fn judge(questionnaire: &Questionnaire, answers: &Answers, links: &RiskLinks) -> Verdict {
    verdict::verdict(questionnaire, answers, &[], links)
}

#[test]
fn a_fully_ready_assessment_is_ready_for_both_stages() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (answers, links) = ready(&q);
        let v = judge(&q, &answers, &links);
        assert!(v.stage1.ready, "{id}: {:#?}", v.stage1.blockers);
        assert!(v.stage2.ready, "{id}: {:#?}", v.stage2.blockers);
        assert!(v.stage1.groups.is_empty() && v.stage2.groups.is_empty());
        assert_eq!(v.stage2.state(), "READY");
    }
}

#[test]
fn every_included_control_absent_blocks_stage_2_in_one_group() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        for item in q.items.iter().filter(|i| i.is_control()) {
            answers.get_mut(item.number).level = at(0);
        }
        let v = judge(&q, &answers, &links);
        assert!(v.stage1.ready, "{id}: {:#?}", v.stage1.blockers);
        assert!(!v.stage2.ready, "{id}");
        let controls = q.control_count();
        assert_eq!(v.stage2.blockers.len(), controls);
        assert_eq!(rules_of(&v.stage2), vec!["stage2.controls"]);
        assert_eq!(
            v.stage2.groups[0].headline,
            format!("{controls} included controls below level 2")
        );
        let first = first_control(&q);
        assert_eq!(
            reason_of(&v.stage2, &first),
            "included control at level 0; needs level 2"
        );
        // One control left absent: one blocker, said in the singular.
        let (mut answers, links) = ready(&q);
        answers.get_mut(number(&q, &first)).level = at(1);
        let v = judge(&q, &answers, &links);
        assert_eq!(v.stage2.state(), "NOT READY · 1 blocker");
        assert_eq!(
            v.stage2.groups[0].headline,
            "1 included control below level 2"
        );
    }
}

#[test]
fn a_control_included_for_risk_treatment_with_no_linked_risk_blocks_stage_1() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (answers, _) = ready(&q);
        let first = first_control(&q);
        let links = links(&q, &[first.as_str()]);
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert!(!v.stage2.ready, "{id}");
        assert_eq!(rules_of(&v.stage1), vec!["stage1.soa"]);
        assert_eq!(
            reason_of(&v.stage1, &first),
            "SoA: included for risk treatment only, but no risk in the register links to it"
        );
        // The same check as `soa --check`: one finding there, one blocker here.
        let findings = isms_ready::model::soa::check(&q, &answers, &links);
        assert_eq!(findings.len(), 1);
        assert_eq!(v.stage1.blockers.len(), 1);
        assert_eq!(v.stage1.blockers[0].number, findings[0].item);
    }
}

#[test]
fn the_risk_treatment_plan_absent_blocks_stage_1() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        let plan = q.item_by_ref("6.1.3 e)").unwrap();
        assert_eq!(
            plan.mandatory_document.as_deref(),
            Some("Risk treatment plan")
        );
        answers.get_mut(plan.number).level = at(0);
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert!(!v.stage2.ready, "{id}");
        let reason = reason_of(&v.stage1, "6.1.3 e)");
        assert!(
            reason.contains(
                "mandatory documented information (Risk treatment plan) at level 0; needs level 2"
            ),
            "{reason}"
        );
        assert_eq!(
            rules_of(&v.stage1),
            vec!["stage1.isms-defined", "stage1.documents"]
        );
    }
}

#[test]
fn the_risk_criteria_absent_block_stage_1() {
    for (id, criteria) in [
        ("iso27001-2022", "6.1.2 a)"),
        ("iso27001-2013", "6.1.2 a) 1)"),
    ] {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        answers.get_mut(number(&q, criteria)).level = at(0);
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert!(!v.stage2.ready, "{id}");
        assert_eq!(rules_of(&v.stage1), vec!["stage1.isms-defined"]);
        assert_eq!(
            reason_of(&v.stage1, criteria),
            "ISMS not defined: at level 0; items of 4, 5 and 6.1 need level 2"
        );
    }
}

#[test]
fn context_items_absent_with_the_documents_present_block_stage_1() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        let context: Vec<u32> = q
            .clause_items()
            .filter(|i| i.clause == "4" && i.mandatory_document.is_none())
            .map(|i| i.number)
            .collect();
        for n in &context {
            answers.get_mut(*n).level = at(0);
        }
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert!(!v.stage2.ready, "{id}");
        assert_eq!(v.stage1.blockers.len(), context.len());
        assert_eq!(
            v.stage1.groups[0].headline,
            format!("{} items of 4, 5, 6.1 below level 2", context.len())
        );
        // The scope statement itself is present and does not block.
        assert!(!v.stage1.blockers.iter().any(|b| b.reference == "4.3 #2"));
    }
}

/// The review: context, leadership, the risk method and criteria, the risk assessment and
/// treatment all at 0, only the document items at 2; stage 1 said READY.
#[test]
fn only_the_documents_at_2_is_not_ready_for_stage_1() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        for item in q.clause_items() {
            let planning =
                item.clause == "4" || item.clause == "5" || item.reference.starts_with("6.1");
            if planning {
                answers.get_mut(item.number).level = at(if item.mandatory_document.is_some() {
                    2
                } else {
                    0
                });
            }
        }
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert_eq!(rules_of(&v.stage1), vec!["stage1.isms-defined"]);
    }
}

#[test]
fn audit_records_present_but_audits_never_held_is_a_contradiction() {
    for (id, held, record) in [
        ("iso27001-2022", "9.2.1 #1", "9.2.2 #3"),
        ("iso27001-2013", "9.2 #1", "9.2 g)"),
    ] {
        let q = questionnaire(id);
        let activities = verdict::activities(&q);
        assert_eq!(activities[0].held.reference, held, "{id}");
        assert_eq!(activities[0].record.unwrap().reference, record, "{id}");
        // Never held, not even planned: stage 1 stops, stage 2 names the contradiction.
        let (mut answers, links) = ready(&q);
        answers.get_mut(number(&q, held)).level = at(0);
        let v = judge(&q, &answers, &links);
        assert!(!v.stage1.ready, "{id}");
        assert_eq!(
            reason_of(&v.stage1, held),
            "internal audit not planned: at level 0; needs level 1"
        );
        assert!(!v.stage2.ready, "{id}");
        assert_eq!(
            reason_of(&v.stage2, record),
            format!(
                "contradiction: records at level 3 but the internal audit ({held}) is at level 0, never held"
            )
        );
        // Planned (level 1) but not held: stage 1 passes, stage 2 still finds the contradiction.
        answers.get_mut(number(&q, held)).level = at(1);
        let v = judge(&q, &answers, &links);
        assert!(v.stage1.ready, "{id}: {:#?}", v.stage1.blockers);
        assert!(!v.stage2.ready, "{id}");
        assert!(rules_of(&v.stage2).contains(&"stage2.contradiction"));
        assert!(reason_of(&v.stage2, record).starts_with("contradiction:"));
    }
}

#[test]
fn an_open_priority_1_action_on_a_control_blocks_stage_2() {
    for id in EDITIONS {
        let q = questionnaire(id);
        let (answers, links) = ready(&q);
        let first = first_control(&q);
        let mut action: Action =
            NewAction::titled(vec![number(&q, &first)], "Rewrite the policies").into_action(1);
        action.priority = 1;
        let v = verdict::verdict(&q, &answers, std::slice::from_ref(&action), &links);
        assert!(v.stage1.ready, "{id}");
        assert!(!v.stage2.ready, "{id}");
        assert_eq!(rules_of(&v.stage2), vec!["stage2.priority-1"]);
        assert_eq!(
            reason_of(&v.stage2, &first),
            "open priority-1 action #1 \"Rewrite the policies\""
        );
        // Priority 2, or done: no longer blocks.
        action.priority = 2;
        assert!(
            verdict::verdict(&q, &answers, &[action], &links)
                .stage2
                .ready
        );
    }
}

/// The groups come most serious first, and a blocker lists its rules in that order.
#[test]
fn groups_come_in_the_order_of_the_rules() {
    let q = questionnaire("iso27001-2022");
    let answers = Answers::new(q.items.len());
    let v = judge(&q, &answers, &RiskLinks::default());
    let order = |rule: &str| RULES.iter().position(|r| r.id == rule).unwrap();
    let positions: Vec<usize> = v.stage2.groups.iter().map(|g| order(g.rule)).collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(positions, sorted);
    assert_eq!(v.stage1.groups[0].rule, "stage1.isms-defined");
    // The first blocker breaks the most serious rule.
    assert_eq!(v.stage1.blockers[0].rules[0], "stage1.isms-defined");
}

// Through the binary: the verdict and `soa --check` make the same check.

/// Every clause item at 3, every control included (contractual) at 3 with evidence; `risk_only`
/// included for risk treatment alone, with no risk register.
fn ready_in_store(sandbox: &Sandbox, standard: &str, risk_only: Option<u32>) {
    sandbox.create("Acme", standard, "Head office", "J. Doe");
    let q = questionnaire(standard);
    let controls: Vec<bool> = q.items.iter().map(|i| i.is_control()).collect();
    sandbox.answer_all("Acme", q.items.iter().map(|i| i.number), |n| {
        let mut changes = vec![];
        if controls[n as usize - 1] {
            changes.push(Change::Applicability {
                applicable: Some(true),
                reasons: vec![if Some(n) == risk_only {
                    ReasonCode::RiskTreatment
                } else {
                    ReasonCode::Contractual
                }],
                justification: "client contract".into(),
            });
            changes.push(Change::Evidence(format!("EV-{n}")));
        }
        changes.push(level(3));
        changes
    });
}

#[test]
fn verdict_json_and_soa_check_agree_on_a_control_with_no_linked_risk() {
    let sandbox = Sandbox::new();
    let q = questionnaire("iso27001-2022");
    let control = number(&q, "A.8.8");
    ready_in_store(&sandbox, "iso27001-2022", Some(control));
    let check = sandbox.run(&["soa", "-a", "Acme", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("1 finding in the Statement"), "{stderr}");
    let v = sandbox.json(&["verdict", "-a", "Acme", "--json"]);
    assert_eq!(v["stage1"]["ready"], false);
    assert_eq!(v["stage2"]["ready"], false);
    let blockers = v["stage1"]["blockers"].as_array().unwrap();
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    assert_eq!(blockers[0]["ref"], "A.8.8");
    assert_eq!(
        blockers[0]["reason"],
        "SoA: included for risk treatment only, but no risk in the register links to it"
    );
    assert_eq!(blockers[0]["rules"], serde_json::json!(["stage1.soa"]));
    assert_eq!(
        v["stage1"]["groups"][0]["headline"],
        "1 control with an SoA finding"
    );
    // The text says "1 blocker", and --check fails on it.
    let text = sandbox.ok(&["verdict", "-a", "Acme"]);
    assert!(text.contains("Stage 1: NOT READY (1 blocker)"), "{text}");
    assert!(
        text.contains("1 control with an SoA finding [stage1.soa]"),
        "{text}"
    );
    let check = sandbox.run(&["verdict", "-a", "Acme", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("stage 1 is not ready: 1 blocker"));
}

#[test]
fn verdict_json_of_a_ready_assessment_and_of_one_with_every_control_absent() {
    let sandbox = Sandbox::new();
    ready_in_store(&sandbox, "iso27001-2013", None);
    assert!(
        sandbox
            .run(&["soa", "-a", "Acme", "--check"])
            .status
            .success()
    );
    let v = sandbox.json(&["verdict", "-a", "Acme", "--json"]);
    assert_eq!(v["stage1"]["ready"], true, "{v:#}");
    assert_eq!(v["stage2"]["ready"], true, "{v:#}");
    let ids: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, RULES.iter().map(|r| r.id).collect::<Vec<_>>());
    let q = questionnaire("iso27001-2013");
    sandbox.answer_all(
        "Acme",
        q.items.iter().filter(|i| i.is_control()).map(|i| i.number),
        |_| vec![level(0)],
    );
    let v = sandbox.json(&["verdict", "-a", "Acme", "--json"]);
    assert_eq!(v["stage1"]["ready"], true);
    assert_eq!(v["stage2"]["ready"], false);
    assert_eq!(v["stage2"]["blockers"].as_array().unwrap().len(), 114);
    assert_eq!(
        v["stage2"]["groups"][0]["headline"],
        "114 included controls below level 2"
    );
    // The text names the group once and lists the refs under the shared reason, not 114 lines.
    let text = sandbox.ok(&["verdict", "-a", "Acme"]);
    assert!(text.contains("Stage 1: READY (0 blockers)"), "{text}");
    assert!(text.contains("Stage 2: NOT READY (114 blockers)"), "{text}");
    assert!(
        text.contains("  114 included controls below level 2 [stage2.controls]\n    included control at level 0; needs level 2 (114):\n      A.5.1.1, A.5.1.2,"),
        "{text}"
    );
    assert!(text.lines().count() < 25, "{text}");
}

/// Every rule in the code has its row in the guide's rule table, with every column filled.
#[test]
fn every_rule_has_its_row_in_the_guide() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    for rule in RULES {
        let prefix = format!("| `{}` |", rule.id);
        let row = readme
            .lines()
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| panic!("docs/guide.md has no row for rule {}", rule.id));
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
        assert_eq!(cells.len(), 5, "{row}");
        assert!(cells.iter().all(|c| !c.trim().is_empty()), "{row}");
    }
    // And no row names a rule the code does not have.
    for line in readme.lines().filter(|l| l.starts_with("| `stage")) {
        let id = line.split('`').nth(1).unwrap();
        assert!(
            RULES.iter().any(|r| r.id == id),
            "docs/guide.md row for unknown rule {id}"
        );
    }
}

/// The Actions screen's blocker view: groups by rule, a large group folded to its headline until
/// Enter opens it, a small one open; Enter on a blocker opens the item.
#[test]
fn the_blocker_view_groups_by_rule_and_enter_opens_and_folds_a_group() {
    let mut app = acme_on(Screen::Actions);
    // List -> Roadmap -> Stage 1 blockers.
    press(&mut app, "vv");
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("Stage 1 blockers"), "{screen}");
    assert!(
        screen.contains("> [+] 51 items of 4, 5, 6.1 below level 2"),
        "{screen}"
    );
    assert!(
        screen.contains("[+] 138 clause items not assessed"),
        "{screen}"
    );
    // A small group is open: its two items are listed under it.
    assert!(
        screen.contains("[-] 2 audits and reviews not planned yet"),
        "{screen}"
    );
    assert!(screen.contains("106 9.2 #1"), "{screen}");
    assert!(
        !screen.contains("External and internal issues: ISMS not defined"),
        "{screen}"
    );
    // Enter opens the selected group, Enter again folds it.
    press(&mut app, "<Enter>");
    let screen = draw(&app, 100, 30);
    assert!(
        screen.contains("> [-] 51 items of 4, 5, 6.1 below level 2"),
        "{screen}"
    );
    assert!(
        screen.contains("1 4.1          External and internal issues: ISMS not defined"),
        "{screen}"
    );
    press(&mut app, "<Enter>");
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("> [+] 51 items"), "{screen}");
    // Down to the first item of the open group; Enter opens it in the questionnaire.
    press(&mut app, "jjjj");
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(app.selected_item().unwrap().number, 106);
}

/// Issue 30: where audits and reviews are recorded, the records decide 9.2 and 9.3; a ready
/// assessment with complete records stays ready, and each missing piece names itself.
#[test]
fn audit_and_review_records_decide_9_2_and_9_3_in_both_editions() {
    use chrono::NaiveDate;
    use isms_ready::model::audit::{
        Audit, AuditStatus, AuditType, ManagementReview, review_inputs,
    };
    use isms_ready::model::registers::Registers;
    let today = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    for id in EDITIONS {
        let q = questionnaire(id);
        let (mut answers, links) = ready(&q);
        // The 9.2 and 9.3 items at level 2 block by level alone.
        for item in q.clause_items() {
            if item.reference.starts_with("9.2") || item.reference.starts_with("9.3") {
                answers.get_mut(item.number).level = at(2);
            }
        }
        let by_level = judge(&q, &answers, &links);
        assert!(rules_of(&by_level.stage2).contains(&"stage2.audit-review-performed"));
        let audit = Audit {
            id: "AUD-1".into(),
            title: "Whole ISMS".into(),
            kind: AuditType::Internal,
            date: NaiveDate::from_ymd_opt(2027, 3, 1),
            scope: ["4", "5", "6", "7", "8", "9", "10"]
                .map(String::from)
                .to_vec(),
            status: AuditStatus::Done,
            ..Audit::default()
        };
        let mut review = ManagementReview {
            id: "MR-1".into(),
            date: NaiveDate::from_ymd_opt(2027, 4, 1),
            ..ManagementReview::default()
        };
        for (letter, _) in review_inputs(id.ends_with("2013")) {
            *review.input_mut(letter).unwrap() = format!("presented {letter}");
        }
        let registers = Registers {
            audits: vec![audit.clone()],
            reviews: vec![review.clone()],
            ..Registers::default()
        };
        let v = verdict::verdict_with(&q, &answers, &[], &links, &registers, today);
        assert!(v.stage2.ready, "{id}: {:#?}", v.stage2.groups);

        // The audit a year and a day old, and a review missing one input: both named.
        let mut stale = registers.clone();
        stale.audits[0].date = NaiveDate::from_ymd_opt(2026, 5, 31);
        review.input_b.clear();
        stale.reviews = vec![review];
        let v = verdict::verdict_with(&q, &answers, &[], &links, &stale, today);
        assert_eq!(
            rules_of(&v.stage2),
            ["stage2.audit-records", "stage2.review-records"],
            "{id}"
        );
        let held_92 = v.stage2.groups[0].items[0].reason.clone();
        assert_eq!(
            held_92,
            "internal audit records: clauses 4, 5, 6, 7, 8, 9, 10 not covered by a done internal audit since 2026-06-01"
        );
        assert!(
            v.stage2.groups[1].items[0]
                .reason
                .ends_with("MR-1 (2027-04-01) does not cover input b) of 9.3.2"),
            "{id}: {:?}",
            v.stage2.groups[1]
        );
    }
}
