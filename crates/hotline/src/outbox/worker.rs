//! Delivers outbox rows: claim, send, mark.
//!
//! The worker has its own small pool, so its claims and marks do not wait
//! for a connection behind intake's transactions (on SQLite they take the
//! process's write turn, first come first served, and so wait behind one
//! intake batch at most); it claims what may leave now in one statement,
//! and looks for a dead worker's rows on a timer, not every pass.
//! Sends to different chats run concurrently (a slow chat or a Telegram
//! hiccup does not hold back a manager's alert), each with a short timeout of
//! its own (shorter for alerts, which get a second attempt when the first
//! hangs: see `send`). A call with no answer after `Pacing::hung_after` stops
//! counting against `max_in_flight`, and an alert has a slot of its own, so
//! hung calls never hold every slot. At most [`ALERTS_AT_ONCE`] alerts are
//! in flight, each to another manager's chat, so a crash repeats at most
//! that many alerts (one per manager); other lanes repeat at most the calls
//! under way (`HUNG_PER_SLOT` × `max_in_flight`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};
use tokio::task::{Id, JoinError, JoinSet};

use super::breaker::Breaker;
use super::pacing::{HUNG_PER_SLOT, Pacer};
use super::send::{self, Limit};
use super::{Deliver, DeliveryError, Lane, parts};
use crate::clock::{Clock, to_millis};
use crate::domain::ChatId;
use crate::domain::reach::is_reach_key;
use crate::store::{ClaimedMessage, DueRow, SenderLease, Store};

pub use super::pacing::Pacing;

#[path = "settle.rs"]
mod settle;

/// Connections of the worker's own pool: one for claims and marks, one spare
/// for a mark while a claim runs.
const WORKER_CONNECTIONS: u32 = 2;

/// How often the worker looks for rows a dead worker left `sending`.
const SWEEP_EVERY: Duration = Duration::from_secs(2);

/// The longest a notification beyond Telegram may take (texts, calls, robots).
const REACH_SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a graceful stop waits for the sends under way: longer than a
/// Telegram send's own timeout (`Pacing::send_timeout`, 5 s), well inside
/// systemd's `TimeoutStopSec`. A text or call beyond Telegram still under
/// way then goes again after the restart.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// How many due rows one pass looks at.
const PAGE: i64 = 100;

/// Alerts in flight at once, each to a different chat. One at a time made
/// every manager's alert wait while one alert call hung (up to twice
/// `alert_timeout`): in a flood with 10 % of calls hanging, alert p99 grew
/// to 16 s. Three bound what a crash can repeat to three managers, one
/// alert each.
pub const ALERTS_AT_ONCE: usize = 3;

/// Attempts of one alert row that may have an extra call when they hang
/// (see `send`): each can add one duplicate, and only if Telegram delivered
/// a call it never answered. Only the first had one, and an alert whose first
/// two calls hung waited 4 s more for each further hang (alert p99 8.4 s in
/// the fault flood, every slow alert one such run of hangs).
pub const HEDGED_ATTEMPTS: usize = 3;

pub struct OutboxWorker<D: Deliver> {
    store: Store,
    deliver: D,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
    pacing: Pacing,
    pacer: Pacer,
    lease: SenderLease,
    /// Sends under way, at most one per chat (a chat's messages keep their order).
    in_flight: JoinSet<Settled>,
    /// The chat, pacing slot and start of each send under way: a chat has
    /// one at a time.
    chats_in_flight: HashMap<Id, (ChatId, Option<u64>, Instant)>,
    /// How many of each alert row's attempts had an extra call (see `send`):
    /// at most [`HEDGED_ATTEMPTS`].
    hedged: HashMap<i64, usize>,
    /// The sends under way that carry an alert.
    alerts: HashSet<Id>,
    /// Whether a notification beyond Telegram is among them.
    reach_in_flight: bool,
    last_sweep: Option<Instant>,
    /// Live workers sharing the overall budget, as last counted.
    sharers: u32,
    /// Whether Telegram answers (see `breaker`).
    breaker: Breaker,
}

/// A finished send: the row, how many parts its text has, and the outcome.
type Settled = (ClaimedMessage, usize, Result<Option<i32>, DeliveryError>);

/// A send's task as it ended: finished, or panicked.
type Joined = Result<(Id, Settled), JoinError>;

impl<D: Deliver> OutboxWorker<D> {
    pub fn new(
        store: Store,
        deliver: D,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
        pacing: Pacing,
    ) -> Self {
        let store = store.dedicated(WORKER_CONNECTIONS);
        let lease = store.sender_lease();
        OutboxWorker {
            store,
            deliver,
            clock,
            wake,
            pacing,
            pacer: Pacer::new(pacing),
            lease,
            in_flight: JoinSet::new(),
            chats_in_flight: HashMap::new(),
            hedged: HashMap::new(),
            alerts: HashSet::new(),
            reach_in_flight: false,
            last_sweep: None,
            sharers: 1,
            breaker: Breaker::default(),
        }
    }

