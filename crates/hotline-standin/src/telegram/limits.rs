//! Telegram's flood limits, so that a bot which would be throttled in production is
//! throttled in tests too.
//!
//! Private chats: a token bucket refilled at 1 message/s holding `private_burst`
//! messages (Telegram tolerates short bursts). Groups (negative chat ids): at most
//! `group_per_min` messages in any 60 s window. Everything: at most `global_per_sec`
//! messages in any 1 s window. Paid broadcasts (`allow_paid_broadcast`) do not count
//! against that, only against their own [`PAID_PER_SEC`] (the chat's limit still holds).

use std::{
    collections::{HashMap, VecDeque},
    time::{Duration, Instant},
};

use super::StandInOptions;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

/// Telegram's limit for paid broadcasts, in any 1 s window.
pub const PAID_PER_SEC: usize = 1000;

pub(super) struct Limits {
    pub enforce: bool,
    private_burst: u32,
    global_per_sec: u32,
    group_per_min: u32,
    global: VecDeque<Instant>,
    paid: VecDeque<Instant>,
    groups: HashMap<i64, VecDeque<Instant>>,
    private: HashMap<i64, Bucket>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Limits {
    pub fn new(opts: &StandInOptions) -> Self {
        Limits {
            enforce: opts.enforce_limits,
            private_burst: opts.private_burst.max(1),
            global_per_sec: opts.global_per_sec.max(1),
            group_per_min: opts.group_per_min.max(1),
            global: VecDeque::new(),
            paid: VecDeque::new(),
            groups: HashMap::new(),
            private: HashMap::new(),
        }
    }

    /// Admits one message to `chat_id` at `now`, or returns the `retry_after` seconds
    /// Telegram would answer. A rejected message does not use up any budget.
    pub fn admit(&mut self, chat_id: i64, now: Instant) -> Result<(), u64> {
        if !self.enforce {
            return Ok(());
        }
        prune(&mut self.global, now, SECOND);
        if self.global.len() >= self.global_per_sec as usize {
            return Err(wait_secs(&self.global, now, SECOND));
        }
        if chat_id < 0 {
            self.admit_group(chat_id, now)?;
        } else {
            self.admit_private(chat_id, now)?;
        }
        self.global.push_back(now);
        Ok(())
    }

    /// [`Limits::admit`] for a paid broadcast: its own 1,000/s instead of the overall limit.
    pub fn admit_paid(&mut self, chat_id: i64, now: Instant) -> Result<(), u64> {
        if !self.enforce {
            return Ok(());
        }
        prune(&mut self.paid, now, SECOND);
        if self.paid.len() >= PAID_PER_SEC {
            return Err(wait_secs(&self.paid, now, SECOND));
        }
        if chat_id < 0 {
            self.admit_group(chat_id, now)?;
        } else {
            self.admit_private(chat_id, now)?;
        }
        self.paid.push_back(now);
        Ok(())
    }

    fn admit_group(&mut self, chat_id: i64, now: Instant) -> Result<(), u64> {
        let window = self.groups.entry(chat_id).or_default();
        prune(window, now, MINUTE);
        if window.len() >= self.group_per_min as usize {
            return Err(wait_secs(window, now, MINUTE));
        }
        window.push_back(now);
        Ok(())
    }

    fn admit_private(&mut self, chat_id: i64, now: Instant) -> Result<(), u64> {
        let burst = f64::from(self.private_burst);
        let bucket = self.private.entry(chat_id).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        let refill = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.last = now;
        if bucket.tokens < 1.0 {
            return Err(((1.0 - bucket.tokens).ceil() as u64).max(1));
        }
        bucket.tokens -= 1.0;
        Ok(())
    }
}

/// Drops the instants that left the window.
fn prune(window: &mut VecDeque<Instant>, now: Instant, span: Duration) {
    while window
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= span)
    {
        window.pop_front();
    }
}

/// Whole seconds (at least 1) until the oldest instant leaves the window.
fn wait_secs(window: &VecDeque<Instant>, now: Instant, span: Duration) -> u64 {
    let oldest = window.front().copied().unwrap_or(now);
    let left = span.saturating_sub(now.saturating_duration_since(oldest));
    left.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::new(&StandInOptions::default())
    }

    #[test]
    fn private_burst_then_one_per_second() {
        let mut l = limits();
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.admit(7, t).is_ok());
        }
        assert_eq!(l.admit(7, t), Err(1));
        assert!(l.admit(8, t).is_ok(), "other chats are unaffected");
        assert!(l.admit(7, t + SECOND).is_ok());
    }

    #[test]
    fn group_twenty_per_minute() {
        let mut l = limits();
        let t = Instant::now();
        for i in 0..20 {
            assert!(l.admit(-5, t + SECOND * i).is_ok());
        }
        assert_eq!(l.admit(-5, t + SECOND * 20), Err(40));
        assert!(l.admit(-5, t + MINUTE).is_ok());
    }

    #[test]
    fn paid_broadcasts_skip_the_thirty_but_not_the_thousand() {
        let mut l = limits();
        let t = Instant::now();
        for chat in 0..30 {
            assert!(l.admit(chat, t).is_ok());
        }
        for chat in 100..1100 {
            assert!(l.admit_paid(chat, t).is_ok(), "chat {chat}");
        }
        assert_eq!(l.admit_paid(5000, t), Err(1));
        assert_eq!(l.admit(5001, t), Err(1));
        assert!(l.admit_paid(5000, t + SECOND).is_ok());
    }

    #[test]
    fn global_thirty_per_second() {
        let mut l = limits();
        let t = Instant::now();
        for chat in 0..30 {
            assert!(l.admit(chat, t).is_ok());
        }
        assert_eq!(l.admit(99, t), Err(1));
        l.enforce = false;
        assert!(l.admit(99, t).is_ok());
    }
}
