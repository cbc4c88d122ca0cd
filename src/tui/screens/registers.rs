//! The Registers screen: one tab for the four registers the course teaches (context issues,
//! interested parties, risks, objectives), one shown at a time (`]`/`[` switch). Each shows its
//! list (in priority order where there is one), the selected entry, and its picture: the
//! influence x control matrix (3x3) or the likelihood x impact heat map (5x5).

use crate::model::audit::{AuditStatus, Classification, FindingType};
use crate::model::register_spec::RegisterEntry;
use crate::model::registers::{
    ContextIssue, InterestedParty, Objective, ObjectiveStatus, Priority, RegisterKind, Registers,
    Risk, RiskRating, Side, influence_matrix, risk_matrix,
};
use crate::model::text::text_matches;
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{Popup, RemoveConfirm};
use crate::tui::register_form::{EntryForm, EntryValue};
use crate::tui::theme::Theme;
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::fit;
use chrono::NaiveDate;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The filters of the context issues and parties: the sides by their model codes.
const RATED_FILTERS: &[&str] = &[
    "all",
    "high priority",
    Side::External.code(),
    Side::Internal.code(),
];

/// The filters of the objectives: the last by its status's model code.
const OBJECTIVE_FILTERS: &[&str] = &["all", "open", "overdue", ObjectiveStatus::Achieved.code()];

/// The filters of each register, `f` cycles them.
fn filters(kind: RegisterKind) -> &'static [&'static str] {
    match kind {
        RegisterKind::Context | RegisterKind::Parties => RATED_FILTERS,
        RegisterKind::Risks => &["all", "high and critical", "no treatment", "not accepted"],
        RegisterKind::Objectives => OBJECTIVE_FILTERS,
        RegisterKind::Audits => &["all", "not done"],
        RegisterKind::Findings => &["all", "nonconformities"],
        RegisterKind::Nonconformities => &["all", "open", "major open"],
        RegisterKind::Reviews => &["all"],
    }
}

fn index_of(kind: RegisterKind) -> usize {
    RegisterKind::EVERY
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)
}

/// How many registers the screen shows, one at a time: the course's four, then the audit
/// records (audits, findings, nonconformities, management reviews).
const KINDS: usize = RegisterKind::EVERY.len();

/// The Registers screen's own state: the register shown and, per register, the selection,
/// filter and search.
#[derive(Default)]
pub struct RegistersView {
    pub shown: usize,
    pub selected: [usize; KINDS],
    pub filter: [usize; KINDS],
    pub search: [Option<String>; KINDS],
}

/// One row of a register's list, as the screen shows it.
struct Row<'a> {
    id: &'a str,
    cells: Vec<String>,
    style: Style,
    entry: EntryValue,
    /// Where it sits on the picture: (row, column) from the top left.
    cell: Option<(usize, usize)>,
}

impl RegistersView {
    pub fn kind(&self) -> RegisterKind {
        RegisterKind::EVERY[self.shown % KINDS]
    }

    /// Shows register `kind`.
    pub fn show(&mut self, kind: RegisterKind) {
        self.shown = index_of(kind);
    }

    /// Selects the entry `id` of the register shown, if the list shows it.
    pub fn select_id(&mut self, session: &OpenAssessment, today: NaiveDate, id: &str) {
        let rows = self.rows(&session.registers, today, Theme::MONOCHROME);
        if let Some(position) = rows.iter().position(|r| r.id == id) {
            self.selected[self.shown] = position;
        }
    }

