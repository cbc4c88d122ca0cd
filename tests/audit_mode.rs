//! Audit mode (issue 30): an audit walked item by item on the screen, findings recorded with one
//! key each through a short form that loses nothing typed, the nonconformities they open, and the
//! dashboard's stage 2 line; in-process (snapshots, the view alone) and with the real binary in
//! a pseudo-terminal.

mod common;
mod screen_kit;

use common::Sandbox;
use common::pty::{ENTER, ESC, TAB, Terminal};
use isms_ready::model::audit::{Audit, Finding, FindingType};
use isms_ready::model::registers::RegisterKind;
use isms_ready::model::{Change, Level};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::command::Command;
use isms_ready::tui::popups::Popup;
use isms_ready::tui::screens::audit::AuditView;
use isms_ready::tui::{App, Screen};
use screen_kit::{ViewBench, app_on, at_test_time, draw, key_to, press, status};

const SHIFT_TAB: &str = "\x1b[Z";

/// "Acme" (2022) with item 1 (4.1 #1) answered at level 2 with a note, and audit AUD-1, an
/// internal audit of 4.1 and 4.2 (items 1 to 5) that has one conformity on item 1 already.
fn acme_with_an_audit(store: &mut Store) -> i64 {
    let acme = store
        .create_assessment(&NewAssessment {
            name: "Acme".into(),
            questionnaire_id: "iso27001-2022".into(),
            scope: "All".into(),
            assessor: "J. Doe".into(),
            firm: String::new(),
        })
        .unwrap();
    let id = acme.id;
    store
        .apply_changes(
            id,
            1,
            &[
                Change::Level(Some(Level::Implemented)),
                Change::Note("PESTEL reviewed in January; climate issue listed.".into()),
            ],
        )
        .unwrap();
    store
        .add_entry(
            id,
            &Audit {
                title: "Internal audit 2026".into(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 2, 23),
                auditors: "Kim Roe (independent)".into(),
                scope: vec!["4.1".into(), "4.2".into()],
                ..Audit::default()
            },
        )
        .unwrap();
    store
        .add_entry(
            id,
            &Finding {
                audit: "AUD-1".into(),
                items: vec!["4.1 #1".into()],
                kind: FindingType::Conformity,
                statement: "Issues list kept and reviewed".into(),
                evidence: "Context register, version 3".into(),
                ..Finding::default()
            },
        )
        .unwrap();
    id
}

fn store_with_an_audit() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    acme_with_an_audit(&mut store);
    store
}

/// The app on audit mode of AUD-1: the Registers screen (the last tab), its Audits register,
/// `a`.
fn in_audit_mode(store: Store) -> App {
    let mut app = app_on(store);
    press(&mut app, "<Enter><BackTab>");
    assert_eq!(app.screen, Screen::Registers);
    while app.views.registers.kind() != RegisterKind::Audits {
        press(&mut app, "]");
    }
    press(&mut app, "a");
    assert_eq!(app.screen, Screen::Audit, "{}", status(&app));
    app
}

