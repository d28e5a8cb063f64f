//! Reads behind the desk's ticket page and its tab title: an escalation's
//! status (which actions still apply), the priority zones over a compound,
//! the messages to its resident that could not be sent, and how many
//! escalations wait for a person to acknowledge them.

use super::Store;
use super::error::{Context, Result};
use crate::domain::EscalationStatus;
use crate::domain::{ChatId, EscalationId};

impl Store {
    /// An escalation's status; `None` when there is no such escalation.
    pub async fn escalation_status(&self, id: EscalationId) -> Result<Option<EscalationStatus>> {
        let code: Option<String> =
            sqlx::query_scalar("SELECT status FROM escalations WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .context("reading an escalation's status")?;
        Ok(code.and_then(|c| EscalationStatus::from_code(&c)))
    }

    /// Kind codes of the priority zones in force over a compound at `now_ms`.
    pub async fn zone_kinds_of(&self, compound_id: &str, now_ms: i64) -> Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT DISTINCT kind FROM zones WHERE compound_id = $1
             AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > $2) ORDER BY kind",
        )
        .bind(compound_id)
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading a compound's priority zones")
    }

    /// Escalations nobody has acknowledged yet (the desk's tab title).
    pub async fn unacknowledged_escalations(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM escalations WHERE status = 'open'")
            .fetch_one(&self.pool)
            .await
            .context("counting unacknowledged escalations")
    }

    /// Messages to `chat_id` written since `since_ms` that failed for
    /// good: (written at, why, the message's text if it has one), oldest first.
    pub async fn failed_sends(
        &self,
        chat_id: ChatId,
        since_ms: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>> {
        let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
            "SELECT created_at, last_error, payload FROM outbox
             WHERE chat_id = $1 AND status = 'failed' AND created_at >= $2 ORDER BY id",
        )
        .bind(chat_id)
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading a resident's failed messages")?;
        let text = |payload: &str| match serde_json::from_str(payload).ok()? {
            crate::domain::OutMessage::Send { text, .. }
            | crate::domain::OutMessage::Edit { text, .. } => Some(text),
            _ => None,
        };
        Ok(rows
            .into_iter()
            .map(|(at, error, payload)| (at, error.unwrap_or_default(), text(&payload)))
            .collect())
    }
}
