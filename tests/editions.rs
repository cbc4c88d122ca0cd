//! ISO/IEC 27001:2022 (+ Amd 1:2024), the 2013 -> 2022 mapping, and carrying an assessment over.

mod common;

use common::{Sandbox, level};
use isms_ready::model::mapping::Mapping;
use isms_ready::model::{Catalog, Change, ItemKind, ReasonCode};
use serde_json::Value;
use std::collections::BTreeMap;

fn edition(id: &str) -> std::sync::Arc<isms_ready::model::Questionnaire> {
    Catalog::builtin().get(id).unwrap()
}

#[test]
fn the_2022_questionnaire_has_the_course_ranges_the_four_themes_and_the_new_controls() {
    let q = edition("iso27001-2022");
    assert_eq!(q.items.len(), 235);
    let mut by_clause: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for item in &q.items {
        by_clause
            .entry(item.clause.as_str())
            .or_default()
            .push(item.number);
    }
    for (clause, first, last) in [
        ("4", 1, 10),
        ("5", 11, 28),
        ("6", 29, 67),
        ("7", 68, 91),
        ("8", 92, 100),
        ("9", 101, 130),
        ("10", 131, 142),
    ] {
        assert_eq!(
            by_clause[clause],
            (first..=last).collect::<Vec<_>>(),
            "clause {clause}"
        );
    }
    for (theme, count) in [("A.5", 37), ("A.6", 8), ("A.7", 14), ("A.8", 34)] {
        assert_eq!(by_clause[theme].len(), count, "theme {theme}");
    }
    assert_eq!(q.item(143).unwrap().reference, "A.5.1");
    assert_eq!(q.item(235).unwrap().reference, "A.8.34");
    for section in [
        "6.3", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
    ] {
        assert!(
            q.items.iter().any(|i| i.section() == section),
            "no item in {section}"
        );
    }
    // 10.1 and 10.2 swapped titles in 2022.
    assert!(
        q.section("10.1")
            .unwrap()
            .title
            .to_lowercase()
            .contains("continual improvement")
    );
    assert!(
        q.section("10.2")
            .unwrap()
            .title
            .to_lowercase()
            .contains("nonconformity")
    );
    for new in [
        "A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16",
        "A.8.23", "A.8.28",
    ] {
        let item = q
            .item_by_ref(new)
            .unwrap_or_else(|| panic!("{new} missing"));
        assert_eq!(item.kind, ItemKind::Control);
    }
    // Amendment 1: climate change in 4.1 and 4.2.
    let mentions_climate = |section: &str| {
        q.items.iter().filter(|i| i.section() == section).any(|i| {
            format!("{} {} {}", i.title, i.question, i.guidance)
                .to_lowercase()
                .contains("climate")
        })
    };
    assert!(mentions_climate("4.1") && mentions_climate("4.2"));
    assert!(q.superseded.is_none());
    let old = edition("iso27001-2013");
    let superseded = old.superseded.as_ref().unwrap();
    assert_eq!(
        (superseded.by.as_str(), superseded.since.as_str()),
        ("iso27001-2022", "2025-10-31")
    );
}

