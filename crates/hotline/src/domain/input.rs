//! An update as the chat layer sees it: parsed once at the edge (by
//! `crate::telegram`, with `crate::chat::read_text` for typed text), no
//! teloxide types past this point.

use super::Lang;
use super::callback::Callback;
use super::command::Command;
use crate::domain::ChatId;

#[derive(Debug, Clone)]
pub struct Incoming {
    pub update_id: i64,
    pub user: Option<From>,
    pub chat_id: ChatId,
    /// False for groups and channels: residents are asked to write privately.
    pub private: bool,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub struct From {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `/name args`; the big buttons' texts are read as their commands.
    Command {
        command: Command,
        args: String,
    },
    Text(String),
    /// A shared contact card. `own` only when its `user_id` is the
    /// sender's: any other card (a relative's, or one with no user id) may
    /// be used as a number to call, never as the sender's own.
    Contact {
        phone: String,
        name: String,
        own: bool,
    },
    Location {
        latitude: f64,
        longitude: f64,
    },
    Photo {
        file_id: String,
        caption: Option<String>,
    },
    Button(Press),
    /// Stickers, voice, video, documents…: anything we cannot use.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Press {
    pub callback_id: String,
    /// The button's data, decoded once by `crate::domain::callback`.
    pub callback: Callback,
    /// The message the button was under, if Telegram still has it.
    pub message_id: Option<i32>,
    pub message_text: Option<String>,
}

impl From {
    /// The language the resident's Telegram app is set to, if we speak it:
    /// the first guess until they choose with `/lang`.
    pub fn client_lang(&self) -> Option<Lang> {
        let code = self.language_code.as_deref()?.to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        Lang::parse(primary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_language_is_a_first_guess() {
        let user = |code: Option<&str>| From {
            id: 1,
            first_name: "John".into(),
            language_code: code.map(str::to_string),
        };
        assert_eq!(user(Some("en")).client_lang(), Some(Lang::En));
        assert_eq!(user(Some("en-GB")).client_lang(), Some(Lang::En));
        assert_eq!(user(Some("zh-hans")).client_lang(), Some(Lang::Zh));
        assert_eq!(user(Some("ru")).client_lang(), None);
        assert_eq!(user(None).client_lang(), None);
    }
}
