//! The questionnaire: clauses and items on the left, the selected item on the right.

use crate::model::{Change, Item, ItemKind, Level};
use crate::tui::app::{App, NoteTarget, Popup, Row, Session, level_mark};
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(session) = &app.session else { return };
    let left_width = (area.width * 2 / 5).clamp(24, 48);
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(area);
    render_list(frame, left, session, app.theme);
    render_item(frame, right, app);
}

fn render_list(frame: &mut Frame, area: Rect, session: &Session, theme: Theme) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Items {}/{} ",
        session.selected + 1,
        session.questionnaire.items.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    if height == 0 {
        return;
    }
    // Only the visible rows are built: the cost follows the window, not the questionnaire.
    let selected_row = session.row_of_item[session.selected];
    let offset = selected_row
        .saturating_sub(height / 2)
        .min(session.rows.len().saturating_sub(height));
    let groups = session.questionnaire.groups();
    let figures_of = |id: &str| {
        session
            .summary
            .clauses
            .iter()
            .chain(
                session
                    .summary
                    .annex_a
                    .iter()
                    .flat_map(|a| a.domains.iter()),
            )
            .find(|g| g.clause == id)
            .map(|g| &g.figures)
    };
    let width = inner.width as usize;
    let query = session.last_search.as_deref();
    let lines: Vec<Line> = session.rows[offset..]
        .iter()
        .take(height)
        .map(|row| match *row {
            Row::Group(index) => {
                let group = groups[index];
                let progress = figures_of(group.id).map_or_else(String::new, |f| {
                    format!(" {}/{}", f.answered + f.excluded, f.items)
                });
                let prefix = if group.kind == ItemKind::Clause {
                    "Clause "
                } else {
                    ""
                };
                let title_width = width.saturating_sub(progress.chars().count());
                Line::from(vec![
                    Span::styled(
                        format!(
                            "{:<title_width$}",
                            fit(
                                &format!("{prefix}{} {}", group.id, group.title),
                                title_width
                            )
                        ),
                        theme.title(),
                    ),
                    Span::styled(progress, theme.dim()),
                ])
            }
            Row::Item(index) => {
                let item = &session.questionnaire.items[index];
                let answer = session.answers.get(item.number);
                let mark = if answer.is_excluded() {
                    'x'
                } else {
                    level_mark(answer.level)
                };
                let note = if answer.review_needed {
                    'R'
                } else if answer.note.is_empty() {
                    ' '
                } else {
                    '*'
                };
                let head = format!("{:>4} ", item.number);
                let title_width = width.saturating_sub(head.len() + 3);
                let style = if index == session.selected {
                    theme.selected()
                } else {
                    Style::default()
                };
                let title = fit(&item.title, title_width);
                let pad = title_width.saturating_sub(title.chars().count());
                let mut spans = vec![
                    Span::styled(head, style),
                    Span::styled(
                        mark.to_string(),
                        style.patch(theme.level(answer.level.map(Level::value))),
                    ),
                    Span::styled(note.to_string(), style),
                    Span::styled(" ", style),
                ];
                spans.extend(highlighted(&title, query, style, theme));
                spans.push(Span::styled(" ".repeat(pad), style));
                Line::from(spans)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_item(frame: &mut Frame, area: Rect, app: &App) {
    let Some(session) = &app.session else { return };
    let theme = app.theme;
    let item = session.item();
    let answer = session.answers.get(item.number);
    let questionnaire = &session.questionnaire;
    let query = session.last_search.as_deref();
    let group = questionnaire
        .group(&item.clause)
        .map_or_else(|| item.clause.clone(), |g| format!("{} {}", g.id, g.title));
    let title = format!(" Item {} · {} · J/K scroll ", item.number, item.reference);
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut lines = vec![
        Line::from(highlighted(&item.title, query, theme.title(), theme)),
        Line::from(Span::styled(
            match item.kind {
                ItemKind::Clause => format!("{group} · phase {}", item.pdca),
                ItemKind::Control => {
                    let objective = item
                        .objective
                        .as_deref()
                        .and_then(|id| questionnaire.objective(id))
                        .map_or_else(String::new, |o| format!(" · {} {}", o.id, o.title));
                    format!("Annex A {group}{objective}")
                }
            },
            theme.dim(),
        )),
        Line::default(),
        Line::from(Span::styled("Ask", theme.accent())),
        Line::from(highlighted(&item.question, query, Style::default(), theme)),
        Line::default(),
        Line::from(Span::styled(
            "Evidence an auditor looks for",
            theme.accent(),
        )),
        Line::from(highlighted(&item.guidance, query, Style::default(), theme)),
    ];
    for (label, hints) in [
        ("Good practice", &item.hints.good),
        ("Bad practice", &item.hints.bad),
    ] {
        if !hints.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(label, theme.accent())));
            lines.extend(hints.iter().map(|hint| Line::from(format!("- {hint}"))));
        }
    }
    let details_text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let note_text = if answer.note.is_empty() {
        Text::styled(
            "(no note - press e to write what the room said)",
            theme.dim(),
        )
    } else {
        Text::from_iter(
            (answer.note.lines())
                .map(|l| Line::from(highlighted(l, query, Style::default(), theme))),
        )
    };
    let note_paragraph = Paragraph::new(note_text).wrap(Wrap { trim: false });
    let editing = match &app.popup {
        Some(Popup::Note {
            target: NoteTarget::Item(number),
            editor,
            ..
        }) if *number == item.number => Some(&**editor),
        Some(Popup::Unsaved(question)) => match &question.field {
            Popup::Note {
                target: NoteTarget::Item(number),
                editor,
                ..
            } if *number == item.number => Some(&**editor),
            _ => None,
        },
        _ => None,
    };
    let [details, levels, note] = layout_item(
        inner,
        details_text.line_count(inner.width) as u16,
        note_paragraph.line_count(inner.width) as u16,
        editing.is_some(),
    );
    frame.render_widget(details_text.scroll((session.detail_scroll, 0)), details);

    // Full level names when they fit, else the digits alone (the line below names the level).
    let full_width: usize = Level::ALL
        .iter()
        .map(|l| l.label().len() + 5)
        .sum::<usize>()
        + 1;
    let compact = (levels.width as usize) < full_width;
    let mut level_spans = vec![Span::raw(" ")];
    for level in Level::ALL {
        let text = if compact {
            format!("[{}]", level.value())
        } else {
            format!("[{} {}]", level.value(), level.label())
        };
        let style = if answer.level == Some(level) {
            theme.selected().patch(theme.level(Some(level.value())))
        } else {
            theme.dim()
        };
        level_spans.push(Span::styled(text, style));
        level_spans.push(Span::raw(" "));
    }
    let review = if answer.review_needed {
        " REVIEW NEEDED (carried over; set the level again to confirm) ·"
    } else {
        ""
    };
    let state = if answer.is_excluded() {
        format!("Excluded: {}", answer.justification)
    } else {
        match answer.level {
            Some(level) => format!(
                "Level {} {} - {}",
                level.value(),
                level.label(),
                level.meaning()
            ),
            None => "Unanswered - press 0 to 4".to_string(),
        }
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(level_spans),
            Line::from(vec![
                Span::styled(review, theme.error()),
                Span::raw(format!(" {state}")),
            ]),
        ])
        .block(Block::default().borders(Borders::TOP).title(" Level ")),
        levels,
    );

    if let Some(editor) = editing {
        crate::tui::screens::popups::render_note_editor(
            frame,
            note,
            NoteTarget::Item(item.number),
            editor,
        );
        return;
    }
    // The note panel takes the room the question leaves, and scrolls when the note is longer.
    let total = note_paragraph.line_count(note.width) as u16;
    let visible = note.height.saturating_sub(1);
    let scroll = session.note_scroll.min(total.saturating_sub(visible));
    let title = if total > visible {
        format!(
            " Note · lines {}-{} of {total} · {} scrolls ",
            scroll + 1,
            (scroll + visible).min(total),
            keymap::label(Scope::Questionnaire, Action::ScrollNoteDown)
        )
    } else {
        " Note ".to_string()
    };
    frame.render_widget(
        note_paragraph
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::TOP).title(title)),
        note,
    );
}

