//! The Export screen: choose a format, write it, see where it went. Nothing external is opened.

use crate::export::ExportFormat;
use crate::tui::app::App;
use crate::tui::keymap::Action;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(session) = &app.session else { return };
    let theme = app.theme;
    let [list, info] = Layout::vertical([
        Constraint::Length(ExportFormat::ALL.len() as u16 + 2),
        Constraint::Min(1),
    ])
    .areas(area);
    let lines: Vec<Line> = ExportFormat::ALL
        .iter()
        .enumerate()
        .map(|(index, format)| {
            let style = if index == session.export_selected {
                theme.selected()
            } else {
                Style::default()
            };
            Line::from(vec![
                Span::styled(
                    format!(" {:<5} ", format.extension()),
                    style.patch(theme.title()),
                ),
                Span::styled(format.describe().to_string(), style),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Export · Enter writes the selected format "),
        ),
        list,
    );
    let mut text = vec![
        Line::from(vec![
            Span::styled("Folder: ", theme.title()),
            Span::raw(app.export_dir.display().to_string()),
        ]),
        Line::from(Span::styled(
            "Files are named after the assessment and today's date; an existing file is never replaced (a number is added).",
            theme.dim(),
        )),
        Line::default(),
    ];
    match &session.last_export {
        Some(written) => text.push(Line::from(vec![
            Span::styled("Written: ", theme.info()),
            Span::raw(written.clone()),
        ])),
        None => text.push(Line::from(Span::styled(
            "Nothing written yet in this session.",
            theme.dim(),
        ))),
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), info);
}

pub fn update(app: &mut App, action: Action) {
    let Some(session) = &mut app.session else {
        return;
    };
    let count = ExportFormat::ALL.len();
    match action {
        Action::Down => session.export_selected = (session.export_selected + 1).min(count - 1),
        Action::Up => session.export_selected = session.export_selected.saturating_sub(1),
        Action::First => session.export_selected = 0,
        Action::Last => session.export_selected = count - 1,
        Action::Open => {
            let format = ExportFormat::ALL[session.export_selected];
            let assessment = session.assessment.clone();
            let dir = app.export_dir.clone();
            let result = crate::service::export::write_into_dir(
                &app.store,
                &app.catalog,
                &assessment,
                format,
                &dir,
            )
            .map(|(path, bytes)| format!("{} ({bytes} bytes)", path.display()));
            match result {
                Ok(written) => {
                    if let Some(session) = &mut app.session {
                        session.last_export = Some(written.clone());
                    }
                    app.info(format!("Wrote {written}"));
                }
                Err(error) => app.error(format!("NOT WRITTEN: {error}")),
            }
        }
        _ => {}
    }
}