    /// Goes to entry `target` (an id such as `R-3`, or its number) of the register shown, the
    /// filter and search cleared when they hide it. None when the register has no such entry.
    pub fn go_to(
        &mut self,
        session: &OpenAssessment,
        today: NaiveDate,
        target: &str,
    ) -> Option<String> {
        let kind = self.kind();
        let id = match target.trim().parse::<u32>() {
            Ok(number) => kind.id(number),
            Err(_) => target.trim().to_uppercase(),
        };
        let all = self.rows(&session.registers, today, Theme::MONOCHROME);
        let mut note = "";
        if !all.iter().any(|r| r.id == id) {
            let (filter, search) = (self.filter[self.shown], self.search[self.shown].take());
            self.filter[self.shown] = 0;
            if !self
                .rows(&session.registers, today, Theme::MONOCHROME)
                .iter()
                .any(|r| r.id == id)
            {
                self.filter[self.shown] = filter;
                self.search[self.shown] = search;
                return None;
            }
            note = " (the filter hid it: it now shows all)";
        }
        self.select_id(session, today, &id);
        Some(format!("{id} in {}{note}.", kind.title()))
    }

    /// Whether `entry` matches the search of the register shown (any text field of its spec).
    fn matches<T: RegisterEntry>(&self, entry: &T) -> bool {
        match &self.search[self.shown] {
            Some(query) if !query.trim().is_empty() => {
                entry.searched().iter().any(|t| text_matches(t, query))
            }
            _ => true,
        }
    }

