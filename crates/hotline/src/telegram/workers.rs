//! Handling fetched updates with bounded concurrency: a fixed number of
//! worker queues keyed by chat, so each chat's updates are handled in order
//! and memory does not grow with the number of open chats.
//!
//! A worker hands everything waiting in its queue (up to [`Shared::batch`])
//! to the handler at once, which commits it in one transaction; under a
//! flood the queues fill while the database is busy, so the batches grow
//! with the load (on SQLite the workers take turns, see [`Shared::turns`]).
//! The handler stops a batch at its first failed update and
//! commits the ones before it; the failed one is then tried on its own, and
//! the rest of the batch goes back to the front of the queue behind it.
//!
//! A failed update (database busy, disk full) is tried again after a short
//! backoff while its chat's later updates (and those of the other chats in
//! its queue) wait behind it. After [`Retry::attempts`] failed attempts it is
//! logged as an error and given up, so one poison update cannot hold its
//! chats (and the offset) forever: a resident loses one message rather than
//! every later one. While the poller stops, a failed update is not retried
//! but left unfinished, so the offset stays before it and the next poller
//! (after a restart) fetches it again.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;

use super::progress::Progress;
use crate::domain::Incoming;

/// Worker queues on PostgreSQL: chats are spread over this many, each
/// handled in order, and the workers write in parallel.
pub const QUEUES: usize = 16;

/// Worker queues on SQLite, where the workers take turns at its one writer.
/// Fewer queues make bigger batches: at most about 100 updates are in hand
/// (one `getUpdates` answer beyond the committed offset), spread over the
/// queues, and a batch is what its queue holds. A transaction costs about
/// eight round trips to SQLite's thread whatever its size (see
/// `store::read_ahead`), so 16 queues of ~6 updates handled ~1,600
/// updates/s and 4 queues of ~25 handle ~2,600/s (BENCHMARKS.md); 2 queues
/// leave SQLite idle while the poller fetches. The price: an update that
/// keeps failing holds a quarter of the chats (not a sixteenth) during its
/// retries, about 8 s at most.
pub const SQLITE_QUEUES: usize = 4;

/// Updates handed to the handler at once (committed in one transaction
/// when none fails).
pub const BATCH: usize = 64;

/// Handles a batch of updates in order: commits a prefix of them, and says
/// why the update after that prefix (if any) was not committed.
pub type Handle =
    Arc<dyn Fn(Vec<Incoming>) -> Pin<Box<dyn Future<Output = Outcome> + Send>> + Send + Sync>;

/// What became of a batch; `committed` counts from the first update.
pub struct Outcome {
    pub committed: usize,
    /// The error of update number `committed`; None when all were committed.
    pub failed: Option<anyhow::Error>,
}

/// How often and how patiently a failed update is tried again.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts at one update before it is given up as poison.
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for Retry {
    /// Six attempts over about 8 s (plus the attempts' own time: a busy
    /// SQLite waits up to 10 s each).
    fn default() -> Self {
        Retry {
            attempts: 6,
            first_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

/// What every worker shares with the poller.
pub struct Shared {
    pub handle: Handle,
    pub retry: Retry,
    /// Most updates handed to the handler at once (at least 1).
    pub batch: usize,
    /// With one writer (SQLite) the workers take turns here, and a worker
    /// gathers its batch only once it is its turn: whatever reached its
    /// queue while the others wrote joins the batch instead of waiting for
    /// another transaction. None: the workers write in parallel (PostgreSQL).
    pub turns: Option<tokio::sync::Mutex<()>>,
    pub progress: Mutex<Progress>,
    /// Notified whenever an update is finished (the offset may have moved).
    pub finished: Notify,
    /// True once the poller stops: no more retries.
    pub stopping: watch::Receiver<bool>,
}

impl Shared {
    pub fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn finish(&self, update_id: i64) {
        self.progress().finish(update_id);
        self.finished.notify_one();
    }
}

/// The senders of the worker queues; dropping them lets the workers drain
/// their queues and end.
pub struct Queues {
    senders: Vec<mpsc::UnboundedSender<Incoming>>,
}

impl Queues {
    /// Starts `count` workers on `tasks` (at least one).
    pub fn start(shared: &Arc<Shared>, count: usize, tasks: &mut JoinSet<()>) -> Queues {
        let senders = (0..count.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::unbounded_channel();
                tasks.spawn(work(rx, shared.clone()));
                tx
            })
            .collect();
        Queues { senders }
    }

    /// Queues an update behind its chat's earlier ones. At most one
    /// `getUpdates` batch is in hand, so the queues stay short.
    pub fn push(&self, incoming: Incoming) {
        let queue = queue_of(incoming.chat_id, self.senders.len());
        // A worker ends only when its sender is dropped.
        let _ = self.senders[queue].send(incoming);
    }
}

fn queue_of(chat_id: crate::domain::ChatId, queues: usize) -> usize {
    chat_id.0.rem_euclid(queues as i64) as usize
}

async fn work(mut queue: mpsc::UnboundedReceiver<Incoming>, shared: Arc<Shared>) {
    // Updates taken from the queue and not yet finished, in queue order.
    let mut waiting: VecDeque<Incoming> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match queue.recv().await {
                Some(incoming) => waiting.push_back(incoming),
                None => return,
            }
        }
        let turn = match &shared.turns {
            Some(turns) => Some(turns.lock().await),
            None => None,
        };
        while waiting.len() < shared.batch.max(1) {
            match queue.try_recv() {
                Ok(incoming) => waiting.push_back(incoming),
                Err(_) => break,
            }
        }
        let batch: Vec<Incoming> = waiting.drain(..).collect();
        let outcome = (shared.handle)(batch.clone()).await;
        drop(turn);
        let mut rest = batch.into_iter();
        for incoming in rest.by_ref().take(outcome.committed) {
            shared.finish(incoming.update_id);
        }
        let (Some(error), Some(failed)) = (outcome.failed, rest.next()) else {
            continue;
        };
        let update_id = failed.update_id;
        if retry_failed(&shared, failed, error).await {
            shared.finish(update_id);
        }
        waiting.extend(rest);
    }
}

/// Tries an update that failed its first attempt (in a batch or alone) on
/// its own until it commits or runs out of attempts. True when it is
/// finished: committed, or given up after the last attempt. False when it
/// was left for a later poller (stopping).
async fn retry_failed(shared: &Shared, incoming: Incoming, first: anyhow::Error) -> bool {
    let update_id = incoming.update_id;
    let mut error = format!("{first:#}");
    let mut backoff = shared.retry.first_backoff;
    for attempt in 1..=shared.retry.attempts {
        if attempt > 1 {
            match (shared.handle)(vec![incoming.clone()]).await.failed {
                None => return true,
                Some(failed) => error = format!("{failed:#}"),
            }
        }
        if attempt == shared.retry.attempts {
            tracing::error!(
                update_id,
                chat_id = incoming.chat_id.0,
                attempt,
                error,
                "update failed on every attempt; given up"
            );
            return true;
        }
        let mut stopping = shared.stopping.clone();
        if *stopping.borrow() {
            tracing::warn!(
                update_id,
                error,
                "update failed while stopping; left for later"
            );
            return false;
        }
        tracing::warn!(
            update_id,
            attempt,
            error,
            ?backoff,
            "update failed; will retry"
        );
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stopping.wait_for(|s| *s) => {
                tracing::warn!(update_id, "stopping; the failed update is left for later");
                return false;
            }
        }
        backoff = (backoff * 2).min(shared.retry.max_backoff);
    }
    true
}

#[cfg(test)]
#[path = "workers_tests.rs"]
mod tests;
