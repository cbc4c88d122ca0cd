//! Two laptops, one assessment (issue 18): copies diverge from one export and are merged back.

mod common;

use common::{Sandbox, level, status, text};
use isms_ready::model::Change;
use isms_ready::model::plan::StepStatus;
use serde_json::Value;
use std::path::{Path, PathBuf};

const A: &str = "Acme";

/// A first laptop with an assessment (items 1-3 answered), and a second laptop holding a copy
/// of it imported from an export with history.
fn two_copies() -> (Sandbox, Sandbox) {
    let first = Sandbox::new();
    first.create(A, "iso27001-2022", "HQ", "J. Doe");
    first.answer_all(A, 1..=3, |n| {
        vec![level(1), Change::Note(format!("base {n}"))]
    });
    let base = export(&first, "base.json");
    let second = Sandbox::new();
    second.ok(&["import", base.to_str().unwrap()]);
    (first, second)
}

/// `export --format json --history` into the laptop's folder.
fn export(laptop: &Sandbox, name: &str) -> PathBuf {
    let path = laptop.dir.path().join(name);
    laptop.ok(&[
        "export",
        "-a",
        A,
        "--format",
        "json",
        "--history",
        "--force",
        "-o",
        path.to_str().unwrap(),
    ]);
    path
}

fn merge(laptop: &Sandbox, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["merge", "-a", A, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    laptop.run(&args)
}

/// The answers of A as `summary`-independent JSON: item -> (level, note).
fn answers(laptop: &Sandbox) -> Vec<(u32, Option<u8>, String)> {
    laptop.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        let answers = store.answers(a.id, 200).unwrap();
        (1..=200)
            .map(|n| {
                let answer = answers.get(n);
                (n, answer.level.map(|l| l.value()), answer.note.clone())
            })
            .filter(|(_, l, note)| l.is_some() || !note.is_empty())
            .collect()
    })
}