    fn rows<'a>(&self, registers: &'a Registers, today: NaiveDate, theme: Theme) -> Vec<Row<'a>> {
        let filter = self.filter[self.shown];
        match self.kind() {
            RegisterKind::Context => registers
                .context
                .iter()
                .filter(|e| rated_filter(filter, e.priority(), e.kind))
                .filter(|e| self.matches(*e))
                .map(|e| context_row(e, theme))
                .collect(),
            RegisterKind::Parties => registers
                .parties
                .iter()
                .filter(|e| rated_filter(filter, e.priority(), e.kind))
                .filter(|e| self.matches(*e))
                .map(|e| party_row(e, theme))
                .collect(),
            RegisterKind::Risks => registers
                .risks
                .iter()
                .filter(|r| match filter {
                    1 => r.rating() >= RiskRating::High,
                    2 => r.treatment.is_none(),
                    3 => r.accepted_on.is_none(),
                    _ => true,
                })
                .filter(|e| self.matches(*e))
                .map(|e| risk_row(e, theme))
                .collect(),
            RegisterKind::Objectives => registers
                .objectives
                .iter()
                .filter(|o| match filter {
                    1 => is_open(o),
                    2 => is_open(o) && o.due.is_some_and(|d| d < today),
                    3 => o.status == ObjectiveStatus::Achieved,
                    _ => true,
                })
                .filter(|e| self.matches(*e))
                .map(|e| objective_row(e, today, theme))
                .collect(),
            RegisterKind::Audits => registers
                .audits
                .iter()
                .filter(|a| filter == 0 || a.status != AuditStatus::Done)
                .filter(|e| self.matches(*e))
                .map(|e| plain_row(e, ("  ", Style::default())))
                .collect(),
            RegisterKind::Findings => registers
                .findings
                .iter()
                .filter(|f| filter == 0 || f.is_nonconformity())
                .filter(|e| self.matches(*e))
                .map(|e| {
                    let look = match e.kind {
                        FindingType::Major => ("!!", theme.error()),
                        FindingType::Minor => ("! ", theme.error()),
                        _ => ("  ", Style::default()),
                    };
                    plain_row(e, look)
                })
                .collect(),
            RegisterKind::Nonconformities => registers
                .nonconformities
                .iter()
                .filter(|nc| match filter {
                    1 => nc.status.is_open(),
                    2 => nc.status.is_open() && nc.classification == Classification::Major,
                    _ => true,
                })
                .filter(|e| self.matches(*e))
                .map(|e| {
                    let look = match (e.status.is_open(), e.classification) {
                        (true, Classification::Major) => ("!!", theme.error()),
                        (true, Classification::Minor) => ("! ", theme.error()),
                        (false, _) => (". ", theme.dim()),
                    };
                    plain_row(e, look)
                })
                .collect(),
            RegisterKind::Reviews => registers
                .reviews
                .iter()
                .filter(|e| self.matches(*e))
                .map(|e| plain_row(e, ("  ", Style::default())))
                .collect(),
        }
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let rows = self.rows(&session.registers, ctx.today, ctx.theme);
        let count = rows.len();
        let kind = self.kind();
        let selected = &mut self.selected[self.shown];
        *selected = (*selected).min(count.saturating_sub(1));
        match action {
            KeyAction::Down => *selected = (*selected + 1).min(count.saturating_sub(1)),
            KeyAction::Up => *selected = selected.saturating_sub(1),
            KeyAction::First => *selected = 0,
            KeyAction::Last => *selected = count.saturating_sub(1),
            KeyAction::NextRegister => self.shown = (self.shown + 1) % KINDS,
            KeyAction::PreviousRegister => self.shown = (self.shown + KINDS - 1) % KINDS,
            KeyAction::CycleFilter => {
                let kind = self.kind();
                let options = filters(kind);
                let filter = (self.filter[self.shown] + 1) % options.len();
                self.filter[self.shown] = filter;
                return Some(Command::Info(format!(
                    "{}: showing {}.",
                    kind.title(),
                    options[filter]
                )));
            }
            KeyAction::StartSearch => {
                return Some(Command::Popup(Popup::Search {
                    query: String::new(),
                }));
            }
            KeyAction::NewEntry => {
                return Some(Command::Popup(Popup::Entry(Box::new(EntryForm::new(
                    self.kind(),
                )))));
            }
            KeyAction::Open => {
                let row = rows.get(*selected)?;
                return Some(Command::Popup(Popup::Entry(Box::new(EntryForm::of(
                    Some(row.id.to_string()),
                    &row.entry,
                )))));
            }
            KeyAction::AuditMode => {
                let audit = match (kind, rows.get(*selected).map(|r| &r.entry)) {
                    (RegisterKind::Audits, Some(EntryValue::Audit(audit))) => audit.id.clone(),
                    // From a finding: the audit it was found in.
                    (RegisterKind::Findings, Some(EntryValue::Finding(f))) => f.audit.clone(),
                    (RegisterKind::Audits | RegisterKind::Findings, _) => {
                        return Some(Command::Info(
                            "No audit yet: n adds one (title, type, date, auditors, scope).".into(),
                        ));
                    }
                    _ => {
                        return Some(Command::Info(format!(
                            "{} walks an audit: {} to the Audits register, then {0} on an audit.",
                            keymap::label(Scope::Registers, KeyAction::AuditMode),
                            keymap::label(Scope::Registers, KeyAction::NextRegister)
                        )));
                    }
                };
                return Some(Command::ShowAudit(audit));
            }
            KeyAction::Delete => {
                let row = rows.get(*selected)?;
                return Some(Command::Popup(Popup::ConfirmRemove(Box::new(
                    RemoveConfirm {
                        kind: self.kind(),
                        id: row.id.to_string(),
                        label: row.entry.label().to_string(),
                    },
                ))));
            }
            _ => {}
        }
        None
    }

    /// A search typed in the search bar: it narrows the list; an empty one shows all again.
    pub fn search(&mut self, session: &OpenAssessment, query: String) -> Option<Command> {
        let query = query.trim().to_string();
        self.selected[self.shown] = 0;
        if query.is_empty() {
            self.search[self.shown] = None;
            return Some(Command::Info(format!(
                "{}: search cleared.",
                self.kind().title()
            )));
        }
        self.search[self.shown] = Some(query.clone());
        let found = self
            .rows(&session.registers, NaiveDate::MIN, Theme::MONOCHROME)
            .len();
        Some(Command::Info(format!(
            "{}: {found} entr{} match \"{query}\".",
            self.kind().title(),
            if found == 1 { "y" } else { "ies" }
        )))
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let kind = self.kind();
        let rows = self.rows(&session.registers, ctx.today, theme);
        let selected = self.selected[self.shown].min(rows.len().saturating_sub(1));
        let picture_height = match kind {
            RegisterKind::Context | RegisterKind::Parties | RegisterKind::Risks => 9,
            _ => 0,
        };
        let mut detail_height = (area.height / 3).max(picture_height).min(14);
        if RegisterKind::AUDIT_RECORDS.contains(&kind) {
            // An audit record has more to read than a list line: its lines, up to half the screen.
            let lines = crate::with_register!(kind, T => T::detail().len()) as u16 + 3;
            detail_height = detail_height.max(lines.min(area.height / 2));
        }
        let [tabs, list, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(detail_height),
        ])
        .areas(area);
        // The register tabs, with their counts: those that fit, around the one shown.
        let key = format!(
            "{} switch",
            keymap::label(Scope::Registers, KeyAction::NextRegister)
        );
        let labels: Vec<String> = RegisterKind::EVERY
            .into_iter()
            .map(|k| {
                let label = if area.width < 100 {
                    k.short_title()
                } else {
                    k.title()
                };
                format!("{label} ({})", session.registers.count(k))
            })
            .collect();
        let (first, last) = tab_window(&labels, self.shown, area.width as usize, key.len());
        let mut spans = Vec::new();
        if first > 0 {
            spans.push(Span::styled("< ", theme.dim()));
        }
        for (index, text) in labels.iter().enumerate().take(last + 1).skip(first) {
            if index == self.shown {
                spans.push(Span::styled(format!("[{text}]"), theme.selected()));
            } else {
                spans.push(Span::styled(format!(" {text} "), theme.dim()));
            }
            spans.push(Span::raw(" "));
        }
        if last + 1 < labels.len() {
            spans.push(Span::styled("> ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.dim()));
        frame.render_widget(Line::from(spans), tabs);

        // The list.
        let mut title = format!(
            " {} · {} of {} · {} filter: {} ",
            kind.title(),
            rows.len(),
            session.registers.count(kind),
            keymap::label(Scope::Registers, KeyAction::CycleFilter),
            filters(kind)[self.filter[self.shown]]
        );
        if let Some(query) = &self.search[self.shown] {
            title.push_str(&format!("· search \"{query}\" "));
        }
        if matches!(kind, RegisterKind::Audits | RegisterKind::Findings) {
            title.push_str(&format!(
                "· {} audit mode ",
                keymap::label(Scope::Registers, KeyAction::AuditMode)
            ));
        }
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(list);
        frame.render_widget(block, list);
        let header = header_of(kind);
        let mut lines = vec![Line::from(Span::styled(
            fit(&header, inner.width as usize),
            theme.title(),
        ))];
        let visible = inner.height.saturating_sub(1) as usize;
        let first = selected.saturating_sub(visible.saturating_sub(1));
        if rows.is_empty() {
            lines.push(Line::from(Span::styled(
                if session.registers.count(kind) == 0 {
                    format!(
                        "No entry yet: press {} to add the first one.",
                        keymap::label(Scope::Registers, KeyAction::NewEntry)
                    )
                } else {
                    "No entry matches the filter or search.".to_string()
                },
                theme.dim(),
            )));
        }
        for (index, row) in rows.iter().enumerate().skip(first).take(visible) {
            let text = fit(&row.cells.join(" "), inner.width as usize);
            let style = if index == selected {
                theme.selected()
            } else {
                row.style
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        frame.render_widget(Paragraph::new(lines), inner);

        // The selected entry, and the picture.
        let picture_width = match kind {
            RegisterKind::Risks => 7 * 5 + 9,
            RegisterKind::Context | RegisterKind::Parties => 3 * 12 + 12,
            _ => 0,
        }
        .min(bottom.width / 2);
        let [detail, picture] =
            Layout::horizontal([Constraint::Min(10), Constraint::Length(picture_width)])
                .areas(bottom);
        let row = rows.get(selected);
        render_detail(frame, detail, row.map(|r| &r.entry), theme);
        if picture_width > 0 {
            let marked = row.and_then(|r| r.cell);
            match kind {
                RegisterKind::Risks => {
                    render_heat_map(frame, picture, &session.registers.risks, marked, theme)
                }
                RegisterKind::Context => {
                    let cells = influence_matrix(
                        session
                            .registers
                            .context
                            .iter()
                            .map(|e| (e.influence, e.control, e.id.as_str())),
                    );
                    render_influence(frame, picture, &cells, marked, theme)
                }
                _ => {
                    let cells = influence_matrix(
                        session
                            .registers
                            .parties
                            .iter()
                            .map(|e| (e.influence, e.control, e.id.as_str())),
                    );
                    render_influence(frame, picture, &cells, marked, theme)
                }
            }
        }
    }
}

/// The first and last register tabs that fit in `width` beside the key hint (`reserve`),
/// the one `shown` always among them: all of them when they fit.
fn tab_window(labels: &[String], shown: usize, width: usize, reserve: usize) -> (usize, usize) {
    // A tab takes its text, brackets or spaces around it, and a space after.
    let cost = |i: usize| labels[i].chars().count() + 3;
    let room = width.saturating_sub(reserve + 4);
    let (mut first, mut last) = (shown, shown);
    let mut used = cost(shown);
    loop {
        let grown = if last + 1 < labels.len() && used + cost(last + 1) <= room {
            last += 1;
            used += cost(last);
            true
        } else {
            false
        };
        let grown_left = if first > 0 && used + cost(first - 1) <= room {
            first -= 1;
            used += cost(first);
            true
        } else {
            false
        };
        if !grown && !grown_left {
            return (first, last);
        }
    }
}

fn is_open(objective: &Objective) -> bool {
    matches!(
        objective.status,
        ObjectiveStatus::Planned | ObjectiveStatus::InProgress
    )
}

fn rated_filter(filter: usize, priority: Priority, side: Side) -> bool {
    match filter {
        1 => priority == Priority::High,
        2 => side == Side::External,
        3 => side == Side::Internal,
        _ => true,
    }
}

fn priority_style(priority: Priority, theme: Theme) -> Style {
    match priority {
        Priority::High => theme.error(),
        Priority::Medium => Style::default(),
        Priority::Low => theme.dim(),
    }
}

fn priority_mark(priority: Priority) -> &'static str {
    match priority {
        Priority::High => "!!",
        Priority::Medium => "~ ",
        Priority::Low => ". ",
    }
}

fn rating_style(rating: RiskRating, theme: Theme) -> Style {
    match rating {
        RiskRating::Critical | RiskRating::High => theme.error(),
        RiskRating::Medium => theme.key(),
        RiskRating::Low => theme.info(),
    }
}

fn rating_mark(rating: RiskRating) -> &'static str {
    match rating {
        RiskRating::Critical => "!!",
        RiskRating::High => "! ",
        RiskRating::Medium => "~ ",
        RiskRating::Low => ". ",
    }
}

/// The list header of register `T`: its spec's list columns, after the mark's room.
fn header<T: RegisterEntry>() -> String {
    let heads: Vec<String> = T::list().iter().map(|c| c.pad(c.header)).collect();
    format!("   {}", heads.join(" "))
}

fn header_of(kind: RegisterKind) -> String {
    crate::with_register!(kind, T => header::<T>())
}

/// A row of the list: the mark, then the spec's list columns of `entry`.
fn list_row<'a, T: RegisterEntry>(
    entry: &'a T,
    (mark, style): (&str, Style),
    cell: Option<(usize, usize)>,
    value: EntryValue,
) -> Row<'a> {
    let mut cells = vec![mark.to_string()];
    cells.extend(T::list().iter().map(|c| c.pad(&(c.value)(entry))));
    Row {
        id: entry.id(),
        cells,
        style,
        entry: value,
        cell,
    }
}

