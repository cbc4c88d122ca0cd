//! The interactive app: a thin shell over the model and the store.

pub mod app;
pub mod command;
mod crash;
pub mod keymap;
pub mod popups;
pub mod register_form;
pub mod screens;
pub mod theme;
pub mod view_context;
pub mod widgets;

pub use app::{App, Screen};

use crate::service::Context;
use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyModifiers,
};
use ratatui::prelude::*;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Draws the whole app. A pure function of the state: no I/O, no changes.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < widgets::MIN_WIDTH || area.height < widgets::MIN_HEIGHT {
        widgets::too_small(frame, area, app);
        return;
    }
    // A long message wraps onto more lines rather than being cut.
    let status_height = widgets::status_height(app, area);
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_height),
        Constraint::Length(1),
    ])
    .areas(area);
    widgets::header(frame, header, app);
    let ctx = app.context();
    let popup = app.popup.as_ref();
    app.views.render(app.screen, frame, body, &ctx, popup);
    if let Some(popup) = popup {
        // The questionnaire draws its note editor below the question itself.
        let editor_in_screen = app.screen == Screen::Questionnaire
            && matches!(note_target(popup), Some(popups::NoteTarget::Item(_)));
        popups::render(frame, body, &ctx, popup, editor_in_screen);
    }
    widgets::status_line(frame, status, app);
    widgets::footer(frame, footer, app);
}

/// Whose note an open editor (or the question over it) is for.
fn note_target(popup: &popups::Popup) -> Option<popups::NoteTarget> {
    match popup {
        popups::Popup::Note { target, .. } => Some(*target),
        popups::Popup::Unsaved(question) => note_target(&question.field),
        _ => None,
    }
}

/// Runs the app until the user quits. The terminal is restored on return, on error and on panic;
/// a note being edited is saved when the terminal closes (SIGHUP) or the process is asked to stop.
pub fn run(context: Context, assessment: Option<String>) -> Result<()> {
    let warning = context.warnings.first().cloned();
    let mut app = if assessment.is_some() {
        App::without_picker_figures(context)?
    } else {
        App::new(context)?
    };
    if let Some(warning) = warning {
        app.error(format!("Warning: {warning}"));
    }
    if let Some(name) = assessment {
        let found = app
            .service
            .find_assessment(&name)?
            .ok_or_else(|| eyre!("no assessment named \"{name}\" (see `isms-ready list`)"))?;
        app.open_assessment(found);
        if app.screen == Screen::Picker {
            app.read_picker_figures();
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGHUP, SIGTERM, SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // ratatui::init installs a panic hook that restores the terminal, then calls the one before
    // it (color-eyre's report); ours runs last and writes a crash report file.
    let mut terminal = ratatui::init();
    // A paste arrives as one event (bracketed paste), so no pasted byte is taken as a key.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    let report_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        report_hook(info);
        if let Some(path) = crash::write_report(info) {
            eprintln!(
                "isms-ready: a crash report was written to {}",
                path.display()
            );
        }
    }));
    let result = event_loop(&mut terminal, &mut app, &stop);
    let mut lost_text = None;
    if result.is_err() || stop.load(Ordering::SeqCst) {
        // The terminal may be gone: keep what was typed before anything else.
        lost_text = app.stop();
    }
    let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    if let Some(message) = lost_text {
        eprintln!("{message}");
    }
    result
}

/// How often the loop wakes without a key: to notice signals and changes by another instance.
const TICK: Duration = Duration::from_millis(250);

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicBool) -> Result<()> {
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    while !app.should_quit {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        app.reload_if_changed_elsewhere();
        terminal.draw(|frame| render(frame, app))?;
        app.record_opened();
        if !event::poll(TICK)? {
            continue;
        }
        // Handle every event already waiting (a paste, fast typing) before drawing again.
        let mut handled = 0;
        loop {
            match event::read()? {
                Event::Key(mut key) => {
                    // A test hook, in debug builds only: the release binary holds no test hook.
                    #[cfg(debug_assertions)]
                    if std::env::var_os("ISMS_READY_TEST_PANIC").is_some() {
                        panic!(
                            "panic requested by ISMS_READY_TEST_PANIC (a test of the crash handling)"
                        );
                    }
                    // A terminal without bracketed paste sends a paste as keys: an Enter in a
                    // one-line field with more input already waiting is a pasted line break, not
                    // "save" (no person types the next key within a millisecond).
                    if key.code == KeyCode::Enter
                        && app.typing_one_line()
                        && event::poll(Duration::from_millis(1))?
                    {
                        key = KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
                    }
                    app.handle_key(key);
                }
                Event::Paste(text) => app.handle_paste(&text),
                Event::Resize(width, height) => app.resize(width, height),
                _ => {}
            }
            handled += 1;
            // A zero timeout would not look at input the reader already holds: wait a moment.
            if app.should_quit
                || handled >= MAX_EVENTS_PER_FRAME
                || !event::poll(Duration::from_millis(1))?
            {
                break;
            }
        }
    }
    Ok(())
}

/// A bound on the events handled between two frames, so the screen keeps up during a long paste.
const MAX_EVENTS_PER_FRAME: usize = 1024;
