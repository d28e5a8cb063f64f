//! The words of whose number and whose account: a contact card that is
//! not the resident's own (the wizard asks before using it), and staff
//! linking their Telegram account through a one-time invite link.

use super::pick;
use crate::domain::Lang;

/// Asked when the shared card belongs to someone else (or to nobody on Telegram).
pub fn other_contact(lang: Lang, name: &str, phone: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "这张名片是「{name}」的（{phone}），不是您本人的。\n要把这个号码作为抢修人员联系的电话吗？（可以是家人的号码）"
        ),
        Lang::En => format!(
            "This contact card is {name}'s ({phone}), not your own.\nShould the crew call this number? (It may be a relative's.)"
        ),
    }
}

pub fn use_other_number_button(lang: Lang) -> &'static str {
    pick(lang, "✅ 是，打这个号码", "✅ Yes, call this number")
}

pub fn another_number_button(lang: Lang) -> &'static str {
    pick(lang, "✏️ 不，换一个号码", "✏️ No, another number")
}

/// The phone as the summary shows it (and staff see it).
pub fn phone_with_owner(lang: Lang, phone: &str, given_for: Option<&str>) -> String {
    match given_for {
        None => phone.to_string(),
        // Chinese brackets carry their own space.
        Some(name) => match lang {
            Lang::Zh => format!("{phone}{}", given_for_someone_else(lang, name)),
            Lang::En => format!("{phone} {}", given_for_someone_else(lang, name)),
        },
    }
}

/// "(given for someone else: name)", after a number that is not the resident's own.
pub fn given_for_someone_else(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("（代他人留的号码：{name}）"),
        Lang::En => format!("(given for someone else: {name})"),
    }
}

/// `/start <token>` linked the sender to a configured person.
pub fn invite_linked(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "✅ 已将您的 Telegram 账号登记为工作人员「{name}」。告警和工作人员命令即刻生效（最多约 5 秒）。"
        ),
        Lang::En => format!(
            "✅ Your Telegram account is now linked to staff member {name}. Alerts and staff commands work within a few seconds."
        ),
    }
}

/// The invite was used before, has expired, or never existed.
pub fn invite_refused(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个邀请链接无效、已使用或已过期。请向管理员索取新的链接。",
        "This invite link is invalid, already used or expired. Ask the administrator for a new one.",
    )
}

/// The printed line of `hotline staff invite`.
pub fn invite_printed(name: &str, link: &str, valid: &str) -> String {
    format!(
        "One-time link for {name} (valid {valid}; open it in Telegram to link the account):\n{link}"
    )
}
