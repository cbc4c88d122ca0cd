//! The screens as a user sees them: rendered into a test terminal after real key presses.

mod common;
mod screen_kit;

use isms_ready::model::Catalog;
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::{App, Screen};
use screen_kit::{app_on, draw, press};

fn empty_app() -> App {
    app_on(Store::open_in_memory().unwrap())
}

/// An app with one assessment "Acme Ltd", opened at item 1.
fn acme() -> App {
    let mut store = Store::open_in_memory().unwrap();
    store
        .create_assessment(&NewAssessment {
            name: "Acme Ltd".into(),
            questionnaire_id: "iso27001-2013".into(),
            scope: "Head office and cloud platform".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap();
    let mut app = app_on(store);
    press(&mut app, "<Enter>");
    app
}

#[test]
fn picker_without_assessments_invites_to_create_one() {
    screen_kit::at_test_time();
    snapshot!("picker_empty_80x24", draw(&empty_app(), 80, 24));
}

#[test]
fn creating_an_assessment_from_the_picker_opens_it() {
    screen_kit::at_test_time();
    let mut app = empty_app();
    press(&mut app, "n");
    press(&mut app, "Acme Ltd<Tab>Head office<Tab>J. Doe");
    snapshot!("new_assessment_form_80x24", draw(&app, 80, 24));
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    let session = app.session.as_ref().unwrap();
    assert_eq!(session.assessment.name, "Acme Ltd");
    assert_eq!(session.assessment.scope, "Head office");
    assert_eq!(session.assessment.assessor, "J. Doe");
    // Back in the picker, it is listed.
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Picker);
    snapshot!("picker_one_assessment_80x24", draw(&app, 80, 24));
}

#[test]
fn questionnaire_screen_shows_the_item_its_level_and_note() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "3j2e");
    press(
        &mut app,
        "Scope statement signed by the CEO.<Enter>Review due in March.<C-s>",
    );
    snapshot!("questionnaire_80x24", draw(&app, 80, 24));
    snapshot!("questionnaire_120x40", draw(&app, 120, 40));
    let answers = &app.session.as_ref().unwrap().answers;
    assert_eq!(answers.get(1).level.map(|l| l.value()), Some(3));
    assert_eq!(answers.get(2).level.map(|l| l.value()), Some(2));
    assert_eq!(
        answers.get(2).note,
        "Scope statement signed by the CEO.\nReview due in March."
    );
}

#[test]
fn the_note_editor_takes_every_printable_key_as_text() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "e");
    press(&mut app, "q 0-4 ? j k / u Tab");
    snapshot!("note_editor_80x24", draw(&app, 80, 24));
    press(&mut app, "<Esc>");
    let session = app.session.as_ref().unwrap();
    assert_eq!(session.answers.get(1).note, "q 0-4 ? j k / u Tab");
    assert_eq!(
        session.answers.get(1).level,
        None,
        "digits typed in the note set no level"
    );
    assert!(!app.should_quit);
}

#[test]
fn u_jumps_to_the_next_unanswered_item_and_search_finds_text() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "1j1j1j1");
    assert_eq!(app.selected_item().unwrap().number, 4);
    press(&mut app, "g");
    press(&mut app, "u");
    assert_eq!(app.selected_item().unwrap().number, 5);
    press(&mut app, "/Internal Audit<Enter>");
    let questionnaire = Catalog::builtin().get("iso27001-2013").unwrap();
    let mentions = |number: u32| {
        let item = questionnaire.item(number).unwrap();
        [&item.reference, &item.title, &item.question, &item.guidance]
            .iter()
            .any(|text| text.to_lowercase().contains("internal audit"))
    };
    let first = (5..=252).find(|&n| mentions(n)).unwrap();
    assert_eq!(
        app.selected_item().unwrap().number,
        first,
        "search is case-blind and goes forward"
    );
    press(&mut app, "n");
    let second = (first + 1..=252).find(|&n| mentions(n)).unwrap();
    assert_eq!(app.selected_item().unwrap().number, second);
    press(&mut app, "N");
    assert_eq!(app.selected_item().unwrap().number, first);
    press(&mut app, "/138<Enter>");
    assert_eq!(app.selected_item().unwrap().number, 138);
    press(&mut app, "<PgDn>");
    assert_eq!(
        app.selected_item().unwrap().number,
        139,
        "PgDn goes to the next group"
    );
}

