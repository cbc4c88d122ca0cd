//! Issue 29, the workshop flow: a consultant in front of a client never lands on the wrong item,
//! never loses work to one key, and reads every screen whole. Real key presses into the app
//! (`tests/screen_kit/`), frames drawn into a `TestBackend`, and the real binary in a
//! pseudo-terminal where the terminal is what is tested.

mod common;
mod screen_kit;

use isms_ready::tui::app::Popup;
use isms_ready::tui::{App, Screen};
use screen_kit::{acme_on, draw, press, status};

fn session(app: &App) -> &isms_ready::tui::app::OpenAssessment {
    app.session.as_ref().expect("an assessment is open")
}

fn workshops(app: &App) -> Vec<isms_ready::model::session::WorkshopSession> {
    app.service.sessions(session(app).assessment.id).unwrap()
}

/// Point 2: after `p` the list re-sorts; the selection follows the action and says so.
#[test]
fn after_a_re_sort_the_status_line_says_where_the_action_went_and_the_selection_followed() {
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "a<Enter>ja<Enter>");
    screen_kit::on_screen(&mut app, Screen::Actions);
    // #1 and #2 share the default priority: #1 is first. Raise #1's number (lower its priority).
    press(&mut app, "gp");
    let said = status(&app);
    assert!(
        said.contains("#1 moved to row 2 of 2") && said.contains("selection followed"),
        "{said}"
    );
    assert_eq!(
        app.views.actions.selected, 1,
        "the selection did not follow #1"
    );
    // A change that leaves the row where it was adds nothing.
    press(&mut app, "z");
    assert!(!status(&app).contains("moved"), "{}", status(&app));
}

/// Point 4: `S` on an open session asks, offering the closing notes; Esc keeps it open.
#[test]
fn ending_a_session_asks_first_and_keeps_its_closing_notes() {
    let mut app = acme_on(Screen::Dashboard);
    press(&mut app, "SKick-off<Enter>Ann Lee (CEO)<Enter>");
    assert!(workshops(&app)[0].is_open());
    press(&mut app, "S");
    assert!(workshops(&app)[0].is_open(), "S ended the session at once");
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("End session 1"), "{screen}");
    press(&mut app, "<Esc>");
    assert!(workshops(&app)[0].is_open(), "Esc ended the session");
    press(&mut app, "SNext time: risks<Enter>");
    let ended = &workshops(&app)[0];
    assert!(!ended.is_open());
    assert_eq!(ended.notes, "Next time: risks");
    assert!(
        status(&app).contains("closing notes saved"),
        "{}",
        status(&app)
    );
}

/// Point 12 (in part): `S` works from any screen of an open assessment, and says where it works
/// when none is open.
#[test]
fn the_session_compare_and_merge_keys_work_from_every_screen_or_say_where_they_work() {
    let mut app = acme_on(Screen::Plan);
    press(&mut app, "S");
    assert!(
        draw(&app, 100, 30).contains("New workshop session"),
        "S did nothing on the plan"
    );
    press(&mut app, "<Esc>");
    screen_kit::on_screen(&mut app, Screen::Registers);
    press(&mut app, "M");
    assert_eq!(app.screen, Screen::Merge);
    press(&mut app, "<Esc>");
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Picker);
    press(&mut app, "C");
    assert!(status(&app).contains("open one first"), "{}", status(&app));
}

/// Point 5: a form opened by a stray key and never confirmed saves nothing on Ctrl-C.
#[test]
fn ctrl_c_in_an_unconfirmed_new_entry_form_asks_instead_of_creating_it() {
    let mut app = acme_on(Screen::Registers);
    press(&mut app, "nmeeting notes typed here<C-c>");
    assert!(!app.should_quit, "Ctrl-C quit and saved the stray form");
    assert!(matches!(app.popup, Some(Popup::Unsaved(_))));
    assert!(session(&app).registers.context.is_empty());
    // Discard: nothing is created, and the app quits as asked.
    press(&mut app, "d");
    assert!(app.should_quit);
    assert!(
        app.service
            .registers(session(&app).assessment.id)
            .unwrap()
            .context
            .is_empty()
    );
}

/// Point 5: an edit of something that exists is still saved on Ctrl-C (nothing typed is lost).
#[test]
fn ctrl_c_still_saves_a_changed_note() {
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "eSaid in the room<C-c>");
    assert!(app.should_quit);
    assert_eq!(session(&app).answers.get(1).note, "Said in the room");
}

