//! 督办: the unresolved tickets old enough to be overdue, and the record of
//! which missed deadlines the supervisor was told about (`overdue_notices`).
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

/// The overdue tickets counted per (category, compound as written) in SQL,
/// for `categories` category codes: `$1` the latest filing time that can be
/// overdue at all; then per category its code, the latest filing time that
/// has missed resolving and the latest that has missed acknowledging while
/// still new; last those two for any other category. The rule is
/// `domain::overdue::missed`, written as thresholds on the filing time.
pub fn overdue_counted_sql(categories: usize) -> String {
    let case = |offset: usize| {
        let mut case = String::from("CASE category");
        for i in 0..categories {
            let at = 2 + 3 * i;
            case.push_str(&format!(" WHEN ${at} THEN ${}", at + offset));
        }
        let last = 2 + 3 * categories;
        case.push_str(&format!(" ELSE ${} END", last + offset - 1));
        case
    };
    format!(
        "SELECT category, compound_text, COUNT(*) FROM reports
         WHERE status <> 'resolved' AND created_at <= $1
           AND (created_at <= {} OR (status = 'new' AND created_at <= {}))
         GROUP BY category, compound_text",
        case(1),
        case(2)
    )
}

/// Per category code: (code, missed resolving if filed by, missed
/// acknowledging if new and filed by).
pub type OverdueThresholds = (String, i64, i64);

impl Store {
    /// The overdue tickets counted per (category code, compound as written):
    /// `thresholds` per category, `others` for the rest (see
    /// [`overdue_counted_sql`]).
    pub async fn overdue_counted(
        &self,
        filed_by_ms: i64,
        thresholds: &[OverdueThresholds],
        others: (i64, i64),
    ) -> Result<Vec<(String, String, i64)>> {
        let sql = sqlx::AssertSqlSafe(overdue_counted_sql(thresholds.len()));
        let mut query = sqlx::query_as(sql).bind(filed_by_ms);
        for (code, resolve_by, acknowledge_by) in thresholds {
            query = query
                .bind(code.clone())
                .bind(*resolve_by)
                .bind(*acknowledge_by);
        }
        query
            .bind(others.0)
            .bind(others.1)
            .fetch_all(&self.pool)
            .await
            .context("counting the overdue tickets")
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
