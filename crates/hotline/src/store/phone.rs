//! What the per-person notification rules need: every alert of an open
//! escalation with its outbox status and times (the steps already taken
//! are in `reach`).
//!
//! The rules' delays count from when the alert was *written* (when it should
//! have reached the person), not from when Telegram took it: an alert still
//! unsent when a step falls due counts as not delivered, so an outage of
//! Telegram (refused connections, hanging calls) still reaches a phone after
//! `gateway.after`, as an unacknowledged alert does.

use super::Store;
use super::error::{Context, Result};
use crate::domain::{EscalationId, PersonId};

/// Everything written (sent, waiting or refused) to one person for one open
/// escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneDue {
    pub escalation_id: EscalationId,
    pub person_id: PersonId,
    /// When Telegram first took an alert of it to them; `None` while none
    /// has been delivered (refused, or still waiting in the outbox).
    pub first_sent_at: Option<i64>,
    /// When the first alert to them was written.
    pub first_created_at: i64,
    /// True when Telegram refused every alert to them for good (blocked,
    /// chat not found); false while one is delivered or still waiting.
    pub refused: bool,
}

impl PhoneDue {
    /// True when Telegram refused every alert to them: waiting for an
    /// acknowledgement makes no sense.
    pub fn undeliverable(&self) -> bool {
        self.refused
    }

    /// Where the rules' delays count from: when the first alert should have
    /// reached them.
    pub fn start_at(&self) -> i64 {
        self.first_created_at
    }
}

/// Alerts of open escalations, sent, waiting or failed (hot: every engine
/// tick; read through `escalations_due` and the primary keys). A dropped
/// alert (its message replaced) does not count.
pub const ALERTS_OF_OPEN_ESCALATIONS: &str =
    "SELECT a.escalation_id, a.person_id, o.status, o.sent_at, o.created_at
     FROM escalations e
     JOIN escalation_alerts a ON a.escalation_id = e.id
     JOIN outbox o ON o.id = a.outbox_id
     WHERE e.status = 'open' AND o.status IN ('sent', 'failed', 'pending', 'sending')
     ORDER BY a.escalation_id, a.person_id, a.outbox_id";

impl Store {
    /// Per open escalation and person: when their alerts were written and went out.
    pub async fn alerts_needing_phone(&self) -> Result<Vec<PhoneDue>> {
        type Row = (EscalationId, PersonId, String, Option<i64>, i64);
        let rows: Vec<Row> = sqlx::query_as(ALERTS_OF_OPEN_ESCALATIONS)
            .fetch_all(&self.pool)
            .await
            .context("listing alerts for the notification rules")?;
        let mut out: Vec<PhoneDue> = Vec::new();
        for (escalation_id, person_id, status, sent_at, created_at) in rows {
            let refused = status == "failed";
            let sent_at = sent_at.filter(|_| status == "sent");
            match out.last_mut() {
                Some(last)
                    if last.escalation_id == escalation_id && last.person_id == person_id =>
                {
                    last.first_created_at = last.first_created_at.min(created_at);
                    last.refused &= refused;
                    last.first_sent_at = match (last.first_sent_at, sent_at) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                _ => out.push(PhoneDue {
                    escalation_id,
                    person_id,
                    first_sent_at: sent_at,
                    first_created_at: created_at,
                    refused,
                }),
            }
        }
        Ok(out)
    }
}
