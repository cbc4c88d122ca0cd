//! Audit mode (issue 30): one audit walked item by item through its scope. For the item
//! selected it shows the question, the evidence an auditor looks for, the last answer (level and
//! note) and the findings already recorded on it, each major or minor one with the
//! nonconformity it opened. One key records a finding of a type (`keymap.rs`, `Scope::AuditMode`),
//! through a short form of the findings register (statement and evidence); the form and its save
//! are the register's own (`EntryForm`, `Command::SaveEntry`), so nothing typed is lost here
//! either.

use crate::model::audit::{Finding, FindingType, Nonconformity};
use crate::model::{Item, Level};
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::popups::Popup;
use crate::tui::register_form::{EntryForm, EntryValue};
use crate::tui::view_context::{OpenAssessment, ViewContext};
use crate::tui::widgets::fit;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Audit mode's own state: which audit, which item of its scope, how far the item is scrolled.
#[derive(Default)]
pub struct AuditView {
    /// The audit walked (its id, `A-1`).
    pub audit: String,
    /// The index of the selected item in the audit's scope.
    pub selected: usize,
    pub scroll: u16,
}

impl AuditView {
    /// Walks audit `id` from its first item (the same audit again keeps its place).
    pub fn ask(&mut self, id: &str) {
        if self.audit != id {
            *self = AuditView {
                audit: id.to_string(),
                ..AuditView::default()
            };
        }
    }

