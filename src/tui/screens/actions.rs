//! The Actions screen: the actions that remedy gaps (filter, sort, edit), the roadmap
//! (Now / Next / Later), the audit-readiness verdict with its blockers, and the checklist of
//! mandatory documented information.

use crate::model::action::{Action as Remedy, ActionChange, ActionStatus, Effort, Horizon};
use crate::model::count::counted;
use crate::model::verdict::{self, BlockerGroup, StageVerdict};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{NoteTarget, Popup, PromptFor};
use crate::tui::theme::Theme;
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::fit;
use chrono::NaiveDate;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// What the screen shows; `v` cycles through them in this order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    List,
    Roadmap,
    Stage1,
    Stage2,
    Documents,
}

impl View {
    fn next(self) -> View {
        match self {
            View::List => View::Roadmap,
            View::Roadmap => View::Stage1,
            View::Stage1 => View::Stage2,
            View::Stage2 => View::Documents,
            View::Documents => View::List,
        }
    }

    fn title(self) -> &'static str {
        match self {
            View::List => "Actions",
            View::Roadmap => "Roadmap",
            View::Stage1 => "Stage 1 blockers",
            View::Stage2 => "Stage 2 blockers",
            View::Documents => "Mandatory documented information",
        }
    }
}

/// The status filter; `f` cycles through them in this order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    Open,
    Only(ActionStatus),
    Overdue,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        use ActionStatus as S;
        match self {
            StatusFilter::All => StatusFilter::Open,
            StatusFilter::Open => StatusFilter::Only(S::Todo),
            StatusFilter::Only(S::Todo) => StatusFilter::Only(S::InProgress),
            StatusFilter::Only(S::InProgress) => StatusFilter::Only(S::OnHold),
            StatusFilter::Only(S::OnHold) => StatusFilter::Only(S::Done),
            StatusFilter::Only(S::Done) => StatusFilter::Only(S::Dropped),
            StatusFilter::Only(S::Dropped) => StatusFilter::Overdue,
            StatusFilter::Overdue => StatusFilter::All,
        }
    }

    fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Open => "open",
            StatusFilter::Only(status) => status.label(),
            StatusFilter::Overdue => "overdue",
        }
    }

    fn keeps(self, action: &Remedy, today: NaiveDate) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => action.is_open(),
            StatusFilter::Only(status) => action.status == status,
            StatusFilter::Overdue => action.is_overdue(today),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Priority,
    Due,
}

/// One selectable row of the current view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    /// An action, by index into the session's actions.
    Action(usize),
    /// A document row: an item number.
    Item(u32),
    /// A group of blockers (index into the stage's groups); `Enter` shows or hides its items.
    Group(usize),
    /// One blocker of a shown group: group index, index within the group.
    Member(usize, usize),
}

/// A group of blockers with at most this many items is shown open at first; a larger one is
/// folded to its headline ("62 included controls below level 2") until `Enter` opens it.
pub const GROUP_OPEN_UP_TO: usize = 5;

#[derive(Default)]
pub struct ActionsView {
    pub view: View,
    pub filter: StatusFilter,
    /// Owner, clause or ref, or title words (see `KeyAction::matches`); empty: every action.
    pub filter_text: String,
    pub sort: Sort,
    pub selected: usize,
    /// Blocker groups whose open/folded state `Enter` turned over, by view and rule id.
    pub toggled: Vec<(View, &'static str)>,
}

impl ActionsView {
    /// Shows a stage's blockers (from the dashboard).
    pub fn show_stage(&mut self, stage: u8) {
        self.view = if stage == 2 {
            View::Stage2
        } else {
            View::Stage1
        };
        self.selected = 0;
    }

