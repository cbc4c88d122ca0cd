//! The dashboard: where the organisation stands, for a projector. Every figure comes from the one
//! scoring function (`score::summarize`), so it matches `isms-ready summary` exactly.

use crate::model::plan;
use crate::score::{Figures, GroupSummary};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::theme::{AMBER_FROM, GREEN_FROM, Rating, Theme};
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::{bar, fit, level_mark};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph};

/// How many of the largest gaps the dashboard lists.
pub const GAP_ROWS: usize = 30;

const STAGES: [&str; 4] = ["P", "D", "C", "A"];

/// The dashboard's own state: the selected gap.
#[derive(Default)]
pub struct DashboardView {
    pub gap_selected: usize,
    /// A verdict line selected instead of a gap (1: stage 1, 2: stage 2); `k` above the first
    /// gap reaches them, `Enter` lists the stage's blockers.
    pub stage_selected: Option<u8>,
}

impl DashboardView {
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let summary = &session.summary;
        let domains = summary
            .annex_a
            .as_ref()
            .map_or(0, |a| a.domains.len() as u16);
        // A short terminal keeps room for the largest gaps: the assessed and coverage figures
        // join the lines above them, and the table's legend (in help and README) goes.
        let compact = area.height < COMPACT_BELOW;
        // The plan, SoA (with Annex A), verdict and actions lines.
        let gauge_height = if compact { 3 } else { 5 }
            + u16::from(summary.annex_a.is_some())
            + u16::from(!session.workshops.is_empty())
            + VERDICT_LINES;
        let base_table = 1
            + u16::from(!compact)
            + summary.clauses.len() as u16
            + u16::from(summary.annex_a.is_some());
        // Annex A per domain when the terminal is tall enough to keep a few gaps in view too.
        let per_domain = domains > 0 && area.height >= gauge_height + base_table + domains + 6;
        let table_height = base_table + if per_domain { domains } else { 0 };
        let [gauges, table, gaps] = Layout::vertical([
            Constraint::Length(gauge_height),
            Constraint::Length(table_height),
            Constraint::Min(0),
        ])
        .areas(area);

        render_gauges(
            frame,
            gauges,
            session,
            ctx.today,
            theme,
            self.stage_selected,
            compact,
        );
        render_table(frame, table, session, per_domain, theme, compact);
        render_gaps(frame, gaps, session, self.gap_selected, theme);
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let gaps = session.gaps(GAP_ROWS);
        let last = gaps.len().saturating_sub(1);
        match (action, self.stage_selected) {
            (KeyAction::Down, Some(1)) => self.stage_selected = Some(2),
            (KeyAction::Down, Some(_)) => self.stage_selected = None,
            (KeyAction::Up, Some(_)) => self.stage_selected = Some(1),
            (KeyAction::Up, None) if self.gap_selected == 0 => self.stage_selected = Some(2),
            (KeyAction::Open, Some(stage)) => return Some(Command::ShowVerdict(stage)),
            _ => {}
        }
        if self.stage_selected.is_some() {
            if matches!(action, KeyAction::First | KeyAction::Last) {
                self.stage_selected = None;
            } else {
                return None;
            }
        }
        match action {
            KeyAction::Down => self.gap_selected = (self.gap_selected + 1).min(last),
            KeyAction::Up => self.gap_selected = self.gap_selected.saturating_sub(1),
            KeyAction::First => self.gap_selected = 0,
            KeyAction::Last => self.gap_selected = last,
            KeyAction::Open => {
                return gaps
                    .get(self.gap_selected)
                    .map(|item| Command::ShowItem(item.number));
            }
            KeyAction::Compare => return Some(Command::ShowCompare(0)),
            KeyAction::Merge => return Some(Command::ShowMerge),
            KeyAction::History => {
                return Some(Command::ShowHistory {
                    item: None,
                    session: None,
                });
            }
            KeyAction::Session => return Some(session_command(session)),
            _ => {}
        }
        None
    }
}

/// What the session key does: start a session (its title is asked), or end the open one after
/// asking for its closing notes (Esc keeps it open). The same on every screen.
pub fn session_command(session: &OpenAssessment) -> Command {
    use crate::tui::popups::{Popup, PromptFor};
    match session.open_workshop() {
        Some(open) => Command::Popup(Popup::prompt(
            PromptFor::SessionEnd(open.number),
            format!(
                "End session {}? Closing notes (optional) · Enter ends it · Esc keeps it open",
                open.label()
            ),
            "",
        )),
        None => Command::Popup(Popup::prompt(
            PromptFor::SessionTitle,
            "New workshop session: title",
            "",
        )),
    }
}

