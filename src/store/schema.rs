//! The database schema, as numbered migrations tracked in `PRAGMA user_version`.
//! Never edit a migration that has shipped: add a new one.

use rusqlite_migration::{M, Migrations};

/// Marks a SQLite file as ours ("ISMR"), so a file of another program is never mistaken for one.
pub const APPLICATION_ID: i32 = 0x4953_4d52;

const V1_ASSESSMENTS_ANSWERS_HISTORY: &str = "
PRAGMA application_id = 1230196050;

CREATE TABLE assessment (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    questionnaire_id TEXT    NOT NULL,
    scope            TEXT    NOT NULL DEFAULT '',
    assessor         TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    last_item        INTEGER NOT NULL DEFAULT 1,
    opened_at        TEXT
);

CREATE TABLE answer (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    item          INTEGER NOT NULL CHECK (item >= 1),
    level         INTEGER CHECK (level BETWEEN 0 AND 4),
    note          TEXT    NOT NULL DEFAULT '',
    evidence      TEXT    NOT NULL DEFAULT '',
    owner         TEXT    NOT NULL DEFAULT '',
    due           TEXT,
    applicable    INTEGER CHECK (applicable IN (0, 1)),
    justification TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, item)
) WITHOUT ROWID;

-- Every change to an answer, oldest first. Rows are only ever added.
CREATE TABLE history (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    item          INTEGER,
    field         TEXT    NOT NULL,
    old_value     TEXT,
    new_value     TEXT,
    changed_at    TEXT    NOT NULL
);
CREATE INDEX history_by_assessment ON history (assessment_id, changed_at);
CREATE TRIGGER history_is_append_only BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history rows cannot be changed');
END;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
";

const V2_SOA_AND_PLAN: &str = "
ALTER TABLE answer ADD COLUMN reasons       TEXT    NOT NULL DEFAULT '';
ALTER TABLE answer ADD COLUMN risks         TEXT    NOT NULL DEFAULT '';
ALTER TABLE answer ADD COLUMN review_needed INTEGER NOT NULL DEFAULT 0 CHECK (review_needed IN (0, 1));

-- History rows of plan changes name the step instead of an item.
ALTER TABLE history ADD COLUMN step INTEGER;

CREATE TABLE plan_step (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    step          INTEGER NOT NULL CHECK (step >= 1),
    status        TEXT    NOT NULL DEFAULT 'todo'
                  CHECK (status IN ('todo', 'in_progress', 'done', 'blocked', 'skipped')),
    reason        TEXT    NOT NULL DEFAULT '',
    owner         TEXT    NOT NULL DEFAULT '',
    start         TEXT,
    due           TEXT,
    done_on       TEXT,
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, step)
) WITHOUT ROWID;
";

const V3_ACTIONS: &str = "
-- Actions: the remedies for gaps, numbered within their assessment (a number is never reused).
CREATE TABLE action (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    title         TEXT    NOT NULL CHECK (trim(title) <> ''),
    description   TEXT    NOT NULL DEFAULT '',
    owner         TEXT    NOT NULL DEFAULT '',
    due           TEXT,
    effort        TEXT    CHECK (effort IN ('XS', 'S', 'M', 'L', 'XL')),
    priority      INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),
    status        TEXT    NOT NULL DEFAULT 'todo'
                  CHECK (status IN ('todo', 'in_progress', 'on_hold', 'done', 'dropped')),
    done_on       TEXT,
    step          INTEGER CHECK (step >= 1),
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

-- The items (clause requirements or controls) an action remedies.
CREATE TABLE action_item (
    assessment_id INTEGER NOT NULL,
    action        INTEGER NOT NULL,
    item          INTEGER NOT NULL CHECK (item >= 1),
    PRIMARY KEY (assessment_id, action, item),
    FOREIGN KEY (assessment_id, action) REFERENCES action (assessment_id, number) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX action_item_by_item ON action_item (assessment_id, item);

-- History rows of action changes name the action instead of an item.
ALTER TABLE history ADD COLUMN action INTEGER;
";

// The registers of issue 17: context issues (4.1), interested parties (4.2), risks (6.1.2, 8.2)
// and objectives (6.2). Each entry has a number per assessment (C-1, P-1, R-1, O-1); its changes
// go into the history as `<register>.add|set|remove` rows holding the entry as JSON.
const V4_REGISTERS: &str = "
CREATE TABLE context_issue (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    title         TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('internal', 'external')),
    category      TEXT    NOT NULL DEFAULT '',
    swot          TEXT    CHECK (swot IN ('strength', 'weakness', 'opportunity', 'threat')),
    influence     INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 3),
    control       INTEGER NOT NULL CHECK (control BETWEEN 1 AND 3),
    owner         TEXT    NOT NULL DEFAULT '',
    risks         TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

