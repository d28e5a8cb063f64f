//! Texts of the desk's pages beyond the queue and sign-in (`desk.rs`): the
//! header, the reports page, the On call and Zones pages and a ticket's
//! actions. Chinese first, English second.

use super::pick;
use crate::domain::Lang;

pub fn nav_on_call(lang: Lang) -> &'static str {
    pick(lang, "值班", "On call")
}

pub fn nav_zones(lang: Lang) -> &'static str {
    pick(lang, "重点区域", "Zones")
}

pub fn nav_reports(lang: Lang) -> &'static str {
    pick(lang, "统计", "Reports")
}

pub fn server_error(lang: Lang) -> &'static str {
    pick(
        lang,
        "服务器出错，请稍后重试。",
        "Something went wrong; try again shortly.",
    )
}

pub fn reports_title(lang: Lang) -> &'static str {
    pick(lang, "统计报表", "Reports")
}

pub fn from(lang: Lang) -> &'static str {
    pick(lang, "从", "From")
}

pub fn to(lang: Lang) -> &'static str {
    pick(lang, "到", "To")
}

pub fn reports_total(lang: Lang) -> &'static str {
    pick(lang, "报修总数", "Reports")
}

pub fn time_to_acknowledge(lang: Lang) -> &'static str {
    pick(
        lang,
        "确认用时（中位数 / P90）",
        "Time to acknowledge (median / p90)",
    )
}

pub fn time_to_resolve(lang: Lang) -> &'static str {
    pick(
        lang,
        "解决用时（中位数 / P90）",
        "Time to resolve (median / p90)",
    )
}

pub fn per_day(lang: Lang) -> &'static str {
    pick(lang, "按日", "Per day")
}

pub fn on_call_title(lang: Lang) -> &'static str {
    pick(lang, "值班", "On call")
}

pub fn zones_title(lang: Lang) -> &'static str {
    pick(lang, "重点区域与计划停水", "Zones and planned work")
}

pub fn calendar_link(lang: Lang) -> &'static str {
    pick(
        lang,
        "获取我的值班日历链接（iCalendar）",
        "Get my shifts' calendar link (iCalendar)",
    )
}

pub fn broadcast_update(lang: Lang) -> &'static str {
    pick(lang, "向订阅居民发布进展", "Broadcast an update")
}

pub fn acknowledge(lang: Lang) -> &'static str {
    pick(lang, "确认收到", "Acknowledge")
}

pub fn resolve_escalation(lang: Lang) -> &'static str {
    pick(lang, "解决整个升级事件", "Resolve the escalation")
}

pub fn escalate_now(lang: Lang) -> &'static str {
    pick(lang, "立即升级", "Escalate now")
}

pub fn add_note(lang: Lang) -> &'static str {
    pick(lang, "添加备注", "Add a note")
}

pub fn assign(lang: Lang) -> &'static str {
    pick(lang, "指派", "Assign")
}
