//! Texts of the desk's On call page (the 14-day schedule, the cover and away
//! forms) and Zones page (priority zones and planned work as forms), and
//! the refusals the staff's cover, away and planned-work logic gives. Chinese
//! first, English second.

use super::pick;
use crate::domain::{Lang, Role};

/// A role's heading: the configured name in Chinese, a fixed English one.
pub fn role_heading(lang: Lang, configured: &str, role: Role) -> String {
    match (lang, role) {
        (Lang::Zh, _) => configured.to_string(),
        (Lang::En, Role::Operator) => "Hotline operator".into(),
        (Lang::En, Role::DutyManager) => "Duty manager".into(),
        (Lang::En, Role::Director) => "Director".into(),
        (Lang::En, Role::Supervisor) => "Supervisor (overdue tickets)".into(),
    }
}

pub fn schedule_intro(lang: Lang, days: i64, zone: &str) -> String {
    match lang {
        Lang::Zh => format!("未来 {days} 天的值班表（时间为 {zone} 当地时间）。"),
        Lang::En => format!("Who is on call for the next {days} days (times in {zone})."),
    }
}

pub fn col_who(lang: Lang) -> &'static str {
    pick(lang, "值班人", "Who")
}

pub fn col_from(lang: Lang) -> &'static str {
    pick(lang, "开始", "From")
}

pub fn col_to(lang: Lang) -> &'static str {
    pick(lang, "结束", "To")
}

pub fn col_note(lang: Lang) -> &'static str {
    pick(lang, "替班 / 外出", "Covers / away")
}

pub fn nobody(lang: Lang) -> &'static str {
    pick(lang, "无人值班", "Nobody on call")
}

/// Followed by the name of the person covered for.
pub fn covers_for(lang: Lang) -> &'static str {
    pick(lang, "替班，原排班：", "covers for")
}

pub fn away_label(lang: Lang) -> &'static str {
    pick(lang, "外出", "away")
}

pub fn away_window(lang: Lang, from: &str, until: Option<&str>) -> String {
    match (lang, until) {
        (Lang::Zh, Some(until)) => format!("外出 {from} – {until}"),
        (Lang::Zh, None) => format!("外出，自 {from} 起"),
        (Lang::En, Some(until)) => format!("away {from} – {until}"),
        (Lang::En, None) => format!("away since {from}"),
    }
}

pub fn cover_heading(lang: Lang) -> &'static str {
    pick(lang, "安排替班", "Set a cover")
}

pub fn cover_person(lang: Lang) -> &'static str {
    pick(lang, "替班人", "Who covers")
}

pub fn cover_for(lang: Lang) -> &'static str {
    pick(lang, "替谁", "For whom")
}

pub fn starts(lang: Lang) -> &'static str {
    pick(lang, "开始时间", "Starts")
}

pub fn ends(lang: Lang) -> &'static str {
    pick(lang, "结束时间", "Ends")
}

pub fn ends_optional(lang: Lang) -> &'static str {
    pick(
        lang,
        "结束时间（可不填：直到回来）",
        "Ends (empty: until back)",
    )
}

pub fn set_cover(lang: Lang) -> &'static str {
    pick(lang, "设置替班", "Set the cover")
}

pub fn away_heading(lang: Lang) -> &'static str {
    pick(lang, "外出", "Away")
}

pub fn away_person(lang: Lang) -> &'static str {
    pick(lang, "谁外出", "Who is away")
}

pub fn mark_away(lang: Lang) -> &'static str {
    pick(lang, "标记外出", "Mark away")
}

pub fn mark_back(lang: Lang) -> &'static str {
    pick(lang, "已回来", "Mark back")
}

pub fn bad_time(lang: Lang) -> &'static str {
    pick(
        lang,
        "请填写日期和时间（例如 2026-02-10 08:30）。",
        "Give a date and time (e.g. 2026-02-10 08:30).",
    )
}

pub fn end_before_start(lang: Lang) -> &'static str {
    pick(
        lang,
        "结束时间必须晚于开始时间。",
        "The end must come after the start.",
    )
}

