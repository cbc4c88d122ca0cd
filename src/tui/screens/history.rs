//! The History screen: every change of the open assessment (or of one item), newest first: when,
//! item, field, old -> new, and the workshop session it was made in; filterable by session.
//! Opened with `H` from the questionnaire (the selected item) or the dashboard (everything).

use crate::model::HistoryEntry;
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::view_context::ViewContext;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph};

/// How many of the newest changes the screen reads at once.
pub const HISTORY_PAGE: usize = 500;

/// What the History screen lists: read by the app (`Command::ShowHistory`), shown by the view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryList {
    pub item: Option<u32>,
    pub session: Option<u32>,
    /// The newest rows, newest first (at most `HISTORY_PAGE`).
    pub rows: Vec<HistoryEntry>,
    /// How many rows match in all.
    pub total: usize,
    /// The item the screen was last opened for (what `i` goes back to).
    pub opened_item: Option<u32>,
}

/// The History screen's own state: what it lists and the selected row.
#[derive(Default)]
pub struct HistoryView {
    /// What the screen lists (read through the service when it opens).
    pub list: HistoryList,
    pub selected: usize,
    /// The item and session `on_open` reads the history of (`ask`).
    wanted: (Option<u32>, Option<u32>),
}

fn local(at: &str) -> String {
    crate::clock::local_text(at, "%Y-%m-%d %H:%M").unwrap_or_else(|| at.to_string())
}

impl HistoryView {
    /// Asks for the history of `item` (all items: `None`) in workshop `session` (all: `None`):
    /// what the screen reads when it opens.
    pub fn ask(&mut self, item: Option<u32>, session: Option<u32>) {
        self.wanted = (item, session);
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let list = &self.list;
        let last = list.rows.len().saturating_sub(1);
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(last),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = last,
            KeyAction::CycleFilter => {
                // All sessions, then each session in turn, then all again.
                let numbers: Vec<u32> = session.workshops.iter().map(|s| s.number).collect();
                let next = match list.session {
                    None => numbers.first().copied(),
                    Some(current) => numbers.iter().copied().find(|n| *n > current),
                };
                self.selected = 0;
                return Some(Command::ShowHistory {
                    item: list.item,
                    session: next,
                });
            }
            KeyAction::Toggle => {
                self.selected = 0;
                let item = match list.item {
                    Some(_) => None,
                    None => list.opened_item,
                };
                return Some(Command::ShowHistory {
                    item,
                    session: list.session,
                });
            }
            KeyAction::Open => {
                let row = list.rows.get(self.selected)?;
                return row.item.map(Command::ShowItem);
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let list = &self.list;
        let what = match list.item {
            Some(item) => format!(
                "item {item} ({})",
                session
                    .questionnaire
                    .item(item)
                    .map_or("", |i| i.reference.as_str())
            ),
            None => "every item and plan step".to_string(),
        };
        let filter = match list.session {
            Some(n) => session
                .workshops
                .iter()
                .find(|s| s.number == n)
                .map_or_else(
                    || format!("session {n}"),
                    |s| format!("session {}", s.label()),
                ),
            None => "all sessions".to_string(),
        };
        let shown = if list.total > list.rows.len() {
            format!("newest {} of {}", list.rows.len(), list.total)
        } else {
            crate::model::count::counted(list.total, "change")
        };
        let title = format!(
            " History of {what} · {filter} · {shown} · {} session filter · {} item/all ",
            keymap::label(Scope::History, KeyAction::CycleFilter),
            keymap::label(Scope::History, KeyAction::Toggle),
        );
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        // Wide enough for "action #12 Write the scope..." where the terminal allows.
        let what_width = if width >= 120 { 30 } else { 14 };
        let mut lines = vec![Line::from(Span::styled(
            fit(
                &format!(
                    "{:<16} {:<what_width$} {:<13} {:<5} {}",
                    "When", "What", "Field", "Sess.", "Old -> new"
                ),
                width,
            ),
            theme.title(),
        ))];
        if list.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                "No change recorded yet.",
                theme.dim(),
            )));
        }
        let height = (inner.height as usize).saturating_sub(1);
        let offset = self.selected.saturating_sub(height.saturating_sub(1));
        for (index, row) in list.rows.iter().enumerate().skip(offset).take(height) {
            let shown = crate::service::workshop::shown_change(
                row,
                &session.questionnaire,
                &session.actions,
            );
            let field = if row.undoes.is_some() {
                format!("{} (undo)", shown.field)
            } else {
                shown.field
            };
            let text = format!(
                "{:<16} {:<what_width$} {:<13} {:<5} {} -> {}",
                local(&row.changed_at),
                fit(&shown.what, what_width),
                fit(&field, 13),
                row.session
                    .map_or_else(|| "-".to_string(), |n| n.to_string()),
                shown.old,
                shown.new,
            );
            let style = if index == self.selected {
                theme.selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(
                format!("{:<width$}", fit(&text, width)),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

impl super::View for HistoryView {
    fn title(&self) -> &'static str {
        "History"
    }
    fn scope(&self) -> Scope {
        Scope::History
    }
    /// Reads the newest page of the history asked for (`ask`).
    fn on_open(
        &mut self,
        service: &crate::service::Context,
        ctx: &ViewContext,
    ) -> Result<(), Box<Command>> {
        let Some(open) = ctx.session else {
            return Err(Box::new(Command::Error("No assessment is open.".into())));
        };
        let (item, session) = self.wanted;
        let (rows, total) = service
            .history_page(open.assessment.id, item, session, HISTORY_PAGE)
            .map_err(|error| Box::new(Command::Error(error.to_string())))?;
        let opened_item = item.or(self.list.opened_item);
        self.list = HistoryList {
            item,
            session,
            rows,
            total,
            opened_item,
        };
        Ok(())
    }
    fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        HistoryView::update(self, ctx, action)
    }
    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        ctx: &ViewContext,
        _popup: Option<&crate::tui::popups::Popup>,
    ) {
        HistoryView::render(self, frame, area, ctx)
    }
}
