//! A sliding window of request times: no 60-second window ever holds more
//! than `per_minute` gateway requests. Sends cost money and providers block
//! bursts, so the limit holds across all sends, whoever asks (a token bucket
//! lets a full bucket plus the refill through in under a minute, which is
//! what providers refuse). A caller over the limit is told how long to wait
//! instead of being put to sleep, because the escalation engine reschedules
//! on its own. Times come from the caller (the bot's clock), so tests can
//! move them.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

const WINDOW_MS: i64 = 60_000;

#[derive(Debug)]
pub(crate) struct Limiter {
    per_minute: u32,
    /// Epoch ms of the requests of the last minute, oldest first.
    sent: Mutex<VecDeque<i64>>,
}

/// A request let through; [`Limiter::finished`] moves its time to when the
/// answer came, so the window counts from the latest instant the provider
/// may have seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot(i64);

impl Limiter {
    pub(crate) fn new(per_minute: u32) -> Limiter {
        Limiter {
            per_minute: per_minute.max(1),
            sent: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes one request at `now`, or says how long until one is allowed.
    pub(crate) fn take(&self, now: DateTime<Utc>) -> Result<Slot, Duration> {
        let now = now.timestamp_millis();
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        while sent.front().is_some_and(|&t| now - t >= WINDOW_MS) {
            sent.pop_front();
        }
        if sent.len() < self.per_minute as usize {
            sent.push_back(now);
            return Ok(Slot(now));
        }
        let oldest = sent.front().copied().unwrap_or(now);
        let wait = (oldest + WINDOW_MS - now).max(1);
        Err(Duration::from_millis(wait as u64))
    }

    /// The request of `slot` was answered at `at` (later than it was taken).
    pub(crate) fn finished(&self, slot: Slot, at: DateTime<Utc>) {
        let at = at.timestamp_millis();
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = sent.iter_mut().find(|t| **t == slot.0) {
            *t = (*t).max(at);
        }
        sent.make_contiguous().sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: f64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_770_000_000_000 + (s * 1000.0) as i64).unwrap()
    }

    #[test]
    fn never_more_than_per_minute_in_any_sixty_seconds() {
        let l = Limiter::new(2);
        assert!(l.take(at(0.0)).is_ok());
        assert!(l.take(at(31.0)).is_ok(), "a token bucket would refuse this");
        let wait = l.take(at(31.0)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(29));
        assert!(l.take(at(59.999)).is_err());
        assert!(l.take(at(60.0)).is_ok());
        assert!(l.take(at(90.0)).is_err(), "31 s and 60 s are in the window");
        assert!(l.take(at(91.0)).is_ok());
    }

    #[test]
    fn the_window_counts_from_when_the_answer_came() {
        let l = Limiter::new(1);
        let slot = l.take(at(0.0)).unwrap();
        l.finished(slot, at(2.0));
        assert!(l.take(at(61.0)).is_err());
        assert!(l.take(at(62.0)).is_ok());
    }
}
