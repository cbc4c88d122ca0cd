//! The 26-step certification plan: the steps with status, owner and due date (overdue ones stand
//! out), and a timeline against the 12-24 month horizon.

use crate::model::plan::{self, PlanChange, PlanStep, StepProgress, StepStatus};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{NoteTarget, Popup, PromptFor};
use crate::tui::theme::Theme;
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::{bar, fit};
use chrono::{Days, Months, NaiveDate};
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The Plan screen's own state: the selected step, list or timeline, and a pending `Space` that
/// would drop what a step records (see `update`).
#[derive(Default)]
pub struct PlanView {
    /// Index into the plan's steps.
    pub selected: usize,
    pub timeline: bool,
    /// The step whose status a second `Space` would cycle, dropping its done date or reason.
    pub confirm: Option<u32>,
}

impl PlanView {
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let today = ctx.today;
        let selected = self.selected;
        let figures = plan::plan_figures(&session.plan_progress, today);
        let [head, body, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(7),
        ])
        .areas(area);
        let bar_width = (area.width as usize / 5).clamp(8, 30);
        let mut counts = vec![format!("{} of {} done", figures.done, figures.steps)];
        for (count, label) in [
            (figures.in_progress, "in progress"),
            (figures.blocked, "blocked"),
            (figures.skipped, "skipped"),
        ] {
            if count > 0 {
                counts.push(format!("{count} {label}"));
            }
        }
        frame.render_widget(
            Line::from(vec![
                Span::styled("Plan ", theme.title()),
                Span::styled(bar(figures.progress.tenths(), bar_width), theme.accent()),
                Span::raw(format!(
                    " {} % · {} · ",
                    figures.progress,
                    counts.join(" · ")
                )),
                Span::styled(
                    format!("{} overdue", figures.overdue),
                    if figures.overdue > 0 {
                        theme.error()
                    } else {
                        Style::default()
                    },
                ),
            ]),
            head,
        );
        if self.timeline {
            render_timeline(frame, body, session, selected, today, theme);
        } else {
            render_list(frame, body, session, selected, today, theme);
        }
        render_detail(frame, detail, session, selected, theme);
    }
}

fn step_style(progress: &StepProgress, today: NaiveDate, theme: Theme) -> Style {
    if progress.is_overdue(today) || progress.dates_inverted() {
        theme.error()
    } else if progress.status == StepStatus::Done {
        theme.info()
    } else if progress.status.needs_reason() {
        theme.dim()
    } else {
        Style::default()
    }
}

fn window(selected: usize, count: usize, height: usize) -> usize {
    selected
        .saturating_sub(height / 2)
        .min(count.saturating_sub(height))
}

