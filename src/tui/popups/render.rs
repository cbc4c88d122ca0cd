//! Drawing the popups: each a pure function of the popup and the `ViewContext`; and the help.

use super::*;

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

/// What a note belongs to, as titles and messages name it.
pub(super) fn note_owner(target: NoteTarget) -> String {
    match target {
        NoteTarget::Item(item) => format!("item {item}"),
        NoteTarget::Step(step) => format!("plan step {step}"),
        NoteTarget::Action(number) => format!("action #{number}"),
    }
}

/// Draws a note editor in `area`: soft-wrapped, its keys in the footer.
pub fn render_note_editor(frame: &mut Frame, area: Rect, target: NoteTarget, editor: &TextArea) {
    frame.render_widget(Clear, area);
    let whose = note_owner(target);
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

/// Draws a popup over `area`. `editor_in_screen`: the screen below draws this note editor itself.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    ctx: &ViewContext,
    popup: &Popup,
    editor_in_screen: bool,
) {
    match popup {
        Popup::Help { scroll } => render_help(frame, area, ctx, *scroll),
        Popup::Note { target, editor, .. } => {
            if !editor_in_screen {
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
        Popup::New(form) => render_new_form(frame, area, ctx, form),
        Popup::Prompt { title, input, .. } => {
            let (_, inner) = titled_box(frame, area, title, 70, 1);
            frame.render_widget(&**input, inner);
        }
        Popup::Decision(form) => render_decision(frame, area, ctx, form),
        Popup::ConfirmDelete(confirm) => render_confirm_delete(frame, area, ctx, confirm),
        Popup::Entry(form) => render_entry_form(frame, area, ctx, form),
        Popup::ConfirmRemove(confirm) => render_confirm_remove(frame, area, ctx, confirm),
        Popup::Confirm(confirm) => render_confirm(frame, area, ctx, confirm),
        Popup::Unsaved(question) => {
            render(frame, area, ctx, &question.field, editor_in_screen);
            render_unsaved(frame, area, ctx, question);
        }
    }
}

fn render_unsaved(frame: &mut Frame, area: Rect, ctx: &ViewContext, question: &Unsaved) {
    let theme = ctx.theme;
    let mut lines = vec![Line::from(Span::styled(
        match &question.reason {
            Some(_) => "What you typed could not be saved.",
            None => "You changed this field and have not saved it.",
        },
        theme.title(),
    ))];
    if let Some(reason) = &question.reason {
        lines.push(Line::from(Span::styled(reason.clone(), theme.error())));
    }
    lines.push(Line::default());
    for (label, help) in keymap::hints(Scope::Unsaved) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {label:<6}"), theme.key()),
            Span::raw(help),
        ]));
    }
    let width = area.width.saturating_sub(4).min(76);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: true });
    let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
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
    let popup = area.centered(
        Constraint::Length(width),
        Constraint::Length(body_rows + title_rows + 2),
    );
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

fn render_decision(frame: &mut Frame, area: Rect, ctx: &ViewContext, form: &DecisionForm) {
    let theme = ctx.theme;
    let title = ctx
        .session
        .and_then(|s| s.questionnaire.item(form.item))
        .map_or_else(String::new, |item| {
            format!("{} {}", item.reference, item.title)
        });
    let (_, inner) = titled_box(frame, area, &format!("Applicability of {title}"), 80, 12);
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

fn render_new_form(frame: &mut Frame, area: Rect, ctx: &ViewContext, form: &NewForm) {
    let theme = ctx.theme;
    let popup = area.centered(Constraint::Length(70), Constraint::Length(12));
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
            theme.accent()
        } else {
            theme.title()
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
            let standard = ctx
                .catalog
                .all()
                .get(form.standard)
                .map_or("-", |q| q.title.as_str());
            frame.render_widget(
                Paragraph::new(format!(
                    "< {standard} >  ({} to change)",
                    keymap::label(Scope::NewForm, KeyAction::ChoiceLeft)
                ))
                .wrap(Wrap { trim: true }),
                field_area,
            );
        }
    }
}

fn render_confirm_delete(
    frame: &mut Frame,
    area: Rect,
    ctx: &ViewContext,
    confirm: &DeleteConfirm,
) {
    let theme = ctx.theme;
    let popup = area.centered(Constraint::Length(76), Constraint::Length(11));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(" Delete an assessment ");
    let standard = ctx
        .catalog
        .get(&confirm.assessment.questionnaire_id)
        .map_or_else(
            || confirm.assessment.questionnaire_id.clone(),
            |q| q.title.clone(),
        );
    let mut lines = vec![
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
    ];
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::ConfirmDelete) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    lines.push(Line::from(keys));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

