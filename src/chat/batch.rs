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
//! On SQLite the store's process-wide write turn (fair, first come first
//! served, taken by every transaction: see `Store::write_turn`) orders the
//! batches, so the workers queue in memory instead of sleeping in SQLite's
//! busy handler, and the delivery worker's writes wait behind one batch at
//! most rather than starve.

use anyhow::Context;

use super::{Chat, Handled, Incoming};

/// What became of a batch: the answers for the committed prefix, and the
/// error of the update right after it (None when all were committed).
#[derive(Debug, Default)]
pub struct Outcome {
    pub handled: Vec<Handled>,
    pub failed: Option<anyhow::Error>,
}

impl Outcome {
    /// How many updates, from the first, are committed.
    pub fn committed(&self) -> usize {
        self.handled.len()
    }
}

impl Chat {
    /// Handles `updates` (in this order, each exactly once) in as few
    /// transactions as it can; see the module doc for what a failure does.
    pub async fn handle_batch(&self, updates: &[Incoming]) -> Outcome {
        let (failed_at, error) = match self.commit_all(updates).await {
            Ok(handled) => {
                return Outcome {
                    handled,
                    failed: None,
                };
            }
            Err(failure) => failure,
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
        match self.commit_all(&updates[..failed_at]).await {
            Ok(handled) => Outcome {
                handled,
                failed: Some(error),
            },
            // Then the first update is the one to try again.
            Err((_, error)) => Outcome {
                handled: Vec::new(),
                failed: Some(error),
            },
        }
    }

    /// All of `updates` in one transaction, or none of them: Err names the
    /// first that failed (0 when the transaction itself failed).
    async fn commit_all(
        &self,
        updates: &[Incoming],
    ) -> Result<Vec<Handled>, (usize, anyhow::Error)> {
        let mut tx = self.store.begin().await.map_err(|e| (0, e.into()))?;
        let mut handled = Vec::with_capacity(updates.len());
        let mut engine = false;
        for (i, incoming) in updates.iter().enumerate() {
            // Dropping `tx` on an error rolls the whole batch back.
            let (answer, changed) = self
                .handle_in(&mut tx, incoming)
                .await
                .with_context(|| format!("handling update {}", incoming.update_id))
                .map_err(|e| (i, e))?;
            handled.push(answer);
            engine |= changed;
        }
        tx.commit()
            .await
            .context("committing updates")
            .map_err(|e| (0, e))?;
        self.wakes.outbox.notify_one();
        if engine {
            self.wakes.engine.notify_one();
        }
        Ok(handled)
    }
}
