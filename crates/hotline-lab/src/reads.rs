//! Reads the benchmarks make of a finished run (`hotline bench`): which
//! escalations opened when, which outbox messages carried their alerts, and
//! what is still waiting to go to Telegram.
//! Read-only, portable, and cheap enough to run while the bot is busy.

use crate::db::LabDb;

/// One escalation and one alert message that carried it (if any was written).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertDelivery {
    pub escalation_id: i64,
    /// Why it opened: `threshold`, `urgent` or `zone`.
    pub reason: String,
    /// When the bot began handling the report that opened it (its wall clock).
    pub opened_at: i64,
    pub chat_id: Option<i64>,
    pub person_id: Option<String>,
    /// The Telegram message id once the alert message was sent.
    pub telegram_message_id: Option<i64>,
}

impl LabDb {
    /// Every escalation opened after `since_ms` with each of its alert
    /// messages (an escalation with no alert written yet appears once, with
    /// no chat), oldest first.
    pub async fn alert_deliveries(&self, since_ms: i64) -> anyhow::Result<Vec<AlertDelivery>> {
        Ok(sqlx::query_as(
            "SELECT e.id AS escalation_id, e.reason, e.opened_at, a.chat_id, a.person_id,
                    o.telegram_message_id
             FROM escalations e
             LEFT JOIN escalation_alerts a ON a.escalation_id = e.id
             LEFT JOIN outbox o ON o.id = a.outbox_id
             WHERE e.opened_at >= $1
             ORDER BY e.id, a.outbox_id",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Escalations opened after `since_ms`.
    pub async fn escalations_opened_since(&self, since_ms: i64) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM escalations WHERE opened_at >= $1")
                .bind(since_ms)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Outbox rows to `chat_id` marked sent.
    pub async fn sent_rows_to(&self, chat_id: i64) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status = 'sent'",
            )
            .bind(chat_id)
            .fetch_one(&self.pool)
            .await?,
        )
    }

    /// Updates the bot has handled (each recorded with its effects).
    pub async fn handled_updates(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates")
            .fetch_one(&self.pool)
            .await?)
    }

    /// (id, opened_at) of every escalation opened after `since_ms`, oldest first.
    pub async fn escalation_openings(&self, since_ms: i64) -> anyhow::Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, opened_at FROM escalations WHERE opened_at >= $1 ORDER BY id",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Telegram messages written before `before_ms` and not yet out
    /// (pending or being sent); texts and robot messages do not count.
    pub async fn telegram_backlog(&self, before_ms: i64) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox
             WHERE status IN ('pending', 'sending') AND chat_id > $1 AND created_at < $2",
        )
        .bind(hotline::domain::reach::REACH_KEY_MAX)
        .bind(before_ms)
        .fetch_one(&self.pool)
        .await?)
    }
}
