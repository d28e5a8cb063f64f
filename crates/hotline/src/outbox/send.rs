//! One call to Telegram within its time limit, and the alert's second
//! attempt.
//!
//! A call that gets no answer (a hang) ends as `Unreachable` at its limit:
//! `Pacing::send_timeout` for most messages, twice `Pacing::alert_timeout`
//! for an alert. An alert's call with no answer after `alert_timeout` gets a
//! second attempt while the first still runs; the first to succeed wins and
//! the other is dropped.
//!
//! **Duplicates.** The second attempt is made at most once per alert row
//! (the worker remembers which rows had theirs), so it adds at most one
//! duplicate per alert, and only when the hung first call did reach
//! Telegram after all (a hang before Telegram read the request, the usual
//! case on a broken path, sends nothing). This is apart from the outbox's
//! usual bounds: a crash repeats at most one alert, and a call given up at
//! its limit is retried like any unanswered call.

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

/// The first call; after `after` without an answer, a second beside it.
async fn hedged<D: Deliver>(deliver: &D, part: &OutMessage, after: Duration) -> Outcome {
    let first = deliver.deliver(part);
    tokio::pin!(first);
    if let Ok(outcome) = tokio::time::timeout(after, &mut first).await {
        return outcome;
    }
    tracing::debug!(?after, "an alert's call hangs: a second attempt beside it");
    let second = deliver.deliver(part);
    tokio::pin!(second);
    let deadline = tokio::time::sleep(after);
    tokio::pin!(deadline);
    let (mut first_failed, mut second_failed) = (None, None);
    loop {
        tokio::select! {
            outcome = &mut first, if first_failed.is_none() => match outcome {
                Ok(id) => return Ok(id),
                Err(error) => first_failed = Some(error),
            },
            outcome = &mut second, if second_failed.is_none() => match outcome {
                Ok(id) => return Ok(id),
                Err(error) => second_failed = Some(error),
            },
            () = &mut deadline => return Err(silent(after * 2)),
        }
        if let (Some(_), Some(error)) = (&first_failed, &second_failed) {
            return Err(error.clone());
        }
    }
}
