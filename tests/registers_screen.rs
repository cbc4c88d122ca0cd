//! The Registers screen (issue 17): snapshots of each register with its matrix at 80x24 and
//! 160x48, the entry form and the remove confirmation, keys driven in-process; and the main flow
//! with the real binary in a pseudo-terminal, from item 4.1 of the questionnaire.

mod common;
mod screen_kit;

use common::Sandbox;
use common::pty::{ENTER, TAB, Terminal};
use isms_ready::model::registers::{
    ContextIssue, InterestedParty, Objective, ObjectiveStatus, Risk, Side, Swot, Treatment,
};
use isms_ready::store::{NewAssessment, Store};
use isms_ready::tui::{App, Screen};
use screen_kit::{app_on, draw, press, status};

const RIGHT: &str = "\x1b[C";
const LEFT: &str = "\x1b[D";

/// A 2022 assessment "Acme" with a few entries in each register.
fn acme_with_registers() -> Store {
    let mut store = Store::open_in_memory().unwrap();
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
    for (title, kind, category, swot, influence, control) in [
        (
            "Staff turnover in IT",
            Side::Internal,
            "skills",
            Some(Swot::Weakness),
            2,
            2,
        ),
        (
            "New data protection law",
            Side::External,
            "legal",
            Some(Swot::Threat),
            3,
            1,
        ),
        (
            "Heat waves near the data centre",
            Side::External,
            "environmental",
            None,
            3,
            2,
        ),
        (
            "Strong security culture",
            Side::Internal,
            "culture",
            Some(Swot::Strength),
            1,
            3,
        ),
    ] {
        store
            .add_entry(
                id,
                &ContextIssue {
                    title: title.into(),
                    kind,
                    category: category.into(),
                    swot,
                    influence,
                    control,
                    owner: "COO".into(),
                    ..ContextIssue::default()
                },
            )
            .unwrap();
    }
    for (name, kind, needs, influence, control) in [
        (
            "Customers",
            Side::External,
            "Availability and privacy of their data",
            3,
            2,
        ),
        (
            "Regulator",
            Side::External,
            "Breach notified within 72 hours",
            3,
            1,
        ),
        ("Staff", Side::Internal, "Clear rules, usable tools", 2, 3),
    ] {
        store
            .add_entry(
                id,
                &InterestedParty {
                    name: name.into(),
                    kind,
                    needs: needs.into(),
                    influence,
                    control,
                    contact: "CISO".into(),
                    ..InterestedParty::default()
                },
            )
            .unwrap();
    }
    for (title, likelihood, impact, treatment, controls) in [
        (
            "Unpatched servers",
            4,
            5,
            Some(Treatment::Mitigate),
            "A.8.8",
        ),
        (
            "Laptop theft",
            3,
            2,
            Some(Treatment::Transfer),
            "A.8.1, A.7.9",
        ),
        ("Ransomware", 3, 5, None, ""),
        ("Supplier outage", 2, 3, Some(Treatment::Accept), ""),
    ] {
        store
            .add_entry(
                id,
                &Risk {
                    title: title.into(),
                    owner: "IT lead".into(),
                    likelihood,
                    impact,
                    treatment,
                    controls: Risk::parse_controls(controls),
                    ..Risk::default()
                },
            )
            .unwrap();
    }
    for (objective, due, status) in [
        (
            "Patch critical flaws within 14 days",
            "2027-06-30",
            ObjectiveStatus::InProgress,
        ),
        (
            "Train every employee once a year",
            "2027-12-31",
            ObjectiveStatus::Planned,
        ),
    ] {
        store
            .add_entry(
                id,
                &Objective {
                    objective: objective.into(),
                    measure: "share on time".into(),
                    target: "95 %".into(),
                    owner: "CISO".into(),
                    due: Some(due.parse().unwrap()),
                    status,
                    ..Objective::default()
                },
            )
            .unwrap();
    }
    store
}