/// Point 6: a pre-filled value is selected; the first typed character replaces it.
#[test]
fn typing_into_a_pre_filled_field_replaces_the_value() {
    let mut app = acme_on(Screen::Plan);
    let day = app.today - chrono::Days::new(10);
    press(&mut app, &format!("D{day}<Enter>"));
    let step = &session(&app).plan_progress[0];
    assert_eq!(step.done_on, Some(day), "{}", status(&app));
    // A new action's title starts as the item's: typing replaces it, no Ctrl-W needed.
    screen_kit::on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "aWrite the scope statement<Enter>");
    assert_eq!(session(&app).actions[0].title, "Write the scope statement");
    // An arrow key keeps the value for editing.
    press(&mut app, "a<Right> (draft)<Enter>");
    let item = session(&app).questionnaire.items[0].title.clone();
    assert_eq!(session(&app).actions[1].title, format!("{item} (draft)"));
}

/// Point 8: closing a note unchanged says nothing changed.
#[test]
fn closing_an_unchanged_note_says_nothing_changed() {
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "e<Esc>");
    let said = status(&app);
    assert!(said.contains("Nothing changed"), "{said}");
    assert!(!said.contains("saved"), "{said}");
    press(&mut app, "eA word<C-s>");
    assert!(status(&app).contains("note saved"), "{}", status(&app));
}

/// Point 13: `--help` names every export format.
#[test]
fn help_lists_every_export_format() {
    let sandbox = common::Sandbox::new();
    let help = sandbox.ok(&["--help"]);
    let line = help
        .lines()
        .find(|line| line.trim_start().starts_with("export"))
        .expect("an export line");
    let next = help
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("export"))
        .nth(1)
        .unwrap_or_default();
    let summary = format!("{line} {next}");
    for format in isms_ready::export::ExportFormat::ALL {
        let spelled = format!("{format:?}").to_lowercase();
        let spelled = if spelled == "cisoassistant" {
            "ciso-assistant".to_string()
        } else {
            spelled
        };
        assert!(
            summary.contains(&spelled),
            "--help does not name {spelled}: {summary}"
        );
    }
}

