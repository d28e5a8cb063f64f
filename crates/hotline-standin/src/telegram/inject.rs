//! Injecting what residents do (type, share a contact, press a button) as updates for
//! `getUpdates`, shaped like Telegram's so that teloxide parses them into the same
//! `UpdateKind`/`MessageKind` variants as in production.

use serde_json::{Map, Value, json};

use super::{FakeUser, StandIn, state::State, unix_now};

/// Callback query ids are derived from the update id, so a caller holding the update id
/// (from `press_button`) can always name the query.
const CALLBACK_ID_BASE: i64 = 4_000_000_000_000_000;

impl StandIn {
    /// A text message in the private chat. A leading `/command` gets a `bot_command`
    /// entity, as Telegram's clients add one.
    pub fn send_text(&self, from: &FakeUser, text: &str) -> i64 {
        self.inject_message(from.private_chat_json(), from, |m| put_text(m, text))
    }

    /// A text message in a group chat (`group_chat_id` negative; chat type "group").
    pub fn send_text_in_group(&self, from: &FakeUser, group_chat_id: i64, text: &str) -> i64 {
        let chat = json!({"id": group_chat_id, "type": "group", "title": format!("Group {group_chat_id}")});
        self.inject_message(chat, from, |m| put_text(m, text))
    }

