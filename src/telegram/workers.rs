//! Handling fetched updates with bounded concurrency: a fixed number of
//! worker queues keyed by chat, so each chat's updates are handled in order
//! and memory does not grow with the number of open chats.
//!
//! A failed update (database busy, disk full) is tried again after a short
//! backoff while its chat's later updates (and those of the other chats in
//! its queue) wait behind it. After
//! [`ATTEMPTS`] failed attempts it is logged as an error and given up, so one
//! poison update cannot hold its chats (and the offset) forever: a resident
//! loses one message rather than every later one. While the poller stops, a
//! failed update is not retried but left unfinished, so the offset stays
//! before it and the next poller (after a restart) fetches it again.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;

use super::Telegram;
use super::progress::Progress;
use crate::intake::{Incoming, Intake};

/// Worker queues: chats are spread over this many, each handled in order.
pub const QUEUES: usize = 16;

/// Attempts at one update before it is given up as poison.
pub const ATTEMPTS: u32 = 6;

/// The wait after the first failed attempt; it doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(4);

/// What every worker shares with the poller.
pub struct Shared {
    pub telegram: Telegram,
    pub intake: Arc<Intake>,
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
    /// Starts [`QUEUES`] workers on `tasks`.
    pub fn start(shared: &Arc<Shared>, tasks: &mut JoinSet<()>) -> Queues {
        let senders = (0..QUEUES)
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
        let queue = queue_of(incoming.chat_id);
        // A worker ends only when its sender is dropped.
        let _ = self.senders[queue].send(incoming);
    }
}

fn queue_of(chat_id: i64) -> usize {
    chat_id.rem_euclid(QUEUES as i64) as usize
}

async fn work(mut queue: mpsc::UnboundedReceiver<Incoming>, shared: Arc<Shared>) {
    while let Some(incoming) = queue.recv().await {
        let update_id = incoming.update_id;
        if handle_with_retries(&shared, incoming).await {
            shared.finish(update_id);
        }
    }
}

/// True when the update is finished: committed, or given up after
/// [`ATTEMPTS`]. False when it was left for a later poller (stopping).
async fn handle_with_retries(shared: &Shared, incoming: Incoming) -> bool {
    let update_id = incoming.update_id;
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=ATTEMPTS {
        let error = match shared
            .telegram
            .handle(&shared.intake, incoming.clone())
            .await
        {
            Ok(()) => return true,
            Err(error) => format!("{error:#}"),
        };
        if attempt == ATTEMPTS {
            tracing::error!(
                update_id,
                chat_id = incoming.chat_id,
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
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{QUEUES, queue_of};

    #[test]
    fn a_chat_always_lands_in_the_same_queue_and_every_queue_is_in_range() {
        for chat in [-1_001_234_567_890_i64, -1, 0, 1, 7001, i64::MAX, i64::MIN] {
            assert!(queue_of(chat) < QUEUES);
            assert_eq!(queue_of(chat), queue_of(chat));
        }
        assert_ne!(queue_of(1), queue_of(2));
    }
}
