//! 督办: the unresolved tickets old enough to be overdue, and the record of
//! which missed deadlines the supervisors were told about (`overdue_notices`).
//! Whether a ticket is overdue is `domain::overdue`, not SQL: promises are
//! settings, and per category.

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Store, Tx};
use crate::domain::ReportId;

/// Unresolved reports filed at or before `$1`, oldest first. In filing
/// order, not `ORDER BY id`: SQLite answered that by reading every stored
/// report in id order (issue 23: 0.2 s of CPU at a million stored), where
/// `reports_unresolved_by_created` already holds them by filing time.
pub const UNRESOLVED_FILED_BY: &str = concat!(
    "SELECT ",
    report_columns!(),
    " FROM reports WHERE status <> 'resolved' AND created_at <= $1 ORDER BY created_at, id"
);

/// Only what the counts of overdue tickets need (the Reports page, the
/// digest): (category, compound as written, status, created_at).
pub const UNRESOLVED_COUNTED: &str = "SELECT category, compound_text, status, created_at
     FROM reports WHERE status <> 'resolved' AND created_at <= $1";

impl Store {
    /// (category, compound as written, status code, created_at) of the
    /// unresolved reports filed at or before `filed_by_ms`.
    pub async fn unresolved_counted(
        &self,
        filed_by_ms: i64,
    ) -> Result<Vec<(String, String, String, i64)>> {
        sqlx::query_as(UNRESOLVED_COUNTED)
            .bind(filed_by_ms)
            .fetch_all(&self.pool)
            .await
            .context("reading the unresolved reports to count the overdue")
    }

    /// Unresolved reports filed at or before `filed_by_ms`, oldest first,
    /// read without a write transaction.
    pub async fn unresolved_filed_by(&self, filed_by_ms: i64) -> Result<Vec<ReportRow>> {
        sqlx::query_as(UNRESOLVED_FILED_BY)
            .bind(filed_by_ms)
            .fetch_all(&self.pool)
            .await
            .context("reading the unresolved reports for supervision")
    }
}

impl Tx {
    /// [`Store::unresolved_filed_by`] inside a transaction (a staff command's).
    pub async fn unresolved_filed_by(&mut self, filed_by_ms: i64) -> Result<Vec<ReportRow>> {
        sqlx::query_as(UNRESOLVED_FILED_BY)
            .bind(filed_by_ms)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading the unresolved reports for /overdue")
    }

    /// Records that the supervisors are told `report_id` missed `deadline`
    /// (a `Deadline` code); false when they were told already.
    pub async fn record_overdue_notice(
        &mut self,
        report_id: ReportId,
        deadline: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO overdue_notices (report_id, deadline, notified_at) VALUES ($1, $2, $3)
             ON CONFLICT (report_id, deadline) DO NOTHING",
        )
        .bind(report_id)
        .bind(deadline)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording an overdue notice")?;
        Ok(done.rows_affected() == 1)
    }
}
