//! The durable outbox: every message the bot sends is a row first, then a
//! send, then a status. [`worker`] delivers rows through a [`Deliver`] port,
//! within Telegram's limits ([`pacing`], [`window`]), part by part when a text is too long
//! for one message ([`parts`]), retrying by lane ([`retry`]).

mod breaker;
mod dispatch;
#[cfg(test)]
mod hang_tests;
pub mod limits;
pub mod observe;
pub mod pacing;
pub mod parts;
mod port;
pub mod retry;
mod send;
#[cfg(test)]
mod tests;
mod window;
pub mod worker;

pub use crate::domain::{InlineButton, Keyboard, Lane, OutMessage, ReplyButton, ReplyButtonKind};
pub use dispatch::Dispatch;
pub use port::{Deliver, DeliveryError};
pub use worker::OutboxWorker;
