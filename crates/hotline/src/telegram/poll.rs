//! Our own long-polling listener. Unlike teloxide's `Polling`, which confirms
//! an update to Telegram (by asking for the next offset) before its handler
//! has committed, this one advances Telegram's offset only past updates whose
//! effects are committed, and keeps that offset in the database.
//!
//! Telegram hands out every update at or above the offset of a `getUpdates`
//! call again and again until a later call's offset passes it. So while
//! updates are in hand, a new call would mostly fetch them again: the
//! listener waits for one of them to finish (or a moment, for news from other
//! chats) before asking, and ignores what it already holds. A crash loses
//! nothing: what was not committed is fetched again after the restart, and
//! what was committed but not yet confirmed is dropped by the per-update
//! dedupe (`processed_updates`).
//!
//! The stored offset is only ever at or below the committed prefix; Telegram
//! also keeps its own (at or below ours). An offset older than
//! [`STALE_OFFSET`] is not used: after a week without updates Telegram may
//! number new ones from a random, lower id.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::progress::Progress;
use super::workers::{BATCH, Handle, Outcome, QUEUES, Queues, Retry, SQLITE_QUEUES, Shared};
use super::{Telegram, fetch, parse};
use crate::chat::Chat;
use crate::clock::{Clock, to_millis};
use crate::domain::Incoming;
use crate::store::{Backend, Store};

/// Updates asked for per call (Telegram's maximum).
const LIMIT: u8 = 100;
/// While updates are in hand, ask again after one finishes, or after this
/// long (news from other chats behind a slow or failing update).
const REPOLL: Duration = Duration::from_millis(250);
/// Least time between two calls while updates are in hand, so a busy
/// stream does not refetch the same batch after every finished update.
const MIN_GAP: Duration = Duration::from_millis(20);
/// The committed offset is written at most this often while running (and
/// always on stop); losing the last second of it only means some committed
/// updates are fetched again and dropped as duplicates.
const SAVE_EVERY: Duration = Duration::from_secs(1);
/// How long a stopping listener lets its workers finish the updates in hand.
const GRACE: Duration = Duration::from_secs(10);
/// A stored offset not moved for this long is not trusted (see above).
const STALE_OFFSET: Duration = Duration::from_secs(24 * 3600);

/// Worker queues: [`SQLITE_QUEUES`] on SQLite (one writer: bigger batches
/// beat more writers), [`QUEUES`] on PostgreSQL (writers in parallel).
fn queue_count(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => SQLITE_QUEUES,
        Backend::Postgres => QUEUES,
    }
}

/// The polling listener of one bot. Runs on the polling leader only.
#[derive(Clone)]
pub struct Poller {
    pub telegram: Telegram,
    pub intake: Arc<Chat>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// `telegram.poll_timeout`.
    pub timeout: Duration,
    pub bot_id: i64,
    pub bot_username: String,
}

impl Poller {
    /// Polls until `stop` turns true; then stops fetching, lets the workers
    /// finish what is in hand (up to [`GRACE`]) and saves the offset.
    pub async fn run(self, stop: watch::Receiver<bool>) {
        if let Err(error) = self.telegram.bot.delete_webhook().await {
            tracing::warn!(%error, "could not delete the webhook (deleteWebhook)");
        }
        let start = self.stored_offset().await;
        // An Option records as its number, or not at all: never "Some(1049)".
        tracing::info!(offset = start, "polling Telegram");
        let (telegram, intake) = (self.telegram.clone(), self.intake.clone());
        let handle: Handle = Arc::new(move |updates: Vec<Incoming>| {
            let (telegram, intake) = (telegram.clone(), intake.clone());
            Box::pin(async move {
                let outcome = telegram.handle_batch(&intake, &updates).await;
                Outcome {
                    committed: outcome.committed(),
                    failed: outcome.failed,
                }
            })
        });
        let shared = Arc::new(Shared {
            handle,
            retry: Retry::default(),
            batch: BATCH,
            turns: (self.store.backend() == Backend::Sqlite).then(|| tokio::sync::Mutex::new(())),
            progress: Mutex::new(Progress::starting_at(start)),
            finished: Notify::new(),
            stopping: stop.clone(),
        });
        let mut tasks = JoinSet::new();
        let queues = Queues::start(&shared, queue_count(self.store.backend()), &mut tasks);
        let mut saved = Saved {
            offset: start,
            at: Instant::now(),
        };
        self.fetch_until_stopped(&shared, &queues, &mut saved, stop)
            .await;
        drop(queues);
        let drained =
            tokio::time::timeout(GRACE, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(
                "updates still in hand after the grace period; they will be fetched again"
            );
        }
        tasks.abort_all();
        let offset = shared.progress().offset();
        self.save(&mut saved, offset, true).await;
        tracing::info!(offset, "polling stopped");
    }