fn on_registers(store: Store) -> App {
    let mut app = app_on(store);
    press(&mut app, "<Enter>");
    // Item 1 is 4.1: `R` opens the context register.
    press(&mut app, "R");
    assert_eq!(app.screen, Screen::Registers);
    app
}

#[test]
fn each_register_with_its_matrix_at_80x24_and_160x48() {
    let mut app = on_registers(acme_with_registers());
    for name in ["context", "parties", "risks", "objectives"] {
        insta::assert_snapshot!(format!("{name}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), draw(&app, 160, 48));
        press(&mut app, "]");
    }
}

#[test]
fn the_matrices_place_each_entry_in_its_cell_and_mark_the_priority_cells() {
    let mut app = on_registers(acme_with_registers());
    let screen = draw(&app, 160, 48);
    // C-2 (influence 3, control 1) is first in the list and selected: in brackets in the top-left
    // cell, which is a high-priority cell (`!`).
    let rows: Vec<&str> = screen.lines().collect();
    let first = rows.iter().position(|l| l.contains("priority")).unwrap() + 1;
    assert!(rows[first].contains("C-2"), "{}", rows[first]);
    assert!(screen.contains("[!C-2"), "{screen}");
    assert!(screen.contains("!C-3"), "{screen}");
    // The risk heat map: R-1 (likelihood 4, impact 5) in row 4, column 5.
    press(&mut app, "]]");
    let screen = draw(&app, 160, 48);
    let row = screen
        .lines()
        .find(|l| l.contains("│ 4  "))
        .expect("the heat map's likelihood 4 row");
    assert!(
        row.trim_end().ends_with("[R-1       ]│\"") || row.contains("[R-1"),
        "{row}"
    );
    let row = screen.lines().find(|l| l.contains("│ 3  ")).unwrap();
    assert!(row.contains("R-2") && row.contains("R-3"), "{row}");
}

#[test]
fn the_entry_form_and_the_remove_confirmation_at_80x24() {
    let mut app = on_registers(acme_with_registers());
    press(&mut app, "]]n");
    insta::assert_snapshot!("risk_form_new_80x24", draw(&app, 80, 24));
    press(&mut app, "<Esc>");
    press(&mut app, "<Del>");
    insta::assert_snapshot!("risk_remove_confirmation_80x24", draw(&app, 80, 24));
    press(&mut app, "n");
    assert!(status(&app).contains("Kept R-1"), "{}", status(&app));
    press(&mut app, "<Del>y");
    assert!(status(&app).contains("Removed R-1"), "{}", status(&app));
    let registers = app.service.registers(1).unwrap();
    assert_eq!(registers.risks.len(), 3);
    assert!(registers.risks.iter().all(|r| r.id != "R-1"));
}

#[test]
fn an_issue_added_in_the_form_is_saved_and_selected_first_in_priority_order() {
    let mut app = on_registers(acme_with_registers());
    // Title, Kind external, (Category, SWOT), Influence 3, Control 1.
    press(
        &mut app,
        "nEnergy prices<Tab><Right><Tab><Tab><Tab><Right><Tab><Left><Enter>",
    );
    assert!(app.popup.is_none());
    assert!(status(&app).contains("Saved C-5"), "{}", status(&app));
    let context = &app.service.registers(1).unwrap().context;
    // Same score as C-2: the older one first, then the new one.
    assert_eq!(context[1].id, "C-5");
    assert_eq!(context[1].kind, Side::External);
    assert_eq!((context[1].influence, context[1].control), (3, 1));
    // The form can be opened on it again and says what is wrong when the title is emptied.
    press(&mut app, "<Enter>");
    for _ in 0.."Energy prices".len() {
        press(&mut app, "<BS>");
    }
    press(&mut app, "<Enter>");
    assert!(app.popup.is_some());
    assert!(
        status(&app).contains("the title must not be empty"),
        "{}",
        status(&app)
    );
    press(&mut app, "<Esc>d");
    assert!(app.popup.is_none());
}

#[test]
fn filter_and_search_narrow_the_list() {
    let mut app = on_registers(acme_with_registers());
    press(&mut app, "f");
    assert!(status(&app).contains("showing high priority"));
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("2 of 4"), "{screen}");
    press(&mut app, "ff/culture<Enter>");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("1 of 4"), "{screen}");
    assert!(screen.contains("Strong security culture"));
    press(&mut app, "/<Enter>");
    assert!(status(&app).contains("search cleared"));
    // Risks: high and critical only.
    press(&mut app, "]]f");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("2 of 4"), "{screen}");
}

