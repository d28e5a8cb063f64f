//! Time is injected: logic asks a [`Clock`] for `now`, and tests move it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock, for production.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Real time shifted by an offset the test controls: time still flows (so
/// network round trips and retries behave), and `advance` jumps ahead
/// ("30 minutes later") without sleeping.
#[derive(Debug, Clone, Default)]
pub struct TestClock {
    offset_ms: Arc<AtomicI64>,
}

impl TestClock {
    /// A clock that reads `at` now and flows on from there.
    pub fn starting_at(at: DateTime<Utc>) -> TestClock {
        let clock = TestClock::default();
        clock
            .offset_ms
            .store((at - Utc::now()).num_milliseconds(), Ordering::SeqCst);
        clock
    }

    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }
}

/// Epoch milliseconds, the store's time format.
pub fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A stored time as staff and residents read it: city-local "MM-DD HH:MM".
pub fn local_short(ms: i64, tz: chrono_tz::Tz) -> String {
    from_millis(ms)
        .with_timezone(&tz)
        .format("%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_clock_jumps_without_sleeping() {
        let start = DateTime::parse_from_rfc3339("2026-02-09T23:00:00+08:00")
            .unwrap()
            .to_utc();
        let clock = TestClock::starting_at(start);
        clock.advance(Duration::minutes(30));
        let drift = clock.now() - (start + Duration::minutes(30));
        assert!(
            drift >= Duration::zero() && drift < Duration::seconds(5),
            "{drift}"
        );
    }
}
