//! For the test suite (feature `testkit`): the queries on the intake and
//! engine hot path, and SQLite's plan for each, so a test can prove every
//! one reads through an index however long the history grows.

use super::error::{Context, Result};
use super::{Backend, Store, read_ahead};

/// (name, SQL) of every query that runs per report, per update or per
/// engine tick. Each must find its rows through an index.
pub fn hot_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "open_report_count",
            super::escalation_reports::OPEN_REPORT_COUNT,
        ),
        (
            "adopt_open_reports",
            super::escalation_reports::ADOPT_OPEN_REPORTS,
        ),
        (
            "escalation_reports",
            super::escalation_reports::ESCALATION_REPORTS,
        ),
        (
            "unresolved_escalation",
            super::escalations::UNRESOLVED_ESCALATION,
        ),
        ("due_escalations", super::escalations::DUE_ESCALATIONS),
        (
            "alerts_of_open_escalations",
            super::phone::ALERTS_OF_OPEN_ESCALATIONS,
        ),
        ("reach_steps_of_open", super::reach::REACH_STEPS_OF_OPEN),
        ("pending_alert_bundle", super::alerts::PENDING_ALERT_BUNDLE),
        ("bundle_escalations", super::alerts::BUNDLE_ESCALATIONS),
        ("active_zone", super::zones::ACTIVE_ZONES_OF_COMPOUND),
        ("planned_at", super::incidents::PLANNED_AT),
        ("count_reports_since", super::reports::COUNT_REPORTS_SINCE),
        ("reports_of_resident", super::reports::REPORTS_OF_RESIDENT),
        ("count_updates_since", super::COUNT_UPDATES_SINCE),
        ("enqueue", super::outbox::enqueue::ENQUEUE),
        (
            "resident_and_recent",
            super::intake_load::RESIDENT_AND_RECENT,
        ),
        ("open_queue", super::console::OPEN_QUEUE),
        ("period_per_place", super::period_figures::PERIOD_PER_PLACE),
        (
            "period_per_quarter",
            super::period_figures::PERIOD_PER_QUARTER,
        ),
        (
            "period_acknowledged",
            super::period_figures::PERIOD_ACKNOWLEDGED,
        ),
        ("period_resolved", super::period_figures::PERIOD_RESOLVED),
        ("unresolved_filed_by", super::overdue::UNRESOLVED_FILED_BY),
        (
            "overdue_counted",
            leak(super::overdue::overdue_counted_sql(
                crate::domain::Category::ALL.len(),
            )),
        ),
        ("outbox_due", super::outbox::DUE_BY_LANE),
        (
            "read_ahead_counts",
            leak(read_ahead::sql::recent_counts_sql(8)),
        ),
        (
            "read_ahead_residents",
            leak(read_ahead::sql::residents_sql(8)),
        ),
        (
            "read_ahead_dialogues",
            leak(read_ahead::sql::dialogues_sql(8)),
        ),
    ]
}

/// A batch's read-ahead is built for its length: the plan of one shape
/// stands for all (a few strings, leaked once per test).
fn leak(sql: String) -> &'static str {
    Box::leak(sql.into_boxed_str())
}

impl Store {
    /// SQLite's `EXPLAIN QUERY PLAN` of `sql`, one line per step (the
    /// `detail` column), with every `$n` placeholder bound to NULL.
    pub async fn explain(&self, sql: &'static str) -> Result<Vec<String>> {
        assert_eq!(self.backend, Backend::Sqlite, "plans are checked on SQLite");
        let explain = sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"));
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(explain);
        for _ in 0..placeholders(sql) {
            query = query.bind(None::<i64>);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .context("explaining a query")?;
        Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect())
    }
}

/// The highest `$n` in `sql`.
fn placeholders(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}
