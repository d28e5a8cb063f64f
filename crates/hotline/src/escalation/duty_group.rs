//! Duty groups: managers' Telegram groups that get alerts as well as (or
//! instead of) each person, with the same buttons. `[duty_group]` names one
//! group (for every alert, or for some roles); `[[duty_groups]]` adds more,
//! e.g. one group per role. A press there counts only when the presser is
//! configured staff (the chat layer checks); a group's 20 messages a minute
//! are kept by the outbox's pacing of group chats and by merging alerts
//! into one still waiting.

use crate::config::{Config, Person};
pub use crate::config::{DutyGroupConfig, DutyGroupMode};
use crate::domain::{ChatId, PersonId, Role};

/// The id the `[duty_group]`'s alert rows are recorded under, in place of a
/// person's; each of `[[duty_groups]]` is this id followed by its chat id.
pub const GROUP_ID: &str = "duty_group";

impl DutyGroupConfig {
    /// The group as an alert recipient under `id`, or `None` when there is none.
    fn recipient(&self, id: PersonId) -> Option<Person> {
        (self.chat_id != ChatId(0)).then(|| Person {
            id,
            name: "duty group".to_owned(),
            telegram_id: self.chat_id.0,
            username: None,
            phone: None,
            lang: self.lang,
            notify: Vec::new(),
            feishu_open_id: None,
        })
    }
}

/// Every configured group with its recipient.
#[derive(Debug, Clone, Default)]
pub struct DutyGroups(Vec<(DutyGroupConfig, Person)>);

impl DutyGroups {
    pub fn from_config(c: &Config) -> DutyGroups {
        let first = (c.duty_group.recipient(GROUP_ID.into())).map(|p| (c.duty_group.clone(), p));
        let more = c.duty_groups.iter().filter_map(|g| {
            let id = format!("{GROUP_ID}{}", g.chat_id);
            g.recipient(id.into()).map(|p| (g.clone(), p))
        });
        DutyGroups(first.into_iter().chain(more).collect())
    }

    /// The groups a page to `role` goes to.
    pub fn wanting(&self, role: Role) -> impl Iterator<Item = &Person> {
        self.0
            .iter()
            .filter(move |(g, _)| g.wants(role))
            .map(|(_, p)| p)
    }

    /// Whether a page to `role` goes only to a group, not to the person.
    pub fn instead(&self, role: Role) -> bool {
        (self.0.iter()).any(|(g, _)| g.wants(role) && g.mode == DutyGroupMode::Instead)
    }

    /// A group by its recipient id.
    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        self.0.iter().map(|(_, p)| p).find(|p| &p.id == id)
    }
}

/// Whether `chat_id` is one of the configured duty groups.
pub fn is_duty_group(c: &Config, chat_id: ChatId) -> bool {
    c.duty_group.is(chat_id) || c.duty_groups.iter().any(|g| g.is(chat_id))
}

/// Whether an alert recipient id is a group's (a group has no phone).
pub fn is_group_id(id: &PersonId) -> bool {
    let id = id.as_str();
    id == GROUP_ID
        || id
            .strip_prefix(GROUP_ID)
            .is_some_and(|rest| rest.parse::<i64>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_for_some_roles_gets_only_their_pages() {
        let mut g = crate::config::Config::default().duty_group;
        assert!(!g.wants(Role::DutyManager), "no group by default");
        g.chat_id = ChatId(-100);
        assert!(g.wants(Role::DutyManager) && g.wants(Role::Director));
        g.roles = vec![Role::Director];
        assert!(g.wants(Role::Director) && !g.wants(Role::DutyManager));
        g.mode = DutyGroupMode::Instead;
        assert!(g.is(ChatId(-100)) && !g.is(ChatId(0)));
    }

    #[test]
    fn a_group_per_role_beside_the_one_for_every_alert() {
        let c = Config::from_override_str(
            "[duty_group]\nchat_id = -1\n\
             [[duty_groups]]\nchat_id = -2\nroles = [\"director\"]\nmode = \"instead\"\n\
             [[duty_groups]]\nchat_id = -3\nroles = [\"duty_manager\"]\n",
            "test",
        )
        .unwrap();
        let groups = DutyGroups::from_config(&c);
        let ids = |role| {
            groups
                .wanting(role)
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(Role::Director), ["duty_group", "duty_group-2"]);
        assert_eq!(ids(Role::DutyManager), ["duty_group", "duty_group-3"]);
        assert!(groups.instead(Role::Director) && !groups.instead(Role::DutyManager));
        assert!(
            is_duty_group(&c, ChatId(-3))
                && !is_duty_group(&c, ChatId(-4))
                && !is_duty_group(&c, ChatId(0))
        );
        let is_group = |id: &str| is_group_id(&PersonId::from(id));
        assert!(is_group("duty_group-2") && is_group(GROUP_ID) && !is_group("wang"));
        let third = PersonId::from("duty_group-3");
        assert_eq!(groups.person(&third).unwrap().telegram_id, -3);
    }
}
