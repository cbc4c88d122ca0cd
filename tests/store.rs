//! The SQLite store: schema versions, one transaction and one history row per change, reopening.

use isms_ready::model::{Change, Level};
use isms_ready::store::{NewAssessment, Store, StoreError, schema};

fn new_assessment(store: &mut Store, name: &str) -> i64 {
    store
        .create_assessment(&NewAssessment {
            name: name.into(),
            questionnaire_id: "iso27001-2013".into(),
            scope: "Head office".into(),
            assessor: "Sam".into(),
            firm: String::new(),
        })
        .unwrap()
        .id
}

#[test]
fn a_new_file_gets_the_latest_schema_and_our_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    drop(Store::open(&path).unwrap());
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let app_id: i32 = connection
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let journal: String = connection
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::latest_version());
    assert_eq!(app_id, schema::APPLICATION_ID);
    assert_eq!(journal, "wal");
    // Opening again migrates nothing and keeps the data.
    let mut store = Store::open(&path).unwrap();
    new_assessment(&mut store, "Kept");
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.assessments().unwrap()[0].name, "Kept");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn an_empty_sqlite_file_is_taken_over_but_an_empty_plain_file_is_too() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(Store::open(&empty).is_ok());
    let blank_sqlite = dir.path().join("blank.db");
    drop(
        rusqlite::Connection::open(&blank_sqlite)
            .unwrap()
            .execute_batch("VACUUM"),
    );
    assert!(Store::open(&blank_sqlite).is_ok());
}

#[test]
fn a_truncated_database_is_reported_as_damaged_or_not_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.db");
    {
        let mut store = Store::open(&path).unwrap();
        let id = new_assessment(&mut store, "Cut");
        for item in 1..=100 {
            store
                .apply_change(id, item, &Change::Note("x".repeat(500)))
                .unwrap();
        }
    }
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let before = std::fs::read(&path).unwrap();
    let result = Store::open(&path).and_then(|store| {
        store.assessments()?;
        store.answers(1, 252)?;
        match store.integrity_check()?.as_str() {
            "ok" => Ok(()),
            other => Err(StoreError::Corrupt {
                path: path.clone(),
                detail: other.into(),
            }),
        }
    });
    assert!(result.is_err(), "a truncated file must not look sound");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn every_change_is_saved_with_its_history_and_no_op_changes_write_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_assessment(&mut store, "Acme");
    store
        .apply_change(id, 7, &Change::Level(Some(Level::Planned)))
        .unwrap();
    store
        .apply_change(id, 7, &Change::Level(Some(Level::Checked)))
        .unwrap();
    store
        .apply_change(id, 7, &Change::Level(Some(Level::Checked)))
        .unwrap(); // same value
    store
        .apply_change(id, 7, &Change::Note("Owner: CISO\nReview in May".into()))
        .unwrap();
    store.apply_change(id, 7, &Change::Level(None)).unwrap();

    let answers = store.answers(id, 252).unwrap();
    assert_eq!(answers.get(7).level, None);
    assert_eq!(answers.get(7).note, "Owner: CISO\nReview in May");

    let history = store.history(id).unwrap();
    let rows: Vec<(&str, Option<&str>, Option<&str>)> = history
        .iter()
        .map(|h| {
            (
                h.field.as_str(),
                h.old_value.as_deref(),
                h.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("level", None, Some("1")),
            ("level", Some("1"), Some("3")),
            ("note", None, Some("Owner: CISO\nReview in May")),
            ("level", Some("3"), None),
        ]
    );
    assert!(history.iter().all(|h| h.item == Some(7)));
    assert_eq!(
        store
            .items_changed_since(id, "2000-01-01T00:00:00.000Z")
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .items_changed_since(id, "2999-01-01T00:00:00.000Z")
            .unwrap(),
        0
    );
}

#[test]
fn history_rows_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut store = Store::open(&path).unwrap();
    let id = new_assessment(&mut store, "H");
    store
        .apply_change(id, 1, &Change::Level(Some(Level::Absent)))
        .unwrap();
    drop(store);
    let connection = rusqlite::Connection::open(&path).unwrap();
    let error = connection
        .execute("UPDATE history SET new_value = '4'", [])
        .unwrap_err();
    assert!(error.to_string().contains("cannot be changed"), "{error}");
}

