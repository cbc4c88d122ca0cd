//! Issue 24, points 1, 2 and 7: every C0, DEL, C1 and bidi control, fed into every text field,
//! never reaches the terminal from any command that prints stored text, never reaches a Markdown,
//! HTML, CSV or README file, and never makes a DOCX or XLSX part anything but well-formed XML
//! without a control in its text. JSON keeps the exact data (escaped).

mod common;

use common::Sandbox;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// Every C0 control (NUL included), DEL, every C1 control and every bidi formatting character,
/// between letters so that what is left is visible.
fn hostile() -> String {
    let mut text = String::from("Evil");
    text.extend('\u{0}'..='\u{1f}');
    text.push('\u{7f}');
    text.extend('\u{80}'..='\u{9f}');
    text.extend('\u{202a}'..='\u{202e}');
    text.extend('\u{2066}'..='\u{2069}');
    text.extend(['\u{200e}', '\u{200f}', '\u{61c}']);
    // A real escape sequence too: an OSC 52 clipboard write and a screen clear.
    text.push_str("\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2JCo");
    text
}

/// A control a terminal or a bidi renderer would act on: everything in `hostile` but newline and
/// tab (and carriage return where `cr_ok`, for CRLF line ends; a lone one is always refused).
fn is_hostile(c: char, cr_ok: bool) -> bool {
    (c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'))
        && c != '\n'
        && c != '\t'
        && !(cr_ok && c == '\r')
}

fn assert_no_controls(what: &str, text: &str, cr_ok: bool) {
    let mut found: Vec<char> = text.chars().filter(|&c| is_hostile(c, cr_ok)).collect();
    // A carriage return is allowed only in a CRLF line end: alone it sends the cursor back.
    if text.replace("\r\n", "\n").contains('\r') {
        found.push('\r');
    }
    assert!(
        found.is_empty(),
        "{what} holds {found:?}: {:?}",
        text.chars().take(2000).collect::<String>()
    );
}

/// The free-text fields of an assessment document, by key.
const TEXT_KEYS: &[&str] = &[
    "name",
    "scope",
    "assessor",
    "note",
    "notes",
    "evidence",
    "owner",
    "justification",
    "risks",
    "title",
    "facilitator",
    "focus",
    "reason",
    "description",
    "category",
    "needs",
    "addressed",
    "contact",
    "asset",
    "threat",
    "vulnerability",
    "objective",
    "measure",
    "target",
    "resources",
    "evaluation",
    "auditors",
    "criteria",
    "statement",
    "auditee",
    "correction",
    "root_cause",
    "verified_by",
    "attendees",
    "input_a",
    "outputs",
];

/// Every free-text string of `value` (participants' names included) replaced by `text`; in the
/// history, the old and new values of text fields too.
fn poison(value: &mut Value, text: &str) {
    match value {
        Value::Object(map) => {
            let text_field = map
                .get("field")
                .and_then(Value::as_str)
                .is_some_and(|f| TEXT_KEYS.contains(&f));
            for (key, entry) in map.iter_mut() {
                if key == "summary" {
                    continue;
                }
                let is_text = TEXT_KEYS.contains(&key.as_str())
                    || (text_field && matches!(key.as_str(), "old_value" | "new_value"));
                if is_text && entry.is_string() {
                    *entry = Value::from(text);
                } else {
                    poison(entry, text);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| poison(item, text)),
        _ => {}
    }
}

/// An assessment with every text field filled, through the CLI.
fn seed(sandbox: &Sandbox) {
    let runs: &[&[&str]] = &[
        &["new", "--name", "Seed", "--scope", "S", "--assessor", "A"],
        &[
            "session",
            "start",
            "-a",
            "Seed",
            "--title",
            "T",
            "--participants",
            "P1, P2",
            "--facilitator",
            "F",
            "--focus",
            "X",
        ],
        &[
            "answer",
            "-a",
            "Seed",
            "--item",
            "1",
            "--level",
            "2",
            "--note",
            "N",
            "--evidence",
            "E",
            "--owner",
            "O",
        ],
        &[
            "answer",
            "-a",
            "Seed",
            "--item",
            "143",
            "--exclude",
            "J",
            "--owner",
            "O",
            "--note",
            "N",
            "--evidence",
            "E",
            "--risks",
            "R",
        ],
        &[
            "answer",
            "-a",
            "Seed",
            "--item",
            "144",
            "--include",
            "risk_treatment",
            "--justification",
            "J",
            "--level",
            "3",
        ],
        &[
            "plan", "set", "-a", "Seed", "--step", "1", "--status", "blocked", "--reason", "R",
            "--owner", "O", "--note", "N",
        ],
        &[
            "action",
            "add",
            "-a",
            "Seed",
            "--item",
            "1",
            "--title",
            "T",
            "--owner",
            "O",
            "--description",
            "D",
            "--note",
            "N",
        ],
        &[
            "context",
            "add",
            "-a",
            "Seed",
            "--title",
            "T",
            "--kind",
            "internal",
            "--influence",
            "2",
            "--control",
            "2",
            "--category",
            "C",
            "--owner",
            "O",
            "--risks",
            "R",
            "--note",
            "N",
        ],
        &[
            "parties",
            "add",
            "-a",
            "Seed",
            "--name",
            "N",
            "--needs",
            "NE",
            "--influence",
            "2",
            "--control",
            "2",
            "--addressed",
            "A",
            "--contact",
            "C",
            "--note",
            "N",
        ],
        &[
            "risks",
            "add",
            "-a",
            "Seed",
            "--title",
            "T",
            "--likelihood",
            "3",
            "--impact",
            "3",
            "--owner",
            "O",
            "--asset",
            "A",
            "--threat",
            "TH",
            "--vulnerability",
            "V",
            "--controls",
            "A.5.1",
            "--note",
            "N",
        ],
        &[
            "objectives",
            "add",
            "-a",
            "Seed",
            "--objective",
            "O",
            "--measure",
            "M",
            "--target",
            "T",
            "--owner",
            "O",
            "--due",
            "2027-01-01",
            "--resources",
            "R",
            "--evaluation",
            "E",
            "--note",
            "N",
        ],
        &[
            "audit",
            "add",
            "-a",
            "Seed",
            "--type",
            "internal",
            "--title",
            "T",
            "--date",
            "2027-01-10",
            "--auditor",
            "A",
            "--scope",
            "4,A.5",
            "--criteria",
            "C",
            "--note",
            "N",
        ],
        &[
            "finding",
            "add",
            "-a",
            "Seed",
            "--audit",
            "AUD-1",
            "--item",
            "1",
            "--type",
            "major",
            "--statement",
            "S",
            "--evidence",
            "E",
            "--auditee",
            "A",
            "--note",
            "N",
        ],
        &[
            "nc",
            "set",
            "-a",
            "Seed",
            "NC-1",
            "--correction",
            "C",
            "--root-cause",
            "R",
            "--verified-on",
            "2027-01-20",
            "--verified-by",
            "V",
            "--effective",
            "no",
            "--note",
            "N",
        ],
        &[
            "review",
            "add",
            "-a",
            "Seed",
            "--date",
            "2027-01-15",
            "--attendees",
            "A",
            "--input",
            "a=I",
            "--decisions",
            "D",
            "--note",
            "N",
        ],
        &["session", "end", "-a", "Seed", "--notes", "SN"],
    ];
    for args in runs {
        sandbox.ok(args);
    }
}

/// Runs the binary once and checks both streams; returns whether it succeeded, and stdout.
fn run_clean(sandbox: &Sandbox, args: &[&str]) -> (bool, String) {
    let output = sandbox.run(args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let cr_ok = args.contains(&"--csv") || args.contains(&"csv");
    assert_no_controls(&format!("stdout of {args:?}"), &stdout, cr_ok);
    assert_no_controls(&format!("stderr of {args:?}"), &stderr, false);
    (output.status.success(), stdout + &stderr)
}

/// `run_clean`, whatever the exit status; returns stdout and stderr.
fn clean(sandbox: &Sandbox, args: &[&str]) -> String {
    run_clean(sandbox, args).1
}

/// `run_clean`, and the command must succeed; returns stdout and stderr.
fn clean_ok(sandbox: &Sandbox, args: &[&str]) -> String {
    let (ok, out) = run_clean(sandbox, args);
    assert!(ok, "{args:?} failed: {out}");
    out
}

/// Every XML part of a zip (DOCX, XLSX): parsed as XML to the end, no character XML 1.0 forbids
/// in it, and no control in any text or attribute value.
fn check_xml_parts(what: &str, path: &Path) {
    let file = std::fs::File::open(path).expect("the file");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut parts = 0;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).expect("a part");
        let name = part.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        parts += 1;
        let mut xml = String::new();
        part.read_to_string(&mut xml).expect("UTF-8 XML");
        let forbidden: Vec<char> = xml
            .chars()
            .filter(|&c| {
                matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
            })
            .collect();
        assert!(
            forbidden.is_empty(),
            "{what} {name}: characters XML 1.0 forbids: {forbidden:?}"
        );
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Err(error) => panic!("{what} {name} is not well-formed XML: {error}"),
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(text)) => {
                    let text = text.xml10_content().into_owned();
                    assert_no_controls(&format!("{what} {name} text"), &text, true);
                    // rust_xlsxwriter writes a control as _xHHHH_, which Excel reads back as it.
                    assert!(
                        !text.contains("_x00"),
                        "{what} {name}: an encoded control in {text:?}"
                    );
                }
                Ok(quick_xml::events::Event::GeneralRef(reference)) => {
                    // A character reference to a control is as bad as the control itself.
                    let resolved = reference
                        .resolve_char_ref()
                        .unwrap_or_else(|e| panic!("{what} {name}: {e}"));
                    if let Some(c) = resolved {
                        assert!(!is_hostile(c, true), "{what} {name}: &#{};", c as u32);
                    }
                }
                Ok(quick_xml::events::Event::Start(element))
                | Ok(quick_xml::events::Event::Empty(element)) => {
                    for attribute in element.attributes() {
                        let attribute = attribute
                            .unwrap_or_else(|e| panic!("{what} {name}: bad attribute {e}"));
                        let value = attribute
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("attribute value");
                        assert_no_controls(&format!("{what} {name} attribute"), &value, true);
                    }
                }
                Ok(_) => {}
            }
        }
    }
    assert!(parts > 0, "{what}: no XML part");
}

