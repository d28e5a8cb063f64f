//! Telegram's rate limits, kept by the worker before each send: about 30
//! messages a second overall, 1 a second per private chat (short bursts
//! tolerated), 20 a minute per group. Counted in real time, whatever the
//! domain clock says: Telegram counts arrivals on its own clock. Paid
//! broadcasts (`allow_paid_broadcast`) have a budget of their own, 1,000 a
//! second, and do not use the 30.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Limits and knobs the worker keeps to (Telegram's documented limits by default).
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub global_per_sec: f64,
    pub chat_per_sec: f64,
    pub chat_burst: f64,
    pub group_per_min: f64,
    /// A row left `sending` this long with no known owner (written before
    /// owners were recorded) is sent again. Rows of a dead instance are
    /// released as soon as its death is known, without waiting for this.
    pub claim_lease: Duration,
    /// Transient failures are retried this many times before the row is failed.
    pub max_attempts: i64,
    /// Sends in flight at once (each to a different chat; at most one alert).
    pub max_in_flight: usize,
    /// Send the most urgent lane first (true), or plain FIFO (the benchmark's baseline).
    pub by_lane: bool,
    /// One request's limit: a hung request gives up its slot after this.
    pub send_timeout: Duration,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing {
            global_per_sec: 30.0,
            chat_per_sec: 1.0,
            chat_burst: 3.0,
            group_per_min: 20.0,
            claim_lease: Duration::from_secs(60),
            max_attempts: 25,
            max_in_flight: 8,
            by_lane: true,
            send_timeout: Duration::from_secs(5),
        }
    }
}

/// Share of the per-chat rate the worker uses: the token is taken before the
/// claim's database round trip and Telegram counts when the request arrives,
/// so a slow claim followed by a fast one brings two sends closer than the rate.
const CHAT_HEADROOM: f64 = 0.95;

/// Share of the overall limit the worker uses: requests leave in one order and
/// arrive in a slightly different one (several are in flight, the machine may
/// be busy), and Telegram counts arrivals.
const GLOBAL_HEADROOM: f64 = 0.8;

/// Telegram's limit for paid broadcasts, across all chats.
const PAID_PER_SEC: f64 = 1000.0;

/// Sends that may start together before the overall rate spaces them out.
const SPREAD_BURST: f64 = 3.0;

/// Sends in the last second, for the overall limit: Telegram counts any one
/// second, so a bucket that starts full could send twice the limit in the
/// first second.
#[derive(Debug, Default)]
struct Window {
    sent: VecDeque<Instant>,
}

impl Window {
    fn wait(&mut self, per_sec: f64) -> Duration {
        let now = Instant::now();
        while self
            .sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.sent.pop_front();
        }
        let limit = ((per_sec * GLOBAL_HEADROOM).floor() as usize).max(1);
        match self.sent.front() {
            Some(oldest) if self.sent.len() >= limit => {
                Duration::from_secs(1).saturating_sub(now.duration_since(*oldest))
            }
            _ => Duration::ZERO,
        }
    }

    fn take(&mut self) {
        self.sent.push_back(Instant::now());
    }

    /// Replaces the newest `taken` sends by `kept` sends stamped now.
    fn restamp(&mut self, taken: usize, kept: usize) {
        let keep_len = self.sent.len().saturating_sub(taken);
        self.sent.truncate(keep_len);
        let now = Instant::now();
        self.sent.extend(std::iter::repeat_n(now, kept));
    }
}

/// A token bucket in real time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub(super) fn full(burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            at: Instant::now(),
        }
    }

    /// Time until a token is available (zero if one is).
    pub(super) fn wait(&mut self, rate: f64, burst: f64) -> Duration {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.tokens) / rate)
        }
    }

    pub(super) fn take(&mut self) {
        self.tokens -= 1.0;
    }
}

/// The worker's view of the limits: one overall window, one bucket per chat.
#[derive(Debug)]
pub(super) struct Pacer {
    pacing: Pacing,
    /// How many workers (instances) share the overall budget.
    sharers: u32,
    global: Window,
    /// Paid broadcasts in the last second: their own budget.
    paid: Window,
    /// Spreads the overall budget evenly over the second: sends started in
    /// a bunch may arrive late together with the next ones and exceed what
    /// Telegram counts in one second, though they left within the window.
    spread: Bucket,
    chats: HashMap<i64, Bucket>,
}

