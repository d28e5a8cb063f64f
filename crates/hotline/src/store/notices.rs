//! The `escalation_notices` table: the one unsent notice per escalation and
//! person that later news is folded into (rather than a message per report).

use super::Tx;
use super::error::{Context, Result};
use crate::domain::{EscalationId, PersonId};

impl Tx {
    /// The notice about an escalation still waiting to be sent to a person.
    pub async fn pending_notice(
        &mut self,
        escalation_id: EscalationId,
        person_id: &PersonId,
    ) -> Result<Option<i64>> {
        sqlx::query_scalar(
            "SELECT n.outbox_id FROM escalation_notices n JOIN outbox o ON o.id = n.outbox_id
             WHERE n.escalation_id = $1 AND n.person_id = $2 AND o.status = 'pending'",
        )
        .bind(escalation_id)
        .bind(person_id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("looking for an unsent notice")
    }

    pub async fn set_notice(
        &mut self,
        escalation_id: EscalationId,
        person_id: &PersonId,
        outbox_id: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO escalation_notices (escalation_id, person_id, outbox_id) VALUES ($1, $2, $3)
             ON CONFLICT (escalation_id, person_id) DO UPDATE SET outbox_id = excluded.outbox_id",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(outbox_id)
        .execute(&mut *self.inner)
        .await
        .context("recording a notice")?;
        Ok(())
    }
}
