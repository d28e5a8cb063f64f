//! What residents hear outside the wizard: greeting, help, language, limits,
//! their reports, and news about them.

use super::Label;
use super::pick;
use crate::domain::{Category, Lang, ReportStatus};

/// `/lang`'s choices, each written in its own language.
pub const LANGUAGE_BUTTONS: [(&str, Lang); 2] = [("中文", Lang::Zh), ("English", Lang::En)];

pub fn welcome(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "{name}您好！这里是 24 小时供水服务热线。\n\n\
             • 报修：点下面的「报修」按钮，或发送 /report\n\
             • 查进度：/my 查看我的报修，/status 工单号\n\
             • 随时发送 /cancel 取消\n\n\
             For English, send /lang"
        ),
        Lang::En => format!(
            "Hello {name}! This is the 24-hour water service line.\n\n\
             • Report a fault: press the \"Report\" button below, or send /report\n\
             • Follow up: /my lists your reports, /status <ticket> shows one\n\
             • Send /cancel at any time to stop\n\n\
             中文请发送 /lang"
        ),
    }
}

pub fn help(lang: Lang) -> &'static str {
    pick(
        lang,
        "要报修，请点「报修」按钮或发送 /report。\n查询：/my 我的报修，/status 工单号。\n切换语言：/lang",
        "To report a fault, press \"Report\" or send /report.\nFollow up: /my, or /status <ticket>.\nLanguage: /lang",
    )
}

pub fn choose_language(lang: Lang) -> &'static str {
    pick(
        lang,
        "请选择语言 / Choose your language:",
        "Choose your language / 请选择语言:",
    )
}

pub fn language_set(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的，以后用中文和您交流。",
        "OK, I will write to you in English.",
    )
}

pub fn private_only(lang: Lang, bot_username: &str) -> String {
    match lang {
        Lang::Zh => format!("为保护您的隐私，请私聊我报修：@{bot_username}"),
        Lang::En => format!(
            "To protect your privacy, please message me privately to report: @{bot_username}"
        ),
    }
}

pub fn slow_down(lang: Lang) -> &'static str {
    pick(
        lang,
        "您发得太快了，请稍等一分钟再继续。您之前的内容都已保存。",
        "You are sending messages very fast; please wait a minute before going on. Nothing you sent is lost.",
    )
}

pub fn too_many_reports(lang: Lang, limit: u32) -> String {
    match lang {
        Lang::Zh => format!("您一小时内已提交 {limit} 条报修，请稍后再提交。查看已提交的报修：/my"),
        Lang::En => format!(
            "You have sent {limit} reports within an hour; please try again later. Your reports: /my"
        ),
    }
}

pub fn idle_hint(lang: Lang) -> &'static str {
    help(lang)
}

pub fn no_reports(lang: Lang) -> &'static str {
    pick(
        lang,
        "您还没有提交过报修。",
        "You have not reported anything yet.",
    )
}

pub fn my_reports_header(lang: Lang) -> &'static str {
    pick(lang, "您的报修：", "Your reports:")
}

pub fn report_line(
    lang: Lang,
    ticket: &str,
    category: Category,
    place: &str,
    status: ReportStatus,
) -> String {
    format!(
        "• {ticket} · {} · {place} · {}",
        category.label(lang),
        status.label(lang)
    )
}

pub fn status_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "请发送：/status 工单号，例如 /status JN-260209-0042",
        "Send: /status <ticket>, e.g. /status JN-260209-0042",
    )
}

pub fn ticket_not_found(lang: Lang) -> &'static str {
    pick(
        lang,
        "没有找到这个工单。只能查询您自己提交的报修，请核对工单号，或发送 /my。",
        "No such ticket among your reports. Please check the number, or send /my.",
    )
}

pub fn status_detail(
    lang: Lang,
    ticket: &str,
    category: Category,
    place: &str,
    status: ReportStatus,
    when: &str,
) -> String {
    match lang {
        Lang::Zh => format!(
            "工单 {ticket}\n类型：{}\n地点：{place}\n提交时间：{when}\n状态：{}",
            category.label(lang),
            status.label(lang)
        ),
        Lang::En => format!(
            "Ticket {ticket}\nFault: {}\nWhere: {place}\nReported: {when}\nStatus: {}",
            category.label(lang),
            status.label(lang)
        ),
    }
}

/// The command menu, set with setMyCommands for each language.
pub fn commands(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::Zh => vec![
            ("report", "报修"),
            ("my", "我的报修"),
            ("status", "查询工单进度"),
            ("cancel", "取消当前操作"),
            ("lang", "切换语言 / Language"),
            ("help", "帮助"),
        ],
        Lang::En => vec![
            ("report", "Report a fault"),
            ("my", "My reports"),
            ("status", "Status of a ticket"),
            ("cancel", "Cancel what you are doing"),
            ("lang", "Language / 切换语言"),
            ("help", "Help"),
        ],
    }
}

/// What a resident hears when staff move their report forward.
pub fn report_moved(lang: Lang, ticket: &str, status: ReportStatus, note: &str) -> String {
    let note = note.trim();
    let with_note = |zh_label: &str, en_label: &str| match (lang, note.is_empty()) {
        (Lang::Zh, true) => zh_label.to_string(),
        (Lang::Zh, false) => format!("{zh_label}\n说明：{note}"),
        (Lang::En, true) => en_label.to_string(),
        (Lang::En, false) => format!("{en_label}\nNote: {note}"),
    };
    match status {
        ReportStatus::Acknowledged => with_note(
            &format!("📣 您的报修 {ticket} 已由值班人员确认，正在安排处理。"),
            &format!(
                "📣 Your report {ticket} was acknowledged by the staff on duty; help is being arranged."
            ),
        ),
        ReportStatus::InProgress => with_note(
            &format!("🔧 您的报修 {ticket} 正在处理中。"),
            &format!("🔧 Your report {ticket} is being worked on."),
        ),
        ReportStatus::Resolved => with_note(
            &format!("✅ 您的报修 {ticket} 已解决。感谢您的耐心！如仍有问题，请再次报修。"),
            &format!(
                "✅ Your report {ticket} is resolved. Thank you for your patience! If the problem persists, please report again."
            ),
        ),
        ReportStatus::New => String::new(),
    }
}

/// The latest word on an incident, broadcast to everyone subscribed to it.
pub fn incident_update(
    lang: Lang,
    place: &str,
    category: Category,
    text: &str,
    eta: Option<&str>,
) -> String {
    let eta = eta.map(|e| match lang {
        Lang::Zh => format!("\n预计恢复：{e}"),
        Lang::En => format!("\nExpected back: {e}"),
    });
    match lang {
        Lang::Zh => format!(
            "📣 {place}{}故障进展：\n{text}{}",
            category.label(lang),
            eta.unwrap_or_default()
        ),
        Lang::En => format!(
            "📣 Update on the {} at {place}:\n{text}{}",
            category.label(lang).to_lowercase(),
            eta.unwrap_or_default()
        ),
    }
}