#[test]
fn the_mapping_is_complete_and_right() {
    let (old, new) = (edition("iso27001-2013"), edition("iso27001-2022"));
    let mapping = Mapping::builtin();
    assert_eq!(mapping.problems(&old, &new), Vec::<(String, String)>::new());
    let sources = |control: &str| -> Vec<String> {
        mapping
            .controls
            .iter()
            .find(|c| c.to == control)
            .unwrap()
            .from
            .clone()
    };
    let targets = |control: &str| -> Vec<String> {
        mapping
            .controls
            .iter()
            .filter(|c| c.from.iter().any(|f| f == control))
            .map(|c| c.to.clone())
            .collect()
    };
    assert_eq!(targets("A.6.1.3"), ["A.5.5"]);
    for control in ["A.13.2.1", "A.13.2.2", "A.13.2.3"] {
        assert_eq!(targets(control), ["A.5.14"], "{control}");
    }
    assert_eq!(targets("A.12.6.2"), ["A.8.19"]);
    assert_eq!(sources("A.5.1"), ["A.5.1.1", "A.5.1.2"]);
    let new_controls: Vec<&str> = mapping
        .controls
        .iter()
        .filter(|c| c.from.is_empty())
        .map(|c| c.to.as_str())
        .collect();
    assert_eq!(
        new_controls,
        [
            "A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16",
            "A.8.23", "A.8.28"
        ]
    );
    assert_eq!(mapping.controls.len(), 93);
    let covered: std::collections::HashSet<&str> = mapping
        .controls
        .iter()
        .flat_map(|c| c.from.iter().map(String::as_str))
        .collect();
    assert_eq!(covered.len(), 114);
    // The swapped improvement sub-clauses map crosswise.
    let section = |id: &str| {
        mapping
            .sections
            .iter()
            .find(|s| s.to == id)
            .unwrap()
            .from
            .clone()
    };
    assert_eq!(section("10.1"), ["10.2"]);
    assert_eq!(section("10.2"), ["10.1"]);
    assert!(section("6.3").is_empty());
    // Clause items: the climate-change item of Amd 1 and the planning of changes are new; list
    // letters that moved are followed by meaning.
    let item = |id: &str| {
        mapping
            .items
            .iter()
            .find(|i| i.to == id)
            .unwrap()
            .from
            .clone()
    };
    assert!(item("4.1 #2").is_empty());
    assert!(item("6.3").is_empty());
    assert_eq!(item("9.3.2 e)"), ["9.3 d)"]);
    assert_eq!(item("9.3.2 d) 1)"), ["9.3 c) 1)"]);
    assert_eq!(mapping.items.len(), 142);
}