/// A store with one 2022 assessment "Acme" (the questionnaire of the workshop in the issue),
/// filled by `fill` before the app opens it.
fn acme_2022_with(fill: impl FnOnce(&mut isms_ready::store::Store, i64)) -> App {
    let mut store = isms_ready::store::Store::open_in_memory().unwrap();
    let id = store
        .create_assessment(&isms_ready::store::NewAssessment {
            name: "Acme".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "Head office".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap()
        .id;
    fill(&mut store, id);
    let mut app = screen_kit::app_on(store);
    press(&mut app, "<Enter>");
    app
}

fn acme_2022() -> App {
    acme_2022_with(|_, _| {})
}

fn selected_ref(app: &App) -> String {
    app.selected_item().unwrap().reference.clone()
}

/// Point 1: standing on A.5.10, `/28` goes to item 28, not to the next text match A.5.28; the
/// next level typed lands there.
#[test]
fn searching_an_item_number_goes_to_that_item_wherever_the_cursor_is() {
    let mut app = acme_2022();
    press(&mut app, ":A.5.10<Enter>");
    assert_eq!(selected_ref(&app), "A.5.10");
    press(&mut app, "/28<Enter>3");
    let item = app.selected_item().unwrap().clone();
    assert_eq!(item.number, 28, "went to {}", item.reference);
    assert!(status(&app).contains("Item 28"), "{}", status(&app));
    assert_eq!(
        session(&app).answers.get(28).level.map(|l| l.value()),
        Some(3)
    );
    // `n` then goes on to the text matches.
    press(&mut app, "n");
    assert_ne!(app.selected_item().unwrap().number, 28);
    // A ref typed in the search bar wins the same way, case and spaces ignored.
    press(&mut app, "/a.5.10<Enter>");
    assert_eq!(selected_ref(&app), "A.5.10");
    press(&mut app, "/5.3B)<Enter>");
    assert_eq!(selected_ref(&app), "5.3 b)");
}

/// Point 1: the go-to key on every list.
#[test]
fn the_go_to_key_works_on_every_list() {
    let mut app = acme_2022_with(|store, id| {
        for title in ["Market pressure", "Staff turnover", "New regulation"] {
            store
                .add_entry(
                    id,
                    &isms_ready::model::registers::ContextIssue {
                        title: title.into(),
                        kind: isms_ready::model::registers::Side::External,
                        influence: 2,
                        control: 2,
                        ..Default::default()
                    },
                )
                .unwrap();
        }
    });
    // Questionnaire: a number, then a ref with a letter.
    press(&mut app, ":28<Enter>");
    assert_eq!(app.selected_item().unwrap().number, 28);
    press(&mut app, ":4.3<Enter>");
    assert!(
        selected_ref(&app).starts_with("4.3 "),
        "{}",
        selected_ref(&app)
    );
    press(&mut app, ":99999<Enter>");
    assert!(status(&app).contains("no item"), "{}", status(&app));
    // Dashboard: to the item in the questionnaire.
    screen_kit::on_screen(&mut app, Screen::Dashboard);
    press(&mut app, ":A.8.19<Enter>");
    assert_eq!(app.screen, Screen::Questionnaire);
    assert_eq!(selected_ref(&app), "A.8.19");
    // SoA: a control.
    screen_kit::on_screen(&mut app, Screen::Soa);
    press(&mut app, ":A.5.28<Enter>");
    let soa = &app.views.soa;
    let row = soa.rows(session(&app))[soa.selected];
    assert_eq!(session(&app).questionnaire.items[row].reference, "A.5.28");
    // Plan: a step.
    screen_kit::on_screen(&mut app, Screen::Plan);
    press(&mut app, ":7<Enter>");
    assert_eq!(app.views.plan.selected, 6);
    // Actions: an action number.
    screen_kit::on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "a<Enter>ja<Enter>ja<Enter>");
    screen_kit::on_screen(&mut app, Screen::Actions);
    press(&mut app, "g:#2<Enter>");
    assert!(status(&app).contains("Action #2"), "{}", status(&app));
    press(&mut app, "T");
    assert!(draw(&app, 100, 30).contains("Title of action #2"));
    press(&mut app, "<Esc>");
    // Registers: an entry id.
    screen_kit::on_screen(&mut app, Screen::Registers);
    press(&mut app, ":C-3<Enter>");
    assert!(status(&app).contains("C-3 in"), "{}", status(&app));
    press(&mut app, "<Enter>");
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("C-3 · edit"), "{screen}");
    press(&mut app, "<Esc>");
    // The picker: a row.
    press(&mut app, "<Esc>:1<Enter>");
    assert_eq!(app.views.picker.selected, 0);
}

/// Point 3: `Ctrl-Z` takes back every kind of change made in the app, newest first: an action
/// dropped (after `X` asked), a session started, an SoA level, a plan step, a register entry,
/// an action created, an answer; `Ctrl-Y` makes the last one again.
#[test]
fn undo_reaches_every_kind_of_change_in_the_order_made() {
    use isms_ready::model::action::ActionStatus;
    use isms_ready::model::plan::StepStatus;
    let mut app = acme_on(Screen::Questionnaire);
    let id = session(&app).assessment.id;
    press(&mut app, "3a<Enter>");
    screen_kit::on_screen(&mut app, Screen::Registers);
    press(&mut app, "nMarket pressure<Enter>");
    assert_eq!(session(&app).registers.context.len(), 1, "{}", status(&app));
    screen_kit::on_screen(&mut app, Screen::Plan);
    press(&mut app, " ");
    assert_eq!(
        session(&app).plan_progress[0].status,
        StepStatus::InProgress
    );
    screen_kit::on_screen(&mut app, Screen::Soa);
    press(&mut app, "2");
    let control = app.views.soa.rows(session(&app))[app.views.soa.selected] as u32 + 1;
    assert!(session(&app).answers.get(control).level.is_some());
    press(&mut app, "SKick-off<Enter><Enter>");
    assert!(workshops(&app)[0].is_open());
    // A destructive single key asks first; `n` leaves the action as it is.
    screen_kit::on_screen(&mut app, Screen::Actions);
    press(&mut app, "X");
    assert!(draw(&app, 100, 30).contains("Drop action #1"));
    press(&mut app, "n");
    assert_eq!(session(&app).actions[0].status, ActionStatus::Todo);
    press(&mut app, "Xy");
    assert_eq!(session(&app).actions[0].status, ActionStatus::Dropped);

    let undo = |app: &mut App| {
        press(app, "<C-z>");
        let said = status(app);
        assert!(said.starts_with("Undone"), "{said}");
        said
    };
    assert!(undo(&mut app).contains("action #1"));
    assert_eq!(session(&app).actions[0].status, ActionStatus::Todo);
    assert!(undo(&mut app).contains("session 1"));
    assert!(!workshops(&app)[0].is_open());
    undo(&mut app);
    assert!(session(&app).answers.get(control).level.is_none());
    assert!(undo(&mut app).contains("plan step 1"));
    assert_eq!(session(&app).plan_progress[0].status, StepStatus::Todo);
    assert!(undo(&mut app).contains("C-1"));
    assert!(session(&app).registers.context.is_empty());
    assert!(app.service.registers(id).unwrap().context.is_empty());
    assert!(undo(&mut app).contains("action #1"));
    assert!(session(&app).actions.is_empty());
    assert!(undo(&mut app).contains("item 1"));
    assert!(session(&app).answers.get(1).level.is_none());
    press(&mut app, "<C-z>");
    assert!(status(&app).contains("Nothing to undo"), "{}", status(&app));
    // Redo goes forward again, in order: the answer, then the action under its own number.
    press(&mut app, "<C-y>");
    assert_eq!(
        session(&app).answers.get(1).level.map(|l| l.value()),
        Some(3)
    );
    press(&mut app, "<C-y>");
    assert_eq!(session(&app).actions[0].number, 1);
    press(&mut app, "<C-y>");
    assert_eq!(app.service.registers(id).unwrap().context[0].id, "C-1");
}

