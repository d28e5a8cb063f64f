//! The outbox's one port, split by destination: Telegram messages go to
//! Telegram, a WeChat resident's (a chat id above 2^53, `ChatId::is_wechat`)
//! to WeChat and never to Telegram, notifications beyond both (texts, calls,
//! robot messages) to the SMS/voice gateway or a work-chat robot. The gateway's answer becomes the
//! outbox's: over a rate limit (ours or the provider's "slow down") is
//! tried again later and not counted as an attempt nor as delivered;
//! network trouble is retried; a refusal is final. Each step the message
//! carries goes on its escalation's timeline once the provider has answered.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Deliver, DeliveryError};
use crate::clock::{Clock, to_millis};
use crate::domain::{
    Detail, EscalationId, OutMessage, PersonId, ReachChannel, ReachStep, Reachee, TimelineKind,
};
use crate::gateway::{Gateway, GatewayChannel, GatewayError, GatewaySent, Mention, RobotKind};
use crate::store::Store;

/// How long after a provider's throttling answer a message is tried again.
pub const THROTTLED_RETRY: Duration = Duration::from_secs(5);

/// Telegram's port with WeChat's and the gateway beside it.
#[derive(Clone)]
pub struct Dispatch<D, W = D> {
    telegram: D,
    wechat: Option<W>,
    reach: Option<Arc<ReachPort>>,
}

impl<D: Deliver, W: Deliver> Dispatch<D, W> {
    /// `gateway` None: notifications beyond Telegram fail (none are written
    /// without one).
    pub fn new(
        telegram: D,
        gateway: Option<Gateway>,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> Dispatch<D, W> {
        let reach = gateway.map(|gateway| {
            Arc::new(ReachPort {
                gateway: gateway.with_clock(clock.clone()),
                store,
                clock,
                waiting: Mutex::new(HashSet::new()),
            })
        });
        Dispatch {
            telegram,
            wechat: None,
            reach,
        }
    }

    /// WeChat residents' messages through `wechat` (`[wechat] enabled`).
    pub fn with_wechat(mut self, wechat: Option<W>) -> Dispatch<D, W> {
        self.wechat = wechat;
        self
    }
}

impl<D: Deliver, W: Deliver> Deliver for Dispatch<D, W> {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        match (message, &self.reach) {
            (OutMessage::Reach { .. }, Some(reach)) => reach.deliver(message).await.map(|_| None),
            (OutMessage::Reach { .. }, None) => {
                Err(DeliveryError::Permanent("gateway not configured".into()))
            }
            _ if message.chat_id().is_wechat() => match &self.wechat {
                Some(wechat) => wechat.deliver(message).await,
                None => Err(DeliveryError::Permanent("wechat not configured".into())),
            },
            _ => self.telegram.deliver(message).await,
        }
    }
}

/// Sends notifications beyond Telegram and writes their timeline rows.
pub struct ReachPort {
    gateway: Gateway,
    store: Store,
    clock: Arc<dyn Clock>,
    /// Messages waiting for a rate limit, by their first step: each is
    /// logged once when it starts waiting, not at every try.
    waiting: Mutex<HashSet<(EscalationId, PersonId)>>,
}