    /// Runs until the task is dropped; a database error is logged and retried.
    pub async fn run(self) {
        let (_never, stop) = watch::channel(false);
        self.run_until(stop).await;
    }

    /// Runs until `stop` turns true (or its sender is gone), then claims
    /// nothing more and lets the sends under way finish and be recorded (see
    /// `finish_in_flight`), so a restart does not send them a second time.
    pub async fn run_until(mut self, mut stop: watch::Receiver<bool>) {
        while let Err(error) = self.lease.start().await {
            tracing::error!(
                error = format!("{error:#}"),
                "outbox worker could not start"
            );
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        while !*stop.borrow() {
            let done = self.finished(None);
            self.settle_joined(done).await;
            if let Err(error) = self.sweep_if_due().await {
                tracing::error!(error = format!("{error:#}"), "outbox sweep failed");
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
                Some(first) = self.in_flight.join_next_with_id(), if !self.in_flight.is_empty() => {
                    let done = self.finished(Some(first));
                    self.settle_joined(done).await;
                }
                _ = tokio::time::timeout(idle, self.wake.notified()) => {}
                changed = stop.changed() => if changed.is_err() { break },
            }
        }
        self.finish_in_flight(STOP_GRACE).await;
    }

    /// Every [`SWEEP_EVERY`]: counts the instances sharing the budget and
    /// gives back the rows of dead workers.
    async fn sweep_if_due(&mut self) -> anyhow::Result<()> {
        if self.last_sweep.is_some_and(|at| at.elapsed() < SWEEP_EVERY) {
            return Ok(());
        }
        self.last_sweep = Some(Instant::now());
        self.pacer.forget_idle();
        let lease_start = to_millis(self.clock.now()) - self.pacing.claim_lease.as_millis() as i64;
        let sharers = self.lease.live_senders().await?;
        if sharers != self.sharers {
            tracing::info!(sharers, "instances sharing Telegram's budget");
            self.sharers = sharers;
            self.pacer.share(sharers);
        }
        let released =
            self.lease.sweep().await? + self.store.outbox_release_unowned(lease_start).await?;
        if released > 0 {
            tracing::info!(released, "sending again what a dead worker left in flight");
        }
        Ok(())
    }

    /// Starts what is due and allowed now; returns how long to wait before the next pass.
    async fn pass(&mut self) -> anyhow::Result<Duration> {
        let (room, alert_room, hangs_in) = self.room();
        let mut wait = SWEEP_EVERY.min(Duration::from_secs(1));
        if let Some(hangs_in) = hangs_in {
            wait = wait.min(hangs_in);
        }
        if room == 0 && !alert_room {
            return Ok(wait);
        }
        let now_ms = to_millis(self.clock.now());
        self.store.outbox_tidy_heads(now_ms).await?;
        let due = self.store.outbox_due(now_ms, PAGE).await?;
        if due.is_empty()
            && let Some(next) = self.store.outbox_next_due().await?.filter(|n| *n > now_ms)
        {
            wait = wait.min(Duration::from_millis((next - now_ms) as u64));
        }
        // A pacing slot for each picked row; None for a notification beyond
        // Telegram, which the gateway paces by its provider's limits.
        let mut picked: Vec<(i64, Option<u64>)> = Vec::new();
        let mut others_picked = 0;
        let mut alerts_picked = self.alerts.len();
        let mut reach_picked = self.reach_in_flight;
        let alert_due = due
            .iter()
            .any(|r| r.lane == Lane::Alert && !is_reach_key(r.chat_id));
        self.breaker.recovering &= alert_due;
        for row in due {
            let alert = row.lane == Lane::Alert && !is_reach_key(row.chat_id);
            if others_picked == room && (alerts_picked >= ALERTS_AT_ONCE || !alert_room) {
                break;
            }
            if others_picked == room && !alert {
                continue; // only the alert's own slot is left
            }
            if self
                .chats_in_flight
                .values()
                .any(|(c, _, _)| *c == row.chat_id)
            {
                continue;
            }
            // Beyond Telegram (texts, calls, robots): not Telegram's budget;
            // one at a time, so a crash repeats at most one.
            if is_reach_key(row.chat_id) {
                if !reach_picked {
                    reach_picked = true;
                    others_picked += 1;
                    picked.push((row.id, None));
                }
                continue;
            }
            if row.lane == Lane::Alert && alerts_picked >= ALERTS_AT_ONCE {
                continue;
            }
            let slot = match self.telegram_turn(&row) {
                Ok(slot) => slot,
                Err(until) => {
                    wait = wait.min(until.unwrap_or(wait));
                    continue;
                }
            };
            alerts_picked += usize::from(alert);
            others_picked += usize::from(!alert);
            picked.push((row.id, slot));
        }
        let ids: Vec<i64> = picked.iter().map(|(id, _)| *id).collect();
        let claimed = self
            .store
            .outbox_claim(&ids, self.lease.id(), to_millis(self.clock.now()))
            .await?;
        let started = !claimed.is_empty();
        for (id, slot) in &picked {
            let Some(slot) = *slot else { continue };
            if !claimed.iter().any(|row| row.id == *id) {
                self.pacer.cancel(slot);
                self.breaker.cancelled();
            }
        }
        for row in claimed {
            let slot = picked.iter().find(|(id, _)| *id == row.id);
            self.start(row, slot.and_then(|(_, slot)| *slot));
        }
        Ok(if started {
            Duration::ZERO
        } else {
            wait.max(Duration::from_millis(5))
        })
    }

    /// Whether `row` may start now as far as Telegram is concerned: its
    /// place in Telegram's pacing (the breaker told it started), or how long
    /// to wait (None: no sooner than the pass's own wait). A WeChat
    /// resident's row uses none of Telegram's budget and neither waits for
    /// nor probes its breaker: WeChat limits by its own quotas, which its
    /// errors report (see `wechat::deliver`).
    fn telegram_turn(&mut self, row: &DueRow) -> Result<Option<u64>, Option<Duration>> {
        if row.chat_id.is_wechat() {
            return Ok(None);
        }
        self.breaker.allows(Instant::now()).map_err(Some)?;
        if self.breaker.recovering && row.lane != Lane::Alert {
            return Err(None); // after an outage, the alerts first
        }
        let paced = if row.paid {
            self.pacer.wait_paid(row.chat_id)
        } else {
            self.pacer.wait(row.chat_id, row.lane)
        };
        if !paced.is_zero() {
            return Err(Some(paced));
        }
        let slot = if row.paid {
            self.pacer.take_paid(row.chat_id)
        } else {
            self.pacer.take(row.chat_id)
        };
        self.breaker.started();
        Ok(Some(slot))
    }

    /// Room for sends other than an alert; whether an alert may start (it
    /// has a slot of its own); when the youngest answered-for call will
    /// count as hung (a pass then finds its slot free).
    fn room(&self) -> (usize, bool, Option<Duration>) {
        let now = Instant::now();
        let hung_after = self.pacing.hung_after;
        let mut hangs_in: Option<Duration> = None;
        let mut waiting = 0;
        for (_, _, started) in self.chats_in_flight.values() {
            let age = now.duration_since(*started);
            if age < hung_after {
                waiting += 1;
                hangs_in = Some(hangs_in.map_or(hung_after - age, |h| h.min(hung_after - age)));
            }
        }
        let cap = self.pacing.max_in_flight * HUNG_PER_SLOT;
        let free = cap.saturating_sub(self.in_flight.len());
        let room = self.pacing.max_in_flight.saturating_sub(waiting).min(free);
        let alert_room = self.alerts.len() < ALERTS_AT_ONCE && free > room;
        (room, alert_room, hangs_in)
    }

    /// Whether this attempt of alert row `id` may have an extra call.
    fn hedge(&mut self, id: i64) -> bool {
        let hedges = self.hedged.entry(id).or_default();
        *hedges += 1;
        *hedges <= HEDGED_ATTEMPTS
    }

    /// Sends the row's next part in a task of its own, within its limit (see
    /// `send`); `slot` is its place in the pacing window (None beyond Telegram).
    fn start(&mut self, row: ClaimedMessage, slot: Option<u64>) {
        self.reach_in_flight |= is_reach_key(row.chat_id);
        let alert = !is_reach_key(row.chat_id) && row.lane == Lane::Alert;
        let deliver = self.deliver.clone();
        // A provider may take its time (`gateway.timeout`); giving up first
        // would send the text or call twice. Only the one reach slot waits.
        let alert_timeout = self.pacing.alert_timeout;
        let limit = match (is_reach_key(row.chat_id), row.lane) {
            (true, _) => Limit::Plain(self.pacing.send_timeout.max(REACH_SEND_TIMEOUT)),
            (false, Lane::Alert) if self.hedge(row.id) => Limit::Hedged(alert_timeout),
            (false, Lane::Alert) => Limit::Plain(alert_timeout * 2),
            (false, _) => Limit::Plain(self.pacing.send_timeout),
        };
        let (chat_id, outbox_id) = (row.chat_id, row.id);
        let task = self.in_flight.spawn(async move {
            let all = parts::parts(&row.message);
            let part = &all[(row.parts_sent.max(0) as usize).min(all.len() - 1)];
            let outcome = send::call(&deliver, part, limit).await;
            (row, all.len(), outcome)
        });
        if alert {
            tracing::debug!(outbox_id, chat_id = chat_id.0, "an alert's call starts");
            self.alerts.insert(task.id());
        }
        let started = Instant::now();
        self.chats_in_flight
            .insert(task.id(), (chat_id, slot, started));
    }
}
