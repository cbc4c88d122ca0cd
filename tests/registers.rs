//! The registers (issue 17): context issues, interested parties, risks and objectives through the
//! CLI and the store, the risk -> SoA link, the JSON round trip and the history.

mod common;

use common::Sandbox;
use isms_ready::model::Change;
use isms_ready::model::registers::{ContextIssue, Risk, Side};
use serde_json::{Value, json};

fn acme() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn control<'a>(soa: &'a Value, reference: &str) -> &'a Value {
    soa["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == reference)
        .unwrap()
}

#[test]
fn context_issues_are_added_listed_in_priority_order_changed_and_removed() {
    let sandbox = acme();
    let add = |title: &str, kind: &str, influence: &str, control: &str| {
        sandbox.ok(&[
            "context",
            "add",
            "--assessment",
            "Acme",
            "--title",
            title,
            "--kind",
            kind,
            "--influence",
            influence,
            "--control",
            control,
        ])
    };
    assert!(add("Office culture", "internal", "1", "3").contains("added C-1"));
    add("New data protection law", "external", "3", "1");
    add("Cloud supplier market", "external", "2", "2");
    let list = sandbox.json(&["context", "list", "--json"]);
    assert_eq!(ids(&list), ["C-2", "C-3", "C-1"]);
    assert_eq!(list[0]["title"], "New data protection law");
    assert_eq!(list[0]["priority"], "high");
    assert_eq!(list[0]["priority_score"], 9);
    assert_eq!(list[2]["priority"], "low");

    sandbox.ok(&[
        "context",
        "set",
        "C-1",
        "--influence",
        "3",
        "--control",
        "1",
        "--category",
        "culture",
        "--swot",
        "weakness",
    ]);
    let list = sandbox.json(&["context", "list", "--json"]);
    // Same score as C-2: the older one first.
    assert_eq!(ids(&list), ["C-1", "C-2", "C-3"]);
    assert_eq!(list[0]["swot"], "weakness");
    assert_eq!(list[0]["category"], "culture");

    sandbox.ok(&["context", "remove", "C-3"]);
    assert_eq!(
        ids(&sandbox.json(&["context", "list", "--json"])),
        ["C-1", "C-2"]
    );
    // A removed id is never given again.
    assert!(add("Energy prices", "external", "1", "1").contains("added C-4"));

    // Every change is in the history, with the entry before and after.
    let history = sandbox.with_store(|store| store.history(1).unwrap());
    let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "context.add",
            "context.add",
            "context.add",
            "context.set",
            "context.remove",
            "context.add"
        ]
    );
    let removed: Value = serde_json::from_str(history[4].old_value.as_deref().unwrap()).unwrap();
    assert_eq!(removed["title"], "Cloud supplier market");
    assert_eq!(history[4].new_value, None);
}