impl ReachPort {
    async fn deliver(&self, message: &OutMessage) -> Result<(), DeliveryError> {
        let OutMessage::Reach {
            channel,
            to,
            text,
            steps,
            ..
        } = message
        else {
            return Err(DeliveryError::Permanent("not a notification".into()));
        };
        let outcome = self.send(*channel, to, text, steps).await;
        let first = steps
            .first()
            .map(|s| (s.escalation_id, s.person_id.clone()))
            .unwrap_or_default();
        let answer = match outcome {
            Err(GatewayError::RateLimited(wait)) => {
                self.waiting_for_limit(first);
                return Err(DeliveryError::RetryAfter(wait));
            }
            Err(error) if error.is_retryable() => {
                tracing::warn!(escalation_id = first.0.0, person = %first.1, %error, "gateway busy; will retry");
                let throttled = matches!(error, GatewayError::Rejected { .. });
                return Err(match throttled {
                    true => DeliveryError::RetryAfter(THROTTLED_RETRY),
                    false => DeliveryError::Transient(error.to_string()),
                });
            }
            other => other,
        };
        self.done_waiting(&first);
        if let Err(error) = self.on_timeline(*channel, steps, &answer).await {
            // The provider took it: sending again would page twice.
            tracing::error!(
                error = format!("{error:#}"),
                "could not record a notification"
            );
        }
        match answer {
            Ok(_) => Ok(()),
            Err(error) => Err(DeliveryError::Permanent(error.to_string())),
        }
    }

    async fn send(
        &self,
        channel: ReachChannel,
        to: &[Reachee],
        text: &str,
        steps: &[ReachStep],
    ) -> Result<GatewaySent, GatewayError> {
        let escalation_id = steps.first().map_or(EscalationId(0), |s| s.escalation_id);
        let phone = to.first().and_then(|p| p.phone.as_deref());
        let robot = match channel {
            ReachChannel::Wecom => RobotKind::Wecom,
            ReachChannel::Dingtalk => RobotKind::Dingtalk,
            ReachChannel::Feishu => RobotKind::Feishu,
            ReachChannel::Sms | ReachChannel::Voice => {
                let Some(phone) = phone else {
                    return Err(GatewayError::Disabled);
                };
                let via = match channel {
                    ReachChannel::Voice => GatewayChannel::Voice,
                    _ => GatewayChannel::Sms,
                };
                return self.gateway.send_via(via, phone, text, escalation_id).await;
            }
        };
        let mentions: Vec<Mention<'_>> = to
            .iter()
            .map(|p| Mention {
                name: &p.name,
                mobile: p.phone.as_deref(),
                feishu_id: p.feishu_id.as_deref(),
            })
            .collect();
        self.gateway.send_robot(robot, &mentions, text).await
    }

    /// "phoned" (with the provider's id) or "phone_failed" on the timeline
    /// of every escalation the message carries.
    async fn on_timeline(
        &self,
        channel: ReachChannel,
        steps: &[ReachStep],
        answer: &Result<GatewaySent, GatewayError>,
    ) -> anyhow::Result<()> {
        let now_ms = to_millis(self.clock.now());
        let via = channel.code();
        // A code; `texts` names it ("WeCom robot", "电话网关").
        let route = match channel.is_robot() {
            true => "robot",
            false => "gateway",
        };
        let mut tx = self.store.begin().await?;
        for step in steps {
            let (kind, detail) = match answer {
                Ok(sent) => (
                    TimelineKind::Phoned,
                    Detail::Phoned {
                        via: via.into(),
                        route: route.into(),
                        after: step.why.clone(),
                        provider_id: sent.provider_id.as_ref().map(|p| p.to_string()),
                    },
                ),
                Err(error) => (
                    TimelineKind::PhoneFailed,
                    Detail::SendFailed {
                        via: via.into(),
                        error: error.to_string(),
                    },
                ),
            };
            let detail = detail.code();
            tx.add_timeline(
                step.escalation_id,
                kind,
                step.person_id.as_str(),
                &detail,
                now_ms,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Logs "rate limited" once per message that starts waiting.
    fn waiting_for_limit(&self, key: (EscalationId, PersonId)) {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if waiting.len() > 10_000 {
            waiting.clear(); // stale keys of pages long gone; at worst one more line each
        }
        let (escalation_id, person) = key.clone();
        if waiting.insert(key) {
            tracing::warn!(escalation_id = escalation_id.0, %person, "phone gateway rate limited; the page waits");
        }
    }

    fn done_waiting(&self, key: &(EscalationId, PersonId)) {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.remove(key);
    }
}
