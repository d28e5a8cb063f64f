//! Who holds a role over a stretch of time, stretch by stretch: what the
//! On call page's tables show (pure: the rotations, the overrides and the
//! window are passed in).

use chrono::{DateTime, Utc};

use crate::domain::{PersonId, Role};
use crate::oncall::{OnCall, Override};

#[cfg(test)]
#[path = "turns_tests.rs"]
mod tests;

/// One stretch of one person holding a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub person_id: Option<PersonId>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// Under an override: the scheduled person they cover for.
    pub covers: Option<PersonId>,
}

/// Who holds `role` between `from` and `until`, stretch by stretch (pure).
pub fn turns(
    oncall: &OnCall,
    role: Role,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    overrides: &[Override],
) -> Vec<Turn> {
    let mut out: Vec<Turn> = Vec::new();
    let mut at = from;
    while at < until {
        let next = oncall
            .next_change(role, at, overrides)
            .map_or(until, |n| n.min(until));
        let holder = oncall.holder(role, at, overrides);
        let turn = Turn {
            person_id: holder.as_ref().map(|h| h.person_id.clone()),
            starts: at,
            ends: next,
            covers: holder
                .filter(|h| h.via_override.is_some())
                .map(|h| h.scheduled),
        };
        match out.last_mut() {
            Some(last) if last.person_id == turn.person_id && last.covers == turn.covers => {
                last.ends = next;
            }
            _ => out.push(turn),
        }
        if next <= at {
            break;
        }
        at = next;
    }
    out
}
