//! Phones and work chats beyond Telegram: each person's notification rules
//! (or the site-wide default: `gateway.channel` after `gateway.after`) take
//! an alert still unacknowledged to their phone by text, then call, or to a
//! work-chat robot's group. Each step is taken once, as an outbox row
//! written in one transaction with the step (durable, retried and paced by
//! the outbox; `reach::Dispatch` sends it and puts it on the timeline). The
//! delays count from when the alert was written, delivered or not: while
//! Telegram cannot be reached the phone still rings after `gateway.after`. An
//! alert Telegram refused takes the first step at once. A robot's steps
//! that come due while its message is still unsent join that message.

use chrono::{DateTime, Utc};

use super::Escalator;
use super::reach::{robot, rules_of};
use crate::clock::to_millis;
use crate::domain::EscalationId;
use crate::domain::{
    Detail, Lane, OutMessage, PhoneWhy, ReachChannel, ReachStep, Reachee, TimelineKind,
    reach::reach_key,
};
use crate::gateway::{Gateway, GatewayChannel, normalize_phone};
use crate::oncall::notify::due_steps;
use crate::oncall::{NotifyRule, Via};
use crate::store::{PhoneDue, Store, Tx};

impl Escalator {
    /// Writes every notification step that is due (each person's rules, or
    /// the site-wide default) for alerts still unacknowledged to the outbox;
    /// returns how many rows were written or joined. An acknowledgement
    /// closes the escalation: nothing more is due, and what is still unsent
    /// is dropped (`Tx::drop_reach_of_closed`).
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
        let taken = store.reach_steps_taken().await?;
        let mut steps = Vec::new();
        for alert in &due {
            let Some(person) = self.person(&alert.person_id) else {
                continue;
            };
            let rules = rules_of(person, gateway);
            let done: Vec<usize> = taken
                .iter()
                .filter(|(e, p, _)| *e == alert.escalation_id && *p == alert.person_id)
                .map(|(_, _, i)| *i)
                .collect();
            let start = alert.start_at();
            for index in due_steps(&rules, start, alert.undeliverable(), now_ms, &done) {
                let rule = rules[index].clone();
                steps.push((alert, index, rule));
            }
        }
        if steps.is_empty() {
            return Ok(0);
        }
        // One transaction: the steps of one pass to one robot become one message.
        let mut tx = store.begin().await?;
        let mut queued = 0;
        for (alert, index, rule) in steps {
            let step = Step {
                alert,
                index,
                rule: &rule,
            };
            queued += usize::from(self.queue_step(&mut tx, gateway, step, now_ms).await?);
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Writes one step's message (or joins a robot's unsent one) and
    /// records the step; true when something will be sent.
    async fn queue_step(
        &self,
        tx: &mut Tx,
        gateway: &Gateway,
        step: Step<'_>,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let Step { alert, index, rule } = step;
        let Some(person) = self.person(&alert.person_id) else {
            return Ok(false);
        };
        let id = alert.escalation_id;
        let via = rule.via.code();
        let why = if alert.undeliverable() {
            PhoneWhy::Refused
        } else if alert.first_sent_at.is_none() {
            PhoneWhy::Undelivered
        } else {
            PhoneWhy::NoAck
        };
        let channel = channel_of(rule.via);
        let route = if super::duty_group::is_group_id(&person.id) {
            Route::Skip // a group has no phone; its members have their own alerts
        } else if channel.is_robot() {
            match robot(rule.via).is_some_and(|k| gateway.has_robot(k)) {
                true => Route::Send,
                false => Route::GiveUp(
                    TimelineKind::PhoneFailed,
                    Detail::NoRobot { via: via.into() },
                ),
            }
        } else if !gateway.phones() {
            Route::GiveUp(
                TimelineKind::PhoneFailed,
                Detail::NoGateway { via: via.into() },
            )
        } else if person.phone.is_none() {
            let after = why.code().to_owned();
            Route::GiveUp(TimelineKind::PhoneMissing, Detail::NoPhone { after })
        } else {
            Route::Send
        };
        let outbox_id = match route {
            Route::Skip => None,
            Route::GiveUp(kind, detail) => {
                tx.add_timeline(id, kind, person.id.as_str(), &detail.code(), now_ms)
                    .await?;
                None
            }
            Route::Send => {
                let text = self.step_text(tx, id, person, rule.via, now_ms).await?;
                let Some(text) = text else { return Ok(false) };
                let to = Reachee {
                    person_id: person.id.clone(),
                    name: person.name.clone(),
                    phone: person.phone.clone(),
                    feishu_id: person.feishu_open_id.clone(),
                };
                let step = ReachStep {
                    escalation_id: id,
                    person_id: person.id.clone(),
                    why: why.code().to_owned(),
                };
                Some(self.write(tx, channel, to, text, step, now_ms).await?)
            }
        };
        tx.take_reach_step(id, &person.id, index, via, outbox_id, now_ms)
            .await?;
        Ok(outbox_id.is_some())
    }

