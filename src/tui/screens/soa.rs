//! The Statement of Applicability: every Annex A control with its decision, reasons, level and
//! justification, filters, and what an auditor would flag.

use crate::model::soa::FindingKind;
use crate::model::{Level, ReasonCode};
use crate::tui::app::{App, DecisionForm, NoteTarget, Popup, PromptFor, SoaFilter};
use crate::tui::keymap::Action;
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// A line of the control list: a domain (or theme) header, an objective header (2013), a control.
enum Line_ {
    Domain(usize),
    Objective(usize),
    Control(usize),
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(session) = &app.session else { return };
    let theme = app.theme;
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
    let [head, table, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(8),
    ])
    .areas(area);
    let filters: Vec<Span> = SoaFilter::ALL
        .iter()
        .flat_map(|filter| {
            let style = if *filter == session.soa_filter {
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
    let mut head_spans = vec![Span::styled("Filter (f): ", theme.title())];
    head_spans.extend(filters);
    head_spans.push(Span::raw(format!(
        " {} included · {} excluded · {} not decided",
        decisions.included, decisions.excluded, decisions.undecided
    )));
    frame.render_widget(Line::from(head_spans), head);

    // The listed controls with a header line wherever the domain changes.
    let rows = session.soa_rows();
    let selected = session.soa_selected.min(rows.len().saturating_sub(1));
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
        " Statement of Applicability · {} of {} controls · a decide · f filter ",
        rows.len(),
        questionnaire.control_count()
    ));
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let height = inner.height as usize;
    let width = inner.width as usize;
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(format!("No control is {}.", session.soa_filter.label())),
            inner,
        );
    } else if height > 0 {
        let offset = selected_line
            .saturating_sub(height / 2)
            .min(lines_index.len().saturating_sub(height));
        let text_width = width.saturating_sub(9 + 11 + 3 + 16);
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
                    let reasons = answer
                        .reasons
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
                                "{:<3}",
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
    if let Some(item) = session.soa_item() {
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
        let reasons = answer
            .reasons
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
        lines.push(Line::from(format!(
            "Risks: {}   Evidence: {}   Owner: {}",
            or_dash(&answer.risks),
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
            "Auditor's check, all controls: {} excluded without justification · {} included without reason · {} at level 2+ without evidence · {} not decided",
            count(FindingKind::ExcludedWithoutJustification),
            count(FindingKind::IncludedWithoutReason),
            count(FindingKind::ImplementedWithoutEvidence),
            count(FindingKind::Undecided),
        ),
        theme.dim(),
    )));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::TOP)
                .title(" Selected control "),
        ),
        detail,
    );
}

/// Opens the applicability decision of a control, filled with what is saved.
pub fn open_decision(app: &mut App, item: u32) {
    let Some(session) = &app.session else { return };
    let form = DecisionForm::new(item, session.answers.get(item));
    app.popup = Some(Popup::Decision(Box::new(form)));
}

pub fn update(app: &mut App, action: Action) {
    let Some(session) = &mut app.session else {
        return;
    };
    let count = session.soa_rows().len();
    let item = session.soa_item().map(|item| item.number);
    match action {
        Action::Down => {
            session.soa_selected = (session.soa_selected + 1).min(count.saturating_sub(1))
        }
        Action::Up => {
            session.soa_selected = session
                .soa_selected
                .min(count.saturating_sub(1))
                .saturating_sub(1)
        }
        Action::First => session.soa_selected = 0,
        Action::Last => session.soa_selected = count.saturating_sub(1),
        Action::CycleFilter => {
            let position = SoaFilter::ALL
                .iter()
                .position(|f| *f == session.soa_filter)
                .unwrap_or(0);
            session.soa_filter = SoaFilter::ALL[(position + 1) % SoaFilter::ALL.len()];
            session.soa_selected = 0;
        }
        _ => {
            let Some(item) = item else { return };
            let answer = session.answers.get(item).clone();
            match action {
                Action::SetLevel(level) => {
                    app.apply_change(item, crate::model::Change::Level(Some(level)));
                }
                Action::Decide => open_decision(app, item),
                Action::EditEvidence => app.open_prompt(
                    PromptFor::Evidence(item),
                    format!("Evidence for item {item}"),
                    &answer.evidence,
                ),
                Action::EditRisks => app.open_prompt(
                    PromptFor::Risks(item),
                    format!("Risks treated by item {item}"),
                    &answer.risks,
                ),
                Action::EditOwner => app.open_prompt(
                    PromptFor::Owner(item),
                    format!("Owner of item {item}"),
                    &answer.owner,
                ),
                Action::EditNote => app.open_note(NoteTarget::Item(item)),
                _ => {}
            }
        }
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
