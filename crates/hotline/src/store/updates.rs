//! Polling's committed offset: how far Telegram's update stream has been
//! handled and committed, one row per bot.

use super::error::{Context, Result};

use super::Store;

/// A stored offset and when it last moved (epoch ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOffset {
    pub next_offset: i64,
    pub updated_at: i64,
}

impl Store {
    /// The committed offset of bot `bot_id`, if it ever polled.
    pub async fn poll_offset(&self, bot_id: i64) -> Result<Option<PollOffset>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT next_offset, updated_at FROM poll_offsets WHERE bot_id = $1")
                .bind(bot_id)
                .fetch_optional(&self.pool)
                .await
                .context("reading the poll offset")?;
        Ok(row.map(|(next_offset, updated_at)| PollOffset {
            next_offset,
            updated_at,
        }))
    }

    /// Records that every update below `next_offset` is committed. Never moves
    /// the offset back (a slower, older writer loses).
    pub async fn save_poll_offset(&self, bot_id: i64, next_offset: i64, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO poll_offsets (bot_id, next_offset, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (bot_id) DO UPDATE SET next_offset = excluded.next_offset,
                 updated_at = excluded.updated_at
             WHERE poll_offsets.next_offset <= excluded.next_offset",
        )
        .bind(bot_id)
        .bind(next_offset)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .context("saving the poll offset")?;
        Ok(())
    }

    /// Records an update from `getUpdates` that could not be parsed (and so
    /// was skipped), once; `error` is the parser's message.
    pub async fn record_unreadable_update(
        &self,
        bot_id: i64,
        update_id: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO unreadable_updates (bot_id, update_id, error, received_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (bot_id, update_id) DO NOTHING",
        )
        .bind(bot_id)
        .bind(update_id)
        .bind(error)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .context("recording an unreadable update")?;
        Ok(())
    }

    /// The updates skipped as unreadable: (update id, error), oldest first.
    pub async fn unreadable_updates(&self) -> Result<Vec<(i64, String)>> {
        sqlx::query_as("SELECT update_id, error FROM unreadable_updates ORDER BY update_id")
            .fetch_all(&self.pool)
            .await
            .context("listing unreadable updates")
    }
}
