//! The Statement of Applicability: every Annex A control with its decision, reasons, level and
//! justification, filters, and what an auditor would flag.

use crate::model::soa::FindingKind;
use crate::model::text::text_matches;
use crate::model::{Change, Item};
use crate::model::{Level, ReasonCode};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::{DecisionForm, NoteTarget, Popup, PromptFor};
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// A line of the control list: a domain (or theme) header, an objective header (2013), a control.
enum Line_ {
    Domain(usize),
    Objective(usize),
    Control(usize),
}

/// Which controls the SoA screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoaFilter {
    #[default]
    All,
    Included,
    Excluded,
    Undecided,
    /// Included, but no reason code (a justification text alone does not count).
    IncludedWithoutReason,
    /// Excluded, but no written justification.
    ExcludedWithoutJustification,
}

impl SoaFilter {
    pub const ALL: [SoaFilter; 6] = [
        SoaFilter::All,
        SoaFilter::Included,
        SoaFilter::Excluded,
        SoaFilter::Undecided,
        SoaFilter::IncludedWithoutReason,
        SoaFilter::ExcludedWithoutJustification,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SoaFilter::All => "all",
            SoaFilter::Included => "applicable",
            SoaFilter::Excluded => "excluded",
            SoaFilter::Undecided => "not decided",
            SoaFilter::IncludedWithoutReason => "included, no reason code",
            SoaFilter::ExcludedWithoutJustification => "excluded, no justification",
        }
    }

    pub fn keeps(self, answer: &crate::model::Answer) -> bool {
        match self {
            SoaFilter::All => true,
            SoaFilter::Included => answer.applicable == Some(true),
            SoaFilter::Excluded => answer.applicable == Some(false),
            SoaFilter::Undecided => answer.applicable.is_none(),
            SoaFilter::IncludedWithoutReason => {
                answer.applicable == Some(true) && answer.reasons.is_empty()
            }
            SoaFilter::ExcludedWithoutJustification => {
                answer.applicable == Some(false) && answer.justification.trim().is_empty()
            }
        }
    }
}

/// The SoA screen's own state: the filter, the selected control, the last search.
#[derive(Default)]
pub struct SoaView {
    pub filter: SoaFilter,
    /// Index into the controls the filter lists.
    pub selected: usize,
    pub last_search: Option<String>,
}

impl SoaView {
    /// Indices (into the items) of the controls listed under the filter.
    pub fn rows(&self, session: &OpenAssessment) -> Vec<usize> {
        session
            .questionnaire
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.is_control())
            .filter(|(_, item)| self.filter.keeps(session.answers.get(item.number)))
            // A control a risk links to has risk treatment as its (derived) reason.
            .filter(|(_, item)| {
                self.filter != SoaFilter::IncludedWithoutReason
                    || !session.risk_links.is_linked(&item.reference)
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// The selected control.
    pub fn item<'a>(&self, session: &'a OpenAssessment) -> Option<&'a Item> {
        let rows = self.rows(session);
        rows.get(self.selected.min(rows.len().saturating_sub(1)))
            .map(|&index| &session.questionnaire.items[index])
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let questionnaire = &session.questionnaire;
        if questionnaire.control_count() == 0 {
            frame.render_widget(
            Paragraph::new("This questionnaire has no Annex A controls, so it has no Statement of Applicability."),
            area,
        );
            return;
        }
        let decisions = session.soa_decisions;
        let findings = &session.soa_findings;
        // Taller terminals give the selected control more room (its note can be long).
        let detail_height = if area.height >= 36 { 12 } else { 9 };
        let [head, table, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(detail_height),
        ])
        .areas(area);
        let counts = format!(
            " {} included · {} excluded · {} not decided",
            decisions.included, decisions.excluded, decisions.undecided
        );
        // Every filter when they fit, else only the current one.
        let all_width: usize = 12
            + SoaFilter::ALL
                .iter()
                .map(|f| f.label().chars().count() + 3)
                .sum::<usize>()
            + counts.chars().count();
        let shown: Vec<SoaFilter> = if all_width <= head.width as usize {
            SoaFilter::ALL.to_vec()
        } else {
            vec![self.filter]
        };
        let filters: Vec<Span> = shown
            .iter()
            .flat_map(|filter| {
                let style = if *filter == self.filter {
                    theme.selected()
                } else {
                    theme.dim()
                };
                [
                    Span::styled(format!("[{}]", filter.label()), style),
                    Span::raw(" "),
                ]
            })
            .collect();
        let mut head_spans = vec![Span::styled(
            format!(
                "Filter ({}): ",
                keymap::label(Scope::Soa, KeyAction::CycleFilter)
            ),
            theme.title(),
        )];
        head_spans.extend(filters);
        head_spans.push(Span::raw(counts));
        frame.render_widget(Line::from(head_spans), head);

