//! What handling one update produces besides its own writes: the messages to
//! put into the outbox, the small notice answering a button press, and
//! whether the escalation engine should look again.

use super::OutMessage;
use crate::domain::ChatId;

#[derive(Debug, Default)]
pub struct Reply {
    pub messages: Vec<OutMessage>,
    /// Shown as a small notice on the presser's screen.
    pub callback_text: Option<String>,
    /// An escalation, zone or override changed: wake the engine.
    pub changed: bool,
    /// These messages make any earlier ones of the same key to the chat
    /// obsolete (a re-asked question, a second "slow down"): those not yet
    /// tried are dropped instead of sent.
    pub supersede: Option<&'static str>,
}

impl Reply {
    /// One plain message.
    pub fn say(chat_id: ChatId, text: impl Into<String>) -> Reply {
        Reply::messages(vec![OutMessage::text(chat_id, text)])
    }

    pub fn messages(messages: Vec<OutMessage>) -> Reply {
        Reply {
            messages,
            ..Reply::default()
        }
    }

    /// Only the notice under a pressed button.
    pub fn notice(text: impl Into<String>) -> Reply {
        Reply {
            callback_text: Some(text.into()),
            ..Reply::default()
        }
    }

    pub fn changed(mut self) -> Reply {
        self.changed = true;
        self
    }
}
