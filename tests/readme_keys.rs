//! The README's Keys section names every key the keymap table binds, so the manual never lags
//! behind the app (help and footers are built from the same table).

use isms_ready::tui::keymap::{KEYMAP, Key};
use ratatui::crossterm::event::KeyCode;

/// How the README spells a key, in backticks.
fn spelled(key: Key) -> Vec<String> {
    let one = |text: &str| vec![format!("`{text}`")];
    match key {
        Key::Char(' ') => one("Space"),
        Key::Char(c) => one(&c.to_string()),
        Key::Ctrl(c) => one(&format!("Ctrl-{}", c.to_ascii_uppercase())),
        Key::Code(code) => match code {
            KeyCode::Enter => one("Enter"),
            KeyCode::Esc => one("Esc"),
            KeyCode::Tab => one("Tab"),
            KeyCode::BackTab => one("Shift-Tab"),
            // Arrows are named as a group ("arrows") or one by one.
            KeyCode::Up | KeyCode::Down => vec!["arrows".into(), "`Up`".into(), "`Down`".into()],
            KeyCode::Left => one("Left"),
            KeyCode::Right => one("Right"),
            KeyCode::Home => vec!["Home".into()],
            KeyCode::End => vec!["End".into()],
            KeyCode::PageDown => one("PgDn"),
            KeyCode::PageUp => one("PgUp"),
            KeyCode::Delete => one("Del"),
            KeyCode::Backspace => one("Backspace"),
            KeyCode::F(n) => one(&format!("F{n}")),
            other => panic!("no README spelling for {other:?}: add one here"),
        },
    }
}

#[test]
fn the_readme_keys_section_names_every_bound_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("## Keys").expect("a Keys section");
    let end = readme[start + 1..]
        .find("\n## ")
        .map_or(readme.len(), |i| start + 1 + i);
    let section = &readme[start..end];
    let mut missing = Vec::new();
    for binding in KEYMAP {
        for key in binding.keys {
            let ways = spelled(*key);
            // The five level digits are one row: `0`-`4`.
            let digits = matches!(key, Key::Char('0'..='4')) && section.contains("`0`-`4`");
            if !digits && !ways.iter().any(|way| section.contains(way.as_str())) {
                missing.push(format!(
                    "{:?}: {} ({})",
                    binding.scope, ways[0], binding.help
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README.md's Keys section does not name these bound keys:\n{}",
        missing.join("\n")
    );
}
