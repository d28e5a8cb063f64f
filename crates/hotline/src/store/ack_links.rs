//! One-time acknowledge links: created with a text beyond Telegram, used
//! once by a POST from the link's page.

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::{EscalationId, PersonId};

/// A stored link (found by its token's hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckLinkRow {
    pub escalation_id: EscalationId,
    pub person_id: PersonId,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// `ack` or `resolve`.
    pub used_for: Option<String>,
}

impl Store {
    pub async fn ack_link(&self, token_hash: &str) -> Result<Option<AckLinkRow>> {
        type Row = (EscalationId, PersonId, i64, Option<i64>, Option<String>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT escalation_id, person_id, expires_at, used_at, used_for
             FROM ack_links WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .context("reading an acknowledge link")?;
        Ok(row.map(
            |(escalation_id, person_id, expires_at, used_at, used_for)| AckLinkRow {
                escalation_id,
                person_id,
                expires_at,
                used_at,
                used_for,
            },
        ))
    }
}

impl Tx {
    pub async fn create_ack_link(
        &mut self,
        token_hash: &str,
        escalation_id: EscalationId,
        person_id: &PersonId,
        now_ms: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ack_links (token_hash, escalation_id, person_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(escalation_id)
        .bind(person_id)
        .bind(now_ms)
        .bind(expires_at)
        .execute(&mut *self.inner)
        .await
        .context("creating an acknowledge link")?;
        Ok(())
    }

    /// Marks the link used for `action`; false when it was used already or
    /// has expired (nothing changes then). One statement, so two taps race
    /// safely: exactly one wins.
    pub async fn use_ack_link(
        &mut self,
        token_hash: &str,
        action: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE ack_links SET used_at = $2, used_for = $3
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .bind(action)
        .execute(&mut *self.inner)
        .await
        .context("using an acknowledge link")?;
        Ok(done.rows_affected() == 1)
    }
}
