//! The shipped questionnaires obey the format and the course's numbering; broken files are
//! reported with the file, the place and the rule.

use isms_ready::model::catalog::BUILTIN_FILES;
use isms_ready::model::questionnaire::Place;
use isms_ready::model::{Catalog, ItemKind, Questionnaire};
use std::collections::{BTreeMap, HashSet};

fn shipped(id: &str) -> std::sync::Arc<Questionnaire> {
    Catalog::builtin().get(id).expect("shipped questionnaire")
}

#[test]
fn every_shipped_questionnaire_is_valid() {
    assert!(!BUILTIN_FILES.is_empty());
    for (name, text) in BUILTIN_FILES {
        let questionnaire = Questionnaire::from_json(name, text).unwrap_or_else(|e| panic!("{e}"));
        assert!(questionnaire.problems().is_empty());
        let refs: HashSet<&str> = questionnaire
            .items
            .iter()
            .map(|i| i.reference.as_str())
            .collect();
        assert_eq!(
            refs.len(),
            questionnaire.items.len(),
            "{name}: refs not unique"
        );
        for item in &questionnaire.items {
            assert!(
                item.question.trim_end().ends_with('?'),
                "{name} item {}: question",
                item.number
            );
            assert!(
                item.guidance.len() >= 40,
                "{name} item {}: guidance too thin",
                item.number
            );
        }
        // Every sub-clause that has no numbered children holds at least one item.
        for section in &questionnaire.sections {
            let has_children = questionnaire
                .sections
                .iter()
                .any(|other| other.id.starts_with(&format!("{}.", section.id)));
            let items = questionnaire
                .items
                .iter()
                .filter(|i| i.section() == section.id)
                .count();
            if !has_children {
                assert!(items > 0, "{name}: sub-clause {} has no item", section.id);
            }
        }
    }
}

#[test]
fn the_2013_clause_requirements_use_the_course_numbers() {
    let q = shipped("iso27001-2013");
    let mut by_clause: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for item in q.items.iter().filter(|i| i.kind == ItemKind::Clause) {
        by_clause
            .entry(item.clause.as_str())
            .or_default()
            .push(item.number);
    }
    let expected = [
        ("4", 1, 9),
        ("5", 10, 27),
        ("6", 28, 63),
        ("7", 64, 88),
        ("8", 89, 97),
        ("9", 98, 126),
        ("10", 127, 138),
    ];
    for (clause, first, last) in expected {
        let numbers = &by_clause[clause];
        assert_eq!(
            numbers,
            &(first..=last).collect::<Vec<_>>(),
            "clause {clause}"
        );
    }
    let in_section = |id: &str| -> Vec<u32> {
        q.items
            .iter()
            .filter(|i| i.section() == id)
            .map(|i| i.number)
            .collect()
    };
    assert_eq!(in_section("4.1"), [1]);
    assert_eq!(in_section("4.2"), [2, 3]);
    assert_eq!(in_section("4.3"), [4, 5, 6, 7, 8]);
    assert_eq!(in_section("4.4"), [9]);
    for id in ["6.1.1", "6.1.2", "6.1.3", "7.5.1", "7.5.2", "7.5.3"] {
        assert!(!in_section(id).is_empty(), "{id}");
    }
    // The course's good and bad practices for clause 4 are carried as hints.
    assert!(q.items[..9].iter().all(|i| !i.hints.is_empty()));
}

