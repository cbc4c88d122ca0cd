//! The assessment picker: open, create, rename, edit or delete one; each row shows the
//! assessment's readiness, coverage and last change.

use crate::model::catalog::DEFAULT_QUESTIONNAIRE;
use crate::model::mapping::Mapping;
use crate::score::{Percent, Rating};
use crate::tui::command::{AssessmentField, Command};
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{NewForm, Popup, PromptFor};
use crate::tui::screens::Screen;
use crate::tui::view_context::ViewContext;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The picker's own state: the highlighted assessment.
#[derive(Default)]
pub struct PickerView {
    /// Index into the assessments.
    pub selected: usize,
}

/// A timestamp as shown: local date and minute.
fn local_time(stamp: &str) -> String {
    crate::clock::local_text(stamp, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|| stamp.chars().take(16).collect())
}

fn percent(value: Option<Percent>) -> String {
    value.map_or_else(|| "?".to_string(), |p| format!("{p} %"))
}

impl PickerView {
    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let count = ctx.assessments.len();
        self.selected = self.selected.min(count.saturating_sub(1));
        let highlighted = ctx
            .assessments
            .get(self.selected)
            .map(|row| row.assessment.clone());
        let open = |screen: Screen| match &highlighted {
            Some(assessment) => Command::Open {
                assessment: assessment.clone(),
                screen,
            },
            None => Command::Info(format!(
                "No assessment yet: press {} to create one.",
                keymap::label(Scope::Picker, KeyAction::NewAssessment)
            )),
        };
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = count.saturating_sub(1),
            KeyAction::Open | KeyAction::NextScreen => return Some(open(Screen::Questionnaire)),
            KeyAction::PreviousScreen => return Some(open(Screen::Export)),
            KeyAction::NewAssessment => {
                let default = ctx
                    .catalog
                    .all()
                    .iter()
                    .position(|q| q.id == DEFAULT_QUESTIONNAIRE)
                    .unwrap_or(0);
                return Some(Command::Popup(Popup::New(Box::new(NewForm::new(default)))));
            }
            KeyAction::Migrate => {
                let assessment = highlighted?;
                let mapping = Mapping::builtin();
                if assessment.questionnaire_id != mapping.from {
                    return Some(Command::Info(format!(
                        "Only {} assessments are carried over (to {}).",
                        mapping.from, mapping.to
                    )));
                }
                let name = mapping.carried_name(&assessment);
                let title = format!("Carry \"{}\" over to {} as", assessment.name, mapping.to);
                return Some(Command::Popup(Popup::prompt(
                    PromptFor::MigrateName(Box::new(assessment)),
                    title,
                    &name,
                )));
            }
            KeyAction::Rename => {
                let assessment = highlighted?;
                return Some(Command::Popup(Popup::prompt(
                    PromptFor::Assessment(assessment.id, AssessmentField::Name),
                    format!("New name for \"{}\"", assessment.name),
                    &assessment.name,
                )));
            }
            KeyAction::EditDetails => {
                let assessment = highlighted?;
                return Some(Command::Popup(Popup::prompt(
                    PromptFor::Assessment(assessment.id, AssessmentField::Scope),
                    format!("Scope of \"{}\"", assessment.name),
                    &assessment.scope,
                )));
            }
            KeyAction::Delete => return highlighted.map(Command::AskDelete),
            KeyAction::Back if ctx.session.is_some() => {
                return Some(Command::Show(Screen::Questionnaire));
            }
            _ => {}
        }
        None
    }
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let theme = ctx.theme;
        let selected = self.selected.min(ctx.assessments.len().saturating_sub(1));
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" Assessments in {} ", ctx.database.display()));
        let inner = block.inner(list_area);
        frame.render_widget(block, list_area);

        if ctx.assessments.is_empty() {
            frame.render_widget(
            Paragraph::new(
                format!("No assessment yet. Press {} to create one: give the organisation's name, the scope and the assessor, and choose the standard.", keymap::label(Scope::Picker, KeyAction::NewAssessment)),
            )
            .wrap(Wrap { trim: true }),
            inner,
        );
            return;
        }
        // One header line, then the rows.
        let height = (inner.height as usize).saturating_sub(1);
        let offset = selected.saturating_sub(height.saturating_sub(1));
        let end = (offset + height).min(ctx.assessments.len());
        let shown = &ctx.assessments[offset..end];
        let width = inner.width as usize;
        // Columns: name, standard, readiness, coverage, last change. The standard's full title when
        // the name keeps at least 24 columns, else its id.
        const FIXED: usize = 1 + 2 + 2 + 7 + 2 + 7 + 2 + 16;
        let standards = |titles: bool| -> Vec<String> {
            shown
                .iter()
                .map(
                    |row| match ctx.catalog.get(&row.assessment.questionnaire_id) {
                        Some(q) if titles => q.title.clone(),
                        Some(q) => q.id.clone(),
                        None => format!("{} (unknown)", row.assessment.questionnaire_id),
                    },
                )
                .collect()
        };
        let widest = |names: &[String]| names.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        let mut standard = standards(true);
        if width < FIXED + widest(&standard) + 24 {
            standard = standards(false);
        }
        let standard_width = widest(&standard).max("Standard".len());
        let name_width = width.saturating_sub(FIXED + standard_width).max(8);
        let header = format!(
            " {:<name_width$}  {:<standard_width$}  {:>7}  {:>7}  {}",
            "Assessment", "Standard", "Ready", "Covered", "Last change"
        );
        frame.render_widget(
            Paragraph::new(fit(&header, width)).style(theme.title()),
            Rect { height: 1, ..inner },
        );
        for (row, (shown_row, standard)) in shown.iter().zip(&standard).enumerate() {
            let assessment = &shown_row.assessment;
            let figures = shown_row.figures.clone().unwrap_or_default();
            let index = offset + row;
            let style = if index == selected {
                theme.selected()
            } else {
                Style::default()
            };
            let rating = figures
                .rating
                .map_or(Style::default(), |rating: Rating| theme.rating(rating));
            let last = figures
                .last_change
                .as_deref()
                .map_or_else(String::new, local_time);
            let line = Line::from(vec![
                Span::styled(
                    format!(
                        " {:<name_width$}  {:<standard_width$}  ",
                        fit(&assessment.name, name_width),
                        fit(standard, standard_width)
                    ),
                    style,
                ),
                Span::styled(
                    format!("{:>7}", percent(figures.readiness)),
                    style.patch(rating),
                ),
                Span::styled(
                    format!("  {:>7}  {:<16}", percent(figures.coverage), last),
                    style,
                ),
            ]);
            let line_area = Rect {
                y: inner.y + 1 + row as u16,
                height: 1,
                ..inner
            };
            frame.render_widget(Paragraph::new(line).style(style), line_area);
        }

        if let Some(assessment) = ctx.assessments.get(selected).map(|row| &row.assessment) {
            // The local date: the stored UTC one is the day before for a start after midnight.
            let date = crate::clock::local_date(&assessment.created_at).map_or_else(
                || assessment.created_at.chars().take(10).collect(),
                |d| d.to_string(),
            );
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
                    Span::raw(
                        match (assessment.assessor.is_empty(), assessment.firm.is_empty()) {
                            (true, true) => "-".to_string(),
                            (false, true) => assessment.assessor.clone(),
                            (true, false) => format!("- ({})", assessment.firm),
                            (false, false) => {
                                format!("{}, {}", assessment.assessor, assessment.firm)
                            }
                        },
                    ),
                    Span::styled("   Created: ", theme.title()),
                    Span::raw(date),
                    Span::styled("   Id: ", theme.title()),
                    Span::raw(assessment.id.to_string()),
                ]),
                Line::from(Span::styled(
                    format!(
                        "{} rename · {} scope, assessor, firm · {} delete (backup kept) · {} migrate",
                        keymap::label(Scope::Picker, KeyAction::Rename),
                        keymap::label(Scope::Picker, KeyAction::EditDetails),
                        keymap::label(Scope::Picker, KeyAction::Delete),
                        keymap::label(Scope::Picker, KeyAction::Migrate)
                    ),
                    theme.dim(),
                )),
            ];
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::default().borders(Borders::ALL).title(" Selected "))
                    .wrap(Wrap { trim: true }),
                detail_area,
            );
        }
    }
}

super::view!(PickerView, "Assessments", Scope::Picker);
