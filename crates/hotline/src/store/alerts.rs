//! The `escalation_alerts` table: which outbox message carried which
//! escalation's alert to whom. One message may carry several escalations
//! (a bundle). The per-chat lookups read `escalation_alerts_by_chat` and
//! look at the chat's latest alert only, so they stay flat in history.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::{ChatId, EscalationId, PersonId};

/// An alert message already sent (or queued) for an escalation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub outbox_id: i64,
    pub person_id: PersonId,
    pub chat_id: ChatId,
    pub telegram_message_id: Option<i64>,
}

/// The chat's latest alert message, if it is still unsent and was written
/// since `$2`: a new alert joins it instead of queueing behind it.
pub const PENDING_ALERT_BUNDLE: &str = "SELECT o.id FROM outbox o
     WHERE o.id = (SELECT a.outbox_id FROM escalation_alerts a WHERE a.chat_id = $1
                   ORDER BY a.outbox_id DESC LIMIT 1)
       AND o.status = 'pending' AND o.created_at >= $2";

/// The escalations one outbox message carries.
pub const BUNDLE_ESCALATIONS: &str =
    "SELECT escalation_id FROM escalation_alerts WHERE outbox_id = $1 ORDER BY escalation_id";

impl Tx {
    pub async fn record_alert(
        &mut self,
        escalation_id: EscalationId,
        outbox_id: i64,
        person_id: &PersonId,
        chat_id: ChatId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO escalation_alerts (escalation_id, outbox_id, person_id, chat_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(escalation_id)
        .bind(outbox_id)
        .bind(person_id)
        .bind(chat_id)
        .execute(&mut *self.inner)
        .await
        .context("recording an alert")?;
        Ok(())
    }

    /// The alerts of an escalation with their Telegram message ids once sent.
    pub async fn escalation_alerts(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Vec<AlertRow>> {
        sqlx::query_as(
            "SELECT a.outbox_id, a.person_id, a.chat_id, o.telegram_message_id
             FROM escalation_alerts a JOIN outbox o ON o.id = a.outbox_id
             WHERE a.escalation_id = $1 ORDER BY a.outbox_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing an escalation's alerts")
    }

    /// An unsent alert message to `chat_id` written since `since_ms`, to add to.
    pub async fn pending_alert_bundle(
        &mut self,
        chat_id: ChatId,
        since_ms: i64,
    ) -> Result<Option<i64>> {
        sqlx::query_scalar(PENDING_ALERT_BUNDLE)
            .bind(chat_id)
            .bind(since_ms)
            .fetch_optional(&mut *self.inner)
            .await
            .context("looking for an unsent alert to bundle with")
    }

    /// Drops the unsent Telegram alerts of `escalation_id` once none of the
    /// escalations they carry is open: an alert still waiting (Telegram
    /// unreachable, the chat rate limited) when someone acknowledged by
    /// phone, link or desk is not sent as news afterwards. Returns how many.
    pub async fn drop_alerts_of_closed(&mut self, escalation_id: EscalationId) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'dropped', claimed_by = NULL
             WHERE status = 'pending'
               AND id IN (SELECT a.outbox_id FROM escalation_alerts a WHERE a.escalation_id = $1)
               AND NOT EXISTS (SELECT 1 FROM escalation_alerts b JOIN escalations e ON e.id = b.escalation_id
                               WHERE b.outbox_id = outbox.id AND e.status = 'open')",
        )
        .bind(escalation_id)
        .execute(&mut *self.inner)
        .await
        .context("dropping alerts an acknowledgement made pointless")?;
        Ok(done.rows_affected())
    }

    /// The escalations whose alerts one outbox message carries.
    pub async fn bundle_escalations(&mut self, outbox_id: i64) -> Result<Vec<EscalationId>> {
        sqlx::query_scalar(BUNDLE_ESCALATIONS)
            .bind(outbox_id)
            .fetch_all(&mut *self.inner)
            .await
            .context("listing the escalations of an alert message")
    }

    /// The staff already alerted about an escalation: (person id, chat id).
    pub async fn alerted_people(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Vec<(PersonId, ChatId)>> {
        sqlx::query_as(
            "SELECT DISTINCT person_id, chat_id FROM escalation_alerts WHERE escalation_id = $1 ORDER BY person_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing the staff alerted about an escalation")
    }
}
