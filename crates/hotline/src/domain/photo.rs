//! A resident's photo as a report keeps it (`photo_file_ids`): a Telegram
//! file id as Telegram gave it, or `wechat:<id>` for a photo a WeChat
//! resident sent, which the bot fetched and keeps (`wechat_photos`).

const WECHAT: &str = "wechat:";

/// How a report refers to the kept WeChat photo `id`.
pub fn wechat_ref(id: i64) -> String {
    format!("{WECHAT}{id}")
}

/// The kept WeChat photo a photo id refers to; `None` for Telegram's.
pub fn wechat_id(file_id: &str) -> Option<i64> {
    file_id.strip_prefix(WECHAT)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wechat_refs_are_told_from_telegram_file_ids() {
        assert_eq!(wechat_id(&wechat_ref(42)), Some(42));
        assert_eq!(wechat_id("AgACAgIAAxkBAAIB"), None);
        assert_eq!(wechat_id("wechat:x"), None);
    }
}
