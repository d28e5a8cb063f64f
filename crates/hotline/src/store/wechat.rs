//! `wechat_ids`: WeChat's string ids (openids, push keys) given stable
//! numbers, so the chat layer's `i64` user, chat and update ids serve
//! WeChat as they serve Telegram (`crate::wechat::ids` places them).

use super::Store;
use super::error::{Context, Result};

/// The row's id, made on first sight; the same for every later call.
const NUMBER: &str = "INSERT INTO wechat_ids (kind, key, seen_at) VALUES ($1, $2, $3)
     ON CONFLICT (kind, key) DO UPDATE SET kind = excluded.kind
     RETURNING id";

impl Store {
    /// The stable number of a WeChat id of `kind` ('openid' or 'push').
    pub async fn wechat_number(&self, kind: &str, key: &str, now_ms: i64) -> Result<i64> {
        sqlx::query_scalar(NUMBER)
            .bind(kind)
            .bind(key)
            .bind(now_ms)
            .fetch_one(&self.pool)
            .await
            .context("numbering a WeChat id")
    }

    /// The openid behind a number made by [`Store::wechat_number`].
    pub async fn wechat_key(&self, kind: &str, number: i64) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT key FROM wechat_ids WHERE kind = $1 AND id = $2")
            .bind(kind)
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .context("reading a WeChat id")
    }
}

#[cfg(feature = "testkit")]
impl Store {
    /// For tests: the payloads written to `chat_id`'s outbox, oldest first.
    pub async fn outbox_payloads(&self, chat_id: crate::domain::ChatId) -> Result<Vec<String>> {
        sqlx::query_scalar("SELECT payload FROM outbox WHERE chat_id = $1 ORDER BY id")
            .bind(chat_id)
            .fetch_all(&self.pool)
            .await
            .context("reading a chat's outbox")
    }
}

#[cfg(feature = "testkit")]
impl Store {
    /// For tests: rows to `chat_id` not yet sent nor failed.
    pub async fn outbox_unsent(&self, chat_id: crate::domain::ChatId) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status IN ('pending', 'sending')",
        )
        .bind(chat_id)
        .fetch_one(&self.pool)
        .await
        .context("counting a chat's unsent rows")
    }
}
