//! Texts of 督办 (supervision of promised times): the queue's overdue mark and
//! filter, the supervisor's bundled message, `/overdue`, the digest's counts.
//! Chinese first, English second.

use super::pick;
use crate::domain::Lang;
use crate::domain::overdue::Deadline;

/// What a ticket missed, as the queue's mark and every list says it.
pub fn missed(lang: Lang, deadline: Deadline) -> &'static str {
    match deadline {
        Deadline::Acknowledge => pick(lang, "超时未受理", "Overdue: not acknowledged"),
        Deadline::Resolve => pick(lang, "超时未办结", "Overdue: not resolved"),
    }
}

/// The queue filter's label and its one choice.
pub fn filter_label(lang: Lang) -> &'static str {
    pick(lang, "督办", "Overdue")
}

pub fn overdue_only(lang: Lang) -> &'static str {
    pick(lang, "仅超时工单", "Overdue only")
}

/// The first line of the supervisor's message.
pub fn newly_overdue(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("⏰ 督办：{n} 张工单新超时"),
        Lang::En => format!("⏰ Supervision: {n} ticket(s) newly overdue"),
    }
}

/// The first line of `/overdue`'s answer.
pub fn overdue_now(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("⏰ 超时工单：{n} 张"),
        Lang::En => format!("⏰ Overdue tickets: {n}"),
    }
}

pub fn none_overdue(lang: Lang) -> &'static str {
    pick(lang, "✅ 目前没有超时工单。", "✅ No ticket is overdue.")
}

/// One ticket in a list: how long it has waited, in hours and minutes.
pub fn waited(lang: Lang, minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Zh => format!("已等 {h} 小时 {m} 分"),
        Lang::En => format!("waited {h} h {m} min"),
    }
}

/// More tickets than a message lists.
pub fn and_more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("……另有 {n} 张，见工作台（筛选“督办”）"),
        Lang::En => format!("… and {n} more: see the desk (filter \"Overdue\")"),
    }
}

/// The digest's line of tickets overdue when it was written.
pub fn digest_overdue(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("督办：现有超时工单 {n} 张"),
        Lang::En => format!("Supervision: {n} ticket(s) overdue now"),
    }
}

pub fn per_category(lang: Lang) -> &'static str {
    pick(lang, "按类别：", "Per category: ")
}
