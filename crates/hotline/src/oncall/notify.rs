//! A person's notification rules (GoAlert's contact methods and rules): how,
//! and how long after their first alert, an escalation still unacknowledged
//! reaches them beyond Telegram — "Telegram at once, SMS after 1 minute, a
//! call after 3". The escalation chain decides *who*; these decide *how*.
//! Pure: the caller passes the times and the steps already taken.

use std::time::Duration;

pub use crate::config::{NotifyRule, Via};

/// The rule steps due now, as indexes into `rules`, in order: steps beyond
/// Telegram not yet `done` whose delay has passed since `start_ms`. When
/// Telegram refused the alert (`undeliverable`), waiting for an answer makes
/// no sense: the delays count from the first step beyond Telegram, so it is
/// due at once and the later ones keep their spacing.
pub fn due_steps(
    rules: &[NotifyRule],
    start_ms: i64,
    undeliverable: bool,
    now_ms: i64,
    done: &[usize],
) -> Vec<usize> {
    let beyond = || rules.iter().filter(|r| r.via != Via::Telegram);
    let shift = match undeliverable {
        true => beyond().map(|r| ms(r.after)).min().unwrap_or(0),
        false => 0,
    };
    rules
        .iter()
        .enumerate()
        .filter(|(i, r)| r.via != Via::Telegram && !done.contains(i))
        .filter(|(_, r)| start_ms + ms(r.after) - shift <= now_ms)
        .map(|(i, _)| i)
        .collect()
}

/// "SMS after 1m, voice after 3m" for `hotline oncall`.
pub fn describe(rules: &[NotifyRule]) -> String {
    rules
        .iter()
        .map(|r| match r.after.is_zero() {
            true => format!("{} at once", r.via.code()),
            false => format!(
                "{} after {}",
                r.via.code(),
                humantime::format_duration(r.after)
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<NotifyRule> {
        vec![
            NotifyRule::new(Via::Telegram, Duration::ZERO),
            NotifyRule::new(Via::Sms, Duration::from_secs(60)),
            NotifyRule::new(Via::Voice, Duration::from_secs(180)),
        ]
    }

    #[test]
    fn steps_fall_due_in_turn_and_once() {
        let r = rules();
        assert_eq!(due_steps(&r, 0, false, 59_999, &[]), Vec::<usize>::new());
        assert_eq!(due_steps(&r, 0, false, 60_000, &[]), vec![1]);
        assert_eq!(due_steps(&r, 0, false, 120_000, &[1]), Vec::<usize>::new());
        assert_eq!(due_steps(&r, 0, false, 180_000, &[1]), vec![2]);
        assert_eq!(
            due_steps(&r, 0, false, 999_000, &[1, 2]),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_refused_alert_takes_the_first_step_beyond_telegram_at_once() {
        let r = rules();
        assert_eq!(due_steps(&r, 0, true, 0, &[]), vec![1]);
        assert_eq!(due_steps(&r, 0, true, 119_999, &[1]), Vec::<usize>::new());
        assert_eq!(due_steps(&r, 0, true, 120_000, &[1]), vec![2]);
    }

    #[test]
    fn rules_read_as_a_sentence() {
        assert_eq!(
            describe(&rules()),
            "telegram at once, sms after 1m, voice after 3m"
        );
    }
}