    /// The stage verdict the current view shows, if it shows one.
    fn stage<'s>(&self, session: &'s OpenAssessment) -> Option<&'s StageVerdict> {
        match self.view {
            View::Stage1 => Some(&session.verdict.stage1),
            View::Stage2 => Some(&session.verdict.stage2),
            _ => None,
        }
    }

    /// Whether a blocker group lists its items: small ones do, unless folded with `Enter`.
    fn is_open(&self, group: &BlockerGroup) -> bool {
        (group.items.len() <= GROUP_OPEN_UP_TO) != self.toggled.contains(&(self.view, group.rule))
    }

    fn toggle(&mut self, rule: &'static str) {
        let key = (self.view, rule);
        match self.toggled.iter().position(|k| *k == key) {
            Some(index) => {
                self.toggled.remove(index);
            }
            None => self.toggled.push(key),
        }
    }

    /// Selects the action numbered `number` when the current view lists it.
    pub fn select_action(&mut self, session: &OpenAssessment, today: NaiveDate, number: u32) {
        if let Some(position) = self
            .rows(session, today)
            .iter()
            .position(|row| matches!(row, Row::Action(i) if session.actions[*i].number == number))
        {
            self.selected = position;
        }
    }

    /// Goes to action `number`: the list view, with the filters cleared when they hide it.
    pub fn go_to(&mut self, session: &OpenAssessment, today: NaiveDate, number: u32) -> String {
        self.view = View::List;
        let mut note = "";
        if !self
            .listed(session, today)
            .iter()
            .any(|i| session.actions[*i].number == number)
        {
            self.filter = StatusFilter::All;
            self.filter_text.clear();
            note = " (the filter hid it: it now shows all)";
        }
        self.select_action(session, today, number);
        format!("Action #{number}{note}.")
    }

    /// After a change to action `number` (selected at row `row_before`): the selection follows it
    /// when the view still lists it. Returns what the status line adds: where the action moved in
    /// the re-sorted list, or that the filter now hides it (the selection staying at its row).
    pub fn follow_action(
        &mut self,
        session: &OpenAssessment,
        today: NaiveDate,
        number: u32,
        row_before: usize,
    ) -> String {
        let rows = self.rows(session, today);
        let position = rows
            .iter()
            .position(|row| matches!(row, Row::Action(i) if session.actions[*i].number == number));
        match position {
            Some(row) if row == row_before => String::new(),
            Some(row) => {
                self.selected = row;
                format!(
                    " The list re-sorted: #{number} moved to row {} of {}, and the selection followed it.",
                    row + 1,
                    rows.len()
                )
            }
            None => {
                self.selected = row_before.min(rows.len().saturating_sub(1));
                let next = match rows.get(self.selected) {
                    Some(Row::Action(i)) => {
                        format!("; #{} is selected", session.actions[*i].number)
                    }
                    _ => String::new(),
                };
                format!(
                    " #{number} left this list (filter {}){next}.",
                    self.filter.label()
                )
            }
        }
    }

    /// The list view's actions, filtered and sorted (indexes into the session's actions).
    fn listed(&self, session: &OpenAssessment, today: NaiveDate) -> Vec<usize> {
        let mut listed: Vec<usize> = session
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                self.filter.keeps(a, today) && a.matches(&session.questionnaire, &self.filter_text)
            })
            .map(|(i, _)| i)
            .collect();
        let actions = &session.actions;
        match self.sort {
            Sort::Priority => listed.sort_by_key(|i| {
                let a = &actions[*i];
                (!a.is_open(), a.priority, a.due.is_none(), a.due, a.number)
            }),
            Sort::Due => listed.sort_by_key(|i| {
                let a = &actions[*i];
                (!a.is_open(), a.due.is_none(), a.due, a.priority, a.number)
            }),
        }
        listed
    }

    fn rows(&self, session: &OpenAssessment, today: NaiveDate) -> Vec<Row> {
        let blockers = |stage: &StageVerdict| {
            let mut rows = Vec::new();
            for (index, group) in stage.groups.iter().enumerate() {
                rows.push(Row::Group(index));
                if self.is_open(group) {
                    rows.extend((0..group.items.len()).map(|m| Row::Member(index, m)));
                }
            }
            rows
        };
        match self.view {
            View::List => self
                .listed(session, today)
                .into_iter()
                .map(Row::Action)
                .collect(),
            View::Roadmap => Horizon::ALL
                .iter()
                .flat_map(|h| session.roadmap.group(*h).iter().map(|i| Row::Action(*i)))
                .collect(),
            View::Stage1 => blockers(&session.verdict.stage1),
            View::Stage2 => blockers(&session.verdict.stage2),
            View::Documents => session
                .documents
                .iter()
                .map(|d| Row::Item(d.number))
                .collect(),
        }
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let today = ctx.today;
        let rows = self.rows(session, today);
        let last = rows.len().saturating_sub(1);
        self.selected = self.selected.min(last);
        let selected = rows.get(self.selected).copied();
        let remedy = match selected {
            Some(Row::Action(index)) => session.actions.get(index),
            _ => None,
        };
        let change =
            |number: u32, change: ActionChange| Some(Command::ChangeAction { number, change });
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(last),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = last,
            KeyAction::CycleView => {
                self.view = self.view.next();
                self.selected = 0;
            }
            KeyAction::CycleFilter => {
                self.filter = self.filter.next();
                self.selected = 0;
                self.view = View::List;
            }
            KeyAction::CycleSort => {
                self.sort = match self.sort {
                    Sort::Priority => Sort::Due,
                    Sort::Due => Sort::Priority,
                };
                self.view = View::List;
            }
            KeyAction::StartSearch => {
                return Some(Command::Popup(Popup::prompt(
                    PromptFor::ActionFilter,
                    "Filter actions: owner, clause or ref (6, 6.1.2, A.5), or title words; empty clears",
                    &self.filter_text,
                )));
            }
            KeyAction::Open => {
                let item = match selected? {
                    Row::Action(index) => *session.actions.get(index)?.items.first()?,
                    Row::Item(number) => number,
                    Row::Group(index) => {
                        let rule = self.stage(session)?.groups.get(index)?.rule;
                        self.toggle(rule);
                        return None;
                    }
                    Row::Member(group, member) => {
                        self.stage(session)?
                            .groups
                            .get(group)?
                            .items
                            .get(member)?
                            .number
                    }
                };
                return Some(Command::ShowItem(item));
            }
            KeyAction::CycleStatus
            | KeyAction::HoldAction
            | KeyAction::DropAction
            | KeyAction::CyclePriority
            | KeyAction::CycleEffort
            | KeyAction::EditTitle
            | KeyAction::EditOwner
            | KeyAction::EditDue
            | KeyAction::EditNote => {
                let Some(remedy) = remedy else {
                    return Some(Command::Info(if session.actions.is_empty() {
                        format!(
                            "No action yet: in the questionnaire, {} on an item adds one.",
                            keymap::label(Scope::Questionnaire, KeyAction::NewAction)
                        )
                    } else {
                        format!(
                            "Select an action first ({} shows the list).",
                            label(KeyAction::CycleView)
                        )
                    }));
                };
                let n = remedy.number;
                let status = |status| ActionChange::Status { status, today };
                return match action {
                    KeyAction::CycleStatus => change(n, status(remedy.status.cycled())),
                    KeyAction::HoldAction => change(n, status(ActionStatus::OnHold)),
                    KeyAction::DropAction => Some(Command::Popup(Popup::Confirm(Box::new(
                        crate::tui::popups::Confirm {
                            question: format!(
                                "Drop action #{n} \"{}\"? It stays in the list as dropped.",
                                remedy.title
                            ),
                            command: Command::ChangeAction {
                                number: n,
                                change: status(ActionStatus::Dropped),
                            },
                        },
                    )))),
                    KeyAction::CyclePriority => {
                        change(n, ActionChange::Priority(remedy.priority % 4 + 1))
                    }
                    KeyAction::CycleEffort => {
                        change(n, ActionChange::Effort(Effort::cycled(remedy.effort)))
                    }
                    KeyAction::EditTitle => Some(Command::Popup(Popup::prompt(
                        PromptFor::ActionTitle(n),
                        format!("Title of action #{n}"),
                        &remedy.title,
                    ))),
                    KeyAction::EditOwner => Some(Command::Popup(Popup::prompt(
                        PromptFor::ActionOwner(n),
                        format!("Owner of action #{n}"),
                        &remedy.owner,
                    ))),
                    KeyAction::EditDue => Some(Command::Popup(Popup::prompt(
                        PromptFor::ActionDue(n),
                        format!("Due date of action #{n} (YYYY-MM-DD; empty clears)"),
                        &remedy.due.map_or_else(String::new, |d| d.to_string()),
                    ))),
                    _ => Some(Command::Popup(Popup::note(
                        NoteTarget::Action(n),
                        &remedy.note,
                    ))),
                };
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let today = ctx.today;
        let [head, body, detail] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(if area.height >= 24 { 6 } else { 5 }),
        ])
        .areas(area);
        render_head(frame, head, session, today, theme);
        let rows = self.rows(session, today);
        let selected = self.selected.min(rows.len().saturating_sub(1));
        let mut title = format!(" {} ", self.view.title());
        if self.view == View::List {
            title.push_str(&format!(
                "· filter {} ({}){} · sort {} ({}) ",
                self.filter.label(),
                label(KeyAction::CycleFilter),
                if self.filter_text.is_empty() {
                    String::new()
                } else {
                    format!(" \"{}\"", self.filter_text)
                },
                match self.sort {
                    Sort::Priority => "priority",
                    Sort::Due => "due date",
                },
                label(KeyAction::CycleSort)
            ));
        }
        title.push_str(&format!("· {} next view ", label(KeyAction::CycleView)));
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let lines = match self.view {
            View::List | View::Roadmap => {
                action_lines(self.view, session, &rows, selected, inner, today, theme)
            }
            View::Stage1 | View::Stage2 => match self.stage(session) {
                Some(stage) => self.blocker_lines(stage, &rows, selected, inner, theme),
                None => Vec::new(),
            },
            View::Documents => document_lines(session, selected, inner, theme),
        };
        frame.render_widget(Paragraph::new(lines), inner);
        let text = match rows.get(selected) {
            Some(Row::Action(index)) => action_detail(session, &session.actions[*index], today),
            Some(Row::Item(number)) => item_detail(session, *number),
            Some(Row::Member(group, member)) => self
                .stage(session)
                .and_then(|stage| stage.groups.get(*group)?.items.get(*member))
                .map_or_else(Vec::new, |m| item_detail(session, m.number)),
            Some(Row::Group(group)) => self
                .stage(session)
                .and_then(|stage| stage.groups.get(*group))
                .map_or_else(Vec::new, |g| group_detail(g, self.is_open(g))),
            None if session.actions.is_empty() => vec![Line::from(format!(
                "No action yet. In the questionnaire, {} on an item adds one (its title prefilled).",
                keymap::label(Scope::Questionnaire, KeyAction::NewAction)
            ))],
            None => vec![Line::from("Nothing to show here.")],
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            detail,
        );
    }
}

