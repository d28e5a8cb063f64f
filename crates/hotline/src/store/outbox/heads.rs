//! The head of each chat's queue (migration 0014): the one row of a chat the
//! worker may send next, flagged on the row (`head = 1`) so that the due-rows
//! query reads heads in send order and stops after a page, however long the
//! backlog. Every statement that adds a live row, retires one or parks one
//! re-points its chat's head in the same transaction.
//!
//! A head is the first live (pending or sending) row of its chat that is not
//! parked. A parked row (held for quiet hours, or failed often enough that it
//! stops holding its chat) lets the chat's later rows go; when it comes due
//! it is unparked and becomes the head again, so it still goes first.
//!
//! On PostgreSQL, transactions that write a chat's rows take a shared
//! advisory lock on the chat first, and the worker's mark takes it exclusive:
//! a mark that retires a head then sees every row written before it, so a
//! chat is never left with waiting rows and no head. Writers never wait for
//! each other (shared), and the worker holds one chat's lock at a time and
//! takes it before touching any row, so the locks cannot deadlock. SQLite's
//! single writer serialises the same steps.

use crate::domain::ChatId;
use crate::store::error::{Context, Result};
use sqlx::{Any, AnyConnection};

use crate::store::{Backend, Store, Tx};

/// The first key of the per-chat locks (two-key form; a class apart from the
/// delivery workers' identity locks).
const CHAT_LOCK_CLASS: i64 = 0x6f7574;

/// One statement that leaves exactly the first live unparked row of chat `$1`
/// flagged as its head (only rows whose flag is wrong are written).
const REPOINT_HEAD: &str = "UPDATE outbox SET head = CASE WHEN head = 1 THEN 0 ELSE 1 END
     WHERE chat_id = $1 AND status IN ('pending', 'sending')
       AND head <> CASE WHEN id = (SELECT MIN(id) FROM outbox
                                   WHERE chat_id = $1 AND status IN ('pending', 'sending')
                                     AND parked = 0)
                        THEN 1 ELSE 0 END";

/// A query on the `Any` driver, built by the caller and run in the chat's transaction.
pub(super) type Change = sqlx::query::Query<'static, Any, sqlx::any::AnyArguments>;

/// Re-points the head of `chat_id` (see the module comment).
pub(super) async fn repoint(conn: &mut AnyConnection, chat_id: ChatId) -> Result<()> {
    sqlx::query(REPOINT_HEAD)
        .bind(chat_id)
        .execute(conn)
        .await
        .context("re-pointing a chat's outbox head")?;
    Ok(())
}

/// PostgreSQL: the chat's lock for this transaction, shared (writers of new
/// rows) or exclusive (the worker's marks). Nothing on SQLite.
pub(super) async fn lock_chat(
    conn: &mut AnyConnection,
    backend: Backend,
    chat_id: ChatId,
    exclusive: bool,
) -> Result<()> {
    if backend == Backend::Sqlite {
        return Ok(());
    }
    let sql = if exclusive {
        "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))) AS locked"
    } else {
        "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock_shared(CAST($1 AS INTEGER), CAST($2 AS INTEGER))) AS locked"
    };
    // Folded into the lock's 32 bits: two chats that share a key only wait
    // for each other a little.
    let key = i64::from((chat_id.0 ^ (chat_id.0 >> 32)) as i32);
    sqlx::query(sql)
        .bind(CHAT_LOCK_CLASS)
        .bind(key)
        .execute(conn)
        .await
        .context("locking a chat's outbox rows")?;
    Ok(())
}

impl Tx {
    /// Takes `chat_id`'s shared lock before this transaction writes its rows.
    pub(super) async fn lock_outbox_chat(&mut self, chat_id: ChatId) -> Result<()> {
        lock_chat(&mut self.inner, self.backend, chat_id, false).await
    }
}

impl Store {
    /// Runs `change` on rows of `chat_id`, then re-points the chat's head,
    /// in one transaction under the chat's exclusive lock; returns the rows
    /// `change` affected.
    pub(super) async fn change_chat(
        &self,
        chat_id: ChatId,
        change: Change,
        what: &'static str,
    ) -> Result<u64> {
        let _turn = self.write_turn().await?;
        let mut tx = self.pool.begin().await.context(what)?;
        lock_chat(&mut tx, self.backend, chat_id, true).await?;
        let affected = change
            .execute(&mut *tx)
            .await
            .context(what)?
            .rows_affected();
        repoint(&mut tx, chat_id).await?;
        tx.commit().await.context(what)?;
        Ok(affected)
    }

    /// Keeps heads right where time or a writer moved them: parked rows that
    /// have come due are unparked (and become their chats' heads again, so
    /// they go first), and a dropped head hands over to its chat's next row.
    /// Returns how many rows changed.
    pub async fn outbox_tidy_heads(&self, now_ms: i64) -> Result<usize> {
        // Reads first: most passes find nothing, and a write would wait for
        // SQLite's one writer.
        let due: Vec<(i64, ChatId)> = sqlx::query_as(
            "SELECT id, chat_id FROM outbox
             WHERE parked = 1 AND next_attempt_at <= $1 AND status = 'pending' LIMIT 100",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("listing parked outbox rows that came due")?;
        let dropped: Vec<(i64, ChatId)> = sqlx::query_as(
            "SELECT id, chat_id FROM outbox WHERE status = 'dropped' AND head = 1 LIMIT 100",
        )
        .fetch_all(&self.pool)
        .await
        .context("listing dropped outbox heads")?;
        for (id, chat_id) in &due {
            let unpark = sqlx::query("UPDATE outbox SET parked = 0 WHERE id = $1").bind(*id);
            self.change_chat(*chat_id, unpark, "unparking an outbox row")
                .await?;
        }
        for (id, chat_id) in &dropped {
            let retire = sqlx::query("UPDATE outbox SET head = 0 WHERE id = $1").bind(*id);
            self.change_chat(*chat_id, retire, "retiring a dropped outbox head")
                .await?;
        }
        Ok(due.len() + dropped.len())
    }

    /// SQLite, at the worker's start (one instance, nothing else sending):
    /// re-points every chat's head from scratch, a safety net that costs one
    /// pass over the waiting rows.
    pub(super) async fn outbox_repoint_all(&self) -> Result<()> {
        let _turn = self.write_turn().await?;
        sqlx::query(
            "UPDATE outbox SET head = CASE WHEN head = 1 THEN 0 ELSE 1 END
             WHERE status IN ('pending', 'sending')
               AND head <> CASE WHEN id = (SELECT MIN(e.id) FROM outbox e
                                           WHERE e.chat_id = outbox.chat_id
                                             AND e.status IN ('pending', 'sending')
                                             AND e.parked = 0)
                                THEN 1 ELSE 0 END",
        )
        .execute(&self.pool)
        .await
        .context("re-pointing every chat's outbox head")?;
        Ok(())
    }
}
