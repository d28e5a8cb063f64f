//! Command menus that fit each person (Telegram's per-chat command scope):
//! staff get the console's commands in their configured language; a
//! resident's menu follows their `/lang` choice rather than their phone's
//! language. Set through the outbox, so a crash between choosing and
//! setting loses nothing.

use crate::config::Config;
use crate::domain::{ChatId, Lang};
use crate::outbox::OutMessage;

/// The menu for the private chat `chat_id` of Telegram user `user_id`:
/// staff (by `[[people]]`) get theirs in their own language, anyone else
/// the residents' menu in `lang`.
pub fn menu_for(config: &Config, user_id: i64, chat_id: ChatId, lang: Lang) -> OutMessage {
    let staff = config.people.iter().find(|p| p.telegram_id == user_id);
    let commands = match staff {
        Some(person) => crate::texts::setup::staff_commands(person.lang),
        None => crate::texts::commands(lang),
    };
    OutMessage::Menu {
        chat_id,
        commands: commands
            .into_iter()
            .map(|(c, d)| (c.to_owned(), d.to_owned()))
            .collect(),
    }
}

/// Whether `user_id` is configured staff (their `/start` sets their menu).
pub fn is_staff(config: &Config, user_id: i64) -> bool {
    config.people.iter().any(|p| p.telegram_id == user_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::{Command, StaffCommand};

    #[test]
    fn every_staff_menu_entry_is_a_command_staff_can_run() {
        for lang in [Lang::Zh, Lang::En] {
            for (name, _) in crate::texts::setup::staff_commands(lang) {
                let command = Command::parse(name);
                assert!(
                    matches!(command, Command::Staff(_) | Command::Resident(_)),
                    "{name}"
                );
            }
        }
        let listed = crate::texts::setup::staff_commands(Lang::En);
        for (name, _) in StaffCommand::NAMES {
            assert!(
                listed.iter().any(|(n, _)| *n == name),
                "{name} not in the menu"
            );
        }
    }
}
