//! The words of reaching managers beyond Telegram: the acknowledge link in a
//! text message and the small page it opens.

use super::pick;
use crate::domain::{EscalationId, Lang};

/// The last line of a text message: the one-time link.
pub fn link_line(lang: Lang, link: &str) -> String {
    match lang {
        Lang::Zh => format!("\n确认/处理：{link}"),
        Lang::En => format!("\nAcknowledge: {link}"),
    }
}

pub fn page_title(lang: Lang, escalation_id: EscalationId) -> String {
    match lang {
        Lang::Zh => format!("升级 #{escalation_id}"),
        Lang::En => format!("Escalation #{escalation_id}"),
    }
}

pub fn acknowledge_button(lang: Lang) -> &'static str {
    pick(lang, "✅ 确认接手", "✅ Acknowledge")
}

pub fn resolve_button(lang: Lang) -> &'static str {
    pick(lang, "🏁 已解决", "🏁 Resolve")
}

pub fn acknowledged(lang: Lang) -> &'static str {
    pick(
        lang,
        "✅ 已确认。升级已停止，其他值班人员的提醒已更新。",
        "✅ Acknowledged. The escalation stopped; everyone's alert now says so.",
    )
}

pub fn resolved(lang: Lang) -> &'static str {
    pick(
        lang,
        "🏁 已解决。居民将收到通知。",
        "🏁 Resolved. The residents will be told.",
    )
}

pub fn already_closed(lang: Lang) -> &'static str {
    pick(
        lang,
        "此升级已被确认或已解决，无需操作。",
        "This escalation was already acknowledged or resolved; nothing to do.",
    )
}

pub fn link_used(lang: Lang) -> &'static str {
    pick(
        lang,
        "此链接已使用过，不能再次使用。",
        "This link has already been used; it works only once.",
    )
}

pub fn link_expired(lang: Lang) -> &'static str {
    pick(
        lang,
        "此链接已过期。请在 Telegram 中操作，或发送 /ack 加编号。",
        "This link has expired. Use Telegram, or send /ack with the number.",
    )
}

pub fn link_unknown() -> &'static str {
    "链接无效 · This link is not valid."
}

/// Shown before the buttons, so the page is understood at 3 a.m.
pub fn state_line(lang: Lang, status: &str) -> String {
    match lang {
        Lang::Zh => format!("当前状态：{status}"),
        Lang::En => format!("Status: {status}"),
    }
}

/// `/oncall`: how the person is reached beyond Telegram (their own rules).
pub fn rules_line(lang: Lang, rules: &str) -> String {
    match lang {
        Lang::Zh => format!("⏰ 提醒方式：{rules}"),
        Lang::En => format!("⏰ reached by: {rules}"),
    }
}