    /// The audit as the view shows it, read from the open assessment.
    pub fn walk<'a>(&self, session: &'a OpenAssessment) -> Option<Walk<'a>> {
        Walk::of(session, &self.audit)
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        let session = ctx.session?;
        let Some(walk) = self.walk(session) else {
            return Some(Command::Error(format!(
                "Audit {} is no longer in the register.",
                self.audit
            )));
        };
        let count = walk.items.len();
        self.selected = self.selected.min(count.saturating_sub(1));
        let before = self.selected;
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = count.saturating_sub(1),
            KeyAction::ScrollDown => self.scroll = self.scroll.saturating_add(3),
            KeyAction::ScrollUp => self.scroll = self.scroll.saturating_sub(3),
            KeyAction::NextUnanswered => {
                let next = (1..=count)
                    .map(|step| (self.selected + step) % count.max(1))
                    .find(|&i| walk.items[i].findings.is_empty());
                match next {
                    Some(index) => self.selected = index,
                    None => {
                        return Some(Command::Info(format!(
                            "Every item of audit {} has a finding.",
                            self.audit
                        )));
                    }
                }
            }
            KeyAction::RecordFinding(kind) => {
                let item = walk.items.get(self.selected)?;
                return Some(Command::Popup(Popup::Entry(Box::new(
                    walk.finding_form(item.item, kind),
                ))));
            }
            KeyAction::Open => {
                let item = walk.items.get(self.selected)?;
                let Some(finding) = item.findings.last() else {
                    return Some(Command::Info(format!(
                        "No finding on {} yet: {} records one.",
                        item.item.reference,
                        finding_keys()
                    )));
                };
                return Some(Command::Popup(Popup::Entry(Box::new(EntryForm::of(
                    Some(finding.id.clone()),
                    &finding.entry,
                )))));
            }
            _ => {}
        }
        if self.selected != before {
            self.scroll = 0;
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        let Some(session) = ctx.session else { return };
        let theme = ctx.theme;
        let Some(walk) = self.walk(session) else {
            frame.render_widget(
                Paragraph::new(format!(
                    "Audit {} is no longer in the register.",
                    self.audit
                )),
                area,
            );
            return;
        };
        let selected = self.selected.min(walk.items.len().saturating_sub(1));
        let [head, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(4)]).areas(area);
        // The audit: what it is, where the walk stands, what it found.

        frame.render_widget(
            Paragraph::new(vec![
                Line::from(vec![
                    Span::styled("Audit mode · ", theme.accent()),
                    Span::styled(format!("{} ", walk.id), theme.title()),
                    Span::styled(walk.title.clone(), theme.title()),
                    Span::styled(format!(" · {}", walk.about), theme.dim()),
                ]),
                Line::from(Span::styled(
                    fit(
                        &format!("Scope {} · found: {}", walk.scope, walk.tally()),
                        area.width as usize,
                    ),
                    theme.dim(),
                )),
            ]),
            head,
        );
        let wide = body.width >= 120;
        let [list, detail] = if wide {
            Layout::horizontal([Constraint::Length(52), Constraint::Min(30)]).areas(body)
        } else {
            let list_height = (body.height / 4).clamp(3, 8);
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(4)]).areas(body)
        };
        self.render_list(frame, list, &walk, selected, ctx);
        if let Some(item) = walk.items.get(selected) {
            self.render_item(frame, detail, session, item, ctx);
        }
    }

    fn render_list(
        &self,
        frame: &mut Frame,
        area: Rect,
        walk: &Walk,
        selected: usize,
        ctx: &ViewContext,
    ) {
        let theme = ctx.theme;
        let at = if walk.items.is_empty() {
            "no item in its scope".to_string()
        } else {
            format!("item {} of {}", selected + 1, walk.items.len())
        };
        let block = Block::default().borders(Borders::ALL).title(format!(
            " Scope · {at} · {} next without a finding ",
            keymap::label(Scope::AuditMode, KeyAction::NextUnanswered)
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let visible = inner.height as usize;
        let first = selected.saturating_sub(visible.saturating_sub(1));
        let lines: Vec<Line> = walk
            .items
            .iter()
            .enumerate()
            .skip(first)
            .take(visible)
            .map(|(index, row)| {
                let level = row
                    .answer_level
                    .map_or_else(|| "-".to_string(), |l| l.value().to_string());
                let marks = row.marks();
                let text = format!(
                    "{:<9} L{level} {:<5} {}",
                    fit(&row.item.reference, 9),
                    marks,
                    row.item.title
                );
                let style = if index == selected {
                    theme.selected()
                } else if row.findings.iter().any(FindingLine::is_nonconformity) {
                    theme.error()
                } else if row.findings.is_empty() {
                    Style::default()
                } else {
                    theme.info()
                };
                Line::from(Span::styled(fit(&text, inner.width as usize), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn render_item(
        &self,
        frame: &mut Frame,
        area: Rect,
        session: &OpenAssessment,
        row: &WalkItem,
        ctx: &ViewContext,
    ) {
        let theme = ctx.theme;
        let item: &Item = row.item;
        let block = Block::default().borders(Borders::ALL).title(format!(
            " {} {} · {} ",
            item.reference,
            item.title,
            finding_keys()
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let answer = session.answers.get(item.number);
        // Above: what to ask and what to look for (scrolled with J/K). Below, always in view:
        // the last answer and the findings recorded on the item.
        let asked = Paragraph::new(vec![
            Line::from(Span::styled("Ask", theme.accent())),
            Line::from(item.question.clone()),
            Line::from(Span::styled(
                "Evidence an auditor looks for",
                theme.accent(),
            )),
            Line::from(item.guidance.clone()),
        ])
        .wrap(Wrap { trim: false })
        .scroll((self.scroll, 0));
        let mut lines = vec![Line::from(vec![
            Span::styled("Last answer: ", theme.accent()),
            Span::raw(match answer.level {
                Some(level) => format!("level {level}"),
                None => "not answered".to_string(),
            }),
            Span::styled(
                if answer.evidence.is_empty() {
                    String::new()
                } else {
                    format!(" · evidence: {}", answer.evidence)
                },
                theme.dim(),
            ),
        ])];
        if answer.note.trim().is_empty() {
            lines.push(Line::from(Span::styled("  (no note)", theme.dim())));
        } else {
            lines.extend(
                answer
                    .note
                    .lines()
                    .map(|l| Line::from(Span::styled(format!("  {l}"), theme.dim()))),
            );
        }
        lines.push(Line::from(Span::styled(
            format!("Findings on this item ({})", row.findings.len()),
            theme.accent(),
        )));
        if row.findings.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  None yet: {}.", finding_keys()),
                theme.dim(),
            )));
        }
        for finding in &row.findings {
            let style = if finding.is_nonconformity() {
                theme.error()
            } else {
                Style::default()
            };
            // Its id and type with the NC it opened, then what was found and the evidence.
            let mut spans = vec![Span::styled(
                format!("  {} {}", finding.id, finding_type_name(finding.kind)),
                style,
            )];
            if let Some(nc) = &finding.nonconformity {
                spans.push(Span::styled(format!(" -> {nc}"), theme.error()));
            }
            lines.push(Line::from(spans));
            lines.push(Line::from(format!("    {}", finding.statement)));
            if !finding.evidence.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("    evidence: {}", finding.evidence),
                    theme.dim(),
                )));
            }
        }
        let found = Paragraph::new(lines).wrap(Wrap { trim: false });
        // The findings take what they need, right under the question when both fit, else at
        // the bottom, leaving the question at least four rows.
        let needed = found.line_count(inner.width) as u16;
        let question = (asked.line_count(inner.width) as u16).saturating_sub(self.scroll);
        let [above, under] = if question + 1 + needed <= inner.height {
            let [above, _, under, _] = Layout::vertical([
                Constraint::Length(question),
                Constraint::Length(1),
                Constraint::Length(needed),
                Constraint::Min(0),
            ])
            .areas(inner);
            [above, under]
        } else {
            let below = needed.min(inner.height.saturating_sub(4));
            Layout::vertical([Constraint::Min(0), Constraint::Length(below)]).areas(inner)
        };
        frame.render_widget(asked, above);
        frame.render_widget(found, under);
    }
}