/// Every cell of every sheet of a workbook, as calamine reads it: no control.
fn check_workbook_cells(what: &str, path: &Path) {
    use calamine::{Reader, open_workbook_auto};
    let mut workbook = open_workbook_auto(path).expect("a workbook");
    for sheet in workbook.sheet_names().to_vec() {
        let range = workbook.worksheet_range(&sheet).expect("a sheet");
        for cell in range.used_cells() {
            assert_no_controls(&format!("{what} sheet {sheet}"), &cell.2.to_string(), true);
        }
    }
}

#[test]
fn no_control_character_reaches_the_terminal_or_a_file() {
    let evil = hostile();
    let sandbox = Sandbox::new();
    seed(&sandbox);
    let mut document: Value = serde_json::from_str(&sandbox.ok(&[
        "export",
        "-a",
        "Seed",
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ]))
    .unwrap();
    poison(&mut document, &evil);
    let crafted = sandbox.dir.path().join("crafted.json");
    std::fs::write(&crafted, serde_json::to_string(&document).unwrap()).unwrap();
    let crafted = crafted.to_str().unwrap().to_string();
    clean_ok(&sandbox, &["import", &crafted]);
    // The imported assessment is number 2; its name is the hostile text.
    let a = "2";

    // Every command that prints stored text.
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["summary", "-a", a],
        vec!["soa", "-a", a],
        vec!["soa", "-a", a, "--csv"],
        vec!["plan", "-a", a],
        vec!["verdict", "-a", a],
        vec!["action", "list", "-a", a],
        vec!["action", "list", "-a", a, "--csv"],
        vec!["context", "list", "-a", a],
        vec!["parties", "list", "-a", a],
        vec!["risks", "list", "-a", a],
        vec!["objectives", "list", "-a", a],
        vec!["audit", "list", "-a", a],
        vec!["audit", "programme", "-a", a],
        vec!["finding", "list", "-a", a],
        vec!["nc", "list", "-a", a],
        vec!["review", "list", "-a", a],
        vec!["session", "list", "-a", a],
        vec!["session", "list"],
        vec!["session", "report", "-a", a],
        vec!["session", "report", "-a", a, "--format", "html"],
        vec!["history", "-a", a],
        vec!["compare", "-a", a, "--since", "1"],
        vec!["compare", "-a", a, "--with", "1"],
        vec!["export", "-a", a, "--format", "md", "-o", "-"],
        vec!["export", "-a", a, "--format", "html", "-o", "-"],
        vec!["export", "-a", a, "--format", "csv", "-o", "-"],
        vec![
            "export", "-a", a, "--format", "md", "--detail", "full", "-o", "-",
        ],
        vec![
            "export", "-a", a, "--format", "html", "--detail", "full", "-o", "-",
        ],
    ];
    for args in &commands {
        let out = clean_ok(&sandbox, args);
        assert!(!out.is_empty(), "{args:?} printed nothing");
    }
    // Checks that fail on this assessment, quoting its name.
    clean(&sandbox, &["soa", "-a", a, "--check"]);
    clean(&sandbox, &["verdict", "-a", a, "--check"]);
    // What was stored is what was printed, less the controls: the name shows as "Evil...Co".
    let list = clean_ok(&sandbox, &["list"]);
    assert!(list.contains("Evil"), "{list}");

    // JSON keeps the exact data, every control escaped.
    for args in [
        vec!["list", "--json"],
        vec!["plan", "-a", a, "--json"],
        vec!["soa", "-a", a, "--json"],
        vec!["action", "list", "-a", a, "--json"],
        vec!["risks", "list", "-a", a, "--json"],
        vec!["finding", "list", "-a", a, "--json"],
        vec!["nc", "list", "-a", a, "--json"],
        vec!["history", "-a", a, "--json"],
        vec!["summary", "-a", a, "--json"],
        vec!["export", "-a", a, "--format", "json", "-o", "-"],
    ] {
        let out = clean_ok(&sandbox, &args);
        let value: Value = serde_json::from_str(&out).expect("JSON");
        assert!(
            value.to_string().contains("Evil\\u0000"),
            "{args:?} lost the data"
        );
    }
    let list = sandbox.json(&["list", "--json"]);
    assert_eq!(list[0]["name"], evil.as_str());

    // Every export format written to a file.
    let out = sandbox.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (format, file) in [
        ("md", "r.md"),
        ("html", "r.html"),
        ("csv", "r.csv"),
        ("json", "r.json"),
        ("xlsx", "r.xlsx"),
        ("docx", "r.docx"),
    ] {
        for detail in ["summary", "full"] {
            let path = out.join(format!("{detail}-{file}"));
            let path_text = path.to_str().unwrap();
            clean_ok(
                &sandbox,
                &[
                    "export", "-a", a, "--format", format, "--detail", detail, "-o", path_text,
                ],
            );
            match format {
                "xlsx" => {
                    check_xml_parts(file, &path);
                    check_workbook_cells(file, &path);
                }
                "docx" => check_xml_parts(file, &path),
                _ => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_no_controls(file, &text, true);
                    assert!(text.contains("Evil"), "{file} lost the text");
                }
            }
        }
    }
    for (format, file) in [("md", "s.md"), ("html", "s.html")] {
        let path = out.join(file);
        clean_ok(
            &sandbox,
            &[
                "session",
                "report",
                "-a",
                a,
                "--format",
                format,
                "-o",
                path.to_str().unwrap(),
            ],
        );
        assert_no_controls(file, &std::fs::read_to_string(&path).unwrap(), true);
    }
    let folder = out.join("ciso");
    clean_ok(
        &sandbox,
        &[
            "export",
            "-a",
            a,
            "--format",
            "ciso-assistant",
            "-o",
            folder.to_str().unwrap(),
        ],
    );
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".xlsx") {
            check_xml_parts(&name, &path);
            check_workbook_cells(&name, &path);
        } else {
            assert_no_controls(&name, &std::fs::read_to_string(&path).unwrap(), true);
        }
    }

    // Merge: a file whose history carries a hostile field name and timestamp is refused whole,
    // with one clean line; one whose note carries the controls makes a conflict, listed cleanly.
    let exported: Value = serde_json::from_str(&sandbox.ok(&[
        "export",
        "-a",
        a,
        "--format",
        "json",
        "--history",
        "-o",
        "-",
    ]))
    .unwrap();
    let mut crafted = exported.clone();
    if let Some(history) = crafted["history"].as_array_mut() {
        let mut entry = history[0].clone();
        entry["field"] = Value::from(evil.as_str());
        entry["changed_at"] = Value::from(evil.as_str());
        entry["change_id"] = Value::from("f00d:1");
        history.push(entry);
    }
    let crafted_file = sandbox.dir.path().join("crafted.json");
    std::fs::write(&crafted_file, serde_json::to_string(&crafted).unwrap()).unwrap();
    let refused = clean(
        &sandbox,
        &["merge", "-a", a, crafted_file.to_str().unwrap()],
    );
    assert_eq!(refused.trim_end().lines().count(), 1, "{refused}");
    assert!(refused.contains("crafted.json"), "{refused}");
    let mut other = exported;
    if let Some(history) = other["history"].as_array_mut() {
        let mut entry = history[0].clone();
        entry["field"] = Value::from("note");
        entry["item"] = Value::from(1);
        entry["new_value"] = Value::from(format!("{evil} theirs"));
        entry["changed_at"] = Value::from("2099-01-01T00:00:00Z");
        entry["change_id"] = Value::from("f00d:2");
        history.push(entry);
    }
    // Mine changes the same note: a conflict, listed with the file's text.
    sandbox.ok(&["answer", "-a", a, "--item", "1", "--note", "mine"]);
    let merge_file = sandbox.dir.path().join("other.json");
    std::fs::write(&merge_file, serde_json::to_string(&other).unwrap()).unwrap();
    let merge_file = merge_file.to_str().unwrap();
    let dry = clean(&sandbox, &["merge", "-a", a, "--dry-run", merge_file]);
    assert!(dry.contains("conflict item 1"), "{dry}");
    clean(&sandbox, &["merge", "-a", a, merge_file]);
    let conflicts = clean(&sandbox, &["merge", "conflicts", "-a", a]);
    let lines: Vec<&str> = conflicts.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("conflict ") && l.contains("Evil")),
        "{conflicts}"
    );
    assert!(
        lines.iter().all(|l| l.starts_with("conflict ")),
        "a conflict spread over several lines: {conflicts}"
    );
    clean(&sandbox, &["split", "-a", a, "--items", "1-3", "-o", "-"]);

    // Confirmations echo the name safely, on one line.
    for args in [
        vec!["edit", "-a", a, "--scope", "new scope"],
        vec!["answer", "-a", a, "--item", "2", "--level", "1"],
        vec!["plan", "set", "-a", a, "--step", "2", "--status", "done"],
        vec!["undo", "-a", a],
    ] {
        let out = clean_ok(&sandbox, &args);
        assert_eq!(out.lines().count(), 1, "{args:?}: {out:?}");
    }
    // An error quoting the hostile name is one clean line.
    let output = sandbox.run(&["session", "report", "-a", a, "--session", "nope"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_no_controls("error line", &stderr, false);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");

    // The confirmations of rename and delete, last.
    let out = clean_ok(&sandbox, &["rename", "-a", a, "--name", "Renamed"]);
    assert!(out.contains("Renamed"), "{out}");
    // An argument cannot hold NUL.
    let out = clean_ok(
        &sandbox,
        &[
            "rename",
            "-a",
            "Renamed",
            "--name",
            &evil.replace('\u{0}', ""),
        ],
    );
    assert_eq!(out.lines().count(), 1, "{out:?}");
    let out = clean_ok(&sandbox, &["delete", "-a", a, "--yes"]);
    assert_eq!(out.lines().count(), 1, "{out:?}");
}

// Point 7: a usage error quotes the refused value without its controls, and a line break in it
// cannot start a line of its own.
#[test]
fn usage_errors_quote_the_refused_value_safely() {
    // An argument cannot hold NUL.
    let evil = hostile().replace('\u{0}', "");
    let e = evil.as_str();
    let sandbox = Sandbox::new();
    for args in [
        vec!["answer", "-a", "x", "--item", e, "--level", "1"],
        vec!["export", "--format", e],
        vec![e],
        vec!["list", e],
    ] {
        let output = sandbox.run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_no_controls(&format!("usage error of {args:?}"), &stderr, false);
        assert!(stderr.contains("Evil"), "{stderr}");
        // No line of the message starts with the text after the line break.
        assert!(
            !stderr
                .lines()
                .any(|line| line.starts_with("Co") || line.starts_with('\u{b}')),
            "{stderr}"
        );
    }
}

// Point 1 on its own: one vertical tab (a Word paste), ESC and BEL in a note, and the DOCX and
// the workbooks are still well-formed XML.
#[test]
fn a_vertical_tab_in_a_note_leaves_every_xml_file_well_formed() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme\u{7}"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "1",
        "--item",
        "1",
        "--level",
        "2",
        "--note",
        "pasted\u{b}from Word\u{1b}[31m",
    ]);
    let dir = sandbox.dir.path();
    for (format, file) in [("docx", "r.docx"), ("xlsx", "r.xlsx")] {
        let path = dir.join(file);
        sandbox.ok(&[
            "export",
            "-a",
            "1",
            "--format",
            format,
            "--detail",
            "full",
            "-o",
            path.to_str().unwrap(),
        ]);
        check_xml_parts(file, &path);
    }
    let folder = dir.join("ciso");
    sandbox.ok(&[
        "export",
        "-a",
        "1",
        "--format",
        "ciso-assistant",
        "-o",
        folder.to_str().unwrap(),
    ]);
    check_xml_parts("audit.xlsx", &folder.join("audit.xlsx"));
    check_workbook_cells("audit.xlsx", &folder.join("audit.xlsx"));
}

