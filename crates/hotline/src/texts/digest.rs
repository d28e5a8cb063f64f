//! Texts of the daily digest (the caption under its chart, or the message
//! after it). Chinese first, English second.

use chrono::NaiveDate;

use super::pick;
use crate::domain::Lang;

pub fn headline(lang: Lang, day: NaiveDate, total: usize) -> String {
    match lang {
        Lang::Zh => format!("📊 {day} 热线日报：报修 {total} 条"),
        Lang::En => format!("📊 Hotline digest for {day}: {total} reports"),
    }
}

pub fn per_compound(lang: Lang) -> &'static str {
    pick(lang, "各小区：", "Per compound: ")
}

pub fn open_escalations(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("未解决的升级：{n} 个"),
        Lang::En => format!("Open escalations: {n}"),
    }
}

pub fn slowest(lang: Lang) -> &'static str {
    pick(lang, "确认最慢：", "Slowest to acknowledge:")
}

pub fn minutes(lang: Lang, ticket: &str, minutes: i64) -> String {
    match lang {
        Lang::Zh => format!("• {ticket}：{minutes} 分钟"),
        Lang::En => format!("• {ticket}: {minutes} min"),
    }
}