impl ActionsView {
    /// The stage's blocker groups, each headline with its items when open.
    fn blocker_lines(
        &self,
        stage: &StageVerdict,
        rows: &[Row],
        selected: usize,
        area: Rect,
        theme: Theme,
    ) -> Vec<Line<'static>> {
        let width = area.width as usize;
        if stage.ready {
            return vec![Line::from(Span::styled(
                "Ready: nothing blocks this stage.",
                theme.info(),
            ))];
        }
        let height = area.height as usize;
        let offset = window(selected, rows.len(), height);
        rows.iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .filter_map(|(position, row)| {
                let marker = if position == selected { "> " } else { "  " };
                let (text, style) = match *row {
                    Row::Group(index) => {
                        let group = stage.groups.get(index)?;
                        let sign = if self.is_open(group) { "[-]" } else { "[+]" };
                        (format!("{marker}{sign} {}", group.headline), theme.title())
                    }
                    Row::Member(group, member) => {
                        let m = stage.groups.get(group)?.items.get(member)?;
                        (
                            format!(
                                "{marker}    {:>4} {:<12} {}: {}",
                                m.number,
                                fit(&m.reference, 12),
                                m.title,
                                m.reason
                            ),
                            Style::default(),
                        )
                    }
                    _ => return None,
                };
                let style = if position == selected {
                    theme.selected()
                } else {
                    style
                };
                Some(Line::from(Span::styled(fit(&text, width), style)))
            })
            .collect()
    }
}

