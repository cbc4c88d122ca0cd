//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pty;

use isms_ready::model::plan::{PlanChange, PlanTemplate, StepStatus};
use isms_ready::model::{Catalog, Change, Level};
use isms_ready::store::{NewAssessment, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_isms-ready");

/// A scratch folder with a database path inside it; XDG folders point into it too, so a test never
/// touches the user's real files.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The app on this sandbox's file with `args`, in a 100x30 pseudo-terminal.
    pub fn start(&self, args: &[&str]) -> pty::Terminal {
        pty::Terminal::spawn(&self.db(), self.dir.path(), args, 100, 30)
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The binary with the sandbox's files. `RUST_LIB_BACKTRACE=0`: an error is printed as one
    /// line, but with `RUST_BACKTRACE=1` in the caller's environment each error value would also
    /// capture and symbolise a backtrace that is never shown (about 0.4 s per failing command in
    /// the debug binary); panics still follow `RUST_BACKTRACE`.
    pub fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command
            .env("ISMS_READY_DB", self.db())
            .env("XDG_CONFIG_HOME", self.config_dir())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .env("RUST_LIB_BACKTRACE", "0");
        command
    }

    // Fixtures through the library: the same store calls the CLI makes, in this process, on the
    // sandbox's database. A test builds its data this way and spawns the binary only for what it
    // tests (one spawn costs a process start, the catalog load and a database open).

    /// Runs `f` on the sandbox's database, opened (or created) as `isms-ready`'s write commands
    /// open it.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut store = Store::open(&self.db()).expect("open the sandbox database");
        f(&mut store)
    }

    /// `isms-ready new --name NAME --standard STANDARD --scope SCOPE --assessor ASSESSOR`;
    /// returns the new assessment's id.
    pub fn create(&self, name: &str, standard: &str, scope: &str, assessor: &str) -> i64 {
        assert!(
            Catalog::builtin().get(standard).is_some(),
            "unknown questionnaire {standard}"
        );
        self.with_store(|store| {
            store
                .create_assessment(&NewAssessment {
                    name: name.into(),
                    questionnaire_id: standard.into(),
                    scope: scope.into(),
                    assessor: assessor.into(),
                    firm: String::new(),
                })
                .expect("create the assessment")
                .id
        })
    }

    /// `isms-ready answer -a NAME --item ITEM ...`: the changes are checked against the item, then
    /// saved in one transaction. Panics when the CLI would refuse them.
    pub fn answer(&self, name: &str, item: u32, changes: &[Change]) {
        self.answer_all(name, [item], |_| changes.to_vec());
    }

    /// `answer` for every item of `items`, with the changes `changes(item)` (one transaction per
    /// item, as one `isms-ready answer` each), on one opening of the database.
    pub fn answer_all(
        &self,
        name: &str,
        items: impl IntoIterator<Item = u32>,
        changes: impl Fn(u32) -> Vec<Change>,
    ) {
        self.with_store(|store| {
            let assessment = store
                .find_assessment(name)
                .expect("read the assessments")
                .unwrap_or_else(|| panic!("no assessment named {name:?}"));
            let questionnaire = Catalog::builtin()
                .get(&assessment.questionnaire_id)
                .expect("a built-in questionnaire");
            for number in items {
                let item = questionnaire
                    .item(number)
                    .unwrap_or_else(|| panic!("item {number} is not in {}", questionnaire.id));
                let changes = changes(number);
                for change in &changes {
                    change
                        .check(item)
                        .unwrap_or_else(|reason| panic!("item {number}: {reason}"));
                }
                store
                    .apply_changes(assessment.id, number, &changes)
                    .unwrap_or_else(|error| panic!("item {number}: {error}"));
            }
        })
    }

    /// `isms-ready plan set -a NAME --step STEP ...` with these changes, in this order (today's
    /// date for a status, as the CLI takes it).
    pub fn plan_set(&self, name: &str, step: u32, changes: &[PlanChange]) {
        assert!(PlanTemplate::builtin().step(step).is_some(), "step {step}");
        self.with_store(|store| {
            let id = store
                .find_assessment(name)
                .expect("read the assessments")
                .unwrap_or_else(|| panic!("no assessment named {name:?}"))
                .id;
            for change in changes {
                store
                    .apply_plan_change(id, step, change)
                    .unwrap_or_else(|error| panic!("step {step}: {error}"));
            }
        })
    }

    /// Everything the database holds for every assessment (the assessment, its answers, plan
    /// progress and history), read through the library without writing: two equal states mean
    /// nothing was changed.
    pub fn state(&self) -> String {
        let store = Store::open_existing(&self.db()).expect("open the sandbox database");
        let mut state = String::new();
        for assessment in store.assessments().expect("read the assessments") {
            let items = Catalog::builtin()
                .get(&assessment.questionnaire_id)
                .map_or(0, |q| q.items.len());
            let steps = PlanTemplate::builtin().steps.len();
            state += &format!("{assessment:?}\n");
            let answers = store
                .answers(assessment.id, items)
                .expect("read the answers");
            for number in 1..=items as u32 {
                let answer = answers.get(number);
                if *answer != Default::default() {
                    state += &format!("item {number}: {answer:?}\n");
                }
            }
            let plan = store
                .plan_progress(assessment.id, steps)
                .expect("read the plan");
            for (step, progress) in (1..).zip(plan) {
                if progress != Default::default() {
                    state += &format!("step {step}: {progress:?}\n");
                }
            }
            for entry in store.history(assessment.id).expect("read the history") {
                state += &format!("{entry:?}\n");
            }
        }
        state
    }

    /// Runs the binary with these arguments; panics with its output when it does not exit 0.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "isms-ready {args:?} failed ({:?}): {}{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run isms-ready")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON output")
    }
}

/// `--level N`.
pub fn level(value: u8) -> Change {
    Change::Level(Some(Level::from_u8(value).expect("a level is 0 to 4")))
}

/// `plan set --status STATUS [--reason REASON]`, dated today as the CLI dates it.
pub fn status(status: StepStatus, reason: &str) -> PlanChange {
    PlanChange::Status {
        status,
        reason: reason.into(),
        today: isms_ready::clock::today(),
    }
}

/// Bytes (a command's output) as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}
