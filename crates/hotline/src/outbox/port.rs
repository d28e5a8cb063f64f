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
    /// Network trouble, 5xx, time-out: try again later.
    Transient(String),
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
