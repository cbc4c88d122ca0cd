//! `export --format ciso-assistant`: the audit sheet CISO Assistant imports, checked against the
//! platform's own list of ISO/IEC 27001:2022 requirement nodes and against the documented rule;
//! the folder the CLI and the Export screen write; the refusal of a 2013 assessment.

mod common;
mod screen_kit;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use common::{Sandbox, level};
use isms_ready::export::Report;
use isms_ready::export::ciso_assistant::{self, AUDIT_COLUMNS, FolderFile, Handover, RULE};
use isms_ready::model::plan::PlanTemplate;
use isms_ready::model::{Catalog, Change, Item, Questionnaire, ReasonCode};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::Screen;
use screen_kit::{app_on, draw, on_screen, press, status};

const NAME: &str = "Acme Ltd";

/// CISO Assistant's assessable requirement nodes of ISO/IEC 27001:2022 (its library
/// `iso27001-2022.yaml`, version 18), in its order: the 30 sub-clauses, then the 93 controls.
fn platform_nodes() -> Vec<String> {
    let clauses = [
        "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
        "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2", "8.3", "9.1", "9.2.1",
        "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
    ];
    let mut nodes: Vec<String> = clauses.iter().map(|s| s.to_string()).collect();
    for (theme, count) in [(5, 37), (6, 8), (7, 14), (8, 34)] {
        nodes.extend((1..=count).map(|n| format!("A.{theme}.{n}")));
    }
    nodes
}

const COMPLIANCE_RESULTS: [&str; 5] = [
    "not_assessed",
    "partially_compliant",
    "non_compliant",
    "compliant",
    "not_applicable",
];
const REQUIREMENT_PROGRESS: [&str; 4] = ["to_do", "in_progress", "in_review", "done"];

fn questionnaire() -> std::sync::Arc<Questionnaire> {
    Catalog::builtin().get("iso27001-2022").unwrap()
}

fn note(number: u32) -> Option<String> {
    match number {
        1 => Some("=HYPERLINK(\"http://x\",\"y\")".into()),
        2 => Some("Two lines,\nwith \"quotes\"".into()),
        n if n.is_multiple_of(4) => Some(format!("Workshop note for item {n}")),
        _ => None,
    }
}

/// The changes the fixture makes to `item`: every kind of node the rule distinguishes.
fn changes(item: &Item) -> Vec<Change> {
    let n = item.number;
    let mut changes = Vec::new();
    // Whole nodes left unanswered: 4.4 (item 10), 6.3 (item 67), control A.5.7.
    let untouched = n == 10 || n == 67 || item.reference == "A.5.7";
    if item.is_control() && n.is_multiple_of(10) {
        changes.push(Change::Applicability {
            applicable: Some(false),
            reasons: vec![],
            justification: format!("No such activity (item {n})"),
        });
    } else if !untouched && !n.is_multiple_of(7) {
        changes.push(level((n % 5) as u8));
        if item.is_control() {
            changes.push(Change::Applicability {
                applicable: Some(true),
                reasons: vec![ReasonCode::RiskTreatment],
                justification: String::new(),
            });
        }
        if n.is_multiple_of(11) {
            changes.push(Change::ReviewNeeded(true));
        }
    }
    if let Some(text) = note(n) {
        changes.push(Change::Note(text));
    }
    if n.is_multiple_of(3) {
        changes.push(Change::Evidence(format!("DOC-{n}")));
    }
    changes
}

fn full_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    full_into(&mut store);
    store
}

fn full_into(store: &mut Store) -> i64 {
    let id = store
        .create_assessment(&NewAssessment {
            name: NAME.into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "Head office".into(),
            assessor: "Dana Auditor".into(),
        })
        .unwrap()
        .id;
    for item in &questionnaire().items {
        let changes = changes(item);
        for change in &changes {
            change.check(item).unwrap();
        }
        if !changes.is_empty() {
            store.apply_changes(id, item.number, &changes).unwrap();
        }
    }
    id
}

fn report(store: &Store, id: i64) -> Report {
    let q = questionnaire();
    let assessment = store.assessment(id).unwrap();
    let answers = store.answers(id, q.items.len()).unwrap();
    let progress = store.plan_progress(id, 26).unwrap();
    Report::build(
        &assessment,
        &q,
        &answers,
        PlanTemplate::builtin(),
        &progress,
        NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
    )
}

fn folder_files() -> Vec<FolderFile> {
    let store = full_store();
    ciso_assistant::files(&report(&store, 1), &questionnaire(), &Handover::default()).unwrap()
}

fn file<'a>(files: &'a [FolderFile], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .bytes
}

