//! The assessment picker: open, create, rename, edit or delete one; each row shows the
//! assessment's readiness, coverage and last change.

use crate::model::Assessment;
use crate::model::catalog::DEFAULT_QUESTIONNAIRE;
use crate::model::mapping::Mapping;
use crate::score::{self, Percent, Rating};
use crate::tui::app::{App, NewForm, Popup, PromptFor, Screen};
use crate::tui::keymap::Action;
use crate::tui::widgets::{centered, fit};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::path::PathBuf;

/// The figures of one picker row, read once when the row is first shown (see `App::picker_rows`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFigures {
    /// Overall readiness and coverage from `score::summarize`; `None` when the questionnaire is
    /// unknown to this build or the answers could not be read.
    pub readiness: Option<Percent>,
    pub coverage: Option<Percent>,
    /// RFC 3339, UTC: the newest history row, else the creation.
    pub last_change: Option<String>,
}

impl RowFigures {
    fn of(app: &App, assessment: &Assessment) -> RowFigures {
        let summary = app.catalog.get(&assessment.questionnaire_id).and_then(|q| {
            let answers = app.store.answers(assessment.id, q.items.len()).ok()?;
            Some(score::summarize(assessment, &q, &answers))
        });
        RowFigures {
            readiness: summary.as_ref().map(|s| s.overall.readiness),
            coverage: summary.as_ref().map(|s| s.overall.coverage),
            last_change: app.store.last_change(assessment.id).ok(),
        }
    }
}

/// The figures of the assessments at `range` of the list: computed for the rows shown only, and
/// kept until the list is read again (`App::refresh_assessments`).
fn figures(app: &App, range: std::ops::Range<usize>) -> Vec<RowFigures> {
    let mut cache = app.picker_rows.borrow_mut();
    app.assessments[range]
        .iter()
        .map(|assessment| {
            cache
                .entry(assessment.id)
                .or_insert_with(|| RowFigures::of(app, assessment))
                .clone()
        })
        .collect()
}

/// A timestamp as shown: local date and minute.
fn local_time(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp).map_or_else(
        |_| stamp.chars().take(16).collect(),
        |t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        },
    )
}

