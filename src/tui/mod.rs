//! The interactive app: a thin shell over the model and the store.

pub mod app;
pub mod keymap;
pub mod screens;
pub mod theme;
pub mod widgets;

pub use app::{App, Screen};

use crate::commands::Context;
use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use ratatui::prelude::*;

/// Draws the whole app. A pure function of the state: no I/O, no changes.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < widgets::MIN_WIDTH || area.height < widgets::MIN_HEIGHT {
        widgets::too_small(frame, area, app.theme);
        return;
    }
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    widgets::header(frame, header, app);
    match app.screen {
        Screen::Picker => screens::picker::render(frame, body, app),
        Screen::Questionnaire => screens::questionnaire::render(frame, body, app),
        Screen::Dashboard => screens::dashboard::render(frame, body, app),
        Screen::Soa => screens::soa::render(frame, body, app),
        Screen::Plan => screens::plan::render(frame, body, app),
        Screen::Export => screens::export::render(frame, body, app),
    }
    screens::popups::render(frame, body, app);
    widgets::status_line(frame, status, app);
    widgets::footer(frame, footer, app);
}

/// Runs the app until the user quits. The terminal is restored on return, on error and on panic.
pub fn run(context: Context, assessment: Option<String>) -> Result<()> {
    let Context {
        store,
        catalog,
        warnings,
    } = context;
    let mut app = App::new(store, catalog)?;
    if let Some(warning) = warnings.first() {
        app.error(format!("Warning: {warning}"));
    }
    if let Some(name) = assessment {
        let found = app
            .store
            .find_assessment(&name)?
            .ok_or_else(|| eyre!("no assessment named \"{name}\" (see `isms-ready list`)"))?;
        app.open_assessment(found);
    }
    // ratatui::init installs a panic hook that restores the terminal before the report prints.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
    while !app.should_quit {
        terminal.draw(|frame| render(frame, app))?;
        match event::read()? {
            Event::Key(key) => app.handle_key(key),
            Event::Resize(..) => {}
            _ => {}
        }
    }
    Ok(())
}
