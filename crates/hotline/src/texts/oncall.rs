//! The words of the on-call table (`/oncall`, `hotline oncall`).

use super::pick;
use crate::domain::Lang;

pub fn header(lang: Lang, when: &str, zone: &str) -> String {
    match lang {
        Lang::Zh => format!("📋 值班表 {when}（{zone}）\n"),
        Lang::En => format!("📋 On call at {when} ({zone})\n"),
    }
}

pub fn next_handoff(lang: Lang) -> &'static str {
    pick(lang, "下次交接：", "next hand-off: ")
}

pub fn nobody(lang: Lang) -> &'static str {
    pick(lang, "（无人值班）", "(nobody on call)")
}

pub fn covering(lang: Lang, scheduled: &str, set_by: &str) -> String {
    match lang {
        Lang::Zh => format!("（代 {scheduled} 值班，{set_by} 安排）"),
        Lang::En => format!("(covering for {scheduled}, set by {set_by})"),
    }
}

/// 周一 … 周日, Monday first.
pub fn weekday_zh(days_from_monday: u32) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][days_from_monday as usize % 7]
}

/// `/oncall`: the scheduled person is away.
pub fn away(lang: Lang) -> &'static str {
    pick(lang, "（外出 /away）", "(away)")
}

/// `/oncall`: who takes the work of the away person.
pub fn stand_in(lang: Lang, contact: &str) -> String {
    match lang {
        Lang::Zh => format!("   ↳ 由 {contact} 代为接收告警"),
        Lang::En => format!("   ↳ stand-in: {contact}"),
    }
}

/// `/oncall`: everyone who could take the role is away.
pub fn nobody_present(lang: Lang) -> &'static str {
    pick(
        lang,
        "   ↳ 无人在岗：告警直接转到下一级",
        "   ↳ nobody present: alerts go straight to the next step",
    )
}
