//! Incident news (`incident_updates`) and the residents subscribed to an
//! incident; planned outages (`planned_outages`) staff announce ahead.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::{ChatId, EscalationId, PersonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncidentUpdate {
    pub id: i64,
    pub text: String,
    pub eta: Option<i64>,
    pub created_by: PersonId,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlannedOutage {
    pub id: i64,
    pub compound_id: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub note: String,
    pub created_by: PersonId,
}

/// The planned outage covering an instant in a compound (hot: every outage report).
pub const PLANNED_AT: &str =
    "SELECT id, compound_id, starts_at, ends_at, note, created_by FROM planned_outages
     WHERE compound_id = $1 AND removed_at IS NULL AND starts_at <= $2 AND ends_at > $2
     ORDER BY id DESC LIMIT 1";

impl Tx {
    pub async fn add_incident_update(
        &mut self,
        escalation_id: EscalationId,
        text: &str,
        eta: Option<i64>,
        by: &PersonId,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO incident_updates (escalation_id, text, eta, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(escalation_id)
        .bind(text)
        .bind(eta)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("adding incident news")
    }

    pub async fn latest_incident_update(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Option<IncidentUpdate>> {
        sqlx::query_as(
            "SELECT id, text, eta, created_by, created_at FROM incident_updates
             WHERE escalation_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(escalation_id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading the latest incident news")
    }

    /// Everyone subscribed to an incident: the residents whose reports count
    /// on it, one entry per chat, with their language.
    pub async fn incident_subscribers(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Vec<(ChatId, String)>> {
        sqlx::query_as(
            "SELECT r.resident_chat_id, MIN(r.resident_lang) FROM reports r
             JOIN escalation_reports er ON er.report_id = r.id
             WHERE er.escalation_id = $1 AND r.resident_chat_id <> 0 GROUP BY r.resident_chat_id ORDER BY r.resident_chat_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing an incident's subscribers")
    }

    pub async fn add_planned(
        &mut self,
        compound_id: &str,
        starts_at: i64,
        ends_at: i64,
        note: &str,
        by: &PersonId,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO planned_outages (compound_id, starts_at, ends_at, note, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(compound_id)
        .bind(starts_at)
        .bind(ends_at)
        .bind(note)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("adding a planned outage")
    }

    /// The planned outage covering `at_ms` in a compound, if any.
    pub async fn planned_at(
        &mut self,
        compound_id: &str,
        at_ms: i64,
    ) -> Result<Option<PlannedOutage>> {
        sqlx::query_as(PLANNED_AT)
            .bind(compound_id)
            .bind(at_ms)
            .fetch_optional(&mut *self.inner)
            .await
            .context("looking up a planned outage")
    }

    /// Planned outages not yet over.
    pub async fn upcoming_planned(&mut self, now_ms: i64) -> Result<Vec<PlannedOutage>> {
        sqlx::query_as(
            "SELECT id, compound_id, starts_at, ends_at, note, created_by FROM planned_outages
             WHERE removed_at IS NULL AND ends_at > $1 ORDER BY starts_at",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing planned outages")
    }

    /// Cancels planned work not yet over; false when there is none by that id.
    pub async fn remove_planned(&mut self, id: i64, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE planned_outages SET removed_at = $2
             WHERE id = $1 AND removed_at IS NULL AND ends_at > $2",
        )
        .bind(id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("cancelling a planned outage")?;
        Ok(done.rows_affected() == 1)
    }
}
