//! The figures of a period's reports for the Reports page, its chart and the
//! daily digest: counts per category and place and per quarter hour, counted
//! in SQL, and only the times the medians need (issue 23: reading the week's
//! ~19,000 reports with every column and three subqueries each took the
//! page 1.5 s at a million stored). The CSV keeps the full rows
//! (`reports_between`).
//!
//! Each statement walks the period through an index over `created_at`
//! (the counts through `reports_by_created_summary`, migration 0036, which
//! holds the counted columns, so they never read a report's row); the times
//! look each report up in `escalation_reports_by_report` and in
//! `report_events_resolved` (0036: only `resolved` events). At a million
//! stored, a week (~19,000 reports) takes ~20 ms of SQLite's CPU in all.

use super::Store;
use super::error::{Context, Result};

/// Reports per (category code, compound id, compound as written).
pub const PERIOD_PER_PLACE: &str = "SELECT category, compound_id, compound_text, COUNT(*)
     FROM reports WHERE created_at >= $1 AND created_at < $2
     GROUP BY category, compound_id, compound_text";

/// Reports per quarter hour since the epoch. A city's midnight falls on a
/// quarter hour in every time zone in use, so the caller can add the
/// quarters up into city days exactly, DST included.
pub const PERIOD_PER_QUARTER: &str = "SELECT created_at / 900000, COUNT(*)
     FROM reports WHERE created_at >= $1 AND created_at < $2
     GROUP BY created_at / 900000";

/// The length of a bucket of [`PERIOD_PER_QUARTER`].
pub const QUARTER_HOUR_MS: i64 = 900_000;

/// The reports acknowledged (through an escalation they count on), with
/// when the first such escalation was acknowledged.
pub const PERIOD_ACKNOWLEDGED: &str = "SELECT r.ticket, r.created_at, MIN(e.acknowledged_at)
     FROM reports r
     JOIN escalation_reports er ON er.report_id = r.id
     JOIN escalations e ON e.id = er.escalation_id
     WHERE r.created_at >= $1 AND r.created_at < $2 AND e.acknowledged_at IS NOT NULL
     GROUP BY r.id, r.ticket, r.created_at ORDER BY r.id";

/// The reports resolved, with their first `resolved` event.
pub const PERIOD_RESOLVED: &str = "SELECT r.created_at, MIN(ev.at)
     FROM reports r
     JOIN report_events ev ON ev.report_id = r.id AND ev.kind = 'resolved'
     WHERE r.created_at >= $1 AND r.created_at < $2
     GROUP BY r.id, r.created_at";

/// What the summary of `[from, to)` needs, and nothing else.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodFigures {
    /// (category code, compound id, compound as written, reports).
    pub per_place: Vec<(String, Option<String>, String, i64)>,
    /// (start of the quarter hour in ms, reports created in it).
    pub per_quarter: Vec<(i64, i64)>,
    /// (ticket, created_at, first acknowledged_at) of the acknowledged.
    pub acknowledged: Vec<(String, i64, i64)>,
    /// (created_at, first resolved at) of the resolved.
    pub resolved: Vec<(i64, i64)>,
}

impl Store {
    /// The figures of the reports created in `[from_ms, to_ms)`.
    pub async fn period_figures(&self, from_ms: i64, to_ms: i64) -> Result<PeriodFigures> {
        let per_place = sqlx::query_as(PERIOD_PER_PLACE)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .context("counting a period's reports per place")?;
        let per_quarter = self.period_per_quarter(from_ms, to_ms).await?;
        let acknowledged = sqlx::query_as(PERIOD_ACKNOWLEDGED)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .context("reading a period's acknowledgements")?;
        let resolved = sqlx::query_as(PERIOD_RESOLVED)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .context("reading a period's resolutions")?;
        Ok(PeriodFigures {
            per_place,
            per_quarter,
            acknowledged,
            resolved,
        })
    }

    /// Only the quarter-hour counts, for the chart of reports per day.
    pub async fn period_per_quarter(&self, from_ms: i64, to_ms: i64) -> Result<Vec<(i64, i64)>> {
        let quarters: Vec<(i64, i64)> = sqlx::query_as(PERIOD_PER_QUARTER)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .context("counting a period's reports per quarter hour")?;
        Ok(quarters
            .into_iter()
            .map(|(q, n)| (q * QUARTER_HOUR_MS, n))
            .collect())
    }
}
