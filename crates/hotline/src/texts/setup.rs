//! Texts of a site's first week: the staff command menu and greeting, and
//! the captions under residents' photos and places when staff open a report.

use crate::domain::Lang;

/// The command menu staff see in their own chat with the bot (Telegram's
/// per-chat scope): the console first, then what residents have too.
pub fn staff_commands(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::Zh => vec![
            ("open", "未处理工单"),
            ("ticket", "查看工单及时间线"),
            ("overdue", "超时工单（督办）"),
            ("oncall", "当前值班"),
            ("ack", "确认告警"),
            ("progress", "处理进展（通知居民）"),
            ("resolve", "办结"),
            ("escalate", "立即升级"),
            ("note", "工单备注"),
            ("assign", "指派工单"),
            ("cover", "代班"),
            ("away", "暂离（告警转给他人）"),
            ("back", "回来了"),
            ("zone", "重点区域"),
            ("update", "发布事件进展"),
            ("planned", "计划停水"),
            ("desk", "网页工作台登录链接"),
            ("lang", "切换语言 / Language"),
            ("help", "帮助"),
        ],
        Lang::En => vec![
            ("open", "Open reports"),
            ("ticket", "A report and its timeline"),
            ("overdue", "Overdue reports (promised times)"),
            ("oncall", "Who is on call"),
            ("ack", "Acknowledge an alert"),
            ("progress", "Work in progress (residents told)"),
            ("resolve", "Resolve"),
            ("escalate", "Escalate now"),
            ("note", "Note on a report"),
            ("assign", "Assign a report"),
            ("cover", "Cover a shift"),
            ("away", "Away (alerts go to others)"),
            ("back", "Back"),
            ("zone", "Priority zones"),
            ("update", "News on an incident"),
            ("planned", "Planned work"),
            ("desk", "Sign-in link to the web desk"),
            ("lang", "Language / 切换语言"),
            ("help", "Help"),
        ],
    }
}

/// What a member of staff reads on `/start`: who the bot takes them for,
/// and every command of their menu, one a line (the resident's greeting
/// would tell them only how to report a fault).
pub fn staff_welcome(lang: Lang, name: &str) -> String {
    let commands: String = staff_commands(lang)
        .into_iter()
        .map(|(command, what)| format!("/{command} — {what}\n"))
        .collect();
    match lang {
        Lang::Zh => format!(
            "{name}您好！您是热线值班人员，告警会发到这里。\n\n值班命令：\n{commands}\n\
             自己报修也可以：/report"
        ),
        Lang::En => format!(
            "Hello {name}! You are hotline staff: alerts reach you here.\n\nStaff commands:\n\
             {commands}\nTo report a fault yourself: /report"
        ),
    }
}

/// Under the photos a resident sent with a report.
pub fn photos_caption(lang: Lang, ticket: &str, place: &str) -> String {
    match lang {
        Lang::Zh => format!("📷 {ticket} 居民照片 · {place}"),
        Lang::En => format!("📷 {ticket} resident's photos · {place}"),
    }
}

/// Under a report's media for staff in Telegram: photos a WeChat resident
/// sent, which Telegram cannot show by id, are on the desk's ticket page.
pub fn wechat_photos_on_desk(lang: Lang, ticket: &str, n: usize) -> String {
    match lang {
        Lang::Zh => format!("📷 {ticket} 居民从微信发来 {n} 张照片，请在工作台的工单页面查看。"),
        Lang::En => format!(
            "📷 {ticket}: the resident sent {n} photo(s) on WeChat; see them on the desk's ticket page."
        ),
    }
}

/// The title of the map pin where a resident shared their location.
pub fn place_title(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => format!("📍 {ticket} 居民位置"),
        Lang::En => format!("📍 {ticket} resident's location"),
    }
}