    async fn fetch_until_stopped(
        &self,
        shared: &Shared,
        queues: &Queues,
        saved: &mut Saved,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut failures: u32 = 0;
        let mut last_call = Instant::now() - MIN_GAP;
        while !*stop.borrow() {
            let in_hand = shared.progress().in_hand();
            if in_hand > 0 {
                let earliest = last_call + MIN_GAP;
                let wait_for_one = async {
                    wait_for_room(shared).await;
                    tokio::time::sleep_until(earliest.into()).await;
                };
                tokio::select! {
                    _ = wait_for_one => {}
                    _ = stop.changed() => break,
                }
            }
            let (offset, in_hand) = {
                let progress = shared.progress();
                (progress.offset(), progress.in_hand())
            };
            self.save(saved, offset, false).await;
            // Long-poll only with nothing in hand: otherwise Telegram answers at
            // once with what we hold, and we want what is new since.
            let timeout = if in_hand == 0 {
                self.timeout
            } else {
                Duration::ZERO
            };
            last_call = Instant::now();
            let request = fetch::get_updates(&self.telegram.bot, offset, LIMIT, timeout);
            let answer = tokio::select! {
                answer = request => answer,
                _ = stop.changed() => break,
            };
            fetch::observe(&self.telegram.liveness, &answer);
            match answer {
                Ok(fetched) => {
                    failures = 0;
                    for update in fetched {
                        let update = match update {
                            Ok(update) => update,
                            Err(bad) => {
                                self.skip_unreadable(shared, bad).await;
                                continue;
                            }
                        };
                        let id = i64::from(update.id.0);
                        if !shared.progress().accept(id) {
                            continue;
                        }
                        match parse::incoming(&update, &self.bot_username) {
                            Some(incoming) => queues.push(incoming),
                            None => shared.finish(id),
                        }
                    }
                }
                Err(error) => {
                    failures += 1;
                    let pause = Duration::from_secs(u64::from(failures.min(10)));
                    tracing::warn!(%error, ?pause, "polling Telegram failed (getUpdates)");
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stop.changed() => break,
                    }
                }
            }
        }
    }

    async fn stored_offset(&self) -> Option<i64> {
        let stored = match self.store.poll_offset(self.bot_id).await {
            Ok(stored) => stored?,
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "could not read the poll offset"
                );
                return None;
            }
        };
        let age_ms = to_millis(self.clock.now()) - stored.updated_at;
        if age_ms > STALE_OFFSET.as_millis() as i64 {
            tracing::info!(
                offset = stored.next_offset,
                "stored poll offset is stale; starting from Telegram's"
            );
            return None;
        }
        Some(stored.next_offset)
    }

    /// Writes `offset` if it moved, at most every [`SAVE_EVERY`] unless `now`.
    async fn save(&self, saved: &mut Saved, offset: Option<i64>, now: bool) {
        let Some(offset) = offset else { return };
        if saved.offset == Some(offset) || (!now && saved.at.elapsed() < SAVE_EVERY) {
            return;
        }
        let now_ms = to_millis(self.clock.now());
        match self
            .store
            .save_poll_offset(self.bot_id, offset, now_ms)
            .await
        {
            Ok(()) => {
                saved.offset = Some(offset);
                saved.at = Instant::now();
            }
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "could not save the poll offset"
                )
            }
        }
    }
}

/// While updates are in hand, waits until a call can fetch something new.
/// Telegram answers with up to [`LIMIT`] updates from the offset on, the ones
/// in hand included: with that window full a call could only fetch them
/// again, so wait for the offset to move. With it more than half full, wait
/// (up to [`REPOLL`]) until it is half empty, so that under a flood each call
/// brings many new updates instead of re-sending (and re-parsing) the ones
/// in hand. Otherwise wait for one update to finish, or [`REPOLL`].
async fn wait_for_room(shared: &Shared) {
    let deadline = tokio::time::Instant::now() + REPOLL;
    let (limit, half) = (usize::from(LIMIT), usize::from(LIMIT) / 2);
    loop {
        let window = shared.progress().window();
        let finished = shared.finished.notified();
        if window >= limit {
            finished.await;
            continue;
        }
        if tokio::time::timeout_at(deadline, finished).await.is_err() {
            return;
        }
        if shared.progress().window() <= half {
            return;
        }
    }
}

/// The offset last written, and when.
struct Saved {
    offset: Option<i64>,
    at: Instant,
}