#[test]
fn wrong_register_values_are_refused_and_nothing_is_written() {
    let sandbox = acme();
    for args in [
        &[
            "context",
            "add",
            "--title",
            "T",
            "--kind",
            "inside",
            "--influence",
            "1",
            "--control",
            "1",
        ][..],
        &[
            "context",
            "add",
            "--title",
            "T",
            "--kind",
            "internal",
            "--influence",
            "4",
            "--control",
            "1",
        ],
        &[
            "risks",
            "add",
            "--title",
            "T",
            "--likelihood",
            "6",
            "--impact",
            "1",
            "--owner",
            "o",
        ],
        &[
            "risks",
            "add",
            "--title",
            "T",
            "--likelihood",
            "1",
            "--impact",
            "1",
            "--owner",
            "o",
            "--treatment",
            "ignore",
        ],
        &[
            "objectives",
            "add",
            "--objective",
            "O",
            "--measure",
            "m",
            "--target",
            "t",
            "--owner",
            "o",
            "--due",
            "next week",
        ],
        &[
            "parties",
            "add",
            "--name",
            "Regulator",
            "--influence",
            "3",
            "--control",
            "1",
        ],
    ] {
        let output = sandbox.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    // A control that is not in the questionnaire, an empty title: refused with a reason.
    let unknown = sandbox.run(&[
        "risks",
        "add",
        "--title",
        "T",
        "--likelihood",
        "1",
        "--impact",
        "1",
        "--owner",
        "o",
        "--controls",
        "A.99.1",
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("A.99.1 is not an Annex A control"));
    let empty = sandbox.run(&[
        "context",
        "add",
        "--title",
        " ",
        "--kind",
        "internal",
        "--influence",
        "1",
        "--control",
        "1",
    ]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("title must not be empty"));
    let missing = sandbox.run(&["risks", "remove", "R-7"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no entry R-7"));
    for noun in ["context", "parties", "risks", "objectives"] {
        assert_eq!(sandbox.json(&[noun, "list", "--json"]), json!([]), "{noun}");
    }
    assert!(
        sandbox
            .with_store(|store| store.history(1).unwrap())
            .is_empty()
    );
}

#[test]
fn a_risk_linked_to_a_control_shows_on_it_with_the_risk_treatment_reason_while_linked() {
    let sandbox = acme();
    // A.8.13 was ticked by the user for a legal reason and for risk treatment; A.8.8 has none.
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "214",
        "--include",
        "legal,risk",
        "--justification",
        "Backups are required by contract and law",
    ]);
    let soa = sandbox.json(&["soa", "--json"]);
    assert_eq!(control(&soa, "A.8.13")["number"], 214);
    sandbox.ok(&[
        "risks",
        "add",
        "--title",
        "Unpatched servers",
        "--likelihood",
        "4",
        "--impact",
        "5",
        "--owner",
        "IT lead",
        "--treatment",
        "mitigate",
        "--controls",
        "A.8.8,A.8.13",
    ]);
    let list = sandbox.json(&["risks", "list", "--json"]);
    assert_eq!(list[0]["id"], "R-1");
    assert_eq!(list[0]["level"], 20);
    assert_eq!(list[0]["rating"], "critical");
    assert_eq!(list[0]["controls"], json!(["A.8.8", "A.8.13"]));

    let soa = sandbox.json(&["soa", "--json"]);
    assert_eq!(control(&soa, "A.8.8")["risks"], json!(["R-1"]));
    assert_eq!(control(&soa, "A.8.8")["reasons"], json!(["risk_treatment"]));
    assert_eq!(
        control(&soa, "A.8.13")["reasons"],
        json!(["risk_treatment", "legal_regulatory"])
    );

    // Unlinking removes the automatic reason, never one the user ticked.
    sandbox.ok(&["risks", "set", "R-1", "--controls", ""]);
    let soa = sandbox.json(&["soa", "--json"]);
    assert_eq!(control(&soa, "A.8.8")["risks"], json!([]));
    assert_eq!(control(&soa, "A.8.8")["reasons"], json!([]));
    assert_eq!(
        control(&soa, "A.8.13")["reasons"],
        json!(["risk_treatment", "legal_regulatory"])
    );
    // Removing a linked risk removes its links too.
    sandbox.ok(&["risks", "set", "R-1", "--controls", "A.8.8"]);
    sandbox.ok(&["risks", "remove", "R-1"]);
    assert_eq!(
        control(&sandbox.json(&["soa", "--json"]), "A.8.8")["reasons"],
        json!([])
    );
}

#[test]
fn the_soa_check_flags_a_control_included_for_risk_treatment_alone_that_no_risk_links_to() {
    let sandbox = acme();
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "213",
        "--include",
        "risk",
        "--justification",
        "R-1",
    ]);
    let findings = |sandbox: &Sandbox| -> Vec<Value> {
        sandbox.json(&["soa", "--json"])["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["ref"] == "A.8.12")
            .cloned()
            .collect()
    };
    assert_eq!(findings(&sandbox)[0]["kind"], "risk_treatment_without_risk");
    let check = sandbox.run(&["soa", "--check"]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("no risk in the register links to it"));
    sandbox.ok(&[
        "risks",
        "add",
        "--title",
        "Data leak",
        "--likelihood",
        "2",
        "--impact",
        "4",
        "--owner",
        "DPO",
        "--controls",
        "A.8.12",
    ]);
    assert!(findings(&sandbox).is_empty());
    // A control included with no reason of its own but linked to a risk has a reason.
    sandbox.answer(
        "Acme",
        212,
        &[Change::Applicability {
            applicable: Some(true),
            reasons: Vec::new(),
            justification: String::new(),
        }],
    );
    sandbox.ok(&["risks", "set", "R-1", "--controls", "A.8.12,A.8.11"]);
    let soa = sandbox.json(&["soa", "--json"]);
    assert!(
        soa["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["ref"] != "A.8.11" && f["ref"] != "A.8.12"),
        "{:#}",
        soa["findings"]
    );
}

#[test]
fn registers_survive_export_import_export_unchanged() {
    let first = acme();
    first.ok(&[
        "context",
        "add",
        "--title",
        "Heat waves in the data centre region",
        "--kind",
        "external",
        "--influence",
        "3",
        "--control",
        "1",
        "--category",
        "environmental",
        "--swot",
        "threat",
        "--owner",
        "COO",
        "--risks",
        "R-1",
        "--note",
        "Climate change, line two\nand three",
    ]);
    first.ok(&[
        "parties",
        "add",
        "--name",
        "Customers",
        "--needs",
        "Availability, privacy",
        "--influence",
        "3",
        "--control",
        "2",
        "--addressed",
        "Availability",
        "--contact",
        "Sales",
    ]);
    first.ok(&[
        "risks",
        "add",
        "--title",
        "Cooling failure",
        "--likelihood",
        "3",
        "--impact",
        "5",
        "--owner",
        "COO",
        "--treatment",
        "mitigate",
        "--controls",
        "A.7.11,A.5.30",
        "--residual-likelihood",
        "2",
        "--residual-impact",
        "3",
        "--accepted-on",
        "2027-01-15",
        "--asset",
        "Data centre",
        "--threat",
        "Heat",
        "--vulnerability",
        "Old chillers",
    ]);
    first.ok(&[
        "objectives",
        "add",
        "--objective",
        "Restore critical services within 4 hours",
        "--measure",
        "RTO in tests",
        "--target",
        "4 h",
        "--owner",
        "COO",
        "--due",
        "2027-06-30",
        "--status",
        "in_progress",
        "--evaluation",
        "Quarterly DR test",
    ]);
    let exported = first.dir.path().join("acme.json");
    let path = exported.to_str().unwrap();
    first.ok(&["export", "-a", "Acme", "--format", "json", "-o", path]);
    let document: Value = serde_json::from_slice(&std::fs::read(&exported).unwrap()).unwrap();
    assert_eq!(document["context"][0]["id"], "C-1");
    assert_eq!(
        document["risks"][0]["controls"],
        json!(["A.7.11", "A.5.30"])
    );
    assert_eq!(document["objectives"][0]["status"], "in_progress");

    let second = Sandbox::new();
    second.ok(&["import", path]);
    let again = second.dir.path().join("again.json");
    second.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "json",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&exported).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
    assert_eq!(
        control(&second.json(&["soa", "--json"]), "A.7.11")["risks"],
        json!(["R-1"])
    );
    // A document without registers has no register sections at all.
    let empty = acme();
    let text = empty.ok(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    for section in ["\"context\"", "\"parties\"", "\"risks\"", "\"objectives\""] {
        assert!(!text.contains(section), "{section}");
    }
}

#[test]
fn a_document_with_a_broken_register_entry_is_refused_and_writes_nothing() {
    let sandbox = acme();
    let text = sandbox.ok(&["export", "-a", "Acme", "--format", "json", "-o", "-"]);
    let base: Value = serde_json::from_str(&text).unwrap();
    let good_risk = json!({"id": "R-1", "title": "T", "likelihood": 2, "impact": 2});
    for (section, entries, said) in [
        (
            "risks",
            json!([{"id": "R-1", "title": "T", "likelihood": 9, "impact": 2}]),
            "risks[0]",
        ),
        ("risks", json!([good_risk, good_risk]), "listed twice"),
        (
            "risks",
            json!([{"id": "X-1", "title": "T", "likelihood": 2, "impact": 2}]),
            "risks[0].id",
        ),
        (
            "context",
            json!([{"id": "C-1", "title": "T", "kind": "inside", "influence": 1, "control": 1}]),
            "context[0]",
        ),
        (
            "objectives",
            json!([{"id": "O-1", "objective": ""}]),
            "objectives[0]",
        ),
        (
            "risks",
            json!([{"id": "R-1", "title": "T", "likelihood": 2, "impact": 2, "controls": ["A.12.6.1"]}]),
            "risks[0].controls",
        ),
    ] {
        let mut document = base.clone();
        document[section] = entries;
        let file = sandbox.dir.path().join("bad.json");
        std::fs::write(&file, document.to_string()).unwrap();
        let output = sandbox.run(&["import", file.to_str().unwrap(), "--as", "Bad"]);
        assert_eq!(output.status.code(), Some(1), "{section}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{said}: {stderr}");
        assert_eq!(
            sandbox.json(&["list", "--json"]).as_array().unwrap().len(),
            1
        );
    }
}

#[test]
fn the_store_keeps_a_risks_controls_in_order_and_refuses_a_broken_entry() {
    let sandbox = acme();
    let saved = sandbox.with_store(|store| {
        store
            .add_entry(
                1,
                &Risk {
                    title: "Ransomware".into(),
                    controls: Risk::parse_controls("A.8.7 A.8.13, A.5.24"),
                    ..Risk::default()
                },
            )
            .unwrap()
    });
    assert_eq!(saved.id, "R-1");
    let registers = sandbox.with_store(|store| store.registers(1).unwrap());
    assert_eq!(registers.risks[0].controls, ["A.8.7", "A.8.13", "A.5.24"]);
    let refused = sandbox.with_store(|store| {
        store.add_entry(
            1,
            &ContextIssue {
                title: "T".into(),
                kind: Side::External,
                influence: 0,
                ..ContextIssue::default()
            },
        )
    });
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("influence must be 1 to 3")
    );
    // Setting an entry to what it holds writes no history row.
    let before = sandbox.with_store(|store| store.history(1).unwrap().len());
    sandbox.with_store(|store| store.set_entry(1, 1, &registers.risks[0]).unwrap());
    assert_eq!(
        sandbox.with_store(|store| store.history(1).unwrap().len()),
        before
    );
}

#[test]
fn the_reports_have_a_section_each_with_the_matrices_and_the_workbook_a_sheet_each() {
    use calamine::Reader;
    let sandbox = acme();
    sandbox.ok(&[
        "context",
        "add",
        "--title",
        "Privacy <law>",
        "--kind",
        "external",
        "--influence",
        "3",
        "--control",
        "1",
    ]);
    sandbox.ok(&[
        "parties",
        "add",
        "--name",
        "Regulator",
        "--needs",
        "Breach notices",
        "--influence",
        "2",
        "--control",
        "3",
    ]);
    sandbox.ok(&[
        "risks",
        "add",
        "--title",
        "Unpatched servers",
        "--likelihood",
        "4",
        "--impact",
        "5",
        "--owner",
        "IT",
        "--controls",
        "A.8.8",
    ]);
    sandbox.ok(&[
        "objectives",
        "add",
        "--objective",
        "Patch within 14 days",
        "--measure",
        "share",
        "--target",
        "95 %",
        "--owner",
        "IT",
        "--due",
        "2027-06-30",
    ]);
    let html = sandbox.ok(&["export", "--format", "html", "-o", "-"]);
    let section = &html[html
        .find("<section class=\"major landscape\" id=\"registers\">")
        .unwrap()..];
    assert!(section.contains("<h3>Context issues (4.1)</h3>"));
    // Two influence x control matrices and one heat map, as inline SVG; user text escaped.
    assert_eq!(
        section
            .matches("<title>Context issues: influence x control</title>")
            .count(),
        1
    );
    assert_eq!(
        section
            .matches("<title>Interested parties: influence x control</title>")
            .count(),
        1
    );
    assert_eq!(
        section
            .matches("<title>Likelihood x impact</title>")
            .count(),
        1
    );
    assert!(section.contains("Privacy &lt;law&gt;"));
    assert!(section.contains("class=\"ids\">C-1</text>"));
    assert!(section.contains("class=\"ids\">R-1</text>"));
    // The SoA of the report lists the linked risk and the derived reason on A.8.8.
    let markdown = sandbox.ok(&["export", "--format", "md", "-o", "-"]);
    assert!(markdown.contains("## Registers"));
    assert!(markdown.contains("| influence 3 | (!) C-1 |"), "{markdown}");
    assert!(markdown.contains("20 critical: R-1"));
    assert!(markdown.contains("### Objectives (6.2)"));
    // The report's SoA has the derived reason on A.8.8.
    let soa_row = markdown
        .lines()
        .find(|l| l.starts_with("| A.8.8 |"))
        .expect("A.8.8 in the report's SoA");
    assert!(soa_row.contains("risk treatment"), "{soa_row}");

    // The Word report carries the matrices too, as tables a consultant can edit.
    let docx = sandbox.dir.path().join("acme.docx");
    sandbox.ok(&["export", "--format", "docx", "-o", docx.to_str().unwrap()]);
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).expect("a DOCX is a zip");
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    assert!(document.contains("control 1") && document.contains("influence 3"));
    assert!(
        // Ids keep a non-breaking hyphen in the DOCX (issue 28: never split over two lines).
        document.contains("(!) C\u{2011}1"),
        "the context matrix places C-1 in its high cell"
    );
    assert!(
        document.contains("20 critical: R\u{2011}1"),
        "the heat map places R-1"
    );
    let file = sandbox.dir.path().join("acme.xlsx");
    sandbox.ok(&["export", "--format", "xlsx", "-o", file.to_str().unwrap()]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Clauses",
            "SoA",
            "Plan",
            "Actions",
            "Context",
            "Parties",
            "Risks",
            "Objectives"
        ]
    );
    let risks = book.worksheet_range("Risks").unwrap();
    assert_eq!(risks.height(), 2);
    assert_eq!(risks.get((1, 0)).unwrap().to_string(), "R-1");
    assert_eq!(risks.get((1, 1)).unwrap().to_string(), "20");
    let context = book.worksheet_range("Context").unwrap();
    assert_eq!(context.get((1, 8)).unwrap().to_string(), "Privacy <law>");
}

