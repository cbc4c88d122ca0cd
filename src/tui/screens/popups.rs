//! Popups drawn over a screen: help, the note editor, the search bar, the new-assessment form.

use crate::model::plan::{PlanChange, parse_date};
use crate::model::{Change, Level, ReasonCode};
use crate::score;
use crate::store::NewAssessment;
use crate::tui::app::{
    App, DecisionForm, NewForm, NoteTarget, Popup, PromptFor, Unsaved, one_line,
};
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::theme::{AMBER_FROM, GREEN_FROM};
use crate::tui::widgets::centered;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(popup) = &app.popup {
        render_popup(frame, area, app, popup);
    }
}

/// Where a note editor goes when the screen does not place it itself: the lower part of the
/// body, so what the note is about stays in view above it.
pub fn note_area(area: Rect) -> Rect {
    let height = (area.height * 3 / 5).max(8).min(area.height);
    Rect {
        y: area.bottom() - height,
        height,
        ..area
    }
}

/// Draws a note editor in `area`: soft-wrapped, its keys in the footer.
pub fn render_note_editor(frame: &mut Frame, area: Rect, target: NoteTarget, editor: &TextArea) {
    frame.render_widget(Clear, area);
    let whose = match target {
        NoteTarget::Item(item) => format!("item {item}"),
        NoteTarget::Step(step) => format!("plan step {step}"),
    };
    let row = editor.cursor().0;
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Note for {whose} · editing, line {} of {} ",
        row + 1,
        editor.lines().len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(editor, inner);
}

fn render_popup(frame: &mut Frame, area: Rect, app: &App, popup: &Popup) {
    match popup {
        Popup::Help { scroll } => render_help(frame, area, app, *scroll),
        Popup::Note { target, editor, .. } => {
            // The questionnaire places the editor below the question itself.
            let drawn_by_screen = app.screen == crate::tui::Screen::Questionnaire
                && matches!(target, NoteTarget::Item(_));
            if !drawn_by_screen {
                render_note_editor(frame, note_area(area), *target, editor);
            }
        }
        Popup::Search { query } => {
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
                        .title(" Search: number, ref or words "),
                ),
                popup,
            );
        }
        Popup::New(form) => render_new_form(frame, area, app, form),
        Popup::Prompt { title, input, .. } => {
            let (_, inner) = titled_box(frame, area, title, 70, 1);
            frame.render_widget(&**input, inner);
        }
        Popup::Decision(form) => render_decision(frame, area, app, form),
        Popup::ConfirmDelete(confirm) => {
            super::picker::render_confirm_delete(frame, area, app, confirm)
        }
        Popup::Unsaved(question) => {
            render_popup(frame, area, app, &question.field);
            render_unsaved(frame, area, app, question);
        }
    }
}

fn render_unsaved(frame: &mut Frame, area: Rect, app: &App, question: &Unsaved) {
    let mut lines = vec![Line::from(Span::styled(
        match &question.reason {
            Some(_) => "What you typed could not be saved.",
            None => "You changed this field and have not saved it.",
        },
        app.theme.title(),
    ))];
    if let Some(reason) = &question.reason {
        lines.push(Line::from(Span::styled(reason.clone(), app.theme.error())));
    }
    lines.push(Line::default());
    for (label, help) in keymap::hints(Scope::Unsaved) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {label:<6}"), app.theme.key()),
            Span::raw(help),
        ]));
    }
    let width = area.width.saturating_sub(4).min(76);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: true });
    let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        paragraph.block(Block::default().borders(Borders::ALL).title(" Not saved ")),
        popup,
    );
}

