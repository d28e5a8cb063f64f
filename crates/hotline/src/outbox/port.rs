//! The one small interface through which the bot sends anything, and the
//! failures the worker tells apart.

use std::future::Future;
use std::time::Duration;

use super::OutMessage;

/// Why a send did not go through, as the worker needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryError {
    /// Telegram asked us to wait (HTTP 429).
    RetryAfter(Duration),
    /// An answer worth another try (5xx, an undecodable answer): try again later.
    Transient(String),
    /// No answer at all (connection refused or reset, no answer within the
    /// send timeout): Telegram could not be reached, which says nothing
    /// about the message. Tried again without counting as an attempt, so an
    /// outage of any length loses nothing and keeps each chat's order.
    Unreachable(String),
    /// Will never succeed (blocked by the user, chat not found, any 400).
    Permanent(String),
}

/// Sends one message; `crate::telegram` implements it over the Bot API.
pub trait Deliver: Clone + Send + Sync + 'static {
    /// Sends one message; returns the Telegram message id when there is one.
    fn deliver(
        &self,
        message: &OutMessage,
    ) -> impl Future<Output = Result<Option<i32>, DeliveryError>> + Send;
}
