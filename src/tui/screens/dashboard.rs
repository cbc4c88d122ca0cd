//! The dashboard: where the organisation stands, for a projector. Every figure comes from the one
//! scoring function (`score::summarize`), so it matches `isms-ready summary` exactly.

use crate::score::{Figures, GroupSummary};
use crate::tui::app::{App, Session, level_mark};
use crate::tui::theme::{Rating, Theme};
use crate::tui::widgets::{bar, fit};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph};

/// How many of the largest gaps the dashboard lists.
pub const GAP_ROWS: usize = 10;

const STAGES: [&str; 4] = ["P", "D", "C", "A"];

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(session) = &app.session else { return };
    let theme = app.theme;
    let summary = &session.summary;
    let annex_rows = u16::from(summary.annex_a.is_some());
    let table_height = 1 + summary.clauses.len() as u16 + annex_rows;
    let [gauges, table, bottom] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(table_height + 1),
        Constraint::Min(0),
    ])
    .areas(area);

    render_gauges(frame, gauges, session, theme);
    render_table(frame, table, session, theme);
    let [matrix, gaps] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(bottom);
    render_matrix(frame, matrix, session, theme);
    render_gaps(frame, gaps, session, theme);
}

fn render_gauges(frame: &mut Frame, area: Rect, session: &Session, theme: Theme) {
    let overall = &session.summary.overall;
    let bar_width = (area.width as usize).saturating_sub(40).clamp(10, 60);
    let rating = Rating::of_tenths(overall.readiness.tenths());
    let notes = session
        .questionnaire
        .items
        .iter()
        .filter(|item| !session.answers.get(item.number).note.is_empty())
        .count();
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("{:<11}", "Readiness"), theme.title()),
            Span::styled(
                bar(overall.readiness.tenths(), bar_width),
                theme.rating(rating),
            ),
            Span::styled(
                format!(
                    " {:>5} % {}",
                    overall.readiness.to_string(),
                    rating.symbol()
                ),
                theme.rating(rating),
            ),
            Span::raw(format!("  gap {} %", overall.gap)),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<11}", "Coverage"), theme.title()),
            Span::styled(bar(overall.coverage.tenths(), bar_width), theme.accent()),
            Span::raw(format!(" {:>5} %", overall.coverage.to_string())),
        ]),
        Line::from(Span::styled(
            format!(
                "Clauses 4-10: answered {} · unanswered {} · notes {} · changed today {}",
                overall.answered, overall.unanswered, notes, session.changed_today
            ),
            theme.dim(),
        )),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn counts(figures: &Figures) -> String {
    figures
        .level_counts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

fn table_line(
    id: &str,
    title: &str,
    phase: &str,
    figures: &Figures,
    width: usize,
    theme: Theme,
) -> Line<'static> {
    let rating = Rating::of_tenths(figures.readiness.tenths());
    let bar_width = if width >= 110 { 20 } else { 10 };
    // symbol, id, bar, ready, gap, cover, reached, phase, counts
    let fixed = 3 + 5 + bar_width + 7 + 7 + 7 + 5 + 6 + 14;
    let title_width = width.saturating_sub(fixed).max(6);
    Line::from(vec![
        Span::styled(format!("{} ", rating.symbol()), theme.rating(rating)),
        Span::raw(format!("{:<4} ", id)),
        Span::raw(format!("{:<title_width$}", fit(title, title_width))),
        Span::styled(
            bar(figures.readiness.tenths(), bar_width),
            theme.rating(rating),
        ),
        Span::styled(
            format!(" {:>6}", figures.readiness.to_string()),
            theme.rating(rating),
        ),
        Span::raw(format!(" {:>6}", figures.gap.to_string())),
        Span::raw(format!(" {:>6}", figures.coverage.to_string())),
        Span::raw(format!("  {:<3}", figures.pdca_reached)),
        Span::styled(format!("{:<6}", phase), theme.dim()),
        Span::raw(counts(figures)),
    ])
}

fn render_table(frame: &mut Frame, area: Rect, session: &Session, theme: Theme) {
    let width = area.width as usize;
    let bar_width = if width >= 110 { 20 } else { 10 };
    let fixed = 3 + 5 + bar_width + 7 + 7 + 7 + 5 + 6 + 14;
    let title_width = width.saturating_sub(fixed).max(6);
    let header = format!(
        "   {:<4} {:<title_width$}{:<bar_width$} {:>6} {:>6} {:>6}  {:<3}{:<6}{}",
        "", "Clause", "Readiness %", "", "Gap", "Cover", "PDCA", "Phase", "Levels 0/1/2/3/4"
    );
    let mut lines = vec![Line::from(Span::styled(header, theme.title()))];
    let row = |group: &GroupSummary| {
        table_line(
            &group.clause,
            &group.title,
            &group.pdca_phase,
            &group.figures,
            width,
            theme,
        )
    };
    lines.extend(session.summary.clauses.iter().map(row));
    if let Some(annex) = &session.summary.annex_a {
        lines.push(table_line(
            "A",
            "Annex A controls (own figure)",
            "D",
            &annex.overall,
            width,
            theme,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_matrix(frame: &mut Frame, area: Rect, session: &Session, theme: Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" PDCA reached ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<8}{}",
            "Clause",
            STAGES.map(|s| format!(" {s} ")).join("")
        ),
        theme.title(),
    ))];
    for group in &session.summary.clauses {
        let reached = STAGES
            .iter()
            .position(|s| *s == group.figures.pdca_reached)
            .map_or(0, |i| i + 1);
        let mut spans = vec![Span::raw(format!("{:<8}", group.clause))];
        for (index, stage) in STAGES.iter().enumerate() {
            let done = index < reached;
            let own = group.pdca_phase.contains(stage);
            let mark = if done { '■' } else { '·' };
            let cell = if own {
                format!("[{mark}]")
            } else {
                format!(" {mark} ")
            };
            let style = if done { theme.info() } else { theme.dim() };
            spans.push(Span::styled(cell, style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "■ reached  [ ] clause phase",
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_gaps(frame: &mut Frame, area: Rect, session: &Session, theme: Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Largest gaps (Enter opens) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let gaps = session.gaps(GAP_ROWS);
    if gaps.is_empty() {
        frame.render_widget(
            Paragraph::new("No gap: every clause item is at level 4."),
            inner,
        );
        return;
    }
    let lines: Vec<Line> = gaps
        .iter()
        .take(inner.height as usize)
        .enumerate()
        .map(|(index, item)| {
            let level = session.answers.get(item.number).level;
            let head = format!(
                "{:>4} {} {:<9} ",
                item.number,
                level_mark(level),
                fit(&item.reference, 9)
            );
            let style = if index == session.gap_selected {
                theme.selected()
            } else {
                Style::default()
            };
            let title_width = width.saturating_sub(head.chars().count());
            Line::from(vec![
                Span::styled(head, style),
                Span::styled(
                    format!("{:<title_width$}", fit(&item.title, title_width)),
                    style,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
