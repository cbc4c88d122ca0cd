//! The Statement of Applicability: every Annex A control with its decision, reasons, level and
//! justification, filters, and what an auditor would flag.

use crate::model::soa::FindingKind;
use crate::model::text::text_matches;
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
        vec![session.soa_filter]
    };
    let filters: Vec<Span> = shown
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
    head_spans.push(Span::raw(counts));
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
            Paragraph::new(format!("No control is {}.", session.soa_filter.label())),
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
        if !answer.note.is_empty() {
            lines.push(Line::from(format!(
                "Note: {}",
                answer.note.trim_end().replace('\n', " / ")
            )));
        }
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
            Block::default()
                .borders(Borders::TOP)
                .title(" Selected control · v evidence · r risks · / search · PgDn/PgUp domain "),
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
    let rows = session.soa_rows();
    let count = rows.len();
    let current = session.soa_selected.min(count.saturating_sub(1));
    let item = session.soa_item().map(|item| item.number);
    match action {
        Action::Down => session.soa_selected = (current + 1).min(count.saturating_sub(1)),
        Action::Up => session.soa_selected = current.saturating_sub(1),
        Action::First => session.soa_selected = 0,
        Action::Last => session.soa_selected = count.saturating_sub(1),
        Action::PageDown | Action::PageUp if count > 0 => {
            let items = &session.questionnaire.items;
            let domain = |position: usize| &items[rows[position]].clause;
            let start_of = |position: usize| {
                (0..position)
                    .rev()
                    .find(|&p| domain(p) != domain(position))
                    .map_or(0, |p| p + 1)
            };
            session.soa_selected = if action == Action::PageDown {
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
        Action::CycleFilter => {
            // The selected control stays selected when the new filter lists it; otherwise the
            // next listed control after it.
            let was = rows.get(current).copied();
            let position = SoaFilter::ALL
                .iter()
                .position(|f| *f == session.soa_filter)
                .unwrap_or(0);
            session.soa_filter = SoaFilter::ALL[(position + 1) % SoaFilter::ALL.len()];
            let rows = session.soa_rows();
            session.soa_selected = match was {
                Some(was) => rows
                    .iter()
                    .position(|&index| index >= was)
                    .unwrap_or(rows.len().saturating_sub(1)),
                None => 0,
            };
        }
        Action::StartSearch => {
            app.popup = Some(Popup::Search {
                query: String::new(),
            })
        }
        Action::SearchNext => search(app, true, false),
        Action::SearchPrevious => search(app, false, false),
        _ => {
            let Some(item) = item else { return };
            let answer = session.answers.get(item).clone();
            match action {
                Action::SetLevel(level) => {
                    app.apply_change(item, crate::model::Change::Level(Some(level)));
                }
                Action::ClearLevel => {
                    app.apply_change(item, crate::model::Change::Level(None));
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

/// Starts a search of the SoA screen with `query` (an empty query repeats the last one).
pub fn start_search(app: &mut App, query: &str) {
    let query = query.trim();
    if !query.is_empty()
        && let Some(session) = &mut app.session
    {
        session.soa_search = Some(query.to_string());
    }
    search(app, true, true);
}

/// Selects the next (or previous) control whose ref, title, note, owner, evidence or
/// justification matches the last SoA search, wrapping around. A match the filter hides sets the
/// filter back to all.
pub fn search(app: &mut App, forward: bool, from_current: bool) {
    let Some(session) = &mut app.session else {
        return;
    };
    let Some(query) = session.soa_search.clone() else {
        app.info("No search yet: press / to search.");
        return;
    };
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
    let current = session
        .soa_item()
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
        app.error(format!("\"{query}\": no control matches"));
        return;
    };
    let nth = (0..=position).filter(|&p| matches(controls[p])).count();
    let index = controls[position];
    let mut note = "";
    if !session.soa_rows().contains(&index) {
        session.soa_filter = SoaFilter::All;
        note = " · filter set to all";
    }
    session.soa_selected = session
        .soa_rows()
        .iter()
        .position(|&i| i == index)
        .unwrap_or(0);
    app.info(format!(
        "\"{query}\": match {nth} of {total} (n next, N previous){note}"
    ));
}

/// The reason codes as the help and README spell them.
pub fn reason_legend() -> String {
    ReasonCode::ALL
        .iter()
        .map(|c| format!("{} {}", c.short(), c.label()))
        .collect::<Vec<_>>()
        .join(", ")
}
