//! Answers of the staff console: zones, cover, the queue, tickets, away,
//! incident updates and planned work.

use super::alerts::resolve_button;
use super::pick;
use crate::domain::{Lang, ZoneKind};

pub fn staff_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "此功能仅限工作人员使用。",
        "This is for hotline staff only.",
    )
}

pub fn no_such_escalation(lang: Lang) -> &'static str {
    pick(lang, "没有这个升级编号。", "There is no such escalation.")
}

pub fn already_done(lang: Lang) -> &'static str {
    pick(lang, "已经处理过了。", "That was already done.")
}

pub fn zone_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：\n/zone add 小区 类型 [until 2026-03-01] [地址]\n/zone list\n/zone remove 编号\n类型：hospital 定点医院, command_post 指挥点, quarantine 隔离点, confirmed_case 确诊",
        "Usage:\n/zone add <compound> <kind> [until 2026-03-01] [address]\n/zone list\n/zone remove <id>\nKinds: hospital, command_post, quarantine, confirmed_case",
    )
}

pub fn cover_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/cover 谁 [for 替谁] until 时间\n例如：/cover @zhao_duty until 2026-02-10 08:30（默认替您自己）",
        "Usage: /cover <who> [for <whom>] until <time>\ne.g. /cover @zhao_duty until 2026-02-10 08:30 (for yourself by default)",
    )
}

pub fn unknown_person(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("不认识“{name}”：请用配置中的 id、@用户名或姓名。"),
        Lang::En => format!("I do not know \"{name}\": use a configured id, @username or name."),
    }
}

pub fn unknown_compound(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("找不到小区“{name}”。"),
        Lang::En => format!("No compound called \"{name}\"."),
    }
}

pub fn zone_kind_name(kind: &str) -> Option<ZoneKind> {
    ZoneKind::from_code(kind).or(match kind {
        "定点医院" | "医院" => Some(ZoneKind::Hospital),
        "指挥点" => Some(ZoneKind::CommandPost),
        "隔离点" | "集中隔离点" => Some(ZoneKind::Quarantine),
        "确诊" | "确诊病例小区" | "confirmed" => Some(ZoneKind::ConfirmedCase),
        _ => None,
    })
}

pub fn open_header(lang: Lang, total: i64, page: i64, pages: i64) -> String {
    match lang {
        Lang::Zh => {
            format!("📋 未解决报修 {total} 条 · 第 {page}/{pages} 页（紧急优先，新的在前）")
        }
        Lang::En => format!(
            "📋 {total} open report(s) · page {page}/{pages} (most urgent, then newest, first)"
        ),
    }
}

pub fn open_empty(lang: Lang) -> &'static str {
    pick(lang, "✅ 没有未解决的报修。", "✅ No open reports.")
}

pub fn open_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/open [小区] [类型]，例如 /open 燕山小区 停水",
        "Usage: /open [compound] [category], e.g. /open Yanshan outage",
    )
}

pub fn prev_button(lang: Lang) -> &'static str {
    pick(lang, "◀ 上一页", "◀ Previous")
}

pub fn next_button(lang: Lang) -> &'static str {
    pick(lang, "下一页 ▶", "Next ▶")
}

pub fn ticket_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/ticket 工单号 · /note 工单号 内容 · /assign 工单号 @人 · /resolve 工单号 说明",
        "Usage: /ticket <no> · /note <no> <text> · /assign <no> @person · /resolve <no> <note>",
    )
}

pub fn no_such_ticket(lang: Lang) -> &'static str {
    pick(lang, "没有这个工单号。", "No such ticket.")
}

pub fn noted(lang: Lang) -> &'static str {
    pick(lang, "📝 已记录。", "📝 Noted.")
}

pub fn assigned(lang: Lang, ticket: &str, who: &str) -> String {
    match lang {
        Lang::Zh => format!("📌 工单 {ticket} 已指派给 {who}。"),
        Lang::En => format!("📌 Ticket {ticket} assigned to {who}."),
    }
}

pub fn assigned_to_you(lang: Lang, ticket: &str, by: &str, summary: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("📌 {by} 把工单 {ticket} 指派给您：\n{summary}\n查看：/ticket {ticket}")
        }
        Lang::En => {
            format!("📌 {by} assigned ticket {ticket} to you:\n{summary}\nSee /ticket {ticket}")
        }
    }
}

pub fn is_away(lang: Lang, who: &str) -> String {
    match lang {
        Lang::Zh => format!("{who} 外出中（/away），请指派给其他人。"),
        Lang::En => format!("{who} is away (/away); please assign someone else."),
    }
}

