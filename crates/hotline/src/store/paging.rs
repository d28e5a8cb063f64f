//! Queries for paging: the escalations one alert message carries, read in
//! one go so a bundle of hundreds renders with one query, not hundreds.

use super::error::{Context, Result};

use super::{EscalationRow, Tx};

impl Tx {
    /// The escalations whose alerts one outbox message carries, by id.
    pub async fn bundle_rows(&mut self, outbox_id: i64) -> Result<Vec<EscalationRow>> {
        sqlx::query_as(
            "SELECT e.id, e.compound_id, e.compound_text, e.category, e.reason, e.zone_kind,
                    e.no_entry, e.status, e.step, e.repeats, e.report_count, e.threshold,
                    e.next_action_at, e.opened_at, e.acknowledged_at, e.acknowledged_by,
                    e.resolved_at, e.resolved_by, e.updated_at
             FROM escalation_alerts a JOIN escalations e ON e.id = a.escalation_id
             WHERE a.outbox_id = $1 ORDER BY e.id",
        )
        .bind(outbox_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("reading the escalations of an alert bundle")
    }
}