/// Point 12: `x` means one thing (not applicable, in the questionnaire); elsewhere it says where
/// it works and what the screen's own key is.
#[test]
fn x_on_the_plan_or_actions_says_where_it_works_and_changes_nothing() {
    let mut app = acme_on(Screen::Plan);
    press(&mut app, "x");
    let said = status(&app);
    assert!(
        said.contains("x does nothing here") && said.contains("X skips"),
        "{said}"
    );
    assert!(app.popup.is_none());
    screen_kit::on_screen(&mut app, Screen::Questionnaire);
    press(&mut app, "a<Enter>");
    screen_kit::on_screen(&mut app, Screen::Actions);
    press(&mut app, "x");
    assert!(status(&app).contains("X drops"), "{}", status(&app));
    assert_eq!(
        session(&app).actions[0].status,
        isms_ready::model::action::ActionStatus::Todo
    );
}

/// Point 12: a help text that wraps goes on under itself, indented past the key labels.
#[test]
fn wrapped_help_lines_are_indented_under_their_text() {
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "?");
    let screen = draw(&app, 80, 40);
    let rows: Vec<&str> = screen.lines().collect();
    let first = rows
        .iter()
        .position(|row| row.contains("move down / up"))
        .expect("the help shows the global keys");
    // Every row of the "Everywhere" section that does not start with a key is a continuation.
    let mut continued = 0;
    for row in &rows[first..] {
        // The help box is drawn two columns in: its border, then its text.
        let text: String = row.trim_matches('"').chars().skip(3).collect();
        if text.trim().is_empty() || text.contains("Assessments") {
            break;
        }
        if !text.starts_with("  ") {
            panic!("a help row starts at the border: {row}\n{screen}");
        }
        if text.starts_with(&" ".repeat(18)) {
            continued += 1;
        }
    }
    assert!(continued > 0, "no wrapped help text in view:\n{screen}");
}

