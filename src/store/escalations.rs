use anyhow::Context;

use super::{Store, Tx};
use crate::domain::{Category, ReportStatus, ZoneKind};

/// A stored escalation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EscalationRow {
    pub id: i64,
    pub compound_id: Option<String>,
    pub compound_text: String,
    pub category: String,
    pub reason: String,
    pub zone_kind: Option<String>,
    pub no_entry: i64,
    pub status: String,
    pub step: i64,
    pub repeats: i64,
    pub report_count: i64,
    pub threshold: Option<i64>,
    pub next_action_at: Option<i64>,
    pub opened_at: i64,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub updated_at: i64,
}

impl EscalationRow {
    pub fn category(&self) -> Category {
        Category::from_code(&self.category).unwrap_or(Category::Other)
    }

    pub fn zone_kind(&self) -> Option<ZoneKind> {
        self.zone_kind.as_deref().and_then(ZoneKind::from_code)
    }
}

/// What opening an escalation writes.
#[derive(Debug, Clone)]
pub struct NewEscalation {
    pub compound_id: Option<String>,
    pub compound_text: String,
    pub category: Category,
    pub reason: &'static str,
    pub zone_kind: Option<ZoneKind>,
    pub no_entry: bool,
    pub step: i64,
    pub report_count: i64,
    pub threshold: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TimelineRow {
    pub at: i64,
    pub kind: String,
    pub target: String,
    pub detail: String,
}

/// A priority zone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ZoneRow {
    pub id: i64,
    pub compound_id: String,
    pub address: String,
    pub kind: String,
    pub expires_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

impl ZoneRow {
    pub fn kind(&self) -> Option<ZoneKind> {
        ZoneKind::from_code(&self.kind)
    }
}

/// An alert message already sent (or queued) for an escalation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub outbox_id: i64,
    pub person_id: String,
    pub chat_id: i64,
    pub telegram_message_id: Option<i64>,
}

const ESCALATION_COLUMNS: &str = "id, compound_id, compound_text, category, reason, zone_kind, no_entry, status, \
     step, repeats, report_count, threshold, next_action_at, opened_at, acknowledged_at, acknowledged_by, \
     resolved_at, resolved_by, updated_at";

const ZONE_COLUMNS: &str = "id, compound_id, address, kind, expires_at, created_by, created_at";

