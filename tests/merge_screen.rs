//! The Merge screen (issue 18): conflicts side by side, decided with Left/Right and Enter; the
//! questionnaire marks an item with a conflict waiting.

mod common;
mod screen_kit;

use common::level;
use isms_ready::export::ExportFormat;
use isms_ready::model::document::AssessmentDocument;
use isms_ready::model::plan::PlanTemplate;
use isms_ready::model::{Catalog, Change, Level};
use isms_ready::service::Context;
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::{App, Screen};
use screen_kit::{app_on, draw, press, status};

fn document_of(store: &Store, name: &str) -> AssessmentDocument {
    let catalog = Catalog::builtin();
    let assessment = store.find_assessment(name).unwrap().unwrap();
    let bytes =
        isms_ready::service::export::render(store, &catalog, &assessment, ExportFormat::Json, true)
            .unwrap();
    AssessmentDocument::parse(
        "copy.json",
        std::str::from_utf8(&bytes).unwrap(),
        &catalog,
        PlanTemplate::builtin(),
    )
    .unwrap()
}

/// "Acme Ltd" with two conflicts on item 1 (level and note) and one on item 3's note, merged
/// from a second copy; item 5 came in without conflict.
fn with_conflicts() -> App {
    let mut mine = Store::open_in_memory().unwrap();
    let a = mine
        .create_assessment(&NewAssessment {
            name: "Acme Ltd".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "Head office".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap();
    mine.apply_changes(a.id, 1, &[level(1), Change::Note("base".into())])
        .unwrap();
    let mut theirs = Store::open_in_memory().unwrap();
    let b = theirs
        .import_document(&document_of(&mine, "Acme Ltd"), "Acme Ltd")
        .unwrap();
    mine.apply_changes(
        a.id,
        1,
        &[level(2), Change::Note("Policy signed by the CEO".into())],
    )
    .unwrap();
    mine.apply_changes(a.id, 3, &[Change::Note("Legal keeps the list".into())])
        .unwrap();
    theirs
        .apply_changes(
            b.id,
            1,
            &[
                level(3),
                Change::Note("Policy drafted\nreview in March".into()),
            ],
        )
        .unwrap();
    theirs
        .apply_changes(b.id, 3, &[Change::Note("Compliance keeps the list".into())])
        .unwrap();
    theirs.apply_changes(b.id, 5, &[level(4)]).unwrap();
    let document = document_of(&theirs, "Acme Ltd");
    let mut context = Context {
        store: mine,
        catalog: Catalog::builtin(),
        warnings: Vec::new(),
    };
    let outcome =
        isms_ready::service::merge::merge(&mut context, &a, &document, "group2.json", false, None)
            .unwrap();
    assert_eq!(outcome.conflicts.len(), 3);
    let mut app = app_on(context.store);
    press(&mut app, "<Enter>");
    app
}

fn answer(app: &App, item: u32) -> isms_ready::model::Answer {
    app.session.as_ref().unwrap().answers.get(item).clone()
}

#[test]
fn the_merge_screen_shows_each_conflict_side_by_side() {
    screen_kit::at_test_time();
    let mut app = with_conflicts();
    let items = draw(&app, 80, 24);
    assert!(
        items.contains("   1 2!"),
        "item 1 carries a conflict mark:\n{items}"
    );
    assert!(items.contains("MERGE CONFLICT (2; M decides)"), "{items}");
    press(&mut app, "M");
    assert_eq!(app.screen, Screen::Merge);
    snapshot!("merge_level_80x24", draw(&app, 80, 24));
    snapshot!("merge_level_160x48", draw(&app, 160, 48));
    press(&mut app, "j<Right><Right>");
    snapshot!("merge_note_both_80x24", draw(&app, 80, 24));
    snapshot!("merge_note_both_160x48", draw(&app, 160, 48));
}

#[test]
fn enter_decides_the_chosen_side_and_the_count_goes_down() {
    screen_kit::at_test_time();
    let mut app = with_conflicts();
    press(&mut app, "M");
    // Level: take theirs.
    press(&mut app, "<Right><Enter>");
    assert_eq!(answer(&app, 1).level, Level::from_u8(3));
    assert!(
        status(&app).contains("2 conflicts left"),
        "{}",
        status(&app)
    );
    // Note of item 1: keep both texts, mine first.
    press(&mut app, "<Right><Right><Enter>");
    assert_eq!(
        answer(&app, 1).note,
        "Policy signed by the CEO\n\nPolicy drafted\nreview in March"
    );
    // Item 3: keep mine (Enter alone).
    press(&mut app, "<Enter>");
    assert_eq!(answer(&app, 3).note, "Legal keeps the list");
    assert!(status(&app).contains("0 conflicts left"));
    assert_eq!(answer(&app, 5).level, Level::from_u8(4), "merged in");
    assert!(draw(&app, 80, 24).contains("No conflict waits"));
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert!(!draw(&app, 80, 24).contains("   1 3!"));
}

#[test]
fn a_level_cannot_keep_both() {
    screen_kit::at_test_time();
    let mut app = with_conflicts();
    press(&mut app, "M<Right><Right><Enter>");
    // Two choices only: Right twice comes back to mine.
    assert_eq!(answer(&app, 1).level, Level::from_u8(2));
}

/// "Acme Ltd" where this copy removed risk R-1 and the other copy changed its owner: one
/// conflict on the whole entry.
fn with_a_risk_conflict() -> App {
    use isms_ready::model::registers::Risk;
    let mut mine = Store::open_in_memory().unwrap();
    let a = mine
        .create_assessment(&NewAssessment {
            name: "Acme Ltd".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "Head office".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap();
    let risk = Risk {
        title: "Laptop theft".into(),
        likelihood: 3,
        impact: 4,
        owner: "Ops".into(),
        ..Risk::default()
    };
    mine.add_entry(a.id, &risk).unwrap();
    let mut theirs = Store::open_in_memory().unwrap();
    let b = theirs
        .import_document(&document_of(&mine, "Acme Ltd"), "Acme Ltd")
        .unwrap();
    mine.remove_entry::<Risk>(a.id, 1).unwrap();
    let mut changed = theirs.registers(b.id).unwrap().risks[0].clone();
    changed.owner = "IT".into();
    theirs.set_entry(b.id, 1, &changed).unwrap();
    let document = document_of(&theirs, "Acme Ltd");
    let mut context = Context {
        store: mine,
        catalog: Catalog::builtin(),
        warnings: Vec::new(),
    };
    let outcome =
        isms_ready::service::merge::merge(&mut context, &a, &document, "group2.json", false, None)
            .unwrap();
    assert_eq!(outcome.conflicts.len(), 1);
    let mut app = app_on(context.store);
    press(&mut app, "<Enter>");
    app
}

#[test]
fn a_risk_removed_here_and_changed_there_is_decided_on_the_merge_screen() {
    screen_kit::at_test_time();
    let mut app = with_a_risk_conflict();
    press(&mut app, "M");
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("R-1 · entry"), "{screen}");
    assert!(screen.contains("(removed)"), "{screen}");
    assert!(
        screen.contains("R-1 \"Laptop theft\" (owner IT)"),
        "{screen}"
    );
    snapshot!("merge_risk_removed_80x24", screen);
    snapshot!("merge_risk_removed_160x48", draw(&app, 160, 48));
    // Take theirs: the risk comes back with their owner.
    press(&mut app, "<Right><Enter>");
    assert!(
        status(&app).contains("0 conflicts left"),
        "{}",
        status(&app)
    );
    let session = app.session.as_ref().unwrap();
    let risks = app.service.registers(session.assessment.id).unwrap().risks;
    assert_eq!(risks.len(), 1);
    assert_eq!(
        (risks[0].id.as_str(), risks[0].owner.as_str()),
        ("R-1", "IT")
    );
}

/// Issue 22, point 10: a risk changed on both sides (owner and likelihood on both, the impact
/// there only) shows every field changed differently, on each side, before a side is taken; the
/// impact changed on one side only is in both versions, so not listed.
#[test]
fn a_risk_changed_on_both_sides_shows_every_differing_field() {
    screen_kit::at_test_time();
    use isms_ready::model::registers::Risk;
    let mut mine = Store::open_in_memory().unwrap();
    let a = mine
        .create_assessment(&NewAssessment {
            name: "Acme Ltd".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "Head office".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap();
    let risk = Risk {
        title: "Laptop theft".into(),
        likelihood: 3,
        impact: 4,
        owner: "Ops".into(),
        ..Risk::default()
    };
    mine.add_entry(a.id, &risk).unwrap();
    let mut theirs = Store::open_in_memory().unwrap();
    let b = theirs
        .import_document(&document_of(&mine, "Acme Ltd"), "Acme Ltd")
        .unwrap();
    let mut here = mine.registers(a.id).unwrap().risks[0].clone();
    here.owner = "Marc Lefevre".into();
    here.likelihood = 5;
    mine.set_entry(a.id, 1, &here).unwrap();
    let mut there = theirs.registers(b.id).unwrap().risks[0].clone();
    there.owner = "Nadia Benali".into();
    there.likelihood = 2;
    there.impact = 5;
    theirs.set_entry(b.id, 1, &there).unwrap();
    let document = document_of(&theirs, "Acme Ltd");
    let mut context = Context {
        store: mine,
        catalog: Catalog::builtin(),
        warnings: Vec::new(),
    };
    isms_ready::service::merge::merge(&mut context, &a, &document, "group2.json", false, None)
        .unwrap();
    let mut app = app_on(context.store);
    press(&mut app, "<Enter>M");
    let screen = draw(&app, 80, 24);
    for shown in [
        "likelihood: 5",
        "likelihood: 2",
        "owner: Marc Lefevre",
        "owner: Nadia Benali",
    ] {
        assert!(screen.contains(shown), "{shown}:\n{screen}");
    }
    assert!(!screen.contains("impact:"), "{screen}");
    snapshot!("merge_risk_fields_80x24", screen);
}
