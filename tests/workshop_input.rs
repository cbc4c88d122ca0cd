//! What a facilitator types is never misapplied, dropped or hidden (issue 12, points 1, 2, 6, 7,
//! 8, 9, 15 and 18): in-process runs of the app on real key presses and pastes, frames drawn into a
//! test terminal, and a second app on the same file for concurrent edits.

mod screen_kit;

use insta::assert_snapshot;
use isms_ready::store::Store;
use isms_ready::tui::app::Popup;
use isms_ready::tui::{App, Screen};
use screen_kit::{acme_into, acme_on, app_on, draw, on_screen, press, status};

fn answer(app: &App, item: u32) -> isms_ready::model::Answer {
    app.session.as_ref().unwrap().answers.get(item).clone()
}

fn selected(app: &App) -> u32 {
    app.selected_item().unwrap().number
}

/// Two apps on one database file, each with "Acme Ltd" open on the questionnaire.
fn two_windows(dir: &std::path::Path) -> (App, App) {
    let path = dir.join("shared.db");
    let mut store = Store::open(&path).unwrap();
    acme_into(&mut store);
    drop(store);
    let open = || {
        let mut app = app_on(Store::open(&path).unwrap());
        press(&mut app, "<Enter>");
        app.reload_if_changed_elsewhere();
        app
    };
    (open(), open())
}

// Point 1: a paste goes to the focused field whole; no pasted byte is a key.

#[test]
fn a_pasted_line_break_in_the_search_bar_never_sets_a_level() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "/");
    app.handle_paste("Climate change\n4");
    assert!(matches!(&app.popup, Some(Popup::Search { query }) if query == "Climate change 4"));
    assert_eq!(answer(&app, 1).level, None);
    press(&mut app, "<Esc>");
    assert!(app.popup.is_none());
    assert_eq!(answer(&app, 1).level, None);
}

#[test]
fn a_pasted_line_break_in_the_evidence_field_is_a_space_and_saves_nothing_else() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "v");
    app.handle_paste("EV-1\r\n3\n");
    assert_eq!(answer(&app, 139).evidence, "");
    assert_eq!(answer(&app, 139).level, None);
    press(&mut app, "<Enter>");
    assert_eq!(answer(&app, 139).evidence, "EV-1 3");
    assert_eq!(answer(&app, 139).level, None);
}

#[test]
fn a_paste_keeps_its_lines_in_the_note_and_drops_escape_sequences() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "e");
    app.handle_paste("First line\r\nSecond\x1b]52;c;aGk=\x07 line\tend");
    press(&mut app, "<C-s>");
    assert_eq!(
        answer(&app, 1).note,
        "First line\nSecond]52;c;aGk= line    end"
    );
}

#[test]
fn a_paste_with_no_text_field_open_is_ignored_and_said() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    app.handle_paste("4");
    assert_eq!(answer(&app, 1).level, None);
    assert!(status(&app).contains("Paste ignored"), "{}", status(&app));
}

// Point 2: while "Terminal too small" is shown, only quit and resize act.

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    app.resize(60, 15);
    assert!(draw(&app, 60, 15).contains("Terminal too small"));
    press(&mut app, "0<Tab>j/e");
    assert_eq!(answer(&app, 1).level, None);
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(selected(&app), 1);
    assert!(app.popup.is_none());
    app.handle_paste("pasted");
    assert!(app.popup.is_none());
    app.resize(100, 30);
    press(&mut app, "0");
    assert_eq!(answer(&app, 1).level.map(|l| l.value()), Some(0));
    app.resize(40, 10);
    press(&mut app, "q");
    assert!(app.should_quit);
}

// Point 6: Esc or Ctrl-C in a changed field saves it when valid, or asks.

#[test]
fn ctrl_c_in_a_changed_one_line_field_saves_it_then_quits() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "oCISO office<C-c>");
    assert_eq!(answer(&app, 139).owner, "CISO office");
    assert!(app.should_quit);
}

