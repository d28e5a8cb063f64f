//! 督办: the unresolved tickets old enough to be overdue, and the record of
//! which missed deadlines the supervisor was told about (`overdue_notices`).
//! Whether a ticket is overdue is `domain::overdue`, not SQL: promises are
//! settings, and per category.

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Store, Tx};
use crate::domain::ReportId;

impl Store {
    /// Unresolved reports filed at or before `filed_by_ms`, oldest first,
    /// read without a write transaction.
    pub async fn unresolved_filed_by(&self, filed_by_ms: i64) -> Result<Vec<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE status <> 'resolved' AND created_at <= $1 ORDER BY id"
        ))
        .bind(filed_by_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading the unresolved reports for supervision")
    }
}

impl Tx {
    /// [`Store::unresolved_filed_by`] inside a transaction (a staff command's).
    pub async fn unresolved_filed_by(&mut self, filed_by_ms: i64) -> Result<Vec<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE status <> 'resolved' AND created_at <= $1 ORDER BY id"
        ))
        .bind(filed_by_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("reading the unresolved reports for /overdue")
    }

    /// Records that the supervisor is told `report_id` missed `deadline`
    /// (a `Deadline` code); false when told already.
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
