//! Everything that speaks the Telegram Bot API.

pub mod standin;
