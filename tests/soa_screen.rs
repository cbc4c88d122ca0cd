//! The SoA screen (issue 12, point 16): clearing a level, column headers, the note, the footer,
//! filters that keep the selection and say what they list, search and jumps by domain. In-process
//! (`TestBackend`) and with the real binary in a pseudo-terminal.

mod common;
mod screen_kit;

use common::Sandbox;
use common::pty::{ENTER, TAB, Terminal};
use isms_ready::tui::{App, Screen};
use screen_kit::{acme_on, draw, footer, press, status};

fn selected_ref(app: &App) -> String {
    let session = app.session.as_ref().unwrap();
    app.views.soa.item(session).unwrap().reference.clone()
}

fn level_of(app: &App, item: u32) -> Option<u8> {
    let session = app.session.as_ref().unwrap();
    session.answers.get(item).level.map(|l| l.value())
}

#[test]
fn del_and_backspace_clear_the_level_of_the_selected_control() {
    // Guards: Del/Backspace did nothing on the SoA screen although the README says they clear.
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "3");
    assert_eq!(level_of(&app, 139), Some(3));
    press(&mut app, "<Del>");
    assert_eq!(level_of(&app, 139), None);
    assert_eq!(status(&app), "Item 139: level cleared.");
    press(&mut app, "j2<BS>");
    assert_eq!(level_of(&app, 140), None);
}

fn with_a_noted_control() -> App {
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "a<Tab> <Tab>Required by R-3<Enter>3");
    press(&mut app, "vPOL-001 signed policy<Enter>oCISO<Enter>");
    press(
        &mut app,
        "eReviewed with the board in March.<Enter>Next review due in September.<C-s>",
    );
    app
}

#[test]
fn the_table_has_column_headers_and_the_selected_control_shows_its_note() {
    // Guards: no column headers, and a control's note was shown nowhere on the SoA screen.
    let app = with_a_noted_control();
    for (width, height) in [(80, 24), (160, 48)] {
        let screen = draw(&app, width, height);
        assert!(
            screen.contains("Control  Decision   Lvl Reasons         Title - justification"),
            "{screen}"
        );
        assert!(
            screen.contains("Note: Reviewed with the board in March. / Next review due in"),
            "{screen}"
        );
    }
    snapshot!("soa_headers_and_note_80x24", draw(&app, 80, 24));
    snapshot!("soa_headers_and_note_160x48", draw(&app, 160, 48));
}

#[test]
fn the_footer_names_owner_and_note_and_fits_80_columns() {
    // Guards: `o` and `e` were missing from the footer, and the footer was cut at 80 columns.
    let app = acme_on(Screen::Soa);
    let line = footer(&draw(&app, 80, 24));
    for hint in ["o owner", "e note", "? help", "q quit"] {
        assert!(line.contains(hint), "{hint:?} missing from {line:?}");
    }
    assert!(!line.trim_end().ends_with('·'), "cut footer: {line:?}");
    let wide = footer(&draw(&app, 160, 48));
    assert!(
        wide.contains("/ search") && wide.contains("Tab screen"),
        "{wide:?}"
    );
}

#[test]
fn changing_the_filter_keeps_the_selected_control_when_it_is_still_listed() {
    // Guards: every filter change moved the selection to the first row.
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "a<Tab> <Enter>"); // A.5.1.1 included (risk treatment)
    press(&mut app, "jjja<Tab> <Enter>"); // A.6.1.2 included
    assert_eq!(selected_ref(&app), "A.6.1.2");
    press(&mut app, "f"); // applicable: A.5.1.1, A.6.1.2
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 2);
    assert_eq!(selected_ref(&app), "A.6.1.2");
    // A control the new filter does not list: the nearest listed one after it (else the last).
    press(&mut app, "fffff"); // all again
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 114);
    press(&mut app, "gjjjj"); // A.6.1.3 (undecided)
    assert_eq!(selected_ref(&app), "A.6.1.3");
    press(&mut app, "f");
    assert_eq!(selected_ref(&app), "A.6.1.2");
}

#[test]
fn the_missing_reason_filters_are_named_for_what_they_list() {
    // Guards: "without justification" listed included controls that have a justification but no
    // reason code. Now one filter per kind, each named for what it lists.
    let mut app = acme_on(Screen::Soa);
    // A.5.1.1 included with a justification text but no reason code.
    press(&mut app, "a<Tab><Tab>Board decision<Enter>");
    let answer = app.session.as_ref().unwrap().answers.get(139).clone();
    assert_eq!(answer.applicable, Some(true));
    assert!(answer.reasons.is_empty() && !answer.justification.is_empty());
    press(&mut app, "ffff");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("[included, no reason code]"), "{screen}");
    assert!(screen.contains("A.5.1.1  included"), "{screen}");
    assert_eq!(app.views.soa.rows(app.session.as_ref().unwrap()).len(), 1);
    press(&mut app, "f");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("[excluded, no justification]"), "{screen}");
    assert!(
        screen.contains("No control is excluded, no justification."),
        "{screen}"
    );
}

