//! The `escalation_timeline` table — every step taken on an escalation: what,
//! to whom, when, why — and the `report_events` table, each report's history,
//! for `/ticket`, Details, the desk and the tests. Kinds and actors are
//! written as their codes and parsed back here, at the store's edge.

use sqlx::any::AnyRow;

use super::error::{Context, Result, parse_code};
use super::{Store, Tx};
use crate::domain::{Actor, EscalationId, ReportEventKind, ReportId, TimelineKind};

/// One step on an escalation's timeline. `target` is a person's or duty
/// group's id, a role's code, or empty; `detail` depends on `kind`.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub at: i64,
    pub kind: TimelineKind,
    pub target: String,
    pub detail: String,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for TimelineRow {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let kind: String = row.try_get("kind")?;
        Ok(TimelineRow {
            at: row.try_get("at")?,
            kind: parse_code("timeline kind", &kind, TimelineKind::from_code)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            target: row.try_get("target")?,
            detail: row.try_get("detail")?,
        })
    }
}

/// One event in a report's history.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportEventRow {
    pub at: i64,
    pub kind: ReportEventKind,
    pub actor: Actor,
    pub detail: String,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for ReportEventRow {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let kind: String = row.try_get("kind")?;
        let actor: String = row.try_get("actor")?;
        let decode = |e| sqlx::Error::Decode(Box::new(e));
        Ok(ReportEventRow {
            at: row.try_get("at")?,
            kind: parse_code("report event kind", &kind, ReportEventKind::from_code)
                .map_err(decode)?,
            actor: parse_code("report event actor", &actor, Actor::from_code).map_err(decode)?,
            detail: row.try_get("detail")?,
        })
    }
}

const TIMELINE: &str =
    "SELECT at, kind, target, detail FROM escalation_timeline WHERE escalation_id = $1 ORDER BY id";

const REPORT_HISTORY: &str =
    "SELECT at, kind, actor, detail FROM report_events WHERE report_id = $1 ORDER BY id";

impl Tx {
    pub async fn add_timeline(
        &mut self,
        escalation_id: EscalationId,
        kind: TimelineKind,
        target: &str,
        detail: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO escalation_timeline (escalation_id, at, kind, target, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(escalation_id)
        .bind(now_ms)
        .bind(kind.code())
        .bind(target)
        .bind(detail)
        .execute(&mut *self.inner)
        .await
        .context("writing the escalation timeline")?;
        Ok(())
    }

    pub async fn escalation_timeline(
        &mut self,
        escalation_id: EscalationId,
    ) -> Result<Vec<TimelineRow>> {
        sqlx::query_as(TIMELINE)
            .bind(escalation_id)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading the escalation timeline")
    }

    /// Appends to a report's history.
    pub async fn add_report_event(
        &mut self,
        report_id: ReportId,
        kind: ReportEventKind,
        actor: &Actor,
        detail: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO report_events (report_id, kind, actor, detail, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(report_id)
            .bind(kind.code())
            .bind(actor.code())
            .bind(detail)
            .bind(now_ms)
            .execute(&mut *self.inner)
            .await
            .context("recording a report event")?;
        Ok(())
    }

    /// A report's history, oldest first.
    pub async fn report_history(&mut self, report_id: ReportId) -> Result<Vec<ReportEventRow>> {
        sqlx::query_as(REPORT_HISTORY)
            .bind(report_id)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading a report's history")
    }
}

impl Store {
    /// A report's history, oldest first (the desk reads outside a transaction).
    pub async fn desk_report_history(&self, report_id: ReportId) -> Result<Vec<ReportEventRow>> {
        sqlx::query_as(REPORT_HISTORY)
            .bind(report_id)
            .fetch_all(&self.pool)
            .await
            .context("reading a report's history for the desk")
    }

    /// An escalation's timeline (who was told what, when), oldest first.
    pub async fn desk_timeline(&self, escalation_id: EscalationId) -> Result<Vec<TimelineRow>> {
        sqlx::query_as(TIMELINE)
            .bind(escalation_id)
            .fetch_all(&self.pool)
            .await
            .context("reading an escalation's timeline for the desk")
    }

    /// For tests: an escalation's timeline, oldest first.
    #[cfg(feature = "testkit")]
    pub async fn timeline(&self, escalation_id: EscalationId) -> Result<Vec<TimelineRow>> {
        self.desk_timeline(escalation_id).await
    }
}
