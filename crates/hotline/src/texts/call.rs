//! Texts of taking a phone call at the desk (`/desk/call`) and of the SMS a
//! caller may get: the receipt with the ticket number and the resolution.
//! Chinese first, English second.

use super::pick;
use crate::domain::{EscalationId, Lang};

pub fn nav_call(lang: Lang) -> &'static str {
    pick(lang, "接听来电", "Take a call")
}

pub fn title(lang: Lang) -> &'static str {
    pick(lang, "接听来电", "Take a call")
}

pub fn phone(lang: Lang) -> &'static str {
    pick(lang, "来电号码", "Caller's number")
}

pub fn phone_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "先输入号码，下方即显示该号码的报修记录；按回车查询。",
        "Type the number first: its earlier reports show below. Enter looks it up.",
    )
}

pub fn look_up(lang: Lang) -> &'static str {
    pick(lang, "查询号码", "Look up")
}

pub fn history(lang: Lang) -> &'static str {
    pick(lang, "该号码的报修记录", "This number's reports")
}

pub fn no_history(lang: Lang) -> &'static str {
    pick(lang, "该号码没有报修记录。", "No reports from this number.")
}

pub fn news(lang: Lang) -> &'static str {
    pick(lang, "相关小区情况", "Their compounds now")
}

pub fn no_news(lang: Lang) -> &'static str {
    pick(
        lang,
        "这些小区目前没有进行中的事件、计划停水或重点区域。",
        "No open incident, planned work or priority zone there now.",
    )
}

pub fn open_incident(lang: Lang, category: &str, reports: i64) -> String {
    match lang {
        Lang::Zh => format!("{category} 事件处理中（{reports} 条报修）"),
        Lang::En => format!("{category} incident open ({reports} reports)"),
    }
}

pub fn planned(lang: Lang, until: &str, note: &str) -> String {
    match lang {
        Lang::Zh => format!("计划停水，预计 {until} 结束：{note}"),
        Lang::En => format!("planned work until {until}: {note}"),
    }
}

pub fn zone(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Zh => format!("重点区域：{label}"),
        Lang::En => format!("priority zone: {label}"),
    }
}

pub fn no_entry(lang: Lang) -> &'static str {
    pick(lang, "禁止入户，电话处理", "no entry: handle by phone")
}

pub fn compound(lang: Lang) -> &'static str {
    pick(lang, "小区", "Compound")
}

pub fn compound_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "输入小区名称，用 ↓ 从建议中选择。",
        "Type the compound's name; ↓ picks a suggestion.",
    )
}

pub fn which_compound(lang: Lang) -> &'static str {
    pick(
        lang,
        "有几个相近的小区，请选择一个：",
        "Several compounds come close; pick one:",
    )
}

pub fn unknown_compound(lang: Lang) -> &'static str {
    pick(
        lang,
        "未找到该小区，将按输入内容记录并提示工作人员。",
        "Not a known compound: it will be stored as typed and flagged for staff.",
    )
}

pub fn detail(lang: Lang) -> &'static str {
    pick(lang, "楼号 / 单元 / 门牌", "Building / unit")
}

pub fn category(lang: Lang) -> &'static str {
    pick(lang, "类别", "Category")
}

pub fn choose(lang: Lang) -> &'static str {
    pick(lang, "请选择…", "Choose…")
}

pub fn description(lang: Lang) -> &'static str {
    pick(lang, "来电内容", "What the caller says")
}

pub fn join(lang: Lang) -> &'static str {
    pick(
        lang,
        "并入已知事件（可选，将使用该事件的小区和类别）",
        "Join a known incident (optional: takes its compound and category)",
    )
}

pub fn join_none(lang: Lang) -> &'static str {
    pick(lang, "不并入", "None")
}

pub fn sms_receipt(lang: Lang) -> &'static str {
    pick(
        lang,
        "短信告知来电人工单号和处理结果",
        "Text the caller the ticket number and the outcome",
    )
}

pub fn submit(lang: Lang) -> &'static str {
    pick(lang, "提交工单（回车）", "File the ticket (Enter)")
}

pub fn missing(lang: Lang, what: &str) -> String {
    match lang {
        Lang::Zh => format!("请填写：{what}"),
        Lang::En => format!("Still needed: {what}"),
    }
}

pub fn not_a_phone(lang: Lang) -> &'static str {
    pick(
        lang,
        "这不像电话号码（7 到 15 位数字）。",
        "That is not a phone number (7 to 15 digits).",
    )
}

pub fn too_long(lang: Lang, what: &str, max: usize) -> String {
    match lang {
        Lang::Zh => format!("{what}过长（最多 {max} 字）。"),
        Lang::En => format!("{what} is too long (at most {max} characters)."),
    }
}

pub fn no_such_incident(lang: Lang) -> &'static str {
    pick(
        lang,
        "该事件已结束，请重新选择。",
        "That incident is over; choose again.",
    )
}

pub fn filed(lang: Lang) -> &'static str {
    pick(
        lang,
        "工单已提交，请告知来电人工单号：",
        "Filed. Read the ticket number to the caller:",
    )
}

pub fn escalated(lang: Lang, escalation_id: EscalationId) -> String {
    match lang {
        Lang::Zh => format!("已计入事件 #{escalation_id}，值班人员会收到通知。"),
        Lang::En => format!("Counted on incident #{escalation_id}; the staff on duty are told."),
    }
}

pub fn texted(lang: Lang) -> &'static str {
    pick(
        lang,
        "已向来电人发送短信回执。",
        "An SMS receipt is on its way to the caller.",
    )
}

pub fn open_ticket(lang: Lang) -> &'static str {
    pick(lang, "查看工单", "Open the ticket")
}

pub fn next_call(lang: Lang) -> &'static str {
    pick(lang, "接听下一个来电", "Take the next call")
}

/// The SMS receipt of a call.
pub fn sms_receipt_text(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("【供水热线】您的报修已受理，工单号 {ticket}。处理完成后将短信通知您。")
        }
        Lang::En => format!(
            "[Water hotline] Your report is received, ticket {ticket}. We will text you when it is resolved."
        ),
    }
}

/// The SMS telling a caller their ticket is resolved.
pub fn sms_resolved(lang: Lang, ticket: &str, note: &str) -> String {
    let note = note.trim();
    match (lang, note.is_empty()) {
        (Lang::Zh, true) => format!("【供水热线】您的工单 {ticket} 已处理完毕。"),
        (Lang::Zh, false) => format!("【供水热线】您的工单 {ticket} 已处理完毕：{note}"),
        (Lang::En, true) => format!("[Water hotline] Your ticket {ticket} is resolved."),
        (Lang::En, false) => format!("[Water hotline] Your ticket {ticket} is resolved: {note}"),
    }
}
