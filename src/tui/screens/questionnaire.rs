//! The questionnaire: clauses and items on the left, the selected item on the right.

use crate::model::{Change, Item, ItemKind, Level, Questionnaire};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{DecisionForm, NoteTarget, Popup};
use crate::tui::theme::Theme;
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::{fit, level_mark};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// One row of the left pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Group(usize),
    Item(usize),
}

/// The questionnaire screen's own state: which item is selected, how far its texts are
/// scrolled, and the last search.
#[derive(Default)]
pub struct QuestionnaireView {
    /// Index into the questionnaire's items.
    pub selected: usize,
    /// How far the selected item's question and guidance are scrolled.
    pub detail_scroll: u16,
    /// How far the selected item's note is scrolled (clamped when drawn).
    pub note_scroll: u16,
    pub last_search: Option<String>,
    /// The left pane: group headers followed by their items.
    rows: Vec<Row>,
    /// Index into `rows` of each item, for scrolling.
    row_of_item: Vec<usize>,
}

impl QuestionnaireView {
    pub fn new(questionnaire: &Questionnaire, selected: usize) -> QuestionnaireView {
        let mut rows = Vec::new();
        let mut row_of_item = vec![0; questionnaire.items.len()];
        for (group_index, group) in questionnaire.groups().iter().enumerate() {
            rows.push(Row::Group(group_index));
            for (index, item) in questionnaire.items.iter().enumerate() {
                if item.clause == group.id {
                    row_of_item[index] = rows.len();
                    rows.push(Row::Item(index));
                }
            }
        }
        QuestionnaireView {
            selected: selected.min(questionnaire.items.len().saturating_sub(1)),
            detail_scroll: 0,
            note_scroll: 0,
            last_search: None,
            rows,
            row_of_item,
        }
    }

