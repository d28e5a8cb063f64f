//! Replies answered in the transport's own response to an update (WeChat's
//! passive reply) instead of by the worker: taken in the transaction that
//! handled the update, marked sent there and linked to it (`chat_answers`),
//! so the worker never sees them and a retry of the update gets the same
//! answer. Given back to the worker when the response could not carry them.

use crate::domain::{ChatId, OutMessage};
use crate::store::error::{Context, Result};
use crate::store::{Store, Tx};

use super::heads::{lock_chat, repoint};

impl Tx {
    /// Takes `chat_id`'s lock exclusive before an update that may be
    /// answered in its response is handled (PostgreSQL; nothing on SQLite):
    /// two such updates of one chat then wait for each other instead of
    /// each holding the shared lock its replies take and both asking for
    /// the exclusive one [`Tx::outbox_answered`] needs.
    pub async fn outbox_lock_for_answer(&mut self, chat_id: ChatId) -> Result<()> {
        lock_chat(&mut self.inner, self.backend, chat_id, true).await
    }

    /// Every row waiting for `chat_id`, in order, if all of them could go
    /// now (pending, not parked, due); None if any is being sent, held or
    /// parked (the worker keeps the chat's order then), or none is waiting.
    pub async fn outbox_waiting(
        &mut self,
        chat_id: ChatId,
        now_ms: i64,
    ) -> Result<Option<Vec<(i64, OutMessage)>>> {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT id, payload, status, CAST(parked AS BIGINT), next_attempt_at FROM outbox
             WHERE chat_id = $1 AND status IN ('pending', 'sending') ORDER BY id",
        )
        .bind(chat_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("reading a chat's waiting rows")?;
        let ready = |(_, _, status, parked, due): &(i64, String, String, i64, i64)| {
            status == "pending" && *parked == 0 && *due <= now_ms
        };
        if rows.is_empty() || !rows.iter().all(ready) {
            return Ok(None);
        }
        let mut waiting = Vec::with_capacity(rows.len());
        for (id, payload, ..) in rows {
            let message = serde_json::from_str(&payload).context("reading an outbox payload")?;
            waiting.push((id, message));
        }
        Ok(Some(waiting))
    }

    /// The rows `ids` of `chat_id` answered `update_id`: marked sent and
    /// linked to it, the chat's head re-pointed (under its exclusive lock,
    /// as the worker marks rows).
    pub async fn outbox_answered(
        &mut self,
        update_id: i64,
        chat_id: ChatId,
        ids: &[i64],
        now_ms: i64,
    ) -> Result<()> {
        lock_chat(&mut self.inner, self.backend, chat_id, true).await?;
        for id in ids {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $2, head = 0, claimed_by = NULL
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(*id)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await
            .context("marking an answered row sent")?;
            sqlx::query(
                "INSERT INTO chat_answers (update_id, outbox_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(update_id)
            .bind(*id)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await
            .context("linking an answered row")?;
        }
        repoint(&mut self.inner, chat_id).await
    }

    /// The messages that answered `update_id`, in order (none if it was not
    /// answered in its response).
    pub async fn outbox_answer_of(&mut self, update_id: i64) -> Result<Vec<OutMessage>> {
        let payloads: Vec<String> = sqlx::query_scalar(
            "SELECT o.payload FROM chat_answers a JOIN outbox o ON o.id = a.outbox_id
             WHERE a.update_id = $1 ORDER BY o.id",
        )
        .bind(update_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("reading an update's answer")?;
        payloads
            .iter()
            .map(|p| serde_json::from_str(p).context("reading an outbox payload"))
            .collect()
    }
}

impl Store {
    /// The response could not carry `update_id`'s answer after all (it came
    /// too late): its rows go back to the worker, unlinked.
    pub async fn outbox_unanswer(&self, update_id: i64, chat_id: ChatId) -> Result<()> {
        let mut tx = self.begin().await?;
        lock_chat(&mut tx.inner, tx.backend, chat_id, true).await?;
        sqlx::query(
            "UPDATE outbox SET status = 'pending', sent_at = NULL
             WHERE status = 'sent' AND id IN (SELECT outbox_id FROM chat_answers WHERE update_id = $1)",
        )
        .bind(update_id)
        .execute(&mut *tx.inner)
        .await
        .context("giving an answer back to the worker")?;
        sqlx::query("DELETE FROM chat_answers WHERE update_id = $1")
            .bind(update_id)
            .execute(&mut *tx.inner)
            .await
            .context("unlinking an answer")?;
        repoint(&mut tx.inner, chat_id).await?;
        tx.commit().await?;
        Ok(())
    }
}