fn render_entry_form(frame: &mut Frame, area: Rect, ctx: &ViewContext, form: &EntryForm) {
    use crate::tui::register_form::FieldValue;
    let theme = ctx.theme;
    let height = (form.shown.len() as u16 + 5).min(area.height);
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).min(100)),
        Constraint::Length(height),
    );
    frame.render_widget(Clear, popup);
    let title = match (&form.title, &form.id) {
        (Some(title), _) => format!(" {title} "),
        (None, Some(id)) => format!(" {} {id} · edit ", form.kind.title()),
        (None, None) => format!(" {} · new entry ", form.kind.title()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_width = 14u16;
    for (row_index, &index) in form.shown.iter().enumerate() {
        let field = &form.fields[index];
        let y = inner.y + row_index as u16;
        if y >= inner.bottom().saturating_sub(2) {
            break;
        }
        let focused = index == form.focus;
        let label_style = if focused {
            theme.selected()
        } else {
            theme.accent()
        };
        let row = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{:<13}", field.label), label_style)),
            Rect {
                width: label_width.min(row.width),
                ..row
            },
        );
        let value_area = Rect {
            x: row.x + label_width.min(row.width),
            width: row.width.saturating_sub(label_width),
            ..row
        };
        match &field.value {
            FieldValue::Text(area) if focused => frame.render_widget(&**area, value_area),
            FieldValue::Text(_) => frame.render_widget(Paragraph::new(field.text()), value_area),
            FieldValue::Choice { options, index } => {
                let mut spans = Vec::new();
                for (i, option) in options.iter().enumerate() {
                    let text = if i == *index {
                        format!("[{option}]")
                    } else {
                        format!(" {option} ")
                    };
                    let style = if i == *index {
                        theme.title()
                    } else {
                        theme.dim()
                    };
                    spans.push(Span::styled(text, style));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
            }
        }
    }
    let focused = &form.fields[form.focus.min(form.fields.len() - 1)];
    let mut hint = focused.hint.to_string();
    if form.kind == RegisterKind::Context && focused.label == "Category" {
        hint = format!("e.g. {}", form.categories().join(", "));
    }
    let keys = format!(
        "{} save · {} next field · {} choose · {} leave",
        keymap::label(Scope::EntryForm, KeyAction::Submit),
        keymap::label(Scope::EntryForm, KeyAction::NextField),
        keymap::label(Scope::EntryForm, KeyAction::ChoiceLeft),
        keymap::label(Scope::EntryForm, KeyAction::Back),
    );
    let foot = Rect {
        x: inner.x,
        y: inner.bottom().saturating_sub(2),
        width: inner.width,
        height: 2.min(inner.height),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(hint, theme.dim())),
            Line::from(Span::styled(keys, theme.dim())),
        ]),
        foot,
    );
}

fn render_confirm(frame: &mut Frame, area: Rect, ctx: &ViewContext, confirm: &Confirm) {
    let theme = ctx.theme;
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::Confirm) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    let width = area.width.saturating_sub(4).min(70);
    let paragraph = Paragraph::new(vec![
        Line::from(Span::styled(confirm.question.clone(), theme.title())),
        Line::default(),
        Line::from(keys),
    ])
    .wrap(Wrap { trim: false });
    let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        paragraph.block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.error())
                .title(" Are you sure? "),
        ),
        popup,
    );
}

fn render_confirm_remove(
    frame: &mut Frame,
    area: Rect,
    ctx: &ViewContext,
    confirm: &RemoveConfirm,
) {
    let theme = ctx.theme;
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).min(70)),
        Constraint::Length(7),
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(format!(" Remove from {} ", confirm.kind.title()));
    let mut keys = Vec::new();
    for (label, help) in keymap::footer_hints(Scope::ConfirmRemove) {
        keys.push(Span::styled(label, theme.key()));
        keys.push(Span::raw(format!(" {help}   ")));
    }
    let lines = vec![
        Line::from(vec![
            Span::raw("Remove "),
            Span::styled(
                format!("{} \"{}\"", confirm.id, confirm.label),
                theme.title(),
            ),
            Span::raw("?"),
        ]),
        Line::from("The history keeps what it held; its id is never given again."),
        Line::default(),
        Line::from(keys),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// Words of `text` in lines of at most `width` characters (a longer word gets a line of its own).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The column where help texts start, after the key labels.
const HELP_INDENT: usize = 18;

/// Help is built from the keymap table plus the rules the screens apply, for a box `width`
/// columns wide inside: a text that wraps goes on under itself, not under the keys.
pub fn help_lines(ctx: &ViewContext, width: u16) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let mut lines = Vec::new();
    for scope in Scope::ALL {
        lines.push(Line::from(Span::styled(scope.title(), theme.accent())));
        for (label, help) in keymap::hints(scope) {
            let keys = format!("  {label:<16}");
            let first = keys.chars().count().max(HELP_INDENT);
            let room = (width as usize).saturating_sub(first).max(20);
            for (index, text) in wrap_words(help, room).into_iter().enumerate() {
                lines.push(if index == 0 {
                    Line::from(vec![
                        Span::styled(keys.clone(), theme.key()),
                        Span::raw(text),
                    ])
                } else {
                    Line::from(format!("{}{text}", " ".repeat(first)))
                });
            }
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
    lines.push(Line::from(format!("Database: {}", ctx.database.display())));
    lines
}

fn render_help(frame: &mut Frame, area: Rect, ctx: &ViewContext, scroll: u16) {
    let popup = area.centered(
        Constraint::Length(area.width.saturating_sub(4).max(1)),
        Constraint::Length(area.height.saturating_sub(2).max(1)),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(help_lines(ctx, popup.width.saturating_sub(2)))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::ALL).title(" Help ")),
        popup,
    );
}
