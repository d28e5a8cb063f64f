//! Notifications beyond Telegram as outbox payloads (issue 15): a text, a
//! call or a work-chat robot message is a row like any other, keyed by its
//! destination so one phone's (or one robot's) messages keep their order.

use crate::domain::{ChatId, EscalationId, PersonId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Keys at or below this are destinations beyond Telegram, never a chat:
/// Telegram's user ids are positive and its group ids are above -10^14.
pub const REACH_KEY_MAX: i64 = -(1 << 62);

/// How a notification travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReachChannel {
    Sms,
    Voice,
    Wecom,
    Dingtalk,
    Feishu,
}

impl ReachChannel {
    pub fn code(self) -> &'static str {
        match self {
            ReachChannel::Sms => "sms",
            ReachChannel::Voice => "voice",
            ReachChannel::Wecom => "wecom",
            ReachChannel::Dingtalk => "dingtalk",
            ReachChannel::Feishu => "feishu",
        }
    }

    /// A group robot (one destination for everyone), not a phone.
    pub fn is_robot(self) -> bool {
        !matches!(self, ReachChannel::Sms | ReachChannel::Voice)
    }
}

/// A person a notification is for: the phone's owner, or someone a robot
/// message @-mentions (`caller` for a caller's own SMS receipt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reachee {
    pub person_id: PersonId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Feishu's open_id (or user_id), for a real @-mention there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feishu_id: Option<String>,
}

/// One rule step a notification carries: goes on that escalation's
/// timeline once the provider has answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachStep {
    pub escalation_id: EscalationId,
    pub person_id: PersonId,
    /// A [`super::PhoneWhy`] code (`no_ack`, `refused`, `undelivered`);
    /// English prose in rows queued before the codes.
    pub why: String,
}

/// The outbox key of a destination: stable across processes and restarts
/// (a hash, not a counter), inside the range no Telegram chat uses.
pub fn reach_key(route: &str, destination: &str) -> ChatId {
    let digest = Sha256::digest(format!("{route}\n{destination}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    let spread = (u64::from_be_bytes(bytes) >> 4) as i64; // < 2^60
    ChatId(REACH_KEY_MAX - spread)
}

/// Whether an outbox key is a destination beyond Telegram.
pub fn is_reach_key(chat_id: ChatId) -> bool {
    chat_id.0 <= REACH_KEY_MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_distinct_and_never_a_telegram_chat() {
        let a = reach_key("phone", "+8613900000011");
        assert_eq!(a, reach_key("phone", "+8613900000011"));
        assert_ne!(a, reach_key("phone", "+8613900000012"));
        assert!(is_reach_key(a) && is_reach_key(reach_key("wecom", "")));
        assert!(!is_reach_key(ChatId(-1_001_234_567_890)) && !is_reach_key(ChatId(7)));
    }
}
