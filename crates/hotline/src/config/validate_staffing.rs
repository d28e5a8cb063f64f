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
    out.extend(placeholders(c));
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

/// What `hotline init` writes for a site to fill in says REPLACE in
/// capitals; still there, it pages an invented person at a made-up id.
pub(super) const PLACEHOLDER: &str = "REPLACE";

/// Staff and compounds still as `hotline init` wrote them.
fn placeholders(c: &Config) -> Vec<ConfigWarning> {
    let people = c
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name.contains(PLACEHOLDER));
    let people = people.map(|(i, p)| ConfigWarning {
        key: format!("people[{i}].name"),
        message: format!(
            "`{}` ({}) is a placeholder from `hotline init`: put in the real person's \
             name and numeric Telegram id, or they will be paged at an id nobody holds",
            p.name, p.id
        ),
    });
    let compounds = c.compounds.iter().enumerate();
    let compounds =
        compounds.filter(|(_, k)| k.name.contains(PLACEHOLDER) || k.district.contains(PLACEHOLDER));
    let compounds = compounds.map(|(i, k)| ConfigWarning {
        key: format!("compounds[{i}]"),
        message: format!(
            "`{}` ({}) still has a placeholder from `hotline init`: put in your compounds",
            k.name, k.id
        ),
    });
    people.chain(compounds).collect()
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