fn control_key(id: &str) -> Vec<u32> {
    id.trim_start_matches("A.")
        .split('.')
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn the_2013_annex_a_has_114_controls_in_standard_order() {
    let q = shipped("iso27001-2013");
    let controls: Vec<_> = q
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Control)
        .collect();
    assert_eq!(controls.len(), 114);
    assert_eq!(controls.first().unwrap().number, 139);
    assert_eq!(controls.first().unwrap().reference, "A.5.1.1");
    assert_eq!(controls.last().unwrap().number, 252);
    assert_eq!(controls.last().unwrap().reference, "A.18.2.3");
    let keys: Vec<Vec<u32>> = controls.iter().map(|c| control_key(&c.reference)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "controls are not in the standard's order");
    assert_eq!(q.domains.len(), 14);
    assert_eq!(q.objectives.len(), 35);
    let per_domain: BTreeMap<u32, usize> = controls.iter().fold(BTreeMap::new(), |mut map, c| {
        *map.entry(control_key(&c.reference)[0]).or_default() += 1;
        map
    });
    let expected: BTreeMap<u32, usize> = [
        (5, 2),
        (6, 7),
        (7, 6),
        (8, 10),
        (9, 14),
        (10, 2),
        (11, 15),
        (12, 14),
        (13, 7),
        (14, 13),
        (15, 5),
        (16, 7),
        (17, 4),
        (18, 8),
    ]
    .into();
    assert_eq!(per_domain, expected);
    for control in controls {
        let objective = control
            .objective
            .as_deref()
            .expect("2013 controls have an objective");
        assert!(
            control.reference.starts_with(&format!("{objective}.")),
            "{}",
            control.reference
        );
        assert_eq!(q.objective(objective).unwrap().domain, control.clause);
    }
}

fn minimal() -> serde_json::Value {
    serde_json::json!({
        "format": "isms-ready/questionnaire",
        "version": 1,
        "id": "tiny",
        "title": "Tiny",
        "description": "A two-item questionnaire for tests.",
        "clauses": [{"id": "4", "title": "Context", "pdca": "P"}],
        "sections": [{"id": "4.1", "clause": "4", "title": "Context"}],
        "items": [
            {"number": 1, "ref": "4.1 a)", "clause": "4", "kind": "clause", "pdca": "P",
             "title": "One", "question": "One?", "guidance": "Look at one."},
            {"number": 2, "ref": "4.1 b)", "clause": "4", "kind": "clause", "pdca": "P",
             "title": "Two", "question": "Two?", "guidance": "Look at two."}
        ]
    })
}