/// The keys that record a finding, as the title and hints spell them: `c conformity · m minor...`.
pub fn finding_keys() -> String {
    keymap::KEYMAP
        .iter()
        .filter(|b| b.scope == Scope::AuditMode && matches!(b.action, KeyAction::RecordFinding(_)))
        .filter_map(|b| b.footer.map(|word| format!("{} {word}", b.label)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One audit as audit mode shows it: what it is, and each item of its scope with its findings.
pub struct Walk<'a> {
    pub id: String,
    pub title: String,
    /// Its type, dates, auditors and status, on one line.
    pub about: String,
    /// Its scope as recorded (`4, 5, 6.1, A.5`), or "every item".
    pub scope: String,
    pub items: Vec<WalkItem<'a>>,
    /// The type of each of the audit's findings, once each (a finding on a clause stands on each
    /// of its items, but counts once).
    pub finding_kinds: Vec<FindingType>,
}

/// One item of an audit's scope.
pub struct WalkItem<'a> {
    pub item: &'a Item,
    pub answer_level: Option<Level>,
    pub findings: Vec<FindingLine>,
}

/// One finding recorded on an item, as audit mode lists it.
pub struct FindingLine {
    pub id: String,
    pub kind: FindingType,
    pub statement: String,
    pub evidence: String,
    /// The nonconformity it opened, with its status (`NC-2 open`).
    pub nonconformity: Option<String>,
    /// The finding itself, for its form.
    pub entry: EntryValue,
}

/// How audit mode names a finding type.
pub fn finding_type_name(kind: FindingType) -> &'static str {
    match kind {
        FindingType::Major => "Major nonconformity",
        FindingType::Minor => "Minor nonconformity",
        FindingType::Observation => "Observation",
        FindingType::Improvement => "Opportunity for improvement",
        FindingType::Conformity => "Conformity",
    }
}

/// The letter of a finding type in the scope list: its key in audit mode.
fn finding_mark(kind: FindingType) -> char {
    match kind {
        FindingType::Major => 'X',
        FindingType::Minor => 'm',
        FindingType::Observation => 'o',
        FindingType::Improvement => 'i',
        FindingType::Conformity => 'c',
    }
}

impl FindingLine {
    fn of(finding: &Finding, nonconformities: &[Nonconformity]) -> FindingLine {
        FindingLine {
            id: finding.id.clone(),
            kind: finding.kind,
            statement: finding.statement.clone(),
            evidence: finding.evidence.clone(),
            nonconformity: nonconformities
                .iter()
                .find(|nc| !finding.id.is_empty() && nc.finding == finding.id)
                .map(|nc| format!("{} {}", nc.id, nc.status.code())),
            entry: EntryValue::from(finding.clone()),
        }
    }

