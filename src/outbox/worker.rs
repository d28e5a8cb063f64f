//! Delivers outbox rows: claim, send, mark. Paces within Telegram's limits,
//! honours `retry_after`, retries temporary failures with backoff, records
//! permanent ones.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::OutMessage;
use crate::clock::{Clock, to_millis};
use crate::store::{ClaimedMessage, Store};

/// Why a send did not go through, as the worker needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryError {
    /// Telegram asked us to wait (HTTP 429).
    RetryAfter(Duration),
    /// Network trouble, 5xx, time-out: try again later.
    Transient(String),
    /// Will never succeed (blocked by the user, chat not found, bad request).
    Permanent(String),
}

/// The one small interface through which the bot sends anything.
pub trait Deliver: Clone + Send + Sync + 'static {
    /// Sends one message; returns the Telegram message id when there is one.
    fn deliver(
        &self,
        message: &OutMessage,
    ) -> impl Future<Output = Result<Option<i32>, DeliveryError>> + Send;
}

/// Limits the worker keeps to (Telegram's documented ones by default).
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub global_per_sec: f64,
    pub chat_per_sec: f64,
    pub chat_burst: f64,
    pub group_per_min: f64,
    /// A row left `sending` this long by a dead worker is sent again.
    pub claim_lease: Duration,
    /// Transient failures are retried this many times before the row is failed.
    pub max_attempts: i64,
    /// Sends in flight at once (each to a different chat).
    pub max_in_flight: usize,
    /// Send the most urgent lane first (true), or plain FIFO (the benchmark's baseline).
    pub by_lane: bool,
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
        }
    }
}

/// Sends in the last second, for the overall limit: Telegram counts any one
/// second, so a bucket that starts full could send twice the limit in the
/// first second. Kept under the limit for jitter (see [`GLOBAL_HEADROOM`]).
#[derive(Debug, Default)]
struct Window {
    sent: std::collections::VecDeque<Instant>,
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
}

/// A token bucket in real time (Telegram counts in real time, whatever the domain clock says).
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            at: Instant::now(),
        }
    }

    /// Time until a token is available (zero if one is).
    fn wait(&mut self, rate: f64, burst: f64) -> Duration {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.tokens) / rate)
        }
    }

    fn take(&mut self) {
        self.tokens -= 1.0;
    }
}

/// Share of the per-chat rate the worker uses (see [`OutboxWorker::pace`]).
const CHAT_HEADROOM: f64 = 0.95;

/// Share of the overall limit the worker uses: requests leave in one order and
/// arrive in a slightly different one (several are in flight, the machine may
/// be busy), and Telegram counts arrivals.
const GLOBAL_HEADROOM: f64 = 0.8;

pub struct OutboxWorker<D: Deliver> {
    store: Store,
    deliver: D,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
    pacing: Pacing,
    global: Window,
    chats: HashMap<i64, Bucket>,
    /// Sends under way, at most one per chat (a chat's messages keep their order).
    in_flight: JoinSet<Settled>,
    /// The outbox ids of those sends, whose claims each pass renews.
    sending: HashSet<i64>,
}

type Settled = (ClaimedMessage, Result<Option<i32>, DeliveryError>);

impl<D: Deliver> OutboxWorker<D> {
    pub fn new(
        store: Store,
        deliver: D,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
        pacing: Pacing,
    ) -> Self {
        let global = Window::default();
        OutboxWorker {
            store,
            deliver,
            clock,
            wake,
            pacing,
            global,
            chats: HashMap::new(),
            in_flight: JoinSet::new(),
            sending: HashSet::new(),
        }
    }