// Point 8: free text may start with '-': a bullet, a negative figure.
#[test]
fn free_text_starting_with_a_hyphen_is_taken_as_text() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "-Acme", "--scope", "- all sites"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "-Acme",
        "--item",
        "1",
        "--note",
        "- first the servers",
        "--owner",
        "-5 %",
        "--level",
        "2",
    ]);
    let document = sandbox.json(&["export", "-a", "-Acme", "--format", "json", "-o", "-"]);
    assert_eq!(document["assessment"]["scope"], "- all sites");
    assert_eq!(document["answers"][0]["note"], "- first the servers");
    assert_eq!(document["answers"][0]["owner"], "-5 %");
    assert_eq!(document["answers"][0]["level"], 2);
    sandbox.ok(&[
        "plan", "set", "-a", "-Acme", "--step", "1", "--note", "-x", "--owner", "--o",
    ]);
    let plan = sandbox.json(&["plan", "-a", "-Acme", "--json"]);
    assert_eq!(plan["steps"][0]["note"], "-x");
    assert_eq!(plan["steps"][0]["owner"], "--o");
}

/// Options that take no free text: numbers, dates, codes, choices, paths. Every other option
/// that takes a value must take one starting with '-'.
const NOT_FREE_TEXT: &[&str] = &[
    "db",
    "item",
    "level",
    "include",
    "step",
    "status",
    "start",
    "due",
    "done_on",
    "date",
    "effort",
    "priority",
    "format",
    "detail",
    "output",
    "to",
    "standard",
    "items",
    "kind",
    "swot",
    "influence",
    "control",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "accepted_on",
    "reviewed_on",
    "treatment",
    "take",
    "id",
    "file",
    "side",
    "conflict",
    "horizon",
    "end_date",
    "audit",
    "source",
    "classification",
    "raised_on",
    "finding",
    "requirement",
    "actions",
    "verified_on",
    "effective",
];