/// The dashboard lines of the audit-readiness verdict and the actions.
const VERDICT_LINES: u16 = 3;

/// Below this many rows the dashboard is compact (see `DashboardView::render`).
const COMPACT_BELOW: u16 = 30;

/// The verdict rule of the nonconformities that block stage 2 (part a's `model::verdict`).
const NONCONFORMITY_RULE: &str = "stage2.nonconformities";

/// The nonconformities (`NC-2`) a stage's verdict names in its nonconformity group's reasons,
/// each once, in the order named.
pub fn blocking_nonconformities(verdict: &crate::model::verdict::StageVerdict) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let reasons = verdict
        .groups
        .iter()
        .filter(|g| g.rule == NONCONFORMITY_RULE)
        .flat_map(|g| &g.items)
        .map(|item| item.reason.as_str());
    for reason in reasons {
        for word in reason.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            let is_id = word
                .strip_prefix("NC-")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if is_id && !ids.iter().any(|id| id == word) {
                ids.push(word.to_string());
            }
        }
    }
    ids
}

fn verdict_lines(
    session: &OpenAssessment,
    today: chrono::NaiveDate,
    theme: Theme,
    stage_selected: Option<u8>,
) -> Vec<Line<'static>> {
    let open = keymap::label(Scope::Dashboard, KeyAction::Open);
    let mut lines = Vec::new();
    for (stage, verdict) in [(1u8, &session.verdict.stage1), (2, &session.verdict.stage2)] {
        let selected = stage_selected == Some(stage);
        let name = format!("{:<11}", format!("Stage {stage}"));
        let (word, style) = if verdict.ready {
            ("READY".to_string(), theme.info())
        } else {
            (verdict.state(), theme.error())
        };
        let hint = if selected {
            format!(" ({open} lists them)")
        } else {
            String::new()
        };
        let base = if selected {
            theme.selected()
        } else {
            Style::default()
        };
        // The most serious group of blockers ("17 mandatory documents missing..."); on stage 2,
        // the nonconformities that block it by name, first (issue 30).
        let ncs = blocking_nonconformities(verdict);
        let first = verdict
            .groups
            .iter()
            .find(|g| ncs.is_empty() || g.rule != NONCONFORMITY_RULE)
            .map_or_else(String::new, |g| format!(" · first: {}", g.headline));
        let blocked_by = if ncs.is_empty() {
            String::new()
        } else {
            format!(" · blocked by {}", ncs.join(", "))
        };
        lines.push(Line::from(vec![
            Span::styled(name, base.patch(theme.title())),
            Span::styled(word, base.patch(style)),
            Span::styled(hint, base),
            Span::styled(blocked_by, theme.error()),
            Span::styled(first, theme.dim()),
        ]));
    }
    let f = crate::model::action::figures(&session.actions, today);
    let no_action = session.no_action_yet.len();
    lines.push(Line::from(vec![
        Span::styled(format!("{:<11}", "Actions"), theme.title()),
        Span::raw(format!(
            "{} open · {} done · now {} · next {} · later {}",
            f.open,
            f.done,
            session.roadmap.now.len(),
            session.roadmap.next.len(),
            session.roadmap.later.len()
        )),
        Span::styled(
            if f.overdue > 0 {
                format!(" · {} OVERDUE", f.overdue)
            } else {
                String::new()
            },
            theme.error(),
        ),
        Span::styled(
            if no_action > 0 {
                format!(" · no action yet {no_action}")
            } else {
                String::new()
            },
            theme.error(),
        ),
    ]));
    lines
}

