//! The `phone_replies` table: each reply from a manager's phone is recorded
//! once by its provider id, so a replayed request changes nothing; and the
//! escalation a reply without a number refers to.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::{EscalationId, PersonId};

impl Tx {
    /// Records a reply; false when this provider id was seen before (a replay).
    pub async fn record_phone_reply(
        &mut self,
        provider_id: &str,
        person_id: &PersonId,
        now_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO phone_replies (provider_id, person_id, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (provider_id) DO NOTHING",
        )
        .bind(provider_id)
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a phone reply")?;
        Ok(done.rows_affected() == 1)
    }

    /// The unresolved escalation this person was most recently phoned about.
    pub async fn last_phoned_escalation(
        &mut self,
        person_id: &PersonId,
    ) -> Result<Option<EscalationId>> {
        sqlx::query_scalar(
            "SELECT a.escalation_id FROM escalation_alerts a
             JOIN escalations e ON e.id = a.escalation_id
             WHERE a.person_id = $1 AND a.phoned_at IS NOT NULL AND e.status <> 'resolved'
             ORDER BY a.phoned_at DESC, a.escalation_id DESC LIMIT 1",
        )
        .bind(person_id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("finding the escalation a phone reply is about")
    }
}
