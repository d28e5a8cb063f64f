//! Queries of the staff console: the open queue, tickets, presence,
//! incident updates and planned outages.

use super::{ReportRow, Store, Tx};
use crate::domain::{Category, ReportStatus};

/// One line of `/open`: a report and the open escalation it counts on.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub report: ReportRow,
    pub escalation_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncidentUpdate {
    pub id: i64,
    pub text: String,
    pub eta: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlannedOutage {
    pub id: i64,
    pub compound_id: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub note: String,
    pub created_by: String,
}

/// The open escalation a report counts on (subquery over `r`).
const OPEN_ESCALATION: &str =
    "(SELECT MIN(e.id) FROM escalation_reports er JOIN escalations e ON e.id = er.escalation_id
      WHERE er.report_id = r.id AND e.status <> 'resolved')";

/// Zone escalations first, then urgent ones, then thresholds, then the rest.
const URGENCY: &str =
    "COALESCE((SELECT MIN(CASE e.reason WHEN 'zone' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END)
      FROM escalation_reports er JOIN escalations e ON e.id = er.escalation_id
      WHERE er.report_id = r.id AND e.status <> 'resolved'), 3)";

const FILTER: &str =
    "r.status <> 'resolved' AND ($1 = '' OR r.compound_id = $1) AND ($2 = '' OR r.category = $2)";

