//! Recording how sends went: sent (or its next part due), due again later,
//! or failed for good (see `retry` for which and when), for every send that
//! finished together in one write (see `store::Mark`); at a graceful stop,
//! the sends under way finished and recorded first.

use std::time::Instant;

use super::{Joined, OutboxWorker};
use crate::clock::to_millis;
use crate::domain::reach::is_reach_key;
use crate::outbox::retry::{self, HOLDS_CHAT_FOR_ATTEMPTS, Next};
use crate::outbox::{Deliver, DeliveryError, parts};
use crate::store::{ClaimedMessage, LaneMark, Mark};

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
                Ok(Some(first)) => {
                    let done = self.finished(Some(first));
                    self.settle_joined(done).await;
                }
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

    /// `first` (if one was just joined) and every other send that has finished.
    pub(super) fn finished(&mut self, first: Option<Joined>) -> Vec<Joined> {
        let mut done: Vec<Joined> = first.into_iter().collect();
        while let Some(more) = self.in_flight.try_join_next_with_id() {
            done.push(more);
        }
        done
    }

    /// Frees the slots of the finished sends in `done`, tells the breaker
    /// how Telegram answered, and records them all in one write.
    pub(super) async fn settle_joined(&mut self, done: Vec<Joined>) {
        let mut marks: Vec<LaneMark> = Vec::with_capacity(done.len());
        for joined in done {
            let id = match &joined {
                Ok((id, _)) => *id,
                Err(error) => error.id(),
            };
            let flight = self.chats_in_flight.remove(&id);
            self.alerts.remove(&id);
            let started = flight.map_or_else(Instant::now, |(_, _, started)| started);
            if let Some((chat_id, Some(slot), _)) = flight {
                self.pacer.done(slot);
                self.pacer.settled(chat_id);
            }
            let Ok((_, (row, parts, outcome))) = joined else {
                // A send that panicked: its lane is unknown, and the reach
                // slot must not wait for it forever.
                self.reach_in_flight = false;
                continue;
            };
            if is_reach_key(row.chat_id) {
                self.reach_in_flight = false;
            } else if !row.chat_id.is_wechat() {
                // WeChat out of reach is not Telegram out of reach.
                self.breaker.settled(&outcome, started, Instant::now());
            }
            marks.push((row.lane, self.mark(row, parts, outcome)));
        }
        if marks.is_empty() {
            return;
        }
        let now_ms = to_millis(self.clock.now());
        if let Err(error) = self.store.outbox_mark(now_ms, marks).await {
            tracing::error!(error = format!("{error:#}"), "could not record sends");
        }
    }

    /// How a send went: sent (or its next part due), retry later, or failed for good.
    fn mark(
        &mut self,
        row: ClaimedMessage,
        parts: usize,
        outcome: Result<Option<i32>, DeliveryError>,
    ) -> Mark {
        crate::obs::record_send(row.lane, crate::outbox::observe::failure_kind(&outcome));
        let error = match outcome {
            Ok(message_id) => {
                let main = parts::main_part(&row.message) as i64 == row.parts_sent;
                let message_id = message_id.filter(|_| main);
                if row.parts_sent + 1 < parts as i64 {
                    return Mark::PartSent {
                        id: row.id,
                        parts_sent: row.parts_sent + 1,
                        message_id,
                    };
                }
                self.hedged.remove(&row.id);
                return Mark::Sent {
                    id: row.id,
                    chat_id: row.chat_id,
                    message_id,
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
                Mark::Retry {
                    id: row.id,
                    chat_id: row.chat_id,
                    next_attempt_ms: to_millis(self.clock.now()) + after.as_millis() as i64,
                    error: reason,
                    counts,
                    hold_attempts: HOLDS_CHAT_FOR_ATTEMPTS,
                }
            }
            Next::Fail(reason) => {
                tracing::warn!(
                    outbox_id = row.id,
                    chat_id = row.chat_id.0,
                    reason,
                    "message could not be delivered"
                );
                self.hedged.remove(&row.id);
                Mark::Failed {
                    id: row.id,
                    chat_id: row.chat_id,
                    error: reason,
                }
            }
        }
    }
}
