//! The outbox table: rows written with the facts that caused them (`Tx::enqueue`),
//! read and marked by the delivery worker. Claiming is in [`claims`], each
//! chat's head of queue in [`heads`], the release of a dead worker's rows in
//! [`lease`], the worker's marks of how sends went in [`marks`].

mod answers;
mod claims;
pub(super) mod enqueue;
mod heads;
mod lease;
mod marks;

use super::error::{Context, Result};

use super::{Store, Tx};
use crate::domain::{ChatId, Lane, OutMessage};

#[cfg(feature = "testkit")]
pub(super) use claims::DUE_BY_LANE;
pub use claims::DueRow;
pub use lease::SenderLease;
pub use marks::{LaneMark, Mark};

/// A row the worker has claimed and must send, then mark.
#[derive(Debug, Clone)]
pub struct ClaimedMessage {
    pub id: i64,
    pub lane: Lane,
    pub chat_id: ChatId,
    pub message: OutMessage,
    pub attempts: i64,
    pub created_at: i64,
    /// Leading parts of a long text already sent (see `outbox::parts`).
    pub parts_sent: i64,
}
/// How many rows are in each state (for tests, health and benchmarks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Made obsolete by a newer message before they were sent.
    pub dropped: i64,
}

impl Tx {
    /// Writes a message to the outbox, in the same transaction as the fact that caused it.
    pub async fn enqueue(&mut self, lane: Lane, message: &OutMessage, now_ms: i64) -> Result<i64> {
        self.enqueue_at(lane, message, now_ms, now_ms).await
    }
}

impl Store {
    /// The earliest time a row that may be sent next (a head, or a parked
    /// row) becomes due, to sleep until then.
    pub async fn outbox_next_due(&self) -> Result<Option<i64>> {
        let heads: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND head = 1",
        )
        .fetch_one(&self.pool)
        .await
        .context("reading when the next outbox head is due")?;
        let parked: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE parked = 1 AND status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await
        .context("reading when the next parked outbox row is due")?;
        Ok(heads.into_iter().chain(parked).min())
    }

    /// When the longest-waiting due message became due (for `/healthz`):
    /// a growing age means nothing is sending.
    pub async fn outbox_oldest_due(&self, now_ms: i64) -> Result<Option<i64>> {
        sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1",
        )
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await
        .context("reading the age of the oldest due outbox row")
    }

    /// Whether the bot has finished answering `update_id` in `chat_id`: the
    /// update is handled and every message its transaction wrote to the chat
    /// for now (not those held for quiet hours) is sent or given up.
    pub async fn update_settled(&self, update_id: i64, chat_id: ChatId) -> Result<bool> {
        if !self.update_handled(update_id).await? {
            return Ok(false);
        }
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox o JOIN processed_updates p ON p.update_id = $1
             WHERE o.chat_id = $2 AND o.status IN ('pending', 'sending')
               AND o.created_at = p.processed_at AND o.next_attempt_at < p.processed_at + 60000",
        )
        .bind(update_id)
        .bind(chat_id)
        .fetch_one(&self.pool)
        .await
        .context("counting an update's unsent answers")?;
        Ok(waiting == 0)
    }

    /// Whether this Telegram update has been handled (its effects committed).
    pub async fn update_handled(&self, update_id: i64) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates WHERE update_id = $1")
                .bind(update_id)
                .fetch_one(&self.pool)
                .await
                .context("checking whether an update was handled")?;
        Ok(n > 0)
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(&self.pool)
                .await
                .context("counting outbox rows by status")?;
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "pending" => counts.pending = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "dropped" => counts.dropped = n,
                _ => counts.failed += n,
            }
        }
        Ok(counts)
    }
}
