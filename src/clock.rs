//! The one clock (issue 26): every reading of the time of day, and every conversion between the
//! stored UTC times and local time, goes through here. A leaf module every layer may use; it uses
//! nothing of the crate.
//!
//! Tests set the time, with its local offset, so what a screen or report shows of "now" is the
//! same on every run and in every time zone:
//! - the library: [`set`] (for the calling thread: each test sets its own);
//! - the binary, in debug builds only: `ISMS_READY_TEST_NOW=2026-03-02T09:30:00+01:00` (RFC 3339).
//!
//! Either way the set clock moves on by one millisecond at each reading of "now" (see [`set`]).
//!
//! File-system times (the seal's modification time, the age of a leftover temporary file) are
//! compared with the files' own times, so [`system_time`] always reads the system clock.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, SecondsFormat, TimeDelta, TimeZone, Utc};
use std::cell::Cell;
use std::time::SystemTime;

thread_local! {
    static FIXED: Cell<Option<DateTime<FixedOffset>>> = const { Cell::new(None) };
}

/// Makes the clock on this thread start at `time` (its offset is the local time zone's), or read
/// the system clock again with `None`. For tests.
///
/// A set clock moves on by one millisecond at each reading of "now", as a real one does between
/// two changes: the history tells one change's rows from the next by their time, so two changes
/// must never share one (a test makes far fewer than the 60,000 readings that would show on a
/// screen's minutes).
pub fn set(time: Option<DateTime<FixedOffset>>) {
    FIXED.with(|fixed| fixed.set(time));
}

/// The time tests set, if any, moved on by one millisecond when `tick`.
fn fixed(tick: bool) -> Option<DateTime<FixedOffset>> {
    let step = TimeDelta::milliseconds(i64::from(tick));
    if let Some(time) = FIXED.with(|fixed| {
        let time = fixed.get()?;
        fixed.set(Some(time + step));
        Some(time)
    }) {
        return Some(time);
    }
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicI64, Ordering};
        static FROM_ENV: std::sync::OnceLock<Option<DateTime<FixedOffset>>> =
            std::sync::OnceLock::new();
        static READINGS: AtomicI64 = AtomicI64::new(0);
        let start = (*FROM_ENV.get_or_init(|| {
            std::env::var("ISMS_READY_TEST_NOW")
                .ok()
                .and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok())
        }))?;
        let readings = READINGS.fetch_add(step.num_milliseconds(), Ordering::Relaxed);
        Some(start + TimeDelta::milliseconds(readings))
    }
    #[cfg(not(debug_assertions))]
    None
}

/// Now, in local time.
pub fn now() -> DateTime<FixedOffset> {
    fixed(true).unwrap_or_else(|| Local::now().fixed_offset())
}

/// Now, in UTC.
pub fn now_utc() -> DateTime<Utc> {
    now().with_timezone(&Utc)
}

/// Today's date, local time: the day plan figures, overdue marks and export names are computed for.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// A UTC time as the store keeps it: RFC 3339 with milliseconds.
pub fn stamp_of(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The current time as stored.
pub fn stamp() -> String {
    stamp_of(now_utc())
}

/// A stored (UTC) time in local time, for showing it.
pub fn local<Tz: TimeZone>(time: &DateTime<Tz>) -> DateTime<FixedOffset> {
    match fixed(false) {
        Some(fixed) => time.with_timezone(fixed.offset()),
        None => time.with_timezone(&Local).fixed_offset(),
    }
}

/// A stored time (RFC 3339) in local time, written with `format` (`None` when it is not RFC 3339):
/// how every screen, report and command shows a stored time.
pub fn local_text(stamp: &str, format: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| local(&t).format(format).to_string())
}

/// The local date of a stored (UTC) time (`None` when it is not RFC 3339).
pub fn local_date(stamp: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| local(&t).date_naive())
}

/// The start of `date` in local time, in UTC (`None` when the day has no local midnight).
pub fn local_midnight(date: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let start = match fixed(false) {
        Some(fixed) => fixed.offset().from_local_datetime(&midnight).earliest(),
        None => Local
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.fixed_offset()),
    };
    start.map(|t| t.with_timezone(&Utc))
}

/// The start of today in local time, as stored (now, on a day without a local midnight).
pub fn start_of_today() -> String {
    stamp_of(local_midnight(today()).unwrap_or_else(now_utc))
}

/// The system clock, never set by tests: for comparing with file-system times.
pub fn system_time() -> SystemTime {
    SystemTime::now()
}