/// Matrix row and column of an influence x control rating: high influence on top, low control
/// on the left.
fn influence_cell(influence: u8, control: u8) -> (usize, usize) {
    (
        3 - influence.clamp(1, 3) as usize,
        control.clamp(1, 3) as usize - 1,
    )
}

fn priority_look(influence: u8, control: u8, theme: Theme) -> (&'static str, Style) {
    let priority = Priority::of(influence, control);
    (priority_mark(priority), priority_style(priority, theme))
}

fn context_row(e: &ContextIssue, theme: Theme) -> Row<'_> {
    list_row(
        e,
        priority_look(e.influence, e.control, theme),
        Some(influence_cell(e.influence, e.control)),
        EntryValue::from(e.clone()),
    )
}

fn party_row(e: &InterestedParty, theme: Theme) -> Row<'_> {
    list_row(
        e,
        priority_look(e.influence, e.control, theme),
        Some(influence_cell(e.influence, e.control)),
        EntryValue::from(e.clone()),
    )
}

fn risk_row(e: &Risk, theme: Theme) -> Row<'_> {
    list_row(
        e,
        (rating_mark(e.rating()), rating_style(e.rating(), theme)),
        Some((
            5 - e.likelihood.clamp(1, 5) as usize,
            e.impact.clamp(1, 5) as usize - 1,
        )),
        EntryValue::from(e.clone()),
    )
}