fn sheet(bytes: &[u8]) -> Range<Data> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("calamine opens it");
    let first = book.sheet_names()[0].clone();
    book.worksheet_range(&first).unwrap()
}

fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("cell ({row}, {col}) is not text: {other:?}"),
    }
}

/// What the documented rule gives for one node, computed here independently of the exporter:
/// (compliance_result, requirement_progress, score).
fn expected(items: &[&Item], store: &Store) -> (&'static str, &'static str, Option<i64>) {
    let answers = store.answers(1, questionnaire().items.len()).unwrap();
    let applicable: Vec<_> = items
        .iter()
        .map(|item| answers.get(item.number))
        .filter(|a| a.applicable != Some(false))
        .collect();
    if applicable.is_empty() {
        return ("not_applicable", "done", None);
    }
    let levels: Vec<u8> = applicable
        .iter()
        .filter_map(|a| a.level.map(|l| l.value()))
        .collect();
    if levels.is_empty() {
        return ("not_assessed", "to_do", None);
    }
    let met = levels.iter().filter(|&&l| l >= 2).count();
    let result = match met {
        0 => "non_compliant",
        m if m == levels.len() => "compliant",
        _ => "partially_compliant",
    };
    let progress = if levels.len() < applicable.len() {
        "in_progress"
    } else if applicable
        .iter()
        .any(|a| a.level.is_some() && a.review_needed)
    {
        "in_review"
    } else {
        "done"
    };
    let sum: u32 = levels.iter().map(|&l| u32::from(l)).sum();
    let score = (100.0 * f64::from(sum) / (4.0 * applicable.len() as f64)).round() as i64;
    (result, progress, Some(score))
}

#[test]
fn the_audit_sheet_of_a_full_2022_assessment_has_one_row_per_platform_node_by_the_documented_rule()
{
    let store = full_store();
    let files = folder_files();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["audit.xlsx", "audit.csv", "README.md"]);
    let audit = sheet(file(&files, "audit.xlsx"));
    let header: Vec<String> = (0..AUDIT_COLUMNS.len())
        .map(|c| text(&audit, 0, c))
        .collect();
    assert_eq!(
        header,
        [
            "urn",
            "assessable",
            "ref_id",
            "name",
            "description",
            "compliance_result",
            "requirement_progress",
            "score",
            "observations"
        ]
    );
    let nodes = platform_nodes();
    assert_eq!(nodes.len(), 123);
    assert_eq!(audit.height(), 1 + nodes.len(), "exactly one row per node");
    let q = questionnaire();
    let mut seen_items = 0;
    let mut results_seen = std::collections::BTreeSet::new();
    for (index, node) in nodes.iter().enumerate() {
        let row = index + 1;
        assert_eq!(text(&audit, row, 2), *node, "ref_id of row {row}");
        assert_eq!(
            text(&audit, row, 0),
            format!(
                "urn:intuitem:risk:req_node:iso27001-2022:{}",
                node.to_lowercase()
            )
        );
        assert_eq!(audit.get((row, 1)), Some(&Data::Bool(true)), "assessable");
        let result = text(&audit, row, 5);
        let progress = text(&audit, row, 6);
        assert!(
            COMPLIANCE_RESULTS.contains(&result.as_str()),
            "{node}: {result}"
        );
        assert!(
            REQUIREMENT_PROGRESS.contains(&progress.as_str()),
            "{node}: {progress}"
        );
        let score = match audit.get((row, 7)) {
            Some(Data::Float(f)) => {
                assert_eq!(f.fract(), 0.0, "{node}: a whole score");
                assert!((0.0..=100.0).contains(f), "{node}: {f}");
                Some(*f as i64)
            }
            Some(Data::Int(i)) => Some(*i),
            Some(Data::Empty) | None => None,
            Some(other) => panic!("{node}: score {other:?}"),
        };
        let items: Vec<&Item> = q
            .items
            .iter()
            .filter(|item| {
                item.reference == *node || item.reference.starts_with(&format!("{node} "))
            })
            .collect();
        assert!(!items.is_empty(), "{node} has items");
        seen_items += items.len();
        assert_eq!(
            (result.as_str(), progress.as_str(), score),
            expected(&items, &store),
            "{node}"
        );
        results_seen.insert(result.clone());
        let observations = text(&audit, row, 8);
        for item in &items {
            if let Some(note) = note(item.number) {
                assert!(
                    observations.contains(&format!("[{}] {note}", item.reference)),
                    "{node}: the note of {} in {observations:?}",
                    item.reference
                );
            }
            if item.number.is_multiple_of(3) {
                assert!(
                    observations.contains(&format!("[{}] DOC-{}", item.reference, item.number)),
                    "{node}: evidence of {}",
                    item.reference
                );
            }
            let description = text(&audit, row, 4);
            assert!(
                description.contains(&item.reference),
                "{node}: {description}"
            );
        }
    }
    assert_eq!(seen_items, q.items.len(), "every item falls into one node");
    assert_eq!(
        results_seen.len(),
        5,
        "the fixture reaches every result: {results_seen:?}"
    );
}

