//! Phones beyond Telegram: an alert Telegram refused, or one still
//! unacknowledged after `gateway.after`, goes to the manager's phone through
//! the SMS/voice gateway, and onto the escalation's timeline.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::Escalator;
use crate::clock::to_millis;
use crate::gateway::{Gateway, GatewayError};
use crate::store::{PhoneDue, Store};

impl Escalator {
    /// Sends what is due to phones; returns how many went out. A send the
    /// gateway may accept later (rate limit, network) is tried on the next
    /// tick; once the rate limit is reached, the rest wait for a later pass,
    /// each page logged once when it starts waiting.
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
        let mut limited = false;
        for alert in due {
            let key = (alert.escalation_id, alert.person_id.clone());
            if !done.insert(key.clone()) {
                continue;
            }
            if limited {
                self.waiting_for_limit(key);
                continue;
            }
            match self.phone(store, gateway, &alert, now_ms).await? {
                Phoned::Sent => sent += 1,
                Phoned::Done => {}
                Phoned::RateLimited => {
                    limited = true;
                    self.waiting_for_limit(key);
                }
            }
        }
        Ok(sent)
    }

    /// Logs "rate limited" once per page that starts waiting for the limit.
    fn waiting_for_limit(&self, key: (i64, String)) {
        let mut waiting = self.phone_waiting.lock().unwrap_or_else(|e| e.into_inner());
        if waiting.len() > 10_000 {
            waiting.clear(); // stale keys of pages long gone; at worst one more line each
        }
        let (escalation_id, person) = key.clone();
        if waiting.insert(key) {
            tracing::warn!(escalation_id, %person, "phone gateway rate limited; the page waits");
        }
    }

    fn done_waiting(&self, escalation_id: i64, person: &str) {
        let mut waiting = self.phone_waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.remove(&(escalation_id, person.to_owned()));
    }

    async fn phone(
        &self,
        store: &Store,
        gateway: &Gateway,
        alert: &PhoneDue,
        now_ms: i64,
    ) -> anyhow::Result<Phoned> {
        let Some(person) = self.person(&alert.person_id) else {
            return Ok(Phoned::Done);
        };
        if person.id == super::duty_group::GROUP_ID {
            // A group has no phone; its members have their own alerts.
            let mut tx = store.begin().await?;
            tx.mark_phoned(alert.escalation_id, &person.id, now_ms)
                .await?;
            tx.commit().await?;
            return Ok(Phoned::Done);
        }
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
            return Ok(Phoned::Done);
        };
        let mut tx = store.begin().await?;
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(Phoned::Done);
        };
        let text = self.alert_text(&mut tx, &esc, person.lang, now_ms).await?;
        let text = self.with_reply_hint(text, person.lang, id, gateway.channel());
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
            Err(GatewayError::RateLimited(_)) => return Ok(Phoned::RateLimited),
            Err(error) if error.is_retryable() => {
                tracing::warn!(escalation_id = id, person = %person.id, %error, "phone gateway busy; will retry");
                return Ok(Phoned::Done);
            }
            Err(error) => {
                tx.add_timeline(id, "phone_failed", &person.id, &error.to_string(), now_ms)
                    .await?;
                false
            }
        };
        tx.mark_phoned(id, &person.id, now_ms).await?;
        tx.commit().await?;
        self.done_waiting(id, &person.id);
        Ok(if phoned { Phoned::Sent } else { Phoned::Done })
    }
}

/// What one attempt to phone came to.
enum Phoned {
    Sent,
    /// Nothing more to do now (failed for good, no phone, or retry later).
    Done,
    /// Over the gateway's `per_minute`: nothing sent; later pages wait too.
    RateLimited,
}
