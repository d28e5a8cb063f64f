//! Pure: is every paged role held at every moment of the coming days, and
//! who are the people those roles page. The holder changes only at a
//! hand-off or an override's edge, so walking those instants finds every gap.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{PersonId, Role};
use crate::oncall::{OnCall, Override};

/// A stretch with nobody holding a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub role: Role,
    pub from: DateTime<Utc>,
    /// `None`: to the end of the window checked.
    pub until: Option<DateTime<Utc>>,
}

/// The roles some escalation pages: every step's, and every reason's and
/// zone's extra roles.
pub fn paged_roles(config: &Config) -> Vec<Role> {
    let e = &config.escalation;
    let mut roles: Vec<Role> = Vec::new();
    let all = e
        .steps
        .iter()
        .flat_map(|s| s.notify.iter())
        .chain(e.start.threshold.notify.iter())
        .chain(e.start.urgent.notify.iter())
        .chain(e.zones.values().flat_map(|z| z.notify.iter()));
    for role in all {
        if !roles.contains(role) {
            roles.push(*role);
        }
    }
    roles
}

/// Every stretch of `[from, until)` in which a role of `roles` has no holder.
pub fn gaps(
    oncall: &OnCall,
    roles: &[Role],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    overrides: &[Override],
) -> Vec<Gap> {
    let mut found = Vec::new();
    for &role in roles {
        let mut at = from;
        let mut open: Option<DateTime<Utc>> = None;
        while at < until {
            match (oncall.holder(role, at, overrides), open) {
                (None, None) => open = Some(at),
                (Some(_), Some(start)) => {
                    found.push(Gap {
                        role,
                        from: start,
                        until: Some(at),
                    });
                    open = None;
                }
                _ => {}
            }
            match oncall.next_change(role, at, overrides) {
                Some(next) => at = next,
                None => break,
            }
        }
        if let Some(start) = open {
            found.push(Gap {
                role,
                from: start,
                until: None,
            });
        }
    }
    found
}

/// The people who may be paged in the window: everyone in a rotation of a
/// paged role, and everyone covering for one of them.
pub fn paged_people(config: &Config, roles: &[Role], overrides: &[Override]) -> Vec<PersonId> {
    let mut people: Vec<PersonId> = Vec::new();
    let rotas = config.rotations.iter().filter(|r| roles.contains(&r.role));
    let covering = overrides.iter().map(|o| &o.person_id);
    for id in rotas.flat_map(|r| r.people.iter()).chain(covering) {
        if !people.contains(id) {
            people.push(id.clone());
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oncall::parse_local;

    const ROTA: &str = r#"
[[people]]
id = "a"
name = "A"
telegram_id = 1
[[people]]
id = "boss"
name = "Boss"
telegram_id = 2

[[rotations]]
name = "days"
role = "duty_manager"
handoffs = ["0 8 * * *"]
people = ["a"]
start = "2026-03-01 08:00"

[[rotations]]
name = "boss"
role = "director"
handoffs = ["0 8 * * Mon"]
people = ["boss"]
start = "2026-03-05 08:00"
"#;

    #[test]
    fn a_rotation_starting_late_leaves_a_gap_named_with_its_time() {
        let config = Config::from_override_str(ROTA, "rota.toml").unwrap();
        let oncall = config.oncall().unwrap();
        let tz = config.general.time_zone;
        let from = parse_local("2026-03-02 12:00", tz).unwrap();
        let until = from + chrono::Duration::days(14);
        let roles = paged_roles(&config);
        let found = gaps(&oncall, &roles, from, until, &[]);
        assert_eq!(
            found,
            vec![Gap {
                role: Role::Director,
                from,
                until: Some(parse_local("2026-03-05 08:00", tz).unwrap()),
            }]
        );
        assert_eq!(
            paged_people(&config, &roles, &[]),
            vec![PersonId::from("a"), PersonId::from("boss")]
        );
    }
}