/// Parses RFC 4180 text with CRLF line ends into records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'));
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, _) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty());
    records
}

#[test]
fn the_audit_csv_holds_the_same_rows_as_the_xlsx() {
    let files = folder_files();
    let audit = sheet(file(&files, "audit.xlsx"));
    let records = parse_csv(std::str::from_utf8(file(&files, "audit.csv")).unwrap());
    assert_eq!(records.len(), audit.height());
    assert_eq!(records[0], AUDIT_COLUMNS);
    for (row, record) in records.iter().enumerate().skip(1) {
        assert_eq!(record[1], "TRUE");
        for col in [0, 2, 3, 4, 5, 6, 8] {
            assert_eq!(record[col], text(&audit, row, col), "row {row} col {col}");
        }
        let score = match audit.get((row, 7)) {
            Some(Data::Float(f)) => format!("{f}"),
            _ => String::new(),
        };
        assert_eq!(record[7], score);
    }
}

#[test]
fn the_repository_readme_and_the_folder_readme_state_the_rule_and_the_import_steps() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let files = folder_files();
    let folder_readme = std::str::from_utf8(file(&files, "README.md")).unwrap();
    for line in RULE {
        assert!(
            readme.contains(line),
            "README.md lacks the rule line: {line}"
        );
        assert!(folder_readme.contains(line), "folder README lacks: {line}");
    }
    for step in [
        "International standard ISO/IEC 27001:2022",
        "import-compliance-assessments --file audit.xlsx",
        "Data wizard",
    ] {
        assert!(readme.contains(step), "README.md lacks {step}");
        assert!(folder_readme.contains(step), "folder README lacks {step}");
    }
    // The sub-clause table lists our items of each node.
    assert!(
        folder_readme.contains("| 4.1 | `4.1 #1`, `4.1 #2` |"),
        "{folder_readme}"
    );
    assert!(folder_readme.contains("| 4.4 | `4.4` |"));
}

#[test]
fn the_cli_writes_the_folder_keeps_it_unless_force_and_never_to_stdout() {
    let sandbox = Sandbox::new();
    sandbox.with_store(full_into);
    let dir = sandbox.dir.path().join("handover");
    let dir_arg = dir.to_str().unwrap();
    let out = sandbox.ok(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir_arg,
    ]);
    assert!(out.contains("audit.xlsx, audit.csv, README.md"), "{out}");
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, ["README.md", "audit.csv", "audit.xlsx"]);
    let audit = sheet(&std::fs::read(dir.join("audit.xlsx")).unwrap());
    assert_eq!(audit.height(), 124);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("audit.csv")), 0o600);
    }

    // A second export into the same folder is refused and changes nothing; --force replaces.
    std::fs::write(dir.join("audit.csv"), "mine").unwrap();
    let again = sandbox.run(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir_arg,
    ]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("audit.csv")).unwrap(),
        "mine"
    );
    // A sheet of an earlier hand-over that this one does not write goes with --force.
    std::fs::write(dir.join("risk-assessment.csv"), "stale").unwrap();
    sandbox.ok(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir_arg,
        "--force",
    ]);
    assert!(
        std::fs::read_to_string(dir.join("audit.csv"))
            .unwrap()
            .starts_with("urn,")
    );
    assert!(!dir.join("risk-assessment.csv").exists());

    let stdout = sandbox.run(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        "-",
    ]);
    assert_eq!(stdout.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stdout.stderr).contains("folder"));
    assert!(stdout.stdout.is_empty());

    // A file where the folder should go is refused.
    let plain = sandbox.dir.path().join("plain");
    std::fs::write(&plain, "x").unwrap();
    let onto_file = sandbox.run(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        plain.to_str().unwrap(),
    ]);
    assert_eq!(onto_file.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&onto_file.stderr).contains("not a folder"));
}

