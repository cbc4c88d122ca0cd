//! What the store does to the file, for the tests and benchmarks of issue 27: the statements it
//! prepares, their query plans, and how many pages it read.

use super::{Store, StoreResult};
use std::collections::BTreeSet;
use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::sync::Mutex;

/// The SQL text of every statement run since `record_statements` (each once).
pub(super) type Recorded = Mutex<BTreeSet<String>>;

unsafe extern "C" fn record(
    mask: c_uint,
    context: *mut c_void,
    _: *mut c_void,
    x: *mut c_void,
) -> c_int {
    if mask == rusqlite::ffi::SQLITE_TRACE_STMT && !context.is_null() && !x.is_null() {
        // SAFETY: for SQLITE_TRACE_STMT, X is the statement's NUL-terminated SQL text (or a
        // comment naming a trigger); the context is the `Recorded` the store keeps alive while
        // the connection is open.
        let sql = unsafe { CStr::from_ptr(x as *const c_char) }.to_string_lossy();
        let recorded = unsafe { &*(context as *const Recorded) };
        if !sql.starts_with("--")
            && let Ok(mut set) = recorded.lock()
        {
            set.insert(sql.trim().to_string());
        }
    }
    0
}

impl Store {
    /// From now on, remembers the SQL text of every statement this store runs.
    pub fn record_statements(&mut self) {
        let recorded = self
            .recorded
            .get_or_insert_with(|| Box::new(Mutex::default()));
        let context = &**recorded as *const Recorded as *mut c_void;
        // SAFETY: the handle is open; `context` points into a box the store owns until after the
        // connection is closed (the field is dropped after the connection is closed in `drop`).
        unsafe {
            rusqlite::ffi::sqlite3_trace_v2(
                self.connection.handle(),
                rusqlite::ffi::SQLITE_TRACE_STMT,
                Some(record),
                context,
            );
        }
    }

    /// The statements recorded since `record_statements`, in order of their text.
    pub fn recorded_statements(&self) -> Vec<String> {
        self.recorded
            .as_ref()
            .and_then(|recorded| {
                recorded
                    .lock()
                    .ok()
                    .map(|set| set.iter().cloned().collect())
            })
            .unwrap_or_default()
    }

    /// `EXPLAIN QUERY PLAN` of `sql` (parameters left unbound): one line per step of the plan.
    pub fn query_plan(&self, sql: &str) -> StoreResult<Vec<String>> {
        let mut statement = self
            .connection
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .map_err(|e| self.fail(e))?;
        // Unbound parameters are NULL: the plan does not depend on their values.
        let mut rows = statement.raw_query();
        let mut plan = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.fail(e))? {
            plan.push(row.get::<_, String>(3).map_err(|e| self.fail(e))?);
        }
        Ok(plan)
    }

    /// How many pages this store's connection has read from the file (SQLite's cache misses).
    pub fn pages_read(&self) -> i64 {
        let (mut current, mut highest) = (0, 0);
        // SAFETY: the handle is open and both outputs are valid, writable integers.
        unsafe {
            rusqlite::ffi::sqlite3_db_status(
                self.connection.handle(),
                rusqlite::ffi::SQLITE_DBSTATUS_CACHE_MISS,
                &mut current,
                &mut highest,
                0,
            );
        }
        i64::from(current)
    }

    /// Appends the recorded statements to `file`, one JSON string a line.
    #[cfg(debug_assertions)]
    pub(super) fn append_recorded_statements(&self, file: &std::path::Path) {
        use std::io::Write;
        let lines: String = self
            .recorded_statements()
            .iter()
            .map(|sql| serde_json::Value::from(sql.as_str()).to_string() + "\n")
            .collect();
        if let Ok(mut out) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
        {
            let _ = out.write_all(lines.as_bytes());
        }
    }
}
