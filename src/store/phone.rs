//! What the per-person notification rules need: every alert of an open
//! escalation with its outbox status and times, and which rule steps
//! (texts, calls, robot messages) were already taken.

use super::error::{Context, Result};
use super::{Store, Tx};

/// Everything sent (or refused) to one person for one open escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneDue {
    pub escalation_id: i64,
    pub person_id: String,
    /// When Telegram first took an alert of it to them; `None` when every
    /// one was refused (blocked, chat not found).
    pub first_sent_at: Option<i64>,
    /// When the first alert to them was written.
    pub first_created_at: i64,
}

impl PhoneDue {
    /// True when Telegram refused every alert to them.
    pub fn undeliverable(&self) -> bool {
        self.first_sent_at.is_none()
    }

    /// Where the rules' delays count from.
    pub fn start_at(&self) -> i64 {
        self.first_sent_at.unwrap_or(self.first_created_at)
    }
}

/// Alerts of open escalations that left or failed for good (hot: every
/// engine tick; read through `escalations_due` and the primary keys).
pub const ALERTS_OF_OPEN_ESCALATIONS: &str =
    "SELECT a.escalation_id, a.person_id, o.status, o.sent_at, o.created_at
     FROM escalations e
     JOIN escalation_alerts a ON a.escalation_id = e.id
     JOIN outbox o ON o.id = a.outbox_id
     WHERE e.status = 'open' AND o.status IN ('sent', 'failed')
     ORDER BY a.escalation_id, a.person_id, a.outbox_id";

/// Rule steps already taken for open escalations (hot: every tick).
pub const REACH_SENDS_OF_OPEN: &str = "SELECT r.escalation_id, r.person_id, r.rule_index
     FROM escalations e
     JOIN reach_sends r ON r.escalation_id = e.id
     WHERE e.status = 'open'";

impl Store {
    /// Per open escalation and person: when their alerts went out.
    pub async fn alerts_needing_phone(&self) -> Result<Vec<PhoneDue>> {
        type Row = (i64, String, String, Option<i64>, i64);
        let rows: Vec<Row> = sqlx::query_as(ALERTS_OF_OPEN_ESCALATIONS)
            .fetch_all(&self.pool)
            .await
            .context("listing alerts for the notification rules")?;
        let mut out: Vec<PhoneDue> = Vec::new();
        for (escalation_id, person_id, status, sent_at, created_at) in rows {
            let sent_at = sent_at.filter(|_| status == "sent");
            match out.last_mut() {
                Some(last)
                    if last.escalation_id == escalation_id && last.person_id == person_id =>
                {
                    last.first_created_at = last.first_created_at.min(created_at);
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
                }),
            }
        }
        Ok(out)
    }

    /// (escalation, person, rule index) of every rule step already taken.
    pub async fn reach_sends(&self) -> Result<Vec<(i64, String, usize)>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(REACH_SENDS_OF_OPEN)
            .fetch_all(&self.pool)
            .await
            .context("listing notification steps taken")?;
        Ok(rows
            .into_iter()
            .map(|(e, p, i)| (e, p, i.max(0) as usize))
            .collect())
    }
}

impl Tx {
    /// Records that rule step `rule_index` was taken (or given up).
    pub async fn mark_phoned(
        &mut self,
        escalation_id: i64,
        person_id: &str,
        rule_index: usize,
        via: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO reach_sends (escalation_id, person_id, rule_index, via, sent_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(rule_index as i64)
        .bind(via)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a notification step")?;
        sqlx::query(
            "UPDATE escalation_alerts SET phoned_at = $3
             WHERE escalation_id = $1 AND person_id = $2 AND phoned_at IS NULL",
        )
        .bind(escalation_id)
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording a phoned alert")?;
        Ok(())
    }
}
