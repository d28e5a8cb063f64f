//! The worker's marks: how each finished send went (sent, its next part
//! due, due again later, failed for good), written for every send that
//! finished together in one go.
//!
//! On SQLite a mark needs the process's one write turn, which intake's
//! batches share. Marked one by one, ten sends that finished together waited
//! for ten turns, each behind up to four intake batches, and a hung alert
//! was recorded (and so sent again) 8–17 s after its call gave up in the
//! fault flood. Now the marks of all of them are one transaction in one
//! turn, alerts first.
//!
//! On PostgreSQL each mark keeps its own transaction under its chat's
//! exclusive lock (see `heads`): writers take chats' shared locks in no
//! fixed order, so the worker must never hold two chats' locks at once.
//! PostgreSQL writes in parallel, so there is no turn to save.

use sqlx::AnyConnection;

use super::heads::{Change, lock_chat, repoint};
use crate::domain::{ChatId, Lane};
use crate::store::error::{Context, Result};
use crate::store::{Backend, Store};

/// How one send went, as the worker records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Every part is out: the row is sent; the chat's next row becomes its
    /// head. `message_id` is that of the part later edits rewrite, if any.
    Sent {
        id: i64,
        chat_id: ChatId,
        message_id: Option<i32>,
    },
    /// One part of a long text went out: the row goes back to the head of
    /// its chat's queue for the next part, with a fresh count of attempts.
    PartSent {
        id: i64,
        parts_sent: i64,
        message_id: Option<i32>,
    },
    /// Due again at `next_attempt_ms`. An attempt that does not `count`
    /// (Telegram's "retry after") is given back. A row that has failed
    /// `hold_attempts` times is parked: it stops holding its chat's later
    /// messages until it comes due again.
    Retry {
        id: i64,
        chat_id: ChatId,
        next_attempt_ms: i64,
        error: String,
        counts: bool,
        hold_attempts: i64,
    },
    /// Given up for good, with the reason; the chat's next row becomes its head.
    Failed {
        id: i64,
        chat_id: ChatId,
        error: String,
    },
}

/// A mark with the lane of its row (alerts are written first).
pub type LaneMark = (Lane, Mark);

impl Mark {
    /// The chat whose head the mark moves, if it moves one.
    fn chat(&self) -> Option<ChatId> {
        match self {
            Mark::Sent { chat_id, .. }
            | Mark::Retry { chat_id, .. }
            | Mark::Failed { chat_id, .. } => Some(*chat_id),
            Mark::PartSent { .. } => None,
        }
    }

    /// The statement that writes the mark, sent at `now_ms`.
    fn change(&self, now_ms: i64) -> Change {
        match self {
            Mark::Sent { id, message_id, .. } => sqlx::query(
                // A long text's id was recorded with its main part (see `outbox::parts`).
                "UPDATE outbox SET status = 'sent', claimed_by = NULL, sent_at = $2, head = 0,
                        telegram_message_id = COALESCE($3, telegram_message_id)
                 WHERE id = $1",
            )
            .bind(*id)
            .bind(now_ms)
            .bind(message_id.map(i64::from)),
            Mark::PartSent {
                id,
                parts_sent,
                message_id,
            } => sqlx::query(
                "UPDATE outbox SET status = 'pending', claimed_by = NULL, parts_sent = $2,
                        attempts = 0, next_attempt_at = $3,
                        telegram_message_id = COALESCE($4, telegram_message_id)
                 WHERE id = $1",
            )
            .bind(*id)
            .bind(*parts_sent)
            .bind(now_ms)
            .bind(message_id.map(i64::from)),
            Mark::Retry {
                id,
                next_attempt_ms,
                error,
                counts,
                hold_attempts,
                ..
            } => sqlx::query(
                "UPDATE outbox SET status = 'pending', claimed_by = NULL, next_attempt_at = $2,
                        last_error = $3, attempts = attempts - $4,
                        parked = CASE WHEN attempts - $4 >= $5 THEN 1 ELSE 0 END
                 WHERE id = $1",
            )
            .bind(*id)
            .bind(*next_attempt_ms)
            .bind(error.clone())
            .bind(i64::from(!counts))
            .bind(*hold_attempts),
            Mark::Failed { id, error, .. } => sqlx::query(
                "UPDATE outbox SET status = 'failed', claimed_by = NULL, head = 0, last_error = $2
                 WHERE id = $1",
            )
            .bind(*id)
            .bind(error.clone()),
        }
    }
}

/// Writes `mark` and re-points its chat's head, in the caller's transaction.
async fn write(conn: &mut AnyConnection, backend: Backend, mark: &Mark, now_ms: i64) -> Result<()> {
    if let Some(chat_id) = mark.chat() {
        lock_chat(conn, backend, chat_id, true).await?;
    }
    mark.change(now_ms)
        .execute(&mut *conn)
        .await
        .context("recording how an outbox send went")?;
    if let Some(chat_id) = mark.chat() {
        repoint(conn, chat_id).await?;
    }
    Ok(())
}

impl Store {
    /// Records how the sends in `marks` went, at `now_ms`, alerts first (see
    /// the module comment for how many transactions that takes).
    pub async fn outbox_mark(&self, now_ms: i64, mut marks: Vec<LaneMark>) -> Result<()> {
        marks.sort_by_key(|(lane, _)| *lane != Lane::Alert);
        if self.backend == Backend::Sqlite {
            let _turn = self.write_turn().await?;
            let mut tx = self.pool.begin().await.context("recording outbox sends")?;
            for (_, mark) in &marks {
                write(&mut tx, self.backend, mark, now_ms).await?;
            }
            return tx.commit().await.context("recording outbox sends");
        }
        for (_, mark) in &marks {
            let mut tx = self
                .pool
                .begin()
                .await
                .context("recording an outbox send")?;
            write(&mut tx, self.backend, mark, now_ms).await?;
            tx.commit().await.context("recording an outbox send")?;
        }
        Ok(())
    }
}
