//! The key tables of the manual match the keymap screen by screen (issue 26), so the manual never
//! lags behind the app (help and footers are built from the same table).
//!
//! The README's "Keys" section and the guide's (docs/guide.md) hold one table per keymap scope,
//! under a `###` heading that is the scope's title (`Scope::title`, up to its parenthesis). For
//! each scope:
//! - every key the keymap binds in it is in the first column of its table;
//! - every key in the first column is bound there: looked up as the app looks it up (a screen
//!   falls back to the keys that work everywhere, a popup does not);
//! - the first column holds keys only, each in backticks (`0`-`4` is the five digits; "arrows"
//!   is Up and Down).

use isms_ready::tui::keymap::{KEYMAP, Key, Scope, lookup};
use isms_ready::tui::screens::{Screen, Views};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How the manual spells a key, in backticks; the first is the usual one.
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
            // Up and Down are named as a group ("arrows") or one by one.
            KeyCode::Up => vec!["`Up`".into(), "arrows".into()],
            KeyCode::Down => vec!["`Down`".into(), "arrows".into()],
            KeyCode::Left => one("Left"),
            KeyCode::Right => one("Right"),
            KeyCode::Home => one("Home"),
            KeyCode::End => one("End"),
            KeyCode::PageDown => one("PgDn"),
            KeyCode::PageUp => one("PgUp"),
            KeyCode::Delete => one("Del"),
            KeyCode::Backspace => one("Backspace"),
            KeyCode::F(n) => one(&format!("F{n}")),
            other => panic!("no manual spelling for {other:?}: add one here"),
        },
    }
}

/// The key a spelling in backticks stands for, the other way round from `spelled`.
fn key_of(spelling: &str) -> Option<KeyEvent> {
    let plain = |code| Some(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(letter) = spelling.strip_prefix("Ctrl-") {
        let mut chars = letter.chars();
        let c = chars.next()?;
        return chars
            .next()
            .is_none()
            .then(|| KeyEvent::new(KeyCode::Char(c.to_ascii_lowercase()), KeyModifiers::CONTROL));
    }
    if let Some(n) = spelling.strip_prefix('F').and_then(|n| n.parse().ok()) {
        return plain(KeyCode::F(n));
    }
    match spelling {
        "Space" => plain(KeyCode::Char(' ')),
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "Shift-Tab" => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "Up" => plain(KeyCode::Up),
        "Down" => plain(KeyCode::Down),
        "Left" => plain(KeyCode::Left),
        "Right" => plain(KeyCode::Right),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "PgDn" => plain(KeyCode::PageDown),
        "PgUp" => plain(KeyCode::PageUp),
        "Del" => plain(KeyCode::Delete),
        "Backspace" => plain(KeyCode::Backspace),
        single if single.chars().count() == 1 => plain(KeyCode::Char(single.chars().next()?)),
        _ => None,
    }
}

/// One key table of the manual: the heading it stands under and the first cell of each row.
struct Table {
    heading: String,
    /// Where it is, for messages.
    file: &'static str,
    key_cells: Vec<String>,
}

/// The `###` key tables of the `## Keys` section of `text`.
fn key_tables(file: &'static str, text: &str) -> Vec<Table> {
    let start = text
        .find("\n## Keys\n")
        .unwrap_or_else(|| panic!("{file} has no Keys section"));
    let rest = &text[start + 1..];
    let section = &rest[..rest[1..].find("\n## ").map_or(rest.len(), |i| i + 1)];
    let mut tables: Vec<Table> = Vec::new();
    let mut in_table = false;
    for line in section.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            tables.push(Table {
                heading: heading.trim().to_string(),
                file,
                key_cells: Vec::new(),
            });
            in_table = false;
        } else if line.starts_with("| key |") || line.starts_with("|---") {
            in_table = true;
        } else if in_table && line.starts_with('|') {
            let table = tables
                .last_mut()
                .unwrap_or_else(|| panic!("{file}: a key table before any ### heading"));
            let cell = line.trim_start_matches('|').split('|').next().unwrap_or("");
            table.key_cells.push(cell.trim().to_string());
        } else {
            in_table = false;
        }
    }
    tables.retain(|table| !table.key_cells.is_empty());
    tables
}

/// A scope's title up to its parenthesis: what its heading says.
fn short_title(title: &str) -> &str {
    title.split(" (").next().unwrap_or(title).trim()
}

/// The scopes of the screens (not the popups): they fall back to the keys that work everywhere.
fn screen_scopes() -> Vec<Scope> {
    let views = Views::new();
    let mut screens = vec![
        Screen::Picker,
        Screen::History,
        Screen::Compare,
        Screen::Merge,
        Screen::Audit,
    ];
    screens.extend(Screen::TABS);
    screens
        .into_iter()
        .map(|screen| views.get(screen).scope())
        .collect()
}

/// The keys a first-column cell names: each spelling in backticks (`0`-`4` the five digits), and
/// the word "arrows" as Up and Down. A spelling that is no key is an error.
fn keys_in(cell: &str) -> Result<Vec<(String, KeyEvent)>, String> {
    let mut keys = Vec::new();
    let quoted: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
    for spelling in &quoted {
        let event = key_of(spelling).ok_or_else(|| format!("`{spelling}` is not a key"))?;
        keys.push((spelling.to_string(), event));
    }
    if cell.contains("`0`-`4`") {
        for digit in "123".chars() {
            keys.push((digit.to_string(), key_of(&digit.to_string()).unwrap()));
        }
    }
    if cell.contains("arrows") {
        keys.push(("Up".into(), key_of("Up").unwrap()));
        keys.push(("Down".into(), key_of("Down").unwrap()));
    }
    Ok(keys)
}