#[test]
fn every_free_text_option_takes_a_value_starting_with_a_hyphen() {
    use clap::CommandFactory;
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>, taking: &mut usize) {
        for arg in command.get_arguments() {
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
                && !matches!(
                    arg.get_action(),
                    clap::ArgAction::SetTrue
                        | clap::ArgAction::SetFalse
                        | clap::ArgAction::Count
                        | clap::ArgAction::Help
                        | clap::ArgAction::Version
                );
            let id = arg.get_id().as_str();
            if takes_value && arg.is_allow_hyphen_values_set() {
                *taking += 1;
            }
            if takes_value
                && !arg.is_positional()
                && !arg.is_allow_hyphen_values_set()
                && !NOT_FREE_TEXT.contains(&id)
            {
                missing.push(format!("{path} --{id}"));
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing, taking);
        }
    }
    let mut command = isms_ready::cli::Cli::command();
    command.build();
    let mut missing = Vec::new();
    let mut taking = 0;
    walk(&command, "isms-ready", &mut missing, &mut taking);
    assert!(
        missing.is_empty(),
        "free-text options that refuse a leading '-': {missing:?}"
    );
    // The walk saw the options: --note alone is in a dozen commands.
    assert!(taking > 50, "only {taking} options take a leading '-'");
}
