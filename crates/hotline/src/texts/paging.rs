//! The words of paging by phone: the reply code that ends an SMS page, the
//! key prompt of a call, and what the call says once a key is pressed.

use super::pick;
use crate::domain::{EscalationId, Lang};

/// Ends an SMS page when replies are on.
pub fn sms_reply_hint(lang: Lang, escalation_id: EscalationId) -> String {
    match lang {
        Lang::Zh => format!("回复 1 确认，2 解决（#{escalation_id}）"),
        Lang::En => format!("Reply 1 to acknowledge, 2 to resolve (#{escalation_id})"),
    }
}

/// Read after the alert on a call that gathers a key.
pub fn voice_key_prompt(lang: Lang) -> &'static str {
    pick(
        lang,
        "确认请按 1，已解决请按 2。",
        "Press 1 to acknowledge, 2 to resolve.",
    )
}

/// Said on the call once the key has done its work.
pub fn voice_done(lang: Lang, acknowledged: bool) -> &'static str {
    match acknowledged {
        true => pick(lang, "已确认，谢谢。", "Acknowledged. Thank you."),
        false => pick(lang, "已标记为解决，谢谢。", "Marked resolved. Thank you."),
    }
}

/// Said on the call when the key changed nothing (done before, or unknown).
pub fn voice_nothing(lang: Lang) -> &'static str {
    pick(
        lang,
        "没有需要处理的告警。",
        "There is no alert for that key.",
    )
}

/// `/whoami`: the sender's Telegram id, for `[[people]].telegram_id`.
pub fn whoami(lang: Lang, telegram_id: i64, person: Option<&str>) -> String {
    match (lang, person) {
        (Lang::Zh, Some(id)) => format!("您的 Telegram ID：{telegram_id}（已登记为工作人员 {id}）"),
        (Lang::Zh, None) => format!(
            "您的 Telegram ID：{telegram_id}\n如您是工作人员，请把它交给管理员，填入配置的 [[people]] telegram_id；或向管理员索取一次性邀请链接（hotline staff invite）。"
        ),
        (Lang::En, Some(id)) => {
            format!("Your Telegram id: {telegram_id} (linked to staff member {id})")
        }
        (Lang::En, None) => format!(
            "Your Telegram id: {telegram_id}\nIf you are staff, give it to the administrator for [[people]] telegram_id in the config, or ask for a one-time invite link (hotline staff invite)."
        ),
    }
}
