//! A reply from a manager's phone ("1" acknowledges, "2" resolves) does what
//! the Telegram buttons do, once: the reply is recorded by its provider id in
//! the same transaction, so a replayed request changes nothing. It goes on the
//! escalation's timeline, and every Telegram copy of the alert is edited to
//! show who acted.

use chrono::{DateTime, Utc};

use super::{Acted, Escalator};
use crate::clock::to_millis;
use crate::config::Person;
use crate::domain::{EscalationId, Lang};
use crate::gateway::inbound::ReplyAction;
use crate::gateway::{GatewayChannel, MAX_TEXT_CHARS};
use crate::store::Store;
use crate::texts::paging as texts;

/// A reply, read and authenticated, from a configured person.
#[derive(Debug, Clone)]
pub struct PhoneReply<'a> {
    pub person: &'a Person,
    pub action: ReplyAction,
    /// Named in the reply or the call; else the last one phoned to them.
    pub escalation: Option<EscalationId>,
    pub provider_id: &'a str,
    /// "sms" or "voice", for the timeline.
    pub channel: &'static str,
}

/// What a reply came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replied {
    Done {
        escalation_id: EscalationId,
    },
    /// Seen before: nothing changed.
    Replay,
    /// Already acknowledged or resolved, or no escalation to act on.
    Nothing,
}

impl Escalator {
    /// With replies on, a page ends with how to reply; the alert is cut
    /// first so the hint survives the gateway's length limit.
    pub(super) fn with_reply_hint(
        &self,
        text: String,
        lang: Lang,
        escalation_id: EscalationId,
        channel: GatewayChannel,
    ) -> String {
        if !self.config.phone_replies.enabled {
            return text;
        }
        let hint = match channel {
            GatewayChannel::Sms => texts::sms_reply_hint(lang, escalation_id),
            GatewayChannel::Voice => texts::voice_key_prompt(lang).to_owned(),
        };
        let room = MAX_TEXT_CHARS.saturating_sub(hint.chars().count() + 1);
        let text = text.trim();
        let body = if text.chars().count() > room {
            let mut cut: String = text.chars().take(room.saturating_sub(1)).collect();
            cut.push('…');
            cut
        } else {
            text.to_owned()
        };
        format!("{body}\n{hint}")
    }

    /// Applies one reply; see the module's comment.
    pub async fn phone_reply(
        &self,
        store: &Store,
        reply: &PhoneReply<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Replied> {
        let now_ms = to_millis(now);
        let person = reply.person;
        let mut tx = store.begin().await?;
        if !tx
            .record_phone_reply(reply.provider_id, &person.id, now_ms)
            .await?
        {
            return Ok(Replied::Replay);
        }
        let id = match reply.escalation {
            Some(id) => Some(id),
            None => tx.last_phoned_escalation(&person.id).await?,
        };
        let Some(id) = id else {
            tx.commit().await?;
            return Ok(Replied::Nothing);
        };
        let (code, acted) = match reply.action {
            ReplyAction::Acknowledge => ("1", self.acknowledge(&mut tx, id, person, now).await?),
            ReplyAction::Resolve => ("2", self.resolve(&mut tx, id, person, "", now).await?),
        };
        if acted != Acted::NotFound {
            let detail = crate::domain::Detail::Reply {
                channel: reply.channel.to_owned(),
                code: code.to_owned(),
            }
            .code();
            tx.add_timeline(
                id,
                crate::domain::TimelineKind::PhoneReply,
                person.id.as_str(),
                &detail,
                now_ms,
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(escalation_id = id.0, person = %person.id, channel = reply.channel, ?acted, "phone reply");
        Ok(match acted {
            Acted::Done => Replied::Done { escalation_id: id },
            _ => Replied::Nothing,
        })
    }
}
