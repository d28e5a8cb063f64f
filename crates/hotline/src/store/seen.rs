//! Whether a Telegram user ever wrote to the bot: Telegram lets a bot
//! message only people who started it, so `hotline doctor` asks this of
//! everyone who may be paged.

use super::Store;
use super::error::{Context, Result};

impl Store {
    /// True when an update from `user_id` was ever handled.
    pub async fn has_written(&self, user_id: i64) -> Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM processed_updates WHERE user_id = $1 LIMIT 1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await
                .context("looking for a user's updates")?;
        Ok(found.is_some())
    }
}
