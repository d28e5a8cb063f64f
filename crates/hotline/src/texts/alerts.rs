//! Alerts to managers: the alert itself, its buttons and its status lines.

use super::Label;
use super::pick;
use crate::domain::{Category, EscalationId, EscalationStatus, Lang, ZoneKind};

/// One report as an alert lists it (staff see phone numbers).
pub struct AlertReport<'a> {
    pub ticket: &'a str,
    pub address: &'a str,
    pub description: &'a str,
    pub phone: Option<&'a str>,
}

/// Everything an alert states.
pub struct AlertView<'a> {
    pub id: EscalationId,
    pub compound: &'a str,
    pub category: Category,
    pub reason: Why,
    pub no_entry: bool,
    pub report_count: i64,
    /// The households behind those reports (户): what a threshold counts.
    pub household_count: i64,
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
        (Why::Threshold { count, threshold }, true) => format!(
            "未解决报修 {} 户 / {count} 条，达到阈值 {threshold} 户",
            a.household_count
        ),
        (Why::Threshold { count, threshold }, false) => format!(
            "{} households / {count} reports unresolved (threshold {threshold} households)",
            a.household_count
        ),
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
        format!(
            "报修 {} 户 / {} 条，已开启 {} 分钟",
            a.household_count, a.report_count, a.open_minutes
        )
    } else {
        format!(
            "{} household(s) / {} report(s), open for {} min",
            a.household_count, a.report_count, a.open_minutes
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

pub fn joined(
    lang: Lang,
    id: EscalationId,
    compound: &str,
    category: Category,
    count: i64,
) -> String {
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

/// One escalation as a line of a summary or list.
pub struct BundleLine<'a> {
    pub id: EscalationId,
    pub compound: &'a str,
    pub category: Category,
    pub reason: Why,
    pub status: EscalationStatus,
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
        EscalationStatus::Acknowledged => " ✅",
        EscalationStatus::Resolved => " 🏁",
        EscalationStatus::Open => "",
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
