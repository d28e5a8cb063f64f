//! Whether a new report escalates: pure, `decide(facts, policy)`.

use crate::config::Escalation as Policy;
use crate::domain::{Category, EscalationId, OpenedWhy, Role, ZoneKind};

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
    /// Distinct households among them (whatever the channel): a threshold
    /// counts households, so one resident filing five reports does not
    /// cross it alone.
    pub open_households: i64,
    /// The escalation not yet resolved for this compound and category.
    pub open_escalation: Option<EscalationId>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// `count` households reached `threshold`.
    Threshold {
        count: i64,
        threshold: i64,
    },
    Urgent,
    Zone {
        kind: ZoneKind,
    },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Threshold { .. } => "threshold",
            Reason::Urgent => "urgent",
            Reason::Zone { .. } => "zone",
        }
    }

    /// The reason as its timeline row stores it.
    pub fn why(&self) -> OpenedWhy {
        match *self {
            Reason::Threshold { count, threshold } => OpenedWhy::Threshold { count, threshold },
            Reason::Urgent => OpenedWhy::Urgent,
            Reason::Zone { kind } => OpenedWhy::Zone(kind),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Nobody is paged (below threshold, or a quiet category).
    Nothing,
    /// The report counts on an escalation already under way.
    Join { escalation_id: EscalationId },
    /// A new escalation: page `notify` now, then walk on from `start_step`.
    Open {
        reason: Reason,
        start_step: usize,
        notify: Vec<Role>,
        no_entry: bool,
    },
}

/// Quiet categories never page; a known incident absorbs new reports; a
/// priority zone pages at once from its own step; an urgent category pages
/// from `start.urgent`; otherwise the compound's households must reach the
/// threshold, which pages from `start.threshold` (the director, by default).
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
        let start = &policy.start.urgent;
        return open(Reason::Urgent, start.start_step, &start.notify, false);
    }
    let start = &policy.start.threshold;
    match (policy.thresholds.get(&facts.category), &facts.compound_id) {
        (Some(&threshold), Some(_)) if facts.open_households >= i64::from(threshold) => open(
            Reason::Threshold {
                count: facts.open_households,
                threshold: i64::from(threshold),
            },
            start.start_step,
            &start.notify,
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
            open_households: open_reports,
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
                start_step: 1,
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
                assert_eq!(notify, vec![Role::Director, Role::DutyManager]);
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
    fn a_threshold_pages_the_director_and_duty_manager_at_once() {
        match decide(&facts(Category::Quality, 3), &Policy::default()) {
            Decision::Open {
                start_step, notify, ..
            } => {
                assert_eq!(start_step, 1, "the walk starts at the director's step");
                assert_eq!(notify, vec![Role::Director, Role::DutyManager]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_threshold_counts_households_not_reports() {
        let one_resident = Facts {
            open_households: 1,
            ..facts(Category::Outage, 5)
        };
        assert_eq!(
            decide(&one_resident, &Policy::default()),
            Decision::Nothing,
            "five reports by one resident"
        );
        let five = Facts {
            open_households: 5,
            ..facts(Category::Outage, 7)
        };
        assert!(matches!(
            decide(&five, &Policy::default()),
            Decision::Open {
                reason: Reason::Threshold { count: 5, .. },
                ..
            }
        ));
    }

    #[test]
    fn each_reason_starts_where_its_policy_says() {
        let mut policy = Policy::default();
        policy.start.threshold.start_step = 0;
        policy.start.threshold.notify.clear();
        policy.start.urgent.notify = vec![Role::Operator];
        match decide(&facts(Category::Outage, 5), &policy) {
            Decision::Open {
                start_step, notify, ..
            } => assert_eq!((start_step, notify), (0, vec![Role::DutyManager])),
            other => panic!("{other:?}"),
        }
        match decide(&facts(Category::Leak, 1), &policy) {
            Decision::Open {
                start_step, notify, ..
            } => assert_eq!(
                (start_step, notify),
                (0, vec![Role::DutyManager, Role::Operator])
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn further_reports_join_the_open_escalation() {
        let f = Facts {
            open_escalation: Some(EscalationId(7)),
            ..facts(Category::Quality, 4)
        };
        assert_eq!(
            decide(&f, &Policy::default()),
            Decision::Join {
                escalation_id: EscalationId(7)
            }
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
