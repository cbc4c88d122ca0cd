//! Issue 14: a gap analysis is a series of workshops. Not assessed is not absent; sessions,
//! history, undo and compare, on the real binary.

mod common;

use common::{Sandbox, level};
use serde_json::Value;

fn group<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == id)
        .unwrap_or_else(|| panic!("clause {id} missing"))
}

#[test]
fn a_fresh_assessment_rates_every_group_not_assessed_and_clause_4_alone_gets_its_figure() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    let fresh = sandbox.json(&["summary", "--assessment", "Acme", "--json"]);
    for clause in fresh["clauses"].as_array().unwrap() {
        assert_eq!(clause["rating"], "not_assessed", "{clause}");
        assert_eq!(clause["assessed_readiness"], Value::Null);
    }
    for domain in fresh["annex_a"]["domains"].as_array().unwrap() {
        assert_eq!(domain["rating"], "not_assessed");
    }
    assert_eq!(fresh["overall"]["rating"], "not_assessed");
    assert_eq!(fresh["overall"]["assessed_readiness"], Value::Null);
    // The overall figure keeps its meaning: unanswered counts as 0.
    assert_eq!(fresh["overall"]["readiness"], 0.0);

    // Clause 4 of 2022 is items 1-10; the room answers items 1-5 at 4, 3, 2, 1, 0.
    sandbox.answer_all("Acme", 1..=5, |n| vec![level(5 - n as u8)]);
    let after = sandbox.json(&["summary", "--assessment", "Acme", "--json"]);
    let four = group(&after, "4");
    // assessed = 100 x (4+3+2+1+0)/4 / 5 answered = 50.0; readiness = 100 x 2.5 / 10 items = 25.0
    assert_eq!(four["assessed_readiness"], 50.0);
    assert_eq!(four["readiness"], 25.0);
    assert_eq!(four["rating"], "below_50");
    for id in ["5", "6", "7", "8", "9", "10"] {
        assert_eq!(group(&after, id)["rating"], "not_assessed", "clause {id}");
        assert_eq!(group(&after, id)["assessed_readiness"], Value::Null);
    }
    // overall: 2.5 / 142 clause items = 1.76 -> 1.8; assessed over the 5 answered = 50.0
    assert_eq!(after["overall"]["readiness"], 1.8);
    assert_eq!(after["overall"]["assessed_readiness"], 50.0);
    assert_eq!(after["overall"]["rating"], "below_50");

    let text = sandbox.ok(&["summary", "--assessment", "Acme"]);
    assert!(
        text.contains("overall readiness 1.8 %, assessed readiness 50.0 %"),
        "{text}"
    );
    assert!(text.contains("not assessed"), "{text}");
}

#[test]
fn every_export_labels_both_figures_and_lists_unanswered_items_as_not_yet_discussed() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.answer_all("Acme", 1..=5, |n| vec![level(5 - n as u8)]);
    let md = sandbox.ok(&["export", "-a", "Acme", "--format", "md", "-o", "-"]);
    assert!(md.contains("Assessed readiness"), "{md}");
    assert!(
        md.contains("| 4 | Context of the organization | 25.0 % | 50.0 % | below 50 % |"),
        "{md}"
    );
    assert!(
        md.contains("| 5 | Leadership | 0.0 % | not assessed | not assessed |"),
        "{md}"
    );
    assert!(md.contains("## Not yet discussed"), "{md}");
    // The largest gaps are answered items only: item 5 at 0 first, item 6 (unanswered) never.
    let gaps = md.split("## Largest gaps").nth(1).unwrap();
    let gaps = gaps.split("## ").next().unwrap();
    assert!(gaps.contains("| 5 |"), "{gaps}");
    assert!(!gaps.contains("| 6 |"), "{gaps}");
    assert!(!gaps.contains("not answered"), "{gaps}");
    let html = sandbox.ok(&["export", "-a", "Acme", "--format", "html", "-o", "-"]);
    assert!(html.contains("assessed readiness: 50.0 %"), "html tile");
    assert!(html.contains("rating-grey"), "html grey state");
    assert!(html.contains("id=\"not-discussed\""));
    let json = sandbox.json(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    assert_eq!(json["summary"]["clauses"][1]["rating"], "not_assessed");
    assert_eq!(json["summary"]["clauses"][0]["assessed_readiness"], 50.0);
}
