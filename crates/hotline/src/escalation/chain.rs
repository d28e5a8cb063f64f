//! Walking an escalation's chain: pure, `next(walk, policy)`. A step pages
//! only roles that answer pages ([`Role::is_paged`]): `check-config` refuses
//! a `supervisor` in a step, and the walk never pages one regardless.

use crate::config::Escalation as Policy;
use crate::domain::{Role, TimelineKind};

/// Where an open escalation stands: the step last notified and how often
/// the last step has repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Walk {
    pub step: usize,
    pub repeats: u32,
}

/// The action due when an escalation's wait has run out.
#[derive(Debug, Clone, PartialEq)]
pub struct StepAction {
    pub walk: Walk,
    /// Escalated (a new step) or repeated (the last step again).
    pub kind: TimelineKind,
    pub notify: Vec<Role>,
    /// How long to wait after this action for an acknowledgement.
    pub wait: std::time::Duration,
}

/// How long to wait after notifying `walk`'s step.
pub fn wait_after(walk: Walk, policy: &Policy) -> std::time::Duration {
    let last = policy.steps.len().saturating_sub(1);
    match policy.steps.get(walk.step) {
        Some(step) if walk.step < last || walk.repeats == 0 => step.wait,
        _ => policy.repeat_every,
    }
}

/// The next step after `walk` timed out: the next step in the chain, or the
/// last step again.
pub fn next(walk: Walk, policy: &Policy) -> StepAction {
    let last = policy.steps.len().saturating_sub(1);
    let (walk, kind) = if walk.step < last {
        (
            Walk {
                step: walk.step + 1,
                repeats: 0,
            },
            TimelineKind::Escalated,
        )
    } else {
        (
            Walk {
                step: last,
                repeats: walk.repeats + 1,
            },
            TimelineKind::Repeated,
        )
    };
    let notify = policy
        .steps
        .get(walk.step)
        .map(|s| paged(&s.notify))
        .unwrap_or_default();
    StepAction {
        walk,
        kind,
        notify,
        wait: wait_after(walk, policy),
    }
}

/// Those of `roles` an escalation may page, in order.
pub fn paged(roles: &[Role]) -> Vec<Role> {
    roles.iter().copied().filter(|r| r.is_paged()).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn duty_manager_then_director_then_the_director_again_and_again() {
        let policy = Policy::default();
        let start = Walk {
            step: 0,
            repeats: 0,
        };
        assert_eq!(wait_after(start, &policy), Duration::from_secs(600));
        let second = next(start, &policy);
        assert_eq!(
            (second.kind, second.notify.clone()),
            (TimelineKind::Escalated, vec![Role::Director])
        );
        assert_eq!(second.wait, Duration::from_secs(900));
        let third = next(second.walk, &policy);
        assert_eq!(
            (third.kind, third.walk.repeats),
            (TimelineKind::Repeated, 1)
        );
        assert_eq!(third.notify, vec![Role::Director]);
        assert_eq!(third.wait, policy.repeat_every);
    }

    #[test]
    fn a_step_never_pages_the_supervisor_even_if_written_there() {
        let mut policy = Policy::default();
        policy.steps[1].notify = vec![Role::Supervisor, Role::Director];
        let start = Walk {
            step: 0,
            repeats: 0,
        };
        assert_eq!(next(start, &policy).notify, vec![Role::Director]);
    }
}