/// A row of a register without a picture: the mark, then its spec's list columns.
fn plain_row<'a, T: RegisterEntry>(e: &'a T, look: (&str, Style)) -> Row<'a>
where
    EntryValue: From<T>,
{
    list_row(e, look, None, EntryValue::from(e.clone()))
}

fn objective_row(e: &Objective, today: NaiveDate, theme: Theme) -> Row<'_> {
    let overdue = is_open(e) && e.due.is_some_and(|d| d < today);
    let look = if overdue {
        ("!!", theme.error())
    } else {
        ("  ", Style::default())
    };
    list_row(e, look, None, EntryValue::from(e.clone()))
}

fn render_detail(frame: &mut Frame, area: Rect, entry: Option<&EntryValue>, theme: Theme) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Selected · {} edit · {} remove ",
        keymap::label(Scope::Registers, KeyAction::Open),
        keymap::label(Scope::Registers, KeyAction::Delete)
    ));
    let lines = match entry {
        None => vec![Line::from(Span::styled("Nothing selected.", theme.dim()))],
        Some(entry) => crate::with_entry!(entry, e => detail_lines(e, theme)),
    };
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

/// The detail pane of `entry`: its id and label, then the lines of its register's spec (`-`
/// where empty).
fn detail_lines<T: RegisterEntry>(entry: &T, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(
        format!("{} {}", entry.id(), entry.label()),
        theme.title(),
    ))];
    for line in T::detail() {
        let value = (line.value)(entry);
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", line.label), theme.accent()),
            Span::raw(if value.trim().is_empty() {
                "-".to_string()
            } else {
                value
            }),
        ]));
    }
    lines
}