impl Pacer {
    pub(super) fn new(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            sharers: 1,
            global: Window::default(),
            paid: Window::default(),
            spread: Bucket::full(SPREAD_BURST),
            chats: HashMap::new(),
        }
    }

    /// How long until a message to `chat_id` may leave (zero: now).
    pub(super) fn wait(&mut self, chat_id: i64) -> Duration {
        let p = self.pacing;
        let per_sec = p.global_per_sec / f64::from(self.sharers);
        let spread = self.spread.wait(per_sec * GLOBAL_HEADROOM, SPREAD_BURST);
        let global = self.global.wait(per_sec).max(spread);
        let (rate, burst) = limits(&p, chat_id);
        let chat = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| Bucket::full(burst))
            .wait(rate * CHAT_HEADROOM, burst);
        global.max(chat)
    }

    /// How long until a paid broadcast to `chat_id` may leave: the chat's
    /// own limit still holds, the overall 30/s does not.
    pub(super) fn wait_paid(&mut self, chat_id: i64) -> Duration {
        let per_sec = PAID_PER_SEC / f64::from(self.sharers);
        let global = self.paid.wait(per_sec);
        let (rate, burst) = limits(&self.pacing, chat_id);
        let chat = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| Bucket::full(burst))
            .wait(rate * CHAT_HEADROOM, burst);
        global.max(chat)
    }

    /// Counts one paid broadcast to `chat_id` against its limits.
    pub(super) fn take_paid(&mut self, chat_id: i64) {
        self.paid.take();
        if let Some(bucket) = self.chats.get_mut(&chat_id) {
            bucket.take();
        }
    }

    /// Counts one message to `chat_id` against the limits.
    pub(super) fn take(&mut self, chat_id: i64) {
        self.global.take();
        self.spread.take();
        if let Some(bucket) = self.chats.get_mut(&chat_id) {
            bucket.take();
        }
    }

    /// `sharers` workers (this one included) now share the overall budget:
    /// one bot token has one limit, however many instances send.
    pub(super) fn share(&mut self, sharers: u32) {
        self.sharers = sharers.max(1);
    }

    /// The claim of `taken` sends counted in this pass came back with `kept`
    /// rows: those leave now (a claim may have waited for the database, and
    /// Telegram counts arrivals), the others were never sent.
    pub(super) fn claimed(&mut self, taken: usize, kept: usize) {
        self.global.restamp(taken, kept);
    }

    /// [`Pacer::claimed`] for the paid broadcasts of the same claim.
    pub(super) fn claimed_paid(&mut self, taken: usize, kept: usize) {
        self.paid.restamp(taken, kept);
    }

    /// Telegram said "retry after": the chat's next message may leave once
    /// that time has passed, and not before.
    pub(super) fn hold(&mut self, chat_id: i64, after: Duration) {
        let (rate, burst) = limits(&self.pacing, chat_id);
        let bucket = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| Bucket::full(burst));
        bucket.tokens = 1.0 - after.as_secs_f64() * rate * CHAT_HEADROOM;
        bucket.at = Instant::now();
    }

    /// Forgets buckets that are full again, so ten thousand chats answered
    /// once do not stay in memory.
    pub(super) fn forget_idle(&mut self) {
        let p = self.pacing;
        let now = Instant::now();
        self.chats.retain(|chat_id, b| {
            let (rate, burst) = limits(&p, *chat_id);
            b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst
        });
    }
}

/// (rate per second, burst) for a chat: groups have negative ids.
fn limits(p: &Pacing, chat_id: i64) -> (f64, f64) {
    if chat_id < 0 {
        (p.group_per_min / 60.0, 3.0)
    } else {
        (p.chat_per_sec, p.chat_burst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_paces() {
        let mut b = Bucket::full(3.0);
        for _ in 0..3 {
            assert!(b.wait(1.0, 3.0).is_zero());
            b.take();
        }
        let wait = b.wait(1.0, 3.0);
        assert!(
            wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
    }

    #[test]
    fn the_overall_window_keeps_headroom_under_the_limit() {
        let mut w = Window::default();
        for _ in 0..24 {
            assert!(w.wait(30.0).is_zero());
            w.take();
        }
        assert!(!w.wait(30.0).is_zero(), "24 = 80 % of 30 in one second");
    }

    #[test]
    fn sends_to_many_chats_are_spread_over_the_second() {
        let mut p = Pacer::new(Pacing::default());
        for chat in 0..3 {
            assert!(p.wait(chat).is_zero(), "chat {chat}");
            p.take(chat);
        }
        let wait = p.wait(99);
        assert!(
            wait > Duration::from_millis(30) && wait <= Duration::from_millis(42),
            "one every 1/24 s: {wait:?}"
        );
    }

    #[test]
    fn paid_broadcasts_do_not_use_the_overall_budget() {
        let mut p = Pacer::new(Pacing::default());
        for chat in 0..500 {
            assert!(p.wait_paid(chat).is_zero(), "chat {chat}");
            p.take_paid(chat);
        }
        assert!(p.wait(999).is_zero(), "ordinary sends still have theirs");
        p.take_paid(7);
        p.take_paid(7);
        assert!(!p.wait_paid(7).is_zero(), "a chat's own limit still holds");
    }

    #[test]
    fn retry_after_holds_the_chat_exactly_that_long() {
        let mut p = Pacer::new(Pacing::default());
        p.hold(7, Duration::from_secs(1));
        let wait = p.wait(7);
        assert!(
            wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
    }
}
