//! Local Telegram Bot API stand-in (being written).