/// The ids in a cell, cut to `width`: `C-1 C-4 +2`.
fn cell_text(ids: &[&str], width: usize) -> String {
    let mut text = String::new();
    for (index, id) in ids.iter().enumerate() {
        let rest = ids.len() - index;
        let candidate = if text.is_empty() {
            id.to_string()
        } else {
            format!("{text} {id}")
        };
        let reserve = if rest > 1 { 3 } else { 0 };
        if candidate.chars().count() + reserve > width {
            let more = format!("+{rest}");
            return if text.is_empty() {
                more
            } else {
                format!("{text} {more}")
            };
        }
        text = candidate;
    }
    text
}

/// The 3x3 influence x control matrix: influence 3 on top, control 1 on the left; the
/// high-priority cells are marked `!` and highlighted; the selected entry's cell in brackets.
fn render_influence(
    frame: &mut Frame,
    area: Rect,
    cells: &[[Vec<&str>; 3]; 3],
    marked: Option<(usize, usize)>,
    theme: Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Influence x control ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cell_width = (inner.width.saturating_sub(6) / 3) as usize;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<5}{}",
            "inf",
            (1..=3)
                .map(|c| format!(
                    " {:<w$}",
                    format!("ctl {c}"),
                    w = cell_width.saturating_sub(1)
                ))
                .collect::<String>()
        ),
        theme.dim(),
    ))];
    for row in 0..3 {
        let influence = 3 - row as u8;
        let mut spans = vec![Span::styled(format!("{influence:>3}  "), theme.dim())];
        for (column, ids_here) in cells[influence as usize - 1].iter().enumerate() {
            let control = column as u8 + 1;
            let high = Priority::of(influence, control) == Priority::High;
            let selected = marked == Some((row, column));
            let ids = ids_here;
            let inner_width = cell_width.saturating_sub(3);
            let body = cell_text(ids, inner_width);
            let (open, close) = if selected { ('[', ']') } else { (' ', ' ') };
            let flag = if high { '!' } else { ' ' };
            let text = format!("{open}{flag}{body:<inner_width$}{close}");
            let mut style = if high {
                theme.error()
            } else {
                Style::default()
            };
            if selected {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(fit(&text, cell_width), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "! high priority cells",
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The 5x5 likelihood x impact heat map: likelihood 5 on top, impact 1 on the left; each cell
/// shows its risks (or their count) and its rating mark.
fn render_heat_map(
    frame: &mut Frame,
    area: Rect,
    risks: &[Risk],
    marked: Option<(usize, usize)>,
    theme: Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Likelihood x impact ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = risk_matrix(risks);
    let cell_width = (inner.width.saturating_sub(4) / 5) as usize;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "L\\I{}",
            (1..=5)
                .map(|i| format!(" {:<w$}", i, w = cell_width.saturating_sub(1)))
                .collect::<String>()
        ),
        theme.dim(),
    ))];
    for row in 0..5 {
        let likelihood = 5 - row as u8;
        let mut spans = vec![Span::styled(format!("{likelihood:>2}  "), theme.dim())];
        for (column, ids_here) in cells[likelihood as usize - 1].iter().enumerate() {
            let impact = column as u8 + 1;
            let rating = RiskRating::of(likelihood * impact);
            let ids = ids_here;
            let selected = marked == Some((row, column));
            let inner_width = cell_width.saturating_sub(3);
            let body = if ids.is_empty() {
                rating_mark(rating).trim().to_string()
            } else {
                cell_text(ids, inner_width)
            };
            let (open, close) = if selected { ('[', ']') } else { (' ', ' ') };
            let text = format!("{open}{body:<w$}{close}", w = inner_width + 1);
            let mut style = rating_style(rating, theme);
            if selected {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(fit(&text, cell_width), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        ". low  ~ medium  ! high  !! critical",
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

super::view!(RegistersView, "Registers", Scope::Registers, short = "Regs");

#[cfg(test)]
mod tests {
    use super::tab_window;

    #[test]
    fn the_register_tabs_that_fit_always_hold_the_one_shown() {
        let labels: Vec<String> = (1..=8).map(|n| format!("Register {n} (0)")).collect();
        // 16 characters a tab with its room: all eight need 128.
        assert_eq!(tab_window(&labels, 0, 200, 10), (0, 7));
        let (first, last) = tab_window(&labels, 6, 80, 10);
        assert!(
            first <= 6 && 6 <= last,
            "{first}..{last} hides the tab shown"
        );
        assert!(
            (last - first + 1) * 16 <= 80 - 14,
            "{first}..{last} does not fit"
        );
        assert!(last - first + 1 >= 3, "room for more tabs was left empty");
        assert_eq!(tab_window(&labels, 7, 30, 10), (7, 7));
    }
}
