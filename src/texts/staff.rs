//! Texts for staff: alerts and console answers, in the person's language.

use crate::domain::{Category, Lang, ZoneKind};

/// One report as an alert lists it (staff see phone numbers).
pub struct AlertReport<'a> {
    pub ticket: &'a str,
    pub address: &'a str,
    pub description: &'a str,
    pub phone: Option<&'a str>,
}

/// Everything an alert states.
pub struct AlertView<'a> {
    pub id: i64,
    pub compound: &'a str,
    pub category: Category,
    pub reason: Why,
    pub no_entry: bool,
    pub report_count: i64,
    pub reports: Vec<AlertReport<'a>>,
    pub open_minutes: i64,
    /// "acknowledged by X at 23:10" etc., once someone acted.
    pub status: Option<String>,
}

pub enum Why {
    Threshold { count: i64, threshold: i64 },
    Urgent,
    Zone(ZoneKind),
}

/// How many reports an alert quotes.
pub const QUOTED_REPORTS: usize = 3;

pub fn alert(lang: Lang, a: &AlertView) -> String {
    let zh = lang == Lang::Zh;
    let why = match (&a.reason, zh) {
        (Why::Threshold { count, threshold }, true) => {
            format!("未解决报修 {count} 条，达到阈值 {threshold}")
        }
        (Why::Threshold { count, threshold }, false) => {
            format!("{count} unresolved reports (threshold {threshold})")
        }
        (Why::Urgent, true) => "紧急类别，单条即升级".to_string(),
        (Why::Urgent, false) => "urgent category: one report is enough".to_string(),
        (Why::Zone(kind), true) => format!("重点区域：{}", kind.label(lang)),
        (Why::Zone(kind), false) => format!("priority zone: {}", kind.label(lang)),
    };
    let mut lines = vec![
        if zh {
            format!(
                "🚨 升级 #{} · {} · {}",
                a.id,
                a.compound,
                a.category.label(lang)
            )
        } else {
            format!(
                "🚨 Escalation #{} · {} · {}",
                a.id,
                a.compound,
                a.category.label(lang)
            )
        },
        if zh {
            format!("原因：{why}")
        } else {
            format!("Why: {why}")
        },
    ];
    if a.no_entry {
        lines.push(no_entry(lang).to_string());
    }
    lines.push(if zh {
        format!("报修 {} 条，已开启 {} 分钟", a.report_count, a.open_minutes)
    } else {
        format!(
            "{} report(s), open for {} min",
            a.report_count, a.open_minutes
        )
    });
    for r in &a.reports {
        let phone = r.phone.map(|p| format!(" ☎️ {p}")).unwrap_or_default();
        lines.push(format!(
            "• {} {} — {}{phone}",
            r.ticket, r.address, r.description
        ));
    }
    if let Some(status) = &a.status {
        lines.push(String::new());
        lines.push(status.clone());
    }
    lines.join("\n")
}

pub fn no_entry(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "⛔ 禁止入内：确诊病例小区，请电话联系居民或物业处理",
        Lang::En => {
            "⛔ No entry — confirmed-case compound: handle by phone with residents or property management"
        }
    }
}

pub fn ack_button(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "✅ 确认 Acknowledge"
    } else {
        "✅ Acknowledge"
    }
}

pub fn resolve_button(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "🏁 解决 Resolve"
    } else {
        "🏁 Resolve"
    }
}

pub fn bundle_header(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("🚨🚨 {n} 个升级同时发生"),
        Lang::En => format!("🚨🚨 {n} escalations at once"),
    }
}

pub fn joined(lang: Lang, id: i64, compound: &str, category: Category, count: i64) -> String {
    match lang {
        Lang::Zh => format!(
            "ℹ️ 升级 #{id}（{compound} · {}）又有新报修，共 {count} 条",
            category.label(lang)
        ),
        Lang::En => format!(
            "ℹ️ Escalation #{id} ({compound} · {}): another report, {count} now",
            category.label(lang)
        ),
    }
}

pub fn escalate_button(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "⏫ 立即上报 Escalate now"
    } else {
        "⏫ Escalate now"
    }
}