#[test]
fn migrating_to_2022_carries_the_registers_and_maps_a_risks_controls() {
    let sandbox = Sandbox::new();
    sandbox.create("Legacy", "iso27001-2013", "", "");
    sandbox.ok(&[
        "risks",
        "add",
        "-a",
        "Legacy",
        "--title",
        "Unpatched servers",
        "--likelihood",
        "4",
        "--impact",
        "5",
        "--owner",
        "IT",
        "--controls",
        "A.12.6.1",
    ]);
    sandbox.ok(&[
        "context",
        "add",
        "-a",
        "Legacy",
        "--title",
        "Regulation",
        "--kind",
        "external",
        "--influence",
        "3",
        "--control",
        "1",
    ]);
    sandbox.ok(&["migrate", "-a", "Legacy"]);
    let risks = sandbox.json(&["risks", "list", "-a", "Legacy (2022)", "--json"]);
    assert_eq!(risks[0]["id"], "R-1");
    assert_eq!(risks[0]["controls"], json!(["A.8.8"]));
    let context = sandbox.json(&["context", "list", "-a", "Legacy (2022)", "--json"]);
    assert_eq!(context[0]["title"], "Regulation");
    // The 2013 assessment keeps its own.
    let old = sandbox.json(&["risks", "list", "-a", "Legacy", "--json"]);
    assert_eq!(old[0]["controls"], json!(["A.12.6.1"]));
}

