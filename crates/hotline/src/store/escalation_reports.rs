//! The `escalation_reports` table: which reports count on which escalation,
//! and the unresolved-report counts that open one. These run on every
//! confirmed report, so each reads through an index (see migration 0008).

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Tx};
use crate::domain::{
    Actor, Category, EscalationId, PersonId, ReportEventKind, ReportId, ReportStatus,
};

/// Unresolved reports of a category in a compound, and the distinct
/// households behind them: reads only the partial index over unresolved
/// reports (it holds the household), however long the history.
pub const OPEN_REPORT_COUNT: &str = "SELECT COUNT(*), COUNT(DISTINCT household) FROM reports
     WHERE compound_id = $1 AND category = $2 AND status <> 'resolved'";

/// Links the unresolved reports of a compound and category that count on no
/// escalation yet.
pub const ADOPT_OPEN_REPORTS: &str = "INSERT INTO escalation_reports (escalation_id, report_id)
     SELECT $1, r.id FROM reports r
     WHERE r.compound_id = $2 AND r.category = $3 AND r.status <> 'resolved'
       AND NOT EXISTS (SELECT 1 FROM escalation_reports er WHERE er.report_id = r.id)";

/// The reports of an escalation, oldest first.
pub const ESCALATION_REPORTS: &str = concat!(
    "SELECT ",
    report_columns!(),
    " FROM reports WHERE id IN (SELECT report_id FROM escalation_reports WHERE escalation_id = $1)
      ORDER BY id"
);

impl Tx {
    /// Unresolved reports of a category in a compound, and the households
    /// behind them.
    pub async fn open_report_count(
        &mut self,
        compound_id: &str,
        category: Category,
    ) -> Result<(i64, i64)> {
        sqlx::query_as(OPEN_REPORT_COUNT)
            .bind(compound_id)
            .bind(category.code())
            .fetch_one(&mut *self.inner)
            .await
            .context("counting a compound's open reports")
    }

    /// Adds a report to an escalation and refreshes its count of reports.
    pub async fn join_escalation(
        &mut self,
        escalation_id: EscalationId,
        report_id: ReportId,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query("INSERT INTO escalation_reports (escalation_id, report_id) VALUES ($1, $2)")
            .bind(escalation_id)
            .bind(report_id)
            .execute(&mut *self.inner)
            .await
            .context("adding a report to an escalation")?;
        sqlx::query_scalar(
            "UPDATE escalations SET report_count = (SELECT COUNT(*) FROM escalation_reports WHERE escalation_id = $1),
                updated_at = $2 WHERE id = $1 RETURNING report_count",
        )
        .bind(escalation_id)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("recounting an escalation's reports")
    }

    /// Links the unresolved reports of the compound and category that are in no
    /// escalation yet (the ones that crossed the threshold together).
    pub async fn adopt_open_reports(
        &mut self,
        escalation_id: EscalationId,
        compound_id: &str,
        category: Category,
    ) -> Result<()> {
        sqlx::query(ADOPT_OPEN_REPORTS)
            .bind(escalation_id)
            .bind(compound_id)
            .bind(category.code())
            .execute(&mut *self.inner)
            .await
            .context("adding the open reports to a new escalation")?;
        Ok(())
    }

    /// Reports of an escalation, oldest first.
    pub async fn escalation_reports(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Vec<ReportRow>> {
        sqlx::query_as(ESCALATION_REPORTS)
            .bind(escalation_id)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading an escalation's reports")
    }

    /// The escalations a report counts on, oldest first.
    pub async fn escalations_of_report(
        &mut self,
        report_id: ReportId,
    ) -> Result<Vec<EscalationId>> {
        sqlx::query_scalar(
            "SELECT escalation_id FROM escalation_reports WHERE report_id = $1 ORDER BY escalation_id",
        )
        .bind(report_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing a report's escalations")
    }

    /// Moves an escalation's reports forward to `to` (never backwards), each
    /// with an event; returns the reports that moved, so their residents hear.
    pub async fn move_reports(
        &mut self,
        escalation_id: EscalationId,
        to: ReportStatus,
        by: &PersonId,
        note: &str,
        now_ms: i64,
    ) -> Result<Vec<ReportRow>> {
        macro_rules! move_from {
            ($from:literal) => {
                concat!(
                    "UPDATE reports SET status = $3, updated_at = $2 WHERE status IN ",
                    $from,
                    " AND id IN (SELECT report_id FROM escalation_reports WHERE escalation_id = $1)
                      RETURNING ",
                    report_columns!()
                )
            };
        }
        let sql = match to {
            ReportStatus::New => return Ok(Vec::new()),
            ReportStatus::Acknowledged => move_from!("('new')"),
            ReportStatus::InProgress => move_from!("('new', 'acknowledged')"),
            ReportStatus::Resolved => move_from!("('new', 'acknowledged', 'in_progress')"),
        };
        let reports: Vec<ReportRow> = sqlx::query_as(sql)
            .bind(escalation_id)
            .bind(now_ms)
            .bind(to.code())
            .fetch_all(&mut *self.inner)
            .await
            .context("moving an escalation's reports forward")?;
        let (Some(kind), actor) = (ReportEventKind::of_status(to), Actor::Staff(by.clone())) else {
            return Ok(reports);
        };
        for report in &reports {
            self.add_report_event(report.id, kind, &actor, note, now_ms)
                .await?;
        }
        Ok(reports)
    }
}