CREATE TABLE interested_party (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('internal', 'external')),
    needs         TEXT    NOT NULL DEFAULT '',
    addressed     TEXT    NOT NULL DEFAULT '',
    influence     INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 3),
    control       INTEGER NOT NULL CHECK (control BETWEEN 1 AND 3),
    contact       TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

CREATE TABLE risk (
    assessment_id       INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number              INTEGER NOT NULL CHECK (number >= 1),
    title               TEXT    NOT NULL,
    asset               TEXT    NOT NULL DEFAULT '',
    threat              TEXT    NOT NULL DEFAULT '',
    vulnerability       TEXT    NOT NULL DEFAULT '',
    owner               TEXT    NOT NULL DEFAULT '',
    likelihood          INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    treatment           TEXT    CHECK (treatment IN ('mitigate', 'accept', 'avoid', 'transfer')),
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact     INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
    accepted_on         TEXT,
    note                TEXT    NOT NULL DEFAULT '',
    updated_at          TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

-- The Annex A controls that treat a risk, in the order given.
CREATE TABLE risk_control (
    assessment_id INTEGER NOT NULL,
    risk          INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    control       TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, risk, control),
    FOREIGN KEY (assessment_id, risk) REFERENCES risk(assessment_id, number) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE objective (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    objective     TEXT    NOT NULL,
    measure       TEXT    NOT NULL DEFAULT '',
    target        TEXT    NOT NULL DEFAULT '',
    owner         TEXT    NOT NULL DEFAULT '',
    resources     TEXT    NOT NULL DEFAULT '',
    due           TEXT,
    evaluation    TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'planned'
                  CHECK (status IN ('planned', 'in_progress', 'achieved', 'missed')),
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;
";

const V5_WORKSHOP_SESSIONS: &str = "
-- A gap analysis is a series of workshops: each session of an assessment, numbered from 1.
CREATE TABLE workshop_session (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    title         TEXT    NOT NULL,
    held_on       TEXT    NOT NULL,
    facilitator   TEXT    NOT NULL DEFAULT '',
    focus         TEXT    NOT NULL DEFAULT '',
    notes         TEXT    NOT NULL DEFAULT '',
    started_at    TEXT    NOT NULL,
    ended_at      TEXT,
    -- Readiness when it ended, in tenths of a percent: 4-10=18;4=278;5=42;... (the trend).
    end_readiness TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;
-- At most one open session per assessment.
CREATE UNIQUE INDEX one_open_session ON workshop_session (assessment_id) WHERE ended_at IS NULL;

CREATE TABLE session_participant (
    assessment_id INTEGER NOT NULL,
    session       INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, session, position),
    FOREIGN KEY (assessment_id, session) REFERENCES workshop_session (assessment_id, number)
        ON DELETE CASCADE
) WITHOUT ROWID;

-- Each change names the session open when it was made (its number), and an undo the row it undid.
ALTER TABLE history ADD COLUMN session INTEGER;
ALTER TABLE history ADD COLUMN undoes INTEGER;
CREATE INDEX history_by_item ON history (assessment_id, item);
";

// Issue 18: copies of one assessment on several laptops are merged. Every assessment has a UUID
// (`uid`, the same in every copy) and a `replica` id of its own copy; every history row a change
// id: the one it came with (an import, a merge), else `<replica>:<row id>` (read, never stored,
// so the append-only history is never updated). Existing rows get their ids here, once, in the
// upgrade; opening a file already upgraded writes nothing.
const V6_MERGE: &str = "
ALTER TABLE assessment ADD COLUMN uid TEXT;
ALTER TABLE assessment ADD COLUMN replica TEXT;
ALTER TABLE history ADD COLUMN change_id TEXT;
UPDATE assessment SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
    substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
    substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE assessment SET replica = lower(hex(randomblob(8)));
-- A new assessment (created, imported, migrated) gets its ids at once; an import sets `uid` after.
CREATE TRIGGER assessment_ids AFTER INSERT ON assessment WHEN NEW.uid IS NULL OR NEW.replica IS NULL
BEGIN
    UPDATE assessment SET
        uid = coalesce(NEW.uid, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
            substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
            substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
        replica = coalesce(NEW.replica, lower(hex(randomblob(8))))
    WHERE id = NEW.id;
END;
CREATE UNIQUE INDEX history_change_id ON history (assessment_id, change_id) WHERE change_id IS NOT NULL;

-- The change ids of other copies already merged in (a second merge of one file changes nothing).
CREATE TABLE merge_applied (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    change_id     TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, change_id)
) WITHOUT ROWID;

-- A field changed differently on both sides: nothing is overwritten until it is resolved.
CREATE TABLE merge_conflict (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    target        TEXT    NOT NULL,
    number        INTEGER,
    entry         TEXT,
    field         TEXT    NOT NULL,
    mine          TEXT,
    theirs        TEXT,
    mine_at       TEXT,
    mine_session  TEXT,
    theirs_at     TEXT,
    theirs_session TEXT,
    source        TEXT    NOT NULL DEFAULT '',
    found_at      TEXT    NOT NULL,
    resolved_at   TEXT,
    resolution    TEXT CHECK (resolution IN ('mine', 'theirs', 'both'))
);
CREATE INDEX merge_conflict_open ON merge_conflict (assessment_id) WHERE resolved_at IS NULL;
";

/// Issue 18, second part: a unique id (`uid`) for every action and register entry, the same in
/// every copy, so that two copies that each added `#3` or `R-5` are told apart by merge; history
/// rows of actions and registers name it too. Rows that exist before this version get an id made
/// of the assessment's UUID, the kind and the number, so two copies made from one file before the
/// upgrade still agree on it; rows inserted later get a random one (the store gives it, the
/// triggers only stand in for a row inserted without one). History rows are never changed: an
/// older row without the column is read with the same made-up id (`answers::HISTORY_COLUMNS`).
const V7_ENTRY_UIDS: &str = "
ALTER TABLE action ADD COLUMN uid TEXT;
ALTER TABLE context_issue ADD COLUMN uid TEXT;
ALTER TABLE interested_party ADD COLUMN uid TEXT;
ALTER TABLE risk ADD COLUMN uid TEXT;
ALTER TABLE objective ADD COLUMN uid TEXT;
ALTER TABLE history ADD COLUMN uid TEXT;
UPDATE action SET uid = (SELECT uid FROM assessment WHERE id = action.assessment_id) || ':action:' || number;
UPDATE context_issue SET uid = (SELECT uid FROM assessment WHERE id = context_issue.assessment_id) || ':context:' || number;
UPDATE interested_party SET uid = (SELECT uid FROM assessment WHERE id = interested_party.assessment_id) || ':parties:' || number;
UPDATE risk SET uid = (SELECT uid FROM assessment WHERE id = risk.assessment_id) || ':risks:' || number;
UPDATE objective SET uid = (SELECT uid FROM assessment WHERE id = objective.assessment_id) || ':objectives:' || number;
UPDATE action SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
UPDATE context_issue SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
UPDATE interested_party SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
UPDATE risk SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
UPDATE objective SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE TRIGGER action_uid AFTER INSERT ON action WHEN NEW.uid IS NULL
BEGIN UPDATE action SET uid = lower(hex(randomblob(16))) WHERE assessment_id = NEW.assessment_id AND number = NEW.number; END;
CREATE TRIGGER context_issue_uid AFTER INSERT ON context_issue WHEN NEW.uid IS NULL
BEGIN UPDATE context_issue SET uid = lower(hex(randomblob(16))) WHERE assessment_id = NEW.assessment_id AND number = NEW.number; END;
CREATE TRIGGER interested_party_uid AFTER INSERT ON interested_party WHEN NEW.uid IS NULL
BEGIN UPDATE interested_party SET uid = lower(hex(randomblob(16))) WHERE assessment_id = NEW.assessment_id AND number = NEW.number; END;
CREATE TRIGGER risk_uid AFTER INSERT ON risk WHEN NEW.uid IS NULL
BEGIN UPDATE risk SET uid = lower(hex(randomblob(16))) WHERE assessment_id = NEW.assessment_id AND number = NEW.number; END;
CREATE TRIGGER objective_uid AFTER INSERT ON objective WHEN NEW.uid IS NULL
BEGIN UPDATE objective SET uid = lower(hex(randomblob(16))) WHERE assessment_id = NEW.assessment_id AND number = NEW.number; END;
";

/// Issue 22: a change id is stored on every history row, unique whatever happens to the file.
/// Until version 7 a row without a stored id read as `<replica>:<row id>`, and a copied file
/// kept the replica, so two copies gave different changes the same id. Here every such row gets
/// the id it read as until now, stored once (exports made before this version still match it),
/// and every row inserted later gets a random UUID (version 4) at insert time, by a trigger, so a
/// copy of the file can never reuse one. The append-only rule still refuses every other update.
const V8_STORED_CHANGE_IDS: &str = "
DROP TRIGGER history_is_append_only;
UPDATE OR IGNORE history SET change_id =
    (SELECT replica FROM assessment WHERE assessment.id = history.assessment_id) || ':' || id
    WHERE change_id IS NULL;
CREATE TRIGGER history_is_append_only BEFORE UPDATE ON history
WHEN NOT (OLD.change_id IS NULL AND NEW.change_id IS NOT NULL
    AND NEW.id = OLD.id AND NEW.assessment_id IS OLD.assessment_id AND NEW.item IS OLD.item
    AND NEW.step IS OLD.step AND NEW.action IS OLD.action AND NEW.field IS OLD.field
    AND NEW.old_value IS OLD.old_value AND NEW.new_value IS OLD.new_value
    AND NEW.changed_at IS OLD.changed_at AND NEW.session IS OLD.session
    AND NEW.undoes IS OLD.undoes AND NEW.uid IS OLD.uid)
BEGIN
    SELECT RAISE(ABORT, 'history rows cannot be changed');
END;
CREATE TRIGGER history_change_id AFTER INSERT ON history WHEN NEW.change_id IS NULL
BEGIN
    UPDATE history SET change_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
        substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
        substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id;
END;
";

/// Issue 27: every query about one assessment finds its rows through an index, so its cost grows
/// with that assessment, not with the file (`tests/query_plans.rs` checks every statement).
/// - `history (assessment_id)` is ordered by row id within an assessment: the newest change (undo,
///   the History screen's pages, the next id) is one seek, not a read of every change.
/// - `history (assessment_id, action)` and `(assessment_id, field)`: an action's or a register's
///   latest change without reading the others.
/// - `history (assessment_id, undoes)` (partial): the undos, which an undo reads to know which
///   of the newest changes are undone, without the changes in between.
/// - `merge_conflict (assessment_id)`: the partial index of open conflicts cannot serve the
///   foreign key of a new or deleted assessment, which scanned every conflict of every assessment.
const V9_ONE_ASSESSMENT_INDEXES: &str = "
CREATE INDEX history_by_assessment_id ON history (assessment_id);
CREATE INDEX history_by_action ON history (assessment_id, action) WHERE action IS NOT NULL;
CREATE INDEX history_by_field ON history (assessment_id, field);
CREATE INDEX merge_conflict_by_assessment ON merge_conflict (assessment_id);
CREATE INDEX history_undos ON history (assessment_id, undoes) WHERE undoes IS NOT NULL;
";

/// Objectives record when management last reviewed them (issue 26: the field that measured the
/// cost of a register field).
const V10_OBJECTIVE_REVIEWED_ON: &str = "
ALTER TABLE objective ADD COLUMN reviewed_on TEXT;
";

/// Issue 28: the report's cover names the consultancy that prepared it, beside the assessor.
const V11_ASSESSMENT_FIRM: &str = "
ALTER TABLE assessment ADD COLUMN firm TEXT NOT NULL DEFAULT '';
";

/// Issue 30: audits, their findings, nonconformities and management reviews, four registers
/// kept like the others (one row per entry, keyed by assessment and number, with a unique id).
/// Lists of refs and of actions are one text column (`4, 5, A.5`; `ACT-3, ACT-4`).
const V12_AUDIT_RECORDS: &str = "
CREATE TABLE audit (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    title         TEXT    NOT NULL,
    kind          TEXT    NOT NULL
                  CHECK (kind IN ('internal', 'pre-audit', 'stage1', 'stage2', 'surveillance')),
    date          TEXT,
    end_date      TEXT,
    auditors      TEXT    NOT NULL DEFAULT '',
    scope         TEXT    NOT NULL DEFAULT '',
    criteria      TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'planned'
                  CHECK (status IN ('planned', 'in_progress', 'done')),
    note          TEXT    NOT NULL DEFAULT '',
    uid           TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

CREATE TABLE finding (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    audit         TEXT    NOT NULL,
    items         TEXT    NOT NULL,
    kind          TEXT    NOT NULL
                  CHECK (kind IN ('major', 'minor', 'observation', 'improvement', 'conformity')),
    statement     TEXT    NOT NULL,
    evidence      TEXT    NOT NULL DEFAULT '',
    auditee       TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    uid           TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

CREATE TABLE nonconformity (
    assessment_id  INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number >= 1),
    finding        TEXT    NOT NULL DEFAULT '',
    source         TEXT    NOT NULL CHECK (source IN
                   ('audit', 'incident', 'complaint', 'monitoring', 'management-review', 'other')),
    raised_on      TEXT,
    description    TEXT    NOT NULL,
    requirement    TEXT    NOT NULL DEFAULT '',
    classification TEXT    NOT NULL CHECK (classification IN ('minor', 'major')),
    correction     TEXT    NOT NULL DEFAULT '',
    root_cause     TEXT    NOT NULL DEFAULT '',
    actions        TEXT    NOT NULL DEFAULT '',
    due            TEXT,
    verified_on    TEXT,
    verified_by    TEXT    NOT NULL DEFAULT '',
    effective      TEXT    CHECK (effective IN ('yes', 'no')),
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'correction-done',
                   'action-in-progress', 'verified-effective', 'closed', 'reopened')),
    note           TEXT    NOT NULL DEFAULT '',
    uid            TEXT,
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;

CREATE TABLE management_review (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    date          TEXT,
    attendees     TEXT    NOT NULL DEFAULT '',
    input_a       TEXT    NOT NULL DEFAULT '',
    input_b       TEXT    NOT NULL DEFAULT '',
    input_c       TEXT    NOT NULL DEFAULT '',
    input_d       TEXT    NOT NULL DEFAULT '',
    input_e       TEXT    NOT NULL DEFAULT '',
    input_f       TEXT    NOT NULL DEFAULT '',
    input_g       TEXT    NOT NULL DEFAULT '',
    outputs       TEXT    NOT NULL DEFAULT '',
    actions       TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    uid           TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, number)
) WITHOUT ROWID;
";

const MIGRATIONS: &[&str] = &[
    V1_ASSESSMENTS_ANSWERS_HISTORY,
    V2_SOA_AND_PLAN,
    V3_ACTIONS,
    V4_REGISTERS,
    V5_WORKSHOP_SESSIONS,
    V6_MERGE,
    V7_ENTRY_UIDS,
    V8_STORED_CHANGE_IDS,
    V9_ONE_ASSESSMENT_INDEXES,
    V10_OBJECTIVE_REVIEWED_ON,
    V11_ASSESSMENT_FIRM,
    V12_AUDIT_RECORDS,
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build writes; a file with a higher one was written by a newer build.
pub fn latest_version() -> i64 {
    // One migration per version, numbered from 1.
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_latest_version_matches_their_count() {
        migrations().validate().expect("migrations apply cleanly");
        let mut connection = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut connection).unwrap();
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        let application_id: i32 = connection
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .unwrap();
        assert_eq!(application_id, APPLICATION_ID);
    }
}
