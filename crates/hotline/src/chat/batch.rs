//! Several updates in one write transaction: under a flood most of a
//! transaction's cost is its own (taking SQLite's write lock, the commit,
//! waking the outbox), not the update's, so a worker hands over every update
//! already waiting in its queue and they commit together.
//!
//! Each update still counts alone: the batch is handled in order and stops
//! at the first update that fails. What came before it is committed (the
//! batch is rolled back and that prefix handled again in a fresh
//! transaction: a failure is rare, so the common path pays nothing per
//! update for savepoints); the failed update and what came after it are the
//! caller's to try again, so one poisoned update neither takes its
//! neighbours down with it nor lets a chat's later update overtake it.
//!
//! The batch's transaction reads ahead what its updates will read (their ids,
//! residents, dialogues) in a few statements and writes their dialogues
//! behind, at the commit (`store::read_ahead`): a statement is a round trip
//! to SQLite's thread, and these were four per update.
//!
//! On SQLite the store's process-wide write turn (fair, first come first
//! served, taken by every transaction: see `Store::write_turn`) orders the
//! batches, so the workers queue in memory instead of sleeping in SQLite's
//! busy handler, and the delivery worker's writes wait behind one batch at
//! most rather than starve.

use anyhow::Context;

use super::{Chat, Handled, Incoming, RATE_WINDOW_MS};
use crate::clock::to_millis;
use crate::store::AheadUpdate;

/// What became of a batch: the answers for the committed prefix, and the
/// error of the update right after it (None when all were committed).
#[derive(Debug, Default)]
pub struct Outcome {
    pub handled: Vec<Handled>,
    pub failed: Option<anyhow::Error>,
}

/// Why a transaction of updates was not committed.
enum Failed {
    /// Update number `.0` failed.
    At(usize, anyhow::Error),
    /// The transaction did: its start, its read-ahead or its commit.
    Whole(anyhow::Error),
}

impl Failed {
    /// The update to blame: the first when the whole transaction failed.
    fn at(self) -> (usize, anyhow::Error) {
        match self {
            Failed::At(i, error) => (i, error),
            Failed::Whole(error) => (0, error),
        }
    }
}

impl Outcome {
    fn all(handled: Vec<Handled>) -> Outcome {
        Outcome {
            handled,
            failed: None,
        }
    }

    /// How many updates, from the first, are committed.
    pub fn committed(&self) -> usize {
        self.handled.len()
    }
}

impl Chat {
    /// Handles `updates` (in this order, each exactly once) in as few
    /// transactions as it can; see the module doc for what a failure does.
    pub async fn handle_batch(&self, updates: &[Incoming]) -> Outcome {
        let (failed_at, error) = match self.commit_all(updates, true).await {
            Ok(handled) => return Outcome::all(handled),
            // The read-ahead's statements serve every update of the batch, so
            // when one of them fails the batch is tried again one update at
            // a time, which finds the update at fault (if any).
            Err(Failed::Whole(_)) if updates.len() > 1 => {
                match self.commit_all(updates, false).await {
                    Ok(handled) => return Outcome::all(handled),
                    Err(failed) => failed.at(),
                }
            }
            Err(failed) => failed.at(),
        };
        if failed_at == 0 {
            return Outcome {
                handled: Vec::new(),
                failed: Some(error),
            };
        }
        tracing::debug!(
            failed_at,
            "an update in a batch failed; committing the ones before it"
        );
        match self.commit_all(&updates[..failed_at], true).await {
            Ok(handled) => Outcome {
                handled,
                failed: Some(error),
            },
            // Then the first update is the one to try again.
            Err(failed) => Outcome {
                handled: Vec::new(),
                failed: Some(failed.at().1),
            },
        }
    }

    /// All of `updates` in one transaction, or none of them; `ahead`: read
    /// ahead and write behind (see the module doc), else one statement per
    /// update (how a failing read-ahead finds the update at fault).
    async fn commit_all(&self, updates: &[Incoming], ahead: bool) -> Result<Vec<Handled>, Failed> {
        let mut tx = self
            .store
            .begin()
            .await
            .map_err(|e| Failed::Whole(e.into()))?;
        let now = self.clock.now();
        if ahead {
            let ahead: Vec<AheadUpdate> = updates
                .iter()
                .map(|u| AheadUpdate {
                    update_id: u.update_id,
                    user_id: u.user.as_ref().map(|user| user.id),
                    chat_id: u.chat_id,
                })
                .collect();
            let now_ms = to_millis(now);
            tx.read_ahead(&ahead, now_ms - RATE_WINDOW_MS, now_ms)
                .await
                .map_err(|e| Failed::Whole(e.into()))?;
        }
        let mut handled = Vec::with_capacity(updates.len());
        let mut engine = false;
        for (i, incoming) in updates.iter().enumerate() {
            // Dropping `tx` on an error rolls the whole batch back.
            let (answer, changed) = self
                .handle_in(&mut tx, incoming, now)
                .await
                .with_context(|| format!("handling update {}", incoming.update_id))
                .map_err(|e| Failed::At(i, e))?;
            handled.push(answer);
            engine |= changed;
        }
        tx.commit()
            .await
            .context("committing updates")
            .map_err(Failed::Whole)?;
        self.wakes.outbox.notify_one();
        if engine {
            self.wakes.engine.notify_one();
        }
        Ok(handled)
    }
}