    /// The alert as this step's channel carries it: a phone can answer by
    /// replying or pressing a key; all but a call carry an acknowledge link.
    async fn step_text(
        &self,
        tx: &mut Tx,
        id: EscalationId,
        person: &crate::config::Person,
        via: Via,
        now_ms: i64,
    ) -> anyhow::Result<Option<String>> {
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(None);
        };
        let mut text = self.alert_text(tx, &esc, person.lang, now_ms).await?;
        match via {
            Via::Sms => text = self.with_reply_hint(text, person.lang, id, GatewayChannel::Sms),
            Via::Voice => text = self.with_reply_hint(text, person.lang, id, GatewayChannel::Voice),
            _ => {}
        }
        if via != Via::Voice {
            text = self.with_ack_link(tx, text, id, person, now_ms).await?;
        }
        Ok(Some(text))
    }

    /// A phone's own row, keyed by the number (its texts and calls keep
    /// their order); a robot's message joins the group's unsent one or is
    /// held `reach.robot_window` to gather the steps that follow.
    async fn write(
        &self,
        tx: &mut Tx,
        channel: ReachChannel,
        to: Reachee,
        text: String,
        step: ReachStep,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        if !channel.is_robot() {
            let phone = normalize_phone(to.phone.as_deref().unwrap_or_default());
            let message = OutMessage::Reach {
                chat_id: reach_key("phone", &phone),
                channel,
                to: vec![to],
                text,
                steps: vec![step],
            };
            return Ok(tx.enqueue(Lane::Alert, &message, now_ms).await?);
        }
        let key = reach_key(channel.code(), "");
        if let Some((outbox_id, pending)) = tx.pending_reach(key).await?
            && let Some(joined) = super::reach::join(pending, &to, &text, &step)
            && tx.replace_pending(outbox_id, &joined).await?
        {
            return Ok(outbox_id);
        }
        let message = OutMessage::Reach {
            chat_id: key,
            channel,
            to: vec![to],
            text,
            steps: vec![step],
        };
        let hold = self.config.reach.robot_window.as_millis() as i64;
        Ok(tx
            .enqueue_at(Lane::Alert, &message, now_ms, now_ms + hold)
            .await?)
    }
}

/// The outbox channel of a rule's contact method.
fn channel_of(via: Via) -> ReachChannel {
    match via {
        Via::Voice => ReachChannel::Voice,
        Via::Wecom => ReachChannel::Wecom,
        Via::Dingtalk => ReachChannel::Dingtalk,
        Via::Feishu => ReachChannel::Feishu,
        Via::Sms | Via::Telegram => ReachChannel::Sms,
    }
}

/// Where a step goes: out, nowhere (a group), or given up with a timeline entry.
enum Route {
    Send,
    Skip,
    GiveUp(TimelineKind, Detail),
}

/// One rule step of one person for one escalation.
#[derive(Clone, Copy)]
struct Step<'a> {
    alert: &'a PhoneDue,
    index: usize,
    rule: &'a NotifyRule,
}
