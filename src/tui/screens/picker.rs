//! The assessment picker: open one, or create one.

use crate::model::catalog::DEFAULT_QUESTIONNAIRE;
use crate::model::mapping::Mapping;
use crate::tui::app::{App, NewForm, Popup, PromptFor, Screen};
use crate::tui::keymap::Action;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Assessments in {} ", app.store.path().display()));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);

    if app.assessments.is_empty() {
        frame.render_widget(
            Paragraph::new(
                "No assessment yet. Press n to create one: give the organisation's name, the scope and the assessor, and choose the standard.",
            )
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let offset = app.picker_selected.saturating_sub(height.saturating_sub(1));
    let width = inner.width as usize;
    for (row, (index, assessment)) in app
        .assessments
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let standard = app.catalog.get(&assessment.questionnaire_id).map_or_else(
            || format!("{} (unknown)", assessment.questionnaire_id),
            |q| q.title.clone(),
        );
        let name_width = width.saturating_sub(standard.chars().count() + 8).max(8);
        let text = format!(
            " {:<name_width$}  {}",
            fit(&assessment.name, name_width),
            standard
        );
        let style = if index == app.picker_selected {
            theme.selected()
        } else {
            Style::default()
        };
        let line_area = Rect {
            y: inner.y + row as u16,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(fit(&text, width)).style(style), line_area);
    }

    if let Some(assessment) = app.assessments.get(app.picker_selected) {
        let date = assessment
            .created_at
            .get(..10)
            .unwrap_or(&assessment.created_at);
        let lines = vec![
            Line::from(vec![
                Span::styled("Scope: ", theme.title()),
                Span::raw(if assessment.scope.is_empty() {
                    "-"
                } else {
                    &assessment.scope
                }),
            ]),
            Line::from(vec![
                Span::styled("Assessor: ", theme.title()),
                Span::raw(if assessment.assessor.is_empty() {
                    "-"
                } else {
                    &assessment.assessor
                }),
                Span::styled("   Created: ", theme.title()),
                Span::raw(date),
                Span::styled("   Id: ", theme.title()),
                Span::raw(assessment.id.to_string()),
            ]),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::default().borders(Borders::ALL).title(" Selected "))
                .wrap(Wrap { trim: true }),
            detail_area,
        );
    }
}

pub fn update(app: &mut App, action: Action) {
    let count = app.assessments.len();
    match action {
        Action::Down => {
            app.picker_selected = (app.picker_selected + 1).min(count.saturating_sub(1))
        }
        Action::Up => app.picker_selected = app.picker_selected.saturating_sub(1),
        Action::First => app.picker_selected = 0,
        Action::Last => app.picker_selected = count.saturating_sub(1),
        Action::Open => {
            if let Some(assessment) = app.assessments.get(app.picker_selected).cloned() {
                app.open_assessment(assessment);
            } else {
                app.info("No assessment yet: press n to create one.");
            }
        }
        Action::NewAssessment => {
            let default = app
                .catalog
                .all()
                .iter()
                .position(|q| q.id == DEFAULT_QUESTIONNAIRE)
                .unwrap_or(0);
            app.popup = Some(Popup::New(Box::new(NewForm::new(default))));
        }
        Action::Migrate => {
            let Some(assessment) = app.assessments.get(app.picker_selected).cloned() else {
                return;
            };
            let mapping = Mapping::builtin();
            if assessment.questionnaire_id != mapping.from {
                app.info(format!(
                    "Only {} assessments are carried over (to {}).",
                    mapping.from, mapping.to
                ));
                return;
            }
            let name = crate::commands::migrate::default_name(&assessment, &mapping.to);
            app.open_prompt(
                PromptFor::MigrateName(assessment.id),
                format!("Carry \"{}\" over to {} as", assessment.name, mapping.to),
                &name,
            );
        }
        Action::Back if app.session.is_some() => app.screen = Screen::Questionnaire,
        _ => {}
    }
}

/// Creates the carried-over assessment and opens it; false keeps the name prompt open.
pub fn migrate_to(app: &mut App, assessment_id: i64, name: &str) -> bool {
    let Some(assessment) = app
        .assessments
        .iter()
        .find(|a| a.id == assessment_id)
        .cloned()
    else {
        return false;
    };
    let to = Mapping::builtin().to.clone();
    match crate::commands::migrate::migrate(&mut app.store, &app.catalog, &assessment, &to, name) {
        Ok(created) => {
            app.open_assessment(created);
            app.info(format!(
                "Carried over to {to}: every carried answer is marked R (review needed) until you set its level again; \"{}\" is unchanged.",
                assessment.name
            ));
            true
        }
        Err(error) => {
            app.error(format!("NOT MIGRATED: {error}"));
            false
        }
    }
}
