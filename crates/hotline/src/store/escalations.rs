//! The `escalations` table: one incident per compound and category (or per
//! urgent report), its walk along the chain, acknowledgement and resolution.

use super::error::{Context, Result};
use super::escalation_row::{EscalationRow, NewEscalation};
use super::{ReportRow, Store, Tx};
use crate::domain::{Category, EscalationId, PersonId, ReportStatus, ZoneKind};

macro_rules! escalation_columns {
    () => {
        "id, compound_id, compound_text, category, reason, zone_kind, no_entry, status, \
         step, repeats, report_count, threshold, next_action_at, opened_at, acknowledged_at, \
         acknowledged_by, resolved_at, resolved_by, updated_at"
    };
}
pub(super) use escalation_columns;

/// The escalation still unresolved for a compound and category (hot: every report).
pub const UNRESOLVED_ESCALATION: &str = concat!(
    "SELECT ",
    escalation_columns!(),
    " FROM escalations WHERE compound_id = $1 AND category = $2 AND status <> 'resolved'
      ORDER BY id DESC LIMIT 1"
);

/// Open escalations whose next step is due (hot: every engine tick).
pub const DUE_ESCALATIONS: &str = "SELECT id FROM escalations
     WHERE status = 'open' AND next_action_at IS NOT NULL AND next_action_at <= $1
     ORDER BY next_action_at";

impl Tx {
    /// The escalation not yet resolved for this compound and category, if any.
    pub async fn unresolved_escalation(
        &mut self,
        compound_id: &str,
        category: Category,
    ) -> Result<Option<EscalationRow>> {
        sqlx::query_as(UNRESOLVED_ESCALATION)
            .bind(compound_id)
            .bind(category.code())
            .fetch_optional(&mut *self.inner)
            .await
            .context("looking up the compound's unresolved escalation")
    }

    pub async fn escalation(&mut self, id: EscalationId) -> Result<Option<EscalationRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            escalation_columns!(),
            " FROM escalations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading an escalation")
    }

    pub async fn create_escalation(
        &mut self,
        e: &NewEscalation,
        now_ms: i64,
    ) -> Result<EscalationId> {
        sqlx::query_scalar(
            "INSERT INTO escalations (compound_id, compound_text, category, reason, zone_kind, no_entry, status,
                step, repeats, report_count, threshold, opened_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, 0, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&e.compound_id)
        .bind(&e.compound_text)
        .bind(e.category.code())
        .bind(e.reason.code())
        .bind(e.zone_kind.map(ZoneKind::code))
        .bind(i64::from(e.no_entry))
        .bind(e.step)
        .bind(e.report_count)
        .bind(e.threshold)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("opening an escalation")
    }

    /// Where the walk stands: the step just notified and when to act next.
    pub async fn set_walk(
        &mut self,
        id: EscalationId,
        step: i64,
        repeats: i64,
        next_action_at: i64,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE escalations SET step = $2, repeats = $3, next_action_at = $4, updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(step)
        .bind(repeats)
        .bind(next_action_at)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording the escalation's next step")?;
        Ok(())
    }

    /// Stops the walk. False when it was not open (already acknowledged or resolved).
    pub async fn acknowledge_escalation(
        &mut self,
        id: EscalationId,
        by: &PersonId,
        now_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await
        .context("acknowledging an escalation")?;
        self.drop_reach_of_closed(id).await?;
        self.drop_alerts_of_closed(id).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Closes an escalation and all its reports (each gets a `resolved` event).
    /// Returns the reports it resolved; None when it was already resolved.
    pub async fn resolve_escalation(
        &mut self,
        id: EscalationId,
        by: &PersonId,
        note: &str,
        now_ms: i64,
    ) -> Result<Option<Vec<ReportRow>>> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'resolved', resolved_at = $2, resolved_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status <> 'resolved'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await
        .context("resolving an escalation")?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        self.drop_reach_of_closed(id).await?;
        self.drop_alerts_of_closed(id).await?;
        let reports = self
            .move_reports(id, ReportStatus::Resolved, by, note, now_ms)
            .await?;
        Ok(Some(reports))
    }
}

impl Store {
    /// Open escalations whose next step is due.
    pub async fn due_escalations(&self, now_ms: i64) -> Result<Vec<EscalationId>> {
        sqlx::query_scalar(DUE_ESCALATIONS)
            .bind(now_ms)
            .fetch_all(&self.pool)
            .await
            .context("listing due escalations")
    }

    /// Every escalation, oldest first (the benchmark and tests read them).
    pub async fn all_escalations(&self) -> Result<Vec<EscalationRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            escalation_columns!(),
            " FROM escalations ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await
        .context("listing escalations")
    }
}