#[test]
fn a_clause_item_cannot_be_marked_not_applicable() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "x");
    let status = app.status.as_ref().unwrap();
    assert!(
        status.text.contains("cannot be excluded"),
        "{}",
        status.text
    );
    assert_eq!(
        app.session.as_ref().unwrap().answers.get(1).applicable,
        None
    );
}

#[test]
fn help_lists_every_key_from_the_keymap() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "?");
    snapshot!("help_100x60", draw(&app, 100, 60));
    let screen = draw(&app, 100, 300);
    for binding in isms_ready::tui::keymap::KEYMAP {
        assert!(
            screen.contains(binding.label),
            "help lacks {}",
            binding.label
        );
    }
    press(&mut app, "<Esc>");
    assert!(app.popup.is_none());
}

#[test]
fn quit_and_ctrl_c_end_the_app_and_ctrl_c_saves_an_open_note() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "q");
    assert!(app.should_quit);
    let mut app = acme();
    press(&mut app, "eUnsaved words<C-c>");
    assert!(app.should_quit);
    assert_eq!(
        app.session.as_ref().unwrap().answers.get(1).note,
        "Unsaved words"
    );
}

fn answer_sample(app: &mut App) {
    // Clause 4 in full, clause 5 partly, a note, then back to the top.
    press(app, "4j4j3j3j2j2j1j1j0j");
    press(app, "4j4j4j4e");
    press(app, "Board minutes of 3 May.<Esc>");
    press(app, "g");
}

#[test]
fn dashboard_snapshots_empty_partial_and_complete() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "<Tab>");
    assert_eq!(app.screen, Screen::Dashboard);
    snapshot!("dashboard_empty_80x24", draw(&app, 80, 24));
    snapshot!("dashboard_empty_160x48", draw(&app, 160, 48));

    press(&mut app, "<BackTab>");
    answer_sample(&mut app);
    press(&mut app, "<Tab>");
    snapshot!("dashboard_partial_80x24", draw(&app, 80, 24));
    snapshot!("dashboard_partial_160x48", draw(&app, 160, 48));

    press(&mut app, "<Tab>");
    for _ in 0..138 {
        press(&mut app, "4j");
    }
    press(&mut app, "<Tab>");
    snapshot!("dashboard_complete_80x24", draw(&app, 80, 24));
    snapshot!("dashboard_complete_160x48", draw(&app, 160, 48));
}

#[test]
fn enter_on_a_gap_opens_that_item_in_the_questionnaire() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "4j0j4j1j2");
    press(&mut app, "<Tab>jj<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    // Items 1-5 are at 4, 0, 4, 1, 2; the largest gaps are answered items only (2 at 0, 4 at 1,
    // 5 at 2; the unanswered 6, 7... are not yet discussed, not gaps): the third is 5.
    assert_eq!(app.selected_item().unwrap().number, 5);
}

#[test]
fn dashboard_figures_are_those_of_summary_json() {
    screen_kit::at_test_time();
    let sandbox = common::Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme Ltd", "--standard", "iso27001-2013"]);
    {
        let mut app = app_on(Store::open(&sandbox.db()).unwrap());
        press(&mut app, "<Enter>");
        answer_sample(&mut app);
        press(&mut app, "<PgDn><PgDn>3j3j3j3j<PgDn>2j2j2j2j2j2j2jq");
    }
    let summary = sandbox.json(&["summary", "--json"]);
    let mut app = app_on(Store::open(&sandbox.db()).unwrap());
    press(&mut app, "<Enter><Tab>");
    let screen = draw(&app, 160, 48);
    for clause in summary["clauses"].as_array().unwrap() {
        let row = screen
            .lines()
            .find(|line| {
                line.contains(clause["title"].as_str().unwrap())
                    && !line.contains('%')
                    && line.contains("/")
            })
            .unwrap_or_else(|| panic!("no row for clause {}", clause["clause"]));
        for key in ["readiness", "gap", "coverage"] {
            let shown = format!("{:.1}", clause[key].as_f64().unwrap());
            assert!(
                row.contains(&shown),
                "clause {} {key} {shown} missing in: {row}",
                clause["clause"]
            );
        }
        assert!(
            row.contains(&format!(" {} ", clause["pdca_reached"].as_str().unwrap())),
            "{row}"
        );
    }
    let overall = format!("{:.1} %", summary["overall"]["readiness"].as_f64().unwrap());
    assert!(screen.contains(&overall), "overall {overall} missing");
}

