//! An update as the chat layer sees it: parsed once by `crate::telegram`, no
//! teloxide types past this point.

use super::callback::Callback;
use super::command::{Command, ResidentCommand};
use crate::domain::Lang;
use crate::texts;

#[derive(Debug, Clone)]
pub struct Incoming {
    pub update_id: i64,
    pub user: Option<From>,
    pub chat_id: i64,
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
    Contact {
        phone: String,
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
    /// The button's data, decoded once by `crate::chat::callback`.
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

impl Input {
    /// Reads a text message: commands, the big keyboard buttons, or plain text.
    pub fn from_text(text: &str, bot_username: &str) -> Input {
        let trimmed = text.trim();
        if let Some(body) = trimmed.strip_prefix('/') {
            let (word, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            let (name, addressee) = word.split_once('@').unwrap_or((word, ""));
            if addressee.is_empty() || addressee.eq_ignore_ascii_case(bot_username) {
                return Input::Command {
                    command: Command::parse(name),
                    args: args.trim().to_string(),
                };
            }
        }
        let command = match trimmed {
            texts::REPORT_BUTTON => ResidentCommand::Report,
            texts::MY_REPORTS_BUTTON => ResidentCommand::My,
            texts::CANCEL_BUTTON => ResidentCommand::Cancel,
            _ => return Input::Text(text.to_string()),
        };
        Input::Command {
            command: Command::Resident(command),
            args: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_buttons_and_text_are_told_apart() {
        let cmd = |n: &str, a: &str| Input::Command {
            command: Command::parse(n),
            args: a.into(),
        };
        assert_eq!(
            Input::from_text("/status JN-260209-0001", "bot"),
            cmd("status", "JN-260209-0001")
        );
        assert_eq!(Input::from_text("/Report@bot", "bot"), cmd("report", ""));
        assert_eq!(
            Input::from_text(texts::CANCEL_BUTTON, "bot"),
            cmd("cancel", "")
        );
        assert_eq!(
            Input::from_text("/start@otherbot", "bot"),
            Input::Text("/start@otherbot".into())
        );
        assert_eq!(
            Input::from_text("no water", "bot"),
            Input::Text("no water".into())
        );
    }

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