pub fn away_set(lang: Lang) -> &'static str {
    pick(
        lang,
        "🚶 已标记外出：新的工作会交给其他同事，回来后发送 /back。",
        "🚶 Marked away: new work goes to the others until you send /back.",
    )
}

pub fn back_set(lang: Lang) -> &'static str {
    pick(
        lang,
        "👋 欢迎回来，新的工作会重新交给您。",
        "👋 Welcome back; work comes to you again.",
    )
}

pub fn not_away(lang: Lang) -> &'static str {
    pick(lang, "您本来就不在外出状态。", "You were not marked away.")
}

pub fn ticket_resolved(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => format!("🏁 工单 {ticket} 已解决，居民已收到通知。"),
        Lang::En => format!("🏁 Ticket {ticket} resolved; the resident was told."),
    }
}

pub fn update_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/update 升级编号 内容 [eta 2026-02-10 05:00 或 eta 05:00]",
        "Usage: /update <escalation id> <text> [eta 2026-02-10 05:00 | eta 05:00]",
    )
}

pub fn update_sent(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("📣 进展已发送给 {n} 位居民。"),
        Lang::En => format!("📣 Update sent to {n} resident(s)."),
    }
}

pub fn planned_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/planned 小区 2026-02-10 09:00 17:00 [说明]（结束也可写日期：2026-02-11 06:00）· /planned list",
        "Usage: /planned <compound> 2026-02-10 09:00 17:00 [note] (end may include a date) · /planned list",
    )
}

pub fn planned_added(lang: Lang, id: i64, compound: &str, from: &str, to: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "🗓 已登记计划停水 #{id}：{compound} {from} – {to}。期间报停水的居民会收到说明。"
        ),
        Lang::En => format!(
            "🗓 Planned outage #{id}: {compound} {from} – {to}. Residents reporting an outage then are told."
        ),
    }
}

pub fn resolve_button_short(lang: Lang) -> &'static str {
    resolve_button(lang)
}

/// Words that start the expected time in `/update`.
pub const ETA_WORDS: [&str; 2] = ["eta", "预计"];

pub fn act_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/ack 编号 或 /resolve 编号 [说明]",
        "Usage: /ack <id> or /resolve <id> [note]",
    )
}

pub fn no_zones(lang: Lang) -> &'static str {
    pick(lang, "目前没有重点区域。", "No priority zones now.")
}

pub fn zone_removed(lang: Lang, removed: bool) -> &'static str {
    if removed {
        pick(lang, "已移除。", "Removed.")
    } else {
        pick(lang, "没有这个重点区域。", "No such zone.")
    }
}

/// `place` is the compound's name and the typed address; `kind` and `until` are ready to show.
pub fn zone_added(lang: Lang, id: i64, place: &str, kind: &str, until: &str) -> String {
    match lang {
        Lang::Zh => format!("已添加重点区域 #{id}：{place} · {kind}{until}"),
        Lang::En => format!("Priority zone #{id} added: {place} · {kind}{until}"),
    }
}

pub fn cover_set(lang: Lang, cover: &str, replaced: &str, until: &str, by: &str) -> String {
    match lang {
        Lang::Zh => format!("已设置：{cover} 替 {replaced} 值班，至 {until}（设置人：{by}）"),
        Lang::En => format!("Set: {cover} covers for {replaced} until {until} (set by {by})"),
    }
}

/// How long ago, in minutes, hours or days.
pub fn ago(lang: Lang, minutes: i64) -> String {
    match (lang, minutes) {
        (Lang::Zh, m) if m < 60 => format!("{m}分钟前"),
        (Lang::Zh, m) if m < 1440 => format!("{}小时前", m / 60),
        (Lang::Zh, m) => format!("{}天前", m / 1440),
        (Lang::En, m) if m < 60 => format!("{m} min ago"),
        (Lang::En, m) if m < 1440 => format!("{} h ago", m / 60),
        (Lang::En, m) => format!("{} d ago", m / 1440),
    }
}

/// `/cover … until <a time already passed>`.
pub fn cover_time_passed(lang: Lang, until: &str) -> String {
    match lang {
        Lang::Zh => format!("「{until}」已经过去了，请写一个将来的时间，例如 18:00 或 8h。"),
        Lang::En => {
            format!("{until} has already passed: give a time in the future, e.g. 18:00 or 8h.")
        }
    }
}
