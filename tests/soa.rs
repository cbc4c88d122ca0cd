//! The Statement of Applicability: decisions through the CLI and the auditor's check.

mod common;

use common::Sandbox;
use isms_ready::model::soa::{FindingKind, check};
use isms_ready::model::{Answers, Catalog, Change, Level, ReasonCode};

fn kinds_for(answers: &Answers, item: u32) -> Vec<FindingKind> {
    let questionnaire = Catalog::builtin().get("iso27001-2013").unwrap();
    check(&questionnaire, answers, &Default::default())
        .into_iter()
        .filter(|f| f.item == item)
        .map(|f| f.kind)
        .collect()
}

fn decide(answers: &mut Answers, item: u32, change: Change) {
    change.apply(answers.get_mut(item));
}

#[test]
fn the_check_flags_each_case_an_auditor_would() {
    let mut answers = Answers::new(252);
    // Undecided.
    assert_eq!(kinds_for(&answers, 139), [FindingKind::Undecided]);
    // Excluded without a justification (e.g. from an old file or an import).
    decide(
        &mut answers,
        140,
        Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: String::new(),
        },
    );
    assert_eq!(
        kinds_for(&answers, 140),
        [FindingKind::ExcludedWithoutJustification]
    );
    // Included without a reason code.
    decide(
        &mut answers,
        141,
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![],
            justification: "needed".into(),
        },
    );
    assert_eq!(
        kinds_for(&answers, 141),
        [FindingKind::IncludedWithoutReason]
    );
    // Level 2 or above without evidence. (Legal rather than risk treatment: with no risk register,
    // risk treatment alone is a finding of its own, as `soa --check` says.)
    decide(
        &mut answers,
        142,
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![ReasonCode::LegalRegulatory],
            justification: String::new(),
        },
    );
    decide(&mut answers, 142, Change::Level(Some(Level::Implemented)));
    assert_eq!(
        kinds_for(&answers, 142),
        [FindingKind::ImplementedWithoutEvidence]
    );
    decide(
        &mut answers,
        142,
        Change::Evidence("ACC-7 access review".into()),
    );
    assert!(kinds_for(&answers, 142).is_empty());
    // Level 1 needs no evidence; an excluded control with a justification is clean.
    decide(
        &mut answers,
        143,
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![ReasonCode::Contractual],
            justification: String::new(),
        },
    );
    decide(&mut answers, 143, Change::Level(Some(Level::Planned)));
    assert!(kinds_for(&answers, 143).is_empty());
    decide(
        &mut answers,
        144,
        Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: "No teleworking".into(),
        },
    );
    assert!(kinds_for(&answers, 144).is_empty());
}

#[test]
fn soa_commands_show_decisions_and_check_exits_1_on_findings() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "139",
        "--include",
        "risk_treatment,legal",
        "--justification",
        "Policy set required by R-3",
        "--level",
        "3",
        "--evidence",
        "POL-001",
        "--risks",
        "R-3",
    ]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "140",
        "--exclude",
        "One policy, reviewed with it",
    ]);
    let soa = sandbox.json(&["soa", "--json"]);
    let controls = soa["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 114);
    assert_eq!(controls[0]["control"], "A.5.1.1");
    assert_eq!(controls[0]["applicability"], "included");
    assert_eq!(
        controls[0]["reasons"],
        serde_json::json!(["risk_treatment", "legal_regulatory"])
    );
    // The free-text risks field is kept as `risks_text`; `risks` lists the register's linked risks.
    assert_eq!(controls[0]["risks_text"], "R-3");
    assert_eq!(controls[0]["risks"], serde_json::json!([]));
    assert_eq!(controls[1]["applicability"], "excluded");
    assert_eq!(controls[1]["justification"], "One policy, reviewed with it");
    assert_eq!(
        soa["decisions"],
        serde_json::json!({"included": 1, "excluded": 1, "undecided": 112})
    );

    let check = sandbox.run(&["soa", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(stdout.lines().count(), 112);
    assert!(
        stdout.contains("A.5.1.3") || stdout.contains("A.6.1.1"),
        "{stdout}"
    );

    let csv = sandbox.ok(&["soa", "--csv"]);
    assert!(csv.starts_with("number,control,title,domain,applicability,reasons,justification,level,risks,owner,evidence\r\n"));
    assert!(csv.contains("139,A.5.1.1,Policies for information security,A.5,included,\"risk_treatment,legal_regulatory\",Policy set required by R-3,3,R-3,,POL-001\r\n"), "{csv}");

    // Clause items stay impossible to exclude; a bad reason is a usage error.
    assert_eq!(
        sandbox
            .run(&["answer", "-a", "Acme", "--item", "3", "--exclude", "x"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        sandbox
            .run(&[
                "answer",
                "-a",
                "Acme",
                "--item",
                "141",
                "--include",
                "vibes"
            ])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_fully_decided_soa_passes_the_check() {
    let sandbox = Sandbox::new();
    // Built through the library (`answer --include good_practice --level 1` on every control);
    // the check runs the real binary.
    sandbox.create("Done", "iso27001-2013", "", "");
    sandbox.answer_all("Done", 139..=252, |_| {
        vec![
            Change::Applicability {
                applicable: Some(true),
                reasons: vec![ReasonCode::GoodPractice],
                justification: String::new(),
            },
            common::level(1),
        ]
    });
    let check = sandbox.run(&["soa", "--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