fn percent(value: Option<Percent>) -> String {
    value.map_or_else(|| "?".to_string(), |p| format!("{p} %"))
}

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
    // One header line, then the rows.
    let height = (inner.height as usize).saturating_sub(1);
    let offset = app.picker_selected.saturating_sub(height.saturating_sub(1));
    let end = (offset + height).min(app.assessments.len());
    let shown = &app.assessments[offset..end];
    let figures = figures(app, offset..end);
    let width = inner.width as usize;
    // Columns: name, standard, readiness, coverage, last change. The standard's full title when
    // the name keeps at least 24 columns, else its id.
    const FIXED: usize = 1 + 2 + 2 + 7 + 2 + 7 + 2 + 16;
    let standards = |titles: bool| -> Vec<String> {
        shown
            .iter()
            .map(|a| match app.catalog.get(&a.questionnaire_id) {
                Some(q) if titles => q.title.clone(),
                Some(q) => q.id.clone(),
                None => format!("{} (unknown)", a.questionnaire_id),
            })
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
    for (row, ((assessment, figures), standard)) in
        shown.iter().zip(&figures).zip(&standard).enumerate()
    {
        let index = offset + row;
        let style = if index == app.picker_selected {
            theme.selected()
        } else {
            Style::default()
        };
        let rating = figures.readiness.map_or(Style::default(), |p| {
            theme.rating(Rating::of_tenths(p.tenths()))
        });
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
            Line::from(Span::styled(
                "r rename · e edit scope and assessor · D delete (a backup is kept) · m migrate",
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
            let name = crate::service::migrate::default_name(&assessment, &mapping.to);
            app.open_prompt(
                PromptFor::MigrateName(assessment.id),
                format!("Carry \"{}\" over to {} as", assessment.name, mapping.to),
                &name,
            );
        }
        Action::Rename => {
            if let Some(assessment) = app.assessments.get(app.picker_selected).cloned() {
                app.open_prompt(
                    PromptFor::Rename(assessment.id),
                    format!("New name for \"{}\"", assessment.name),
                    &assessment.name,
                );
            }
        }
        Action::EditDetails => {
            if let Some(assessment) = app.assessments.get(app.picker_selected).cloned() {
                app.open_prompt(
                    PromptFor::Scope(assessment.id),
                    format!("Scope of \"{}\"", assessment.name),
                    &assessment.scope,
                );
            }
        }
        Action::Delete => {
            if let Some(assessment) = app.assessments.get(app.picker_selected).cloned() {
                let backup = crate::service::assessment::backup_path(&app.store, &assessment);
                app.popup = Some(Popup::ConfirmDelete(Box::new(DeleteConfirm {
                    assessment,
                    backup,
                })));
            }
        }
        Action::Back if app.session.is_some() => app.screen = Screen::Questionnaire,
        _ => {}
    }
}

/// `Tab` (or `Shift-Tab`) in the picker: opens the highlighted assessment on `screen`; the one
/// already open is shown as it was left.
pub fn open_selected(app: &mut App, screen: Screen) {
    let Some(assessment) = app.assessments.get(app.picker_selected).cloned() else {
        app.info("No assessment yet: press n to create one.");
        return;
    };
    if app.session.as_ref().map(|s| s.assessment.id) != Some(assessment.id) {
        app.open_assessment(assessment);
    }
    if app.session.is_some() {
        app.screen = screen;
    }
}

/// Puts the highlight on the assessment `id` (after the list was read again).
fn select_id(app: &mut App, id: i64) {
    if let Some(index) = app.assessments.iter().position(|a| a.id == id) {
        app.picker_selected = index;
    }
}

/// Saves a rename or a scope/assessor change from a prompt; false keeps the prompt open.
pub fn submit_edit(app: &mut App, purpose: PromptFor, text: &str) -> bool {
    let (id, name, scope, assessor) = match purpose {
        PromptFor::Rename(id) => (id, Some(text), None, None),
        PromptFor::Scope(id) => (id, None, Some(text), None),
        PromptFor::Assessor(id) => (id, None, None, Some(text)),
        _ => return false,
    };
    let old_name = app
        .assessments
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    match app.store.edit_assessment(id, name, scope, assessor) {
        Ok(saved) => {
            if let Some(session) = app.session.as_mut().filter(|s| s.assessment.id == id) {
                session.assessment = saved.clone();
                session.recompute();
            }
            app.refresh_assessments();
            select_id(app, id);
            match purpose {
                PromptFor::Rename(_) => {
                    app.info(format!("Renamed \"{old_name}\" to \"{}\".", saved.name))
                }
                PromptFor::Scope(_) => {
                    app.info(format!("\"{}\": scope saved.", saved.name));
                    // The assessor comes next, in the same stride.
                    app.open_prompt(
                        PromptFor::Assessor(id),
                        format!("Assessor of \"{}\"", saved.name),
                        &saved.assessor,
                    );
                }
                _ => app.info(format!("\"{}\": assessor saved.", saved.name)),
            }
            true
        }
        Err(error) => {
            app.error(format!("NOT SAVED: {error}"));
            false
        }
    }
}

/// The delete confirmation: which assessment, and where its backup goes.
pub struct DeleteConfirm {
    pub assessment: Assessment,
    pub backup: PathBuf,
}

pub fn render_confirm_delete(frame: &mut Frame, area: Rect, app: &App, confirm: &DeleteConfirm) {
    let theme = app.theme;
    let popup = centered(area, 76, 11);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(" Delete an assessment ");
    let standard = app
        .catalog
        .get(&confirm.assessment.questionnaire_id)
        .map_or_else(
            || confirm.assessment.questionnaire_id.clone(),
            |q| q.title.clone(),
        );
    let lines = vec![
        Line::from(vec![
            Span::raw("Delete "),
            Span::styled(format!("\"{}\"", confirm.assessment.name), theme.title()),
            Span::raw(format!(
                " ({standard}) with all its answers, notes, plan and history?"
            )),
        ]),
        Line::default(),
        Line::from("A backup (JSON, with the history) is written first, to:"),
        Line::from(Span::styled(
            confirm.backup.display().to_string(),
            theme.accent(),
        )),
        Line::from("`isms-ready import FILE` brings it back."),
        Line::default(),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" delete   "),
            Span::styled("n", theme.key()),
            Span::raw(" or "),
            Span::styled("Esc", theme.key()),
            Span::raw(" keep it"),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// Applies a key to the delete confirmation, which was taken out of the app.
pub fn update_confirm_delete(app: &mut App, confirm: Box<DeleteConfirm>, action: Action) {
    match action {
        Action::Submit => {
            let DeleteConfirm { assessment, backup } = *confirm;
            let index = app.picker_selected;
            match crate::service::assessment::delete_with_backup(
                &mut app.store,
                &app.catalog,
                &assessment,
                &backup,
            ) {
                Ok(()) => {
                    if app.session.as_ref().map(|s| s.assessment.id) == Some(assessment.id) {
                        app.session = None;
                    }
                    app.refresh_assessments();
                    app.picker_selected = index.min(app.assessments.len().saturating_sub(1));
                    app.info(format!(
                        "Deleted \"{}\". Backup: {}",
                        assessment.name,
                        backup.display()
                    ));
                }
                Err(error) => app.error(format!("NOT DELETED: {error}")),
            }
        }
        Action::Back => app.info(format!("Kept \"{}\".", confirm.assessment.name)),
        _ => app.popup = Some(Popup::ConfirmDelete(confirm)),
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
    match crate::service::migrate::migrate(&mut app.store, &app.catalog, &assessment, &to, name) {
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
