//! Queries of the staff console: the open queue (`/open`), any report by
//! ticket or id (`/ticket`), assigning and resolving one report.

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Tx};
use crate::domain::{Category, EscalationId, PersonId, ReportId, ReportStatus};

/// One line of `/open`: a report and the open escalation it counts on.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub report: ReportRow,
    pub escalation_id: Option<EscalationId>,
}

/// The open escalation a report counts on (subquery over `r`).
macro_rules! open_escalation {
    () => {
        "(SELECT MIN(e.id) FROM escalation_reports er JOIN escalations e ON e.id = er.escalation_id
          WHERE er.report_id = r.id AND e.status <> 'resolved')"
    };
}

/// Zone escalations first, then urgent ones, then thresholds, then the rest.
macro_rules! urgency {
    () => {
        "COALESCE((SELECT MIN(CASE e.reason WHEN 'zone' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END)
          FROM escalation_reports er JOIN escalations e ON e.id = er.escalation_id
          WHERE er.report_id = r.id AND e.status <> 'resolved'), 3)"
    };
}

/// The unresolved statuses named (every `ReportStatus` but `resolved`):
/// `<>` reads every stored report, the list seeks `reports_by_status_updated`
/// (issue 23: 1,000,000 stored, 10,000 open).
macro_rules! filter {
    () => {
        "r.status IN ('new', 'acknowledged', 'in_progress') AND ($1 = '' OR r.compound_id = $1) AND ($2 = '' OR r.category = $2)"
    };
}

/// `r.`-prefixed report columns, for the queue's join.
macro_rules! r_report_columns {
    () => {
        "r.id, r.ticket, r.resident_user_id, r.resident_chat_id, r.resident_lang, r.category, \
         r.compound_id, r.compound_text, r.address_detail, r.latitude, r.longitude, r.description, \
         r.description_truncated, r.photo_file_ids, r.phone, r.phone_for, r.status, r.created_at, r.updated_at, \
         r.assigned_to, r.household"
    };
}

/// One page of the open queue, most urgent and newest first.
pub const OPEN_QUEUE: &str = concat!(
    "SELECT ",
    r_report_columns!(),
    ", ",
    open_escalation!(),
    " AS escalation_id FROM reports r WHERE ",
    filter!(),
    " ORDER BY ",
    urgency!(),
    ", r.id DESC LIMIT $3 OFFSET $4"
);

impl Tx {
    /// Unresolved reports, most urgent and newest first, one page of them.
    pub async fn open_queue(
        &mut self,
        compound_id: Option<&str>,
        category: Option<Category>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<QueueItem>, i64)> {
        let compound = compound_id.unwrap_or("");
        let category = category.map_or("", Category::code);
        let rows: Vec<QueueRow> = sqlx::query_as(OPEN_QUEUE)
            .bind(compound)
            .bind(category)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading the open queue")?;
        let total: i64 =
            sqlx::query_scalar(concat!("SELECT COUNT(*) FROM reports r WHERE ", filter!()))
                .bind(compound)
                .bind(category)
                .fetch_one(&mut *self.inner)
                .await
                .context("counting the open queue")?;
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
    pub async fn report_by_ticket(&mut self, ticket: &str) -> Result<Option<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE ticket = $1"
        ))
        .bind(ticket)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading a report by ticket")
    }

    /// Any report by id (staff).
    pub async fn all_report_by_id(&mut self, id: ReportId) -> Result<Option<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading a report")
    }

    pub async fn assign_report(
        &mut self,
        report_id: ReportId,
        person_id: &PersonId,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE reports SET assigned_to = $2, updated_at = $3 WHERE id = $1")
            .bind(report_id)
            .bind(person_id)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await
            .context("assigning a report")?;
        Ok(())
    }

    /// Resolves one report; false when it already was.
    pub async fn resolve_report(&mut self, report_id: ReportId, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE reports SET status = $3, updated_at = $2 WHERE id = $1 AND status <> $3",
        )
        .bind(report_id)
        .bind(now_ms)
        .bind(ReportStatus::Resolved.code())
        .execute(&mut *self.inner)
        .await
        .context("resolving a report")?;
        Ok(done.rows_affected() == 1)
    }
}

/// A queue row as the database returns it.
struct QueueRow {
    report: ReportRow,
    escalation_id: Option<EscalationId>,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for QueueRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(QueueRow {
            report: ReportRow::from_row(row)?,
            escalation_id: row.try_get("escalation_id")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::ReportStatus;

    #[test]
    fn the_queue_names_every_unresolved_status() {
        for code in ["new", "acknowledged", "in_progress", "resolved"] {
            let status = ReportStatus::from_code(code).unwrap();
            let named = filter!().contains(&format!("'{code}'"));
            assert_eq!(named, status != ReportStatus::Resolved, "{code}");
        }
    }
}
