//! The performance budget of issue 9, measured with divan: `cargo bench`.
//!
//! | what                                                        | budget (median) |
//! |-------------------------------------------------------------|-----------------|
//! | open + load + first frame of the questionnaire (252 items)   | <= 15 ms        |
//! | one level key: durable commit + redraw (real file)           | <= 2 ms         |
//! | one frame of any screen at 200x60                            | <= 2 ms         |
//! | 10,000-item questionnaire, 1,000 assessments: frame / start  | <= 5 ms / 50 ms |
//! | export of a full assessment, any format                      | <= 50 ms        |
//! | ciso-assistant export of a full 2022 assessment (folder)     | <= 50 ms        |
//! | a 100 KB paste into the note editor, drawn and saved         | <= 1 s          |
//! | verdict + roadmap, full assessment with 200 actions          | a few ms        |
//! | one frame of the Actions screen with 200 actions, 200x60     | <= 2 ms         |

use divan::Bencher;
use isms_ready::export::{ExportFormat, Report};
use isms_ready::model::plan::PlanTemplate;
use isms_ready::model::{Answer, Answers, Catalog, Level, Questionnaire, ReasonCode};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::theme::Theme;
use isms_ready::tui::{App, Screen, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// Every item answered, a note on every third, SoA decisions on every control.
fn full_answers(questionnaire: &Questionnaire) -> Answers {
    let mut answers = Answers::new(questionnaire.items.len());
    for item in &questionnaire.items {
        let n = item.number;
        let mut answer = Answer {
            level: Level::from_u8((n % 5) as u8),
            evidence: format!("DOC-{n}"),
            owner: "ISMS manager".into(),
            ..Answer::default()
        };
        if n % 3 == 0 {
            answer.note = format!(
                "Workshop note for item {n}: agreed after a long discussion.\nSecond line."
            );
        }
        if item.is_control() {
            answer.applicable = Some(n % 7 != 0);
            answer.reasons = vec![ReasonCode::RiskTreatment];
            answer.justification = "Treats risks R-1 to R-9".into();
        }
        *answers.get_mut(n) = answer;
    }
    answers
}

/// A database file holding one fully answered assessment "Full" on `questionnaire`.
fn file_with_full_assessment(dir: &Path, questionnaire: &Questionnaire) -> PathBuf {
    let path = dir.join("bench.db");
    let mut store = Store::open(&path).unwrap();
    let stub = store
        .create_assessment(&NewAssessment {
            name: "Stub".into(),
            questionnaire_id: questionnaire.id.clone(),
            ..Default::default()
        })
        .unwrap();
    let progress = vec![Default::default(); PlanTemplate::builtin().steps.len()];
    let document = isms_ready::export::json::document(
        &stub,
        questionnaire,
        &full_answers(questionnaire),
        &progress,
        None,
    );
    store.import_document(&document, "Full").unwrap();
    path
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(200, 60)).unwrap()
}

/// Opens the app on `path` with `catalog`, opens `name`, and draws the first frame.
fn start(path: &Path, catalog: Catalog, name: &str, terminal: &mut Terminal<TestBackend>) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(isms_ready::service::Context::with(store, catalog)).unwrap();
    app.theme = Theme::COLOR;
    let assessment = app.service.find_assessment(name).unwrap().unwrap();
    app.open_assessment(assessment);
    terminal.draw(|frame| render(frame, &app)).unwrap();
    app
}

fn iso2013() -> std::sync::Arc<Questionnaire> {
    Catalog::builtin().get("iso27001-2013").unwrap()
}

#[divan::bench]
fn parse_shipped_questionnaires() {
    for (name, text) in isms_ready::model::catalog::BUILTIN_FILES {
        divan::black_box(Questionnaire::from_json(name, text).unwrap());
    }
}

#[divan::bench]
fn start_to_first_frame_252_items(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_full_assessment(dir.path(), &iso2013());
    bencher.bench_local(|| {
        let mut terminal = terminal();
        divan::black_box(start(&path, Catalog::builtin(), "Full", &mut terminal));
    });
}