fn label(action: KeyAction) -> &'static str {
    keymap::label(Scope::Actions, action)
}

fn ready_text(stage: &StageVerdict) -> String {
    if stage.ready {
        "READY".into()
    } else {
        format!("NOT READY ({})", counted(stage.blockers.len(), "blocker"))
    }
}

/// The detail of a blocker group: the rule, what it rests on, and how to show its items.
fn group_detail(group: &BlockerGroup, open: bool) -> Vec<Line<'static>> {
    let rule = verdict::RULES.iter().find(|r| r.id == group.rule);
    vec![
        Line::from(format!("{} [{}]", group.headline, group.rule)),
        Line::from(rule.map_or_else(String::new, |r| {
            format!("Rule: {} (rests on {}).", r.text, r.rests_on)
        })),
        Line::from(format!(
            "{} {} its items.",
            label(KeyAction::Open),
            if open { "hides" } else { "shows" }
        )),
    ]
}

fn render_head(
    frame: &mut Frame,
    area: Rect,
    session: &OpenAssessment,
    today: NaiveDate,
    theme: Theme,
) {
    let f = crate::model::action::figures(&session.actions, today);
    let verdict_style = |stage: &StageVerdict| {
        if stage.ready {
            theme.info()
        } else {
            theme.error()
        }
    };
    let lines = vec![
        Line::from(vec![
            Span::styled("Actions ", theme.title()),
            Span::raw(format!(
                "{} open · {} overdue · {} done · {} dropped · now {} next {} later {} · no action yet {}",
                f.open,
                f.overdue,
                f.done,
                f.dropped,
                session.roadmap.now.len(),
                session.roadmap.next.len(),
                session.roadmap.later.len(),
                session.no_action_yet.len(),
            )),
        ]),
        Line::from(vec![
            Span::styled("Stage 1 ", theme.title()),
            Span::styled(
                ready_text(&session.verdict.stage1),
                verdict_style(&session.verdict.stage1),
            ),
            Span::styled(" · Stage 2 ", theme.title()),
            Span::styled(
                ready_text(&session.verdict.stage2),
                verdict_style(&session.verdict.stage2),
            ),
        ]),
    ];
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|line| crate::tui::widgets::fit_line(line, area.width as usize))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn window(selected: usize, count: usize, height: usize) -> usize {
    selected
        .saturating_sub(height / 2)
        .min(count.saturating_sub(height))
}

