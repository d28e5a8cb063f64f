//! Recording how a send went: sent (or its next part due), due again later,
//! or failed for good (see `retry` for which and when); at a graceful stop,
//! the sends under way finished and recorded first.

use super::OutboxWorker;
use crate::clock::to_millis;
use crate::outbox::retry::{self, HOLDS_CHAT_FOR_ATTEMPTS, Next};
use crate::outbox::{Deliver, DeliveryError, parts};
use crate::store::ClaimedMessage;

impl<D: Deliver> OutboxWorker<D> {
    /// At a graceful stop: waits for the sends under way (up to `grace`) and
    /// records each, so none is left `sending` for the next start to send
    /// again. One still unanswered after `grace` goes again after the restart,
    /// as after a crash (a duplicate is better than a lost alert).
    pub(super) async fn finish_in_flight(&mut self, grace: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + grace;
        while !self.in_flight.is_empty() {
            let next = self.in_flight.join_next_with_id();
            match tokio::time::timeout_at(deadline, next).await {
                Ok(Some(done)) => self.settle_joined(done).await,
                Ok(None) => break,
                Err(_) => {
                    let left = self.in_flight.len();
                    tracing::warn!(
                        left,
                        "sends still unanswered at stop: sent again after restart"
                    );
                    break;
                }
            }
        }
        self.in_flight.abort_all();
    }

    /// Records how a send went: sent (or its next part due), retry later, or failed for good.
    pub(super) async fn settle(
        &mut self,
        row: ClaimedMessage,
        parts: usize,
        outcome: Result<Option<i32>, DeliveryError>,
    ) -> anyhow::Result<()> {
        crate::obs::record_send(row.lane, crate::outbox::observe::failure_kind(&outcome));
        let now_ms = to_millis(self.clock.now());
        let error = match outcome {
            Ok(message_id) => {
                let main = parts::main_part(&row.message) as i64 == row.parts_sent;
                let message_id = message_id.filter(|_| main);
                return if row.parts_sent + 1 < parts as i64 {
                    let next = row.parts_sent + 1;
                    let store = &self.store;
                    Ok(store
                        .outbox_part_sent(row.id, next, now_ms, message_id)
                        .await?)
                } else {
                    self.hedged.remove(&row.id);
                    let store = &self.store;
                    Ok(store
                        .outbox_sent(row.id, row.chat_id, now_ms, message_id)
                        .await?)
                };
            }
            Err(error) => error,
        };
        match retry::next(row.lane, row.attempts, self.pacing.max_attempts, error) {
            Next::Retry {
                after,
                counts,
                reason,
            } => {
                if counts {
                    tracing::warn!(
                        outbox_id = row.id,
                        attempts = row.attempts,
                        reason,
                        "send failed, will retry"
                    );
                } else {
                    tracing::debug!(outbox_id = row.id, ?after, reason, "waiting for Telegram");
                    // The chat waits too: drain its bucket.
                    self.pacer.hold(row.chat_id, after);
                }
                let next = now_ms + after.as_millis() as i64;
                let hold = HOLDS_CHAT_FOR_ATTEMPTS;
                let store = &self.store;
                Ok(store
                    .outbox_retry((row.id, row.chat_id), next, &reason, counts, hold)
                    .await?)
            }
            Next::Fail(reason) => {
                tracing::warn!(
                    outbox_id = row.id,
                    chat_id = row.chat_id.0,
                    reason,
                    "message could not be delivered"
                );
                self.hedged.remove(&row.id);
                Ok(self
                    .store
                    .outbox_failed(row.id, row.chat_id, &reason)
                    .await?)
            }
        }
    }
}
