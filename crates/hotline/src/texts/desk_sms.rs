//! Texts of the desk's sign-in by SMS (issue 27): for staff when Telegram
//! is unreachable. The answer never says whether a number is known.

use super::pick;
use crate::domain::Lang;

/// Under "not signed in", when a gateway is configured.
pub fn offer(lang: Lang) -> &'static str {
    pick(
        lang,
        "Telegram 无法使用？用短信获取登录链接",
        "No Telegram? Get a sign-in link by SMS",
    )
}

pub fn title(lang: Lang) -> &'static str {
    pick(lang, "短信登录", "Sign in by SMS")
}

pub fn prompt(lang: Lang) -> &'static str {
    pick(
        lang,
        "请输入您在热线登记的手机号码，我们会把一次性登录链接发送到这个号码。",
        "Type the mobile number the hotline has on file for you; a one-time sign-in link is sent to it.",
    )
}

pub fn phone_label(lang: Lang) -> &'static str {
    pick(lang, "手机号码", "Mobile number")
}

pub fn send(lang: Lang) -> &'static str {
    pick(lang, "发送登录链接", "Send me a link")
}

/// The same answer whether or not the number belongs to staff.
pub fn sent(lang: Lang, minutes: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "如果这个号码属于热线工作人员，登录链接已通过短信发出（{minutes} 分钟内有效，只能使用一次）。"
        ),
        Lang::En => format!(
            "If this number belongs to a member of hotline staff, a sign-in link is on its way by SMS \
             (valid for {minutes} minutes, works once)."
        ),
    }
}

pub fn too_many(lang: Lang) -> &'static str {
    pick(
        lang,
        "请求过于频繁，请几分钟后再试。",
        "Too many requests. Please try again in a few minutes.",
    )
}