fn action_lines(
    view: View,
    session: &OpenAssessment,
    rows: &[Row],
    selected: usize,
    area: Rect,
    today: NaiveDate,
    theme: Theme,
) -> Vec<Line<'static>> {
    let width = area.width as usize;
    let owner_width = if width >= 120 { 16 } else { 10 };
    let refs_width = if width >= 120 { 24 } else { 0 };
    // mark 2, # 5, status 4, P 3, effort 3, owner, due 11, horizon 6, refs
    let title_width = width
        .saturating_sub(2 + 5 + 4 + 3 + 4 + owner_width + 1 + 12 + 6 + refs_width)
        .max(8);
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!(
                "  {:<5}{:<4}{:<3}{:<4}{:<title_width$}{:<owner_width$} {:<12}{:<6}{}",
                "#",
                "St",
                "P",
                "Eff",
                "Title",
                "Owner",
                "Due",
                "When",
                if refs_width > 0 { "Items" } else { "" }
            ),
            width,
        ),
        theme.title(),
    ))];
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            match view {
                View::Roadmap => "No open action: the roadmap is empty.",
                _ if session.actions.is_empty() => "No action yet.",
                _ => "No action matches the filter.",
            },
            theme.dim(),
        )));
        return lines;
    }
    let height = (area.height as usize).saturating_sub(1);
    let offset = window(selected, rows.len(), height);
    let horizon_of = |index: usize| {
        Horizon::ALL
            .into_iter()
            .find(|h| session.roadmap.group(*h).contains(&index))
            .map_or("", Horizon::label)
    };
    for (position, row) in rows.iter().enumerate().skip(offset).take(height) {
        let Row::Action(index) = *row else { continue };
        let a = &session.actions[index];
        let style = if position == selected {
            theme.selected()
        } else if a.is_overdue(today) {
            theme.error()
        } else if !a.is_open() {
            theme.dim()
        } else {
            Style::default()
        };
        let due = match a.due {
            Some(due) if a.is_overdue(today) => format!("{due}!"),
            Some(due) => due.to_string(),
            None => "-".into(),
        };
        let refs = if refs_width > 0 {
            fit(&a.refs(&session.questionnaire), refs_width)
        } else {
            String::new()
        };
        let text = format!(
            "{}{:<5}{:<4}{:<3}{:<4}{:<title_width$}{:<owner_width$} {:<12}{:<6}{}",
            if position == selected { "> " } else { "  " },
            format!("#{}", a.number),
            a.status.symbol(),
            format!("P{}", a.priority),
            a.effort.map_or("", Effort::code),
            fit(&a.title, title_width.saturating_sub(1)),
            fit(&a.owner, owner_width.saturating_sub(1)),
            due,
            horizon_of(index),
            refs
        );
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    lines
}

