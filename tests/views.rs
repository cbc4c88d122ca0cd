//! The views' `update` on its own (issue 26): a view built alone, one key looked up in the
//! app's key table for the view's scope, and the command it returns or the state it moves to.
//! No `App`: the view reads a `ViewContext` over an assessment opened through the service.

mod common;
mod screen_kit;

use common::level;
use isms_ready::export::ExportFormat;
use isms_ready::model::merge::{FieldKey, Resolution, Target};
use isms_ready::model::plan::{PlanChange, StepStatus};
use isms_ready::model::{Change, Level};
use isms_ready::store::StoredConflict;
use isms_ready::tui::command::Command;
use isms_ready::tui::screens::View;
use isms_ready::tui::screens::export::{CHOICES, ExportView};
use isms_ready::tui::screens::history::HistoryView;
use isms_ready::tui::screens::merge::MergeView;
use isms_ready::tui::screens::plan::PlanView;
use isms_ready::tui::screens::questionnaire::QuestionnaireView;
use screen_kit::{ViewBench, key_to};

#[test]
fn a_level_digit_on_the_questionnaire_asks_to_save_that_level_on_the_selected_item() {
    let bench = ViewBench::acme();
    let mut view = QuestionnaireView::new(&bench.open.questionnaire, 0);
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    assert_eq!(view.selected, 1);
    match key_to(&mut view, &bench.ctx(), "3") {
        Some(Command::Answer { item, change }) => {
            assert_eq!(item, 2);
            assert_eq!(change, level(3));
        }
        _ => panic!("3 on item 2 is not a level change of item 2"),
    }
    match key_to(&mut view, &bench.ctx(), "<Del>") {
        Some(Command::Answer { item: 2, change }) => assert_eq!(change, Change::Level(None)),
        _ => panic!("Del on item 2 does not clear its level"),
    }
    // The view changed nothing but its selection: the answer is as it was.
    assert_eq!(bench.open.answers.get(2).level, None);
}

#[test]
fn next_unanswered_on_the_questionnaire_skips_answered_items_and_says_when_none_is_left() {
    let mut bench = ViewBench::acme();
    let mut view = QuestionnaireView::new(&bench.open.questionnaire, 0);
    for number in [1, 2, 3] {
        bench.open.answers.get_mut(number).level = Level::from_u8(2);
    }
    assert!(key_to(&mut view, &bench.ctx(), "u").is_none());
    assert_eq!(
        view.selected, 3,
        "item 4 is the first unanswered after item 1"
    );
    let all = bench.open.questionnaire.items.len() as u32;
    for number in 1..=all {
        bench.open.answers.get_mut(number).level = Level::from_u8(1);
    }
    match key_to(&mut view, &bench.ctx(), "u") {
        Some(Command::Info(text)) => assert_eq!(text, "Every item is answered."),
        _ => panic!("u with every item answered does not say so"),
    }
}

#[test]
fn enter_on_the_export_screen_asks_for_the_selected_format_with_its_options() {
    let bench = ViewBench::acme();
    let mut view = ExportView::default();
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    match key_to(&mut view, &bench.ctx(), "<Enter>") {
        Some(Command::Export(format, options)) => {
            let (want_format, want_options, _, _) = CHOICES[1];
            assert_eq!(format, want_format);
            assert_eq!(format, ExportFormat::Html);
            assert_eq!(options, want_options);
        }
        _ => panic!("Enter on the second choice does not export"),
    }
    // The last choice and no further.
    assert!(key_to(&mut view, &bench.ctx(), "G").is_none());
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    assert_eq!(view.selected, CHOICES.len() - 1);
}

fn conflict(id: i64, target: Target, field: &str) -> StoredConflict {
    StoredConflict {
        id,
        key: FieldKey::new(target, field),
        mine: Some("mine".into()),
        theirs: Some("theirs".into()),
        mine_at: None,
        mine_session: None,
        theirs_at: None,
        theirs_session: None,
        source: "copy.json".into(),
        resolution: None,
    }
}