pub fn details_button(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "📄 详情 Details"
    } else {
        "📄 Details"
    }
}

pub fn escalated_now(lang: Lang) -> &'static str {
    pick(lang, "已上报下一级。", "Escalated to the next step.")
}

pub fn in_progress_set(lang: Lang) -> &'static str {
    pick(
        lang,
        "已标记为处理中，居民已收到通知。",
        "Marked in progress; the residents were told.",
    )
}

pub fn acknowledged_by(lang: Lang, who: &str, at: &str) -> String {
    match lang {
        Lang::Zh => format!("✅ {who} 已于 {at} 确认"),
        Lang::En => format!("✅ Acknowledged by {who} at {at}"),
    }
}

pub fn resolved_by(lang: Lang, who: &str, at: &str, note: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(": {note}")
    };
    match lang {
        Lang::Zh => format!("🏁 {who} 已于 {at} 解决{note}"),
        Lang::En => format!("🏁 Resolved by {who} at {at}{note}"),
    }
}

pub fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

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

// ---- Paging: alert summaries and lists, /oncall presence, /cover refusals ----

/// One escalation as a line of a summary or list.
pub struct BundleLine<'a> {
    pub id: i64,
    pub compound: &'a str,
    pub category: Category,
    pub reason: Why,
    /// "open", "acknowledged" or "resolved".
    pub status: &'a str,
}

/// "37 escalations in 12 compounds": a bundle too big to show in full.
pub fn bundle_summary(lang: Lang, n: usize, compounds: usize, open: usize) -> String {
    match lang {
        Lang::Zh => {
            format!("🚨🚨 {n} 个升级，涉及 {compounds} 个小区（{open} 个待确认），最紧急的在前：")
        }
        Lang::En => format!(
            "🚨🚨 {n} escalations in {compounds} compounds ({open} awaiting acknowledgement), most urgent first:"
        ),
    }
}

pub fn bundle_line(lang: Lang, l: &BundleLine) -> String {
    let why = match (&l.reason, lang) {
        (Why::Zone(kind), _) => kind.label(lang).to_string(),
        (Why::Urgent, Lang::Zh) => "紧急".to_string(),
        (Why::Urgent, Lang::En) => "urgent".to_string(),
        (Why::Threshold { count, .. }, Lang::Zh) => format!("{count} 条报修"),
        (Why::Threshold { count, .. }, Lang::En) => format!("{count} reports"),
    };
    let mark = match l.status {
        "acknowledged" => " ✅",
        "resolved" => " 🏁",
        _ => "",
    };
    format!(
        "#{} {} · {} · {why}{mark}",
        l.id,
        l.compound,
        l.category.label(lang)
    )
}

pub fn bundle_more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("……另有 {n} 个，见「完整列表」"),
        Lang::En => format!("… and {n} more: see the full list"),
    }
}

pub fn full_list_button(lang: Lang) -> &'static str {
    pick(lang, "📋 完整列表 Full list", "📋 Full list")
}

pub fn list_page_header(lang: Lang, page: usize, pages: usize, n: usize) -> String {
    match lang {
        Lang::Zh => format!("📋 升级列表（共 {n} 个）第 {page}/{pages} 页"),
        Lang::En => format!("📋 Escalations ({n}), page {page}/{pages}"),
    }
}

pub fn no_such_list(lang: Lang) -> &'static str {
    pick(lang, "这份列表已不存在。", "That list is gone.")
}

/// `/oncall`: the scheduled person is away.
pub fn oncall_away(lang: Lang) -> &'static str {
    pick(lang, "（外出 /away）", "(away)")
}

/// `/oncall`: who takes the work of the away person.
pub fn oncall_stand_in(lang: Lang, contact: &str) -> String {
    match lang {
        Lang::Zh => format!("   ↳ 由 {contact} 代为接收告警"),
        Lang::En => format!("   ↳ stand-in: {contact}"),
    }
}

/// `/oncall`: everyone who could take the role is away.
pub fn oncall_nobody_present(lang: Lang) -> &'static str {
    pick(
        lang,
        "   ↳ 无人在岗：告警直接转到下一级",
        "   ↳ nobody present: alerts go straight to the next step",
    )
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
