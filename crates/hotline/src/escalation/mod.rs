//! Escalation: who must be woken, and when. The rules ([`rules::decide`]) and
//! the chain ([`chain::next`]) are pure; [`Escalator`] applies them inside the
//! caller's transaction, writing the escalation, its timeline and the alerts
//! (outbox rows) together with the fact that caused them.
//!
//! The engine's named parts, one file each (as GoAlert's `engine/`):
//! - `opening`: a stored report opens an escalation or joins one;
//! - `walking`: the chain's steps, paging whoever is present, moving on at
//!   once past a step nobody can answer;
//! - `actions`: what staff do to an escalation (acknowledge, progress,
//!   resolve, escalate now, details);
//! - `alerts` and `bundle`: the messages a manager's phone shows, sent at
//!   once, merged only into one still waiting, never over Telegram's sizes;
//! - `duty_group`: the managers' group that gets alerts too;
//! - `notices`: quiet notices held until the quiet hours end;
//! - `media`: residents' photos and places, shown to staff;
//! - `heartbeat`: the dead man's switch the engine calls while it works;
//! - `phone`: the SMS/voice fallback, and `phone_reply`: a manager's reply
//!   from that phone; `engine`: the loop that runs the timed parts.

mod actions;
mod alerts;
pub mod bundle;
pub mod chain;
pub mod duty_group;
pub mod engine;
pub mod heartbeat;
pub mod media;
mod notices;
mod opening;
mod phone;
pub mod phone_reply;
mod reach;
mod receipts;
pub mod rules;
mod walking;

use std::sync::Arc;

use crate::config::{Config, Person};
use crate::domain::PersonId;
use crate::oncall::OnCall;

pub(crate) use actions::tell_residents;
pub(crate) use receipts::text_caller;

pub struct Escalator {
    config: Arc<Config>,
    oncall: Arc<OnCall>,
    /// The duty groups as alert recipients.
    groups: duty_group::DutyGroups,
}

/// What happened to an escalation after a manager's action.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    Done,
    AlreadyDone,
    NotFound,
}

impl Escalator {
    pub fn new(config: Arc<Config>, oncall: Arc<OnCall>) -> Escalator {
        let groups = duty_group::DutyGroups::from_config(&config);
        Escalator {
            config,
            oncall,
            groups,
        }
    }

    /// A configured person, or a duty group under its id
    /// ([`duty_group::GROUP_ID`] and its chat id).
    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        (self.config.people.iter().find(|p| &p.id == id)).or_else(|| self.groups.person(id))
    }

    fn ms(d: std::time::Duration) -> i64 {
        d.as_millis() as i64
    }
}
