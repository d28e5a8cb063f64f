//! Typed text read once at the edge: a slash command (addressed to us), one
//! of the big keyboard buttons (read as its command), or plain text.

use crate::domain::command::{Command, ResidentCommand};
use crate::domain::input::Input;
use crate::texts;

/// Reads a text message: commands, the big keyboard buttons, or plain text.
pub fn read_text(text: &str, bot_username: &str) -> Input {
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
            read_text("/status JN-260209-0001", "bot"),
            cmd("status", "JN-260209-0001")
        );
        assert_eq!(read_text("/Report@bot", "bot"), cmd("report", ""));
        assert_eq!(read_text(texts::CANCEL_BUTTON, "bot"), cmd("cancel", ""));
        assert_eq!(
            read_text("/start@otherbot", "bot"),
            Input::Text("/start@otherbot".into())
        );
        assert_eq!(read_text("no water", "bot"), Input::Text("no water".into()));
    }
}