#[test]
fn the_item_panel_counts_the_register_and_the_soa_shows_linked_risks() {
    let mut app = app_on(acme_with_registers());
    press(&mut app, "<Enter>");
    assert!(draw(&app, 120, 40).contains("Context issues (4) · R opens the register"));
    // A.8.8 (item 209) is linked to R-1: the SoA shows the risk and the derived reason.
    press(&mut app, "<Tab><Tab>");
    assert_eq!(app.screen, Screen::Soa);
    let session = app.session.as_ref().unwrap();
    assert_eq!(session.risk_links.risks_of("A.8.8"), ["R-1"]);
    press(&mut app, "/A.8.8<Enter>");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("Risks: R-1 (register)"), "{screen}");
    assert!(screen.contains("Reasons: risk treatment"), "{screen}");
}

#[test]
fn in_a_terminal_from_item_4_1_a_new_issue_of_influence_3_and_control_1_comes_first() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2022"]);
    for (title, influence, control) in [("Office culture", "1", "3"), ("Supplier market", "2", "2")]
    {
        sandbox.ok(&[
            "context",
            "add",
            "--title",
            title,
            "--kind",
            "internal",
            "--influence",
            influence,
            "--control",
            control,
        ]);
    }
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 100, 30);
    app.wait_for("Item 1 · 4.1");
    app.wait_for("Context issues (2) · R opens the register");
    app.send("R");
    app.wait_for("Context issues · 2 of 2");
    app.send("n");
    app.wait_for("Context issues · new entry");
    app.type_keys("New privacy law");
    app.send(TAB);
    app.send(RIGHT);
    app.send(&format!("{TAB}{TAB}{TAB}"));
    app.send(RIGHT);
    app.send(TAB);
    app.send(LEFT);
    app.send(ENTER);
    app.wait_for("Saved C-3 \"New privacy law\"");
    let screen = app.screen();
    let rows: Vec<&str> = screen.lines().collect();
    let header = rows.iter().position(|l| l.contains("priority")).unwrap();
    assert!(rows[header + 1].contains("C-3") && rows[header + 1].contains("New privacy law"));
    // On the matrix, selected, in the high-priority top-left cell.
    assert!(screen.contains("[!C-3"), "{screen}");
    app.send("q");
    assert!(app.wait_exit().success());
    let list = sandbox.json(&["context", "list", "--json"]);
    assert_eq!(list[0]["id"], "C-3");
    assert_eq!(list[0]["title"], "New privacy law");
    assert_eq!(list[0]["kind"], "external");
    assert_eq!(list[0]["influence"], 3);
    assert_eq!(list[0]["control"], 1);
    assert_eq!(list[0]["priority"], "high");
}

#[test]
fn every_register_form_and_picture_renders_at_every_size_without_panicking() {
    let mut states = Vec::new();
    for keys in [
        "",
        "]",
        "]]",
        "]]]",
        "n",
        "]]n",
        "]]]n",
        "<Del>",
        "]]<Enter>",
    ] {
        let mut app = on_registers(acme_with_registers());
        press(&mut app, keys);
        states.push(app);
    }
    for app in &states {
        for width in (1..=210).step_by(19) {
            for height in (1..=64).step_by(7) {
                draw(app, width, height);
            }
        }
    }
}
