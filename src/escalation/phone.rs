//! Phones beyond Telegram: each person's notification rules (or the
//! site-wide default: `gateway.channel` after `gateway.after`) take an alert
//! still unacknowledged to their phone by text, then call, through the
//! SMS/voice gateway, each step once and onto the escalation's timeline. An
//! alert Telegram refused takes the first step at once.

use chrono::{DateTime, Utc};

use super::Escalator;
use super::reach::rules_of;
use crate::clock::to_millis;
use crate::gateway::{Gateway, GatewayChannel, GatewayError, RobotKind};
use crate::oncall::notify::due_steps;
use crate::oncall::{NotifyRule, Via};
use crate::store::{PhoneDue, Store};

impl Escalator {
    /// Takes every notification step that is due (each person's rules, or
    /// the site-wide default) for alerts still unacknowledged; returns how
    /// many went out. A send the gateway may accept later (rate limit,
    /// network) is tried on the next tick; once the rate limit is reached,
    /// the rest wait for a later pass, each page logged once when it starts
    /// waiting. An acknowledgement closes the escalation: nothing more is due.
    pub async fn phone_fallback(
        &self,
        store: &Store,
        gateway: &Gateway,
        now: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        let now_ms = to_millis(now);
        let due = store.alerts_needing_phone().await?;
        if due.is_empty() {
            return Ok(0);
        }
        let taken = store.reach_sends().await?;
        let mut sent = 0;
        // Routes (the gateway, or a robot) over their rate limit this pass.
        let mut limited: Vec<Option<RobotKind>> = Vec::new();
        for alert in due {
            let key = (alert.escalation_id, alert.person_id.clone());
            let Some(person) = self.person(&alert.person_id) else {
                continue;
            };
            let rules = rules_of(person, gateway);
            let done: Vec<usize> = taken
                .iter()
                .filter(|(e, p, _)| *e == key.0 && *p == key.1)
                .map(|(_, _, i)| *i)
                .collect();
            let steps = due_steps(
                &rules,
                alert.start_at(),
                alert.undeliverable(),
                now_ms,
                &done,
            );
            for index in steps {
                let route = robot(rules[index].via);
                if limited.contains(&route) {
                    self.waiting_for_limit(key.clone());
                    break;
                }
                let step = Step {
                    alert: &alert,
                    index,
                    rule: &rules[index],
                };
                match self.phone(store, gateway, step, now_ms).await? {
                    Phoned::Sent => sent += 1,
                    Phoned::Done => {}
                    Phoned::Later => break,
                    Phoned::RateLimited => {
                        limited.push(route);
                        self.waiting_for_limit(key.clone());
                        break;
                    }
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
        step: Step<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Phoned> {
        let Step { alert, index, rule } = step;
        let Some(person) = self.person(&alert.person_id) else {
            return Ok(Phoned::Done);
        };
        if super::duty_group::is_group_id(&person.id) {
            // A group has no phone; its members have their own alerts.
            let mut tx = store.begin().await?;
            let via = rule.via.code();
            tx.mark_phoned(alert.escalation_id, &person.id, index, via, now_ms)
                .await?;
            tx.commit().await?;
            return Ok(Phoned::Done);
        }
        let id = alert.escalation_id;
        let via = rule.via.code();
        let why = if alert.undeliverable() {
            "Telegram refused the alert"
        } else {
            "no acknowledgement"
        };
        let phone = person.phone.as_deref();
        if phone.is_none() && robot(rule.via).is_none() {
            let mut tx = store.begin().await?;
            tx.add_timeline(id, "phone_missing", &person.id, why, now_ms)
                .await?;
            tx.mark_phoned(id, &person.id, index, via, now_ms).await?;
            tx.commit().await?;
            return Ok(Phoned::Done);
        }
        let mut tx = store.begin().await?;
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(Phoned::Done);
        };
        let mut text = self.alert_text(&mut tx, &esc, person.lang, now_ms).await?;
        // A phone (not a robot) can answer by replying or pressing a key.
        match rule.via {
            Via::Sms => text = self.with_reply_hint(text, person.lang, id, GatewayChannel::Sms),
            Via::Voice => text = self.with_reply_hint(text, person.lang, id, GatewayChannel::Voice),
            _ => {}
        }
        if rule.via != Via::Voice {
            text = self
                .with_ack_link(&mut tx, text, id, person, now_ms)
                .await?;
        }
        tx.commit().await?;
        // Outside any transaction: an HTTP call must not hold the database.
        let outcome = match (robot(rule.via), phone) {
            (Some(kind), mobile) => gateway.send_robot(kind, mobile, &text).await,
            (None, Some(phone)) if rule.via == Via::Voice => {
                gateway
                    .send_via(GatewayChannel::Voice, phone, &text, id)
                    .await
            }
            (_, Some(phone)) => {
                gateway
                    .send_via(GatewayChannel::Sms, phone, &text, id)
                    .await
            }
            (_, None) => Err(GatewayError::Disabled),
        };
        let mut tx = store.begin().await?;
        let phoned = match outcome {
            Ok(sent) => {
                let provider = sent
                    .provider_id
                    .map(|p| format!(", id {p}"))
                    .unwrap_or_default();
                let detail = format!("{via} via {} ({why}){provider}", route(rule.via));
                tx.add_timeline(id, "phoned", &person.id, &detail, now_ms)
                    .await?;
                true
            }
            Err(GatewayError::RateLimited(_)) => return Ok(Phoned::RateLimited),
            Err(error) if error.is_retryable() => {
                tracing::warn!(escalation_id = id, person = %person.id, %error, "phone gateway busy; will retry");
                return Ok(Phoned::Later);
            }
            Err(error) => {
                let detail = format!("{via}: {error}");
                tx.add_timeline(id, "phone_failed", &person.id, &detail, now_ms)
                    .await?;
                false
            }
        };
        tx.mark_phoned(id, &person.id, index, via, now_ms).await?;
        tx.commit().await?;
        self.done_waiting(id, &person.id);
        Ok(if phoned { Phoned::Sent } else { Phoned::Done })
    }
}

/// How the timeline names the way a step went.
fn route(via: Via) -> &'static str {
    robot(via).map_or("gateway", RobotKind::name)
}

/// The robot a step goes through, if any.
fn robot(via: Via) -> Option<RobotKind> {
    match via {
        Via::Wecom => Some(RobotKind::Wecom),
        Via::Dingtalk => Some(RobotKind::Dingtalk),
        Via::Feishu => Some(RobotKind::Feishu),
        _ => None,
    }
}

/// One rule step of one person for one escalation.
#[derive(Clone, Copy)]
struct Step<'a> {
    alert: &'a PhoneDue,
    index: usize,
    rule: &'a NotifyRule,
}

/// What one attempt to phone came to.
enum Phoned {
    Sent,
    /// Nothing more to do for this step (failed for good, no phone).
    Done,
    /// The provider may take it later (busy, network): the next tick.
    Later,
    /// Over the gateway's `per_minute`: nothing sent; later pages wait too.
    RateLimited,
}