/// Issue 26: the field added to measure what a register field costs (struct, spec row,
/// migration, CLI flag) reaches the CLI, the store, the JSON, the history, the form and every
/// report without any other code naming it.
#[test]
fn an_objectives_review_date_travels_everywhere_from_its_spec_row() {
    use isms_ready::model::register_spec::{RegisterEntry, field};
    use isms_ready::model::registers::Objective;
    let sandbox = acme();
    sandbox.ok(&[
        "objectives",
        "add",
        "--objective",
        "Patch within 14 days",
        "--measure",
        "share",
        "--target",
        "95 %",
        "--owner",
        "IT",
        "--due",
        "2027-06-30",
        "--reviewed-on",
        "2027-01-15",
    ]);
    let list = sandbox.json(&["objectives", "list", "--json"]);
    assert_eq!(list[0]["reviewed_on"], "2027-01-15");
    // A bad date is refused with one message; nothing changes.
    let bad = sandbox.run(&["objectives", "set", "O-1", "--reviewed-on", "2027-02-30"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--reviewed-on"));
    sandbox.ok(&["objectives", "set", "O-1", "--reviewed-on", "2027-02-01"]);
    let list = sandbox.json(&["objectives", "list", "--json"]);
    assert_eq!(list[0]["reviewed_on"], "2027-02-01");
    let history = sandbox.ok(&["history", "-a", "Acme"]);
    assert!(history.contains("objectives.set"), "{history}");
    // Every report shows the column.
    let md = sandbox.ok(&["export", "--format", "md", "-o", "-"]);
    assert!(md.contains("| Status | Reviewed on | Note |"), "{md}");
    assert!(md.contains("| planned | 2027-02-01 |"), "{md}");
    let html = sandbox.ok(&["export", "--format", "html", "-o", "-"]);
    assert!(html.contains("<th>Reviewed on</th>") || html.contains(">Reviewed on<"));
    // The JSON export carries it and the store reads it back.
    let json = sandbox.ok(&["export", "--format", "json", "-o", "-"]);
    assert!(json.contains("\"reviewed_on\": \"2027-02-01\""), "{json}");
    let saved: Objective = sandbox.with_store(|store| {
        let id = store.assessments().unwrap()[0].id;
        store.registers(id).unwrap().objectives.remove(0)
    });
    assert_eq!(
        saved.reviewed_on.map(|d| d.to_string()).as_deref(),
        Some("2027-02-01")
    );
    // The form shows it as a date field, read through the same spec.
    let spec = field::<Objective>("reviewed_on").expect("a spec row");
    assert_eq!(spec.label, "Reviewed on");
    assert_eq!((spec.get)(&saved), "2027-02-01");
    assert!(Objective::fields().iter().any(|f| f.name == "reviewed_on"));
    // Clearing it.
    sandbox.ok(&["objectives", "set", "O-1", "--reviewed-on", ""]);
    let list = sandbox.json(&["objectives", "list", "--json"]);
    assert!(list[0].get("reviewed_on").is_none());
}