/// Draws a bordered box of at least `width` columns (wider when the title needs it and the area
/// allows), centred, with room for `body_rows` rows below its title. A title that still does not
/// fit the border is written inside, wrapped, so it is never cut. Returns the box and its body.
fn titled_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    width: u16,
    body_rows: u16,
) -> (Rect, Rect) {
    let wanted = (title.chars().count() as u16).saturating_add(6).max(width);
    let width = wanted
        .min(area.width.saturating_sub(2))
        .max(width.min(area.width));
    let fits = title.chars().count() as u16 + 4 <= width;
    let title_paragraph = Paragraph::new(title.to_string()).wrap(Wrap { trim: true });
    let title_rows = if fits {
        0
    } else {
        title_paragraph.line_count(width.saturating_sub(2)) as u16
    };
    let popup = centered(area, width, body_rows + title_rows + 2);
    frame.render_widget(Clear, popup);
    let mut block = Block::default().borders(Borders::ALL);
    if fits {
        block = block.title(format!(" {title} "));
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [title_area, body] =
        Layout::vertical([Constraint::Length(title_rows), Constraint::Min(0)]).areas(inner);
    if !fits {
        frame.render_widget(title_paragraph, title_area);
    }
    (popup, body)
}

fn render_decision(frame: &mut Frame, area: Rect, app: &App, form: &DecisionForm) {
    let theme = app.theme;
    let title = app
        .session
        .as_ref()
        .and_then(|s| s.questionnaire.item(form.item))
        .map_or_else(String::new, |item| {
            format!("{} {}", item.reference, item.title)
        });
    let (_, inner) = titled_box(frame, area, &format!("Applicability of {title}"), 80, 10);
    let rows = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Min(1),
    ])
    .split(inner);
    let label = |index: usize| {
        let focused = form.focus == index;
        Span::styled(
            format!(
                "{}{:<14}",
                if focused { ">" } else { " " },
                DecisionForm::FIELDS[index]
            ),
            if focused {
                theme.accent()
            } else {
                theme.title()
            },
        )
    };
    let choice = if form.applicable {
        "(x) included   ( ) excluded"
    } else {
        "( ) included   (x) excluded"
    };
    frame.render_widget(Line::from(vec![label(0), Span::raw(choice)]), rows[0]);
    let mut spans = vec![label(1)];
    for (index, code) in ReasonCode::ALL.iter().enumerate() {
        let ticked = if form.reasons.contains(code) {
            "[x]"
        } else {
            "[ ]"
        };
        let style = if form.focus == 1 && form.cursor == index {
            theme.selected()
        } else {
            Style::default()
        };
        spans.push(Span::styled(format!("{ticked} {}", code.short()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), rows[1]);
    let legend = ReasonCode::ALL
        .iter()
        .map(|c| format!("{} {}", c.short(), c.label()))
        .collect::<Vec<_>>()
        .join(" · ");
    frame.render_widget(
        Paragraph::new(legend)
            .style(theme.dim())
            .wrap(Wrap { trim: true }),
        rows[2],
    );
    let [text_label, text] =
        Layout::horizontal([Constraint::Length(15), Constraint::Min(1)]).areas(rows[3]);
    frame.render_widget(label(2), text_label);
    frame.render_widget(&form.justification, text);
}

/// Applies an action to the open popup, which was taken out of the app; a popup that stays open
/// is put back.
pub fn update(app: &mut App, popup: Popup, action: Action) {
    match popup {
        Popup::Help { scroll } => {
            let scroll = match action {
                Action::Down => scroll.saturating_add(1),
                Action::Up => scroll.saturating_sub(1),
                _ => scroll,
            };
            app.popup = Some(Popup::Help { scroll });
        }
        Popup::Note {
            target,
            editor,
            base,
        } => match action {
            Action::Save => {
                let text = editor.lines().join("\n");
                if !app.save_note(target, &base, text) {
                    // Nothing typed is dropped: the editor stays, under the question.
                    let note = Popup::Note {
                        target,
                        editor,
                        base,
                    };
                    app.ask_unsaved(note, false);
                }
            }
            _ => {
                app.popup = Some(Popup::Note {
                    target,
                    editor,
                    base,
                })
            }
        },
        Popup::Prompt {
            purpose,
            title,
            input,
            base,
        } => match action {
            Action::Submit => {
                let text = one_line(&input.lines().join("\n"));
                if !submit_prompt(app, purpose, &base, text.trim()) {
                    app.popup = Some(Popup::Prompt {
                        purpose,
                        title,
                        input,
                        base,
                    });
                }
            }
            Action::Back => {}
            _ => {
                app.popup = Some(Popup::Prompt {
                    purpose,
                    title,
                    input,
                    base,
                })
            }
        },
        Popup::Unsaved(question) => {
            let Unsaved {
                field, quit_after, ..
            } = *question;
            match action {
                Action::Submit => {
                    if app.save_field(field) {
                        if quit_after {
                            app.quit();
                        }
                    } else if let Some(field) = app.popup.take() {
                        app.ask_unsaved(field, quit_after);
                    }
                }
                Action::Discard => {
                    app.info("Discarded what you typed; the saved value is unchanged.");
                    if quit_after {
                        app.quit();
                    }
                }
                Action::WriteToFile => match app.rescue(&field) {
                    Ok(message) => {
                        app.info(message);
                        if quit_after {
                            app.quit();
                        }
                    }
                    Err(message) => {
                        app.error(message);
                        app.ask_unsaved(field, quit_after);
                    }
                },
                Action::Back => app.popup = Some(field),
                _ => {
                    app.popup = Some(Popup::Unsaved(Box::new(Unsaved {
                        field,
                        reason: None,
                        quit_after,
                    })))
                }
            }
        }
        Popup::Search { query } => match action {
            Action::Submit if app.screen == crate::tui::app::Screen::Soa => {
                super::soa::start_search(app, &query)
            }
            Action::Submit => {
                let query = query.trim().to_string();
                if !query.is_empty()
                    && let Some(session) = &mut app.session
                {
                    session.last_search = Some(query);
                }
                app.search(true, true);
            }
            Action::Back => {}
            _ => app.popup = Some(Popup::Search { query }),
        },
        Popup::New(mut form) => match action {
            Action::Back => {}
            Action::NextField | Action::PreviousField => {
                let count = NewForm::FIELDS.len();
                let step = if action == Action::NextField {
                    1
                } else {
                    count - 1
                };
                form.focus = (form.focus + step) % count;
                app.popup = Some(Popup::New(form));
            }
            Action::ChoiceLeft | Action::ChoiceRight => {
                let count = app.catalog.all().len();
                let step = if action == Action::ChoiceRight {
                    1
                } else {
                    count - 1
                };
                form.standard = (form.standard + step) % count;
                app.popup = Some(Popup::New(form));
            }
            Action::Submit => create_assessment(app, form),
            _ => app.popup = Some(Popup::New(form)),
        },
        Popup::Decision(mut form) => match action {
            Action::Back => {}
            Action::NextField | Action::PreviousField => {
                let count = DecisionForm::FIELDS.len();
                let step = if action == Action::NextField {
                    1
                } else {
                    count - 1
                };
                form.focus = (form.focus + step) % count;
                app.popup = Some(Popup::Decision(form));
            }
            Action::Toggle | Action::ChoiceLeft | Action::ChoiceRight => {
                match (form.focus, action) {
                    (0, _) => form.applicable = !form.applicable,
                    (_, Action::ChoiceLeft) => form.cursor = form.cursor.saturating_sub(1),
                    (_, Action::ChoiceRight) => {
                        form.cursor = (form.cursor + 1).min(ReasonCode::ALL.len() - 1)
                    }
                    _ => {
                        let code = ReasonCode::ALL[form.cursor];
                        if let Some(position) = form.reasons.iter().position(|c| *c == code) {
                            form.reasons.remove(position);
                        } else {
                            form.reasons.push(code);
                            form.reasons.sort();
                        }
                    }
                }
                app.popup = Some(Popup::Decision(form));
            }
            Action::Submit => {
                let change = Change::Applicability {
                    applicable: Some(form.applicable),
                    reasons: form.reasons.clone(),
                    justification: form.justification_text(),
                };
                if !app.apply_edit(form.item, &form.opened.2.clone(), change) {
                    app.popup = Some(Popup::Decision(form));
                }
            }
            _ => app.popup = Some(Popup::Decision(form)),
        },
        Popup::ConfirmDelete(confirm) => super::picker::update_confirm_delete(app, confirm, action),
    }
}

/// Saves what a one-line prompt asked for; false keeps the prompt open (the status line says why).
fn submit_prompt(app: &mut App, purpose: PromptFor, base: &str, text: &str) -> bool {
    let date = |text: &str| -> Result<Option<chrono::NaiveDate>, String> {
        if text.is_empty() {
            Ok(None)
        } else {
            parse_date(text).map(Some)
        }
    };
    let today = app.today;
    match purpose {
        PromptFor::StepOwner(step) => {
            app.apply_plan_edit(step, base, PlanChange::Owner(text.into()))
        }
        PromptFor::StepDone(step) => match parse_date(text) {
            Ok(date) => app.apply_plan_change(step, PlanChange::DoneOn { date, today }),
            Err(message) => {
                app.error(message);
                false
            }
        },
        PromptFor::StepStart(step) | PromptFor::StepDue(step) => match date(text) {
            Ok(day) => {
                let change = if matches!(purpose, PromptFor::StepStart(_)) {
                    PlanChange::Start(day)
                } else {
                    PlanChange::Due(day)
                };
                app.apply_plan_change(step, change)
            }
            Err(message) => {
                app.error(message);
                false
            }
        },
        PromptFor::StepReason(step, status) => app.apply_plan_change(
            step,
            PlanChange::Status {
                status,
                reason: text.into(),
                today,
            },
        ),
        PromptFor::Evidence(item) => app.apply_edit(item, base, Change::Evidence(text.into())),
        PromptFor::Risks(item) => app.apply_edit(item, base, Change::Risks(text.into())),
        PromptFor::Owner(item) => app.apply_edit(item, base, Change::Owner(text.into())),
        PromptFor::MigrateName(id) => super::picker::migrate_to(app, id, text),
        PromptFor::Rename(_) | PromptFor::Scope(_) | PromptFor::Assessor(_) => {
            super::picker::submit_edit(app, purpose, text)
        }
    }
}

fn create_assessment(app: &mut App, form: Box<NewForm>) {
    let Some(questionnaire) = app.catalog.all().get(form.standard).map(|q| q.id.clone()) else {
        return;
    };
    let new = NewAssessment {
        name: one_line(&form.name.lines().join("\n")),
        questionnaire_id: questionnaire,
        scope: one_line(&form.scope.lines().join("\n")),
        assessor: one_line(&form.assessor.lines().join("\n")),
    };
    match app.store.create_assessment(&new) {
        Ok(assessment) => app.open_assessment(assessment),
        Err(error) => {
            app.error(error.to_string());
            app.popup = Some(Popup::New(form));
        }
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
        Scope::Soa,
        Scope::Plan,
        Scope::Export,
        Scope::NoteEditor,
        Scope::Prompt,
        Scope::SearchBar,
        Scope::NewForm,
        Scope::ConfirmDelete,
        Scope::DecisionForm,
        Scope::Unsaved,
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
            .block(Block::default().borders(Borders::ALL).title(" Help ")),
        popup,
    );
}
