//! Pieces every screen uses: the header with the screen tabs, the status line, the key footer,
//! text bars, and the message for a terminal that is too small.

use super::app::{App, Screen, StatusKind};
use super::keymap::{self, Scope};

use ratatui::prelude::*;
use ratatui::widgets::{Paragraph, Wrap};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let mut text = format!(
        "Terminal too small: {}x{}. isms-ready needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window (nothing is lost); until then keys do nothing but q, which quits.",
        area.width, area.height
    );
    if matches!(app.popup, Some(super::popups::Popup::Unsaved(_))) {
        text.push_str(
            " A question about unsaved text is waiting: enlarge the window to answer it.",
        );
    }
    let theme = app.theme;
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.error())
            .wrap(Wrap { trim: true }),
        area,
    );
}

pub fn header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let mut tabs = Vec::new();
    let screens: &[Screen] = if app.session.is_some() {
        &Screen::TABS
    } else {
        &[Screen::Picker]
    };
    // Below 120 columns the tab names are shortened, so the assessment's name keeps its room.
    let narrow = area.width < 120;
    for screen in screens {
        let view = app.views.get(*screen);
        let title = if narrow {
            view.short_title()
        } else {
            view.title()
        };
        let label = format!(" {title} ");
        if *screen == app.screen {
            tabs.push(Span::styled(
                format!("[{}]", label.trim()),
                theme.selected(),
            ));
        } else {
            tabs.push(Span::styled(label, theme.dim()));
        }
        // Below 120 columns the labels' own padding separates them (six tabs since the
        // Registers tab), so the assessment's name and edition keep their room.
        if !narrow {
            tabs.push(Span::raw(" "));
        }
    }
    let tabs_width: u16 = tabs.iter().map(|s| s.width() as u16).sum();
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(tabs_width)]).areas(area);

    // The assessment's name always; the edition when it fits; a superseded edition is flagged.
    let mut spans = vec![Span::styled(" isms-ready ", theme.accent())];
    if let Some(session) = &app.session {
        let room = (left.width as usize).saturating_sub(13);
        let flag = if session.questionnaire.superseded.is_some() {
            " [superseded]"
        } else {
            ""
        };
        let full = format!(
            " {} · {}",
            session.assessment.name, session.questionnaire.title
        );
        let text = if full.chars().count() + flag.len() <= room {
            full
        } else {
            fit(
                &format!(" {}", session.assessment.name),
                room.saturating_sub(flag.len()),
            )
        };
        spans.push(Span::raw(text));
        spans.push(Span::styled(flag, theme.error()));
    }
    frame.render_widget(Line::from(spans), left);
    frame.render_widget(Line::from(tabs).right_aligned(), right);
}

fn status_paragraph(app: &App) -> Option<Paragraph<'_>> {
    let status = app.status.as_ref()?;
    let style = match status.kind {
        StatusKind::Info => app.theme.info(),
        StatusKind::Error => app.theme.error(),
    };
    Some(
        Paragraph::new(format!(" {}", status.text))
            .style(style)
            .wrap(Wrap { trim: false }),
    )
}

/// How many lines the status message needs in this area: as many as it takes, so nothing the
/// user must read is cut, up to a quarter of the screen (at least three lines).
pub fn status_height(app: &App, area: Rect) -> u16 {
    let most = (area.height / 4).max(3) as usize;
    status_paragraph(app).map_or(1, |p| p.line_count(area.width).clamp(1, most) as u16)
}

pub fn status_line(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(paragraph) = status_paragraph(app) {
        frame.render_widget(paragraph, area);
    }
}