#[test]
fn every_screen_renders_at_every_small_size_without_panicking() {
    screen_kit::at_test_time();
    let mut states: Vec<App> = vec![empty_app()];
    let mut app = acme();
    answer_sample(&mut app);
    states.push(app);
    let mut dashboard = acme();
    press(&mut dashboard, "<Tab>");
    states.push(dashboard);
    for keys in [
        "?",
        "e",
        "/",
        "<Esc><Esc>n",
        "<Tab><Tab>",
        "<Tab><Tab>a",
        "<Tab><Tab><Tab>",
        "<Tab><Tab><Tab>t",
        "<Tab><Tab><Tab>o",
    ] {
        let mut app = acme();
        press(&mut app, keys);
        states.push(app);
    }
    for app in &states {
        for width in (1..=90).step_by(7) {
            for height in (1..=30).step_by(3) {
                draw(app, width, height);
            }
        }
    }
    let tiny = draw(&states[1], 40, 10);
    assert!(tiny.contains("Terminal too small"), "{tiny}");
}

fn on_screen(app: &mut App, screen: Screen) {
    while app.screen != screen {
        press(app, "<Tab>");
    }
}

#[test]
fn soa_screen_decides_filters_and_flags() {
    screen_kit::at_test_time();
    let mut app = acme();
    app.today = chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
    on_screen(&mut app, Screen::Soa);
    snapshot!("soa_empty_100x30", draw(&app, 100, 30));
    // Include A.5.1.1 for risk treatment and legal reasons, at level 3 without evidence yet.
    press(&mut app, "a");
    snapshot!("soa_decision_form_100x30", draw(&app, 100, 30));
    press(
        &mut app,
        "<Tab> <Right> <Tab>Required by R-3 and the privacy law<Enter>",
    );
    press(&mut app, "3");
    // Exclude A.5.1.2 with a justification.
    press(&mut app, "ja <Tab><Tab>One policy, reviewed with it<Enter>");
    let session = app.session.as_ref().unwrap();
    let first = session.answers.get(139);
    assert_eq!(first.applicable, Some(true));
    assert_eq!(
        first.reasons,
        [
            isms_ready::model::ReasonCode::RiskTreatment,
            isms_ready::model::ReasonCode::LegalRegulatory
        ]
    );
    assert_eq!(first.justification, "Required by R-3 and the privacy law");
    assert_eq!(first.level.map(|l| l.value()), Some(3));
    let second = session.answers.get(140);
    assert_eq!(second.applicable, Some(false));
    assert_eq!(second.justification, "One policy, reviewed with it");
    press(&mut app, "k");
    snapshot!("soa_decided_100x30", draw(&app, 100, 30));
    // An exclusion without a justification is refused and the form stays open.
    press(&mut app, "jja <Tab><Tab><Enter>");
    assert!(app.popup.is_some());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("needs a written justification")
    );
    // Esc on a changed form asks before dropping it; d discards.
    press(&mut app, "<Esc>");
    assert!(matches!(
        app.popup,
        Some(isms_ready::tui::app::Popup::Unsaved(_))
    ));
    press(&mut app, "d");
    assert!(app.popup.is_none());
    assert_eq!(
        app.session.as_ref().unwrap().answers.get(141).applicable,
        None
    );
    // Filters.
    press(&mut app, "f");
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 1);
    press(&mut app, "f");
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 1);
    press(&mut app, "f");
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 112);
    snapshot!("soa_filter_undecided_80x24", draw(&app, 80, 24));
}

