//! The `group_notices` table: when a group chat was last asked to write to
//! the bot privately, so a busy group hears it at most once per interval.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::ChatId;

impl Tx {
    /// Claims the group's notice: true (and `now_ms` recorded) when none was
    /// given since `now_ms - every_ms`; false means stay quiet.
    pub async fn claim_group_notice(
        &mut self,
        chat_id: ChatId,
        now_ms: i64,
        every_ms: i64,
    ) -> Result<bool> {
        let claimed: Option<i64> = sqlx::query_scalar(
            "INSERT INTO group_notices (chat_id, last_at) VALUES ($1, $2)
             ON CONFLICT (chat_id) DO UPDATE SET last_at = excluded.last_at
             WHERE group_notices.last_at <= $3
             RETURNING chat_id",
        )
        .bind(chat_id)
        .bind(now_ms)
        .bind(now_ms - every_ms)
        .fetch_optional(&mut *self.inner)
        .await
        .context("claiming a group's notice")?;
        Ok(claimed.is_some())
    }
}
