//! Telegram's rate limits, kept by the worker before each send: about 30
//! messages a second overall, 1 a second per private chat (short bursts
//! tolerated), 20 a minute per group. Counted in real time, whatever the
//! domain clock says: Telegram counts arrivals on its own clock. Paid
//! broadcasts (`allow_paid_broadcast`) have a budget of their own, 1,000 a
//! second, and do not use the 30.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::Lane;
use super::window::Window;
use crate::domain::ChatId;

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
    /// One request's limit: a hung request is given up after this.
    pub send_timeout: Duration,
    /// An alert's call with no answer after this gets a second attempt
    /// (once per alert; see `outbox::send`); both are given up as long
    /// again later.
    pub alert_timeout: Duration,
    /// A call with no answer after this stops counting against
    /// `max_in_flight` (it still holds its chat until its limit) and is
    /// taken to have reached Telegram (see [`super::window`]), so hung
    /// calls do not hold every slot; at most `HUNG_PER_SLOT` times
    /// `max_in_flight` calls are under way in all.
    pub hung_after: Duration,
    /// Share of the overall limit used (see [`super::window`]).
    pub global_headroom: f64,
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
            send_timeout: Duration::from_secs(5),
            alert_timeout: Duration::from_secs(2),
            hung_after: Duration::from_secs(1),
            global_headroom: GLOBAL_HEADROOM,
        }
    }
}

/// Calls under way in all, hung ones included, per slot of `max_in_flight`.
pub const HUNG_PER_SLOT: usize = 4;

/// Share of the per-chat rate the worker uses. A chat has one send in flight
/// at a time and its bucket refills only from that send's answer (see
/// [`Pacer::settled`]): Telegram, counting arrivals, never sees two sends
/// closer than the bucket allowed. The margin covers rounding only.
const CHAT_HEADROOM: f64 = 0.99;

/// Tokens of a chat's burst that only an alert may use: a manager's chat
/// busy with replies or broadcasts still takes the next alert at once.
const ALERT_RESERVE: f64 = 1.0;

/// Share of the overall limit the worker uses. Counted from each send's
/// start to a second after its completion (or after `hung_after`), the window cannot be exceeded
/// where Telegram counts (see [`super::window`]); the small margin is for
/// Telegram's own counting, which it does not document to the millisecond.
const GLOBAL_HEADROOM: f64 = 0.95;

/// Telegram's limit for paid broadcasts, across all chats.
const PAID_PER_SEC: f64 = 1000.0;

