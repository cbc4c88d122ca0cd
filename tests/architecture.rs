//! The layers' rules, read from the source: dependencies run one way, shells -> service ->
//! store / export -> score -> model.
//!
//! The source of the rules is the layer matrix in ARCHITECTURE.md (the table under "Layers":
//! which module may use which, and which of the watched crates `clap`, `rusqlite`, `ratatui`,
//! `crossterm`). `the_layer_matrix_holds` reads that table and checks every file under `src/`
//! against it; `the_matrix_keeps_the_layers_apart` checks the table itself keeps the shells apart
//! and the core below the store, the service and the shells, so the table cannot be edited into
//! allowing what the design forbids. Finer rules follow: no file under `src/tui/` names `Store`;
//! no file under `src/tui/screens/` names the app; every command prints through one printer.
//! (issue 26) One history append, one clock (`src/clock.rs`, a leaf), one of each writer.
//!
//! A use is any path in code (comments left out) that reaches a top-level module of the crate:
//! `crate::X`, `crate::{X, ..}`, `isms_ready::X` (in `main.rs`), or `super::..::X` climbing to
//! the crate root; and, for a watched crate, any `clap::` (`rusqlite::`...) path.

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
        } else if let Some(end) = literal_len(rest).filter(|_| {
            // A raw string's `r` only when it starts a word.
            !rest.starts_with('r') || !out.ends_with(is_ident)
        }) {
            // Keep a literal whole, so "//" inside it is not a comment.
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

/// The length of the string or character literal `code` starts with, if it starts with one
/// (what is inside a literal is neither a brace nor a path).
fn literal_len(code: &str) -> Option<usize> {
    let mut chars = code.char_indices();
    match chars.next()?.1 {
        '"' => {
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    return Some(i + 1);
                }
            }
            Some(code.len())
        }
        '\'' => {
            // 'x', '\x' or '\u{..}' (a lifetime `'a` has no closing quote).
            let (_, first) = chars.next()?;
            if first == '\\' {
                let (_, escaped) = chars.next()?;
                if escaped == 'u' {
                    chars.find(|(_, c)| *c == '}')?;
                }
            }
            let (end, close) = chars.next()?;
            (close == '\'').then_some(end + 1)
        }
        'r' => {
            // A raw string: r"..", r#".."#, r##".."##...
            let hashes = code[1..].len() - code[1..].trim_start_matches('#').len();
            let open = 1 + hashes;
            if !code[open..].starts_with('"') {
                return None;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let end = code[open + 1..].find(&close)?;
            Some(open + 1 + end + close.len())
        }
        _ => None,
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The leading identifier of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The crates outside this one whose use the layer matrix limits.
const WATCHED: [&str; 4] = ["clap", "rusqlite", "ratatui", "crossterm"];

/// The top-level modules of the crate that `code` (of the module `module`) uses, and the
/// watched crates it uses.
fn uses(module: &[String], code: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Inline modules (`mod tests { .. }`) open inside the file: their names and the brace depth
    // each opened at, so `super::` climbs from where the path is written.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let starts_word = at == 0 || !is_ident(code[..at].chars().last().unwrap_or(' '));
        if let Some(skip) = literal_len(rest).filter(|_| starts_word || !rest.starts_with('r')) {
            at += skip;
            continue;
        }
        match rest.as_bytes()[0] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if inline.last().is_some_and(|(_, opened)| *opened == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        if starts_word && let Some(after) = rest.strip_prefix("mod ") {
            let name = ident(after.trim_start());
            let after_name = after.trim_start()[name.len()..].trim_start();
            if !name.is_empty() && after_name.starts_with('{') {
                inline.push((name.to_string(), depth));
            }
        }
        let from_root = ["crate::", "super::", "isms_ready::"]
            .iter()
            .any(|prefix| rest.starts_with(prefix));
        if !starts_word || !from_root {
            if starts_word
                && let Some(watched) = WATCHED.iter().find(|name| {
                    rest.strip_prefix(**name)
                        .is_some_and(|after| after.starts_with("::") || after.starts_with(';'))
                })
            {
                found.push(watched.to_string());
            }
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // Resolve the path's prefix to a module path from the crate root.
        let mut base: Vec<String> = module.to_vec();
        base.extend(inline.iter().map(|(name, _)| name.clone()));
        let mut tail = rest;
        if let Some(after) = tail
            .strip_prefix("crate::")
            .or_else(|| tail.strip_prefix("isms_ready::"))
        {
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
            } else if !ident(tail).is_empty() && !tail[ident(tail).len()..].starts_with('!') {
                // (`crate::name!` is a macro exported at the root, not a module.)
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

/// One row of the layer matrix: a module (`service`, or a part of one: `service::merge`) and
/// what it may use besides itself.
struct Row {
    module: Vec<String>,
    may_use: Vec<String>,
}

/// The layer matrix of ARCHITECTURE.md: the table whose header is `| module | may use |`. A
/// cell names modules and crates in backticks; "nothing" is an empty list.
fn layer_matrix(architecture: &str) -> Vec<Row> {
    let mut lines = architecture
        .lines()
        .skip_while(|line| !line.replace(' ', "").starts_with("|module|mayuse|"));
    assert!(
        lines.next().is_some(),
        "ARCHITECTURE.md has no `| module | may use |` table"
    );
    let quoted = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    lines
        .skip(1)
        .take_while(|line| line.trim_start().starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            assert_eq!(cells.len(), 2, "a matrix row has two cells: {line}");
            let module = quoted(cells[0]);
            assert_eq!(module.len(), 1, "a matrix row names one module: {line}");
            Row {
                module: module[0].split("::").map(str::to_string).collect(),
                may_use: quoted(cells[1]),
            }
        })
        .collect()
}

fn read_matrix() -> Vec<Row> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    layer_matrix(&text)
}

/// The top-level modules of the crate: each folder and file under `src/` (`main.rs` is the
/// binary, `main`; `lib.rs` only declares the others).
fn top_level_modules() -> Vec<String> {
    let mut modules: Vec<String> = std::fs::read_dir(root().join("src"))
        .expect("src readable")
        .map(|entry| entry.expect("entry").path())
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            if path.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs").map(str::to_string)
            }
        })
        .filter(|name| name != "lib")
        .collect();
    modules.sort();
    modules
}

/// Every use in `src/` the matrix does not allow: a file follows the row of the longest module
/// path it lies in (`service::merge` before `service`).
fn matrix_violations(matrix: &[Row]) -> Vec<String> {
    let src = root().join("src");
    let mut found = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).expect("under src");
        let mut module = module_of(relative);
        if relative == Path::new("main.rs") {
            module = vec!["main".to_string()];
        }
        let Some(own) = module.first().cloned() else {
            continue; // lib.rs
        };
        let row = matrix
            .iter()
            .filter(|row| module.starts_with(&row.module))
            .max_by_key(|row| row.module.len());
        let Some(row) = row else {
            found.push(format!(
                "src/{} has no row in the matrix",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source readable");
        for used in uses(&module, &code_of(&text)) {
            if used != own && !row.may_use.contains(&used) {
                found.push(format!("src/{} uses {used}", relative.display()));
            }
        }
    }
    found
}

/// Every file of `src/` uses only what its row of ARCHITECTURE.md's layer matrix allows, and
/// every module has a row (a new module must take its place in the layers).
#[test]
fn the_layer_matrix_holds() {
    let matrix = read_matrix();
    let modules = top_level_modules();
    let rows: Vec<String> = matrix.iter().map(|row| row.module.join("::")).collect();
    for module in &modules {
        assert!(
            rows.contains(module),
            "src/{module} has no row in ARCHITECTURE.md's layer matrix"
        );
    }
    for row in &matrix {
        assert!(
            modules.contains(&row.module[0]),
            "the matrix names {}, which src/ does not have",
            row.module.join("::")
        );
        for used in &row.may_use {
            assert!(
                modules.contains(used) || WATCHED.contains(&used.as_str()),
                "the matrix row of {} names {used}, neither a module nor a watched crate",
                row.module.join("::")
            );
        }
    }
    let found = matrix_violations(&matrix);
    assert!(
        found.is_empty(),
        "arrows running the wrong way (ARCHITECTURE.md, Layers):\n{found:#?}"
    );
}

/// What the design forbids, whatever the table says: the shells never call each other, the
/// TUI never goes around the service to the store, the core (`model`, `score`, `export`) names
/// no store, service or shell, and the store reaches only the model.
#[test]
fn the_matrix_keeps_the_layers_apart() {
    let matrix = read_matrix();
    let may_use = |module: &str| -> Vec<String> {
        matrix
            .iter()
            .filter(|row| row.module[0] == module)
            .flat_map(|row| row.may_use.clone())
            .collect()
    };
    let forbidden: [(&str, &[&str]); 8] = [
        ("tui", &["commands", "cli", "store", "rusqlite", "clap"]),
        ("commands", &["tui", "store", "ratatui", "crossterm"]),
        ("cli", &["tui", "commands", "service", "store"]),
        (
            "model",
            &[
                "score", "export", "store", "service", "commands", "cli", "tui",
            ],
        ),
        (
            "score",
            &["export", "store", "service", "commands", "cli", "tui"],
        ),
        (
            "export",
            &[
                "store", "service", "commands", "cli", "tui", "clap", "rusqlite",
            ],
        ),
        (
            "store",
            &[
                "score", "export", "service", "commands", "cli", "tui", "clap",
            ],
        ),
        (
            "service",
            &["commands", "cli", "tui", "clap", "ratatui", "crossterm"],
        ),
    ];
    let mut found = Vec::new();
    for (module, never) in forbidden {
        for used in may_use(module) {
            if never.contains(&used.as_str()) {
                found.push(format!("{module} may use {used}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "ARCHITECTURE.md's matrix allows what the layers forbid:\n{found:#?}"
    );
}

/// The matrix reader takes the table as written, and a file breaking its row is found.
#[test]
fn the_matrix_reader_reads_rows_and_finds_a_wrong_arrow() {
    let table = "# Layers\n\n| module | may use |\n|---|---|\n| `model` | nothing |\n| `service::merge` | `store`, `rusqlite` |\n\nafter";
    let matrix = layer_matrix(table);
    assert_eq!(matrix.len(), 2);
    assert_eq!(matrix[0].module, ["model"]);
    assert!(matrix[0].may_use.is_empty());
    assert_eq!(matrix[1].module, ["service", "merge"]);
    assert_eq!(matrix[1].may_use, ["store", "rusqlite"]);
    // Against the real source, a matrix that allows the model nothing but keeps the others'
    // rows finds the model's use of `text` (src/model uses it for the document's text).
    let mut real = read_matrix();
    for row in &mut real {
        if row.module == ["model"] {
            row.may_use.clear();
        }
    }
    let found = matrix_violations(&real);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("src/model/") && v.ends_with("uses text")),
        "{found:#?}"
    );
}

/// The interactive shell reads and writes through the service (`service::open`): no file under
/// `src/tui/` uses the store module or names its handle (issue 26).
#[test]
fn the_tui_never_names_the_store() {
    let mut found = violations(&root(), "tui", &["store"]);
    let src = root().join("src");
    for file in rust_files(&src.join("tui")) {
        let code = code_of(&std::fs::read_to_string(&file).expect("source readable"));
        if code
            .split(|c: char| !is_ident(c))
            .any(|word| word == "Store")
        {
            found.push(format!("{} names Store", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "the TUI goes around the service:\n{found:#?}"
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
    // A macro exported at the crate root is not a module.
    assert_eq!(
        uses(
            &store("a"),
            &code("crate::with_register!(kind, T => crate::model::x())")
        ),
        ["model"]
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
    assert_eq!(
        uses(&store("a"), &code("use rusqlite::{Connection, params};")),
        ["rusqlite"]
    );
    assert_eq!(
        uses(&["main".to_string()], &code("use isms_ready::tui::run;")),
        ["tui"]
    );
    // A crate whose name merely starts like a watched one is not it.
    assert_eq!(
        uses(&store("a"), &code("use clapper::X; use ratatui_extra::Y;")),
        Vec::<String>::new()
    );
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
    // Inside an inline module, `super::super` climbs one module more; braces in literals count
    // for nothing.
    assert_eq!(
        uses(
            &store("merge"),
            &code(
                "fn f() { let _ = \"{\"; let _ = '{'; }\nmod tests { use super::super::schema; use super::*; }"
            )
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        uses(
            &["files".to_string()],
            &code("mod tests { use super::super::tui; }")
        ),
        ["tui"]
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
        // "internal" is an audit type too (issue 30), written out once in the audit model.
        let expected: &[&str] = if code == "\"internal\"" {
            &["src/model/audit.rs", "src/model/registers.rs"]
        } else {
            &["src/model/registers.rs"]
        };
        assert_eq!(found, expected, "{code}");
    }
    // The audit records' options (issue 30) are written out only in `src/model/audit.rs`.
    for code in [
        "\"pre-audit\"",
        "\"verified-effective\"",
        "\"management-review\"",
    ] {
        let found: Vec<String> = files_containing(code)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert_eq!(found, ["src/model/audit.rs"], "{code}");
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