impl Tx {
    /// Unresolved reports of a category in a compound.
    pub async fn open_report_count(
        &mut self,
        compound_id: &str,
        category: Category,
    ) -> anyhow::Result<i64> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE compound_id = $1 AND category = $2 AND status <> 'resolved'",
        )
        .bind(compound_id)
        .bind(category.code())
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(n)
    }

    /// The escalation not yet resolved for this compound and category, if any.
    pub async fn unresolved_escalation(
        &mut self,
        compound_id: &str,
        category: Category,
    ) -> anyhow::Result<Option<EscalationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ESCALATION_COLUMNS} FROM escalations
             WHERE compound_id = $1 AND category = $2 AND status <> 'resolved' ORDER BY id DESC LIMIT 1"
        ));
        Ok(sqlx::query_as(sql)
            .bind(compound_id)
            .bind(category.code())
            .fetch_optional(&mut *self.inner)
            .await?)
    }

    pub async fn escalation(&mut self, id: i64) -> anyhow::Result<Option<EscalationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ESCALATION_COLUMNS} FROM escalations WHERE id = $1"
        ));
        Ok(sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *self.inner)
            .await?)
    }

    pub async fn create_escalation(
        &mut self,
        e: &NewEscalation,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO escalations (compound_id, compound_text, category, reason, zone_kind, no_entry, status,
                step, repeats, report_count, threshold, opened_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, 0, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&e.compound_id)
        .bind(&e.compound_text)
        .bind(e.category.code())
        .bind(e.reason)
        .bind(e.zone_kind.map(ZoneKind::code))
        .bind(i64::from(e.no_entry))
        .bind(e.step)
        .bind(e.report_count)
        .bind(e.threshold)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("opening an escalation")?;
        Ok(id)
    }

    /// Adds a report to an escalation and refreshes its count of reports.
    pub async fn join_escalation(
        &mut self,
        escalation_id: i64,
        report_id: i64,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        sqlx::query("INSERT INTO escalation_reports (escalation_id, report_id) VALUES ($1, $2)")
            .bind(escalation_id)
            .bind(report_id)
            .execute(&mut *self.inner)
            .await?;
        let count = sqlx::query_scalar(
            "UPDATE escalations SET report_count = (SELECT COUNT(*) FROM escalation_reports WHERE escalation_id = $1),
                updated_at = $2 WHERE id = $1 RETURNING report_count",
        )
        .bind(escalation_id)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(count)
    }

    /// Links the unresolved reports of the compound and category that are in no
    /// escalation yet (the ones that crossed the threshold together).
    pub async fn adopt_open_reports(
        &mut self,
        escalation_id: i64,
        compound_id: &str,
        category: Category,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO escalation_reports (escalation_id, report_id)
             SELECT $1, r.id FROM reports r
             WHERE r.compound_id = $2 AND r.category = $3 AND r.status <> 'resolved'
               AND NOT EXISTS (SELECT 1 FROM escalation_reports er WHERE er.report_id = r.id)",
        )
        .bind(escalation_id)
        .bind(compound_id)
        .bind(category.code())
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Reports of an escalation, oldest first.
    pub async fn escalation_reports(
        &mut self,
        escalation_id: i64,
    ) -> anyhow::Result<Vec<super::ReportRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM reports WHERE id IN (SELECT report_id FROM escalation_reports WHERE escalation_id = $1)
             ORDER BY id",
            super::reports::REPORT_COLUMNS
        ));
        Ok(sqlx::query_as(sql)
            .bind(escalation_id)
            .fetch_all(&mut *self.inner)
            .await?)
    }

    pub async fn add_timeline(
        &mut self,
        escalation_id: i64,
        kind: &str,
        target: &str,
        detail: &str,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO escalation_timeline (escalation_id, at, kind, target, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(escalation_id)
        .bind(now_ms)
        .bind(kind)
        .bind(target)
        .bind(detail)
        .execute(&mut *self.inner)
        .await
        .context("writing the escalation timeline")?;
        Ok(())
    }

    /// Where the walk stands: the step just notified and when to act next.
    pub async fn set_walk(
        &mut self,
        id: i64,
        step: i64,
        repeats: i64,
        next_action_at: i64,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE escalations SET step = $2, repeats = $3, next_action_at = $4, updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(step)
        .bind(repeats)
        .bind(next_action_at)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Stops the walk. False when it was not open (already acknowledged or resolved).
    pub async fn acknowledge_escalation(
        &mut self,
        id: i64,
        by: &str,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Closes an escalation and all its reports (each gets a `resolved` event).
    /// Returns the reports it resolved; None when it was already resolved.
    pub async fn resolve_escalation(
        &mut self,
        id: i64,
        by: &str,
        note: &str,
        now_ms: i64,
    ) -> anyhow::Result<Option<Vec<super::ReportRow>>> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'resolved', resolved_at = $2, resolved_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status <> 'resolved'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        let reports = self
            .move_reports(id, ReportStatus::Resolved, by, note, now_ms)
            .await?;
        Ok(Some(reports))
    }

    /// Moves an escalation's reports forward to `to` (never backwards), each
    /// with an event; returns the reports that moved, so their residents hear.
    pub async fn move_reports(
        &mut self,
        escalation_id: i64,
        to: ReportStatus,
        by: &str,
        note: &str,
        now_ms: i64,
    ) -> anyhow::Result<Vec<super::ReportRow>> {
        let from = match to {
            ReportStatus::New => return Ok(Vec::new()),
            ReportStatus::Acknowledged => "('new')",
            ReportStatus::InProgress => "('new', 'acknowledged')",
            ReportStatus::Resolved => "('new', 'acknowledged', 'in_progress')",
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE reports SET status = $3, updated_at = $2
             WHERE status IN {from}
               AND id IN (SELECT report_id FROM escalation_reports WHERE escalation_id = $1)
             RETURNING {}",
            super::reports::REPORT_COLUMNS
        ));
        let reports: Vec<super::ReportRow> = sqlx::query_as(sql)
            .bind(escalation_id)
            .bind(now_ms)
            .bind(to.code())
            .fetch_all(&mut *self.inner)
            .await?;
        for report in &reports {
            self.add_report_event(report.id, to.code(), &format!("staff:{by}"), note, now_ms)
                .await?;
        }
        Ok(reports)
    }

    pub async fn record_alert(
        &mut self,
        escalation_id: i64,
        outbox_id: i64,
        person_id: &str,
        chat_id: i64,
    ) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO escalation_alerts (escalation_id, outbox_id, person_id, chat_id) VALUES ($1, $2, $3, $4)")
            .bind(escalation_id)
            .bind(outbox_id)
            .bind(person_id)
            .bind(chat_id)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// The alerts of an escalation with their Telegram message ids once sent.
    pub async fn escalation_alerts(&mut self, escalation_id: i64) -> anyhow::Result<Vec<AlertRow>> {
        Ok(sqlx::query_as(
            "SELECT a.outbox_id, a.person_id, a.chat_id, o.telegram_message_id
             FROM escalation_alerts a JOIN outbox o ON o.id = a.outbox_id
             WHERE a.escalation_id = $1 ORDER BY a.outbox_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }

    /// The active zone on a compound: a whole-compound zone, or one whose
    /// address the report's address contains. The most recent wins.
    pub async fn active_zone(
        &mut self,
        compound_id: &str,
        address: &str,
        now_ms: i64,
    ) -> anyhow::Result<Option<ZoneRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ZONE_COLUMNS} FROM zones
             WHERE compound_id = $1 AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
             ORDER BY id DESC"
        ));
        let zones: Vec<ZoneRow> = sqlx::query_as(sql)
            .bind(compound_id)
            .bind(now_ms)
            .fetch_all(&mut *self.inner)
            .await?;
        let norm = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
        let address = norm(address);
        Ok(zones
            .into_iter()
            .find(|z| z.address.is_empty() || address.contains(&norm(&z.address))))
    }

    pub async fn add_zone(
        &mut self,
        compound_id: &str,
        address: &str,
        kind: ZoneKind,
        expires_at: Option<i64>,
        by: &str,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO zones (compound_id, address, kind, expires_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(compound_id)
        .bind(address)
        .bind(kind.code())
        .bind(expires_at)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await?)
    }

    /// False when there is no such active zone.
    pub async fn remove_zone(&mut self, id: i64, by: &str, now_ms: i64) -> anyhow::Result<bool> {
        let done = sqlx::query("UPDATE zones SET removed_at = $2, removed_by = $3 WHERE id = $1 AND removed_at IS NULL")
            .bind(id)
            .bind(now_ms)
            .bind(by)
            .execute(&mut *self.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn active_zones(&mut self, now_ms: i64) -> anyhow::Result<Vec<ZoneRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ZONE_COLUMNS} FROM zones
             WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1) ORDER BY compound_id, id"
        ));
        Ok(sqlx::query_as(sql)
            .bind(now_ms)
            .fetch_all(&mut *self.inner)
            .await?)
    }

    /// Marks zones past their expiry as removed (by "expired"); returns their ids.
    pub async fn expire_zones(&mut self, now_ms: i64) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE zones SET removed_at = $1, removed_by = 'expired'
             WHERE removed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $1 RETURNING id",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await?)
    }
}

