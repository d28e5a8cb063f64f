//! Whether a new report escalates: pure, `decide(facts, policy)`.

use crate::config::Escalation as Policy;
use crate::domain::{Category, Role, ZoneKind};

/// What the store knows when a report arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub category: Category,
    /// None when the resident's compound matched none in config.
    pub compound_id: Option<String>,
    /// The active priority zone covering the report, if any.
    pub zone: Option<ZoneKind>,
    /// Unresolved reports of this category in this compound, this one included.
    pub open_reports: i64,
    /// The escalation not yet resolved for this compound and category.
    pub open_escalation: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Threshold { count: i64, threshold: i64 },
    Urgent,
    Zone { kind: ZoneKind },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Threshold { .. } => "threshold",
            Reason::Urgent => "urgent",
            Reason::Zone { .. } => "zone",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Nobody is paged (below threshold, or a quiet category).
    Nothing,
    /// The report counts on an escalation already under way.
    Join { escalation_id: i64 },
    /// A new escalation: page `notify` now, then walk on from `start_step`.
    Open {
        reason: Reason,
        start_step: usize,
        notify: Vec<Role>,
        no_entry: bool,
    },
}

/// Quiet categories never page; a known incident absorbs new reports; a
/// priority zone pages at once from its own step; an urgent category pages the
/// first step; otherwise the compound's count must reach the threshold.
pub fn decide(facts: &Facts, policy: &Policy) -> Decision {
    if policy.quiet.contains(&facts.category) {
        return Decision::Nothing;
    }
    if let Some(escalation_id) = facts.open_escalation {
        return Decision::Join { escalation_id };
    }
    let open = |reason: Reason, start_step: usize, extra: &[Role], no_entry: bool| {
        let mut notify: Vec<Role> = policy
            .steps
            .get(start_step)
            .map(|s| s.notify.clone())
            .unwrap_or_default();
        for role in extra {
            if !notify.contains(role) {
                notify.push(*role);
            }
        }
        Decision::Open {
            reason,
            start_step,
            notify,
            no_entry,
        }
    };
    if let Some(kind) = facts.zone {
        let zone = policy.zones.get(&kind);
        let start = zone.map_or(0, |z| z.start_step);
        let extra = zone.map(|z| z.notify.clone()).unwrap_or_default();
        return open(
            Reason::Zone { kind },
            start,
            &extra,
            zone.is_some_and(|z| z.no_entry),
        );
    }
    if policy.urgent.contains(&facts.category) {
        return open(Reason::Urgent, 0, &[], false);
    }
    match (policy.thresholds.get(&facts.category), &facts.compound_id) {
        (Some(&threshold), Some(_)) if facts.open_reports >= i64::from(threshold) => open(
            Reason::Threshold {
                count: facts.open_reports,
                threshold: i64::from(threshold),
            },
            0,
            &[],
            false,
        ),
        _ => Decision::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(category: Category, open_reports: i64) -> Facts {
        Facts {
            category,
            compound_id: Some("yangguang".into()),
            zone: None,
            open_reports,
            open_escalation: None,
        }
    }

    #[test]
    fn the_fifth_outage_opens_an_escalation_and_the_fourth_does_not() {
        let policy = Policy::default();
        assert_eq!(
            decide(&facts(Category::Outage, 4), &policy),
            Decision::Nothing
        );
        match decide(&facts(Category::Outage, 5), &policy) {
            Decision::Open {
                reason,
                start_step: 0,
                notify,
                no_entry: false,
            } => {
                assert_eq!(
                    reason,
                    Reason::Threshold {
                        count: 5,
                        threshold: 5
                    }
                );
                assert_eq!(notify, vec![Role::DutyManager]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decide(&facts(Category::Quality, 3), &policy),
            Decision::Open { .. }
        ));
        assert_eq!(
            decide(&facts(Category::LowPressure, 50), &policy),
            Decision::Nothing,
            "no threshold"
        );
    }

    #[test]
    fn further_reports_join_the_open_escalation() {
        let f = Facts {
            open_escalation: Some(7),
            ..facts(Category::Quality, 4)
        };
        assert_eq!(
            decide(&f, &Policy::default()),
            Decision::Join { escalation_id: 7 }
        );
    }

    #[test]
    fn a_zone_pages_the_director_and_duty_manager_at_once() {
        let f = Facts {
            zone: Some(ZoneKind::ConfirmedCase),
            ..facts(Category::LowPressure, 1)
        };
        match decide(&f, &Policy::default()) {
            Decision::Open {
                reason: Reason::Zone { .. },
                start_step: 1,
                notify,
                no_entry: true,
            } => {
                assert_eq!(notify, vec![Role::Director, Role::DutyManager]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn urgent_categories_page_at_once_and_quiet_ones_never() {
        let policy = Policy::default();
        let unmatched = Facts {
            compound_id: None,
            ..facts(Category::Leak, 1)
        };
        assert!(matches!(
            decide(&unmatched, &policy),
            Decision::Open {
                reason: Reason::Urgent,
                start_step: 0,
                ..
            }
        ));
        let meter_in_zone = Facts {
            zone: Some(ZoneKind::Hospital),
            ..facts(Category::Meter, 9)
        };
        assert_eq!(decide(&meter_in_zone, &policy), Decision::Nothing);
    }
}
