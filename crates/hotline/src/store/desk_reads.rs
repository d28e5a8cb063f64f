//! The desk's reads: the live queue, a ticket with its history, reports of
//! a period, open escalations for the digest and the `/metrics` snapshot.
//! All through the pool, without a write transaction (the live queue asks
//! every second).

use super::console::OPEN_QUEUE;
use super::error::{Context, Result};
use super::reports::report_columns;
use super::{QueueItem, ReportRow, Store};
use crate::domain::EscalationId;

impl Store {
    /// Open reports, most urgent and newest first (up to `limit`), read
    /// without a write transaction: the desk's live queue asks every second.
    pub async fn desk_queue(&self, limit: i64) -> Result<Vec<QueueItem>> {
        use sqlx::{FromRow, Row};
        let rows = sqlx::query(OPEN_QUEUE)
            .bind("")
            .bind("")
            .bind(limit)
            .bind(0_i64)
            .fetch_all(&self.pool)
            .await
            .context("reading the desk's queue")?;
        rows.iter()
            .map(|row| {
                Ok(QueueItem {
                    report: ReportRow::from_row(row)?,
                    escalation_id: row.try_get("escalation_id")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .context("reading the desk's queue")
    }

    /// Compounds with a priority zone in force at `now_ms`.
    pub async fn zoned_compounds(&self, now_ms: i64) -> Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT DISTINCT compound_id FROM zones
             WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1)",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading the compounds in priority zones")
    }

    /// A report by ticket, with the newest escalation it counts on.
    pub async fn desk_report(&self, ticket: &str) -> Result<Option<QueueItem>> {
        let report: Option<ReportRow> = sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE ticket = $1"
        ))
        .bind(ticket)
        .fetch_optional(&self.pool)
        .await
        .context("reading a report for the desk")?;
        let Some(report) = report else {
            return Ok(None);
        };
        let escalation_id: Option<EscalationId> = sqlx::query_scalar(
            "SELECT MAX(escalation_id) FROM escalation_reports WHERE report_id = $1",
        )
        .bind(report.id)
        .fetch_one(&self.pool)
        .await
        .context("reading a report's escalation")?;
        Ok(Some(QueueItem {
            report,
            escalation_id,
        }))
    }

    /// Reports created in `[from_ms, to_ms)`, oldest first, each with when it
    /// was first acknowledged (its escalation) and resolved, if it was.
    pub async fn reports_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ReportTimes>> {
        use sqlx::{FromRow, Row};
        let rows = sqlx::query(concat!(
            "SELECT ",
            report_columns!(),
            ", (SELECT MIN(e.acknowledged_at) FROM escalation_reports er
                JOIN escalations e ON e.id = er.escalation_id WHERE er.report_id = reports.id)
               AS acknowledged_at,
              (SELECT MIN(ev.at) FROM report_events ev
                WHERE ev.report_id = reports.id AND ev.kind = 'resolved') AS resolved_at,
              (SELECT p.first_name FROM residents p WHERE p.user_id = reports.resident_user_id)
               AS resident_name
             FROM reports WHERE created_at >= $1 AND created_at < $2 ORDER BY id"
        ))
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading reports for a period")?;
        rows.iter()
            .map(|row| {
                Ok(ReportTimes {
                    report: ReportRow::from_row(row)?,
                    acknowledged_at: row.try_get("acknowledged_at")?,
                    resolved_at: row.try_get("resolved_at")?,
                    resident_name: row.try_get("resident_name")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .context("reading reports for a period")
    }
}

/// An open escalation, for the digest: (id, compound, category code, reason, opened_at).
pub type OpenEscalation = (EscalationId, String, String, String, i64);

impl Store {
    pub async fn open_escalations(&self) -> Result<Vec<OpenEscalation>> {
        sqlx::query_as(
            "SELECT id, compound_text, category, reason, opened_at FROM escalations
             WHERE status <> 'resolved' ORDER BY opened_at",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading open escalations")
    }
}

/// What `/metrics` reads from the database.
#[derive(Debug, Default)]
pub struct MetricsSnapshot {
    pub reports_by_category: Vec<(String, i64)>,
    pub escalations_by_reason: Vec<(String, i64)>,
    /// (lane, status, count, oldest created_at).
    pub outbox: Vec<(i64, String, i64, Option<i64>)>,
    /// Milliseconds from opening to acknowledgement.
    pub ack_ms: Vec<i64>,
}

impl Store {
    pub async fn metrics_snapshot(&self) -> Result<MetricsSnapshot> {
        let reports_by_category = sqlx::query_as(
            "SELECT category, COUNT(*) FROM reports GROUP BY category ORDER BY category",
        )
        .fetch_all(&self.pool)
        .await
        .context("counting reports for /metrics")?;
        let escalations_by_reason = sqlx::query_as(
            "SELECT reason, COUNT(*) FROM escalations GROUP BY reason ORDER BY reason",
        )
        .fetch_all(&self.pool)
        .await
        .context("counting escalations for /metrics")?;
        let outbox = sqlx::query_as(
            "SELECT CAST(lane AS BIGINT), status, COUNT(*), MIN(created_at) FROM outbox
             GROUP BY lane, status ORDER BY 1, 2",
        )
        .fetch_all(&self.pool)
        .await
        .context("counting the outbox for /metrics")?;
        let ack_ms = sqlx::query_scalar(
            "SELECT acknowledged_at - opened_at FROM escalations WHERE acknowledged_at IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading acknowledgement times for /metrics")?;
        Ok(MetricsSnapshot {
            reports_by_category,
            escalations_by_reason,
            outbox,
            ack_ms,
        })
    }
}

/// A report with when it was acknowledged and resolved.
#[derive(Debug, Clone)]
pub struct ReportTimes {
    pub report: ReportRow,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    /// The chat's first name, for masking it in exports; never exported.
    pub resident_name: Option<String>,
}
