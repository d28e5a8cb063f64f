//! Calls taken at the desk (`desk_calls`) and what the call form shows
//! about a caller: their earlier reports (by household) and what is known
//! about their compounds (open incidents, planned work, priority zones).
//! The lookups read through the pool, without a write transaction.

use super::error::{Context, Result};
use super::escalations::escalation_columns;
use super::reports::report_columns;
use super::{EscalationRow, PlannedOutage, ReportRow, Store, Tx, ZoneRow};
use crate::domain::{PersonId, ReportId};

/// How many of a caller's earlier reports the call form lists.
pub const CALLER_REPORTS: i64 = 20;

impl Tx {
    /// Records that `taken_by` took the call behind `report_id`, and whether
    /// the caller is texted its receipt and its resolution.
    pub async fn record_call(
        &mut self,
        report_id: ReportId,
        taken_by: &PersonId,
        sms_receipts: bool,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO desk_calls (report_id, taken_by, sms_receipts, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(report_id)
        .bind(taken_by)
        .bind(i64::from(sms_receipts))
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a call taken at the desk")?;
        Ok(())
    }

    /// Whether the report came from a call whose caller asked for texts.
    pub async fn call_texts_caller(&mut self, report_id: ReportId) -> Result<bool> {
        let flag: Option<i64> =
            sqlx::query_scalar("SELECT sms_receipts FROM desk_calls WHERE report_id = $1")
                .bind(report_id)
                .fetch_optional(&mut *self.inner)
                .await
                .context("reading a call's receipts setting")?;
        Ok(flag == Some(1))
    }
}

impl Store {
    /// Whether the report's caller is texted, for a report taken by phone.
    pub async fn call_texts_caller(&self, report_id: ReportId) -> Result<Option<bool>> {
        let flag: Option<i64> =
            sqlx::query_scalar("SELECT sms_receipts FROM desk_calls WHERE report_id = $1")
                .bind(report_id)
                .fetch_optional(&self.pool)
                .await
                .context("reading a call")?;
        Ok(flag.map(|f| f == 1))
    }

    /// A household's reports, open and resolved, newest first.
    pub async fn household_reports(&self, household: &str) -> Result<Vec<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE household = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(household)
        .bind(CALLER_REPORTS)
        .fetch_all(&self.pool)
        .await
        .context("reading a caller's reports")
    }

    /// Unresolved escalations (incidents), oldest first.
    pub async fn unresolved_escalations(&self) -> Result<Vec<EscalationRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            escalation_columns!(),
            " FROM escalations WHERE status <> 'resolved' ORDER BY opened_at, id"
        ))
        .fetch_all(&self.pool)
        .await
        .context("reading the open incidents")
    }

    /// Planned outages not yet over at `now_ms`.
    pub async fn planned_not_over(&self, now_ms: i64) -> Result<Vec<PlannedOutage>> {
        sqlx::query_as(
            "SELECT id, compound_id, starts_at, ends_at, note, created_by FROM planned_outages
             WHERE removed_at IS NULL AND ends_at > $1 ORDER BY starts_at",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading planned outages")
    }

    /// Priority zones in force at `now_ms`.
    pub async fn zones_in_force(&self, now_ms: i64) -> Result<Vec<ZoneRow>> {
        sqlx::query_as(
            "SELECT id, compound_id, address, kind, expires_at, created_by, created_at FROM zones
             WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1)
             ORDER BY compound_id, id",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading priority zones")
    }
}
