use anyhow::Context;

use super::{Store, Tx};
use crate::outbox::{Lane, OutMessage};

/// A row the worker has claimed and must send, then mark.
#[derive(Debug, Clone)]
pub struct ClaimedMessage {
    pub id: i64,
    pub lane: Lane,
    pub chat_id: i64,
    pub message: OutMessage,
    pub attempts: i64,
    pub created_at: i64,
}

/// How many rows are in each state (for tests, health and benchmarks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
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
    /// Due rows, each the oldest unsent row of its chat (a chat's messages
    /// keep their order; a row deliberately held for later — quiet hours, a
    /// bundle window — and never tried does not hold the chat back): most urgent lane first, or plain first-in-first-out
    /// when `by_lane` is false (kept for the benchmark's comparison).
    /// Returns (id, chat_id).
    pub async fn outbox_due(
        &self,
        now_ms: i64,
        limit: i64,
        by_lane: bool,
    ) -> anyhow::Result<Vec<(i64, i64)>> {
        let sql = if by_lane {
            "SELECT o.id, o.chat_id FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.id < o.id
                               AND (e.status = 'sending'
                                    OR (e.status = 'pending' AND (e.attempts > 0 OR e.next_attempt_at <= $1))))
             ORDER BY o.lane, o.id LIMIT $2"
        } else {
            "SELECT o.id, o.chat_id FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.id < o.id
                               AND (e.status = 'sending'
                                    OR (e.status = 'pending' AND (e.attempts > 0 OR e.next_attempt_at <= $1))))
             ORDER BY o.id LIMIT $2"
        };
        let rows = sqlx::query_as(sql)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .context("listing due outbox rows")?;
        Ok(rows)
    }

    /// Claims one row; None when another worker got it first.
    pub async fn outbox_claim(
        &self,
        id: i64,
        now_ms: i64,
    ) -> anyhow::Result<Option<ClaimedMessage>> {
        // On PostgreSQL several instances' workers race for the same rows:
        // `FOR UPDATE SKIP LOCKED` lets one take a row and the others pass it
        // by at once instead of queueing behind its lock. On SQLite the one
        // writer makes the plain conditional update enough.
        let sql = match self.backend {
            super::Backend::Postgres => {
                "UPDATE outbox SET status = 'sending', claimed_at = $2, attempts = attempts + 1
                 WHERE id = (SELECT id FROM outbox WHERE id = $1 AND status = 'pending'
                             FOR UPDATE SKIP LOCKED)
                 RETURNING id, lane, chat_id, payload, attempts, created_at"
            }
            super::Backend::Sqlite => {
                "UPDATE outbox SET status = 'sending', claimed_at = $2, attempts = attempts + 1
                 WHERE id = $1 AND status = 'pending'
                 RETURNING id, lane, chat_id, payload, attempts, created_at"
            }
        };
        let row: Option<(i64, i64, i64, String, i64, i64)> = sqlx::query_as(sql)
            .bind(id)
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await
            .context("claiming an outbox row")?;
        row.map(|(id, lane, chat_id, payload, attempts, created_at)| {
            let message = serde_json::from_str(&payload).context("reading an outbox payload")?;
            Ok(ClaimedMessage {
                id,
                lane: Lane::from_i64(lane),
                chat_id,
                message,
                attempts,
                created_at,
            })
        })
        .transpose()
    }

    pub async fn outbox_sent(
        &self,
        id: i64,
        now_ms: i64,
        telegram_message_id: Option<i32>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $2, telegram_message_id = $3 WHERE id = $1")
            .bind(id)
            .bind(now_ms)
            .bind(telegram_message_id.map(i64::from))
            .execute(&self.pool)
            .await
            .context("marking an outbox row sent")?;
        Ok(())
    }

    pub async fn outbox_retry(
        &self,
        id: i64,
        next_attempt_ms: i64,
        error: &str,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE outbox SET status = 'pending', next_attempt_at = $2, last_error = $3 WHERE id = $1")
            .bind(id)
            .bind(next_attempt_ms)
            .bind(error)
            .execute(&self.pool)
            .await
            .context("scheduling an outbox retry")?;
        Ok(())
    }

    pub async fn outbox_failed(&self, id: i64, error: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1")
            .bind(id)
            .bind(error)
            .execute(&self.pool)
            .await
            .context("marking an outbox row failed")?;
        Ok(())
    }

    /// Extends the lease of rows this worker is still sending, so a slow send
    /// is not taken for a dead worker's and sent again by another instance.
    pub async fn outbox_renew_claims(&self, ids: &[i64], now_ms: i64) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let marks: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET claimed_at = $1 WHERE status = 'sending' AND id IN ({})",
            marks.join(", ")
        ));
        let mut query = sqlx::query(sql).bind(now_ms);
        for id in ids {
            query = query.bind(*id);
        }
        query
            .execute(&self.pool)
            .await
            .context("renewing outbox claims")?;
        Ok(())
    }

    /// Rows left `sending` by a worker that died before marking them are sent
    /// again: at most one duplicate, never a loss.
    pub async fn outbox_release_stale(&self, claimed_before_ms: i64) -> anyhow::Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'pending' WHERE status = 'sending' AND claimed_at < $1",
        )
        .bind(claimed_before_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
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

    /// Messages for this chat not yet sent (pending or being sent).
    pub async fn outbox_unsent_for_chat(&self, chat_id: i64) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status IN ('pending', 'sending')",
        )
        .bind(chat_id)
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
            "INSERT INTO outbox (lane, chat_id, payload, status, next_attempt_at, created_at)
             VALUES ($1, $2, $3, 'pending', $4, $5) RETURNING id",
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
