//! The Merge screen: the conflicts a merge left (`isms-ready merge`), each side by side, mine and
//! theirs with who/when/session; keep mine, take theirs, or for a text keep both. Opened with `M`
//! on the dashboard or the questionnaire; `Left`/`Right` choose, `Enter` decides; `Esc` goes back.

use crate::model::merge::{Resolution, Target};
use crate::service::open::StoredConflict;
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::view_context::ViewContext;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

#[derive(Debug, Default)]
pub struct MergeView {
    /// The selected conflict.
    pub selected: usize,
    /// The side chosen for it: 0 mine, 1 theirs, 2 both.
    pub choice: usize,
}

const CHOICES: [Resolution; 3] = [Resolution::Mine, Resolution::Theirs, Resolution::Both];

fn choice_word(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Mine => "keep mine",
        Resolution::Theirs => "take theirs",
        Resolution::Both => "keep both",
    }
}

/// A side's value as shown: a whole action or register entry by its title, `(removed)` where
/// that side removed it.
fn shown_side(conflict: &StoredConflict, value: Option<&str>, mine: bool) -> Option<String> {
    match value {
        Some(v) => {
            // Every field the two versions differ in, each on its line (issue 22).
            let fields: String = crate::model::merge::differences(
                &conflict.key,
                conflict.mine.as_deref(),
                conflict.theirs.as_deref(),
            )
            .into_iter()
            .map(|(field, m, t)| format!("\n{field}: {}", if mine { m } else { t }))
            .collect();
            Some(format!(
                "{}{fields}",
                crate::model::merge::shown(&conflict.key, v)
            ))
        }
        None if conflict.key.is_whole() => Some("(removed)".into()),
        None => None,
    }
}

/// `4.1 #1 note` or `step 3 status`.
fn place(conflict: &StoredConflict, ctx: &ViewContext) -> String {
    match conflict.key.target {
        Target::Item(n) => {
            let reference = ctx
                .session
                .and_then(|s| s.questionnaire.item(n))
                .map(|item| item.reference.clone())
                .unwrap_or_default();
            format!("item {n} {reference} · {}", conflict.key.field)
        }
        Target::Step(n) => format!(
            "plan step {n} · {}",
            conflict.key.field.trim_start_matches("plan.")
        ),
        _ => format!(
            "{} · {}",
            conflict.key.target.label(),
            conflict.key.field.trim_start_matches("action.")
        ),
    }
}