#[divan::bench]
fn level_key_commit_and_redraw(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_full_assessment(dir.path(), &iso2013());
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    let mut level = 0u8;
    bencher.bench_local(|| {
        level = (level + 1) % 5;
        app.handle_key(key(char::from(b'0' + level)));
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

/// A 100 KB paste into an empty note editor, one frame, then the durable save and the next frame.
#[divan::bench]
fn paste_100kb_into_note_and_save(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_full_assessment(dir.path(), &iso2013());
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    let text = "Workshop minutes, item by item. ".repeat(3200);
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let mut round = 0u64;
    bencher.bench_local(|| {
        round += 1;
        app.handle_key(key('e'));
        if let Some(isms_ready::tui::app::Popup::Note { editor, .. }) = &mut app.popup {
            // Start from an empty note each round, so every round pastes the same 100 KB.
            **editor = ratatui_textarea::TextArea::default();
        }
        app.handle_paste(&format!("{round} {text}"));
        terminal.draw(|frame| render(frame, &app)).unwrap();
        app.handle_key(ctrl_s);
        assert!(app.popup.is_none(), "the note was not saved");
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

const SCREENS: [&str; 8] = [
    "picker",
    "questionnaire",
    "dashboard",
    "soa",
    "plan",
    "timeline",
    "export",
    "help",
];

fn show(app: &mut App, screen: &str) {
    app.popup = None;
    match screen {
        "picker" => app.screen = Screen::Picker,
        "questionnaire" => app.screen = Screen::Questionnaire,
        "dashboard" => app.screen = Screen::Dashboard,
        "soa" => app.screen = Screen::Soa,
        "plan" | "timeline" => {
            app.screen = Screen::Plan;
            app.views.plan.timeline = screen == "timeline";
        }
        "export" => app.screen = Screen::Export,
        "help" => app.handle_key(key('?')),
        _ => unreachable!(),
    }
}

#[divan::bench(args = SCREENS)]
fn render_screen_200x60(bencher: Bencher, screen: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_full_assessment(dir.path(), &iso2013());
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    show(&mut app, screen);
    bencher.bench_local(|| {
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

/// A synthetic questionnaire of 10,000 clause items, as a user's own file would be.
fn large_questionnaire_json() -> String {
    let clauses: Vec<_> = (4..=10)
        .map(|c| serde_json::json!({"id": c.to_string(), "title": format!("Clause {c}"), "pdca": "P"}))
        .collect();
    let sections: Vec<_> = (4..=10)
        .flat_map(|c| (1..=9).map(move |s| serde_json::json!({"id": format!("{c}.{s}"), "clause": c.to_string(), "title": format!("Section {c}.{s}")})))
        .collect();
    let items: Vec<_> = (1..=10_000u32)
        .map(|n| {
            let clause = 4 + (n - 1) * 7 / 10_000;
            let section = 1 + n % 9;
            serde_json::json!({
                "number": n, "ref": format!("{clause}.{section} #{n}"), "clause": clause.to_string(),
                "kind": "clause", "pdca": "P", "title": format!("Requirement number {n}"),
                "question": format!("Is requirement {n} met, and how do you know?"),
                "guidance": format!("Records showing requirement {n} is met and reviewed."),
            })
        })
        .collect();
    serde_json::json!({
        "format": "isms-ready/questionnaire", "version": 1, "id": "synthetic-10000",
        "title": "Synthetic 10,000 items", "description": "Benchmark data.",
        "clauses": clauses, "sections": sections, "items": items,
    })
    .to_string()
}

struct Large {
    _dir: tempfile::TempDir,
    path: PathBuf,
    text: String,
}

/// A file with 1,000 assessments, one of them ("Full") answering all 10,000 synthetic items.
fn large() -> &'static Large {
    static LARGE: OnceLock<Large> = OnceLock::new();
    LARGE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let text = large_questionnaire_json();
        let (catalog, errors) = Catalog::with_user_files(vec![("synthetic.json".into(), text.clone())]);
        assert!(errors.is_empty(), "{errors:?}");
        let questionnaire = catalog.get("synthetic-10000").unwrap();
        let path = file_with_full_assessment(dir.path(), &questionnaire);
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        let transaction = connection.transaction().unwrap();
        for n in 0..999 {
            transaction
                .execute(
                    "INSERT INTO assessment (name, questionnaire_id, created_at) VALUES (?1, 'iso27001-2022', '2026-01-01T00:00:00.000Z')",
                    [format!("Organisation {n}")],
                )
                .unwrap();
        }
        transaction.commit().unwrap();
        Large { _dir: dir, path, text }
    })
}

fn large_catalog() -> Catalog {
    Catalog::with_user_files(vec![("synthetic.json".into(), large().text.clone())]).0
}

#[divan::bench]
fn large_start_to_first_frame(bencher: Bencher) {
    let large = large();
    bencher.bench_local(|| {
        let mut terminal = terminal();
        // Includes reading the user's 10,000-item file, as a real start does.
        divan::black_box(start(&large.path, large_catalog(), "Full", &mut terminal));
    });
}

#[divan::bench(args = ["questionnaire", "dashboard", "picker", "plan"])]
fn large_render_200x60(bencher: Bencher, screen: &str) {
    let large = large();
    let mut terminal = terminal();
    let mut app = start(&large.path, large_catalog(), "Full", &mut terminal);
    show(&mut app, screen);
    app.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
    bencher.bench_local(|| {
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

#[divan::bench(args = ["html", "md", "xlsx", "csv", "json", "docx", "html-full"])]
fn export_full_assessment(bencher: Bencher, format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_full_assessment(dir.path(), &questionnaire);
    let store = Store::open(&path).unwrap();
    let catalog = Catalog::builtin();
    let assessment = store.find_assessment("Full").unwrap().unwrap();
    // "html-full": `--detail full`, the report with its appendix of every item.
    let options = isms_ready::service::export::ExportOptions {
        detail: if format == "html-full" {
            isms_ready::export::report::Detail::Full
        } else {
            isms_ready::export::report::Detail::Summary
        },
        ..Default::default()
    };
    let format = match format {
        "html" | "html-full" => ExportFormat::Html,
        "md" => ExportFormat::Md,
        "xlsx" => ExportFormat::Xlsx,
        "csv" => ExportFormat::Csv,
        "docx" => ExportFormat::Docx,
        _ => ExportFormat::Json,
    };
    bencher.bench_local(|| {
        // From the database to the bytes, as `export` does.
        divan::black_box(
            isms_ready::service::export::render_with(
                &store,
                &catalog,
                &assessment,
                format,
                &options,
            )
            .unwrap(),
        );
    });
    let _ = Report::build;
}

/// `export --format ciso-assistant` of a full 2022 assessment: from the database to the bytes of
/// every file of the folder (audit XLSX and CSV, README), as the command makes them.
#[divan::bench]
fn export_ciso_assistant_full_2022(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let path = file_with_full_assessment(dir.path(), &questionnaire);
    let store = Store::open(&path).unwrap();
    let catalog = Catalog::builtin();
    let assessment = store.find_assessment("Full").unwrap().unwrap();
    bencher.bench_local(|| {
        divan::black_box(
            isms_ready::service::export::render_ciso_assistant(&store, &catalog, &assessment)
                .unwrap(),
        );
    });
}

/// 200 actions on a full 2013 assessment: one to three items each, priorities, due dates and
/// statuses spread out (issue 16).
fn two_hundred_actions(questionnaire: &Questionnaire) -> Vec<isms_ready::model::action::Action> {
    use isms_ready::model::action::{ActionStatus, NewAction};
    let day0 = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let count = questionnaire.items.len() as u32;
    (1..=200u32)
        .map(|n| {
            let items = vec![n % count + 1, (n * 7) % count + 1, (n * 13) % count + 1];
            let mut new = NewAction::titled(items, format!("Action {n}"));
            new.priority = (n % 4 + 1) as u8;
            new.due = (n % 3 != 0).then(|| day0 + chrono::Days::new(u64::from(n * 2)));
            new.owner = format!("Owner {}", n % 9);
            let mut action = new.into_action(n);
            action.status = ActionStatus::ALL[(n % 5) as usize];
            if action.status == ActionStatus::Done {
                action.done_on = Some(day0);
            }
            action
        })
        .collect()
}

/// The audit-readiness verdict and the roadmap of a full assessment with 200 actions, as the
/// app recomputes them after each change (budget: a few ms).
#[divan::bench]
fn verdict_and_roadmap_200_actions(bencher: Bencher) {
    use isms_ready::model::action::Roadmap;
    use isms_ready::model::verdict;
    let questionnaire = iso2013();
    let answers = full_answers(&questionnaire);
    let actions = two_hundred_actions(&questionnaire);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    bencher.bench_local(|| {
        divan::black_box(verdict::verdict(
            &questionnaire,
            &answers,
            &actions,
            &Default::default(),
        ));
        divan::black_box(Roadmap::of(&actions, &questionnaire, today));
    });
}

/// One frame of the Actions screen (list and roadmap) with 200 actions at 200x60.
#[divan::bench(args = ["list", "roadmap"])]
fn render_actions_200x60_200_actions(bencher: Bencher, view: &str) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_full_assessment(dir.path(), &questionnaire);
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    if let Some(session) = app.session.as_mut() {
        session.actions = two_hundred_actions(&questionnaire);
        session.recompute_actions();
    }
    app.screen = Screen::Actions;
    if view == "roadmap" {
        app.handle_key(key('v'));
    }
    bencher.bench_local(|| {
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

/// Adds 200 entries to each register of "Full" (issue 17), each risk linked to three controls.
fn with_registers(path: &Path, questionnaire: &Questionnaire) {
    use isms_ready::model::registers::{ContextIssue, InterestedParty, Objective, Risk, Side};
    let mut store = Store::open(path).unwrap();
    let id = store.find_assessment("Full").unwrap().unwrap().id;
    let controls: Vec<String> = questionnaire
        .items
        .iter()
        .filter(|i| i.is_control())
        .map(|i| i.reference.clone())
        .collect();
    for n in 0..200u32 {
        let rating = |modulo: u32| (n % modulo) as u8 + 1;
        store
            .add_entry(
                id,
                &ContextIssue {
                    title: format!("Context issue number {n} about the market and the law"),
                    kind: if n % 2 == 0 {
                        Side::External
                    } else {
                        Side::Internal
                    },
                    category: "legal".into(),
                    influence: rating(3),
                    control: rating(3),
                    owner: "COO".into(),
                    ..ContextIssue::default()
                },
            )
            .unwrap();
        store
            .add_entry(
                id,
                &InterestedParty {
                    name: format!("Interested party {n}"),
                    needs: "Availability, privacy and timely notice of incidents".into(),
                    influence: rating(3),
                    control: rating(3),
                    ..InterestedParty::default()
                },
            )
            .unwrap();
        store
            .add_entry(
                id,
                &Risk {
                    title: format!("Risk number {n} to the customer database"),
                    owner: "IT lead".into(),
                    likelihood: rating(5),
                    impact: (n / 5 % 5) as u8 + 1,
                    controls: (0..3)
                        .map(|k| controls[(n as usize * 3 + k) % controls.len()].clone())
                        .collect(),
                    ..Risk::default()
                },
            )
            .unwrap();
        store
            .add_entry(
                id,
                &Objective {
                    objective: format!("Objective number {n}: fewer incidents"),
                    measure: "incidents per quarter".into(),
                    target: "-20 %".into(),
                    due: chrono::NaiveDate::from_ymd_opt(2027, 1 + n % 12, 1 + n % 28),
                    ..Objective::default()
                },
            )
            .unwrap();
    }
}

/// One frame of each register screen at 200x60, with 200 entries in each register.
#[divan::bench(args = ["context", "parties", "risks", "objectives"])]
fn render_register_200x60(bencher: Bencher, register: &str) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_full_assessment(dir.path(), &questionnaire);
    with_registers(&path, &questionnaire);
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    let kind = match register {
        "context" => isms_ready::model::registers::RegisterKind::Context,
        "parties" => isms_ready::model::registers::RegisterKind::Parties,
        "risks" => isms_ready::model::registers::RegisterKind::Risks,
        _ => isms_ready::model::registers::RegisterKind::Objectives,
    };
    app.views.registers.show(kind);
    app.screen = Screen::Registers;
    app.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
    bencher.bench_local(|| {
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}

/// What a register change costs the app after the write: the registers read again and the SoA
/// (its check with 600 risk links) and scores recomputed.
#[divan::bench]
fn soa_with_risk_links_recomputed(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_full_assessment(dir.path(), &questionnaire);
    with_registers(&path, &questionnaire);
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    let id = app.session.as_ref().unwrap().assessment.id;
    bencher.bench_local(|| {
        let registers = app.service.registers(id).unwrap();
        let session = app.session.as_mut().unwrap();
        session.registers = registers;
        session.recompute();
        divan::black_box(&session.soa_findings);
    });
}

// Issue 14: a gap analysis as a series of workshops.
//
// | a history of 100,000 changes opens (read, newest first)     | <= 50 ms        |
// | the app opens an assessment with 100,000 changes, 20 sessions | <= 50 ms      |
// | compare of two 235-item assessments                          | <= 5 ms         |

/// A database file holding "Busy" (2022): every item answered, 100,000 history rows over 20
/// sessions, written through an import (one transaction).
fn file_with_100k_changes(dir: &Path) -> PathBuf {
    use isms_ready::model::document::HistoryRecord;
    use isms_ready::model::session::{Participant, WorkshopSession};
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let path = dir.join("busy.db");
    let mut store = Store::open(&path).unwrap();
    let stub = store
        .create_assessment(&NewAssessment {
            name: "Stub".into(),
            questionnaire_id: questionnaire.id.clone(),
            ..Default::default()
        })
        .unwrap();
    let items = questionnaire.items.len() as u32;
    let sessions: Vec<WorkshopSession> = (1..=20)
        .map(|n| WorkshopSession {
            number: n,
            title: format!("Workshop {n}"),
            date: "2027-01-01".into(),
            facilitator: "Jo".into(),
            participants: vec![Participant {
                name: "Ann".into(),
                role: "CEO".into(),
            }],
            focus: String::new(),
            notes: String::new(),
            started_at: format!("2027-01-{:02}T08:00:00.000Z", n),
            ended_at: Some(format!("2027-01-{:02}T17:00:00.000Z", n)),
            end_readiness: vec![
                ("4-10".into(), 10 * u64::from(n)),
                ("4".into(), 40 * u64::from(n)),
            ],
        })
        .collect();
    let history: Vec<HistoryRecord> = (0..100_000u32)
        .map(|i| {
            let session = i / 5_000 + 1;
            let second = i % 5_000;
            HistoryRecord {
                changed_at: format!(
                    "2027-01-{:02}T{:02}:{:02}:{:02}.000Z",
                    session,
                    9 + second / 3600,
                    second / 60 % 60,
                    second % 60
                ),
                item: Some(i % items + 1),
                step: None,
                field: "level".into(),
                old_value: Some((i % 5).to_string()),
                new_value: Some(((i + 1) % 5).to_string()),
                action: None,
                session: Some(session),
                undoes: None,
                change_id: None,
                uid: None,
            }
        })
        .collect();
    let progress = vec![Default::default(); PlanTemplate::builtin().steps.len()];
    let document = isms_ready::export::json::document(
        &stub,
        &questionnaire,
        &full_answers(&questionnaire),
        &progress,
        None,
    );
    let mut document = document.with_sessions(sessions);
    document.history = Some(history);
    store.import_document(&document, "Busy").unwrap();
    path
}

#[divan::bench]
fn history_100k_changes_open(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_100k_changes(dir.path());
    let store = Store::open(&path).unwrap();
    let assessment = store.find_assessment("Busy").unwrap().unwrap();
    bencher.bench_local(|| {
        // What the History screen reads when it opens: the newest page and the count.
        divan::black_box(
            store
                .history_page(assessment.id, None, None, None, 500)
                .unwrap(),
        );
    });
}

#[divan::bench]
fn history_100k_changes_read_all(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_100k_changes(dir.path());
    let store = Store::open(&path).unwrap();
    let assessment = store.find_assessment("Busy").unwrap().unwrap();
    bencher.bench_local(|| {
        // What `isms-ready history` reads before printing: every change, newest first.
        divan::black_box(
            isms_ready::service::workshop::history(&store, &assessment, None, None).unwrap(),
        );
    });
}

#[divan::bench]
fn start_to_first_frame_100k_changes_20_sessions(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_100k_changes(dir.path());
    bencher.bench_local(|| {
        let mut terminal = terminal();
        divan::black_box(start(&path, Catalog::builtin(), "Busy", &mut terminal));
    });
}

#[divan::bench]
fn compare_two_235_item_assessments(bencher: Bencher) {
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let then = full_answers(&questionnaire);
    let mut now = then.clone();
    for item in questionnaire.items.iter().step_by(3) {
        now.get_mut(item.number).level = Level::from_u8(((item.number + 2) % 5) as u8);
    }
    let assessment = isms_ready::model::Assessment {
        id: 1,
        name: "Acme".into(),
        questionnaire_id: questionnaire.id.clone(),
        scope: String::new(),
        assessor: String::new(),
        firm: String::new(),
        created_at: "2027-01-01T00:00:00.000Z".into(),
    };
    bencher.bench_local(|| {
        divan::black_box(isms_ready::score::compare(
            &assessment,
            &questionnaire,
            &then,
            &now,
        ));
    });
}

/// A 2022 assessment and ten copies of it (issue 18), each a JSON document with 1,000 changes of
/// its own: a group's slice of items (levels and notes, each changed several times over) and,
/// from the second copy on, a note of item 1 that another copy also changed (a conflict).
fn ten_copies(dir: &Path) -> (PathBuf, Vec<String>) {
    use isms_ready::export::json::HistoryRecord;
    let path = dir.join("merge.db");
    let mut store = Store::open(&path).unwrap();
    let assessment = store
        .create_assessment(&NewAssessment {
            name: "Acme".into(),
            questionnaire_id: "iso27001-2022".into(),
            ..Default::default()
        })
        .unwrap();
    let catalog = Catalog::builtin();
    let base = isms_ready::service::export::render(
        &store,
        &catalog,
        &assessment,
        ExportFormat::Json,
        true,
    )
    .unwrap();
    let base: isms_ready::model::document::AssessmentDocument =
        serde_json::from_slice(&base).unwrap();
    let copies = (0..10u32)
        .map(|copy| {
            let mut document = base.clone();
            let mut values: std::collections::HashMap<(u32, &str), String> = Default::default();
            let history = (0..1_000u32)
                .map(|i| {
                    let (item, field) = if copy > 0 && i == 999 {
                        (1, "note")
                    } else {
                        (
                            copy * 23 + (i % 23) + 2,
                            if i % 2 == 0 { "level" } else { "note" },
                        )
                    };
                    let new = if field == "level" {
                        ((i / 23) % 5).to_string()
                    } else {
                        format!("group {copy} note {i}")
                    };
                    let old = values.insert((item, field), new.clone());
                    HistoryRecord {
                        changed_at: format!(
                            "2027-02-{:02}T10:{:02}:{:02}.000Z",
                            copy + 1,
                            i / 60 % 60,
                            i % 60
                        ),
                        item: Some(item),
                        step: None,
                        field: field.into(),
                        session: None,
                        undoes: None,
                        old_value: old,
                        new_value: Some(new),
                        action: None,
                        change_id: Some(format!("copy{copy}:{i}")),
                        uid: None,
                    }
                })
                .collect();
            document.history = Some(history);
            document.to_json()
        })
        .collect();
    (path, copies)
}

#[divan::bench(sample_count = 20)]
fn merge_10_copies_1000_changes_each(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let (path, copies) = ten_copies(dir.path());
    let mut run = 0;
    bencher
        .with_inputs(|| {
            // Each run merges into a fresh copy of the database.
            run += 1;
            let fresh = dir.path().join(format!("run{run}.db"));
            std::fs::copy(&path, &fresh).unwrap();
            let context = isms_ready::service::Context::open(Some(fresh)).unwrap();
            let assessment = context.store.find_assessment("Acme").unwrap().unwrap();
            (context, assessment)
        })
        .bench_local_values(|(mut context, assessment)| {
            // What `merge` does for each file: parse it, plan, write in one transaction.
            for (index, text) in copies.iter().enumerate() {
                let document = isms_ready::model::document::AssessmentDocument::parse(
                    "copy.json",
                    text,
                    &context.catalog,
                    PlanTemplate::builtin(),
                )
                .unwrap();
                let source = format!("copy{index}.json");
                divan::black_box(
                    isms_ready::service::merge::merge(
                        &mut context,
                        &assessment,
                        &document,
                        &source,
                        false,
                        None,
                    )
                    .unwrap(),
                );
            }
            context
        });
}

// Issue 27: a consultant's whole practice in one file. A command about one client must cost what
// it costs in a file holding that client alone.
//
// | `answer`, `summary`, `verdict`, `export` of one of 50 clients (4,600 changes each) | <= 1.2x one client |
// | the app's first frame on one of 50 clients                                         | <= 1.2x one client |
// | `list` of 50 clients                                                              | <= 25 ms           |
// | `answer` and `undo` on an assessment with 100,000 changes                         | <= 10 ms           |

/// The client every practice bench works on, and how many changes each client has.
const CLIENT: &str = "Client 25";
const CHANGES_PER_CLIENT: u32 = 4_600;

/// One client's JSON document: the 2022 questionnaire answered in full, 20 actions, 10 workshop
/// sessions and `CHANGES_PER_CLIENT` changes spread over them.
fn client_document(
    store: &Store,
    questionnaire: &Questionnaire,
    stub: &isms_ready::model::Assessment,
    client: u32,
) -> isms_ready::model::document::AssessmentDocument {
    use isms_ready::model::document::HistoryRecord;
    use isms_ready::model::session::{Participant, WorkshopSession};
    let _ = store;
    let items = questionnaire.items.len() as u32;
    let sessions: Vec<WorkshopSession> = (1..=10)
        .map(|n| WorkshopSession {
            number: n,
            title: format!("Workshop {n}"),
            date: format!("2027-02-{n:02}"),
            facilitator: "Jo".into(),
            participants: vec![Participant {
                name: "Ann".into(),
                role: "CEO".into(),
            }],
            focus: String::new(),
            notes: String::new(),
            started_at: format!("2027-02-{n:02}T08:00:00.000Z"),
            ended_at: Some(format!("2027-02-{n:02}T17:00:00.000Z")),
            end_readiness: vec![("4-10".into(), 40 * u64::from(n))],
        })
        .collect();
    let per_session = CHANGES_PER_CLIENT / 10;
    let history: Vec<HistoryRecord> = (0..CHANGES_PER_CLIENT)
        .map(|i| {
            let session = i / per_session + 1;
            let second = i % per_session;
            let note = i % 3 == 0;
            HistoryRecord {
                changed_at: format!(
                    "2027-02-{session:02}T{:02}:{:02}:{:02}.000Z",
                    9 + second / 3600,
                    second / 60 % 60,
                    second % 60
                ),
                item: Some((i + client) % items + 1),
                step: None,
                field: if note { "note" } else { "level" }.into(),
                old_value: Some((i % 5).to_string()),
                new_value: Some(if note {
                    format!("Client {client}: what the room said about it, take {i}.")
                } else {
                    ((i + 1) % 5).to_string()
                }),
                action: None,
                session: Some(session),
                undoes: None,
                change_id: None,
                uid: None,
            }
        })
        .collect();
    let progress = vec![Default::default(); PlanTemplate::builtin().steps.len()];
    let mut document = isms_ready::export::json::document(
        stub,
        questionnaire,
        &full_answers(questionnaire),
        &progress,
        None,
    )
    .with_sessions(sessions);
    document.actions = two_hundred_actions(questionnaire)
        .into_iter()
        .take(20)
        .collect();
    document.history = Some(history);
    document
}

/// A database file with `clients` clients ("Client 0", ...), `CLIENT` among them, each imported
/// from its document in one transaction (a few seconds for 50, instead of 230,000 commands).
fn practice_file(dir: &Path, clients: u32) -> PathBuf {
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let path = dir.join(format!("practice{clients}.db"));
    let mut store = Store::open(&path).unwrap();
    let stub = store
        .create_assessment(&NewAssessment {
            name: "Stub".into(),
            questionnaire_id: questionnaire.id.clone(),
            ..Default::default()
        })
        .unwrap();
    let numbers: Vec<u32> = if clients == 1 {
        vec![25]
    } else {
        (0..clients).collect()
    };
    for client in numbers {
        let document = client_document(&store, &questionnaire, &stub, client);
        store
            .import_document(&document, &format!("Client {client}"))
            .unwrap();
    }
    store.delete_assessment(stub.id).unwrap();
    path
}

struct Practice {
    dir: tempfile::TempDir,
    one: PathBuf,
    fifty: PathBuf,
}

/// The one-client and the 50-client files, made once per bench run.
fn practice() -> &'static Practice {
    static PRACTICE: OnceLock<Practice> = OnceLock::new();
    PRACTICE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let one = practice_file(dir.path(), 1);
        let fifty = practice_file(dir.path(), 50);
        Practice { dir, one, fifty }
    })
}

/// The real binary on `db`, as a user runs it, its output thrown away; it must succeed.
fn cli(db: &Path, home: &Path, args: &[&str]) {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_isms-ready"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("ISMS_READY_EXPORT_DIR", home.join("exports"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .status()
        .unwrap();
    assert!(status.success(), "isms-ready {args:?} failed");
}

/// One command about `CLIENT`, run as the real binary, on the file with 1 or with 50 clients.
#[divan::bench(consts = [1, 50], args = ["answer", "summary", "verdict", "export", "list"])]
fn practice_command<const CLIENTS: u32>(bencher: Bencher, command: &str) {
    let practice = practice();
    let db = if CLIENTS == 1 {
        &practice.one
    } else {
        &practice.fifty
    };
    let home = practice.dir.path();
    let mut level = 0u32;
    bencher.bench_local(|| match command {
        "answer" => {
            // A different level each time, so that every run writes (and commits) a change.
            level = (level + 1) % 5;
            let level = level.to_string();
            cli(
                db,
                home,
                &["answer", "-a", CLIENT, "--item", "7", "--level", &level],
            );
        }
        "summary" => cli(db, home, &["summary", "-a", CLIENT, "--json"]),
        "verdict" => cli(db, home, &["verdict", "-a", CLIENT, "--json"]),
        "export" => cli(
            db,
            home,
            &["export", "-a", CLIENT, "--format", "html", "-o", "-"],
        ),
        _ => cli(db, home, &["list"]),
    });
}

/// The app's first frame on `CLIENT` (`isms-ready -a "Client 25"`: the picker's figures are
/// not read), in the file with 1 or with 50 clients.
#[divan::bench(consts = [1, 50])]
fn practice_start_to_first_frame<const CLIENTS: u32>(bencher: Bencher) {
    let practice = practice();
    let db = if CLIENTS == 1 {
        &practice.one
    } else {
        &practice.fifty
    };
    bencher.bench_local(|| {
        let mut terminal = terminal();
        let store = Store::open(db).unwrap();
        let mut app = App::without_picker_figures(isms_ready::service::Context::with(
            store,
            Catalog::builtin(),
        ))
        .unwrap();
        app.theme = Theme::COLOR;
        let assessment = app.service.find_assessment(CLIENT).unwrap().unwrap();
        app.open_assessment(assessment);
        terminal.draw(|frame| render(frame, &app)).unwrap();
        divan::black_box(app);
    });
}

/// The app's first frame on the picker (`isms-ready`): every client's figures, like `list`.
#[divan::bench(consts = [1, 50])]
fn practice_start_to_picker<const CLIENTS: u32>(bencher: Bencher) {
    let practice = practice();
    let db = if CLIENTS == 1 {
        &practice.one
    } else {
        &practice.fifty
    };
    bencher.bench_local(|| {
        let mut terminal = terminal();
        let store = Store::open(db).unwrap();
        let mut app = App::new(isms_ready::service::Context::with(
            store,
            Catalog::builtin(),
        ))
        .unwrap();
        app.theme = Theme::COLOR;
        terminal.draw(|frame| render(frame, &app)).unwrap();
        divan::black_box(app);
    });
}

struct Busy {
    dir: tempfile::TempDir,
    path: PathBuf,
}

/// The file with "Busy" and its 100,000 changes, made once per bench run.
fn busy() -> &'static Busy {
    static BUSY: OnceLock<Busy> = OnceLock::new();
    BUSY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = file_with_100k_changes(dir.path());
        Busy { dir, path }
    })
}

/// A command on the assessment with 100,000 changes, run as the real binary. `answer` and `undo`
/// write (each adds a change); `history` and `compare` read everything.
#[divan::bench(args = ["answer", "undo", "history", "compare"])]
fn busy_command_100k_changes(bencher: Bencher, command: &str) {
    let busy = busy();
    let home = busy.dir.path();
    let mut level = 0u32;
    bencher.bench_local(|| match command {
        "answer" => {
            level = (level + 1) % 5;
            let level = level.to_string();
            cli(
                &busy.path,
                home,
                &["answer", "-a", "Busy", "--item", "7", "--level", &level],
            );
        }
        "undo" => cli(&busy.path, home, &["undo", "-a", "Busy"]),
        "history" => cli(&busy.path, home, &["history", "-a", "Busy", "--json"]),
        _ => cli(
            &busy.path,
            home,
            &["compare", "-a", "Busy", "--since", "10", "--json"],
        ),
    });
}

/// `merge` of a copy with 1,000 changes of its own into the assessment with 100,000 changes.
#[divan::bench(sample_count = 20)]
fn merge_1000_changes_into_100k(bencher: Bencher) {
    let busy = busy();
    let dir = tempfile::tempdir().unwrap();
    let copy = {
        let store = Store::open(&busy.path).unwrap();
        let catalog = Catalog::builtin();
        let assessment = store.find_assessment("Busy").unwrap().unwrap();
        let bytes = isms_ready::service::export::render(
            &store,
            &catalog,
            &assessment,
            ExportFormat::Json,
            true,
        )
        .unwrap();
        let mut document: isms_ready::model::document::AssessmentDocument =
            serde_json::from_slice(&bytes).unwrap();
        let history = document.history.as_mut().unwrap();
        for i in 0..1_000u32 {
            history.push(isms_ready::model::document::HistoryRecord {
                changed_at: format!("2027-03-01T10:{:02}:{:02}.000Z", i / 60 % 60, i % 60),
                item: Some(i % 50 + 1),
                step: None,
                field: "note".into(),
                session: None,
                undoes: None,
                old_value: None,
                new_value: Some(format!("copy note {i}")),
                action: None,
                change_id: Some(format!("copy:{i}")),
                uid: None,
            });
        }
        document.to_json()
    };
    let mut run = 0;
    bencher
        .with_inputs(|| {
            run += 1;
            let fresh = dir.path().join(format!("run{run}.db"));
            std::fs::copy(&busy.path, &fresh).unwrap();
            let context = isms_ready::service::Context::open(Some(fresh)).unwrap();
            let assessment = context.store.find_assessment("Busy").unwrap().unwrap();
            (context, assessment)
        })
        .bench_local_values(|(mut context, assessment)| {
            let document = isms_ready::model::document::AssessmentDocument::parse(
                "copy.json",
                &copy,
                &context.catalog,
                PlanTemplate::builtin(),
            )
            .unwrap();
            divan::black_box(
                isms_ready::service::merge::merge(
                    &mut context,
                    &assessment,
                    &document,
                    "copy.json",
                    false,
                    None,
                )
                .unwrap(),
            );
            context
        });
}

// Issue 30: audits, findings and nonconformities. A full 2013 assessment ("Full") with 12 done
// internal audits (one per clause 4-10 and Annex A domain group), 240 findings spread over the items
// (one in five major or minor, each opening its nonconformity through the service, as the CLI and
// the app record them) and 200 actions.
fn file_with_audit_records(dir: &Path, questionnaire: &Questionnaire) -> PathBuf {
    use isms_ready::model::audit::{Audit, AuditStatus, AuditType, Finding, FindingType};
    let path = file_with_full_assessment(dir, questionnaire);
    let mut store = Store::open(&path).unwrap();
    let id = store.find_assessment("Full").unwrap().unwrap().id;
    let scopes = [
        "4", "5", "6", "7", "8", "9", "10", "A.5", "A.6", "A.7", "A.8", "A.9",
    ];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    for scope in scopes {
        let audit = Audit {
            title: format!("Internal audit of {scope}"),
            kind: AuditType::Internal,
            date: Some(day),
            auditors: "Kim Roe (independent)".into(),
            scope: vec![scope.into()],
            status: AuditStatus::Done,
            ..Audit::default()
        };
        isms_ready::service::registers::add(&mut store, questionnaire, id, &audit).unwrap();
    }
    let kinds = [
        FindingType::Major,
        FindingType::Minor,
        FindingType::Observation,
        FindingType::Improvement,
        FindingType::Conformity,
        FindingType::Conformity,
        FindingType::Conformity,
        FindingType::Observation,
        FindingType::Conformity,
        FindingType::Conformity,
    ];
    for n in 0..240usize {
        let item = &questionnaire.items[(n * 7) % questionnaire.items.len()];
        let finding = Finding {
            audit: format!("AUD-{}", n % scopes.len() + 1),
            items: vec![item.reference.clone()],
            kind: kinds[n % kinds.len()],
            statement: format!("Finding {n}: what was seen on {}", item.reference),
            evidence: "Records sampled: 5 of 40".into(),
            ..Finding::default()
        };
        isms_ready::service::registers::add(&mut store, questionnaire, id, &finding).unwrap();
    }
    path
}

/// The verdict with the audit records (12 audits, 240 findings, 48 nonconformities, 200 actions),
/// as the app recomputes it after each change (budget: a few ms).
#[divan::bench]
fn verdict_with_audit_records(bencher: Bencher) {
    use isms_ready::model::verdict;
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_audit_records(dir.path(), &questionnaire);
    let store = Store::open(&path).unwrap();
    let id = store.find_assessment("Full").unwrap().unwrap().id;
    let registers = store.registers(id).unwrap();
    let answers = full_answers(&questionnaire);
    let actions = two_hundred_actions(&questionnaire);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    bencher.bench_local(|| {
        divan::black_box(verdict::verdict_with(
            &questionnaire,
            &answers,
            &actions,
            &Default::default(),
            &registers,
            today,
        ));
    });
}

/// One audit's report (20 findings) from the database to the bytes (budget: 50 ms, as the
/// readiness report's exports).
#[divan::bench(args = ["html", "md", "docx"])]
fn export_audit_report_20_findings(bencher: Bencher, format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_audit_records(dir.path(), &questionnaire);
    let store = Store::open(&path).unwrap();
    let catalog = Catalog::builtin();
    let assessment = store.find_assessment("Full").unwrap().unwrap();
    let format = match format {
        "html" => ExportFormat::Html,
        "md" => ExportFormat::Md,
        _ => ExportFormat::Docx,
    };
    bencher.bench_local(|| {
        divan::black_box(
            isms_ready::service::export::render_audit(
                &store,
                &catalog,
                &assessment,
                "AUD-1",
                format,
            )
            .unwrap(),
        );
    });
}

/// One frame of audit mode on AUD-1 (clause 4 and its 20 findings), at 200x60 (budget: 16 ms,
/// a frame).
#[divan::bench]
fn render_audit_mode_200x60(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = iso2013();
    let path = file_with_audit_records(dir.path(), &questionnaire);
    let mut terminal = terminal();
    let mut app = start(&path, Catalog::builtin(), "Full", &mut terminal);
    while app.screen != Screen::Registers {
        app.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    while app.views.registers.kind() != isms_ready::model::registers::RegisterKind::Audits {
        app.handle_key(key(']'));
    }
    app.handle_key(key('a'));
    assert_eq!(app.screen, Screen::Audit);
    bencher.bench_local(|| {
        terminal.draw(|frame| render(frame, &app)).unwrap();
    });
}
