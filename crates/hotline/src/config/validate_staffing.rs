//! Warnings, not errors: a configuration that loads but would page nobody.
//! A new site often starts the bot before its staff are entered; it may run,
//! but `check-config` says clearly that alerts would reach no one.

use std::collections::BTreeMap;
use std::fmt;

use super::Config;
use crate::domain::Role;

/// A setting that is valid but probably not what the site wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// Dotted key the warning is about, such as `rotations` or `escalation.steps[1].notify`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WARNING: key `{}`: {}", self.key, self.message)
    }
}

/// Everything that would leave an escalation without anyone to page.
/// (A rotation with no people is an error already, reported by `validate`.)
pub(super) fn warnings(c: &Config) -> Vec<ConfigWarning> {
    let mut out = Vec::new();
    if c.people.is_empty() {
        out.push(ConfigWarning {
            key: "people".to_owned(),
            message: "no staff are configured: every escalation would page nobody \
                      (add [[people]] and [[rotations]]; `hotline init` writes a starter file)"
                .to_owned(),
        });
    }
    for (i, person) in c.people.iter().enumerate() {
        if person.telegram_id == 0 {
            out.push(ConfigWarning {
                key: format!("people[{i}].telegram_id"),
                message: format!(
                    "{} ({}) has no Telegram id: not linked yet unless linked through                      `hotline staff invite {}` (alerts and staff commands need it)",
                    person.name, person.id, person.id
                ),
            });
        }
    }
    for (role, key) in paged_roles(c) {
        if !c.rotations.iter().any(|r| r.role == role) {
            out.push(ConfigWarning {
                key,
                message: format!(
                    "role `{}` is paged here but no [[rotations]] entry serves it: its alerts reach nobody",
                    role.code()
                ),
            });
        }
    }
    out.extend(super::desk_url::warning(c));
    out
}

/// Each role an escalation can page, with the first key that pages it.
fn paged_roles(c: &Config) -> BTreeMap<Role, String> {
    let mut roles = BTreeMap::new();
    for (i, step) in c.escalation.steps.iter().enumerate() {
        for role in &step.notify {
            roles
                .entry(*role)
                .or_insert_with(|| format!("escalation.steps[{i}].notify"));
        }
    }
    for (kind, zone) in &c.escalation.zones {
        for role in &zone.notify {
            roles
                .entry(*role)
                .or_insert_with(|| format!("escalation.zones.{}.notify", kind.code()));
        }
    }
    roles
}