fn render_gauges(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    today: chrono::NaiveDate,
    theme: Theme,
    stage_selected: Option<u8>,
    compact: bool,
) {
    let overall = &session.summary.overall;
    // A compact readiness line also carries the assessed figure: a shorter bar leaves it room.
    let room = if compact { 58 } else { 40 };
    let bar_width = (area.width as usize).saturating_sub(room).clamp(10, 60);
    let rating = overall.rating;
    let (notes, review) = (session.notes, session.review_needed);
    let plan = plan::plan_figures(&session.plan_progress, today);
    let next: Vec<String> = plan::next_due(&session.plan_progress, 2)
        .into_iter()
        .map(|index| {
            let due = session.plan_progress[index]
                .due
                .map_or_else(|| "no date".to_string(), |d| d.to_string());
            format!("{} {} ({due})", index + 1, session.plan.steps[index].title)
        })
        .collect();
    let mut lines = vec![
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
            Span::styled(
                if compact {
                    overall.assessed_readiness.map_or_else(
                        || " · not assessed".to_string(),
                        |p| format!(" · assessed {p} %"),
                    )
                } else {
                    String::new()
                },
                theme.dim(),
            ),
        ]),
        assessed_line(overall, bar_width, theme),
        Line::from(vec![
            Span::styled(format!("{:<11}", "Coverage"), theme.title()),
            Span::styled(bar(overall.coverage.tenths(), bar_width), theme.accent()),
            Span::raw(format!(" {:>5} %", overall.coverage.to_string())),
        ]),
        Line::from(Span::styled(
            format!(
                "Clauses 4-10: answered {} · unanswered {}{} · notes {} · changed today {}{}",
                overall.answered,
                overall.unanswered,
                if compact {
                    format!(" · coverage {} %", overall.coverage)
                } else {
                    String::new()
                },
                notes,
                session.changed_today,
                if review > 0 {
                    format!(" · review needed {review}")
                } else {
                    String::new()
                }
            ),
            theme.dim(),
        )),
        Line::from(vec![
            Span::styled(format!("{:<11}", "Plan"), theme.title()),
            Span::raw(format!(
                "{} of {} steps done ({} %)",
                plan.done, plan.steps, plan.progress
            )),
            Span::styled(
                if plan.overdue > 0 {
                    format!(" · {} OVERDUE", plan.overdue)
                } else {
                    String::new()
                },
                theme.error(),
            ),
            Span::raw(format!(
                " · next: {}",
                if next.is_empty() {
                    "-".to_string()
                } else {
                    next.join("; ")
                }
            )),
        ]),
    ];
    if compact {
        // The assessed and coverage bars: their figures are on the lines around them.
        lines.drain(1..3);
    }
    if let Some(line) = workshops_line(session, theme) {
        lines.push(line);
    }
    if session.summary.annex_a.is_some() {
        let decisions = session.soa_decisions;
        let findings = session.soa_findings.len();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<11}", "SoA"), theme.title()),
            Span::raw(format!(
                "{} included · {} excluded · {} not decided · {findings} findings",
                decisions.included, decisions.excluded, decisions.undecided
            )),
        ]));
    }
    lines.extend(verdict_lines(session, today, theme, stage_selected));
    // One row each: what does not fit goes whole, never a word cut in two.
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|line| crate::tui::widgets::fit_line(line, area.width as usize))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Eight steps of a sparkline, lowest to highest.
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of readiness figures (0-100 %), one character each, oldest first.
fn sparkline(values: impl Iterator<Item = crate::score::Percent>) -> String {
    values
        .map(|p| SPARKS[((p.tenths().min(1000) * 7 + 500) / 1000) as usize])
        .collect()
}

/// The workshop sessions: how many, the open one and who is in the room, and the overall trend.
fn workshops_line(session: &OpenAssessment, theme: Theme) -> Option<Line<'static>> {
    let last = session.workshops.last()?;
    let open = match session.open_workshop() {
        Some(open) => format!(
            "open: {} {}{} · {} ends it",
            open.number,
            open.title,
            if open.participants.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    crate::model::session::participants_text(&open.participants)
                )
            },
            keymap::label(Scope::Dashboard, KeyAction::Session)
        ),
        None => format!("last: {} {} ({})", last.number, last.title, last.date),
    };
    let trend = match (session.trend.first(), session.trend.last()) {
        (Some(first), Some(now)) => format!(
            " · trend {} {} -> {} %",
            sparkline(session.trend.iter().map(|p| p.overall)),
            first.overall,
            now.overall
        ),
        _ => String::new(),
    };
    Some(Line::from(vec![
        Span::styled(format!("{:<11}", "Sessions"), theme.title()),
        Span::raw(format!("{} · {open}{trend}", session.workshops.len())),
    ]))
}