/// The key hints of the current scope, from the keymap table.
pub fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let scope = app.scope();
    let mut hints = keymap::footer_hints(scope);
    // A popup owns the keyboard: its footer lists only its own keys.
    if app.popup.is_none() {
        for hint in keymap::footer_hints(Scope::Global) {
            if !hints.iter().any(|(label, _)| *label == hint.0) {
                hints.push(hint);
            }
        }
    }
    // Too wide for the terminal: drop whole hints rather than cut the line, the generic global
    // ones first (move, screen), then the screen's own from the last; help and quit stay.
    let globals: Vec<&str> = keymap::footer_hints(Scope::Global)
        .iter()
        .map(|(label, _)| *label)
        .collect();
    let keep = |label: &str| matches!(label, "?" | "q");
    let width = |hints: &[(&str, &str)]| -> usize {
        hints
            .iter()
            .map(|(label, word)| label.chars().count() + word.chars().count() + 4)
            .sum::<usize>()
            .saturating_sub(2)
    };
    while width(&hints) > area.width as usize {
        let drop = hints
            .iter()
            .rposition(|(label, _)| !keep(label) && globals.contains(label))
            .or_else(|| hints.iter().rposition(|(label, _)| !keep(label)));
        match drop {
            Some(index) => {
                hints.remove(index);
            }
            None => break,
        }
    }
    let mut spans = Vec::new();
    for (label, word) in hints {
        spans.push(Span::styled(format!(" {label}"), app.theme.key()));
        spans.push(Span::raw(format!(" {word}")));
        spans.push(Span::styled(" ·", app.theme.dim()));
    }
    spans.pop();
    frame.render_widget(Line::from(spans), area);
}

/// A bar of `width` cells filled in proportion to `tenths` (0..=1000), readable without colour.
pub fn bar(tenths: u64, width: usize) -> String {
    let filled = ((tenths.min(1000) as usize * width) + 500) / 1000;
    let mut text = "█".repeat(filled);
    text.push_str(&"░".repeat(width - filled));
    text
}

/// Cuts `text` to `width` characters, marking the cut with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// Fits `text` into `width` columns without cutting a word: what does not fit goes whole, its
/// place marked with an ellipsis.
pub fn fit_words(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    // Room for the words and " …": a word that ends right before a space still counts whole.
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    let cut = match kept.rfind(' ') {
        Some(space) => kept[..space].trim_end().to_string(),
        None => String::new(),
    };
    if cut.is_empty() {
        return fit(text, width);
    }
    format!("{cut} …")
}

/// A line of spans fitted into `width` columns without cutting a word (see `fit_words`): the
/// spans that fit stay as they are; the first that does not is fitted at a word boundary.
pub fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let len = span.content.chars().count();
        if used + len <= width.saturating_sub(2) {
            used += len;
            spans.push(span);
            continue;
        }
        let room = width.saturating_sub(used);
        let fitted = fit_words(&span.content, room);
        if fitted.ends_with('…') && fitted.chars().count() > 1 {
            spans.push(Span::styled(fitted, span.style));
        } else {
            // Not even a word of it fits: cut after the previous span.
            if let Some(last) = spans.last_mut() {
                let text = last.content.trim_end().to_string();
                last.content = text.into();
            }
            spans.push(Span::raw(" …"));
        }
        break;
    }
    Line::from(spans).style(line.style)
}

/// The level shown for an answer, as a one-character mark.
pub fn level_mark(level: Option<crate::model::Level>) -> char {
    match level {
        Some(level) => char::from(b'0' + level.value()),
        None => '.',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_words_never_pass_the_width_nor_cut_a_word() {
        let text = "Sessions 1 · open: 1 Kick-off (Ann Lee-Hamilton (Chief Executive Officer), Bo Ek (CISO))";
        for width in 10..text.chars().count() {
            let fitted = fit_words(text, width);
            assert!(fitted.chars().count() <= width, "{width}: {fitted}");
            let kept = fitted.trim_end_matches('…').trim_end();
            assert!(text.starts_with(kept), "{width}: {fitted}");
            let next = text[kept.len()..].chars().next();
            assert!(
                matches!(next, None | Some(' ')),
                "a cut word at {width}: {fitted}"
            );
        }
        let line = fit_line(
            Line::from(vec![Span::raw("Sessions   "), Span::raw(text)]),
            80,
        );
        assert!(line.width() <= 80, "{line}");
    }
}