/// Point 10: the History screen names the action (number and title) of an action change, shows a
/// register change as field and value (never raw JSON), and reason codes in words.
#[test]
fn history_names_actions_and_register_fields_and_says_reasons_in_words() {
    use isms_ready::model::{Change, ReasonCode};
    let mut app = acme_2022_with(|store, id| {
        let added = store
            .add_entry(
                id,
                &isms_ready::model::registers::ContextIssue {
                    title: "Market pressure".into(),
                    kind: isms_ready::model::registers::Side::External,
                    influence: 2,
                    control: 2,
                    ..Default::default()
                },
            )
            .unwrap();
        let mut changed = added.clone();
        changed.owner = "COO".into();
        store.set_entry(id, 1, &changed).unwrap();
        let questionnaire = isms_ready::model::Catalog::builtin()
            .get("iso27001-2022")
            .unwrap();
        let control = questionnaire
            .items
            .iter()
            .find(|i| i.is_control())
            .unwrap()
            .clone();
        isms_ready::service::change::answer(
            store,
            id,
            &control,
            &[Change::Applicability {
                applicable: Some(true),
                reasons: vec![ReasonCode::RiskTreatment, ReasonCode::LegalRegulatory],
                justification: "Needed".into(),
            }],
        )
        .unwrap();
    });
    press(&mut app, "aWrite the scope statement<Enter>");
    screen_kit::on_screen(&mut app, Screen::Actions);
    press(&mut app, "p");
    screen_kit::on_screen(&mut app, Screen::Dashboard);
    press(&mut app, "H");
    assert_eq!(app.screen, Screen::History);
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("action #1 Write the scope"), "{screen}");
    assert!(screen.contains("C-1 Market pressure"), "{screen}");
    assert!(
        screen.contains("owner") && screen.contains("- -> COO"),
        "{screen}"
    );
    assert!(
        !screen.contains("{\""),
        "raw JSON on the History screen:\n{screen}"
    );
    assert!(
        screen.contains("risk treatment, legal or regulatory"),
        "{screen}"
    );
    assert!(!screen.contains("risk_treatment"), "{screen}");
}

/// Point 11: the session report gives local times without milliseconds, and lists the actions and
/// register entries made in the session beside the answers.
#[test]
fn the_session_report_has_local_times_and_the_actions_and_entries_of_the_session() {
    let sandbox = common::Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "Jo");
    sandbox.ok(&["session", "start", "-a", "Acme", "--title", "Kick-off"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "1", "--level", "3"]);
    sandbox.ok(&[
        "action",
        "add",
        "-a",
        "Acme",
        "--item",
        "1",
        "--title",
        "Write the scope statement",
    ]);
    sandbox.ok(&[
        "context",
        "add",
        "-a",
        "Acme",
        "--title",
        "Market pressure",
        "--kind",
        "external",
        "--influence",
        "2",
        "--control",
        "2",
    ]);
    sandbox.ok(&["session", "end", "-a", "Acme"]);
    for format in ["md", "html"] {
        // Markdown escapes `#`; the words are what count.
        let report = sandbox
            .ok(&["session", "report", "-a", "Acme", "--format", format])
            .replace('\\', "");
        assert!(
            report.contains("action #1 Write the scope statement"),
            "{report}"
        );
        assert!(report.contains("C-1 Market pressure"), "{report}");
        assert!(report.contains("local time"), "{report}");
        let stamp = regex_free_millis(&report);
        assert!(
            stamp.is_none(),
            "a time with milliseconds: {stamp:?}\n{report}"
        );
        assert!(!report.contains("{\""), "raw JSON in the report:\n{report}");
    }
}

/// The first time in `text` written with milliseconds or a `T`/`Z` (RFC 3339), if any.
fn regex_free_millis(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(20)).find_map(|i| {
        let window = &text.get(i..i + 20)?;
        let b = window.as_bytes();
        let digits = |r: std::ops::Range<usize>| r.into_iter().all(|k| b[k].is_ascii_digit());
        (digits(0..4) && b[4] == b'-' && digits(5..7) && b[10] == b'T' && digits(11..13))
            .then(|| window.to_string())
            .or_else(|| {
                (b[0] == b':' && digits(1..3) && b[3] == b'.' && digits(4..7))
                    .then(|| window.to_string())
            })
    })
}

/// A word cut by the edge of a box or of the screen: a letter run that ends right at a border
/// (or the row's end), not continued on the next row. Returns the cut rows.
fn cut_words(screen: &str) -> Vec<String> {
    let rows: Vec<Vec<char>> = screen
        .lines()
        .map(|line| line.trim_matches('"').chars().collect())
        .collect();
    let mut cut = Vec::new();
    // The last row is the footer, built from whole hints.
    for (index, row) in rows.iter().enumerate().take(rows.len().saturating_sub(1)) {
        for (column, ch) in row.iter().enumerate() {
            let next = row.get(column + 1).copied();
            let previous = column.checked_sub(1).map_or(' ', |c| row[c]);
            let at_edge = matches!(next, None | Some('│' | '┐' | '┘' | '┤'));
            if !(ch.is_alphabetic() && (previous.is_alphabetic() || previous == ' ') && at_edge) {
                continue;
            }
            // A paragraph wrapped at a word boundary goes on, lower case, on the next row.
            let start = row[..=column]
                .iter()
                .rposition(|c| matches!(c, '│' | '┌' | '└'))
                .map_or(0, |c| c + 1);
            let goes_on = rows
                .get(index + 1)
                .and_then(|below| below.get(start..))
                .and_then(|rest| rest.iter().find(|c| **c != ' '))
                .is_some_and(|c| c.is_lowercase() || *c == '(');
            if !goes_on {
                cut.push(row.iter().collect());
            }
        }
    }
    cut
}