    /// The selected item.
    pub fn item<'a>(&self, session: &'a OpenAssessment) -> &'a Item {
        &session.questionnaire.items[self.selected.min(session.questionnaire.items.len() - 1)]
    }

    /// Selects an item by index; its texts start at the top.
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.row_of_item.len().saturating_sub(1));
        self.detail_scroll = 0;
        self.note_scroll = 0;
    }

    /// Selects an item by number.
    pub fn show(&mut self, session: &OpenAssessment, number: u32) {
        if let Some(index) = session
            .questionnaire
            .items
            .iter()
            .position(|i| i.number == number)
        {
            self.select(index);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext, popup: Option<&Popup>) {
        let Some(session) = ctx.session else { return };
        let left_width = (area.width * 2 / 5).clamp(24, 48);
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(area);
        self.render_list(frame, left, session, ctx.theme);
        self.render_item(frame, right, ctx, popup);
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, session: &OpenAssessment, theme: Theme) {
        let block = Block::default().borders(Borders::ALL).title(format!(
            " Items {}/{} ",
            self.selected + 1,
            session.questionnaire.items.len()
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let height = inner.height as usize;
        if height == 0 {
            return;
        }
        // Only the visible rows are built: the cost follows the window, not the questionnaire.
        let selected_row = self.row_of_item[self.selected];
        let offset = selected_row
            .saturating_sub(height / 2)
            .min(self.rows.len().saturating_sub(height));
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
        let query = self.last_search.as_deref();
        let lines: Vec<Line> = self.rows[offset..]
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
                    // A merge conflict waiting on the item (issue 18) shows before anything else.
                    let conflict = session
                        .conflicts
                        .iter()
                        .any(|c| c.key.target == crate::model::merge::Target::Item(item.number));
                    let note = if conflict {
                        '!'
                    } else if answer.review_needed {
                        'R'
                    } else if answer.note.is_empty() {
                        ' '
                    } else {
                        '*'
                    };
                    let head = format!("{:>4} ", item.number);
                    // level mark, note mark, action mark, space
                    let title_width = width.saturating_sub(head.len() + 4);
                    let style = if index == self.selected {
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
                        Span::styled(
                            note.to_string(),
                            if conflict {
                                style.patch(theme.error())
                            } else {
                                style
                            },
                        ),
                        // An open action on the item's gap.
                        Span::styled(
                            if session.open_action.get(index).copied().unwrap_or(false) {
                                "A"
                            } else {
                                " "
                            },
                            style,
                        ),
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

    fn render_item(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext, popup: Option<&Popup>) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let item = self.item(session);
        let answer = session.answers.get(item.number);
        let questionnaire = &session.questionnaire;
        let query = self.last_search.as_deref();
        let group = questionnaire
            .group(&item.clause)
            .map_or_else(|| item.clause.clone(), |g| format!("{} {}", g.id, g.title));
        let title = format!(
            " Item {} · {} · {} scroll ",
            item.number,
            item.reference,
            keymap::label(Scope::Questionnaire, KeyAction::ScrollDown)
        );
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
        ];
        if let Some(kind) = crate::model::registers::RegisterKind::for_reference(&item.reference) {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} ({}) · {} opens the register",
                    kind.title(),
                    session.registers.count(kind),
                    keymap::label(Scope::Questionnaire, KeyAction::OpenRegister)
                ),
                theme.accent(),
            )));
        }
        lines.extend([
            Line::default(),
            Line::from(Span::styled("Ask", theme.accent())),
            Line::from(highlighted(&item.question, query, Style::default(), theme)),
            Line::default(),
            Line::from(Span::styled(
                "Evidence an auditor looks for",
                theme.accent(),
            )),
            Line::from(highlighted(&item.guidance, query, Style::default(), theme)),
        ]);
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
                format!(
                    "(no note - press {} to write what the room said)",
                    keymap::label(Scope::Questionnaire, KeyAction::EditNote)
                ),
                theme.dim(),
            )
        } else {
            Text::from_iter(
                (answer.note.lines())
                    .map(|l| Line::from(highlighted(l, query, Style::default(), theme))),
            )
        };
        let note_paragraph = Paragraph::new(note_text).wrap(Wrap { trim: false });
        let editing = match popup {
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
        frame.render_widget(details_text.scroll((self.detail_scroll, 0)), details);

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
        let conflicts = session
            .conflicts
            .iter()
            .filter(|c| c.key.target == crate::model::merge::Target::Item(item.number))
            .count();
        let conflict_text = if conflicts > 0 {
            format!(
                " MERGE CONFLICT ({conflicts}; {} decides) ·",
                keymap::label(Scope::Questionnaire, KeyAction::Merge)
            )
        } else {
            String::new()
        };
        let review = format!("{conflict_text}{review}");
        let review = review.as_str();
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
                None => format!(
                    "Not assessed yet - press {}",
                    keymap::label(Scope::Questionnaire, KeyAction::SetLevel(Level::Absent))
                ),
            }
        };
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(level_spans),
                crate::tui::widgets::fit_line(
                    Line::from(vec![
                        Span::styled(review.to_string(), theme.error()),
                        Span::raw(format!(" {state}")),
                    ]),
                    levels.width as usize,
                ),
            ])
            .block(Block::default().borders(Borders::TOP).title(format!(
                " {} ",
                crate::tui::widgets::fit_words(
                    level_title(session, item.number).trim(),
                    (levels.width as usize).saturating_sub(2)
                )
            ))),
            levels,
        );

        if let Some(editor) = editing {
            crate::tui::popups::render_note_editor(
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
        let scroll = self.note_scroll.min(total.saturating_sub(visible));
        let title = if total > visible {
            format!(
                " Note · lines {}-{} of {total} · {} scrolls ",
                scroll + 1,
                (scroll + visible).min(total),
                keymap::label(Scope::Questionnaire, KeyAction::ScrollNoteDown)
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

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let count = session.questionnaire.items.len();
        let selected = self.selected;
        let item = self.item(session);
        let number = item.number;
        match action {
            KeyAction::Down => self.select((selected + 1).min(count - 1)),
            KeyAction::Up => self.select(selected.saturating_sub(1)),
            KeyAction::First => self.select(0),
            KeyAction::Last => self.select(count - 1),
            KeyAction::PageDown | KeyAction::PageUp => {
                let target = clause_jump(
                    &session.questionnaire.items,
                    selected,
                    action == KeyAction::PageDown,
                );
                self.select(target);
            }
            KeyAction::ScrollNoteDown => self.note_scroll = self.note_scroll.saturating_add(3),
            KeyAction::ScrollNoteUp => self.note_scroll = self.note_scroll.saturating_sub(3),
            KeyAction::ScrollDown => self.detail_scroll = self.detail_scroll.saturating_add(2),
            KeyAction::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(2),
            KeyAction::SetLevel(level) => {
                return Some(Command::Answer {
                    item: number,
                    change: Change::Level(Some(level)),
                });
            }
            KeyAction::ClearLevel => {
                return Some(Command::Answer {
                    item: number,
                    change: Change::Level(None),
                });
            }
            KeyAction::Merge => return Some(Command::ShowMerge),
            KeyAction::History => {
                return Some(Command::ShowHistory {
                    item: Some(number),
                    session: None,
                });
            }
            KeyAction::EditNote => {
                let note = &session.answers.get(number).note;
                return Some(Command::Popup(Popup::note(NoteTarget::Item(number), note)));
            }
            KeyAction::NewAction => {
                return Some(Command::Popup(Popup::prompt(
                    crate::tui::popups::PromptFor::NewAction(number),
                    format!("New action on item {number} ({})", item.reference),
                    &item.title,
                )));
            }
            KeyAction::NextUnanswered => {
                let answers = &session.answers;
                let items = &session.questionnaire.items;
                let found = (1..=count)
                    .map(|offset| (selected + offset) % count)
                    .find(|&index| {
                        let answer = answers.get(items[index].number);
                        answer.level.is_none() && !answer.is_excluded()
                    });
                match found {
                    Some(index) => self.select(index),
                    None => return Some(Command::Info("Every item is answered.".into())),
                }
            }
            KeyAction::StartSearch => {
                return Some(Command::Popup(Popup::Search {
                    query: String::new(),
                }));
            }
            KeyAction::SearchNext => return self.search(session, None, true, false),
            KeyAction::SearchPrevious => return self.search(session, None, false, false),
            KeyAction::ToggleApplicability if item.is_control() => {
                let form = DecisionForm::new(number, session.answers.get(number));
                return Some(Command::Popup(Popup::Decision(Box::new(form))));
            }
            KeyAction::OpenRegister => {
                return Some(
                    match crate::model::registers::RegisterKind::for_reference(&item.reference) {
                        Some(kind) => Command::OpenRegister(kind),
                        None => Command::Info(format!(
                            "{} needs no register; the registers serve 4.1, 4.2, 6.1.2, 6.1.3, 8.2, 8.3 and 6.2 (Tab to Registers).",
                            item.reference
                        )),
                    },
                );
            }
            KeyAction::ToggleApplicability => {
                return Some(Command::Error(format!(
                    "Refused: {}.",
                    crate::model::assessment::NO_CLAUSE_EXCLUSION
                )));
            }
            _ => {}
        }
        None
    }

    /// Moves to the next (or previous) item matching `query` (or the last search), wrapping
    /// around; what the status line should say comes back.
    pub fn search(
        &mut self,
        session: &OpenAssessment,
        query: Option<String>,
        forward: bool,
        from_current: bool,
    ) -> Option<Command> {
        let typed = query.filter(|q| !q.is_empty());
        if let Some(query) = &typed {
            self.last_search = Some(query.clone());
        }
        let Some(query) = self.last_search.clone() else {
            return Some(Command::Info(format!(
                "No search yet: press {} to search.",
                keymap::label(Scope::Questionnaire, KeyAction::StartSearch)
            )));
        };
        // An item's exact number or ref wins over text matches, wherever the cursor is.
        if typed.is_some()
            && let Some(item) = super::exact_item(&session.questionnaire, &query)
        {
            let number = item.number;
            self.show(session, number);
            return Some(Command::Info(format!(
                "Item {number} ({}): its number or ref ({} goes on to the texts that contain \"{query}\").",
                item.reference,
                keymap::label(Scope::Questionnaire, KeyAction::SearchNext)
            )));
        }
        let count = session.questionnaire.items.len();
        let matches = |index: usize| {
            let item = &session.questionnaire.items[index];
            [
                &item.reference,
                &item.title,
                &item.question,
                &item.guidance,
                &session.answers.get(item.number).note,
            ]
            .iter()
            .any(|text| crate::model::text::text_matches(text, &query))
                || item.number.to_string() == query.trim()
        };
        let total = (0..count).filter(|&i| matches(i)).count();
        let first_offset = if from_current { 0 } else { 1 };
        let found = (first_offset..count + first_offset)
            .map(|offset| {
                if forward {
                    (self.selected + offset) % count
                } else {
                    (self.selected + count * 2 - offset) % count
                }
            })
            .find(|&index| matches(index));
        match found {
            Some(index) => {
                let position = (0..=index).filter(|&i| matches(i)).count();
                self.select(index);
                Some(Command::Info(format!(
                    "\"{query}\": match {position} of {total} ({} next, {} previous)",
                    keymap::label(Scope::Questionnaire, KeyAction::SearchNext),
                    keymap::label(Scope::Questionnaire, KeyAction::SearchPrevious)
                )))
            }
            None => Some(Command::Error(format!("\"{query}\": no match"))),
        }
    }
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

/// The level panel's title: when the item last changed and in which workshop session.
fn level_title(session: &OpenAssessment, item: u32) -> String {
    match session.last_changes.get(&item) {
        None => " Level ".to_string(),
        Some((at, number)) => {
            let when = crate::clock::local_text(at, "%Y-%m-%d %H:%M").unwrap_or_else(|| at.clone());
            let workshop = number
                .and_then(|n| session.workshops.iter().find(|s| s.number == n))
                .map_or_else(String::new, |s| format!(" · session {}", s.number));
            format!(" Level · last changed {when}{workshop} ")
        }
    }
}

impl super::View for QuestionnaireView {
    fn title(&self) -> &'static str {
        "Questionnaire"
    }
    fn short_title(&self) -> &'static str {
        "Items"
    }
    fn scope(&self) -> Scope {
        Scope::Questionnaire
    }
    fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        QuestionnaireView::update(self, ctx, action)
    }
    fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext, popup: Option<&Popup>) {
        QuestionnaireView::render(self, frame, area, ctx, popup)
    }
}