impl Tx {
    /// Unresolved reports, most urgent and newest first, one page of them.
    pub async fn open_queue(
        &mut self,
        compound_id: Option<&str>,
        category: Option<Category>,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<(Vec<QueueItem>, i64)> {
        let columns = super::reports::REPORT_COLUMNS
            .split(", ")
            .map(|c| format!("r.{}", c.trim()))
            .collect::<Vec<_>>();
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {}, {OPEN_ESCALATION} AS escalation_id FROM reports r WHERE {FILTER}
             ORDER BY {URGENCY}, r.id DESC LIMIT $3 OFFSET $4",
            columns.join(", ")
        ));
        let compound = compound_id.unwrap_or("");
        let category = category.map_or("", Category::code);
        let rows: Vec<QueueRow> = sqlx::query_as(sql)
            .bind(compound)
            .bind(category)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *self.inner)
            .await?;
        let total_sql =
            sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM reports r WHERE {FILTER}"));
        let total: i64 = sqlx::query_scalar(total_sql)
            .bind(compound)
            .bind(category)
            .fetch_one(&mut *self.inner)
            .await?;
        let items = rows
            .into_iter()
            .map(|q| QueueItem {
                escalation_id: q.escalation_id,
                report: q.report,
            })
            .collect();
        Ok((items, total))
    }

    /// Any report by ticket (staff see every report).
    pub async fn report_by_ticket(&mut self, ticket: &str) -> anyhow::Result<Option<ReportRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM reports WHERE ticket = $1",
            super::reports::REPORT_COLUMNS
        ));
        Ok(sqlx::query_as(sql)
            .bind(ticket)
            .fetch_optional(&mut *self.inner)
            .await?)
    }

    /// A report's history as (at, kind, actor, detail), oldest first.
    pub async fn report_history(
        &mut self,
        report_id: i64,
    ) -> anyhow::Result<Vec<(i64, String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT at, kind, actor, detail FROM report_events WHERE report_id = $1 ORDER BY id",
        )
        .bind(report_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }

    /// The escalations a report counts on, oldest first.
    pub async fn escalations_of_report(&mut self, report_id: i64) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT escalation_id FROM escalation_reports WHERE report_id = $1 ORDER BY escalation_id")
            .bind(report_id)
            .fetch_all(&mut *self.inner)
            .await?)
    }

    pub async fn assign_report(
        &mut self,
        report_id: i64,
        person_id: &str,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE reports SET assigned_to = $2, updated_at = $3 WHERE id = $1")
            .bind(report_id)
            .bind(person_id)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Resolves one report; false when it already was.
    pub async fn resolve_report(&mut self, report_id: i64, now_ms: i64) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE reports SET status = $3, updated_at = $2 WHERE id = $1 AND status <> $3",
        )
        .bind(report_id)
        .bind(now_ms)
        .bind(ReportStatus::Resolved.code())
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_away(&mut self, person_id: &str, now_ms: i64) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO staff_away (person_id, since) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING")
            .bind(person_id)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// False when they were not away.
    pub async fn set_back(&mut self, person_id: &str) -> anyhow::Result<bool> {
        let done = sqlx::query("DELETE FROM staff_away WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *self.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn away_people(&mut self) -> anyhow::Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT person_id FROM staff_away ORDER BY person_id")
                .fetch_all(&mut *self.inner)
                .await?,
        )
    }

    pub async fn add_incident_update(
        &mut self,
        escalation_id: i64,
        text: &str,
        eta: Option<i64>,
        by: &str,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO incident_updates (escalation_id, text, eta, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(escalation_id)
        .bind(text)
        .bind(eta)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await?)
    }

    pub async fn latest_incident_update(
        &mut self,
        escalation_id: i64,
    ) -> anyhow::Result<Option<IncidentUpdate>> {
        Ok(sqlx::query_as(
            "SELECT id, text, eta, created_by, created_at FROM incident_updates
             WHERE escalation_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(escalation_id)
        .fetch_optional(&mut *self.inner)
        .await?)
    }

    /// Everyone subscribed to an incident: the residents whose reports count
    /// on it, one entry per chat, with their language.
    pub async fn incident_subscribers(
        &mut self,
        escalation_id: i64,
    ) -> anyhow::Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT r.resident_chat_id, MIN(r.resident_lang) FROM reports r
             JOIN escalation_reports er ON er.report_id = r.id
             WHERE er.escalation_id = $1 GROUP BY r.resident_chat_id ORDER BY r.resident_chat_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }

    pub async fn add_planned(
        &mut self,
        compound_id: &str,
        starts_at: i64,
        ends_at: i64,
        note: &str,
        by: &str,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO planned_outages (compound_id, starts_at, ends_at, note, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(compound_id)
        .bind(starts_at)
        .bind(ends_at)
        .bind(note)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await?)
    }

    /// The planned outage covering `at_ms` in a compound, if any.
    pub async fn planned_at(
        &mut self,
        compound_id: &str,
        at_ms: i64,
    ) -> anyhow::Result<Option<PlannedOutage>> {
        Ok(sqlx::query_as(
            "SELECT id, compound_id, starts_at, ends_at, note, created_by FROM planned_outages
             WHERE compound_id = $1 AND removed_at IS NULL AND starts_at <= $2 AND ends_at > $2
             ORDER BY id DESC LIMIT 1",
        )
        .bind(compound_id)
        .bind(at_ms)
        .fetch_optional(&mut *self.inner)
        .await?)
    }

    /// Planned outages not yet over.
    pub async fn upcoming_planned(&mut self, now_ms: i64) -> anyhow::Result<Vec<PlannedOutage>> {
        Ok(sqlx::query_as(
            "SELECT id, compound_id, starts_at, ends_at, note, created_by FROM planned_outages
             WHERE removed_at IS NULL AND ends_at > $1 ORDER BY starts_at",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await?)
    }
}

/// A queue row as the database returns it.
struct QueueRow {
    report: ReportRow,
    escalation_id: Option<i64>,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for QueueRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(QueueRow {
            report: ReportRow::from_row(row)?,
            escalation_id: row.try_get("escalation_id")?,
        })
    }
}

impl Store {
    /// For tests: the ids of staff marked away.
    pub async fn away(&self) -> anyhow::Result<Vec<String>> {
        let mut tx = self.begin().await?;
        let away = tx.away_people().await?;
        tx.commit().await?;
        Ok(away)
    }
}

impl Tx {
    /// Any report by id (staff).
    pub async fn all_report_by_id(&mut self, id: i64) -> anyhow::Result<Option<ReportRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM reports WHERE id = $1",
            super::reports::REPORT_COLUMNS
        ));
        Ok(sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *self.inner)
            .await?)
    }
}
