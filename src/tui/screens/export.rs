//! The Export screen: choose a format, write it, see where it went. Nothing external is opened.

use crate::export::ExportFormat;
use crate::export::report::Detail;
use crate::service::export::ExportOptions;
use crate::tui::command::Command;
use crate::tui::keymap::{self, KeyAction, Scope};
use crate::tui::view_context::ViewContext;
use ratatui::prelude::*;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const PLAIN: ExportOptions = ExportOptions {
    history: false,
    detail: Detail::Summary,
    excel: false,
};

/// What the Export screen offers: every format, and the CLI's options a consultant needs
/// (`--detail full`, `--history`, `--excel`) as their own lines; the hand-over folder stays last.
pub const CHOICES: [(ExportFormat, ExportOptions, &str, &str); 10] = [
    (ExportFormat::Html, PLAIN, "html", ""),
    (
        ExportFormat::Html,
        ExportOptions {
            detail: Detail::Full,
            ..PLAIN
        },
        "html+",
        "HTML report in full detail: with the appendix of every item",
    ),
    (ExportFormat::Md, PLAIN, "md", ""),
    (ExportFormat::Docx, PLAIN, "docx", ""),
    (ExportFormat::Xlsx, PLAIN, "xlsx", ""),
    (ExportFormat::Csv, PLAIN, "csv", ""),
    (
        ExportFormat::Csv,
        ExportOptions {
            excel: true,
            ..PLAIN
        },
        "csv+",
        "CSV for Excel: the same rows, marked UTF-8 so accents read right",
    ),
    (ExportFormat::Json, PLAIN, "json", ""),
    (
        ExportFormat::Json,
        ExportOptions {
            history: true,
            ..PLAIN
        },
        "json+",
        "JSON with history: every change, to merge into another copy",
    ),
    (ExportFormat::CisoAssistant, PLAIN, "ciso", ""),
];

/// The Export screen's own state: the chosen format, and what it last wrote.
#[derive(Default)]
pub struct ExportView {
    /// Index into `CHOICES`.
    pub selected: usize,
    /// What was last written: path and size.
    pub last_export: Option<String>,
}

impl ExportView {
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext) {
        if ctx.session.is_none() {
            return;
        }
        let theme = ctx.theme;
        let [list, info] = Layout::vertical([
            Constraint::Length(CHOICES.len() as u16 + 2),
            Constraint::Min(1),
        ])
        .areas(area);
        let lines: Vec<Line> = CHOICES
            .iter()
            .enumerate()
            .map(|(index, (format, _, name, describe))| {
                let style = if index == self.selected {
                    theme.selected()
                } else {
                    Style::default()
                };
                Line::from(vec![
                    Span::styled(format!(" {name:<5} "), style.patch(theme.title())),
                    Span::styled(
                        if describe.is_empty() {
                            format.describe()
                        } else {
                            describe
                        }
                        .to_string(),
                        style,
                    ),
                ])
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(format!(
                " Export · {} writes the selected format ",
                keymap::label(Scope::Export, KeyAction::Open)
            ))),
            list,
        );
        let mut text = vec![
            Line::from(vec![
                Span::styled("Folder: ", theme.title()),
                Span::raw(ctx.export_dir.display().to_string()),
            ]),
            Line::from(Span::styled(
                "Files are named after the assessment and today's date; an existing file is never replaced (a number is added).",
                theme.dim(),
            )),
            Line::default(),
        ];
        match &self.last_export {
            Some(written) => text.push(Line::from(vec![
                Span::styled("Written: ", theme.info()),
                Span::raw(written.clone()),
            ])),
            None => text.push(Line::from(Span::styled(
                "Nothing written yet in this session.",
                theme.dim(),
            ))),
        }
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), info);
    }

    pub fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command> {
        ctx.session?;
        let last = CHOICES.len() - 1;
        match action {
            KeyAction::Down => self.selected = (self.selected + 1).min(last),
            KeyAction::Up => self.selected = self.selected.saturating_sub(1),
            KeyAction::First => self.selected = 0,
            KeyAction::Last => self.selected = last,
            KeyAction::Open => {
                let (format, options, _, _) = CHOICES[self.selected];
                return Some(Command::Export(format, options));
            }
            _ => {}
        }
        None
    }
}

super::view!(ExportView, "Export", Scope::Export);