#[test]
fn x_on_a_control_in_the_questionnaire_opens_its_decision() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "G");
    press(&mut app, "x");
    assert!(matches!(
        app.popup,
        Some(isms_ready::tui::app::Popup::Decision(_))
    ));
}

fn plan_app() -> App {
    let mut app = acme();
    app.today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    on_screen(&mut app, Screen::Plan);
    // Step 1 done, step 2 started with an owner and a due date already past.
    press(&mut app, "s2026-01-05<Enter>d2026-01-20<Enter>  ");
    press(
        &mut app,
        "js2026-01-21<Enter>d2026-03-01<Enter>oCISO<Enter> ",
    );
    press(&mut app, "jbWaiting for the board<Enter>");
    app
}

#[test]
fn plan_screen_cycles_status_edits_fields_and_marks_overdue_steps() {
    screen_kit::at_test_time();
    let app = plan_app();
    let progress = &app.session.as_ref().unwrap().plan_progress;
    use isms_ready::model::plan::StepStatus;
    assert_eq!(progress[0].status, StepStatus::Done);
    assert_eq!(progress[1].status, StepStatus::InProgress);
    assert_eq!(progress[1].owner, "CISO");
    assert!(progress[1].is_overdue(app.today));
    assert_eq!(progress[2].status, StepStatus::Blocked);
    assert_eq!(progress[2].reason, "Waiting for the board");
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("OVERDUE"), "{screen}");
    snapshot!("plan_list_100x30", screen);
    snapshot!("plan_list_80x24", draw(&app, 80, 24));
}

#[test]
fn plan_timeline_shows_the_steps_against_the_horizon() {
    screen_kit::at_test_time();
    let mut app = plan_app();
    press(&mut app, "t");
    snapshot!("plan_timeline_100x30", draw(&app, 100, 30));
    snapshot!("plan_timeline_160x48", draw(&app, 160, 48));
}

#[test]
fn a_bad_date_is_refused_and_the_prompt_stays_open() {
    screen_kit::at_test_time();
    let mut app = acme();
    on_screen(&mut app, Screen::Plan);
    press(&mut app, "d31/03/2027<Enter>");
    assert!(app.popup.is_some());
    assert!(app.status.as_ref().unwrap().text.contains("YYYY-MM-DD"));
    press(&mut app, "<Esc>");
    assert_eq!(app.session.as_ref().unwrap().plan_progress[0].due, None);
}

#[test]
fn dashboard_shows_plan_progress_and_soa_decisions() {
    screen_kit::at_test_time();
    let mut app = plan_app();
    on_screen(&mut app, Screen::Dashboard);
    let screen = draw(&app, 100, 30);
    assert!(
        screen.contains("1 of 26 steps done (3.8 %) · 1 OVERDUE"),
        "{screen}"
    );
    assert!(
        screen.contains("0 included · 0 excluded · 114 not decided"),
        "{screen}"
    );
    // Tall enough: Annex A per domain.
    let tall = draw(&app, 120, 50);
    assert!(
        tall.contains("A.9") && tall.contains("Access control"),
        "{tall}"
    );
}

#[test]
fn resizing_while_editing_a_note_keeps_every_word() {
    screen_kit::at_test_time();
    let mut app = acme();
    press(&mut app, "eFirst line<Enter>second line");
    for (width, height) in [(80, 24), (30, 8), (1, 1), (200, 60), (60, 16)] {
        let screen = draw(&app, width, height);
        if width >= 60 && height >= 16 {
            assert!(
                screen.contains("second line"),
                "{width}x{height}:\n{screen}"
            );
        }
    }
    press(&mut app, "<Esc>");
    assert_eq!(
        app.session.as_ref().unwrap().answers.get(1).note,
        "First line\nsecond line"
    );
}