#[test]
fn a_2013_assessment_is_refused_with_the_hint_to_migrate_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    sandbox.create("Old Org", "iso27001-2013", "", "");
    sandbox.answer("Old Org", 1, &[level(3)]);
    let dir = sandbox.dir.path().join("handover");
    let output = sandbox.run(&[
        "export",
        "-a",
        "Old Org",
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("isms-ready migrate --assessment \"Old Org\""),
        "{stderr}"
    );
    assert!(stderr.contains("2022"), "{stderr}");
    assert!(!dir.exists(), "nothing written");
}

#[test]
fn the_export_screen_writes_the_hand_over_folder_into_the_export_folder() {
    let mut store = Store::open_in_memory().unwrap();
    full_into(&mut store);
    let mut app = app_on(store);
    press(&mut app, "<Enter>");
    on_screen(&mut app, Screen::Export);
    app.export_dir = "/exports".into();
    press(&mut app, "G");
    snapshot!("export_ciso_assistant_selected_80x24", draw(&app, 80, 24));
    snapshot!("export_ciso_assistant_selected_160x48", draw(&app, 160, 48));
    let dir = tempfile::tempdir().unwrap();
    app.export_dir = dir.path().join("exports");
    press(&mut app, "<Enter>");
    press(&mut app, "<Enter>");
    let mut folders: Vec<String> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders.len(), 2, "{folders:?}");
    assert!(folders[0].starts_with("acme-ltd-") && folders[0].ends_with("-ciso-assistant"));
    assert_eq!(
        folders[1],
        format!("{}-2", folders[0]),
        "never over the first one"
    );
    let written = dir.path().join("exports").join(&folders[0]);
    assert!(written.join("audit.xlsx").is_file());
    assert!(written.join("audit.csv").is_file());
    assert!(written.join("README.md").is_file());
    assert!(status(&app).contains("Wrote"), "{}", status(&app));
}

#[test]
fn the_export_screen_refuses_a_2013_assessment_and_says_to_migrate() {
    let mut app = screen_kit::acme_on(Screen::Export);
    let dir = tempfile::tempdir().unwrap();
    app.export_dir = dir.path().join("exports");
    press(&mut app, "G<Enter>");
    let message = status(&app);
    assert!(
        message.contains("NOT WRITTEN") && message.contains("migrate"),
        "{message}"
    );
    assert!(!dir.path().join("exports").exists());
}

#[test]
fn actions_and_risks_reach_the_hand_over_as_applied_controls_and_risk_scenarios() {
    let sandbox = Sandbox::new();
    sandbox.with_store(full_into);
    sandbox.ok(&[
        "action",
        "-a",
        NAME,
        "add",
        "--item",
        "1,143",
        "--title",
        "Write the context analysis",
        "--owner",
        "ciso@acme.example",
        "--due",
        "2027-03-31",
        "--effort",
        "M",
        "--priority",
        "1",
    ]);
    sandbox.ok(&["action", "-a", NAME, "set", "1", "--status", "in_progress"]);
    sandbox.ok(&[
        "risks",
        "add",
        "-a",
        NAME,
        "--title",
        "Ransomware on the file server",
        "--likelihood",
        "4",
        "--impact",
        "5",
        "--owner",
        "CISO",
        "--treatment",
        "mitigate",
        "--controls",
        "A.8.8,A.8.13",
    ]);
    let dir = sandbox.dir.path().join("handover");
    let out = sandbox.ok(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.contains("applied-controls.xlsx"), "{out}");
    let controls = sheet(&std::fs::read(dir.join("applied-controls.xlsx")).unwrap());
    let header: Vec<String> = (0..10).map(|c| text(&controls, 0, c)).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(text(&controls, 1, column("ref_id")), "ACT-1");
    assert_eq!(
        text(&controls, 1, column("name")),
        "Write the context analysis"
    );
    assert_eq!(text(&controls, 1, column("status")), "in_progress");
    assert_eq!(text(&controls, 1, column("effort")), "M");
    assert_eq!(text(&controls, 1, column("eta")), "2027-03-31");
    assert_eq!(text(&controls, 1, column("owner")), "ciso@acme.example");
    assert!(text(&controls, 1, column("description")).contains("A.5.1"));
    let risks = sheet(&std::fs::read(dir.join("risk-assessment.xlsx")).unwrap());
    let header: Vec<String> = (0..12).map(|c| text(&risks, 0, c)).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(text(&risks, 1, column("ref_id")), "R-1");
    assert_eq!(text(&risks, 1, column("treatment")), "mitigate");
    let joined: Vec<String> = (0..12).map(|c| text(&risks, 1, c)).collect();
    assert!(
        joined.iter().any(|cell| cell.contains("A.8.8")),
        "{joined:?}"
    );
    assert!(joined.iter().any(|cell| cell == "Very high"), "{joined:?}");
}
