//! The duty group: a managers' Telegram group that gets every alert as well
//! as (or instead of) each person, with the same buttons. A press there
//! counts only when the presser is configured staff (the chat layer checks);
//! the group's 20 messages a minute are kept by the outbox's pacing of group
//! chats and by merging alerts into one still waiting.

use serde::Deserialize;

use crate::config::Person;
use crate::domain::{Lang, Role};

/// The id the group's alert rows are recorded under, in place of a person's.
pub const GROUP_ID: &str = "duty_group";

/// `[duty_group]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyGroupConfig {
    /// The group's chat id (negative, e.g. -1001234567890); 0: no group.
    pub chat_id: i64,
    /// "also": the group and each person; "instead": only the group.
    pub mode: DutyGroupMode,
    /// The language of alerts in the group.
    pub lang: Lang,
    /// The roles whose pages the group gets; empty: every alert.
    #[serde(default)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DutyGroupMode {
    Also,
    Instead,
}

impl DutyGroupConfig {
    /// Whether `chat_id` is the configured group.
    pub fn is(&self, chat_id: i64) -> bool {
        self.chat_id != 0 && self.chat_id == chat_id
    }

    /// Whether a page to `role` goes to the group too.
    pub fn wants(&self, role: Role) -> bool {
        self.chat_id != 0 && (self.roles.is_empty() || self.roles.contains(&role))
    }

    /// The group as an alert recipient, or `None` when there is none.
    pub fn recipient(&self) -> Option<Person> {
        (self.chat_id != 0).then(|| Person {
            id: GROUP_ID.to_owned(),
            name: "duty group".to_owned(),
            telegram_id: self.chat_id,
            username: None,
            phone: None,
            lang: self.lang,
            notify: Vec::new(),
            feishu_open_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_for_some_roles_gets_only_their_pages() {
        let mut g = crate::config::Config::default().duty_group;
        assert!(!g.wants(Role::DutyManager), "no group by default");
        g.chat_id = -100;
        assert!(g.wants(Role::DutyManager) && g.wants(Role::Director));
        g.roles = vec![Role::Director];
        assert!(g.wants(Role::Director) && !g.wants(Role::DutyManager));
        g.mode = DutyGroupMode::Instead;
        assert!(g.is(-100) && !g.is(0));
    }
}
