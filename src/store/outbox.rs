//! The outbox table: rows written with the facts that caused them (`Tx::enqueue`),
//! read and marked by the delivery worker. Claiming is in [`claims`], the
//! release of a dead worker's rows in [`lease`].

mod claims;
mod lease;

use anyhow::Context;

use super::{Store, Tx};
use crate::domain::{Lane, OutMessage};

pub use claims::DueRow;
pub use lease::SenderLease;

/// A row the worker has claimed and must send, then mark.
#[derive(Debug, Clone)]
pub struct ClaimedMessage {
    pub id: i64,
    pub lane: Lane,
    pub chat_id: i64,
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
    pub async fn enqueue(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        self.enqueue_at(lane, message, now_ms, now_ms).await
    }
}

impl Store {
    pub async fn outbox_sent(
        &self,
        id: i64,
        now_ms: i64,
        telegram_message_id: Option<i32>,
    ) -> anyhow::Result<()> {
        // A long text's id was recorded with its main part (see `outbox::parts`).
        sqlx::query(
            "UPDATE outbox SET status = 'sent', claimed_by = NULL, sent_at = $2,
                    telegram_message_id = COALESCE($3, telegram_message_id)
             WHERE id = $1",
        )
        .bind(id)
        .bind(now_ms)
        .bind(telegram_message_id.map(i64::from))
        .execute(&self.pool)
        .await
        .context("marking an outbox row sent")?;
        Ok(())
    }

    /// Puts a row back for another attempt at `next_attempt_ms`. An attempt
    /// that does not `count` (Telegram's "retry after") is given back.
    pub async fn outbox_retry(
        &self,
        id: i64,
        next_attempt_ms: i64,
        error: &str,
        counts: bool,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', claimed_by = NULL, next_attempt_at = $2,
                    last_error = $3, attempts = attempts - $4
             WHERE id = $1",
        )
        .bind(id)
        .bind(next_attempt_ms)
        .bind(error)
        .bind(i64::from(!counts))
        .execute(&self.pool)
        .await
        .context("scheduling an outbox retry")?;
        Ok(())
    }

    /// One part of a long text went out: the row goes back to the head of its
    /// chat's queue for the next part, with a fresh count of attempts.
    /// `telegram_message_id` is that of the part later edits rewrite, if this was it.
    pub async fn outbox_part_sent(
        &self,
        id: i64,
        parts_sent: i64,
        now_ms: i64,
        telegram_message_id: Option<i32>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', claimed_by = NULL, parts_sent = $2,
                    attempts = 0, next_attempt_at = $3,
                    telegram_message_id = COALESCE($4, telegram_message_id)
             WHERE id = $1",
        )
        .bind(id)
        .bind(parts_sent)
        .bind(now_ms)
        .bind(telegram_message_id.map(i64::from))
        .execute(&self.pool)
        .await
        .context("recording a sent part of an outbox row")?;
        Ok(())
    }

    /// Gives a row up for good, with the reason (Telegram's error text).
    pub async fn outbox_failed(&self, id: i64, error: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'failed', claimed_by = NULL, last_error = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .execute(&self.pool)
        .await
        .context("marking an outbox row failed")?;
        Ok(())
    }

    /// The earliest time a pending row becomes due, to sleep until then.
    pub async fn outbox_next_due(&self) -> anyhow::Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// When the longest-waiting due message became due (for `/healthz`):
    /// a growing age means nothing is sending.
    pub async fn outbox_oldest_due(&self, now_ms: i64) -> anyhow::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1",
        )
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Whether the bot has finished answering `update_id` in `chat_id`: the
    /// update is handled and every message its transaction wrote to the chat
    /// for now (not those held for quiet hours) is sent or given up.
    pub async fn update_settled(&self, update_id: i64, chat_id: i64) -> anyhow::Result<bool> {
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
        .await?;
        Ok(waiting == 0)
    }

    /// Whether this Telegram update has been handled (its effects committed).
    pub async fn update_handled(&self, update_id: i64) -> anyhow::Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates WHERE update_id = $1")
                .bind(update_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    pub async fn outbox_counts(&self) -> anyhow::Result<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
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

impl Tx {
    /// Like [`Tx::enqueue`], but not to be sent before `due_ms` (held to gather
    /// a burst, or until quiet hours end).
    pub async fn enqueue_at(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        now_ms: i64,
        due_ms: i64,
    ) -> anyhow::Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO outbox (lane, chat_id, payload, status, next_attempt_at, created_at, turn)
             VALUES ($1, $2, $3, 'pending', $4, $5,
                     (SELECT COUNT(*) FROM outbox
                      WHERE chat_id = $2 AND status IN ('pending', 'sending')))
             RETURNING id",
        )
        .bind(lane as i64)
        .bind(message.chat_id())
        .bind(serde_json::to_string(message)?)
        .bind(due_ms)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("writing to the outbox")?;
        Ok(id)
    }

    /// Like [`Tx::enqueue`], for a message that makes any earlier one of the
    /// same `key` to this chat obsolete (a re-asked step, a second "slow
    /// down"): those not yet tried are dropped instead of sent. Returns the
    /// new row's id and how many were dropped.
    #[cfg(feature = "testkit")]
    pub async fn enqueue_superseding(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        key: &str,
        now_ms: i64,
    ) -> anyhow::Result<(i64, u64)> {
        let dropped = self.drop_superseded(message.chat_id(), key).await?;
        let id = self.enqueue_keyed(lane, message, key, now_ms).await?;
        Ok((id, dropped))
    }

    /// Drops the rows of `key` to `chat_id` not yet tried; how many. The chat
    /// layer calls it once per reply, then [`Tx::enqueue_keyed`] per message.
    pub async fn drop_superseded(&mut self, chat_id: i64, key: &str) -> anyhow::Result<u64> {
        let dropped = sqlx::query(
            "UPDATE outbox SET status = 'dropped'
             WHERE chat_id = $1 AND supersede_key = $2 AND status = 'pending'
               AND attempts = 0 AND parts_sent = 0",
        )
        .bind(chat_id)
        .bind(key)
        .execute(&mut *self.inner)
        .await
        .context("dropping superseded outbox rows")?
        .rows_affected();
        Ok(dropped)
    }

    /// Enqueues a message that a later one of the same `key` may supersede.
    pub async fn enqueue_keyed(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        key: &str,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        let id = self.enqueue_at(lane, message, now_ms, now_ms).await?;
        sqlx::query("UPDATE outbox SET supersede_key = $2 WHERE id = $1")
            .bind(id)
            .bind(key)
            .execute(&mut *self.inner)
            .await
            .context("keying an outbox row")?;
        Ok(id)
    }

    /// Rewrites a row not yet claimed by a worker; false when it is too late.
    pub async fn replace_pending(
        &mut self,
        outbox_id: i64,
        message: &OutMessage,
    ) -> anyhow::Result<bool> {
        let done =
            sqlx::query("UPDATE outbox SET payload = $2 WHERE id = $1 AND status = 'pending'")
                .bind(outbox_id)
                .bind(serde_json::to_string(message)?)
                .execute(&mut *self.inner)
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
