//! Phones beyond Telegram: an alert Telegram refused, or one still
//! unacknowledged after `gateway.after`, goes to the manager's phone through
//! the SMS/voice gateway, and onto the escalation's timeline.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::Escalator;
use crate::clock::to_millis;
use crate::gateway::Gateway;
use crate::store::{PhoneDue, Store};

impl Escalator {
    /// Sends what is due to phones; returns how many went out. A send the
    /// gateway may accept later (rate limit, network) is tried on the next tick.
    pub async fn phone_fallback(
        &self,
        store: &Store,
        gateway: &Gateway,
        now: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        let now_ms = to_millis(now);
        let due = store
            .alerts_needing_phone(now_ms - gateway.after().as_millis() as i64)
            .await?;
        let mut done: HashSet<(i64, String)> = HashSet::new();
        let mut sent = 0;
        for alert in due {
            if done.insert((alert.escalation_id, alert.person_id.clone()))
                && self.phone(store, gateway, &alert, now_ms).await?
            {
                sent += 1;
            }
        }
        Ok(sent)
    }

    async fn phone(
        &self,
        store: &Store,
        gateway: &Gateway,
        alert: &PhoneDue,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let Some(person) = self.person(&alert.person_id) else {
            return Ok(false);
        };
        let id = alert.escalation_id;
        let why = if alert.undeliverable {
            "Telegram refused the alert"
        } else {
            "no acknowledgement"
        };
        let Some(phone) = person.phone.as_deref() else {
            let mut tx = store.begin().await?;
            tx.add_timeline(id, "phone_missing", &person.id, why, now_ms)
                .await?;
            tx.mark_phoned(id, &person.id, now_ms).await?;
            tx.commit().await?;
            return Ok(false);
        };
        let mut tx = store.begin().await?;
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(false);
        };
        let text = self.alert_text(&mut tx, &esc, person.lang, now_ms).await?;
        tx.commit().await?;
        // Outside any transaction: an HTTP call must not hold the database.
        let outcome = gateway.send(phone, &text, id).await;
        let mut tx = store.begin().await?;
        let phoned = match outcome {
            Ok(sent) => {
                let provider = sent
                    .provider_id
                    .map(|p| format!(", id {p}"))
                    .unwrap_or_default();
                let detail = format!("{} via gateway ({why}){provider}", gateway.channel().code());
                tx.add_timeline(id, "phoned", &person.id, &detail, now_ms)
                    .await?;
                true
            }
            Err(error) if error.is_retryable() => {
                tracing::warn!(escalation_id = id, person = %person.id, %error, "phone gateway busy; will retry");
                return Ok(false);
            }
            Err(error) => {
                tx.add_timeline(id, "phone_failed", &person.id, &error.to_string(), now_ms)
                    .await?;
                false
            }
        };
        tx.mark_phoned(id, &person.id, now_ms).await?;
        tx.commit().await?;
        Ok(phoned)
    }
}