#[test]
fn slash_finds_controls_by_note_owner_evidence_and_ref_and_n_goes_on() {
    // Guards: the SoA screen had no search.
    let mut app = with_a_noted_control();
    press(&mut app, "jjjj"); // A.6.1.3
    press(&mut app, "eFirewall rules reviewed<C-s>");
    press(&mut app, "jotomas<Enter>"); // A.6.1.4 owner
    press(&mut app, "g/firewall<Enter>");
    assert_eq!(selected_ref(&app), "A.6.1.3");
    assert!(status(&app).contains("match 1 of 1"), "{}", status(&app));
    press(&mut app, "/SEPTEMBER<Enter>");
    assert_eq!(selected_ref(&app), "A.5.1.1");
    press(&mut app, "/pol-001<Enter>");
    assert_eq!(selected_ref(&app), "A.5.1.1");
    press(&mut app, "/Tomas<Enter>");
    assert_eq!(selected_ref(&app), "A.6.1.4");
    press(&mut app, "g/A.6.1.<Enter>");
    assert_eq!(selected_ref(&app), "A.6.1.1");
    press(&mut app, "n");
    assert_eq!(selected_ref(&app), "A.6.1.2");
    press(&mut app, "NN");
    assert_eq!(selected_ref(&app), "A.6.1.5", "N wraps backwards");
    // A match the filter hides sets the filter back to all.
    press(&mut app, "f/firewall<Enter>");
    assert_eq!(selected_ref(&app), "A.6.1.3");
    assert!(
        status(&app).contains("filter set to all"),
        "{}",
        status(&app)
    );
    press(&mut app, "/no such words<Enter>");
    assert!(status(&app).contains("no control matches"));
    assert_eq!(selected_ref(&app), "A.6.1.3");
}

#[test]
fn pgdn_and_pgup_jump_by_domain() {
    // Guards: no jump by domain on the SoA screen.
    let mut app = acme_on(Screen::Soa);
    press(&mut app, "<PgDn>");
    assert_eq!(selected_ref(&app), "A.6.1.1");
    press(&mut app, "<PgDn>");
    assert_eq!(selected_ref(&app), "A.7.1.1");
    press(&mut app, "j<PgUp>");
    assert_eq!(
        selected_ref(&app),
        "A.7.1.1",
        "PgUp first goes to the start of the domain"
    );
    press(&mut app, "<PgUp>");
    assert_eq!(selected_ref(&app), "A.6.1.1");
    press(&mut app, "G<PgDn>");
    assert_eq!(
        selected_ref(&app),
        "A.18.2.3",
        "PgDn in the last domain stays at the end"
    );
}

// The real binary in a pseudo-terminal.

const DEL: &str = "\x1b[3~";
const PGDN: &str = "\x1b[6~";

#[test]
fn in_a_terminal_del_clears_search_finds_a_note_pgdn_jumps_and_filter_keeps_the_control() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["new", "--name", "Acme", "--standard", "iso27001-2013"]);
    sandbox.ok(&["answer", "-a", "Acme", "--item", "139", "--level", "3"]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "145",
        "--note",
        "Firewall rules seen",
    ]);
    sandbox.ok(&[
        "answer",
        "-a",
        "Acme",
        "--item",
        "145",
        "--include",
        "risk_treatment",
    ]);
    let mut app = Terminal::spawn(&sandbox.db(), sandbox.dir.path(), &["-a", "Acme"], 100, 30);
    app.wait_for("Item 1 · 4.1");
    app.send(TAB);
    app.send(TAB);
    app.wait_for("Control  Decision   Lvl Reasons");
    // Del clears the level of A.5.1.1.
    app.send(DEL);
    app.wait_for("Item 139: level cleared.");
    // `/` finds a control by its note.
    app.send("/");
    app.wait_for("Search:");
    app.type_keys("firewall");
    app.send(ENTER);
    app.wait_for("\"firewall\": match 1 of 1");
    app.wait_for("Note: Firewall rules seen");
    app.wait_for("A.6.1.5 Information security in project management");
    // The filter keeps it selected.
    app.send("f");
    app.wait_for("[applicable]");
    app.wait_for("A.6.1.5 Information security in project management");
    // PgDn jumps to the next domain.
    app.send("ffff");
    app.wait_for("[excluded, no justification]");
    app.send("f");
    app.wait_for("[all]");
    app.send(PGDN);
    app.wait_for("A.6.1.1 Information security roles and responsibilities");
    app.send(PGDN);
    app.wait_for("A.7.1.1 Screening");
    app.send("q");
    assert!(app.wait_exit().success());
    let soa = sandbox.json(&["soa", "-a", "Acme", "--json"]);
    assert!(soa["controls"][0]["level"].is_null(), "Del cleared A.5.1.1");
}
