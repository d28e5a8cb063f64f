//! `[duty_group]` and `[[duty_groups]]`: managers' Telegram groups that get
//! alerts (what they get is `crate::escalation::duty_group`).

use serde::Deserialize;

use crate::domain::{ChatId, Lang, Role};

/// `[duty_group]`, and each entry of `[[duty_groups]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyGroupConfig {
    /// The group's chat id (negative, e.g. -1001234567890); 0: no group.
    pub chat_id: ChatId,
    /// "also": the group and each person; "instead": only the group.
    #[serde(default)]
    pub mode: DutyGroupMode,
    /// The language of alerts in the group.
    #[serde(default)]
    pub lang: Lang,
    /// The roles whose pages the group gets; empty: every alert.
    #[serde(default)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DutyGroupMode {
    #[default]
    Also,
    Instead,
}

impl DutyGroupConfig {
    /// Whether `chat_id` is this group.
    pub fn is(&self, chat_id: ChatId) -> bool {
        self.chat_id != ChatId(0) && self.chat_id == chat_id
    }

    /// Whether a page to `role` goes to the group too.
    pub fn wants(&self, role: Role) -> bool {
        self.chat_id != ChatId(0) && (self.roles.is_empty() || self.roles.contains(&role))
    }
}
