//! Drives the app in-process for the SoA and plan screen tests: real key presses into `App`,
//! frames rendered into a `TestBackend` (like `tests/tui.rs`).
#![allow(dead_code)]

use isms_ready::model::Catalog;
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::theme::Theme;
use isms_ready::tui::{App, Screen, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn app_on(store: Store) -> App {
    let mut app = App::new(store, Catalog::builtin()).unwrap();
    app.theme = Theme::MONOCHROME;
    app
}

/// A store with one 2013 assessment "Acme Ltd".
pub fn acme_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    acme_into(&mut store);
    store
}

pub fn acme_into(store: &mut Store) {
    store
        .create_assessment(&NewAssessment {
            name: "Acme Ltd".into(),
            questionnaire_id: "iso27001-2013".into(),
            scope: "Head office".into(),
            assessor: "J. Doe".into(),
        })
        .unwrap();
}

/// The app with "Acme Ltd" opened, on `screen`.
pub fn acme_on(screen: Screen) -> App {
    let mut app = app_on(acme_store());
    press(&mut app, "<Enter>");
    on_screen(&mut app, screen);
    app
}

pub fn on_screen(app: &mut App, screen: Screen) {
    while app.screen != screen {
        press(app, "<Tab>");
    }
}

/// Presses keys: plain characters, or <Enter>, <Esc>, <Tab>, <Down>, <Up>, <PgDn>, <PgUp>, <Del>,
/// <BS>, and Ctrl with a letter: <C-s>, <C-c>, <C-z>...
pub fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (event, used) = if c == '<'
            && let Some(end) = rest.find('>')
        {
            let code = match &rest[1..end] {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "Down" => KeyCode::Down,
                "Right" => KeyCode::Right,
                "Left" => KeyCode::Left,
                "Up" => KeyCode::Up,
                "PgDn" => KeyCode::PageDown,
                "PgUp" => KeyCode::PageUp,
                "Del" => KeyCode::Delete,
                "BS" => KeyCode::Backspace,
                ctrl if ctrl.starts_with("C-") => {
                    let letter = ctrl.chars().last().unwrap_or('s');
                    app.handle_key(KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL));
                    rest = &rest[end + 1..];
                    continue;
                }
                other => panic!("unknown key <{other}>"),
            };
            (KeyEvent::new(code, KeyModifiers::NONE), end + 1)
        } else {
            (
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                c.len_utf8(),
            )
        };
        app.handle_key(event);
        rest = &rest[used..];
    }
}

pub fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(frame, app)).unwrap();
    terminal.backend().to_string()
}

/// The last line of a drawn screen (the key footer), without its quotes.
pub fn footer(screen: &str) -> String {
    screen
        .lines()
        .last()
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

pub fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The time every snapshot test runs at, with its local offset (issue 26: tests set the clock,
/// so snapshots filter nothing and read the same in every time zone).
pub const TEST_TIME: &str = "2026-03-02T09:30:00+01:00";

/// Sets this test's clock to `TEST_TIME`: the first line of every test in a crate with snapshots.
pub fn at_test_time() {
    isms_ready::clock::set(Some(
        chrono::DateTime::parse_from_rfc3339(TEST_TIME).expect("an RFC 3339 time"),
    ));
}

/// A snapshot of a drawn screen, named.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $screen:expr) => {
        insta::assert_snapshot!($name, $screen);
    };
}