fn conflicts(laptop: &Sandbox) -> Vec<Value> {
    laptop
        .json(&["merge", "conflicts", "-a", A, "--json"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn disjoint_changes_both_land_and_same_field_changes_become_conflicts() {
    let (first, second) = two_copies();
    first.answer(A, 1, &[Change::Note("first laptop".into())]);
    first.answer(A, 4, &[level(2)]);
    second.answer(A, 1, &[Change::Note("second laptop".into())]);
    second.answer(A, 5, &[level(3)]);
    second.plan_set(A, 2, &[status(StepStatus::InProgress, "")]);
    let theirs = export(&second, "second.json");

    let output = merge(&first, &theirs, &[]);
    assert_eq!(output.status.code(), Some(1), "a conflict waits: exit 1");
    let stdout = text(&output.stdout);
    assert!(stdout.contains("3 changes came in"), "{stdout}");
    assert!(
        stdout.contains(
            "conflict item 1 (4.1 #1) note: mine \"first laptop\" | theirs \"second laptop\""
        ),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains("1 conflict waits"));
    let now = answers(&first);
    assert!(
        now.contains(&(1, Some(1), "first laptop".into())),
        "mine kept"
    );
    assert!(now.contains(&(4, Some(2), String::new())));
    assert!(now.contains(&(5, Some(3), String::new())), "theirs landed");
    let plan = first.json(&["plan", "-a", A, "--json"]);
    assert!(
        plan.to_string().contains("in_progress"),
        "the plan step landed"
    );
    let waiting = conflicts(&first);
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["mine"], "first laptop");
    assert_eq!(waiting[0]["theirs"], "second laptop");
    assert!(waiting[0]["theirs_at"].is_string() && waiting[0]["mine_at"].is_string());
}

#[test]
fn merging_the_same_file_twice_changes_nothing_the_second_time() {
    let (first, second) = two_copies();
    first.answer(A, 2, &[level(4)]);
    second.answer(A, 2, &[level(0)]);
    second.answer(A, 6, &[level(2)]);
    let theirs = export(&second, "second.json");
    merge(&first, &theirs, &[]);
    let before = first.state();
    let output = merge(&first, &theirs, &[]);
    assert!(text(&output.stdout).contains("0 changes came in"));
    assert_eq!(first.state(), before, "the second merge wrote nothing");
    assert_eq!(
        conflicts(&first).len(),
        1,
        "the conflict is not listed twice"
    );
}

#[test]
fn merging_both_ways_converges_once_conflicts_are_resolved() {
    let (first, second) = two_copies();
    first.answer(A, 1, &[level(3), Change::Note("ours".into())]);
    first.answer(A, 7, &[level(1)]);
    second.answer(A, 1, &[level(2), Change::Note("theirs".into())]);
    second.answer(A, 8, &[level(4)]);
    let theirs = export(&second, "second.json");
    let output = merge(&first, &theirs, &["--take", "theirs"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let ours = export(&first, "first.json");
    let output = merge(&second, &ours, &[]);
    assert!(
        output.status.success(),
        "no conflict left on the way back: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(answers(&first), answers(&second));
    assert!(answers(&first).contains(&(1, Some(2), "theirs".into())));
    assert!(answers(&first).contains(&(7, Some(1), String::new())));
    // And again both ways: nothing comes in, nothing moves.
    let again = merge(&first, &export(&second, "second2.json"), &[]);
    assert!(
        text(&again.stdout).contains("0 fields did change"),
        "{}",
        text(&again.stdout)
    );
    let again = merge(&second, &export(&first, "first2.json"), &[]);
    assert!(
        text(&again.stdout).contains("0 fields did change"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(answers(&first), answers(&second));
}

#[test]
fn a_text_conflict_resolved_both_keeps_both_texts() {
    let (first, second) = two_copies();
    first.answer(A, 3, &[Change::Note("the CISO owns it".into())]);
    second.answer(A, 3, &[Change::Note("HR owns it".into())]);
    second.answer(A, 3, &[level(2)]);
    first.answer(A, 3, &[level(3)]);
    merge(&first, &export(&second, "second.json"), &[]);
    let waiting = conflicts(&first);
    assert_eq!(waiting.len(), 2);
    let note = waiting
        .iter()
        .find(|c| c["key"]["field"] == "note")
        .unwrap();
    let level_conflict = waiting
        .iter()
        .find(|c| c["key"]["field"] == "level")
        .unwrap();
    let id = note["id"].to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "both",
    ]);
    let refused = first.run(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &level_conflict["id"].to_string(),
        "--take",
        "both",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("not a text"));
    assert!(
        answers(&first).contains(&(3, Some(3), "the CISO owns it\n\nHR owns it".into())),
        "{:?}",
        answers(&first)
    );
    assert_eq!(conflicts(&first).len(), 1);
}

#[test]
fn a_file_of_another_assessment_is_refused_unless_as_new() {
    let (first, _) = two_copies();
    let other = Sandbox::new();
    other.create(A, "iso27001-2022", "", "");
    other.answer(A, 1, &[level(4)]);
    let file = export(&other, "other.json");
    let before = first.state();
    let output = merge(&first, &file, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("is not a copy of \"Acme\"") && stderr.contains("--as-new"),
        "{stderr}"
    );
    assert_eq!(first.state(), before, "nothing merged");
    let output = merge(&first, &file, &["--as-new"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("\"Acme (2)\""));
    assert_eq!(answers(&first).len(), 3, "A itself is untouched");
}

#[test]
fn a_dry_run_changes_nothing_and_json_is_for_scripts() {
    let (first, second) = two_copies();
    second.answer(A, 9, &[level(2)]);
    let theirs = export(&second, "second.json");
    let before = first.state();
    let output = merge(&first, &theirs, &["--dry-run", "--json"]);
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["incoming"], 1);
    assert_eq!(json["applied"][0]["key"]["target"]["number"], 9);
    assert_eq!(json["applied"][0]["to"], "2");
    assert_eq!(first.state(), before);
}

#[test]
fn another_database_file_merges_like_its_export() {
    let (first, second) = two_copies();
    second.answer(A, 10, &[level(3)]);
    let output = merge(&first, &second.db(), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(answers(&first).contains(&(10, Some(3), String::new())));
}

#[test]
fn ids_are_kept_through_export_and_import() {
    let (first, second) = two_copies();
    let a = export(&first, "a.json");
    let b = export(&second, "b.json");
    let doc_a: Value = serde_json::from_slice(&std::fs::read(&a).unwrap()).unwrap();
    let doc_b: Value = serde_json::from_slice(&std::fs::read(&b).unwrap()).unwrap();
    assert!(doc_a["assessment"]["uuid"].as_str().unwrap().len() == 36);
    assert_eq!(doc_a["assessment"]["uuid"], doc_b["assessment"]["uuid"]);
    assert_eq!(doc_a["history"], doc_b["history"], "change ids kept");
    assert!(doc_a["history"][0]["change_id"].is_string());
    // Export, import, export: the same bytes.
    let third = Sandbox::new();
    third.ok(&["import", b.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(export(&third, "c.json")).unwrap(),
        std::fs::read(&b).unwrap()
    );
}

#[test]
fn a_split_part_carries_its_items_and_merges_back() {
    let (first, _) = two_copies();
    first.answer(A, 20, &[level(2)]);
    let part = first.dir.path().join("group1.json");
    first.ok(&[
        "split",
        "-a",
        A,
        "--items",
        "2-20",
        "-o",
        part.to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_slice(&std::fs::read(&part).unwrap()).unwrap();
    let items: Vec<u64> = doc["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["item"].as_u64().unwrap())
        .collect();
    assert_eq!(items, vec![2, 3, 20]);
    assert!(
        doc["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| (2..=20).contains(&h["item"].as_u64().unwrap()))
    );
    let group = Sandbox::new();
    group.ok(&["import", part.to_str().unwrap()]);
    group.answer(A, 5, &[level(4)]);
    first.answer(A, 1, &[level(0)]);
    let back = export(&group, "back.json");
    let output = merge(&first, &back, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let now = answers(&first);
    assert!(now.contains(&(5, Some(4), String::new())));
    assert!(now.contains(&(1, Some(0), "base 1".into())), "item 1 kept");
}

#[test]
fn reports_list_open_conflicts_until_resolved() {
    let (first, second) = two_copies();
    first.answer(A, 2, &[Change::Note("kept by us".into())]);
    second.answer(A, 2, &[Change::Note("kept by them".into())]);
    merge(&first, &export(&second, "second.json"), &[]);
    let report = |format: &str| first.ok(&["export", "-a", A, "--format", format, "-o", "-"]);
    let markdown = report("md");
    assert!(markdown.contains("## Merge conflicts"), "{markdown}");
    assert!(
        markdown.contains("| 4.1 #2 (item 2) | note | kept by us | kept by them | "),
        "{markdown}"
    );
    let html = report("html");
    assert!(html.contains("<h2>Merge conflicts</h2>"));
    assert!(html.contains("<td>kept by them</td>"));
    let id = conflicts(&first)[0]["id"].to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "theirs",
    ]);
    assert!(!report("md").contains("Merge conflicts"));
    assert!(!report("html").contains("Merge conflicts"));
}

// Actions and registers (issue 18, second part): matched by unique id, numbered apart.

use isms_ready::model::action::{Action, ActionChange, NewAction};
use isms_ready::model::registers::Risk;

fn risk(title: &str) -> Risk {
    Risk {
        title: title.into(),
        likelihood: 3,
        impact: 3,
        ..Risk::default()
    }
}

fn add_action(laptop: &Sandbox, title: &str) -> Action {
    laptop.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        store
            .add_action(a.id, NewAction::titled(vec![1], title))
            .unwrap()
    })
}

fn set_owner(laptop: &Sandbox, number: u32, owner: &str) {
    laptop.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        store
            .apply_action_changes(a.id, number, &[ActionChange::Owner(owner.into())])
            .unwrap();
    });
}

fn add_risk(laptop: &Sandbox, title: &str) -> Risk {
    laptop.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        store.add_entry(a.id, &risk(title)).unwrap()
    })
}

/// (number, title, owner) of every action, and (id, title, owner) of every risk.
type Entries = (Vec<(u32, String, String)>, Vec<(String, String, String)>);

fn entries(laptop: &Sandbox) -> Entries {
    laptop.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        let actions = store
            .actions(a.id)
            .unwrap()
            .into_iter()
            .map(|x| (x.number, x.title, x.owner))
            .collect();
        let risks = store
            .registers(a.id)
            .unwrap()
            .risks
            .into_iter()
            .map(|r| (r.id, r.title, r.owner))
            .collect();
        (actions, risks)
    })
}

/// The same content, numbers aside: sorted titles and owners.
/// (title, owner) of every action and of every risk.
type Content = (Vec<(String, String)>, Vec<(String, String)>);

fn content(laptop: &Sandbox) -> Content {
    let (actions, risks) = entries(laptop);
    let mut a: Vec<_> = actions.into_iter().map(|(_, t, o)| (t, o)).collect();
    let mut r: Vec<_> = risks.into_iter().map(|(_, t, o)| (t, o)).collect();
    a.sort();
    r.sort();
    (a, r)
}

/// Two copies that share action #1 and risk R-1 from the base export.
fn two_copies_with_entries() -> (Sandbox, Sandbox) {
    let first = Sandbox::new();
    first.create(A, "iso27001-2022", "HQ", "J. Doe");
    add_action(&first, "Write the policy");
    add_risk(&first, "Laptop theft");
    let base = export(&first, "base.json");
    let second = Sandbox::new();
    second.ok(&["import", base.to_str().unwrap()]);
    (first, second)
}

#[test]
fn an_action_and_a_risk_added_on_each_side_both_land_numbered_apart() {
    let (first, second) = two_copies_with_entries();
    add_action(&first, "Train the staff");
    add_risk(&first, "Phishing");
    add_action(&second, "Back up the server");
    add_risk(&second, "Flood");
    assert_eq!(
        entries(&first).0[1].0,
        2,
        "both copies number their new action #2"
    );
    assert_eq!(entries(&second).0[1].0, 2);

    let output = merge(&first, &export(&second, "second.json"), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let (actions, risks) = entries(&first);
    let titles: Vec<_> = actions.iter().map(|(n, t, _)| (*n, t.as_str())).collect();
    assert_eq!(
        titles,
        [
            (1, "Write the policy"),
            (2, "Train the staff"),
            (3, "Back up the server")
        ],
        "theirs lands under the next free number"
    );
    let ids: Vec<_> = risks
        .iter()
        .map(|(id, t, _)| (id.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("R-1", "Laptop theft"),
            ("R-2", "Phishing"),
            ("R-3", "Flood")
        ]
    );
    assert!(
        merge(&first, &export(&second, "second.json"), &[])
            .status
            .success()
    );
    assert_eq!(entries(&first).0.len(), 3, "merging twice adds nothing");

    // Back the other way: the same content on both sides.
    let output = merge(&second, &export(&first, "first.json"), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(content(&first), content(&second));
    let before = entries(&second);
    merge(&second, &export(&first, "first.json"), &[]);
    assert_eq!(entries(&second), before, "a second merge changes nothing");
}

#[test]
fn the_same_action_owner_changed_on_both_sides_is_a_conflict() {
    let (first, second) = two_copies_with_entries();
    set_owner(&first, 1, "Alice");
    set_owner(&second, 1, "Bob");
    let output = merge(&first, &export(&second, "second.json"), &[]);
    assert_eq!(output.status.code(), Some(1), "a conflict waits");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("conflict action #1 action.owner: mine \"Alice\" | theirs \"Bob\""),
        "{stdout}"
    );
    assert_eq!(entries(&first).0[0].2, "Alice", "nothing is overwritten");
    let waiting = conflicts(&first);
    assert_eq!(waiting.len(), 1);
    let id = waiting[0]["id"].as_i64().unwrap().to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "theirs",
    ]);
    assert_eq!(entries(&first).0[0].2, "Bob");
    let output = merge(&second, &export(&first, "first.json"), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(content(&first), content(&second), "both ways converge");
}

#[test]
fn a_risk_changed_on_one_side_and_removed_on_the_other_is_a_conflict() {
    let (first, second) = two_copies_with_entries();
    first.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        let mut r = store.registers(a.id).unwrap().risks[0].clone();
        r.owner = "IT".into();
        store.set_entry(a.id, 1, &r).unwrap();
    });
    second.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        store.remove_entry::<Risk>(a.id, 1).unwrap();
    });
    let output = merge(&first, &export(&second, "second.json"), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "conflict R-1 entry: mine R-1 \"Laptop theft\" (owner IT) | theirs (removed)"
        ),
        "{stdout}"
    );
    assert_eq!(entries(&first).1.len(), 1, "the risk stays until resolved");
    let id = conflicts(&first)[0]["id"].as_i64().unwrap().to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "mine",
    ]);
    assert_eq!(
        merge(&first, &export(&second, "second.json"), &[])
            .status
            .code(),
        Some(0)
    );
    let output = merge(&second, &export(&first, "first.json"), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        content(&first),
        content(&second),
        "the kept risk comes back"
    );
    assert_eq!(entries(&second).1[0].2, "IT");

    // The other way round: removed here, changed there.
    let (first, second) = two_copies_with_entries();
    first.with_store(|store| {
        let a = store.find_assessment(A).unwrap().unwrap();
        store.remove_action(a.id, 1).unwrap();
    });
    set_owner(&second, 1, "Bob");
    let output = merge(&first, &export(&second, "second.json"), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let id = conflicts(&first)[0]["id"].as_i64().unwrap().to_string();
    first.ok(&[
        "merge",
        "resolve",
        "-a",
        A,
        "--conflict",
        &id,
        "--take",
        "theirs",
    ]);
    assert_eq!(
        entries(&first).0,
        [(1, "Write the policy".into(), "Bob".into())]
    );
}
