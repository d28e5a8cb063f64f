//! The `escalations` table: one incident per compound and category (or per
//! urgent report), its walk along the chain, acknowledgement and resolution.
//! Rows are parsed here, at the store's edge: status, reason and zone kind
//! leave this module as enums, never as text to compare.

use sqlx::any::AnyRow;

use super::error::{Context, Result, parse_code};
use super::{ReportRow, Store, Tx};
use crate::domain::{Category, ReportStatus, ZoneKind};

/// Where an escalation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalationStatus {
    /// The chain is walking: someone is paged until a person acknowledges.
    Open,
    /// A person took it; nobody else is paged.
    Acknowledged,
    Resolved,
}

impl EscalationStatus {
    pub fn code(self) -> &'static str {
        match self {
            EscalationStatus::Open => "open",
            EscalationStatus::Acknowledged => "acknowledged",
            EscalationStatus::Resolved => "resolved",
        }
    }

    pub fn from_code(code: &str) -> Option<EscalationStatus> {
        [Self::Open, Self::Acknowledged, Self::Resolved]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Why an escalation was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalationReason {
    /// Enough unresolved reports of one category piled up in one compound.
    Threshold,
    /// A category that pages at once (a burst main, a pump).
    Urgent,
    /// A report from a priority zone.
    Zone,
}

impl EscalationReason {
    pub fn code(self) -> &'static str {
        match self {
            EscalationReason::Threshold => "threshold",
            EscalationReason::Urgent => "urgent",
            EscalationReason::Zone => "zone",
        }
    }

    pub fn from_code(code: &str) -> Option<EscalationReason> {
        [Self::Threshold, Self::Urgent, Self::Zone]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A stored escalation.
#[derive(Debug, Clone)]
pub struct EscalationRow {
    pub id: i64,
    pub compound_id: Option<String>,
    pub compound_text: String,
    pub category: Category,
    pub reason: EscalationReason,
    pub zone_kind: Option<ZoneKind>,
    pub no_entry: bool,
    pub status: EscalationStatus,
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

/// The row as the database holds it, before parsing.
#[derive(sqlx::FromRow)]
struct RawEscalation {
    id: i64,
    compound_id: Option<String>,
    compound_text: String,
    category: String,
    reason: String,
    zone_kind: Option<String>,
    no_entry: i64,
    status: String,
    step: i64,
    repeats: i64,
    report_count: i64,
    threshold: Option<i64>,
    next_action_at: Option<i64>,
    opened_at: i64,
    acknowledged_at: Option<i64>,
    acknowledged_by: Option<String>,
    resolved_at: Option<i64>,
    resolved_by: Option<String>,
    updated_at: i64,
}

impl RawEscalation {
    fn parse(self) -> Result<EscalationRow> {
        let zone_kind = match self.zone_kind.as_deref() {
            Some(code) => Some(parse_code("zone kind", code, ZoneKind::from_code)?),
            None => None,
        };
        Ok(EscalationRow {
            id: self.id,
            compound_id: self.compound_id,
            compound_text: self.compound_text,
            category: parse_code("category", &self.category, Category::from_code)?,
            reason: parse_code(
                "escalation reason",
                &self.reason,
                EscalationReason::from_code,
            )?,
            zone_kind,
            no_entry: self.no_entry != 0,
            status: parse_code(
                "escalation status",
                &self.status,
                EscalationStatus::from_code,
            )?,
            step: self.step,
            repeats: self.repeats,
            report_count: self.report_count,
            threshold: self.threshold,
            next_action_at: self.next_action_at,
            opened_at: self.opened_at,
            acknowledged_at: self.acknowledged_at,
            acknowledged_by: self.acknowledged_by,
            resolved_at: self.resolved_at,
            resolved_by: self.resolved_by,
            updated_at: self.updated_at,
        })
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for EscalationRow {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        RawEscalation::from_row(row)?
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}

/// What opening an escalation writes.
#[derive(Debug, Clone)]
pub struct NewEscalation {
    pub compound_id: Option<String>,
    pub compound_text: String,
    pub category: Category,
    pub reason: EscalationReason,
    pub zone_kind: Option<ZoneKind>,
    pub no_entry: bool,
    pub step: i64,
    pub report_count: i64,
    pub threshold: Option<i64>,
}

macro_rules! escalation_columns {
    () => {
        "id, compound_id, compound_text, category, reason, zone_kind, no_entry, status, \
         step, repeats, report_count, threshold, next_action_at, opened_at, acknowledged_at, \
         acknowledged_by, resolved_at, resolved_by, updated_at"
    };
}

/// The escalation still unresolved for a compound and category (hot: every report).
pub const UNRESOLVED_ESCALATION: &str = concat!(
    "SELECT ",
    escalation_columns!(),
    " FROM escalations WHERE compound_id = $1 AND category = $2 AND status <> 'resolved'
      ORDER BY id DESC LIMIT 1"
);

/// Open escalations whose next step is due (hot: every engine tick).
pub const DUE_ESCALATIONS: &str = "SELECT id FROM escalations
     WHERE status = 'open' AND next_action_at IS NOT NULL AND next_action_at <= $1
     ORDER BY next_action_at";

impl Tx {
    /// The escalation not yet resolved for this compound and category, if any.
    pub async fn unresolved_escalation(
        &mut self,
        compound_id: &str,
        category: Category,
    ) -> Result<Option<EscalationRow>> {
        sqlx::query_as(UNRESOLVED_ESCALATION)
            .bind(compound_id)
            .bind(category.code())
            .fetch_optional(&mut *self.inner)
            .await
            .context("looking up the compound's unresolved escalation")
    }

    pub async fn escalation(&mut self, id: i64) -> Result<Option<EscalationRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            escalation_columns!(),
            " FROM escalations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading an escalation")
    }

    pub async fn create_escalation(&mut self, e: &NewEscalation, now_ms: i64) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO escalations (compound_id, compound_text, category, reason, zone_kind, no_entry, status,
                step, repeats, report_count, threshold, opened_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, 0, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&e.compound_id)
        .bind(&e.compound_text)
        .bind(e.category.code())
        .bind(e.reason.code())
        .bind(e.zone_kind.map(ZoneKind::code))
        .bind(i64::from(e.no_entry))
        .bind(e.step)
        .bind(e.report_count)
        .bind(e.threshold)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("opening an escalation")
    }

    /// Where the walk stands: the step just notified and when to act next.
    pub async fn set_walk(
        &mut self,
        id: i64,
        step: i64,
        repeats: i64,
        next_action_at: i64,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE escalations SET step = $2, repeats = $3, next_action_at = $4, updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(step)
        .bind(repeats)
        .bind(next_action_at)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording the escalation's next step")?;
        Ok(())
    }

    /// Stops the walk. False when it was not open (already acknowledged or resolved).
    pub async fn acknowledge_escalation(&mut self, id: i64, by: &str, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await
        .context("acknowledging an escalation")?;
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
    ) -> Result<Option<Vec<ReportRow>>> {
        let done = sqlx::query(
            "UPDATE escalations SET status = 'resolved', resolved_at = $2, resolved_by = $3,
                next_action_at = NULL, updated_at = $2 WHERE id = $1 AND status <> 'resolved'",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await
        .context("resolving an escalation")?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        let reports = self
            .move_reports(id, ReportStatus::Resolved, by, note, now_ms)
            .await?;
        Ok(Some(reports))
    }
}

impl Store {
    /// Open escalations whose next step is due.
    pub async fn due_escalations(&self, now_ms: i64) -> Result<Vec<i64>> {
        sqlx::query_scalar(DUE_ESCALATIONS)
            .bind(now_ms)
            .fetch_all(&self.pool)
            .await
            .context("listing due escalations")
    }

    /// Every escalation, oldest first (the benchmark and tests read them).
    pub async fn all_escalations(&self) -> Result<Vec<EscalationRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            escalation_columns!(),
            " FROM escalations ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await
        .context("listing escalations")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn status_and_reason_codes_round_trip() {
        for s in [
            EscalationStatus::Open,
            EscalationStatus::Acknowledged,
            EscalationStatus::Resolved,
        ] {
            assert_eq!(EscalationStatus::from_code(s.code()), Some(s));
        }
        for r in [
            EscalationReason::Threshold,
            EscalationReason::Urgent,
            EscalationReason::Zone,
        ] {
            assert_eq!(EscalationReason::from_code(r.code()), Some(r));
        }
        assert!(matches!(
            parse_code("escalation status", "closed", EscalationStatus::from_code),
            Err(StoreError::Corrupt { .. })
        ));
    }
}