fn item_of(document: &Value, reference: &str) -> Value {
    document["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ref"] == reference)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn migrate_takes_the_lowest_source_level_and_marks_every_carried_answer_for_review() {
    let sandbox = Sandbox::new();
    // The 2013 assessment is built through the library (the calls `new` and `answer` make);
    // `migrate` and the exports below run the real binary.
    sandbox.create("Old", "iso27001-2013", "", "");
    let answer = |item: u32, changes: &[Change]| sandbox.answer("Old", item, changes);
    // Every 2013 item answered at 3, then a few chosen differently.
    sandbox.answer_all("Old", 1..=252, |_| vec![level(3)]);
    answer(10, &[level(1), Change::Note("CEO not yet involved".into())]); // 5.1 a)
    let q13 = edition("iso27001-2013");
    let number = |r: &str| q13.item_by_ref(r).unwrap().number;
    answer(number("A.5.1.2"), &[level(1)]);
    answer(
        number("A.13.2.2"),
        &[level(0), Change::Note("No transfer agreements".into())],
    );
    // The order `answer` applies its options in: applicability, evidence, level.
    answer(
        number("A.6.1.3"),
        &[
            Change::Applicability {
                applicable: Some(true),
                reasons: vec![ReasonCode::LegalRegulatory],
                justification: "Regulator contact".into(),
            },
            Change::Evidence("REG-1".into()),
            level(4),
        ],
    );
    answer(
        number("A.11.2.6"),
        &[Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: "No equipment leaves the premises".into(),
        }],
    );
    answer(number("10.1 c)"), &[level(2)]); // 2013: nonconformity and corrective action
    answer(number("10.2"), &[level(4)]); // 2013: continual improvement
    let before = sandbox.ok(&["export", "-a", "Old", "--format", "json", "-o", "-"]);

    let printed = sandbox.ok(&["migrate", "-a", "Old", "--to", "iso27001-2022"]);
    assert!(printed.contains("\"Old (2022)\""), "{printed}");
    let after = sandbox.ok(&["export", "-a", "Old", "--format", "json", "-o", "-"]);
    assert_eq!(before, after, "the 2013 assessment must stay untouched");

    let document: Value = serde_json::from_str(&sandbox.ok(&[
        "export",
        "-a",
        "Old (2022)",
        "--format",
        "json",
        "-o",
        "-",
    ]))
    .unwrap();
    assert_eq!(document["assessment"]["questionnaire"], "iso27001-2022");
    // Controls: the lowest level among the sources.
    assert_eq!(item_of(&document, "A.5.1")["level"], 1);
    assert_eq!(item_of(&document, "A.5.14")["level"], 0);
    assert_eq!(item_of(&document, "A.5.5")["level"], 4);
    assert_eq!(item_of(&document, "A.5.5")["applicable"], true);
    assert_eq!(
        item_of(&document, "A.5.5")["reasons"],
        serde_json::json!(["legal_regulatory"])
    );
    assert_eq!(item_of(&document, "A.5.5")["evidence"], "REG-1");
    assert!(
        item_of(&document, "A.5.14")["note"]
            .as_str()
            .unwrap()
            .starts_with("[iso27001-2013 A.13.2.2] No transfer agreements")
    );
    // Clause items: the same list point.
    assert_eq!(item_of(&document, "5.1 a)")["level"], 1);
    assert_eq!(
        item_of(&document, "5.1 a)")["note"],
        "[iso27001-2013 5.1 a)] CEO not yet involved"
    );
    assert_eq!(item_of(&document, "5.1 b)")["level"], 3);
    // New 2022 items stay unanswered: the 11 new controls and the 6 new clause requirements.
    let new_requirements = ["4.1 #2", "4.2 c)", "6.2 d)", "6.3", "8.1 #2", "9.3.2 c)"];
    for fresh in ["A.5.7", "A.8.28", "A.8.16"]
        .iter()
        .chain(new_requirements.iter())
    {
        assert!(
            item_of(&document, fresh).is_null(),
            "{fresh} should be unanswered"
        );
    }
    // 2013 10.1 (nonconformity) feeds 2022 10.2, whose title it now carries.
    assert_eq!(item_of(&document, "10.2 c)")["level"], 2);
    assert_eq!(item_of(&document, "10.1")["level"], 4);
    // Every carried answer is marked for review.
    let answers = document["answers"].as_array().unwrap();
    assert!(answers.iter().all(|a| a["review_needed"] == true));
    assert_eq!(answers.len(), 235 - 11 - new_requirements.len());
    // A.7.9 (off-premises assets) came from the excluded A.11.2.6 alone: carried as excluded.
    let off_premises = item_of(&document, "A.7.9");
    assert_eq!(off_premises["applicable"], false);
    assert!(
        off_premises["justification"]
            .as_str()
            .unwrap()
            .contains("No equipment leaves the premises")
    );

    // Setting a level again clears the mark.
    sandbox.ok(&[
        "answer",
        "-a",
        "Old (2022)",
        "--item",
        "143",
        "--level",
        "1",
    ]);
    let document: Value = serde_json::from_str(&sandbox.ok(&[
        "export",
        "-a",
        "Old (2022)",
        "--format",
        "json",
        "-o",
        "-",
    ]))
    .unwrap();
    assert_eq!(item_of(&document, "A.5.1")["review_needed"], false);

    // Only 2013 assessments migrate.
    let again = sandbox.run(&["migrate", "-a", "Old (2022)"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn a_2013_assessment_says_its_certificates_are_no_longer_valid() {
    let sandbox = Sandbox::new();
    let created = sandbox.run(&["new", "--name", "Legacy", "--standard", "iso27001-2013"]);
    assert!(String::from_utf8_lossy(&created.stderr).contains("no longer valid"));
    assert!(
        sandbox
            .ok(&["summary", "-a", "Legacy"])
            .contains("2025-10-31")
    );
    sandbox.ok(&["new", "--name", "Current"]);
    assert!(
        !sandbox
            .ok(&["summary", "-a", "Current"])
            .contains("no longer valid")
    );
    assert_eq!(
        sandbox.json(&["summary", "-a", "Current", "--json"])["assessment"]["standard"],
        "iso27001-2022"
    );
}
