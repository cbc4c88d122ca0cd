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
            firm: String::new(),
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
    assert_eq!(names, ["audit.xlsx", "README.md"]);
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
/// Every text cell of a sheet.
fn texts(range: &Range<Data>) -> Vec<String> {
    range
        .cells()
        .filter_map(|(_, _, cell)| match cell {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_folder_holds_xlsx_only_and_no_cell_value_carries_a_formula_guard() {
    let files = folder_files();
    assert!(files.iter().all(|f| !f.name.ends_with(".csv")));
    let audit = sheet(file(&files, "audit.xlsx"));
    let cells = texts(&audit);
    assert!(
        cells.iter().all(|c| !c.starts_with('\'')),
        "a cell starts with the guard"
    );
    // Item 1's note starts with `=`: it arrives as typed, inside its node's observations...
    assert!(
        cells
            .iter()
            .any(|c| c.contains("[4.1 #1] =HYPERLINK(\"http://x\",\"y\")")),
        "the note is kept as typed"
    );
    // ... and a cell that starts like a formula is stored as text (a shared string), never as a
    // formula: the sheet has no formula cell.
    let raw = {
        use std::io::Read;
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(file(&files, "audit.xlsx"))).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    assert!(!raw.contains("<f>"), "no formula in the sheet");
}

#[test]
fn the_repository_readme_and_the_folder_readme_state_the_rule_and_the_import_steps() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    let files = folder_files();
    let folder_readme = std::str::from_utf8(file(&files, "README.md")).unwrap();
    for line in RULE {
        assert!(
            readme.contains(line),
            "docs/guide.md lacks the rule line: {line}"
        );
        assert!(folder_readme.contains(line), "folder README lacks: {line}");
    }
    for step in [
        "International standard ISO/IEC 27001:2022",
        "import-compliance-assessments --file audit.xlsx --framework <framework id> --perimeter",
        "Data wizard",
        "X-Target-Id",
    ] {
        assert!(readme.contains(step), "docs/guide.md lacks {step}");
        assert!(folder_readme.contains(step), "folder README lacks {step}");
    }
    // The steps that made the issue: the framework's id by its urn, the perimeter, the scores shown
    // and the not-assessed rows unscored, in this order.
    let order = [
        "### 1. The framework and its id",
        "$API_URL/frameworks/?search=27001",
        "urn:intuitem:risk:framework:iso27001-2022",
        "### 2. The audit",
        "--perimeter \"<perimeter>\"",
        "### 3. Show the scores",
        "{\"is_scored\": false}",
        "### 4. The applied controls",
        "### 5.",
        "### Later: updating the same audit",
    ];
    let mut from = 0;
    for step in order {
        let at = folder_readme[from..]
            .find(step)
            .unwrap_or_else(|| panic!("folder README lacks {step} after byte {from}"));
        from += at + step.len();
    }
    // The not-assessed rows are listed: whole nodes left unanswered by the fixture.
    assert!(
        folder_readme.contains("(15: 4.4, 6.3, A.5.5, A.5.7, A.5.12, A.5.19, "),
        "{folder_readme}"
    );
    assert!(!folder_readme.contains("--framework \"International"));
    assert!(readme.contains(ciso_assistant::CSF_RULE));
    for line in ciso_assistant::RISK_RULE {
        assert!(readme.contains(line), "docs/guide.md lacks: {line}");
    }
    for line in ciso_assistant::FINDINGS_RULE {
        assert!(
            readme.contains(line),
            "docs/guide.md lacks the findings rule: {line}"
        );
    }
    assert!(readme.contains(ciso_assistant::FINDINGS_NOT_CARRIED));
    for line in isms_ready::export::ciso_audit::BACK_RULE {
        assert!(
            readme.contains(line),
            "docs/guide.md lacks the way back: {line}"
        );
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
    assert!(out.contains("audit.xlsx, README.md"), "{out}");
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, ["README.md", "audit.xlsx"]);
    let audit = sheet(&std::fs::read(dir.join("audit.xlsx")).unwrap());
    assert_eq!(audit.height(), 124);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("audit.xlsx")), 0o600);
    }

    // A second export into the same folder is refused and changes nothing; --force replaces.
    std::fs::write(dir.join("audit.xlsx"), "mine").unwrap();
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
        std::fs::read_to_string(dir.join("audit.xlsx")).unwrap(),
        "mine"
    );
    // A sheet of an earlier hand-over that this one does not write goes with --force, and so do
    // the CSV sheets earlier versions wrote.
    std::fs::write(dir.join("risk-assessment.xlsx"), "stale").unwrap();
    std::fs::write(dir.join("risk-matrix.yaml"), "stale").unwrap();
    std::fs::write(dir.join("audit.csv"), "stale").unwrap();
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
    assert_eq!(
        sheet(&std::fs::read(dir.join("audit.xlsx")).unwrap()).height(),
        124
    );
    assert!(!dir.join("risk-assessment.xlsx").exists());
    assert!(!dir.join("risk-matrix.yaml").exists());
    assert!(!dir.join("audit.csv").exists());

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
fn a_2013_assessment_goes_to_the_platforms_2013_framework() {
    let sandbox = Sandbox::new();
    sandbox.create("Old Org", "iso27001-2013", "", "");
    sandbox.answer("Old Org", 1, &[level(3)]);
    let dir = sandbox.dir.path().join("handover");
    sandbox.ok(&[
        "export",
        "-a",
        "Old Org",
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    let audit = sheet(&std::fs::read(dir.join("audit.xlsx")).unwrap());
    // CISO Assistant's iso27001-2013 library: 26 sub-clauses and 114 controls are assessable.
    assert_eq!(audit.height(), 1 + 140);
    assert_eq!(
        text(&audit, 1, 0),
        "urn:intuitem:risk:req_node:iso27001-2013:4.1"
    );
    assert_eq!(text(&audit, 1, 5), "compliant");
    assert_eq!(text(&audit, 23, 2), "9.2");
    assert_eq!(
        text(&audit, 140, 0),
        "urn:intuitem:risk:req_node:iso27001-2013:a.18.2.3"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("\"International standard ISO/IEC 27001:2013\""));
    assert!(readme.contains("urn:intuitem:risk:framework:iso27001-2013"));
    assert!(
        readme.contains("isms-ready migrate"),
        "says why 2022 is better"
    );
}

#[test]
fn an_assessment_on_no_platform_framework_is_refused_with_the_true_reason() {
    let refusal = ciso_assistant::check_questionnaire("custom-27001", "Acme").unwrap_err();
    assert!(
        refusal
            .0
            .contains("only those two questionnaires match a framework CISO Assistant ships"),
        "{refusal}"
    );
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
    assert!(written.join("README.md").is_file());
    assert!(status(&app).contains("Wrote"), "{}", status(&app));
}

#[test]
fn the_export_screen_hands_a_2013_assessment_over_too() {
    let mut app = screen_kit::acme_on(Screen::Export);
    let dir = tempfile::tempdir().unwrap();
    app.export_dir = dir.path().join("exports");
    press(&mut app, "G<Enter>");
    assert!(status(&app).contains("Wrote"), "{}", status(&app));
    let folder = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let audit = sheet(&std::fs::read(folder.join("audit.xlsx")).unwrap());
    assert_eq!(audit.height(), 141);
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
    // Actions on the risk's controls: open, done, dropped.
    let q = questionnaire();
    let number = |reference: &str| q.item_by_ref(reference).unwrap().number.to_string();
    for (item, title, owner) in [
        ("A.8.8", "Monthly patching", "Security team"),
        (
            "A.8.13",
            "Offline backups",
            "ciso@acme.example;Security team",
        ),
        ("A.8.8", "Buy a scanner", "Jo Bloggs (IT)"),
    ] {
        sandbox.ok(&[
            "action",
            "-a",
            NAME,
            "add",
            "--item",
            &number(item),
            "--title",
            title,
            "--owner",
            owner,
        ]);
    }
    sandbox.ok(&["action", "-a", NAME, "set", "3", "--status", "done"]);
    sandbox.ok(&["action", "-a", NAME, "set", "4", "--status", "dropped"]);
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
        "A.8.8,A.8.13,A.8.7",
        "--residual-likelihood",
        "2",
        "--residual-impact",
        "3",
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
    let header: Vec<String> = (0..11).map(|c| text(&controls, 0, c)).collect();
    assert_eq!(header, ciso_assistant::APPLIED_CONTROL_COLUMNS);
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
    // csf_function by the documented rule: A.5.1 govern, A.8.8 identify, A.8.13 recover.
    let functions: Vec<String> = (1..=4)
        .map(|row| text(&controls, row, column("csf_function")))
        .collect();
    assert_eq!(functions, ["govern", "identify", "recover", "identify"]);
    assert_eq!(text(&controls, 3, column("status")), "active");
    assert_eq!(text(&controls, 4, column("status")), "deprecated");
    let risks = sheet(&std::fs::read(dir.join("risk-assessment.xlsx")).unwrap());
    let header: Vec<String> = (0..12).map(|c| text(&risks, 0, c)).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(text(&risks, 1, column("ref_id")), "R-1");
    assert_eq!(text(&risks, 1, column("treatment")), "mitigate");
    // The risk points to the actions that treat it, by ref_id: the done one as existing, the
    // open one as additional, the dropped one not at all; never an Annex A ref as a control name.
    assert_eq!(
        text(&risks, 1, column("existing_applied_controls")),
        "ACT-3"
    );
    assert_eq!(text(&risks, 1, column("additional_controls")), "ACT-2");
    let description = text(&risks, 1, column("description"));
    assert!(
        description.contains("Annex A controls: A.8.8, A.8.13, A.8.7"),
        "{description}"
    );
    assert!(
        description.contains("Annex A controls without an action yet: A.8.7"),
        "{description}"
    );
    // Ratings are level names of the shipped matrix.
    assert_eq!(text(&risks, 1, column("current_proba")), "High");
    assert_eq!(text(&risks, 1, column("current_impact")), "Very high");
    assert_eq!(text(&risks, 1, column("residual_proba")), "Low");
    assert_eq!(text(&risks, 1, column("residual_impact")), "Medium");
    let matrix: serde_yaml::Value =
        serde_yaml::from_slice(&std::fs::read(dir.join("risk-matrix.yaml")).unwrap()).unwrap();
    let names: Vec<&str> = matrix["objects"]["risk_matrix"][0]["probability"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|level| level["name"].as_str().unwrap())
        .collect();
    for label in ["High", "Very high", "Low", "Medium"] {
        assert!(names.contains(&label), "{label} is a level of the matrix");
    }
    // The README names the owners that must exist.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("user with the e-mail `ciso@acme.example`"));
    assert!(readme.contains("team named `Security team`"));
    assert!(readme.contains("team named `Jo Bloggs (IT)`"));
    assert!(readme.contains("--matrix \"isms-ready 5x5\""));
}

/// The library file CISO Assistant loads (its `LibraryImporter` needs `ref_id`, `urn`, `locale`,
/// `objects`, `version`; a matrix's importer its `urn`, `ref_id` and the definition; the data
/// import matches a risk sheet's names on levels that carry an `id`), in the shape of the
/// platform's own matrix libraries (`backend/library/libraries/critical_risk_matrix_5x5.yaml`).
#[test]
fn the_risk_matrix_file_is_a_platform_library_whose_levels_have_ids_and_the_sheet_names() {
    let yaml = ciso_assistant::risk_matrix_yaml();
    let library: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("valid YAML");
    for key in ["urn", "locale", "ref_id", "name", "version", "objects"] {
        assert!(!library[key].is_null(), "library lacks {key}");
    }
    assert_eq!(
        library["urn"].as_str(),
        Some(ciso_assistant::MATRIX_LIBRARY_URN)
    );
    assert!(library["version"].is_u64());
    let matrices = library["objects"]["risk_matrix"].as_sequence().unwrap();
    assert_eq!(matrices.len(), 1);
    let matrix = &matrices[0];
    assert_eq!(matrix["urn"].as_str(), Some(ciso_assistant::MATRIX_URN));
    assert_eq!(matrix["name"].as_str(), Some(ciso_assistant::MATRIX_NAME));
    assert!(matrix["ref_id"].is_string());
    for scale in ["probability", "impact"] {
        let levels = matrix[scale].as_sequence().unwrap();
        assert_eq!(levels.len(), 5, "{scale}");
        for (id, level) in levels.iter().enumerate() {
            assert_eq!(
                level["id"].as_u64(),
                Some(id as u64),
                "{scale} level {id} has its id"
            );
            assert_eq!(
                level["name"].as_str(),
                Some(ciso_assistant::FIVE_LEVELS[id]),
                "{scale} level {id}"
            );
            assert!(level["description"].is_string() && level["hexcolor"].is_string());
        }
    }
    let risks = matrix["risk"].as_sequence().unwrap();
    let names: Vec<&str> = risks.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Low", "Medium", "High", "Critical"]);
    let grid = matrix["grid"].as_sequence().unwrap();
    assert_eq!(grid.len(), 5);
    for (l, row) in grid.iter().enumerate() {
        let row: Vec<u64> = row
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(row.len(), 5);
        for (i, cell) in row.iter().enumerate() {
            let rating = isms_ready::model::registers::RiskRating::of(((l + 1) * (i + 1)) as u8);
            assert_eq!(
                names[*cell as usize].to_lowercase(),
                rating.code(),
                "likelihood {} impact {}",
                l + 1,
                i + 1
            );
        }
    }
}

// ------------------------------------------------------------------ the way back

/// The columns of CISO Assistant's "Export to Excel" of an audit at the tested commit
/// (`ComplianceAssessmentViewSet.xlsx` in `backend/core/views.py`).
const EXPORT_COLUMNS: [&str; 12] = [
    "urn",
    "assessable",
    "ref_id",
    "name",
    "description",
    "typical_evidence",
    "annotation",
    "compliance_result",
    "extended_result",
    "requirement_progress",
    "observations",
    "score",
];

/// An export as CISO Assistant writes it: rows of (ref_id, assessable, result, score, observation).
fn platform_export(edition: &str, rows: &[(&str, bool, &str, Option<f64>, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, title) in (0..).zip(EXPORT_COLUMNS) {
        sheet.write_string(0, col, title).unwrap();
    }
    for (row, (ref_id, assessable, result, score, observation)) in (1..).zip(rows) {
        let urn = format!(
            "urn:intuitem:risk:req_node:{edition}:{}",
            ref_id.to_lowercase()
        );
        sheet.write_string(row, 0, &urn).unwrap();
        sheet.write_boolean(row, 1, *assessable).unwrap();
        sheet.write_string(row, 2, *ref_id).unwrap();
        sheet
            .write_string(row, 3, format!("Name of {ref_id}"))
            .unwrap();
        sheet.write_string(row, 7, *result).unwrap();
        sheet.write_string(row, 9, "in_progress").unwrap();
        if !observation.is_empty() {
            sheet.write_string(row, 10, *observation).unwrap();
        }
        if let Some(score) = score {
            sheet.write_number(row, 11, *score).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// The answers of an assessment, by item ref, from its JSON document.
fn answers_of(
    sandbox: &Sandbox,
    name: &str,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let json = sandbox.ok(&["export", "-a", name, "--format", "json", "-o", "-"]);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    document["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["ref"].as_str().unwrap().to_string(), a.clone()))
        .collect()
}

#[test]
fn an_audit_exported_from_ciso_assistant_imports_into_a_new_assessment_by_the_back_rule() {
    let sandbox = Sandbox::new();
    let file = sandbox.dir.path().join("Acme audit 2026.xlsx");
    std::fs::write(
        &file,
        platform_export(
            "iso27001-2022",
            &[
                ("4", false, "", None, ""),
                (
                    "4.1",
                    true,
                    "compliant",
                    Some(75.0),
                    "'-2 open points, see the wiki",
                ),
                ("4.2", true, "partially_compliant", Some(50.0), ""),
                ("4.4", true, "non_compliant", None, "No ISMS yet"),
                ("6.1", false, "", None, ""),
                ("A.5.1", true, "compliant", Some(100.0), ""),
                ("A.5.2", true, "not_applicable", None, "No staff of our own"),
                ("A.5.3", true, "not_assessed", None, ""),
                ("5.1", true, "not_applicable", None, ""),
            ],
        ),
    )
    .unwrap();
    let out = sandbox.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("imported \"Acme audit 2026\""), "{out}");
    let answers = answers_of(&sandbox, "Acme audit 2026");
    // compliant 75 -> 3 on both items of 4.1, the observation as their note, its guard taken off.
    for item in ["4.1 #1", "4.1 #2"] {
        assert_eq!(answers[item]["level"], 3, "{item}");
        assert_eq!(
            answers[item]["note"],
            "[CISO Assistant 4.1] -2 open points, see the wiki"
        );
    }
    for item in ["4.2 a)", "4.2 b)", "4.2 c)"] {
        assert_eq!(answers[item]["level"], 1, "partially compliant: {item}");
    }
    assert_eq!(answers["4.4"]["level"], 0, "non compliant without a score");
    assert_eq!(answers["A.5.1"]["level"], 4);
    assert_eq!(answers["A.5.2"]["applicable"], false);
    assert_eq!(answers["A.5.2"]["justification"], "No staff of our own");
    assert!(answers["A.5.2"]["level"].is_null());
    assert!(
        !answers.contains_key("A.5.3"),
        "not assessed stays unanswered"
    );
    // A clause cannot be excluded: its items stay unanswered, with a note.
    assert!(answers["5.1 a)"]["level"].is_null());
    assert!(
        answers["5.1 a)"]["note"]
            .as_str()
            .unwrap()
            .contains("not applicable there")
    );

    // Another framework's audit is refused, and nothing is written.
    let other = sandbox.dir.path().join("nist.xlsx");
    std::fs::write(
        &other,
        platform_export("nist-csf-2.0", &[("GV.OC-01", true, "compliant", None, "")]),
    )
    .unwrap();
    let refused = sandbox.run(&["import", other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("ISO/IEC 27001:2022 and 2013 frameworks only")
            && stderr.contains("Nothing was imported"),
        "{stderr}"
    );
    let list = sandbox.ok(&["list"]);
    assert!(!list.contains("nist"), "{list}");
}

#[test]
fn the_hand_over_read_back_gives_each_uniform_node_its_level() {
    let sandbox = Sandbox::new();
    sandbox.with_store(full_into);
    let dir = sandbox.dir.path().join("handover");
    sandbox.ok(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    sandbox.ok(&[
        "import",
        dir.join("audit.xlsx").to_str().unwrap(),
        "--as",
        "Back",
    ]);
    let before = answers_of(&sandbox, NAME);
    let after = answers_of(&sandbox, "Back");
    let q = questionnaire();
    let mut checked = 0;
    for node in platform_nodes() {
        let items: Vec<&Item> = q
            .items
            .iter()
            .filter(|i| i.reference.split(' ').next() == Some(node.as_str()))
            .collect();
        let levels: Vec<Option<i64>> = items
            .iter()
            .map(|i| before.get(&i.reference).and_then(|a| a["level"].as_i64()))
            .collect();
        let excluded = items.iter().any(|i| {
            before
                .get(&i.reference)
                .is_some_and(|a| a["applicable"] == false)
        });
        if excluded || levels.iter().any(Option::is_none) || levels.windows(2).any(|w| w[0] != w[1])
        {
            continue;
        }
        for item in &items {
            assert_eq!(
                after[&item.reference]["level"].as_i64(),
                levels[0],
                "{} of node {node}",
                item.reference
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked} uniform nodes checked");
}

/// A real export of CISO Assistant at the tested commit (`GET /api/compliance-assessments/<id>/xlsx/`
/// and `.../compliance_assessment_csv/` of the audit `scripts/check_ciso_handover.sh` imported;
/// the requirement texts, the columns name, description, typical_evidence and annotation, blanked).
#[test]
fn a_real_ciso_assistant_export_imports_from_xlsx_and_from_csv_alike() {
    let sandbox = Sandbox::new();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let xlsx = sandbox.ok(&[
        "import",
        &format!("{fixtures}/ciso-assistant-audit-export.xlsx"),
        "--as",
        "From XLSX",
    ]);
    assert!(xlsx.contains("(235 answers, 0 plan steps)"), "{xlsx}");
    let csv = sandbox.ok(&[
        "import",
        &format!("{fixtures}/ciso-assistant-audit-export.csv"),
        "--as",
        "From CSV",
    ]);
    assert!(csv.contains("(235 answers, 0 plan steps)"), "{csv}");
    let from_xlsx = answers_of(&sandbox, "From XLSX");
    assert_eq!(from_xlsx, answers_of(&sandbox, "From CSV"));
    // not_applicable -> excluded with the observation as justification.
    assert_eq!(from_xlsx["A.7.5"]["applicable"], false);
    assert!(
        from_xlsx["A.7.5"]["justification"]
            .as_str()
            .unwrap()
            .contains("No premises of our own")
    );
    // not_assessed (exported with the score 0 that showing the scores gave it) stays unanswered.
    for item in ["A.8.30", "10.1"] {
        assert!(from_xlsx[item]["level"].is_null(), "{item}");
        assert_eq!(from_xlsx[item]["applicable"], serde_json::Value::Null);
    }
    // Every answered item carries its node's observation.
    assert!(
        from_xlsx
            .values()
            .all(|a| a["note"].as_str().unwrap().starts_with("[CISO Assistant "))
    );
}

/// The text cells of one row of a sheet, by column name.
fn row_by_column(range: &Range<Data>, row: usize) -> std::collections::BTreeMap<String, String> {
    (0..range.width())
        .map(|col| {
            let value = match range.get((row, col)) {
                Some(Data::String(s)) => s.clone(),
                Some(Data::Float(f)) => f.to_string(),
                Some(Data::Int(i)) => i.to_string(),
                Some(Data::Empty) | None => String::new(),
                Some(other) => panic!("cell ({row}, {col}): {other:?}"),
            };
            (text(range, 0, col), value)
        })
        .collect()
}

#[test]
fn each_audit_with_findings_becomes_a_findings_sheet_with_the_documented_codes() {
    use ciso_assistant::FINDINGS_COLUMNS;
    let sandbox = Sandbox::new();
    sandbox.with_store(full_into);
    let run = |args: &[&str]| {
        let mut full = args.to_vec();
        full.splice(1..1, ["-a", NAME]);
        sandbox.ok(&full)
    };
    let a88 = questionnaire()
        .item_by_ref("A.8.8")
        .unwrap()
        .number
        .to_string();
    run(&[
        "action",
        "add",
        "--item",
        &a88,
        "--title",
        "Monthly patching",
    ]);
    run(&[
        "audit",
        "add",
        "--type",
        "internal",
        "--title",
        "Internal audit\u{202e} 2026",
        "--date",
        "2026-11-02",
        "--scope",
        "4,A.5,A.8",
    ]);
    // A second audit without findings writes no sheet.
    run(&[
        "audit",
        "add",
        "--type",
        "pre-audit",
        "--title",
        "Pre-audit",
        "--date",
        "2026-12-01",
    ]);
    run(&[
        "finding",
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "A.8.8",
        "--type",
        "major",
        "--statement",
        "Patches late\u{7} on 3 servers",
        "--evidence",
        "WSUS report",
        "--auditee",
        "IT lead",
    ]);
    run(&[
        "finding",
        "add",
        "--audit",
        "AUD-1",
        "--item",
        "4.1 #1",
        "--type",
        "minor",
        "--statement=- context not reviewed",
    ]);
    for (kind, item) in [
        ("observation", "A.5.1"),
        ("improvement", "A.5.2"),
        ("conformity", "A.5.3"),
    ] {
        run(&[
            "finding",
            "add",
            "--audit",
            "1",
            "--item",
            item,
            "--type",
            kind,
            "--statement",
            "=SUM(1,2)",
        ]);
    }
    run(&[
        "nc",
        "set",
        "NC-1",
        "--correction",
        "Patched the 3",
        "--root-cause",
        "No owner",
        "--action",
        "ACT-1",
        "--due",
        "2027-02-28",
        "--status",
        "action-in-progress",
    ]);
    let dir = sandbox.dir.path().join("handover");
    let out = run(&[
        "export",
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.contains("findings-AUD-1.xlsx"), "{out}");
    assert!(!dir.join("findings-AUD-2.xlsx").exists());
    let range = sheet(&std::fs::read(dir.join("findings-AUD-1.xlsx")).unwrap());
    assert_eq!(
        (0..range.width())
            .map(|c| text(&range, 0, c))
            .collect::<Vec<_>>(),
        FINDINGS_COLUMNS
    );
    assert_eq!(range.height(), 6);
    let rows: Vec<_> = (1..6).map(|r| row_by_column(&range, r)).collect();
    let codes: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["ref_id"].as_str(),
                r["severity"].as_str(),
                r["status"].as_str(),
                r["priority"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("F-1", "critical", "in_progress", "1"),
            ("F-2", "high", "confirmed", "2"),
            ("F-3", "low", "identified", "3"),
            ("F-4", "info", "identified", "4"),
            ("F-5", "info", "closed", ""),
        ]
    );
    let major = &rows[0];
    assert_eq!(
        major["name"],
        "Major nonconformity: A.8.8 - Patches late on 3 servers"
    );
    assert_eq!(
        major["description"],
        "Patches late on 3 servers\nItems: A.8.8\nEvidence: WSUS report\nAuditee: IT lead"
    );
    assert_eq!(major["due_date"], "2027-02-28");
    assert_eq!(
        major["filtering_labels"],
        "isms-ready|AUD-1|major-nonconformity"
    );
    let observation = &major["observation"];
    assert!(
        observation.starts_with("Nonconformity NC-1 (major, from audit, raised ")
            && observation.contains("status in isms-ready: action-in-progress")
            && observation.contains("Correction: Patched the 3\nRoot cause: No owner\nCorrective actions: ACT-1 Monthly patching\nDue: 2027-02-28"),
        "{observation}"
    );
    // Only the nonconformities carry a follow-up; text arrives as typed, without a guard
    // character and without control characters.
    assert!(rows[1]["observation"].starts_with("Nonconformity NC-2 (minor"));
    assert!(rows[2..].iter().all(|r| r["observation"].is_empty()));
    assert_eq!(
        rows[1]["description"],
        "- context not reviewed\nItems: 4.1 #1"
    );
    assert!(rows[2]["description"].starts_with("=SUM(1,2)\n"));
    assert!(
        rows.iter()
            .flat_map(|r| r.values())
            .all(|v| !v.starts_with('\'') && !v.chars().any(|c| c == '\u{7}' || c == '\u{202e}'))
    );
    // The README: the file, the command that imports it (the audit's name, quoted for the shell),
    // the mapping and what does not reach CISO Assistant.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.contains("- `findings-AUD-1.xlsx` - the 5 findings of the audit AUD-1"),
        "{readme}"
    );
    assert!(
        readme.contains("python3 clica.py import-findings-assessments --file findings-AUD-1.xlsx --perimeter \"<perimeter>\" --name 'AUD-1 Internal audit 2026'\n"),
        "{readme}"
    );
    for line in ciso_assistant::FINDINGS_RULE {
        assert!(readme.contains(line), "{line}");
    }
    assert!(readme.contains(ciso_assistant::FINDINGS_NOT_CARRIED));
    let step = |n: &str| readme.find(&format!("### {n}")).unwrap();
    assert!(step("4.") < step("7.") && step("7.") < step("Later"));

    // The findings sheet of an earlier export is ours: kept unless --force, removed by --force
    // when that audit has no findings any more.
    std::fs::rename(
        dir.join("findings-AUD-1.xlsx"),
        dir.join("findings-AUD-9.xlsx"),
    )
    .unwrap();
    std::fs::remove_file(dir.join("audit.xlsx")).unwrap();
    std::fs::remove_file(dir.join("README.md")).unwrap();
    std::fs::remove_file(dir.join("applied-controls.xlsx")).unwrap();
    let again = sandbox.run(&[
        "export",
        "-a",
        NAME,
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("findings-AUD-9.xlsx"));
    run(&[
        "export",
        "--format",
        "ciso-assistant",
        "-o",
        dir.to_str().unwrap(),
        "--force",
    ]);
    assert!(!dir.join("findings-AUD-9.xlsx").exists());
    assert!(dir.join("findings-AUD-1.xlsx").exists());
}

#[test]
fn an_assessment_without_findings_writes_no_findings_sheet_and_says_so() {
    let files = folder_files();
    assert!(!files.iter().any(|f| f.name.starts_with("findings-")));
    let readme = String::from_utf8(file(&files, "README.md").to_vec()).unwrap();
    assert!(readme.contains("no findings sheet: no audit of the assessment has findings yet"));
    assert!(readme.contains("### 7. The findings of the audits\n\nNone in this hand-over."));
}