#[test]
fn assessments_are_found_by_name_or_id_and_remember_where_the_user_stood() {
    let mut store = Store::open_in_memory().unwrap();
    let first = new_assessment(&mut store, "First");
    let second = new_assessment(&mut store, "Second");
    assert_eq!(store.find_assessment("Second").unwrap().unwrap().id, second);
    assert_eq!(
        store
            .find_assessment(&first.to_string())
            .unwrap()
            .unwrap()
            .name,
        "First"
    );
    assert!(store.find_assessment("Third").unwrap().is_none());
    assert!(matches!(
        store.create_assessment(&NewAssessment {
            name: "First".into(),
            ..Default::default()
        }),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.last_position(first).unwrap(), 1);
    store.remember_position(first, 42).unwrap();
    assert_eq!(store.last_position(first).unwrap(), 42);
    // The assessment opened last comes first.
    assert_eq!(store.assessments().unwrap()[0].id, first);
}

#[test]
fn answers_are_kept_per_assessment() {
    let mut store = Store::open_in_memory().unwrap();
    let a = new_assessment(&mut store, "A");
    let b = new_assessment(&mut store, "B");
    store
        .apply_change(a, 3, &Change::Level(Some(Level::Improving)))
        .unwrap();
    assert_eq!(
        store.answers(a, 252).unwrap().get(3).level,
        Some(Level::Improving)
    );
    assert_eq!(store.answers(b, 252).unwrap().get(3).level, None);
}

fn exclusion(justification: &str) -> Change {
    Change::Applicability {
        applicable: Some(false),
        reasons: Vec::new(),
        justification: justification.into(),
    }
}

#[test]
fn several_changes_to_one_item_are_saved_together_or_not_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_assessment(&mut store, "Acme");
    // The note and the exclusion come first; the level after them is refused: nothing is kept.
    let refused = store.apply_changes(
        id,
        139,
        &[
            Change::Note("From the workshop".into()),
            exclusion("Not in scope"),
            Change::Level(Some(Level::Checked)),
        ],
    );
    assert!(
        matches!(&refused, Err(StoreError::Refused(reason)) if reason.contains("include the control first")),
        "{refused:?}"
    );
    assert_eq!(
        store.answers(id, 252).unwrap().get(139),
        &Default::default()
    );
    assert!(store.history(id).unwrap().is_empty());
    // Accepted together: one history row per field, one moment.
    let saved = store
        .apply_changes(
            id,
            139,
            &[
                Change::Level(Some(Level::Checked)),
                Change::Note("From the workshop".into()),
            ],
        )
        .unwrap();
    assert_eq!(saved.level, Some(Level::Checked));
    assert_eq!(saved.note, "From the workshop");
    let history = store.history(id).unwrap();
    assert_eq!(
        history.iter().map(|h| h.field.as_str()).collect::<Vec<_>>(),
        ["level", "note"]
    );
    assert_eq!(history[0].changed_at, history[1].changed_at);
}

#[test]
fn an_excluded_control_has_no_level() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_assessment(&mut store, "Acme");
    store
        .apply_change(id, 140, &Change::Level(Some(Level::Implemented)))
        .unwrap();
    // Excluding clears the level, and the history keeps what it was.
    let saved = store
        .apply_change(id, 140, &exclusion("Not in scope"))
        .unwrap();
    assert_eq!(saved.level, None);
    let history = store.history(id).unwrap();
    let last: Vec<_> = history[1..]
        .iter()
        .map(|h| {
            (
                h.field.as_str(),
                h.old_value.as_deref(),
                h.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        last,
        [
            ("applicability", None, Some("excluded [] Not in scope")),
            ("level", Some("2"), None),
        ]
    );
    // A level on it is refused until it is included again.
    let refused = store.apply_change(id, 140, &Change::Level(Some(Level::Checked)));
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    assert_eq!(store.answers(id, 252).unwrap().get(140).level, None);
    store
        .apply_change(
            id,
            140,
            &Change::Applicability {
                applicable: Some(true),
                reasons: vec![isms_ready::model::ReasonCode::RiskTreatment],
                justification: String::new(),
            },
        )
        .unwrap();
    store
        .apply_change(id, 140, &Change::Level(Some(Level::Checked)))
        .unwrap();
    assert_eq!(
        store.answers(id, 252).unwrap().get(140).level,
        Some(Level::Checked)
    );
}

#[test]
fn opening_an_existing_database_never_creates_or_sets_up_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    assert!(matches!(
        Store::open_existing(&missing),
        Err(StoreError::Missing(_))
    ));
    assert!(!missing.exists());
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Store::open_existing(&empty),
        Err(StoreError::Empty(_))
    ));
    assert_eq!(std::fs::read(&empty).unwrap().len(), 0);
    let blank_sqlite = dir.path().join("blank.db");
    drop(
        rusqlite::Connection::open(&blank_sqlite)
            .unwrap()
            .execute_batch("VACUUM"),
    );
    let before = std::fs::read(&blank_sqlite).unwrap();
    assert!(matches!(
        Store::open_existing(&blank_sqlite),
        Err(StoreError::Empty(_))
    ));
    assert_eq!(std::fs::read(&blank_sqlite).unwrap(), before);
    // Ours: opened.
    let ours = dir.path().join("ours.db");
    let mut store = Store::open(&ours).unwrap();
    new_assessment(&mut store, "Kept");
    drop(store);
    assert_eq!(
        Store::open_existing(&ours).unwrap().assessments().unwrap()[0].name,
        "Kept"
    );
}