    /// The resident shares their own contact (what a `request_contact` button sends).
    pub fn send_contact(&self, from: &FakeUser, phone: &str) -> i64 {
        let contact =
            json!({"phone_number": phone, "first_name": from.first_name, "user_id": from.id});
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("contact".into(), contact);
        })
    }

    /// Someone else's contact card forwarded by `from` (`user_id` None: a
    /// phone-book entry with no Telegram account behind it).
    pub fn send_contact_card(
        &self,
        from: &FakeUser,
        phone: &str,
        first_name: &str,
        user_id: Option<i64>,
    ) -> i64 {
        let mut contact = json!({"phone_number": phone, "first_name": first_name});
        if let Some(id) = user_id {
            contact["user_id"] = json!(id);
        }
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("contact".into(), contact);
        })
    }

    /// A location pin (what a `request_location` button sends).
    pub fn send_location(&self, from: &FakeUser, lat: f64, lon: f64) -> i64 {
        let location = json!({"latitude": lat, "longitude": lon});
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("location".into(), location);
        })
    }

    /// A photo; `file_id` is the id of the largest size, a thumbnail is added as Telegram does.
    pub fn send_photo(&self, from: &FakeUser, file_id: &str, caption: Option<&str>) -> i64 {
        let sizes = json!([
            {"file_id": format!("{file_id}-thumb"), "file_unique_id": format!("t-{file_id}"),
             "file_size": 1200, "width": 90, "height": 67},
            {"file_id": file_id, "file_unique_id": format!("u-{file_id}"),
             "file_size": 81_000, "width": 1280, "height": 960},
        ]);
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("photo".into(), sizes);
            if let Some(c) = caption {
                m.insert("caption".into(), json!(c));
            }
        })
    }

    /// A regular static sticker: something the bot does not expect in a form.
    pub fn send_sticker(&self, from: &FakeUser) -> i64 {
        let sticker = json!({
            "file_id": "CAACAgIAAxkBAAEstandin", "file_unique_id": "AgADstandin", "file_size": 20_000,
            "width": 512, "height": 512, "type": "regular", "is_animated": false, "is_video": false,
            "emoji": "\u{1F44D}", "set_name": "standin_pack",
        });
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("sticker".into(), sticker);
        })
    }

    /// A voice note: residents send these instead of typing.
    pub fn send_voice(&self, from: &FakeUser) -> i64 {
        let voice = json!({
            "file_id": "AwACAgIAAxkBAAEvoice", "file_unique_id": "AgADvoice", "file_size": 9_000,
            "duration": 4, "mime_type": "audio/ogg",
        });
        self.inject_message(from.private_chat_json(), from, |m| {
            m.insert("voice".into(), voice);
        })
    }

    /// The resident presses an inline button under message `message_id` of their private
    /// chat. Returns the update id; the callback query id is `StandIn::callback_id(update_id)`
    /// (also available as `last_callback_id()`).
    pub fn press_button(&self, from: &FakeUser, message_id: i32, data: &str) -> i64 {
        self.press_button_in(from, from.id, message_id, data)
    }

    /// Like `press_button`, for a message in any chat (e.g. a group).
    pub fn press_button_in(
        &self,
        from: &FakeUser,
        chat_id: i64,
        message_id: i32,
        data: &str,
    ) -> i64 {
        let mut state = self.shared().lock();
        let message = match state.find_message(chat_id, i64::from(message_id)) {
            Some(stored) => stored.json.clone(),
            None => {
                json!({"message_id": message_id, "date": unix_now(), "chat": state.chat_json(chat_id)})
            }
        };
        let next = state.updates.last_id() + 1;
        let query = json!({
            "id": Self::callback_id(next), "from": from.user_json(), "message": message,
            "chat_instance": format!("{}", chat_id.wrapping_mul(7919)), "data": data,
        });
        let update_id = state.updates.push("callback_query", query);
        state.last_callback_id = Some(Self::callback_id(update_id));
        drop(state);
        self.shared().updates_ready.notify_waiters();
        update_id
    }

    /// The callback query id of the callback update `update_id` (see `press_button`).
    pub fn callback_id(update_id: i64) -> String {
        (CALLBACK_ID_BASE + update_id).to_string()
    }

    /// The id of the most recent callback query injected by `press_button`.
    pub fn last_callback_id(&self) -> Option<String> {
        self.shared().lock().last_callback_id.clone()
    }

    /// Queues update `update_id` again with the same id, even if the bot confirmed it —
    /// what Telegram does when a bot crashed before its next `getUpdates`. Returns false
    /// for an id never handed out.
    pub fn redeliver(&self, update_id: i64) -> bool {
        let found = self.shared().lock().updates.redeliver(update_id);
        self.shared().updates_ready.notify_waiters();
        found
    }

    /// The id of the newest injected update.
    pub fn last_update_id(&self) -> i64 {
        self.shared().lock().updates.last_id()
    }

    /// The update a text message in the private chat would be, with a fresh
    /// update id, returned instead of queued for `getUpdates`: what Telegram
    /// would post to a webhook.
    pub fn make_text_update(&self, from: &FakeUser, text: &str) -> Value {
        let chat = from.private_chat_json();
        let mut state = self.shared().lock();
        let message = message_json(&mut state, chat, from, |m| put_text(m, text));
        state.updates.mint("message", message)
    }

    /// Like [`StandIn::make_text_update`], for pressing an inline button under
    /// `message_id` of the private chat.
    pub fn make_button_update(&self, from: &FakeUser, message_id: i32, data: &str) -> Value {
        let mut state = self.shared().lock();
        let message = match state.find_message(from.id, i64::from(message_id)) {
            Some(stored) => stored.json.clone(),
            None => {
                json!({"message_id": message_id, "date": unix_now(), "chat": from.private_chat_json()})
            }
        };
        let next = state.updates.last_id() + 1;
        let query = json!({
            "id": Self::callback_id(next), "from": from.user_json(), "message": message,
            "chat_instance": format!("{}", from.id.wrapping_mul(7919)), "data": data,
        });
        state.updates.mint("callback_query", query)
    }

    /// Queues a `message` update from `from` in `chat`; `fill` adds the content.
    fn inject_message(
        &self,
        chat: Value,
        from: &FakeUser,
        fill: impl FnOnce(&mut Map<String, Value>),
    ) -> i64 {
        let mut state = self.shared().lock();
        let message = message_json(&mut state, chat, from, fill);
        let update_id = state.updates.push("message", message);
        drop(state);
        self.shared().updates_ready.notify_waiters();
        update_id
    }
}

/// A `Message` from `from` in `chat` (remembered, so the bot's answers carry it).
fn message_json(
    state: &mut State,
    chat: Value,
    from: &FakeUser,
    fill: impl FnOnce(&mut Map<String, Value>),
) -> Value {
    let chat_id = chat["id"].as_i64().unwrap_or(from.id);
    state.remember_chat(&chat);
    let mut message = Map::new();
    message.insert("message_id".into(), json!(state.next_message_id(chat_id)));
    message.insert("date".into(), json!(unix_now()));
    message.insert("chat".into(), chat);
    message.insert("from".into(), from.user_json());
    fill(&mut message);
    Value::Object(message)
}

fn put_text(message: &mut Map<String, Value>, text: &str) {
    message.insert("text".into(), json!(text));
    if let Some(command) = text.strip_prefix('/') {
        let word = command.split_whitespace().next().unwrap_or_default();
        let length = 1 + word.encode_utf16().count();
        message.insert(
            "entities".into(),
            json!([{"type": "bot_command", "offset": 0, "length": length}]),
        );
    }
}