#[test]
fn the_merge_screen_decides_the_selected_conflict_as_chosen_with_left_and_right() {
    let mut bench = ViewBench::acme();
    bench.open.conflicts = vec![
        conflict(7, Target::Item(1), "level"),
        conflict(9, Target::Item(3), "note"),
    ];
    let mut view = MergeView::default();
    // A level has two choices: Right twice comes back to "keep mine".
    assert!(key_to(&mut view, &bench.ctx(), "<Right>").is_none());
    assert!(key_to(&mut view, &bench.ctx(), "<Right>").is_none());
    match key_to(&mut view, &bench.ctx(), "<Enter>") {
        Some(Command::ResolveConflict { id: 7, take }) => assert_eq!(take, Resolution::Mine),
        _ => panic!("Enter does not decide conflict 7"),
    }
    // A note has a third choice, keep both: Left from "keep mine" reaches it.
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    assert!(key_to(&mut view, &bench.ctx(), "<Left>").is_none());
    match key_to(&mut view, &bench.ctx(), "<Enter>") {
        Some(Command::ResolveConflict { id: 9, take }) => assert_eq!(take, Resolution::Both),
        _ => panic!("Enter does not decide conflict 9"),
    }
}

#[test]
fn space_on_a_done_step_warns_first_and_reopens_it_only_on_the_second_press() {
    let mut bench = ViewBench::acme();
    let done_on = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    bench.open.plan_progress[0].status = StepStatus::Done;
    bench.open.plan_progress[0].done_on = Some(done_on);
    let mut view = PlanView::default();
    match key_to(&mut view, &bench.ctx(), " ") {
        Some(Command::Info(text)) => {
            assert!(text.starts_with("Step 1 is done (on 2026-05-04)"), "{text}")
        }
        _ => panic!("the first Space on a done step does not warn"),
    }
    match key_to(&mut view, &bench.ctx(), " ") {
        Some(Command::Step { step: 1, change }) => assert_eq!(
            change,
            PlanChange::Status {
                status: StepStatus::Todo,
                reason: String::new(),
                today: bench.open.today,
            }
        ),
        _ => panic!("the second Space does not change step 1"),
    }
    // Any other key between the two cancels: the next Space warns again.
    assert!(matches!(
        key_to(&mut view, &bench.ctx(), " "),
        Some(Command::Info(_))
    ));
    assert!(key_to(&mut view, &bench.ctx(), "t").is_none());
    assert!(matches!(
        key_to(&mut view, &bench.ctx(), " "),
        Some(Command::Info(_))
    ));
}

#[test]
fn a_step_to_do_moves_on_at_the_first_space() {
    let bench = ViewBench::acme();
    let mut view = PlanView::default();
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    match key_to(&mut view, &bench.ctx(), " ") {
        Some(Command::Step {
            step: 2,
            change: PlanChange::Status { status, .. },
        }) => assert_eq!(status, StepStatus::InProgress),
        _ => panic!("Space on step 2 to do does not change it"),
    }
}

#[test]
fn the_history_screen_reads_its_rows_as_it_opens_and_enter_shows_the_item_of_the_selected_row() {
    let mut store = screen_kit::acme_store();
    let id = store.find_assessment("Acme Ltd").unwrap().unwrap().id;
    store.apply_changes(id, 4, &[level(1)]).unwrap();
    store.apply_changes(id, 9, &[level(3)]).unwrap();
    let bench = ViewBench::on(store, "Acme Ltd");
    let mut view = HistoryView::default();
    // Every item: both changes, newest first.
    view.ask(None, None);
    assert!(View::on_open(&mut view, &bench.service, &bench.ctx()).is_ok());
    let items: Vec<Option<u32>> = view.list.rows.iter().map(|row| row.item).collect();
    assert_eq!(items, [Some(9), Some(4)]);
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    assert!(matches!(
        key_to(&mut view, &bench.ctx(), "<Enter>"),
        Some(Command::ShowItem(4))
    ));
    // Item 4 only: the screen asks the app to open it again, for that item.
    view.ask(Some(4), None);
    assert!(View::on_open(&mut view, &bench.service, &bench.ctx()).is_ok());
    assert_eq!(view.list.total, 1);
    assert!(matches!(
        key_to(&mut view, &bench.ctx(), "i"),
        Some(Command::ShowHistory {
            item: None,
            session: None
        })
    ));
}