fn render_list(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    selected_step: usize,
    today: NaiveDate,
    theme: Theme,
) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Certification plan · {} status · {} owner · {} due · {} timeline ",
        label(KeyAction::CycleStatus),
        label(KeyAction::EditOwner),
        label(KeyAction::EditDue),
        label(KeyAction::ToggleTimeline)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let owner_width = if width >= 98 { 16 } else { 12 };
    let title_width = width
        .saturating_sub(4 + 4 + 1 + owner_width + 11 + 11 + 11)
        .max(8);
    // Column headers, then the steps.
    let [columns, inner] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Line::from(Span::styled(
            fit(
                &format!(
                    "{:<4}{:>3} {:<title_width$} {:<owner_width$}{:<11}{:<11}{}",
                    "", "#", "Step", "Owner", "Start", "Due", "Status"
                ),
                width,
            ),
            theme.title(),
        )),
        columns,
    );
    let height = inner.height as usize;
    let steps = &session.plan.steps;
    let offset = window(selected_step, steps.len(), height);
    let lines: Vec<Line> = steps
        .iter()
        .zip(&session.plan_progress)
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(index, (step, progress))| {
            let selected = index == selected_step;
            let base = if selected {
                theme.selected()
            } else {
                Style::default()
            };
            let day = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
            let flag = if progress.dates_inverted() {
                "DUE<START"
            } else if progress.is_overdue(today) {
                "OVERDUE"
            } else {
                progress.status.label()
            };
            Line::from(vec![
                Span::styled(
                    format!("{} ", progress.status.symbol()),
                    base.patch(step_style(progress, today, theme)),
                ),
                Span::styled(format!("{:>3} ", step.number), base),
                Span::styled(
                    format!("{:<title_width$} ", fit(&step.title, title_width)),
                    base,
                ),
                Span::styled(
                    format!("{:<owner_width$}", fit(&progress.owner, owner_width - 1)),
                    base,
                ),
                Span::styled(format!("{:<11}", day(progress.start)), base),
                Span::styled(format!("{:<11}", day(progress.due)), base),
                Span::styled(
                    format!("{flag:<11}"),
                    base.patch(step_style(progress, today, theme)),
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// How a step's span on the timeline was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// From its own start and/or due date.
    Dated,
    /// Estimated from the previous step and its typical length.
    Estimated,
    /// Its due date is before its start date (refused today, but possible in older files): drawn
    /// from the due date to the start date in a fill that stands out.
    Inverted,
}

/// When each step runs on the timeline: its own dates where set, else an estimate that follows
/// the previous step for the step's typical number of weeks.
pub fn schedule(
    steps: &[PlanStep],
    progress: &[StepProgress],
    plan_start: NaiveDate,
) -> Vec<(NaiveDate, NaiveDate, SpanKind)> {
    let mut cursor = plan_start;
    steps
        .iter()
        .zip(progress)
        .map(|(step, p)| {
            let length = Days::new(u64::from(step.weeks) * 7);
            let span = match (p.start, p.due) {
                (Some(start), Some(due)) if start <= due => (start, due, SpanKind::Dated),
                (Some(start), Some(due)) => (due, start, SpanKind::Inverted),
                (Some(start), None) => (start, start + length, SpanKind::Dated),
                (None, Some(due)) => (due - length, due, SpanKind::Dated),
                (None, None) => (cursor, cursor + length, SpanKind::Estimated),
            };
            cursor = span.1;
            span
        })
        .collect()
}

/// The day the timeline starts: the earliest start date set, else the day the assessment began.
pub fn plan_start(session: &OpenAssessment) -> NaiveDate {
    let created =
        crate::clock::local_date(&session.assessment.created_at).unwrap_or(NaiveDate::MIN);
    session
        .plan_progress
        .iter()
        .filter_map(|p| p.start)
        .min()
        .map_or(created, |earliest| earliest.min(created))
}

fn render_timeline(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    selected_step: usize,
    today: NaiveDate,
    theme: Theme,
) {
    let horizon = &session.plan.horizon_months;
    let title = format!(
        "Timeline · {}-{} month horizon · █ dated ▒ estimated X due before start │ today · t list",
        horizon.min, horizon.max
    );
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        crate::tui::widgets::fit_words(&title, (area.width as usize).saturating_sub(4))
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 30 {
        return;
    }
    let start = plan_start(session);
    let spans = schedule(&session.plan.steps, &session.plan_progress, start);
    let last = spans.iter().map(|s| s.1).max().unwrap_or(start).max(today);
    let mut months = horizon.max;
    while start + Months::new(months) < last {
        months += 6;
    }
    // One month past the horizon leaves room for the last ruler label.
    let end = start + Months::new(months + 1);
    let label_width = 26usize;
    let chart_width = inner.width as usize - label_width;
    let total_days = (end - start).num_days().max(1) as f64;
    let column_of = |day: NaiveDate| -> usize {
        let offset = (day - start).num_days().max(0) as f64;
        ((offset / total_days) * chart_width as f64).floor() as usize
    };
    // Ruler: a tick every 3 months, labelled with the month count; the horizon bounds stand out.
    let mut ruler = vec![' '; chart_width];
    let mut month = 0;
    while month <= months {
        let column = column_of(start + Months::new(month)).min(chart_width - 1);
        let label = format!("{month}m");
        if month % 3 == 0 {
            for (offset, c) in label.chars().enumerate() {
                if let Some(cell) = ruler.get_mut(column + offset) {
                    *cell = c;
                }
            }
        }
        month += 3;
    }
    let today_column =
        (today >= start && today <= end).then(|| column_of(today).min(chart_width - 1));
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{:<label_width$}", format!("from {start}")),
            theme.dim(),
        ),
        Span::styled(ruler.into_iter().collect::<String>(), theme.dim()),
    ])];
    let height = inner.height as usize - 1;
    let offset = window(selected_step, spans.len(), height);
    for (index, (step, progress)) in session
        .plan
        .steps
        .iter()
        .zip(&session.plan_progress)
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let (from, to, kind) = spans[index];
        let (first, last) = (column_of(from), column_of(to).max(column_of(from)));
        let fill = match kind {
            SpanKind::Dated => '█',
            SpanKind::Estimated => '▒',
            SpanKind::Inverted => 'X',
        };
        let cells: String = (0..chart_width)
            .map(|column| {
                if column >= first && column <= last {
                    fill
                } else if Some(column) == today_column {
                    '│'
                } else {
                    ' '
                }
            })
            .collect();
        let selected = index == selected_step;
        let base = if selected {
            theme.selected()
        } else {
            Style::default()
        };
        let label = format!(
            "{} {:>2} {}",
            progress.status.symbol(),
            step.number,
            step.title
        );
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_width$}", fit(&label, label_width - 1)),
                base,
            ),
            Span::styled(cells, step_style(progress, today, theme)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_detail(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    selected_step: usize,
    theme: Theme,
) {
    let Some(step) = session.plan.steps.get(selected_step) else {
        return;
    };
    let progress = &session.plan_progress[selected_step];
    let day = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
    // The step's own data first, so it stays in view however long the description is.
    let mut lines = vec![
        Line::from(Span::styled(
            format!("Step {} · {}", step.number, step.title),
            theme.title(),
        )),
        Line::from(format!(
            "Status: {}{} · owner {} · start {} · due {} · done {}",
            progress.status,
            if progress.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", progress.reason)
            },
            if progress.owner.is_empty() {
                "-"
            } else {
                &progress.owner
            },
            day(progress.start),
            day(progress.due),
            day(progress.done_on)
        )),
    ];
    if progress.dates_inverted() {
        lines.push(Line::from(Span::styled(
            "The due date is before the start date: correct one of them (s start, d due).",
            theme.error(),
        )));
    }
    if !progress.note.is_empty() {
        lines.push(Line::from(format!(
            "Note: {}",
            progress.note.replace('\n', " / ")
        )));
    }
    lines.push(Line::from(step.description.clone()));
    lines.push(Line::from(Span::styled(
        format!(
            "{} · {} · clauses {} · about {} weeks · produces: {}",
            step.phase,
            step.pdca,
            step.clauses.join(", "),
            step.weeks,
            step.outputs.join("; ")
        ),
        theme.dim(),
    )));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default().borders(Borders::TOP).title(format!(
                " Selected step · {} blocked · {} skipped · {} start · {} done on · {} note ",
                label(KeyAction::BlockStep),
                label(KeyAction::SkipStep),
                label(KeyAction::EditStart),
                label(KeyAction::EditDone),
                label(KeyAction::EditNote)
            )),
        ),
        area,
    );
}

