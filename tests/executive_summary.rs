//! Issue 23, the fixes found alongside the verdict: strongest / weakest groups only among groups
//! assessed enough (coverage >= 50 %) and with their coverage; no recommendation twice; `summary`
//! text counts excluded controls apart from answered ones; "1 action", not "1 actions".

mod common;

use common::{Sandbox, level};
use isms_ready::model::{Catalog, Change, ReasonCode};

const Q2022: &str = "iso27001-2022";

/// The lines of the Markdown report between `### heading` and the next heading.
fn section(markdown: &str, heading: &str) -> String {
    let start = markdown
        .find(&format!("### {heading}\n"))
        .unwrap_or_else(|| panic!("no {heading} section:\n{markdown}"));
    let rest = &markdown[start + heading.len() + 5..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    rest[..end].to_string()
}

fn markdown(sandbox: &Sandbox) -> String {
    let path = sandbox.dir.path().join("report.md");
    sandbox.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "md",
        "-o",
        path.to_str().unwrap(),
        "--force",
    ]);
    std::fs::read_to_string(path).unwrap()
}

fn include(evidence: &str) -> Vec<Change> {
    vec![
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![ReasonCode::Contractual],
            justification: "client contract".into(),
        },
        Change::Evidence(evidence.into()),
        level(4),
    ]
}

#[test]
fn strongest_and_weakest_are_chosen_among_groups_assessed_enough_and_say_their_coverage() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", Q2022, "Head office", "J. Doe");
    let questionnaire = Catalog::builtin().get(Q2022).unwrap();
    // Clause 5 answered whole at 2; four of the 34 controls of A.8 at 4 (coverage 11.8 %).
    let leadership: Vec<u32> = questionnaire
        .clause_items()
        .filter(|i| i.clause == "5")
        .map(|i| i.number)
        .collect();
    sandbox.answer_all("Acme", leadership, |_| vec![level(2)]);
    sandbox.answer_all("Acme", 202..206, |n| include(&format!("EV-{n}")));
    let md = markdown(&sandbox);
    let strongest = section(&md, "Strongest");
    assert!(!strongest.contains("A.8"), "{strongest}");
    assert!(
        strongest.contains("1. 5 Leadership: 50.0 % assessed")
            && strongest.contains("coverage 100.0 %"),
        "{strongest}"
    );
    let weakest = section(&md, "Weakest");
    assert!(!weakest.contains("A.8"), "{weakest}");
    // Nothing else is assessed enough: no other group is named.
    assert!(!weakest.contains("1."), "{weakest}");
}

#[test]
fn an_item_with_an_action_is_not_recommended_again_from_its_note() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", Q2022, "Head office", "J. Doe");
    sandbox.answer(
        "Acme",
        25,
        &[
            level(1),
            Change::Note("Publish the policy on the website. Later more.".into()),
        ],
    );
    sandbox.answer(
        "Acme",
        24,
        &[level(1), Change::Note("Brief every team.".into())],
    );
    let out = sandbox.ok(&[
        "action",
        "-a",
        "Acme",
        "add",
        "--item",
        "25",
        "--title",
        "Publish the policy",
        "--priority",
        "1",
    ]);
    assert!(out.contains("action #1 added on item 25"), "{out}");
    let md = markdown(&sandbox);
    let recommendations = section(&md, "Top recommendations");
    assert_eq!(
        recommendations.matches("5.2 g)").count(),
        1,
        "{recommendations}"
    );
    // The other note is still recommended.
    assert!(recommendations.contains("5.2 f)"), "{recommendations}");
    // "1 action", not "1 actions", in the report and in `action list`.
    assert!(md.contains("1 action: 1 open"), "{md}");
    let list = sandbox.ok(&["action", "-a", "Acme", "list"]);
    assert!(list.contains("Acme - 1 action: 1 open"), "{list}");
}

#[test]
fn summary_text_counts_excluded_controls_apart_from_answered_ones() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", Q2022, "Head office", "J. Doe");
    // A.7.1 excluded, nothing of A.7 answered.
    sandbox.answer(
        "Acme",
        188,
        &[Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: "no premises of our own".into(),
        }],
    );
    let text = sandbox.ok(&["summary", "-a", "Acme"]);
    let header = text.lines().find(|l| l.starts_with("clause")).unwrap();
    assert!(header.contains("answered excluded"), "{header}");
    let a7 = text.lines().find(|l| l.starts_with("A.7 ")).unwrap();
    let cells: Vec<&str> = a7.split_whitespace().collect();
    let answered = cells.iter().position(|c| c.contains("/14")).unwrap();
    assert_eq!(cells[answered], "0/14", "{a7}");
    assert_eq!(cells[answered + 1], "1", "{a7}");
    let json = sandbox.json(&["summary", "-a", "Acme", "--json"]);
    let domain = json["annex_a"]["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["clause"] == "A.7")
        .unwrap();
    assert_eq!(domain["answered"], 0);
    assert_eq!(domain["excluded"], 1);
}