        // The listed controls with a header line wherever the domain changes.
        let rows = self.rows(session);
        let selected = self.selected.min(rows.len().saturating_sub(1));
        let mut lines_index = Vec::new();
        let mut selected_line = 0;
        let mut last_domain = None;
        let mut last_objective = None;
        for (position, &index) in rows.iter().enumerate() {
            let item = &questionnaire.items[index];
            let domain = &item.clause;
            if last_domain != Some(domain) {
                let domain_index = questionnaire
                    .domains
                    .iter()
                    .position(|d| &d.id == domain)
                    .unwrap_or(0);
                lines_index.push(Line_::Domain(domain_index));
                last_domain = Some(domain);
            }
            if item.objective.is_some() && last_objective != item.objective.as_ref() {
                if let Some(objective) = questionnaire
                    .objectives
                    .iter()
                    .position(|o| Some(&o.id) == item.objective.as_ref())
                {
                    lines_index.push(Line_::Objective(objective));
                }
                last_objective = item.objective.as_ref();
            }
            if position == selected {
                selected_line = lines_index.len();
            }
            lines_index.push(Line_::Control(index));
        }
        let block = Block::default().borders(Borders::ALL).title(format!(
            " Statement of Applicability · {} of {} controls · {} decide · {} filter ",
            rows.len(),
            questionnaire.control_count(),
            keymap::label(Scope::Soa, KeyAction::Decide),
            keymap::label(Scope::Soa, KeyAction::CycleFilter)
        ));
        let inner = block.inner(table);
        frame.render_widget(block, table);
        let width = inner.width as usize;
        let text_width = width.saturating_sub(9 + 11 + 4 + 16);
        // Column headers, then the list.
        let [columns, inner] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        frame.render_widget(
            Line::from(Span::styled(
                fit(
                    &format!(
                        "{:<9}{:<11}{:<4}{:<16}{}",
                        "Control", "Decision", "Lvl", "Reasons", "Title - justification"
                    ),
                    width,
                ),
                theme.title(),
            )),
            columns,
        );
        let height = inner.height as usize;
        if rows.is_empty() {
            frame.render_widget(
                Paragraph::new(format!("No control is {}.", self.filter.label())),
                inner,
            );
        } else if height > 0 {
            let offset = selected_line
                .saturating_sub(height / 2)
                .min(lines_index.len().saturating_sub(height));
            let lines: Vec<Line> = lines_index[offset..]
                .iter()
                .take(height)
                .map(|line| match *line {
                    Line_::Domain(domain) => {
                        let domain = &questionnaire.domains[domain];
                        Line::from(Span::styled(
                            fit(&format!("{} {}", domain.id, domain.title), width),
                            theme.title(),
                        ))
                    }
                    Line_::Objective(objective) => {
                        let objective = &questionnaire.objectives[objective];
                        Line::from(Span::styled(
                            fit(&format!("  {} {}", objective.id, objective.title), width),
                            theme.dim(),
                        ))
                    }
                    Line_::Control(index) => {
                        let item = &questionnaire.items[index];
                        let answer = session.answers.get(item.number);
                        let decision = match answer.applicable {
                            Some(true) => "included",
                            Some(false) => "EXCLUDED",
                            None => "?",
                        };
                        let reasons = session
                            .risk_links
                            .reasons(&item.reference, answer)
                            .iter()
                            .map(|c| c.short())
                            .collect::<Vec<_>>()
                            .join(",");
                        let text = if answer.justification.is_empty() {
                            item.title.clone()
                        } else {
                            format!("{} - {}", item.title, answer.justification)
                        };
                        let style = if rows.get(selected) == Some(&index) {
                            theme.selected()
                        } else {
                            Style::default()
                        };
                        Line::from(vec![
                            Span::styled(format!("{:<9}", item.reference), style),
                            Span::styled(format!("{:<11}", decision), style),
                            Span::styled(
                                format!(
                                    "{:<4}",
                                    answer.level.map_or('.', |l| char::from(b'0' + l.value()))
                                ),
                                style.patch(theme.level(answer.level.map(Level::value))),
                            ),
                            Span::styled(format!("{:<16}", fit(&reasons, 15)), style),
                            Span::styled(format!("{:<text_width$}", fit(&text, text_width)), style),
                        ])
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }

        // The selected control, and what the auditor's check says.
        let mut lines = Vec::new();
        if let Some(item) = self.item(session) {
            let answer = session.answers.get(item.number);
            let objective = item
                .objective
                .as_deref()
                .and_then(|id| questionnaire.objective(id))
                .map_or_else(String::new, |o| {
                    format!(" · objective {} {}", o.id, o.title)
                });
            lines.push(Line::from(Span::styled(
                format!("{} {}{objective}", item.reference, item.title),
                theme.title(),
            )));
            if !answer.note.is_empty() {
                lines.push(Line::from(format!(
                    "Note: {}",
                    answer.note.trim_end().replace('\n', " / ")
                )));
            }
            let reasons = session
                .risk_links
                .reasons(&item.reference, answer)
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", ");
            let or_dash = |text: &str| {
                if text.is_empty() {
                    "-".to_string()
                } else {
                    text.to_string()
                }
            };
            lines.push(Line::from(format!(
                "Reasons: {}   Justification: {}",
                or_dash(&reasons),
                or_dash(&answer.justification)
            )));
            // The register's linked risks (they make risk treatment a reason), then the control's
            // own free-text risks.
            let linked = session.risk_links.risks_of(&item.reference).join(", ");
            let risks = match (linked.is_empty(), answer.risks.trim().is_empty()) {
                (false, false) => format!("{linked} (register) · {}", answer.risks),
                (false, true) => format!("{linked} (register)"),
                _ => answer.risks.clone(),
            };
            lines.push(Line::from(format!(
                "Risks: {}   Evidence: {}   Owner: {}",
                or_dash(&risks),
                or_dash(&answer.evidence),
                or_dash(&answer.owner)
            )));
            let own: Vec<&str> = findings
                .iter()
                .filter(|f| f.item == item.number)
                .map(|f| f.message)
                .collect();
            if own.is_empty() {
                lines.push(Line::from(Span::styled(
                    "Check: nothing to flag on this control.",
                    theme.info(),
                )));
            } else {
                lines.push(Line::from(Span::styled(
                    format!("Check: {}", own.join("; ")),
                    theme.error(),
                )));
            }
        }
        let count = |kind: FindingKind| findings.iter().filter(|f| f.kind == kind).count();
        lines.push(Line::from(Span::styled(
        format!(
            "All controls: {} excluded without justification · {} included without reason code · {} at level 2+ without evidence · {} not decided",
            count(FindingKind::ExcludedWithoutJustification),
            count(FindingKind::IncludedWithoutReason),
            count(FindingKind::ImplementedWithoutEvidence),
            count(FindingKind::Undecided),
        ),
        theme.dim(),
    )));
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default().borders(Borders::TOP).title(format!(
                    " Selected control · {} evidence · {} risks · {} search · {}/{} domain ",
                    keymap::label(Scope::Soa, KeyAction::EditEvidence),
                    keymap::label(Scope::Soa, KeyAction::EditRisks),
                    keymap::label(Scope::Soa, KeyAction::StartSearch),
                    keymap::label(Scope::Soa, KeyAction::PageDown),
                    keymap::label(Scope::Soa, KeyAction::PageUp),
                )),
            ),
            detail,
        );
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let rows = self.rows(session);
        let count = rows.len();
        let current = self.selected.min(count.saturating_sub(1));
        let item = self.item(session).map(|item| item.number);
        match action {
            KeyAction::Down => self.selected = (current + 1).min(count.saturating_sub(1)),
            KeyAction::Up => self.selected = current.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = count.saturating_sub(1),
            KeyAction::PageDown | KeyAction::PageUp if count > 0 => {
                let items = &session.questionnaire.items;
                let domain = |position: usize| &items[rows[position]].clause;
                let start_of = |position: usize| {
                    (0..position)
                        .rev()
                        .find(|&p| domain(p) != domain(position))
                        .map_or(0, |p| p + 1)
                };
                self.selected = if action == KeyAction::PageDown {
                    (current..count)
                        .find(|&p| domain(p) != domain(current))
                        .unwrap_or(count - 1)
                } else {
                    let start = start_of(current);
                    if start == current && start > 0 {
                        start_of(start - 1)
                    } else {
                        start
                    }
                };
            }
            KeyAction::CycleFilter => {
                // The selected control stays selected when the new filter lists it; otherwise the
                // next listed control after it.
                let was = rows.get(current).copied();
                let position = SoaFilter::ALL
                    .iter()
                    .position(|f| *f == self.filter)
                    .unwrap_or(0);
                self.filter = SoaFilter::ALL[(position + 1) % SoaFilter::ALL.len()];
                let rows = self.rows(session);
                self.selected = match was {
                    Some(was) => rows
                        .iter()
                        .position(|&index| index >= was)
                        .unwrap_or(rows.len().saturating_sub(1)),
                    None => 0,
                };
            }
            KeyAction::StartSearch => {
                return Some(Command::Popup(Popup::Search {
                    query: String::new(),
                }));
            }
            KeyAction::SearchNext => return self.search(session, None, true, false),
            KeyAction::SearchPrevious => return self.search(session, None, false, false),
            _ => {
                let item = item?;
                let answer = session.answers.get(item);
                let command = match action {
                    KeyAction::SetLevel(level) => Command::Answer {
                        item,
                        change: Change::Level(Some(level)),
                    },
                    KeyAction::ClearLevel => Command::Answer {
                        item,
                        change: Change::Level(None),
                    },
                    KeyAction::Decide => {
                        Command::Popup(Popup::Decision(Box::new(DecisionForm::new(item, answer))))
                    }
                    KeyAction::EditEvidence => Command::Popup(Popup::prompt(
                        PromptFor::Evidence(item),
                        format!("Evidence for item {item}"),
                        &answer.evidence,
                    )),
                    KeyAction::EditRisks => Command::Popup(Popup::prompt(
                        PromptFor::Risks(item),
                        format!("Risks treated by item {item}"),
                        &answer.risks,
                    )),
                    KeyAction::EditOwner => Command::Popup(Popup::prompt(
                        PromptFor::Owner(item),
                        format!("Owner of item {item}"),
                        &answer.owner,
                    )),
                    KeyAction::EditNote => {
                        Command::Popup(Popup::note(NoteTarget::Item(item), &answer.note))
                    }
                    _ => return None,
                };
                return Some(command);
            }
        }
        None
    }

    /// Selects the next (or previous) control whose ref, title, note, owner, evidence or
    /// justification matches `query` (or the last search), wrapping around. A match the filter
    /// hides sets the filter back to all. What the status line should say comes back.
    /// Goes to control `number`, the filter set back to all when it hides it.
    pub fn go_to(&mut self, session: &OpenAssessment, number: u32) -> String {
        let index = (number - 1) as usize;
        let mut note = "";
        if !self.rows(session).contains(&index) {
            self.filter = SoaFilter::All;
            note = " (the filter hid it: it now shows all)";
        }
        if let Some(position) = self.rows(session).iter().position(|&i| i == index) {
            self.selected = position;
        }
        let reference = session
            .questionnaire
            .item(number)
            .map_or("", |item| item.reference.as_str());
        format!("Control {reference} (item {number}){note}.")
    }

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
                keymap::label(Scope::Soa, KeyAction::StartSearch)
            )));
        };
        // A control's exact ref or number wins over text matches, wherever the cursor is.
        if typed.is_some()
            && let Some(item) = super::exact_item(&session.questionnaire, &query)
            && item.is_control()
        {
            return Some(Command::Info(self.go_to(session, item.number)));
        }
        let items = &session.questionnaire.items;
        let controls: Vec<usize> = (0..items.len())
            .filter(|&index| items[index].is_control())
            .collect();
        let matches = |index: usize| {
            let item = &items[index];
            let answer = session.answers.get(item.number);
            [
                &item.reference,
                &item.title,
                &answer.note,
                &answer.owner,
                &answer.evidence,
                &answer.justification,
            ]
            .iter()
            .any(|text| text_matches(text, &query))
        };
        let count = controls.len();
        let total = controls.iter().filter(|&&index| matches(index)).count();
        let current = self
            .item(session)
            .and_then(|item| {
                controls
                    .iter()
                    .position(|&i| items[i].number == item.number)
            })
            .unwrap_or(0);
        let first_offset = if from_current { 0 } else { 1 };
        let found = (first_offset..count + first_offset)
            .map(|offset| {
                if forward {
                    (current + offset) % count
                } else {
                    (current + count * 2 - offset) % count
                }
            })
            .find(|&position| matches(controls[position]));
        let Some(position) = found else {
            return Some(Command::Error(format!("\"{query}\": no control matches")));
        };
        let nth = (0..=position).filter(|&p| matches(controls[p])).count();
        let index = controls[position];
        let mut note = "";
        if !self.rows(session).contains(&index) {
            self.filter = SoaFilter::All;
            note = " · filter set to all";
        }
        self.selected = self
            .rows(session)
            .iter()
            .position(|&i| i == index)
            .unwrap_or(0);
        Some(Command::Info(format!(
            "\"{query}\": match {nth} of {total} ({} next, {} previous){note}",
            keymap::label(Scope::Soa, KeyAction::SearchNext),
            keymap::label(Scope::Soa, KeyAction::SearchPrevious)
        )))
    }
}

/// The reason codes as the help and README spell them.
pub fn reason_legend() -> String {
    ReasonCode::ALL
        .iter()
        .map(|c| format!("{} {}", c.short(), c.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

super::view!(SoaView, "SoA", Scope::Soa);
