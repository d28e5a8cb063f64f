//! Alerts that should go on to a manager's phone (the SMS/voice fallback):
//! unanswered in Telegram, or refused by it.

use super::error::{Context, Result};
use super::{Store, Tx};

/// An alert that should now reach the manager's phone.
#[derive(Debug, Clone)]
pub struct PhoneDue {
    pub escalation_id: i64,
    pub outbox_id: i64,
    pub person_id: String,
    /// True when Telegram refused the alert (blocked, chat not found).
    pub undeliverable: bool,
}

/// Alerts of open escalations not yet phoned whose outbox row failed or was
/// sent before `$1` (hot: every engine tick).
pub const ALERTS_NEEDING_PHONE: &str = "SELECT a.escalation_id, a.outbox_id, a.person_id, o.status
     FROM escalation_alerts a
     JOIN outbox o ON o.id = a.outbox_id
     JOIN escalations e ON e.id = a.escalation_id
     WHERE a.phoned_at IS NULL AND e.status = 'open'
       AND (o.status = 'failed' OR (o.status = 'sent' AND o.sent_at <= $1))
     ORDER BY a.escalation_id, a.outbox_id";

impl Store {
    /// Alerts of open escalations that Telegram refused, or that were sent
    /// before `sent_before_ms` and are still unacknowledged, not yet phoned.
    pub async fn alerts_needing_phone(&self, sent_before_ms: i64) -> Result<Vec<PhoneDue>> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(ALERTS_NEEDING_PHONE)
            .bind(sent_before_ms)
            .fetch_all(&self.pool)
            .await
            .context("listing alerts for the phone fallback")?;
        Ok(rows
            .into_iter()
            .map(|(escalation_id, outbox_id, person_id, status)| PhoneDue {
                escalation_id,
                outbox_id,
                person_id,
                undeliverable: status == "failed",
            })
            .collect())
    }
}

impl Tx {
    pub async fn mark_phoned(
        &mut self,
        escalation_id: i64,
        person_id: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE escalation_alerts SET phoned_at = $3
             WHERE escalation_id = $1 AND person_id = $2 AND phoned_at IS NULL",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a phoned alert")?;
        Ok(())
    }
}
