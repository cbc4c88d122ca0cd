//! The one kit for driving the app in-process (issue 26: no copied helpers): real key presses
//! into `App` (`press`), frames rendered into a `TestBackend` (`draw`, `draw_with_marks`), and
//! the app over a store (`app_on`). Every screen test crate uses it.
#![allow(dead_code)]

use isms_ready::model::Catalog;
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::theme::Theme;
use isms_ready::tui::{App, Screen, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn app_on(store: Store) -> App {
    let mut app = App::new(isms_ready::service::Context::with(
        store,
        Catalog::builtin(),
    ))
    .unwrap();
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
            firm: String::new(),
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

/// A key pressed without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Ctrl with a letter.
pub fn ctrl(letter: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL)
}

/// The key a `press` name stands for: <Enter>, <Esc>, <Tab>, <BackTab>, <Down>, <Up>, <Left>,
/// <Right>, <PgDn>, <PgUp>, <Del>, <BS> (or <Bs>), and Ctrl with a letter: <C-s>, <C-c>, <C-z>...
pub fn named_key(name: &str) -> KeyEvent {
    let code = match name {
        "BackTab" => return KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
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
        "BS" | "Bs" => KeyCode::Backspace,
        ctrl_letter if ctrl_letter.starts_with("C-") && ctrl_letter.chars().count() == 3 => {
            return ctrl(ctrl_letter.chars().last().unwrap());
        }
        other => panic!("unknown key <{other}>"),
    };
    key(code)
}

/// Presses keys: plain characters, or a key by name in angle brackets (see `named_key`).
pub fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (event, used) = if c == '<'
            && let Some(end) = rest.find('>')
        {
            (named_key(&rest[1..end]), end + 1)
        } else {
            (key(KeyCode::Char(c)), c.len_utf8())
        };
        app.handle_key(event);
        rest = &rest[used..];
    }
}

/// The app drawn into a test terminal of `width` x `height`.
pub fn terminal(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(frame, app)).unwrap();
    terminal
}

/// The screen as text, one quoted line per row.
pub fn draw(app: &App, width: u16, height: u16) -> String {
    terminal(app, width, height).backend().to_string()
}

/// The screen, each line followed by a line of `^` under the cells drawn underlined (how a
/// search match is marked without colour), when it has any.
pub fn draw_with_marks(app: &App, width: u16, height: u16) -> String {
    let terminal = terminal(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut text = String::new();
        let mut marks = String::new();
        for x in 0..width {
            let cell = &buffer[(x, y)];
            text.push_str(cell.symbol());
            let marked = cell.modifier.contains(ratatui::style::Modifier::UNDERLINED);
            marks.push(if marked { '^' } else { ' ' });
        }
        out.push_str(&text);
        out.push('\n');
        if marks.contains('^') {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
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

/// A view tested alone, without `App`: the service over a store, the open assessment as the
/// app reads it (`service::Context::open_assessment`), and the `ViewContext` a view's `update`
/// and `render` take.
pub struct ViewBench {
    pub service: isms_ready::service::Context,
    pub open: isms_ready::service::open::OpenAssessment,
    pub export_dir: std::path::PathBuf,
}

impl ViewBench {
    /// "Acme Ltd" (2013) from `acme_store`, opened on 2026-06-01.
    pub fn acme() -> ViewBench {
        ViewBench::on(acme_store(), "Acme Ltd")
    }

    /// The assessment `name` of `store`, opened on 2026-06-01.
    pub fn on(store: Store, name: &str) -> ViewBench {
        let service = isms_ready::service::Context::with(store, Catalog::builtin());
        let assessment = service.find_assessment(name).unwrap().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let (open, _) = service
            .open_assessment(assessment, today)
            .unwrap()
            .expect("a questionnaire this build knows");
        ViewBench {
            service,
            open,
            export_dir: std::path::PathBuf::from("exports"),
        }
    }

    /// What a view reads, as `App::context` builds it.
    pub fn ctx(&self) -> isms_ready::tui::view_context::ViewContext<'_> {
        isms_ready::tui::view_context::ViewContext {
            session: Some(&self.open),
            assessments: &[],
            catalog: &self.service.catalog,
            theme: Theme::MONOCHROME,
            today: self.open.today,
            database: self.service.database(),
            export_dir: &self.export_dir,
        }
    }
}

/// The action `keys` (one key, as `press` spells it) stands for on a screen of `scope`, looked
/// up in the app's own key table with the global keys, as the app does outside popups.
pub fn action(
    scope: isms_ready::tui::keymap::Scope,
    keys: &str,
) -> isms_ready::tui::keymap::KeyAction {
    let event = match keys.strip_prefix('<').and_then(|k| k.strip_suffix('>')) {
        Some(name) => named_key(name),
        None => {
            let mut chars = keys.chars();
            let c = chars.next().expect("a key");
            assert!(chars.next().is_none(), "one key at a time: {keys}");
            key(KeyCode::Char(c))
        }
    };
    isms_ready::tui::keymap::lookup(scope, &event, true)
        .unwrap_or_else(|| panic!("{keys} is bound to nothing on {scope:?}"))
}

/// One key (as `action` spells it) into a view's own `update`, looked up in the view's scope:
/// what the app does for a screen with no popup open, without the app.
pub fn key_to(
    view: &mut dyn isms_ready::tui::screens::View,
    ctx: &isms_ready::tui::view_context::ViewContext,
    keys: &str,
) -> Option<isms_ready::tui::command::Command> {
    let action = action(view.scope(), keys);
    view.update(ctx, action)
}