/// Splits the item pane into the question and guidance, the level bar and the note. The note
/// takes what the question does not need; a long note and a long question share the pane, the
/// question keeping at least two fifths; an open editor gets three fifths, the question staying
/// in view above it (in a short pane the level bar is left out while the editor is open).
fn layout_item(area: Rect, details_lines: u16, note_lines: u16, editing: bool) -> [Rect; 3] {
    // In a short pane the level bar gives way to the editor: what is being typed comes first.
    let levels = if editing && area.height < 13 { 0 } else { 3 };
    let room = area.height.saturating_sub(levels);
    let details = if editing {
        details_lines.min(room * 2 / 5).max(room.min(3))
    } else {
        let note_needs = note_lines + 1;
        if details_lines + note_needs <= room {
            details_lines
        } else {
            room.saturating_sub(note_needs)
                .max(details_lines.min(room * 2 / 5))
        }
    };
    let [details, levels, note] = Layout::vertical([
        Constraint::Length(details),
        Constraint::Length(levels),
        Constraint::Min(0),
    ])
    .areas(area);
    [details, levels, note]
}

pub fn update(app: &mut App, action: Action) {
    let Some(session) = &app.session else { return };
    let count = session.questionnaire.items.len();
    let selected = session.selected;
    let item_number = session.item().number;
    let is_control = session.item().is_control();
    match action {
        Action::Down => app.select((selected + 1).min(count - 1)),
        Action::Up => app.select(selected.saturating_sub(1)),
        Action::First => app.select(0),
        Action::Last => app.select(count - 1),
        Action::PageDown | Action::PageUp => {
            let target = clause_jump(
                &session.questionnaire.items,
                selected,
                action == Action::PageDown,
            );
            app.select(target);
        }
        Action::ScrollNoteDown | Action::ScrollNoteUp => {
            if let Some(session) = &mut app.session {
                session.note_scroll = if action == Action::ScrollNoteDown {
                    session.note_scroll.saturating_add(3)
                } else {
                    session.note_scroll.saturating_sub(3)
                };
            }
        }
        Action::ScrollDown | Action::ScrollUp => {
            if let Some(session) = &mut app.session {
                session.detail_scroll = if action == Action::ScrollDown {
                    session.detail_scroll.saturating_add(2)
                } else {
                    session.detail_scroll.saturating_sub(2)
                };
            }
        }
        Action::SetLevel(level) => {
            app.apply_change(item_number, Change::Level(Some(level)));
        }
        Action::ClearLevel => {
            app.apply_change(item_number, Change::Level(None));
        }
        Action::EditNote => app.open_note(NoteTarget::Item(item_number)),
        Action::NextUnanswered => {
            let answers = &session.answers;
            let items = &session.questionnaire.items;
            let found = (1..=count)
                .map(|offset| (selected + offset) % count)
                .find(|&index| {
                    let answer = answers.get(items[index].number);
                    answer.level.is_none() && !answer.is_excluded()
                });
            match found {
                Some(index) => app.select(index),
                None => app.info("Every item is answered."),
            }
        }
        Action::StartSearch => {
            app.popup = Some(Popup::Search {
                query: String::new(),
            })
        }
        Action::SearchNext => app.search(true, false),
        Action::SearchPrevious => app.search(false, false),
        Action::ToggleApplicability => {
            if is_control {
                super::soa::open_decision(app, item_number);
            } else {
                app.error(format!(
                    "Refused: {}.",
                    crate::model::assessment::NO_CLAUSE_EXCLUSION
                ));
            }
        }
        _ => {}
    }
}