/// Point 9: with realistic long data (a long organisation name, a session with long names and
/// roles, long titles), no screen at 80x24 cuts a word; at 200x60 the largest gaps keep whole refs.
#[test]
fn no_screen_cuts_a_word_at_80x24_with_long_data() {
    let mut app = acme_2022_with(|store, id| {
        store
            .edit_assessment(
                id,
                isms_ready::store::AssessmentEdit {
                    name: Some("Northwind Logistics International Holdings"),
                    ..Default::default()
                },
            )
            .unwrap();
    });
    press(&mut app, "<Esc>n");
    let mut found = Vec::new();
    found.extend(cut_words(&draw(&app, 80, 24)));
    press(&mut app, "<Esc><Enter>");
    press(
        &mut app,
        "SKick-off with the management team<Enter>Ann Lee-Hamilton (Chief Executive Officer), Bo Ek (CISO)<Enter>",
    );
    press(&mut app, "3j2j1a<Enter>");
    for screen in [
        Screen::Questionnaire,
        Screen::Dashboard,
        Screen::Soa,
        Screen::Plan,
        Screen::Actions,
        Screen::Export,
        Screen::Registers,
    ] {
        screen_kit::on_screen(&mut app, screen);
        for cut in cut_words(&draw(&app, 80, 24)) {
            found.push(format!("{screen:?}: {cut}"));
        }
    }
    screen_kit::on_screen(&mut app, Screen::Plan);
    press(&mut app, "t");
    found.extend(cut_words(&draw(&app, 80, 24)));
    assert!(
        found.is_empty(),
        "cut words at 80x24:\n{}",
        found.join("\n")
    );
    // 6.1.2 d) 1) and d) 2) are told apart in the largest gaps at 200x60.
    let mut app = acme_2022();
    for reference in ["6.1.2 d) 1)", "6.1.2 d) 2)"] {
        press(&mut app, &format!(":{reference}<Enter>1"));
    }
    screen_kit::on_screen(&mut app, Screen::Dashboard);
    let screen = draw(&app, 200, 60);
    assert!(
        screen.contains("6.1.2 d) 1)") && screen.contains("6.1.2 d) 2)"),
        "{screen}"
    );
}

/// Point 7: a long justification wraps over several rows of the decision form, read whole, as
/// the note editor does, instead of scrolling sideways on one line.
#[test]
fn a_long_justification_wraps_in_the_decision_form() {
    let mut app = acme_2022();
    press(&mut app, ":A.5.10<Enter>x<Down><Down>");
    let justification = "Excluded because every information asset of the organisation is held by \
        the parent company under its own certified ISMS, which the group audit covers each year, \
        so this control is met outside our scope and evidenced by the group certificate";
    press(&mut app, justification);
    let screen = draw(&app, 80, 24);
    for words in [
        "Excluded because every",
        "evidenced by the group certificate",
    ] {
        assert!(
            screen.contains(words),
            "{words:?} is not in view:\n{screen}"
        );
    }
    press(&mut app, "<Enter>");
    let saved = &session(&app)
        .answers
        .get(app.selected_item().unwrap().number);
    assert_eq!(saved.justification, justification);
}

/// Point 3: a key that changes nothing (a level set again) is nothing to undo: the next `Ctrl-Z`
/// takes back the change made before it (here a new action), not an older answer.
#[test]
fn setting_the_same_level_again_leaves_the_undo_order_alone() {
    let mut app = acme_on(Screen::Questionnaire);
    press(&mut app, "2a<Enter>2");
    press(&mut app, "<C-z>");
    assert!(status(&app).contains("action #1"), "{}", status(&app));
    assert!(session(&app).actions.is_empty());
    assert_eq!(
        session(&app).answers.get(1).level.map(|l| l.value()),
        Some(2)
    );
}