    /// Runs until the task is dropped; a database error is logged and retried.
    /// Sends to different chats run concurrently, so one slow chat (or a
    /// Telegram hiccup) does not hold back a manager's alert.
    pub async fn run(mut self) {
        loop {
            while let Some(done) = self.in_flight.try_join_next() {
                self.settle_joined(done).await;
            }
            let idle = match self.pass().await {
                Ok(idle) => idle,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "outbox pass failed");
                    Duration::from_secs(1)
                }
            };
            if idle.is_zero() {
                continue;
            }
            tokio::select! {
                Some(done) = self.in_flight.join_next(), if !self.in_flight.is_empty() => self.settle_joined(done).await,
                _ = tokio::time::timeout(idle, self.wake.notified()) => {}
            }
        }
    }

    async fn settle_joined(&mut self, done: Result<Settled, tokio::task::JoinError>) {
        let Ok((row, outcome)) = done else { return };
        self.sending.remove(&row.id);
        if let Err(error) = self.settle(row, outcome).await {
            tracing::error!(error = format!("{error:#}"), "could not record a send");
        }
    }

    /// Starts what is due and allowed now; returns how long to wait before the next pass.
    async fn pass(&mut self) -> anyhow::Result<Duration> {
        let now_ms = to_millis(self.clock.now());
        let sending: Vec<i64> = self.sending.iter().copied().collect();
        self.store.outbox_renew_claims(&sending, now_ms).await?;
        self.store
            .outbox_release_stale(now_ms - self.pacing.claim_lease.as_millis() as i64)
            .await?;
        let room = self
            .pacing
            .max_in_flight
            .saturating_sub(self.in_flight.len());
        let mut wait = Duration::from_secs(1);
        if room == 0 {
            return Ok(wait);
        }
        let due = self
            .store
            .outbox_due(now_ms, 100, self.pacing.by_lane)
            .await?;
        if let Some(next) = self.store.outbox_next_due().await?.filter(|n| *n > now_ms) {
            wait = wait.min(Duration::from_millis((next - now_ms) as u64));
        }
        let mut started = 0;
        for (id, chat_id) in due {
            if started == room {
                break;
            }
            let paced = self.pace(chat_id);
            if !paced.is_zero() {
                wait = wait.min(paced);
                continue;
            }
            if let Some(claimed) = self
                .store
                .outbox_claim(id, to_millis(self.clock.now()))
                .await?
            {
                self.take(chat_id);
                self.sending.insert(claimed.id);
                let deliver = self.deliver.clone();
                self.in_flight.spawn(async move {
                    let outcome = deliver.deliver(&claimed.message).await;
                    (claimed, outcome)
                });
                started += 1;
            }
        }
        Ok(if started > 0 {
            Duration::ZERO
        } else {
            wait.max(Duration::from_millis(5))
        })
    }

    fn pace(&mut self, chat_id: i64) -> Duration {
        let p = self.pacing;
        let global = self.global.wait(p.global_per_sec);
        let (rate, burst) = if chat_id < 0 {
            (p.group_per_min / 60.0, 3.0)
        } else {
            (p.chat_per_sec, p.chat_burst)
        };
        // The token is taken before the claim's database round trip, Telegram
        // counts when the request arrives: a slow claim followed by a fast one
        // would bring two sends closer than the rate. A little headroom keeps
        // that jitter (larger on a networked PostgreSQL) from earning a 429.
        let rate = rate * CHAT_HEADROOM;
        let chat = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| Bucket::full(burst))
            .wait(rate, burst);
        global.max(chat)
    }

    fn take(&mut self, chat_id: i64) {
        self.global.take();
        if let Some(bucket) = self.chats.get_mut(&chat_id) {
            bucket.take();
        }
    }

    /// Records how a send went: sent, retry later, or failed for good.
    async fn settle(
        &mut self,
        row: ClaimedMessage,
        outcome: Result<Option<i32>, DeliveryError>,
    ) -> anyhow::Result<()> {
        let now_ms = to_millis(self.clock.now());
        match outcome {
            Ok(message_id) => self.store.outbox_sent(row.id, now_ms, message_id).await,
            Err(DeliveryError::RetryAfter(after)) => {
                tracing::debug!(outbox_id = row.id, ?after, "telegram asked to slow down");
                // The chat (and everything) waits too: drain its bucket.
                if let Some(bucket) = self.chats.get_mut(&row.chat_id) {
                    bucket.tokens = -(after.as_secs_f64() * self.pacing.chat_per_sec);
                }
                let next = now_ms + after.as_millis() as i64;
                self.store
                    .outbox_retry(row.id, next, "429 too many requests")
                    .await
            }
            Err(DeliveryError::Transient(error)) if row.attempts < self.pacing.max_attempts => {
                let backoff = 2_i64
                    .saturating_pow(row.attempts.clamp(0, 8) as u32)
                    .min(300);
                tracing::warn!(
                    outbox_id = row.id,
                    attempts = row.attempts,
                    error,
                    "send failed, will retry"
                );
                self.store
                    .outbox_retry(row.id, now_ms + backoff * 1000, &error)
                    .await
            }
            Err(DeliveryError::Transient(error)) | Err(DeliveryError::Permanent(error)) => {
                tracing::warn!(
                    outbox_id = row.id,
                    chat_id = row.chat_id,
                    error,
                    "message could not be delivered"
                );
                self.store.outbox_failed(row.id, &error).await
            }
        }
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
}