impl Store {
    /// Open escalations whose next step is due.
    pub async fn due_escalations(&self, now_ms: i64) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM escalations WHERE status = 'open' AND next_action_at IS NOT NULL AND next_action_at <= $1
             ORDER BY next_action_at",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn all_escalations(&self) -> anyhow::Result<Vec<EscalationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ESCALATION_COLUMNS} FROM escalations ORDER BY id"
        ));
        Ok(sqlx::query_as(sql).fetch_all(&self.pool).await?)
    }

    pub async fn timeline(&self, escalation_id: i64) -> anyhow::Result<Vec<TimelineRow>> {
        Ok(sqlx::query_as(
            "SELECT at, kind, target, detail FROM escalation_timeline WHERE escalation_id = $1 ORDER BY id",
        )
        .bind(escalation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn zones_with_removed(&self) -> anyhow::Result<Vec<(i64, String, Option<String>)>> {
        Ok(
            sqlx::query_as("SELECT id, kind, removed_by FROM zones ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

impl Tx {
    pub async fn escalation_timeline(
        &mut self,
        escalation_id: i64,
    ) -> anyhow::Result<Vec<TimelineRow>> {
        Ok(sqlx::query_as(
            "SELECT at, kind, target, detail FROM escalation_timeline WHERE escalation_id = $1 ORDER BY id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }
}

/// Alert bundles: one outbox row may carry several escalations' alerts.
impl Tx {
    /// An unsent alert message to `chat_id` written since `since_ms`, to add to.
    pub async fn pending_alert_bundle(
        &mut self,
        chat_id: i64,
        since_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT a.outbox_id FROM escalation_alerts a JOIN outbox o ON o.id = a.outbox_id
             WHERE a.chat_id = $1 AND o.status = 'pending' AND o.created_at >= $2
             ORDER BY a.outbox_id DESC LIMIT 1",
        )
        .bind(chat_id)
        .bind(since_ms)
        .fetch_optional(&mut *self.inner)
        .await?)
    }

    /// Whether an alert to `chat_id` was written since `since_ms` (a burst is under way).
    pub async fn alerted_since(&mut self, chat_id: i64, since_ms: i64) -> anyhow::Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM escalation_alerts a JOIN outbox o ON o.id = a.outbox_id
             WHERE a.chat_id = $1 AND o.created_at >= $2",
        )
        .bind(chat_id)
        .bind(since_ms)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(n > 0)
    }

    /// The escalations whose alerts one outbox message carries.
    pub async fn bundle_escalations(&mut self, outbox_id: i64) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT escalation_id FROM escalation_alerts WHERE outbox_id = $1 ORDER BY escalation_id",
        )
        .bind(outbox_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }

    /// The staff already alerted about an escalation: (person id, chat id).
    pub async fn alerted_people(
        &mut self,
        escalation_id: i64,
    ) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT person_id, chat_id FROM escalation_alerts WHERE escalation_id = $1 ORDER BY person_id",
        )
        .bind(escalation_id)
        .fetch_all(&mut *self.inner)
        .await?)
    }
}

/// An alert that should now reach the manager's phone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhoneDue {
    pub escalation_id: i64,
    pub outbox_id: i64,
    pub person_id: String,
    /// True when Telegram refused the alert (blocked, chat not found).
    pub undeliverable: i64,
}