pub fn end_passed(lang: Lang, end: &str) -> String {
    match lang {
        Lang::Zh => format!("结束时间 {end} 已经过去了，请填写将来的时间。"),
        Lang::En => format!("The end, {end}, has already passed: give a time in the future."),
    }
}

pub fn cover_window_set(
    lang: Lang,
    cover: &str,
    replaced: &str,
    from: &str,
    until: &str,
) -> String {
    match lang {
        Lang::Zh => format!("已设置：{cover} 替 {replaced} 值班，{from} – {until}"),
        Lang::En => format!("Set: {cover} covers for {replaced}, {from} – {until}"),
    }
}

pub fn away_marked(lang: Lang, who: &str, window: &str) -> String {
    match lang {
        Lang::Zh => format!("🚶 {who}：{window}。期间新的工作交给其他同事。"),
        Lang::En => format!("🚶 {who}: {window}. New work goes to the others meanwhile."),
    }
}

pub fn back_marked(lang: Lang, who: &str, was: bool) -> String {
    match (lang, was) {
        (Lang::Zh, true) => format!("👋 {who} 已回来，新的工作会重新交给 TA。"),
        (Lang::Zh, false) => format!("{who} 本来就不在外出状态。"),
        (Lang::En, true) => format!("👋 {who} is back; work goes to them again."),
        (Lang::En, false) => format!("{who} was not marked away."),
    }
}

pub fn zones_heading(lang: Lang) -> &'static str {
    pick(lang, "重点区域", "Priority zones")
}

pub fn planned_heading(lang: Lang) -> &'static str {
    pick(lang, "计划停水", "Planned work")
}

pub fn no_planned(lang: Lang) -> &'static str {
    pick(lang, "目前没有计划停水。", "No planned work now.")
}

pub fn col_number(lang: Lang) -> &'static str {
    pick(lang, "编号", "No.")
}

pub fn col_compound(lang: Lang) -> &'static str {
    pick(lang, "小区", "Compound")
}

pub fn col_address(lang: Lang) -> &'static str {
    pick(
        lang,
        "地址（可不填：整个小区）",
        "Address (empty: the whole compound)",
    )
}

pub fn col_kind(lang: Lang) -> &'static str {
    pick(lang, "类别", "Kind")
}

pub fn col_until(lang: Lang) -> &'static str {
    pick(lang, "有效至（可不填）", "Until (optional)")
}

pub fn col_by(lang: Lang) -> &'static str {
    pick(lang, "登记人", "Added by")
}

pub fn col_note_planned(lang: Lang) -> &'static str {
    pick(lang, "说明", "Note")
}

pub fn whole_compound(lang: Lang) -> &'static str {
    pick(lang, "整个小区", "whole compound")
}

pub fn no_end(lang: Lang) -> &'static str {
    pick(lang, "长期", "no end")
}

pub fn remove(lang: Lang) -> &'static str {
    pick(lang, "移除", "Remove")
}

pub fn remove_zone_label(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("移除重点区域 #{id}"),
        Lang::En => format!("Remove zone #{id}"),
    }
}

pub fn remove_planned_label(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("取消计划停水 #{id}"),
        Lang::En => format!("Cancel planned work #{id}"),
    }
}

pub fn add_zone(lang: Lang) -> &'static str {
    pick(lang, "添加重点区域", "Add a zone")
}

pub fn add_planned(lang: Lang) -> &'static str {
    pick(lang, "登记计划停水", "Add planned work")
}

pub fn unknown_compound(lang: Lang) -> &'static str {
    pick(lang, "请选择一个小区。", "Choose a compound.")
}

pub fn unknown_kind(lang: Lang) -> &'static str {
    pick(lang, "请选择区域类别。", "Choose a kind of zone.")
}

pub fn planned_removed(lang: Lang, removed: bool) -> &'static str {
    if removed {
        pick(lang, "已取消。", "Cancelled.")
    } else {
        pick(lang, "没有这项计划停水。", "No such planned work.")
    }
}