/// What is wrong between the manual's `tables` and the keymap, one line each.
fn mismatches(tables: &[Table]) -> Vec<String> {
    let screens = screen_scopes();
    let mut wrong = Vec::new();
    for scope in Scope::ALL {
        let title = short_title(scope.title());
        let mine: Vec<&Table> = tables
            .iter()
            .filter(|table| short_title(&table.heading) == title)
            .collect();
        let table = match mine.as_slice() {
            [table] => *table,
            [] => {
                wrong.push(format!("{scope:?}: no key table under \"### {title}\""));
                continue;
            }
            _ => {
                wrong.push(format!("{scope:?}: more than one key table \"{title}\""));
                continue;
            }
        };
        let column = table.key_cells.join(" ");
        // Every key bound in this scope is in its table.
        for binding in KEYMAP.iter().filter(|binding| binding.scope == scope) {
            for key in binding.keys {
                let ways = spelled(*key);
                let digit = matches!(key, Key::Char('0'..='4')) && column.contains("`0`-`4`");
                if !digit && !ways.iter().any(|way| column.contains(way.as_str())) {
                    wrong.push(format!(
                        "{scope:?}: {} ({}) is bound but not in {}'s \"{title}\" table",
                        ways[0], binding.help, table.file
                    ));
                }
            }
        }
        // Every key in its table is bound in this scope, as the app looks it up.
        let with_global = screens.contains(&scope);
        for cell in &table.key_cells {
            let keys = match keys_in(cell) {
                Ok(keys) => keys,
                Err(error) => {
                    wrong.push(format!("{scope:?}: {}: {error} (row {cell})", table.file));
                    continue;
                }
            };
            for (spelling, event) in keys {
                // A binding with no key of its own (handled by the text editor) is named by its
                // label.
                let labelled = KEYMAP.iter().any(|binding| {
                    binding.scope == scope
                        && binding.keys.is_empty()
                        && binding.label.contains(spelling.as_str())
                });
                if lookup(scope, &event, with_global).is_none() && !labelled {
                    wrong.push(format!(
                        "{scope:?}: `{spelling}` is in {}'s \"{title}\" table but not bound there",
                        table.file
                    ));
                }
            }
        }
    }
    for table in tables {
        let known = Scope::ALL
            .iter()
            .any(|scope| short_title(scope.title()) == short_title(&table.heading));
        if !known {
            wrong.push(format!(
                "{}: the key table \"{}\" is no scope of the keymap",
                table.file, table.heading
            ));
        }
    }
    wrong
}

fn manual() -> Vec<Table> {
    let read = |path: &str| {
        std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let mut tables = key_tables("README.md", &read("README.md"));
    tables.extend(key_tables("docs/guide.md", &read("docs/guide.md")));
    tables
}

#[test]
fn every_screen_has_a_key_table_that_matches_its_keymap_both_ways() {
    let wrong = mismatches(&manual());
    assert!(
        wrong.is_empty(),
        "the manual's key tables and the keymap differ:\n{}",
        wrong.join("\n")
    );
}

/// The check fails on each kind of drift: a key documented on the wrong screen, a bound key
/// left out of its screen's table, a table for no scope, and a first cell that is no key.
#[test]
fn the_check_finds_a_key_on_the_wrong_screen_and_a_key_left_out() {
    let mut tables = manual();
    let plan = |tables: &mut Vec<Table>| -> usize {
        tables
            .iter()
            .position(|table| table.heading == "Certification plan")
            .expect("a plan table")
    };
    // `v` (evidence, on the SoA screen) documented on the plan, where nothing binds it.
    let at = plan(&mut tables);
    tables[at].key_cells.push("`v`".into());
    let wrong = mismatches(&tables);
    assert!(
        wrong
            .iter()
            .any(|line| line.starts_with("Plan: `v` is in") && line.ends_with("not bound there")),
        "{wrong:#?}"
    );
    // The plan's `t` (timeline) left out.
    let mut tables = manual();
    let at = plan(&mut tables);
    tables[at].key_cells.retain(|cell| cell != "`t`");
    let wrong = mismatches(&tables);
    assert!(
        wrong
            .iter()
            .any(|line| line.starts_with("Plan: `t`") && line.contains("is bound")),
        "{wrong:#?}"
    );
    // A table under a heading that is no scope, and a first cell that is no key.
    let mut tables = manual();
    tables.push(Table {
        heading: "Audits".into(),
        file: "README.md",
        key_cells: vec!["`j`".into()],
    });
    let at = plan(&mut tables);
    tables[at].key_cells.push("`step`".into());
    let wrong = mismatches(&tables);
    assert!(
        wrong
            .iter()
            .any(|line| line.contains("\"Audits\" is no scope")),
        "{wrong:#?}"
    );
    assert!(
        wrong
            .iter()
            .any(|line| line.contains("`step` is not a key")),
        "{wrong:#?}"
    );
}
