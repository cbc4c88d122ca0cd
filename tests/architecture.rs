//! The layers' done-when checks (issue 13), read from the source: dependencies run one way,
//! shells -> service -> store / export -> score -> model.
//!
//! - no file under `src/store/` or `src/model/` uses `export`, `score`, `commands`, `tui`,
//!   `service` or `clap`;
//! - no file under `src/tui/` uses `commands`;
//! - no file under `src/export/` uses `clap` or `store`;
//! - no file under `src/tui/screens/` names the app (`App`, or the module `app`);
//! - (issue 26) one history append, one clock (`src/clock.rs`, a leaf), one of each writer.
//!
//! A use is any path in code (comments left out) that reaches a top-level module of the crate:
//! `crate::X`, `crate::{X, ..}`, or `super::..::X` climbing to the crate root; and, for `clap`,
//! any `clap::` path or `use clap`.

use std::path::{Path, PathBuf};

/// The `.rs` files under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The module path of a file under `src/`: `src/store/answers.rs` is `["store", "answers"]`,
/// `src/store/mod.rs` is `["store"]`, `src/lib.rs` is `[]`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without its comments (line comments, doc comments, block comments).
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else if rest.starts_with('"') {
            // Skip a string literal, so "//" inside it is not a comment.
            let mut chars = rest.char_indices().skip(1);
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    end = i + 1;
                    break;
                }
            }
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The leading identifier of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules of the crate that `code` (of the module `module`) uses, and `clap`
/// when it uses that crate.
fn uses(module: &[String], code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let starts_word = at == 0 || !is_ident(code[..at].chars().last().unwrap_or(' '));
        if !starts_word || !(rest.starts_with("crate::") || rest.starts_with("super::")) {
            if starts_word && (rest.starts_with("clap::") || rest.starts_with("clap;")) {
                found.push("clap".to_string());
            }
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // Resolve the path's prefix to a module path from the crate root.
        let mut base: Vec<String> = module.to_vec();
        let mut tail = rest;
        if let Some(after) = tail.strip_prefix("crate::") {
            base.clear();
            tail = after;
        } else {
            while let Some(after) = tail.strip_prefix("super::") {
                base.pop();
                tail = after;
            }
        }
        let consumed = rest.len() - tail.len();
        if base.is_empty() {
            if let Some(group) = tail.strip_prefix('{') {
                // `crate::{a, b::c, d}`: the first identifier of each top-level entry.
                let mut depth = 0;
                let mut entry_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => entry_start = true,
                        c if entry_start && is_ident(c) => {
                            found.push(ident(&group[i..]).to_string());
                            entry_start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                found.push(ident(tail).to_string());
            }
        }
        at += consumed.max(1);
    }
    found.sort();
    found.dedup();
    found
}

/// Every `(file, module)` under `src/<folder>` that uses one of `forbidden`.
fn violations(root: &Path, folder: &str, forbidden: &[&str]) -> Vec<String> {
    let src = root.join("src");
    let mut out = Vec::new();
    for file in rust_files(&src.join(folder)) {
        let relative = file.strip_prefix(&src).expect("under src");
        let text = std::fs::read_to_string(&file).expect("source readable");
        for used in uses(&module_of(relative), &code_of(&text)) {
            if forbidden.contains(&used.as_str()) {
                out.push(format!("src/{} uses {used}", relative.display()));
            }
        }
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn store_and_model_use_only_the_model() {
    let forbidden = ["export", "score", "commands", "tui", "service", "clap"];
    let mut found = violations(&root(), "store", &forbidden);
    found.extend(violations(&root(), "model", &forbidden));
    assert!(
        found.is_empty(),
        "arrows running the wrong way:\n{found:#?}"
    );
}

#[test]
fn the_tui_never_calls_the_cli_commands() {
    let found = violations(&root(), "tui", &["commands"]);
    assert!(found.is_empty(), "the TUI calls the CLI:\n{found:#?}");
}

#[test]
fn export_uses_neither_clap_nor_the_store() {
    let found = violations(&root(), "export", &["clap", "store"]);
    assert!(
        found.is_empty(),
        "export reaches a shell or the store:\n{found:#?}"
    );
}

/// The screens own their state and return commands: none of them knows the app.
#[test]
fn screens_do_not_import_app() {
    let src = root().join("src");
    let mut found = Vec::new();
    for file in rust_files(&src.join("tui/screens")) {
        let code = code_of(&std::fs::read_to_string(&file).expect("source readable"));
        let names_app = code
            .split(|c: char| !is_ident(c))
            .any(|word| word == "App" || word == "app");
        if names_app {
            found.push(
                file.strip_prefix(&src)
                    .expect("under src")
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        found.is_empty(),
        "screens that reach into the app:\n{found:#?}"
    );
}

/// The checker itself finds each form of use, and skips comments and other modules' paths.
#[test]
fn the_checker_sees_every_form_of_use() {
    let store = |name: &str| vec!["store".to_string(), name.to_string()];
    let code = |text: &str| code_of(text);
    assert_eq!(
        uses(&store("a"), &code("use crate::export::json;")),
        ["export"]
    );
    assert_eq!(
        uses(&store("a"), &code("fn f() { crate::score::summarize(); }")),
        ["score"]
    );
    assert_eq!(
        uses(
            &store("a"),
            &code("use crate::{model::X, tui::{App}, commands};")
        ),
        ["commands", "model", "tui"]
    );
    assert_eq!(
        uses(&store("a"), &code("use super::super::service::x;")),
        ["service"]
    );
    // `super::` inside the store stays in the store.
    assert_eq!(
        uses(&store("a"), &code("use super::Store;")),
        Vec::<String>::new()
    );
    assert_eq!(
        uses(&["store".to_string()], &code("use super::tui;")),
        ["tui"]
    );
    assert_eq!(
        uses(&store("a"), &code("#[derive(clap::ValueEnum)]")),
        ["clap"]
    );
    assert_eq!(uses(&store("a"), &code("use clap::Parser;")), ["clap"]);
    // Comments and identifiers that merely end in "crate" are not uses.
    assert_eq!(
        uses(
            &store("a"),
            &code("// see crate::export\n/// `crate::tui`\n/* crate::score */ let mycrate::x = 1;")
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        uses(
            &store("a"),
            &code("let s = \"// not a comment\"; use crate::score;")
        ),
        ["score"]
    );
    assert_eq!(module_of(Path::new("store/mod.rs")), ["store"]);
    assert_eq!(
        module_of(Path::new("tui/screens/picker.rs")),
        ["tui", "screens", "picker"]
    );
}

/// Issue 24, point 2: every line a command prints goes through the one printer in
/// `src/commands/mod.rs` (`outln!`, `errln!`, `print_json`, `print_document`, all through
/// `src/text.rs`), so a new command cannot print a stored name raw. Outside the interactive app
/// (ratatui draws it) and `main.rs` (clap's usage errors and the error line, both through
/// `text`), no file prints or writes to stdout or stderr itself.
#[test]
fn every_command_prints_through_the_one_printer() {
    let src = root().join("src");
    let mut found = Vec::new();
    for path in rust_files(&src) {
        let relative = path.strip_prefix(&src).expect("under src").to_path_buf();
        let shown = relative.display().to_string();
        if shown.starts_with("tui") || shown == "main.rs" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&path).expect("readable"));
        let printer = shown == "commands/mod.rs";
        for (pattern, allowed_in_printer) in [
            ("println!", false),
            ("print!", false),
            ("eprintln!", false),
            ("eprint!", false),
            ("dbg!", false),
            ("stdout()", true),
            ("stderr()", true),
        ] {
            let hits = code
                .match_indices(pattern)
                .filter(|(at, _)| {
                    // `print!` must not count inside `eprint!` or `println!`.
                    !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                })
                .count();
            if hits > 0 && !(printer && allowed_in_printer) {
                found.push(format!("{shown}: {pattern} x{hits}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "printing outside the one printer: {found:?}"
    );
}

/// The code of a file without comments and without its `#[cfg(test)]` module (written last).
fn shipped_code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    code_of(text)
}

/// The files under `src/` (as `src/...`) whose shipped code contains `pattern`, with the count.
fn files_containing(pattern: &str) -> Vec<(String, usize)> {
    let src = root().join("src");
    let mut found = Vec::new();
    for path in rust_files(&src) {
        let code = shipped_code_of(&std::fs::read_to_string(&path).expect("readable"));
        let hits = code.matches(pattern).count();
        if hits > 0 {
            let relative = path.strip_prefix(&src).expect("under src");
            found.push((format!("src/{}", relative.display()), hits));
        }
    }
    found
}

/// Issue 26, point 4: one history append. Every write path appends its history row through
/// `store::history::append`, the one statement that stamps a change with the open session.
#[test]
fn one_history_append() {
    assert_eq!(
        files_containing("INSERT INTO history"),
        [("src/store/history.rs".to_string(), 1)],
        "a history row written outside store::history::append"
    );
}

/// Issue 26, point 4: one clock. Only `src/clock.rs` reads the time or converts between UTC and
/// local time (so tests can set it, and the local-midnight rule exists once).
#[test]
fn one_clock() {
    for pattern in [
        "Local::now",
        "Utc::now",
        "SystemTime::now",
        "Instant::now",
        "with_timezone(&Local",
        "with_timezone(&chrono::Local",
        "from_local_datetime",
        "and_local_timezone",
    ] {
        let found: Vec<String> = files_containing(pattern)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert!(
            found.iter().all(|file| file == "src/clock.rs"),
            "{pattern} outside src/clock.rs: {found:?}"
        );
    }
    assert_eq!(
        files_containing("fn local_midnight"),
        [("src/clock.rs".to_string(), 1)],
        "the local-midnight rule exists once"
    );
    // A leaf every layer may use: it uses nothing of the crate.
    let clock = std::fs::read_to_string(root().join("src/clock.rs")).expect("readable");
    assert_eq!(
        uses(&["clock".into()], &code_of(&clock)),
        Vec::<String>::new()
    );
}

/// Issue 26, point 4: one spreadsheet writer. Every workbook's cells are one `Cell` type written
/// by `export::xlsx::write_cell` (the formula guard and the cell-size cut live there).
#[test]
fn one_spreadsheet_cell_writer() {
    // (`model::register_spec::Cell` is a register report's value in any format, not a sheet's.)
    let cell_types: Vec<(String, usize)> = files_containing("enum Cell")
        .into_iter()
        .filter(|(file, _)| file.starts_with("src/export/"))
        .collect();
    assert_eq!(cell_types, [("src/export/xlsx.rs".to_string(), 1)]);
    for pattern in [
        "write_number",
        "write_boolean",
        "set_quote_prefix",
        "fit_in_cell(",
    ] {
        let found: Vec<String> = files_containing(pattern)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert_eq!(found, ["src/export/xlsx.rs"], "{pattern}");
    }
}

/// Issue 26, point 4: one atomic file writer. A file is put in place (renamed, linked, persisted,
/// flushed) only by `src/files.rs` (`write_atomically`, `write_folder_whole`).
#[test]
fn one_atomic_file_writer() {
    for pattern in [
        "persist",
        "hard_link",
        "rename(",
        "sync_all",
        "NamedTempFile",
        "tempfile_in",
    ] {
        let found: Vec<String> = files_containing(pattern)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert!(
            found.iter().all(|file| file == "src/files.rs"),
            "{pattern} outside src/files.rs: {found:?}"
        );
    }
}

/// Issue 26, point 4: one sanitiser per destination, in `src/text.rs`. No other module writes an
/// HTML/XML entity or a JSON `\u` escape of its own, nor filters pasted text itself.
#[test]
fn one_sanitiser_per_destination() {
    for pattern in [
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&#",
        "\\\\u{",
        "fn clean_text",
    ] {
        let found: Vec<String> = files_containing(pattern)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert!(
            found.iter().all(|file| file == "src/text.rs"),
            "{pattern} outside src/text.rs: {found:?}"
        );
    }
}

/// Issue 26, point 4: one definition of each register option. The codes of a context issue's
/// side and SWOT and an objective's status are written out only in `src/model/registers.rs`;
/// the app's form takes its choices from there (`CODES`, `INFLUENCE_SCALE`, `RISK_SCALE`).
#[test]
fn one_register_option_list() {
    for code in [
        "\"internal\"",
        "\"weakness\"",
        "\"opportunity\"",
        "\"achieved\"",
    ] {
        let found: Vec<String> = files_containing(code)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert_eq!(found, ["src/model/registers.rs"], "{code}");
    }
}

/// The modules of the crate's `service` layer that the file `service/<name>.rs` uses.
fn service_modules_used_by(name: &str) -> Vec<String> {
    let code = code_of(
        &std::fs::read_to_string(root().join(format!("src/service/{name}.rs"))).expect("readable"),
    );
    let mut found = Vec::new();
    for prefix in ["super::", "crate::service::"] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().last().unwrap_or(' ');
            if is_ident(before) || before == ':' {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                found.extend(group.split(',').map(|p| ident(p.trim()).to_string()));
            } else {
                found.push(ident(rest).to_string());
            }
        }
    }
    found.retain(|m| !m.is_empty());
    found.sort();
    found.dedup();
    found
}

/// Issue 26, point 4: no module cycle in the service layer. What export and merge share (the
/// input reader, the JSON document, the conflict rows) is in `service::document`, below both.
#[test]
fn service_export_and_merge_do_not_use_each_other() {
    let export = service_modules_used_by("export");
    let merge = service_modules_used_by("merge");
    assert!(
        !export.contains(&"merge".to_string()),
        "export uses {export:?}"
    );
    assert!(
        !merge.contains(&"export".to_string()),
        "merge uses {merge:?}"
    );
    // The checker sees both spellings.
    assert!(export.contains(&"document".to_string()), "{export:?}");
    assert!(merge.contains(&"document".to_string()), "{merge:?}");
    let document = service_modules_used_by("document");
    assert!(
        !document.contains(&"export".to_string()) && !document.contains(&"merge".to_string()),
        "document uses {document:?}"
    );
}
