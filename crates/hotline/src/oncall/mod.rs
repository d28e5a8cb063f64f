//! Who is on call: rotations from the config, overrides from managers.
//!
//! Pure logic: the current time and the stored overrides are always passed
//! in, so the bot, the CLI and the tests ask the same questions the same way.
//!
//! # The model
//! - A rotation's hand-offs are cron instants in the city's time zone
//!   (iterated in that zone, so a utility with daylight saving gets local
//!   hand-offs). Its k-th hand-off after `start` passes the role to
//!   `people[k % len]`; `people[0]` holds it from `start`. A hand-off exactly
//!   at the instant asked about has already happened.
//! - When several rotations serve one role (weekdays, weekends), the one
//!   whose most recent hand-off (or start) is latest holds the role; on a tie
//!   the rotation listed later in the config wins. Before every rotation's
//!   start, nobody holds it.
//! - An [`Override`] active at the instant (`starts_at <= at < ends_at`)
//!   whose `replaces` is the scheduled person gives the role to its
//!   `person_id`; among several, the most recently created (highest id)
//!   wins. Overrides do not chain: covering for a cover is a new override
//!   for the scheduled person.

pub mod notify;
mod render;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::{PersonId, Role};

use crate::config::{Config, ConfigError, Rotation};
pub use crate::config::{
    NotifyRule, Person, RoleNames, RotationConfig, SettingError, Staff, Via, parse_handoff,
    parse_local, parse_until,
};
pub use render::render;

/// A manager's `/cover`: `person_id` takes `replaces`'s shifts in a window.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub id: i64,
    /// Who covers.
    pub person_id: PersonId,
    /// Whose shifts they take.
    pub replaces: PersonId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The person id of the manager who set it.
    pub created_by: PersonId,
}

impl Override {
    /// Active at `at`: the window includes its start and excludes its end.
    pub fn is_active(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }
}

/// Who holds a role at some instant, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub person_id: PersonId,
    /// The rotation that scheduled this turn.
    pub rotation: String,
    /// Since when this person holds it: the last hand-off, or the override's
    /// start if that is later.
    pub since: DateTime<Utc>,
    pub via_override: Option<i64>,
    /// The person the rotation names (differs from `person_id` under an override).
    pub scheduled: PersonId,
}

/// The parsed rotations, and the staff they name.
#[derive(Debug, Clone)]
pub struct OnCall {
    rotations: Vec<Rotation>,
    tz: Tz,
    staff: Staff,
}

impl OnCall {
    /// Validates and parses the rotations, whose hand-offs are in `tz`.
    /// Errors name the key, e.g. `rotations[1].handoffs[0]`,
    /// `rotations[0].people[2]`, `rotations[2].start`.
    pub fn new(rotations: &[RotationConfig], staff: Staff, tz: Tz) -> Result<OnCall, SettingError> {
        let rotations = crate::config::parse_rotations(rotations, &staff.people, tz)?;
        Ok(OnCall {
            rotations,
            tz,
            staff,
        })
    }

    /// The people and role names the rotations refer to.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    /// The city's zone, in which hand-offs are computed and times shown.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Who holds `role` at `at` (see the module doc for the model).
    pub fn holder(&self, role: Role, at: DateTime<Utc>, overrides: &[Override]) -> Option<Holder> {
        let (rotation, turn) = self
            .serving(role)
            .filter_map(|r| r.turn(at).map(|t| (r, t)))
            .max_by_key(|(_, t)| t.since)?;
        let scheduled = rotation.person(turn).clone();
        let mut holder = Holder {
            person_id: scheduled.clone(),
            rotation: rotation.name.clone(),
            since: turn.since,
            via_override: None,
            scheduled,
        };
        if let Some(o) = cover(&holder.scheduled, at, overrides) {
            holder.person_id = o.person_id.clone();
            holder.since = holder.since.max(o.starts_at);
            holder.via_override = Some(o.id);
        }
        Some(holder)
    }

    /// Like [`OnCall::holder`], but someone marked away (`/away`) is skipped:
    /// the next person of the same rotation who is present takes their work
    /// ("as soon as one leaves the line, someone else takes the seat").
    pub fn present_holder(
        &self,
        role: Role,
        at: DateTime<Utc>,
        overrides: &[Override],
        away: &[PersonId],
    ) -> Option<Holder> {
        let holder = self.holder(role, at, overrides)?;
        if !away.contains(&holder.person_id) {
            return Some(holder);
        }
        let rotation = self.rotations.iter().find(|r| r.name == holder.rotation)?;
        let n = rotation.people.len();
        let start = rotation
            .people
            .iter()
            .position(|p| *p == holder.scheduled)
            .unwrap_or(0);
        let stand_in = (1..n)
            .map(|k| &rotation.people[(start + k) % n])
            .find(|p| !away.contains(p))?;
        Some(Holder {
            person_id: stand_in.clone(),
            ..holder
        })
    }

    /// The next hand-off (or rotation start) of any rotation serving `role`,
    /// strictly after `after`. Overrides are not counted: see [`OnCall::next_change`].
    pub fn next_handoff(&self, role: Role, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.serving(role).filter_map(|r| r.next_after(after)).min()
    }

    /// Like [`OnCall::next_handoff`], but also the start or end of an
    /// override for anyone in a rotation serving `role`: the next instant
    /// the holder may change. It may be a change that does not happen (an
    /// override for someone not scheduled then), which is harmless for a
    /// "next hand-off" line and for waking a scheduler.
    pub fn next_change(
        &self,
        role: Role,
        after: DateTime<Utc>,
        overrides: &[Override],
    ) -> Option<DateTime<Utc>> {
        let edges = overrides
            .iter()
            .filter(|o| self.serving(role).any(|r| r.people.contains(&o.replaces)))
            .flat_map(|o| [o.starts_at, o.ends_at])
            .filter(|t| *t > after);
        edges.chain(self.next_handoff(role, after)).min()
    }

    fn serving(&self, role: Role) -> impl Iterator<Item = &Rotation> + '_ {
        self.rotations.iter().filter(move |r| r.role == role)
    }
}

/// The override that puts someone in `scheduled`'s place at `at`, if any.
fn cover<'a>(
    scheduled: &PersonId,
    at: DateTime<Utc>,
    overrides: &'a [Override],
) -> Option<&'a Override> {
    overrides
        .iter()
        .filter(|o| &o.replaces == scheduled && o.is_active(at))
        .max_by_key(|o| o.id)
}

impl Config {
    /// The on-call rotations, parsed and checked against `people` (defined
    /// here, on the floor that uses them; `config` checks the same parse).
    pub fn oncall(&self) -> Result<OnCall, ConfigError> {
        let staff = Staff {
            roles: self.roles.clone(),
            people: self.people.clone(),
        };
        OnCall::new(&self.rotations, staff, self.general.time_zone).map_err(ConfigError::from)
    }
}
