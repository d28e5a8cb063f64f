//! One call to Telegram within its time limit, and an alert's extra call
//! when its call hangs.
//!
//! A call that gets no answer (a hang) ends as `Unreachable` at its limit:
//! `Pacing::send_timeout` for most messages, twice `Pacing::alert_timeout`
//! for an alert. An alert's call with no answer after `alert_timeout` gets a
//! second attempt while the first still runs; the first to succeed wins and
//! the other is dropped.
//!
//! **Duplicates.** An extra call is made for at most
//! `worker::HEDGED_ATTEMPTS` (3) attempts of an alert row (the worker counts
//! them), and made again within an attempt's limit only after Telegram
//! answered it with an error, which sends nothing: so at most one extra call
//! is unanswered at a time, and each such attempt adds at most one duplicate
//! (three per alert), and only when a hung call did reach Telegram after
//! all (a hang before Telegram read the request, the usual case on a broken
//! path, sends nothing). This is apart from the outbox's usual bounds: a
//! crash repeats at most `worker::ALERTS_AT_ONCE` alerts, and a call given
//! up at its limit is retried like any unanswered call.

use std::time::Duration;

use super::{Deliver, DeliveryError, OutMessage};

/// What a call brought: the message id, or why it did not go through.
pub(super) type Outcome = Result<Option<i32>, DeliveryError>;

/// How long a call may take, and whether it may have a second attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    /// One call, given up after this.
    Plain(Duration),
    /// A second call after this much silence; both given up as long again later.
    Hedged(Duration),
}

/// Calls `deliver` for `part` within `limit`.
pub(super) async fn call<D: Deliver>(deliver: &D, part: &OutMessage, limit: Limit) -> Outcome {
    match limit {
        Limit::Plain(timeout) => tokio::time::timeout(timeout, deliver.deliver(part))
            .await
            .unwrap_or_else(|_| Err(silent(timeout))),
        Limit::Hedged(after) => hedged(deliver, part, after).await,
    }
}

fn silent(after: Duration) -> DeliveryError {
    DeliveryError::Unreachable(format!("no answer within {after:?}"))
}

/// The pause before the extra attempt is made again after it failed.
const EXTRA_AGAIN_AFTER: Duration = Duration::from_millis(250);

/// The first call; after `after` without an answer, an extra one beside it.
/// An extra that Telegram answers with an error (500, 429, a reset) while
/// the first still hangs is made again after a pause (Telegram's
/// `retry_after` for a 429), until the limit: one hang plus one quick
/// failure no longer costs the whole limit. A permanent error ends it.
async fn hedged<D: Deliver>(deliver: &D, part: &OutMessage, after: Duration) -> Outcome {
    let first = deliver.deliver(part);
    tokio::pin!(first);
    if let Ok(outcome) = tokio::time::timeout(after, &mut first).await {
        return outcome;
    }
    tracing::debug!(?after, "an alert's call hangs: a second attempt beside it");
    let mut extra = Box::pin(deliver.deliver(part));
    let mut extra_live = true;
    let pause = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(pause);
    let mut pausing = false;
    let deadline = tokio::time::sleep(after);
    tokio::pin!(deadline);
    let mut first_failed: Option<DeliveryError> = None;
    loop {
        tokio::select! {
            outcome = &mut first, if first_failed.is_none() => match outcome {
                Ok(id) => return Ok(id),
                Err(error) => first_failed = Some(error),
            },
            outcome = &mut extra, if extra_live => match outcome {
                Ok(id) => return Ok(id),
                Err(error @ DeliveryError::Permanent(_)) => return Err(error),
                Err(error) if first_failed.is_some() => return Err(error),
                Err(error) => {
                    tracing::debug!(?error, "an alert's extra call failed: again after a pause");
                    extra_live = false;
                    let wait = match error {
                        DeliveryError::RetryAfter(wait) => wait,
                        _ => EXTRA_AGAIN_AFTER,
                    };
                    pause.as_mut().reset(tokio::time::Instant::now() + wait);
                    pausing = true;
                }
            },
            () = &mut pause, if pausing => {
                pausing = false;
                extra.set(deliver.deliver(part));
                extra_live = true;
            },
            () = &mut deadline => return Err(silent(after * 2)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::domain::ChatId;

    /// Answers each call as scripted, in order: `None` hangs for good.
    #[derive(Clone)]
    struct Script(Arc<Mutex<Vec<Option<Outcome>>>>, Arc<Mutex<usize>>);

    impl Script {
        fn new(answers: Vec<Option<Outcome>>) -> Script {
            Script(Arc::new(Mutex::new(answers)), Arc::new(Mutex::new(0)))
        }
        fn calls(&self) -> usize {
            *self.1.lock().unwrap()
        }
    }

    impl Deliver for Script {
        async fn deliver(&self, _: &OutMessage) -> Outcome {
            *self.1.lock().unwrap() += 1;
            let answer = self.0.lock().unwrap().remove(0);
            match answer {
                Some(outcome) => outcome,
                None => std::future::pending().await,
            }
        }
    }

    async fn timed(script: &Script) -> (Outcome, Duration) {
        let at = tokio::time::Instant::now();
        let part = OutMessage::text(ChatId(1), "🚨");
        let outcome = call(script, &part, Limit::Hedged(Duration::from_secs(2))).await;
        (outcome, at.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn a_hung_alert_whose_extra_call_fails_quickly_is_tried_again_within_the_limit() {
        let fault = DeliveryError::Transient("500".into());
        let script = Script::new(vec![None, Some(Err(fault)), Some(Ok(Some(7)))]);
        let (outcome, took) = timed(&script).await;
        assert_eq!(outcome.unwrap(), Some(7));
        assert_eq!(
            took,
            Duration::from_millis(2250),
            "the extra again after 250 ms"
        );
        assert_eq!(script.calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn an_extra_call_told_to_wait_waits_as_telegram_says() {
        let busy = DeliveryError::RetryAfter(Duration::from_secs(1));
        let script = Script::new(vec![None, Some(Err(busy)), Some(Ok(Some(7)))]);
        let (outcome, took) = timed(&script).await;
        assert_eq!(outcome.unwrap(), Some(7));
        assert_eq!(took, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn two_hung_calls_give_up_at_the_limit_with_no_third() {
        let script = Script::new(vec![None, None, Some(Ok(Some(7)))]);
        let (outcome, took) = timed(&script).await;
        assert!(matches!(outcome, Err(DeliveryError::Unreachable(_))));
        assert_eq!(took, Duration::from_secs(4));
        assert_eq!(
            script.calls(),
            2,
            "never more than one extra call unanswered"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_permanent_error_of_the_extra_call_ends_it() {
        let bad = DeliveryError::Permanent("400 message is too long".into());
        let script = Script::new(vec![None, Some(Err(bad)), Some(Ok(Some(7)))]);
        let (outcome, took) = timed(&script).await;
        assert!(matches!(outcome, Err(DeliveryError::Permanent(_))));
        assert_eq!(took, Duration::from_secs(2));
    }
}
