//! Colours and emphasis. With `NO_COLOR` set (or a monochrome theme) every state stays readable
//! through symbols and text, since colour is never the only signal.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

pub use crate::score::{AMBER_FROM, GREEN_FROM, Rating};

impl Theme {
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub const MONOCHROME: Theme = Theme { color: false };
    pub const COLOR: Theme = Theme { color: true };

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn info(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn rating(self, rating: Rating) -> Style {
        match rating {
            Rating::NotAssessed => self.dim(),
            Rating::Red => self.fg(Color::Red),
            Rating::Amber => self.fg(Color::Yellow),
            Rating::Green => self.fg(Color::Green),
        }
    }

    /// The colour of a level mark: the higher, the greener.
    pub fn level(self, level: Option<u8>) -> Style {
        match level {
            None => self.dim(),
            Some(0) => self.fg(Color::Red),
            Some(1) => self.fg(Color::LightRed),
            Some(2) => self.fg(Color::Yellow),
            Some(3) => self.fg(Color::LightGreen),
            Some(_) => self.fg(Color::Green),
        }
    }
}