/// The item index PgDn/PgUp moves to: the first item of the next group, or of this group (of the
/// previous one when already at its first item).
fn clause_jump(items: &[Item], selected: usize, forward: bool) -> usize {
    let group = &items[selected].clause;
    if forward {
        return items
            .iter()
            .skip(selected)
            .position(|item| &item.clause != group)
            .map_or(items.len() - 1, |offset| selected + offset);
    }
    let start_of = |index: usize| {
        let group = &items[index].clause;
        items[..index]
            .iter()
            .rposition(|item| &item.clause != group)
            .map_or(0, |i| i + 1)
    };
    let start = start_of(selected);
    if start == selected && start > 0 {
        start_of(start - 1)
    } else {
        start
    }
}

/// `text` as spans in `style`, with each match of the last search (case and accents ignored, see
/// `model::text`) marked: black on yellow, and underlined and bold so it shows without colour.
fn highlighted(text: &str, query: Option<&str>, style: Style, theme: Theme) -> Vec<Span<'static>> {
    let mark = if theme.color {
        style.patch(Style::default().fg(Color::Black).bg(Color::Yellow))
    } else {
        style
    }
    .add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
    let mut spans = Vec::new();
    let mut at = 0;
    for range in query.map_or_else(Vec::new, |q| crate::model::text::find_all_folded(text, q)) {
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_string(), style));
        }
        spans.push(Span::styled(text[range.clone()].to_string(), mark));
        at = range.end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(text[at..].to_string(), style));
    }
    spans
}
