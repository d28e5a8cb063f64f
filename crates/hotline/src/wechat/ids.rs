//! Where WeChat's residents and pushes sit among the chat layer's numbers.
//!
//! Telegram's user and chat ids have at most 52 significant bits (its Bot
//! API says so; group chats are negative), and its update ids are far
//! smaller. WeChat's ids are strings (an `openid`, a `MsgId` or an event's
//! sender and time), numbered in `wechat_ids` and placed at 2^53 + number:
//! positive, above anything Telegram gives, so the two never collide and a
//! chat id alone tells which channel a message leaves by ([`is_wechat`]).

use crate::domain::ChatId;

/// The first number of WeChat's namespace: 2^53.
pub const BASE: i64 = ChatId::WECHAT_BASE;

/// The user and chat id of the resident numbered `number`.
pub fn resident(number: i64) -> i64 {
    BASE + number
}

/// The update id of the push numbered `number`.
pub fn update(number: i64) -> i64 {
    BASE + number
}

/// Whether a chat id is a WeChat resident's (their openid's number).
pub fn is_wechat(chat_id: ChatId) -> bool {
    chat_id.is_wechat()
}

/// The `wechat_ids` number behind a WeChat chat id.
pub fn number_of(chat_id: ChatId) -> Option<i64> {
    is_wechat(chat_id).then(|| chat_id.0 - BASE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wechat_ids_sit_above_telegrams() {
        // The largest 52-bit Telegram id, and a supergroup's negative id.
        assert!(!is_wechat(ChatId((1 << 52) - 1)));
        assert!(!is_wechat(ChatId(-1_001_234_567_890)));
        assert!(is_wechat(ChatId(resident(1))));
        assert_eq!(number_of(ChatId(resident(42))), Some(42));
    }
}