/// The assessed readiness: what the room found, over the answered clause items only.
fn assessed_line(overall: &Figures, bar_width: usize, theme: Theme) -> Line<'static> {
    let label = Span::styled(format!("{:<11}", "Assessed"), theme.title());
    match overall.assessed_readiness {
        Some(assessed) => {
            let rating = Rating::of_tenths(assessed.tenths());
            Line::from(vec![
                label,
                Span::styled(bar(assessed.tenths(), bar_width), theme.rating(rating)),
                Span::styled(
                    format!(" {:>5} %", assessed.to_string()),
                    theme.rating(rating),
                ),
                Span::styled(format!(" of {} answered", overall.answered), theme.dim()),
            ])
        }
        None => Line::from(vec![
            label,
            Span::styled(
                format!(
                    "{} not assessed: no clause item answered yet",
                    Rating::NotAssessed.symbol()
                ),
                theme.dim(),
            ),
        ]),
    }
}

fn counts(figures: &Figures) -> String {
    figures
        .level_counts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

/// Column widths of the clause table for a given screen width.
struct Columns {
    title: usize,
    bar: usize,
    /// The gap column (100 - readiness) shows from 100 columns; below, the assessed one takes its room.
    gap: bool,
    /// The per-clause trend (one mark per session) from 120 columns, once there are sessions.
    trend: usize,
}

impl Columns {
    // rating 3, id 5, ready 7, assessed 8, cover 7, matrix 2 + 12, stage 7, phase 5, counts 12
    const FIXED: usize = 3 + 5 + 7 + 8 + 7 + 14 + 7 + 5 + 12;
    const GAP: usize = 7;

    fn for_width(width: usize, sessions: usize) -> Columns {
        let gap = width >= 100;
        let trend = if sessions > 0 && width >= 120 {
            sessions.clamp(5, 12) + 2
        } else {
            0
        };
        let free = width.saturating_sub(Self::FIXED + trend + if gap { Self::GAP } else { 0 });
        // Titles first (up to 34 wide), then a readiness bar with what is left (up to 40).
        let bar = if free >= 46 { (free - 34).min(40) } else { 0 };
        Columns {
            title: free.saturating_sub(bar).clamp(6, 40),
            bar,
            gap,
            trend,
        }
    }
}

/// The PDCA matrix cells of one clause: a filled square for each stage reached, the clause's own
/// phase in brackets.
fn matrix_cells(group: &GroupSummary, theme: Theme) -> Vec<Span<'static>> {
    let reached = STAGES
        .iter()
        .position(|stage| *stage == group.figures.pdca_reached)
        .map_or(0, |index| index + 1);
    let mut cells = vec![Span::raw("  ")];
    for (index, stage) in STAGES.iter().enumerate() {
        let done = index < reached;
        let mark = if done { '■' } else { '·' };
        let cell = if group.pdca_phase.contains(stage) {
            format!("[{mark}]")
        } else {
            format!(" {mark} ")
        };
        cells.push(Span::styled(
            cell,
            if done { theme.info() } else { theme.dim() },
        ));
    }
    cells
}

fn table_line(
    group: &GroupSummary,
    columns: &Columns,
    theme: Theme,
    trend: &[crate::service::workshop::TrendPoint],
) -> Line<'static> {
    let figures = &group.figures;
    let rating = figures.rating;
    let title_width = columns.title;
    let mut spans = vec![
        Span::styled(format!("{} ", rating.symbol()), theme.rating(rating)),
        Span::raw(format!("{:<4} ", group.clause)),
        Span::raw(format!("{:<title_width$}", fit(&group.title, title_width))),
    ];
    if columns.bar > 0 {
        spans.push(Span::styled(
            bar(figures.readiness.tenths(), columns.bar),
            theme.rating(rating),
        ));
    }
    spans.push(Span::styled(
        format!(" {:>6}", figures.readiness.to_string()),
        theme.rating(rating),
    ));
    spans.push(match figures.assessed_readiness {
        Some(assessed) => Span::styled(
            format!(" {:>7}", assessed.to_string()),
            theme.rating(Rating::of_tenths(assessed.tenths())),
        ),
        None => Span::styled(format!(" {:>7}", "-"), theme.dim()),
    });
    if columns.gap {
        spans.push(Span::raw(format!(" {:>6}", figures.gap.to_string())));
    }
    spans.push(Span::raw(format!(" {:>6}", figures.coverage.to_string())));
    spans.extend(matrix_cells(group, theme));
    spans.extend([
        Span::raw(format!("  {:<5}", figures.pdca_reached)),
        Span::styled(format!("{:<4}", group.pdca_phase), theme.dim()),
        Span::raw(format!(" {:<11}", counts(figures))),
    ]);
    if columns.trend > 0 {
        let points = trend.iter().rev().take(12).rev().filter_map(|point| {
            point
                .clauses
                .iter()
                .find(|(clause, _)| *clause == group.clause)
                .map(|(_, readiness)| *readiness)
        });
        spans.push(Span::styled(
            format!(" {}", sparkline(points)),
            theme.info(),
        ));
    }
    Line::from(spans)
}

