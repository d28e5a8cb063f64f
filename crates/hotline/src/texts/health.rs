//! Texts about the bot's own health: a refused reload (to the director's
//! chat) and the desk's banner while Telegram is unreachable. Chinese first,
//! English second.

use crate::domain::Lang;

/// To the director when new settings were refused and the old ones run on.
pub fn reload_refused(lang: Lang, error: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "⚠️ 新配置未生效（重新加载被拒绝），热线仍按原配置运行。请修正配置后再执行 hotline reload。\n原因：{error}"
        ),
        Lang::En => format!(
            "⚠️ The new settings were refused (reload failed); the hotline runs on the old ones. Fix the file and run hotline reload again.\nReason: {error}"
        ),
    }
}

/// The desk's banner, both languages at once (`since` is city-local HH:MM).
pub fn telegram_down_banner(since: &str) -> String {
    format!("Telegram 无法连接，自 {since} 起 / Telegram unreachable since {since}")
}