#[test]
fn esc_in_a_changed_field_asks_and_each_answer_does_what_it_says() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Soa);
    // Esc then Esc: back to editing, the text kept.
    press(&mut app, "vEV-7<Esc>");
    assert!(matches!(app.popup, Some(Popup::Unsaved(_))));
    assert!(draw(&app, 100, 30).contains("You changed this field and have not saved it."));
    press(&mut app, "<Esc>");
    assert!(matches!(&app.popup, Some(Popup::Prompt { input, .. }) if input.lines()[0] == "EV-7"));
    // Esc then Enter: saved.
    press(&mut app, "<Esc><Enter>");
    assert!(app.popup.is_none());
    assert_eq!(answer(&app, 139).evidence, "EV-7");
    // Esc then d: discarded, the saved value stays.
    press(&mut app, "v-changed<Esc>d");
    assert!(app.popup.is_none());
    assert_eq!(answer(&app, 139).evidence, "EV-7");
    // An untouched field closes at once.
    press(&mut app, "v<Esc>");
    assert!(app.popup.is_none());
}

#[test]
fn esc_in_the_decision_form_never_drops_a_typed_justification() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "a <Tab><Tab>No such systems on site<Esc>");
    assert!(matches!(app.popup, Some(Popup::Unsaved(_))));
    assert_eq!(answer(&app, 139).applicable, None);
    press(&mut app, "<Enter>");
    assert!(app.popup.is_none());
    assert_eq!(answer(&app, 139).applicable, Some(false));
    assert_eq!(answer(&app, 139).justification, "No such systems on site");
}

#[test]
fn ctrl_c_in_a_field_that_cannot_be_saved_asks_and_a_second_ctrl_c_keeps_it_in_a_file() {
    screen_kit::at_test_time();
    let dir = tempfile::tempdir().unwrap();
    let mut app = acme_on(Screen::Plan);
    app.export_dir = dir.path().join("exports");
    press(&mut app, "dend of May<C-c>");
    assert!(
        !app.should_quit,
        "an invalid date must not quit and drop the text"
    );
    assert!(matches!(app.popup, Some(Popup::Unsaved(_))));
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("could not be saved"), "{screen}");
    press(&mut app, "<C-c>");
    assert!(app.should_quit);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), "end of May");
    assert!(status(&app).contains("written to"), "{}", status(&app));
}

#[test]
fn help_never_replaces_an_open_form() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "a ?");
    assert!(matches!(app.popup, Some(Popup::Decision(_))));
}

// Point 7: two windows editing one text never silently overwrite each other.

#[test]
fn two_windows_editing_one_note_keep_both_texts_mine_first() {
    screen_kit::at_test_time();
    let dir = tempfile::tempdir().unwrap();
    let (mut first, mut second) = two_windows(dir.path());
    press(&mut first, "e");
    press(&mut second, "eAgreed: Ann owns the register<C-s>");
    press(&mut first, "Agreed: review in May<C-s>");
    let note = answer(&first, 1).note;
    assert_eq!(
        note,
        "Agreed: review in May\n\n--- saved meanwhile in another window ---\nAgreed: Ann owns the register"
    );
    assert!(
        status(&first).contains("both texts are kept"),
        "{}",
        status(&first)
    );
    second.reload_if_changed_elsewhere();
    assert_eq!(answer(&second, 1).note, note);
}

#[test]
fn two_windows_editing_one_owner_keep_both_names() {
    screen_kit::at_test_time();
    let dir = tempfile::tempdir().unwrap();
    let (mut first, mut second) = two_windows(dir.path());
    on_screen(&mut first, Screen::Soa);
    on_screen(&mut second, Screen::Soa);
    press(&mut first, "oAnn");
    press(&mut second, "oBob<Enter>");
    press(&mut first, "<Enter>");
    assert_eq!(
        answer(&first, 139).owner,
        "Ann [saved meanwhile in another window: Bob]"
    );
}