#[test]
fn audit_mode_at_80x24_and_160x48() {
    at_test_time();
    let mut app = in_audit_mode(store_with_an_audit());
    insta::assert_snapshot!("audit_mode_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("audit_mode_160x48", draw(&app, 160, 48));
    press(&mut app, "jm");
    insta::assert_snapshot!("audit_mode_minor_form_80x24", draw(&app, 80, 24));
    press(&mut app, "Owner list has no owner<Tab>Register v3<Enter>");
    insta::assert_snapshot!("audit_mode_minor_recorded_160x48", draw(&app, 160, 48));
    // The nonconformity it opened, on the Registers screen.
    press(&mut app, "<Esc>]]");
    assert_eq!(
        app.views.registers.kind(),
        RegisterKind::Nonconformities,
        "{}",
        status(&app)
    );
    insta::assert_snapshot!("nonconformities_register_80x24", draw(&app, 80, 24));
}

#[test]
fn a_minor_finding_typed_in_audit_mode_is_saved_and_opens_its_nonconformity() {
    at_test_time();
    let mut app = in_audit_mode(store_with_an_audit());
    press(&mut app, "j");
    press(&mut app, "m");
    assert!(matches!(app.popup, Some(Popup::Entry(_))));
    press(&mut app, "Climate issue not rated<Tab>Register v3<C-s>");
    assert!(app.popup.is_none(), "{}", status(&app));
    let registers = app.service.registers(1).unwrap();
    let finding = registers.findings.last().unwrap();
    assert_eq!(finding.kind, FindingType::Minor);
    assert_eq!(finding.audit, "AUD-1");
    assert_eq!(finding.items, vec!["4.1 #2".to_string()]);
    assert_eq!(finding.statement, "Climate issue not rated");
    assert_eq!(finding.evidence, "Register v3");
    let nc = registers
        .nonconformities
        .iter()
        .find(|nc| nc.finding == finding.id)
        .expect("the minor finding opened a nonconformity");
    assert!(status(&app).contains(&nc.id), "{}", status(&app));
    // Audit mode stays, and the item shows its finding with the nonconformity it opened.
    assert_eq!(app.screen, Screen::Audit);
    let screen = draw(&app, 160, 48);
    assert!(
        screen.contains(&format!("{} Minor nonconformity", finding.id)),
        "{screen}"
    );
    assert!(screen.contains(&format!("-> {} open", nc.id)), "{screen}");
    // Esc goes back to the Registers screen.
    press(&mut app, "<Esc>");
    assert_eq!(app.screen, Screen::Registers);
}

#[test]
fn nothing_typed_in_a_finding_form_is_lost_on_esc_a_paste_or_ctrl_c() {
    at_test_time();
    let mut app = in_audit_mode(store_with_an_audit());
    press(&mut app, "X");
    // A paste goes whole into the focused field, its line breaks as spaces.
    app.handle_paste("No review of\nthe issues since 2024");
    press(&mut app, "<Esc>");
    assert!(
        matches!(app.popup, Some(Popup::Unsaved(_))),
        "Esc on a changed form must ask"
    );
    // Back to editing: the text is all there.
    press(&mut app, "<Esc>");
    match &app.popup {
        Some(Popup::Entry(form)) => {
            assert_eq!(
                form.fields[form.focus].text(),
                "No review of the issues since 2024"
            )
        }
        _ => panic!("the form did not come back"),
    }
    // Ctrl-C on a new finding never saves it unconfirmed: it asks.
    press(&mut app, "<C-c>");
    assert!(!app.should_quit);
    assert!(matches!(app.popup, Some(Popup::Unsaved(_))));
    press(&mut app, "s");
    assert!(app.should_quit, "{}", status(&app));
    let registers = app.service.registers(1).unwrap();
    assert_eq!(
        registers.findings.last().unwrap().statement,
        "No review of the issues since 2024"
    );
    assert_eq!(registers.nonconformities.len(), 1);
}

#[test]
fn the_audit_view_alone_walks_the_scope_and_asks_for_a_finding_form_of_the_key_s_type() {
    let mut store = Store::open_in_memory().unwrap();
    acme_with_an_audit(&mut store);
    let bench = ViewBench::on(store, "Acme");
    let mut view = AuditView::default();
    view.ask("AUD-1");
    let walk = view.walk(&bench.open).unwrap();
    let refs: Vec<&str> = walk
        .items
        .iter()
        .map(|i| i.item.reference.as_str())
        .collect();
    assert_eq!(refs, ["4.1 #1", "4.1 #2", "4.2 a)", "4.2 b)", "4.2 c)"]);
    assert_eq!(walk.items[0].marks(), "c");
    // `u`: the next item without a finding, from the first (which has one).
    assert!(key_to(&mut view, &bench.ctx(), "u").is_none());
    assert_eq!(view.selected, 1);
    assert!(key_to(&mut view, &bench.ctx(), "j").is_none());
    assert_eq!(view.selected, 2);
    for (key, kind) in [
        ("c", FindingType::Conformity),
        ("m", FindingType::Minor),
        ("X", FindingType::Major),
        ("o", FindingType::Observation),
        ("i", FindingType::Improvement),
    ] {
        let Some(Command::Popup(Popup::Entry(form))) = key_to(&mut view, &bench.ctx(), key) else {
            panic!("{key} did not open the finding form");
        };
        assert_eq!(form.kind, RegisterKind::Findings);
        assert!(form.id.is_none());
        let shown: Vec<&str> = form.shown.iter().map(|&i| form.fields[i].label).collect();
        assert_eq!(shown.len(), 2, "{key}: {shown:?}");
        // The audit, the item and the type are set by the key; the statement is still to write.
        let finding = form.fields.iter().map(|f| f.text()).collect::<Vec<_>>();
        assert!(finding.contains(&"AUD-1".to_string()), "{finding:?}");
        assert!(
            finding.contains(&kind.code().to_string()),
            "{key}: {finding:?}"
        );
        assert!(form.entry().is_err(), "an empty statement was accepted");
    }
    // Enter on an item with no finding says how to record one.
    match key_to(&mut view, &bench.ctx(), "<Enter>") {
        Some(Command::Info(text)) => assert!(text.contains("c conformity"), "{text}"),
        _ => panic!("Enter on an item without finding"),
    }
    view.selected = 0;
    match key_to(&mut view, &bench.ctx(), "<Enter>") {
        Some(Command::Popup(Popup::Entry(form))) => assert_eq!(form.id.as_deref(), Some("F-1")),
        _ => panic!("Enter on item 1 does not edit F-1"),
    }
}

fn stage2_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("Stage 2"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn in_a_terminal_a_walk_records_a_conformity_a_minor_and_a_major_finding_and_the_stage_2_line_names_the_nonconformity()
 {
    let sandbox = Sandbox::new();
    sandbox.with_store(acme_with_an_audit);
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 120, 40);
    app.wait_for("Item 1 · 4.1");
    // The dashboard before: no nonconformity on the stage 2 line.
    app.send(TAB);
    app.wait_for("Stage 2");
    let before = stage2_line(&app.screen());
    assert!(!before.contains("NC-"), "{before}");
    // Registers, the Audits register, audit mode.
    app.send(SHIFT_TAB);
    app.send(SHIFT_TAB);
    app.wait_for("Context issues (");
    for _ in 0..4 {
        app.send("]");
    }
    app.wait_for("[Audits (1)]");
    app.send("a");
    app.wait_for("Internal audit 2026");
    app.wait_for("item 1 of 5");
    // A conformity on item 2, a minor on item 3, a major on item 4.
    app.send("j");
    app.wait_for("item 2 of 5");
    app.send("c");
    app.wait_for("Conformity on 4.1 #2");
    app.type_keys("Climate issue rated");
    app.send(ENTER);
    app.wait_for("Saved F-2");
    app.send("j");
    app.wait_for("item 3 of 5");
    app.send("m");
    app.wait_for("Minor nonconformity on 4.2 a)");
    app.type_keys("Two parties lack an owner");
    app.send(TAB);
    app.type_keys("Parties register v2");
    app.send(ENTER);
    app.wait_for("NC-1");
    app.send("j");
    app.wait_for("item 4 of 5");
    app.send("X");
    app.wait_for("Major nonconformity on 4.2 b)");
    app.type_keys("Legal requirements never identified");
    app.send(ENTER);
    app.wait_for("NC-2");
    app.wait_for("-> NC-2 open");
    // The nonconformities on the Registers screen.
    app.send(ESC);
    app.wait_for("[Audits (1)]");
    app.send("]]");
    app.wait_for("Nonconformities (2)");
    app.wait_for("Two parties lack an owner");
    // The dashboard's stage 2 line now names the open major nonconformity (Registers is the
    // last tab: the questionnaire, then the dashboard).
    app.send(TAB);
    app.wait_for("Item 1 · 4.1");
    app.send(TAB);
    app.wait_for("Stage 2");
    app.wait_for("blocked by NC-");
    let after = stage2_line(&app.screen());
    assert_ne!(before, after);
    // Both block: the major one is open, the minor one has no corrective action yet.
    assert!(after.contains("blocked by NC-1, NC-2"), "{after}");
    app.send("q");
    assert!(app.wait_exit().success());
    let ncs = sandbox.json(&["nc", "list", "-a", "Acme", "--json"]);
    assert_eq!(ncs.as_array().map(Vec::len), Some(2), "{ncs}");
}

#[test]
fn the_stage_2_line_names_the_nonconformities_its_verdict_group_gives_as_reasons() {
    use isms_ready::model::verdict::{BlockerGroup, GroupItem, StageVerdict};
    use isms_ready::tui::screens::dashboard::blocking_nonconformities;
    let item = |reason: &str| GroupItem {
        number: 3,
        reference: "4.2 a)".into(),
        title: "Parties".into(),
        reason: reason.into(),
    };
    let mut verdict = StageVerdict {
        ready: false,
        blockers: Vec::new(),
        groups: vec![BlockerGroup {
            rule: "stage1.documents",
            headline: "1 mandatory document missing".into(),
            items: vec![item(
                "NC-9 is named here but this is not the nonconformity rule",
            )],
        }],
    };
    assert!(blocking_nonconformities(&verdict).is_empty());
    verdict.groups.push(BlockerGroup {
        rule: "stage2.nonconformities",
        headline: "2 items with a nonconformity that blocks".into(),
        items: vec![
            item("NC-2 (major) is open"),
            item("NC-1 (minor) has no corrective action; NC-2 (major) is open"),
        ],
    });
    assert_eq!(blocking_nonconformities(&verdict), ["NC-2", "NC-1"]);
}

#[test]
fn ctrl_z_takes_back_a_finding_recorded_in_audit_mode() {
    at_test_time();
    let mut app = in_audit_mode(store_with_an_audit());
    press(&mut app, "jjX");
    press(&mut app, "Legal register missing<Enter>");
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.findings.len(), 2);
    assert_eq!(registers.nonconformities.len(), 1);
    press(&mut app, "<C-z>");
    assert!(status(&app).starts_with("Undone"), "{}", status(&app));
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.findings.len(), 1, "the finding is still there");
    assert!(
        registers.nonconformities.is_empty(),
        "the finding is gone but the NC it opened stays: {:?}",
        registers.nonconformities
    );
    // Audit mode shows the item without it.
    assert_eq!(app.screen, Screen::Audit);
    assert!(!draw(&app, 160, 48).contains("Legal register missing"));
    // Ctrl-Y makes both again.
    press(&mut app, "<C-y>");
    assert!(status(&app).starts_with("Redone"), "{}", status(&app));
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.findings.len(), 2);
    assert_eq!(registers.nonconformities.len(), 1);
    assert_eq!(registers.nonconformities[0].finding, "F-2");
    assert!(draw(&app, 160, 48).contains("-> NC-1 open"));
}

