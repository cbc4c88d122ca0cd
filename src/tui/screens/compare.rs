//! The Compare screen: the open assessment now against an earlier point (before a workshop
//! session) or another assessment (last year's, or its 2013 baseline through the mapping). Per
//! clause and domain readiness then, now and the delta; then the items that moved. Opened with
//! `C` on the dashboard; `f` steps through the points; `Esc` goes back.

use crate::score::{Comparison, GroupDelta, ItemMove};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::theme::Theme;
use crate::tui::view_context::ViewContext;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph};

/// What the Compare screen shows: computed by the app (`Command::ShowCompare`).
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    /// Which of the points it compares from (see `App::compare_points`), and how many there are.
    pub point: usize,
    pub points: usize,
    pub from_label: String,
    pub to_label: String,
    pub comparison: Comparison,
}

#[derive(Default)]
pub struct CompareView {
    /// What the screen shows (computed through the service when it opens).
    pub state: Option<CompareState>,
    /// Which point `on_open` compares from (`ask`).
    wanted: usize,
    /// The selected moved item.
    pub selected: usize,
}

fn delta_text(delta: f64) -> String {
    if delta == 0.0 {
        "±0.0".to_string()
    } else {
        format!("{delta:+.1}")
    }
}

fn group_line(group: &GroupDelta, title_width: usize, theme: Theme) -> Line<'static> {
    let style = if group.delta > 0.0 {
        theme.info()
    } else if group.delta < 0.0 {
        theme.error()
    } else {
        theme.dim()
    };
    let assessed =
        |p: Option<crate::score::Percent>| p.map_or_else(|| "-".to_string(), |p| p.to_string());
    Line::from(vec![
        Span::raw(format!(
            " {:<5} {:<title_width$} {:>6} {:>6} ",
            group.clause,
            fit(&group.title, title_width),
            group.from.to_string(),
            group.to.to_string(),
        )),
        Span::styled(format!("{:>6}", delta_text(group.delta)), style),
        Span::styled(
            format!(
                "   {:>6} {:>6}",
                assessed(group.from_assessed),
                assessed(group.to_assessed)
            ),
            theme.dim(),
        ),
    ])
}

fn move_word(change: ItemMove) -> &'static str {
    match change {
        ItemMove::Up => "up",
        ItemMove::Down => "down",
        ItemMove::NewlyAssessed => "newly assessed",
        ItemMove::Cleared => "cleared",
    }
}

impl CompareView {
    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        ctx.session?;
        let state = self.state.as_ref()?;
        let last = state.comparison.items.len().saturating_sub(1);
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(last),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = last,
            KeyAction::CycleFilter => {
                self.selected = 0;
                return Some(Command::ShowCompare(
                    (state.point + 1) % state.points.max(1),
                ));
            }
            KeyAction::Open => {
                return state
                    .comparison
                    .items
                    .get(self.selected)
                    .map(|item| Command::ShowItem(item.number));
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        if ctx.session.is_none() {
            return;
        }
        let theme = ctx.theme;
        let Some(state) = &self.state else {
            frame.render_widget(
                Paragraph::new("Nothing to compare with yet: start a session, or create another assessment of this questionnaire."),
                area,
            );
            return;
        };
        let c = &state.comparison;
        let groups: Vec<&GroupDelta> = std::iter::once(&c.overall)
            .chain(&c.groups)
            .chain(c.annex_a.iter())
            .collect();
        let table_height = (groups.len() as u16 + 3).min(area.height.saturating_sub(4));
        let [table, items] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
        let title = format!(
            " Compare: {} -> {} · {} {} of {} ",
            state.from_label,
            state.to_label,
            keymap::label(Scope::Compare, KeyAction::CycleFilter),
            state.point + 1,
            state.points
        );
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(table);
        frame.render_widget(block, table);
        let title_width = (inner.width as usize).saturating_sub(50).clamp(6, 40);
        let mut lines = vec![Line::from(Span::styled(
            format!(
                " {:<5} {:<title_width$} {:>6} {:>6} {:>6}   {:>6} {:>6}",
                "Group", "Title", "Then", "Now", "Delta", "Ass.th", "Ass.nw"
            ),
            theme.title(),
        ))];
        lines.extend(groups.iter().map(|g| group_line(g, title_width, theme)));
        frame.render_widget(Paragraph::new(lines), inner);

        let block = Block::default().borders(Borders::ALL).title(format!(
            " Items that moved: {} · {} opens ",
            c.items.len(),
            keymap::label(Scope::Compare, KeyAction::Open)
        ));
        let inner = block.inner(items);
        frame.render_widget(block, items);
        let width = inner.width as usize;
        let height = inner.height as usize;
        if c.items.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled("No level moved.", theme.dim())),
                inner,
            );
            return;
        }
        let level = |l: Option<u8>| l.map_or_else(|| ".".to_string(), |l| l.to_string());
        let offset = self.selected.saturating_sub(height.saturating_sub(1));
        let lines: Vec<Line> = c
            .items
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(index, item)| {
                let text = format!(
                    "{:>4} {:<10} {} -> {}  {:<14} {}",
                    item.number,
                    fit(&item.reference, 10),
                    level(item.from_level),
                    level(item.to_level),
                    move_word(item.change),
                    item.title
                );
                let style = if index == self.selected {
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
    }
}