fn error_of(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap();
    Questionnaire::from_json("mine.json", &text)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_minimal_user_file_loads_beside_the_shipped_ones() {
    let text = serde_json::to_string(&minimal()).unwrap();
    let (catalog, errors) = Catalog::with_user_files(vec![("mine.json".into(), text)]);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(catalog.get("tiny").is_some());
    assert!(catalog.get("iso27001-2013").is_some());
}

#[test]
fn broken_files_name_the_file_the_place_and_the_rule() {
    // Syntax error: line and column.
    let error = Questionnaire::from_json(
        "mine.json",
        "{\n  \"format\": \"isms-ready/questionnaire\",\n  \"id\" \"x\"\n}",
    )
    .unwrap_err();
    assert_eq!(error.file, "mine.json");
    assert!(
        matches!(error.place, Place::LineColumn { line: 3, .. }),
        "{error}"
    );
    assert!(
        error.to_string().starts_with("mine.json: line 3, column"),
        "{error}"
    );

    // Missing field: the JSON path.
    let mut value = minimal();
    value["items"][1]
        .as_object_mut()
        .unwrap()
        .remove("guidance");
    let message = error_of(&value);
    assert!(
        message.contains("missing field `guidance`") && message.contains("items[1]"),
        "{message}"
    );

    // Wrong type.
    let mut value = minimal();
    value["items"][0]["number"] = serde_json::json!("one");
    let message = error_of(&value);
    assert!(message.contains("items[0].number"), "{message}");

    // Gap in the numbering.
    let mut value = minimal();
    value["items"][1]["number"] = serde_json::json!(3);
    let message = error_of(&value);
    assert!(
        message.contains("at items[1].number") && message.contains("without gaps"),
        "{message}"
    );

    // Duplicate ref.
    let mut value = minimal();
    value["items"][1]["ref"] = serde_json::json!("4.1 a)");
    let message = error_of(&value);
    assert!(
        message.contains("duplicate ref \"4.1 a)\" (already used by item 1)"),
        "{message}"
    );

    // Unknown clause.
    let mut value = minimal();
    value["items"][0]["clause"] = serde_json::json!("11");
    let message = error_of(&value);
    assert!(
        message.contains("at items[0].clause") && message.contains("unknown clause \"11\""),
        "{message}"
    );

    // Empty text.
    let mut value = minimal();
    value["items"][0]["question"] = serde_json::json!("  ");
    assert!(
        error_of(&value).contains("items[0].question: must not be empty")
            || error_of(&value).contains("at items[0].question: must not be empty")
    );

    // A broken user file is skipped; the shipped questionnaires keep working.
    let (catalog, errors) = Catalog::with_user_files(vec![("broken.json".into(), "{".into())]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().starts_with("broken.json: "));
    assert!(catalog.get("iso27001-2013").is_some());

    // A user file may not take a shipped id.
    let mut value = minimal();
    value["id"] = serde_json::json!("iso27001-2013");
    let (_, errors) = Catalog::with_user_files(vec![("clash.json".into(), value.to_string())]);
    assert!(
        errors[0].to_string().contains("already used"),
        "{}",
        errors[0]
    );
}

/// The mandatory documented information each shipped edition marks (issue 16): the same 17
/// documents in both, on the sub-clause items that ask for them, the risk treatment plan (6.1.3 e,
/// issue 23) among them. `questionnaires/README.md` lists them.
#[test]
fn both_editions_mark_the_mandatory_documented_information() {
    let expected_2022 = [
        ("4.3 #2", "ISMS scope"),
        ("5.2 e)", "Information security policy"),
        ("6.1.2 #2", "Risk assessment process"),
        ("6.1.3 d)", "Statement of Applicability"),
        ("6.1.3 e)", "Risk treatment plan"),
        ("6.1.3 #2", "Risk treatment process"),
        ("6.2 g)", "Information security objectives"),
        ("7.2 d)", "Evidence of competence"),
        ("7.5.1 b)", "Documented information the ISMS needs"),
        ("8.1 #3", "Operational planning and control records"),
        ("8.2 #2", "Risk assessment results"),
        ("8.3 #2", "Risk treatment results"),
        ("9.1 #1", "Monitoring and measurement results"),
        ("9.2.2 #3", "Audit programme and audit results"),
        ("9.3.3 #2", "Management review results"),
        ("10.2 f)", "Nonconformities and actions taken"),
        ("10.2 g)", "Corrective action results"),
    ];
    let expected_2013 = [
        ("4.3 #2", "ISMS scope"),
        ("5.2 e)", "Information security policy"),
        ("6.1.2 #1", "Risk assessment process"),
        ("6.1.3 d)", "Statement of Applicability"),
        ("6.1.3 e)", "Risk treatment plan"),
        ("6.1.3 #1", "Risk treatment process"),
        ("6.2 #2", "Information security objectives"),
        ("7.2 d)", "Evidence of competence"),
        ("7.5.1 b)", "Documented information the ISMS needs"),
        ("8.1 #3", "Operational planning and control records"),
        ("8.2 #2", "Risk assessment results"),
        ("8.3 #2", "Risk treatment results"),
        ("9.1 #2", "Monitoring and measurement results"),
        ("9.2 g)", "Audit programme and audit results"),
        ("9.3 #3", "Management review results"),
        ("10.1 f)", "Nonconformities and actions taken"),
        ("10.1 g)", "Corrective action results"),
    ];
    for (id, expected) in [
        ("iso27001-2022", &expected_2022),
        ("iso27001-2013", &expected_2013),
    ] {
        let questionnaire = shipped(id);
        let marked: Vec<(&str, &str)> = questionnaire
            .mandatory_documents()
            .map(|i| {
                assert_eq!(i.kind, ItemKind::Clause, "{id}: {}", i.reference);
                (
                    i.reference.as_str(),
                    i.mandatory_document.as_deref().unwrap(),
                )
            })
            .collect();
        let mut wanted: Vec<(&str, &str)> = expected.to_vec();
        let order = |r: &str| questionnaire.item_by_ref(r).map(|i| i.number);
        wanted.sort_by_key(|(r, _)| order(r));
        assert_eq!(marked, wanted, "{id}");
    }
    // The loader checks the field: an empty name is refused with its path.
    let mut value = minimal();
    value["items"][0]["mandatory_document"] = serde_json::json!(" ");
    let message = error_of(&value);
    assert!(
        message.contains("items[0].mandatory_document")
            && message.contains("must name the document"),
        "{message}"
    );
    let mut value = minimal();
    value["items"][0]["mandatory_document"] = serde_json::json!("Scope");
    let text = serde_json::to_string(&value).unwrap();
    assert!(Questionnaire::from_json("mine.json", &text).is_ok());
}
