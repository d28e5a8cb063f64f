//! What the bot says, as data: written to the outbox with the fact that caused
//! it, sent by the outbox worker. Nothing here knows teloxide; `crate::telegram`
//! translates.

use crate::domain::ChatId;
use serde::{Deserialize, Serialize};

/// Priority lanes: a lower number is sent first. A manager's alert never waits
/// behind resident replies, and replies never wait behind broadcasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lane {
    Alert = 0,
    Reply = 1,
    Broadcast = 2,
}

impl Lane {
    pub fn from_i64(v: i64) -> Lane {
        match v {
            0 => Lane::Alert,
            1 => Lane::Reply,
            _ => Lane::Broadcast,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlineButton {
    pub text: String,
    pub data: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyButtonKind {
    Plain,
    RequestContact,
    RequestLocation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyButton {
    pub text: String,
    pub kind: ReplyButtonKind,
}

/// The keyboard attached to a message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Keyboard {
    /// Leave whatever keyboard the chat shows as it is.
    #[default]
    Keep,
    /// Buttons under the message.
    Inline { rows: Vec<Vec<InlineButton>> },
    /// Big buttons replacing the phone's keyboard.
    Reply { rows: Vec<Vec<ReplyButton>> },
    /// Take the big buttons away.
    Remove,
}

impl Keyboard {
    pub fn inline(rows: Vec<Vec<InlineButton>>) -> Keyboard {
        Keyboard::Inline { rows }
    }
}

/// Later news for a resident, which may come after WeChat's 48-hour window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct News {
    pub kind: NewsKind,
    /// The ticket number(s), or for an incident update its compound.
    pub subject: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewsKind {
    Acknowledged,
    InProgress,
    Resolved,
    /// Staff's `/update` on an incident the resident reported.
    Incident,
}

/// One outgoing operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OutMessage {
    Send {
        chat_id: ChatId,
        text: String,
        #[serde(default)]
        keyboard: Keyboard,
        /// Sent without sound (non-urgent).
        #[serde(default)]
        silent: bool,
        /// A paid broadcast (`telegram.paid_broadcast`): Telegram lets these
        /// exceed the 30 messages/s limit, up to 1,000/s, for a fee. Left out
        /// of the stored form when false, so older rows decode unchanged.
        #[serde(default, skip_serializing_if = "is_false")]
        paid: bool,
        /// What the message tells a resident about their report or
        /// incident, when it is such news: a WeChat resident whose window
        /// has closed gets it as a template message. Left out of the stored
        /// form when None, so older rows decode unchanged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        news: Option<News>,
    },
    /// Rewrites an earlier message in place, e.g. to take away its buttons once pressed.
    Edit {
        chat_id: ChatId,
        message_id: i32,
        text: String,
        /// Only `Inline` or `Keep` (no buttons) make sense for an edit.
        #[serde(default)]
        keyboard: Keyboard,
    },
    /// Photos residents sent, by Telegram file id, shown to staff: one
    /// photo, or an album of 2 to 10 (the outbox cuts longer lists); the
    /// caption goes under the first.
    Photos {
        chat_id: ChatId,
        file_ids: Vec<String>,
        #[serde(default)]
        caption: String,
    },
    /// A picture the bot drew (the daily digest's chart), uploaded as a
    /// photo; kept in the outbox row as base64. The caption keeps to
    /// Telegram's `MAX_CAPTION_UNITS` (`outbox::limits`; the writer's duty:
    /// it is not cut).
    Image {
        chat_id: ChatId,
        #[serde(with = "base64_bytes")]
        png: Vec<u8>,
        #[serde(default)]
        caption: String,
    },
    /// A map pin with a title and the address, where a resident shared
    /// their location.
    Place {
        chat_id: ChatId,
        latitude: f64,
        longitude: f64,
        title: String,
        address: String,
    },
    /// The command menu Telegram shows in this one chat (per-chat scope):
    /// staff get theirs, a resident's follows their `/lang` choice.
    Menu {
        chat_id: ChatId,
        /// (command without the slash, description), in the chat's language.
        commands: Vec<(String, String)>,
    },
    /// A notification beyond Telegram (see `domain::reach`): an SMS or a
    /// call to one phone, or a robot's message to a work-chat group that
    /// @-mentions everyone in `to`. `chat_id` is the destination's key.
    Reach {
        chat_id: ChatId,
        channel: super::ReachChannel,
        to: Vec<super::Reachee>,
        text: String,
        steps: Vec<super::ReachStep>,
    },
}

impl OutMessage {
    pub fn text(chat_id: ChatId, text: impl Into<String>) -> OutMessage {
        OutMessage::Send {
            chat_id,
            text: text.into(),
            keyboard: Keyboard::Keep,
            silent: false,
            paid: false,
            news: None,
        }
    }

    /// A broadcast copy Telegram may deliver beyond its free rate, for a fee.
    pub fn paid(chat_id: ChatId, text: impl Into<String>) -> OutMessage {
        OutMessage::Send {
            chat_id,
            text: text.into(),
            keyboard: Keyboard::Keep,
            silent: false,
            paid: true,
            news: None,
        }
    }

    /// A text that is `news` for the resident in `chat_id`.
    pub fn news(chat_id: ChatId, text: impl Into<String>, news: News) -> OutMessage {
        let mut message = OutMessage::text(chat_id, text);
        if let OutMessage::Send { news: n, .. } = &mut message {
            *n = Some(news);
        }
        message
    }

    /// The same message marked as `news`, if it is a text.
    pub fn with_news(mut self, news: News) -> OutMessage {
        if let OutMessage::Send { news: n, .. } = &mut self {
            *n = Some(news);
        }
        self
    }

    /// Whether this is a paid broadcast.
    pub fn is_paid(&self) -> bool {
        matches!(self, OutMessage::Send { paid: true, .. })
    }

    pub fn with_keyboard(
        chat_id: ChatId,
        text: impl Into<String>,
        keyboard: Keyboard,
    ) -> OutMessage {
        OutMessage::Send {
            chat_id,
            text: text.into(),
            keyboard,
            silent: false,
            paid: false,
            news: None,
        }
    }

    /// The text or caption a person reads, if the message has one.
    pub fn text_shown(&self) -> Option<&str> {
        match self {
            OutMessage::Send { text, .. } | OutMessage::Edit { text, .. } => Some(text),
            OutMessage::Photos { caption, .. } | OutMessage::Image { caption, .. } => Some(caption),
            OutMessage::Place { title, .. } => Some(title),
            OutMessage::Menu { .. } => None,
            OutMessage::Reach { text, .. } => Some(text),
        }
    }

    pub fn chat_id(&self) -> ChatId {
        match self {
            OutMessage::Send { chat_id, .. }
            | OutMessage::Edit { chat_id, .. }
            | OutMessage::Photos { chat_id, .. }
            | OutMessage::Image { chat_id, .. }
            | OutMessage::Place { chat_id, .. }
            | OutMessage::Menu { chat_id, .. }
            | OutMessage::Reach { chat_id, .. } => *chat_id,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Bytes as one base64 string in the stored JSON.
mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
