//! Told at once to a resident reporting a fault that is already known, or an
//! outage during announced planned work.

use super::Label;
use super::pick;
use crate::domain::{Category, Lang};

/// Told at once to a resident reporting a fault that is already known.
pub fn known_incident(
    lang: Lang,
    place: &str,
    category: Category,
    latest: Option<(&str, Option<&str>)>,
) -> String {
    let news = match (latest, lang) {
        (Some((text, eta)), Lang::Zh) => {
            format!(
                "\n最新进展：{text}{}",
                eta.map(|e| format!("\n预计恢复：{e}")).unwrap_or_default()
            )
        }
        (Some((text, eta)), Lang::En) => {
            format!(
                "\nLatest: {text}{}",
                eta.map(|e| format!("\nExpected back: {e}"))
                    .unwrap_or_default()
            )
        }
        (None, Lang::Zh) => "\n工作人员已经在处理。".to_string(),
        (None, Lang::En) => "\nStaff are already on it.".to_string(),
    };
    match lang {
        Lang::Zh => format!(
            "ℹ️ 这是已知故障：{place}{}。{news}\n\n要把您的报修加入吗？加入后会计入这次故障，并收到进展通知。",
            category.label(lang)
        ),
        Lang::En => format!(
            "ℹ️ This fault is already known: {} at {place}.{news}\n\nAdd your report to it? It will count on this incident and you will get its updates.",
            category.label(lang)
        ),
    }
}

/// Added to the known-incident answer when the utility has a channel.
pub fn follow_channel(lang: Lang, link: &str) -> String {
    match lang {
        Lang::Zh => format!("\n📢 抢修进展也会发布在频道 {link}"),
        Lang::En => format!("\n📢 Progress is also posted on our channel {link}"),
    }
}

pub fn join_button(lang: Lang) -> &'static str {
    pick(lang, "✅ 加入并接收进展", "✅ Add mine and keep me posted")
}

pub fn separate_button(lang: Lang) -> &'static str {
    pick(lang, "📝 单独报修", "📝 Report separately")
}

pub fn joined_incident(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("✅ 已加入，工单号：{ticket}\n有进展会第一时间通知您。查询：/status {ticket}")
        }
        Lang::En => format!(
            "✅ Added. Your ticket: {ticket}\nYou will hear as soon as there is news. Follow up: /status {ticket}"
        ),
    }
}

/// Told at once to a resident reporting an outage during announced planned work.
pub fn planned_outage(lang: Lang, place: &str, from: &str, to: &str, note: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("（{note}）")
    };
    match lang {
        Lang::Zh => format!(
            "🗓 {place} 现在是计划停水{note}：{from} – {to}。预计 {to} 恢复供水。\n如果到时仍没有水，或有其他问题，请点「仍要报修」。"
        ),
        Lang::En => format!(
            "🗓 {place} has planned work{note}: water is off {from} – {to} and is expected back at {to}.\nIf it is not back by then, or it is something else, press \"Report anyway\"."
        ),
    }
}

pub fn report_anyway_button(lang: Lang) -> &'static str {
    pick(lang, "📝 仍要报修", "📝 Report anyway")
}

pub fn ok_button(lang: Lang) -> &'static str {
    pick(lang, "👌 知道了", "👌 OK")
}

pub fn thanks(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的，谢谢您的耐心。",
        "OK, thank you for your patience.",
    )
}

/// The description stored for a report added to a known incident.
pub fn joined_description(lang: Lang) -> &'static str {
    pick(lang, "（加入已知故障）", "(added to a known incident)")
}