#[test]
fn two_windows_editing_one_plan_step_note_keep_both_texts() {
    screen_kit::at_test_time();
    let dir = tempfile::tempdir().unwrap();
    let (mut first, mut second) = two_windows(dir.path());
    on_screen(&mut first, Screen::Plan);
    on_screen(&mut second, Screen::Plan);
    press(&mut first, "e");
    press(&mut second, "eBoard meets on the 3rd<C-s>");
    press(&mut first, "Budget approved<C-s>");
    let note = first.session.as_ref().unwrap().plan_progress[0]
        .note
        .clone();
    assert_eq!(
        note,
        "Budget approved\n\n--- saved meanwhile in another window ---\nBoard meets on the 3rd"
    );
    assert!(
        status(&first).contains("both texts are kept"),
        "{}",
        status(&first)
    );
}

#[test]
fn the_other_windows_changed_today_count_refreshes_with_the_rest() {
    screen_kit::at_test_time();
    let dir = tempfile::tempdir().unwrap();
    let (mut first, mut second) = two_windows(dir.path());
    press(&mut first, "3j2");
    second.reload_if_changed_elsewhere();
    assert_eq!(second.session.as_ref().unwrap().changed_today, 2);
}

// Point 8: a long note can be read; the editor wraps and leaves the question in view.

fn long_note() -> String {
    (1..=40)
        .map(|n| format!("Line {n} of what the room said about the context."))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_long_note_takes_the_free_space_and_scrolls_at_120x40() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "e");
    app.handle_paste(&long_note());
    press(&mut app, "<C-s>");
    let screen = draw(&app, 120, 40);
    assert!(screen.contains("Line 12 of what"), "{screen}");
    // The level panel says when the item last changed: dates and times are filtered.
    snapshot!("long_note_120x40", screen);
    press(&mut app, "}}}}}}}}}}");
    let screen = draw(&app, 120, 40);
    assert!(screen.contains("Line 40 of what"), "{screen}");
    assert!(screen.contains("of 40"), "{screen}");
}

#[test]
fn the_note_editor_wraps_long_lines_below_the_question() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "e");
    let words = "the board agreed that the context analysis is reviewed each spring ".repeat(4);
    app.handle_paste(&words);
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("Ask"), "the question is hidden:\n{screen}");
    assert!(screen.contains("Which outside forces"), "{screen}");
    assert_eq!(screen.matches("spring").count(), 4, "{screen}");
    snapshot!("note_editor_wraps_100x30", screen);
}

// Point 9: a large paste is one insert.

#[test]
fn a_100_kb_paste_into_the_note_is_saved_whole() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "e");
    let text = "0123456789abcdefghijklmnopqrstuvwxyz ".repeat(2800);
    assert!(text.len() > 100_000);
    app.handle_paste(&text);
    press(&mut app, "<C-s>");
    assert_eq!(answer(&app, 1).note, text.trim_end());
}

// Point 18: a long message wraps instead of being cut.

#[test]
fn a_long_status_message_is_shown_whole_at_120_columns() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "x");
    let screen = draw(&app, 120, 40);
    let joined: String = screen
        .lines()
        .map(|line| line.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("only Annex A controls may be excluded, with a justification"),
        "{screen}"
    );
}

#[test]
fn a_long_control_title_in_a_popup_is_wrapped_not_cut_at_80_columns() {
    screen_kit::at_test_time();
    let mut app = acme_on(Screen::Questionnaire);
    app.select(244); // item 245, A.18.1.1
    press(&mut app, "x");
    assert!(matches!(app.popup, Some(Popup::Decision(_))));
    let screen = draw(&app, 80, 24);
    let joined: String = screen
        .lines()
        .map(|line| {
            line.trim_matches('"')
                .trim_matches(|c| c == '│' || c == ' ')
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("Identification of applicable legislation and contractual requirements"),
        "{screen}"
    );
    assert_snapshot!("decision_long_title_80x24", screen);
}