impl PlanView {
    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let today = ctx.today;
        let session = ctx.session?;
        let count = session.plan.steps.len();
        let index = self.selected.min(count.saturating_sub(1));
        let number = (index + 1) as u32;
        let progress = session.plan_progress[index].clone();
        // A pending second Space is cancelled by any other key.
        let confirm = self.confirm.take();
        let prompt = |purpose: PromptFor, title: String, value: &str| {
            Some(Command::Popup(Popup::prompt(purpose, title, value)))
        };
        match action {
            KeyAction::Down => self.selected = (index + 1).min(count - 1),
            KeyAction::Up => self.selected = index.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = count - 1,
            KeyAction::ToggleTimeline => self.timeline = !self.timeline,
            KeyAction::CycleStatus => {
                let status = progress.status.cycled();
                let space = label(KeyAction::CycleStatus);
                // A stray Space must not silently drop what the step records: the done date, or why it
                // is blocked or skipped. The first press says what would go; a second one does it.
                let would_drop = match progress.status {
                StepStatus::Done => progress
                    .done_on
                    .map(|d| format!(
                        "done (on {d}); a second {space} reopens it as {status} and clears the done date ({} changes the date instead)",
                        label(KeyAction::EditDone)
                    )),
                StepStatus::Blocked | StepStatus::Skipped => Some(format!(
                    "{} (\"{}\"); a second {space} makes it {status} and drops the reason (the history keeps it)",
                    progress.status, progress.reason
                )),
                _ => None,
            };
                if let Some(what) = would_drop
                    && confirm != Some(number)
                {
                    self.confirm = Some(number);
                    return Some(Command::Info(format!("Step {number} is {what}.")));
                }
                return Some(Command::Step {
                    step: number,
                    change: PlanChange::Status {
                        status,
                        reason: String::new(),
                        today,
                    },
                });
            }
            KeyAction::BlockStep => {
                return prompt(
                    PromptFor::StepReason(number, StepStatus::Blocked),
                    format!("Why is step {number} blocked?"),
                    &progress.reason,
                );
            }
            KeyAction::SkipStep => {
                return prompt(
                    PromptFor::StepReason(number, StepStatus::Skipped),
                    format!("Why is step {number} skipped?"),
                    &progress.reason,
                );
            }
            KeyAction::EditOwner => {
                return prompt(
                    PromptFor::StepOwner(number),
                    format!("Owner of step {number}"),
                    &progress.owner,
                );
            }
            KeyAction::EditStart => {
                return prompt(
                    PromptFor::StepStart(number),
                    format!("Start of step {number} (YYYY-MM-DD, empty clears)"),
                    &progress.start.map(|d| d.to_string()).unwrap_or_default(),
                );
            }
            KeyAction::EditDue => {
                return prompt(
                    PromptFor::StepDue(number),
                    format!("Due date of step {number} (YYYY-MM-DD, empty clears)"),
                    &progress.due.map(|d| d.to_string()).unwrap_or_default(),
                );
            }
            KeyAction::EditDone => {
                return prompt(
                    PromptFor::StepDone(number),
                    format!("Step {number} was done on (YYYY-MM-DD, not in the future)"),
                    &progress.done_on.unwrap_or(today).to_string(),
                );
            }
            KeyAction::EditNote => {
                return Some(Command::Popup(Popup::note(
                    NoteTarget::Step(number),
                    &progress.note,
                )));
            }
            _ => {}
        }
        None
    }
}

/// How the keymap spells the Plan screen's key for `action`.
fn label(action: KeyAction) -> &'static str {
    keymap::label(Scope::Plan, action)
}

super::view!(PlanView, "Plan", Scope::Plan);
