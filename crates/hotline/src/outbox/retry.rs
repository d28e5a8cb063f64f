//! What happens after a send failed: the outcome of one attempt decides
//! whether the row is retried (and when) or given up, by lane.
//!
//! A manager's alert is retried within seconds, a resident's reply within
//! tens of seconds, a broadcast may wait minutes. Telegram's "retry after" is
//! obeyed and is not counted as a failed attempt. A 400 (too long, bad
//! request) is permanent for that message: it is recorded and the chat's
//! next messages go on.

use std::time::Duration;

use super::{DeliveryError, Lane};

/// After this many failed attempts a row stops holding its chat's later
/// messages (see `Store::outbox_due`): one bad row never freezes a chat.
pub const HOLDS_CHAT_FOR_ATTEMPTS: i64 = 3;

/// What the worker does with a row whose send did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Try again after `after`; `counts` is false for Telegram's "retry after".
    Retry {
        after: Duration,
        counts: bool,
        reason: String,
    },
    /// Give up: the message is marked failed with the reason.
    Fail(String),
}

/// The longest wait between two attempts of a row in `lane`.
fn cap(lane: Lane) -> Duration {
    match lane {
        Lane::Alert => Duration::from_secs(3),
        Lane::Reply => Duration::from_secs(30),
        Lane::Broadcast => Duration::from_secs(300),
    }
}

/// The wait before the first retry, doubled after each further failure.
fn base(lane: Lane) -> Duration {
    match lane {
        Lane::Alert => Duration::from_millis(250),
        Lane::Reply | Lane::Broadcast => Duration::from_secs(1),
    }
}

/// Decides after the `attempts`-th attempt failed with `error`.
pub fn next(lane: Lane, attempts: i64, max_attempts: i64, error: DeliveryError) -> Next {
    match error {
        DeliveryError::RetryAfter(after) => Next::Retry {
            after,
            counts: false,
            reason: "429 too many requests".to_owned(),
        },
        // Due again at once: the worker's breaker paces the tries while
        // Telegram is out of reach, and the backlog keeps its order.
        DeliveryError::Unreachable(reason) => Next::Retry {
            after: Duration::ZERO,
            counts: false,
            reason,
        },
        DeliveryError::Transient(reason) if attempts < max_attempts => {
            let doublings = attempts.clamp(1, 16) as u32 - 1;
            let after = base(lane)
                .saturating_mul(2_u32.saturating_pow(doublings))
                .min(cap(lane));
            Next::Retry {
                after,
                counts: true,
                reason,
            }
        }
        DeliveryError::Transient(reason) | DeliveryError::Permanent(reason) => Next::Fail(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(lane: Lane, attempts: i64) -> Duration {
        match next(lane, attempts, 25, DeliveryError::Transient("500".into())) {
            Next::Retry { after, .. } => after,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn alerts_retry_within_seconds_and_replies_within_half_a_minute() {
        assert_eq!(wait(Lane::Alert, 1), Duration::from_millis(250));
        assert_eq!(wait(Lane::Alert, 2), Duration::from_millis(500));
        assert_eq!(wait(Lane::Alert, 20), Duration::from_secs(3));
        assert_eq!(wait(Lane::Reply, 1), Duration::from_secs(1));
        assert_eq!(wait(Lane::Reply, 20), Duration::from_secs(30));
    }

    #[test]
    fn a_bad_request_is_given_up_at_once() {
        let error = DeliveryError::Permanent("Bad Request: message is too long".into());
        assert_eq!(
            next(Lane::Alert, 1, 25, error),
            Next::Fail("Bad Request: message is too long".into())
        );
    }

    #[test]
    fn retry_after_is_obeyed_and_not_counted() {
        let error = DeliveryError::RetryAfter(Duration::from_secs(7));
        let Next::Retry { after, counts, .. } = next(Lane::Reply, 30, 25, error) else {
            panic!("retried")
        };
        assert_eq!((after, counts), (Duration::from_secs(7), false));
    }

    #[test]
    fn an_unreachable_telegram_is_waited_out_without_counting_attempts() {
        let error = DeliveryError::Unreachable("connection refused".into());
        let Next::Retry { after, counts, .. } = next(Lane::Alert, 99, 25, error) else {
            panic!("retried")
        };
        assert_eq!((after, counts), (Duration::ZERO, false));
    }

    #[test]
    fn transient_failures_end_after_the_last_attempt() {
        let error = DeliveryError::Transient("timed out".into());
        assert!(matches!(next(Lane::Reply, 25, 25, error), Next::Fail(_)));
    }
}