impl Store {
    /// Alerts of open escalations that Telegram refused, or that were sent
    /// before `sent_before_ms` and are still unacknowledged, not yet phoned.
    pub async fn alerts_needing_phone(&self, sent_before_ms: i64) -> anyhow::Result<Vec<PhoneDue>> {
        Ok(sqlx::query_as(
            "SELECT a.escalation_id, a.outbox_id, a.person_id,
                    CAST(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END AS BIGINT) AS undeliverable
             FROM escalation_alerts a
             JOIN outbox o ON o.id = a.outbox_id
             JOIN escalations e ON e.id = a.escalation_id
             WHERE a.phoned_at IS NULL AND e.status = 'open'
               AND (o.status = 'failed' OR (o.status = 'sent' AND o.sent_at <= $1))
             ORDER BY a.escalation_id, a.outbox_id",
        )
        .bind(sent_before_ms)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx {
    pub async fn mark_phoned(
        &mut self,
        escalation_id: i64,
        person_id: &str,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE escalation_alerts SET phoned_at = $3
             WHERE escalation_id = $1 AND person_id = $2 AND phoned_at IS NULL",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}

impl Tx {
    /// The notice about an escalation still waiting to be sent to a person.
    pub async fn pending_notice(
        &mut self,
        escalation_id: i64,
        person_id: &str,
    ) -> anyhow::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT n.outbox_id FROM escalation_notices n JOIN outbox o ON o.id = n.outbox_id
             WHERE n.escalation_id = $1 AND n.person_id = $2 AND o.status = 'pending'",
        )
        .bind(escalation_id)
        .bind(person_id)
        .fetch_optional(&mut *self.inner)
        .await?)
    }

    pub async fn set_notice(
        &mut self,
        escalation_id: i64,
        person_id: &str,
        outbox_id: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO escalation_notices (escalation_id, person_id, outbox_id) VALUES ($1, $2, $3)
             ON CONFLICT (escalation_id, person_id) DO UPDATE SET outbox_id = excluded.outbox_id",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(outbox_id)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