fn document_lines(
    session: &OpenAssessment,
    selected: usize,
    area: Rect,
    theme: Theme,
) -> Vec<Line<'static>> {
    let width = area.width as usize;
    let height = area.height as usize;
    if session.documents.is_empty() {
        return vec![Line::from(Span::styled(
            "This questionnaire marks no mandatory documented information.",
            theme.dim(),
        ))];
    }
    let offset = window(selected, session.documents.len(), height);
    session
        .documents
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(position, d)| {
            let mark = match d.status {
                "in place" => "[x]",
                "planned" => "[~]",
                "excluded" => "[-]",
                _ => "[ ]",
            };
            let style = if position == selected {
                theme.selected()
            } else if d.status == "missing" || d.status == "planned" {
                theme.error()
            } else {
                Style::default()
            };
            let text = format!(
                "{}{mark} {:>4} {:<12} {:<40} {:<9} {}",
                if position == selected { "> " } else { "  " },
                d.number,
                fit(&d.reference, 12),
                fit(&d.document, 40),
                d.status,
                d.evidence
            );
            Line::from(Span::styled(fit(&text, width), style))
        })
        .collect()
}

fn action_detail(session: &OpenAssessment, a: &Remedy, today: NaiveDate) -> Vec<Line<'static>> {
    let items: Vec<String> = a
        .items
        .iter()
        .filter_map(|n| session.questionnaire.item(*n))
        .map(|i| format!("{} {} {}", i.number, i.reference, i.title))
        .collect();
    let mut facts = vec![format!("{}", a.status)];
    if let Some(done) = a.done_on {
        facts.push(format!("done on {done}"));
    }
    if a.is_overdue(today) {
        facts.push("OVERDUE".into());
    }
    if let Some(step) = a.step.and_then(|s| session.plan.step(s)) {
        facts.push(format!("plan step {} {}", step.number, step.title));
    }
    let mut lines = vec![
        Line::from(format!("#{} {} · {}", a.number, a.title, facts.join(" · "))),
        Line::from(format!("Items: {}", items.join("; "))),
    ];
    if !a.description.is_empty() {
        lines.push(Line::from(format!("Description: {}", a.description)));
    }
    lines.push(Line::from(if a.note.is_empty() {
        format!(
            "{} status · {} on hold · {} dropped · {} effort · {} title · {} note · {} opens the item",
            label(KeyAction::CycleStatus),
            label(KeyAction::HoldAction),
            label(KeyAction::DropAction),
            label(KeyAction::CycleEffort),
            label(KeyAction::EditTitle),
            label(KeyAction::EditNote),
            label(KeyAction::Open)
        )
    } else {
        format!("Note: {}", a.note.replace('\n', " / "))
    }));
    lines
}

fn item_detail(session: &OpenAssessment, number: u32) -> Vec<Line<'static>> {
    let Some(item) = session.questionnaire.item(number) else {
        return Vec::new();
    };
    let answer = session.answers.get(number);
    let level = answer
        .level
        .map_or_else(|| "not assessed".to_string(), |l| format!("level {l}"));
    let actions: Vec<String> = session
        .actions
        .iter()
        .filter(|a| a.is_open() && a.items.contains(&number))
        .map(|a| format!("#{} {}", a.number, a.title))
        .collect();
    vec![
        Line::from(format!(
            "{} {} {} · {level}",
            item.number, item.reference, item.title
        )),
        Line::from(if actions.is_empty() {
            "No open action on this item.".to_string()
        } else {
            format!("Open actions: {}", actions.join("; "))
        }),
        Line::from(format!(
            "{} opens the item in the questionnaire ({} there adds an action).",
            label(KeyAction::Open),
            keymap::label(Scope::Questionnaire, KeyAction::NewAction)
        )),
    ]
}

super::view!(ActionsView, "Actions", Scope::Actions);