fn render_table(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    per_domain: bool,
    theme: Theme,
    compact: bool,
) {
    let columns = Columns::for_width(area.width as usize, session.trend.len());
    let title_width = columns.title;
    let bar_width = columns.bar;
    let gap = if columns.gap { "   Gap%" } else { "" };
    let header = format!(
        "   {:<4} {:<title_width$}{:<bar_width$} {:>6} {:>7}{gap} {:>6}   P  D  C  A   Stage Phase 0/1/2/3/4  {}",
        "",
        "Clause",
        "",
        "Ready%",
        "Assess%",
        "Cover%",
        if columns.trend > 0 { "Trend" } else { "" }
    );
    let mut lines = vec![Line::from(Span::styled(header, theme.title()))];
    lines.extend(
        session
            .summary
            .clauses
            .iter()
            .map(|group| table_line(group, &columns, theme, &session.trend)),
    );
    if let Some(annex) = &session.summary.annex_a {
        let total = GroupSummary {
            clause: "A".into(),
            title: "Annex A controls (own figure)".into(),
            pdca_phase: "D".into(),
            figures: annex.overall.clone(),
        };
        lines.push(table_line(&total, &columns, theme, &[]));
        if per_domain {
            lines.extend(
                annex
                    .domains
                    .iter()
                    .map(|group| table_line(group, &columns, theme, &[])),
            );
        }
    }
    if !compact {
        lines.push(Line::from(Span::styled(
            format!(
                "-- not assessed · !! below {AMBER_FROM} %, ~ below {GREEN_FROM} %, ok from {GREEN_FROM} % · Assess% = of answered items · ■ stage reached by every item · [ ] clause phase"
            ),
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_gaps(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    selected: usize,
    theme: Theme,
) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Largest gaps ({} opens) ",
        keymap::label(Scope::Dashboard, KeyAction::Open)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let gaps = session.gaps(GAP_ROWS);
    let not_discussed = not_discussed_line(session, width, theme);
    if gaps.is_empty() {
        let mut lines = vec![Line::from(
            "No gap: no answered clause item is below level 4.",
        )];
        lines.extend(not_discussed);
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let height = (inner.height as usize).saturating_sub(usize::from(not_discussed.is_some()));
    let offset = selected.saturating_sub(height.saturating_sub(1));
    // As wide as the longest ref shown, so `6.1.2 d) 1)` and `6.1.2 d) 2)` stay apart.
    let ref_width = gaps
        .iter()
        .map(|item| item.reference.chars().count())
        .max()
        .unwrap_or(9)
        .clamp(9, 16);
    let lines: Vec<Line> = gaps
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(index, item)| {
            let level = session.answers.get(item.number).level;
            let head = format!(
                "{:>4} {} {:<ref_width$} ",
                item.number,
                level_mark(level),
                fit(&item.reference, ref_width)
            );
            let style = if index == selected {
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
    let mut lines = lines;
    lines.extend(not_discussed);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The clause items nobody has answered yet, by clause: not gaps, so listed apart.
fn not_discussed_line(
    session: &OpenAssessment,
    width: usize,
    theme: Theme,
) -> Option<Line<'static>> {
    let groups = crate::score::not_yet_discussed(
        &session.questionnaire,
        &session.answers,
        crate::model::ItemKind::Clause,
    );
    if groups.is_empty() {
        return None;
    }
    let list: Vec<String> = groups
        .iter()
        .map(|(clause, items)| format!("{clause}: {}", items.len()))
        .collect();
    let text = format!("-- not yet discussed (clause: items) {}", list.join(" · "));
    Some(Line::from(Span::styled(fit(&text, width), theme.dim())))
}

super::view!(DashboardView, "Dashboard", Scope::Dashboard, short = "Dash");
