//! The on-call settings: the staff who can be paged, the roles' display
//! names, and the rotations as written. Their errors name the setting's
//! dotted key; the loader adds the file or variable that set it. Who holds
//! a role when is `crate::oncall`.

use serde::Deserialize;

use super::notify::NotifyRule;
use crate::domain::{ChatId, Lang, PersonId, Role};

/// Display names of the on-call roles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleNames {
    pub operator: String,
    pub duty_manager: String,
    pub director: String,
    pub supervisor: String,
}

impl RoleNames {
    pub fn of(&self, role: Role) -> &str {
        match role {
            Role::Operator => &self.operator,
            Role::DutyManager => &self.duty_manager,
            Role::Director => &self.director,
            Role::Supervisor => &self.supervisor,
        }
    }
}

/// A member of staff: who may use manager actions and who can be paged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Stable key rotations and overrides refer to.
    pub id: PersonId,
    pub name: String,
    /// Their Telegram user id: the only way the bot recognises staff.
    /// Omitted (0): not linked yet; `hotline staff invite <id>` prints a
    /// one-time link that records it in the database when opened.
    #[serde(default)]
    pub telegram_id: i64,
    /// Telegram @username, to name them in chat commands (optional).
    #[serde(default)]
    pub username: Option<String>,
    /// For the SMS/voice fallback (optional).
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub lang: Lang,
    /// How alerts still unacknowledged reach them beyond Telegram, e.g.
    /// `[{ via = "sms", after = "1m" }, { via = "voice", after = "3m" }]`.
    /// Empty: the site-wide default (`gateway.channel` after `gateway.after`).
    #[serde(default)]
    pub notify: Vec<NotifyRule>,
    /// Their Feishu open_id (`ou_…`) or user_id, so a Feishu bot message
    /// @-mentions them (optional; without it the message names them).
    #[serde(default)]
    pub feishu_open_id: Option<String>,
}

/// Who holds a role when: hand-off instants (cron, city time zone) and the
/// ordered people who take turns, counted from `start`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationConfig {
    pub name: String,
    pub role: Role,
    /// Cron expressions with 5 fields (minute hour day month weekday) or 6
    /// (seconds first); weekdays by name (Mon-Fri).
    pub handoffs: Vec<String>,
    /// Person ids, in turn order.
    pub people: Vec<PersonId>,
    /// City-local "YYYY-MM-DD HH:MM": the first person's shift starts here.
    pub start: String,
}

/// The staff directory `/oncall` shows: role names and people.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    pub roles: RoleNames,
    pub people: Vec<Person>,
}

impl Staff {
    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        self.people.iter().find(|p| &p.id == id)
    }
}

/// A bad on-call setting, at a dotted key such as `rotations[1].handoffs[0]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key `{key}`: {message}")]
pub struct SettingError {
    pub key: String,
    pub message: String,
}

impl SettingError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> SettingError {
        SettingError {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl Person {
    /// Their private chat with the bot: Telegram numbers it as their user id.
    pub fn chat(&self) -> ChatId {
        ChatId(self.telegram_id)
    }
}
