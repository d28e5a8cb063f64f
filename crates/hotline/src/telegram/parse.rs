//! Turns a teloxide `Update` into the intake's `Incoming`, once, at the edge.

use teloxide::types::{MaybeInaccessibleMessage, Message, Update, UpdateKind, User};

use crate::chat::callback::Callback;
use crate::domain::{From, Incoming, Input, Press};

fn from(user: &User) -> From {
    From {
        id: user.id.0 as i64,
        first_name: user.first_name.clone(),
        language_code: user.language_code.clone(),
    }
}

/// None for update kinds the hotline ignores (edited messages, channel posts, …).
pub fn incoming(update: &Update, bot_username: &str) -> Option<Incoming> {
    let update_id = i64::from(update.id.0);
    match &update.kind {
        UpdateKind::Message(message) => Some(Incoming {
            update_id,
            user: message.from.as_ref().map(from),
            chat_id: crate::domain::ChatId(message.chat.id.0),
            private: message.chat.is_private(),
            input: message_input(message, bot_username),
        }),
        UpdateKind::CallbackQuery(query) => {
            let (chat_id, message_id, message_text, private) = match &query.message {
                Some(MaybeInaccessibleMessage::Regular(m)) => (
                    m.chat.id.0,
                    Some(m.id.0),
                    m.text().map(str::to_string),
                    m.chat.is_private(),
                ),
                Some(MaybeInaccessibleMessage::Inaccessible(m)) => {
                    (m.chat.id.0, Some(m.message_id.0), None, m.chat.is_private())
                }
                None => (query.from.id.0 as i64, None, None, true),
            };
            Some(Incoming {
                update_id,
                user: Some(from(&query.from)),
                chat_id: crate::domain::ChatId(chat_id),
                private,
                input: Input::Button(Press {
                    callback_id: query.id.0.clone(),
                    callback: Callback::decode(query.data.as_deref().unwrap_or_default()),
                    message_id,
                    message_text,
                }),
            })
        }
        _ => None,
    }
}

fn message_input(message: &Message, bot_username: &str) -> Input {
    if let Some(text) = message.text() {
        return crate::chat::read_text(text, bot_username);
    }
    if let Some(contact) = message.contact() {
        let sender = message.from.as_ref().map(|u| u.id);
        let name = match &contact.last_name {
            Some(last) => format!("{} {last}", contact.first_name),
            None => contact.first_name.clone(),
        };
        return Input::Contact {
            phone: contact.phone_number.clone(),
            name: name.trim().to_string(),
            own: contact.user_id.is_some() && contact.user_id == sender,
        };
    }
    if let Some(location) = message.location() {
        return Input::Location {
            latitude: location.latitude,
            longitude: location.longitude,
        };
    }
    if let Some(photos) = message.photo() {
        // Telegram sends several sizes; the last is the largest.
        if let Some(largest) = photos.last() {
            return Input::Photo {
                file_id: largest.file.id.0.clone(),
                caption: message.caption().map(str::to_string),
            };
        }
    }
    Input::Unsupported
}
