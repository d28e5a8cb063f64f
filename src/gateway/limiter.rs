//! A token bucket in real time. Gateway sends cost money and a provider may
//! block an account that floods it, so the limit holds across all sends,
//! whoever asks; a caller over the limit is told how long to wait instead of
//! being put to sleep, because the escalation engine reschedules on its own.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct Limiter {
    per_minute: u32,
    bucket: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    /// Starts full: after a quiet night, the first `per_minute` pages go at once.
    pub(crate) fn new(per_minute: u32) -> Limiter {
        Limiter {
            per_minute: per_minute.max(1),
            bucket: Mutex::new(Bucket {
                tokens: f64::from(per_minute.max(1)),
                at: Instant::now(),
            }),
        }
    }

    pub(crate) fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes one send, or says how long until one is available.
    pub(crate) fn take(&self) -> Result<(), Duration> {
        self.take_at(Instant::now())
    }

    pub(crate) fn take_at(&self, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * per_second).min(capacity);
        b.at = b.at.max(now);
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - b.tokens) / per_second;
            // Rounded up to whole milliseconds so a retry at `wait` succeeds.
            Err(Duration::from_millis((wait * 1000.0).ceil() as u64).max(Duration::from_millis(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill_per_minute() {
        let l = Limiter::new(2);
        let t0 = Instant::now();
        assert!(l.take_at(t0).is_ok());
        assert!(l.take_at(t0).is_ok());
        let wait = l.take_at(t0).unwrap_err();
        assert!(
            wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(l.take_at(t0 + Duration::from_secs(29)).is_err());
        assert!(l.take_at(t0 + Duration::from_secs(30)).is_ok());
        assert!(l.take_at(t0 + Duration::from_secs(31)).is_err());
    }

    #[test]
    fn refill_never_exceeds_the_burst() {
        let l = Limiter::new(3);
        let t0 = Instant::now() + Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(l.take_at(t0).is_ok());
        }
        assert!(l.take_at(t0).is_err());
    }
}
