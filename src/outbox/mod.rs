//! The durable outbox: every message the bot sends is a row first, then a
//! send, then a status. [`worker`] delivers rows through a [`Deliver`] port.

mod message;
pub mod worker;

pub use message::{InlineButton, Keyboard, Lane, OutMessage, ReplyButton, ReplyButtonKind};
pub use worker::{Deliver, DeliveryError, OutboxWorker};