    /// A major or minor nonconformity.
    pub fn is_nonconformity(&self) -> bool {
        matches!(self.kind, FindingType::Major | FindingType::Minor)
    }
}

impl WalkItem<'_> {
    /// The item's findings as letters, one per finding: `c m X o i`.
    pub fn marks(&self) -> String {
        self.findings.iter().map(|f| finding_mark(f.kind)).collect()
    }
}

/// Whether scope ref `reference` covers `item`: the item's ref, its clause or Annex A group, its
/// sub-clause or one above it (`6.1` covers `6.1.2 a)`) - the rule of the audit programme
/// (`model::audit::covered_areas`).
fn covers(reference: &str, item: &Item) -> bool {
    let section = item.section();
    same_ref(&item.reference, reference)
        || item.clause == reference
        || section == reference
        || section
            .strip_prefix(reference)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Two item refs alike but for case and spaces (`9.2.2 a)`, `9.2.2a)`).
fn same_ref(a: &str, b: &str) -> bool {
    let squeeze = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    squeeze(a) == squeeze(b)
}

impl<'a> Walk<'a> {
    /// Audit `id` of the open assessment with its scope's items and their findings; none when
    /// the register has no such audit.
    pub fn of(session: &'a OpenAssessment, id: &str) -> Option<Walk<'a>> {
        let registers = &session.registers;
        let audit = registers.audits.iter().find(|a| a.id == id)?;
        let findings: Vec<&Finding> = registers
            .findings
            .iter()
            .filter(|f| f.audit == audit.id)
            .collect();
        let items = session
            .questionnaire
            .items
            .iter()
            .filter(|item| audit.scope.is_empty() || audit.scope.iter().any(|r| covers(r, item)))
            .map(|item| WalkItem {
                item,
                answer_level: session.answers.get(item.number).level,
                // A finding recorded on a clause or sub-clause (`4.1`) stands on its items too.
                findings: findings
                    .iter()
                    .filter(|f| f.items.iter().any(|r| covers(r, item)))
                    .map(|f| FindingLine::of(f, &registers.nonconformities))
                    .collect(),
            })
            .collect();
        let mut about = vec![audit.kind.code().to_string()];
        match (audit.date, audit.end_date) {
            (Some(start), Some(end)) if end != start => about.push(format!("{start} to {end}")),
            (Some(day), _) => about.push(day.to_string()),
            _ => {}
        }
        if !audit.auditors.trim().is_empty() {
            about.push(format!("auditors {}", audit.auditors));
        }
        about.push(audit.status.code().replace('_', " "));
        Some(Walk {
            id: audit.id.clone(),
            title: audit.title.clone(),
            about: about.join(" · "),
            scope: if audit.scope.is_empty() {
                "every item".to_string()
            } else {
                audit.scope.join(", ")
            },
            items,
            finding_kinds: findings.iter().map(|f| f.kind).collect(),
        })
    }

    /// The short form that records a finding of `kind` on `item`: its statement and evidence,
    /// the audit, item and type set.
    pub fn finding_form(&self, item: &Item, kind: FindingType) -> EntryForm {
        let finding = Finding {
            audit: self.id.clone(),
            items: vec![item.reference.clone()],
            kind,
            ..Finding::default()
        };
        EntryForm::new_with_fields(
            &EntryValue::from(finding),
            &["statement", "evidence"],
            format!(
                "{} on {} · audit {}",
                finding_type_name(kind),
                item.reference,
                self.id
            ),
        )
    }

    /// The findings of the whole audit by type, the most serious first: `1 major, 2 minor`.
    pub fn tally(&self) -> String {
        let said: Vec<String> = FindingType::ALL
            .iter()
            .filter_map(|kind| {
                let count = self.finding_kinds.iter().filter(|k| *k == kind).count();
                (count > 0).then(|| format!("{count} {}", kind.code()))
            })
            .collect();
        if said.is_empty() {
            "nothing yet".to_string()
        } else {
            said.join(", ")
        }
    }
}

super::view!(AuditView, "Audit mode", Scope::AuditMode, short = "Audit");