/// A point the Compare screen compares the open assessment with.
enum ComparePoint {
    /// Before the session with this number began.
    Before(u32),
    /// Another assessment.
    With(crate::model::Assessment),
}

/// What the Compare screen can compare with, in order: before each workshop session (newest
/// first), then each other assessment that can be compared (same questionnaire, or the 2013
/// baseline of a 2022 one).
fn compare_points(ctx: &ViewContext) -> Vec<ComparePoint> {
    let Some(session) = ctx.session else {
        return Vec::new();
    };
    let mut points: Vec<ComparePoint> = session
        .workshops
        .iter()
        .rev()
        .map(|w| ComparePoint::Before(w.number))
        .collect();
    points.extend(
        ctx.assessments
            .iter()
            .filter(|row| {
                crate::service::workshop::comparable(&session.assessment, &row.assessment)
            })
            .map(|row| ComparePoint::With(row.assessment.clone())),
    );
    points
}

impl CompareView {
    /// Asks for the comparison from point `point` (see `compare_points`): what the screen
    /// computes when it opens.
    pub fn ask(&mut self, point: usize) {
        self.wanted = point;
    }
}

impl super::View for CompareView {
    fn title(&self) -> &'static str {
        "Compare"
    }
    fn scope(&self) -> Scope {
        Scope::Compare
    }
    /// Computes the comparison asked for (`ask`) through the service.
    fn on_open(
        &mut self,
        service: &crate::service::Context,
        ctx: &ViewContext,
    ) -> Result<(), Box<Command>> {
        let points = compare_points(ctx);
        let Some(session) = ctx.session else {
            return Err(Box::new(Command::Error("No assessment is open.".into())));
        };
        let point = self.wanted;
        let Some(chosen) = points.get(point) else {
            return Err(Box::new(Command::Info(format!(
                "Nothing to compare with yet: start a session ({} on the dashboard) or create another assessment of this questionnaire.",
                keymap::label(Scope::Dashboard, KeyAction::Session)
            ))));
        };
        let compared = match chosen {
            ComparePoint::Before(number) => service.compare_since(
                &session.assessment,
                &crate::service::workshop::Since::Session(number.to_string()),
            ),
            ComparePoint::With(other) => service.compare_with(&session.assessment, other),
        }
        .map_err(|error| Box::new(Command::Error(error.to_string())))?;
        self.state = Some(CompareState {
            point,
            points: points.len(),
            from_label: compared.from_label,
            to_label: compared.to_label,
            comparison: compared.comparison,
        });
        self.selected = 0;
        Ok(())
    }
    fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        CompareView::update(self, ctx, action)
    }
    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        ctx: &ViewContext,
        _popup: Option<&crate::tui::popups::Popup>,
    ) {
        CompareView::render(self, frame, area, ctx)
    }
}