/// Sends that may start together before the overall rate spaces them out.
const SPREAD_BURST: f64 = 3.0;

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
        self.wait_for(rate, burst, 1.0)
    }

    /// Time until the bucket holds `need` tokens (zero if it does).
    fn wait_for(&mut self, rate: f64, burst: f64, need: f64) -> Duration {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.at = now;
        if self.tokens >= need {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((need - self.tokens) / rate)
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
    /// The id of the next slot taken in either window.
    next_slot: u64,
    /// Spreads the overall budget evenly over the second: sends started in
    /// a bunch may arrive late together with the next ones and exceed what
    /// Telegram counts in one second, though they left within the window.
    spread: Bucket,
    chats: HashMap<ChatId, Bucket>,
}

impl Pacer {
    pub(super) fn new(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            sharers: 1,
            global: Window::new(pacing.hung_after),
            paid: Window::new(pacing.hung_after),
            next_slot: 0,
            spread: Bucket::full(SPREAD_BURST),
            chats: HashMap::new(),
        }
    }

    /// How long until a message in `lane` to `chat_id` may leave (zero: now).
    pub(super) fn wait(&mut self, chat_id: ChatId, lane: Lane) -> Duration {
        let p = self.pacing;
        let per_sec = p.global_per_sec / f64::from(self.sharers);
        let headroom = p.global_headroom;
        let spread = self.spread.wait(per_sec * headroom, SPREAD_BURST);
        let global = self.global.wait(limit(per_sec, headroom)).max(spread);
        global.max(self.chat_wait(chat_id, lane))
    }

    /// The chat's own limit: an alert may use the whole burst, other
    /// messages leave [`ALERT_RESERVE`] of it.
    fn chat_wait(&mut self, chat_id: ChatId, lane: Lane) -> Duration {
        let (rate, burst) = limits(&self.pacing, chat_id);
        let need = match lane {
            Lane::Alert => 1.0,
            _ => (1.0 + ALERT_RESERVE).min(burst),
        };
        self.chats
            .entry(chat_id)
            .or_insert_with(|| Bucket::full(burst))
            .wait_for(rate * CHAT_HEADROOM, burst, need)
    }

    /// The send to `chat_id` has its answer: the chat's bucket refills from
    /// now, not from when the send was paced (Telegram counted it somewhere
    /// in between).
    pub(super) fn settled(&mut self, chat_id: ChatId) {
        let (_, burst) = limits(&self.pacing, chat_id);
        // Forgotten while the send was slow: it still took a token.
        let bucket = self.chats.entry(chat_id).or_insert(Bucket {
            tokens: burst - 1.0,
            at: Instant::now(),
        });
        bucket.at = Instant::now();
    }

    /// How long until a paid broadcast to `chat_id` may leave: the chat's
    /// own limit still holds, the overall 30/s does not.
    pub(super) fn wait_paid(&mut self, chat_id: ChatId) -> Duration {
        let per_sec = PAID_PER_SEC / f64::from(self.sharers);
        let global = self.paid.wait(limit(per_sec, self.pacing.global_headroom));
        global.max(self.chat_wait(chat_id, Lane::Broadcast))
    }

    /// Counts one paid broadcast to `chat_id` against its limits; returns
    /// its slot (see [`Pacer::started`], [`Pacer::done`]).
    pub(super) fn take_paid(&mut self, chat_id: ChatId) -> u64 {
        let slot = self.slot();
        self.paid.take(slot);
        if let Some(bucket) = self.chats.get_mut(&chat_id) {
            bucket.take();
        }
        slot
    }

    /// Counts one message to `chat_id` against the limits; returns its slot.
    pub(super) fn take(&mut self, chat_id: ChatId) -> u64 {
        let slot = self.slot();
        self.global.take(slot);
        self.spread.take();
        if let Some(bucket) = self.chats.get_mut(&chat_id) {
            bucket.take();
        }
        slot
    }

    fn slot(&mut self) -> u64 {
        self.next_slot += 1;
        self.next_slot
    }

    /// The send of `slot` will not be made (another instance took the row).
    pub(super) fn cancel(&mut self, slot: u64) {
        self.global.cancel(slot);
        self.paid.cancel(slot);
    }

    /// The send of `slot` has its answer.
    pub(super) fn done(&mut self, slot: u64) {
        self.global.done(slot);
        self.paid.done(slot);
    }

    /// `sharers` workers (this one included) now share the overall budget:
    /// one bot token has one limit, however many instances send.
    pub(super) fn share(&mut self, sharers: u32) {
        self.sharers = sharers.max(1);
    }

    /// Telegram said "retry after": the chat's next message may leave once
    /// that time has passed, and not before.
    pub(super) fn hold(&mut self, chat_id: ChatId, after: Duration) {
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

/// Sends a window of one second holds at `per_sec` with `headroom`.
fn limit(per_sec: f64, headroom: f64) -> usize {
    ((per_sec * headroom).floor() as usize).max(1)
}

/// (rate per second, burst) for a chat: groups have negative ids.
fn limits(p: &Pacing, chat_id: ChatId) -> (f64, f64) {
    if chat_id.0 < 0 {
        (p.group_per_min / 60.0, 3.0)
    } else {
        (p.chat_per_sec, p.chat_burst)
    }
}

#[cfg(test)]
#[path = "pacing_tests.rs"]
mod tests;