#[test]
fn a_finding_edited_to_major_in_audit_mode_opens_its_nc_and_one_ctrl_z_takes_both_back() {
    at_test_time();
    let mut app = in_audit_mode(store_with_an_audit());
    // Enter on item 1 edits F-1 (a conformity) in the whole form; its type is the third field,
    // and Right from conformity (the last choice) comes round to major.
    press(&mut app, "<Enter>");
    match &app.popup {
        Some(Popup::Entry(form)) => assert_eq!(form.id.as_deref(), Some("F-1")),
        _ => panic!("Enter did not open F-1"),
    }
    press(&mut app, "<Tab><Tab><Right><Enter>");
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.findings[0].kind, FindingType::Major);
    assert_eq!(registers.nonconformities.len(), 1, "{}", status(&app));
    assert!(draw(&app, 160, 48).contains("F-1 Major nonconformity -> NC-1 open"));
    press(&mut app, "<C-z>");
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.findings[0].kind, FindingType::Conformity);
    assert!(registers.nonconformities.is_empty(), "{}", status(&app));
}

/// A finding recorded on a clause (`finding add --item 4.2`, as the CLI allows) stands on each of
/// that clause's items in the walk, and the audit's tally counts it once (found by hand in tmux:
/// an audit with two CLI findings read "found: nothing yet").
#[test]
fn a_finding_on_a_clause_shows_on_its_items_and_counts_once() {
    let mut store = Store::open_in_memory().unwrap();
    let id = acme_with_an_audit(&mut store);
    store
        .add_entry(
            id,
            &Finding {
                audit: "AUD-1".into(),
                items: vec!["4.2".into()],
                kind: FindingType::Minor,
                statement: "Needs of the regulator not listed".into(),
                ..Finding::default()
            },
        )
        .unwrap();
    let bench = ViewBench::on(store, "Acme");
    let mut view = AuditView::default();
    view.ask("AUD-1");
    let walk = view.walk(&bench.open).unwrap();
    let marks: Vec<String> = walk.items.iter().map(|i| i.marks()).collect();
    assert_eq!(
        marks,
        ["c", "", "m", "m", "m"],
        "4.1 #1, 4.1 #2, 4.2 a), b), c)"
    );
    assert_eq!(walk.tally(), "1 minor, 1 conformity");
}
