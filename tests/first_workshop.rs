//! The newcomer's walkthrough, the README's "Your first workshop in ten steps", is itself a test:
//! its steps are read from the section ("Keys:" and "Shows:" lines), pressed in a pseudo-terminal
//! of the real binary at 80x24, and the report it promises must come out.

mod common;

use common::Sandbox;
use common::pty::Terminal;

/// One step of the walkthrough: what to send, and what the screen then shows.
struct Step {
    title: String,
    keys: Vec<String>,
    shows: Option<String>,
}

/// The bytes a key named on the page sends.
fn bytes_of(key: &str) -> String {
    match key {
        "Enter" => "\r".into(),
        "Esc" => "\x1b".into(),
        "Tab" => "\t".into(),
        "Space" => " ".into(),
        ctrl if ctrl.starts_with("Ctrl-") && ctrl.len() == 6 => {
            let letter = ctrl.as_bytes()[5].to_ascii_lowercase();
            ((letter - b'a' + 1) as char).to_string()
        }
        single if single.chars().count() == 1 => single.into(),
        other => panic!("the page names a key the test cannot press: {other}"),
    }
}

/// The text between the backticks of `segment` (`type `x`` or `` `x` ``).
fn quoted(segment: &str) -> &str {
    let start = segment.find('`').expect("a key in backticks") + 1;
    let end = segment.rfind('`').expect("a closing backtick");
    &segment[start..end]
}

fn steps(page: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in page.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            steps.push(Step {
                title: title.to_string(),
                keys: Vec::new(),
                shows: None,
            });
        } else if let Some(keys) = line.strip_prefix("Keys: ") {
            let step = steps.last_mut().expect("Keys: under a step");
            // Backticked pieces, each a key, or text to type when "type" comes before it.
            let mut rest = keys;
            while let Some(open) = rest.find('`') {
                let before = &rest[..open];
                let after = &rest[open + 1..];
                let close = after.find('`').expect("a closing backtick");
                let text = &after[..close];
                if before.trim_end().ends_with("type") {
                    step.keys.push(text.to_string());
                } else {
                    step.keys.push(bytes_of(text));
                }
                rest = &after[close + 1..];
            }
        } else if let Some(shows) = line.strip_prefix("Shows: ") {
            steps.last_mut().expect("Shows: under a step").shows = Some(quoted(shows).to_string());
        }
    }
    steps.retain(|step| !step.keys.is_empty());
    steps
}

#[test]
fn the_first_workshop_page_runs_as_written_and_the_report_comes_out() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    // The section, from its heading to the next heading of its level.
    let start = readme
        .find("\n## Your first workshop in ten steps\n")
        .expect("the README's first-workshop section");
    let section = &readme[start + 1..];
    let end = section[3..]
        .find("\n## ")
        .map_or(section.len(), |at| at + 3);
    let page = &section[..end];
    let steps = steps(page);
    assert_eq!(steps.len(), 10, "the page has ten steps with keys");
    let sandbox = Sandbox::new();
    let exports = sandbox.dir.path().join("exports");
    let exports_text = exports.to_string_lossy().to_string();
    let mut app = Terminal::spawn_with_env(
        &sandbox.db(),
        sandbox.dir.path(),
        &[],
        80,
        24,
        &[("ISMS_READY_EXPORT_DIR", exports_text.as_str())],
    );
    app.wait_for("isms-ready");
    for step in &steps {
        for keys in &step.keys {
            app.type_keys(keys);
        }
        if let Some(shows) = &step.shows {
            app.wait_for(shows);
        }
        let _ = &step.title;
    }
    assert!(app.wait_exit().success(), "q did not end the app");
    // The report is in the export folder, and it is the workshop's.
    let written: Vec<_> = std::fs::read_dir(&exports)
        .expect("the export folder was made")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let report = std::fs::read_to_string(&written[0]).unwrap();
    assert!(
        report.contains("Acme Ltd"),
        "the report names another organisation"
    );
    // What the walkthrough did is saved: levels, the note, the action and the ended session.
    let document = sandbox.json(&["export", "-a", "Acme Ltd", "--format", "json", "-o", "-"]);
    let answers = document["answers"].as_array().unwrap();
    let level = |item: u64| {
        answers
            .iter()
            .find(|a| a["item"] == item)
            .map(|a| a["level"].clone())
    };
    assert_eq!(level(1), Some(serde_json::json!(3)));
    assert_eq!(level(2), Some(serde_json::json!(1)));
    assert_eq!(level(5), Some(serde_json::json!(2)));
    let text = document.to_string();
    assert!(text.contains("Scope agreed with the CEO"));
    assert!(text.contains("Write the scope statement"));
    assert!(text.contains("Next time: the risk register"));
}
