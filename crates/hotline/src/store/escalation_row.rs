//! An escalation row as the rest of the bot sees it: status, reason and
//! zone kind parsed from the stored codes here, at the store's edge, so no
//! caller compares text.

use sqlx::any::AnyRow;

use super::error::{Result, parse_code};
use crate::domain::{
    Category, EscalationId, EscalationReason, EscalationStatus, PersonId, ZoneKind,
};

/// A stored escalation.
#[derive(Debug, Clone)]
pub struct EscalationRow {
    pub id: EscalationId,
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
    pub acknowledged_by: Option<PersonId>,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<PersonId>,
    pub updated_at: i64,
}

/// The row as the database holds it, before parsing.
#[derive(sqlx::FromRow)]
struct RawEscalation {
    id: EscalationId,
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
    acknowledged_by: Option<PersonId>,
    resolved_at: Option<i64>,
    resolved_by: Option<PersonId>,
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