impl MergeView {
    /// How many choices the selected conflict has (both only for a text).
    fn choices(conflict: Option<&StoredConflict>) -> usize {
        match conflict {
            Some(c) if c.key.is_text() => 3,
            _ => 2,
        }
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let conflicts = &ctx.session?.conflicts;
        let last = conflicts.len().saturating_sub(1);
        self.selected = self.selected.min(last);
        let current = conflicts.get(self.selected);
        let count = Self::choices(current);
        match action {
            KeyAction::Down => {
                self.selected = (self.selected + 1).min(last);
                self.choice = 0;
            }
            KeyAction::Up => {
                self.selected = self.selected.saturating_sub(1);
                self.choice = 0;
            }
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = last,
            KeyAction::ChoiceRight => self.choice = (self.choice + 1) % count,
            KeyAction::ChoiceLeft => self.choice = (self.choice + count - 1) % count,
            KeyAction::Open => {
                let conflict = current?;
                let take = CHOICES[self.choice.min(count - 1)];
                self.choice = 0;
                return Some(Command::ResolveConflict {
                    id: conflict.id,
                    take,
                });
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let conflicts = &session.conflicts;
        if conflicts.is_empty() {
            let text = format!(
                "No conflict waits. Bring another copy in with `isms-ready merge --assessment \"{}\" FILE`; a field changed differently on both copies waits here. {} goes back.",
                session.assessment.name,
                keymap::label(Scope::Merge, KeyAction::Back)
            );
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::ALL).title(" Merge ")),
                area,
            );
            return;
        }
        let selected = self.selected.min(conflicts.len() - 1);
        let list_height = (conflicts.len() as u16 + 2).min(area.height / 3).max(3);
        let [list, sides, choice_area] = Layout::vertical([
            Constraint::Length(list_height),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let block = Block::default().borders(Borders::ALL).title(format!(
            " Merge: {} conflict{} left · {} decides ",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            keymap::label(Scope::Merge, KeyAction::Open)
        ));
        let inner = block.inner(list);
        frame.render_widget(block, list);
        let height = inner.height as usize;
        let width = inner.width as usize;
        let offset = selected.saturating_sub(height.saturating_sub(1));
        let lines: Vec<Line> = conflicts
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(index, c)| {
                let text = format!(" ! {:>3}  {}  from {}", c.id, place(c, ctx), c.source);
                let style = if index == selected {
                    theme.selected()
                } else {
                    Style::default()
                };
                Line::from(Span::styled(
                    format!("{:<width$}", fit(&text, width)),
                    style,
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);

        let conflict = &conflicts[selected];
        let [mine, theirs] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(sides);
        let count = Self::choices(Some(conflict));
        let choice = self.choice.min(count - 1);
        let side = |title: &str,
                    value: Option<&str>,
                    at: Option<&str>,
                    session_label: Option<&str>,
                    chosen: bool| {
            // In local time, as every other screen shows a stored time.
            let when = |at: &str| {
                crate::clock::local_text(at, "%Y-%m-%d %H:%M")
                    .unwrap_or_else(|| at.get(..16).unwrap_or(at).to_string())
            };
            let stamp = match (at, session_label) {
                (Some(at), Some(s)) => format!("{} · {s}", when(at)),
                (Some(at), None) => when(at),
                (None, _) => "before the copies diverged".into(),
            };
            let border = if chosen {
                theme.selected()
            } else {
                Style::default()
            };
            let mut lines = vec![Line::from(Span::styled(stamp, theme.dim()))];
            // A level reads with its name.
            let level = value
                .filter(|_| conflict.key.field == "level")
                .and_then(|v| v.parse::<u8>().ok())
                .and_then(crate::model::Level::from_u8)
                .map(|l| format!("{} {}", l.value(), l.label()));
            match level.as_deref().or(value) {
                Some(v) => lines.extend(v.lines().map(|l| Line::from(l.to_string()))),
                None => lines.push(Line::from(Span::styled("(empty)", theme.dim()))),
            }
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(border)
                    .title(format!(" {title} ")),
            )
        };
        frame.render_widget(
            side(
                "Mine",
                shown_side(conflict, conflict.mine.as_deref(), true).as_deref(),
                conflict.mine_at.as_deref(),
                conflict.mine_session.as_deref(),
                choice == 0 || choice == 2,
            ),
            mine,
        );
        frame.render_widget(
            side(
                "Theirs",
                shown_side(conflict, conflict.theirs.as_deref(), false).as_deref(),
                conflict.theirs_at.as_deref(),
                conflict.theirs_session.as_deref(),
                choice == 1 || choice == 2,
            ),
            theirs,
        );
        let words: Vec<Span> = CHOICES[..count]
            .iter()
            .enumerate()
            .flat_map(|(index, resolution)| {
                let style = if index == choice {
                    theme.selected()
                } else {
                    theme.dim()
                };
                [
                    Span::raw(" "),
                    Span::styled(format!("[{}]", choice_word(*resolution)), style),
                ]
            })
            .chain(std::iter::once(Span::styled(
                format!(
                    "  {} choose · {} decide",
                    keymap::label(Scope::Merge, KeyAction::ChoiceRight),
                    keymap::label(Scope::Merge, KeyAction::Open)
                ),
                theme.dim(),
            )))
            .collect();
        frame.render_widget(Paragraph::new(Line::from(words)), choice_area);
    }
}

super::view!(MergeView, "Merge", Scope::Merge);
