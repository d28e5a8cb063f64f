//! Texts of the operator desk (the web console) and of `/desk`, the chat
//! command that sends a sign-in link. Chinese first, English second.

use super::pick;
use crate::domain::Lang;

pub fn desk_link(lang: Lang, link: &str, minutes: u64) -> String {
    match lang {
        Lang::Zh => {
            format!("🖥 工作台登录链接（{minutes} 分钟内有效，只能使用一次，请勿转发）：\n{link}")
        }
        Lang::En => format!(
            "🖥 Your desk sign-in link (valid for {minutes} minutes, works once, do not forward):\n{link}"
        ),
    }
}

/// `hotline desk link`: both languages, for whoever runs it.
pub fn desk_link_printed(name: &str, link: &str, minutes: u64) -> String {
    format!(
        "{name} 的工作台登录链接（{minutes} 分钟内有效，只能使用一次，请勿转发）\n\
         Desk sign-in link for {name} (valid for {minutes} minutes, works once, do not forward):\n{link}"
    )
}

pub fn desk_off(lang: Lang) -> &'static str {
    pick(
        lang,
        "工作台（网页）未开启。",
        "The desk (web console) is not enabled.",
    )
}

pub fn desk_private_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "请在与机器人的私聊中发送 /desk，登录链接不能发在群里。",
        "Send /desk in a private chat with the bot: a sign-in link must not go to a group.",
    )
}

pub fn title(lang: Lang) -> &'static str {
    pick(lang, "热线工作台", "Hotline desk")
}

pub fn sign_in(lang: Lang) -> &'static str {
    pick(lang, "登录", "Sign in")
}

pub fn sign_in_prompt(lang: Lang) -> &'static str {
    pick(
        lang,
        "点击下方按钮登录热线工作台。",
        "Press the button to sign in to the hotline desk.",
    )
}

pub fn sign_out(lang: Lang) -> &'static str {
    pick(lang, "退出", "Sign out")
}

pub fn signed_out(lang: Lang) -> &'static str {
    pick(
        lang,
        "您尚未登录或已退出。请在 Telegram 中向机器人发送 /desk 获取登录链接。",
        "You are not signed in. Send /desk to the bot in Telegram for a sign-in link.",
    )
}

pub fn link_refused(lang: Lang) -> &'static str {
    pick(
        lang,
        "此登录链接无效、已使用或已过期。请重新发送 /desk。",
        "This sign-in link is unknown, used or expired. Send /desk again.",
    )
}

pub fn csrf_refused(lang: Lang) -> &'static str {
    pick(
        lang,
        "请求被拒绝（页面已过期）。请刷新页面后重试。",
        "Request refused (the page is stale). Reload the page and try again.",
    )
}

pub fn queue(lang: Lang) -> &'static str {
    pick(lang, "待处理队列", "Open queue")
}

pub fn queue_empty(lang: Lang) -> &'static str {
    pick(lang, "没有待处理的报修。", "No open reports.")
}

pub fn filter(lang: Lang) -> &'static str {
    pick(lang, "筛选", "Filter")
}

pub fn all(lang: Lang) -> &'static str {
    pick(lang, "全部", "All")
}

pub fn compound(lang: Lang) -> &'static str {
    pick(lang, "小区", "Compound")
}

pub fn district(lang: Lang) -> &'static str {
    pick(lang, "区", "District")
}

pub fn category(lang: Lang) -> &'static str {
    pick(lang, "类别", "Category")
}

pub fn status(lang: Lang) -> &'static str {
    pick(lang, "状态", "Status")
}

pub fn zone(lang: Lang) -> &'static str {
    pick(lang, "重点区域", "Priority zone")
}

pub fn zone_only(lang: Lang) -> &'static str {
    pick(lang, "仅重点区域", "Priority zones only")
}

pub fn ticket(lang: Lang) -> &'static str {
    pick(lang, "工单", "Ticket")
}

pub fn address(lang: Lang) -> &'static str {
    pick(lang, "地址", "Address")
}

pub fn waited(lang: Lang) -> &'static str {
    pick(lang, "已等待", "Waiting")
}

pub fn description(lang: Lang) -> &'static str {
    pick(lang, "描述", "Description")
}

pub fn per_compound(lang: Lang) -> &'static str {
    pick(lang, "各小区待处理数", "Open per compound")
}

/// The households (户) behind a count of reports.
pub fn households(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 户"),
        Lang::En => format!("{n} households"),
    }
}

pub fn escalated(lang: Lang) -> &'static str {
    pick(lang, "已升级", "Escalated")
}

pub fn total(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("共 {n} 条"),
        Lang::En => format!("{n} open"),
    }
}

pub fn waited_for(lang: Lang, minutes: i64) -> String {
    match (lang, minutes) {
        (Lang::Zh, m) if m < 60 => format!("{m} 分钟"),
        (Lang::Zh, m) => format!("{} 小时 {} 分", m / 60, m % 60),
        (Lang::En, m) if m < 60 => format!("{m} min"),
        (Lang::En, m) => format!("{} h {} min", m / 60, m % 60),
    }
}

pub fn other_lang(lang: Lang) -> &'static str {
    pick(lang, "English", "中文")
}

pub fn timeline(lang: Lang) -> &'static str {
    pick(lang, "时间线", "Timeline")
}

pub fn resolve(lang: Lang) -> &'static str {
    pick(lang, "标记已解决", "Resolve")
}

pub fn location(lang: Lang) -> &'static str {
    pick(lang, "位置", "Location")
}

pub fn map(lang: Lang) -> &'static str {
    pick(lang, "在地图上查看", "Open in a map")
}

pub fn no_such_report(lang: Lang) -> &'static str {
    pick(lang, "没有这个工单。", "There is no such ticket.")
}

pub fn done(lang: Lang) -> &'static str {
    pick(lang, "已完成。", "Done.")
}
