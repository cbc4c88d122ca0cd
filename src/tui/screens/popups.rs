//! Popups drawn over a screen: help, the note editor, the search bar, the new-assessment form.

use crate::model::Level;
use crate::score;
use crate::tui::app::{App, NewForm, Popup};
use crate::tui::keymap::{self, Scope};
use crate::tui::theme::{AMBER_FROM, GREEN_FROM};
use crate::tui::widgets::centered;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    match &app.popup {
        None => {}
        Some(Popup::Help { scroll }) => render_help(frame, area, app, *scroll),
        Some(Popup::Note { item, editor }) => {
            let popup = centered(
                area,
                area.width.saturating_sub(8).max(40),
                area.height.saturating_sub(4).max(8),
            );
            frame.render_widget(Clear, popup);
            let block = Block::default().borders(Borders::ALL).title(format!(
                " Note for item {item} · Ctrl-S or Esc saves · Enter new line "
            ));
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            frame.render_widget(&**editor, inner);
        }
        Some(Popup::Search { query }) => {
            let popup = Rect {
                x: area.x,
                y: area.bottom().saturating_sub(3),
                width: area.width,
                height: 3.min(area.height),
            };
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(format!("/{query}█")).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" Search: number, ref or words; Enter goes "),
                ),
                popup,
            );
        }
        Some(Popup::New(form)) => render_new_form(frame, area, app, form),
    }
}

fn render_new_form(frame: &mut Frame, area: Rect, app: &App, form: &NewForm) {
    let popup = centered(area, 70, 12);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" New assessment ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = Layout::vertical([Constraint::Length(2); 4]).split(inner);
    let fields = [&form.name, &form.scope, &form.assessor];
    for (index, label) in NewForm::FIELDS.iter().enumerate() {
        let [label_area, field_area] =
            Layout::horizontal([Constraint::Length(11), Constraint::Min(1)]).areas(rows[index]);
        let focused = form.focus == index;
        let style = if focused {
            app.theme.accent()
        } else {
            app.theme.title()
        };
        let marker = if focused { ">" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker}{label}:")).style(style),
            label_area,
        );
        if let Some(field) = fields.get(index) {
            let line_area = Rect {
                height: 1,
                ..field_area
            };
            if focused {
                frame.render_widget(*field, line_area);
            } else {
                frame.render_widget(Paragraph::new(field.lines().join(" ")), line_area);
            }
        } else {
            let standard = app
                .catalog
                .all()
                .get(form.standard)
                .map_or("-", |q| q.title.as_str());
            frame.render_widget(
                Paragraph::new(format!("< {standard} >  (Left/Right to change)")),
                field_area,
            );
        }
    }
}

/// Help is built from the keymap table plus the rules the screens apply.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut lines = Vec::new();
    for scope in [
        Scope::Global,
        Scope::Picker,
        Scope::Questionnaire,
        Scope::Dashboard,
        Scope::NoteEditor,
        Scope::SearchBar,
        Scope::NewForm,
        Scope::Help,
    ] {
        lines.push(Line::from(Span::styled(scope.title(), theme.accent())));
        for (label, help) in keymap::hints(scope) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {label:<16}"), theme.key()),
                Span::raw(help),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "Levels (the PDCA ladder)",
        theme.accent(),
    )));
    for level in Level::ALL {
        lines.push(Line::from(format!(
            "  {} {:<12} {}",
            level.value(),
            level.label(),
            level.meaning()
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Scoring", theme.accent())));
    for rule in score::RULES {
        lines.push(Line::from(format!("  {rule}")));
    }
    lines.push(Line::from(format!(
        "  Dashboard colours: red !! below {AMBER_FROM} %, amber ~ from {AMBER_FROM} %, green ok from {GREEN_FROM} % readiness."
    )));
    lines.push(Line::default());
    lines.push(Line::from(format!(
        "Database: {}",
        app.store.path().display()
    )));
    lines
}

fn render_help(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let popup = centered(
        area,
        area.width.saturating_sub(4).max(1),
        area.height.saturating_sub(2).max(1),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(help_lines(app))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Help · j/k scroll · Esc closes "),
            ),
        popup,
    );
}
