//! Notification rule steps beyond Telegram (issue 15): which were taken,
//! the outbox rows that carry them, a robot's unsent message that a new
//! step joins, and dropping what an acknowledgement made pointless.

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::{ChatId, EscalationId, OutMessage, PersonId};

/// Rule steps already taken for open escalations (hot: every tick).
pub const REACH_STEPS_OF_OPEN: &str = "SELECT r.escalation_id, r.person_id, r.rule_index
     FROM escalations e
     JOIN reach_steps r ON r.escalation_id = e.id
     WHERE e.status = 'open'";

impl Store {
    /// (escalation, person, rule index) of every rule step already taken.
    pub async fn reach_steps_taken(&self) -> Result<Vec<(EscalationId, PersonId, usize)>> {
        let rows: Vec<(EscalationId, PersonId, i64)> = sqlx::query_as(REACH_STEPS_OF_OPEN)
            .fetch_all(&self.pool)
            .await
            .context("listing notification steps taken")?;
        Ok(rows
            .into_iter()
            .map(|(e, p, i)| (e, p, i.max(0) as usize))
            .collect())
    }

    /// The outbox rows that carry an escalation's steps, with their status
    /// (for tests and the timeline's readers).
    pub async fn reach_rows_of(&self, escalation_id: EscalationId) -> Result<Vec<(i64, String)>> {
        sqlx::query_as(
            "SELECT DISTINCT o.id, o.status FROM reach_steps r JOIN outbox o ON o.id = r.outbox_id
             WHERE r.escalation_id = $1 ORDER BY o.id",
        )
        .bind(escalation_id)
        .fetch_all(&self.pool)
        .await
        .context("listing an escalation's notifications")
    }
}

impl Tx {
    /// Records that rule step `rule_index` was taken, carried by
    /// `outbox_id` (None: given up, nothing to send).
    pub async fn take_reach_step(
        &mut self,
        escalation_id: EscalationId,
        person_id: &PersonId,
        rule_index: usize,
        via: &str,
        outbox_id: Option<i64>,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO reach_steps (escalation_id, person_id, rule_index, via, outbox_id, taken_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(rule_index as i64)
        .bind(via)
        .bind(outbox_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a notification step")?;
        // Phone replies look for the latest alert taken to a phone.
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

    /// The newest unsent message to destination `key` (a robot's group),
    /// which a new step may join rather than sending one more.
    pub async fn pending_reach(&mut self, key: ChatId) -> Result<Option<(i64, OutMessage)>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, payload FROM outbox WHERE chat_id = $1 AND status = 'pending'
             ORDER BY id DESC LIMIT 1",
        )
        .bind(key)
        .fetch_optional(&mut *self.inner)
        .await
        .context("looking for an unsent notification")?;
        Ok(row.and_then(|(id, payload)| Some((id, serde_json::from_str(&payload).ok()?))))
    }

    /// Drops unsent notifications of `escalation_id` once none of the
    /// escalations they carry is open any more: an acknowledgement (or a
    /// resolution) by any channel stops the rest. Returns how many.
    pub async fn drop_reach_of_closed(&mut self, escalation_id: EscalationId) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'dropped', claimed_by = NULL
             WHERE status = 'pending'
               AND id IN (SELECT r.outbox_id FROM reach_steps r WHERE r.escalation_id = $1)
               AND NOT EXISTS (SELECT 1 FROM reach_steps s JOIN escalations e ON e.id = s.escalation_id
                               WHERE s.outbox_id = outbox.id AND e.status = 'open')",
        )
        .bind(escalation_id)
        .execute(&mut *self.inner)
        .await
        .context("dropping notifications an acknowledgement made pointless")?;
        Ok(done.rows_affected())
    }
}
